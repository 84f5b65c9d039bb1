//! The API's errors: a status and a JSON `{"error": "..."}` body.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Seconds a throttled client is asked to wait (`Retry-After`). The SDK has already retried
/// with backoff by the time it reports throttling, so a short fixed hint is enough.
const RETRY_AFTER_SECONDS: u32 = 1;

/// An error response of the notes API.
///
/// ```
/// use axum::response::IntoResponse;
/// use notes_api::ApiError;
///
/// let response = ApiError::NotFound.into_response();
/// assert_eq!(response.status(), 404);
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum ApiError {
    /// 400: the caller's mistake: bad JSON, empty content, a bad limit or cursor, a key the
    /// SDK refuses before sending (an empty or oversized id).
    BadRequest(String),
    /// 401: the request carries no identity.
    Unauthorized,
    /// 404: no such note for this caller (or no such route).
    NotFound,
    /// 405: the route exists, the method does not.
    MethodNotAllowed,
    /// 413: the note would exceed DynamoDB's item size, or the body the server accepts.
    PayloadTooLarge(String),
    /// 503: DynamoDB throttled the request after the SDK's retries.
    Throttled,
    /// 501: the route needs what this server was not started with (`GET /notes/count`
    /// without a stream-fed counter).
    NotImplemented(String),
    /// 500: anything else, including a validation error raised by DynamoDB itself (a
    /// misconfigured table); the details are logged, not sent.
    Internal,
}

impl ApiError {
    /// The HTTP status of this error.
    ///
    /// ```
    /// use notes_api::ApiError;
    /// assert_eq!(ApiError::Throttled.status(), 503);
    /// ```
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Throttled => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::NotImplemented(_) => StatusCode::NOT_IMPLEMENTED,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::BadRequest(message)
            | ApiError::PayloadTooLarge(message)
            | ApiError::NotImplemented(message) => message.clone(),
            ApiError::Unauthorized => "no identity: the request does not say who is calling".into(),
            ApiError::NotFound => "not found".into(),
            ApiError::MethodNotAllowed => "method not allowed".into(),
            ApiError::Throttled => "the database is busy: retry later".into(),
            ApiError::Internal => "internal error".into(),
        }
    }
}

impl From<notes_repo::Error> for ApiError {
    fn from(err: notes_repo::Error) -> Self {
        use notes_repo::Error;
        match err {
            Error::ItemTooLarge { .. } => ApiError::PayloadTooLarge(
                "the note is too large: a note is stored as one DynamoDB item of at most \
                     400 KB"
                    .to_owned(),
            ),
            // Refused by the SDK before sending: the caller's input (a key too long, ...), in
            // the SDK's own wording.
            Error::Validation {
                message,
                source: None,
            } => ApiError::BadRequest(message),
            // Refused by DynamoDB although the SDK's checks passed: the table or the app is
            // misconfigured (another key schema, a missing index), nothing the caller can fix.
            Error::Validation {
                message,
                source: Some(source),
            } => {
                tracing::error!(error = %message, source = %source, "DynamoDB refused a request the SDK had validated: check the table");
                ApiError::Internal
            }
            Error::InvalidCursor { .. } => ApiError::BadRequest(
                "invalid cursor: pass back the `cursor` of the previous page unchanged".to_owned(),
            ),
            Error::NotFound { .. } => ApiError::NotFound,
            Error::Throttled { .. } => {
                tracing::warn!(error = %err, "throttled by DynamoDB");
                ApiError::Throttled
            }
            other => {
                // Backend errors name tables and keys, never attribute values.
                tracing::error!(error = %other, source = ?std::error::Error::source(&other), "request failed");
                ApiError::Internal
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response =
            (self.status(), Json(json!({ "error": self.message() }))).into_response();
        if let ApiError::Throttled = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
        }
        response
    }
}
