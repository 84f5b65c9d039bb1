//! A full disk and a failed `fsync`, for one writer and under concurrent writers; the
//! directory's lock, in this process and against another.

use std::io::{BufRead, BufReader};
use std::sync::{Arc, Mutex};

use notes_repo::request::CreateTable;
use notes_repo::stream::StreamViewType;
use notes_repo::{Backend, Error, Item, MemoryBackend, Note, Repo, StorageFaults};
use notes_tests::StartLine;
use notes_tests::durable_support::{ReleaseDisk, TempDir};

use super::reopen::notes;
use super::spawn_child;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_full_disk_under_concurrent_writers_loses_nothing_acknowledged() {
    let dir = TempDir::new("durable-full");
    let faults = StorageFaults::new();
    let backend = MemoryBackend::builder()
        .storage_faults(faults.clone())
        .open(dir.path())
        .unwrap();
    let repo: Repo<Note, _> = notes_tests::repo(backend, "notes").await;
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let failed = Arc::new(Mutex::new(Vec::new()));
    let start = StartLine::new(9);
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (repo, start) = (repo.clone(), start.clone());
            let (acknowledged, failed) = (Arc::clone(&acknowledged), Arc::clone(&failed));
            tokio::spawn(async move {
                start.wait().await;
                for i in 0..40 {
                    let note = Note::new(format!("w{w}"), format!("{i}"));
                    match repo.put(&note).await {
                        Ok(()) => acknowledged.lock().unwrap().push(note),
                        Err(Error::Storage { .. }) => {
                            // Invisible from the moment it is answered.
                            let found = repo.get(&note.key()).consistent().await.unwrap();
                            assert_eq!(found, None, "a refused write is visible");
                            failed.lock().unwrap().push(note);
                        }
                        Err(other) => panic!("expected Error::Storage, got {other:?}"),
                    }
                }
            })
        })
        .collect();
    start.wait().await;
    // The disk fills once some writes are through.
    while acknowledged.lock().unwrap().len() < 20 {
        tokio::task::yield_now().await;
    }
    faults.fail_writes(true);
    for writer in writers {
        writer.await.unwrap();
    }
    let (acknowledged, failed) = (
        acknowledged.lock().unwrap().clone(),
        failed.lock().unwrap().clone(),
    );
    assert!(!failed.is_empty(), "writes after the disk filled fail");
    assert_eq!(acknowledged.len() + failed.len(), 8 * 40);
    // In this process already (not only after reopening): every acknowledged write, none of
    // the refused ones, whichever fsync batch they shared.
    for note in &acknowledged {
        assert_eq!(
            repo.get(&note.key()).consistent().await.unwrap().as_ref(),
            Some(note)
        );
    }
    for note in &failed {
        assert_eq!(
            repo.get(&note.key()).consistent().await.unwrap(),
            None,
            "a refused write is visible before reopening"
        );
    }
    drop(repo);

    let repo: Repo<Note, _> = Repo::with_table(MemoryBackend::open(dir.path()).unwrap(), "notes");
    for note in &acknowledged {
        assert_eq!(
            repo.get(&note.key()).consistent().await.unwrap().as_ref(),
            Some(note)
        );
    }
    for note in &failed {
        assert_eq!(repo.get(&note.key()).consistent().await.unwrap(), None);
    }
}

/// Defect 4 of issue 24: a write the disk refused stayed visible (consistent reads, the
/// stream) until the process ended.
#[tokio::test]
async fn a_refused_write_is_invisible_at_once_to_reads_and_to_the_stream() {
    let dir = TempDir::new("durable-refused");
    let faults = StorageFaults::new();
    let backend = MemoryBackend::builder()
        .storage_faults(faults.clone())
        .open(dir.path())
        .unwrap();
    let create = CreateTable::new("notes", Note::KEY_SCHEMA)
        .stream_view_type(StreamViewType::NewAndOldImages);
    backend.create_table(create).await.unwrap();
    let repo: Repo<Note, _> = Repo::with_table(backend.clone(), "notes");
    let kept = Note::new("u1", "kept");
    let edited = Note::new("u1", "before");
    repo.put(&kept).await.unwrap();
    repo.put(&edited).await.unwrap();
    let records = backend.stream_records("notes", None).unwrap();
    assert_eq!(records.len(), 2);

    faults.fail_writes(true);
    let refused = Note::new("u1", "refused");
    let err = repo.put(&refused).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Storage {
                operation: "write",
                ..
            }
        ),
        "{err:?}"
    );
    // Read-only from now on: the later writes are refused without being applied.
    faults.fail_writes(false);
    let err = repo
        .update(&edited.key())
        .apply(Note::CONTENT.set("after"))
        .if_exists()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Storage { .. }), "{err:?}");
    let err = repo.delete(&kept.key()).await.unwrap_err();
    assert!(matches!(err, Error::Storage { .. }), "{err:?}");

    assert_eq!(repo.get(&refused.key()).consistent().await.unwrap(), None);
    assert_eq!(
        repo.get(&kept.key()).consistent().await.unwrap(),
        Some(kept.clone())
    );
    assert_eq!(
        repo.get(&edited.key()).consistent().await.unwrap(),
        Some(edited.clone())
    );
    assert_eq!(
        repo.query("u1").consistent().all().await.unwrap().len(),
        2,
        "a query sees only the acknowledged notes"
    );
    let after = backend.stream_records("notes", None).unwrap();
    assert_eq!(
        after.iter().map(|r| &r.sequence_number).collect::<Vec<_>>(),
        records
            .iter()
            .map(|r| &r.sequence_number)
            .collect::<Vec<_>>(),
        "the stream has no record of the refused write"
    );
}

/// A read answers only with what is on disk: a write applied in memory but still waiting for
/// its `fsync` is not seen until the disk has it, and if the disk then refuses it, the read
/// answers without it (the write was never acknowledged, so no reader may have seen it).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_never_answers_with_a_write_that_is_not_on_disk() {
    let dir = TempDir::new("durable-read-wait");
    let faults = StorageFaults::new();
    let backend = MemoryBackend::builder()
        .storage_faults(faults.clone())
        .open(dir.path())
        .unwrap();
    let repo: Repo<Note, _> = notes_tests::repo(backend.clone(), "notes").await;
    let pending = Note::new("u1", "not on disk yet");
    let refused = Note::new("u1", "refused by the disk");
    let _release = ReleaseDisk(faults.clone());

    for (note, refuse) in [(&pending, false), (&refused, true)] {
        faults.hold_writes(true);
        let operations = backend.storage_stats().unwrap().operations;
        let put = tokio::spawn({
            let repo = repo.clone();
            let note = note.clone();
            async move { repo.put(&note).await }
        });
        // The put is applied in memory and queued for the disk.
        while backend.storage_stats().unwrap().operations == operations {
            tokio::task::yield_now().await;
        }
        let read = tokio::spawn({
            let repo = repo.clone();
            let key = note.key();
            async move { repo.get(&key).consistent().await }
        });
        let query = tokio::spawn({
            let repo = repo.clone();
            async move { repo.query("u1").consistent().all().await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert!(
            !read.is_finished() && !query.is_finished(),
            "a read answered while the write it saw was not on disk"
        );
        faults.fail_syncs(refuse);
        faults.hold_writes(false);
        let (put, read, query) = (
            put.await.unwrap(),
            read.await.unwrap(),
            query.await.unwrap(),
        );
        if refuse {
            assert!(matches!(put, Err(Error::Storage { .. })), "{put:?}");
            assert_eq!(read.unwrap(), None, "the refused write is never seen");
            assert_eq!(query.unwrap(), vec![pending.clone()]);
        } else {
            put.unwrap();
            assert_eq!(read.unwrap(), Some(note.clone()));
            assert_eq!(query.unwrap(), vec![pending.clone()]);
        }
    }
}

/// Issue 24, fourth attack: while a backup waited for the disk, `list_backups` answered with
/// it at once; the disk then refused it. Backup and table reads wait for the disk like item
/// reads, so the refused backup is never listed or described.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_waiting_for_the_disk_is_not_listed_until_it_is_there() {
    let dir = TempDir::new("durable-backup-wait");
    let faults = StorageFaults::new();
    let backend = MemoryBackend::builder()
        .storage_faults(faults.clone())
        .open(dir.path())
        .unwrap();
    let repo: Repo<Note, _> = notes_tests::repo(backend.clone(), "notes").await;
    let _release = ReleaseDisk(faults.clone());
    faults.hold_writes(true);
    let operations = backend.storage_stats().unwrap().operations;
    let backup = tokio::spawn({
        let repo = repo.clone();
        async move { repo.create_backup("held-backup").await }
    });
    while backend.storage_stats().unwrap().operations == operations {
        tokio::task::yield_now().await;
    }
    let listed = tokio::spawn({
        let repo = repo.clone();
        async move { repo.list_backups().await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        !listed.is_finished(),
        "list_backups answered while the backup it saw was not on disk"
    );
    faults.fail_syncs(true);
    faults.hold_writes(false);
    let backup = backup.await.unwrap();
    assert!(matches!(backup, Err(Error::Storage { .. })), "{backup:?}");
    assert_eq!(listed.await.unwrap().unwrap(), vec![]);
}

#[test]
fn a_directory_open_in_another_process_is_store_in_use() {
    let dir = TempDir::new("durable-lock");
    let mut holder = spawn_child("holder", dir.path());
    // The test harness prints its own lines first.
    let mut lines = BufReader::new(holder.stdout.take().unwrap()).lines();
    assert!(
        lines.any(|line| line.unwrap() == "OPEN"),
        "the holder opened the directory"
    );

    let err = MemoryBackend::open(dir.path()).unwrap_err();
    assert!(
        matches!(&err, Error::StoreInUse { path } if path == dir.path()),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "the store directory `{}` is in use by another MemoryBackend (its LOCK file is held)",
            dir.path().display()
        )
    );

    // The notes API's local server prints that sentence when it cannot start (it printed
    // the `Debug` form, `Error: StoreInUse { path: .. }`, before issue 24).
    assert_eq!(
        notes_api::exit_message(&err),
        format!(
            "Error: the store directory `{}` is in use by another MemoryBackend (its LOCK file is held)",
            dir.path().display()
        )
    );

    // Once the other process is gone (killed: the kernel releases its lock), it opens.
    holder.kill().unwrap();
    holder.wait().unwrap();
    MemoryBackend::open(dir.path()).expect("open once the holder is gone");
}

/// A backup the disk refused is gone the moment `create_backup` answers `Error::Storage`
/// (not listed, not describable), while one acknowledged before it stays; the same after
/// reopening.
#[tokio::test]
async fn a_backup_the_disk_refused_is_not_listed() {
    let dir = TempDir::new("durable-refused-backup");
    let faults = StorageFaults::new();
    let backend = MemoryBackend::builder()
        .storage_faults(faults.clone())
        .open(dir.path())
        .unwrap();
    let repo: Repo<Note, _> = notes_tests::repo(backend, "notes").await;
    repo.put(&Note::new("u1", "a")).await.unwrap();
    let kept = repo.create_backup("kept").await.unwrap();
    faults.fail_writes(true);
    let err = repo.create_backup("refused").await.unwrap_err();
    assert!(matches!(err, Error::Storage { .. }), "{err:?}");
    let check = |listed: Vec<notes_repo::request::BackupSummary>| {
        let names: Vec<_> = listed.into_iter().map(|s| s.backup_name).collect();
        assert_eq!(names, vec!["kept".to_owned()]);
    };
    check(repo.list_backups().await.unwrap());
    let described = repo
        .describe_backup(&kept.summary.backup_arn)
        .await
        .unwrap();
    assert_eq!(described.summary.backup_name, "kept");
    drop(repo);
    let repo: Repo<Note, _> = Repo::with_table(MemoryBackend::open(dir.path()).unwrap(), "notes");
    check(repo.list_backups().await.unwrap());
}

/// A transaction with a token the disk refused was never applied: retried with its token
/// it is not answered as done (before reopening: the disk still refuses it; after: it
/// applies).
#[tokio::test]
async fn a_transaction_the_disk_refused_is_not_remembered_by_its_token() {
    use notes_model::PrimaryKey as _;
    use notes_model::expr::Update;
    use notes_repo::request::{TransactWrite, TransactWriteItems};

    let dir = TempDir::new("durable-refused-token");
    let faults = StorageFaults::new();
    let backend = MemoryBackend::builder()
        .storage_faults(faults.clone())
        .open(dir.path())
        .unwrap();
    let repo: Repo<Note, _> = notes_tests::repo(backend.clone(), "notes").await;
    let target = Note::new("u1", "a");
    repo.put(&target).await.unwrap();
    let mut increment = TransactWriteItems::new(vec![TransactWrite::Update {
        table_name: "notes".to_owned(),
        key: target.key().to_key_map(),
        update: Update::new().and(Note::CREATED_AT.add(10)),
        condition: None,
    }]);
    increment.client_request_token = Some("order-42".to_owned());
    faults.fail_writes(true);
    let err = backend
        .transact_write_items(increment.clone())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Storage { .. }), "{err:?}");
    let again = backend
        .transact_write_items(increment.clone())
        .await
        .unwrap_err();
    assert!(matches!(again, Error::Storage { .. }), "{again:?}");
    drop(repo);
    drop(backend);

    let backend = MemoryBackend::open(dir.path()).unwrap();
    backend.transact_write_items(increment).await.unwrap();
    let repo: Repo<Note, _> = Repo::with_table(backend, "notes");
    assert_eq!(
        repo.get(&target.key()).await.unwrap().unwrap().created_at,
        target.created_at + 10,
        "applied once, after reopening"
    );
}

#[tokio::test]
async fn a_full_disk_fails_the_write_turns_the_backend_read_only_and_loses_nothing_acknowledged() {
    let dir = TempDir::new("faults-full");
    let faults = StorageFaults::new();
    let acknowledged = Note::new("u1", "acknowledged");
    let refused = Note::new("u1", "refused");
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
        let later = repo.put(&Note::new("u1", "later")).await.unwrap_err();
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
    let dir = TempDir::new("faults-fsync");
    let faults = StorageFaults::new();
    let backend = MemoryBackend::builder()
        .storage_faults(faults.clone())
        .open(dir.path())
        .unwrap();
    let repo = notes(backend).await;
    faults.fail_syncs(true);
    let refused = Note::new("u1", "x");
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
    let dir = TempDir::new("faults-lock");
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
    let dir = TempDir::new("faults-lock-deleted");
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
