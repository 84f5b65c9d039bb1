//! Resumable page cursors: opaque, URL-safe, bound to the query that made them.
//!
//! A cursor is `base64url(tag || DynamoDB-JSON of the exclusive start key)`. The tag covers the
//! key and a fingerprint of the query (table, index, key condition, direction):
//!
//! - **without a key** it is a checksum (FNV-1a, 8 bytes): it catches cursors that were edited,
//!   truncated or made by another query, but it is no secret, so anyone who knows the format
//!   can make a cursor that passes it. What keeps a caller inside the queried partition is
//!   the start-key check in `query.rs`, done on every cursor, keyed or not.
//! - **with a [`CursorKey`]** it is an HMAC-SHA256 (32 bytes): only this SDK, holding the same
//!   key, can make a cursor that passes it.
//!
//! Either way a cursor that fails is [`Error::InvalidCursor`], before any request is sent.

use std::fmt;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use notes_model::ItemMap;

use notes_core::{Error, Result};

const CHECKSUM_LEN: usize = 8;
const MAC_LEN: usize = 32;
/// The shortest [`CursorKey`]: 128 bits.
const MIN_KEY_LEN: usize = 16;

/// A secret that signs cursors (HMAC-SHA256), so that only this app can make one.
///
/// Give one to [`QueryBuilder::cursor_key`](crate::QueryBuilder::cursor_key) on the query
/// that makes the cursors and on the one that takes them back. Without a key, a cursor is only
/// tamper-evident: its checksum is public, so a client can make a cursor for the query it
/// runs, though never one that reads outside the queried partition.
///
/// Use at least 32 random bytes, kept out of the code (an environment variable, a secrets
/// manager). Cursors made with one key are refused under another: a new key ends every
/// outstanding cursor. `Debug` never shows the key.
///
/// ```
/// use notes_repo::CursorKey;
///
/// let key = CursorKey::new(*b"0123456789abcdef0123456789abcdef")?;
/// assert_eq!(format!("{key:?}"), "CursorKey(..)");
/// let err = CursorKey::new(*b"too short").unwrap_err();
/// assert!(matches!(err, notes_repo::Error::Validation { .. }));
/// # Ok::<(), notes_repo::Error>(())
/// ```
#[derive(Clone)]
pub struct CursorKey(Arc<[u8]>);

impl CursorKey {
    /// A key from `secret`, which must be at least 16 bytes ([`Error::Validation`] otherwise).
    ///
    /// See [`CursorKey`] for an example.
    pub fn new(secret: impl AsRef<[u8]>) -> Result<CursorKey> {
        let secret = secret.as_ref();
        if secret.len() < MIN_KEY_LEN {
            return Err(Error::validation(format!(
                "a cursor key needs at least {MIN_KEY_LEN} bytes (got {}); use 32 random bytes",
                secret.len()
            )));
        }
        Ok(CursorKey(secret.into()))
    }

    fn mac(&self, fingerprint: u64, json: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(&fingerprint.to_le_bytes());
        mac.update(json);
        mac
    }
}

impl fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CursorKey(..)")
    }
}

/// FNV-1a, 64 bits: stable across builds and platforms, unlike `std`'s hasher.
pub(crate) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in *part {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        // Separate the parts so that ("ab", "c") and ("a", "bc") differ.
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The cursor of `start_key` for the query with `fingerprint`, signed with `key` if any.
pub(crate) fn encode(
    start_key: &ItemMap,
    fingerprint: u64,
    key: Option<&CursorKey>,
) -> Result<String> {
    let json = serde_json::to_vec(start_key).map_err(|err| Error::Backend {
        source: Box::new(err),
    })?;
    let mut bytes = match key {
        Some(key) => key.mac(fingerprint, &json).finalize().into_bytes().to_vec(),
        None => fnv1a(&[&fingerprint.to_le_bytes(), &json])
            .to_le_bytes()
            .to_vec(),
    };
    bytes.extend_from_slice(&json);
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// The start key in `cursor`, if its tag matches the query with `fingerprint` (and `key`).
pub(crate) fn decode(cursor: &str, fingerprint: u64, key: Option<&CursorKey>) -> Result<ItemMap> {
    let invalid = |reason: &str| Error::InvalidCursor {
        reason: reason.to_owned(),
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| invalid("not a cursor made by this SDK (bad encoding)"))?;
    let tag_len = if key.is_some() { MAC_LEN } else { CHECKSUM_LEN };
    if bytes.len() < tag_len {
        return Err(invalid("not a cursor made by this SDK (too short)"));
    }
    let (tag, json) = bytes.split_at(tag_len);
    let valid = match key {
        // Constant-time comparison.
        Some(key) => key.mac(fingerprint, json).verify_slice(tag).is_ok(),
        None => tag == fnv1a(&[&fingerprint.to_le_bytes(), json]).to_le_bytes(),
    };
    if !valid {
        return Err(invalid(if key.is_some() {
            "the cursor was modified, belongs to another query, or was not signed with this key"
        } else {
            "the cursor was modified or belongs to another query"
        }));
    }
    serde_json::from_slice(json).map_err(|_| invalid("the cursor's key is malformed"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notes_model::AttributeValue;

    fn key() -> ItemMap {
        ItemMap::from([
            ("userId".to_owned(), AttributeValue::S("u1".into())),
            ("noteId".to_owned(), AttributeValue::S("n/+=?&".into())),
        ])
    }

    fn secret(byte: u8) -> CursorKey {
        CursorKey::new([byte; 32]).unwrap()
    }

    fn assert_invalid(result: Result<ItemMap>, reason: &str) {
        match result {
            Err(Error::InvalidCursor { reason: got }) => {
                assert!(got.contains(reason), "`{reason}` not in `{got}`");
            }
            other => panic!("expected InvalidCursor ({reason}), got {other:?}"),
        }
    }

    #[test]
    fn cursor_round_trips_and_is_url_safe() {
        for signing in [None, Some(secret(1))] {
            let cursor = encode(&key(), 42, signing.as_ref()).unwrap();
            assert!(
                cursor
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
            assert_eq!(decode(&cursor, 42, signing.as_ref()).unwrap(), key());
        }
    }

    #[test]
    fn cursor_of_another_query_is_rejected() {
        let cursor = encode(&key(), 42, None).unwrap();
        assert_invalid(decode(&cursor, 43, None), "another query");
        let cursor = encode(&key(), 42, Some(&secret(1))).unwrap();
        assert_invalid(decode(&cursor, 43, Some(&secret(1))), "another query");
    }

    #[test]
    fn signed_cursors_need_the_same_key() {
        let unsigned = encode(&key(), 7, None).unwrap();
        assert_invalid(
            decode(&unsigned, 7, Some(&secret(1))),
            "not signed with this key",
        );
        let signed = encode(&key(), 7, Some(&secret(1))).unwrap();
        assert_invalid(
            decode(&signed, 7, Some(&secret(2))),
            "not signed with this key",
        );
        assert_invalid(decode(&signed, 7, None), "modified");
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(matches!(
            CursorKey::new([0; 15]),
            Err(Error::Validation { .. })
        ));
        assert!(CursorKey::new([0; 16]).is_ok());
    }

    #[test]
    fn every_single_character_change_is_rejected() {
        for signing in [None, Some(secret(3))] {
            let signing = signing.as_ref();
            let cursor = encode(&key(), 7, signing).unwrap();
            let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            for i in 0..cursor.len() {
                for &c in alphabet.iter().step_by(7) {
                    let mut bytes = cursor.clone().into_bytes();
                    if bytes[i] == c {
                        continue;
                    }
                    bytes[i] = c;
                    let tampered = String::from_utf8(bytes).unwrap();
                    // Any reason: a change can break the encoding, the tag or the JSON.
                    assert_invalid(decode(&tampered, 7, signing), "");
                }
            }
            assert_invalid(decode("", 7, signing), "too short");
            assert_invalid(decode("!!!", 7, signing), "bad encoding");
            assert_invalid(decode(&cursor[..cursor.len() - 2], 7, signing), "");
        }
    }
}
