//! Batches, transactions, capacity and concurrency.

use super::*;

#[tokio::test]
async fn batches_enforce_limits_and_duplicates() {
    let backend = notes().await;
    let writes: Vec<WriteRequest> = (0..25)
        .map(|i| WriteRequest::Put(note("u", &format!("n{i}"))))
        .collect();
    let out = backend
        .batch_write_item(BatchWriteItem {
            request_items: [("notes".to_owned(), writes.clone())].into(),
        })
        .await
        .unwrap();
    assert!(out.unprocessed_items.is_empty());
    assert_eq!(out.consumed_capacity, Some(25.0));
    let mut too_many = writes.clone();
    too_many.push(WriteRequest::Delete(note_key("u", "x")));
    let err = backend
        .batch_write_item(BatchWriteItem {
            request_items: [("notes".to_owned(), too_many)].into(),
        })
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("Member must have length less than or equal to 25"));
    let dup = vec![
        WriteRequest::Put(note("u", "a")),
        WriteRequest::Delete(note_key("u", "a")),
    ];
    let err = backend
        .batch_write_item(BatchWriteItem {
            request_items: [("notes".to_owned(), dup)].into(),
        })
        .await
        .unwrap_err();
    assert!(validation_message(err).starts_with("Provided list of item keys contains duplicates"));

    let keys = |n: usize| KeysAndAttributes {
        keys: (0..n).map(|i| note_key("u", &format!("n{i}"))).collect(),
        ..Default::default()
    };
    let out = backend
        .batch_get_item(BatchGetItem {
            request_items: [("notes".to_owned(), keys(30))].into(),
        })
        .await
        .unwrap();
    assert_eq!(out.responses["notes"].len(), 25);
    assert_eq!(out.consumed_capacity, Some(15.0));
    let err = backend
        .batch_get_item(BatchGetItem {
            request_items: [("notes".to_owned(), keys(101))].into(),
        })
        .await
        .unwrap_err();
    assert!(
        validation_message(err).starts_with("Too many items requested for the BatchGetItem call")
    );
    let mut dup = keys(2);
    dup.keys.push(note_key("u", "n0"));
    let err = backend
        .batch_get_item(BatchGetItem {
            request_items: [("notes".to_owned(), dup)].into(),
        })
        .await
        .unwrap_err();
    assert!(validation_message(err).starts_with("Provided list of item keys contains duplicates"));
}

#[tokio::test]
async fn transactions_are_all_or_nothing() {
    let backend = notes().await;
    backend
        .put_item(put("notes", note("u", "existing")))
        .await
        .unwrap();
    let put_new = TransactWrite::Put {
        table_name: "notes".into(),
        item: note("u", "new"),
        condition: None,
    };
    let must_be_absent = TransactWrite::ConditionCheck {
        table_name: "notes".into(),
        key: note_key("u", "existing"),
        condition: Condition::NotExists(Path::attribute("noteId")),
    };
    let err = backend
        .transact_write_items(TransactWriteItems {
            items: vec![put_new.clone(), must_be_absent],
            client_request_token: None,
        })
        .await
        .unwrap_err();
    let Error::TransactionCanceled { reasons, .. } = err else {
        panic!("{err:?}")
    };
    let codes: Vec<&str> = reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["None", "ConditionalCheckFailed"]);
    let get = GetItem {
        table_name: "notes".into(),
        key: note_key("u", "new"),
        consistent_read: true,
        projection: None,
    };
    assert_eq!(backend.get_item(get.clone()).await.unwrap().item, None);

    let delete = TransactWrite::Delete {
        table_name: "notes".into(),
        key: note_key("u", "existing"),
        condition: None,
    };
    let out = backend
        .transact_write_items(TransactWriteItems {
            items: vec![put_new.clone(), delete],
            client_request_token: None,
        })
        .await
        .unwrap();
    assert_eq!(out.consumed_capacity, Some(4.0));
    assert!(backend.get_item(get).await.unwrap().item.is_some());

    let twice = TransactWriteItems {
        items: vec![put_new.clone(), put_new],
        client_request_token: None,
    };
    assert!(
        validation_message(backend.transact_write_items(twice).await.unwrap_err())
            .starts_with("Transaction request cannot include multiple operations on one item")
    );

    let reads = TransactGetItems {
        items: vec![
            TransactGet {
                table_name: "notes".into(),
                key: note_key("u", "new"),
                projection: None,
            },
            TransactGet {
                table_name: "notes".into(),
                key: note_key("u", "existing"),
                projection: None,
            },
        ],
    };
    let out = backend.transact_get_items(reads).await.unwrap();
    assert!(out.items[0].is_some() && out.items[1].is_none());
    assert_eq!(out.consumed_capacity, Some(4.0));
}

#[tokio::test]
async fn capacity_follows_dynamodbs_rounding() {
    let backend = notes().await;
    let mut big = note("u", "big");
    big.insert("content".into(), s(&"x".repeat(5000)));
    assert_eq!(
        backend
            .put_item(put("notes", big))
            .await
            .unwrap()
            .consumed_capacity,
        Some(5.0)
    );
    let get = GetItem {
        table_name: "notes".into(),
        key: note_key("u", "big"),
        consistent_read: false,
        projection: None,
    };
    assert_eq!(
        backend
            .get_item(get.clone())
            .await
            .unwrap()
            .consumed_capacity,
        Some(1.0)
    );
    let strong = GetItem {
        consistent_read: true,
        ..get
    };
    assert_eq!(
        backend.get_item(strong).await.unwrap().consumed_capacity,
        Some(2.0)
    );
    // Replacing a 5 KB item with a small one still costs the larger image.
    assert_eq!(
        backend
            .put_item(put("notes", note("u", "big")))
            .await
            .unwrap()
            .consumed_capacity,
        Some(5.0)
    );
}

#[tokio::test]
async fn concurrent_tasks_see_every_write() {
    let backend = notes().await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let backend = backend.clone();
            tokio::spawn(async move {
                for _ in 0..50 {
                    let add = UpdateAction::Add(Path::attribute("count"), Operand::Value(n("1")));
                    backend
                        .update_item(update(note_key("u", "c"), vec![add], ReturnValues::None))
                        .await
                        .unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let get = GetItem {
        table_name: "notes".into(),
        key: note_key("u", "c"),
        consistent_read: true,
        projection: None,
    };
    assert_eq!(
        backend.get_item(get).await.unwrap().item.unwrap()["count"],
        n("400")
    );
}

#[tokio::test]
async fn tables_without_a_sort_key_hold_one_item_per_partition() {
    let backend = backend_with("notes", None).await;
    let row = item(&[("userId", s("u")), ("v", n("1"))]);
    backend.put_item(put("notes", row.clone())).await.unwrap();
    backend.put_item(put("notes", row)).await.unwrap();
    assert_eq!(
        backend
            .describe_table("notes".into())
            .await
            .unwrap()
            .item_count,
        Some(1)
    );
    let page = backend
        .scan(Scan {
            limit: Some(1),
            ..scan()
        })
        .await
        .unwrap();
    let next = backend
        .scan(Scan {
            exclusive_start_key: page.last_evaluated_key,
            ..scan()
        })
        .await
        .unwrap();
    assert!(next.items.is_empty());
    let sorted = query("u")
        .key_condition
        .with_sort_key("noteId", SortKeyCondition::Compare(Comparator::Eq, s("x")));
    assert!(
        backend
            .query(Query {
                key_condition: sorted,
                ..query("u")
            })
            .await
            .is_err()
    );
}
