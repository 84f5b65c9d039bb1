//! The durable MemoryBackend: the in-memory engine, backed by a directory.
//!
//! **Mechanism: a write-ahead journal with per-record checksums, group commit and
//! compaction.** Every operation that changes state (item writes, batches, transactions,
//! TTL expiry, table create/delete/update, TTL and point-in-time recovery settings,
//! restores) is applied in memory with its tables write-locked (item operations lock just
//! their tables, in name order; administration locks the catalog and every table), and its
//! *effect* is appended to a queue before those locks are released: so each table's records
//! are queued in the order of its writes, and an operation's record comes after the record of
//! every write it could have observed (the journal order is one readers could have seen).
//! The record holds the new image of every item
//! it wrote or the key of every item it deleted (what `Table::put` / `Table::delete` saw,
//! the same writes the change log in `history.rs` records), and the table's definition when
//! the operation changed it. One record per operation, so a transaction is all in or all out
//! after a crash. The caller then releases the lock and waits, outside it, for the journal
//! writer thread: it takes everything queued, appends it with one `write`, calls `fsync`
//! (`sync_data`) once, and wakes every caller whose record it covered. Concurrent writers
//! therefore share an `fsync` (group commit), and readers and other writers are never
//! blocked behind the disk.
//!
//! On disk, a directory holds `LOCK` (held with an exclusive `flock` while open, and so is
//! the directory itself, so that deleting `LOCK` changes nothing: a second
//! open answers [`Error::StoreInUse`]) and one journal file, `journal-<generation>`: a
//! header, the state at the generation's start (each table's definition, then its items,
//! 1024 per record, then its change log: the log's state (`LOG`: the last sequence number,
//! the stream's label and bounds, a disabled stream) and every change it keeps (`CHANGES`:
//! the stream's records of the last 24 hours and the point-in-time history of the recovery
//! period, with their sequence numbers, times and images); then every on-demand backup
//! (`BACKUP`, `BACKUP_ITEMS`) and every transaction token of the last 10 minutes (`TOKEN`)),
//! a `SNAPSHOT_END` marker (the operation number the snapshot is as of, its time, and how
//! many records the snapshot has: files written before issue 24 lack the count), then one
//! record per operation since, numbered consecutively from the snapshot's number: a record
//! cut out of either part is [`Error::Corrupt`] (the last one cut off cannot be told from a
//! crash before its append). An operation's record also
//! holds what it did besides items: a backup created or deleted, a token used (so a
//! transaction and its token are in or out together), time to live's deletions (`EXPIRED`:
//! their stream records say so), and the log's state after an operation that changed it. Records
//! are framed `[length][crc32][payload]` (`frame.rs`; their contents: `codec.rs`). When the operations part outgrows
//! both the snapshot part and the journal limit, the writer compacts: it copies the state
//! with every table read-locked into a new generation file (written as `journal-<g>.tmp`,
//! `fsync`ed, renamed, the directory `fsync`ed), and deletes the old one. A `.tmp` file (a
//! crash during a compaction) is ignored and removed; a `journal-<g>` without its
//! `SNAPSHOT_END` can only be damage (a cut): [`Error::Corrupt`], never a fall back to the
//! previous generation (which would delete the newer file's writes).
//!
//! Recovery reads the newest generation strictly: every record up to the end, or
//! up to a torn tail, which is cut off (a crash can only tear the batch being written, whose
//! callers were never answered: [`frame::torn_tail`]). Anything else that cannot be read is
//! [`Error::Corrupt`] (file and offset), and nothing in the directory is changed;
//! `salvage.rs` keeps every readable record of such a directory. Item records are replayed
//! at their original times on top of the snapshot's change logs, and a table's sequence
//! numbers count every write to it (`history.rs`), so each replayed write is logged again
//! with the number and time it had: stream records keep their sequence numbers (a
//! consumer's checkpoint stays valid), point-in-time recovery reaches back as far as before
//! the restart, and nothing is logged twice. When the journal fails while running, the same
//! replay of what is on disk replaces the tables before any caller is answered
//! (`journal.rs`, `fail`), so a refused write is never visible.
//!
//! What a restart does not keep: auto scaling policies and the throughput buckets' state
//! (`MemoryBackend::put_scaling_policy`, the burst bank: in memory only), an on-demand backup
//! in progress (it fails with its caller), and the replica's lag (a builder option, as the
//! clock and the recovery period are).
//!
//! Why not an embedded engine: every write already lands in the in-memory tables with their
//! indexes, so the disk only needs the ordered log of effects, which a journal is; an engine
//! (SQLite, redb) would keep a second copy of every table in its own B-tree, and the
//! benchmark (`benches/benches/durable.rs`, in BENCHMARKS.md) measures what that costs.
//!
//! [`Error::StoreInUse`]: notes_core::Error::StoreInUse
//! [`Error::Corrupt`]: notes_core::Error::Corrupt

mod codec;
mod directory;
mod faults;
mod frame;
mod journal;
mod recovery;
mod replay;
mod salvage;
mod shared;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, Weak};
use std::thread::JoinHandle;
use std::time::SystemTime;

use tokio::sync::watch;

use crate::encoding::Encoder;
use crate::pending::PendingItems;
use crate::state::{State, Tables};
use notes_core::Result;

use codec::definition_bytes;
use directory::DirLock;
use journal::write_loop;
use recovery::Recovered;
use shared::{Queue, Shared, Status};

pub(crate) use codec::SNAPSHOT_CHUNK;
pub use faults::StorageFaults;
pub(crate) use recovery::{StoreOptions, recover};
pub(crate) use salvage::salvage;
pub use salvage::{SalvageReport, Unreadable};

/// Which part of the state an operation may change: item operations never change a table's
/// definition, so their records skip comparing definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Items only (put, update, delete, batches, transactions).
    Items,
    /// Anything (table administration, restores, TTL expiry, auto scaling).
    Tables,
}

/// The default [`journal_limit`](crate::builder::MemoryBackendBuilder::journal_limit): 64 MiB.
pub(crate) const DEFAULT_JOURNAL_LIMIT: u64 = 64 << 20;

/// What a durable backend's journal has done since it was opened:
/// [`MemoryBackend::storage_stats`](crate::memory_backend::MemoryBackend::storage_stats).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let dir = std::env::temp_dir().join(format!("notes-doc-stats-{}", std::process::id()));
/// let backend = notes_repo::MemoryBackend::open(&dir)?;
/// let stats = backend.storage_stats().expect("a durable backend");
/// assert_eq!(stats.operations, 0);
/// # drop(backend);
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StorageStats {
    /// Operations journaled (one record each).
    pub operations: u64,
    /// `fsync`s of the journal: fewer than `operations` when concurrent writers shared them.
    pub syncs: u64,
    /// Compactions into a new generation (at open or while running).
    pub compactions: u64,
}

/// An open directory: the lock, the journal writer thread and what callers wait on.
#[derive(Debug)]
pub(crate) struct Store {
    dir: PathBuf,
    shared: Arc<Shared>,
    writer: Mutex<Option<JoinHandle<()>>>,
    /// Held (an exclusive `flock`) for as long as the store is open; released when closed.
    _lock: DirLock,
}

thread_local! {
    /// Mutations of the operation running on this thread that are not about its tables'
    /// items (a backup created or deleted, a transaction's token), and how many: the
    /// operation's record takes them ([`collect`]). An operation runs on one thread, under
    /// its locks, without awaiting, so they are its own.
    static EXTRAS: std::cell::RefCell<(Encoder, u32)> = std::cell::RefCell::default();
}

/// Adds one mutation, written by `write`, to the record of the operation running on this
/// thread (see [`EXTRAS`]).
pub(crate) fn journal_extra(write: impl FnOnce(&mut Encoder)) {
    EXTRAS.with_borrow_mut(|(encoder, count)| {
        write(encoder);
        *count += 1;
    });
}

/// Adds `count` mutations already encoded in `mutations` to the record of the operation
/// running on this thread (see [`EXTRAS`]).
pub(crate) fn journal_encoded(mut mutations: Encoder, count: u32) {
    EXTRAS.with_borrow_mut(|(encoder, extras)| {
        if encoder.bytes.is_empty() {
            std::mem::swap(&mut encoder.bytes, &mut mutations.bytes);
        } else {
            encoder.bytes.append(&mut mutations.bytes);
        }
        *extras += count;
    });
}

/// Forgets the mutations [`journal_extra`] added (an in-memory backend journals nothing):
/// answers `None`, the sequence number of no record.
pub(crate) fn discard_extras() -> Option<u64> {
    EXTRAS.with_borrow_mut(|(encoder, count)| {
        encoder.bytes.clear();
        *count = 0;
    });
    None
}

/// The mutations an operation made (collected with its tables write-locked, right after it):
/// answers how many.
fn collect(tables: &mut Tables, scope: Scope, out: &mut Encoder) -> u32 {
    let mut count = 0;
    let Tables { tables, common } = tables;
    // Only operations on tables change definitions: item operations skip the lock.
    let mut journaled = (scope == Scope::Tables).then(|| common.journaled.lock());
    for (name, table) in tables.iter_mut() {
        if table.pending.is_none() {
            // New to the journal (created or restored): its definition, every item, and its
            // change log's state.
            count += out.define(table);
            out.table_times(table);
            count += 1;
            let mut image = PendingItems::default();
            for item in table.items() {
                image.put(item);
            }
            if out.items(name, &mut image) {
                count += 1;
            }
            if out.log(table) {
                count += 1;
            }
            journaled
                .get_or_insert_with(|| common.journaled.lock())
                .insert(name.clone(), definition_bytes(table));
            table.pending = Some(PendingItems::default());
            continue;
        }
        let mut changed = false;
        if let Some(journaled) = journaled.as_mut() {
            let definition = definition_bytes(table);
            if journaled.get(name) != Some(&definition) {
                count += out.define(table);
                out.table_times(table);
                count += 1;
                journaled.insert(name.clone(), definition);
                changed = true;
            }
        }
        if let Some(pending) = table.pending.as_mut() {
            count += u32::from(out.items(name, pending));
            count += u32::from(out.expired(name, pending));
        }
        // After the items: the log's state (its sequence number) as the operation left it.
        if changed && out.log(table) {
            count += 1;
        }
    }
    if let Some(journaled) = journaled.as_mut() {
        journaled.retain(|name, _| {
            let keep = tables.contains_key(name);
            if !keep {
                out.drop_table(name);
                count += 1;
            }
            keep
        });
    }
    EXTRAS.with_borrow_mut(|(extras, extra_count)| {
        out.bytes.append(&mut extras.bytes);
        count += std::mem::take(extra_count);
    });
    count
}

impl Store {
    /// Starts the journal writer of a recovered directory; `tables` is what compaction
    /// copies.
    pub(crate) fn start(recovered: Recovered, tables: Weak<State>) -> Store {
        let Recovered {
            dir,
            lock,
            journal,
            last,
            options,
            compactions,
        } = recovered;
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                last,
                ..Queue::default()
            }),
            wake: Condvar::new(),
            status: Mutex::new(Status {
                durable: last,
                failed: None,
            }),
            settled: Condvar::new(),
            notify: watch::Sender::new(()),
            submitted: AtomicU64::new(last),
            operations: AtomicU64::new(0),
            syncs: AtomicU64::new(0),
            compactions: AtomicU64::new(compactions),
            faults: options.faults,
        });
        let writer = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("notes-journal".into())
                .spawn(move || write_loop(journal, &shared, &tables))
                .expect("spawning the journal writer thread")
        };
        Store {
            dir,
            shared,
            writer: Mutex::new(Some(writer)),
            _lock: lock,
        }
    }

    /// The directory.
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// [`Error::Storage`](notes_core::Error::Storage) once the journal has failed: the backend
    /// takes no more writes.
    pub(crate) fn check_writable(&self) -> Result<()> {
        let status = self
            .shared
            .status
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match &status.failed {
            Some(failure) => Err(failure.to_error()),
            None => Ok(()),
        }
    }

    /// Queues the record of the operation just applied to `tables` (called under the write
    /// lock, so records are queued in the order operations were applied): its sequence
    /// number, or `None` when it changed nothing.
    pub(crate) fn submit(
        &self,
        tables: &mut Tables,
        scope: Scope,
        time: SystemTime,
    ) -> Option<u64> {
        let mut mutations = Encoder::default();
        let count = collect(tables, scope, &mut mutations);
        if count == 0 {
            return None;
        }
        let mut header = Encoder::default();
        header.u8(codec::OPERATION);
        let mut queue = self
            .shared
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let sequence = queue.last + 1;
        header.u64(sequence);
        header.time(time);
        header.u32(count);
        let mut crc = crc32fast::Hasher::new();
        crc.update(&header.bytes);
        crc.update(&mutations.bytes);
        let len = u32::try_from(header.bytes.len() + mutations.bytes.len())
            .expect("a journal record is under 4 GiB");
        queue.pending.extend_from_slice(&len.to_le_bytes());
        queue
            .pending
            .extend_from_slice(&crc.finalize().to_le_bytes());
        queue.pending.extend_from_slice(&header.bytes);
        queue.pending.extend_from_slice(&mutations.bytes);
        queue.last = sequence;
        self.shared.submitted.store(sequence, Ordering::Release);
        drop(queue);
        self.shared.operations.fetch_add(1, Ordering::Relaxed);
        self.shared.wake.notify_one();
        Some(sequence)
    }

    /// Waits until the record `sequence` is on disk (or the journal failed).
    pub(crate) async fn wait(&self, sequence: u64) -> Result<()> {
        let mut changed = self.shared.notify.subscribe();
        loop {
            if let Some(outcome) = self.shared.outcome(sequence) {
                return outcome;
            }
            // The sender lives in `shared`, which outlives this call.
            let _ = changed.changed().await;
        }
    }

    /// Waits until every record queued so far is on disk: what a read waits for before it
    /// answers, so that it never answers with a write the disk has not taken (which a crash
    /// or a failed `fsync` would undo). Called after the read, it covers every write the read
    /// could have seen: each was queued under its tables' write locks, before the read took
    /// its read locks.
    pub(crate) async fn wait_for_reads(&self) -> Result<()> {
        self.wait(self.shared.submitted.load(Ordering::Acquire))
            .await
    }

    /// [`wait_for_reads`](Self::wait_for_reads), blocking the thread (for the synchronous
    /// stream reads).
    pub(crate) fn wait_for_reads_blocking(&self) -> Result<()> {
        self.wait_blocking(self.shared.submitted.load(Ordering::Acquire))
    }

    /// [`wait`](Self::wait), blocking the thread (for the synchronous write paths).
    pub(crate) fn wait_blocking(&self, sequence: u64) -> Result<()> {
        let mut status = self
            .shared
            .status
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        loop {
            if status.durable >= sequence {
                return Ok(());
            }
            if let Some(failure) = &status.failed {
                return Err(failure.to_error());
            }
            status = self
                .shared
                .settled
                .wait(status)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// What the journal has done.
    pub(crate) fn stats(&self) -> StorageStats {
        StorageStats {
            operations: self.shared.operations.load(Ordering::Relaxed),
            syncs: self.shared.syncs.load(Ordering::Relaxed),
            compactions: self.shared.compactions.load(Ordering::Relaxed),
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.shared
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .shutdown = true;
        self.shared.wake.notify_one();
        let writer = self
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(writer) = writer {
            let _ = writer.join();
        }
    }
}
