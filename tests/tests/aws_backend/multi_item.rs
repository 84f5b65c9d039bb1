//! Operations over many items: query, scan, batches and transactions.

use super::*;

async fn seed_notes(backend: &DynamoDbBackend, table: &str) {
    for i in 0..7 {
        let mut it = note("u1", &format!("n{i}"), &format!("content {i}"));
        it.insert(
            "status".to_owned(),
            s(if i % 2 == 0 { "even" } else { "odd" }),
        );
        put(backend, table, it).await;
    }
    put(backend, table, note("u10", "n0", "other user")).await;
    put(backend, table, note("u", "n0", "prefix user")).await;
}

#[tokio::test]
async fn query_key_conditions_order_filter_and_projection() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "query").await;
    seed_notes(&backend, &table).await;

    let all = backend.query(query(&table, "u1")).await.unwrap();
    assert_eq!(
        note_ids(&all.items),
        ["n0", "n1", "n2", "n3", "n4", "n5", "n6"]
    );
    assert_eq!(all.scanned_count, 7);
    assert_eq!(all.last_evaluated_key, None);
    assert!(all.consumed_capacity.is_some());

    let sk = |condition| Query {
        key_condition: KeyCondition::partition("userId", s("u1"))
            .with_sort_key("noteId", condition),
        ..query(&table, "u1")
    };
    let between = backend
        .query(sk(SortKeyCondition::Between(s("n2"), s("n4"))))
        .await
        .unwrap();
    assert_eq!(note_ids(&between.items), ["n2", "n3", "n4"]);
    let greater = backend
        .query(sk(SortKeyCondition::Compare(Comparator::Gt, s("n4"))))
        .await
        .unwrap();
    assert_eq!(note_ids(&greater.items), ["n5", "n6"]);
    let prefixed = backend
        .query(sk(SortKeyCondition::BeginsWith(s("n6"))))
        .await
        .unwrap();
    assert_eq!(note_ids(&prefixed.items), ["n6"]);

    let descending = backend
        .query(Query {
            scan_index_forward: false,
            filter: Some(eq("status", s("odd"))),
            projection: Some(vec![path("noteId"), path("status")]),
            ..query(&table, "u1")
        })
        .await
        .unwrap();
    assert_eq!(note_ids(&descending.items), ["n5", "n3", "n1"]);
    assert_eq!(descending.scanned_count, 7);
    assert!(
        descending.items.iter().all(|it| it.len() == 2),
        "{:?}",
        descending.items
    );
}

#[tokio::test]
async fn query_pages_with_limit_and_exclusive_start_key() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "paging").await;
    seed_notes(&backend, &table).await;

    let mut seen = Vec::new();
    let mut start = None;
    let mut pages = 0;
    loop {
        let page = backend
            .query(Query {
                limit: Some(3),
                exclusive_start_key: start.take(),
                ..query(&table, "u1")
            })
            .await
            .unwrap();
        pages += 1;
        assert!(page.items.len() <= 3);
        seen.extend(note_ids(&page.items));
        match page.last_evaluated_key {
            Some(last) => {
                assert_eq!(
                    last.len(),
                    2,
                    "the last key is the full primary key: {last:?}"
                );
                start = Some(last);
            }
            None => break,
        }
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(seen, ["n0", "n1", "n2", "n3", "n4", "n5", "n6"]);
    assert!((3..=4).contains(&pages), "{pages} pages");
}

#[tokio::test]
async fn scan_filters_pages_and_segments() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "scan").await;
    seed_notes(&backend, &table).await;
    let scan = || Scan {
        table_name: table.clone(),
        consistent_read: true,
        ..Scan::default()
    };

    let everything = backend.scan(scan()).await.unwrap();
    assert_eq!(everything.items.len(), 9);
    assert!(everything.consumed_capacity.is_some());

    let even = backend
        .scan(Scan {
            filter: Some(
                eq("status", s("even"))
                    & Condition::BeginsWith(path("content"), Operand::Value(s("content"))),
            ),
            ..scan()
        })
        .await
        .unwrap();
    assert_eq!(even.items.len(), 4);
    assert_eq!(even.scanned_count, 9);

    let mut total = 0;
    let mut start = None;
    loop {
        let page = backend
            .scan(Scan {
                limit: Some(4),
                exclusive_start_key: start.take(),
                ..scan()
            })
            .await
            .unwrap();
        total += page.items.len();
        match page.last_evaluated_key {
            Some(last) => start = Some(last),
            None => break,
        }
    }
    assert_eq!(total, 9);

    let mut segmented = 0;
    for segment in 0..3 {
        segmented += backend
            .scan(Scan {
                segment: Some((segment, 3)),
                ..scan()
            })
            .await
            .unwrap()
            .items
            .len();
    }
    assert_eq!(segmented, 9);
}

#[tokio::test]
async fn batch_write_then_batch_get() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "batch").await;
    put(&backend, &table, note("u1", "doomed", "bye")).await;

    let mut writes: Vec<WriteRequest> = (0..5)
        .map(|i| WriteRequest::Put(note("u1", &format!("b{i}"), HOSTILE)))
        .collect();
    writes.push(WriteRequest::Delete(key("u1", "doomed")));
    let written = backend
        .batch_write_item(BatchWriteItem {
            request_items: HashMap::from([(table.clone(), writes)]),
        })
        .await
        .unwrap();
    assert!(written.unprocessed_items.is_empty(), "{written:?}");
    assert!(written.consumed_capacity.is_some());

    let keys: Vec<ItemMap> = ["b0", "b3", "doomed", "missing"]
        .iter()
        .map(|id| key("u1", id))
        .collect();
    let read = backend
        .batch_get_item(BatchGetItem {
            request_items: HashMap::from([(
                table.clone(),
                KeysAndAttributes {
                    keys,
                    consistent_read: true,
                    projection: Some(vec![path("noteId"), path("content")]),
                },
            )]),
        })
        .await
        .unwrap();
    assert!(read.unprocessed_keys.is_empty());
    assert!(read.consumed_capacity.is_some());
    let mut ids = note_ids(&read.responses[&table]);
    ids.sort();
    assert_eq!(ids, ["b0", "b3"]);
    assert!(
        read.responses[&table]
            .iter()
            .all(|it| it["content"] == s(HOSTILE) && it.len() == 2)
    );
}

#[tokio::test]
async fn transactions_write_read_and_report_cancellation_reasons() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "transact").await;
    put(&backend, &table, note("u1", "existing", "here")).await;

    let written = backend
        .transact_write_items(TransactWriteItems {
            items: vec![
                TransactWrite::Put {
                    table_name: table.clone(),
                    item: note("u1", "t1", HOSTILE),
                    condition: Some(Condition::NotExists(path("userId"))),
                },
                TransactWrite::Update {
                    table_name: table.clone(),
                    key: key("u1", "existing"),
                    update: Update::from(UpdateAction::Set(
                        path("status"),
                        SetValue::Value(Operand::Value(s("touched"))),
                    )),
                    condition: Some(eq("content", s("here"))),
                },
                TransactWrite::ConditionCheck {
                    table_name: table.clone(),
                    key: key("u1", "nobody"),
                    condition: Condition::NotExists(path("userId")),
                },
            ],
            client_request_token: None,
        })
        .await
        .unwrap();
    assert!(written.consumed_capacity.is_some());

    let read = backend
        .transact_get_items(TransactGetItems {
            items: ["t1", "missing", "existing"]
                .iter()
                .map(|id| TransactGet {
                    table_name: table.clone(),
                    key: key("u1", id),
                    projection: Some(vec![path("status"), path("content")]),
                })
                .collect(),
        })
        .await
        .unwrap();
    // dynoxide 3.2.0 adds the key attributes to a projected TransactGetItems item (GetItem and
    // BatchGetItem return only the projected ones); compare without them.
    let items: Vec<Option<ItemMap>> = read
        .items
        .into_iter()
        .map(|it| {
            it.map(|mut it| {
                it.remove("userId");
                it.remove("noteId");
                it
            })
        })
        .collect();
    assert_eq!(
        items,
        vec![
            Some(item(&[("content", s(HOSTILE))])),
            None,
            Some(item(&[("content", s("here")), ("status", s("touched"))])),
        ]
    );

    let err = backend
        .transact_write_items(TransactWriteItems {
            items: vec![
                TransactWrite::Delete {
                    table_name: table.clone(),
                    key: key("u1", "t1"),
                    condition: None,
                },
                TransactWrite::ConditionCheck {
                    table_name: table.clone(),
                    key: key("u1", "existing"),
                    condition: eq("status", s("untouched")),
                },
            ],
            client_request_token: None,
        })
        .await
        .unwrap_err();
    let Error::TransactionCanceled { reasons, source } = &err else {
        panic!("expected TransactionCanceled, got {err:?}");
    };
    assert!(source.is_some());
    assert_eq!(reasons.len(), 2, "{reasons:?}");
    assert_eq!((reasons[0].index, reasons[0].code.as_str()), (0, "None"));
    assert_eq!(
        (reasons[1].index, reasons[1].code.as_str()),
        (1, "ConditionalCheckFailed")
    );
    // Nothing of the cancelled transaction was applied.
    assert!(get(&backend, &table, key("u1", "t1")).await.is_some());
}
