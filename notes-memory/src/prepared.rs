//! A checked write, ready to store: what an item operation prepares (`items.rs`), a
//! transaction prepares for each of its actions before storing any, and what the meter
//! charges (`meter.rs`).

use notes_model::{ItemMap, SharedItem};

use super::capacity::write_units;
use super::index::Index;
use super::key::ItemKey;
use super::pending::EncodedPut;
use super::table::{Stored, Table};

/// A checked write: the key, the image before and the image after (`None`: deleted).
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) key: ItemKey,
    /// The image before, when something reads it ([`Old::Kept`]); `None` too when it was not
    /// kept (`old_size` still says whether there was one).
    pub(crate) old: Option<ItemMap>,
    pub(crate) new: Option<ItemMap>,
    /// The sizes of `old` (as stored) and `new` (0: absent), each computed once.
    pub(crate) old_size: usize,
    pub(crate) new_size: usize,
    /// `false` for a condition check, which writes nothing.
    pub(crate) writes: bool,
    /// The journal entry of `new`, when it was encoded before the table was locked.
    pub(crate) encoded: Option<EncodedPut>,
}

/// Whether a write keeps a copy of the image it replaces: the index units read it, and so do
/// the `ReturnValues` that answer the old image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Old {
    Kept,
    Dropped,
}

impl Old {
    /// What a write to `table` needs: the old image when the table has secondary indexes or
    /// `answered` (the request returns it).
    pub(crate) fn for_write(table: &Table, answered: bool) -> Self {
        if answered || !table.indexes.is_empty() {
            Old::Kept
        } else {
            Old::Dropped
        }
    }
}

impl Prepared {
    /// The WCUs of this write on the table: the larger of the two images.
    pub(crate) fn write_units(&self) -> f64 {
        write_units(self.old_size.max(self.new_size))
    }

    /// The WCUs of this write on each of `table`'s secondary indexes, in `table.indexes`
    /// order (0 where the index's entry does not change).
    pub(crate) fn index_write_units<'t>(
        &self,
        table: &'t Table,
    ) -> impl Iterator<Item = (&'t Index, f64)> {
        table.indexes.iter().map(|index| {
            let units = if self.writes {
                index.write_units(
                    &table.schema,
                    &self.key,
                    self.old.as_ref(),
                    self.new.as_ref(),
                )
            } else {
                0.0
            };
            (index, units)
        })
    }

    /// A write of `new` (`None`: a delete; already in canonical form, `new_size` its size) over
    /// the stored `old`, a copy of which is kept only when `keep` says something reads it.
    pub(crate) fn write(
        key: ItemKey,
        old: Option<&Stored>,
        keep: Old,
        new: Option<ItemMap>,
        new_size: usize,
    ) -> Self {
        Prepared {
            key,
            old: match keep {
                Old::Kept => old.map(|stored| ItemMap::clone(&stored.item)),
                Old::Dropped => None,
            },
            old_size: old.map_or(0, |stored| stored.size),
            new_size,
            new,
            writes: true,
            encoded: None,
        }
    }

    /// Stores the new image (or deletes the item): the item it replaced.
    pub(crate) fn commit(self, table: &mut Table) -> Option<SharedItem> {
        if !self.writes {
            return None;
        }
        match self.new {
            Some(item) => {
                let size = self.new_size;
                table.put_stored(
                    self.key,
                    Stored {
                        item: item.into(),
                        size,
                    },
                    self.encoded.as_ref(),
                )
            }
            None => table.delete(&self.key),
        }
    }
}
