//! [`Service::call`]: one call, dispatched by its target to the family of operations that
//! answers it.

use super::reply::Reply;
use super::service::{DYNAMODB_TARGET, STREAMS_TARGET, Service};
use super::{arns, items, json, streams, tables};
use crate::errors::ErrorAnswer;

impl Service {
    /// Answers the call named by `target` (the `X-Amz-Target` header) with request `body`.
    ///
    /// An unknown target is `UnknownOperationException`; a body that is not JSON, or not the
    /// operation's shape, is `SerializationException`; the rest is the engine's answer.
    pub async fn call(&self, target: &str, body: &[u8]) -> Result<Reply, ErrorAnswer> {
        let unknown = || ErrorAnswer::coral(400, "UnknownOperationException", String::new());
        if let Some(operation) = target.strip_prefix(DYNAMODB_TARGET) {
            let body = json::parse_body(body)?;
            if let Some(answer) = items::call(self, operation, &body).await {
                // Throttling names the engine's tables and indexes: in this region.
                return answer.map_err(|err| err.map_resources(|arn| arns::from_engine(self, arn)));
            }
            if let Some(answer) = tables::call(self, operation, &body).await {
                return answer.map(Reply::from);
            }
            Err(unknown())
        } else if let Some(operation) = target.strip_prefix(STREAMS_TARGET) {
            let body = json::parse_body(body)?;
            streams::call(self, operation, &body)
                .await
                .unwrap_or_else(|| Err(unknown()))
                .map(Reply::from)
        } else {
            Err(unknown())
        }
    }
}
