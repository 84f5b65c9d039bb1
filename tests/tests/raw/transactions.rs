//! TransactWriteItems and TransactGetItems: all or nothing, with a reason per action.

use super::*;

notes_tests::on_every_backend!(
    transactions_are_all_or_nothing,
    transactions_over_4_mb_are_validation_errors,
);

async fn transactions_are_all_or_nothing<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    backend
        .put_item(put(table, note("u", "existing")))
        .await
        .unwrap();
    let put_new = TransactWrite::Put {
        table_name: table.to_owned(),
        item: note("u", "new"),
        condition: None,
    };
    let must_be_absent = TransactWrite::ConditionCheck {
        table_name: table.to_owned(),
        key: note_key("u", "existing"),
        condition: Condition::NotExists(Path::attribute("noteId")),
    };
    let err = backend
        .transact_write_items(TransactWriteItems::new(vec![
            put_new.clone(),
            must_be_absent,
        ]))
        .await
        .unwrap_err();
    let Error::TransactionCanceled { reasons, .. } = err else {
        panic!("{err:?}")
    };
    let codes: Vec<&str> = reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["None", "ConditionalCheckFailed"]);
    let get = GetItem::new(table, note_key("u", "new")).consistent_read(true);
    assert_eq!(backend.get_item(get.clone()).await.unwrap().item, None);

    let delete = TransactWrite::Delete {
        table_name: table.to_owned(),
        key: note_key("u", "existing"),
        condition: None,
    };
    let out = backend
        .transact_write_items(TransactWriteItems::new(vec![put_new.clone(), delete]))
        .await
        .unwrap();
    assert_eq!(out.consumed_capacity, Some(4.0));
    assert!(backend.get_item(get).await.unwrap().item.is_some());

    let twice = TransactWriteItems::new(vec![put_new.clone(), put_new]);
    assert!(
        validation_message(backend.transact_write_items(twice).await.unwrap_err())
            .starts_with("Transaction request cannot include multiple operations on one item")
    );

    let reads = TransactGetItems::new(vec![
        TransactGet::new(table, note_key("u", "new")),
        TransactGet::new(table, note_key("u", "existing")),
    ]);
    let out = backend.transact_get_items(reads).await.unwrap();
    assert!(out.items[0].is_some() && out.items[1].is_none());
    assert_eq!(out.consumed_capacity, Some(4.0));
}

// DynamoDbBackend keeps the service's error as the source of the typed one.

#[tokio::test]
async fn transactions_write_read_and_report_cancellation_reasons() {
    let Some(backend) = server_support::available_backend().await else {
        return;
    };
    let table = new_notes_table(&backend, "transact").await;
    store(&backend, &table, note_with("u1", "existing", "here")).await;

    let written = backend
        .transact_write_items(TransactWriteItems::new(vec![
            TransactWrite::Put {
                table_name: table.clone(),
                item: note_with("u1", "t1", HOSTILE),
                condition: Some(Condition::NotExists(path("userId"))),
            },
            TransactWrite::Update {
                table_name: table.clone(),
                key: note_key("u1", "existing"),
                update: Update::from(UpdateAction::Set(
                    path("status"),
                    SetValue::Value(Operand::Value(s("touched"))),
                )),
                condition: Some(eq("content", s("here"))),
            },
            TransactWrite::ConditionCheck {
                table_name: table.clone(),
                key: note_key("u1", "nobody"),
                condition: Condition::NotExists(path("userId")),
            },
        ]))
        .await
        .unwrap();
    assert!(written.consumed_capacity.is_some());

    let read = backend
        .transact_get_items(TransactGetItems::new(
            ["t1", "missing", "existing"]
                .iter()
                .map(|id| {
                    TransactGet::new(table.clone(), note_key("u1", id))
                        .projection(vec![path("status"), path("content")])
                })
                .collect(),
        ))
        .await
        .unwrap();
    // dynoxide 3.2.0 adds the key attributes to a projected TransactGetItems item (GetItem and
    // BatchGetItem return only the projected ones); compare without them.
    let items: Vec<Option<ItemMap>> = read
        .items
        .into_iter()
        .map(|it| {
            it.map(|it| {
                let mut it = it.into_owned();
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
        .transact_write_items(TransactWriteItems::new(vec![
            TransactWrite::Delete {
                table_name: table.clone(),
                key: note_key("u1", "t1"),
                condition: None,
            },
            TransactWrite::ConditionCheck {
                table_name: table.clone(),
                key: note_key("u1", "existing"),
                condition: eq("status", s("untouched")),
            },
        ]))
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
    assert!(
        fetch(&backend, &table, note_key("u1", "t1"))
            .await
            .is_some()
    );
}

/// `TransactWriteItems` refuses items adding up to more than 4 MB as a whole request (a
/// `ValidationException`, not a cancellation, even when a condition would fail too), and
/// writes nothing.
async fn transactions_over_4_mb_are_validation_errors<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let content = "x".repeat(390 * 1024);
    let puts = |count: usize| {
        (0..count)
            .map(|i| TransactWrite::Put {
                table_name: table.to_owned(),
                item: note_with("u", &format!("n{i:02}"), &content),
                condition: None,
            })
            .collect::<Vec<_>>()
    };
    let mut over = puts(10);
    over.push(TransactWrite::Put {
        table_name: table.to_owned(),
        item: note_with("u", "n10", &content),
        condition: Some(Condition::Exists(Path::attribute("noteId"))), // fails: no such note
    });
    let err = backend
        .transact_write_items(TransactWriteItems::new(over))
        .await
        .unwrap_err();
    let message = validation_message(err);
    assert!(
        message.starts_with(
            "Collection size of items exceeded, which can also be caused by the aggregate size \
             of the items in the transaction exceeding the 4MB limit"
        ),
        "{message}"
    );
    assert_eq!(fetch(&backend, table, note_key("u", "n00")).await, None);
    backend
        .transact_write_items(TransactWriteItems::new(puts(10)))
        .await
        .unwrap();
    assert!(fetch(&backend, table, note_key("u", "n09")).await.is_some());
}
