//! Consumed capacity in DynamoDB's units and rounding.

use super::*;

notes_tests::on_every_backend!(
    capacity_follows_dynamodbs_rounding,
    consumed_capacity_follows_dynamodb_units,
);

async fn capacity_follows_dynamodbs_rounding<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let mut big = note("u", "big");
    big.insert("content".into(), s(&"x".repeat(5000)));
    assert_eq!(
        backend
            .put_item(put(table, big))
            .await
            .unwrap()
            .consumed_capacity,
        Some(5.0)
    );
    let get = GetItem::new(table, note_key("u", "big"));
    assert_eq!(
        backend
            .get_item(get.clone())
            .await
            .unwrap()
            .consumed_capacity,
        Some(1.0)
    );
    let strong = get.consistent_read(true);
    assert_eq!(
        backend.get_item(strong).await.unwrap().consumed_capacity,
        Some(2.0)
    );
    // Replacing a 5 KB item with a small one still costs the larger image.
    assert_eq!(
        backend
            .put_item(put(table, note("u", "big")))
            .await
            .unwrap()
            .consumed_capacity,
        Some(5.0)
    );
}

async fn consumed_capacity_follows_dynamodb_units<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    let put_note =
        |id: &str, content: &str| PutItem::new(table.to_owned(), note_with("u1", id, content));
    // One write unit per started kilobyte.
    let small = backend.put_item(put_note("small", "x")).await.unwrap();
    assert_eq!(small.consumed_capacity, Some(1.0));
    let large = backend
        .put_item(put_note("large", &"x".repeat(3000)))
        .await
        .unwrap();
    assert_eq!(large.consumed_capacity, Some(3.0));

    // One read unit per 4 KB strongly consistent, half that eventually consistent.
    for (consistent_read, units) in [(true, 1.0), (false, 0.5)] {
        let read = backend
            .get_item(
                GetItem::new(table.to_owned(), note_key("u1", "small"))
                    .consistent_read(consistent_read),
            )
            .await
            .unwrap();
        assert_eq!(
            read.consumed_capacity,
            Some(units),
            "consistent {consistent_read}"
        );
    }

    // Transactions cost twice.
    let written = backend
        .transact_write_items(TransactWriteItems::new(
            ["t1", "t2"]
                .iter()
                .map(|id| TransactWrite::Put {
                    table_name: table.to_owned(),
                    item: note_with("u1", id, "x"),
                    condition: None,
                })
                .collect(),
        ))
        .await
        .unwrap();
    assert_eq!(written.consumed_capacity, Some(4.0));
}
