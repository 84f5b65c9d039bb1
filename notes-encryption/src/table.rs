//! One encrypted table: its actions and its item encryptor, which encrypts an item before it
//! is written and decrypts and verifies it after it is read.

use std::collections::HashMap;
use std::fmt;

use aws_db_esdk::item_encryptor::client::Client as ItemEncryptor;
use aws_db_esdk::item_encryptor::types::dynamo_db_item_encryptor_config::DynamoDbItemEncryptorConfig;
use aws_db_esdk::material_providers::types::DbeAlgorithmSuiteId;
use notes_core::{DecryptionFailure, Error, Result};
use notes_model::encryption::CryptoAction;
use notes_model::expr::{Condition, Path};
use notes_model::{ItemMap, KeySchema, SharedItem, describe_key};

use crate::error::ConfigError;
use crate::keyring::Keyring;
use crate::sdk_errors::{classify, describe};

/// The attributes the Database Encryption SDK adds to every item it encrypts: the header
/// (the encrypted data keys, the actions) and the footer (the signatures).
pub(crate) const HEADER: &str = "aws_dbe_head";

/// The schema of one table, merged from every registration of it.
#[derive(Debug)]
pub(crate) struct Merged {
    pub(crate) key_schema: KeySchema,
    pub(crate) actions: HashMap<String, CryptoAction>,
    pub(crate) unsigned_prefix: Option<String>,
}

/// One encrypted table.
#[derive(Clone)]
pub(crate) struct TableEncryption {
    name: String,
    key_schema: KeySchema,
    actions: HashMap<String, CryptoAction>,
    unsigned_prefix: Option<String>,
    encryptor: ItemEncryptor,
}

impl fmt::Debug for TableEncryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TableEncryption")
            .field("name", &self.name)
            .field("actions", &self.actions)
            .field("unsigned_prefix", &self.unsigned_prefix)
            .finish_non_exhaustive()
    }
}

impl TableEncryption {
    pub(crate) fn new(
        name: String,
        merged: Merged,
        keyring: &Keyring,
        suite: Option<DbeAlgorithmSuiteId>,
    ) -> Result<Self, ConfigError> {
        let refused = |message: String| ConfigError::ItemEncryptor {
            table: name.clone(),
            message,
        };
        // Every DO_NOTHING attribute the prefix does not cover is listed as allowed unsigned,
        // as the Database Encryption SDK requires.
        let unsigned: Vec<String> = merged
            .actions
            .iter()
            .filter(|(attribute, action)| {
                **action == CryptoAction::DoNothing
                    && !merged
                        .unsigned_prefix
                        .as_deref()
                        .is_some_and(|prefix| attribute.starts_with(prefix))
            })
            .map(|(attribute, _)| attribute.clone())
            .collect();
        let actions: HashMap<String, aws_db_esdk::CryptoAction> = merged
            .actions
            .iter()
            .map(|(attribute, action)| (attribute.clone(), esdk_action(*action)))
            .collect();
        let config = DynamoDbItemEncryptorConfig::builder()
            .logical_table_name(name.clone())
            .partition_key_name(merged.key_schema.partition_key.name.to_string())
            .set_sort_key_name(
                merged
                    .key_schema
                    .sort_key
                    .as_ref()
                    .map(|key| key.name.to_string()),
            )
            .attribute_actions_on_encrypt(actions)
            .set_allowed_unsigned_attributes((!unsigned.is_empty()).then_some(unsigned))
            .set_allowed_unsigned_attribute_prefix(merged.unsigned_prefix.clone())
            .keyring(keyring.inner.clone())
            .set_algorithm_suite_id(suite)
            .build()
            .map_err(|err| refused(err.to_string()))?;
        let encryptor = ItemEncryptor::from_conf(config).map_err(|err| refused(describe(&err)))?;
        Ok(TableEncryption {
            name,
            key_schema: merged.key_schema,
            actions: merged.actions,
            unsigned_prefix: merged.unsigned_prefix,
            encryptor,
        })
    }

    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The action on `attribute`: its declared one, `DO_NOTHING` under the unsigned prefix,
    /// `None` for an attribute the table's types do not declare.
    pub(crate) fn action(&self, attribute: &str) -> Option<CryptoAction> {
        self.actions.get(attribute).copied().or_else(|| {
            self.unsigned_prefix
                .as_deref()
                .filter(|prefix| attribute.starts_with(prefix))
                .map(|_| CryptoAction::DoNothing)
        })
    }

    /// Whether `path`'s top-level attribute is stored as ciphertext.
    pub(crate) fn is_encrypted(&self, path: &Path) -> bool {
        path.top_level()
            .and_then(|attribute| self.action(attribute))
            .is_some_and(CryptoAction::is_encrypted)
    }

    /// The item's key, for messages: `{userId: "u1", noteId: "n1"}`.
    pub(crate) fn describe_key(&self, item: &ItemMap) -> String {
        describe_key(item, &self.key_schema)
    }

    /// Makes an update's condition require the item to exist: an update only changes
    /// `DO_NOTHING` attributes, and an item it created would have no signature, so no read
    /// could ever verify it. A missing item fails the condition instead.
    pub(crate) fn only_existing(&self, condition: &mut Option<Condition>) {
        let exists = Condition::Exists(Path::attribute(
            self.key_schema.partition_key.name.to_string(),
        ));
        *condition = Some(match condition.take() {
            Some(asked) => asked & exists,
            None => exists,
        });
    }

    /// Refuses a stream record whose `Keys` are not the key of its verified image `item`:
    /// the keys travel beside the image, outside its signature.
    pub(crate) fn check_record_keys(&self, keys: &ItemMap, item: &ItemMap) -> Result<()> {
        let matches = keys.len() == self.key_schema.attributes().count()
            && self
                .key_schema
                .attributes()
                .all(|key| keys.get(key.name.as_ref()) == item.get(key.name.as_ref()));
        if matches {
            return Ok(());
        }
        Err(Error::Decryption {
            table: self.name.clone(),
            key: self.describe_key(keys),
            failure: DecryptionFailure::Tampered,
            message: format!(
                "the record's Keys are not the key of its verified image, {}",
                self.describe_key(item)
            ),
            source: None,
        })
    }

    /// `item` encrypted and signed, as it is to be stored.
    pub(crate) async fn encrypt(&self, item: ItemMap) -> Result<ItemMap> {
        let key = self.describe_key(&item);
        let sdk_item = notes_aws::to_sdk_item(item)?;
        let output = self
            .encryptor
            .encrypt_item()
            .plaintext_item(sdk_item)
            .send()
            .await
            .map_err(|err| Error::Encryption {
                table: self.name.clone(),
                key: key.clone(),
                message: describe(&err),
                source: Some(Box::new(err)),
            })?;
        let encrypted = output.encrypted_item.ok_or_else(|| Error::Encryption {
            table: self.name.clone(),
            key,
            message: "the item encryptor answered no item".to_owned(),
            source: None,
        })?;
        notes_aws::from_sdk_item(encrypted)
    }

    /// `item` as stored, verified and decrypted.
    pub(crate) async fn decrypt(&self, item: SharedItem) -> Result<SharedItem> {
        let key = self.describe_key(&item);
        let sdk_item = notes_aws::to_sdk_item(item.into_owned())?;
        let output = self
            .encryptor
            .decrypt_item()
            .encrypted_item(sdk_item)
            .send()
            .await
            .map_err(|err| {
                let (failure, message) = classify(&err);
                Error::Decryption {
                    table: self.name.clone(),
                    key: key.clone(),
                    failure,
                    message,
                    source: Some(Box::new(err)),
                }
            })?;
        let plaintext = output.plaintext_item.ok_or_else(|| Error::Decryption {
            table: self.name.clone(),
            key,
            failure: DecryptionFailure::Other,
            message: "the item encryptor answered no item".to_owned(),
            source: None,
        })?;
        notes_aws::from_sdk_shared_item(plaintext)
    }
}

/// The Database Encryption SDK's name of an action.
fn esdk_action(action: CryptoAction) -> aws_db_esdk::CryptoAction {
    match action {
        CryptoAction::EncryptAndSign => aws_db_esdk::CryptoAction::EncryptAndSign,
        CryptoAction::SignOnly => aws_db_esdk::CryptoAction::SignOnly,
        CryptoAction::SignAndIncludeInEncryptionContext => {
            aws_db_esdk::CryptoAction::SignAndIncludeInEncryptionContext
        }
        CryptoAction::DoNothing => aws_db_esdk::CryptoAction::DoNothing,
    }
}
