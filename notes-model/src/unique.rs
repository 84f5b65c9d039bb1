//! Unique non-key attributes: `#[unique]` on a field keeps one *guard item* per value in the
//! item's own table, written in the same transaction as the item, so that no two items hold
//! the same value.
//!
//! # The guard item
//!
//! | attribute | value |
//! | --- | --- |
//! | the table's partition key | `_unique#<scope>#<attribute>#<value>` (a string) |
//! | the table's sort key, if it has one | `_unique` |
//! | `_unique_owner` | the owner's key, as a map of its key attributes (`{userId: "u1"}`) |
//!
//! - `<scope>` is the entity's name for an entity of a shared table (`#[item(entity = "user")]`),
//!   and empty for any other item type (the table is its own).
//! - `<attribute>` is the attribute's stored name (`email`). In the scope and the attribute, `\`
//!   is written `\\` and `#` is written `\#`, so that the value starts after the third
//!   unescaped `#`.
//! - `<value>` is the value's type and its text: `S:` and the string as it is (no case folding,
//!   no Unicode normalisation: DynamoDB compares strings byte for byte), `N:` and the number in
//!   the canonical form DynamoDB answers with (`1`, `1.0` and `10E-1` are all `N:1`), `B:` and
//!   the bytes in base64. An empty string is a value (`S:`); an absent or `NULL` attribute has
//!   no guard.
//!
//! A guard carries nothing else: no entity attribute (so an entity's queries and scans never
//! read it) and none of the item's index attributes (so it is in no index whose key it lacks).
//! An item type with unique attributes that is not an entity reads its table with the filter
//! `attribute_not_exists(_unique_owner)` ([`not_a_guard`]), so its scans skip the guards.
//!
//! The guard's key must be a string: an item type whose table keys are numbers or bytes cannot
//! have `#[unique]` attributes (a compile error, [`GuardKey`]); and its partition key is at
//! most 2048 bytes (DynamoDB's limit), so a value too long for it is refused before anything
//! is sent.
//!
//! ```
//! use notes_model::unique;
//! use notes_repo::Item;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Item)]
//! #[item(table = "users")]
//! struct User {
//!     #[partition_key]
//!     id: String,
//!     #[unique]
//!     email: String,
//! }
//!
//! assert_eq!(User::UNIQUE_ATTRIBUTES, ["email"]);
//! assert_eq!(unique::OWNER_ATTRIBUTE, "_unique_owner");
//! ```

use crate::expr::{Condition, Path};
use crate::key::KeySchema;
use crate::template::Entity;

/// The literal every guard's partition key starts with, before its first `#`. A key of an
/// item type with unique attributes may not start with `_unique#` (it is refused before
/// sending), so that no item can take a guard's place.
pub const PREFIX: &str = "_unique";

/// The value of a guard's sort key, for a table that has one.
pub const SORT_KEY: &str = "_unique";

/// The attribute of a guard that holds its owner's key (a map of the owner's key attributes).
pub const OWNER_ATTRIBUTE: &str = "_unique_owner";

/// The `#[unique]` attributes of one item type and the scope their guards are keyed under
/// ([`Item::unique_attributes_of`](crate::Item::unique_attributes_of)).
///
/// ```
/// use notes_model::unique::UniqueAttributes;
///
/// let none = UniqueAttributes::NONE;
/// assert!(none.attributes.is_empty());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UniqueAttributes {
    /// The entity's name for an entity of a shared table, `""` otherwise.
    pub scope: &'static str,
    /// The attributes, by their stored names.
    pub attributes: &'static [&'static str],
}

impl UniqueAttributes {
    /// No unique attributes.
    pub const NONE: UniqueAttributes = UniqueAttributes {
        scope: "",
        attributes: &[],
    };

    /// `attributes` of an item type whose entity is `entity` (`None`: not an entity).
    ///
    /// ```
    /// use notes_model::{Entity, unique::UniqueAttributes};
    ///
    /// let user = UniqueAttributes::new(Some(Entity::new("user", "_et")), &["email"]);
    /// assert_eq!(user.scope, "user");
    /// ```
    pub const fn new(entity: Option<Entity>, attributes: &'static [&'static str]) -> Self {
        let scope = match entity {
            Some(entity) => entity.name,
            None => "",
        };
        UniqueAttributes { scope, attributes }
    }
}

/// The filter that keeps guard items out of the reads of an item type with unique attributes
/// that is not an entity: `attribute_not_exists(_unique_owner)`.
///
/// ```
/// use notes_model::expr::{Condition, Path};
///
/// let filter = notes_model::unique::not_a_guard();
/// assert_eq!(filter, Condition::NotExists(Path::attribute("_unique_owner")));
/// ```
pub fn not_a_guard() -> Condition {
    Condition::NotExists(Path::attribute(OWNER_ATTRIBUTE))
}

/// Whether the key schema can key guard items: its attributes are strings.
///
/// ```
/// use notes_model::{Item, Note, unique};
///
/// assert!(unique::admits_guards(&Note::KEY_SCHEMA));
/// ```
pub fn admits_guards(schema: &KeySchema) -> bool {
    schema
        .attributes()
        .all(|attribute| attribute.scalar_type == crate::ScalarType::S)
}

/// A field type that can be `#[unique]`: a string, a number or bytes (`Vec<u8>` with
/// `serde_bytes`), `uuid::Uuid`, or an `Option` of one (`None` has no guard).
///
/// ```
/// fn unique<V: notes_model::unique::UniqueValue>() {}
/// unique::<String>();
/// unique::<Option<u64>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be #[unique]",
    label = "a #[unique] attribute is a string, a number or bytes",
    note = "#[unique] takes String, an integer or float type, Vec<u8> (with serde_bytes), uuid::Uuid, or an Option of one"
)]
pub trait UniqueValue {}
macro_rules! unique_values {
    ($($t:ty),*) => {$( impl UniqueValue for $t {} impl UniqueValue for Option<$t> {} )*};
}
unique_values!(
    String, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64
);
// Bytes apart, so that the compiler's hint for another `Vec` points at this line.
impl UniqueValue for Vec<u8> {}
impl UniqueValue for Option<Vec<u8>> {}
#[cfg(feature = "uuid")]
unique_values!(uuid::Uuid);

/// A table key type that can key guard items: a string. The derive requires it of the keys of
/// an item type with `#[unique]` attributes.
///
/// ```
/// fn keys<K: notes_model::unique::GuardKey>() {}
/// keys::<String>();
/// keys::<notes_model::NoSortKey>();
/// ```
#[diagnostic::on_unimplemented(
    message = "the guards of #[unique] attributes cannot be stored under a `{Self}` key",
    label = "this table key is not a string",
    note = "a guard item is keyed by a string (`_unique#<scope>#<attribute>#<value>`) in the item's own table: #[unique] needs a table whose partition key (and sort key, if any) is a String"
)]
pub trait GuardKey {}
impl GuardKey for String {}
impl GuardKey for crate::NoSortKey {}
#[cfg(feature = "uuid")]
impl GuardKey for uuid::Uuid {}
