//! The journal's own behaviour: what a reopen recovers, torn records, injected failures,
//! the directory lock, compaction. The crash test (a killed process) is in the workspace's
//! `tests/tests/durable`.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use notes_model::{AttributeValue, ItemMap};

use super::StorageFaults;
use crate::{ManualClock, MemoryBackend};
use notes_core::Backend;
use notes_core::Error;
use notes_core::request::{
    BillingMode, DescribeTable, PointInTimeRecovery, RestoreTime, UpdateTable, UpdateTimeToLive,
};
use notes_model::Item;
use notes_model::Note;
use notes_repo::Repo;

/// A directory of its own under the system's temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "notes-durable-unit-{name}-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn journal(&self) -> PathBuf {
        let mut journals: Vec<_> = std::fs::read_dir(&self.0)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .starts_with("journal-")
            })
            .collect();
        assert_eq!(journals.len(), 1, "one journal file: {journals:?}");
        journals.pop().unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn notes(backend: MemoryBackend) -> Repo<Note, MemoryBackend> {
    let repo = Repo::new(backend);
    repo.ensure_table(BillingMode::PayPerRequest).await.unwrap();
    repo
}

fn note(user: &str, content: &str) -> Note {
    Note::new(user, content)
}

#[tokio::test]
async fn a_reopened_store_has_every_acknowledged_write_and_table_setting() {
    let dir = TempDir::new("reopen");
    let kept = note("u1", "kept");
    let deleted = note("u1", "deleted");
    let updated = note("u2", "before");
    {
        let repo = notes(MemoryBackend::open(dir.path()).unwrap()).await;
        for n in [&kept, &deleted, &updated] {
            repo.put(n).await.unwrap();
        }
        repo.delete(&deleted.key()).await.unwrap();
        repo.update(&updated.key())
            .apply(Note::CONTENT.set("after"))
            .if_exists()
            .await
            .unwrap();
        repo.backend()
            .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true))
            .await
            .unwrap();
        repo.enable_point_in_time_recovery().await.unwrap();
        repo.set_billing_mode(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5,
        })
        .await
        .unwrap();
        let other: Repo<Note, _> = Repo::with_table(repo.backend().clone(), "gone");
        other.create_table_on_demand().await.unwrap();
        other.put(&note("u3", "in a deleted table")).await.unwrap();
        other.delete_table().await.unwrap();
    }
    // Twice: a recovered store recovers again.
    for _ in 0..2 {
        let backend = MemoryBackend::open(dir.path()).unwrap();
        let repo: Repo<Note, _> = Repo::new(backend.clone());
        assert_eq!(repo.get(&kept.key()).await.unwrap(), Some(kept.clone()));
        assert_eq!(repo.get(&deleted.key()).await.unwrap(), None);
        let content = repo.get(&updated.key()).await.unwrap().unwrap().content;
        assert_eq!(content, "after");
        let description = repo.verify_table().await.unwrap();
        assert_eq!(
            description.billing_mode,
            Some(BillingMode::Provisioned {
                read_capacity_units: 5,
                write_capacity_units: 5
            })
        );
        assert_eq!(description.item_count, Some(2));
        assert!(repo.point_in_time_recovery().await.unwrap().is_enabled());
        // Time to live is still on `expiresAt`: another attribute is refused.
        let ttl = backend
            .update_time_to_live(UpdateTimeToLive::new("notes", "other", true))
            .await
            .unwrap_err();
        assert!(matches!(ttl, Error::Validation { .. }), "{ttl:?}");
        let gone = backend
            .describe_table(DescribeTable::new("gone"))
            .await
            .unwrap_err();
        assert!(matches!(gone, Error::TableNotFound { .. }));
    }
}

#[tokio::test]
async fn point_in_time_restores_reach_writes_made_before_a_restart() {
    let dir = TempDir::new("pitr");
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000));
    let first = note("u1", "first");
    let second = note("u1", "second");
    let between;
    {
        let backend = MemoryBackend::builder()
            .clock(clock.clone())
            .open(dir.path());
        let repo = notes(backend.unwrap()).await;
        repo.enable_point_in_time_recovery().await.unwrap();
        clock.advance(Duration::from_secs(10));
        repo.put(&first).await.unwrap();
        clock.advance(Duration::from_secs(10));
        between = clock.now_time();
        clock.advance(Duration::from_secs(10));
        repo.put(&second).await.unwrap();
    }
    // Past the latest restorable time (5 minutes behind).
    clock.advance(Duration::from_secs(310));
    let backend = MemoryBackend::builder()
        .clock(clock.clone())
        .open(dir.path());
    let repo: Repo<Note, _> = Repo::new(backend.unwrap());
    let restored = repo
        .restore_to_point_in_time("restored", RestoreTime::At(between))
        .await
        .unwrap();
    assert_eq!(restored.get(&first.key()).await.unwrap(), Some(first));
    assert_eq!(restored.get(&second.key()).await.unwrap(), None);
    let PointInTimeRecovery::Enabled {
        earliest_restorable,
        ..
    } = repo.point_in_time_recovery().await.unwrap()
    else {
        panic!("recovery is still on after a restart");
    };
    assert!(earliest_restorable <= between);
}

trait NowTime {
    fn now_time(&self) -> SystemTime;
}

impl NowTime for ManualClock {
    fn now_time(&self) -> SystemTime {
        crate::Clock::now(self)
    }
}

#[tokio::test]
async fn a_torn_final_record_is_dropped_and_every_complete_record_kept() {
    let dir = TempDir::new("torn");
    let notes_written: Vec<_> = (0..5).map(|i| note("u1", &format!("n{i}"))).collect();
    {
        let repo = notes(MemoryBackend::open(dir.path()).unwrap()).await;
        for n in &notes_written {
            repo.put(n).await.unwrap();
        }
    }
    // Cut the last record in half: the crash happened while it was written.
    let journal = dir.journal();
    let len = std::fs::metadata(&journal).unwrap().len();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&journal)
        .unwrap();
    file.set_len(len - 20).unwrap();
    drop(file);
    {
        let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
        for n in &notes_written[..4] {
            assert_eq!(repo.get(&n.key()).await.unwrap(), Some(n.clone()));
        }
        assert_eq!(repo.get(&notes_written[4].key()).await.unwrap(), None);
        // The store takes writes after the truncated record.
        repo.put(&notes_written[4]).await.unwrap();
    }
    // Garbage after the last record.
    let mut bytes = std::fs::read(dir.journal()).unwrap();
    bytes.extend_from_slice(&[0x42; 37]);
    std::fs::write(dir.journal(), bytes).unwrap();
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
    for n in &notes_written {
        assert_eq!(repo.get(&n.key()).await.unwrap(), Some(n.clone()));
    }
}

#[tokio::test]
async fn a_full_disk_fails_the_write_turns_the_backend_read_only_and_loses_nothing_acknowledged() {
    let dir = TempDir::new("full");
    let faults = StorageFaults::new();
    let acknowledged = note("u1", "acknowledged");
    let refused = note("u1", "refused");
    {
        let backend = MemoryBackend::builder()
            .storage_faults(faults.clone())
            .open(dir.path())
            .unwrap();
        let repo = notes(backend).await;
        repo.put(&acknowledged).await.unwrap();
        faults.fail_writes(true);
        let err = repo.put(&refused).await.unwrap_err();
        let Error::Storage {
            operation, source, ..
        } = &err
        else {
            panic!("expected Error::Storage, got {err:?}");
        };
        assert_eq!(*operation, "write");
        assert_eq!(source.kind(), std::io::ErrorKind::StorageFull);
        // Read-only from now on, even once the disk has room again.
        faults.fail_writes(false);
        let later = repo.put(&note("u1", "later")).await.unwrap_err();
        assert!(matches!(
            later,
            Error::Storage {
                operation: "write",
                ..
            }
        ));
        // Reads still answer.
        assert_eq!(
            repo.get(&acknowledged.key()).await.unwrap(),
            Some(acknowledged.clone())
        );
    }
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
    assert_eq!(
        repo.get(&acknowledged.key()).await.unwrap(),
        Some(acknowledged)
    );
    assert_eq!(repo.get(&refused.key()).await.unwrap(), None);
}

#[tokio::test]
async fn a_failed_fsync_is_an_error_to_its_caller() {
    let dir = TempDir::new("fsync");
    let faults = StorageFaults::new();
    let backend = MemoryBackend::builder()
        .storage_faults(faults.clone())
        .open(dir.path())
        .unwrap();
    let repo = notes(backend).await;
    faults.fail_syncs(true);
    let refused = note("u1", "x");
    let err = repo.put(&refused).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Storage {
                operation: "fsync",
                ..
            }
        ),
        "{err:?}"
    );
    // Its bytes reached the file before the fsync failed: still, no reader sees it.
    assert_eq!(repo.get(&refused.key()).consistent().await.unwrap(), None);
    let table = repo.create_table_on_demand().await.unwrap_err();
    assert!(
        matches!(
            table,
            Error::Storage {
                operation: "fsync",
                ..
            }
        ),
        "{table:?}"
    );
}

#[tokio::test]
async fn a_second_open_of_an_open_directory_is_store_in_use() {
    let dir = TempDir::new("lock");
    let first = MemoryBackend::open(dir.path()).unwrap();
    let second = MemoryBackend::open(dir.path()).unwrap_err();
    assert!(
        matches!(&second, Error::StoreInUse { path } if path == dir.path()),
        "{second:?}"
    );
    // A clone shares the open store; the lock goes when the last clone does.
    let clone = first.clone();
    drop(first);
    assert!(matches!(
        MemoryBackend::open(dir.path()),
        Err(Error::StoreInUse { .. })
    ));
    drop(clone);
    MemoryBackend::open(dir.path()).unwrap();
}

/// Deleting `LOCK` while a backend has the directory open does not let a second backend in:
/// the directory itself is locked too (two writers would each lose the other's writes).
#[tokio::test]
async fn a_deleted_lock_file_does_not_let_a_second_open_in() {
    let dir = TempDir::new("lock-deleted");
    let first = MemoryBackend::open(dir.path()).unwrap();
    std::fs::remove_file(dir.path().join("LOCK")).unwrap();
    let second = MemoryBackend::open(dir.path()).unwrap_err();
    assert!(
        matches!(&second, Error::StoreInUse { path } if path == dir.path()),
        "{second:?}"
    );
    drop(first);
    MemoryBackend::open(dir.path()).unwrap();
}

#[tokio::test]
async fn the_journal_is_compacted_and_a_compacted_store_recovers() {
    let dir = TempDir::new("compact");
    let written: Vec<_> = (0..300).map(|i| note("u1", &format!("n{i}"))).collect();
    {
        let backend = MemoryBackend::builder()
            .journal_limit(4096)
            .open(dir.path())
            .unwrap();
        let repo = notes(backend.clone()).await;
        for n in &written {
            repo.put(n).await.unwrap();
        }
        for n in &written[..100] {
            repo.delete(&n.key()).await.unwrap();
        }
        assert!(backend.storage_stats().unwrap().compactions > 0);
        dir.journal(); // one generation left
    }
    let backend = MemoryBackend::builder()
        .journal_limit(4096)
        .open(dir.path())
        .unwrap();
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    for n in &written[..100] {
        assert_eq!(repo.get(&n.key()).await.unwrap(), None);
    }
    for n in &written[100..] {
        assert_eq!(repo.get(&n.key()).await.unwrap(), Some(n.clone()));
    }
}

#[tokio::test]
async fn a_store_compacted_at_open_recovers() {
    let dir = TempDir::new("compact-open");
    let written: Vec<_> = (0..20).map(|i| note("u1", &format!("n{i}"))).collect();
    {
        let repo = notes(MemoryBackend::open(dir.path()).unwrap()).await;
        for n in &written {
            repo.put(n).await.unwrap();
        }
    }
    // The journal is past a 1-byte limit: this open compacts it.
    let backend = MemoryBackend::builder()
        .journal_limit(1)
        .open(dir.path())
        .unwrap();
    assert_eq!(backend.storage_stats().unwrap().compactions, 1);
    drop(backend);
    dir.journal(); // one generation left
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
    for n in &written {
        assert_eq!(repo.get(&n.key()).await.unwrap(), Some(n.clone()));
    }
}

/// A generation is named `journal-<g>` only once complete (it is written as
/// `journal-<g>.tmp`): a newer one without the end of its snapshot is damage (a cut), not an
/// interrupted compaction. Open refuses it and changes nothing (it used to fall back to the
/// older generation and delete the newer file, with any writes in it); salvage keeps the
/// older generation and sets the newer file aside.
#[tokio::test]
async fn an_incomplete_newer_generation_is_refused_and_kept() {
    let dir = TempDir::new("generation");
    let kept = note("u1", "kept");
    {
        let repo = notes(MemoryBackend::open(dir.path()).unwrap()).await;
        repo.put(&kept).await.unwrap();
    }
    // A newer generation cut right after its header.
    let journal = dir.journal();
    let older = std::fs::read(&journal).unwrap();
    let name = journal.file_name().unwrap().to_str().unwrap();
    let generation: u64 = name.strip_prefix("journal-").unwrap().parse().unwrap();
    let mut header = super::Encoder::default();
    header.u8(super::codec::HEADER);
    header.bytes.extend_from_slice(super::codec::MAGIC);
    header.u64(generation + 1);
    let mut bytes = Vec::new();
    super::codec::frame(&mut bytes, &header.bytes);
    let newer = super::journal_path(dir.path(), generation + 1);
    std::fs::write(&newer, &bytes).unwrap();

    let err = MemoryBackend::open(dir.path()).unwrap_err();
    assert!(
        matches!(&err, Error::Corrupt { path, offset, .. }
            if *path == newer && *offset == bytes.len() as u64),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&journal).unwrap(), older);
    assert_eq!(
        std::fs::read(&newer).unwrap(),
        bytes,
        "the newer file is kept"
    );

    let report = MemoryBackend::salvage(dir.path()).unwrap();
    assert_eq!(report.source.as_ref(), Some(&journal), "{report:?}");
    assert_eq!(report.lost.len(), 1, "{report:?}");
    assert_eq!(report.lost[0].path, newer);
    let aside = newer.with_extension("damaged");
    assert!(report.set_aside.contains(&aside), "{report:?}");
    assert_eq!(std::fs::read(&aside).unwrap(), bytes);
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
    assert_eq!(repo.get(&kept.key()).await.unwrap(), Some(kept));
}

#[tokio::test]
async fn a_compaction_interrupted_under_its_temporary_name_is_ignored_and_removed() {
    let dir = TempDir::new("temporary");
    let kept = note("u1", "kept");
    {
        let repo = notes(MemoryBackend::open(dir.path()).unwrap()).await;
        repo.put(&kept).await.unwrap();
    }
    let journal = dir.journal();
    let bytes = std::fs::read(&journal).unwrap();
    let name = journal.file_name().unwrap().to_str().unwrap();
    let generation: u64 = name.strip_prefix("journal-").unwrap().parse().unwrap();
    let temporary = super::journal_path(dir.path(), generation + 1).with_extension("tmp");
    std::fs::write(&temporary, &bytes[..bytes.len() / 2]).unwrap();

    let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
    assert_eq!(repo.get(&kept.key()).await.unwrap(), Some(kept));
    assert_eq!(
        std::fs::read(&journal).unwrap(),
        bytes,
        "the generation is kept"
    );
    assert!(!temporary.exists());
}

#[tokio::test]
async fn records_out_of_order_are_refused() {
    let dir = TempDir::new("order");
    {
        let repo = notes(MemoryBackend::open(dir.path()).unwrap()).await;
        for i in 0..3 {
            repo.put(&note("u1", &format!("n{i}"))).await.unwrap();
        }
    }
    // Swap the last two records (each intact): the journal's order is the order of the
    // writes, which replaying out of order would change silently.
    let journal = dir.journal();
    let bytes = std::fs::read(&journal).unwrap();
    let mut ends = vec![0];
    while let Some((_, next)) = super::codec::next_record(&bytes, *ends.last().unwrap()) {
        ends.push(next);
    }
    let n = ends.len();
    let (a, b, c) = (ends[n - 3], ends[n - 2], ends[n - 1]);
    let mut swapped = bytes[..a].to_vec();
    swapped.extend_from_slice(&bytes[b..c]);
    swapped.extend_from_slice(&bytes[a..b]);
    std::fs::write(&journal, &swapped).unwrap();
    let err = MemoryBackend::open(dir.path()).unwrap_err();
    // Operations are numbered consecutively: the first one moved forward is refused already
    // (the one before it is missing from its place).
    assert!(
        matches!(&err, Error::Corrupt { offset, reason, .. }
            if *offset == a as u64 && reason.ends_with("follows 2: a record is missing")),
        "{err:?}"
    );
    assert_eq!(std::fs::read(&journal).unwrap(), swapped);
}

#[tokio::test]
async fn a_restored_table_and_an_update_table_survive_a_restart() {
    let dir = TempDir::new("restore");
    let kept = note("u1", "kept");
    {
        let repo = notes(MemoryBackend::open(dir.path()).unwrap()).await;
        repo.put(&kept).await.unwrap();
        let backup = repo.create_backup("backup-1").await.unwrap();
        repo.restore_from_backup(&backup.summary.backup_arn, "restored")
            .await
            .unwrap();
        repo.backend()
            .update_table(
                UpdateTable::new("notes").billing_mode(BillingMode::Provisioned {
                    read_capacity_units: 3,
                    write_capacity_units: 4,
                }),
            )
            .await
            .unwrap();
    }
    let backend = MemoryBackend::open(dir.path()).unwrap();
    let restored: Repo<Note, _> = Repo::with_table(backend.clone(), "restored");
    assert_eq!(restored.get(&kept.key()).await.unwrap(), Some(kept));
    let description = backend
        .describe_table(DescribeTable::new("notes"))
        .await
        .unwrap();
    assert_eq!(
        description.billing_mode,
        Some(BillingMode::Provisioned {
            read_capacity_units: 3,
            write_capacity_units: 4
        })
    );
}

#[tokio::test]
async fn an_in_memory_backend_has_no_directory_and_no_stats() {
    let backend = MemoryBackend::new();
    assert_eq!(backend.directory(), None);
    assert_eq!(backend.storage_stats(), None);
    let _: ItemMap = ItemMap::from([("a".to_owned(), AttributeValue::Null(true))]);
}
