//! Raw DynamoDB values: the attribute value type and the three key scalar types.

use std::collections::HashMap;
use std::fmt;

/// One DynamoDB attribute value (`S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`, `BS`).
///
/// This is `serde_dynamo`'s value type, so every backend and the serde conversion share it.
///
/// ```
/// use notes_model::AttributeValue;
///
/// let user = AttributeValue::S("u1".to_owned());
/// assert_eq!(user, AttributeValue::S("u1".into()));
/// ```
pub use serde_dynamo::AttributeValue;

/// A raw DynamoDB item: attribute names to values, as the AWS SDKs send and receive it.
///
/// ```
/// use notes_model::{AttributeValue, ItemMap};
///
/// let mut item = ItemMap::new();
/// item.insert("userId".to_owned(), AttributeValue::S("u1".to_owned()));
/// assert_eq!(item.len(), 1);
/// ```
pub type ItemMap = HashMap<String, AttributeValue>;

/// The scalar type of a key attribute, as DynamoDB names it in a key schema.
///
/// ```
/// use notes_model::ScalarType;
///
/// assert_eq!(ScalarType::S.to_string(), "S");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScalarType {
    /// A string, compared by its UTF-8 bytes.
    S,
    /// A number, compared numerically.
    N,
    /// Binary data, compared as unsigned bytes.
    B,
}

impl ScalarType {
    /// The type's name in DynamoDB's wire format: `"S"`, `"N"` or `"B"`.
    ///
    /// ```
    /// assert_eq!(notes_model::ScalarType::N.as_str(), "N");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ScalarType::S => "S",
            ScalarType::N => "N",
            ScalarType::B => "B",
        }
    }

    /// The scalar type of `value`, or `None` when it is not a scalar that can be a key.
    ///
    /// ```
    /// use notes_model::{AttributeValue, ScalarType};
    ///
    /// assert_eq!(ScalarType::of(&AttributeValue::N("1".into())), Some(ScalarType::N));
    /// assert_eq!(ScalarType::of(&AttributeValue::Bool(true)), None);
    /// ```
    pub fn of(value: &AttributeValue) -> Option<ScalarType> {
        match value {
            AttributeValue::S(_) => Some(ScalarType::S),
            AttributeValue::N(_) => Some(ScalarType::N),
            AttributeValue::B(_) => Some(ScalarType::B),
            _ => None,
        }
    }
}

impl fmt::Display for ScalarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The DynamoDB type descriptor of `value` (`"S"`, `"N"`, `"BOOL"`, `"M"`, ...).
///
/// ```
/// use notes_model::{type_descriptor, AttributeValue};
///
/// assert_eq!(type_descriptor(&AttributeValue::Bool(true)), "BOOL");
/// ```
pub fn type_descriptor(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "S",
        AttributeValue::N(_) => "N",
        AttributeValue::B(_) => "B",
        AttributeValue::Bool(_) => "BOOL",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::M(_) => "M",
        AttributeValue::L(_) => "L",
        AttributeValue::Ss(_) => "SS",
        AttributeValue::Ns(_) => "NS",
        AttributeValue::Bs(_) => "BS",
    }
}
