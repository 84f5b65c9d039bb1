//! Interoperability with the Database Encryption SDK's own item encryptor, used directly:
//! items written through the layer decrypt with it, and items it encrypts read back typed.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue as SdkValue;
use notes_encryption::aws_db_esdk::CryptoAction;
use notes_encryption::aws_db_esdk::item_encryptor::client::Client;
use notes_encryption::aws_db_esdk::item_encryptor::types::dynamo_db_item_encryptor_config::DynamoDbItemEncryptorConfig;
use notes_encryption::aws_db_esdk::material_providers::client::Client as Mpl;
use notes_encryption::aws_db_esdk::material_providers::types::AesWrappingAlg;
use notes_encryption::aws_db_esdk::material_providers::types::material_providers_config::MaterialProvidersConfig;
use notes_repo::{AttributeValue, Item, ItemMap};

use super::{note, put_raw, raw, setup};

/// The Database Encryption SDK's item encryptor for the notes table, configured by hand: the
/// same raw AES key (byte 7), namespace and name, and the same actions as `NOTE`.
async fn item_encryptor() -> Client {
    let mpl = Mpl::from_conf(MaterialProvidersConfig::builder().build().unwrap()).unwrap();
    let keyring = mpl
        .create_raw_aes_keyring()
        .key_namespace("notes")
        .key_name("key-1")
        .wrapping_key(vec![7u8; 32])
        .wrapping_alg(AesWrappingAlg::AlgAes256GcmIv12Tag16)
        .send()
        .await
        .unwrap();
    let actions = HashMap::from([
        ("userId".to_owned(), CryptoAction::SignOnly),
        ("noteId".to_owned(), CryptoAction::SignOnly),
        ("content".to_owned(), CryptoAction::EncryptAndSign),
        ("attachment".to_owned(), CryptoAction::EncryptAndSign),
        ("createdAt".to_owned(), CryptoAction::SignOnly),
    ]);
    let config = DynamoDbItemEncryptorConfig::builder()
        .logical_table_name("notes")
        .partition_key_name("userId")
        .sort_key_name("noteId")
        .attribute_actions_on_encrypt(actions)
        .allowed_unsigned_attribute_prefix(":")
        .keyring(keyring)
        .build()
        .unwrap();
    Client::from_conf(config).unwrap()
}

/// An item of ours as the SDK holds it, converted by hand.
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

#[tokio::test(flavor = "multi_thread")]
async fn an_item_written_through_the_layer_decrypts_with_the_item_encryptor() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let stored = raw(&memory, &written.key()).await;

    let decrypted = item_encryptor()
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

#[tokio::test(flavor = "multi_thread")]
async fn an_item_the_item_encryptor_encrypted_reads_back_typed() {
    let (memory, repo) = setup().await;
    let original = note("u1", "n1", "encrypted elsewhere");
    let encrypted = item_encryptor()
        .await
        .encrypt_item()
        .plaintext_item(to_sdk(original.to_item().unwrap()))
        .send()
        .await
        .unwrap()
        .encrypted_item
        .unwrap();
    let encrypted = from_sdk(encrypted);
    assert!(matches!(encrypted["content"], AttributeValue::B(_)));
    put_raw(&memory, encrypted).await;

    assert_eq!(repo.get(&original.key()).await.unwrap(), Some(original));
}
