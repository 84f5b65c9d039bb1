//! A table's own point-in-time recovery period (`RecoveryPeriodInDays`) across a restart and
//! a compaction: the store keeps the table's period, not the backend's default, and the
//! history it keeps follows it.

use std::time::{Duration, SystemTime};

use notes_repo::request::{PointInTimeRecovery, RestoreTime};
use notes_repo::{Clock, Error, ManualClock, MemoryBackend, Note, Repo};
use notes_tests::durable_support::TempDir;

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// A backend on `dir` and `clock` whose default period is 35 days; `journal_limit(1)`
/// compacts at every open and after every write.
fn open(dir: &TempDir, clock: &ManualClock, compact: bool) -> MemoryBackend {
    let mut builder = MemoryBackend::builder().clock(clock.clone());
    if compact {
        builder = builder.journal_limit(1);
    }
    builder.open(dir.path()).expect("open the directory")
}

async fn window(repo: &Repo<Note, MemoryBackend>) -> (SystemTime, Option<u32>) {
    match repo.point_in_time_recovery().await.unwrap() {
        PointInTimeRecovery::Enabled {
            earliest_restorable,
            recovery_period_in_days,
            ..
        } => (earliest_restorable, recovery_period_in_days),
        PointInTimeRecovery::Disabled => panic!("recovery is still on after a restart"),
    }
}

async fn a_reopened_store_keeps_the_tables_recovery_period(compact: bool) {
    let dir = TempDir::new("recovery-period");
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let enabled_at;
    {
        let repo: Repo<Note, _> = Repo::new(open(&dir, &clock, compact));
        repo.create_table_on_demand().await.unwrap();
        repo.enable_point_in_time_recovery()
            .recovery_period_in_days(7)
            .await
            .unwrap();
        enabled_at = clock.now();
        repo.put(&Note::new("u1", "before the restart"))
            .await
            .unwrap();
    }
    clock.advance(DAY);
    let repo: Repo<Note, _> = Repo::new(open(&dir, &clock, compact));
    assert_eq!(window(&repo).await, (enabled_at, Some(7)));
    drop(repo);

    // Ten days on (another restart), the window is the table's seven days, not the backend's
    // default 35.
    clock.advance(9 * DAY);
    let repo: Repo<Note, _> = Repo::new(open(&dir, &clock, compact));
    let now = clock.now();
    assert_eq!(window(&repo).await, (now - 7 * DAY, Some(7)));
    let err = repo
        .restore_to_point_in_time("too-early", RestoreTime::At(enabled_at))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRestoreTime { .. }), "{err:?}");
}

#[tokio::test]
async fn a_reopened_store_keeps_the_tables_recovery_period_after_a_restart() {
    a_reopened_store_keeps_the_tables_recovery_period(false).await;
}

#[tokio::test]
async fn a_reopened_store_keeps_the_tables_recovery_period_after_compactions() {
    a_reopened_store_keeps_the_tables_recovery_period(true).await;
}

/// A period changed while recovery is on is journaled too: the extended window starts where
/// it started when the period changed, after a restart as before it.
#[tokio::test]
async fn a_changed_recovery_period_survives_a_restart() {
    let dir = TempDir::new("recovery-period-changed");
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let extended_at;
    {
        let repo: Repo<Note, _> = Repo::new(open(&dir, &clock, false));
        repo.create_table_on_demand().await.unwrap();
        repo.enable_point_in_time_recovery()
            .recovery_period_in_days(1)
            .await
            .unwrap();
        clock.advance(3 * DAY);
        repo.enable_point_in_time_recovery()
            .recovery_period_in_days(30)
            .await
            .unwrap();
        extended_at = clock.now();
        assert_eq!(window(&repo).await, (extended_at - DAY, Some(30)));
    }
    clock.advance(DAY);
    let repo: Repo<Note, _> = Repo::new(open(&dir, &clock, false));
    assert_eq!(window(&repo).await, (extended_at - DAY, Some(30)));
}
