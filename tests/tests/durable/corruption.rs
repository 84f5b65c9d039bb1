//! Damaged store files: a flipped bit anywhere refuses to open (or recovers everything),
//! never empties the store, never deletes or shortens a file; salvage keeps every intact
//! record.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use notes_repo::request::DescribeTable;
use notes_repo::{Backend, Error, Item, MemoryBackend, Note, Repo};
use notes_tests::durable_support::TempDir;

/// The journal files of `dir` (`journal-<generation>`), oldest first.
fn journals(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with("journal-") && !name.contains('.')
        })
        .collect();
    files.sort();
    files
}

/// Every file of `dir` with its bytes (`LOCK` aside).
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "LOCK")
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.file_name().unwrap().to_str().unwrap().to_owned(), bytes)
        })
        .collect()
}

/// The records of a journal file (the framing of `notes-memory/src/durable/frame.rs`:
/// `[length: u32 LE][crc32: u32 LE][payload]`, the payload's first byte its kind): each
/// record's offset, total length and kind.
fn records(bytes: &[u8]) -> Vec<(usize, usize, u8)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        if at + 8 + len > bytes.len() {
            break;
        }
        out.push((at, 8 + len, bytes[at + 8]));
        at += 8 + len;
    }
    out
}

/// Record kinds.
const OPERATION: u8 = 2;
const SNAPSHOT_END: u8 = 3;

fn note(i: usize) -> Note {
    Note {
        user_id: format!("u{}", i % 7),
        note_id: format!("{i:05}"),
        content: format!("note {i}"),
        attachment: None,
        created_at: i64::try_from(i).unwrap(),
    }
}

/// Flips bit `bit` of byte `at` of `path`.
fn flip(path: &Path, at: usize, bit: u8) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[at] ^= 1 << bit;
    std::fs::write(path, bytes).unwrap();
}

#[tokio::test]
async fn a_flipped_bit_in_the_newest_snapshot_refuses_to_open_and_keeps_every_file() {
    let dir = TempDir::new("corrupt-snapshot");
    let written: Vec<_> = (0..2000).map(note).collect();
    {
        let backend = MemoryBackend::builder()
            .journal_limit(1)
            .open(dir.path())
            .unwrap();
        let repo: Repo<Note, _> = notes_tests::repo(backend.clone(), "notes").await;
        for chunk in written.chunks(25) {
            repo.batch_put(chunk).await.unwrap();
        }
        assert!(backend.storage_stats().unwrap().compactions > 0);
    }
    let journal = journals(dir.path()).pop().unwrap();
    let bytes = std::fs::read(&journal).unwrap();
    let records = records(&bytes);
    let end = records.iter().position(|r| r.2 == SNAPSHOT_END).unwrap();
    // The snapshot's last item record (before SNAPSHOT_END), a bit in its middle.
    let (at, len, kind) = records[end - 1];
    assert_eq!(kind, OPERATION);
    flip(&journal, at + len / 2, 3);
    let before = files(dir.path());

    let refused = MemoryBackend::builder().journal_limit(1).open(dir.path());
    let err = refused.expect_err("a damaged snapshot is refused");
    assert!(
        matches!(&err, Error::Corrupt { path, offset, .. } if *path == journal && *offset == at as u64),
        "{err:?}"
    );
    assert_eq!(
        files(dir.path()),
        before,
        "no file deleted or changed: {err}"
    );
}

#[tokio::test]
async fn a_flipped_byte_in_the_header_of_the_only_generation_refuses_to_open() {
    let dir = TempDir::new("corrupt-header");
    {
        let repo: Repo<Note, _> =
            notes_tests::repo(MemoryBackend::open(dir.path()).unwrap(), "notes").await;
        repo.put(&note(1)).await.unwrap();
    }
    let journal = journals(dir.path()).pop().unwrap();
    // Inside the header's magic ("NOTESJ01", after the frame and the kind byte).
    flip(&journal, 8 + 1 + 2, 0);
    let before = files(dir.path());
    let refused = MemoryBackend::open(dir.path());
    let err = refused.expect_err("a damaged header is refused");
    assert!(
        matches!(&err, Error::Corrupt { path, offset: 0, .. } if *path == journal),
        "{err:?}"
    );
    assert_eq!(
        files(dir.path()),
        before,
        "no file deleted or changed: {err}"
    );
}

#[tokio::test]
async fn a_damaged_record_in_the_middle_of_the_journal_refuses_to_open_and_keeps_the_later_ones() {
    let dir = TempDir::new("corrupt-middle");
    let written: Vec<_> = (0..4).map(note).collect();
    {
        let repo: Repo<Note, _> =
            notes_tests::repo(MemoryBackend::open(dir.path()).unwrap(), "notes").await;
        for n in &written {
            repo.put(n).await.unwrap();
        }
    }
    let journal = journals(dir.path()).pop().unwrap();
    let bytes = std::fs::read(&journal).unwrap();
    let records = records(&bytes);
    let end = records.iter().position(|r| r.2 == SNAPSHOT_END).unwrap();
    // The operations after the snapshot: the table's creation, then the four puts.
    let puts = &records[end + 2..];
    assert_eq!(puts.len(), 4);
    let (at, len, _) = puts[1];
    flip(&journal, at + len / 2, 5);
    let before = files(dir.path());

    let refused = MemoryBackend::open(dir.path());
    let err = refused.expect_err("a damaged record followed by valid ones is refused");
    assert!(
        matches!(&err, Error::Corrupt { path, offset, .. } if *path == journal && *offset == at as u64),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "the store file `{}` is damaged at byte {at}: a record whose checksum does not match \
             its bytes; nothing was changed (MemoryBackend::salvage keeps every intact record)",
            journal.display()
        )
    );
    assert_eq!(
        files(dir.path()),
        before,
        "no file deleted or changed: {err}"
    );

    // Salvage keeps the three intact puts, reports the damaged one, sets the file aside.
    let report = MemoryBackend::salvage(dir.path()).unwrap();
    assert_eq!(report.source.as_ref(), Some(&journal));
    assert_eq!(report.lost.len(), 1, "{report:?}");
    let lost = &report.lost[0];
    assert_eq!(lost.path, journal);
    assert_eq!(lost.offsets, at as u64..(at + len) as u64);
    assert_eq!(lost.reason, "damaged bytes: no record can be read there");
    // The snapshot's end, the table's creation, three puts.
    assert_eq!(report.records_kept, 5);
    let aside = journal.with_extension("damaged");
    assert_eq!(report.set_aside, std::slice::from_ref(&aside));
    assert_eq!(std::fs::read(&aside).unwrap(), before[&file_name(&journal)]);
    // Salvaged once: a second salvage finds nothing to do.
    let again = MemoryBackend::salvage(dir.path()).unwrap();
    assert!(
        again.lost.is_empty() && again.journal.is_none(),
        "{again:?}"
    );
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
    for (i, n) in written.iter().enumerate() {
        let found = repo.get(&n.key()).consistent().await.unwrap();
        assert_eq!(found.as_ref(), (i != 1).then_some(n), "note {i}");
    }
}

/// A store of four puts after its table's creation: the journal, its bytes, and the puts'
/// records (offset, length).
async fn four_puts(dir: &TempDir) -> (Vec<Note>, PathBuf, Vec<u8>, Vec<(usize, usize)>) {
    let written: Vec<_> = (0..4).map(note).collect();
    {
        let repo: Repo<Note, _> =
            notes_tests::repo(MemoryBackend::open(dir.path()).unwrap(), "notes").await;
        for n in &written {
            repo.put(n).await.unwrap();
        }
    }
    let journal = journals(dir.path()).pop().unwrap();
    let bytes = std::fs::read(&journal).unwrap();
    let records = records(&bytes);
    let end = records.iter().position(|r| r.2 == SNAPSHOT_END).unwrap();
    let puts: Vec<_> = records[end + 2..].iter().map(|r| (r.0, r.1)).collect();
    assert_eq!(puts.len(), 4);
    (written, journal, bytes, puts)
}

/// A whole record cut out of the middle of the journal (every byte of every other record
/// intact) is damage: operations are numbered consecutively, so the next one's number
/// shows it. Refused, nothing changed; salvage keeps the others and reports the gap.
#[tokio::test]
async fn a_whole_record_cut_out_of_the_middle_is_refused() {
    let dir = TempDir::new("corrupt-cut-record");
    let (written, journal, bytes, puts) = four_puts(&dir).await;
    let (at, len) = puts[1];
    let mut cut = bytes[..at].to_vec();
    cut.extend_from_slice(&bytes[at + len..]);
    std::fs::write(&journal, &cut).unwrap();
    let before = files(dir.path());

    let err = MemoryBackend::open(dir.path()).expect_err("a missing record is refused");
    assert!(
        matches!(&err, Error::Corrupt { path, offset, reason }
            if *path == journal && *offset == at as u64
                && reason.contains("a record is missing")),
        "{err:?}"
    );
    assert_eq!(
        files(dir.path()),
        before,
        "no file deleted or changed: {err}"
    );

    let report = MemoryBackend::salvage(dir.path()).unwrap();
    assert_eq!(report.lost.len(), 1, "{report:?}");
    assert_eq!(report.lost[0].offsets, at as u64..at as u64);
    assert!(
        report.lost[0].reason.contains("a record is missing"),
        "{report:?}"
    );
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
    for (i, n) in written.iter().enumerate() {
        let found = repo.get(&n.key()).consistent().await.unwrap();
        assert_eq!(found.as_ref(), (i != 1).then_some(n), "note {i}");
    }
}

/// The last whole record cut off cannot be told from a crash before its append (the file
/// is the same): the store opens without it. (Its write was acknowledged only if the cut
/// came after its fsync: that is damage no journal can see.)
#[tokio::test]
async fn the_last_whole_record_cut_off_opens_as_a_crash_before_its_append() {
    let dir = TempDir::new("corrupt-cut-last");
    let (written, journal, bytes, puts) = four_puts(&dir).await;
    let (at, len) = puts[3];
    assert_eq!(at + len, bytes.len());
    std::fs::write(&journal, &bytes[..at]).unwrap();

    let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
    for (i, n) in written.iter().enumerate() {
        let found = repo.get(&n.key()).consistent().await.unwrap();
        assert_eq!(found.as_ref(), (i != 3).then_some(n), "note {i}");
    }
}

/// A whole record cut out of the snapshot (a chunk of items) is damage too: `SNAPSHOT_END`
/// says how many records the snapshot has. Refused, nothing changed; salvage reports it.
#[tokio::test]
async fn a_whole_record_cut_out_of_the_snapshot_is_refused() {
    let dir = TempDir::new("corrupt-cut-snapshot");
    let written: Vec<_> = (0..3).map(note).collect();
    {
        let backend = MemoryBackend::builder()
            .journal_limit(1)
            .open(dir.path())
            .unwrap();
        let repo: Repo<Note, _> = notes_tests::repo(backend, "notes").await;
        for n in &written {
            repo.put(n).await.unwrap();
        }
    }
    // Compacted at this open: the snapshot holds the items.
    drop(
        MemoryBackend::builder()
            .journal_limit(1)
            .open(dir.path())
            .unwrap(),
    );
    let journal = journals(dir.path()).pop().unwrap();
    let bytes = std::fs::read(&journal).unwrap();
    let records = records(&bytes);
    let end = records.iter().position(|r| r.2 == SNAPSHOT_END).unwrap();
    // The header, the table's definition, its items, ...
    let (at, len, kind) = records[2];
    assert_eq!(kind, OPERATION);
    let mut cut = bytes[..at].to_vec();
    cut.extend_from_slice(&bytes[at + len..]);
    std::fs::write(&journal, &cut).unwrap();
    let before = files(dir.path());
    let snapshot_end_at = (records[end].0 - len) as u64;

    let err = MemoryBackend::open(dir.path()).expect_err("a missing snapshot record is refused");
    assert!(
        matches!(&err, Error::Corrupt { path, offset, reason }
            if *path == journal && *offset == snapshot_end_at
                && reason.contains("a record is missing")),
        "{err:?}"
    );
    assert_eq!(
        files(dir.path()),
        before,
        "no file deleted or changed: {err}"
    );
    let report = MemoryBackend::salvage(dir.path()).unwrap();
    assert_eq!(report.lost.len(), 1, "{report:?}");
    assert_eq!(
        report.lost[0].offsets,
        snapshot_end_at..snapshot_end_at,
        "{report:?}"
    );
}

/// Issue 24, fourth attack: a snapshot record overwritten with a copy of another valid frame
/// of the same file (the table's definition, or an operation record after the snapshot)
/// kept every checksum and the snapshot's record count, and the store opened without that
/// record's items. A snapshot's records all carry its sequence number and no two are the
/// same, so both copies are refused with nothing changed.
#[tokio::test]
async fn a_snapshot_record_replaced_by_a_copy_of_another_frame_is_refused() {
    for source in ["the definition", "an operation"] {
        let dir = TempDir::new("corrupt-copied-frame");
        let written: Vec<_> = (0..3).map(note).collect();
        {
            let backend = MemoryBackend::builder()
                .journal_limit(1)
                .open(dir.path())
                .unwrap();
            let repo: Repo<Note, _> = notes_tests::repo(backend, "notes").await;
            for n in &written {
                repo.put(n).await.unwrap();
            }
        }
        // Compacted at this open: the snapshot holds the items; then one more operation.
        {
            let backend = MemoryBackend::builder()
                .journal_limit(1 << 30)
                .open(dir.path())
                .unwrap();
            let repo: Repo<Note, _> = Repo::new(backend);
            repo.put(&note(9)).await.unwrap();
        }
        let journal = journals(dir.path()).pop().unwrap();
        let bytes = std::fs::read(&journal).unwrap();
        let records = records(&bytes);
        let end = records.iter().position(|r| r.2 == SNAPSHOT_END).unwrap();
        // The header, the table's definition, its items, ..., SNAPSHOT_END, operations.
        let (at, len, kind) = records[2];
        assert_eq!(kind, OPERATION);
        let (from, from_len, _) = match source {
            "the definition" => records[1],
            _ => *records.last().unwrap(),
        };
        assert!(records.len() > end + 1 || source == "the definition");
        let mut copied = bytes[..at].to_vec();
        copied.extend_from_slice(&bytes[from..from + from_len]);
        copied.extend_from_slice(&bytes[at + len..]);
        std::fs::write(&journal, &copied).unwrap();
        let before = files(dir.path());
        let err = MemoryBackend::open(dir.path())
            .expect_err("a snapshot record replaced by a copy is refused");
        assert!(
            matches!(&err, Error::Corrupt { path, .. } if *path == journal),
            "{source}: {err:?}"
        );
        assert_eq!(
            files(dir.path()),
            before,
            "{source}: no file changed: {err}"
        );
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_str().unwrap().to_owned()
}

/// A complete newer generation that is damaged is corruption, not an interrupted
/// compaction: the older generation (left by a crash between the switch and its removal) is
/// not used in its place, and neither file is removed.
#[tokio::test]
async fn a_damaged_complete_newer_generation_is_refused_not_replaced_by_the_older_one() {
    let dir = TempDir::new("corrupt-newer");
    let written: Vec<_> = (0..5).map(note).collect();
    {
        let repo: Repo<Note, _> =
            notes_tests::repo(MemoryBackend::open(dir.path()).unwrap(), "notes").await;
        for n in &written[..3] {
            repo.put(n).await.unwrap();
        }
    }
    let older = journals(dir.path()).pop().unwrap();
    let older_bytes = std::fs::read(&older).unwrap();
    {
        // Compacted at open into a newer generation, which then takes two more writes.
        let backend = MemoryBackend::builder()
            .journal_limit(1)
            .open(dir.path())
            .unwrap();
        let repo: Repo<Note, _> = Repo::new(backend);
        for n in &written[3..] {
            repo.put(n).await.unwrap();
        }
    }
    let newer = journals(dir.path()).pop().unwrap();
    assert_ne!(newer, older);
    // The crash window: the older generation not removed yet.
    std::fs::write(&older, &older_bytes).unwrap();
    let bytes = std::fs::read(&newer).unwrap();
    let (at, len, kind) = records(&bytes)[2];
    assert_eq!(kind, OPERATION, "the snapshot's items");
    flip(&newer, at + len / 2, 1);
    let before = files(dir.path());
    let err = MemoryBackend::open(dir.path()).expect_err("refused");
    assert!(
        matches!(&err, Error::Corrupt { path, offset, .. } if *path == newer && *offset == at as u64),
        "{err:?}"
    );
    assert_eq!(files(dir.path()), before);
}

// ---- The corruption sweep ----

/// What a journal record does to the `notes` table (the test's model of the store).
#[derive(Debug, Clone)]
enum Effect {
    /// The generation's header, or its snapshot's end: no state.
    Marker,
    /// The table is created.
    Define,
    /// A snapshot's change log state of the table (its last sequence number): no items.
    Log,
    /// These notes are stored (a put, or a snapshot's chunk of items).
    Put(Vec<Note>),
    /// The note with this key is deleted.
    Delete(Note),
}

/// The `notes` table: `None` when it does not exist; its notes by key.
type State = Option<BTreeMap<(String, String), Note>>;

/// The table after `effects`, applied in order (an item effect without the table is lost,
/// as salvage skips it).
fn state<'a>(effects: impl IntoIterator<Item = &'a Effect>) -> State {
    let mut table: State = None;
    for effect in effects {
        match (effect, table.as_mut()) {
            (Effect::Marker | Effect::Log, _) => {}
            (Effect::Define, _) => {
                table.get_or_insert_with(BTreeMap::new);
            }
            (Effect::Put(notes), Some(table)) => {
                for n in notes {
                    table.insert((n.user_id.clone(), n.note_id.clone()), n.clone());
                }
            }
            (Effect::Delete(n), Some(table)) => {
                table.remove(&(n.user_id.clone(), n.note_id.clone()));
            }
            (Effect::Put(_) | Effect::Delete(_), None) => {}
        }
    }
    table
}

/// A store to attack: its journal files (name, bytes), and each file's records with their
/// effects.
struct Store {
    name: &'static str,
    files: Vec<(String, Vec<u8>)>,
    /// Per file: each record's offset, length and effect.
    layout: Vec<Vec<(usize, usize, Effect)>>,
    /// The table every acknowledged write left.
    expected: State,
}

impl Store {
    /// Reads the files of `dir`, matching their records with `effects` (one list per file).
    /// (A compaction's temporary file, `journal-<g>.tmp`, comes after the journal files.)
    fn read(name: &'static str, dir: &Path, effects: Vec<Vec<Effect>>, expected: State) -> Store {
        let mut paths = journals(dir);
        let mut temporary: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "tmp"))
            .collect();
        temporary.sort();
        paths.extend(temporary);
        let files: Vec<_> = paths
            .iter()
            .map(|p| (file_name(p), std::fs::read(p).unwrap()))
            .collect();
        assert_eq!(files.len(), effects.len(), "{name}: journal files");
        let layout = files
            .iter()
            .zip(effects)
            .map(|((file, bytes), effects)| {
                let records = records(bytes);
                assert_eq!(records.len(), effects.len(), "{name}: records of {file}");
                records
                    .into_iter()
                    .zip(effects)
                    .map(|((at, len, _), effect)| (at, len, effect))
                    .collect()
            })
            .collect();
        Store {
            name,
            files,
            layout,
            expected,
        }
    }

    /// Writes the store into `work` (emptied first), with `bytes` as file `file`.
    fn install(&self, work: &Path, file: usize, bytes: &[u8]) {
        let _ = std::fs::remove_dir_all(work);
        std::fs::create_dir_all(work).unwrap();
        for (i, (name, original)) in self.files.iter().enumerate() {
            let content = if i == file { bytes } else { original };
            std::fs::write(work.join(name), content).unwrap();
        }
    }
}

/// The `notes` table as a reopened `dir` has it, or why it did not open.
async fn open_state(dir: &Path) -> Result<State, Error> {
    let backend = MemoryBackend::open(dir)?;
    if backend
        .describe_table(DescribeTable::new("notes"))
        .await
        .is_err()
    {
        return Ok(None);
    }
    let items = notes_tests::durable_support::all_items(&backend, "notes").await;
    let notes = items.into_iter().map(|item| {
        let n: Note = notes_repo::from_item_map(item, &Note::KEY_SCHEMA).unwrap();
        ((n.user_id.clone(), n.note_id.clone()), n)
    });
    Ok(Some(notes.collect()))
}

fn tagged(i: usize, content: &str) -> Note {
    Note {
        content: content.to_owned(),
        ..note(i)
    }
}

/// A store that has only a journal (no snapshot of items): a table, puts, an overwrite, a
/// delete.
async fn journal_only(dir: &Path) -> Store {
    let (a, b, c, a2, d) = (
        tagged(0, "a"),
        tagged(1, "b"),
        tagged(2, "c"),
        tagged(0, "a, edited"),
        tagged(3, "d"),
    );
    {
        let repo: Repo<Note, _> =
            notes_tests::repo(MemoryBackend::open(dir).unwrap(), "notes").await;
        for n in [&a, &b, &c] {
            repo.put(n).await.unwrap();
        }
        repo.delete(&b.key()).await.unwrap();
        repo.put(&a2).await.unwrap();
        repo.put(&d).await.unwrap();
    }
    let effects = vec![
        Effect::Marker,
        Effect::Marker,
        Effect::Define,
        Effect::Put(vec![a]),
        Effect::Put(vec![b.clone()]),
        Effect::Put(vec![c]),
        Effect::Delete(b),
        Effect::Put(vec![a2]),
        Effect::Put(vec![d]),
    ];
    let expected = state(&effects);
    Store::read("journal only", dir, vec![effects], expected)
}

/// A store whose journal starts with a snapshot of items (compacted at open), then
/// operations.
async fn with_snapshot(dir: &Path) -> Store {
    let first: Vec<_> = (0..5).map(|i| tagged(i, "first")).collect();
    let (later, other) = (tagged(5, "later"), tagged(6, "other"));
    {
        let repo: Repo<Note, _> =
            notes_tests::repo(MemoryBackend::open(dir).unwrap(), "notes").await;
        for n in &first {
            repo.put(n).await.unwrap();
        }
    }
    let backend = MemoryBackend::builder().journal_limit(1).open(dir).unwrap();
    assert_eq!(backend.storage_stats().unwrap().compactions, 1);
    drop(backend);
    {
        let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir).unwrap());
        repo.put(&later).await.unwrap();
        repo.delete(&first[2].key()).await.unwrap();
        repo.put(&other).await.unwrap();
    }
    let effects = vec![
        Effect::Marker,
        Effect::Define,
        Effect::Put(first.clone()),
        Effect::Log,
        Effect::Marker,
        Effect::Put(vec![later]),
        Effect::Delete(first[2].clone()),
        Effect::Put(vec![other]),
    ];
    let expected = state(&effects);
    Store::read("with a snapshot", dir, vec![effects], expected)
}

/// A compaction a crash interrupted: the journal-only store's generation, complete, and a
/// newer one cut inside its snapshot under its temporary name (`journal-<g>.tmp`: a
/// generation is named only once complete; a `journal-<g>` cut so is damage, see
/// `an_incomplete_newer_generation_is_refused_and_kept` in the durable module's tests).
/// Every open ignores the temporary file (and removes it once it has opened).
async fn interrupted_compaction(dir: &Path, journal_only: &Store) -> Store {
    journal_only.install(dir, usize::MAX, &[]);
    drop(MemoryBackend::builder().journal_limit(1).open(dir).unwrap());
    let newer = journals(dir).pop().unwrap();
    let bytes = std::fs::read(&newer).unwrap();
    let newer_records = records(&bytes);
    // Cut in the middle of the snapshot's items.
    let (at, len, _) = newer_records[2];
    let cut = bytes[..at + len / 2].to_vec();
    journal_only.install(dir, usize::MAX, &[]);
    std::fs::write(newer.with_extension("tmp"), &cut).unwrap();
    let newer_effects = vec![Effect::Marker, Effect::Define];
    let mut effects = vec![journal_only.layout[0].iter().map(|r| r.2.clone()).collect()];
    effects.push(newer_effects);
    Store::read(
        "an interrupted compaction",
        dir,
        effects,
        journal_only.expected.clone(),
    )
}

/// The sweep's working directory: in memory (`/dev/shm`) where there is one, so that the
/// thousands of opens do not wait for `fsync`s of a disk (what is tested is what `open`
/// reads and changes, not the disk); removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let shm = Path::new("/dev/shm");
        let base = if shm.is_dir() {
            shm.to_owned()
        } else {
            std::env::temp_dir()
        };
        Scratch(base.join(format!("notes-sweep-work-{}", std::process::id())))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How much of the sweep runs: by default one bit per byte offset (a different bit at each)
/// and a salvage after the first refused flip of each record and every 16th; with
/// `NOTES_CORRUPTION_FULL=1`, all eight bits of every byte and a salvage after every
/// refusal.
fn full_sweep() -> bool {
    std::env::var("NOTES_CORRUPTION_FULL").is_ok_and(|v| v == "1")
}

/// The corruption harness (issue 24): for a journal-only store, a store with a snapshot, and
/// an interrupted compaction, flips a bit at every byte offset of every journal file,
/// overwrites each record with zeros, and truncates every file at every offset, reopening
/// after each in this process:
///
/// - every open either recovers exactly the table every acknowledged write left (a
///   truncation in the operations part: exactly the records before the cut, as after a
///   crash mid-append), or answers `Error::Corrupt` naming the damaged file, with every
///   file of the directory byte for byte as it was;
/// - a file is shortened only at a torn tail (to the end of its last complete record), and
///   removed only when it is a compaction's temporary file (`journal-<g>.tmp`);
/// - after a refused open, salvage keeps every record but the damaged one (and those that
///   depended on it), reports exactly the damaged record's byte range, sets the file aside
///   unchanged, and the directory opens with the expected table.
///
/// Bounded for CI (a few thousand opens of stores of a few hundred bytes, one bit per
/// offset); `NOTES_CORRUPTION_FULL=1 cargo test -p notes-tests --test durable
/// every_damaged_byte` flips all eight bits and salvages after every refusal.
#[tokio::test]
async fn every_damaged_byte_is_recovered_or_refused_never_silently_lost() {
    let full = full_sweep();
    let source = TempDir::new("sweep-source");
    let work = Scratch::new();
    let journal_only = journal_only(&source.path().join("a")).await;
    let with_snapshot = with_snapshot(&source.path().join("b")).await;
    let interrupted = interrupted_compaction(&source.path().join("c"), &journal_only).await;
    let mut opens = 0;
    let mut salvages = 0;
    for store in [&journal_only, &with_snapshot, &interrupted] {
        for (file, (name, original)) in store.files.iter().enumerate() {
            if name.ends_with(".tmp") {
                // A compaction's temporary file: ignored by every open (it is in the
                // directory at each open of the sweep on this store), so not attacked.
                continue;
            }
            let layout = &store.layout[file];
            let mut salvaged_records = std::collections::HashSet::new();
            for at in 0..original.len() {
                let bits: Vec<u8> = if full {
                    (0..8).collect()
                } else {
                    vec![u8::try_from((at * 3) % 8).unwrap()]
                };
                for bit in bits {
                    let mut bytes = original.clone();
                    bytes[at] ^= 1 << bit;
                    let what = format!("{}: bit {bit} of byte {at} of {name}", store.name);
                    let record = layout.iter().position(|r| r.0 <= at && at < r.0 + r.1);
                    let first = record.is_some_and(|r| salvaged_records.insert(r));
                    let salvage = full || first || at % 16 == 0;
                    opens += 1;
                    if check_damage(store, work.path(), file, at, &bytes, salvage, &what).await {
                        salvages += 1;
                    }
                }
            }
            // Each record overwritten with zeros (what a lost block reads as).
            for &(start, len, _) in layout {
                let mut bytes = original.clone();
                bytes[start..start + len].fill(0);
                let what = format!("{}: {name} zeroed at {start}..{}", store.name, start + len);
                opens += 1;
                if check_damage(store, work.path(), file, start, &bytes, true, &what).await {
                    salvages += 1;
                }
            }
            // Truncations at every offset.
            for len in 0..original.len() {
                store.install(work.path(), file, &original[..len]);
                let before = files(work.path());
                let what = format!("{}: {name} cut at {len}", store.name);
                opens += 1;
                let outcome = open_state(work.path()).await;
                check_truncation(
                    store,
                    file,
                    len,
                    &before,
                    &files(work.path()),
                    outcome,
                    &what,
                );
            }
        }
    }
    eprintln!("corruption sweep: {opens} opens, {salvages} salvages");
}

/// Opens `store` with file `file` replaced by `bytes`, damaged at `at`: refused with every
/// file unchanged (then, with `salvage`, salvaged and checked: answers whether it was).
async fn check_damage(
    store: &Store,
    work: &Path,
    file: usize,
    at: usize,
    bytes: &[u8],
    salvage: bool,
    what: &str,
) -> bool {
    store.install(work, file, bytes);
    let before = files(work);
    match open_state(work).await {
        Err(Error::Corrupt { path, .. }) => {
            assert_eq!(files(work), before, "{what}: files changed");
            assert_eq!(
                path.parent(),
                Some(work),
                "{what}: the error names a journal file"
            );
            if salvage {
                check_salvage(store, work, file, at, bytes, what).await;
            }
            salvage
        }
        Err(other) => panic!("{what}: {other:?}"),
        Ok(_) => panic!("{what}: opened although damaged"),
    }
}

/// After a refused open of `store` with byte `at` of file `file` damaged (`bytes`): salvage
/// keeps everything but that record and what depended on it.
async fn check_salvage(
    store: &Store,
    work: &Path,
    file: usize,
    at: usize,
    bytes: &[u8],
    what: &str,
) {
    let report = MemoryBackend::salvage(work).unwrap();
    let layout = &store.layout[file];
    let damaged = layout
        .iter()
        .position(|r| r.0 <= at && at < r.0 + r.1)
        .unwrap_or_else(|| panic!("{what}: a refused flip outside every record"));
    let source = work.join(&store.files[file].0);
    assert_eq!(report.source.as_ref(), Some(&source), "{what}: {report:?}");
    let (start, len, _) = &layout[damaged];
    assert_eq!(
        report.lost[0].offsets,
        *start as u64..(start + len) as u64,
        "{what}: the damaged range: {report:?}"
    );
    let kept: Vec<_> = layout
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != damaged)
        .map(|(_, r)| &r.2)
        .collect();
    let expected = state(kept.iter().copied());
    // Items of a table whose definition was damaged cannot be applied: each is reported.
    let unapplied = if matches!(layout[damaged].2, Effect::Define) {
        layout[damaged..]
            .iter()
            .filter(|r| matches!(r.2, Effect::Put(_) | Effect::Delete(_)))
            .count()
    } else {
        0
    };
    assert_eq!(report.lost.len(), 1 + unapplied, "{what}: {report:?}");
    for lost in &report.lost[1..] {
        assert!(
            lost.reason
                .starts_with("a record that could be read but not applied"),
            "{what}: {report:?}"
        );
    }
    // Every record but the header and the damaged one, less those not applied.
    let header_intact = damaged != 0;
    let records = layout.len() - 1 - usize::from(header_intact);
    assert_eq!(
        report.records_kept as usize,
        records - unapplied,
        "{what}: {report:?}"
    );
    let aside = source.with_extension("damaged");
    assert!(report.set_aside.contains(&aside), "{what}: {report:?}");
    assert_eq!(
        std::fs::read(&aside).unwrap(),
        bytes,
        "{what}: the damaged file is kept"
    );
    let found = open_state(work)
        .await
        .unwrap_or_else(|e| panic!("{what}: after salvage: {e}"));
    assert_eq!(found, expected, "{what}: the table after salvage");
}

/// A store with file `file` cut at `len`: every open recovers the records before the cut or
/// refuses; nothing is changed but the torn tail of the generation it opened.
fn check_truncation(
    store: &Store,
    file: usize,
    len: usize,
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
    outcome: Result<State, Error>,
    what: &str,
) {
    let layout = &store.layout[file];
    let name = &store.files[file].0;
    let snapshot_end = layout
        .iter()
        .position(|r| matches!(r.2, Effect::Marker) && r.0 > 0)
        .map(|i| layout[i].0 + layout[i].1);
    match outcome {
        Err(Error::Corrupt { .. }) => {
            assert_eq!(after, before, "{what}: files changed");
            // Only a cut inside the snapshot of the generation is refused.
            assert!(
                snapshot_end.is_none_or(|end| len < end),
                "{what}: refused a torn tail"
            );
        }
        Err(other) => panic!("{what}: {other:?}"),
        Ok(found) => {
            let complete: Vec<_> = layout.iter().filter(|r| r.0 + r.1 <= len).collect();
            let end = complete.last().map_or(0, |r| r.0 + r.1);
            assert!(
                snapshot_end.is_some_and(|s| end >= s),
                "{what}: opened without a complete snapshot"
            );
            assert_eq!(
                found,
                state(complete.iter().map(|r| &r.2)),
                "{what}: the table"
            );
            assert_eq!(
                after[name],
                before[name][..end],
                "{what}: only the torn tail is cut"
            );
        }
    }
}
