//! How an operation reaches the tables it works on: which it locks ([`Reach`]), always in
//! name order, and, on a durable backend, when it may answer (once its writes, or the writes
//! it could have seen, are on disk).

use std::collections::HashMap;
use std::sync::Arc;

use notes_core::Result;

use crate::definition::Definition;
use crate::durable::{self, Scope};
use crate::memory_backend::MemoryBackend;
use crate::meter::Meter;
use crate::state::{Slot, Tables, lock_named, not_found};
use crate::table::Table;

impl MemoryBackend {
    /// What requests draw on the throughput buckets (nothing when throughput is not
    /// enforced), once auto scaling has caught up with the clock. Taken before the tables
    /// lock: auto scaling changes tables.
    pub(crate) fn meter(&self) -> Meter<'_> {
        self.autoscale();
        Meter::new(self.throughput.as_deref())
    }

    /// Runs `f` on every table, each read-locked (the catalog too: no table is created or
    /// deleted meanwhile). For what reads several tables at once or does not name them
    /// (streams, backups, scaling policies); item reads lock only their own tables
    /// ([`read_tables`](Self::read_tables)).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Tables) -> Result<T>) -> Result<T> {
        self.state.read_all(f)
    }

    /// Runs `f` on the tables `names`, each read-locked (in name order; one missing from the
    /// catalog is absent, so `f` answers it not found). Writes of other tables go on
    /// meanwhile.
    pub(crate) fn read_tables<'a, T>(
        &self,
        names: impl IntoIterator<Item = &'a str>,
        f: impl FnOnce(&Tables) -> Result<T>,
    ) -> Result<T> {
        let catalog = self.state.catalog.read();
        let tables = lock_named(&catalog, names, |lock| Slot::Read(lock.read_arc()));
        f(&Tables {
            tables,
            common: Arc::clone(&self.state.common),
        })
    }

    /// Runs `f` on the one table `name`, read-locked (`None`: not in the catalog): a read of
    /// one table's live state without a map of locked tables.
    pub(crate) fn read_table<T>(&self, name: &str, f: impl FnOnce(Option<&Table>) -> T) -> T {
        let catalog = self.state.catalog.read();
        match catalog.get(name) {
            Some(entry) => f(Some(&entry.table.read())),
            None => f(None),
        }
    }

    /// Runs the read `read` (items, tables, backups) on `request` and, on a durable backend,
    /// answers once every write it could have seen is on disk: a read never answers with a
    /// write that a crash or a failed `fsync` would undo. When the journal fails meanwhile, the tables were reloaded
    /// from disk before that failure was reported, so the read runs again on what is on disk.
    pub(crate) async fn read_durably<R: Clone, T>(
        &self,
        request: R,
        read: impl Fn(R) -> Result<T>,
    ) -> Result<T> {
        let Some(store) = &self.store else {
            return read(request);
        };
        let output = read(request.clone());
        match store.wait_for_reads().await {
            Ok(()) => output,
            Err(_) => read(request),
        }
    }

    /// Runs `f` with the catalog and every table write-locked, every write it makes at one
    /// instant of the clock (the change log's time of a transaction's or a batch's writes).
    /// On a durable backend, blocks the thread until the write is on disk (the synchronous
    /// paths: backups, TTL expiry, auto scaling); the operations of [`Backend`] wait
    /// asynchronously ([`write_durably`](Self::write_durably)).
    pub(crate) fn write<T>(&self, f: impl FnOnce(&mut Tables) -> Result<T>) -> Result<T> {
        let (output, sequence) = self.apply(Reach::Catalog, f)?;
        if let (Some(store), Some(sequence)) = (&self.store, sequence) {
            store.wait_blocking(sequence)?;
        }
        output
    }

    /// [`write`](Self::write) on what `reach` names, waiting for the disk without blocking
    /// the thread: the operation is applied and queued for the journal under its tables'
    /// locks, in journal order, and the `fsync` is awaited after the locks are released,
    /// shared with every write queued meanwhile.
    pub(crate) async fn write_durably<T>(
        &self,
        reach: Reach<'_>,
        f: impl FnOnce(&mut Tables) -> Result<T>,
    ) -> Result<T> {
        let (output, sequence) = self.apply(reach, f)?;
        if let (Some(store), Some(sequence)) = (&self.store, sequence) {
            store.wait(sequence).await?;
        }
        output
    }

    /// Applies `f` with what `reach` names write-locked and, when durable, queues its record
    /// before the locks are released (so each table's records are queued in the order its
    /// writes were applied, and an operation on several tables is queued after every write
    /// it could have observed): `f`'s output and the record's sequence number (`None`: in
    /// memory, or nothing changed). A backend whose journal failed takes no more writes.
    pub(crate) fn apply<T>(
        &self,
        reach: Reach<'_>,
        f: impl FnOnce(&mut Tables) -> Result<T>,
    ) -> Result<(Result<T>, Option<u64>)> {
        match reach {
            Reach::Items(names) => {
                let catalog = self.state.catalog.read();
                let tables = lock_named(&catalog, names, |lock| Slot::Write(lock.write_arc()));
                let mut tables = Tables {
                    tables,
                    common: Arc::clone(&self.state.common),
                };
                self.run(&mut tables, Scope::Items, f)
            }
            Reach::Catalog => self
                .state
                .write_all(|tables| self.run(tables, Scope::Tables, f)),
        }
    }

    /// Runs `f` on `tables` (write-locked by the caller) at one pinned instant of the clock
    /// and, when durable, queues its record: [`apply`](Self::apply)'s work under the locks.
    fn run<T>(
        &self,
        tables: &mut Tables,
        scope: Scope,
        f: impl FnOnce(&mut Tables) -> Result<T>,
    ) -> Result<(Result<T>, Option<u64>)> {
        if let Some(store) = &self.store {
            store.check_writable()?;
        }
        let clock = &self.state.common.write_clock;
        let now = clock.pin();
        let output = f(tables);
        clock.unpin();
        let sequence = match &self.store {
            Some(store) => store.submit(tables, scope, now),
            None => durable::discard_extras(),
        };
        Ok((output, sequence))
    }

    /// An item write on the one table `request` names (`name` reads it), most of it done
    /// before the table is locked: `stage` checks and prepares `request` against the table's
    /// definition (`None`: no such table, which `stage` answers), then `commit` runs with only
    /// that table write-locked, on what `stage` made. The catalog is read-locked throughout,
    /// so the definition `stage` saw is the table's when `commit` runs (`definition.rs`).
    /// Errors come in [`apply`](Self::apply)'s order: a failed journal's first, then
    /// `stage`'s, then `commit`'s. Waits for the disk as [`write_durably`](Self::write_durably)
    /// does.
    pub(crate) async fn write_item<R, S, T>(
        &self,
        request: R,
        name: impl FnOnce(&R) -> &str,
        stage: impl FnOnce(R, Option<&Definition>) -> Result<S>,
        commit: impl FnOnce(&mut Table, S) -> Result<T>,
    ) -> Result<T> {
        let (output, sequence) = self.apply_item(request, name, stage, commit)?;
        if let (Some(store), Some(sequence)) = (&self.store, sequence) {
            store.wait(sequence).await?;
        }
        output
    }

    /// [`write_item`](Self::write_item)'s work, up to the queued record. In memory, the one
    /// table's lock is taken directly (no map of locked tables, no copy of its name).
    fn apply_item<R, S, T>(
        &self,
        request: R,
        name: impl FnOnce(&R) -> &str,
        stage: impl FnOnce(R, Option<&Definition>) -> Result<S>,
        commit: impl FnOnce(&mut Table, S) -> Result<T>,
    ) -> Result<(Result<T>, Option<u64>)> {
        let catalog = self.state.catalog.read();
        let named = name(&request);
        let entry = catalog.get_key_value(named).ok_or_else(|| not_found(named));
        let staged = stage(
            request,
            entry.as_ref().ok().map(|(_, entry)| &entry.definition),
        );
        let (name, entry) = match entry {
            Ok(entry) => entry,
            Err(missing) => {
                if let Some(store) = &self.store {
                    store.check_writable()?;
                }
                // `stage` answered the missing table, after any error it found first.
                return Ok((staged.and(Err(missing)), durable::discard_extras()));
            }
        };
        if self.store.is_some() {
            let slot = Slot::Write(entry.table.write_arc());
            let mut tables = Tables {
                tables: HashMap::from([(name.clone(), slot)]),
                common: Arc::clone(&self.state.common),
            };
            return self.run(&mut tables, Scope::Items, |tables| {
                let table = tables.table_mut(name)?;
                staged.and_then(|staged| commit(table, staged))
            });
        }
        let mut table = entry.table.write();
        let clock = &self.state.common.write_clock;
        clock.pin();
        let output = staged.and_then(|staged| commit(&mut table, staged));
        clock.unpin();
        drop(table);
        Ok((output, durable::discard_extras()))
    }
}

/// What a write locks.
#[derive(Debug)]
pub(crate) enum Reach<'a> {
    /// These tables (item operations: they neither create nor delete tables).
    Items(Vec<&'a str>),
    /// The catalog and every table (table administration, restores, TTL expiry, backups).
    Catalog,
}

impl<'a> Reach<'a> {
    /// One table's items.
    pub(crate) fn table(name: &'a str) -> Self {
        Reach::Items(vec![name])
    }
}
