//! Tables and single-item operations.

use super::*;

#[tokio::test]
async fn tables_must_exist_and_cannot_be_created_twice() {
    let backend = notes().await;
    let get = GetItem {
        table_name: "nope".into(),
        key: note_key("u", "n"),
        consistent_read: false,
        projection: None,
    };
    assert!(
        matches!(backend.get_item(get).await, Err(Error::TableNotFound { table, .. }) if table == "nope")
    );
    let again = backend
        .create_table(CreateTable {
            table_name: "notes".into(),
            key_schema: KeySchema {
                partition_key: KeyAttribute::new("x", ScalarType::S),
                sort_key: None,
            },
            billing_mode: BillingMode::PayPerRequest,
            indexes: Vec::new(),
        })
        .await;
    assert!(matches!(again, Err(Error::TableAlreadyExists { .. })));
    assert!(matches!(
        backend.update_continuous_backups("nope".into(), true).await,
        Err(Error::TableNotFound { .. })
    ));
    backend
        .update_continuous_backups("notes".into(), true)
        .await
        .unwrap();

    backend
        .put_item(put("notes", note("u", "n1")))
        .await
        .unwrap();
    let described = backend.describe_table("notes".into()).await.unwrap();
    assert_eq!(described.status, TableStatus::Active);
    assert_eq!(described.item_count, Some(1));
    assert_eq!(described.key_schema.sort_key.unwrap().name, "noteId");
    assert_eq!(
        described.billing_mode,
        Some(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5
        })
    );
    assert_eq!(
        backend.delete_table("notes".into()).await.unwrap().status,
        TableStatus::Deleting
    );
    assert!(matches!(
        backend.describe_table("notes".into()).await,
        Err(Error::TableNotFound { .. })
    ));
}

#[tokio::test]
async fn put_then_get_returns_numbers_in_canonical_form() {
    let backend = notes().await;
    let mut stored = note("u", "n1");
    stored.insert("createdAt".into(), n("1.50"));
    backend.put_item(put("notes", stored)).await.unwrap();
    let get = GetItem {
        table_name: "notes".into(),
        key: note_key("u", "n1"),
        consistent_read: true,
        projection: None,
    };
    let out = backend.get_item(get.clone()).await.unwrap();
    assert_eq!(out.item.unwrap()["createdAt"], n("1.5"));
    assert_eq!(out.consumed_capacity, Some(1.0));
    let projected = backend
        .get_item(GetItem {
            projection: Some(vec![Path::attribute("content")]),
            ..get
        })
        .await
        .unwrap();
    assert_eq!(projected.item.unwrap(), item(&[("content", s("hello"))]));
}

#[tokio::test]
async fn a_failed_condition_writes_nothing() {
    let backend = notes().await;
    backend
        .put_item(put("notes", note("u", "n1")))
        .await
        .unwrap();
    let mut replacement = note("u", "n1");
    replacement.insert("content".into(), s("changed"));
    let create_only = PutItem {
        condition: Some(Condition::NotExists(Path::attribute("noteId"))),
        ..put("notes", replacement)
    };
    assert!(matches!(
        backend.put_item(create_only).await,
        Err(Error::ConditionFailed { .. })
    ));
    let delete = DeleteItem {
        table_name: "notes".into(),
        key: note_key("u", "n1"),
        condition: Some(Condition::Compare(
            Operand::Path(Path::attribute("content")),
            Comparator::Eq,
            Operand::Value(s("x")),
        )),
        return_values: ReturnValues::AllOld,
    };
    assert!(matches!(
        backend.delete_item(delete.clone()).await,
        Err(Error::ConditionFailed { .. })
    ));
    let old = backend
        .delete_item(DeleteItem {
            condition: None,
            ..delete
        })
        .await
        .unwrap();
    assert_eq!(old.attributes.unwrap()["content"], s("hello"));
}

#[tokio::test]
async fn puts_are_validated_with_dynamodbs_messages() {
    let backend = notes().await;
    let err = backend
        .put_item(put("notes", note("", "n1")))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("cannot contain an empty string value. Key: userId"));
    let err = backend
        .put_item(put("notes", item(&[("userId", s("u"))])))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("Missing the key noteId in the item"));
    let bad_return = PutItem {
        return_values: ReturnValues::AllNew,
        ..put("notes", note("u", "n"))
    };
    assert!(
        validation_message(backend.put_item(bad_return).await.unwrap_err())
            .starts_with("Return values set to invalid value")
    );
    let get = GetItem {
        table_name: "notes".into(),
        key: item(&[("userId", s("u"))]),
        consistent_read: false,
        projection: None,
    };
    assert!(
        validation_message(backend.get_item(get).await.unwrap_err())
            .starts_with("The provided key element does not match the schema")
    );
}

#[tokio::test]
async fn update_upserts_and_returns_the_images_asked_for() {
    let backend = notes().await;
    let add = |v: &str| UpdateAction::Add(Path::attribute("views"), Operand::Value(n(v)));
    let out = backend
        .update_item(update(
            note_key("u", "n1"),
            vec![add("1")],
            ReturnValues::AllNew,
        ))
        .await
        .unwrap();
    assert_eq!(
        out.attributes.unwrap(),
        item(&[("userId", s("u")), ("noteId", s("n1")), ("views", n("1"))])
    );
    let out = backend
        .update_item(update(
            note_key("u", "n1"),
            vec![add("2")],
            ReturnValues::UpdatedOld,
        ))
        .await
        .unwrap();
    assert_eq!(out.attributes.unwrap(), item(&[("views", n("1"))]));
    let out = backend
        .update_item(update(
            note_key("u", "n1"),
            vec![add("2")],
            ReturnValues::UpdatedNew,
        ))
        .await
        .unwrap();
    assert_eq!(out.attributes.unwrap(), item(&[("views", n("5"))]));
    let set = UpdateAction::Set(
        Path::attribute("content"),
        SetValue::Value(Operand::Value(s("x"))),
    );
    let out = backend
        .update_item(update(note_key("u", "n1"), vec![set], ReturnValues::AllOld))
        .await
        .unwrap();
    assert_eq!(out.attributes.unwrap()["views"], n("5"));
    let out = backend
        .update_item(update(
            note_key("u", "n2"),
            vec![add("1")],
            ReturnValues::AllOld,
        ))
        .await
        .unwrap();
    assert_eq!(out.attributes, None);
}

#[tokio::test]
async fn updates_cannot_touch_keys_or_break_types() {
    let backend = notes().await;
    let set_key = UpdateAction::Set(
        Path::attribute("userId"),
        SetValue::Value(Operand::Value(s("x"))),
    );
    let err = backend
        .update_item(update(
            note_key("u", "n1"),
            vec![set_key],
            ReturnValues::None,
        ))
        .await
        .unwrap_err();
    assert!(
        validation_message(err)
            .contains("Cannot update attribute userId. This attribute is part of the key")
    );
    backend
        .put_item(put("notes", note("u", "n1")))
        .await
        .unwrap();
    let add = UpdateAction::Add(Path::attribute("content"), Operand::Value(n("1")));
    let err = backend
        .update_item(update(note_key("u", "n1"), vec![add], ReturnValues::None))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("incorrect data type"));
    let too_big = UpdateAction::Set(
        Path::attribute("content"),
        SetValue::Value(Operand::Value(s(&"x".repeat(410_000)))),
    );
    let err = backend
        .update_item(update(
            note_key("u", "n1"),
            vec![too_big],
            ReturnValues::None,
        ))
        .await
        .unwrap_err();
    let Error::ItemTooLarge { message, .. } = err else {
        panic!("expected ItemTooLarge, got {err:?}");
    };
    assert!(message.starts_with("Item size to update has exceeded the maximum allowed size"));
}

#[tokio::test]
async fn hostile_inputs_are_errors_not_panics() {
    use notes_model::expr::PathElement;
    let backend = notes().await;
    backend
        .put_item(put("notes", note("u", "n1")))
        .await
        .unwrap();
    let no_path = Path { elements: vec![] };
    let index_first = Path {
        elements: vec![PathElement::Index(0)],
    };
    let too_deep = Path {
        elements: vec![PathElement::Name("a".into()); 40],
    };
    for path in [no_path, index_first, too_deep] {
        let get = GetItem {
            table_name: "notes".into(),
            key: note_key("u", "n1"),
            consistent_read: false,
            projection: Some(vec![path.clone()]),
        };
        assert!(backend.get_item(get).await.is_err(), "{path:?}");
        let remove = update(
            note_key("u", "n1"),
            vec![UpdateAction::Remove(path.clone())],
            ReturnValues::None,
        );
        assert!(backend.update_item(remove).await.is_err(), "{path:?}");
        let cond = PutItem {
            condition: Some(Condition::Exists(path.clone())),
            ..put("notes", note("u", "n1"))
        };
        assert!(backend.put_item(cond).await.is_err(), "{path:?}");
    }
    let bad_key = item(&[("userId", AttributeValue::B(vec![1])), ("noteId", s("n"))]);
    let get = GetItem {
        table_name: "notes".into(),
        key: bad_key,
        consistent_read: false,
        projection: None,
    };
    assert!(backend.get_item(get).await.is_err());
    for number in [
        "1e999999999999999999999",
        "-",
        "1e-999999999999",
        "NaN",
        &"1".repeat(100_000),
    ] {
        let mut row = note("u", "n2");
        row.insert("x".into(), n(number));
        assert!(
            backend.put_item(put("notes", row)).await.is_err(),
            "{number}"
        );
    }
    let set_in_string = UpdateAction::Set(
        Path::attribute("content").index(3),
        SetValue::Value(Operand::Value(s("x"))),
    );
    let err = backend
        .update_item(update(
            note_key("u", "n1"),
            vec![set_in_string],
            ReturnValues::None,
        ))
        .await
        .unwrap_err();
    assert!(
        validation_message(err)
            .contains("document path provided in the update expression is invalid")
    );
    let invalid = Condition::Compare(
        Operand::Path(Path::attribute("content")),
        Comparator::Eq,
        Operand::Invalid {
            path: Path::attribute("content"),
            message: "bad".into(),
        },
    );
    let q = Query {
        filter: Some(invalid),
        ..query("u")
    };
    assert!(backend.query(q).await.is_err());
    let esk = Scan {
        exclusive_start_key: Some(note("u", "n1")),
        ..scan()
    };
    assert!(backend.scan(esk).await.is_err());
    let deep = (0..3_000).fold(s("x"), |v, _| AttributeValue::L(vec![v]));
    let mut row = note("u", "n3");
    row.insert("deep".into(), deep);
    assert!(backend.put_item(put("notes", row)).await.is_err());
}
