//! The units a request consumes, as DynamoDB's documentation counts them (both backends), and
//! MemoryBackend's opt-in throughput enforcement on raw requests: batches and transactions on
//! one table draw on its bucket (no emulator throttles, so MemoryBackend alone).

use super::*;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::SystemTime;

use notes_repo::{
    ConsumedCapacity, IndexKind, IndexProjection, IndexSchema, ManualClock, Operation, Result,
    RetryPolicy, Retrying, TokioClock,
};

notes_tests::on_every_backend!(a_query_sums_item_sizes_then_rounds);

/// DynamoDB's published example: a Query returning 100 items of 1.5 KB reads 150 KB, which is
/// 38 RCU strongly consistent (150 / 4 = 37.5, rounded up) and 19 eventually consistent.
async fn a_query_sums_item_sizes_then_rounds<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    for i in 0..100 {
        // userId "u1" (8 bytes with its name) + noteId "nNNN" (10) + content (7 + 1511):
        // 1536 bytes, 1.5 KB.
        let it = note_with("u1", &format!("n{i:03}"), &"x".repeat(1511));
        store(&backend, table, it).await;
    }
    for (request, units) in [
        (consistent_query(table, "u1"), 38.0),
        (query(table, "u1"), 19.0),
    ] {
        let page = backend.query(request).await.unwrap();
        assert_eq!(page.items.len(), 100);
        assert_eq!(page.consumed_capacity, Some(units));
    }
}

/// A 1 WCU / 1 RCU notes table `notes` on a backend enforcing throughput on a stopped clock.
async fn one_unit_table() -> MemoryBackend {
    let backend = MemoryBackend::builder()
        .clock(ManualClock::new(SystemTime::UNIX_EPOCH))
        .enforce_throughput(true)
        .build();
    backend
        .create_table(
            CreateTable::new("notes", schema()).billing_mode(BillingMode::Provisioned {
                read_capacity_units: 1,
                write_capacity_units: 1,
            }),
        )
        .await
        .unwrap();
    backend
}

#[tokio::test]
async fn a_batch_on_one_table_draws_on_its_bucket() {
    let backend = one_unit_table().await;
    let batch = || {
        let writes = (0..25)
            .map(|i| WriteRequest::Put(note("u1", &format!("n{i}"))))
            .collect();
        BatchWriteItem::new([("notes".to_owned(), writes)].into())
    };
    // 300 banked units: 12 batches of 25 one-unit writes.
    for _ in 0..12 {
        let output = backend.batch_write_item(batch()).await.unwrap();
        assert_eq!(output.consumed_capacity, Some(25.0));
    }
    let err = backend.batch_write_item(batch()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Throttled {
                source: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_transaction_costs_twice_its_units() {
    let backend = one_unit_table().await;
    let transaction = |i: usize| {
        TransactWriteItems::new(vec![TransactWrite::Put {
            table_name: "notes".into(),
            item: note("u1", &format!("n{i}")),
            condition: None,
        }])
    };
    for i in 0..150 {
        backend.transact_write_items(transaction(i)).await.unwrap();
    }
    let err = backend
        .transact_write_items(transaction(150))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
    // Reads have their own bucket.
    backend
        .get_item(GetItem::new("notes", note_key("u1", "n0")))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_failed_conditional_write_still_costs_the_existing_items_units() {
    let backend = one_unit_table().await;
    let mut big = note("u1", "big");
    big.insert("content".into(), s(&"x".repeat(100 * 1024)));
    // 101 units for a 100 KB item (plus its key and names); 199 left in the bank.
    backend.put_item(put("notes", big.clone())).await.unwrap();
    let refused = || {
        put("notes", note("u1", "big"))
            .condition(Condition::NotExists(path("userId")))
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
    };
    // Each failed attempt costs the stored item's 101 units: the second leaves the bank owing.
    for _ in 0..2 {
        let err = backend.put_item(refused()).await.unwrap_err();
        assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    }
    let err = backend.put_item(refused()).await.unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
}

/// A 1 RCU / 1000 WCU table of notes with a global index `byStatus` (keys only) at 1 / 1, on
/// a backend enforcing throughput on a stopped clock.
async fn table_with_index() -> MemoryBackend {
    let backend = MemoryBackend::builder()
        .clock(ManualClock::new(SystemTime::UNIX_EPOCH))
        .enforce_throughput(true)
        .build();
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
    // The index takes the table's units when it is created; lowered, its bank is capped at
    // 300 s of its new rate at once. (Raising a never-used 1 WCU table to 1000 would bank 300
    // units, not 300,000: the bank is earned at the rate in effect.)
    let create = CreateTable::new("notes", schema())
        .billing_mode(BillingMode::Provisioned {
            read_capacity_units: 1,
            write_capacity_units: 1000,
        })
        .indexes(vec![by_status]);
    backend.create_table(create).await.unwrap();
    let lower =
        UpdateTable::new("notes").index_throughput("byStatus", ProvisionedThroughput::new(1, 1));
    backend.update_table(lower).await.unwrap();
    let described = backend
        .describe_table(DescribeTable::new("notes"))
        .await
        .unwrap();
    assert_eq!(
        described.index_throughput["byStatus"],
        ProvisionedThroughput::new(1, 1)
    );
    backend
}

/// "In order for a table write to succeed, the provisioned throughput settings for the table
/// and all of its global secondary indexes must have enough write capacity to accommodate the
/// write; otherwise, the write to the table is throttled"
/// (developerguide/GSI.html#GSI.ThroughputConsiderations).
#[tokio::test]
async fn writes_draw_on_the_global_indexes_they_change() {
    let backend = table_with_index().await;
    let with_status = |i: usize| {
        let mut it = note("u1", &format!("n{i}"));
        it.insert("status".into(), s("open"));
        put("notes", it)
    };
    // The table banks 300,000 units, the index 300: each write takes one of each.
    for i in 0..300 {
        backend.put_item(with_status(i)).await.unwrap();
    }
    let err = backend.put_item(with_status(300)).await.unwrap_err();
    let Error::Throttled {
        source: Some(source),
        ..
    } = &err
    else {
        panic!("{err:?}");
    };
    assert!(
        source
            .to_string()
            .contains("one or more global secondary indexes"),
        "{source}"
    );
    // Every write to the table waits for the index, even one it would not change.
    let err = backend
        .put_item(put("notes", note("u1", "x")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
}

/// Each table of a batch or transaction draws on its own bucket.
#[tokio::test]
async fn batches_and_transactions_across_tables_are_metered_per_table() {
    let backend = one_unit_table().await;
    let other = CreateTable::new("other", schema()).billing_mode(BillingMode::Provisioned {
        read_capacity_units: 1,
        write_capacity_units: 1,
    });
    backend.create_table(other).await.unwrap();
    // 300 banked units on "notes", spent by puts there alone.
    for i in 0..300 {
        store(&backend, "notes", note("u1", &format!("n{i}"))).await;
    }
    let both = BatchWriteItem::new(HashMap::from([
        ("notes".to_owned(), vec![WriteRequest::Put(note("u2", "a"))]),
        ("other".to_owned(), vec![WriteRequest::Put(note("u2", "a"))]),
    ]));
    // "notes" is dry: its write comes back unprocessed, "other"'s is written.
    let output = backend.batch_write_item(both).await.unwrap();
    assert_eq!(output.consumed_capacity, Some(1.0));
    assert_eq!(output.unprocessed_items.len(), 1);
    assert!(output.unprocessed_items.contains_key("notes"));
    assert!(
        fetch(&backend, "other", note_key("u2", "a"))
            .await
            .is_some()
    );
    // A transaction that writes to "notes" is throttled as a whole.
    let transaction = TransactWriteItems::new(vec![
        TransactWrite::Put {
            table_name: "other".into(),
            item: note("u2", "b"),
            condition: None,
        },
        TransactWrite::Put {
            table_name: "notes".into(),
            item: note("u2", "b"),
            condition: None,
        },
    ]);
    let err = backend.transact_write_items(transaction).await.unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
    assert!(
        fetch(&backend, "other", note_key("u2", "b"))
            .await
            .is_none()
    );
}

/// "If DynamoDB returns any unprocessed items, you should retry the batch operation on those
/// items"; only when none of the items can be processed for lack of throughput does the batch
/// fail with `ProvisionedThroughputExceededException` (BatchWriteItem and BatchGetItem, API
/// reference).
#[tokio::test]
async fn a_batch_that_runs_dry_midway_returns_the_rest_unprocessed() {
    let backend = one_unit_table().await;
    // Spend 275 of the 300 banked write units.
    for i in 0..275 {
        store(&backend, "notes", note("u1", &format!("n{i}"))).await;
    }
    let two_kb = |i: usize| {
        let it = note_with("u2", &format!("m{i:02}"), &"x".repeat(2000));
        WriteRequest::Put(it)
    };
    let batch = BatchWriteItem::new(HashMap::from([(
        "notes".to_owned(),
        (0..25).map(two_kb).collect(),
    )]));
    // 25 units left: 2-unit writes are admitted while the bucket holds any, so 13 are written
    // (the last takes it to -1) and 12 come back.
    let output = backend.batch_write_item(batch).await.unwrap();
    assert_eq!(output.consumed_capacity, Some(26.0));
    assert_eq!(output.unprocessed_items["notes"].len(), 12);
    let page = backend
        .query(consistent_query("notes", "u2"))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 13);

    // Reads alike: 300 banked read units, 1 per strongly consistent read of a small item.
    let keys = |from: usize| {
        let keys = (from..from + 100)
            .map(|i| note_key("u1", &format!("n{i}")))
            .collect();
        KeysAndAttributes::new(keys).consistent_read(true)
    };
    let batch_get =
        |from: usize| BatchGetItem::new(HashMap::from([("notes".to_owned(), keys(from))]));
    for from in [0, 100] {
        let output = backend.batch_get_item(batch_get(from)).await.unwrap();
        assert!(output.unprocessed_keys.is_empty());
    }
    // The query above read 13 items of 2 KB (7 units) and the batches 200: 93 left; 43 gets
    // leave 50.
    for i in 0..43 {
        let get = GetItem::new("notes", note_key("u1", &format!("n{i}"))).consistent_read(true);
        backend.get_item(get).await.unwrap();
    }
    // 50 units left: 50 keys are read, 50 come back.
    let output = backend.batch_get_item(batch_get(150)).await.unwrap();
    assert_eq!(output.consumed_capacity, Some(50.0));
    assert_eq!(output.responses["notes"].len(), 50);
    assert_eq!(output.unprocessed_keys["notes"].keys.len(), 50);
    let err = backend.batch_get_item(batch_get(0)).await.unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
}

/// The charge is the stored item's size whether or not the request asked to see it.
#[tokio::test]
async fn a_failed_conditional_write_costs_the_item_it_did_not_return() {
    let backend = one_unit_table().await;
    let mut big = note("u1", "big");
    big.insert("content".into(), s(&"x".repeat(100 * 1024)));
    backend.put_item(put("notes", big)).await.unwrap();
    let refused =
        || put("notes", note("u1", "big")).condition(Condition::NotExists(path("userId")));
    for _ in 0..2 {
        let err = backend.put_item(refused()).await.unwrap_err();
        assert!(
            matches!(err, Error::ConditionFailed { item: None, .. }),
            "{err:?}"
        );
    }
    let err = backend.put_item(refused()).await.unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
}

/// Counts the requests that reach the backend it wraps.
#[derive(Clone)]
struct Counted<B>(B, Arc<AtomicUsize>);

impl<B: Backend> notes_repo::Layer for Counted<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.0
    }

    async fn around<O, F>(&self, _operation: Operation, _table: &str, call: F) -> Result<O>
    where
        O: ConsumedCapacity + Send,
        F: Future<Output = Result<O>> + Send,
    {
        self.1.fetch_add(1, SeqCst);
        call.await
    }
}

/// A 1 WCU notes table behind `Retrying` (the SDK's standard policy), on tokio's paused clock,
/// with a count of the requests that reach MemoryBackend.
async fn retrying_one_unit_table() -> (Retrying<Counted<MemoryBackend>>, Arc<AtomicUsize>) {
    let memory = MemoryBackend::builder()
        .clock(TokioClock::new(SystemTime::UNIX_EPOCH))
        .enforce_throughput(true)
        .build();
    let sent = Arc::new(AtomicUsize::new(0));
    let backend = Retrying::new(Counted(memory, sent.clone()), RetryPolicy::default());
    let create = CreateTable::new("notes", schema()).billing_mode(BillingMode::Provisioned {
        read_capacity_units: 1,
        write_capacity_units: 1,
    });
    backend.create_table(create).await.unwrap();
    (backend, sent)
}

/// "ProvisionedThroughputExceededException ... The AWS SDKs for DynamoDB automatically retry
/// requests that receive this exception": with `Retrying`, so does a MemoryBackend caller.
#[tokio::test(start_paused = true)]
async fn a_throttled_write_is_retried_after_the_refill() {
    let (backend, sent) = retrying_one_unit_table().await;
    for i in 0..300 {
        store(&backend, "notes", note("u1", &format!("n{i}"))).await;
    }
    assert_eq!(sent.load(SeqCst), 301); // the table, then 300 writes at once
    let started = tokio::time::Instant::now();
    store(&backend, "notes", note("u1", "late")).await;
    // Throttled once, then admitted after a jittered wait of less than the 1 s base.
    assert_eq!(sent.load(SeqCst), 303);
    let waited = started.elapsed();
    assert!(
        waited > Duration::ZERO && waited < Duration::from_secs(1),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn retries_stop_after_three_attempts_and_answer_throttled() {
    let (backend, sent) = retrying_one_unit_table().await;
    // A 400 KB item costs 400 units: the bank of 300 owes 100, which 3 s of retries cannot
    // repay.
    let mut big = note("u1", "big");
    big.insert("content".into(), s(&"x".repeat(399 * 1024)));
    store(&backend, "notes", big).await;
    let before = sent.load(SeqCst);
    let started = tokio::time::Instant::now();
    let err = backend
        .put_item(put("notes", note("u1", "n")))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Throttled {
                source: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(sent.load(SeqCst) - before, 3);
    // Waits below 1 s then below 2 s.
    assert!(started.elapsed() < Duration::from_secs(3));

    // Anything but throttling is answered at once.
    let before = sent.load(SeqCst);
    let get = GetItem::new("missing", note_key("u1", "n"));
    let err = backend.get_item(get).await.unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
    assert_eq!(sent.load(SeqCst) - before, 1);
}
