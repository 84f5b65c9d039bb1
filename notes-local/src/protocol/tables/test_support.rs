//! What the unit tests of the control plane and of the Streams API share: a service on a
//! fresh engine, and calls that answer JSON or the error.

use notes_memory::MemoryBackend;
use serde_json::Value;

use crate::errors::ErrorAnswer;
use crate::protocol::{DYNAMODB_TARGET, STREAMS_TARGET, Service};

/// A service on an empty in-memory engine, in `us-east-1`.
pub(crate) fn service() -> Service {
    Service::new(MemoryBackend::new(), "us-east-1")
}

/// Calls DynamoDB's `operation`: its answer, or a panic with its error.
pub(crate) async fn call(service: &Service, operation: &str, body: Value) -> Value {
    let target = format!("{DYNAMODB_TARGET}{operation}");
    match service.call(&target, body.to_string().as_bytes()).await {
        Ok(answer) => answer.json(),
        Err(err) => panic!("{operation} failed: {err:?}"),
    }
}

/// Calls DynamoDB's `operation`: its error, or a panic with its answer.
pub(crate) async fn error(service: &Service, operation: &str, body: Value) -> ErrorAnswer {
    let target = format!("{DYNAMODB_TARGET}{operation}");
    match service.call(&target, body.to_string().as_bytes()).await {
        Ok(answer) => panic!("{operation} answered {}", answer.json()),
        Err(err) => err,
    }
}

/// Calls the Streams API's `operation`.
pub(crate) async fn streams(
    service: &Service,
    operation: &str,
    body: Value,
) -> Result<Value, ErrorAnswer> {
    let target = format!("{STREAMS_TARGET}{operation}");
    service
        .call(&target, body.to_string().as_bytes())
        .await
        .map(|answer| answer.json())
}

/// Creates the on-demand table `name` with the string partition key `pk` (and a stream of
/// `view` records, when given).
pub(crate) async fn create_table(service: &Service, name: &str, view: Option<&str>) -> Value {
    let mut body = serde_json::json!({
        "TableName": name,
        "AttributeDefinitions": [{ "AttributeName": "pk", "AttributeType": "S" }],
        "KeySchema": [{ "AttributeName": "pk", "KeyType": "HASH" }],
        "BillingMode": "PAY_PER_REQUEST",
    });
    if let Some(view) = view {
        body["StreamSpecification"] =
            serde_json::json!({ "StreamEnabled": true, "StreamViewType": view });
    }
    call(service, "CreateTable", body).await
}

/// The HTTP answer `answer` (a body, or an error) as the SDKs' mocks give it to their
/// deserializers.
pub(crate) fn sdk_response(
    answer: Result<Value, ErrorAnswer>,
) -> aws_sdk_dynamodb::config::http::HttpResponse {
    let (status, body) = match answer {
        Ok(body) => (200, body),
        Err(err) => (err.status, err.body()),
    };
    aws_sdk_dynamodb::config::http::HttpResponse::new(
        status.try_into().expect("an HTTP status"),
        aws_smithy_types::body::SdkBody::from(body.to_string()),
    )
}
