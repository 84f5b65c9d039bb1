//! Where the caller's user id comes from: the one thing the two entry points do differently.

use axum::http::request::Parts;

/// The header [`HeaderIdentity`] takes the user id from.
pub const USER_ID_HEADER: &str = "x-user-id";

/// Finds the calling user's id in a request.
///
/// The router is generic over it, so the local server and the Lambda function share every
/// route and differ only here.
///
/// ```
/// use axum::http::Request;
/// use notes_api::{HeaderIdentity, IdentitySource};
///
/// let (parts, ()) = Request::get("/notes").header("x-user-id", "u1").body(()).unwrap().into_parts();
/// assert_eq!(HeaderIdentity.user_id(&parts).as_deref(), Some("u1"));
/// ```
pub trait IdentitySource: Clone + Send + Sync + 'static {
    /// The caller's user id, or `None` when the request carries no identity (a 401).
    fn user_id(&self, request: &Parts) -> Option<String>;

    /// How this source identifies callers, for the startup log.
    fn describe(&self) -> &'static str;
}

/// Development mode: trusts the `x-user-id` header, so any client can claim to be any user.
///
/// For a server on 127.0.0.1 only; on AWS the user id comes from the API Gateway request
/// context instead.
#[derive(Debug, Clone, Copy, Default)]
pub struct HeaderIdentity;

impl IdentitySource for HeaderIdentity {
    fn user_id(&self, request: &Parts) -> Option<String> {
        let value = request.headers.get(USER_ID_HEADER)?.to_str().ok()?.trim();
        (!value.is_empty()).then(|| value.to_owned())
    }

    fn describe(&self) -> &'static str {
        "development mode: the caller's user id is taken from the `x-user-id` header, unverified"
    }
}
