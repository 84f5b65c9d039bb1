//! The notes API behind Amazon API Gateway: identities from the request context only.
//!
//! Shared by the `notes-api-lambda` example and the HTTP API tests, which feed API Gateway
//! events through [`handle`] exactly as the Lambda runtime does.

use std::convert::Infallible;

use axum::Router;
use axum::http::Uri;
use axum::http::request::Parts;
use axum::response::Response;
use lambda_http::Service;
use lambda_http::request::RequestContext;
use notes_repo::Note;
use notes_repo::{Backend, CursorKey, Repo};

use super::{IdentitySource, router};

/// The caller as API Gateway authenticated them: the Cognito identity id (IAM authorization
/// with a Cognito identity pool) or the `sub` claim of a JWT / Cognito user pool authorizer.
/// Headers and body are never looked at, so a client cannot claim another identity.
#[derive(Debug, Clone, Copy, Default)]
pub struct GatewayIdentity;

impl IdentitySource for GatewayIdentity {
    fn user_id(&self, request: &Parts) -> Option<String> {
        let id = match request.extensions.get::<RequestContext>()? {
            // REST API (payload 1.0).
            RequestContext::ApiGatewayV1(context) => {
                non_empty(context.identity.cognito_identity_id.as_deref()).or_else(|| {
                    // A Cognito user pool authorizer puts the token's claims here.
                    let claims = context.authorizer.fields.get("claims")?;
                    non_empty(claims.get("sub")?.as_str())
                })
            }
            // HTTP API (payload 2.0).
            RequestContext::ApiGatewayV2(context) => {
                let authorizer = context.authorizer.as_ref()?;
                let iam = authorizer
                    .iam
                    .as_ref()
                    .and_then(|iam| iam.cognito_identity.as_ref())
                    .and_then(|cognito| non_empty(cognito.identity_id.as_deref()));
                iam.or_else(|| {
                    let jwt = authorizer.jwt.as_ref()?;
                    non_empty(jwt.claims.get("sub").map(String::as_str))
                })
            }
            #[allow(unreachable_patterns)] // other event sources, with other lambda_http features
            _ => None,
        };
        id.map(str::to_owned)
    }

    fn describe(&self) -> &'static str {
        "the caller's user id is the API Gateway request context's Cognito identity id or JWT `sub`"
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

/// The notes API for API Gateway events, its cursors signed with `cursor_key` (the same on
/// every instance: `NOTES_CURSOR_KEY`).
pub fn app<B: Backend>(repo: Repo<Note, B>, cursor_key: CursorKey) -> Router {
    router(repo, GatewayIdentity, cursor_key)
}

/// Serves one request converted from an API Gateway event by `lambda_http`.
///
/// `lambda_http` puts a named stage in front of the path (`/prod/notes`); the routes are
/// stage-independent, so it is taken off again.
pub async fn handle(
    mut app: Router,
    request: lambda_http::Request,
) -> Result<Response, Infallible> {
    let request = without_stage(request);
    std::future::poll_fn(|cx| Service::<lambda_http::Request>::poll_ready(&mut app, cx)).await?;
    app.call(request).await
}

fn without_stage(mut request: lambda_http::Request) -> lambda_http::Request {
    let stage = match request.extensions().get::<RequestContext>() {
        Some(RequestContext::ApiGatewayV1(context)) => context.stage.clone(),
        Some(RequestContext::ApiGatewayV2(context)) => context.stage.clone(),
        #[allow(unreachable_patterns)]
        _ => None,
    };
    let Some(stage) = stage.filter(|stage| stage != "$default") else {
        return request;
    };
    let path = request.uri().path();
    let prefix = format!("/{stage}");
    let Some(rest) = path
        .strip_prefix(&prefix)
        .filter(|rest| rest.starts_with('/'))
    else {
        return request;
    };
    let path_and_query = match request.uri().query() {
        Some(query) => format!("{rest}?{query}"),
        None => rest.to_owned(),
    };
    let mut parts = request.uri().clone().into_parts();
    if let Ok(path_and_query) = path_and_query.parse() {
        parts.path_and_query = Some(path_and_query);
        if let Ok(uri) = Uri::from_parts(parts) {
            *request.uri_mut() = uri;
        }
    }
    request
}
