//! The body of a successful answer: the operation's JSON, already serialized, so that an
//! answer of many items is written once, straight from the engine's items, with no JSON
//! tree built in between.

use serde_json::Value;

/// A 200's JSON body, serialized.
///
/// ```
/// use notes_local::protocol::Reply;
/// use serde_json::json;
///
/// let reply = Reply::from(json!({"TableNames": []}));
/// assert_eq!(reply.as_bytes(), br#"{"TableNames":[]}"#);
/// assert_eq!(reply.json(), json!({"TableNames": []}));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply(Vec<u8>);

impl Reply {
    /// Bytes that are already one JSON object (the item operations write their answers so).
    pub(crate) fn from_bytes(bytes: Vec<u8>) -> Self {
        Reply(bytes)
    }

    /// The JSON text.
    ///
    /// See [`Reply`] for an example.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The JSON text, owned.
    ///
    /// ```
    /// let reply = notes_local::protocol::Reply::from(serde_json::json!({}));
    /// assert_eq!(reply.into_bytes(), b"{}");
    /// ```
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// The answer read back as a JSON value (for tests and tools: the server sends the bytes).
    ///
    /// See [`Reply`] for an example.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.0).unwrap_or(Value::Null)
    }
}

impl From<Value> for Reply {
    fn from(value: Value) -> Self {
        Reply(value.to_string().into_bytes())
    }
}
