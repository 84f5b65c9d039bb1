//! The journal file and its writer thread: appending batches with one `fsync` each (group
//! commit), cutting a failed batch back, and compaction into a new generation.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{PoisonError, Weak};
use std::time::SystemTime;

use super::codec::{self, SNAPSHOT_CHUNK};
use super::directory::{Failure, journal_path, sync_dir};
use super::frame::frame;
use super::replay::reload;
use super::shared::Shared;
use crate::encoding::Encoder;
use crate::pending::PendingItems;
use crate::state::{State, Tables};

/// The writer thread's journal file.
#[derive(Debug)]
pub(super) struct Journal {
    pub(super) dir: PathBuf,
    pub(super) file: File,
    pub(super) path: PathBuf,
    pub(super) generation: u64,
    /// Bytes of the snapshot part.
    pub(super) snapshot_bytes: u64,
    /// Bytes of the file.
    pub(super) bytes: u64,
    pub(super) limit: u64,
}

/// A new generation file holding `tables` as of `sequence`: the file (positioned at its
/// end), its path, its length and its snapshot's length (the same).
pub(super) fn write_generation(
    dir: &Path,
    generation: u64,
    tables: &Tables,
    sequence: u64,
    time: SystemTime,
) -> std::result::Result<(File, PathBuf, u64, u64), Failure> {
    let bytes = encode_generation(tables, generation, sequence, time);
    let (file, path) = write_generation_bytes(dir, generation, &bytes)?;
    let len = bytes.len() as u64;
    Ok((file, path, len, len))
}

/// Writes and syncs a generation file (and the directory entry): under a temporary name
/// first, renamed once complete, so that a file named `journal-<generation>` is always a
/// complete generation (one that is not has been damaged since).
pub(super) fn write_generation_bytes(
    dir: &Path,
    generation: u64,
    bytes: &[u8],
) -> std::result::Result<(File, PathBuf), Failure> {
    let path = journal_path(dir, generation);
    let temporary = path.with_extension("tmp");
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&temporary)
        .map_err(|e| Failure::new(&temporary, "create", e))?;
    file.write_all(bytes)
        .map_err(|e| Failure::new(&temporary, "write", e))?;
    file.sync_all()
        .map_err(|e| Failure::new(&temporary, "fsync", e))?;
    fs::rename(&temporary, &path).map_err(|e| Failure::new(&path, "rename", e))?;
    sync_dir(dir)?;
    Ok((file, path))
}

/// The bytes of a generation: header, state, `SNAPSHOT_END`.
fn encode_generation(tables: &Tables, generation: u64, sequence: u64, time: SystemTime) -> Vec<u8> {
    let mut out = Vec::new();
    let mut header = Encoder::default();
    header.u8(codec::HEADER);
    header.bytes.extend_from_slice(codec::MAGIC);
    header.u64(generation);
    frame(&mut out, &header.bytes);
    // How many records the snapshot has (after the header, before `SNAPSHOT_END`).
    let records = std::cell::Cell::new(0u64);
    let record = |out: &mut Vec<u8>, count: u32, mutations: &Encoder| {
        records.set(records.get() + 1);
        let mut e = Encoder::default();
        e.u8(codec::OPERATION);
        e.u64(sequence);
        e.time(time);
        e.u32(count);
        e.bytes.extend_from_slice(&mutations.bytes);
        frame(out, &e.bytes);
    };
    let mut names: Vec<_> = tables.tables.keys().collect();
    names.sort();
    for name in names {
        let table = &tables.tables[name];
        let mut define = Encoder::default();
        let count = define.define(table);
        define.table_times(table);
        record(&mut out, count + 1, &define);
        let items: Vec<_> = table.items().collect();
        for chunk in items.chunks(SNAPSHOT_CHUNK) {
            let mut pending = PendingItems::default();
            for item in chunk {
                pending.put(item);
            }
            let mut mutations = Encoder::default();
            mutations.items(name, &mut pending);
            record(&mut out, 1, &mutations);
        }
        // Its change log: the state, then every logged change (the stream's records and the
        // point-in-time history), with their sequence numbers and times.
        let mut log = Encoder::default();
        if log.log(table) {
            record(&mut out, 1, &log);
        }
        if let Some(history) = &table.history {
            let changes: Vec<_> = history.logged().collect();
            for chunk in changes.chunks(SNAPSHOT_CHUNK) {
                let mut mutations = Encoder::default();
                mutations.changes(name, chunk.iter().copied());
                record(&mut out, 1, &mutations);
            }
        }
    }
    // The on-demand backups, each with its items.
    let backups = tables.backups.lock();
    let (counter, all) = backups.all();
    for (description, table) in all {
        let mut mutations = Encoder::default();
        let count = mutations.backup(counter, description, table);
        record(&mut out, count, &mutations);
        let items: Vec<_> = table.items().collect();
        for chunk in items.chunks(SNAPSHOT_CHUNK) {
            let mut mutations = Encoder::default();
            mutations.backup_items(&description.summary.backup_arn, chunk.iter().copied());
            record(&mut out, 1, &mutations);
        }
    }
    drop(backups);
    // The transactions' tokens of the last 10 minutes.
    let mut mutations = Encoder::default();
    let mut count = 0;
    for (token, at, fingerprint) in tables.tokens.lock().entries() {
        mutations.token(token, at, fingerprint);
        count += 1;
    }
    if count > 0 {
        record(&mut out, count, &mutations);
    }
    let mut end = Encoder::default();
    end.u8(codec::SNAPSHOT_END);
    end.u64(sequence);
    end.time(time);
    // (Added in issue 24: older files end the record after the time; older versions read
    // no further.)
    end.u64(records.get());
    frame(&mut out, &end.bytes);
    out
}

impl Journal {
    pub(super) fn seek_end(&mut self) -> io::Result<()> {
        use std::io::Seek;
        self.file.seek(io::SeekFrom::Start(self.bytes)).map(drop)
    }

    pub(super) fn should_compact(&self) -> bool {
        let operations = self.bytes - self.snapshot_bytes;
        operations > self.limit.max(self.snapshot_bytes)
    }

    /// Appends and syncs a batch of records. When that fails, the file is cut back to where
    /// the batch began (best effort): the callers are answered an error, so their records
    /// must not come back at the next open.
    fn append(&mut self, batch: &[u8], shared: &Shared) -> std::result::Result<(), Failure> {
        let before = self.bytes;
        let outcome = self.write_and_sync(batch, shared);
        if outcome.is_err() {
            let cut = self
                .file
                .set_len(before)
                .and_then(|()| self.file.sync_all());
            if let Err(e) = cut {
                tracing::error!(
                    path = %self.path.display(),
                    error = %e,
                    "durable MemoryBackend: could not remove the records of a failed write; \
                     they may be present after reopening"
                );
            }
            self.bytes = before;
        }
        outcome
    }

    fn write_and_sync(
        &mut self,
        batch: &[u8],
        shared: &Shared,
    ) -> std::result::Result<(), Failure> {
        let faults = &shared.faults;
        while faults.holds_writes() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        if faults.fails_writes() {
            let half = &batch[..batch.len() / 2];
            let _ = self.file.write_all(half);
            let _ = self.file.sync_data();
            let full = io::Error::new(io::ErrorKind::StorageFull, "No space left on device");
            return Err(Failure::new(&self.path, "write", full));
        }
        self.file
            .write_all(batch)
            .map_err(|e| Failure::new(&self.path, "write", e))?;
        self.bytes += batch.len() as u64;
        if faults.fails_syncs() {
            let failed = io::Error::other("injected fsync failure");
            return Err(Failure::new(&self.path, "fsync", failed));
        }
        self.file
            .sync_data()
            .map_err(|e| Failure::new(&self.path, "fsync", e))?;
        shared.syncs.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Replaces this generation with a new one holding `tables` as of `sequence`.
    pub(super) fn compact(
        &mut self,
        tables: &Tables,
        sequence: u64,
        time: SystemTime,
    ) -> std::result::Result<(), Failure> {
        let bytes = encode_generation(tables, self.generation + 1, sequence, time);
        self.switch_to(&bytes)
    }

    /// Makes `bytes` (a complete generation) the next generation, and removes this one.
    fn switch_to(&mut self, bytes: &[u8]) -> std::result::Result<(), Failure> {
        let generation = self.generation + 1;
        let (file, path) = write_generation_bytes(&self.dir, generation, bytes)?;
        let old = std::mem::replace(&mut self.path, path);
        self.file = file;
        self.generation = generation;
        self.bytes = bytes.len() as u64;
        self.snapshot_bytes = self.bytes;
        // The new generation is complete and durable: the switch is made. Failing to remove
        // the old one changes nothing (the next open removes it).
        let removed = fs::remove_file(&old)
            .map_err(|e| Failure::new(&old, "remove", e))
            .and_then(|()| sync_dir(&self.dir));
        if let Err(failure) = removed {
            tracing::warn!(
                path = %failure.path.display(),
                error = %failure.source,
                "durable MemoryBackend: could not remove a replaced generation; the next open removes it"
            );
        }
        Ok(())
    }
}

/// The journal writer thread: appends what is queued, one `fsync` per batch, until the
/// store is closed.
pub(super) fn write_loop(mut journal: Journal, shared: &Shared, tables: &Weak<State>) {
    loop {
        let (batch, last, shutdown) = {
            let mut queue = shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
            while queue.pending.is_empty() && !queue.shutdown {
                queue = shared
                    .wake
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            (
                std::mem::take(&mut queue.pending),
                queue.last,
                queue.shutdown,
            )
        };
        let failed = shared
            .status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .failed
            .is_some();
        if !batch.is_empty() && !failed {
            match journal.append(&batch, shared) {
                Ok(()) => {
                    shared.settle(|s| s.durable = last);
                    // Never after a failure: a compaction marks everything queued durable,
                    // which would answer `Ok` to a write that was refused.
                    if journal.should_compact()
                        && let Some(tables) = tables.upgrade()
                    {
                        compact_running(&mut journal, shared, &tables);
                    }
                }
                Err(failure) => fail(&journal, shared, tables.upgrade().as_deref(), failure),
            }
        }
        if shutdown {
            return;
        }
    }
}

/// Compaction while the backend runs: the state is copied with every table read-locked
/// (writers wait for the copy, not for the disk), covering every record queued so far.
fn compact_running(journal: &mut Journal, shared: &Shared, state: &State) {
    let (bytes, sequence) = state.read_all(|tables| {
        // No writer holds a table's write lock (nor the catalog's): everything applied is
        // queued, since writers queue before they release their locks, and in the copy.
        let mut queue = shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.pending.clear();
        let sequence = queue.last;
        drop(queue);
        let time = tables.write_clock.now();
        (
            encode_generation(tables, journal.generation + 1, sequence, time),
            sequence,
        )
    });
    let outcome = journal.switch_to(&bytes);
    match outcome {
        Ok(()) => {
            shared.compactions.fetch_add(1, Ordering::Relaxed);
            shared.settle(|s| s.durable = sequence);
        }
        Err(failure) => fail(journal, shared, Some(state), failure),
    }
}

/// The journal failed: no write after the last durable one will ever be. Before any caller
/// hears of it, with every table write-locked, the tables are made what the journal holds
/// (what reopening gives): every write applied in memory but not on disk (those of the
/// failed batch, and those queued since) is undone, with its change log and stream
/// records, so that no reader sees a refused write. Then every waiting caller is answered.
/// (`state`: `None` once the backend is gone.)
fn fail(journal: &Journal, shared: &Shared, state: Option<&State>, failure: Failure) {
    let settle = || shared.settle(|s| s.failed = Some(failure.clone()));
    let Some(state) = state else {
        return settle();
    };
    state.write_all(|tables| {
        if let Err(e) = reload(tables, &journal.path, journal.bytes, journal.generation) {
            tracing::error!(
                error = %e,
                "durable MemoryBackend: could not undo the writes the disk refused; they stay \
                 visible until the directory is reopened"
            );
        }
        settle();
    });
}
