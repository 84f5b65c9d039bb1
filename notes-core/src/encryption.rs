//! What client-side encryption (the `notes-encryption` layer) reports: why an item failed to
//! decrypt ([`DecryptionFailure`]) and why a request was refused ([`EncryptionRefusal`]), as
//! [`Error::Decryption`](crate::Error::Decryption) and
//! [`Error::EncryptionRefused`](crate::Error::EncryptionRefused) carry them.

use std::fmt;

/// Why an item read from an encrypted table failed to decrypt or to verify.
///
/// ```
/// use notes_repo::DecryptionFailure;
///
/// assert_eq!(
///     DecryptionFailure::WrongKey.to_string(),
///     "could not be decrypted: no keyring could decrypt its data key (a wrong key?)"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DecryptionFailure {
    /// The item's signature does not match its attributes: an encrypted or signed attribute,
    /// or the signature itself, was changed after it was written (or it was written with
    /// other attribute actions).
    Tampered,
    /// No keyring could decrypt the item's data key: the item was encrypted under another key,
    /// or it was moved to another key, or its header changed (its data key is bound to the
    /// table, its key and its header, and a keyring cannot tell these apart).
    WrongKey,
    /// The item has no signature (`aws_dbe_head` or `aws_dbe_foot` is missing): it was
    /// written without encryption, or read through a projection or an index that drops them.
    MissingSignature,
    /// Any other failure; the error's message says which.
    Other,
}

impl fmt::Display for DecryptionFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DecryptionFailure::Tampered => {
                "failed to verify: its signature does not match its attributes (tampered with?)"
            }
            DecryptionFailure::WrongKey => {
                "could not be decrypted: no keyring could decrypt its data key (a wrong key?)"
            }
            DecryptionFailure::MissingSignature => {
                "has no signature (aws_dbe_head or aws_dbe_foot is missing: written unencrypted, \
                 or read through a projection or an index that drops them)"
            }
            DecryptionFailure::Other => "could not be decrypted",
        })
    }
}

/// What client-side encryption rules out, refused before anything is sent.
///
/// ```
/// use notes_repo::EncryptionRefusal;
///
/// assert_eq!(
///     EncryptionRefusal::UpdatesSigned.describe("content"),
///     "an update cannot write `content`: the item's signature covers it: write the whole \
///      item with put"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EncryptionRefusal {
    /// A condition, filter or key condition compares the value of an encrypted attribute:
    /// it is stored as ciphertext, so DynamoDB cannot compare it (`attribute_exists` and
    /// `attribute_not_exists` can test it).
    ComparesEncrypted,
    /// An `UpdateItem` (or a transaction's update) writes a signed attribute: the item's
    /// signature covers the whole item, so only a write of the whole item can change it.
    UpdatesSigned,
    /// An update of an unsigned attribute reads an encrypted one (`SET hits = content`):
    /// DynamoDB would copy its ciphertext.
    ReadsEncrypted,
}

impl EncryptionRefusal {
    /// The reason, naming `attribute`, as [`Error::EncryptionRefused`](crate::Error::EncryptionRefused)
    /// says it.
    ///
    /// ```
    /// use notes_repo::EncryptionRefusal;
    ///
    /// assert_eq!(
    ///     EncryptionRefusal::ComparesEncrypted.describe("content"),
    ///     "`content` is encrypted, so a condition, filter or key condition cannot compare its \
    ///      value (only attribute_exists and attribute_not_exists can test it)"
    /// );
    /// ```
    pub fn describe(self, attribute: &str) -> String {
        match self {
            EncryptionRefusal::ComparesEncrypted => format!(
                "`{attribute}` is encrypted, so a condition, filter or key condition cannot \
                 compare its value (only attribute_exists and attribute_not_exists can test it)"
            ),
            EncryptionRefusal::UpdatesSigned => format!(
                "an update cannot write `{attribute}`: the item's signature covers it: write the \
                 whole item with put"
            ),
            EncryptionRefusal::ReadsEncrypted => format!(
                "an update cannot read `{attribute}`: it is encrypted, and DynamoDB would copy \
                 its ciphertext"
            ),
        }
    }
}
