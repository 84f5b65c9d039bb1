//! On-demand maximums and warm throughput through the typed API: `ensure_table`'s options,
//! `set_on_demand_maximum`, `set_index_on_demand_maximum`, `prewarm` and `prewarm_index`.
//! The test server keeps a table's maximums only: the rest runs on MemoryBackend and
//! notes-local.

use notes_repo::request::{
    BillingMode, OnDemandThroughput, TableStatus, WarmThroughput, WarmThroughputDescription,
};
use notes_repo::{Backend, Error, Note, Repo};

use crate::indexes::Task;

notes_tests::on_every_backend!(
    a_tables_maximum_is_set_at_creation_changed_and_removed;
    memory_only:
    an_index_maximum_and_warm_throughput_are_set_at_creation_and_changed,
    prewarm_only_ever_raises,
);

fn active(read: i64, write: i64) -> WarmThroughputDescription {
    WarmThroughputDescription::new(read, write, TableStatus::Active)
}

async fn a_tables_maximum_is_set_at_creation_changed_and_removed<B: Backend>(
    backend: B,
    table: &str,
) {
    let repo: Repo<Note, B> = Repo::with_table(backend, table.to_owned());
    let at_most = OnDemandThroughput::new()
        .max_read_request_units(500)
        .max_write_request_units(100);
    let created = repo
        .ensure_table(BillingMode::PayPerRequest)
        .on_demand_maximum(at_most)
        .await
        .unwrap();
    assert_eq!(created.on_demand_throughput, Some(at_most));
    // Already so: answered from the description.
    let same = repo.set_on_demand_maximum(at_most).await.unwrap();
    assert_eq!(same.on_demand_throughput, Some(at_most));
    let fewer_writes = OnDemandThroughput::new().max_write_request_units(20);
    let changed = repo.set_on_demand_maximum(fewer_writes).await.unwrap();
    assert_eq!(
        changed.on_demand_throughput,
        Some(at_most.max_write_request_units(20))
    );
    let none = OnDemandThroughput::new()
        .max_read_request_units(OnDemandThroughput::REMOVE)
        .max_write_request_units(OnDemandThroughput::REMOVE);
    let removed = repo.set_on_demand_maximum(none).await.unwrap();
    assert_eq!(removed.on_demand_throughput, None);
    // A provisioned table takes none.
    repo.set_billing_mode(BillingMode::Provisioned {
        read_capacity_units: 5,
        write_capacity_units: 5,
    })
    .await
    .unwrap();
    let err = repo.set_on_demand_maximum(at_most).await.unwrap_err();
    assert!(
        matches!(&err, Error::Validation { message, .. } if message ==
            "One or more parameter values were invalid: MaxReadRequestUnits for \
             OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED"),
        "{err:?}"
    );
}

async fn an_index_maximum_and_warm_throughput_are_set_at_creation_and_changed<B: Backend>(
    backend: B,
    table: &str,
) {
    let repo: Repo<Task, B> = Repo::with_table(backend, table.to_owned());
    let at_most = OnDemandThroughput::new().max_read_request_units(50);
    let created = repo
        .ensure_table(BillingMode::PayPerRequest)
        .index_on_demand_maximum(&Task::BY_STATUS, at_most)
        .warm_throughput(WarmThroughput::new(40_000, 10_000))
        .index_warm_throughput(&Task::BY_STATUS, WarmThroughput::new(20_000, 5_000))
        .await
        .unwrap();
    assert_eq!(created.on_demand_throughput, None);
    assert_eq!(
        created.index_on_demand_throughput,
        [("byStatus".to_owned(), at_most)].into()
    );
    assert_eq!(created.warm_throughput, Some(active(40_000, 10_000)));
    assert_eq!(
        created.index_warm_throughput["byStatus"],
        active(20_000, 5_000)
    );
    // The other global index starts as a new one.
    assert_eq!(
        created.index_warm_throughput["byAssignee"],
        active(12_000, 4_000)
    );
    let changed = repo
        .set_index_on_demand_maximum(
            &Task::BY_STATUS,
            OnDemandThroughput::new().max_write_request_units(5),
        )
        .await
        .unwrap();
    assert_eq!(
        changed.index_on_demand_throughput["byStatus"],
        at_most.max_write_request_units(5)
    );
    let warmer = repo
        .prewarm_index(&Task::BY_ASSIGNEE, WarmThroughput::new(30_000, 4_000))
        .await
        .unwrap();
    assert_eq!(
        warmer.index_warm_throughput["byAssignee"],
        active(30_000, 4_000)
    );
}

/// A table's warm throughput is never lowered: `prewarm` asks only for what would rise, and
/// sends nothing when nothing would.
async fn prewarm_only_ever_raises<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, B> = notes_tests::repo(backend, table).await;
    let table = repo.prewarm(WarmThroughput::new(50_000, 1)).await.unwrap();
    assert_eq!(table.warm_throughput, Some(active(50_000, 4_000)));
    let table = repo
        .prewarm(WarmThroughput::new(20_000, 4_000))
        .await
        .unwrap();
    assert_eq!(table.warm_throughput, Some(active(50_000, 4_000)));
    let table = repo
        .prewarm(WarmThroughput::default().write_units_per_second(9_000))
        .await
        .unwrap();
    assert_eq!(table.warm_throughput, Some(active(50_000, 9_000)));
}
