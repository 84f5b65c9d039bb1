//! Terse attribute values, the notes table's key schema and a validation error's message, for
//! the validation rules' unit tests.

use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};

use crate::error::{Error, Result};

/// A string value.
pub(super) fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

/// A number value, as written.
pub(super) fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.to_owned())
}

/// The notes table's key schema: `userId` (S), `noteId` (S).
pub(super) fn schema() -> KeySchema {
    KeySchema {
        partition_key: KeyAttribute::new("userId", ScalarType::S),
        sort_key: Some(KeyAttribute::new("noteId", ScalarType::S)),
    }
}

/// A note with its key and `extra`.
pub(super) fn note(extra: &[(&str, AttributeValue)]) -> ItemMap {
    let mut item = ItemMap::from([("userId".to_owned(), s("u")), ("noteId".to_owned(), s("n"))]);
    item.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
    item
}

/// The message of the validation error `result` must be.
pub(super) fn message<T: std::fmt::Debug>(result: Result<T>) -> String {
    match result {
        Err(Error::Validation {
            message,
            source: None,
        }) => message,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// A map nested `levels` deep (the top-level attribute's value is level 1).
pub(super) fn nested(levels: usize) -> AttributeValue {
    (1..levels).fold(s("leaf"), |inner, _| {
        AttributeValue::M(ItemMap::from([("m".to_owned(), inner)]))
    })
}
