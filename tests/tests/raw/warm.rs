//! Warm throughput (`WarmThroughput`) on `CreateTable`, `UpdateTable` and `DescribeTable`:
//! DynamoDB's defaults, what creation and updates may ask, how it follows the throughput. The
//! test server keeps no warm throughput, so what a description reports is checked on
//! MemoryBackend and notes-local; the refusals `CreateTable` meets before anything is stored
//! run on every backend.

use super::*;

use notes_repo::{IndexKind, IndexProjection, IndexSchema};

notes_tests::on_every_backend!(
    warm_throughput_is_refused_below_what_a_new_table_has;
    memory_only:
    a_new_table_is_as_warm_as_dynamodb_makes_it,
    warm_throughput_is_set_at_creation_and_raised_by_updates,
    a_tables_warm_throughput_is_never_lowered,
    warm_throughput_follows_the_provisioned_units_up_and_never_down,
);

/// The global index `byStatus` (partition key `status`).
fn by_status() -> IndexSchema {
    IndexSchema {
        name: "byStatus".into(),
        kind: IndexKind::Global,
        key_schema: KeySchema {
            partition_key: KeyAttribute::new("status", ScalarType::S),
            sort_key: None,
        },
        projection: IndexProjection::KeysOnly,
        additional_keys: Default::default(),
    }
}

fn provisioned(read: i64, write: i64) -> BillingMode {
    BillingMode::Provisioned {
        read_capacity_units: read,
        write_capacity_units: write,
    }
}

fn active(read: i64, write: i64) -> WarmThroughputDescription {
    WarmThroughputDescription::new(read, write, TableStatus::Active)
}

async fn described<B: Backend>(backend: &B, table: &str) -> TableDescription {
    backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap()
}

/// The validation message of `result`.
fn refused<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Validation { message, .. }) => message,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// "New on-demand tables start with a warm throughput of 12,000 read units per second and
/// 4,000 write units per second"; a provisioned table's is its units (developer guide, warm
/// throughput scenarios): asking for less at creation is refused, in the wording the
/// `CreateTable` validation of DynamoDB's emulators answers. Each member is at least 1.
async fn warm_throughput_is_refused_below_what_a_new_table_has<B: Backend>(
    backend: B,
    table: &str,
) {
    let on_demand =
        CreateTable::new(table, schema()).warm_throughput(WarmThroughput::new(20_000, 3_999));
    assert_eq!(
        refused(backend.create_table(on_demand).await),
        "One or more parameter values were invalid: Requested WriteUnitsPerSecond for \
         WarmThroughput for table is lower than initial throughput for OnDemand"
    );
    let index = CreateTable::new(table, schema())
        .billing_mode(provisioned(5, 5))
        .indexes(vec![by_status()])
        .index_warm_throughput("byStatus", WarmThroughput::new(4, 5));
    assert_eq!(
        refused(backend.create_table(index).await),
        "One or more parameter values were invalid: Requested ReadUnitsPerSecond for \
         WarmThroughput for index byStatus is lower than ReadCapacityUnits of \
         ProvisionedThroughput"
    );
    let zero = CreateTable::new(table, schema())
        .billing_mode(provisioned(5, 5))
        .warm_throughput(WarmThroughput::default().read_units_per_second(0));
    assert_eq!(
        refused(backend.create_table(zero).await),
        "1 validation error detected: Value '0' at 'warmThroughput.readUnitsPerSecond' failed \
         to satisfy constraint: Member must have value greater than or equal to 1"
    );
    let enough = CreateTable::new(table, schema())
        .billing_mode(provisioned(5, 5))
        .warm_throughput(WarmThroughput::new(5, 100));
    backend.create_table(enough).await.unwrap();
}

/// "These values are available by default for all tables and global secondary indexes"
/// (developer guide, warm throughput).
async fn a_new_table_is_as_warm_as_dynamodb_makes_it<B: Backend>(backend: B, table: &str) {
    let create = CreateTable::new(table, schema()).indexes(vec![by_status()]);
    let created = backend.create_table(create).await.unwrap();
    assert_eq!(created.warm_throughput, Some(active(12_000, 4_000)));
    let on_demand = described(&backend, table).await;
    assert_eq!(on_demand.warm_throughput, Some(active(12_000, 4_000)));
    assert_eq!(
        on_demand.index_warm_throughput,
        [("byStatus".to_owned(), active(12_000, 4_000))].into()
    );
    let other = format!("{table}-provisioned");
    let create = CreateTable::new(&other, schema())
        .billing_mode(provisioned(5, 7))
        .indexes(vec![by_status()]);
    backend.create_table(create).await.unwrap();
    let provisioned = described(&backend, &other).await;
    assert_eq!(provisioned.warm_throughput, Some(active(5, 7)));
    assert_eq!(
        provisioned.index_warm_throughput,
        [("byStatus".to_owned(), active(5, 7))].into()
    );
}

/// "You can increase the warm throughput value for read operations, write operations, or
/// both ... for new and existing ... tables ... and GSIs" (developer guide, warm
/// throughput); "Updating your warm throughput value is an asynchronous task. The Status will
/// change from UPDATING to ACTIVE when the update is complete".
async fn warm_throughput_is_set_at_creation_and_raised_by_updates<B: Backend>(
    backend: B,
    table: &str,
) {
    let create = CreateTable::new(table, schema())
        .indexes(vec![by_status()])
        .warm_throughput(WarmThroughput::new(20_000, 5_000))
        .index_warm_throughput("byStatus", WarmThroughput::new(15_000, 6_000));
    backend.create_table(create).await.unwrap();
    let created = described(&backend, table).await;
    assert_eq!(created.warm_throughput, Some(active(20_000, 5_000)));
    assert_eq!(
        created.index_warm_throughput,
        [("byStatus".to_owned(), active(15_000, 6_000))].into()
    );
    let reads = UpdateTable::new(table)
        .warm_throughput(WarmThroughput::default().read_units_per_second(30_000));
    let answer = backend.update_table(reads).await.unwrap();
    assert_eq!(
        answer.warm_throughput,
        Some(WarmThroughputDescription::new(
            30_000,
            5_000,
            TableStatus::Updating
        ))
    );
    assert_eq!(
        answer.index_warm_throughput["byStatus"],
        active(15_000, 6_000)
    );
    assert_eq!(
        described(&backend, table).await.warm_throughput,
        Some(active(30_000, 5_000))
    );
    // A global index's may come down, to what a new one has.
    let index = UpdateTable::new(table)
        .index_warm_throughput("byStatus", WarmThroughput::new(12_000, 4_000));
    let answer = backend.update_table(index).await.unwrap();
    assert_eq!(
        answer.index_warm_throughput["byStatus"],
        WarmThroughputDescription::new(12_000, 4_000, TableStatus::Updating)
    );
    assert_eq!(
        described(&backend, table).await.index_warm_throughput,
        [("byStatus".to_owned(), active(12_000, 4_000))].into()
    );
    let below = UpdateTable::new(table)
        .index_warm_throughput("byStatus", WarmThroughput::new(11_000, 4_000));
    assert_eq!(
        refused(backend.update_table(below).await),
        "One or more parameter values were invalid: Requested ReadUnitsPerSecond for \
         WarmThroughput for index byStatus is lower than initial throughput for OnDemand"
    );
    let unknown =
        UpdateTable::new(table).index_warm_throughput("byTag", WarmThroughput::new(20_000, 5_000));
    assert_eq!(
        refused(backend.update_table(unknown).await),
        "This operation cannot be performed with given input values. Please contact DynamoDB \
         service team for more info: Action Blocked: IndexUpdate"
    );
}

/// "For the base table, this value cannot be decreased" (the AWS provider's documentation
/// of the API).
async fn a_tables_warm_throughput_is_never_lowered<B: Backend>(backend: B, table: &str) {
    let create =
        CreateTable::new(table, schema()).warm_throughput(WarmThroughput::new(20_000, 5_000));
    backend.create_table(create).await.unwrap();
    let lower = UpdateTable::new(table).warm_throughput(WarmThroughput::new(25_000, 4_999));
    assert_eq!(
        refused(backend.update_table(lower).await),
        "One or more parameter values were invalid: Requested WriteUnitsPerSecond for \
         WarmThroughput for table is lower than current WarmThroughput (5000)"
    );
    let zero = UpdateTable::new(table).warm_throughput(WarmThroughput::new(25_000, 0));
    assert_eq!(
        refused(backend.update_table(zero).await),
        "1 validation error detected: Value '0' at 'warmThroughput.writeUnitsPerSecond' \
         failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    assert_eq!(
        described(&backend, table).await.warm_throughput,
        Some(active(20_000, 5_000))
    );
}

/// "As you increase the provisioned throughput beyond these values, the warm throughput will
/// automatically adjust to the new higher values"; warm throughput is what the table has
/// scaled to, and a table switched to on demand serves at least what a new on-demand table
/// does.
async fn warm_throughput_follows_the_provisioned_units_up_and_never_down<B: Backend>(
    backend: B,
    table: &str,
) {
    let create = CreateTable::new(table, schema()).billing_mode(provisioned(5, 5));
    backend.create_table(create).await.unwrap();
    for (units, warm) in [
        ((100, 50), (100, 50)),
        ((10, 80), (100, 80)),
        ((1, 1), (100, 80)),
    ] {
        let update = UpdateTable::new(table).billing_mode(provisioned(units.0, units.1));
        backend.update_table(update).await.unwrap();
        assert_eq!(
            described(&backend, table).await.warm_throughput,
            Some(active(warm.0, warm.1)),
            "at {units:?}"
        );
    }
    let on_demand = UpdateTable::new(table).billing_mode(BillingMode::PayPerRequest);
    backend.update_table(on_demand).await.unwrap();
    assert_eq!(
        described(&backend, table).await.warm_throughput,
        Some(active(12_000, 4_000))
    );
    let back = UpdateTable::new(table).billing_mode(provisioned(5, 5));
    backend.update_table(back).await.unwrap();
    assert_eq!(
        described(&backend, table).await.warm_throughput,
        Some(active(12_000, 4_000))
    );
}
