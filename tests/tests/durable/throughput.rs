//! On-demand maximums and warm throughput survive a restart and a compaction, the table's
//! and each global index's, and a backup's: a table restored after the restart has the
//! source's maximums.

use notes_repo::request::{
    BillingMode, CreateTable, DescribeTable, OnDemandThroughput, ProvisionedThroughput,
    TableDescription, TableStatus, UpdateTable, WarmThroughput, WarmThroughputDescription,
};
use notes_repo::{
    Backend, IndexKind, IndexProjection, IndexSchema, Item, KeyAttribute, KeySchema, MemoryBackend,
    Note, Repo, ScalarType,
};
use notes_tests::durable_support::TempDir;

/// The on-demand `notes` table with the global index `byStatus`, its maximums and warm
/// throughput set at creation and changed once.
async fn throughput_settings(backend: &MemoryBackend) -> TableDescription {
    let by_status = IndexSchema {
        name: "byStatus".into(),
        kind: IndexKind::Global,
        key_schema: KeySchema {
            partition_key: KeyAttribute::new("status", ScalarType::S),
            sort_key: None,
        },
        projection: IndexProjection::KeysOnly,
        additional_keys: Default::default(),
    };
    let create = CreateTable::new("notes", Note::KEY_SCHEMA)
        .indexes(vec![by_status])
        .on_demand_throughput(
            OnDemandThroughput::new()
                .max_read_request_units(100)
                .max_write_request_units(50),
        )
        .index_on_demand_throughput(
            "byStatus",
            OnDemandThroughput::new().max_read_request_units(20),
        )
        .warm_throughput(WarmThroughput::new(30_000, 8_000))
        .index_warm_throughput("byStatus", WarmThroughput::new(20_000, 5_000));
    backend.create_table(create).await.unwrap();
    let update = UpdateTable::new("notes")
        .on_demand_throughput(
            OnDemandThroughput::new().max_write_request_units(OnDemandThroughput::REMOVE),
        )
        .warm_throughput(WarmThroughput::default().read_units_per_second(40_000));
    backend.update_table(update).await.unwrap();
    let described = backend
        .describe_table(DescribeTable::new("notes"))
        .await
        .unwrap();
    assert_eq!(
        described.on_demand_throughput,
        Some(OnDemandThroughput::new().max_read_request_units(100))
    );
    assert_eq!(
        described.warm_throughput,
        Some(WarmThroughputDescription::new(
            40_000,
            8_000,
            TableStatus::Active
        ))
    );
    described
}

#[tokio::test]
async fn maximums_and_warm_throughput_survive_a_restart_a_compaction_and_a_backup() {
    let dir = TempDir::new("reopen-throughput");
    let (before, backup) = {
        let backend = MemoryBackend::open(dir.path()).unwrap();
        let before = throughput_settings(&backend).await;
        let repo: Repo<Note, _> = Repo::new(backend.clone());
        let backup = repo.create_backup("with-maximums").await.unwrap();
        (before, backup.summary.backup_arn)
    };
    let reopened = MemoryBackend::open(dir.path()).unwrap();
    let after = reopened
        .describe_table(DescribeTable::new("notes"))
        .await
        .unwrap();
    assert_eq!(after, before);
    drop(reopened);

    // Compacted at open (the journal is past a 1-byte limit): the snapshot keeps them too.
    let compacted = MemoryBackend::builder()
        .journal_limit(1)
        .open(dir.path())
        .unwrap();
    assert_eq!(compacted.storage_stats().unwrap().compactions, 1);
    drop(compacted);
    let backend = MemoryBackend::open(dir.path()).unwrap();
    let after = backend
        .describe_table(DescribeTable::new("notes"))
        .await
        .unwrap();
    assert_eq!(after, before);

    // The backup kept its table's maximums; the restored table starts warm as a new one.
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    let restored = repo
        .restore_from_backup(&backup, "restored")
        .await
        .unwrap()
        .describe_table()
        .await
        .unwrap();
    assert_eq!(restored.on_demand_throughput, before.on_demand_throughput);
    assert_eq!(
        restored.index_on_demand_throughput,
        before.index_on_demand_throughput
    );
    assert_eq!(
        restored.warm_throughput,
        Some(WarmThroughputDescription::new(
            12_000,
            4_000,
            TableStatus::Active
        ))
    );
    // And a table's settings changed after the restart are journaled again.
    let note = Note::new("u1", "kept");
    repo.put(&note).await.unwrap();
    let update = UpdateTable::new("notes")
        .billing_mode(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5,
        })
        .index_throughput("byStatus", ProvisionedThroughput::new(5, 5));
    backend.update_table(update).await.unwrap();
    drop((repo, backend));
    let backend = MemoryBackend::open(dir.path()).unwrap();
    let described = backend
        .describe_table(DescribeTable::new("notes"))
        .await
        .unwrap();
    assert_eq!(described.on_demand_throughput, None);
    assert!(described.index_on_demand_throughput.is_empty());
    // Warm throughput is never lowered by a switch to provisioned.
    assert_eq!(described.warm_throughput, before.warm_throughput);
    let repo: Repo<Note, _> = Repo::new(backend);
    assert_eq!(repo.get(&note.key()).await.unwrap(), Some(note));
}
