//! The configuration, checked whole at `build`, and keys from the environment or a file.

use notes_encryption::{
    AesKey, ConfigError, CryptoAction, Encrypted, Encryption, EncryptionSchema,
};
use notes_repo::{Error, Item, MemoryBackend, Note, Repo};

use super::{NOTE, keyring, note};

/// A second item type of the notes table, declaring `content` differently.
const DRAFT: EncryptionSchema = EncryptionSchema::new(&[
    ("userId", CryptoAction::SignOnly),
    ("noteId", CryptoAction::SignOnly),
    ("content", CryptoAction::SignOnly),
    ("draftOf", CryptoAction::SignOnly),
])
.unsigned_prefix(":");

#[test]
fn two_actions_for_one_attribute_of_a_shared_table_name_both() {
    let err = Encryption::builder(keyring(7))
        .table("notes", &Note::KEY_SCHEMA, NOTE)
        .table("notes", &Note::KEY_SCHEMA, DRAFT)
        .build()
        .unwrap_err();
    let ConfigError::ConflictingActions {
        table,
        attribute,
        first,
        second,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!((table.as_str(), attribute.as_str()), ("notes", "content"));
    assert_eq!(first.1, CryptoAction::EncryptAndSign);
    assert_eq!(second.1, CryptoAction::SignOnly);

    let no_prefix = EncryptionSchema::new(&[("userId", CryptoAction::SignOnly)]);
    let err = Encryption::builder(keyring(7))
        .table("notes", &Note::KEY_SCHEMA, NOTE)
        .table("notes", &Note::KEY_SCHEMA, no_prefix)
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, ConfigError::TableMismatch { table, .. } if table == "notes"),
        "{err}"
    );
}

#[test]
fn a_hand_written_item_without_a_schema_is_refused() {
    let err = Encryption::builder(keyring(7)).item::<Note>().build();
    // `Note` on this branch may or may not declare its schema yet: with one, it builds.
    if Note::ENCRYPTION.is_declared() {
        assert!(err.is_ok(), "{err:?}");
    } else {
        let err = err.unwrap_err();
        assert!(
            matches!(&err, ConfigError::Undeclared { table, item } if table == "notes" && item == "Note"),
            "{err:?}"
        );
    }
    let err = Encryption::builder(keyring(7))
        .table("notes", &Note::KEY_SCHEMA, EncryptionSchema::UNDECLARED)
        .build()
        .unwrap_err();
    assert!(matches!(err, ConfigError::Undeclared { .. }), "{err:?}");
}

#[test]
fn an_encrypted_key_is_refused_by_the_encryption_sdk() {
    let err = Encryption::builder(keyring(7))
        .table(
            "notes",
            &Note::KEY_SCHEMA,
            EncryptionSchema::new(&[("userId", CryptoAction::EncryptAndSign)]),
        )
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, ConfigError::ItemEncryptor { table, .. } if table == "notes"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_attribute_without_an_action_cannot_be_written() {
    const NO_ATTACHMENT: EncryptionSchema = EncryptionSchema::new(&[
        ("userId", CryptoAction::SignOnly),
        ("noteId", CryptoAction::SignOnly),
        ("content", CryptoAction::EncryptAndSign),
        ("createdAt", CryptoAction::SignOnly),
    ]);
    let encryption = Encryption::builder(keyring(7))
        .table("notes", &Note::KEY_SCHEMA, NO_ATTACHMENT)
        .build()
        .unwrap();
    let repo: Repo<Note, _> = Repo::new(Encrypted::new(MemoryBackend::new(), encryption));
    repo.create_table_on_demand().await.unwrap();
    let err = repo.put(&note("u1", "n1", "x")).await.unwrap_err();
    let Error::Encryption {
        table,
        key,
        message,
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!((table.as_str(), key.as_str()), ("notes", super::U1_N1));
    assert!(
        message.contains("No Crypto Action configured for attribute attachment"),
        "{message}"
    );
}

/// The variables `environment_keys_are_read` sets for the test binary it runs again.
const VARIABLES: [(&str, &str); 3] = [
    (
        "NOTES_TEST_KEY_OK",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    ),
    ("NOTES_TEST_KEY_SHORT", "AAECAwQFBgcICQoLDA0ODw=="),
    ("NOTES_TEST_KEY_GARBLED", "not base64 at all!"),
];

/// Runs `keys_come_from_the_environment_as_base64` in a child process with the variables
/// set (setting them in this process would race with the other tests).
#[test]
fn environment_keys_are_read() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "config::keys_come_from_the_environment_as_base64",
            "--exact",
            "--test-threads=1",
        ])
        .envs(VARIABLES)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
}

/// The child of `environment_keys_are_read`; without its variables it has nothing to check.
#[test]
fn keys_come_from_the_environment_as_base64() {
    if std::env::var_os(VARIABLES[0].0).is_none() {
        return;
    }
    let expected: [u8; 32] = std::array::from_fn(|i| i as u8);
    assert_eq!(
        AesKey::from_env("NOTES_TEST_KEY_OK").unwrap(),
        AesKey::new(expected)
    );
    assert_eq!(
        AesKey::from_env("NOTES_TEST_KEY_SHORT")
            .unwrap_err()
            .to_string(),
        "the AES key in the environment variable `NOTES_TEST_KEY_SHORT` holds 16 bytes; an \
         AES-256 key is 32 bytes (44 characters of base64)"
    );
    let garbled = AesKey::from_env("NOTES_TEST_KEY_GARBLED").unwrap_err();
    assert!(matches!(
        garbled,
        ConfigError::NotBase64 {
            source: Some(_),
            ..
        }
    ));
    assert_eq!(
        garbled.to_string(),
        "the AES key in the environment variable `NOTES_TEST_KEY_GARBLED` is not base64 (the \
         base64 of 32 bytes, e.g. from `openssl rand -base64 32`)"
    );
    assert!(matches!(
        AesKey::from_env("NOTES_TEST_KEY_UNSET"),
        Err(ConfigError::MissingVariable { variable }) if variable == "NOTES_TEST_KEY_UNSET"
    ));
}

#[test]
fn keys_come_from_a_file_raw_or_as_base64() {
    let dir = std::env::temp_dir().join(format!("notes-encryption-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let raw = dir.join("raw.key");
    std::fs::write(&raw, [0xa5u8; 32]).unwrap();
    assert_eq!(AesKey::from_file(&raw).unwrap(), AesKey::new([0xa5; 32]));
    let text = dir.join("key.b64");
    std::fs::write(&text, "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=\n").unwrap();
    assert_eq!(AesKey::from_file(&text).unwrap(), AesKey::new([9; 32]));
    // Every wrong file names its length: raw bytes one short or long, text that is base64 of
    // fewer bytes, whitespace; 32 characters of text are not taken as a raw key.
    let cases: [(&str, &[u8], usize); 5] = [
        ("short.key", &[0xa5; 31], 31),
        ("long.key", &[0xa5; 33], 33),
        ("tabs.key", &[9; 31], 31),
        ("base64-of-24.key", b"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 24),
        ("passphrase.key", b"correct horse battery staple!!!!", 32),
    ];
    for (name, bytes, length) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        match AesKey::from_file(&path).unwrap_err() {
            ConfigError::WrongKeyLength { length: found, .. } if found == length => {}
            ConfigError::NotBase64 { .. } if name == "passphrase.key" => {}
            other => panic!("{name}: {other:?}"),
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A table whose items keep `#[unique]` guards (`_unique_owner` declared) and bind `tenant`
/// into the encryption context: a guard could never hold the tenant. (A derived type cannot
/// declare both: a compile error.)
const TENANT_USERS: EncryptionSchema = EncryptionSchema::new(&[
    ("id", CryptoAction::SignAndIncludeInEncryptionContext),
    ("email", CryptoAction::SignOnly),
    ("tenant", CryptoAction::SignAndIncludeInEncryptionContext),
    ("_unique_owner", CryptoAction::SignOnly),
]);

#[test]
fn unique_guards_cannot_join_a_table_with_context_attributes() {
    let err = Encryption::builder(keyring(7))
        .table(
            "users",
            &notes_repo::KeySchema {
                partition_key: notes_repo::KeyAttribute::new("id", notes_repo::ScalarType::S),
                sort_key: None,
            },
            TENANT_USERS,
        )
        .build()
        .unwrap_err();
    assert!(
        matches!(err, ConfigError::Unsupported { ref table, .. } if table == "users"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "table `users` cannot be encrypted as declared: the schema given to `table(\"users\")` \
         keeps #[unique] guard items, which hold only the keys and `_unique_owner`, so `tenant` \
         cannot be SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT (#[encryption_context]): the Database \
         Encryption SDK refuses an item without it"
    );
}
