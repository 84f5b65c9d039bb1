//! What is wrong with an encryption configuration or a key: [`ConfigError`].

use std::path::PathBuf;

use notes_model::encryption::CryptoAction;

/// What is wrong with an encryption configuration or a key, found before anything is sent.
///
/// ```
/// use notes_encryption::ConfigError;
///
/// let err = ConfigError::WrongKeyLength { origin: "the environment variable `NOTES_KEY`".into(), length: 16 };
/// assert_eq!(
///     err.to_string(),
///     "the AES key in the environment variable `NOTES_KEY` holds 16 bytes; an AES-256 key is 32 bytes (44 characters of base64)"
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The environment variable that should hold the key is not set.
    #[error("the environment variable `{variable}` is not set (an AES-256 key as base64)")]
    MissingVariable {
        /// The variable.
        variable: String,
    },
    /// The key's text is not base64.
    #[error(
        "the AES key in {origin} is not base64 (the base64 of 32 bytes, e.g. from `openssl rand -base64 32`)"
    )]
    NotBase64 {
        /// Where the key came from: `the environment variable `NOTES_KEY``, `the file `key.b64``.
        origin: String,
        /// The decoder's error (none for text that is not even UTF-8).
        #[source]
        source: Option<base64::DecodeError>,
    },
    /// The key is not 32 bytes long.
    #[error(
        "the AES key in {origin} holds {length} bytes; an AES-256 key is 32 bytes (44 characters of base64)"
    )]
    WrongKeyLength {
        /// Where the key came from.
        origin: String,
        /// How many bytes it holds.
        length: usize,
    },
    /// The key file cannot be read.
    #[error("cannot read the AES key file `{}`: {source}", path.display())]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The Material Providers Library refused to make the keyring.
    #[error("cannot make the keyring: {message}")]
    Keyring {
        /// The library's wording.
        message: String,
    },
    /// An item type registered for encryption declares no encryption schema (a hand-written
    /// `Item` impl: its `ENCRYPTION` is `EncryptionSchema::UNDECLARED`).
    #[error(
        "`{item}` declares no encryption schema (Item::ENCRYPTION is UNDECLARED), so table `{table}` cannot be encrypted with it: derive Item, or register the table's schema with `table(..)`"
    )]
    Undeclared {
        /// The table.
        table: String,
        /// The item type.
        item: String,
    },
    /// Two item types of one table give one attribute different actions.
    #[error("attribute `{attribute}` of table `{table}` is {} for {} but {} for {}", .first.1, .first.0, .second.1, .second.0)]
    ConflictingActions {
        /// The table.
        table: String,
        /// The attribute, by its stored name.
        attribute: String,
        /// The first item type (or schema) and its action.
        first: (String, CryptoAction),
        /// The second one and its action.
        second: (String, CryptoAction),
    },
    /// Two item types of one table declare different key schemas or unsigned prefixes.
    #[error("the item types of table `{table}` disagree: {reason}")]
    TableMismatch {
        /// The table.
        table: String,
        /// What differs.
        reason: String,
    },
    /// The Database Encryption SDK refused the table's configuration (e.g. a key attribute
    /// that is encrypted, or a `SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT` attribute while the
    /// keys are only `SIGN_ONLY`).
    #[error("the Database Encryption SDK refused the configuration of table `{table}`: {message}")]
    ItemEncryptor {
        /// The table.
        table: String,
        /// Its wording.
        message: String,
    },
    /// The table's item types ask for what encryption cannot give them together (e.g.
    /// `#[unique]` guard items on a table with `#[encryption_context]` attributes).
    #[error("table `{table}` cannot be encrypted as declared: {reason}")]
    Unsupported {
        /// The table.
        table: String,
        /// Why.
        reason: String,
    },
    /// The hierarchical keyring's key store refused an operation: KMS or DynamoDB said no, or
    /// the table is not a key store's.
    #[error("the key store `{table}` could not {operation}: {message}")]
    KeyStore {
        /// The key store's DynamoDB table.
        table: String,
        /// What it was asked: `be configured`, `create its table`, `create a branch key`.
        operation: &'static str,
        /// The key store's wording.
        message: String,
    },
}

impl ConfigError {
    pub(crate) fn keyring(message: String) -> Self {
        ConfigError::Keyring { message }
    }
}
