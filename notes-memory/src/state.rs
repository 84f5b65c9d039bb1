//! What a backend holds: the catalog of tables, each behind its own lock ([`State`]), the
//! state shared across tables ([`Common`]), and the tables one operation has locked
//! ([`Tables`]).

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::time::Duration;

use parking_lot::lock_api::{ArcRwLockReadGuard, ArcRwLockWriteGuard};
use parking_lot::{Mutex, RawRwLock, RwLock};

use notes_core::{Error, Result};

use crate::clock::SystemClock;
use crate::definition::Definition;
use crate::history::Replica;
use crate::history::{ChangeLog, WriteClock};
use crate::table::Table;
use crate::{backups, tokens};

/// One table's lock.
pub(crate) type TableLock = Arc<RwLock<Table>>;

/// A table in the catalog: its lock, and beside it its definition, which item writes check
/// their requests against before taking the lock (`definition.rs`).
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) table: TableLock,
    pub(crate) definition: Definition,
}

impl Entry {
    fn new(table: Table) -> Self {
        Entry {
            definition: Definition::of(&table),
            table: Arc::new(RwLock::new(table)),
        }
    }
}

/// Locks the tables `names` of `catalog` in name order (the one order every operation takes
/// them in, so two operations on overlapping tables never deadlock); names not in the
/// catalog are left out.
pub(crate) fn lock_named<'a>(
    catalog: &HashMap<String, Entry>,
    names: impl IntoIterator<Item = &'a str>,
    lock: impl Fn(&TableLock) -> Slot,
) -> HashMap<String, Slot> {
    let mut names: Vec<&str> = names.into_iter().collect();
    names.sort_unstable();
    names.dedup();
    let mut tables = HashMap::with_capacity(names.len());
    for name in names {
        if let Some((name, entry)) = catalog.get_key_value(name) {
            tables.insert(name.clone(), lock(&entry.table));
        }
    }
    tables
}

/// What every clone of a backend shares.
#[derive(Debug)]
pub(crate) struct State {
    /// The tables by name, each behind its own lock. Read-locked by every item operation for
    /// its length (so its tables are not deleted under it), write-locked by whatever creates
    /// or deletes tables. Always taken before any table's lock.
    pub(crate) catalog: RwLock<HashMap<String, Entry>>,
    /// What is not per table.
    pub(crate) common: Arc<Common>,
}

impl State {
    /// Runs `f` on every table, read-locked in name order, under the catalog's read lock.
    pub(crate) fn read_all<T>(&self, f: impl FnOnce(&Tables) -> T) -> T {
        let catalog = self.catalog.read();
        let tables = lock_named(&catalog, catalog.keys().map(String::as_str), |lock| {
            Slot::Read(lock.read_arc())
        });
        f(&Tables {
            tables,
            common: Arc::clone(&self.common),
        })
    }

    /// Runs `f` on every table, write-locked in name order, under the catalog's write lock;
    /// then makes the catalog what `f` left: tables it created or restored are added, those
    /// it deleted removed, and every definition is what its table's is now.
    pub(crate) fn write_all<T>(&self, f: impl FnOnce(&mut Tables) -> T) -> T {
        let mut catalog = self.catalog.write();
        let tables = lock_named(&catalog, catalog.keys().map(String::as_str), |lock| {
            Slot::Write(lock.write_arc())
        });
        let mut view = Tables {
            tables,
            common: Arc::clone(&self.common),
        };
        let output = f(&mut view);
        catalog.retain(|name, _| view.tables.contains_key(name));
        for (name, slot) in view.tables {
            match slot {
                Slot::Owned(table) => {
                    catalog.insert(name, Entry::new(*table));
                }
                Slot::Write(table) => {
                    if let Some(entry) = catalog.get_mut(&name) {
                        entry.definition = Definition::of(&table);
                    }
                }
                Slot::Read(_) => {}
            }
        }
        output
    }
}

/// State shared by every table: what cross-table operations need besides the tables, each
/// part behind its own small lock when it changes.
#[derive(Debug, Default)]
pub(crate) struct Common {
    pub(crate) tokens: Mutex<tokens::Tokens>,
    /// The lagging replica eventually consistent reads see (`None`: off).
    pub(crate) replica: Option<Replica>,
    // ---- Backups ----
    /// The time the change logs record writes at.
    pub(crate) write_clock: Arc<WriteClock>,
    /// How far back point-in-time recovery reaches.
    pub(crate) recovery_period: Duration,
    /// How far `LatestRestorableDateTime` is behind the current time.
    pub(crate) restore_lag: Duration,
    /// On-demand backups.
    pub(crate) backups: Mutex<backups::Backups>,
    // ---- Durable store ----
    /// Each journaled table's definition as last journaled (empty in memory only).
    pub(crate) journaled: Mutex<crate::pending::Journaled>,
}

/// One table as an operation holds it: read-locked, write-locked, or its own (a table just
/// created or restored, not yet in the catalog; a replica's view).
#[derive(Debug)]
pub(crate) enum Slot {
    Read(ArcRwLockReadGuard<RawRwLock, Table>),
    Write(ArcRwLockWriteGuard<RawRwLock, Table>),
    Owned(Box<Table>),
}

impl Slot {
    /// The table itself, out of its slot: a write-locked one is left empty (its lock is
    /// dropped from the catalog, as the caller removed it from its view).
    pub(crate) fn into_table(self) -> Table {
        match self {
            Slot::Read(_) => unreachable!("a read-locked table is never taken"),
            Slot::Write(mut table) => {
                let empty = table.empty_copy();
                std::mem::replace(&mut *table, empty)
            }
            Slot::Owned(table) => *table,
        }
    }
}

impl From<Table> for Slot {
    fn from(table: Table) -> Self {
        Slot::Owned(Box::new(table))
    }
}

impl Deref for Slot {
    type Target = Table;

    fn deref(&self) -> &Table {
        match self {
            Slot::Read(table) => table,
            Slot::Write(table) => table,
            Slot::Owned(table) => table,
        }
    }
}

impl DerefMut for Slot {
    fn deref_mut(&mut self) -> &mut Table {
        match self {
            // Read-locked tables are only ever reached through `&Tables`.
            Slot::Read(_) => unreachable!("a read-locked table is never written"),
            Slot::Write(table) => table,
            Slot::Owned(table) => table,
        }
    }
}

/// The tables an operation holds, by name (only those it locked: see
/// [`MemoryBackend::read_tables`] and [`Reach`]), and the state shared across tables, which
/// it reaches as its own fields (`Deref`).
#[derive(Debug, Default)]
pub(crate) struct Tables {
    pub(crate) tables: HashMap<String, Slot>,
    pub(crate) common: Arc<Common>,
}

impl Deref for Tables {
    type Target = Common;

    fn deref(&self) -> &Common {
        &self.common
    }
}

impl Default for WriteClock {
    fn default() -> Self {
        WriteClock::new(Arc::new(SystemClock))
    }
}

impl Tables {
    pub(crate) fn table(&self, name: &str) -> Result<&Table> {
        self.tables
            .get(name)
            .map(|table| &**table)
            .ok_or_else(|| not_found(name))
    }

    pub(crate) fn table_mut(&mut self, name: &str) -> Result<&mut Table> {
        self.tables
            .get_mut(name)
            .map(|table| &mut **table)
            .ok_or_else(|| not_found(name))
    }

    /// A new table's change log, kept for the replica's lag (and point-in-time recovery,
    /// once enabled).
    pub(crate) fn change_log(&self) -> ChangeLog {
        let lag = self.replica.as_ref().map(Replica::lag);
        ChangeLog::new(Arc::clone(&self.write_clock), lag)
    }
}

/// table).
/// DynamoDB's `ResourceNotFoundException` ("Requested resource not found").
pub(crate) fn not_found(name: &str) -> Error {
    Error::TableNotFound {
        table: name.to_owned(),
        source: None,
    }
}
