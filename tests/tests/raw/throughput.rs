//! MemoryBackend's opt-in throughput enforcement on raw requests: batches and transactions on
//! one table draw on its bucket (no emulator throttles, so MemoryBackend alone).

use super::*;

use std::time::SystemTime;

use notes_repo::ManualClock;

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
