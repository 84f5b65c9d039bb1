//! A checked write, ready to store: what an item operation prepares (`items.rs`), a
//! transaction prepares for each of its actions before storing any, and what the meter
//! charges (`meter.rs`).

use notes_model::ItemMap;

use super::capacity::write_units;
use super::index::Index;
use super::key::ItemKey;
use super::table::{Stored, Table};
use notes_core::validate;

/// A checked write: the key, the image before and the image after (`None`: deleted).
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) key: ItemKey,
    pub(crate) old: Option<ItemMap>,
    pub(crate) new: Option<ItemMap>,
    /// The sizes of `old` (as stored) and `new` (0: absent), each computed once.
    pub(crate) old_size: usize,
    pub(crate) new_size: usize,
    /// `false` for a condition check, which writes nothing.
    pub(crate) writes: bool,
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

    /// A write of `new` (`None`: a delete; already in canonical form) over the stored `old`.
    pub(crate) fn write(key: ItemKey, old: Option<&Stored>, new: Option<ItemMap>) -> Self {
        Prepared {
            key,
            old: old.map(|stored| ItemMap::clone(&stored.item)),
            old_size: old.map_or(0, |stored| stored.size),
            new_size: new.as_ref().map_or(0, validate::item_size),
            new,
            writes: true,
        }
    }

    /// Stores the new image (or deletes the item).
    pub(crate) fn commit(self, table: &mut Table) {
        if !self.writes {
            return;
        }
        match self.new {
            Some(item) => {
                let size = self.new_size;
                let item = item.into();
                table.put_stored(self.key, Stored { item, size });
            }
            None => {
                table.delete(&self.key);
            }
        }
    }
}
