//! What a durable MemoryBackend keeps across a restart besides its tables and items (issue
//! 24, item 2): stream records with their sequence numbers, the point-in-time history,
//! on-demand backups and transaction tokens; each with and without a compaction into a new
//! snapshot in between.

use std::time::{Duration, SystemTime};

use notes_model::expr::Update;
use notes_model::{AttributeValue, Item, PrimaryKey};
use notes_repo::request::{
    CreateTable, DescribeTable, PointInTimeRecovery, RestoreTime, TransactWrite,
    TransactWriteItems, UpdateTimeToLive,
};
use notes_repo::stream::{ChangeRecord, StreamViewType};
use notes_repo::{Backend, Clock, ManualClock, MemoryBackend, Note, Repo};
use notes_tests::durable_support::TempDir;

/// A backend on `dir` and `clock`; `journal_limit(1)` compacts at every open and after
/// every write.
fn open(dir: &TempDir, clock: &ManualClock, compact: bool) -> MemoryBackend {
    let mut builder = MemoryBackend::builder().clock(clock.clone());
    if compact {
        builder = builder.journal_limit(1);
    }
    builder.open(dir.path()).expect("open the directory")
}

fn clock() -> ManualClock {
    ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
}

fn note(i: usize) -> Note {
    Note {
        user_id: "u1".to_owned(),
        note_id: format!("{i:04}"),
        content: format!("note {i}"),
        attachment: None,
        created_at: i64::try_from(i).unwrap(),
    }
}

fn sequence_numbers(records: &[ChangeRecord]) -> Vec<String> {
    records.iter().map(|r| r.sequence_number.clone()).collect()
}

async fn stream_checkpoint_resumes_after_a_restart(compact: bool) {
    let dir = TempDir::new("persist-stream");
    let clock = clock();
    let (before, arn) = {
        let backend = open(&dir, &clock, compact);
        backend
            .create_table(
                CreateTable::new("notes", Note::KEY_SCHEMA)
                    .stream_view_type(StreamViewType::NewAndOldImages),
            )
            .await
            .unwrap();
        let repo: Repo<Note, _> = Repo::new(backend.clone());
        for i in 0..6 {
            clock.advance(Duration::from_secs(1));
            repo.put(&note(i)).await.unwrap();
        }
        let arn = backend
            .describe_table(DescribeTable::new("notes"))
            .await
            .unwrap()
            .stream;
        (backend.stream_records("notes", None).unwrap(), arn)
    };
    assert_eq!(before.len(), 6);
    let checkpoint = before.last().unwrap().sequence_number.clone();

    clock.advance(Duration::from_secs(60));
    let backend = open(&dir, &clock, compact);
    // The records from before the restart are the same records: numbers, times, images.
    assert_eq!(backend.stream_records("notes", None).unwrap(), before);
    assert_eq!(
        backend
            .describe_table(DescribeTable::new("notes"))
            .await
            .unwrap()
            .stream,
        arn,
        "the stream's ARN after a restart"
    );
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    for i in 6..9 {
        repo.put(&note(i)).await.unwrap();
    }
    let after = backend.stream_records("notes", Some(&checkpoint)).unwrap();
    let ids: Vec<_> = after
        .iter()
        .map(|r| r.keys["noteId"].clone())
        .collect::<Vec<_>>();
    assert_eq!(
        ids,
        (6..9)
            .map(|i| AttributeValue::S(format!("{i:04}")))
            .collect::<Vec<_>>(),
        "the records after a checkpoint taken before the restart"
    );
    let all = sequence_numbers(&backend.stream_records("notes", None).unwrap());
    assert_eq!(all.len(), 9);
    assert!(
        all.windows(2).all(|w| w[0] < w[1]),
        "sequence numbers strictly increase across the restart: {all:?}"
    );
}

#[tokio::test]
async fn a_stream_checkpoint_resumes_exactly_after_itself_across_a_restart() {
    stream_checkpoint_resumes_after_a_restart(false).await;
}

#[tokio::test]
async fn a_stream_checkpoint_resumes_exactly_after_itself_across_a_compaction() {
    stream_checkpoint_resumes_after_a_restart(true).await;
}

async fn point_in_time_reaches_before_the_snapshot(compact: bool) {
    let dir = TempDir::new("persist-pitr");
    let clock = clock();
    let (first, second) = (note(1), note(2));
    let between;
    {
        let repo: Repo<Note, _> = Repo::new(open(&dir, &clock, compact));
        repo.ensure_table(notes_repo::request::BillingMode::PayPerRequest)
            .await
            .unwrap();
        repo.enable_point_in_time_recovery().await.unwrap();
        clock.advance(Duration::from_secs(10));
        repo.put(&first).await.unwrap();
        clock.advance(Duration::from_secs(10));
        between = clock.now();
        clock.advance(Duration::from_secs(10));
        repo.put(&second).await.unwrap();
        repo.delete(&first.key()).await.unwrap();
    }
    // Two restarts: the second one compacts (the first one's history is in its snapshot).
    for _ in 0..2 {
        clock.advance(Duration::from_secs(600));
        drop(open(&dir, &clock, true));
    }
    clock.advance(Duration::from_secs(600));
    let repo: Repo<Note, _> = Repo::new(open(&dir, &clock, compact));
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
    assert_eq!(
        earliest_restorable,
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    );
}

#[tokio::test]
async fn point_in_time_recovery_reaches_before_the_last_snapshot_after_a_restart() {
    point_in_time_reaches_before_the_snapshot(false).await;
}

#[tokio::test]
async fn point_in_time_recovery_reaches_before_the_last_snapshot_after_compactions() {
    point_in_time_reaches_before_the_snapshot(true).await;
}

async fn backups_survive(compact: bool) {
    let dir = TempDir::new("persist-backups");
    let clock = clock();
    let (kept, later) = (note(1), note(2));
    let (backup, deleted) = {
        let repo: Repo<Note, _> = Repo::new(open(&dir, &clock, compact));
        repo.ensure_table(notes_repo::request::BillingMode::PayPerRequest)
            .await
            .unwrap();
        repo.put(&kept).await.unwrap();
        clock.advance(Duration::from_secs(1));
        let backup = repo.create_backup("before-later").await.unwrap();
        clock.advance(Duration::from_secs(1));
        let deleted = repo.create_backup("deleted").await.unwrap();
        repo.delete_backup(&deleted.summary.backup_arn)
            .await
            .unwrap();
        repo.put(&later).await.unwrap();
        (backup, deleted)
    };
    clock.advance(Duration::from_secs(60));
    let repo: Repo<Note, _> = Repo::new(open(&dir, &clock, compact));
    let listed = repo.list_backups().await.unwrap();
    assert_eq!(
        listed,
        std::slice::from_ref(&backup.summary),
        "the backups after a restart"
    );
    assert_eq!(
        repo.describe_backup(&backup.summary.backup_arn)
            .await
            .unwrap(),
        backup
    );
    let gone = repo
        .describe_backup(&deleted.summary.backup_arn)
        .await
        .unwrap_err();
    assert!(
        matches!(gone, notes_repo::Error::BackupNotFound { .. }),
        "{gone:?}"
    );
    let restored = repo
        .restore_from_backup(&backup.summary.backup_arn, "restored")
        .await
        .unwrap();
    assert_eq!(restored.get(&kept.key()).await.unwrap(), Some(kept));
    assert_eq!(restored.get(&later.key()).await.unwrap(), None);
    // A backup taken after the restart gets an ARN of its own.
    let again = repo.create_backup("after").await.unwrap();
    assert_ne!(again.summary.backup_arn, backup.summary.backup_arn);
    assert_ne!(again.summary.backup_arn, deleted.summary.backup_arn);
}

#[tokio::test]
async fn backups_are_listed_and_restorable_after_a_restart() {
    backups_survive(false).await;
}

#[tokio::test]
async fn backups_are_listed_and_restorable_after_a_compaction() {
    backups_survive(true).await;
}

async fn a_token_dedupes_across_a_restart(compact: bool) {
    let dir = TempDir::new("persist-token");
    let clock = clock();
    let target = note(1);
    let mut increment = TransactWriteItems::new(vec![TransactWrite::Update {
        table_name: "notes".to_owned(),
        key: target.key().to_key_map(),
        update: Update::new().and(Note::CREATED_AT.add(10)),
        condition: None,
    }]);
    increment.client_request_token = Some("order-42".to_owned());
    {
        let backend = open(&dir, &clock, compact);
        let repo: Repo<Note, _> = Repo::new(backend.clone());
        repo.ensure_table(notes_repo::request::BillingMode::PayPerRequest)
            .await
            .unwrap();
        repo.put(&target).await.unwrap();
        backend
            .transact_write_items(increment.clone())
            .await
            .unwrap();
    }
    clock.advance(Duration::from_secs(60));
    let backend = open(&dir, &clock, compact);
    // The same request again within its 10 minutes: answered, not applied again.
    backend
        .transact_write_items(increment.clone())
        .await
        .unwrap();
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    assert_eq!(
        repo.get(&target.key()).await.unwrap().unwrap().created_at,
        11,
        "the transaction applied once"
    );
    drop(repo);
    drop(backend);
    // After its 10 minutes the token is forgotten, across a restart too: applied again.
    clock.advance(Duration::from_secs(600));
    let backend = open(&dir, &clock, compact);
    backend.transact_write_items(increment).await.unwrap();
    let repo: Repo<Note, _> = Repo::new(backend);
    assert_eq!(
        repo.get(&target.key()).await.unwrap().unwrap().created_at,
        21
    );
}

#[tokio::test]
async fn a_transaction_retried_with_its_token_across_a_restart_applies_once() {
    a_token_dedupes_across_a_restart(false).await;
}

#[tokio::test]
async fn a_transaction_retried_with_its_token_across_a_compaction_applies_once() {
    a_token_dedupes_across_a_restart(true).await;
}

async fn streams_enabled_by_update_table_survive(compact: bool) {
    use notes_repo::request::UpdateTable;
    use notes_repo::stream::StreamSpecification;
    let dir = TempDir::new("persist-update-stream");
    let clock = clock();
    let spec = |spec| UpdateTable::new("notes").stream_specification(spec);
    let (first_arn, disabled_records) = {
        let backend = open(&dir, &clock, compact);
        let repo: Repo<Note, _> = Repo::new(backend.clone());
        repo.ensure_table(notes_repo::request::BillingMode::PayPerRequest)
            .await
            .unwrap();
        repo.put(&note(0)).await.unwrap(); // before any stream: no record
        backend
            .update_table(spec(StreamSpecification::Enabled(StreamViewType::NewImage)))
            .await
            .unwrap();
        let arn = backend
            .describe_table(DescribeTable::new("notes"))
            .await
            .unwrap()
            .stream;
        for i in 1..3 {
            clock.advance(Duration::from_secs(1));
            repo.put(&note(i)).await.unwrap();
        }
        backend
            .update_table(spec(StreamSpecification::Disabled))
            .await
            .unwrap();
        repo.put(&note(3)).await.unwrap(); // after disabling: no record
        (arn, backend.stream_records("notes", None).unwrap())
    };
    assert_eq!(disabled_records.len(), 2);
    clock.advance(Duration::from_secs(60));
    let backend = open(&dir, &clock, compact);
    // The disabled stream is still readable (24 hours), with the same records.
    assert_eq!(
        backend.stream_records("notes", None).unwrap(),
        disabled_records
    );
    assert_eq!(
        backend
            .describe_table(DescribeTable::new("notes"))
            .await
            .unwrap()
            .stream,
        None
    );
    backend
        .update_table(spec(StreamSpecification::Enabled(StreamViewType::KeysOnly)))
        .await
        .unwrap();
    let second_arn = backend
        .describe_table(DescribeTable::new("notes"))
        .await
        .unwrap()
        .stream;
    assert_ne!(
        second_arn.as_ref().and_then(|s| s.arn.clone()),
        first_arn.as_ref().and_then(|s| s.arn.clone()),
        "a stream enabled after the restart has an ARN of its own"
    );
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    repo.put(&note(4)).await.unwrap();
    let records = backend.stream_records("notes", None).unwrap();
    assert_eq!(records.len(), 1);
    assert!(records[0].sequence_number > disabled_records[1].sequence_number);
    drop(repo);
    drop(backend);
    let backend = open(&dir, &clock, compact);
    assert_eq!(
        backend
            .describe_table(DescribeTable::new("notes"))
            .await
            .unwrap()
            .stream,
        second_arn
    );
    assert_eq!(backend.stream_records("notes", None).unwrap(), records);
}

#[tokio::test]
async fn a_stream_enabled_and_disabled_by_update_table_survives_a_restart() {
    streams_enabled_by_update_table_survive(false).await;
}

#[tokio::test]
async fn a_stream_enabled_and_disabled_by_update_table_survives_a_compaction() {
    streams_enabled_by_update_table_survive(true).await;
}

async fn time_to_live_marks_survive(compact: bool) {
    let dir = TempDir::new("persist-ttl");
    let clock = clock();
    let records = {
        let backend = open(&dir, &clock, compact);
        backend
            .create_table(
                CreateTable::new("notes", Note::KEY_SCHEMA)
                    .stream_view_type(StreamViewType::NewAndOldImages),
            )
            .await
            .unwrap();
        backend
            .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true))
            .await
            .unwrap();
        let mut item = note(1).to_item().unwrap();
        item.insert("expiresAt".into(), AttributeValue::N("1699999000".into()));
        backend
            .put_item(notes_repo::request::PutItem::new("notes", item))
            .await
            .unwrap();
        clock.advance(Duration::from_secs(1));
        assert_eq!(backend.expire_items(), 1);
        backend.stream_records("notes", None).unwrap()
    };
    assert_eq!(
        records.iter().map(|r| r.removed_by_ttl).collect::<Vec<_>>(),
        [false, true]
    );
    let backend = open(&dir, &clock, compact);
    assert_eq!(backend.stream_records("notes", None).unwrap(), records);
}

#[tokio::test]
async fn a_time_to_live_deletion_keeps_its_mark_across_a_restart() {
    time_to_live_marks_survive(false).await;
}

#[tokio::test]
async fn a_time_to_live_deletion_keeps_its_mark_across_a_compaction() {
    time_to_live_marks_survive(true).await;
}

/// Transactions with tokens from concurrent tasks (on two tables, so they really run at
/// once), with compactions running meanwhile (a 1-byte journal limit): after a reopen, every
/// one of them sent again is answered without being applied again, and every token is kept
/// with its own transaction (a token journaled in another operation's record would be
/// forgotten or kept without its writes).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_tokened_transactions_are_each_applied_once_across_a_restart() {
    const TASKS: usize = 4;
    const PER_TASK: usize = 25;
    let dir = TempDir::new("persist-tokens-concurrent");
    let clock = clock();
    let increment = |task: usize, n: usize| {
        let table = if task.is_multiple_of(2) {
            "even"
        } else {
            "odd"
        };
        let mut request = TransactWriteItems::new(vec![TransactWrite::Update {
            table_name: table.to_owned(),
            key: note(task).key().to_key_map(),
            update: Update::new().and(Note::CREATED_AT.add(1)),
            condition: None,
        }]);
        request.client_request_token = Some(format!("t{task}-{n}"));
        request
    };
    let requests: Vec<Vec<TransactWriteItems>> = (0..TASKS)
        .map(|task| (0..PER_TASK).map(|n| increment(task, n)).collect())
        .collect();
    {
        let backend = open(&dir, &clock, true);
        for table in ["even", "odd"] {
            let repo: Repo<Note, _> = Repo::with_table(backend.clone(), table.to_owned());
            repo.ensure_table(notes_repo::request::BillingMode::PayPerRequest)
                .await
                .unwrap();
            for task in 0..TASKS {
                let start = Note {
                    created_at: 0,
                    ..note(task)
                };
                repo.put(&start).await.unwrap();
            }
        }
        let start = notes_tests::StartLine::new(TASKS);
        let tasks: Vec<_> = requests
            .iter()
            .cloned()
            .map(|requests| {
                let (backend, start) = (backend.clone(), start.clone());
                tokio::spawn(async move {
                    start.wait().await;
                    for request in requests {
                        backend.transact_write_items(request).await.unwrap();
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert!(backend.storage_stats().unwrap().compactions > 0);
    }
    let backend = open(&dir, &clock, false);
    for request in requests.into_iter().flatten() {
        backend.transact_write_items(request).await.unwrap();
    }
    for task in 0..TASKS {
        let table = if task.is_multiple_of(2) {
            "even"
        } else {
            "odd"
        };
        let repo: Repo<Note, _> = Repo::with_table(backend.clone(), table.to_owned());
        let stored = repo.get(&note(task).key()).await.unwrap().unwrap();
        assert_eq!(
            stored.created_at,
            i64::try_from(PER_TASK).unwrap(),
            "task {task}'s transactions applied once each"
        );
    }
}
