//! (to be written)

use serde_json::Value;

use super::{Answer, Service};

/// Answers `operation` if it is one of this module's, else `None`.
pub(super) async fn call(service: &Service, operation: &str, body: &Value) -> Option<Answer> {
    let _ = (service, operation, body);
    None
}
