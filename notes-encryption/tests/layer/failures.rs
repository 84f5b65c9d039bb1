//! Items that fail to verify or to decrypt: typed errors naming the item, never garbage.

use notes_encryption::Encrypted;
use notes_repo::expr::KeyCondition;
use notes_repo::request::{Query, Select};
use notes_repo::{
    AdditionalKeys, AttributeValue, Backend, DecryptionFailure, Error, IndexKind, IndexProjection,
    IndexSchema, Item, KeyAttribute, KeySchema, MemoryBackend, Note, Repo, ScalarType,
};

use super::{U1_N1, encryption, note, put_raw, raw, setup};

/// The error of reading `u1/n1`, which must be `Error::Decryption` with `failure`.
async fn read_fails(
    repo: &Repo<Note, Encrypted<MemoryBackend>>,
    failure: DecryptionFailure,
) -> String {
    let err = repo.get(&note("u1", "n1", "").key()).await.unwrap_err();
    match err {
        Error::Decryption {
            table,
            key,
            failure: found,
            message,
            ..
        } => {
            assert_eq!(
                (table.as_str(), key.as_str(), found),
                ("notes", U1_N1, failure),
                "{message}"
            );
            message
        }
        other => panic!("expected a decryption error, got {other:?}"),
    }
}

fn flip_a_byte(value: &mut AttributeValue) {
    let AttributeValue::B(bytes) = value else {
        panic!("a binary, got {value:?}");
    };
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flipped_byte_of_ciphertext_is_tampering() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let mut stored = raw(&memory, &written.key()).await;
    flip_a_byte(stored.get_mut("content").unwrap());
    put_raw(&memory, stored).await;
    let message = read_fails(&repo, DecryptionFailure::Tampered).await;
    assert_eq!(
        message,
        "Signature of record does not match the signature computed when the record was encrypted."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_changed_signed_plaintext_attribute_is_tampering() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let mut stored = raw(&memory, &written.key()).await;
    stored.insert("createdAt".into(), AttributeValue::N("1".into()));
    put_raw(&memory, stored).await;
    read_fails(&repo, DecryptionFailure::Tampered).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_flipped_byte_of_the_footer_is_tampering() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let mut stored = raw(&memory, &written.key()).await;
    flip_a_byte(stored.get_mut("aws_dbe_foot").unwrap());
    put_raw(&memory, stored).await;
    read_fails(&repo, DecryptionFailure::Tampered).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_removed_signed_attribute_is_tampering() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let mut stored = raw(&memory, &written.key()).await;
    stored.remove("attachment");
    put_raw(&memory, stored).await;
    read_fails(&repo, DecryptionFailure::Tampered).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn another_key_cannot_decrypt() {
    let (memory, repo) = setup().await;
    repo.put(&note("u1", "n1", "secret")).await.unwrap();
    let other: Repo<Note, _> = Repo::new(Encrypted::new(memory, encryption(8)));
    let message = read_fails(&other, DecryptionFailure::WrongKey).await;
    assert_eq!(
        message,
        "Raw AES Keyring was unable to decrypt any encrypted data key."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_item_without_its_footer_has_no_signature() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let mut stored = raw(&memory, &written.key()).await;
    stored.remove("aws_dbe_foot");
    put_raw(&memory, stored).await;
    let message = read_fails(&repo, DecryptionFailure::MissingSignature).await;
    assert_eq!(message, "The field name aws_dbe_foot is required.");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_plaintext_item_has_no_signature() {
    let (memory, repo) = setup().await;
    put_raw(
        &memory,
        note("u1", "n1", "written unencrypted").to_item().unwrap(),
    )
    .await;
    let message = read_fails(&repo, DecryptionFailure::MissingSignature).await;
    assert_eq!(
        message,
        "Encrypted item missing expected header and footer attributes"
    );
}

static CREATED: [KeyAttribute; 1] = [KeyAttribute::new("createdAt", ScalarType::N)];

#[tokio::test(flavor = "multi_thread")]
async fn an_index_that_drops_the_signature_fails_to_verify() {
    let memory = MemoryBackend::new();
    let by_user = IndexSchema {
        name: "byUser".into(),
        kind: IndexKind::Global,
        key_schema: KeySchema {
            partition_key: KeyAttribute::new("userId", ScalarType::S),
            sort_key: Some(CREATED[0].clone()),
        },
        projection: IndexProjection::Include(vec!["content".into()]),
        additional_keys: AdditionalKeys::NONE,
    };
    let create =
        notes_repo::request::CreateTable::new("notes", Note::KEY_SCHEMA).indexes(vec![by_user]);
    memory.create_table(create).await.unwrap();
    let backend = Encrypted::new(memory, encryption(7));
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    repo.put(&note("u1", "n1", "secret")).await.unwrap();

    let by_user = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
    let query = Query::new("notes", by_user)
        .index_name("byUser")
        .select(Select::AllProjectedAttributes);
    let err = backend.query(query).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Decryption { failure: DecryptionFailure::MissingSignature, ref key, .. } if key == U1_N1
        ),
        "{err:?}"
    );
}

/// Every byte of the stored form changed, and every attribute of it cut short or emptied: no
/// read answers the item (or another one), none panics, and each failure is the item's
/// `Error::Decryption` as tampering (or, for a byte of the header's wrapped data key or the
/// encryption context it is bound to, as a key that cannot open it).
#[tokio::test(flavor = "multi_thread")]
async fn every_byte_of_the_stored_form_changed_or_cut_is_refused() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let stored = raw(&memory, &written.key()).await;

    let mut damaged = Vec::new();
    for attribute in ["content", "attachment", "aws_dbe_head", "aws_dbe_foot"] {
        let AttributeValue::B(bytes) = &stored[attribute] else {
            panic!("{attribute} is a binary");
        };
        for at in 0..bytes.len() {
            for mask in [0x01, 0x80] {
                let mut changed = bytes.clone();
                changed[at] ^= mask;
                damaged.push((
                    format!("{attribute}[{at}] ^ {mask:#04x}"),
                    attribute,
                    changed,
                ));
            }
            damaged.push((
                format!("{attribute} cut to {at} bytes"),
                attribute,
                bytes[..at].to_vec(),
            ));
        }
        let mut longer = bytes.clone();
        longer.push(0);
        damaged.push((format!("{attribute} one byte longer"), attribute, longer));
    }
    let mut kinds = std::collections::BTreeMap::<String, usize>::new();
    for (what, attribute, bytes) in damaged {
        let mut item = stored.clone();
        item.insert(attribute.to_owned(), AttributeValue::B(bytes));
        put_raw(&memory, item).await;
        match repo.get(&written.key()).await {
            Err(Error::Decryption {
                table,
                key,
                failure,
                message,
                ..
            }) => {
                assert_eq!((table.as_str(), key.as_str()), ("notes", U1_N1), "{what}");
                let allowed = match attribute {
                    "aws_dbe_head" => [DecryptionFailure::Tampered, DecryptionFailure::WrongKey]
                        .contains(&failure),
                    _ => failure == DecryptionFailure::Tampered,
                };
                assert!(allowed, "{what}: {failure:?}: {message}");
                *kinds.entry(format!("{attribute} {failure:?}")).or_default() += 1;
            }
            other => panic!("{what}: expected Error::Decryption, got {other:?}"),
        }
    }
    assert!(kinds.len() >= 4, "{kinds:?}");
}

/// An item moved to another key fails: its data key is bound to the key it was written at.
#[tokio::test(flavor = "multi_thread")]
async fn an_item_moved_to_another_key_fails_to_decrypt() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let mut moved = raw(&memory, &written.key()).await;
    moved.insert("noteId".into(), AttributeValue::S("n2".into()));
    put_raw(&memory, moved).await;
    let err = repo.get(&note("u1", "n2", "").key()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Decryption { failure: DecryptionFailure::WrongKey, ref key, .. }
                if key == r#"{userId: "u1", noteId: "n2"}"#
        ),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_item_without_its_header_has_no_signature() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let mut stored = raw(&memory, &written.key()).await;
    stored.remove("aws_dbe_head");
    put_raw(&memory, stored).await;
    read_fails(&repo, DecryptionFailure::MissingSignature).await;
}

/// A key that looks like a `#[unique]` guard's is an item like any other: encrypted when
/// written, and verified when read (a forged plaintext item there is refused).
#[tokio::test(flavor = "multi_thread")]
async fn a_key_that_looks_like_a_guard_is_encrypted_and_verified() {
    let (memory, repo) = setup().await;
    let written = note("_unique#x", "n1", "secret");
    repo.put(&written).await.unwrap();
    let stored = raw(&memory, &written.key()).await;
    assert!(
        matches!(stored["content"], AttributeValue::B(_)),
        "{stored:?}"
    );
    assert!(stored.contains_key("aws_dbe_foot"));

    put_raw(
        &memory,
        note("_unique#f", "n1", "forged").to_item().unwrap(),
    )
    .await;
    let err = repo
        .get(&note("_unique#f", "n1", "").key())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Decryption {
                failure: DecryptionFailure::MissingSignature,
                ..
            }
        ),
        "{err:?}"
    );
}

/// The signature's attributes replaced by values of another type: tampering.
#[tokio::test(flavor = "multi_thread")]
async fn a_signature_attribute_of_another_type_is_tampering() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let stored = raw(&memory, &written.key()).await;
    for attribute in ["aws_dbe_head", "aws_dbe_foot"] {
        for value in [AttributeValue::S("x".into()), AttributeValue::Null(true)] {
            let mut item = stored.clone();
            item.insert(attribute.into(), value);
            put_raw(&memory, item).await;
            read_fails(&repo, DecryptionFailure::Tampered).await;
        }
    }
}
