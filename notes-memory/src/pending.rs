//! What a durable store's journal still needs and already has of the tables: each table's
//! item writes not yet journaled, encoded as they happen (`Table::put` and `Table::delete`
//! append here when the backend is durable, and the operation's journal record takes them,
//! `durable/`, so an operation's record needs no second walk over what it wrote), and each
//! table's definition as last journaled.

use std::collections::HashMap;

use notes_model::ItemMap;

use super::encoding::{Corrupt, Decoded, Decoder, Encoder};

/// An entry that stores an item.
const PUT: u8 = 0;
/// An entry that deletes the item with a key.
const DELETE: u8 = 1;

/// Each journaled table's definition as last written, by name: what tells whether an
/// operation changed a definition, and which tables a `DROP` is owed for.
pub(crate) type Journaled = HashMap<String, Vec<u8>>;

/// The item writes of one table not yet in the journal.
#[derive(Debug, Default, Clone)]
pub(crate) struct PendingItems {
    entries: Encoder,
    count: u32,
    /// Keys of the items among `entries`' deletions that time to live deleted.
    expired: Encoder,
    expired_count: u32,
}

/// A put's journal entry, encoded before its table is locked: what [`PendingItems::put`]
/// would append for the same item.
#[derive(Debug)]
pub(crate) struct EncodedPut(Encoder);

impl EncodedPut {
    pub(crate) fn new(item: &ItemMap) -> Self {
        let mut entry = Encoder::default();
        encode_put(&mut entry, item);
        EncodedPut(entry)
    }
}

fn encode_put(out: &mut Encoder, item: &ItemMap) {
    out.u8(PUT);
    out.item(item);
}

impl PendingItems {
    /// Records that `item` was stored.
    pub(crate) fn put(&mut self, item: &ItemMap) {
        encode_put(&mut self.entries, item);
        self.count += 1;
    }

    /// Records a put whose entry was encoded beforehand.
    pub(crate) fn put_encoded(&mut self, put: &EncodedPut) {
        self.entries.bytes.extend_from_slice(&put.0.bytes);
        self.count += 1;
    }

    /// Records that the item with these key attributes was deleted.
    pub(crate) fn delete(&mut self, key: &ItemMap) {
        self.entries.u8(DELETE);
        self.entries.item(key);
        self.count += 1;
    }

    /// Records that the deletion of the item with these key attributes, recorded just
    /// before, was time to live's.
    pub(crate) fn expired(&mut self, key: &ItemMap) {
        self.expired.item(key);
        self.expired_count += 1;
    }

    /// Hands the pending writes (how many, and their entries, each read back by
    /// [`entry`]) to `write`, and forgets them; answers whether there were any.
    pub(crate) fn drain(&mut self, write: impl FnOnce(u32, &[u8])) -> bool {
        if self.count == 0 {
            return false;
        }
        write(self.count, &self.entries.bytes);
        self.entries.bytes.clear();
        self.count = 0;
        true
    }

    /// Hands the pending time-to-live marks (how many, and the keys, each an item) to
    /// `write`, and forgets them; answers whether there were any.
    pub(crate) fn drain_expired(&mut self, write: impl FnOnce(u32, &[u8])) -> bool {
        if self.expired_count == 0 {
            return false;
        }
        write(self.expired_count, &self.expired.bytes);
        self.expired.bytes.clear();
        self.expired_count = 0;
        true
    }
}

/// Reads one entry [`PendingItems::drain`] handed on: whether it stores an item (`true`) or
/// deletes one, and the item or the key.
pub(crate) fn entry(d: &mut Decoder<'_>) -> Decoded<(bool, ItemMap)> {
    let put = match d.u8()? {
        PUT => true,
        DELETE => false,
        _ => return Err(Corrupt::from("unknown item entry")),
    };
    Ok((put, d.item()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_values::{n, s};

    #[test]
    fn a_put_encoded_before_the_lock_is_the_entry_put_appends() {
        let item = ItemMap::from([("id".to_owned(), s("a")), ("count".to_owned(), n("7"))]);
        let (mut direct, mut staged) = (PendingItems::default(), PendingItems::default());
        direct.put(&item);
        staged.put_encoded(&EncodedPut::new(&item));
        let drained = |pending: &mut PendingItems| {
            let mut out = None;
            pending.drain(|count, bytes| out = Some((count, bytes.to_vec())));
            out.unwrap()
        };
        let (count, bytes) = drained(&mut staged);
        assert_eq!((count, bytes.clone()), drained(&mut direct));
        assert_eq!(entry(&mut Decoder::new(&bytes)).unwrap(), (true, item));
    }
}
