//! KMS keyrings (feature `kms`): the exact requests sent to KMS, answered by the AWS SDK's
//! mocks.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use aws_sdk_kms::Client;
use aws_sdk_kms::operation::decrypt::{DecryptInput, DecryptOutput};
use aws_sdk_kms::operation::generate_data_key::{GenerateDataKeyInput, GenerateDataKeyOutput};
use aws_sdk_kms::primitives::Blob;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use notes_encryption::aws_db_esdk::material_providers::types::DbeAlgorithmSuiteId;
use notes_encryption::{Encrypted, Encryption, Keyring};
use notes_repo::{AttributeValue, Item, MemoryBackend, Note, Repo};

use super::{NOTE, note, raw};

const KEY_ARN: &str = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
/// The data key KMS "generates", and the blob it "encrypts" it to.
const DATA_KEY: [u8; 32] = [42; 32];
const WRAPPED: &[u8] = b"the data key, as KMS encrypted it";

/// The encryption context of `{userId: "u1", noteId: "n1"}` in the notes table, as the
/// Database Encryption SDK binds it to the data key (its values are the keys' typed
/// encodings, base64).
fn context() -> HashMap<String, String> {
    HashMap::from([
        ("aws-crypto-table-name".to_owned(), "notes".to_owned()),
        ("aws-crypto-partition-name".to_owned(), "userId".to_owned()),
        ("aws-crypto-sort-name".to_owned(), "noteId".to_owned()),
        ("aws-crypto-attr.userId".to_owned(), "AAF1MQ==".to_owned()),
        ("aws-crypto-attr.noteId".to_owned(), "AAFuMQ==".to_owned()),
    ])
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kms_keyring_generates_and_decrypts_the_data_key_with_the_items_context() {
    let generated: Arc<Mutex<Vec<GenerateDataKeyInput>>> = Arc::default();
    let decrypted: Arc<Mutex<Vec<DecryptInput>>> = Arc::default();
    let seen = generated.clone();
    let generate = mock!(Client::generate_data_key)
        .match_requests(move |request| {
            seen.lock().unwrap().push(request.clone());
            true
        })
        .then_output(|| {
            GenerateDataKeyOutput::builder()
                .key_id(KEY_ARN)
                .plaintext(Blob::new(DATA_KEY))
                .ciphertext_blob(Blob::new(WRAPPED))
                .build()
        });
    let seen = decrypted.clone();
    let decrypt = mock!(Client::decrypt)
        .match_requests(move |request| {
            seen.lock().unwrap().push(request.clone());
            true
        })
        .then_output(|| {
            DecryptOutput::builder()
                .key_id(KEY_ARN)
                .plaintext(Blob::new(DATA_KEY))
                .build()
        });
    let client = mock_client!(aws_sdk_kms, RuleMode::MatchAny, [&generate, &decrypt]);

    let keyring = Keyring::aws_kms(KEY_ARN, client).unwrap();
    // The suite without ECDSA: no per-item public key in the context, so it is exact.
    let encryption = Encryption::builder(keyring)
        .algorithm_suite(DbeAlgorithmSuiteId::AlgAes256GcmHkdfSha512CommitKeySymsigHmacSha384)
        .table("notes", &Note::KEY_SCHEMA, NOTE)
        .build()
        .unwrap();
    let memory = MemoryBackend::new();
    let repo: Repo<Note, _> = Repo::new(Encrypted::new(memory.clone(), encryption));
    repo.create_table_on_demand().await.unwrap();

    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    assert!(matches!(
        raw(&memory, &written.key()).await["content"],
        AttributeValue::B(_)
    ));
    assert_eq!(repo.get(&written.key()).await.unwrap(), Some(written));

    let generated = generated.lock().unwrap();
    assert_eq!(generated.len(), 1);
    assert_eq!(generated[0].key_id(), Some(KEY_ARN));
    assert_eq!(generated[0].number_of_bytes(), Some(32));
    assert_eq!(generated[0].encryption_context(), Some(&context()));
    let decrypted = decrypted.lock().unwrap();
    assert_eq!(decrypted.len(), 1);
    assert_eq!(decrypted[0].key_id(), Some(KEY_ARN));
    assert_eq!(
        decrypted[0].ciphertext_blob().map(Blob::as_ref),
        Some(WRAPPED)
    );
    assert_eq!(decrypted[0].encryption_context(), Some(&context()));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kms_key_that_refuses_to_decrypt_is_the_wrong_key_error() {
    use aws_sdk_kms::operation::decrypt::DecryptError;
    use aws_sdk_kms::types::error::IncorrectKeyException;
    use notes_repo::{DecryptionFailure, Error};

    let generate = mock!(Client::generate_data_key).then_output(|| {
        GenerateDataKeyOutput::builder()
            .key_id(KEY_ARN)
            .plaintext(Blob::new(DATA_KEY))
            .ciphertext_blob(Blob::new(WRAPPED))
            .build()
    });
    let refuse = mock!(Client::decrypt).then_error(|| {
        DecryptError::IncorrectKeyException(
            IncorrectKeyException::builder()
                .message("The key ID in the request does not identify a CMK that can perform this operation.")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_kms, RuleMode::MatchAny, [&generate, &refuse]);
    let encryption = Encryption::builder(Keyring::aws_kms(KEY_ARN, client).unwrap())
        .table("notes", &Note::KEY_SCHEMA, NOTE)
        .build()
        .unwrap();
    let repo: Repo<Note, _> = Repo::new(Encrypted::new(MemoryBackend::new(), encryption));
    repo.create_table_on_demand().await.unwrap();
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();

    let err = repo.get(&written.key()).await.unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Decryption { failure: DecryptionFailure::WrongKey, message, .. }
                if message == "No Configured KMS Key was able to decrypt the Data Key."
        ),
        "{err:?}"
    );
}
