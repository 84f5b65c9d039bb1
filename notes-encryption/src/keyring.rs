//! Keyrings: what protects the data keys that encrypt each item. Raw AES-256 for tests and
//! small deployments (a key from an environment variable or a file), AWS KMS for production
//! (feature `kms`; the hierarchical keyring, its branch keys in a DynamoDB key store, is in
//! `hierarchical`), and any keyring of AWS's Material Providers Library
//! ([`Keyring::from_mpl`]: multi-keyrings, KMS multi-Region keys, RSA, ECDH).

use std::fmt;
use std::future::Future;
use std::path::Path;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use aws_db_esdk::material_providers::client::Client as MaterialProviders;
use aws_db_esdk::material_providers::types::AesWrappingAlg;
use aws_db_esdk::material_providers::types::keyring::KeyringRef;
use aws_db_esdk::material_providers::types::material_providers_config::MaterialProvidersConfig;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::error::ConfigError;

/// The length of an AES-256 key, in bytes.
const AES_256_LEN: usize = 32;

/// An AES-256 wrapping key: 32 bytes. Its `Debug` never shows them.
///
/// ```
/// use notes_encryption::AesKey;
///
/// let key = AesKey::from_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")?;
/// assert_eq!(format!("{key:?}"), "AesKey(<32 bytes>)");
/// assert_eq!(
///     AesKey::from_base64("AAEC").unwrap_err().to_string(),
///     "the AES key in base64 text holds 3 bytes; an AES-256 key is 32 bytes (44 characters of base64)"
/// );
/// # Ok::<(), notes_encryption::ConfigError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AesKey([u8; AES_256_LEN]);

impl AesKey {
    /// The key of these 32 bytes.
    ///
    /// ```
    /// let key = notes_encryption::AesKey::new([7; 32]);
    /// # let _ = key;
    /// ```
    pub const fn new(bytes: [u8; AES_256_LEN]) -> Self {
        AesKey(bytes)
    }

    /// A new random key, from the operating system's generator (through aws-lc, the
    /// cryptography the Database Encryption SDK builds on). Keep it: what it encrypts can be
    /// read only with it ([`to_base64`](Self::to_base64) gives its text).
    ///
    /// ```
    /// use notes_encryption::AesKey;
    ///
    /// let (a, b) = (AesKey::generate()?, AesKey::generate()?);
    /// assert_ne!(a, b);
    /// assert_eq!(AesKey::from_base64(&a.to_base64())?, a);
    /// # Ok::<(), notes_encryption::ConfigError>(())
    /// ```
    pub fn generate() -> Result<Self, ConfigError> {
        let mut bytes = [0; AES_256_LEN];
        aws_lc_rs::rand::fill(&mut bytes).map_err(|_| ConfigError::Keyring {
            message: "the operating system's random generator failed".to_owned(),
        })?;
        Ok(AesKey(bytes))
    }

    /// The key as base64 (standard alphabet, padded): what [`from_base64`](Self::from_base64),
    /// [`from_env`](Self::from_env) and [`from_file`](Self::from_file) read.
    ///
    /// ```
    /// assert_eq!(notes_encryption::AesKey::new([0; 32]).to_base64().len(), 44);
    /// ```
    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0)
    }

    /// The key in `text`: the base64 (standard alphabet, padded) of 32 bytes; surrounding
    /// whitespace is ignored.
    ///
    /// ```
    /// use notes_encryption::{AesKey, ConfigError};
    ///
    /// assert!(matches!(AesKey::from_base64("not base64!"), Err(ConfigError::NotBase64 { .. })));
    /// ```
    pub fn from_base64(text: &str) -> Result<Self, ConfigError> {
        decode(text, "base64 text".to_owned())
    }

    /// The key in the environment variable `variable`, as base64 of 32 bytes (`openssl rand
    /// -base64 32` makes one).
    ///
    /// ```
    /// use notes_encryption::{AesKey, ConfigError};
    ///
    /// let err = AesKey::from_env("NOTES_NO_SUCH_KEY").unwrap_err();
    /// assert!(matches!(err, ConfigError::MissingVariable { ref variable } if variable == "NOTES_NO_SUCH_KEY"));
    /// assert_eq!(err.to_string(), "the environment variable `NOTES_NO_SUCH_KEY` is not set (an AES-256 key as base64)");
    /// ```
    pub fn from_env(variable: &str) -> Result<Self, ConfigError> {
        let text = std::env::var(variable).map_err(|err| match err {
            std::env::VarError::NotPresent => ConfigError::MissingVariable {
                variable: variable.to_owned(),
            },
            std::env::VarError::NotUnicode(_) => ConfigError::NotBase64 {
                origin: format!("the environment variable `{variable}`"),
                source: None,
            },
        })?;
        decode(&text, format!("the environment variable `{variable}`"))
    }

    /// The key in the file at `path`: the base64 text of 32 bytes (a trailing newline is
    /// fine), or the 32 bytes themselves. A file of 32 bytes that are all printable text (a
    /// passphrase, hex, base64 of fewer bytes) is refused rather than taken as a raw key: a
    /// random key is never all text.
    ///
    /// ```
    /// use notes_encryption::{AesKey, ConfigError};
    ///
    /// let err = AesKey::from_file("no/such/key.b64").unwrap_err();
    /// assert!(matches!(err, ConfigError::KeyFile { .. }));
    /// assert!(err.to_string().starts_with("cannot read the AES key file `no/such/key.b64`: "));
    /// ```
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, ConfigError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| ConfigError::KeyFile {
            path: path.to_owned(),
            source,
        })?;
        let origin = format!("the file `{}`", path.display());
        let text = std::str::from_utf8(&bytes)
            .ok()
            .map(str::trim)
            .filter(|text| !text.is_empty());
        let is_text = bytes
            .iter()
            .all(|byte| byte.is_ascii_graphic() || byte.is_ascii_whitespace());
        match (text, <[u8; AES_256_LEN]>::try_from(bytes.as_slice())) {
            (Some(text), _) if is_text => decode(text, origin),
            (_, Ok(raw)) if !is_text => Ok(AesKey(raw)),
            _ => Err(ConfigError::WrongKeyLength {
                origin,
                length: bytes.len(),
            }),
        }
    }
}

/// The key in base64 `text`, or what is wrong with it, naming where it came from.
fn decode(text: &str, origin: String) -> Result<AesKey, ConfigError> {
    let bytes = match STANDARD.decode(text.trim()) {
        Ok(bytes) => bytes,
        Err(source) => {
            return Err(ConfigError::NotBase64 {
                origin,
                source: Some(source),
            });
        }
    };
    <[u8; AES_256_LEN]>::try_from(bytes.as_slice())
        .map(AesKey)
        .map_err(|_| ConfigError::WrongKeyLength {
            origin,
            length: bytes.len(),
        })
}

impl fmt::Debug for AesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AesKey(<{} bytes>)", self.0.len())
    }
}

impl From<[u8; AES_256_LEN]> for AesKey {
    fn from(bytes: [u8; AES_256_LEN]) -> Self {
        AesKey(bytes)
    }
}

/// A keyring of AWS's Material Providers Library, as the item encryptor uses it.
///
/// ```
/// use notes_encryption::{AesKey, Keyring};
///
/// let keyring = Keyring::raw_aes("notes", "key-2026-01", AesKey::new([7; 32]))?;
/// assert_eq!(format!("{keyring:?}"), "Keyring(raw AES-256 notes/key-2026-01)");
/// # Ok::<(), notes_encryption::ConfigError>(())
/// ```
#[derive(Clone)]
pub struct Keyring {
    pub(crate) inner: KeyringRef,
    description: String,
}

impl Keyring {
    /// A raw AES-256 keyring (AES-GCM key wrapping): the data key of each item is wrapped
    /// with `key`. The namespace and the name are stored with every item and must be the
    /// same to decrypt it (the Database Encryption SDK's `keyNamespace` and `keyName`).
    ///
    /// See [`Keyring`] for an example.
    pub fn raw_aes(
        namespace: impl Into<String>,
        name: impl Into<String>,
        key: AesKey,
    ) -> Result<Self, ConfigError> {
        let (namespace, name) = (namespace.into(), name.into());
        let keyring = run_now(
            material_providers()?
                .create_raw_aes_keyring()
                .key_namespace(namespace.clone())
                .key_name(name.clone())
                .wrapping_key(key.0.to_vec())
                .wrapping_alg(AesWrappingAlg::AlgAes256GcmIv12Tag16)
                .send(),
        )?
        .map_err(|err| ConfigError::keyring(format!("{err:?}")))?;
        Ok(Keyring {
            inner: keyring,
            description: format!("raw AES-256 {namespace}/{name}"),
        })
    }

    /// An AWS KMS keyring: each item's data key is generated (`GenerateDataKey`) and
    /// decrypted (`Decrypt`) by the symmetric KMS key `key_id` (an ARN, for decrypting),
    /// through `client` (the Material Providers Library's `CreateAwsKmsKeyring`). One KMS
    /// request per item written or read: for many items, see [`Keyring::hierarchical`].
    ///
    /// ```
    /// use notes_encryption::Keyring;
    ///
    /// let config = aws_sdk_kms::Config::builder()
    ///     .behavior_version(aws_sdk_kms::config::BehaviorVersion::latest())
    ///     .region(aws_sdk_kms::config::Region::new("eu-west-1"))
    ///     .build();
    /// let arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    /// let keyring = Keyring::aws_kms(arn, aws_sdk_kms::Client::from_conf(config))?;
    /// assert_eq!(format!("{keyring:?}"), format!("Keyring(AWS KMS {arn})"));
    /// # Ok::<(), notes_encryption::ConfigError>(())
    /// ```
    #[cfg(feature = "kms")]
    #[cfg_attr(docsrs, doc(cfg(feature = "kms")))]
    pub fn aws_kms(
        key_id: impl Into<String>,
        client: aws_sdk_kms::Client,
    ) -> Result<Self, ConfigError> {
        let key_id = key_id.into();
        let keyring = run_now(
            material_providers()?
                .create_aws_kms_keyring()
                .kms_key_id(key_id.clone())
                .kms_client(client)
                .send(),
        )?
        .map_err(|err| ConfigError::keyring(format!("{err:?}")))?;
        Ok(Keyring {
            inner: keyring,
            description: format!("AWS KMS {key_id}"),
        })
    }

    /// Any keyring the Material Providers Library makes (re-exported as
    /// [`aws_db_esdk::material_providers`](crate::aws_db_esdk::material_providers)): a
    /// multi-keyring, a KMS multi-Region keyring, raw RSA or ECDH, or a hierarchical keyring
    /// configured beyond `Keyring::hierarchical` (feature `kms`: another cache, a partition
    /// id, grant tokens).
    ///
    /// ```
    /// use notes_encryption::Keyring;
    /// use notes_encryption::aws_db_esdk::material_providers::client::Client;
    /// use notes_encryption::aws_db_esdk::material_providers::types::AesWrappingAlg;
    /// use notes_encryption::aws_db_esdk::material_providers::types::material_providers_config::MaterialProvidersConfig;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let mpl = Client::from_conf(MaterialProvidersConfig::builder().build()?)?;
    /// let raw = mpl
    ///     .create_raw_aes_keyring()
    ///     .key_namespace("notes")
    ///     .key_name("key-1")
    ///     .wrapping_key(vec![7u8; 32])
    ///     .wrapping_alg(AesWrappingAlg::AlgAes256GcmIv12Tag16)
    ///     .send()
    ///     .await?;
    /// let keyring = Keyring::from_mpl(raw, "my raw AES keyring");
    /// assert_eq!(format!("{keyring:?}"), "Keyring(my raw AES keyring)");
    /// # Ok(()) }
    /// ```
    ///
    pub fn from_mpl(keyring: KeyringRef, description: impl Into<String>) -> Self {
        Keyring {
            inner: keyring,
            description: description.into(),
        }
    }

    /// The Material Providers Library's keyring.
    ///
    /// ```
    /// use notes_encryption::{AesKey, Keyring};
    /// let keyring = Keyring::raw_aes("notes", "key-1", AesKey::new([7; 32]))?;
    /// let _mpl_keyring = keyring.as_mpl().clone();
    /// # Ok::<(), notes_encryption::ConfigError>(())
    /// ```
    pub fn as_mpl(&self) -> &KeyringRef {
        &self.inner
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Keyring({})", self.description)
    }
}

/// The Material Providers Library's client.
pub(crate) fn material_providers() -> Result<MaterialProviders, ConfigError> {
    let config = MaterialProvidersConfig::builder()
        .build()
        .map_err(|err| ConfigError::keyring(err.to_string()))?;
    MaterialProviders::from_conf(config).map_err(|err| ConfigError::keyring(format!("{err:?}")))
}

/// Runs a future of the Material Providers Library that does not wait on anything (its
/// `send` is `async` for the API's shape only): keyrings are made without a runtime.
pub(crate) fn run_now<F: Future>(future: F) -> Result<F::Output, ConfigError> {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => Ok(output),
        Poll::Pending => Err(ConfigError::keyring(
            "the Material Providers Library did not answer at once".to_owned(),
        )),
    }
}
