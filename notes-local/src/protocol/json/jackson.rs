//! How DynamoDB's Java front end words a JSON value of the wrong type: the messages of its
//! `SerializationException` ("NUMBER_VALUE cannot be converted to String", "Unexpected field
//! type"), by what the API wanted and what the body held.
//!
//! The API's types, as the front end names them: `String`, the integers `Integer` and `Long`,
//! `Boolean`, lists, maps (named by their value type), and structures, which are either a
//! member of another structure ("field") or an element of a list or map ("value").

use serde_json::Value;

/// A JSON object where a scalar or a list was wanted.
pub const STRUCTURE_NOT_EXPECTED: &str = "Start of structure or map found where not expected";

/// A scalar where a list, a map or a structure member was wanted.
pub const UNEXPECTED_FIELD: &str = "Unexpected field type";

/// A scalar where an element of a list or map was wanted (a structure or attribute value).
pub const UNEXPECTED_VALUE: &str = "Unexpected value type in payload";

/// A string that is not a boolean where one was wanted.
pub const UNEXPECTED_TOKEN: &str = "Unexpected token received from parser";

/// A scalar where a list that is a map's value was wanted (`BatchWriteItem`'s requests of a
/// table): the front end's own failure, as DynamoDB answers it.
pub const PARAMETERIZED: &str = "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl \
     cannot be cast to class java.lang.Class \
     (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in \
     module java.base of loader 'bootstrap')";

/// The Java class of an attribute value.
pub const ATTRIBUTE_VALUE: &str = "com.amazonaws.dynamodb.v20120810.AttributeValue";

/// What the API wanted where the body held a value of another JSON type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wanted {
    /// A string.
    String,
    /// An integer the API models as `Integer` (`Limit`, `Segment`) or `Long` (capacity units):
    /// the name.
    Integer(&'static str),
    /// A boolean.
    Boolean,
    /// A list.
    List,
    /// A list that is the value of a map entry.
    ParameterizedList,
    /// A map whose values are the Java type given (`java.lang.String`, or one of the model's
    /// structures), when it is known.
    Map(Option<&'static str>),
    /// A structure that is a member of another structure.
    Field,
    /// A structure that is an element of a list or a map.
    Value,
}

/// Jackson's name for a JSON scalar: `TRUE_VALUE`, `FALSE_VALUE`, `NUMBER_VALUE` (an integer),
/// `DECIMAL_VALUE` or `STRING_VALUE`.
///
/// ```
/// use notes_local::protocol::json::jackson::scalar_name;
/// use serde_json::json;
///
/// assert_eq!(scalar_name(&json!(23)), "NUMBER_VALUE");
/// assert_eq!(scalar_name(&json!(34.56)), "DECIMAL_VALUE");
/// assert_eq!(scalar_name(&json!(false)), "FALSE_VALUE");
/// ```
pub fn scalar_name(value: &Value) -> &'static str {
    match value {
        Value::Bool(true) => "TRUE_VALUE",
        Value::Bool(false) => "FALSE_VALUE",
        Value::Number(n) if n.is_f64() => "DECIMAL_VALUE",
        Value::Number(_) => "NUMBER_VALUE",
        _ => "STRING_VALUE",
    }
}

/// The message for a scalar that is not the Java scalar type `java` (`String`, `Boolean`,
/// `Integer`, `Long`): "NUMBER_VALUE cannot be converted to String".
///
/// ```
/// use notes_local::protocol::json::jackson::not_convertible;
///
/// assert_eq!(
///     not_convertible(&serde_json::json!(true), "String"),
///     "TRUE_VALUE cannot be converted to String"
/// );
/// ```
pub fn not_convertible(value: &Value, java: &str) -> String {
    format!("{} cannot be converted to {java}", scalar_name(value))
}

/// The message for a JSON list where the Java class `class` was wanted: "Unrecognized
/// collection type class java.lang.String".
///
/// ```
/// use notes_local::protocol::json::jackson::collection;
///
/// assert_eq!(
///     collection("java.lang.Boolean"),
///     "Unrecognized collection type class java.lang.Boolean"
/// );
/// ```
pub fn collection(class: &str) -> String {
    format!("Unrecognized collection type class {class}")
}

/// DynamoDB's message for `value` where the API wanted `wanted`; `None` where DynamoDB would
/// take the value after all (a number where a string is wanted always fails; a list where a
/// map is wanted of an unknown value type has no known wording).
///
/// ```
/// use notes_local::protocol::json::jackson::{Wanted, message};
/// use serde_json::json;
///
/// assert_eq!(
///     message(Wanted::String, &json!(23)).as_deref(),
///     Some("NUMBER_VALUE cannot be converted to String")
/// );
/// assert_eq!(
///     message(Wanted::Map(Some("java.lang.String")), &json!([])).as_deref(),
///     Some("Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>")
/// );
/// assert_eq!(message(Wanted::List, &json!("a")).as_deref(), Some("Unexpected field type"));
/// ```
pub fn message(wanted: Wanted, value: &Value) -> Option<String> {
    let scalar = |java: &str| match value {
        Value::Object(_) => Some(STRUCTURE_NOT_EXPECTED.to_owned()),
        Value::Array(_) => Some(collection(&format!("java.lang.{java}"))),
        Value::Null => None,
        other => Some(not_convertible(other, java)),
    };
    match wanted {
        Wanted::String => match value {
            Value::String(_) => None,
            _ => scalar("String"),
        },
        Wanted::Integer(java) => match value {
            Value::Number(_) => None,
            _ => scalar(java),
        },
        Wanted::Boolean => match value {
            Value::Bool(_) => None,
            Value::String(_) => Some(UNEXPECTED_TOKEN.to_owned()),
            _ => scalar("Boolean"),
        },
        Wanted::List | Wanted::ParameterizedList => match value {
            Value::Array(_) | Value::Null => None,
            Value::Object(_) => Some(STRUCTURE_NOT_EXPECTED.to_owned()),
            _ if wanted == Wanted::List => Some(UNEXPECTED_FIELD.to_owned()),
            _ => Some(PARAMETERIZED.to_owned()),
        },
        Wanted::Map(of) => match value {
            Value::Object(_) | Value::Null => None,
            Value::Array(_) => of.map(|of| {
                format!("Unrecognized collection type java.util.Map<java.lang.String, {of}>")
            }),
            _ => Some(UNEXPECTED_FIELD.to_owned()),
        },
        Wanted::Field | Wanted::Value => match value {
            Value::Object(_) | Value::Array(_) | Value::Null => None,
            _ if wanted == Wanted::Field => Some(UNEXPECTED_FIELD.to_owned()),
            _ => Some(UNEXPECTED_VALUE.to_owned()),
        },
    }
}

/// The value DynamoDB reads a JSON scalar as, where it converts one: a boolean from the
/// strings `true`, `1`, `yes`, `false`, `0`, `no` (any case), an integer from a decimal
/// (rounded down).
///
/// ```
/// use notes_local::protocol::json::jackson::{Wanted, converted};
/// use serde_json::json;
///
/// assert_eq!(converted(Wanted::Boolean, &json!("Yes")), Some(json!(true)));
/// assert_eq!(converted(Wanted::Integer("Integer"), &json!(2.7)), Some(json!(2)));
/// assert_eq!(converted(Wanted::Boolean, &json!("maybe")), None);
/// ```
pub fn converted(wanted: Wanted, value: &Value) -> Option<Value> {
    match (wanted, value) {
        (Wanted::Boolean, Value::String(text)) => match text.to_ascii_uppercase().as_str() {
            "TRUE" | "1" | "YES" => Some(Value::Bool(true)),
            "FALSE" | "0" | "NO" => Some(Value::Bool(false)),
            _ => None,
        },
        (Wanted::Integer(_), Value::Number(number)) => number
            .as_f64()
            .map(f64::floor)
            .filter(|floor| floor.is_finite() && floor.abs() < 9.0e15)
            // In range: the cast is exact.
            .map(|floor| Value::from(floor as i64)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// dynalite's record of DynamoDB's answers, type by type.
    #[test]
    fn each_wanted_type_words_each_wrong_json_type_as_dynamodb_does() {
        let cases = [
            (
                Wanted::String,
                json!(true),
                "TRUE_VALUE cannot be converted to String",
            ),
            (
                Wanted::String,
                json!(false),
                "FALSE_VALUE cannot be converted to String",
            ),
            (
                Wanted::String,
                json!(23),
                "NUMBER_VALUE cannot be converted to String",
            ),
            (
                Wanted::String,
                json!(-2147483648_i64),
                "NUMBER_VALUE cannot be converted to String",
            ),
            (
                Wanted::String,
                json!(34.56),
                "DECIMAL_VALUE cannot be converted to String",
            ),
            (
                Wanted::String,
                json!([]),
                "Unrecognized collection type class java.lang.String",
            ),
            (Wanted::String, json!({}), STRUCTURE_NOT_EXPECTED),
            (
                Wanted::Integer("Integer"),
                json!("23"),
                "STRING_VALUE cannot be converted to Integer",
            ),
            (
                Wanted::Integer("Long"),
                json!(true),
                "TRUE_VALUE cannot be converted to Long",
            ),
            (
                Wanted::Integer("Long"),
                json!(false),
                "FALSE_VALUE cannot be converted to Long",
            ),
            (
                Wanted::Integer("Integer"),
                json!([]),
                "Unrecognized collection type class java.lang.Integer",
            ),
            (Wanted::Integer("Long"), json!({}), STRUCTURE_NOT_EXPECTED),
            (Wanted::Boolean, json!("23"), UNEXPECTED_TOKEN),
            (
                Wanted::Boolean,
                json!(23),
                "NUMBER_VALUE cannot be converted to Boolean",
            ),
            (
                Wanted::Boolean,
                json!(34.56),
                "DECIMAL_VALUE cannot be converted to Boolean",
            ),
            (
                Wanted::Boolean,
                json!([]),
                "Unrecognized collection type class java.lang.Boolean",
            ),
            (Wanted::Boolean, json!({}), STRUCTURE_NOT_EXPECTED),
            (Wanted::List, json!("23"), UNEXPECTED_FIELD),
            (Wanted::List, json!(true), UNEXPECTED_FIELD),
            (Wanted::List, json!(34.56), UNEXPECTED_FIELD),
            (Wanted::List, json!({}), STRUCTURE_NOT_EXPECTED),
            (Wanted::ParameterizedList, json!("23"), PARAMETERIZED),
            (Wanted::ParameterizedList, json!(34.56), PARAMETERIZED),
            (Wanted::ParameterizedList, json!({}), STRUCTURE_NOT_EXPECTED),
            (Wanted::Map(None), json!(23), UNEXPECTED_FIELD),
            (Wanted::Map(None), json!("23"), UNEXPECTED_FIELD),
            (
                Wanted::Map(Some(
                    "com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue",
                )),
                json!([]),
                "Unrecognized collection type java.util.Map<java.lang.String, \
                 com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue>",
            ),
            (Wanted::Field, json!(23), UNEXPECTED_FIELD),
            (Wanted::Value, json!("23"), UNEXPECTED_VALUE),
        ];
        for (wanted, value, expected) in cases {
            assert_eq!(
                message(wanted, &value).as_deref(),
                Some(expected),
                "{wanted:?} {value}"
            );
        }
    }

    #[test]
    fn values_of_the_wanted_type_and_nulls_have_no_message() {
        for (wanted, value) in [
            (Wanted::String, json!("a")),
            (Wanted::Integer("Integer"), json!(1)),
            (Wanted::Boolean, json!(false)),
            (Wanted::List, json!([])),
            (Wanted::Map(None), json!({})),
            (Wanted::Map(None), json!([])),
            (Wanted::Field, json!({})),
            (Wanted::String, Value::Null),
        ] {
            assert_eq!(message(wanted, &value), None, "{wanted:?} {value}");
        }
    }

    #[test]
    fn booleans_are_read_from_strings_and_integers_from_decimals() {
        for (text, read) in [
            ("TRUE", true),
            ("1", true),
            ("yes", true),
            ("false", false),
            ("0", false),
            ("No", false),
        ] {
            assert_eq!(converted(Wanted::Boolean, &json!(text)), Some(json!(read)));
        }
        assert_eq!(
            converted(Wanted::Integer("Integer"), &json!(-1.5)),
            Some(json!(-2))
        );
        assert_eq!(converted(Wanted::Integer("Integer"), &json!(1e300)), None);
        assert_eq!(converted(Wanted::String, &json!(1)), None);
    }
}
