//! An item's primary key in the order DynamoDB sorts it: what tables, indexes and change
//! logs key their entries by.

use notes_core::number::Number;
use notes_core::{Error, Result, validate};
use notes_model::{AttributeValue, ItemMap, KeySchema};

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

    /// A stable hash of the value (FNV-1a, from `hash`), for scan segments.
    fn stable_hash(&self, hash: u64) -> u64 {
        let bytes = match self {
            KeyValue::S(s) => s.as_bytes().to_vec(),
            KeyValue::N(n) => n.to_string().into_bytes(),
            KeyValue::B(b) => b.clone(),
        };
        bytes.iter().fold(hash, |hash, &b| {
            (hash ^ u64::from(b)).wrapping_mul(FNV_PRIME)
        })
    }

    /// The scan segment (of `total`) this partition key belongs to.
    pub(crate) fn segment(&self, total: u32) -> u32 {
        segment_of(self.stable_hash(FNV_OFFSET), total)
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn segment_of(hash: u64, total: u32) -> u32 {
    u32::try_from(hash % u64::from(total.max(1))).unwrap_or(0)
}

/// The values of a multi-attribute key in the order DynamoDB sorts them: attribute by
/// attribute, each by its own order (an index key of one attribute is a tuple of one).
pub(crate) type KeyTuple = Vec<KeyValue>;

/// The scan segment (of `total`) an index partition belongs to: a partition of one attribute
/// lands where a table partition of that value does.
pub(crate) fn tuple_segment(values: &[KeyValue], total: u32) -> u32 {
    let hash = values
        .iter()
        .enumerate()
        .fold(FNV_OFFSET, |hash, (i, value)| {
            // A separator between values, so ("ab", "c") and ("a", "bc") hash apart.
            let hash = if i == 0 {
                hash
            } else {
                (hash ^ 0xff).wrapping_mul(FNV_PRIME)
            };
            value.stable_hash(hash)
        });
    segment_of(hash, total)
}

/// An item's primary key in ordering form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct ItemKey {
    /// The partition key.
    pub(crate) partition: KeyValue,
    /// The sort key, for tables that have one.
    pub(crate) sort: Option<KeyValue>,
}

impl ItemKey {
    /// The ordering key of a `Key` parameter, checked as `validate::key` checks it: one
    /// lookup per key attribute.
    pub(crate) fn of_key(key: &ItemMap, schema: &KeySchema) -> Result<ItemKey> {
        let (partition, sort) = validate::key_values(key, schema)?;
        ItemKey::of_values(partition, sort)
    }

    /// The ordering key of checked key values (`validate::key_values`,
    /// `validate::item_key_values`).
    pub(crate) fn of_values(
        partition: &AttributeValue,
        sort: Option<&AttributeValue>,
    ) -> Result<ItemKey> {
        // A checked key's values are scalars and valid numbers, so each has an ordering value.
        let value = |value| {
            KeyValue::of(value).ok_or_else(|| {
                Error::validation("The provided key element does not match the schema")
            })
        };
        Ok(ItemKey {
            partition: value(partition)?,
            sort: sort.map(value).transpose()?,
        })
    }
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
    fn tuples_order_attribute_by_attribute_each_by_its_own_order() {
        // (year, month): month 2 before month 10, then the next year.
        let mut keys = vec![
            vec![n("2026"), n("10")],
            vec![n("2025"), n("12")],
            vec![n("2026"), n("2")],
            vec![n("2026"), n("9")],
        ];
        keys.sort();
        assert_eq!(
            keys,
            vec![
                vec![n("2025"), n("12")],
                vec![n("2026"), n("2")],
                vec![n("2026"), n("9")],
                vec![n("2026"), n("10")],
            ]
        );
        // A string attribute first, bytewise; a number second, numerically.
        let mut keys = vec![
            vec![s("b"), n("1")],
            vec![s("a"), n("10")],
            vec![s("a"), n("9")],
        ];
        keys.sort();
        assert_eq!(
            keys,
            vec![
                vec![s("a"), n("9")],
                vec![s("a"), n("10")],
                vec![s("b"), n("1")]
            ]
        );
    }

    #[test]
    fn a_tuple_of_one_lands_in_its_values_segment() {
        for key in ["a", "b", "user-1", ""] {
            assert_eq!(tuple_segment(&[s(key)], 7), s(key).segment(7));
        }
        let apart = (0..64).any(|total| {
            tuple_segment(&[s("ab"), s("c")], total) != tuple_segment(&[s("a"), s("bc")], total)
        });
        assert!(apart);
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
