//! Planning a batch before anything is sent: key identity (for duplicates and for putting
//! found items back in request order) and chunking to the service limits.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use notes_model::{AttributeValue, ItemMap, KeySchema};

use notes_core::number::Number;
use notes_core::{Error, Result};

/// The most writes in one `BatchWriteItem`.
pub(crate) const MAX_BATCH_WRITE: usize = 25;
/// The most keys in one `BatchGetItem`.
pub(crate) const MAX_BATCH_GET: usize = 100;
/// The largest request (and `BatchGetItem` response) DynamoDB accepts: 16 MB.
pub(crate) const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// One key attribute value, compared the way DynamoDB compares keys: numbers by value
/// (`"1"`, `"1.0"` and `"1E0"` are one key), strings and binaries by bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyPart {
    S(String),
    N(Number),
    B(Vec<u8>),
}

impl KeyPart {
    fn of(value: &AttributeValue) -> Option<KeyPart> {
        match value {
            AttributeValue::S(s) => Some(KeyPart::S(s.clone())),
            AttributeValue::N(n) => Number::parse(n).ok().map(KeyPart::N),
            AttributeValue::B(b) => Some(KeyPart::B(b.clone())),
            _ => None,
        }
    }
}

/// The identity of an item's primary key, hashable (an `ItemMap` is not).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct KeyId(KeyPart, Option<KeyPart>);

impl KeyId {
    /// The key of an item or key map; `None` when a key attribute is missing or not a scalar
    /// (never for a map that passed `validate::item` or `validate::key`).
    pub(crate) fn of(map: &ItemMap, schema: &KeySchema) -> Option<KeyId> {
        let part = |name: &str| map.get(name).and_then(KeyPart::of);
        let partition = part(&schema.partition_key.name)?;
        let sort = match &schema.sort_key {
            Some(attribute) => Some(part(&attribute.name)?),
            None => None,
        };
        Some(KeyId(partition, sort))
    }
}

/// Remembers the keys of a batch in request order and rejects a key seen twice, as
/// DynamoDB does ("Provided list of item keys contains duplicates"), naming the key.
#[derive(Debug, Default)]
pub(crate) struct KeySet {
    positions: HashMap<KeyId, usize>,
}

impl KeySet {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        KeySet {
            positions: HashMap::with_capacity(capacity),
        }
    }

    /// Records the key at `position`; `describe` names it if it is a duplicate.
    pub(crate) fn insert(
        &mut self,
        id: KeyId,
        position: usize,
        describe: impl FnOnce() -> String,
    ) -> Result<()> {
        match self.positions.entry(id) {
            Entry::Vacant(slot) => {
                slot.insert(position);
                Ok(())
            }
            Entry::Occupied(first) => Err(Error::validation(format!(
                "Provided list of item keys contains duplicates: {} is at positions {} and \
                 {position} of the batch",
                describe(),
                first.get()
            ))),
        }
    }

    /// Where the key was in the request.
    pub(crate) fn position(&self, id: &KeyId) -> Option<usize> {
        self.positions.get(id).copied()
    }
}

/// Splits `entries` in order into chunks of at most `max_count` entries and, where it can,
/// at most `max_bytes` bytes (an entry larger than `max_bytes` on its own gets its own chunk;
/// the service then decides). Never returns an empty chunk.
pub(crate) fn chunks<W>(
    entries: Vec<W>,
    max_count: usize,
    max_bytes: usize,
    size: impl Fn(&W) -> usize,
) -> Vec<Vec<W>> {
    let max_count = max_count.max(1);
    let mut out = Vec::with_capacity(entries.len().div_ceil(max_count));
    let mut current: Vec<W> = Vec::new();
    let mut bytes = 0usize;
    for entry in entries {
        let entry_bytes = size(&entry);
        let too_big = bytes.saturating_add(entry_bytes) > max_bytes;
        if !current.is_empty() && (current.len() == max_count || too_big) {
            out.push(std::mem::take(&mut current));
            bytes = 0;
        }
        bytes = bytes.saturating_add(entry_bytes);
        current.push(entry);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use notes_model::{Item, Note};

    fn key(user: &str, note: AttributeValue) -> ItemMap {
        ItemMap::from([
            ("userId".to_owned(), AttributeValue::S(user.to_owned())),
            ("noteId".to_owned(), note),
        ])
    }

    fn lengths<W>(chunks: &[Vec<W>]) -> Vec<usize> {
        chunks.iter().map(Vec::len).collect()
    }

    #[test]
    fn twenty_five_writes_are_one_request_and_twenty_six_are_two() {
        let one = chunks((0..25).collect(), MAX_BATCH_WRITE, MAX_REQUEST_BYTES, |_| 1);
        assert_eq!(lengths(&one), [25]);
        let two = chunks((0..26).collect(), MAX_BATCH_WRITE, MAX_REQUEST_BYTES, |_| 1);
        assert_eq!(lengths(&two), [25, 1]);
        assert_eq!(two.concat(), (0..26).collect::<Vec<_>>(), "order is kept");
    }

    #[test]
    fn a_hundred_keys_are_one_request_and_a_hundred_and_one_are_two() {
        let one = chunks((0..100).collect(), MAX_BATCH_GET, MAX_REQUEST_BYTES, |_| 1);
        assert_eq!(lengths(&one), [100]);
        let two = chunks((0..101).collect(), MAX_BATCH_GET, MAX_REQUEST_BYTES, |_| 1);
        assert_eq!(lengths(&two), [100, 1]);
    }

    #[test]
    fn chunks_stay_under_sixteen_megabytes() {
        const MB: usize = 1024 * 1024;
        // 7 MB each: two fit in 16 MB, a third does not.
        let sevens = chunks(vec![7 * MB; 5], MAX_BATCH_WRITE, MAX_REQUEST_BYTES, |s| *s);
        assert_eq!(lengths(&sevens), [2, 2, 1]);
        // Exactly 16 MB fits.
        let exact = chunks(vec![8 * MB; 4], MAX_BATCH_WRITE, MAX_REQUEST_BYTES, |s| *s);
        assert_eq!(lengths(&exact), [2, 2]);
        // An entry over the limit is sent alone rather than dropped.
        let huge = chunks(
            vec![1, 17 * MB, 1],
            MAX_BATCH_WRITE,
            MAX_REQUEST_BYTES,
            |s| *s,
        );
        assert_eq!(lengths(&huge), [1, 1, 1]);
        // Sizes near usize::MAX do not overflow.
        let max = chunks(vec![usize::MAX; 3], 25, MAX_REQUEST_BYTES, |s| *s);
        assert_eq!(lengths(&max), [1, 1, 1]);
    }

    #[test]
    fn chunking_nothing_gives_no_chunks_and_a_zero_count_is_one() {
        assert!(chunks(Vec::<u8>::new(), 25, 100, |_| 1).is_empty());
        assert_eq!(lengths(&chunks(vec![1, 2], 0, 100, |_| 1)), [1, 1]);
    }

    #[test]
    fn real_note_sizes_chunk_by_count_first() {
        let notes: Vec<ItemMap> = (0..26)
            .map(|i| {
                Note::new("u1", "x".repeat(300 * 1024 + i))
                    .to_item()
                    .unwrap()
            })
            .collect();
        let out = chunks(notes, MAX_BATCH_WRITE, MAX_REQUEST_BYTES, |m| {
            notes_core::validate::item_size(m)
        });
        // 25 items of ~300 KB is ~7.5 MB, under 16 MB: the count limit binds.
        assert_eq!(lengths(&out), [25, 1]);
    }

    #[test]
    fn numbers_are_one_key_by_value() {
        let schema = KeySchema {
            partition_key: notes_model::KeyAttribute::new("userId", notes_model::ScalarType::S),
            sort_key: Some(notes_model::KeyAttribute::new(
                "noteId",
                notes_model::ScalarType::N,
            )),
        };
        let a = KeyId::of(&key("u", AttributeValue::N("1".into())), &schema);
        let b = KeyId::of(&key("u", AttributeValue::N("1.00".into())), &schema);
        let c = KeyId::of(&key("u", AttributeValue::N("2".into())), &schema);
        assert!(a.is_some());
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(KeyId::of(&ItemMap::new(), &schema), None);
    }

    #[test]
    fn a_duplicate_key_is_named_with_both_positions() {
        let schema = Note::KEY_SCHEMA;
        let mut set = KeySet::with_capacity(3);
        let id = |n: &str| KeyId::of(&key("u1", AttributeValue::S(n.into())), &schema).unwrap();
        set.insert(id("a"), 0, || "a".into()).unwrap();
        set.insert(id("b"), 1, || "b".into()).unwrap();
        let err = set.insert(id("a"), 2, || "NoteKey(a)".into()).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("Provided list of item keys contains duplicates")
                && message.contains("NoteKey(a)")
                && message.contains("positions 0 and 2"),
            "{message}"
        );
        assert_eq!(set.position(&id("b")), Some(1));
        assert_eq!(set.position(&id("c")), None);
    }
}
