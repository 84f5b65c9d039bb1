//! Capacity through the typed API: changing provisioned throughput, billing mode and
//! per-index throughput, DynamoDB's limits on that, and (MemoryBackend, opt-in) provisioned
//! throughput enforced on a manual clock.

use std::time::{Duration, SystemTime};

use notes_repo::request::{BillingMode, ProvisionedThroughput};
use notes_repo::{Backend, Error, Item, ManualClock, MemoryBackend, Note, Repo};

use crate::indexes::Task;

notes_tests::on_every_backend!(
    lagging:
    update_throughput_sets_the_units_and_is_idempotent,
    set_billing_mode_switches_both_ways,
    update_throughput_of_an_on_demand_table_is_refused,
    ;
    memory_only:
    update_throughput_covers_every_global_index,
);

const NOTES_TABLE: BillingMode = BillingMode::Provisioned {
    read_capacity_units: 5,
    write_capacity_units: 5,
};

async fn provisioned_repo<B: Backend>(backend: B, table: &str) -> Repo<Note, B> {
    let repo = Repo::with_table(backend, table.to_owned());
    repo.ensure_table(NOTES_TABLE).await.unwrap();
    repo
}

async fn update_throughput_sets_the_units_and_is_idempotent<B: Backend>(backend: B, table: &str) {
    let repo = provisioned_repo(backend, table).await;
    let table = repo.update_throughput(10, 40).await.unwrap();
    assert_eq!(
        table.provisioned_throughput(),
        Some(ProvisionedThroughput::new(10, 40))
    );
    // Already so: nothing is sent (DynamoDB would refuse "will not change").
    let again = repo.update_throughput(10, 40).await.unwrap();
    assert_eq!(again.billing_mode, table.billing_mode);
    let err = repo.update_throughput(0, 40).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
}

async fn set_billing_mode_switches_both_ways<B: Backend>(backend: B, table: &str) {
    let repo = provisioned_repo(backend, table).await;
    let table = repo
        .set_billing_mode(BillingMode::PayPerRequest)
        .await
        .unwrap();
    assert_eq!(table.billing_mode, Some(BillingMode::PayPerRequest));
    assert_eq!(table.provisioned_throughput(), None);
    let again = repo
        .set_billing_mode(BillingMode::PayPerRequest)
        .await
        .unwrap();
    assert_eq!(again.billing_mode, Some(BillingMode::PayPerRequest));
    let table = repo.set_billing_mode(NOTES_TABLE).await.unwrap();
    assert_eq!(table.billing_mode, Some(NOTES_TABLE));
}

async fn update_throughput_of_an_on_demand_table_is_refused<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, B> = notes_tests::repo(backend, table).await;
    let err = repo.update_throughput(5, 5).await.unwrap_err();
    let Error::Validation { message, source } = err else {
        panic!("expected Validation, got {err:?}");
    };
    assert!(source.is_none(), "refused before sending");
    assert!(
        message.starts_with(
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor \
             WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
        ),
        "{message}"
    );
}

// MemoryBackend only: dynoxide 3.2.0 keeps a global index's creation units through updates.
async fn update_throughput_covers_every_global_index<B: Backend>(backend: B, table: &str) {
    let tasks: Repo<Task, B> = Repo::with_table(backend, table.to_owned());
    tasks.ensure_table(NOTES_TABLE).await.unwrap();
    let table = tasks.update_throughput(8, 9).await.unwrap();
    let units = ProvisionedThroughput::new(8, 9);
    assert_eq!(
        table.index_throughput,
        [
            ("byAssignee".to_owned(), units),
            ("byStatus".to_owned(), units)
        ]
        .into()
    );
    let table = tasks
        .update_index_throughput(&Task::BY_STATUS, 30, 9)
        .await
        .unwrap();
    assert_eq!(
        table.index_throughput["byStatus"],
        ProvisionedThroughput::new(30, 9)
    );
    assert_eq!(table.index_throughput["byAssignee"], units);
    // Back on demand: no index units; and provisioned again gives every index the units.
    let table = tasks
        .set_billing_mode(BillingMode::PayPerRequest)
        .await
        .unwrap();
    assert!(table.index_throughput.is_empty());
    let table = tasks.set_billing_mode(NOTES_TABLE).await.unwrap();
    assert_eq!(table.index_throughput.len(), 2);
}

/// The fifth decrease within an hour of the fourth, on one UTC day, is `LimitExceeded`; an
/// hour later it goes through (MemoryBackend on a manual clock; dynoxide has no such limit).
#[tokio::test]
async fn a_fifth_decrease_waits_an_hour() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(20_782 * 86_400));
    let backend = MemoryBackend::builder().clock(clock.clone()).build();
    let repo = provisioned_repo(backend, "notes").await;
    repo.update_throughput(100, 100).await.unwrap();
    for read in [90, 80, 70, 60] {
        repo.update_throughput(read, 100).await.unwrap();
    }
    let err = repo.update_throughput(50, 100).await.unwrap_err();
    assert!(
        matches!(&err, Error::LimitExceeded { table, .. } if table == "notes"),
        "{err:?}"
    );
    clock.advance(Duration::from_secs(3600));
    repo.update_throughput(50, 100).await.unwrap();
}

/// A 5/5 notes table on a MemoryBackend that enforces throughput on `clock`.
async fn enforced(clock: &ManualClock, mode: BillingMode) -> Repo<Note, MemoryBackend> {
    let backend = MemoryBackend::builder()
        .clock(clock.clone())
        .enforce_throughput(true)
        .build();
    let repo = Repo::new(backend);
    repo.ensure_table(mode).await.unwrap();
    repo
}

/// A note of just under 1 KB: one write unit.
fn one_kb_note() -> Note {
    Note::new("u1", "x".repeat(900))
}

/// The load: 5 WCU, a steady 10 writes a second of 1 KB items, no auto scaling. The
/// 1,500 banked units (300 s x 5) drain at 5 a second: every write of the first 300 seconds
/// succeeds, then exactly every other one (the refill's 5 a second) is throttled.
#[tokio::test]
async fn five_wcu_take_ten_writes_a_second_for_300_seconds_then_five() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(20_782 * 86_400));
    let repo = enforced(&clock, NOTES_TABLE).await;
    let note = one_kb_note();
    let mut written = vec![0; 320];
    let mut throttled = vec![0; 320];
    for k in 0..3200_usize {
        match repo.put(&note).await {
            Ok(_) => written[k / 10] += 1,
            Err(Error::Throttled { .. }) => throttled[k / 10] += 1,
            Err(other) => panic!("write {k}: {other:?}"),
        }
        clock.advance(Duration::from_millis(100));
    }
    assert_eq!(written[..300], [10; 300]);
    assert_eq!(throttled[..300], [0; 300]);
    assert_eq!(written[300..], [5; 20]);
    assert_eq!(throttled[300..], [5; 20]);
    // More capacity: the refill at 100 WCU serves the load again.
    repo.update_throughput(5, 100).await.unwrap();
    clock.advance(Duration::from_secs(1));
    for k in 0..100 {
        repo.put(&note)
            .await
            .unwrap_or_else(|err| panic!("write {k} at 100 WCU: {err:?}"));
        clock.advance(Duration::from_millis(100));
    }
}

/// Reads: 1 RCU banks 300 units; an eventually consistent read of a small item costs half a
/// unit, a strongly consistent one a whole unit.
#[tokio::test]
async fn eventually_consistent_reads_cost_half() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    let repo = enforced(
        &clock,
        BillingMode::Provisioned {
            read_capacity_units: 1,
            write_capacity_units: 1,
        },
    )
    .await;
    let note = Note::new("u1", "hi");
    repo.put(&note).await.unwrap();
    for _ in 0..600 {
        repo.get(&note.key()).await.unwrap();
    }
    let err = repo.get(&note.key()).await.unwrap_err();
    assert!(
        matches!(err, Error::Throttled { source: Some(_) }),
        "{err:?}"
    );
    // 300 s later the bank is full again: 300 strongly consistent reads.
    clock.advance(Duration::from_secs(300));
    for _ in 0..300 {
        repo.get(&note.key()).consistent().await.unwrap();
    }
    let err = repo.get(&note.key()).consistent().await.unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
}

/// On-demand tables are never throttled, whatever the load.
#[tokio::test]
async fn on_demand_tables_are_never_throttled() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    let repo = enforced(&clock, BillingMode::PayPerRequest).await;
    let note = one_kb_note();
    for _ in 0..5000 {
        repo.put(&note).await.unwrap();
    }
}

/// A global index has its own read bucket: when it is spent, the table still serves reads.
#[tokio::test]
async fn a_global_index_is_throttled_on_its_own_units() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    let backend = MemoryBackend::builder()
        .clock(clock.clone())
        .enforce_throughput(true)
        .build();
    let tasks: Repo<Task, _> = Repo::with_table(backend, "tasks".to_owned());
    tasks.ensure_table(NOTES_TABLE).await.unwrap();
    tasks
        .update_index_throughput(&Task::BY_STATUS, 1, 5)
        .await
        .unwrap();
    let task = Task {
        project_id: "p1".into(),
        task_id: "t1".into(),
        assignee: None,
        status: "open".into(),
        due_at: 1,
    };
    tasks.put(&task).await.unwrap();
    // 1 RCU: 300 units banked, half a unit per eventually consistent page.
    for _ in 0..600 {
        tasks
            .query_index(Task::BY_STATUS, "open")
            .all()
            .await
            .unwrap();
    }
    let err = tasks
        .query_index(Task::BY_STATUS, "open")
        .all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
    assert_eq!(tasks.get(&task.key()).await.unwrap(), Some(task));
}
