//! Client-side encryption of items with AWS's Database Encryption SDK (`aws-db-esdk`): the
//! [`Encrypted`] backend layer.
//!
//! Each attribute's action is declared on the item type (`#[encrypt]`, `#[sign_only]`,
//! `#[encryption_context]`, `#[unsigned]`: [`Item::ENCRYPTION`](notes_model::Item::ENCRYPTION),
//! see [`EncryptionSchema`]); an [`Encryption`] names the encrypted tables and the
//! [`Keyring`]; [`Encrypted`] wraps any backend with it. Items are stored exactly as the
//! Database Encryption SDK stores them for DynamoDB (ciphertext as binaries, plaintext signed
//! attributes, `aws_dbe_head` and `aws_dbe_foot`), so its Java, .NET, Python and Rust
//! clients read them, and this layer reads theirs.
//!
//! ```
//! use notes_encryption::{AesKey, Encrypted, Encryption, Keyring};
//! use notes_encryption::{CryptoAction, EncryptionSchema};
//! use notes_repo::{Item, MemoryBackend, Note, PrimaryKey, Repo};
//!
//! // What `#[derive(Item)]` declares as `Note::ENCRYPTION` with `#[encrypt]` on two fields.
//! const NOTE: EncryptionSchema = EncryptionSchema::new(&[
//!     ("userId", CryptoAction::SignOnly),
//!     ("noteId", CryptoAction::SignOnly),
//!     ("content", CryptoAction::EncryptAndSign),
//!     ("attachment", CryptoAction::EncryptAndSign),
//!     ("createdAt", CryptoAction::SignOnly),
//! ]);
//!
//! # #[tokio::main(flavor = "multi_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // In production: `AesKey::from_env("NOTES_KEY")?` (base64), `AesKey::from_file(..)?`, or KMS.
//! let key = AesKey::new([7; 32]);
//! let keyring = Keyring::raw_aes("notes", "key-1", key)?;
//! let encryption = Encryption::builder(keyring).table("notes", &Note::KEY_SCHEMA, NOTE).build()?;
//! let repo: Repo<Note, _> = Repo::new(Encrypted::new(MemoryBackend::new(), encryption));
//! repo.create_table_on_demand().await?;
//!
//! let note = Note { user_id: "u1".into(), note_id: "n1".into(), content: "secret".into(), attachment: None, created_at: 7 };
//! repo.put(&note).await?;
//! assert_eq!(repo.get(&note.key()).await?, Some(note));
//! # Ok(()) }
//! ```
//!
//! # Why a layer, with the item encryptor
//!
//! The Database Encryption SDK offers two ways in: an interceptor for `aws-sdk-dynamodb`
//! clients, and the item encryptor, which encrypts and decrypts one item. This crate uses the
//! item encryptor, as a [`Layer`](notes_core::Layer):
//!
//! - **One code path on every backend.** `MemoryBackend`, `DynamoDbBackend` and a local
//!   DynamoDB server all see the same ciphertext: the embedded store holds exactly what
//!   DynamoDB would. The interceptor exists only inside the AWS SDK's client.
//! - **It sees the typed request**, not its wire form: a condition on an encrypted attribute
//!   or an update of a signed one is refused, with the reason, before anything is sent
//!   ([`Error::EncryptionRefused`](notes_core::Error::EncryptionRefused)).
//! - **Errors are typed and name the item**: an item that fails to verify is
//!   [`Error::Decryption`](notes_core::Error::Decryption) with its table, its key
//!   (`{userId: "u1", noteId: "n1"}`) and a [`DecryptionFailure`](notes_core::DecryptionFailure):
//!   tampered, a wrong key, a missing signature.
//!
//! The price: searchable encryption (beacons) is the interceptor's alone, and is not
//! supported yet.
//!
//! # What encryption rules out
//!
//! | request | on an encrypted table |
//! | --- | --- |
//! | `PutItem`, batch and transaction puts | each item encrypted and signed |
//! | `GetItem`, `Query`, `Scan`, batch and transaction gets | each item verified and decrypted, or `Error::Decryption` |
//! | a condition, filter or key condition comparing an encrypted attribute | refused (`attribute_exists` / `attribute_not_exists` pass): `EncryptionRefusal::ComparesEncrypted` |
//! | `UpdateItem` (or a transaction's update) of any attribute but a `DO_NOTHING` one | refused: the item's signature covers it; write the whole item with put (`EncryptionRefusal::UpdatesSigned`) |
//! | an update whose value reads an encrypted attribute (`SET hits = content`, `if_not_exists(content, ..)`, `ADD`) | refused: DynamoDB would copy the ciphertext (`EncryptionRefusal::ReadsEncrypted`) |
//! | an update of `DO_NOTHING` attributes | sent with `attribute_exists(<partition key>)` added: it cannot create an item, which would have no signature (a missing item is `Error::ConditionFailed`) |
//! | a projection | the item is read whole (DynamoDB charges reads by the whole item anyway), verified, then projected |
//! | an index that does not project `aws_dbe_head` and `aws_dbe_foot` (and every signed attribute) | each item fails with `DecryptionFailure::MissingSignature` |
//! | `ReturnValues` `ALL_OLD` / `ALL_NEW`, a failed condition's item | decrypted |
//! | a table's stream (its records carry the items as stored) | decrypt each record with [`Encryption::decrypt_record`] before `StreamRecord::decode` |
//!
//! Tables the [`Encryption`] does not name pass through unencrypted. Every item of a table it
//! names is encrypted and verified, whatever its key: the guard items of `#[unique]`
//! attributes too (signed, with their `_unique_owner`; a unique attribute is signed, never
//! encrypted, so its value in the guard's key is no more plaintext than on the item).
//!
//! What a signature cannot tell: an older version of the same item, written back at its key
//! by someone who can write the table, verifies (nothing in the item says which version is
//! current): the Database Encryption SDK binds an item to its table and key, not to a time.
//! Telling a rolled-back item needs state kept outside it (the latest version, elsewhere).
//!
//! # Keyrings
//!
//! | keyring | KMS requests | for |
//! | --- | --- | --- |
//! | [`Keyring::raw_aes`], an [`AesKey`] from an environment variable or a file | none | tests, examples, small deployments |
//! | `Keyring::aws_kms(key_arn, client)` (feature `kms`) | one per item written or read | production, few items |
//! | `Keyring::hierarchical(&key_store, branch_key_id, ttl)` (feature `kms`) | one per branch key version and `ttl` | production, many items |
//! | `Keyring::hierarchical_per_tenant(&key_store, tenant_of_key, ttl)` (feature `kms`) | one per tenant's branch key version and `ttl` | tenants sharing a table, each under its own branch key |
//! | [`Keyring::from_mpl`]: any keyring of the Material Providers Library | its own | multi-keyrings, KMS multi-Region keys, RSA, ECDH |
//!
//! The hierarchical keyring's branch keys live in a DynamoDB table, the `KeyStore` (feature
//! `kms`), each wrapped by one KMS key; `KeyStore::create_table` and
//! `KeyStore::create_branch_key` make them once, in the control plane. The Material
//! Providers Library is re-exported as [`aws_db_esdk`].
//!
//! The Database Encryption SDK blocks the thread while a KMS keyring calls KMS: run on
//! tokio's multi-thread runtime (on the current-thread runtime it starts a thread per call).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod config;
mod error;
#[cfg(feature = "kms")]
mod hierarchical;
mod keyring;
mod layer;
mod rules;
mod sdk_errors;
mod table;

pub use config::{Encryption, EncryptionBuilder};
pub use error::ConfigError;
#[cfg(feature = "kms")]
#[cfg_attr(docsrs, doc(cfg(feature = "kms")))]
pub use hierarchical::KeyStore;
pub use keyring::{AesKey, Keyring};
pub use layer::Encrypted;
pub use notes_model::encryption::{CryptoAction, EncryptionSchema};

/// AWS's Database Encryption SDK, for what this crate does not wrap: the Material Providers
/// Library's keyrings (`aws_db_esdk::material_providers`), the key store of the
/// hierarchical keyring (`aws_db_esdk::key_store`), the item encryptor itself.
pub use aws_db_esdk;
