//! Damaged store files: a flipped bit anywhere refuses to open (or recovers everything),
//! never empties the store, never deletes or shortens a file; salvage keeps every intact
//! record.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use notes_repo::{Error, Item, MemoryBackend, Note, Repo};
use notes_tests::durable::TempDir;

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

/// The records of a journal file (the format of `notes-repo/src/memory/durable/codec.rs`:
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
    let err = refused.err().expect("a damaged snapshot is refused");
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
    let err = refused.err().expect("a damaged header is refused");
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
    let err = refused
        .err()
        .expect("a damaged record followed by valid ones is refused");
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
    assert_eq!(report.set_aside, [aside.clone()]);
    assert_eq!(std::fs::read(&aside).unwrap(), before[&file_name(&journal)]);
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
    for (i, n) in written.iter().enumerate() {
        let found = repo.get(&n.key()).consistent().await.unwrap();
        assert_eq!(found.as_ref(), (i != 1).then_some(n), "note {i}");
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_str().unwrap().to_owned()
}
