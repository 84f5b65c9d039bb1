//! Single-item operations: values, conditions, updates and returned images.

use super::*;

#[tokio::test]
async fn every_value_type_and_hostile_strings_round_trip_verbatim() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "roundtrip").await;
    let mut nested = ItemMap::new();
    nested.insert("status".to_owned(), s(HOSTILE));
    nested.insert("#:)".to_owned(), AttributeValue::Bool(false));
    let mut it = key("u#1:)", "n'\"1");
    it.extend(item(&[
        ("name", s(HOSTILE)),
        ("status", s(":v0")),
        ("data", AttributeValue::B(vec![0, 1, 255])),
        ("#n0", s("#n0")),
        (":v0", s(":v0")),
        ("count", AttributeValue::N("-12.50".to_owned())),
        ("flag", AttributeValue::Bool(true)),
        ("nothing", AttributeValue::Null(true)),
        ("meta", AttributeValue::M(nested)),
        ("list", AttributeValue::L(vec![s(")"), n(1)])),
        (
            "tags",
            AttributeValue::Ss(vec!["#a".to_owned(), ":b".to_owned()]),
        ),
        (
            "nums",
            AttributeValue::Ns(vec!["1".to_owned(), "2".to_owned()]),
        ),
        ("blobs", AttributeValue::Bs(vec![vec![1], vec![2]])),
    ]));
    let written = backend
        .put_item(PutItem {
            table_name: table.clone(),
            item: it.clone(),
            condition: Some(Condition::NotExists(path("userId"))),
            return_values: ReturnValues::None,
        })
        .await
        .unwrap();
    assert!(
        written.consumed_capacity.is_some_and(|c| c > 0.0),
        "{written:?}"
    );

    let read = backend
        .get_item(GetItem {
            table_name: table.clone(),
            key: key("u#1:)", "n'\"1"),
            consistent_read: true,
            projection: None,
        })
        .await
        .unwrap();
    assert!(read.consumed_capacity.is_some_and(|c| c > 0.0), "{read:?}");
    let mut read = read.item.expect("item found");
    // DynamoDB normalizes numbers; sets come back in any order.
    assert_eq!(
        read.remove("count"),
        Some(AttributeValue::N("-12.5".to_owned()))
    );
    it.remove("count");
    for set in ["tags", "nums", "blobs"] {
        let (Some(mut got), Some(mut want)) = (read.remove(set), it.remove(set)) else {
            panic!("set {set} missing");
        };
        for value in [&mut got, &mut want] {
            match value {
                AttributeValue::Ss(v) | AttributeValue::Ns(v) => v.sort(),
                AttributeValue::Bs(v) => v.sort(),
                other => panic!("not a set: {other:?}"),
            }
        }
        assert_eq!(got, want, "{set}");
    }
    assert_eq!(read, it);

    // A projection of reserved words and nested paths.
    let projected = backend
        .get_item(GetItem {
            table_name: table.clone(),
            key: key("u#1:)", "n'\"1"),
            consistent_read: true,
            projection: Some(vec![
                path("name"),
                path("meta").key("status"),
                path("list").index(0),
                path("#n0"),
            ]),
        })
        .await
        .unwrap()
        .item
        .unwrap();
    let mut meta = ItemMap::new();
    meta.insert("status".to_owned(), s(HOSTILE));
    assert_eq!(
        projected,
        item(&[
            ("name", s(HOSTILE)),
            ("meta", AttributeValue::M(meta)),
            ("list", AttributeValue::L(vec![s(")")])),
            ("#n0", s("#n0")),
        ])
    );

    // A condition comparing against the hostile value holds, and its negation fails.
    let check = |cond: Condition| DeleteItem {
        table_name: table.clone(),
        key: key("u#1:)", "n'\"1"),
        condition: Some(cond),
        return_values: ReturnValues::AllOld,
    };
    let err = backend
        .delete_item(check(!eq("name", s(HOSTILE))))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    let deleted = backend
        .delete_item(check(
            eq("name", s(HOSTILE))
                & eq("status", s(":v0"))
                & Condition::Exists(path("meta").key("#:)"))
                & Condition::Type(path("data"), "B"),
        ))
        .await
        .unwrap();
    assert!(deleted.attributes.is_some());
    assert_eq!(get(&backend, &table, key("u#1:)", "n'\"1")).await, None);
}

#[tokio::test]
async fn conditional_put_and_old_image() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "put").await;
    let create = |content: &str| PutItem {
        table_name: table.clone(),
        item: note("u1", "n1", content),
        condition: Some(Condition::NotExists(path("userId"))),
        return_values: ReturnValues::AllOld,
    };
    let first = backend.put_item(create("one")).await.unwrap();
    assert_eq!(first.attributes, None);
    let err = backend.put_item(create("two")).await.unwrap_err();
    let Error::ConditionFailed {
        source: Some(source),
    } = &err
    else {
        panic!("expected ConditionFailed, got {err:?}");
    };
    assert!(!source.to_string().is_empty());
    assert!(err.source().is_some());

    let overwrite = backend
        .put_item(PutItem {
            condition: None,
            ..create("three")
        })
        .await
        .unwrap();
    assert_eq!(overwrite.attributes, Some(note("u1", "n1", "one")));
}

#[tokio::test]
async fn update_actions_conditions_and_images() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "update").await;
    let mut it = note("u1", "n1", "old");
    it.insert("attachment".to_owned(), s("file.png"));
    it.insert(
        "tags".to_owned(),
        AttributeValue::Ss(vec!["a".to_owned(), "b".to_owned()]),
    );
    it.insert("list".to_owned(), AttributeValue::L(vec![n(1)]));
    put(&backend, &table, it).await;

    let update = Update::new()
        .and(UpdateAction::Set(
            path("content"),
            SetValue::Value(Operand::Value(s(HOSTILE))),
        ))
        .and(UpdateAction::Set(
            path("status"),
            SetValue::IfNotExists(path("status"), Operand::Value(s("new"))),
        ))
        .and(UpdateAction::Set(
            path("list"),
            SetValue::ListAppend(
                Operand::Path(path("list")),
                Operand::Value(AttributeValue::L(vec![n(2)])),
            ),
        ))
        .and(UpdateAction::Remove(path("attachment")))
        .and(UpdateAction::Add(path("count"), Operand::Value(n(5))))
        .and(UpdateAction::Delete(
            path("tags"),
            Operand::Value(AttributeValue::Ss(vec!["a".to_owned()])),
        ));
    let output = backend
        .update_item(UpdateItem {
            table_name: table.clone(),
            key: key("u1", "n1"),
            update,
            condition: Some(eq("content", s("old")) & Condition::Exists(path("attachment"))),
            return_values: ReturnValues::AllNew,
        })
        .await
        .unwrap();
    assert!(output.consumed_capacity.is_some());
    let mut expected = note("u1", "n1", HOSTILE);
    expected.extend(item(&[
        ("status", s("new")),
        ("list", AttributeValue::L(vec![n(1), n(2)])),
        ("count", n(5)),
        ("tags", AttributeValue::Ss(vec!["b".to_owned()])),
    ]));
    assert_eq!(output.attributes, Some(expected));

    let increment = |amount: i64, condition: Option<Condition>| UpdateItem {
        table_name: table.clone(),
        key: key("u1", "n1"),
        update: Update::from(UpdateAction::Set(
            path("count"),
            SetValue::Plus(Operand::Path(path("count")), Operand::Value(n(amount))),
        )),
        condition,
        return_values: ReturnValues::UpdatedOld,
    };
    let old = backend.update_item(increment(2, None)).await.unwrap();
    assert_eq!(old.attributes, Some(item(&[("count", n(5))])));
    let err = backend
        .update_item(increment(
            1,
            Some(Condition::Compare(
                Operand::Path(path("count")),
                Comparator::Gt,
                Operand::Value(n(100)),
            )),
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    let stored = get(&backend, &table, key("u1", "n1")).await.unwrap();
    assert_eq!(stored["count"], n(7));
}

#[tokio::test]
async fn consumed_capacity_follows_dynamodb_units() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "capacity").await;
    let put_note = |id: &str, content: &str| PutItem {
        table_name: table.clone(),
        item: note("u1", id, content),
        condition: None,
        return_values: ReturnValues::None,
    };
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
            .get_item(GetItem {
                table_name: table.clone(),
                key: key("u1", "small"),
                consistent_read,
                projection: None,
            })
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
        .transact_write_items(TransactWriteItems {
            items: ["t1", "t2"]
                .iter()
                .map(|id| TransactWrite::Put {
                    table_name: table.clone(),
                    item: note("u1", id, "x"),
                    condition: None,
                })
                .collect(),
            client_request_token: None,
        })
        .await
        .unwrap();
    assert_eq!(written.consumed_capacity, Some(4.0));
}
