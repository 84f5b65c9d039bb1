//! The backups chapter, end to end: enable point-in-time recovery, write notes, take an
//! on-demand backup, delete a note by mistake, restore the table to the instant before the
//! mistake into a new table, and check the note is back there.
//!
//! `cargo run --example notes-backup` runs on the embedded store (a `MemoryBackend` kept in a
//! temporary directory, so the backups are real copies on disk); with
//! `AWS_ENDPOINT_URL_DYNAMODB` set it runs on DynamoDB, configured the AWS SDK's way (on AWS,
//! the latest restorable instant is about 5 minutes behind, so the restore waits for it; the
//! embedded store is 5 minutes behind too, on a `ManualClock` that the example moves on
//! instead of waiting).

use std::future::Future;
use std::time::{Duration, SystemTime};

use notes_repo::request::{PointInTimeRecovery, RestoreTime};
use notes_repo::{
    Backend, BillingMode, Clock, Error, Item, ManualClock, MemoryBackend, Note, Repo,
};

/// The backups chapter on `backend`, with its clock's `now` and a `wait` that lets time pass.
async fn run<B: Backend, W: Future<Output = ()>>(
    backend: B,
    table: &str,
    now: impl Fn() -> SystemTime,
    wait: impl Fn(Duration) -> W,
) -> Result<(), Error> {
    let repo: Repo<Note, B> = Repo::with_table(backend, table.to_owned());
    repo.ensure_table(BillingMode::PayPerRequest).await?;
    repo.enable_point_in_time_recovery().await?;
    if let PointInTimeRecovery::Enabled {
        earliest_restorable,
        ..
    } = repo.point_in_time_recovery().await?
    {
        let since = earliest_restorable
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        println!("point-in-time recovery: on, restorable since unix time {since}");
    }

    let milk = Note::new("alice", "buy milk");
    let mum = Note::new("alice", "call mum");
    repo.put(&milk).await?;
    repo.put(&mum).await?;
    let backup = repo.create_backup("notes-before-cleanup").await?;
    println!(
        "backup `{}`: {}",
        backup.summary.backup_name, backup.summary.backup_arn
    );

    // The instant before the mistake, then the mistake.
    wait(Duration::from_millis(10)).await;
    let before = now();
    wait(Duration::from_millis(10)).await;
    repo.delete(&mum.key()).await?;
    println!("deleted by mistake: {:?}", mum.content);

    // LatestRestorableDateTime is about 5 minutes behind: wait until it passes the instant.
    while let PointInTimeRecovery::Enabled {
        latest_restorable, ..
    } = repo.point_in_time_recovery().await?
        && latest_restorable < before
    {
        wait(Duration::from_secs(30)).await;
    }

    let suffix = now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let restored = repo
        .restore_to_point_in_time(
            &format!("{table}-restored-{suffix}"),
            RestoreTime::At(before),
        )
        .await?;
    let back = restored.get(&mum.key()).consistent().await?;
    assert_eq!(back.as_ref(), Some(&mum));
    println!("restored to the instant before: {:?} is back", mum.content);

    let from_backup = repo
        .restore_from_backup(
            &backup.summary.backup_arn,
            &format!("{table}-from-backup-{suffix}"),
        )
        .await?;
    let notes = from_backup.query("alice").consistent().all().await?;
    println!("restored from the backup: {} notes", notes.len());
    assert_eq!(notes.len(), 2);
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let table = std::env::var("NOTES_TABLE").unwrap_or_else(|_| "notes".to_owned());
    if std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some() {
        let backend = notes_repo::DynamoDbBackend::from_env().await;
        run(backend, &table, SystemTime::now, tokio::time::sleep).await
    } else {
        let dir = std::env::temp_dir().join(format!("notes-backup-{}", std::process::id()));
        let clock = ManualClock::new(SystemTime::now());
        let backend = MemoryBackend::builder().clock(clock.clone()).open(&dir)?;
        println!("embedded store in {}", dir.display());
        let now = || clock.now();
        let wait = |d: Duration| {
            clock.advance(d);
            std::future::ready(())
        };
        let result = run(backend, &table, now, wait).await;
        let _ = std::fs::remove_dir_all(&dir);
        result
    }
}
