//! The item model of the notes DynamoDB SDK.
//!
//! Put `#[derive(Item)]` on a serde struct, mark its keys, and get a key schema checked by the
//! compiler, a typed key and typed attribute handles for conditions and updates. Apps depend
//! on `notes-repo`, which re-exports this crate's API and the derive:
//!
//! ```
//! use notes_repo::{Item, PrimaryKey, ScalarType};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Item)]
//! #[item(table = "notes")]
//! #[serde(rename_all = "camelCase")]
//! pub struct Note {
//!     #[partition_key]
//!     pub user_id: String,
//!     #[sort_key]
//!     pub note_id: String,
//!     pub content: String,
//! }
//!
//! assert_eq!(Note::KEY_SCHEMA.partition_key.name, "userId");
//! assert_eq!(Note::KEY_SCHEMA.sort_key.unwrap().scalar_type, ScalarType::S);
//!
//! let key = NoteKey::new("u1", "n1");           // the generated typed key
//! assert_eq!(key.to_key_map().len(), 2);
//! let _only_mine = Note::USER_ID.eq("u1");      // a typed condition
//! ```
//!
//! The notes app's own model is [`Note`].

#![cfg_attr(docsrs, feature(doc_cfg))]

extern crate self as notes_model;

mod attr;
pub mod collection;
mod const_str;
#[doc(hidden)]
pub mod convert;
pub mod encryption;
mod error;
pub mod expr;
mod index;
mod item;
mod key;
mod note;
mod query_key;
pub mod template;
pub mod unique;
mod value;

pub use attr::{Addable, Attribute, HasPrefix, MayBeAbsent, ValueFor};
#[doc(hidden)]
pub use attr::{AttributeAt, AttributeMarker, ConvertTo, IntoOption, IntoType, Unencrypted};
pub use collection::{TemplateIndex, TemplateKey};
pub use error::Error;
pub use index::{
    AdditionalKeys, Index, IndexKind, IndexProjection, IndexSchema, index_position, same_index_keys,
};
pub use item::{
    Item, PartitionKeyOf, PrimaryKey, SortKeyOf, Table, TableExpectation, TtlValue, VersionValue,
    from_item_map, to_attribute_value, to_item_map,
};
pub use key::{
    KeyAttribute, KeySchema, KeyValue, NoSortKey, PrefixKey, SortKeyValue, describe_key,
};
/// The bound that names the `uuid` feature when `Note::new` is called without it.
#[cfg(not(feature = "uuid"))]
#[doc(hidden)]
pub use note::UuidFeature;
pub use note::{Note, NoteKey};
pub use query_key::{
    EqualitiesGiven, IntoSortKeyConditions, KeyInput, PartitionValues, RangeGiven, SortKeyBuilder,
    SortKeyConditions, SortPrefix,
};
/// serde, for the code `#[derive(Collection)]` generates.
#[doc(hidden)]
pub use serde as __serde;
pub use template::{Entity, KeyComponent, KeyPrefix};
pub use value::{AttributeValue, ItemMap, ScalarType, SharedItem, type_descriptor};

/// Derives [`Item`] for a struct: key schema, typed key, attribute handles.
///
/// | attribute | on | meaning |
/// | --- | --- | --- |
/// | `#[partition_key]`, `#[sort_key]` | field | the table's key (String, a number type, or `Vec<u8>` with `serde_bytes`) |
/// | `#[item(table = "notes")]` | struct | the table name, for `Repo::new` |
/// | `#[item(global_index(name = "..", partition_key = "field", sort_key = "field"))]` | struct | a global secondary index (keys may be `Option<_>`: a sparse index) |
/// | `#[item(global_index(name = "..", partition_key = ["a", "b"], sort_key = ["c", "d"]))]` | struct | a global index whose key spans up to four fields on each side, queried with a generated partition type and sort-key builder |
/// | `#[item(local_index(name = "..", sort_key = "field"))]` | struct | a local secondary index |
/// | `#[item(serde)]` | struct | convert through the type's own `Serialize`/`Deserialize` impls (hand-written ones) |
/// | `#[item(crate = "::notes_model")]` | struct | the path by which the generated code names this crate; by default `::notes_repo::__model`, for apps that depend on `notes-repo` alone |
/// | `#[version]` | field | optimistic locking (an unsigned integer) |
/// | `#[ttl]` | field | expiry time in epoch seconds |
/// | `#[unique]` | field | no two items hold the same value: a guard item per value, written in the item's transaction ([`unique`]) |
/// | `#[encrypt]` | field | client-side encryption: stored as ciphertext and signed (`ENCRYPT_AND_SIGN`); never on a key, index key, template component, `#[version]`, `#[ttl]` or `#[unique]`; no conditions on it ([`encryption`]) |
/// | `#[sign_only]` | field | stored in plaintext, signed (`SIGN_ONLY`): what every field without an encryption attribute is |
/// | `#[encryption_context]` | field | signed and bound into the encryption context (`SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT`; the keys then are too); only on an attribute every item has |
/// | `#[unsigned]` | field | neither encrypted nor signed (`DO_NOTHING`); never on a key, index key, template component, `#[version]` or `#[unique]` |
/// | `#[item(unsigned_prefix = ":")]` | struct | attributes named with the prefix are unsigned; every field so named must be `#[unsigned]` |
///
/// Attribute names follow serde's `rename_all` and `rename`. The derive generates direct
/// conversion code for plain fields, producing exactly the maps serde and serde_dynamo would
/// (and the same errors); it assumes the serde impls come from `#[derive(Serialize,
/// Deserialize)]`. With hand-written impls, add `#[item(serde)]`.
///
/// See the crate documentation for an example.
pub use notes_derive::Item;

/// Derives [`Item`] for an enum of entity types that share a table and a partition key, read
/// by one query: see [`collection`].
pub use notes_derive::Collection;
