//! Opening a directory, step by step: take its lock, choose the newest generation and read it
//! strictly (a torn tail cut off, any other damage refused with [`Error::Corrupt`] and the
//! files left as they are), replay it, cut its torn tail off, and remove the generations it
//! supersedes.
//!
//! [`Error::Corrupt`]: notes_core::Error::Corrupt

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use notes_core::Result;

use super::directory::{
    DirLock, Failure, generation_of, generations, journal_path, lock, sync_dir,
};
use super::faults::StorageFaults;
use super::journal::{Journal, write_generation};
use super::replay::{Generation, corrupt, read_generation, records, replay};
use crate::state::Tables;

/// Options of a durable backend.
#[derive(Debug, Clone, Default)]
pub(crate) struct StoreOptions {
    pub(crate) faults: StorageFaults,
    pub(crate) journal_limit: u64,
}

/// A directory recovered into tables, before the writer starts.
pub(crate) struct Recovered {
    pub(super) dir: PathBuf,
    pub(super) lock: DirLock,
    pub(super) journal: Journal,
    /// The last operation's sequence number.
    pub(super) last: u64,
    pub(super) options: StoreOptions,
    /// Compactions made while opening.
    pub(super) compactions: u64,
}

/// The newest generation file, read whole.
struct Newest {
    generation: u64,
    path: PathBuf,
    bytes: Vec<u8>,
    /// Where its snapshot ends.
    snapshot_end: usize,
    /// Where its readable records end (a torn tail follows when that is short of the file's
    /// end).
    end: usize,
}

/// Opens `dir` (creating it), takes its lock and replays its journal into `tables`.
pub(crate) fn recover(dir: &Path, tables: &mut Tables, options: StoreOptions) -> Result<Recovered> {
    fs::create_dir_all(dir).map_err(|e| Failure::new(dir, "create directory", e))?;
    let lock = lock(dir)?;
    let generations = generations(dir)?;
    let limit = options.journal_limit;
    let (journal, last, compactions) = match read_newest(dir, &generations)? {
        Some(newest) => resume(dir, newest, tables, limit)?,
        None => (first_generation(dir, tables, limit)?, 0, 0),
    };
    remove_superseded(dir, &generations, journal.generation)?;
    sync_dir(dir)?;
    Ok(Recovered {
        dir: dir.to_owned(),
        lock,
        journal,
        last,
        options,
        compactions,
    })
}

/// Reads the newest of `generations` strictly (`None`: there is none). It must be complete:
/// a compaction a crash interrupted left a `.tmp` file, which is no generation; a damaged or
/// incomplete one is refused before anything in the directory changes.
fn read_newest(dir: &Path, generations: &[u64]) -> Result<Option<Newest>> {
    let Some(&generation) = generations.last() else {
        return Ok(None);
    };
    let path = journal_path(dir, generation);
    let bytes = fs::read(&path).map_err(|e| Failure::new(&path, "read", e))?;
    match read_generation(&path, &bytes, generation)? {
        Generation::Complete { snapshot_end, end } => Ok(Some(Newest {
            generation,
            path,
            bytes,
            snapshot_end,
            end,
        })),
        Generation::Incomplete { end } => {
            // A generation gets its name only once complete (it is written as
            // `journal-<g>.tmp`): one that is not is damage (a cut), and falling back to an
            // older one would delete the writes it holds.
            let reason = if generations.len() > 1 {
                "the file ends before its snapshot is complete (a generation is named only \
                 once complete: it was cut); the older generation is not used in its place"
            } else {
                "the file ends before its snapshot is complete, and there is no older \
                 generation to fall back to"
            };
            Err(corrupt(&path, end, reason))
        }
    }
}

/// Replays the newest generation into `tables`, cuts its torn tail off and opens it for
/// appending, compacted into a new generation when it has outgrown `limit`: the journal, the
/// last operation's sequence number, and the compactions made.
fn resume(
    dir: &Path,
    newest: Newest,
    tables: &mut Tables,
    limit: u64,
) -> Result<(Journal, u64, u64)> {
    let Newest {
        generation,
        path,
        bytes,
        snapshot_end,
        end,
    } = newest;
    let (last, _) = replay(tables, records(&bytes[..end]), snapshot_end, None)
        .map_err(|(offset, c)| corrupt(&path, offset, c.0))?;
    let file = OpenOptions::new()
        .write(true)
        .open(&path)
        .map_err(|e| Failure::new(&path, "open", e))?;
    truncate_torn_tail(&file, &path, end, bytes.len())?;
    let mut journal = Journal {
        dir: dir.to_owned(),
        file,
        path,
        generation,
        snapshot_bytes: snapshot_end as u64,
        bytes: end as u64,
        limit,
    };
    journal
        .seek_end()
        .map_err(|e| Failure::new(&journal.path, "seek", e))?;
    let mut compactions = 0;
    if journal.should_compact() {
        let time = tables.write_clock.now();
        journal.compact(tables, last, time)?;
        compactions += 1;
    }
    Ok((journal, last, compactions))
}

/// Cuts `file` (at `path`, `len` bytes) back to `end`, where its readable records end: what
/// follows is a torn final record, whose caller was never answered.
fn truncate_torn_tail(file: &File, path: &Path, end: usize, len: usize) -> Result<()> {
    if end == len {
        return Ok(());
    }
    tracing::warn!(
        path = %path.display(),
        kept = end,
        dropped = len - end,
        "durable MemoryBackend: truncating a torn final journal record"
    );
    file.set_len(end as u64)
        .and_then(|()| file.sync_all())
        .map_err(|e| Failure::new(path, "truncate", e))?;
    Ok(())
}

/// A new directory's journal: generation 1, holding the snapshot of `tables` (empty, or
/// what the backend already had).
fn first_generation(dir: &Path, tables: &Tables, limit: u64) -> Result<Journal> {
    let time = tables.write_clock.now();
    let generation = 1;
    let (file, path, bytes, snapshot_bytes) = write_generation(dir, generation, tables, 0, time)?;
    Ok(Journal {
        dir: dir.to_owned(),
        file,
        path,
        generation,
        snapshot_bytes,
        bytes,
        limit,
    })
}

/// Removes what the journal's generation `kept` supersedes: the older generations (a
/// compaction at open has removed the one it replaced already), and generations a crash
/// left under their temporary name.
fn remove_superseded(dir: &Path, generations: &[u64], kept: u64) -> Result<()> {
    let mut leftovers: Vec<_> = generations
        .iter()
        .filter(|&&generation| generation != kept)
        .map(|&generation| journal_path(dir, generation))
        .collect();
    for entry in fs::read_dir(dir).map_err(|e| Failure::new(dir, "read directory", e))? {
        let path = entry
            .map_err(|e| Failure::new(dir, "read directory", e))?
            .path();
        let temporary = path.extension().is_some_and(|e| e == "tmp")
            && path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .and_then(generation_of)
                .is_some();
        if temporary {
            leftovers.push(path);
        }
    }
    for path in leftovers {
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(Failure::new(&path, "remove", e).into());
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    //! Opening a directory whose files a test crafted with the journal's own encoding. What
    //! a reopen recovers through the public API is tested in the workspace's
    //! `tests/tests/durable`.

    use std::path::PathBuf;

    use notes_model::{Item, Note, PrimaryKey};

    use super::*;
    use crate::durable::codec::{HEADER, MAGIC};
    use crate::durable::frame::{frame, next_record};
    use crate::encoding::Encoder;
    use crate::memory_backend::MemoryBackend;
    use notes_core::request::{CreateTable, GetItem, PutItem};
    use notes_core::{Backend, Error};

    /// A directory of its own under the system's temp dir, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> Self {
            let dir = std::env::temp_dir()
                .join(format!("notes-durable-unit-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            TempDir(dir)
        }

        fn path(&self) -> &Path {
            &self.0
        }

        /// The one journal file.
        fn journal(&self) -> PathBuf {
            let mut journals: Vec<_> = fs::read_dir(&self.0)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| {
                    let name = p.file_name().unwrap().to_str().unwrap();
                    name.starts_with("journal-")
                })
                .collect();
            assert_eq!(journals.len(), 1, "one journal file: {journals:?}");
            journals.pop().unwrap()
        }

        /// The generation of [`journal`](Self::journal).
        fn generation(&self) -> u64 {
            let journal = self.journal();
            let name = journal.file_name().unwrap().to_str().unwrap();
            generation_of(name).unwrap()
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    /// A durable backend in `dir` with the `notes` table, holding `notes`; closed again.
    async fn write_notes(dir: &TempDir, notes: &[Note]) {
        let backend = MemoryBackend::open(dir.path()).unwrap();
        let create = CreateTable::new("notes", Note::KEY_SCHEMA);
        backend.create_table(create).await.unwrap();
        for note in notes {
            let put = PutItem::new("notes", note.to_item().unwrap());
            backend.put_item(put).await.unwrap();
        }
    }

    /// The note stored under `note`'s key.
    async fn stored(backend: &MemoryBackend, note: &Note) -> Option<Note> {
        let get = GetItem::new("notes", note.key().to_key_map()).consistent_read(true);
        let item = backend.get_item(get).await.unwrap().item?;
        Some(Note::from_shared(item).unwrap())
    }

    /// A generation is named `journal-<g>` only once complete (it is written as
    /// `journal-<g>.tmp`): a newer one without the end of its snapshot is damage (a cut), not
    /// an interrupted compaction. Open refuses it and changes nothing (it used to fall back to
    /// the older generation and delete the newer file, with any writes in it); salvage keeps
    /// the older generation and sets the newer file aside.
    #[tokio::test]
    async fn an_incomplete_newer_generation_is_refused_and_kept() {
        let dir = TempDir::new("generation");
        let kept = Note::new("u1", "kept");
        write_notes(&dir, std::slice::from_ref(&kept)).await;
        // A newer generation cut right after its header.
        let journal = dir.journal();
        let older = fs::read(&journal).unwrap();
        let generation = dir.generation();
        let mut header = Encoder::default();
        header.u8(HEADER);
        header.bytes.extend_from_slice(MAGIC);
        header.u64(generation + 1);
        let mut bytes = Vec::new();
        frame(&mut bytes, &header.bytes);
        let newer = journal_path(dir.path(), generation + 1);
        fs::write(&newer, &bytes).unwrap();

        let err = MemoryBackend::open(dir.path()).unwrap_err();
        assert!(
            matches!(&err, Error::Corrupt { path, offset, .. }
                if *path == newer && *offset == bytes.len() as u64),
            "{err:?}"
        );
        assert_eq!(fs::read(&journal).unwrap(), older);
        assert_eq!(fs::read(&newer).unwrap(), bytes, "the newer file is kept");

        let report = MemoryBackend::salvage(dir.path()).unwrap();
        assert_eq!(report.source.as_ref(), Some(&journal), "{report:?}");
        assert_eq!(report.lost.len(), 1, "{report:?}");
        assert_eq!(report.lost[0].path, newer);
        let aside = newer.with_extension("damaged");
        assert!(report.set_aside.contains(&aside), "{report:?}");
        assert_eq!(fs::read(&aside).unwrap(), bytes);
        let backend = MemoryBackend::open(dir.path()).unwrap();
        assert_eq!(stored(&backend, &kept).await, Some(kept));
    }

    #[tokio::test]
    async fn a_compaction_interrupted_under_its_temporary_name_is_ignored_and_removed() {
        let dir = TempDir::new("temporary");
        let kept = Note::new("u1", "kept");
        write_notes(&dir, std::slice::from_ref(&kept)).await;
        let journal = dir.journal();
        let bytes = fs::read(&journal).unwrap();
        let temporary = journal_path(dir.path(), dir.generation() + 1).with_extension("tmp");
        fs::write(&temporary, &bytes[..bytes.len() / 2]).unwrap();

        let backend = MemoryBackend::open(dir.path()).unwrap();
        assert_eq!(stored(&backend, &kept).await, Some(kept));
        assert_eq!(fs::read(&journal).unwrap(), bytes, "the generation is kept");
        assert!(!temporary.exists());
    }

    #[tokio::test]
    async fn records_out_of_order_are_refused() {
        let dir = TempDir::new("order");
        let notes: Vec<_> = (0..3).map(|i| Note::new("u1", format!("n{i}"))).collect();
        write_notes(&dir, &notes).await;
        // Swap the last two records (each intact): the journal's order is the order of the
        // writes, which replaying out of order would change silently.
        let journal = dir.journal();
        let bytes = fs::read(&journal).unwrap();
        let mut ends = vec![0];
        while let Some((_, next)) = next_record(&bytes, *ends.last().unwrap()) {
            ends.push(next);
        }
        let n = ends.len();
        let (a, b, c) = (ends[n - 3], ends[n - 2], ends[n - 1]);
        let mut swapped = bytes[..a].to_vec();
        swapped.extend_from_slice(&bytes[b..c]);
        swapped.extend_from_slice(&bytes[a..b]);
        fs::write(&journal, &swapped).unwrap();
        let err = MemoryBackend::open(dir.path()).unwrap_err();
        // Operations are numbered consecutively: the first one moved forward is refused
        // already (the one before it is missing from its place).
        assert!(
            matches!(&err, Error::Corrupt { offset, reason, .. }
                if *offset == a as u64 && reason.ends_with("follows 2: a record is missing")),
            "{err:?}"
        );
        assert_eq!(fs::read(&journal).unwrap(), swapped);
    }

    /// A table defined by a journal written before `THROUGHPUT` (an older version's
    /// `CreateTable`: `DEFINE` and `TIMES`, nothing after) opens with no on-demand maximums
    /// and the warm throughput of a new table of its billing mode.
    #[tokio::test]
    async fn a_table_journaled_before_its_throughput_settings_opens_with_the_defaults() {
        use std::time::UNIX_EPOCH;

        use crate::durable::codec::OPERATION;
        use crate::table::Table;
        use notes_core::request::{
            BillingMode, DescribeTable, TableStatus, WarmThroughputDescription,
        };

        let dir = TempDir::new("before-throughput");
        drop(MemoryBackend::open(dir.path()).unwrap());
        let journal = dir.journal();
        let units = BillingMode::Provisioned {
            read_capacity_units: 7,
            write_capacity_units: 9,
        };
        let table = Table::new(
            "notes".into(),
            Note::KEY_SCHEMA,
            units,
            Vec::new(),
            UNIX_EPOCH,
        );
        let mut record = Encoder::default();
        record.u8(OPERATION);
        record.u64(1);
        record.time(UNIX_EPOCH);
        record.u32(2);
        record.define(&table);
        record.table_times(&table);
        let mut bytes = fs::read(&journal).unwrap();
        frame(&mut bytes, &record.bytes);
        fs::write(&journal, bytes).unwrap();

        let backend = MemoryBackend::open(dir.path()).unwrap();
        let described = backend
            .describe_table(DescribeTable::new("notes"))
            .await
            .unwrap();
        assert_eq!(described.billing_mode, Some(units));
        assert_eq!(described.on_demand_throughput, None);
        assert_eq!(
            described.warm_throughput,
            Some(WarmThroughputDescription::new(7, 9, TableStatus::Active))
        );
    }
}
