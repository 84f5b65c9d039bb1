//! Client-side encryption declared on the type: what AWS's Database Encryption SDK does to each
//! attribute of an item ([`CryptoAction`]), as `#[derive(Item)]` reads it from the fields.
//!
//! | field attribute | action | stored as |
//! | --- | --- | --- |
//! | `#[encrypt]` | [`CryptoAction::EncryptAndSign`] | ciphertext (a binary), covered by the signature |
//! | none, or `#[sign_only]` | [`CryptoAction::SignOnly`] | plaintext, covered by the signature |
//! | `#[encryption_context]` | [`CryptoAction::SignAndIncludeInEncryptionContext`] | plaintext, signed and bound into the encryption context |
//! | `#[unsigned]` | [`CryptoAction::DoNothing`] | plaintext, neither encrypted nor signed |
//!
//! The table's keys are always signed and never encrypted: `SIGN_ONLY`, or
//! `SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT` when any attribute of the type is (the Database
//! Encryption SDK requires it). The derive refuses at compile time, naming the field and why:
//!
//! - `#[encrypt]` on what DynamoDB or the SDK reads in plaintext: a key, a key of an index
//!   (each attribute of a multi-attribute key), a component of a key template, the
//!   `#[version]` (compared in a condition), the `#[ttl]` (read by DynamoDB's time to live),
//!   a `#[unique]` attribute (its guard item's key holds the value);
//! - `#[unsigned]` on what the item's integrity rests on: the same, but the `#[ttl]` (which may
//!   be unsigned, so that an update can extend it);
//! - `#[encryption_context]` on an attribute some items lack (an `Option`, or
//!   `#[serde(skip_serializing_if)]`): the Database Encryption SDK refuses such an item;
//! - any of them on a field serde never stores (`#[serde(skip)]`) or flattens;
//! - with `#[item(unsigned_prefix = "..")]`, an attribute named with the prefix that is not
//!   `#[unsigned]` (a field, one the derive computes, or `_unique_owner` of `#[unique]`
//!   guards), and an empty prefix;
//! - on a type with any of these attributes: a stored name starting `aws_dbe_` (the Database
//!   Encryption SDK's own), a `#[serde(flatten)]` field without an unsigned prefix (its
//!   attributes could have no action), and `#[encryption_context]` beside `#[unique]` (a
//!   guard item could not hold it).
//!
//! Conditions, filters and key conditions on an `#[encrypt]` attribute do not compile either
//! (`Note::CONTENT.eq(..)`: DynamoDB sees only ciphertext); `exists`, `not_exists` and updates
//! do, and the encryption layer refuses an update of an encrypted attribute at run time.
//!
//! The attributes the derive computes are signed: an entity's template keys (with the table's
//! keys), its entity attribute and its templated indexes' keys (`SIGN_ONLY`: a sparse index
//! key is absent from some items). The attributes of a `#[serde(flatten)]` field are its
//! value's own, unknown to the derive, so they are not listed: with an unsigned prefix, their
//! names must start with it, or the encryptor refuses the item.
//! `#[derive(Collection)]` declares no schema of its own
//! ([`EncryptionSchema::UNDECLARED`]): each member type has its own and is registered with
//! the encryption layer on its own.
//!
//! The schema only describes; the encryption itself is the `notes-encryption` layer's
//! (`notes_repo::encryption`), which hands these actions to the Database Encryption SDK's
//! item encryptor.
//!
//! ```
//! use notes_model::encryption::CryptoAction;
//! use notes_model::Item;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize, Item)]
//! #[item(table = "notes")]
//! #[serde(rename_all = "camelCase")]
//! struct Note {
//!     #[partition_key]
//!     user_id: String,
//!     #[sort_key]
//!     note_id: String,
//!     #[encrypt]
//!     content: String,
//!     created_at: i64,
//! }
//!
//! let schema = Note::ENCRYPTION;
//! assert_eq!(schema.action("content"), Some(CryptoAction::EncryptAndSign));
//! assert_eq!(schema.action("userId"), Some(CryptoAction::SignOnly));
//! assert_eq!(schema.action("createdAt"), Some(CryptoAction::SignOnly));
//! assert_eq!(schema.encrypted().collect::<Vec<_>>(), ["content"]);
//! ```

use std::fmt;

/// What the Database Encryption SDK does to one attribute, named as the SDK names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CryptoAction {
    /// `ENCRYPT_AND_SIGN`: stored as ciphertext, covered by the item's signature.
    EncryptAndSign,
    /// `SIGN_ONLY`: stored as plaintext, covered by the item's signature.
    SignOnly,
    /// `SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT`: stored as plaintext, signed, and bound into
    /// the encryption context (so the data key is tied to its value).
    SignAndIncludeInEncryptionContext,
    /// `DO_NOTHING`: stored as plaintext, neither encrypted nor signed; it may change without
    /// touching the signature (an `UpdateItem` may write it).
    DoNothing,
}

impl CryptoAction {
    /// The action's name in the Database Encryption SDK (`ENCRYPT_AND_SIGN`, ...).
    ///
    /// ```
    /// use notes_model::encryption::CryptoAction;
    ///
    /// assert_eq!(CryptoAction::SignOnly.as_str(), "SIGN_ONLY");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            CryptoAction::EncryptAndSign => "ENCRYPT_AND_SIGN",
            CryptoAction::SignOnly => "SIGN_ONLY",
            CryptoAction::SignAndIncludeInEncryptionContext => {
                "SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT"
            }
            CryptoAction::DoNothing => "DO_NOTHING",
        }
    }

    /// Whether the attribute is covered by the item's signature (every action but
    /// `DO_NOTHING`).
    ///
    /// ```
    /// use notes_model::encryption::CryptoAction;
    ///
    /// assert!(CryptoAction::EncryptAndSign.is_signed());
    /// assert!(!CryptoAction::DoNothing.is_signed());
    /// ```
    pub const fn is_signed(self) -> bool {
        !matches!(self, CryptoAction::DoNothing)
    }

    /// Whether the attribute is stored as ciphertext (`ENCRYPT_AND_SIGN`).
    ///
    /// ```
    /// use notes_model::encryption::CryptoAction;
    ///
    /// assert!(CryptoAction::EncryptAndSign.is_encrypted());
    /// assert!(!CryptoAction::SignOnly.is_encrypted());
    /// ```
    pub const fn is_encrypted(self) -> bool {
        matches!(self, CryptoAction::EncryptAndSign)
    }
}

impl fmt::Display for CryptoAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The encryption schema of an item type ([`Item::ENCRYPTION`](crate::Item::ENCRYPTION)):
/// every attribute the type writes, by its stored name, with its [`CryptoAction`].
///
/// ```
/// use notes_model::encryption::{CryptoAction, EncryptionSchema};
///
/// const SCHEMA: EncryptionSchema = EncryptionSchema::new(&[
///     ("userId", CryptoAction::SignOnly),
///     ("secret", CryptoAction::EncryptAndSign),
/// ]);
/// assert_eq!(SCHEMA.action("secret"), Some(CryptoAction::EncryptAndSign));
/// assert_eq!(SCHEMA.action("other"), None);
/// assert!(SCHEMA.is_declared());
/// assert!(!EncryptionSchema::UNDECLARED.is_declared());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncryptionSchema {
    /// Every attribute the type writes, by its stored name, with its action.
    pub attributes: &'static [(&'static str, CryptoAction)],
    /// `#[item(unsigned_prefix = "..")]`: attributes whose names start with it are
    /// `DO_NOTHING` without being listed (the Database Encryption SDK's
    /// `allowedUnsignedAttributePrefix`). Every `#[unsigned]` field's name is also listed
    /// in [`attributes`](Self::attributes).
    pub unsigned_prefix: Option<&'static str>,
}

impl EncryptionSchema {
    /// The schema of a hand-written `Item` impl that declares none: it cannot be encrypted.
    pub const UNDECLARED: EncryptionSchema = EncryptionSchema {
        attributes: &[],
        unsigned_prefix: None,
    };

    /// A schema of these attributes, without an unsigned prefix.
    pub const fn new(attributes: &'static [(&'static str, CryptoAction)]) -> Self {
        EncryptionSchema {
            attributes,
            unsigned_prefix: None,
        }
    }

    /// The same schema with an unsigned-attribute prefix.
    ///
    /// ```
    /// use notes_model::encryption::{CryptoAction, EncryptionSchema};
    ///
    /// let schema = EncryptionSchema::new(&[("id", CryptoAction::SignOnly)]).unsigned_prefix(":");
    /// assert_eq!(schema.action(":hits"), Some(CryptoAction::DoNothing));
    /// ```
    pub const fn unsigned_prefix(self, prefix: &'static str) -> Self {
        EncryptionSchema {
            attributes: self.attributes,
            unsigned_prefix: Some(prefix),
        }
    }

    /// Whether the type declared its attributes (every derived `Item` does).
    pub const fn is_declared(&self) -> bool {
        !self.attributes.is_empty()
    }

    /// The action on `attribute` (a stored name): its listed one, `DO_NOTHING` for a name
    /// that starts with the unsigned prefix, `None` for an attribute the type does not write.
    pub fn action(&self, attribute: &str) -> Option<CryptoAction> {
        self.attributes
            .iter()
            .find(|(name, _)| *name == attribute)
            .map(|(_, action)| *action)
            .or_else(|| {
                self.unsigned_prefix
                    .filter(|prefix| attribute.starts_with(prefix))
                    .map(|_| CryptoAction::DoNothing)
            })
    }

    /// The attributes stored as ciphertext (`ENCRYPT_AND_SIGN`), in declaration order.
    pub fn encrypted(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.attributes
            .iter()
            .filter(|(_, action)| action.is_encrypted())
            .map(|(name, _)| *name)
    }

    /// The attributes covered by the signature, in declaration order.
    pub fn signed(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.attributes
            .iter()
            .filter(|(_, action)| action.is_signed())
            .map(|(name, _)| *name)
    }
}
