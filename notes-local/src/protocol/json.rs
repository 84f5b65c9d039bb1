//! The request body as JSON: parsed once, then read into each operation's typed shape.
//!
//! A body that is not JSON, or whose fields have the wrong JSON types, is what DynamoDB calls
//! a `SerializationException`, worded as DynamoDB's Java front end words it ([`jackson`]); a
//! well-formed body with values DynamoDB refuses is a `ValidationException`, raised by the
//! operation.

pub mod jackson;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_path_to_error::Segment;

use crate::errors::ErrorAnswer;
use jackson::{ATTRIBUTE_VALUE, Wanted};

/// The body as JSON; an empty body is `{}` (as the SDKs send for operations without input).
///
/// A body nested deeper than the JSON reader follows (128 levels: an attribute value about
/// 60 levels deep) is answered as DynamoDB answers it, which reads it: its nesting
/// `ValidationException`, or, past the depth where DynamoDB's own parser gives up (about
/// 2,000 attribute levels), a `SerializationException` without a message.
///
/// ```
/// use notes_local::protocol::json::parse_body;
///
/// let deep = |levels: usize| {
///     let (open, close) = (r#"{"L": ["#.repeat(levels), "]}".repeat(levels));
///     format!(r#"{{"Item": {{"doc": {open}{{"S": "x"}}{close}}}}}"#)
/// };
/// assert!(parse_body(deep(10).as_bytes()).is_ok());
/// let refused = parse_body(deep(100).as_bytes()).unwrap_err();
/// assert_eq!(refused.name, "ValidationException");
/// assert_eq!(parse_body(deep(3_000).as_bytes()).unwrap_err().name, "SerializationException");
/// ```
pub fn parse_body(body: &[u8]) -> Result<Value, ErrorAnswer> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(serde_json::Map::new()));
    }
    let value: Value = serde_json::from_slice(body).map_err(|err| {
        if too_deep(&err) {
            deep_body(body)
        } else {
            serialization(err.to_string())
        }
    })?;
    if !value.is_object() {
        return Err(serialization(
            "Start of structure or map expected".to_owned(),
        ));
    }
    Ok(value)
}

/// Whether serde_json gave up on a body for its depth rather than its syntax.
pub fn too_deep(err: &serde_json::Error) -> bool {
    err.to_string().starts_with("recursion limit exceeded")
}

/// JSON levels past which DynamoDB's parser gives up on a body: an attribute value takes two
/// JSON levels a level (`{"L": [`), and DynamoDB reads one about 2,000 levels deep.
const UNREADABLE_DEPTH: usize = 2 * 2_000;

/// DynamoDB's refusal of a value nested deeper than 32 levels, as it answers it for a body
/// nested deeper than the JSON reader follows.
const TOO_DEEP: &str = "Nesting Levels have exceeded supported limits: Attributes in the item \
                        have nested levels beyond supported limit";

/// The answer to a body serde_json refused for its depth: measured without recursion.
fn deep_body(body: &[u8]) -> ErrorAnswer {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0_usize, 0, false, false);
    for &byte in body {
        match byte {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'{' | b'[' if !in_string => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b'}' | b']' if !in_string => match depth.checked_sub(1) {
                Some(up) => depth = up,
                None => return serialization(String::new()),
            },
            _ => {}
        }
    }
    if depth != 0 || in_string || deepest > UNREADABLE_DEPTH {
        return serialization(String::new());
    }
    ErrorAnswer::validation(TOO_DEEP)
}

/// The answer to a body that is not the operation's shape.
pub fn serialization(message: String) -> ErrorAnswer {
    ErrorAnswer::coral(400, "SerializationException", message)
}

/// How many values of one body [`shape`] converts (booleans written as strings, integers as
/// decimals) before it gives up: far more than any request's booleans and integers.
const MAX_CONVERSIONS: usize = 64;

/// The body read into `T` (a `#[derive(Deserialize)]` shape with DynamoDB's field names).
///
/// A member of the wrong JSON type is DynamoDB's `SerializationException`, in its words; the
/// scalars DynamoDB converts are converted (`"true"` where a boolean belongs, `2.5` where an
/// integer does).
///
/// ```
/// use notes_local::protocol::json::shape;
/// use serde::Deserialize;
/// use serde_json::json;
///
/// #[derive(Deserialize)]
/// #[serde(rename_all = "PascalCase")]
/// struct Request {
///     table_name: Option<String>,
///     consistent_read: Option<bool>,
/// }
///
/// let read: Request = shape(&json!({"TableName": "notes", "ConsistentRead": "yes"})).unwrap();
/// assert_eq!(read.consistent_read, Some(true));
/// let err = shape::<Request>(&json!({"TableName": 5})).err().unwrap();
/// assert_eq!(
///     (err.name, err.message.as_str()),
///     ("SerializationException", "NUMBER_VALUE cannot be converted to String")
/// );
/// ```
pub fn shape<T: DeserializeOwned>(body: &Value) -> Result<T, ErrorAnswer> {
    // The body with the values converted so far, cloned at the first conversion.
    let mut converted: Option<Value> = None;
    for _ in 0..=MAX_CONVERSIONS {
        let current = converted.as_ref().unwrap_or(body);
        let err = match serde_path_to_error::deserialize::<_, T>(current) {
            Ok(read) => return Ok(read),
            Err(err) => err,
        };
        let segments: Vec<&Segment> = err.path().iter().collect();
        let at = value_at(current, &segments);
        let wanted = wanted(&err.inner().to_string(), &segments);
        let (Some(at), Some(wanted)) = (at, wanted) else {
            return Err(serialization(err.inner().to_string()));
        };
        let replacement = jackson::converted(wanted, at);
        let message = jackson::message(wanted, at).unwrap_or_else(|| err.inner().to_string());
        if let Some(value) = replacement {
            let body = converted.get_or_insert_with(|| body.clone());
            if let Some(slot) = value_at_mut(body, &segments) {
                *slot = value;
                continue;
            }
        }
        return Err(serialization(message));
    }
    Err(serialization(format!(
        "more than {MAX_CONVERSIONS} values of the wrong JSON type"
    )))
}

/// The members DynamoDB models as `Long` (the other integers are `Integer`).
const LONG_MEMBERS: [&str; 6] = [
    "ReadCapacityUnits",
    "WriteCapacityUnits",
    "MaxReadRequestUnits",
    "MaxWriteRequestUnits",
    "ReadUnitsPerSecond",
    "WriteUnitsPerSecond",
];

/// The members that are maps, and the Java type of their values where it does not depend on
/// the operation (`RequestItems` holds `KeysAndAttributes` in `BatchGetItem`, lists of
/// `WriteRequest` in `BatchWriteItem`: those operations word it themselves).
const MAP_MEMBERS: [(&str, Option<&str>); 11] = [
    ("ExpressionAttributeNames", Some("java.lang.String")),
    ("ExpressionAttributeValues", Some(ATTRIBUTE_VALUE)),
    ("Item", Some(ATTRIBUTE_VALUE)),
    ("Key", Some(ATTRIBUTE_VALUE)),
    ("ExclusiveStartKey", Some(ATTRIBUTE_VALUE)),
    (
        "Expected",
        Some("com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue"),
    ),
    (
        "AttributeUpdates",
        Some("com.amazonaws.dynamodb.v20120810.AttributeValueUpdate"),
    ),
    ("KeyConditions", Some(CONDITION)),
    ("QueryFilter", Some(CONDITION)),
    ("ScanFilter", Some(CONDITION)),
    ("RequestItems", None),
];

const CONDITION: &str = "com.amazonaws.dynamodb.v20120810.Condition";

/// What the shape wanted at `segments`, from serde's "invalid type: ..., expected <what>".
fn wanted(serde_message: &str, segments: &[&Segment]) -> Option<Wanted> {
    let expected = serde_message
        .strip_prefix("invalid type: ")?
        .split_once(", expected ")?
        .1;
    let member = segments.iter().rev().find_map(|segment| match segment {
        Segment::Map { key } => Some(key.as_str()),
        _ => None,
    });
    Some(match expected {
        "a string" => Wanted::String,
        "i64" | "i32" | "i16" | "u64" | "u32" | "u16" | "usize" => {
            if member.is_some_and(|member| LONG_MEMBERS.contains(&member)) {
                Wanted::Integer("Long")
            } else {
                Wanted::Integer("Integer")
            }
        }
        "a boolean" => Wanted::Boolean,
        "a sequence" if element_or_field(segments) == Wanted::Value => Wanted::ParameterizedList,
        "a sequence" => Wanted::List,
        "a map" => Wanted::Map(
            MAP_MEMBERS
                .iter()
                .find(|(name, _)| Some(*name) == member)
                .and_then(|(_, of)| *of),
        ),
        structure if structure.starts_with("struct ") => element_or_field(segments),
        _ => return None,
    })
}

/// A structure (or a list) at `segments` is an element when it sits in a list or in a map
/// member's values, a field when it is another structure's member.
fn element_or_field(segments: &[&Segment]) -> Wanted {
    match segments {
        [.., Segment::Seq { .. }] => Wanted::Value,
        [.., Segment::Map { key }, Segment::Map { .. }]
            if MAP_MEMBERS.iter().any(|(name, _)| name == key) =>
        {
            Wanted::Value
        }
        _ => Wanted::Field,
    }
}

/// The value of `body` at `segments`.
fn value_at<'v>(body: &'v Value, segments: &[&Segment]) -> Option<&'v Value> {
    segments
        .iter()
        .try_fold(body, |value, segment| match segment {
            Segment::Map { key } => value.get(key.as_str()),
            Segment::Seq { index } => value.get(*index),
            _ => None,
        })
}

/// The value of `body` at `segments`, to replace.
fn value_at_mut<'v>(body: &'v mut Value, segments: &[&Segment]) -> Option<&'v mut Value> {
    segments
        .iter()
        .try_fold(body, |value, segment| match segment {
            Segment::Map { key } => value.get_mut(key.as_str()),
            Segment::Seq { index } => value.get_mut(*index),
            _ => None,
        })
}

#[cfg(test)]
mod tests;
