//! Point-in-time recovery's period (`RecoveryPeriodInDays`): set per table, described, checked
//! with DynamoDB's messages, and the restorable window that follows it.
//!
//! MemoryBackend and notes-local only: the test server (dynoxide 3.2) serves no point-in-time
//! recovery (`raw/backups.rs` says which operations); the AWS backend's requests are checked
//! with the SDK's mocks (`notes-aws/tests/sdk_mocks.rs`). The window cases run on a
//! `ManualClock`, on MemoryBackend.

use std::time::{Duration, SystemTime};

use notes_repo::{Clock, ManualClock};

use super::*;

notes_tests::on_every_backend!(;
    memory_only:
    the_recovery_period_is_the_tables_own_and_checked_as_dynamodb_checks_it,
);

const DAY: Duration = Duration::from_secs(24 * 60 * 60);
const RESTORE_LAG: Duration = Duration::from_secs(5 * 60);

async fn period<B: Backend>(backend: &B, table: &str) -> Option<u32> {
    let recovery = backend
        .describe_continuous_backups(DescribeContinuousBackups::new(table))
        .await
        .expect("describe");
    assert!(recovery.is_enabled(), "{recovery:?}");
    recovery.recovery_period_in_days()
}

async fn update<B: Backend>(backend: &B, request: UpdateContinuousBackups) -> Result<(), Error> {
    backend.update_continuous_backups(request).await
}

async fn the_recovery_period_is_the_tables_own_and_checked_as_dynamodb_checks_it<B: Backend>(
    backend: B,
    table: &str,
) {
    notes_table(&backend, table).await;
    let enable = || UpdateContinuousBackups::new(table, true);
    let disable = || UpdateContinuousBackups::new(table, false);
    update(&backend, enable().recovery_period_in_days(7))
        .await
        .expect("enable for 7 days");
    assert_eq!(period(&backend, table).await, Some(7));

    // Out of range: DynamoDB's constraint message; the period stays.
    for (days, constraint) in [
        (0, "greater than or equal to 1"),
        (36, "less than or equal to 35"),
    ] {
        let err = update(&backend, enable().recovery_period_in_days(days))
            .await
            .unwrap_err();
        assert_eq!(
            validation_message(err),
            format!(
                "1 validation error detected: Value '{days}' at \
                 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy \
                 constraint: Member must have value {constraint}"
            )
        );
    }
    // The constraint comes first, also while disabling.
    let err = update(&backend, disable().recovery_period_in_days(0))
        .await
        .unwrap_err();
    assert!(validation_message(err).ends_with("Member must have value greater than or equal to 1"));
    // A period while disabling: refused, recovery stays on.
    let err = update(&backend, disable().recovery_period_in_days(7))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time \
         recovery."
    );
    assert_eq!(period(&backend, table).await, Some(7));

    // Both ends of the range; on again without a period is DynamoDB's default, 35.
    for days in [1, 35] {
        update(&backend, enable().recovery_period_in_days(days))
            .await
            .expect("in range");
        assert_eq!(period(&backend, table).await, Some(days));
    }
    update(&backend, enable().recovery_period_in_days(7))
        .await
        .expect("7 days");
    update(&backend, enable()).await.expect("no period");
    assert_eq!(period(&backend, table).await, Some(35));

    // Off forgets the period: on again without one, it is the default.
    update(&backend, enable().recovery_period_in_days(7))
        .await
        .expect("7 days");
    update(&backend, disable()).await.expect("off");
    assert_eq!(
        backend
            .describe_continuous_backups(DescribeContinuousBackups::new(table))
            .await
            .expect("describe"),
        PointInTimeRecovery::Disabled
    );
    update(&backend, enable()).await.expect("on");
    assert_eq!(period(&backend, table).await, Some(35));

    // A missing table is still DynamoDB's error for it.
    let err = update(
        &backend,
        UpdateContinuousBackups::new("missing-table", true).recovery_period_in_days(7),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
}

/// The window a `describe_continuous_backups` reports.
async fn window(backend: &MemoryBackend, table: &str) -> (SystemTime, SystemTime, Option<u32>) {
    match backend
        .describe_continuous_backups(DescribeContinuousBackups::new(table))
        .await
        .expect("describe")
    {
        PointInTimeRecovery::Enabled {
            earliest_restorable,
            latest_restorable,
            recovery_period_in_days,
        } => (
            earliest_restorable,
            latest_restorable,
            recovery_period_in_days,
        ),
        PointInTimeRecovery::Disabled => panic!("recovery is off"),
    }
}

/// A time as the restore error writes it: epoch seconds and milliseconds.
fn epoch(at: SystemTime) -> String {
    let since = at.duration_since(SystemTime::UNIX_EPOCH).unwrap();
    format!("{}.{:03}", since.as_secs(), since.subsec_millis())
}

// MemoryBackend only: a ManualClock (and the server has no point-in-time recovery).
#[tokio::test]
async fn the_restorable_window_follows_the_tables_recovery_period() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let backend = MemoryBackend::builder().clock(clock.clone()).build();
    let table = "pitr-period";
    notes_table(&backend, table).await;
    store(&backend, table, note_with("u1", "n1", "first")).await;
    backend
        .update_continuous_backups(
            UpdateContinuousBackups::new(table, true).recovery_period_in_days(7),
        )
        .await
        .expect("enable for 7 days");
    let enabled_at = clock.now();

    // Ten days on, the window is the last seven, not the backend's 35.
    clock.advance(10 * DAY);
    let now = clock.now();
    assert_eq!(
        window(&backend, table).await,
        (now - 7 * DAY, now - RESTORE_LAG, Some(7))
    );
    let too_early = now - 7 * DAY - Duration::from_millis(1);
    let err = backend
        .restore_table_to_point_in_time(RestoreTableToPointInTime::new(
            table,
            "too-early",
            RestoreTime::At(too_early),
        ))
        .await
        .unwrap_err();
    match err {
        Error::InvalidRestoreTime { message, .. } => assert_eq!(
            message,
            format!(
                "RestoreDateTime must be between EarliestRestorableDateTime and \
                 LatestRestorableDateTime (table `{table}`: asked for {}, the window is {} to {})",
                epoch(too_early),
                epoch(now - 7 * DAY),
                epoch(now - RESTORE_LAG)
            )
        ),
        other => panic!("expected InvalidRestoreTime, got {other:?}"),
    }
    assert!(enabled_at < now - 7 * DAY);
    backend
        .restore_table_to_point_in_time(RestoreTableToPointInTime::new(
            table,
            "at-the-earliest",
            RestoreTime::At(now - 7 * DAY),
        ))
        .await
        .expect("the earliest restorable time");

    // Shorter: the earliest restorable time moves forward at once.
    backend
        .update_continuous_backups(
            UpdateContinuousBackups::new(table, true).recovery_period_in_days(2),
        )
        .await
        .expect("2 days");
    let shortened_at = clock.now();
    assert_eq!(
        window(&backend, table).await,
        (shortened_at - 2 * DAY, shortened_at - RESTORE_LAG, Some(2))
    );
    let err = backend
        .restore_table_to_point_in_time(RestoreTableToPointInTime::new(
            table,
            "three-days-back",
            RestoreTime::At(shortened_at - 3 * DAY),
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRestoreTime { .. }), "{err:?}");

    // Longer: what the shorter period let go does not come back; the window grows with time
    // until it spans the new period, then slides.
    clock.advance(DAY);
    backend
        .update_continuous_backups(
            UpdateContinuousBackups::new(table, true).recovery_period_in_days(30),
        )
        .await
        .expect("30 days");
    let extended_at = clock.now();
    let start = extended_at - 2 * DAY;
    assert_eq!(window(&backend, table).await.0, start);
    clock.advance(10 * DAY);
    assert_eq!(
        window(&backend, table).await,
        (start, clock.now() - RESTORE_LAG, Some(30))
    );
    clock.advance(20 * DAY);
    assert_eq!(window(&backend, table).await.0, clock.now() - 30 * DAY);
    assert!(clock.now() - 30 * DAY > start);
}
