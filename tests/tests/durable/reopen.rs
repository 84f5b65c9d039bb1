//! What a reopen recovers: every acknowledged write and table setting, writes before a
//! restart for point-in-time restores, restored and updated tables; a torn final record
//! dropped; a compacted journal, compacted while running or at open. (Moved from the
//! engine's unit tests, which use no `Repo`.)

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use notes_repo::request::{
    BillingMode, DescribeTable, PointInTimeRecovery, RestoreTime, UpdateTable, UpdateTimeToLive,
};
use notes_repo::{
    AttributeValue, Backend, Clock, Error, Item, ItemMap, ManualClock, MemoryBackend, Note, Repo,
};
use notes_tests::durable_support::TempDir;

/// The one journal file of `dir`.
pub(crate) fn only_journal(dir: &TempDir) -> PathBuf {
    let mut journals: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with("journal-")
        })
        .collect();
    assert_eq!(journals.len(), 1, "one journal file: {journals:?}");
    journals.pop().unwrap()
}

/// The `notes` table on `backend`, on demand.
pub(crate) async fn notes(backend: MemoryBackend) -> Repo<Note, MemoryBackend> {
    let repo = Repo::new(backend);
    repo.ensure_table(BillingMode::PayPerRequest).await.unwrap();
    repo
}

fn note(user: &str, content: &str) -> Note {
    Note::new(user, content)
}

#[tokio::test]
async fn a_reopened_store_has_every_acknowledged_write_and_table_setting() {
    let dir = TempDir::new("reopen-reopen");
    let kept = note("u1", "kept");
    let deleted = note("u1", "deleted");
    let updated = note("u2", "before");
    {
        let repo = notes(MemoryBackend::open(dir.path()).unwrap()).await;
        for n in [&kept, &deleted, &updated] {
            repo.put(n).await.unwrap();
        }
        repo.delete(&deleted.key()).await.unwrap();
        repo.update(&updated.key())
            .apply(Note::CONTENT.set("after"))
            .if_exists()
            .await
            .unwrap();
        repo.backend()
            .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true))
            .await
            .unwrap();
        repo.enable_point_in_time_recovery().await.unwrap();
        repo.set_billing_mode(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5,
        })
        .await
        .unwrap();
        let other: Repo<Note, _> = Repo::with_table(repo.backend().clone(), "gone");
        other.create_table_on_demand().await.unwrap();
        other.put(&note("u3", "in a deleted table")).await.unwrap();
        other.delete_table().await.unwrap();
    }
    // Twice: a recovered store recovers again.
    for _ in 0..2 {
        let backend = MemoryBackend::open(dir.path()).unwrap();
        let repo: Repo<Note, _> = Repo::new(backend.clone());
        assert_eq!(repo.get(&kept.key()).await.unwrap(), Some(kept.clone()));
        assert_eq!(repo.get(&deleted.key()).await.unwrap(), None);
        let content = repo.get(&updated.key()).await.unwrap().unwrap().content;
        assert_eq!(content, "after");
        let description = repo.verify_table().await.unwrap();
        assert_eq!(
            description.billing_mode,
            Some(BillingMode::Provisioned {
                read_capacity_units: 5,
                write_capacity_units: 5
            })
        );
        assert_eq!(description.item_count, Some(2));
        assert!(repo.point_in_time_recovery().await.unwrap().is_enabled());
        // Time to live is still on `expiresAt`: another attribute is refused.
        let ttl = backend
            .update_time_to_live(UpdateTimeToLive::new("notes", "other", true))
            .await
            .unwrap_err();
        assert!(matches!(ttl, Error::Validation { .. }), "{ttl:?}");
        let gone = backend
            .describe_table(DescribeTable::new("gone"))
            .await
            .unwrap_err();
        assert!(matches!(gone, Error::TableNotFound { .. }));
    }
}

#[tokio::test]
async fn point_in_time_restores_reach_writes_made_before_a_restart() {
    let dir = TempDir::new("reopen-pitr");
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000));
    let first = note("u1", "first");
    let second = note("u1", "second");
    let between;
    {
        let backend = MemoryBackend::builder()
            .clock(clock.clone())
            .open(dir.path());
        let repo = notes(backend.unwrap()).await;
        repo.enable_point_in_time_recovery().await.unwrap();
        clock.advance(Duration::from_secs(10));
        repo.put(&first).await.unwrap();
        clock.advance(Duration::from_secs(10));
        between = Clock::now(&clock);
        clock.advance(Duration::from_secs(10));
        repo.put(&second).await.unwrap();
    }
    // Past the latest restorable time (5 minutes behind).
    clock.advance(Duration::from_secs(310));
    let backend = MemoryBackend::builder()
        .clock(clock.clone())
        .open(dir.path());
    let repo: Repo<Note, _> = Repo::new(backend.unwrap());
    let restored = repo
        .restore_to_point_in_time("restored", RestoreTime::At(between))
        .await
        .unwrap();
    assert_eq!(restored.get(&first.key()).await.unwrap(), Some(first));
    assert_eq!(restored.get(&second.key()).await.unwrap(), None);
    let PointInTimeRecovery::Enabled {
        earliest_restorable,
        ..
    } = repo.point_in_time_recovery().await.unwrap()
    else {
        panic!("recovery is still on after a restart");
    };
    assert!(earliest_restorable <= between);
}

#[tokio::test]
async fn a_torn_final_record_is_dropped_and_every_complete_record_kept() {
    let dir = TempDir::new("reopen-torn");
    let notes_written: Vec<_> = (0..5).map(|i| note("u1", &format!("n{i}"))).collect();
    {
        let repo = notes(MemoryBackend::open(dir.path()).unwrap()).await;
        for n in &notes_written {
            repo.put(n).await.unwrap();
        }
    }
    // Cut the last record in half: the crash happened while it was written.
    let journal = only_journal(&dir);
    let len = std::fs::metadata(&journal).unwrap().len();
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(&journal)
        .unwrap();
    file.set_len(len - 20).unwrap();
    drop(file);
    {
        let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
        for n in &notes_written[..4] {
            assert_eq!(repo.get(&n.key()).await.unwrap(), Some(n.clone()));
        }
        assert_eq!(repo.get(&notes_written[4].key()).await.unwrap(), None);
        // The store takes writes after the truncated record.
        repo.put(&notes_written[4]).await.unwrap();
    }
    // Garbage after the last record.
    let mut bytes = std::fs::read(only_journal(&dir)).unwrap();
    bytes.extend_from_slice(&[0x42; 37]);
    std::fs::write(only_journal(&dir), bytes).unwrap();
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
    for n in &notes_written {
        assert_eq!(repo.get(&n.key()).await.unwrap(), Some(n.clone()));
    }
}

#[tokio::test]
async fn the_journal_is_compacted_and_a_compacted_store_recovers() {
    let dir = TempDir::new("reopen-compact");
    let written: Vec<_> = (0..300).map(|i| note("u1", &format!("n{i}"))).collect();
    {
        let backend = MemoryBackend::builder()
            .journal_limit(4096)
            .open(dir.path())
            .unwrap();
        let repo = notes(backend.clone()).await;
        for n in &written {
            repo.put(n).await.unwrap();
        }
        for n in &written[..100] {
            repo.delete(&n.key()).await.unwrap();
        }
        assert!(backend.storage_stats().unwrap().compactions > 0);
        only_journal(&dir); // one generation left
    }
    let backend = MemoryBackend::builder()
        .journal_limit(4096)
        .open(dir.path())
        .unwrap();
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    for n in &written[..100] {
        assert_eq!(repo.get(&n.key()).await.unwrap(), None);
    }
    for n in &written[100..] {
        assert_eq!(repo.get(&n.key()).await.unwrap(), Some(n.clone()));
    }
}

#[tokio::test]
async fn a_store_compacted_at_open_recovers() {
    let dir = TempDir::new("reopen-compact-open");
    let written: Vec<_> = (0..20).map(|i| note("u1", &format!("n{i}"))).collect();
    {
        let repo = notes(MemoryBackend::open(dir.path()).unwrap()).await;
        for n in &written {
            repo.put(n).await.unwrap();
        }
    }
    // The journal is past a 1-byte limit: this open compacts it.
    let backend = MemoryBackend::builder()
        .journal_limit(1)
        .open(dir.path())
        .unwrap();
    assert_eq!(backend.storage_stats().unwrap().compactions, 1);
    drop(backend);
    only_journal(&dir); // one generation left
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::open(dir.path()).unwrap());
    for n in &written {
        assert_eq!(repo.get(&n.key()).await.unwrap(), Some(n.clone()));
    }
}

#[tokio::test]
async fn a_restored_table_and_an_update_table_survive_a_restart() {
    let dir = TempDir::new("reopen-restore");
    let kept = note("u1", "kept");
    {
        let repo = notes(MemoryBackend::open(dir.path()).unwrap()).await;
        repo.put(&kept).await.unwrap();
        let backup = repo.create_backup("backup-1").await.unwrap();
        repo.restore_from_backup(&backup.summary.backup_arn, "restored")
            .await
            .unwrap();
        repo.backend()
            .update_table(
                UpdateTable::new("notes").billing_mode(BillingMode::Provisioned {
                    read_capacity_units: 3,
                    write_capacity_units: 4,
                }),
            )
            .await
            .unwrap();
    }
    let backend = MemoryBackend::open(dir.path()).unwrap();
    let restored: Repo<Note, _> = Repo::with_table(backend.clone(), "restored");
    assert_eq!(restored.get(&kept.key()).await.unwrap(), Some(kept));
    let description = backend
        .describe_table(DescribeTable::new("notes"))
        .await
        .unwrap();
    assert_eq!(
        description.billing_mode,
        Some(BillingMode::Provisioned {
            read_capacity_units: 3,
            write_capacity_units: 4
        })
    );
}

#[tokio::test]
async fn an_in_memory_backend_has_no_directory_and_no_stats() {
    let backend = MemoryBackend::new();
    assert_eq!(backend.directory(), None);
    assert_eq!(backend.storage_stats(), None);
    let _: ItemMap = ItemMap::from([("a".to_owned(), AttributeValue::Null(true))]);
}

/// `events` keyed by `id` (S), with `byPlace`: `tenant`, `region` (S) / `year`, `month` (N).
fn events_with_a_multi_attribute_index() -> notes_repo::request::CreateTable {
    use notes_model::AdditionalKeys;
    use notes_repo::{
        IndexKind, IndexProjection, IndexSchema, KeyAttribute, KeySchema, ScalarType,
    };

    let by_place = IndexSchema {
        name: "byPlace".into(),
        kind: IndexKind::Global,
        key_schema: KeySchema {
            partition_key: KeyAttribute::new("tenant", ScalarType::S),
            sort_key: Some(KeyAttribute::new("year", ScalarType::N)),
        },
        projection: IndexProjection::KeysOnly,
        additional_keys: AdditionalKeys {
            partition_key: vec![KeyAttribute::new("region", ScalarType::S)].into(),
            sort_key: vec![KeyAttribute::new("month", ScalarType::N)].into(),
        },
    };
    let table = KeySchema {
        partition_key: KeyAttribute::new("id", ScalarType::S),
        sort_key: None,
    };
    notes_repo::request::CreateTable::new("events", table)
        .billing_mode(BillingMode::PayPerRequest)
        .indexes(vec![by_place])
}

/// The ids `byPlace` holds of `(t1, eu)` in `table`, in its order.
async fn placed_ids(backend: &MemoryBackend, table: &str) -> Vec<AttributeValue> {
    use notes_repo::expr::KeyCondition;
    use notes_repo::request::Query;

    let key_condition = KeyCondition::partition("tenant", AttributeValue::S("t1".into()))
        .and_partition_key("region", AttributeValue::S("eu".into()));
    let page = backend
        .query(Query::new(table, key_condition).index_name("byPlace"))
        .await
        .unwrap();
    page.items.iter().map(|item| item["id"].clone()).collect()
}

/// A multi-attribute index key is journaled with its table and its backup (`INDEX_KEYS`), and
/// comes back after a restart, after compaction, and in a restore of the backup.
#[tokio::test]
async fn a_multi_attribute_index_survives_a_restart_compaction_and_a_restore() {
    use notes_repo::request::{CreateBackup, RestoreTableFromBackup};

    let dir = TempDir::new("reopen-multi-key");
    let event = |id: &str, month: &str| {
        ItemMap::from([
            ("id".to_owned(), AttributeValue::S(id.into())),
            ("tenant".to_owned(), AttributeValue::S("t1".into())),
            ("region".to_owned(), AttributeValue::S("eu".into())),
            ("year".to_owned(), AttributeValue::N("2026".into())),
            ("month".to_owned(), AttributeValue::N(month.into())),
        ])
    };
    let expected: Vec<AttributeValue> = ["feb", "sep", "oct"]
        .map(|id| AttributeValue::S(id.into()))
        .to_vec();
    let create = events_with_a_multi_attribute_index();
    let backup = {
        let backend = MemoryBackend::open(dir.path()).unwrap();
        backend.create_table(create.clone()).await.unwrap();
        for (id, month) in [("oct", "10"), ("feb", "2"), ("sep", "9")] {
            let put = notes_repo::request::PutItem::new("events", event(id, month));
            backend.put_item(put).await.unwrap();
        }
        let backup = backend
            .create_backup(CreateBackup::new("events", "before"))
            .await
            .unwrap();
        assert_eq!(placed_ids(&backend, "events").await, expected);
        backup.summary.backup_arn
    };
    for journal_limit in [u64::MAX, 1] {
        // The second open compacts the journal: the snapshot keeps the keys too.
        let backend = MemoryBackend::builder()
            .journal_limit(journal_limit)
            .open(dir.path())
            .unwrap();
        let compactions = backend.storage_stats().unwrap().compactions;
        assert_eq!(compactions, u64::from(journal_limit == 1));
        let described = backend
            .describe_table(DescribeTable::new("events"))
            .await
            .unwrap();
        assert_eq!(described.indexes, create.indexes);
        assert_eq!(placed_ids(&backend, "events").await, expected);
    }
    let backend = MemoryBackend::open(dir.path()).unwrap();
    let restored = backend
        .restore_table_from_backup(RestoreTableFromBackup::new(backup, "restored"))
        .await
        .unwrap();
    assert_eq!(restored.indexes, create.indexes);
    assert_eq!(placed_ids(&backend, "restored").await, expected);
    drop(backend);
    let backend = MemoryBackend::open(dir.path()).unwrap();
    assert_eq!(placed_ids(&backend, "restored").await, expected);
}
