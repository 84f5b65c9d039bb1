//! The `Encrypted` layer on `MemoryBackend`: round trips, the stored form, interoperability
//! with the Database Encryption SDK's own item encryptor, failures and refusals.

mod batches;
mod config;
mod failures;
#[cfg(feature = "kms")]
mod hierarchical;
mod interop;
#[cfg(feature = "kms")]
mod kms;
mod refusals;
mod round_trip;
mod wire;

use notes_encryption::{AesKey, CryptoAction, Encrypted, Encryption, EncryptionSchema, Keyring};
use notes_repo::request::{GetItem, PutItem};
use notes_repo::{Backend, Item, ItemMap, MemoryBackend, Note, NoteKey, PrimaryKey, Repo};

/// `Note` with its text and attachment encrypted, and `:`-prefixed attributes unsigned.
pub const NOTE: EncryptionSchema = EncryptionSchema::new(&[
    ("userId", CryptoAction::SignOnly),
    ("noteId", CryptoAction::SignOnly),
    ("content", CryptoAction::EncryptAndSign),
    ("attachment", CryptoAction::EncryptAndSign),
    ("createdAt", CryptoAction::SignOnly),
])
.unsigned_prefix(":");

/// The raw AES keyring of the key of 32 `byte`s.
pub fn keyring(byte: u8) -> Keyring {
    Keyring::raw_aes("notes", "key-1", AesKey::new([byte; 32])).unwrap()
}

/// The notes table encrypted with `NOTE` under the key of 32 `byte`s.
pub fn encryption(byte: u8) -> Encryption {
    Encryption::builder(keyring(byte))
        .table("notes", &Note::KEY_SCHEMA, NOTE)
        .build()
        .unwrap()
}

/// The store, and a repository writing to it through the layer (key byte 7).
pub async fn setup() -> (MemoryBackend, Repo<Note, Encrypted<MemoryBackend>>) {
    let memory = MemoryBackend::new();
    let repo: Repo<Note, _> = Repo::new(Encrypted::new(memory.clone(), encryption(7)));
    repo.create_table_on_demand().await.unwrap();
    (memory, repo)
}

/// A note with an attachment.
pub fn note(user: &str, id: &str, content: &str) -> Note {
    Note {
        user_id: user.into(),
        note_id: id.into(),
        content: content.into(),
        attachment: Some(format!("{id}.png")),
        created_at: 1_700_000_000_000,
    }
}

/// The item as stored, read past the layer.
pub async fn raw(memory: &MemoryBackend, key: &NoteKey) -> ItemMap {
    memory
        .get_item(GetItem::new("notes", key.to_key_map()).consistent_read(true))
        .await
        .unwrap()
        .item
        .expect("stored")
        .into_owned()
}

/// Stores `item` as it is, past the layer.
pub async fn put_raw(memory: &MemoryBackend, item: ItemMap) {
    memory.put_item(PutItem::new("notes", item)).await.unwrap();
}

/// The key as errors name it.
pub const U1_N1: &str = r#"{userId: "u1", noteId: "n1"}"#;

#[test]
fn the_schema_encrypts_content() {
    assert_eq!(NOTE.action("content"), Some(CryptoAction::EncryptAndSign));
    assert!(Note::KEY_SCHEMA.sort_key.is_some());
}
