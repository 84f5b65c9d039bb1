//! What an item write is checked against before its table is locked: the key schema and the
//! secondary indexes' schemas, kept in the catalog beside each table's lock.
//!
//! A definition changes only under the catalog's write lock (`CreateTable`, `UpdateTable`,
//! restores, `DeleteTable`: [`State::write_all`](crate::state::State::write_all), which
//! refreshes it), and an item operation holds the catalog's read lock from before it checks
//! its request until after it commits: the definition it was checked against is the one its
//! table still has when its table lock is taken.

use notes_model::{IndexSchema, KeySchema};

use crate::table::Table;

/// A table's key schema and index schemas, as item writes check against them.
#[derive(Debug, Clone)]
pub(crate) struct Definition {
    pub(crate) schema: KeySchema,
    /// The secondary indexes' schemas, in `Table::indexes` order.
    pub(crate) indexes: Vec<IndexSchema>,
}

impl Definition {
    /// The definition `table` has now.
    pub(crate) fn of(table: &Table) -> Self {
        Definition {
            schema: table.schema.clone(),
            indexes: table.indexes.iter().map(|i| i.schema.clone()).collect(),
        }
    }
}
