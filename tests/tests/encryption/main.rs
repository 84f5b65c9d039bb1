//! Client-side encryption on every backend: the `Encrypted` layer over `MemoryBackend`, over
//! `DynamoDbBackend` against notes-local and against the test server. Each backend stores the
//! same kind of item (ciphertext, signed plaintext, `aws_dbe_head` / `aws_dbe_foot`), the
//! Database Encryption SDK's own item encryptor reads what the layer wrote and writes what the
//! layer reads, and every failure is a typed error naming the item.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue as SdkValue;
use notes_encryption::aws_db_esdk::CryptoAction as SdkAction;
use notes_encryption::aws_db_esdk::item_encryptor::client::Client as ItemEncryptor;
use notes_encryption::aws_db_esdk::item_encryptor::types::dynamo_db_item_encryptor_config::DynamoDbItemEncryptorConfig;
use notes_encryption::aws_db_esdk::material_providers::client::Client as Mpl;
use notes_encryption::aws_db_esdk::material_providers::types::AesWrappingAlg;
use notes_encryption::aws_db_esdk::material_providers::types::material_providers_config::MaterialProvidersConfig;
use notes_encryption::{AesKey, Encrypted, Encryption, Keyring};
use notes_repo::request::{GetItem, PutItem};
use notes_repo::{
    AttributeValue, Backend, DecryptionFailure, EncryptionRefusal, Error, Item, ItemMap,
    PrimaryKey, Repo, WriteTransaction,
};
use serde::{Deserialize, Serialize};

notes_tests::on_every_backend!(
    the_table_holds_ciphertext_signed_plaintext_and_the_signature,
    every_read_verifies_and_decrypts,
    items_written_here_decrypt_with_the_item_encryptor_alone,
    items_the_item_encryptor_wrote_alone_read_back_typed,
    a_tampered_item_fails_to_verify_naming_its_key,
    an_item_under_another_key_cannot_be_decrypted,
    an_item_without_its_signature_fails,
    an_update_of_an_encrypted_attribute_is_refused_and_the_item_kept,
);

/// The notes app's note, its content and attachment encrypted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(table = "notes")]
#[serde(rename_all = "camelCase")]
struct SecretNote {
    #[partition_key]
    user_id: String,
    #[sort_key]
    note_id: String,
    #[encrypt]
    content: String,
    #[encrypt]
    attachment: Option<String>,
    created_at: i64,
}

fn note(id: &str, content: &str) -> SecretNote {
    SecretNote {
        user_id: "u1".into(),
        note_id: id.into(),
        content: content.into(),
        attachment: Some(format!("{id}.png")),
        created_at: 1_767_225_600_000,
    }
}

/// The key of 32 `byte`s, as a raw AES keyring.
fn keyring(byte: u8) -> Keyring {
    Keyring::raw_aes("notes", "key-1", AesKey::new([byte; 32])).unwrap()
}

/// A repository writing `table` through the layer, under the key of 32 `byte`s; the table is
/// created once, by the first call.
async fn repo<B: Backend>(backend: &B, table: &str, byte: u8) -> Repo<SecretNote, Encrypted<B>> {
    let encryption = Encryption::builder(keyring(byte))
        .item_in::<SecretNote>(table)
        .build()
        .unwrap();
    let repo = Repo::with_table(Encrypted::new(backend.clone(), encryption), table);
    if repo.describe_table().await.is_err() {
        repo.create_table_on_demand().await.unwrap();
    }
    repo
}

/// The item as stored, read past the layer.
async fn raw<B: Backend>(backend: &B, table: &str, note: &SecretNote) -> ItemMap {
    backend
        .get_item(GetItem::new(table, note.key().to_key_map()).consistent_read(true))
        .await
        .unwrap()
        .item
        .expect("stored")
        .into_owned()
}

/// Stores `item` as it is, past the layer.
async fn put_raw<B: Backend>(backend: &B, table: &str, item: ItemMap) {
    backend.put_item(PutItem::new(table, item)).await.unwrap();
}

/// The Database Encryption SDK's item encryptor for `table`, configured by hand from its own
/// types: the same key and actions as `SecretNote`'s, nothing of this SDK in between.
async fn item_encryptor(table: &str, byte: u8) -> ItemEncryptor {
    let mpl = Mpl::from_conf(MaterialProvidersConfig::builder().build().unwrap()).unwrap();
    let keyring = mpl
        .create_raw_aes_keyring()
        .key_namespace("notes")
        .key_name("key-1")
        .wrapping_key(vec![byte; 32])
        .wrapping_alg(AesWrappingAlg::AlgAes256GcmIv12Tag16)
        .send()
        .await
        .unwrap();
    let actions = HashMap::from([
        ("userId".to_owned(), SdkAction::SignOnly),
        ("noteId".to_owned(), SdkAction::SignOnly),
        ("content".to_owned(), SdkAction::EncryptAndSign),
        ("attachment".to_owned(), SdkAction::EncryptAndSign),
        ("createdAt".to_owned(), SdkAction::SignOnly),
    ]);
    let config = DynamoDbItemEncryptorConfig::builder()
        .logical_table_name(table)
        .partition_key_name("userId")
        .sort_key_name("noteId")
        .attribute_actions_on_encrypt(actions)
        .keyring(keyring)
        .build()
        .unwrap();
    ItemEncryptor::from_conf(config).unwrap()
}

/// An item as the AWS SDK holds it, converted by hand (a note has strings, numbers, binaries).
fn to_sdk(item: ItemMap) -> HashMap<String, SdkValue> {
    item.into_iter()
        .map(|(name, value)| {
            let value = match value {
                AttributeValue::S(s) => SdkValue::S(s),
                AttributeValue::N(n) => SdkValue::N(n),
                AttributeValue::B(b) => SdkValue::B(b.into()),
                other => panic!("not in a note: {other:?}"),
            };
            (name, value)
        })
        .collect()
}

fn from_sdk(item: HashMap<String, SdkValue>) -> ItemMap {
    item.into_iter()
        .map(|(name, value)| {
            let value = match value {
                SdkValue::S(s) => AttributeValue::S(s),
                SdkValue::N(n) => AttributeValue::N(n),
                SdkValue::B(b) => AttributeValue::B(b.into_inner()),
                other => panic!("not in a note: {other:?}"),
            };
            (name, value)
        })
        .collect()
}

/// `err` is `Error::Decryption` of note `n1` in `table`, failed for `failure`.
fn assert_decryption(err: Error, table: &str, failure: DecryptionFailure) {
    match err {
        Error::Decryption {
            table: t,
            key,
            failure: f,
            ..
        } => {
            assert_eq!(
                (t.as_str(), key.as_str(), f),
                (table, r#"{userId: "u1", noteId: "n1"}"#, failure)
            );
        }
        other => panic!("expected Error::Decryption ({failure:?}), got {other:?}"),
    }
}

async fn the_table_holds_ciphertext_signed_plaintext_and_the_signature<B: Backend>(
    backend: B,
    table: &str,
) {
    let repo = repo(&backend, table, 7).await;
    let written = note("n1", "the door code is 4711");
    repo.put(&written).await.unwrap();

    let stored = raw(&backend, table, &written).await;
    for encrypted in ["content", "attachment", "aws_dbe_head", "aws_dbe_foot"] {
        assert!(
            matches!(stored.get(encrypted), Some(AttributeValue::B(_))),
            "{encrypted} is stored as a binary: {stored:?}"
        );
    }
    let AttributeValue::B(content) = &stored["content"] else {
        unreachable!()
    };
    assert!(
        !content
            .windows(b"4711".len())
            .any(|window| window == b"4711"),
        "the plaintext is not in the ciphertext"
    );
    assert_eq!(stored["userId"], AttributeValue::S("u1".into()));
    assert_eq!(stored["noteId"], AttributeValue::S("n1".into()));
    assert_eq!(
        stored["createdAt"],
        AttributeValue::N("1767225600000".into())
    );
    assert_eq!(stored.len(), 7, "{stored:?}");
}

async fn every_read_verifies_and_decrypts<B: Backend>(backend: B, table: &str) {
    let repo = repo(&backend, table, 7).await;
    let notes: Vec<_> = (1..=3)
        .map(|i| note(&format!("n{i}"), &format!("secret {i}")))
        .collect();
    repo.put(&notes[0]).await.unwrap();
    repo.batch_put(&notes[1..2]).await.unwrap();
    WriteTransaction::new(repo.backend())
        .put(repo.put(&notes[2]))
        .await
        .unwrap();

    assert_eq!(
        repo.get(&notes[0].key()).consistent().await.unwrap(),
        Some(notes[0].clone())
    );
    assert_eq!(repo.query("u1").consistent().all().await.unwrap(), notes);
    let keys: Vec<_> = notes.iter().map(Item::key).collect();
    let mut batch = repo.batch_get(&keys).consistent().await.unwrap();
    batch.sort_by(|a, b| a.note_id.cmp(&b.note_id));
    assert_eq!(batch, notes);
}

async fn items_written_here_decrypt_with_the_item_encryptor_alone<B: Backend>(
    backend: B,
    table: &str,
) {
    let repo = repo(&backend, table, 7).await;
    let written = note("n1", "written through the layer");
    repo.put(&written).await.unwrap();
    let stored = raw(&backend, table, &written).await;

    let decrypted = item_encryptor(table, 7)
        .await
        .decrypt_item()
        .encrypted_item(to_sdk(stored))
        .send()
        .await
        .unwrap()
        .plaintext_item
        .unwrap();
    assert_eq!(decrypted, to_sdk(written.to_item().unwrap()));
}

async fn items_the_item_encryptor_wrote_alone_read_back_typed<B: Backend>(backend: B, table: &str) {
    let repo = repo(&backend, table, 7).await;
    let original = note("n1", "encrypted by the Database Encryption SDK alone");
    let encrypted = item_encryptor(table, 7)
        .await
        .encrypt_item()
        .plaintext_item(to_sdk(original.to_item().unwrap()))
        .send()
        .await
        .unwrap()
        .encrypted_item
        .unwrap();
    put_raw(&backend, table, from_sdk(encrypted)).await;

    assert_eq!(
        repo.get(&original.key()).consistent().await.unwrap(),
        Some(original)
    );
}

async fn a_tampered_item_fails_to_verify_naming_its_key<B: Backend>(backend: B, table: &str) {
    let repo = repo(&backend, table, 7).await;
    let written = note("n1", "secret");
    repo.put(&written).await.unwrap();
    let stored = raw(&backend, table, &written).await;

    // A byte of ciphertext, a signed plaintext attribute, a byte of the signature.
    let mut ciphertext = stored.clone();
    if let Some(AttributeValue::B(bytes)) = ciphertext.get_mut("content") {
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
    }
    let mut plaintext = stored.clone();
    plaintext.insert("createdAt".into(), AttributeValue::N("1".into()));
    let mut signature = stored;
    if let Some(AttributeValue::B(bytes)) = signature.get_mut("aws_dbe_foot") {
        bytes[10] ^= 0x80;
    }
    for tampered in [ciphertext, plaintext, signature] {
        put_raw(&backend, table, tampered).await;
        let err = repo.get(&written.key()).consistent().await.unwrap_err();
        assert_decryption(err, table, DecryptionFailure::Tampered);
    }
}

async fn an_item_under_another_key_cannot_be_decrypted<B: Backend>(backend: B, table: &str) {
    let written = note("n1", "secret");
    repo(&backend, table, 7).await.put(&written).await.unwrap();

    let other = repo(&backend, table, 8).await;
    let err = other.get(&written.key()).consistent().await.unwrap_err();
    assert_decryption(err, table, DecryptionFailure::WrongKey);
    let err = other.query("u1").consistent().all().await.unwrap_err();
    assert_decryption(err, table, DecryptionFailure::WrongKey);
}

async fn an_item_without_its_signature_fails<B: Backend>(backend: B, table: &str) {
    let repo = repo(&backend, table, 7).await;
    let written = note("n1", "secret");
    repo.put(&written).await.unwrap();
    let mut stored = raw(&backend, table, &written).await;
    stored.remove("aws_dbe_foot");
    put_raw(&backend, table, stored).await;

    let err = repo.get(&written.key()).consistent().await.unwrap_err();
    assert_decryption(err, table, DecryptionFailure::MissingSignature);
}

async fn an_update_of_an_encrypted_attribute_is_refused_and_the_item_kept<B: Backend>(
    backend: B,
    table: &str,
) {
    let repo = repo(&backend, table, 7).await;
    let written = note("n1", "secret");
    repo.put(&written).await.unwrap();
    let before = raw(&backend, table, &written).await;

    let err = repo
        .update(&written.key())
        .apply(SecretNote::CONTENT.set("overwritten in place"))
        .if_exists()
        .await
        .unwrap_err();
    match err {
        Error::EncryptionRefused {
            table: t,
            attribute,
            reason,
        } => assert_eq!(
            (t.as_str(), attribute.as_str(), reason),
            (table, "content", EncryptionRefusal::UpdatesSigned)
        ),
        other => panic!("expected Error::EncryptionRefused, got {other:?}"),
    }
    assert_eq!(raw(&backend, table, &written).await, before);
    assert_eq!(
        repo.get(&written.key()).consistent().await.unwrap(),
        Some(written)
    );
}
