//! The model's error type: conversion between Rust items and DynamoDB item maps.

use crate::value::ScalarType;

/// An item could not be converted to or from a DynamoDB item map.
///
/// Every variant names the attribute at fault, and reading errors name the item's key.
///
/// ```
/// use notes_model::{Item, ItemMap, Note};
///
/// let err = Note::from_item(ItemMap::new()).unwrap_err();
/// assert!(err.to_string().contains("userId"), "{err}");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value of the Rust type could not be written as a DynamoDB item.
    #[error("cannot write {type_name} as a DynamoDB item: attribute `{attribute}`: {source}")]
    Serialize {
        /// The Rust type being written.
        type_name: &'static str,
        /// The path of the attribute that failed (`.` for the item itself).
        attribute: String,
        /// serde_dynamo's error.
        #[source]
        source: serde_dynamo::Error,
    },
    /// A DynamoDB item could not be read as the Rust type.
    #[error("cannot read item {key} as {type_name}: attribute `{attribute}`: {source}")]
    Deserialize {
        /// The Rust type being read.
        type_name: &'static str,
        /// The path of the attribute that failed (`.` for the item itself).
        attribute: String,
        /// The item's key attributes, for finding it in the table.
        key: String,
        /// serde_dynamo's error.
        #[source]
        source: serde_dynamo::Error,
    },
    /// A key attribute is missing or has the wrong type.
    #[error("key attribute `{attribute}` must be of type {expected}, found {}", found.unwrap_or("nothing (attribute missing)"))]
    KeyAttribute {
        /// The key attribute's name.
        attribute: String,
        /// The type the key schema declares.
        expected: ScalarType,
        /// The DynamoDB type found, or `None` when the attribute is missing.
        found: Option<&'static str>,
    },
}
