//! An item's primary key in the order DynamoDB sorts it: what tables, indexes and change
//! logs key their entries by.

use notes_core::number::Number;
use notes_model::AttributeValue;

/// A key attribute's value in the order DynamoDB sorts it: S by UTF-8 bytes (which is how
/// `String` orders), N numerically, B by unsigned bytes. One table only ever holds one of the
/// three per key attribute, so the order between variants never matters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum KeyValue {
    /// A string key.
    S(String),
    /// A number key.
    N(Number),
    /// A binary key.
    B(Vec<u8>),
}

impl KeyValue {
    /// The ordering value of a scalar; `None` for other types and invalid numbers.
    pub(crate) fn of(value: &AttributeValue) -> Option<KeyValue> {
        match value {
            AttributeValue::S(s) => Some(KeyValue::S(s.clone())),
            AttributeValue::N(n) => Number::parse(n).ok().map(KeyValue::N),
            AttributeValue::B(b) => Some(KeyValue::B(b.clone())),
            _ => None,
        }
    }

    /// The smallest value greater than every value that starts with `self` (for
    /// `begins_with`), or `None` when there is none. Numbers have no prefixes.
    pub(crate) fn prefix_successor(&self) -> Option<KeyValue> {
        match self {
            KeyValue::S(s) => {
                let mut chars: Vec<char> = s.chars().collect();
                while let Some(last) = chars.pop() {
                    // UTF-8 byte order is code point order, so bumping the last char that can
                    // be bumped gives the successor.
                    let next = match u32::from(last) + 1 {
                        0xD800 => Some('\u{E000}'),
                        n => char::from_u32(n),
                    };
                    if let Some(next) = next {
                        chars.push(next);
                        return Some(KeyValue::S(chars.into_iter().collect()));
                    }
                }
                None
            }
            KeyValue::B(b) => {
                let mut bytes = b.clone();
                while let Some(last) = bytes.pop() {
                    if last < u8::MAX {
                        bytes.push(last + 1);
                        return Some(KeyValue::B(bytes));
                    }
                }
                None
            }
            KeyValue::N(_) => None,
        }
    }

    /// A stable hash of the value (FNV-1a), for scan segments.
    fn stable_hash(&self) -> u64 {
        let bytes = match self {
            KeyValue::S(s) => s.as_bytes().to_vec(),
            KeyValue::N(n) => n.to_string().into_bytes(),
            KeyValue::B(b) => b.clone(),
        };
        bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |hash, &b| {
            (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    }

    /// The scan segment (of `total`) this partition key belongs to.
    pub(crate) fn segment(&self, total: u32) -> u32 {
        u32::try_from(self.stable_hash() % u64::from(total.max(1))).unwrap_or(0)
    }
}

/// An item's primary key in ordering form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ItemKey {
    /// The partition key.
    pub(crate) partition: KeyValue,
    /// The sort key, for tables that have one.
    pub(crate) sort: Option<KeyValue>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> KeyValue {
        KeyValue::S(v.to_owned())
    }

    fn n(v: &str) -> KeyValue {
        KeyValue::of(&AttributeValue::N(v.to_owned())).unwrap()
    }

    #[test]
    fn number_keys_order_numerically() {
        let mut keys = vec![n("10"), n("9"), n("0"), n("-1"), n("1.5"), n("-10")];
        keys.sort();
        assert_eq!(
            keys,
            vec![n("-10"), n("-1"), n("0"), n("1.5"), n("9"), n("10")]
        );
        assert_eq!(n("1"), n("1.0"));
    }

    #[test]
    fn string_keys_order_by_utf8_bytes() {
        let mut keys = vec![s("a"), s("Z"), s("é"), s("z"), s("A")];
        keys.sort();
        assert_eq!(keys, vec![s("A"), s("Z"), s("a"), s("z"), s("é")]);
    }

    #[test]
    fn binary_keys_order_as_unsigned_bytes() {
        let mut keys = [
            KeyValue::B(vec![0x80]),
            KeyValue::B(vec![0x01]),
            KeyValue::B(vec![0x7f, 0]),
        ];
        keys.sort();
        assert_eq!(keys[0], KeyValue::B(vec![0x01]));
        assert_eq!(keys[2], KeyValue::B(vec![0x80]));
    }

    #[test]
    fn prefix_successor_bounds_every_extension() {
        let succ = s("ab").prefix_successor().unwrap();
        assert_eq!(succ, s("ac"));
        for key in ["ab", "ab\u{10FFFF}", "abzzz"] {
            assert!(s(key) < succ, "{key}");
        }
        assert_eq!(s("a\u{10FFFF}").prefix_successor(), Some(s("b")));
        assert_eq!(s("\u{10FFFF}").prefix_successor(), None);
        assert_eq!(s("a\u{D7FF}").prefix_successor(), Some(s("a\u{E000}")));
        assert_eq!(
            KeyValue::B(vec![1, 255]).prefix_successor(),
            Some(KeyValue::B(vec![2]))
        );
        assert_eq!(KeyValue::B(vec![255]).prefix_successor(), None);
    }

    #[test]
    fn segments_are_stable_and_in_range() {
        for key in ["a", "b", "user-1", ""] {
            let segment = s(key).segment(7);
            assert!(segment < 7);
            assert_eq!(segment, s(key).segment(7));
        }
        assert_eq!(s("x").segment(0), 0);
    }
}
