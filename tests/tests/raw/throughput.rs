//! The units a request consumes, as DynamoDB's documentation counts them (both backends), and
//! MemoryBackend's opt-in throughput enforcement on raw requests: batches and transactions on
//! one table draw on its bucket (no emulator throttles, so MemoryBackend alone).

use super::*;

use std::time::SystemTime;

use notes_repo::ManualClock;

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
        matches!(err, Error::Throttled { source: Some(_) }),
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
