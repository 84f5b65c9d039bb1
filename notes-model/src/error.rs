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
    /// An item of another entity type (or of none) was read as this one: its entity attribute
    /// names another entity. Reads through a typed `Repo` refuse it (`get`) or never see it
    /// (queries and scans filter by entity).
    #[error(
        "cannot read item {key} as {type_name}: it is a `{}` item, not a `{expected}` (attribute `{attribute}`)",
        found.as_deref().unwrap_or("<no entity>")
    )]
    Entity {
        /// The Rust type being read.
        type_name: &'static str,
        /// The entity attribute's name (`_et` by default).
        attribute: &'static str,
        /// The entity the type is.
        expected: &'static str,
        /// The entity the item is, or `None` when it has no entity attribute.
        found: Option<String>,
        /// The item's key attributes.
        key: String,
    },
    /// A stored key attribute is not what the item's own fields render with its template: the
    /// item was written by other code, or its fields were changed without its key.
    #[error(
        "cannot read item {key} as {type_name}: key attribute `{attribute}` is {}, but the item's fields render {expected:?} with the template {template:?}",
        found.as_deref().map_or_else(|| "missing".to_owned(), |found| format!("{found:?}"))
    )]
    KeyTemplate {
        /// The Rust type being read.
        type_name: &'static str,
        /// The computed key attribute (`pk`, `sk`, ...).
        attribute: &'static str,
        /// Its template.
        template: &'static str,
        /// What the item's fields render.
        expected: String,
        /// What is stored (`None`: missing).
        found: Option<String>,
        /// The item's key attributes.
        key: String,
    },
    /// A `String` key template component contains a separator next to it in its template (the
    /// last character of the text before it, or the first of the text after it): two keys
    /// could then render alike (`ORG#{org}#MEMBER#{user}` renders `acme#MEMBER` / `bob` and
    /// `acme` / `MEMBER#bob` both as `ORG#acme#MEMBER#MEMBER#bob`), and the key could not be
    /// read back. Refused before anything is sent: by `to_item`, and by the typed `Repo` for a
    /// key it is given.
    #[error(
        "key attribute `{attribute}` of {type_name}: field `{field}` contains {separator:?}, a separator next to it in the template {template:?}; a string key component cannot hold the separators around it, or two keys could render alike"
    )]
    KeyComponent {
        /// The item type.
        type_name: &'static str,
        /// The computed key attribute.
        attribute: &'static str,
        /// Its template.
        template: &'static str,
        /// The field at fault.
        field: &'static str,
        /// The separator it contains.
        separator: char,
    },
    /// An update sets some components of a computed index key but not all of them, so the
    /// index attribute cannot be computed (the primary key's components come from the key).
    #[error(
        "cannot update {type_name}: the update sets `{set}`, a component of `{attribute}` (template {template:?}) of index `{index}`, but not `{missing}`: set every component of the template in the same update, or put the whole item"
    )]
    IndexComponents {
        /// The Rust type being updated.
        type_name: &'static str,
        /// The index.
        index: &'static str,
        /// The computed index key attribute.
        attribute: &'static str,
        /// Its template.
        template: &'static str,
        /// The component the update sets.
        set: &'static str,
        /// The component it does not set.
        missing: &'static str,
    },
}
