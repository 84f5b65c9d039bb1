//! The encryption configuration: which tables are encrypted, each attribute's action, the
//! keyring; built once, checked whole ([`Encryption::builder`]).

use std::collections::HashMap;
use std::sync::Arc;

use aws_db_esdk::material_providers::types::DbeAlgorithmSuiteId;
use notes_core::stream::ChangeRecord;
use notes_model::encryption::{CryptoAction, EncryptionSchema};
use notes_model::{Item, KeySchema, SharedItem, Table};

use crate::error::ConfigError;
use crate::keyring::Keyring;
use crate::table::{Merged, TableEncryption};

/// The encryption configuration of a backend: the encrypted tables, each with its
/// attributes' actions, its key schema and the keyring; tables not in it are not encrypted.
/// Cheap to clone (shared).
///
/// ```
/// use notes_encryption::{AesKey, Encryption, Keyring};
/// use notes_encryption::{CryptoAction, EncryptionSchema};
/// use notes_repo::{Item, Note};
///
/// const NOTE: EncryptionSchema = EncryptionSchema::new(&[
///     ("userId", CryptoAction::SignOnly),
///     ("noteId", CryptoAction::SignOnly),
///     ("content", CryptoAction::EncryptAndSign),
///     ("attachment", CryptoAction::EncryptAndSign),
///     ("createdAt", CryptoAction::SignOnly),
/// ]);
///
/// let keyring = Keyring::raw_aes("notes", "key-1", AesKey::new([7; 32]))?;
/// let encryption = Encryption::builder(keyring)
///     .table("notes", &Note::KEY_SCHEMA, NOTE)
///     .build()?;
/// assert_eq!(encryption.action("notes", "content"), Some(CryptoAction::EncryptAndSign));
/// assert_eq!(encryption.action("other", "content"), None); // not encrypted
/// # Ok::<(), notes_encryption::ConfigError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Encryption {
    tables: Arc<HashMap<String, TableEncryption>>,
}

impl Encryption {
    /// A configuration with `keyring` for every table registered on the builder.
    ///
    /// See [`Encryption`] for an example.
    pub fn builder(keyring: Keyring) -> EncryptionBuilder {
        EncryptionBuilder {
            keyring,
            algorithm_suite: None,
            sources: Vec::new(),
        }
    }

    /// The action on `attribute` of `table`: `None` when the table is not encrypted, or the
    /// attribute is not declared (the Database Encryption SDK refuses to write it).
    ///
    /// See [`Encryption`] for an example.
    pub fn action(&self, table: &str, attribute: &str) -> Option<CryptoAction> {
        self.table(table)?.action(attribute)
    }

    /// The encrypted tables, in no particular order.
    ///
    /// ```
    /// # use notes_encryption::{AesKey, Encryption, Keyring, CryptoAction, EncryptionSchema};
    /// # use notes_repo::{Item, Note};
    /// # let keyring = Keyring::raw_aes("notes", "key-1", AesKey::new([7; 32]))?;
    /// let schema = EncryptionSchema::new(&[("userId", CryptoAction::SignOnly), ("noteId", CryptoAction::SignOnly)]);
    /// let encryption = Encryption::builder(keyring).table("notes", &Note::KEY_SCHEMA, schema).build()?;
    /// assert_eq!(encryption.tables().collect::<Vec<_>>(), ["notes"]);
    /// # Ok::<(), notes_encryption::ConfigError>(())
    /// ```
    pub fn tables(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().map(String::as_str)
    }

    /// A stream record of `table` with its images verified and decrypted, ready for
    /// `StreamRecord::<T>::decode`: a table's stream (DynamoDB Streams, a Lambda event,
    /// `MemoryBackend::stream_records`) carries the items as stored, so encrypted. A record
    /// of a table this configuration does not encrypt comes back as it is; an image that
    /// fails to verify, or whose key is not the record's `Keys`, is
    /// [`Error::Decryption`](notes_core::Error::Decryption). A `KEYS_ONLY` record has no image
    /// to check its keys against: they are not signed.
    ///
    /// ```
    /// use notes_encryption::{AesKey, Encrypted, Encryption, Keyring};
    /// use notes_repo::request::CreateTable;
    /// use notes_repo::stream::{StreamRecord, StreamViewType};
    /// use notes_repo::{Backend, Item, MemoryBackend, Repo};
    ///
    /// #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, Item)]
    /// #[item(table = "secrets")]
    /// struct Secret { #[partition_key] id: String, #[encrypt] text: String }
    ///
    /// # #[tokio::main(flavor = "multi_thread", worker_threads = 2)]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let keyring = Keyring::raw_aes("secrets", "key-1", AesKey::new([7; 32]))?;
    /// let encryption = Encryption::builder(keyring).item::<Secret>().build()?;
    /// let memory = MemoryBackend::new();
    /// memory
    ///     .create_table(CreateTable::new("secrets", Secret::KEY_SCHEMA).stream_view_type(StreamViewType::NewAndOldImages))
    ///     .await?;
    /// let secrets: Repo<Secret, _> = Repo::new(Encrypted::new(memory.clone(), encryption.clone()));
    /// let secret = Secret { id: "s1".into(), text: "the door code".into() };
    /// secrets.put(&secret).await?;
    ///
    /// let raw = memory.stream_records("secrets", None)?.remove(0);
    /// assert!(StreamRecord::<Secret>::decode(raw.clone()).is_err()); // ciphertext
    /// let record = StreamRecord::<Secret>::decode(encryption.decrypt_record("secrets", raw.clone()).await?)?;
    /// assert_eq!(record.new, Some(secret));
    ///
    /// // The keys travel beside the signed image: a record whose keys were changed is refused.
    /// let mut moved = raw;
    /// moved.keys.insert("id".into(), notes_repo::AttributeValue::S("s2".into()));
    /// let err = encryption.decrypt_record("secrets", moved).await.unwrap_err();
    /// assert!(matches!(err, notes_repo::Error::Decryption { failure: notes_repo::DecryptionFailure::Tampered, .. }));
    /// # Ok(()) }
    /// ```
    pub async fn decrypt_record(
        &self,
        table: &str,
        mut record: ChangeRecord,
    ) -> notes_core::Result<ChangeRecord> {
        let Some(table) = self.table(table) else {
            return Ok(record);
        };
        for image in [&mut record.old_image, &mut record.new_image] {
            if let Some(item) = image.take() {
                let item = table.decrypt(SharedItem::from(item)).await?.into_owned();
                table.check_record_keys(&record.keys, &item)?;
                *image = Some(item);
            }
        }
        Ok(record)
    }

    pub(crate) fn table(&self, table: &str) -> Option<&TableEncryption> {
        self.tables.get(table)
    }
}

/// Builds an [`Encryption`]: registers item types (or schemas) by table, then checks them
/// all at [`build`](Self::build).
///
/// Several item types on one table (a shared table) encrypt with the union of their
/// actions; one attribute with two different actions is an error naming both.
///
/// ```
/// use notes_encryption::{AesKey, ConfigError, Encryption, Keyring};
/// use notes_encryption::{CryptoAction, EncryptionSchema};
/// use notes_repo::{Item, Note};
///
/// let keyring = Keyring::raw_aes("notes", "key-1", AesKey::new([7; 32]))?;
/// let err = Encryption::builder(keyring)
///     .table("notes", &Note::KEY_SCHEMA, EncryptionSchema::new(&[("content", CryptoAction::EncryptAndSign)]))
///     .table("notes", &Note::KEY_SCHEMA, EncryptionSchema::new(&[("content", CryptoAction::SignOnly)]))
///     .build()
///     .unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "attribute `content` of table `notes` is ENCRYPT_AND_SIGN for the schema given to \
///      `table(\"notes\")` but SIGN_ONLY for the schema given to `table(\"notes\")`"
/// );
/// # Ok::<(), ConfigError>(())
/// ```
#[derive(Debug)]
#[must_use = "an EncryptionBuilder does nothing until `build`"]
pub struct EncryptionBuilder {
    keyring: Keyring,
    algorithm_suite: Option<DbeAlgorithmSuiteId>,
    sources: Vec<Source>,
}

/// One registration: a schema for a table, and who declared it (for messages).
#[derive(Debug)]
struct Source {
    table: String,
    key_schema: KeySchema,
    schema: EncryptionSchema,
    origin: String,
    /// Whether the type keeps `#[unique]` guard items in the table.
    guards: bool,
}

impl EncryptionBuilder {
    /// Encrypts `T`'s table (`#[item(table = "..")]`) with `T::ENCRYPTION`.
    ///
    /// ```
    /// use notes_encryption::{AesKey, CryptoAction, Encryption, Keyring};
    /// # #[derive(serde::Serialize, serde::Deserialize, notes_repo::Item)]
    /// # #[item(table = "notes")]
    /// # struct Secret { #[partition_key] id: String, #[encrypt] text: String }
    /// let keyring = Keyring::raw_aes("notes", "key-1", AesKey::new([7; 32]))?;
    /// let encryption = Encryption::builder(keyring).item::<Secret>().build()?;
    /// assert_eq!(encryption.action("notes", "text"), Some(CryptoAction::EncryptAndSign));
    /// # Ok::<(), notes_encryption::ConfigError>(())
    /// ```
    pub fn item<T: Table>(self) -> Self {
        self.item_in::<T>(T::TABLE_NAME)
    }

    /// Encrypts `table` with `T::ENCRYPTION` (for an item type bound to no table, or stored
    /// in another one).
    ///
    /// ```
    /// use notes_encryption::{AesKey, CryptoAction, Encryption, Keyring};
    /// # #[derive(serde::Serialize, serde::Deserialize, notes_repo::Item)]
    /// # struct Secret { #[partition_key] id: String, #[encrypt] text: String }
    /// let keyring = Keyring::raw_aes("notes", "key-1", AesKey::new([7; 32]))?;
    /// let encryption = Encryption::builder(keyring).item_in::<Secret>("secrets-eu").build()?;
    /// assert_eq!(encryption.action("secrets-eu", "text"), Some(CryptoAction::EncryptAndSign));
    /// # Ok::<(), notes_encryption::ConfigError>(())
    /// ```
    pub fn item_in<T: Item>(mut self, table: impl Into<String>) -> Self {
        self.sources.push(Source {
            table: table.into(),
            key_schema: T::KEY_SCHEMA,
            schema: T::ENCRYPTION,
            origin: format!("`{}`", short_type_name::<T>()),
            guards: T::HAS_UNIQUE_ATTRIBUTES,
        });
        self
    }

    /// Encrypts `table`, whose keys are `key_schema`, with `schema` (a schema written by
    /// hand: each attribute by its stored name, with its action).
    ///
    /// See [`Encryption`] for an example.
    pub fn table(
        mut self,
        table: impl Into<String>,
        key_schema: &KeySchema,
        schema: EncryptionSchema,
    ) -> Self {
        let table = table.into();
        self.sources.push(Source {
            origin: format!("the schema given to `table({table:?})`"),
            table,
            key_schema: key_schema.clone(),
            guards: schema
                .action(notes_model::unique::OWNER_ATTRIBUTE)
                .is_some(),
            schema,
        });
        self
    }

    /// The algorithm suite items are encrypted with; by default the Database Encryption
    /// SDK's own (`ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384_SYMSIG_HMAC_SHA384`:
    /// AES-GCM with key commitment, an HMAC and an ECDSA signature).
    ///
    /// ```
    /// # use notes_encryption::{AesKey, Encryption, Keyring, CryptoAction, EncryptionSchema};
    /// use notes_encryption::aws_db_esdk::material_providers::types::DbeAlgorithmSuiteId;
    /// # use notes_repo::{Item, Note};
    /// # let keyring = Keyring::raw_aes("notes", "key-1", AesKey::new([7; 32]))?;
    /// # let schema = EncryptionSchema::new(&[("userId", CryptoAction::SignOnly), ("noteId", CryptoAction::SignOnly)]);
    /// let encryption = Encryption::builder(keyring)
    ///     .algorithm_suite(DbeAlgorithmSuiteId::AlgAes256GcmHkdfSha512CommitKeySymsigHmacSha384)
    ///     .table("notes", &Note::KEY_SCHEMA, schema)
    ///     .build()?;
    /// # Ok::<(), notes_encryption::ConfigError>(())
    /// ```
    pub fn algorithm_suite(mut self, suite: DbeAlgorithmSuiteId) -> Self {
        self.algorithm_suite = Some(suite);
        self
    }

    /// Checks every registration and makes each table's item encryptor.
    ///
    /// See [`EncryptionBuilder`] and [`Encryption`] for examples.
    pub fn build(self) -> Result<Encryption, ConfigError> {
        let mut by_table: Vec<(String, Vec<Source>)> = Vec::new();
        for source in self.sources {
            match by_table
                .iter_mut()
                .find(|(table, _)| *table == source.table)
            {
                Some((_, sources)) => sources.push(source),
                None => by_table.push((source.table.clone(), vec![source])),
            }
        }
        let mut tables = HashMap::new();
        for (table, sources) in by_table {
            let merged = merge(&table, &sources)?;
            let encryption =
                TableEncryption::new(table.clone(), merged, &self.keyring, self.algorithm_suite)?;
            tables.insert(table, encryption);
        }
        Ok(Encryption {
            tables: Arc::new(tables),
        })
    }
}

fn merge(table: &str, sources: &[Source]) -> Result<Merged, ConfigError> {
    let first = &sources[0];
    let mut actions: HashMap<String, (CryptoAction, &str)> = HashMap::new();
    for source in sources {
        if !source.schema.is_declared() {
            return Err(ConfigError::Undeclared {
                table: table.to_owned(),
                item: source.origin.trim_matches('`').to_owned(),
            });
        }
        if source.key_schema != first.key_schema {
            return Err(ConfigError::TableMismatch {
                table: table.to_owned(),
                reason: format!(
                    "{} has the keys {} but {} has {}",
                    first.origin,
                    key_names(&first.key_schema),
                    source.origin,
                    key_names(&source.key_schema)
                ),
            });
        }
        if source.schema.unsigned_prefix != first.schema.unsigned_prefix {
            return Err(ConfigError::TableMismatch {
                table: table.to_owned(),
                reason: format!(
                    "{} has the unsigned prefix {:?} but {} has {:?}",
                    first.origin,
                    first.schema.unsigned_prefix,
                    source.origin,
                    source.schema.unsigned_prefix
                ),
            });
        }
        for &(attribute, action) in source.schema.attributes {
            match actions.get(attribute) {
                Some(&(known, origin)) if known != action => {
                    return Err(ConfigError::ConflictingActions {
                        table: table.to_owned(),
                        attribute: attribute.to_owned(),
                        first: (origin.to_owned(), known),
                        second: (source.origin.clone(), action),
                    });
                }
                Some(_) => {}
                None => {
                    actions.insert(attribute.to_owned(), (action, &source.origin));
                }
            }
        }
    }
    let mut actions: HashMap<String, CryptoAction> = actions
        .into_iter()
        .map(|(name, (action, _))| (name, action))
        .collect();
    // Keys are always signed: a schema written by hand may leave them out.
    for key in first.key_schema.attributes() {
        actions
            .entry(key.name.to_string())
            .or_insert(CryptoAction::SignOnly);
    }
    // `#[unique]` guard items are items of the table like any other: encrypted (nothing to
    // encrypt) and signed, their owner's key with them. They hold only the keys and the
    // owner, so no other attribute can be required in the encryption context.
    if let Some(guarded) = sources.iter().find(|source| source.guards) {
        let owner = notes_model::unique::OWNER_ATTRIBUTE;
        match actions.get(owner) {
            None => {
                actions.insert(owner.to_owned(), CryptoAction::SignOnly);
            }
            Some(CryptoAction::SignOnly) => {}
            Some(&other) => {
                return Err(ConfigError::ConflictingActions {
                    table: table.to_owned(),
                    attribute: owner.to_owned(),
                    first: (guarded.origin.clone(), CryptoAction::SignOnly),
                    second: ("the table's schema".to_owned(), other),
                });
            }
        }
        let keys: Vec<&str> = first
            .key_schema
            .attributes()
            .map(|key| key.name.as_ref())
            .collect();
        let mut in_context: Vec<&String> = actions
            .iter()
            .filter(|(name, action)| {
                **action == CryptoAction::SignAndIncludeInEncryptionContext
                    && !keys.contains(&name.as_str())
            })
            .map(|(name, _)| name)
            .collect();
        in_context.sort();
        if let Some(attribute) = in_context.first() {
            return Err(ConfigError::Unsupported {
                table: table.to_owned(),
                reason: format!(
                    "{} keeps #[unique] guard items, which hold only the keys and `{owner}`, \
                     so `{attribute}` cannot be SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT \
                     (#[encryption_context]): the Database Encryption SDK refuses an item \
                     without it",
                    guarded.origin
                ),
            });
        }
    }
    Ok(Merged {
        key_schema: first.key_schema.clone(),
        actions,
        unsigned_prefix: first.schema.unsigned_prefix.map(str::to_owned),
    })
}

/// `[userId, noteId]`.
fn key_names(schema: &KeySchema) -> String {
    let names: Vec<&str> = schema.attributes().map(|key| key.name.as_ref()).collect();
    format!("[{}]", names.join(", "))
}

/// `Note` rather than `my_app::model::Note` (a generic type keeps its whole name).
fn short_type_name<T>() -> &'static str {
    let name = std::any::type_name::<T>();
    if name.contains('<') {
        return name;
    }
    name.rsplit("::").next().unwrap_or(name)
}
