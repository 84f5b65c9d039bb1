//! Changing capacity through the typed API: provisioned throughput, billing mode, per-index
//! throughput, and DynamoDB's limits on them.

use std::time::{Duration, SystemTime};

use notes_repo::request::{BillingMode, ProvisionedThroughput};
use notes_repo::{Backend, Error, ManualClock, MemoryBackend, Note, Repo};

use crate::indexes::Task;

notes_tests::on_every_backend!(
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
