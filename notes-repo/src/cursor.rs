//! Resumable page cursors: opaque, URL-safe, bound to the query that made them.
//!
//! A cursor is `base64url(checksum || DynamoDB-JSON of the exclusive start key)`. The checksum
//! covers the key and a fingerprint of the query (table, index, key condition, direction), so
//! a cursor that was edited, truncated or made by another query (another user's listing) is
//! rejected with [`Error::InvalidCursor`] before any request is sent.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use notes_model::ItemMap;

use crate::error::{Error, Result};

const CHECKSUM_LEN: usize = 8;

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

pub(crate) fn encode(start_key: &ItemMap, fingerprint: u64) -> Result<String> {
    let json = serde_json::to_vec(start_key).map_err(|err| Error::Backend {
        source: Box::new(err),
    })?;
    let checksum = fnv1a(&[&fingerprint.to_le_bytes(), &json]);
    let mut bytes = Vec::with_capacity(CHECKSUM_LEN + json.len());
    bytes.extend_from_slice(&checksum.to_le_bytes());
    bytes.extend_from_slice(&json);
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

pub(crate) fn decode(cursor: &str, fingerprint: u64) -> Result<ItemMap> {
    let invalid = |reason: &str| Error::InvalidCursor {
        reason: reason.to_owned(),
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| invalid("not a cursor made by this SDK (bad encoding)"))?;
    if bytes.len() < CHECKSUM_LEN {
        return Err(invalid("not a cursor made by this SDK (too short)"));
    }
    let (checksum, json) = bytes.split_at(CHECKSUM_LEN);
    let expected = fnv1a(&[&fingerprint.to_le_bytes(), json]);
    if checksum != expected.to_le_bytes() {
        return Err(invalid(
            "the cursor was modified or belongs to another query",
        ));
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

    #[test]
    fn cursor_round_trips_and_is_url_safe() {
        let cursor = encode(&key(), 42).unwrap();
        assert!(
            cursor
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        assert_eq!(decode(&cursor, 42).unwrap(), key());
    }

    #[test]
    fn cursor_of_another_query_is_rejected() {
        let cursor = encode(&key(), 42).unwrap();
        let err = decode(&cursor, 43).unwrap_err();
        assert!(err.to_string().contains("another query"), "{err}");
    }

    #[test]
    fn every_single_character_change_is_rejected() {
        let cursor = encode(&key(), 7).unwrap();
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for i in 0..cursor.len() {
            for &c in alphabet.iter().step_by(7) {
                let mut bytes = cursor.clone().into_bytes();
                if bytes[i] == c {
                    continue;
                }
                bytes[i] = c;
                let tampered = String::from_utf8(bytes).unwrap();
                assert!(decode(&tampered, 7).is_err(), "accepted {tampered}");
            }
        }
        assert!(decode("", 7).is_err());
        assert!(decode("!!!", 7).is_err());
        assert!(decode(&cursor[..cursor.len() - 2], 7).is_err());
    }
}
