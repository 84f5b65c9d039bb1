//! `UpdateTable`: billing mode switches and provisioned throughput changes, with DynamoDB's
//! validation; the per-day limits on a clock MemoryBackend is given.

use super::*;

use std::borrow::Cow;
use std::time::SystemTime;

use notes_repo::{IndexKind, IndexProjection, IndexSchema, ManualClock};

notes_tests::on_every_backend!(
    update_table_changes_the_provisioned_units,
    update_table_switches_between_on_demand_and_provisioned,
    update_table_refuses_units_below_one_or_out_of_bounds,
    update_table_to_the_same_units_is_refused,
    update_table_needs_something_to_change,
    update_table_of_a_missing_table_is_table_not_found,
    provisioned_global_indexes_report_their_throughput,
    ;
    memory_only:
    global_index_throughput_is_updated_and_described,
    switching_to_provisioned_needs_units_for_every_global_index,
    an_on_demand_table_takes_no_index_units,
);

fn provisioned(read: i64, write: i64) -> BillingMode {
    BillingMode::Provisioned {
        read_capacity_units: read,
        write_capacity_units: write,
    }
}

/// A global index `byStatus` on `status` (S).
fn by_status() -> IndexSchema {
    IndexSchema {
        name: Cow::Borrowed("byStatus"),
        kind: IndexKind::Global,
        key_schema: KeySchema {
            partition_key: KeyAttribute::new("status", ScalarType::S),
            sort_key: None,
        },
        projection: IndexProjection::All,
        additional_keys: Default::default(),
    }
}

/// A notes table with the global index `byStatus`, billed as `mode`.
async fn indexed<B: Backend>(backend: &B, table: &str, mode: BillingMode) {
    backend
        .create_table(
            CreateTable::new(table, schema())
                .billing_mode(mode)
                .indexes(vec![by_status()]),
        )
        .await
        .expect("create table");
    wait_until_active(backend, table).await;
}

async fn billing<B: Backend>(backend: &B, table: &str) -> Option<BillingMode> {
    wait_until_active(backend, table).await;
    backend
        .describe_table(DescribeTable::new(table))
        .await
        .expect("describe")
        .billing_mode
}

async fn update_table_changes_the_provisioned_units<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let answer = backend
        .update_table(UpdateTable::new(table).billing_mode(provisioned(10, 40)))
        .await
        .unwrap();
    // DynamoDB answers UPDATING, still showing the units being replaced.
    assert_eq!(answer.status, TableStatus::Updating);
    assert_eq!(answer.billing_mode, Some(provisioned(5, 5)));
    assert_eq!(billing(&backend, table).await, Some(provisioned(10, 40)));
    // A decrease is a change too.
    backend
        .update_table(UpdateTable::new(table).billing_mode(provisioned(1, 2)))
        .await
        .unwrap();
    assert_eq!(billing(&backend, table).await, Some(provisioned(1, 2)));
}

async fn update_table_switches_between_on_demand_and_provisioned<B: Backend>(
    backend: B,
    table: &str,
) {
    notes_table(&backend, table).await;
    backend
        .update_table(UpdateTable::new(table).billing_mode(provisioned(5, 5)))
        .await
        .unwrap();
    assert_eq!(billing(&backend, table).await, Some(provisioned(5, 5)));
    backend
        .update_table(UpdateTable::new(table).billing_mode(BillingMode::PayPerRequest))
        .await
        .unwrap();
    assert_eq!(
        billing(&backend, table).await,
        Some(BillingMode::PayPerRequest)
    );
}

async fn update_table_refuses_units_below_one_or_out_of_bounds<B: Backend>(
    backend: B,
    table: &str,
) {
    notes(&backend, table).await;
    let err = backend
        .update_table(UpdateTable::new(table).billing_mode(provisioned(0, 5)))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' \
         failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    let err = backend
        .update_table(UpdateTable::new(table).billing_mode(provisioned(0, -1)))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "2 validation errors detected: Value '-1' at 'provisionedThroughput.writeCapacityUnits' \
         failed to satisfy constraint: Member must have value greater than or equal to 1; \
         Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: \
         Member must have value greater than or equal to 1"
    );
    let err = backend
        .update_table(UpdateTable::new(table).billing_mode(provisioned(1_000_000_000_001, 5)))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "Given value 1000000000001 for ReadCapacityUnits is out of bounds"
    );
    assert_eq!(billing(&backend, table).await, Some(provisioned(5, 5)));
}

async fn update_table_to_the_same_units_is_refused<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let err = backend
        .update_table(UpdateTable::new(table).billing_mode(provisioned(5, 5)))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "The provisioned throughput for the table will not change. The requested value equals \
         the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested \
         ReadCapacityUnits: 5. Current WriteCapacityUnits provisioned for the table: 5. \
         Requested WriteCapacityUnits: 5. Refer to the Amazon DynamoDB Developer Guide for \
         current limits and how to request higher limits."
    );
}

async fn update_table_needs_something_to_change<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let err = backend
        .update_table(UpdateTable::new(table))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, \
         GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required"
    );
}

async fn update_table_of_a_missing_table_is_table_not_found<B: Backend>(backend: B, table: &str) {
    let err = backend
        .update_table(UpdateTable::new(table).billing_mode(provisioned(5, 5)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TableNotFound { table: t, .. } if t == table),
        "{err:?}"
    );
}

async fn provisioned_global_indexes_report_their_throughput<B: Backend>(backend: B, table: &str) {
    indexed(&backend, table, provisioned(5, 5)).await;
    let described = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    assert_eq!(
        described.index_throughput,
        [("byStatus".to_owned(), ProvisionedThroughput::new(5, 5))].into()
    );
    let on_demand = server_support::table_name("on_demand_indexes");
    indexed(&backend, &on_demand, BillingMode::PayPerRequest).await;
    let described = backend
        .describe_table(DescribeTable::new(on_demand))
        .await
        .unwrap();
    assert!(described.index_throughput.is_empty(), "{described:?}");
}

// MemoryBackend only: dynoxide 3.2.0 accepts a global index's throughput update but keeps
// the units the index was created with (`update_table.rs` applies only Create and Delete).
async fn global_index_throughput_is_updated_and_described<B: Backend>(backend: B, table: &str) {
    indexed(&backend, table, provisioned(5, 5)).await;
    backend
        .update_table(
            UpdateTable::new(table).index_throughput("byStatus", ProvisionedThroughput::new(20, 3)),
        )
        .await
        .unwrap();
    let described = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    assert_eq!(
        described.index_throughput["byStatus"],
        ProvisionedThroughput::new(20, 3)
    );
    assert_eq!(described.billing_mode, Some(provisioned(5, 5)));
    let err = backend
        .update_table(
            UpdateTable::new(table).index_throughput("byNothing", ProvisionedThroughput::new(1, 1)),
        )
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "This operation cannot be performed with given input values. Please contact DynamoDB \
         service team for more info: Action Blocked: IndexUpdate"
    );
    let err = backend
        .update_table(
            UpdateTable::new(table).index_throughput("byStatus", ProvisionedThroughput::new(0, 1)),
        )
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "1 validation error detected: Value '0' at \
         'globalSecondaryIndexUpdates.1.member.update.provisionedThroughput.readCapacityUnits' \
         failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
}

// MemoryBackend only: dynoxide 3.2.0 switches a table with global indexes to provisioned
// without their units; DynamoDB requires them.
async fn switching_to_provisioned_needs_units_for_every_global_index<B: Backend>(
    backend: B,
    table: &str,
) {
    indexed(&backend, table, BillingMode::PayPerRequest).await;
    let err = backend
        .update_table(UpdateTable::new(table).billing_mode(provisioned(5, 5)))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "One or more parameter values were invalid: ProvisionedThroughput must be specified for \
         index: byStatus"
    );
    backend
        .update_table(
            UpdateTable::new(table)
                .billing_mode(provisioned(5, 5))
                .index_throughput("byStatus", ProvisionedThroughput::new(7, 8)),
        )
        .await
        .unwrap();
    let described = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    assert_eq!(
        described.index_throughput["byStatus"],
        ProvisionedThroughput::new(7, 8)
    );
}

// MemoryBackend only: dynoxide 3.2.0 validates only the table's units against
// PAY_PER_REQUEST.
async fn an_on_demand_table_takes_no_index_units<B: Backend>(backend: B, table: &str) {
    indexed(&backend, table, BillingMode::PayPerRequest).await;
    let err = backend
        .update_table(
            UpdateTable::new(table).index_throughput("byStatus", ProvisionedThroughput::new(5, 5)),
        )
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor \
         WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
    );
}

/// 2026-11-25T00:00:00Z, the start of a UTC day.
fn midnight() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(20_782 * 86_400)
}

fn limit_message(err: Error) -> String {
    match err {
        Error::LimitExceeded { message, .. } => message,
        other => panic!("expected LimitExceeded, got {other:?}"),
    }
}

// The limits are MemoryBackend's alone: dynoxide 3.2.0 does not model them, and a test on
// DynamoDB would wait hours.
#[tokio::test]
async fn decreases_are_limited_to_four_a_utc_day_then_one_an_hour() {
    let clock = ManualClock::new(midnight());
    let backend = MemoryBackend::builder().clock(clock.clone()).build();
    notes(&backend, "limits").await;
    backend
        .update_table(UpdateTable::new("limits").billing_mode(provisioned(100, 100)))
        .await
        .unwrap();
    // Increases are not limited; four decreases go through at once.
    for units in [90, 80, 70, 60] {
        clock.advance(Duration::from_secs(60));
        backend
            .update_table(UpdateTable::new("limits").billing_mode(provisioned(units, 100)))
            .await
            .unwrap();
    }
    clock.advance(Duration::from_secs(60));
    let err = backend
        .update_table(UpdateTable::new("limits").billing_mode(provisioned(50, 100)))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::LimitExceeded { table, .. } if table == "limits"));
    assert_eq!(
        limit_message(err),
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given \
         UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can \
         be performed at most once every 3600 seconds. Number of decreases today: 4. Last \
         decrease at Wednesday, November 25, 2026 12:04:00 AM UTC. Next decrease can be made at \
         Wednesday, November 25, 2026 1:04:00 AM UTC."
    );
    // An increase still goes through, and nothing was changed by the refusal.
    backend
        .update_table(UpdateTable::new("limits").billing_mode(provisioned(60, 200)))
        .await
        .unwrap();
    // An hour after the last decrease, a fifth; then again an hour later.
    clock.advance(Duration::from_secs(59 * 60 - 1));
    assert!(matches!(
        backend
            .update_table(UpdateTable::new("limits").billing_mode(provisioned(50, 200)))
            .await,
        Err(Error::LimitExceeded { .. })
    ));
    clock.advance(Duration::from_secs(1));
    backend
        .update_table(UpdateTable::new("limits").billing_mode(provisioned(50, 200)))
        .await
        .unwrap();
    // The next UTC day starts with four again.
    clock.advance(Duration::from_secs(24 * 3600));
    for units in [40, 30, 20, 10] {
        backend
            .update_table(UpdateTable::new("limits").billing_mode(provisioned(units, 200)))
            .await
            .unwrap();
    }
    assert_eq!(
        backend
            .describe_table(DescribeTable::new("limits"))
            .await
            .unwrap()
            .billing_mode,
        Some(provisioned(10, 200))
    );
}

#[tokio::test]
async fn switches_to_on_demand_are_limited_to_four_in_24_hours() {
    let clock = ManualClock::new(midnight());
    let backend = MemoryBackend::builder().clock(clock.clone()).build();
    notes(&backend, "switches").await;
    let to = |mode| UpdateTable::new("switches").billing_mode(mode);
    for _ in 0..4 {
        backend
            .update_table(to(BillingMode::PayPerRequest))
            .await
            .unwrap();
        clock.advance(Duration::from_secs(3600));
        // Back to provisioned: allowed at any time.
        backend.update_table(to(provisioned(5, 5))).await.unwrap();
    }
    let err = backend
        .update_table(to(BillingMode::PayPerRequest))
        .await
        .unwrap_err();
    assert_eq!(
        limit_message(err),
        "Subscriber limit exceeded: Update to PayPerRequest mode are limited to 4 times in 1 \
         day(s)."
    );
    // The window rolls: 24 hours after the first switch, one more.
    clock.advance(Duration::from_secs(20 * 3600));
    backend
        .update_table(to(BillingMode::PayPerRequest))
        .await
        .unwrap();
}

#[tokio::test]
async fn each_global_index_has_its_own_decreases() {
    let clock = ManualClock::new(midnight());
    let backend = MemoryBackend::builder().clock(clock.clone()).build();
    indexed(&backend, "gsi_limits", provisioned(100, 100)).await;
    let index = |read| {
        UpdateTable::new("gsi_limits")
            .index_throughput("byStatus", ProvisionedThroughput::new(read, 100))
    };
    for read in [90, 80, 70, 60] {
        backend.update_table(index(read)).await.unwrap();
    }
    let err = backend.update_table(index(50)).await.unwrap_err();
    assert!(limit_message(err).ends_with(" Index: byStatus."));
    // The table's own decreases are counted apart.
    backend
        .update_table(UpdateTable::new("gsi_limits").billing_mode(provisioned(50, 100)))
        .await
        .unwrap();
}
