//! The hierarchical keyring (feature `kms`): each item's data key is wrapped by a branch key
//! kept in a DynamoDB table, the [`KeyStore`], and each branch key by one KMS key. The keyring
//! caches a branch key for its TTL, so KMS is called once per branch key and TTL rather than
//! once per item; one branch key per tenant isolates tenants sharing a table.

use std::fmt;
use std::time::Duration;

use aws_db_esdk::dynamodb::client::Client as DbEsdk;
use aws_db_esdk::dynamodb::operation::get_branch_key_id_from_ddb_key::{
    GetBranchKeyIdFromDdbKeyInput, GetBranchKeyIdFromDdbKeyOutput,
};
use aws_db_esdk::dynamodb::types::DynamoDbKeyBranchKeyIdSupplier;
use aws_db_esdk::dynamodb::types::dynamo_db_encryption_config::DynamoDbEncryptionConfig;
use aws_db_esdk::dynamodb::types::error::Error as DynamoDbError;
use aws_db_esdk::key_store::client::Client as KeyStoreClient;
use aws_db_esdk::key_store::types::KmsConfiguration;
use aws_db_esdk::key_store::types::error::Error as KeyStoreError;
use aws_db_esdk::key_store::types::key_store_config::KeyStoreConfig;
use aws_db_esdk::material_providers::operation::create_aws_kms_hierarchical_keyring::builders::CreateAwsKmsHierarchicalKeyringFluentBuilder;
use notes_model::ItemMap;

use crate::error::ConfigError;
use crate::keyring::{Keyring, material_providers, run_now};

/// The key store of the hierarchical keyring: a DynamoDB table of branch keys, each stored
/// wrapped by the KMS key `kms_key_arn` (the Material Providers Library's key store, its
/// logical name the table's name).
///
/// Making the table and the branch keys is the control plane's work, done once
/// ([`create_table`](Self::create_table), [`create_branch_key`](Self::create_branch_key)); the
/// keyrings of the data plane only read them ([`Keyring::hierarchical`]). KMS sees
/// `GenerateDataKeyWithoutPlaintext` and `ReEncrypt` when a branch key is made, `Decrypt` when
/// a keyring loads one.
///
/// ```
/// use notes_encryption::KeyStore;
///
/// let region = aws_sdk_kms::config::Region::new("eu-west-1");
/// let kms = aws_sdk_kms::Client::from_conf(
///     aws_sdk_kms::Config::builder()
///         .behavior_version(aws_sdk_kms::config::BehaviorVersion::latest())
///         .region(region.clone())
///         .build(),
/// );
/// let dynamodb = aws_sdk_dynamodb::Client::from_conf(
///     aws_sdk_dynamodb::Config::builder()
///         .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
///         .region(region)
///         .build(),
/// );
/// let arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/// let key_store = KeyStore::new("branch-keys", arn, kms, dynamodb)?;
/// assert_eq!(format!("{key_store:?}"), format!("KeyStore(branch-keys, {arn})"));
/// # Ok::<(), notes_encryption::ConfigError>(())
/// ```
#[derive(Clone)]
#[cfg_attr(docsrs, doc(cfg(feature = "kms")))]
pub struct KeyStore {
    inner: KeyStoreClient,
    table: String,
    kms_key_arn: String,
}

impl KeyStore {
    /// The key store in DynamoDB table `table` (through `dynamodb`), its branch keys wrapped by
    /// the symmetric KMS key `kms_key_arn` (an ARN, through `kms`). Nothing is sent.
    ///
    /// See [`KeyStore`] for an example.
    pub fn new(
        table: impl Into<String>,
        kms_key_arn: impl Into<String>,
        kms: aws_sdk_kms::Client,
        dynamodb: aws_sdk_dynamodb::Client,
    ) -> Result<Self, ConfigError> {
        let (table, kms_key_arn) = (table.into(), kms_key_arn.into());
        let failed = |message: String| ConfigError::KeyStore {
            table: table.clone(),
            operation: "be configured",
            message,
        };
        let config = KeyStoreConfig::builder()
            .kms_client(kms)
            .ddb_client(dynamodb)
            .ddb_table_name(table.clone())
            .logical_key_store_name(table.clone())
            .kms_configuration(KmsConfiguration::KmsKeyArn(kms_key_arn.clone()))
            .build()
            .map_err(|err| failed(err.to_string()))?;
        let inner = KeyStoreClient::from_conf(config).map_err(|err| failed(message(&err)))?;
        Ok(KeyStore {
            inner,
            table,
            kms_key_arn,
        })
    }

    /// Creates the key store's table if it does not exist (`DescribeTable`, then `CreateTable`
    /// with partition key `branch-key-id` and sort key `type`, both strings); an existing
    /// table of another shape is an error. Once, in the control plane.
    ///
    /// See [`Keyring::hierarchical`] for an example.
    pub async fn create_table(&self) -> Result<(), ConfigError> {
        self.inner
            .create_key_store()
            .send()
            .await
            .map_err(|err| self.failed("create its table", &err))?;
        Ok(())
    }

    /// Creates a new branch key (its id a random UUID, returned): one KMS
    /// `GenerateDataKeyWithoutPlaintext` for its first version, a `ReEncrypt` of it as the
    /// active version, one more `GenerateDataKeyWithoutPlaintext` for its beacon key, all
    /// written in one DynamoDB transaction. Once per tenant, in the control plane.
    ///
    /// See [`Keyring::hierarchical`] for an example.
    pub async fn create_branch_key(&self) -> Result<String, ConfigError> {
        let created = self
            .inner
            .create_key()
            .send()
            .await
            .map_err(|err| self.failed("create a branch key", &err))?;
        created
            .branch_key_identifier
            .ok_or_else(|| ConfigError::KeyStore {
                table: self.table.clone(),
                operation: "create a branch key",
                message: "the key store returned no branch key id".to_owned(),
            })
    }

    /// The Material Providers Library's key store (re-exported as
    /// [`aws_db_esdk::key_store`](crate::aws_db_esdk::key_store)): for what this type does
    /// not wrap, e.g. `version_key` to rotate a branch key.
    ///
    /// ```
    /// # let kms = aws_sdk_kms::Client::from_conf(aws_sdk_kms::Config::builder().behavior_version(aws_sdk_kms::config::BehaviorVersion::latest()).build());
    /// # let dynamodb = aws_sdk_dynamodb::Client::from_conf(aws_sdk_dynamodb::Config::builder().behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest()).build());
    /// # let arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    /// let key_store = notes_encryption::KeyStore::new("branch-keys", arn, kms, dynamodb)?;
    /// let _rotate = key_store.as_mpl().version_key().branch_key_identifier("tenant-1");
    /// # Ok::<(), notes_encryption::ConfigError>(())
    /// ```
    pub fn as_mpl(&self) -> &KeyStoreClient {
        &self.inner
    }

    fn failed(&self, operation: &'static str, err: &KeyStoreError) -> ConfigError {
        ConfigError::KeyStore {
            table: self.table.clone(),
            operation,
            message: message(err),
        }
    }
}

/// The key store's own wording, or the whole error of KMS or DynamoDB beneath it.
fn message(err: &KeyStoreError) -> String {
    match err {
        KeyStoreError::KeyStoreException { message } => message.clone(),
        other => format!("{other}"),
    }
}

impl fmt::Debug for KeyStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyStore({}, {})", self.table, self.kms_key_arn)
    }
}

impl Keyring {
    /// The hierarchical keyring of branch key `branch_key_id` in `key_store`: each item's data
    /// key is wrapped by that branch key, which the keyring loads from the key store (a
    /// DynamoDB `GetItem` and a KMS `Decrypt`) and caches for `ttl`: whole seconds, more than
    /// 10 (the cache refreshes a branch key in its last 10 seconds; a shorter `ttl` is
    /// [`ConfigError::Keyring`]).
    ///
    /// Use it for many items under one KMS key: KMS is called once per branch key version and
    /// TTL, not once per item as with [`Keyring::aws_kms`] (cost, KMS request quotas, latency),
    /// at the price of KMS's audit trail being per TTL rather than per item. Items written with
    /// one branch key are read only by a keyring of that branch key
    /// ([`DecryptionFailure::WrongKey`](notes_core::DecryptionFailure::WrongKey) otherwise);
    /// for one table shared by tenants, see [`Keyring::hierarchical_per_tenant`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use notes_encryption::{Encrypted, Encryption, KeyStore, Keyring};
    /// use notes_repo::{Item, MemoryBackend, Note, PrimaryKey, Repo};
    /// # use notes_encryption::{CryptoAction::*, EncryptionSchema};
    /// # const NOTE: EncryptionSchema = EncryptionSchema::new(&[("userId", SignOnly), ("noteId", SignOnly),
    /// #     ("content", EncryptAndSign), ("attachment", EncryptAndSign), ("createdAt", SignOnly)]);
    /// # use aws_sdk_kms::operation::{decrypt::DecryptOutput, re_encrypt::ReEncryptOutput};
    /// # use aws_sdk_kms::operation::generate_data_key_without_plaintext::GenerateDataKeyWithoutPlaintextOutput;
    /// # use aws_sdk_kms::primitives::Blob;
    /// # use aws_smithy_mocks::{RuleMode, mock, mock_client};
    /// # const ARN: &str = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    ///
    /// # #[tokio::main(flavor = "multi_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let kms = mock_client!(aws_sdk_kms, RuleMode::MatchAny, [
    /// #     &mock!(aws_sdk_kms::Client::generate_data_key_without_plaintext).then_output(|| GenerateDataKeyWithoutPlaintextOutput::builder().key_id(ARN).ciphertext_blob(Blob::new([1; 8])).build()),
    /// #     &mock!(aws_sdk_kms::Client::re_encrypt).then_output(|| ReEncryptOutput::builder().source_key_id(ARN).key_id(ARN).ciphertext_blob(Blob::new([2; 8])).build()),
    /// #     &mock!(aws_sdk_kms::Client::decrypt).then_output(|| DecryptOutput::builder().key_id(ARN).plaintext(Blob::new([3; 32])).build()),
    /// # ], |config| config.region(aws_sdk_kms::config::Region::new("eu-west-1")));
    /// # let engine = notes_local::protocol::Service::new(MemoryBackend::new(), "eu-west-1");
    /// # let server = notes_local::LocalServer::start(engine, notes_local::ServerOptions::default()).await?;
    /// # let dynamodb = aws_sdk_dynamodb::Client::from_conf(aws_sdk_dynamodb::Config::builder()
    /// #     .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
    /// #     .region(aws_sdk_dynamodb::config::Region::new("eu-west-1"))
    /// #     .credentials_provider(aws_sdk_dynamodb::config::Credentials::new("test", "test", None, None, "static"))
    /// #     .endpoint_url(server.endpoint()).build());
    /// // The control plane, once: the key store's table and a branch key.
    /// let key_store = KeyStore::new("branch-keys", ARN, kms, dynamodb)?;
    /// key_store.create_table().await?;
    /// let branch_key = key_store.create_branch_key().await?;
    ///
    /// // The data plane: KMS is asked for the branch key once per 10 minutes.
    /// let keyring = Keyring::hierarchical(&key_store, &branch_key, Duration::from_secs(600))?;
    /// let encryption = Encryption::builder(keyring).table("notes", &Note::KEY_SCHEMA, NOTE).build()?;
    /// let repo: Repo<Note, _> = Repo::new(Encrypted::new(MemoryBackend::new(), encryption));
    /// repo.create_table_on_demand().await?;
    /// let note = Note { user_id: "u1".into(), note_id: "n1".into(), content: "secret".into(), attachment: None, created_at: 7 };
    /// repo.put(&note).await?;
    /// assert_eq!(repo.get(&note.key()).await?, Some(note));
    /// # server.shutdown().await?;
    /// # Ok(()) }
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "kms")))]
    pub fn hierarchical(
        key_store: &KeyStore,
        branch_key_id: impl Into<String>,
        ttl: Duration,
    ) -> Result<Self, ConfigError> {
        let branch_key_id = branch_key_id.into();
        let description = format!("hierarchical {}/{branch_key_id}", key_store.table);
        hierarchical(key_store, ttl, description, |builder| {
            Ok(builder.branch_key_id(branch_key_id))
        })
    }

    /// The hierarchical keyring with one branch key per tenant in one table: `branch_key_id`
    /// names the branch key of an item from its key (its partition and sort key attributes,
    /// and those of `#[encryption_context]`), or `None` for an item of no tenant: it is not
    /// written ([`Error::Encryption`](notes_core::Error::Encryption), "Unexpected error while
    /// getting Branch Key ID.") nor read. Each branch key is cached for `ttl` as with
    /// [`Keyring::hierarchical`]; a tenant's items are read only with its branch key.
    ///
    /// ```
    /// use std::time::Duration;
    /// use notes_encryption::{KeyStore, Keyring};
    /// use notes_repo::AttributeValue;
    ///
    /// # let kms = aws_sdk_kms::Client::from_conf(aws_sdk_kms::Config::builder().behavior_version(aws_sdk_kms::config::BehaviorVersion::latest()).build());
    /// # let dynamodb = aws_sdk_dynamodb::Client::from_conf(aws_sdk_dynamodb::Config::builder().behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest()).build());
    /// # let arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    /// let key_store = KeyStore::new("branch-keys", arn, kms, dynamodb)?;
    /// // Each user's notes under the branch key `tenant-<userId>` (made with the key store's `create_key`).
    /// let keyring = Keyring::hierarchical_per_tenant(
    ///     &key_store,
    ///     |key| match key.get("userId") {
    ///         Some(AttributeValue::S(user)) => Some(format!("tenant-{user}")),
    ///         _ => None,
    ///     },
    ///     Duration::from_secs(600),
    /// )?;
    /// assert_eq!(format!("{keyring:?}"), "Keyring(hierarchical branch-keys/<per tenant>)");
    /// # Ok::<(), notes_encryption::ConfigError>(())
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "kms")))]
    pub fn hierarchical_per_tenant(
        key_store: &KeyStore,
        branch_key_id: impl Fn(&ItemMap) -> Option<String> + Send + Sync + 'static,
        ttl: Duration,
    ) -> Result<Self, ConfigError> {
        let description = format!("hierarchical {}/<per tenant>", key_store.table);
        hierarchical(key_store, ttl, description, |builder| {
            let config = DynamoDbEncryptionConfig::builder()
                .build()
                .map_err(|err| ConfigError::keyring(err.to_string()))?;
            let dbesdk = DbEsdk::from_conf(config)
                .map_err(|err| ConfigError::keyring(format!("{err:?}")))?;
            let supplier = run_now(
                dbesdk
                    .create_dynamo_db_encryption_branch_key_id_supplier()
                    .ddb_key_branch_key_id_supplier(PerTenant(branch_key_id))
                    .send(),
            )?
            .map_err(|err| ConfigError::keyring(format!("{err:?}")))?
            .branch_key_id_supplier
            .ok_or_else(|| ConfigError::keyring("no branch key id supplier".to_owned()))?;
            Ok(builder.branch_key_id_supplier(supplier))
        })
    }
}

/// The hierarchical keyring of `key_store` with a TTL of `ttl`, its branch key set by
/// `branch_key`.
fn hierarchical(
    key_store: &KeyStore,
    ttl: Duration,
    description: String,
    branch_key: impl FnOnce(
        CreateAwsKmsHierarchicalKeyringFluentBuilder,
    ) -> Result<CreateAwsKmsHierarchicalKeyringFluentBuilder, ConfigError>,
) -> Result<Keyring, ConfigError> {
    let ttl_seconds = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
    let builder = material_providers()?
        .create_aws_kms_hierarchical_keyring()
        .key_store(key_store.inner.clone())
        .ttl_seconds(ttl_seconds);
    let keyring = run_now(branch_key(builder)?.send())?
        .map_err(|err| ConfigError::keyring(format!("{err:?}")))?;
    Ok(Keyring::from_mpl(keyring, description))
}

/// A tenant's branch key id from the item's key, as the Database Encryption SDK asks for it.
struct PerTenant<F>(F);

impl<F: Fn(&ItemMap) -> Option<String> + Send + Sync> DynamoDbKeyBranchKeyIdSupplier
    for PerTenant<F>
{
    fn get_branch_key_id_from_ddb_key(
        &self,
        input: GetBranchKeyIdFromDdbKeyInput,
    ) -> Result<GetBranchKeyIdFromDdbKeyOutput, DynamoDbError> {
        let failed = |message: String| DynamoDbError::DynamoDbEncryptionException { message };
        let key = notes_aws::from_sdk_item(input.ddb_key.unwrap_or_default())
            .map_err(|err| failed(err.to_string()))?;
        let branch_key_id = (self.0)(&key)
            .ok_or_else(|| failed("the item's key names no tenant's branch key".to_owned()))?;
        GetBranchKeyIdFromDdbKeyOutput::builder()
            .branch_key_id(branch_key_id)
            .build()
            .map_err(|err| failed(err.to_string()))
    }
}
