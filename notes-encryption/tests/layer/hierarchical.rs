//! The hierarchical keyring (feature `kms`): its key store's table on a DynamoDB server
//! (notes-local serving a `MemoryBackend`), KMS answered by the AWS SDK's mocks. The exact
//! requests sent to KMS, the branch key cache, and a branch key that is not the item's.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_kms::Client;
use aws_sdk_kms::operation::decrypt::{DecryptInput, DecryptOutput};
use aws_sdk_kms::operation::generate_data_key_without_plaintext::{
    GenerateDataKeyWithoutPlaintextInput, GenerateDataKeyWithoutPlaintextOutput,
};
use aws_sdk_kms::operation::re_encrypt::{ReEncryptInput, ReEncryptOutput};
use aws_sdk_kms::primitives::Blob;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use notes_encryption::{Encrypted, Encryption, KeyStore, Keyring};
use notes_local::protocol::Service;
use notes_local::{LocalServer, ServerOptions};
use notes_repo::{AttributeValue, DecryptionFailure, Error, Item, MemoryBackend, Note, Repo};

use super::{NOTE, U1_N1, note, raw};

const KEY_ARN: &str = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const TABLE: &str = "branch-keys";
/// The branch key KMS "decrypts" from every stored branch key.
const BRANCH_KEY: [u8; 32] = [9; 32];
/// The blob KMS "re-encrypts" a branch key version to, as the active version.
const ACTIVE_BLOB: &[u8] = b"the active branch key, as KMS encrypted it";
const TTL: Duration = Duration::from_secs(600);

/// A KMS client answered by mocks, and every request it was sent.
#[derive(Default, Clone)]
struct Kms {
    generated: Arc<Mutex<Vec<GenerateDataKeyWithoutPlaintextInput>>>,
    re_encrypted: Arc<Mutex<Vec<ReEncryptInput>>>,
    decrypted: Arc<Mutex<Vec<DecryptInput>>>,
}

/// What KMS "encrypts" a new key under `context` to: a blob naming its `type`.
fn wrapped(context: &HashMap<String, String>) -> Vec<u8> {
    format!("the {} key, as KMS encrypted it", context["type"]).into_bytes()
}

impl Kms {
    fn client(&self) -> Client {
        let seen = self.generated.clone();
        let generate = mock!(Client::generate_data_key_without_plaintext)
            .match_requests(move |request| {
                seen.lock().unwrap().push(request.clone());
                true
            })
            .then_compute_output(|request| {
                GenerateDataKeyWithoutPlaintextOutput::builder()
                    .key_id(KEY_ARN)
                    .ciphertext_blob(Blob::new(wrapped(
                        request.encryption_context().expect("a context"),
                    )))
                    .build()
            });
        let seen = self.re_encrypted.clone();
        let re_encrypt = mock!(Client::re_encrypt)
            .match_requests(move |request| {
                seen.lock().unwrap().push(request.clone());
                true
            })
            .then_output(|| {
                ReEncryptOutput::builder()
                    .source_key_id(KEY_ARN)
                    .key_id(KEY_ARN)
                    .ciphertext_blob(Blob::new(ACTIVE_BLOB))
                    .build()
            });
        let seen = self.decrypted.clone();
        let decrypt = mock!(Client::decrypt)
            .match_requests(move |request| {
                seen.lock().unwrap().push(request.clone());
                true
            })
            .then_output(|| {
                DecryptOutput::builder()
                    .key_id(KEY_ARN)
                    .plaintext(Blob::new(BRANCH_KEY))
                    .build()
            });
        mock_client!(
            aws_sdk_kms,
            RuleMode::MatchAny,
            [&generate, &re_encrypt, &decrypt],
            |config| config.region(aws_sdk_kms::config::Region::new("eu-west-1"))
        )
    }

    /// How many requests of each kind: `GenerateDataKeyWithoutPlaintext`, `ReEncrypt`,
    /// `Decrypt`.
    fn counts(&self) -> (usize, usize, usize) {
        (
            self.generated.lock().unwrap().len(),
            self.re_encrypted.lock().unwrap().len(),
            self.decrypted.lock().unwrap().len(),
        )
    }
}

/// A DynamoDB server on a fresh engine, a client of it, and the engine.
async fn dynamodb() -> (LocalServer, aws_sdk_dynamodb::Client, MemoryBackend) {
    let engine = MemoryBackend::new();
    let server = LocalServer::start(
        Service::new(engine.clone(), "eu-west-1"),
        ServerOptions::default(),
    )
    .await
    .unwrap();
    let config = aws_sdk_dynamodb::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .endpoint_url(server.endpoint())
        .build();
    (server, aws_sdk_dynamodb::Client::from_conf(config), engine)
}

/// The encryption context the key store binds to a stored key of `branch_key_id` (its `type`
/// and, for the active version, its `version`).
fn branch_context(
    branch_key_id: &str,
    create_time: &str,
    entries: &[(&str, &str)],
) -> HashMap<String, String> {
    let mut context = HashMap::from([
        ("branch-key-id".to_owned(), branch_key_id.to_owned()),
        ("create-time".to_owned(), create_time.to_owned()),
        ("tablename".to_owned(), TABLE.to_owned()),
        ("kms-arn".to_owned(), KEY_ARN.to_owned()),
        ("hierarchy-version".to_owned(), "1".to_owned()),
    ]);
    for (name, value) in entries {
        context.insert((*name).to_owned(), (*value).to_owned());
    }
    context
}

/// A store with the notes table.
async fn notes_store() -> MemoryBackend {
    let memory = MemoryBackend::new();
    Repo::<Note, _>::new(memory.clone())
        .create_table_on_demand()
        .await
        .unwrap();
    memory
}

/// A repository of notes on `memory`, encrypted with `keyring`.
fn encrypted_repo(
    memory: &MemoryBackend,
    keyring: Keyring,
) -> Repo<Note, Encrypted<MemoryBackend>> {
    let encryption = Encryption::builder(keyring)
        .table("notes", &Note::KEY_SCHEMA, NOTE)
        .build()
        .unwrap();
    Repo::new(Encrypted::new(memory.clone(), encryption))
}

#[tokio::test(flavor = "multi_thread")]
async fn the_key_store_creates_its_table_and_a_branch_key_with_these_kms_requests() {
    let (server, dynamodb, _engine) = dynamodb().await;
    let kms = Kms::default();
    let key_store = KeyStore::new(TABLE, KEY_ARN, kms.client(), dynamodb.clone()).unwrap();

    key_store.create_table().await.unwrap();
    let table = dynamodb
        .describe_table()
        .table_name(TABLE)
        .send()
        .await
        .unwrap()
        .table
        .unwrap();
    let key_schema: Vec<_> = table
        .key_schema()
        .iter()
        .map(|key| (key.attribute_name(), key.key_type().as_str()))
        .collect();
    assert_eq!(key_schema, [("branch-key-id", "HASH"), ("type", "RANGE")]);
    // Creating it again finds it and is fine; no KMS request for the table.
    key_store.create_table().await.unwrap();
    assert_eq!(kms.counts(), (0, 0, 0));

    let branch_key_id = key_store.create_branch_key().await.unwrap();
    assert_eq!(kms.counts(), (2, 1, 0));
    {
        let generated = kms.generated.lock().unwrap();
        let version_context = generated[0].encryption_context().unwrap().clone();
        let version = version_context["type"].clone();
        let create_time = version_context["create-time"].clone();
        assert!(version.starts_with("branch:version:"), "{version}");
        assert_eq!(
            version_context,
            branch_context(&branch_key_id, &create_time, &[("type", &version)])
        );
        assert_eq!(generated[0].key_id(), Some(KEY_ARN));
        assert_eq!(generated[0].number_of_bytes(), Some(32));
        // The beacon key of searchable encryption, made with every branch key.
        assert_eq!(generated[1].key_id(), Some(KEY_ARN));
        assert_eq!(generated[1].number_of_bytes(), Some(32));
        assert_eq!(
            generated[1].encryption_context(),
            Some(&branch_context(
                &branch_key_id,
                &create_time,
                &[("type", "beacon:ACTIVE")]
            ))
        );
        let re_encrypted = kms.re_encrypted.lock().unwrap();
        assert_eq!(re_encrypted[0].source_key_id(), Some(KEY_ARN));
        assert_eq!(re_encrypted[0].destination_key_id(), Some(KEY_ARN));
        assert_eq!(
            re_encrypted[0].ciphertext_blob().map(Blob::as_ref),
            Some(wrapped(&version_context).as_slice())
        );
        assert_eq!(
            re_encrypted[0].source_encryption_context(),
            Some(&version_context)
        );
        assert_eq!(
            re_encrypted[0].destination_encryption_context(),
            Some(&branch_context(
                &branch_key_id,
                &create_time,
                &[("type", "branch:ACTIVE"), ("version", &version)]
            ))
        );
    }
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hierarchical_keyring_asks_kms_once_per_branch_key_version_within_its_ttl() {
    let (server, dynamodb, _engine) = dynamodb().await;
    let kms = Kms::default();
    let key_store = KeyStore::new(TABLE, KEY_ARN, kms.client(), dynamodb).unwrap();
    key_store.create_table().await.unwrap();
    let branch_key_id = key_store.create_branch_key().await.unwrap();
    let (version_context, active_context) = {
        let re_encrypted = kms.re_encrypted.lock().unwrap();
        (
            re_encrypted[0].source_encryption_context().unwrap().clone(),
            re_encrypted[0]
                .destination_encryption_context()
                .unwrap()
                .clone(),
        )
    };
    assert_eq!(kms.counts(), (2, 1, 0));

    let keyring = Keyring::hierarchical(&key_store, &branch_key_id, TTL).unwrap();
    assert_eq!(
        format!("{keyring:?}"),
        format!("Keyring(hierarchical {TABLE}/{branch_key_id})")
    );
    let memory = notes_store().await;
    let repo = encrypted_repo(&memory, keyring);
    // No request before the first item.
    assert_eq!(kms.counts(), (2, 1, 0));

    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    assert!(matches!(
        raw(&memory, &written.key()).await["content"],
        AttributeValue::B(_)
    ));
    // Encrypting loads the active branch key: one Decrypt.
    assert_eq!(kms.counts(), (2, 1, 1));
    assert_eq!(
        repo.get(&written.key()).await.unwrap(),
        Some(written.clone())
    );
    // Decrypting loads the item's branch key version: one more Decrypt.
    assert_eq!(kms.counts(), (2, 1, 2));
    {
        let decrypted = kms.decrypted.lock().unwrap();
        assert_eq!(decrypted[0].key_id(), Some(KEY_ARN));
        assert_eq!(
            decrypted[0].ciphertext_blob().map(Blob::as_ref),
            Some(ACTIVE_BLOB)
        );
        assert_eq!(decrypted[0].encryption_context(), Some(&active_context));
        assert_eq!(decrypted[1].key_id(), Some(KEY_ARN));
        assert_eq!(
            decrypted[1].ciphertext_blob().map(Blob::as_ref),
            Some(wrapped(&version_context).as_slice())
        );
        assert_eq!(decrypted[1].encryption_context(), Some(&version_context));
    }

    // Within the TTL, both branch keys come from the cache: no request, whatever the items.
    assert_eq!(repo.get(&written.key()).await.unwrap(), Some(written));
    let other = note("u1", "n2", "another secret");
    repo.put(&other).await.unwrap();
    assert_eq!(repo.get(&other.key()).await.unwrap(), Some(other));
    assert_eq!(kms.counts(), (2, 1, 2));
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hierarchical_keyring_of_another_branch_key_is_the_wrong_key() {
    let (server, dynamodb, _engine) = dynamodb().await;
    let kms = Kms::default();
    let key_store = KeyStore::new(TABLE, KEY_ARN, kms.client(), dynamodb).unwrap();
    key_store.create_table().await.unwrap();
    let first = key_store.create_branch_key().await.unwrap();
    let second = key_store.create_branch_key().await.unwrap();
    assert_ne!(first, second);

    let memory = notes_store().await;
    let writer = encrypted_repo(
        &memory,
        Keyring::hierarchical(&key_store, &first, TTL).unwrap(),
    );
    let written = note("u1", "n1", "secret");
    writer.put(&written).await.unwrap();
    let decrypts = kms.counts().2;

    let reader = encrypted_repo(
        &memory,
        Keyring::hierarchical(&key_store, &second, TTL).unwrap(),
    );
    let err = reader.get(&written.key()).await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Decryption { failure: DecryptionFailure::WrongKey, key, message, .. }
                if key == U1_N1 && message == "Unable to decrypt data key: No Encrypted Data Keys found to match."
        ),
        "{err:?}"
    );
    // The item names its branch key: the other one is not even loaded.
    assert_eq!(kms.counts().2, decrypts);
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_per_tenant_hierarchical_keyring_encrypts_each_tenants_items_under_its_branch_key() {
    let (server, dynamodb, _engine) = dynamodb().await;
    let kms = Kms::default();
    let key_store = KeyStore::new(TABLE, KEY_ARN, kms.client(), dynamodb).unwrap();
    key_store.create_table().await.unwrap();
    let tenants = HashMap::from([
        (
            "u1".to_owned(),
            key_store.create_branch_key().await.unwrap(),
        ),
        (
            "u2".to_owned(),
            key_store.create_branch_key().await.unwrap(),
        ),
    ]);

    let branch_keys = tenants.clone();
    let keyring = Keyring::hierarchical_per_tenant(
        &key_store,
        move |key| match key.get("userId") {
            Some(AttributeValue::S(user)) => branch_keys.get(user).cloned(),
            _ => None,
        },
        TTL,
    )
    .unwrap();
    assert_eq!(
        format!("{keyring:?}"),
        format!("Keyring(hierarchical {TABLE}/<per tenant>)")
    );
    let memory = notes_store().await;
    let repo = encrypted_repo(&memory, keyring);
    let (first, second) = (note("u1", "n1", "one"), note("u2", "n1", "two"));
    repo.put(&first).await.unwrap();
    repo.put(&second).await.unwrap();
    assert_eq!(repo.get(&first.key()).await.unwrap(), Some(first.clone()));
    assert_eq!(repo.get(&second.key()).await.unwrap(), Some(second.clone()));

    // A keyring of u1's branch key reads u1's note, not u2's.
    let u1_only = encrypted_repo(
        &memory,
        Keyring::hierarchical(&key_store, &tenants["u1"], TTL).unwrap(),
    );
    assert_eq!(u1_only.get(&first.key()).await.unwrap(), Some(first));
    let err = u1_only.get(&second.key()).await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Decryption { failure: DecryptionFailure::WrongKey, key, .. }
                if key == r#"{userId: "u2", noteId: "n1"}"#
        ),
        "{err:?}"
    );

    // An item of no tenant is not written (the Database Encryption SDK replaces the
    // function's `None` with its own words).
    let nobodys = note("u3", "n1", "nobody's");
    let err = repo.put(&nobodys).await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Encryption { key, message, .. }
                if key == r#"{userId: "u3", noteId: "n1"}"#
                    && message.contains("Unexpected error while getting Branch Key ID.")
        ),
        "{err:?}"
    );
    let plain = Repo::<Note, _>::new(memory.clone());
    assert_eq!(plain.get(&nobodys.key()).await.unwrap(), None);
    server.shutdown().await.unwrap();
}

#[test]
fn a_hierarchical_keyrings_ttl_is_more_than_its_caches_ten_second_grace_period() {
    let config = aws_sdk_dynamodb::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .build();
    let dynamodb = aws_sdk_dynamodb::Client::from_conf(config);
    let key_store = KeyStore::new(TABLE, KEY_ARN, Kms::default().client(), dynamodb).unwrap();

    let err = Keyring::hierarchical(&key_store, "b", Duration::from_secs(10)).unwrap_err();
    assert!(
        matches!(
            &err,
            notes_encryption::ConfigError::Keyring { message }
                if message.contains("the ttlSeconds of the KeyRing must be greater than the gracePeriod of the StormCache yet the ttlSeconds is 10 and the gracePeriod is 10.")
        ),
        "{err:?}"
    );
    Keyring::hierarchical(&key_store, "b", Duration::from_secs(11)).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn key_store_errors_name_the_table_and_what_it_was_asked() {
    use notes_encryption::ConfigError;

    let (server, dynamodb, engine) = dynamodb().await;
    let kms = Kms::default();
    let err = KeyStore::new(TABLE, "not-an-arn", kms.client(), dynamodb.clone()).unwrap_err();
    assert!(
        matches!(
            &err,
            ConfigError::KeyStore { table, operation: "be configured", message }
                if table == TABLE && message == "KMSConfiguration's KMS Key ARN is invalid.. Malformed arn: not-an-arn"
        ),
        "{err:?}"
    );

    // A table of another shape is not a key store.
    Repo::<Note, _>::new(engine)
        .create_table_on_demand()
        .await
        .unwrap();
    let key_store = KeyStore::new("notes", KEY_ARN, kms.client(), dynamodb).unwrap();
    let err = key_store.create_table().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "the key store `notes` could not create its table: Configured table name does not conform to expected Key Store construction."
    );
    assert!(
        matches!(
            &err,
            ConfigError::KeyStore {
                operation: "create its table",
                ..
            }
        ),
        "{err:?}"
    );
    let err = key_store.create_branch_key().await.unwrap_err();
    assert!(
        matches!(
            &err,
            ConfigError::KeyStore { table, operation: "create a branch key", message }
                if table == "notes" && message.contains("Missing the key userId in the item")
        ),
        "{err:?}"
    );
    server.shutdown().await.unwrap();
}
