//! The notes app with client-side encryption: `cargo run --example notes-encrypted`.
//!
//! A note's `content` and `attachment` are encrypted and signed, its keys and `createdAt`
//! signed, by AWS's Database Encryption SDK, before they leave the process. The example shows
//! what the table holds (ciphertext, and the signature's `aws_dbe_head` / `aws_dbe_foot`),
//! what a typed read gives back, and what encryption refuses.
//!
//! - The key: `NOTES_ENCRYPTION_KEY` (base64 of 32 bytes), or the file named by
//!   `NOTES_ENCRYPTION_KEY_FILE` (32 raw bytes or base64); with neither, a key made for this
//!   run only (what it writes can't be read by another run).
//! - The backend: the embedded `MemoryBackend`; with `AWS_ENDPOINT_URL_DYNAMODB` set,
//!   DynamoDB through the AWS SDK (table `notes-encrypted`, or `NOTES_TABLE`).

use notes_encryption::{AesKey, Encrypted, Encryption, Keyring};
use notes_repo::request::{GetItem, PutItem};
use notes_repo::{AttributeValue, Backend, DynamoDbBackend, Error, Item, MemoryBackend};
use notes_repo::{PrimaryKey, Repo};
use serde::{Deserialize, Serialize};

/// A note of the notes table, its private parts encrypted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(table = "notes-encrypted")]
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

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = match (
        std::env::var("NOTES_ENCRYPTION_KEY"),
        std::env::var_os("NOTES_ENCRYPTION_KEY_FILE"),
    ) {
        (Ok(_), _) => AesKey::from_env("NOTES_ENCRYPTION_KEY")?,
        (_, Some(path)) => AesKey::from_file(path)?,
        _ => {
            println!("no NOTES_ENCRYPTION_KEY: a key for this run only");
            AesKey::generate()?
        }
    };
    let table = std::env::var("NOTES_TABLE").unwrap_or_else(|_| "notes-encrypted".to_owned());
    if std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some() {
        run(DynamoDbBackend::from_env().await, &table, key).await
    } else {
        run(MemoryBackend::new(), &table, key).await
    }
}

async fn run<B: Backend>(
    backend: B,
    table: &str,
    key: AesKey,
) -> Result<(), Box<dyn std::error::Error>> {
    let keyring = Keyring::raw_aes("notes", "notes-key-1", key)?;
    let encryption = Encryption::builder(keyring)
        .item_in::<SecretNote>(table)
        .build()?;
    let notes: Repo<SecretNote, _> =
        Repo::with_table(Encrypted::new(backend.clone(), encryption), table);
    notes.create_table_on_demand().await?;

    let note = SecretNote {
        user_id: "alice".into(),
        note_id: "n1".into(),
        content: "the door code is 4711".into(),
        attachment: Some("door.jpg".into()),
        created_at: 1_767_225_600_000,
    };
    notes.put(&note).await?;

    // What the table holds: read past the layer, straight from the backend.
    let stored = backend
        .get_item(GetItem::new(table, note.key().to_key_map()).consistent_read(true))
        .await?
        .item
        .expect("the note was just written");
    println!("stored in `{table}`:");
    let mut names: Vec<_> = stored.keys().collect();
    names.sort();
    for name in names {
        println!("  {name:<13} {}", describe(&stored[name]));
    }

    // A typed read verifies the signature and decrypts.
    let read = notes.get(&note.key()).consistent().await?;
    println!("read back: {read:?}");
    assert_eq!(read.as_ref(), Some(&note));
    let mine = notes.query("alice").consistent().all().await?;
    println!("alice has {} note(s), decrypted", mine.len());

    // An update would change signed attributes in place: refused, with the reason.
    let refused = notes
        .update(&note.key())
        .apply(SecretNote::CONTENT.set("new code"))
        .if_exists()
        .await
        .unwrap_err();
    println!("update refused: {refused}");
    // Writing the whole item encrypts and signs it again.
    let edited = SecretNote {
        content: "the door code is 0815".into(),
        ..note.clone()
    };
    notes.put(&edited).await?;
    println!(
        "rewritten with put: {:?}",
        notes
            .get(&note.key())
            .consistent()
            .await?
            .map(|n| n.content)
    );

    // Someone with write access to the table changes a ciphertext byte: the read fails,
    // naming the item, rather than answering garbage.
    let mut tampered = stored.into_owned();
    if let Some(AttributeValue::B(bytes)) = tampered.get_mut("content") {
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
    }
    backend.put_item(PutItem::new(table, tampered)).await?;
    match notes.get(&note.key()).consistent().await {
        Err(err @ Error::Decryption { .. }) => println!("tampered item: {err}"),
        other => panic!("a tampered item must fail to verify, got {other:?}"),
    }
    Ok(())
}

/// An attribute value in a line: its type, and its bytes for a binary.
fn describe(value: &AttributeValue) -> String {
    match value {
        AttributeValue::B(bytes) => format!("B, {} bytes of ciphertext or signature", bytes.len()),
        AttributeValue::S(text) => format!("S {text:?} (plaintext, signed)"),
        AttributeValue::N(number) => format!("N {number} (plaintext, signed)"),
        other => format!("{other:?}"),
    }
}
