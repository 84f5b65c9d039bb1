//! BatchWriteItem and BatchGetItem: limits, duplicates, projections.

use super::*;

notes_tests::on_every_backend!(
    batch_write_then_batch_get,
    batch_get_returns_at_most_16_mb_and_lists_the_rest,
    ;
    memory_only:
    batches_enforce_limits_and_duplicates,
);

// MemoryBackend only: dynoxide 3.2.0 refuses 101 keys across two tables in a
// BatchGetItem without DynamoDB's "Too many items requested for the BatchGetItem
// call" (101 keys of one table break the member's constraint instead).
async fn batches_enforce_limits_and_duplicates<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let writes: Vec<WriteRequest> = (0..25)
        .map(|i| WriteRequest::Put(note("u", &format!("n{i}"))))
        .collect();
    let out = backend
        .batch_write_item(BatchWriteItem::new(
            [(table.to_owned(), writes.clone())].into(),
        ))
        .await
        .unwrap();
    assert!(out.unprocessed_items.is_empty());
    assert_eq!(out.consumed_capacity, Some(25.0));
    let mut too_many = writes.clone();
    too_many.push(WriteRequest::Delete(note_key("u", "x")));
    let err = backend
        .batch_write_item(BatchWriteItem::new([(table.to_owned(), too_many)].into()))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("Member must have length less than or equal to 25"));
    let dup = vec![
        WriteRequest::Put(note("u", "a")),
        WriteRequest::Delete(note_key("u", "a")),
    ];
    let err = backend
        .batch_write_item(BatchWriteItem::new([(table.to_owned(), dup)].into()))
        .await
        .unwrap_err();
    assert!(validation_message(err).starts_with("Provided list of item keys contains duplicates"));

    let keys = |n: usize| {
        KeysAndAttributes::new((0..n).map(|i| note_key("u", &format!("n{i}"))).collect())
    };
    let out = backend
        .batch_get_item(BatchGetItem::new([(table.to_owned(), keys(30))].into()))
        .await
        .unwrap();
    assert_eq!(out.responses[table].len(), 25);
    assert_eq!(out.consumed_capacity, Some(15.0));
    let err = backend
        .batch_get_item(BatchGetItem::new([(table.to_owned(), keys(101))].into()))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        format!(
            "1 validation error detected: Value at 'RequestItems.{table}.member.Keys' failed to \
             satisfy constraint: Member must have length less than or equal to 100"
        )
    );
    // Over the limit only across tables: checked before either table is looked up.
    let across = [
        (table.to_owned(), keys(100)),
        (format!("{table}-other"), keys(1)),
    ];
    let err = backend
        .batch_get_item(BatchGetItem::new(across.into()))
        .await
        .unwrap_err();
    assert!(
        validation_message(err).starts_with("Too many items requested for the BatchGetItem call")
    );
    let mut dup = keys(2);
    dup.keys.push(note_key("u", "n0"));
    let err = backend
        .batch_get_item(BatchGetItem::new([(table.to_owned(), dup)].into()))
        .await
        .unwrap_err();
    assert!(validation_message(err).starts_with("Provided list of item keys contains duplicates"));
}

async fn batch_write_then_batch_get<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    store(&backend, table, note_with("u1", "doomed", "bye")).await;

    let mut writes: Vec<WriteRequest> = (0..5)
        .map(|i| WriteRequest::Put(note_with("u1", &format!("b{i}"), HOSTILE)))
        .collect();
    writes.push(WriteRequest::Delete(note_key("u1", "doomed")));
    let written = backend
        .batch_write_item(BatchWriteItem::new(HashMap::from([(
            table.to_owned(),
            writes,
        )])))
        .await
        .unwrap();
    assert!(written.unprocessed_items.is_empty(), "{written:?}");
    assert!(written.consumed_capacity.is_some());

    let keys: Vec<ItemMap> = ["b0", "b3", "doomed", "missing"]
        .iter()
        .map(|id| note_key("u1", id))
        .collect();
    let read = backend
        .batch_get_item(BatchGetItem::new(HashMap::from([(
            table.to_owned(),
            KeysAndAttributes::new(keys)
                .consistent_read(true)
                .projection(vec![path("noteId"), path("content")]),
        )])))
        .await
        .unwrap();
    assert!(read.unprocessed_keys.is_empty());
    assert!(read.consumed_capacity.is_some());
    let mut ids = note_ids(&read.responses[table]);
    ids.sort();
    assert_eq!(ids, ["b0", "b3"]);
    assert!(
        read.responses[table]
            .iter()
            .all(|it| it["content"] == s(HOSTILE) && it.len() == 2)
    );
}

/// A `BatchGetItem` answers with at most 16 MB of items; the keys it did not get to come back
/// as `UnprocessedKeys` (with the request's settings), and every key is in exactly one of them.
async fn batch_get_returns_at_most_16_mb_and_lists_the_rest<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    // 45 items of ~390 KB: about 17 MB in all, over the 16 MB response cap.
    let content = "x".repeat(390 * 1024);
    for i in 0..45 {
        store(
            &backend,
            table,
            note_with("u", &format!("n{i:02}"), &content),
        )
        .await;
    }
    let keys: Vec<ItemMap> = (0..45)
        .map(|i| note_key("u", &format!("n{i:02}")))
        .collect();
    let wanted = KeysAndAttributes::new(keys).consistent_read(true);
    let out = backend
        .batch_get_item(BatchGetItem::new([(table.to_owned(), wanted)].into()))
        .await
        .unwrap();
    let found = &out.responses[table];
    assert!(
        found.len() * content.len() <= 16 * 1024 * 1024,
        "{} items in one response",
        found.len()
    );
    let rest = &out.unprocessed_keys[table];
    assert!(found.len() >= 40, "{} found", found.len());
    assert!(
        rest.consistent_read,
        "UnprocessedKeys keep the request's settings"
    );
    let mut seen = note_ids(found);
    seen.extend(note_ids(&rest.keys));
    seen.sort();
    let expected: Vec<String> = (0..45).map(|i| format!("n{i:02}")).collect();
    assert_eq!(seen, expected);
}
