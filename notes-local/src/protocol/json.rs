//! The request body as JSON: parsed once, then read into each operation's typed shape.
//!
//! A body that is not JSON, or whose fields have the wrong JSON types, is what DynamoDB calls
//! a `SerializationException`; a well-formed body with values DynamoDB refuses is a
//! `ValidationException`, raised by the operation.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::errors::ErrorAnswer;

/// The body as JSON; an empty body is `{}` (as the SDKs send for operations without input).
pub fn parse_body(body: &[u8]) -> Result<Value, ErrorAnswer> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|err| ErrorAnswer::coral(400, "SerializationException", err.to_string()))?;
    if !value.is_object() {
        return Err(ErrorAnswer::coral(
            400,
            "SerializationException",
            "Start of structure or map expected".to_owned(),
        ));
    }
    Ok(value)
}

/// The body read into `T` (a `#[derive(Deserialize)]` shape with DynamoDB's field names).
pub fn shape<T: DeserializeOwned>(body: &Value) -> Result<T, ErrorAnswer> {
    T::deserialize(body)
        .map_err(|err| ErrorAnswer::coral(400, "SerializationException", err.to_string()))
}
