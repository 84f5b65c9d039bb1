//! Attribute values as DynamoDB's JSON spells them (`{"S": "hi"}`, `{"B": "<base64>"}`), read
//! with DynamoDB's own checks and messages, and written back.
//!
//! A JSON type the API does not take (a number where a string belongs) is the service
//! framework's `SerializationException`, worded as DynamoDB's Java front end words it; a well
//! typed value DynamoDB refuses (no type, two types, `{"NULL": false}`, an empty or repeated
//! set) is a `ValidationException`, whose message the caller may put in context
//! (`ExpressionAttributeValues contains invalid value: ... for key :v`). Numbers are checked by
//! the engine.

use std::collections::HashSet;

use notes_core::number::Number;
use notes_model::{AttributeValue, ItemMap};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::errors::ErrorAnswer;
use crate::protocol::constraints::enveloped;
use crate::protocol::json::jackson::{self, Wanted};
use crate::protocol::json::serialization;

/// A value the request should not have held.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum ValueError {
    /// The JSON is not the API's shape (`SerializationException`).
    Serialization(String),
    /// Not one attribute value: no type or several (`ValidationException`).
    Malformed(String),
    /// A value DynamoDB refuses: `{"NULL": false}`, an empty or repeated set
    /// (`ValidationException`, framed on `PutItem` and `UpdateItem`).
    Invalid(String),
}

impl ValueError {
    /// The answer, with a validation message put in `context`, and [`framed`] when `frame`
    /// and DynamoDB frames the value's refusal.
    pub(super) fn answer_in(
        self,
        frame: bool,
        context: impl FnOnce(String) -> String,
    ) -> ErrorAnswer {
        match self {
            ValueError::Serialization(message) => serialization(message),
            ValueError::Malformed(message) => ErrorAnswer::validation(context(message)),
            ValueError::Invalid(message) if frame => {
                ErrorAnswer::validation(enveloped(&context(message)))
            }
            ValueError::Invalid(message) => ErrorAnswer::validation(context(message)),
        }
    }

    /// The answer, the message as it is.
    pub(super) fn answer(self) -> ErrorAnswer {
        self.answer_in(false, |message| message)
    }

    /// The answer of `PutItem` and `UpdateItem`.
    pub(super) fn answer_framed(self) -> ErrorAnswer {
        self.answer_in(true, |message| message)
    }
}

const INVALID: &str = "One or more parameter values were invalid: ";

/// An item, a key or an `ExclusiveStartKey`: a JSON object of attribute values.
pub(super) fn item(value: &Value) -> Result<ItemMap, ValueError> {
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(name, value)| Ok((name.clone(), attribute(value)?)))
            .collect(),
        other => Err(wrong_type(
            Wanted::Map(Some(jackson::ATTRIBUTE_VALUE)),
            other,
        )),
    }
}

/// A map of named attribute values (`ExpressionAttributeValues`), each read on its own so a
/// refusal can name its key: `(key, error)`.
pub(super) fn named(
    values: &Map<String, Value>,
) -> Result<std::collections::HashMap<String, AttributeValue>, (String, ValueError)> {
    values
        .iter()
        .map(|(key, value)| match attribute(value) {
            Ok(value) => Ok((key.clone(), value)),
            Err(err) => Err((key.clone(), err)),
        })
        .collect()
}

/// One attribute value: exactly one of `S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`,
/// `BS` (members that are `null` or unknown do not count).
pub(super) fn attribute(value: &Value) -> Result<AttributeValue, ValueError> {
    let fields = match value {
        Value::Object(fields) => fields,
        Value::Array(_) => {
            return Err(ValueError::Serialization(jackson::collection(
                jackson::ATTRIBUTE_VALUE,
            )));
        }
        Value::Null => return Err(empty()),
        other => return Err(wrong_type(Wanted::Value, other)),
    };
    let mut read = Vec::with_capacity(1);
    for (tag, value) in fields {
        if value.is_null() {
            continue;
        }
        let value = match tag.as_str() {
            "S" => AttributeValue::S(string(value)?),
            "N" => AttributeValue::N(string(value)?),
            "B" => AttributeValue::B(blob(value)?),
            "BOOL" => AttributeValue::Bool(boolean(value)?),
            "NULL" => AttributeValue::Null(boolean(value)?),
            "M" => AttributeValue::M(item(value)?),
            "L" => AttributeValue::L(
                list(value)?
                    .iter()
                    .map(attribute)
                    .collect::<Result<_, _>>()?,
            ),
            "SS" => AttributeValue::Ss(list(value)?.iter().map(string).collect::<Result<_, _>>()?),
            "NS" => AttributeValue::Ns(list(value)?.iter().map(string).collect::<Result<_, _>>()?),
            "BS" => AttributeValue::Bs(list(value)?.iter().map(blob).collect::<Result<_, _>>()?),
            _ => continue,
        };
        read.push(value);
    }
    let value = match read.len() {
        0 => return Err(empty()),
        1 => read.remove(0),
        _ => {
            return Err(ValueError::Malformed(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly \
                 one of the supported datatypes"
                    .to_owned(),
            ));
        }
    };
    check(&value)?;
    Ok(value)
}

/// The JSON of an item (DynamoDB JSON, `B` in base64).
pub(super) fn to_json(item: &ItemMap) -> Value {
    // serde_dynamo's values serialize as DynamoDB JSON and cannot fail to.
    serde_json::to_value(item).unwrap_or(Value::Null)
}

/// The JSON of items.
pub(super) fn to_json_list(items: &[ItemMap]) -> Value {
    Value::Array(items.iter().map(to_json).collect())
}

/// DynamoDB's checks on a value of a known type: `NULL` is `true`, sets are neither empty nor
/// repeat an element.
fn check(value: &AttributeValue) -> Result<(), ValueError> {
    let invalid = |message: String| Err(ValueError::Invalid(format!("{INVALID}{message}")));
    match value {
        AttributeValue::Null(false) => {
            invalid("Null attribute value types must have the value of true".to_owned())
        }
        AttributeValue::Ss(set) if set.is_empty() => {
            invalid("An string set  may not be empty".to_owned())
        }
        AttributeValue::Ns(set) if set.is_empty() => {
            invalid("An number set  may not be empty".to_owned())
        }
        AttributeValue::Bs(set) if set.is_empty() => {
            invalid("Binary sets should not be empty".to_owned())
        }
        AttributeValue::Ss(set) if repeats(set.iter()) => invalid(format!(
            "Input collection [{}] contains duplicates.",
            set.join(", ")
        )),
        AttributeValue::Bs(set) if repeats(set.iter()) => {
            let shown: Vec<String> = set.iter().map(|b| base64_of(b)).collect();
            invalid(format!(
                "Input collection [{}]of type BS contains duplicates.",
                shown.join(", ")
            ))
        }
        AttributeValue::Ns(set) => {
            // Numbers that do not parse are the engine's to refuse, with their own message.
            let numbers: Option<Vec<Number>> = set.iter().map(|n| Number::parse(n).ok()).collect();
            match numbers {
                Some(numbers) if repeats(numbers.iter()) => Err(ValueError::Invalid(
                    "Input collection contains duplicates".to_owned(),
                )),
                _ => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

fn repeats<T: Eq + std::hash::Hash>(elements: impl Iterator<Item = T>) -> bool {
    let mut seen = HashSet::new();
    elements.into_iter().any(|element| !seen.insert(element))
}

fn empty() -> ValueError {
    ValueError::Malformed(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
            .to_owned(),
    )
}

/// The front end's refusal of `value` where `wanted` belongs.
fn wrong_type(wanted: Wanted, value: &Value) -> ValueError {
    ValueError::Serialization(jackson::message(wanted, value).unwrap_or_default())
}

fn string(value: &Value) -> Result<String, ValueError> {
    match value {
        Value::String(text) => Ok(text.clone()),
        other => Err(wrong_type(Wanted::String, other)),
    }
}

/// A boolean; like DynamoDB, the strings `true`/`1`/`yes` and `false`/`0`/`no` (any case) too.
fn boolean(value: &Value) -> Result<bool, ValueError> {
    match value {
        Value::Bool(b) => Ok(*b),
        other => match jackson::converted(Wanted::Boolean, other) {
            Some(Value::Bool(b)) => Ok(b),
            _ => Err(wrong_type(Wanted::Boolean, other)),
        },
    }
}

fn blob(value: &Value) -> Result<Vec<u8>, ValueError> {
    let text = match value {
        Value::String(text) => text,
        Value::Object(_) => {
            return Err(ValueError::Serialization(
                jackson::STRUCTURE_NOT_EXPECTED.to_owned(),
            ));
        }
        Value::Array(_) => {
            return Err(ValueError::Serialization(jackson::collection(
                "java.nio.ByteBuffer",
            )));
        }
        _ => {
            return Err(ValueError::Serialization(
                "only base-64-encoded strings are convertible to bytes".to_owned(),
            ));
        }
    };
    if text.len() % 4 != 0 {
        return Err(ValueError::Serialization(format!(
            "Base64 encoded length is expected a multiple of 4 bytes but found: {}",
            text.len()
        )));
    }
    // serde_dynamo decodes `B` (standard base64, padded), as it does for every item it reads.
    let decoded = AttributeValue::deserialize(serde_json::json!({ "B": text }));
    match decoded {
        Ok(AttributeValue::B(bytes)) => Ok(bytes),
        _ => Err(ValueError::Serialization(
            // DynamoDB's own spelling.
            "Invalid last non-pad Base64 character dectected".to_owned(),
        )),
    }
}

fn base64_of(bytes: &[u8]) -> String {
    match serde_json::to_value(AttributeValue::B(bytes.to_vec())) {
        Ok(Value::Object(mut fields)) => match fields.remove("B") {
            Some(Value::String(text)) => text,
            _ => String::new(),
        },
        _ => String::new(),
    }
}

fn list(value: &Value) -> Result<&Vec<Value>, ValueError> {
    match value {
        Value::Array(elements) => Ok(elements),
        other => Err(wrong_type(Wanted::List, other)),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn validation(value: Value) -> String {
        match attribute(&value) {
            Err(ValueError::Malformed(message) | ValueError::Invalid(message)) => message,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    fn serialization(value: Value) -> String {
        match attribute(&value) {
            Err(ValueError::Serialization(message)) => message,
            other => panic!("expected a serialization error, got {other:?}"),
        }
    }

    #[test]
    fn every_type_reads_and_writes_back_as_dynamodb_json() {
        let json = json!({
            "s": {"S": "héllo #:."}, "n": {"N": "-1.5E3"}, "b": {"B": "AAEC/w=="},
            "bool": {"BOOL": true}, "null": {"NULL": true},
            "m": {"M": {"k": {"S": ""}}}, "l": {"L": [{"N": "1"}, {"S": "x"}]},
            "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["AQ==", "Ag=="]},
        });
        let read = item(&json).unwrap();
        assert_eq!(read["b"], AttributeValue::B(vec![0, 1, 2, 255]));
        assert_eq!(read["s"], AttributeValue::S("héllo #:.".into()));
        assert_eq!(to_json(&read), json);
    }

    #[test]
    fn a_value_needs_exactly_one_type() {
        let empty = "Supplied AttributeValue is empty, must contain exactly one of the \
                     supported datatypes";
        assert_eq!(validation(json!({})), empty);
        assert_eq!(validation(json!({"S": null})), empty);
        assert_eq!(validation(json!({"X": "a"})), empty);
        assert_eq!(
            validation(json!({"S": "a", "N": "1"})),
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one \
             of the supported datatypes"
        );
    }

    #[test]
    fn null_must_be_true_and_sets_must_be_non_empty_and_distinct() {
        assert_eq!(
            validation(json!({"NULL": false})),
            "One or more parameter values were invalid: Null attribute value types must have \
             the value of true"
        );
        assert_eq!(
            validation(json!({"SS": []})),
            "One or more parameter values were invalid: An string set  may not be empty"
        );
        assert_eq!(
            validation(json!({"NS": []})),
            "One or more parameter values were invalid: An number set  may not be empty"
        );
        assert_eq!(
            validation(json!({"BS": []})),
            "One or more parameter values were invalid: Binary sets should not be empty"
        );
        assert_eq!(
            validation(json!({"SS": ["a", "a"]})),
            "One or more parameter values were invalid: Input collection [a, a] contains \
             duplicates."
        );
        assert_eq!(
            validation(json!({"NS": ["1", "1.0"]})),
            "Input collection contains duplicates"
        );
        assert_eq!(
            validation(json!({"BS": ["AQ==", "AQ=="]})),
            "One or more parameter values were invalid: Input collection [AQ==, AQ==]of type \
             BS contains duplicates."
        );
        assert_eq!(
            validation(json!({"M": {"deep": {"L": [{"NULL": false}]}}})),
            "One or more parameter values were invalid: Null attribute value types must have \
             the value of true"
        );
    }

    #[test]
    fn wrong_json_types_are_serialization_errors_in_dynamodbs_words() {
        assert_eq!(
            serialization(json!({"S": 1})),
            "NUMBER_VALUE cannot be converted to String"
        );
        assert_eq!(
            serialization(json!({"S": 1.5})),
            "DECIMAL_VALUE cannot be converted to String"
        );
        assert_eq!(
            serialization(json!({"N": true})),
            "TRUE_VALUE cannot be converted to String"
        );
        assert_eq!(
            serialization(json!({"S": {}})),
            "Start of structure or map found where not expected"
        );
        assert_eq!(
            serialization(json!({"BOOL": 1})),
            "NUMBER_VALUE cannot be converted to Boolean"
        );
        assert_eq!(
            serialization(json!({"B": "abc"})),
            "Base64 encoded length is expected a multiple of 4 bytes but found: 3"
        );
        assert_eq!(
            serialization(json!({"B": "ab!="})),
            "Invalid last non-pad Base64 character dectected"
        );
        assert_eq!(
            serialization(json!("a")),
            "Unexpected value type in payload"
        );
        assert_eq!(serialization(json!({"L": "a"})), "Unexpected field type");
        assert_eq!(
            attribute(&json!({"BOOL": "yes"})).unwrap(),
            AttributeValue::Bool(true)
        );
    }
}
