//! Backups, typed: `create_backup`, `list_backups`, `describe_backup`, `delete_backup`,
//! `restore_from_backup`, `restore_to_point_in_time` and `point_in_time_recovery` on `Repo`.
//!
//! MemoryBackend only: the test server (dynoxide 3.2) serves no backup operation (it answers
//! `UnknownOperationException`; `tests/tests/raw/backups.rs` checks that the error names it).
//! The AWS backend's requests are checked with the SDK's mocks in
//! `notes-repo/src/aws/backups.rs`. Point-in-time cases run on a `ManualClock`.

use std::time::{Duration, SystemTime};

use notes_repo::request::{BackupStatus, BillingMode, PointInTimeRecovery, RestoreTime};
use notes_repo::{Backend, Clock, Error, Item, ManualClock, MemoryBackend, Note, Repo};
use notes_tests::repo;
use serde::{Deserialize, Serialize};

use super::indexes::Task;

notes_tests::on_every_backend!(;
    memory_only:
    a_restored_table_is_a_repo_verified_against_its_type,
    typed_backup_errors_are_dynamodbs,
    list_backups_reads_every_page,
    indexes_come_back_with_a_restore,
    point_in_time_recovery_is_turned_on_for_a_period,
);

/// `enable_point_in_time_recovery().recovery_period_in_days(n)`: the table's period, checked
/// before anything is sent (a repository on a missing table gets the range error, not
/// `TableNotFound`).
async fn point_in_time_recovery_is_turned_on_for_a_period<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend.clone(), table).await;
    notes
        .enable_point_in_time_recovery()
        .recovery_period_in_days(7)
        .await
        .unwrap();
    let recovery = notes.point_in_time_recovery().await.unwrap();
    assert_eq!(recovery.recovery_period_in_days(), Some(7));
    notes.enable_point_in_time_recovery().await.unwrap();
    let recovery = notes.point_in_time_recovery().await.unwrap();
    assert_eq!(recovery.recovery_period_in_days(), Some(35));

    let missing: Repo<Note, B> = Repo::with_table(backend, format!("{table}-missing"));
    for (days, constraint) in [
        (0, "greater than or equal to 1"),
        (36, "less than or equal to 35"),
    ] {
        let err = missing
            .enable_point_in_time_recovery()
            .recovery_period_in_days(days)
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Validation { message, source: None } if *message == format!(
                "1 validation error detected: Value '{days}' at \
                 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy \
                 constraint: Member must have value {constraint}"
            )),
            "{err:?}"
        );
    }
    let err = missing.enable_point_in_time_recovery().await.unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
}

/// The same table name as `Note`, keyed by `userId` alone: a type the notes table does not fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[serde(rename_all = "camelCase")]
struct Profile {
    #[partition_key]
    user_id: String,
}

async fn a_restored_table_is_a_repo_verified_against_its_type<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend.clone(), table).await;
    let note = Note::new("u1", "kept");
    notes.put(&note).await.unwrap();
    let backup = notes.create_backup("nightly").await.unwrap();
    assert_eq!(backup.summary.status, BackupStatus::Available);
    notes.delete(&note.key()).await.unwrap();

    let target = format!("{table}-restored");
    let restored = notes
        .restore_from_backup(&backup.summary.backup_arn, &target)
        .await
        .unwrap();
    assert_eq!(restored.table_name(), target);
    assert_eq!(
        restored.get(&note.key()).consistent().await.unwrap(),
        Some(note)
    );
    // ensure_table on the restored table verifies its key schema: the notes type fits...
    let again: Repo<Note, B> = Repo::with_table(backend.clone(), target.clone());
    again
        .ensure_table(BillingMode::PayPerRequest)
        .await
        .unwrap();
    // ...a type keyed otherwise does not, and is told why.
    let profiles: Repo<Profile, B> = Repo::with_table(backend.clone(), target.clone());
    let err = profiles
        .ensure_table(BillingMode::PayPerRequest)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::KeySchemaMismatch { table: t, .. } if *t == target),
        "{err:?}"
    );
    // A restore through a repository of the wrong type restores, then refuses to hand it over.
    let profiles: Repo<Profile, B> = Repo::with_table(backend, table.to_owned());
    let err = profiles
        .restore_from_backup(&backup.summary.backup_arn, &format!("{table}-profiles"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::KeySchemaMismatch { .. }), "{err:?}");
}

async fn typed_backup_errors_are_dynamodbs<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend, table).await;
    for name in ["ab", "nightly backup", "notes/1"] {
        let err = notes.create_backup(name).await.unwrap_err();
        assert!(
            matches!(&err, Error::Validation { message, .. } if message.contains("'backupName'")),
            "{name}: {err:?}"
        );
    }
    assert!(notes.list_backups().await.unwrap().is_empty());
    let backup = notes.create_backup("nightly").await.unwrap();
    let arn = backup.summary.backup_arn.clone();
    // DynamoDB's CreateBackup answers the backup's details; DescribeBackup adds the source
    // table's item count and billing mode, which agree with the create's where it gave them.
    assert!(
        matches!(backup.summary.item_count, None | Some(0)),
        "{backup:?}"
    );
    assert!(
        matches!(backup.billing_mode, None | Some(BillingMode::PayPerRequest)),
        "{backup:?}"
    );
    let mut described = backup.clone();
    described.summary.item_count = Some(0);
    described.billing_mode = Some(BillingMode::PayPerRequest);
    assert_eq!(notes.describe_backup(&arn).await.unwrap(), described);
    let err = notes.restore_from_backup(&arn, table).await.unwrap_err();
    assert!(
        matches!(&err, Error::TableAlreadyExists { table: t, .. } if t == table),
        "{err:?}"
    );
    let err = notes.restore_from_backup(&arn, "x").await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert_eq!(
        notes.delete_backup(&arn).await.unwrap().summary.status,
        BackupStatus::Deleted
    );
    for err in [
        notes.describe_backup(&arn).await.unwrap_err(),
        notes.delete_backup(&arn).await.unwrap_err(),
    ] {
        assert!(
            matches!(&err, Error::BackupNotFound { backup_arn, .. } if *backup_arn == arn),
            "{err:?}"
        );
    }
    assert_eq!(
        notes.point_in_time_recovery().await.unwrap(),
        PointInTimeRecovery::Disabled
    );
    let err = notes
        .restore_to_point_in_time(&format!("{table}-pitr"), RestoreTime::Latest)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::PointInTimeRecoveryUnavailable { table: t, .. } if t == table),
        "{err:?}"
    );
}

async fn list_backups_reads_every_page<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend, table).await;
    // More than one page: ListBackups answers at most 100.
    let mut names = Vec::new();
    for n in 0..105 {
        let name = format!("backup-{n:03}");
        notes.create_backup(&name).await.unwrap();
        names.push(name);
    }
    let listed: Vec<String> = notes
        .list_backups()
        .await
        .unwrap()
        .into_iter()
        .map(|b| b.backup_name)
        .collect();
    assert_eq!(listed, names);
}

async fn indexes_come_back_with_a_restore<B: Backend>(backend: B, table: &str) {
    let tasks = repo::<Task, B>(backend, table).await;
    let task = Task {
        project_id: "p1".into(),
        task_id: "t1".into(),
        assignee: Some("ann".into()),
        status: "open".into(),
        due_at: 10,
    };
    tasks.put(&task).await.unwrap();
    let backup = tasks.create_backup("with-indexes").await.unwrap();
    let restored = tasks
        .restore_from_backup(&backup.summary.backup_arn, &format!("{table}-restored"))
        .await
        .unwrap();
    assert_eq!(restored.describe_table().await.unwrap().indexes.len(), 3);
    let by_assignee = restored
        .query_index(Task::BY_ASSIGNEE, "ann")
        .all()
        .await
        .unwrap();
    assert_eq!(by_assignee, [task]);
}

// MemoryBackend only, on a ManualClock: the backups chapter of the notes app, end to end.
#[tokio::test]
async fn a_note_deleted_by_mistake_comes_back_from_the_instant_before() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let backend = MemoryBackend::builder().clock(clock.clone()).build();
    let notes: Repo<Note, _> = Repo::new(backend);
    notes
        .ensure_table(BillingMode::PayPerRequest)
        .await
        .unwrap();
    notes.enable_point_in_time_recovery().await.unwrap();
    let enabled_at = clock.now();

    let precious = Note::new("u1", "the precious note");
    let other = Note::new("u1", "another note");
    notes.put(&precious).await.unwrap();
    clock.advance(Duration::from_secs(60));
    notes.put(&other).await.unwrap();
    let nightly = notes.create_backup("nightly").await.unwrap();
    clock.advance(Duration::from_secs(3600));
    let before_the_mistake = clock.now();
    clock.advance(Duration::from_secs(1));
    notes.delete(&precious.key()).await.unwrap();
    // The latest restorable time is 5 minutes behind, as on DynamoDB.
    clock.advance(Duration::from_secs(360));

    assert_eq!(
        notes.point_in_time_recovery().await.unwrap(),
        PointInTimeRecovery::Enabled {
            earliest_restorable: enabled_at,
            latest_restorable: clock.now() - Duration::from_secs(300),
            recovery_period_in_days: Some(35),
        }
    );
    let restored = notes
        .restore_to_point_in_time(
            "notes-before-the-mistake",
            RestoreTime::At(before_the_mistake),
        )
        .await
        .unwrap();
    assert_eq!(
        restored.get(&precious.key()).consistent().await.unwrap(),
        Some(precious.clone())
    );
    assert_eq!(
        restored.get(&other.key()).consistent().await.unwrap(),
        Some(other.clone())
    );
    // The latest restorable time is after the mistake.
    let latest = notes
        .restore_to_point_in_time("notes-latest", RestoreTime::Latest)
        .await
        .unwrap();
    assert_eq!(
        latest.get(&precious.key()).consistent().await.unwrap(),
        None
    );
    // And the nightly backup has it too.
    let from_backup = notes
        .restore_from_backup(&nightly.summary.backup_arn, "notes-nightly")
        .await
        .unwrap();
    assert_eq!(
        from_backup.get(&precious.key()).consistent().await.unwrap(),
        Some(precious)
    );
    // A restored table starts with point-in-time recovery off, as on DynamoDB.
    assert_eq!(
        latest.point_in_time_recovery().await.unwrap(),
        PointInTimeRecovery::Disabled
    );
}
