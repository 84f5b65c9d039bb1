//! On-demand maximums (`OnDemandThroughput`) on `CreateTable`, `UpdateTable` and
//! `DescribeTable`: the table's on every backend, a global index's on MemoryBackend and
//! notes-local (the test server keeps only the table's), and DynamoDB's refusals in its
//! wording. Enforcement is `throttling.rs`.

use super::*;

use notes_repo::{IndexKind, IndexProjection, IndexSchema};

notes_tests::on_every_backend!(
    a_tables_maximums_are_set_changed_member_by_member_and_removed,
    maximums_are_for_on_demand_tables_only,
    maximums_are_at_least_one_or_minus_one_to_remove;
    memory_only:
    a_global_indexs_maximums_are_set_and_removed,
    a_switch_to_provisioned_drops_the_maximums,
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

fn maximums(read: Option<i64>, write: Option<i64>) -> OnDemandThroughput {
    let mut max = OnDemandThroughput::new();
    max.max_read_request_units = read;
    max.max_write_request_units = write;
    max
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

/// "To specify a maximum OnDemandThroughput on your table, set the value of
/// MaxReadRequestUnits as greater than or equal to 1. To remove the maximum
/// OnDemandThroughput that is currently set on your table, set the value of
/// MaxReadRequestUnits to -1" (API_OnDemandThroughput): an update changes only the members it
/// gives; a description shows no member for no maximum (DynamoDB's -1).
async fn a_tables_maximums_are_set_changed_member_by_member_and_removed<B: Backend>(
    backend: B,
    table: &str,
) {
    let create =
        CreateTable::new(table, schema()).on_demand_throughput(maximums(Some(100), Some(50)));
    let created = backend.create_table(create).await.unwrap();
    assert_eq!(
        created.on_demand_throughput,
        Some(maximums(Some(100), Some(50)))
    );
    wait_until_active(&backend, table).await;
    assert_eq!(
        described(&backend, table).await.on_demand_throughput,
        Some(maximums(Some(100), Some(50)))
    );

    let no_write_maximum = UpdateTable::new(table).on_demand_throughput(maximums(None, Some(-1)));
    let answer = backend.update_table(no_write_maximum).await.unwrap();
    assert_eq!(answer.on_demand_throughput, Some(maximums(Some(100), None)));
    wait_until_active(&backend, table).await;
    assert_eq!(
        described(&backend, table).await.on_demand_throughput,
        Some(maximums(Some(100), None))
    );

    let more_reads = UpdateTable::new(table).on_demand_throughput(maximums(Some(250), None));
    backend.update_table(more_reads).await.unwrap();
    wait_until_active(&backend, table).await;
    assert_eq!(
        described(&backend, table).await.on_demand_throughput,
        Some(maximums(Some(250), None))
    );

    let none = UpdateTable::new(table).on_demand_throughput(maximums(Some(-1), None));
    backend.update_table(none).await.unwrap();
    wait_until_active(&backend, table).await;
    assert_eq!(described(&backend, table).await.on_demand_throughput, None);
}

/// DynamoDB's answers (as the test server captured them from it): "MaxWriteRequestUnits for
/// OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED." on
/// `CreateTable`, "... when the table BillingMode is PROVISIONED" on `UpdateTable`.
async fn maximums_are_for_on_demand_tables_only<B: Backend>(backend: B, table: &str) {
    let five = BillingMode::Provisioned {
        read_capacity_units: 5,
        write_capacity_units: 5,
    };
    let create = CreateTable::new(table, schema())
        .billing_mode(five)
        .on_demand_throughput(maximums(None, Some(10)));
    assert_eq!(
        refused(backend.create_table(create).await),
        "One or more parameter values were invalid: MaxWriteRequestUnits for \
         OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED."
    );
    // An empty one is as none.
    let create = CreateTable::new(table, schema())
        .billing_mode(five)
        .on_demand_throughput(OnDemandThroughput::new());
    backend.create_table(create).await.unwrap();
    wait_until_active(&backend, table).await;
    let update = UpdateTable::new(table).on_demand_throughput(maximums(Some(10), Some(10)));
    assert_eq!(
        refused(backend.update_table(update).await),
        "One or more parameter values were invalid: MaxReadRequestUnits for \
         OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED"
    );
    // Switched to on demand in the same request, it has them.
    let switch = UpdateTable::new(table)
        .billing_mode(BillingMode::PayPerRequest)
        .on_demand_throughput(maximums(Some(10), Some(10)));
    backend.update_table(switch).await.unwrap();
    wait_until_active(&backend, table).await;
    assert_eq!(
        described(&backend, table).await.on_demand_throughput,
        Some(maximums(Some(10), Some(10)))
    );
}

/// "Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid
/// range": below 1 at creation; below 1 and not -1 in an update.
async fn maximums_are_at_least_one_or_minus_one_to_remove<B: Backend>(backend: B, table: &str) {
    for (max, member) in [
        (maximums(Some(0), None), "MaxReadRequestUnits"),
        (maximums(Some(5), Some(-1)), "MaxWriteRequestUnits"),
    ] {
        let create = CreateTable::new(table, schema()).on_demand_throughput(max);
        assert_eq!(
            refused(backend.create_table(create).await),
            format!(
                "One or more parameter values were invalid: Requested {member} for \
                 OnDemandThroughput for table is outside of valid range"
            )
        );
    }
    notes_table(&backend, table).await;
    for (max, member) in [
        (maximums(Some(-2), None), "MaxReadRequestUnits"),
        (maximums(Some(1), Some(0)), "MaxWriteRequestUnits"),
    ] {
        let update = UpdateTable::new(table).on_demand_throughput(max);
        assert_eq!(
            refused(backend.update_table(update).await),
            format!(
                "One or more parameter values were invalid: Requested {member} for \
                 OnDemandThroughput for table is outside of valid range"
            )
        );
    }
    assert_eq!(described(&backend, table).await.on_demand_throughput, None);
}

/// "You can set maximum read or write throughput individually for any on-demand table or
/// individual global secondary index" (developer guide, on-demand maximum throughput). The
/// test server keeps only the table's.
async fn a_global_indexs_maximums_are_set_and_removed<B: Backend>(backend: B, table: &str) {
    let create = CreateTable::new(table, schema())
        .indexes(vec![by_status()])
        .index_on_demand_throughput("byStatus", maximums(Some(20), None));
    backend.create_table(create).await.unwrap();
    wait_until_active(&backend, table).await;
    let table_description = described(&backend, table).await;
    assert_eq!(table_description.on_demand_throughput, None);
    assert_eq!(
        table_description.index_on_demand_throughput,
        [("byStatus".to_owned(), maximums(Some(20), None))].into()
    );
    let change =
        UpdateTable::new(table).index_on_demand_throughput("byStatus", maximums(Some(-1), Some(7)));
    backend.update_table(change).await.unwrap();
    wait_until_active(&backend, table).await;
    assert_eq!(
        described(&backend, table).await.index_on_demand_throughput,
        [("byStatus".to_owned(), maximums(None, Some(7)))].into()
    );
    let remove =
        UpdateTable::new(table).index_on_demand_throughput("byStatus", maximums(None, Some(-1)));
    backend.update_table(remove).await.unwrap();
    wait_until_active(&backend, table).await;
    assert!(
        described(&backend, table)
            .await
            .index_on_demand_throughput
            .is_empty()
    );
    // An index the table does not have.
    let unknown =
        UpdateTable::new(table).index_on_demand_throughput("byTag", maximums(Some(1), None));
    assert_eq!(
        refused(backend.update_table(unknown).await),
        "This operation cannot be performed with given input values. Please contact DynamoDB \
         service team for more info: Action Blocked: IndexUpdate"
    );
    let create = CreateTable::new(format!("{table}-2"), schema())
        .indexes(vec![by_status()])
        .index_on_demand_throughput("byStatus", maximums(Some(0), None));
    assert_eq!(
        refused(backend.create_table(create).await),
        "One or more parameter values were invalid: Requested MaxReadRequestUnits for \
         OnDemandThroughput for index byStatus is outside of valid range"
    );
}

/// Maximums are an on-demand table's: switched to provisioned, it has none, and switched
/// back it starts without them.
async fn a_switch_to_provisioned_drops_the_maximums<B: Backend>(backend: B, table: &str) {
    let create = CreateTable::new(table, schema())
        .indexes(vec![by_status()])
        .on_demand_throughput(maximums(Some(10), Some(10)))
        .index_on_demand_throughput("byStatus", maximums(Some(5), None));
    backend.create_table(create).await.unwrap();
    wait_until_active(&backend, table).await;
    let five = ProvisionedThroughput::new(5, 5);
    let to_provisioned = UpdateTable::new(table)
        .billing_mode(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5,
        })
        .index_throughput("byStatus", five);
    backend.update_table(to_provisioned).await.unwrap();
    wait_until_active(&backend, table).await;
    let provisioned = described(&backend, table).await;
    assert_eq!(provisioned.on_demand_throughput, None);
    assert!(provisioned.index_on_demand_throughput.is_empty());
    let back = UpdateTable::new(table).billing_mode(BillingMode::PayPerRequest);
    backend.update_table(back).await.unwrap();
    wait_until_active(&backend, table).await;
    assert_eq!(described(&backend, table).await.on_demand_throughput, None);
}
