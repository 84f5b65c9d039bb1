//! Single-item operations: values, conditions, updates and returned images.

use super::*;

notes_tests::on_every_backend!(
    put_then_get_returns_numbers_in_canonical_form,
    a_failed_condition_writes_nothing,
    updates_cannot_touch_keys_or_break_types,
    concurrent_tasks_see_every_write,
    every_value_type_and_hostile_strings_round_trip_verbatim,
    update_actions_conditions_and_images,
    puts_are_validated_with_dynamodbs_messages,
    ;
    memory_only:
    update_upserts_and_returns_the_images_asked_for,
    hostile_inputs_are_errors_not_panics,
);

async fn put_then_get_returns_numbers_in_canonical_form<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let mut stored = note("u", "n1");
    stored.insert("createdAt".into(), n("1.50"));
    backend.put_item(put(table, stored)).await.unwrap();
    let get = GetItem::new(table, note_key("u", "n1")).consistent_read(true);
    let out = backend.get_item(get.clone()).await.unwrap();
    assert_eq!(out.item.unwrap()["createdAt"], n("1.5"));
    assert_eq!(out.consumed_capacity, Some(1.0));
    let projected = backend
        .get_item(get.projection(vec![Path::attribute("content")]))
        .await
        .unwrap();
    assert_eq!(projected.item.unwrap(), item(&[("content", s("hello"))]));
}

async fn a_failed_condition_writes_nothing<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    backend.put_item(put(table, note("u", "n1"))).await.unwrap();
    let mut replacement = note("u", "n1");
    replacement.insert("content".into(), s("changed"));
    let create_only =
        put(table, replacement).condition(Condition::NotExists(Path::attribute("noteId")));
    assert!(matches!(
        backend.put_item(create_only).await,
        Err(Error::ConditionFailed { .. })
    ));
    let delete = DeleteItem::new(table, note_key("u", "n1"))
        .condition(Condition::Compare(
            Operand::Path(Path::attribute("content")),
            Comparator::Eq,
            Operand::Value(s("x")),
        ))
        .return_values(ReturnValues::AllOld);
    assert!(matches!(
        backend.delete_item(delete.clone()).await,
        Err(Error::ConditionFailed { .. })
    ));
    let old = backend
        .delete_item({
            let mut request = delete;
            request.condition = None;
            request
        })
        .await
        .unwrap();
    assert_eq!(old.attributes.unwrap()["content"], s("hello"));
}

async fn puts_are_validated_with_dynamodbs_messages<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let err = backend
        .put_item(put(table, note("", "n1")))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("cannot contain an empty string value. Key: userId"));
    let err = backend
        .put_item(put(table, item(&[("userId", s("u"))])))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("Missing the key noteId in the item"));
    let bad_return = put(table, note("u", "n")).return_values(ReturnValues::AllNew);
    assert_eq!(
        validation_message(backend.put_item(bad_return).await.unwrap_err()),
        "1 validation error detected: ReturnValues can only be ALL_OLD or NONE"
    );
    let get = GetItem::new(table, item(&[("userId", s("u"))]));
    assert!(
        validation_message(backend.get_item(get).await.unwrap_err())
            .starts_with("The provided key element does not match the schema")
    );
}

// MemoryBackend only: dynoxide 3.2.0 answers ALL_OLD of an update that creates
// the item with the new item's key; DynamoDB answers no attributes.
async fn update_upserts_and_returns_the_images_asked_for<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let add = |v: &str| UpdateAction::Add(Path::attribute("views"), Operand::Value(n(v)));
    let out = backend
        .update_item(update(
            table,
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
            table,
            note_key("u", "n1"),
            vec![add("2")],
            ReturnValues::UpdatedOld,
        ))
        .await
        .unwrap();
    assert_eq!(out.attributes.unwrap(), item(&[("views", n("1"))]));
    let out = backend
        .update_item(update(
            table,
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
        .update_item(update(
            table,
            note_key("u", "n1"),
            vec![set],
            ReturnValues::AllOld,
        ))
        .await
        .unwrap();
    assert_eq!(out.attributes.unwrap()["views"], n("5"));
    let out = backend
        .update_item(update(
            table,
            note_key("u", "n2"),
            vec![add("1")],
            ReturnValues::AllOld,
        ))
        .await
        .unwrap();
    assert_eq!(out.attributes, None);
}

async fn updates_cannot_touch_keys_or_break_types<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let set_key = UpdateAction::Set(
        Path::attribute("userId"),
        SetValue::Value(Operand::Value(s("x"))),
    );
    let err = backend
        .update_item(update(
            table,
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
    backend.put_item(put(table, note("u", "n1"))).await.unwrap();
    let add = UpdateAction::Add(Path::attribute("content"), Operand::Value(n("1")));
    let err = backend
        .update_item(update(
            table,
            note_key("u", "n1"),
            vec![add],
            ReturnValues::None,
        ))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("incorrect data type"));
    let too_big = UpdateAction::Set(
        Path::attribute("content"),
        SetValue::Value(Operand::Value(s(&"x".repeat(410_000)))),
    );
    let err = backend
        .update_item(update(
            table,
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

// MemoryBackend only: dynoxide 3.2.0 accepts a document path 40 levels deep
// (DynamoDB's limit is 32).
async fn hostile_inputs_are_errors_not_panics<B: Backend>(backend: B, table: &str) {
    use notes_repo::expr::PathElement;
    notes(&backend, table).await;
    backend.put_item(put(table, note("u", "n1"))).await.unwrap();
    let no_path = Path { elements: vec![] };
    let index_first = Path {
        elements: vec![PathElement::Index(0)],
    };
    let too_deep = Path {
        elements: vec![PathElement::Name("a".into()); 40],
    };
    for (path, expected) in [
        (
            no_path,
            "a document path must start with an attribute name, found ``",
        ),
        (
            index_first,
            "a document path must start with an attribute name, found `[0]`",
        ),
        (
            too_deep,
            "The document path has too many nesting levels; nesting levels: 40",
        ),
    ] {
        // DynamoDB names the expression at fault ("Invalid ProjectionExpression: ..."), framed
        // as a request validation error in PutItem and UpdateItem ("1 validation error
        // detected: ..."); MemoryBackend, which checks the request's expression tree rather
        // than its text, and the AWS backend, which cannot write such a path, say "Invalid
        // expression: ...".
        let invalid = |m: &str, expression: &str| {
            let m = m.strip_prefix("1 validation error detected: ").unwrap_or(m);
            (m.starts_with("Invalid expression: ")
                || m.starts_with(&format!("Invalid {expression}: ")))
                && m.contains(expected)
        };
        let get = GetItem::new(table, note_key("u", "n1")).projection(vec![path.clone()]);
        let m = validation_message(backend.get_item(get).await.unwrap_err());
        assert!(invalid(&m, "ProjectionExpression"), "{m}");
        let remove = update(
            table,
            note_key("u", "n1"),
            vec![UpdateAction::Remove(path.clone())],
            ReturnValues::None,
        );
        let m = validation_message(backend.update_item(remove).await.unwrap_err());
        assert!(invalid(&m, "UpdateExpression"), "{m}");
        let cond = put(table, note("u", "n1")).condition(Condition::Exists(path.clone()));
        let m = validation_message(backend.put_item(cond).await.unwrap_err());
        assert!(invalid(&m, "ConditionExpression"), "{m}");
    }
    let bad_key = item(&[("userId", AttributeValue::B(vec![1])), ("noteId", s("n"))]);
    let get = GetItem::new(table, bad_key);
    let m = validation_message(backend.get_item(get).await.unwrap_err());
    assert!(
        m.starts_with("The provided key element does not match the schema"),
        "{m}"
    );
    let long = "1".repeat(100_000);
    for (number, expected) in [
        ("1e999999999999999999999", "Number overflow."),
        (
            "-",
            "The parameter cannot be converted to a numeric value: -",
        ),
        ("1e-999999999999", "Number underflow."),
        (
            "NaN",
            "The parameter cannot be converted to a numeric value: NaN",
        ),
        (&long, "Attempting to store more than 38 significant digits"),
    ] {
        let mut row = note("u", "n2");
        row.insert("x".into(), n(number));
        let m = validation_message(backend.put_item(put(table, row)).await.unwrap_err());
        assert!(m.starts_with(expected), "{number}: {m}");
    }
    let set_in_string = UpdateAction::Set(
        Path::attribute("content").index(3),
        SetValue::Value(Operand::Value(s("x"))),
    );
    let err = backend
        .update_item(update(
            table,
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
    let q = query(table, "u").filter(invalid);
    let m = validation_message(backend.query(q).await.unwrap_err());
    assert!(
        m.starts_with("ExpressionAttributeValues contains invalid value")
            && m.contains("`content` could not be converted: bad"),
        "{m}"
    );
    let esk = scan(table).exclusive_start_key(note("u", "n1"));
    let m = validation_message(backend.scan(esk).await.unwrap_err());
    assert!(m.starts_with("The provided starting key is invalid"), "{m}");
    let deep = (0..3_000).fold(s("x"), |v, _| AttributeValue::L(vec![v]));
    let mut row = note("u", "n3");
    row.insert("deep".into(), deep);
    let m = validation_message(backend.put_item(put(table, row)).await.unwrap_err());
    assert!(
        m.starts_with("Nesting Levels have exceeded supported limits"),
        "{m}"
    );
}

/// `ADD` counters are exact under concurrency: 8 tasks started together, on 4 worker threads,
/// each add 1 fifty times; every add sees a distinct new value, the tasks' adds interleave, and
/// the counter ends at 400.
async fn concurrent_tasks_see_every_write<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let (tasks, adds) = (8, 50);
    let start = notes_tests::StartLine::new(tasks);
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (backend, table, start) = (backend.clone(), table.to_owned(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                let mut seen = Vec::with_capacity(adds);
                for _ in 0..adds {
                    let add = UpdateAction::Add(Path::attribute("count"), Operand::Value(n("1")));
                    let output = backend
                        .update_item(update(
                            &table,
                            note_key("u", "c"),
                            vec![add],
                            ReturnValues::UpdatedNew,
                        ))
                        .await
                        .unwrap();
                    let Some(AttributeValue::N(count)) =
                        output.attributes.and_then(|mut a| a.remove("count"))
                    else {
                        panic!("ADD returned no count");
                    };
                    seen.push(count.parse::<usize>().unwrap());
                    // MemoryBackend answers without suspending: give the other tasks a turn,
                    // as an app doing anything else between its writes would.
                    tokio::task::yield_now().await;
                }
                seen
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut interleaved = false;
    for handle in handles {
        let seen = handle.await.unwrap();
        // Another task's add came between two of this task's adds.
        interleaved |= seen.windows(2).any(|w| w[1] != w[0] + 1);
        all.extend(seen);
    }
    all.sort_unstable();
    let expected: Vec<usize> = (1..=tasks * adds).collect();
    assert_eq!(all, expected, "every add counted exactly once");
    assert!(
        interleaved,
        "the tasks ran one after another, not concurrently"
    );
    let get = GetItem::new(table, note_key("u", "c")).consistent_read(true);
    assert_eq!(
        backend.get_item(get).await.unwrap().item.unwrap()["count"],
        n("400")
    );
}

async fn every_value_type_and_hostile_strings_round_trip_verbatim<B: Backend>(
    backend: B,
    table: &str,
) {
    notes_table(&backend, table).await;
    let mut nested = ItemMap::new();
    nested.insert("status".to_owned(), s(HOSTILE));
    nested.insert("#:)".to_owned(), AttributeValue::Bool(false));
    let mut it = note_key("u#1:)", "n'\"1");
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
        ("list", AttributeValue::L(vec![s(")"), num(1)])),
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
        .put_item(
            PutItem::new(table.to_owned(), it.clone())
                .condition(Condition::NotExists(path("userId"))),
        )
        .await
        .unwrap();
    assert!(
        written.consumed_capacity.is_some_and(|c| c > 0.0),
        "{written:?}"
    );

    let read = backend
        .get_item(GetItem::new(table.to_owned(), note_key("u#1:)", "n'\"1")).consistent_read(true))
        .await
        .unwrap();
    assert!(read.consumed_capacity.is_some_and(|c| c > 0.0), "{read:?}");
    let mut read = read.item.expect("item found").into_owned();
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
        .get_item(
            GetItem::new(table.to_owned(), note_key("u#1:)", "n'\"1"))
                .consistent_read(true)
                .projection(vec![
                    path("name"),
                    path("meta").key("status"),
                    path("list").index(0),
                    path("#n0"),
                ]),
        )
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
    let check = |cond: Condition| {
        DeleteItem::new(table.to_owned(), note_key("u#1:)", "n'\"1"))
            .condition(cond)
            .return_values(ReturnValues::AllOld)
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
    assert_eq!(
        fetch(&backend, table, note_key("u#1:)", "n'\"1")).await,
        None
    );
}

async fn update_actions_conditions_and_images<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    let mut it = note_with("u1", "n1", "old");
    it.insert("attachment".to_owned(), s("file.png"));
    it.insert(
        "tags".to_owned(),
        AttributeValue::Ss(vec!["a".to_owned(), "b".to_owned()]),
    );
    it.insert("list".to_owned(), AttributeValue::L(vec![num(1)]));
    store(&backend, table, it).await;

    let update = Update::new()
        .and(UpdateAction::Set(
            path("content"),
            SetValue::Value(Operand::Value(s(HOSTILE))),
        ))
        .and(UpdateAction::Set(
            path("status"),
            SetValue::IfNotExists(path("status"), Operand::Value(s("new")).into()),
        ))
        .and(UpdateAction::Set(
            path("list"),
            SetValue::ListAppend(
                Operand::Path(path("list")).into(),
                Operand::Value(AttributeValue::L(vec![num(2)])).into(),
            ),
        ))
        .and(UpdateAction::Remove(path("attachment")))
        .and(UpdateAction::Add(path("count"), Operand::Value(num(5))))
        .and(UpdateAction::Delete(
            path("tags"),
            Operand::Value(AttributeValue::Ss(vec!["a".to_owned()])),
        ));
    let output = backend
        .update_item(
            UpdateItem::new(table.to_owned(), note_key("u1", "n1"), update)
                .condition(eq("content", s("old")) & Condition::Exists(path("attachment")))
                .return_values(ReturnValues::AllNew),
        )
        .await
        .unwrap();
    assert!(output.consumed_capacity.is_some());
    let mut expected = note_with("u1", "n1", HOSTILE);
    expected.extend(item(&[
        ("status", s("new")),
        ("list", AttributeValue::L(vec![num(1), num(2)])),
        ("count", num(5)),
        ("tags", AttributeValue::Ss(vec!["b".to_owned()])),
    ]));
    assert_eq!(output.attributes, Some(expected));

    let increment = |amount: i64, condition: Option<Condition>| {
        let mut request = UpdateItem::new(
            table.to_owned(),
            note_key("u1", "n1"),
            Update::from(UpdateAction::Set(
                path("count"),
                SetValue::Plus(
                    Operand::Path(path("count")).into(),
                    Operand::Value(num(amount)).into(),
                ),
            )),
        )
        .return_values(ReturnValues::UpdatedOld);
        request.condition = condition;
        request
    };
    let old = backend.update_item(increment(2, None)).await.unwrap();
    assert_eq!(old.attributes, Some(item(&[("count", num(5))])));
    let err = backend
        .update_item(increment(
            1,
            Some(Condition::Compare(
                Operand::Path(path("count")),
                Comparator::Gt,
                Operand::Value(num(100)),
            )),
        ))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    let stored = fetch(&backend, table, note_key("u1", "n1")).await.unwrap();
    assert_eq!(stored["count"], num(7));
}

// DynamoDbBackend renders expressions before sending (MemoryBackend looks up the table first).
#[tokio::test]
async fn invalid_expressions_fail_before_any_request() {
    let Some(backend) = server_support::available_backend().await else {
        return;
    };
    // No such table: a request that reached the server would be TableNotFound.
    let table = server_support::table_name("never-sent");
    let table = table.as_str();
    let err = backend
        .put_item(
            PutItem::new(table.to_owned(), note_with("u1", "n1", "x")).condition(
                Condition::Compare(
                    Operand::Path(path("content")),
                    Comparator::Eq,
                    Operand::Invalid {
                        path: path("content"),
                        message: "cannot serialize".to_owned(),
                    },
                ),
            ),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation { source: None, .. }),
        "{err:?}"
    );

    let err = backend
        .query({
            let mut request = consistent_query(table, "u1");
            request.key_condition = KeyCondition::partition("userId", s("u1"))
                .with_sort_key("noteId", SortKeyCondition::Compare(Comparator::Ne, s("n1")));
            request
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation { source: None, .. }),
        "{err:?}"
    );
}

// DynamoDbBackend keeps the service's error as the source of the typed one.

#[tokio::test]
async fn conditional_put_and_old_image() {
    let Some(backend) = server_support::available_backend().await else {
        return;
    };
    let table = new_notes_table(&backend, "put").await;
    let create = |content: &str| {
        PutItem::new(table.clone(), note_with("u1", "n1", content))
            .condition(Condition::NotExists(path("userId")))
            .return_values(ReturnValues::AllOld)
    };
    let first = backend.put_item(create("one")).await.unwrap();
    assert_eq!(first.attributes, None);
    let err = backend.put_item(create("two")).await.unwrap_err();
    let Error::ConditionFailed {
        source: Some(source),
        ..
    } = &err
    else {
        panic!("expected ConditionFailed, got {err:?}");
    };
    assert!(!source.to_string().is_empty());
    assert!(err.source().is_some());

    let overwrite = backend
        .put_item({
            let mut request = create("three");
            request.condition = None;
            request
        })
        .await
        .unwrap();
    assert_eq!(overwrite.attributes, Some(note_with("u1", "n1", "one")));
}

#[tokio::test]
async fn service_validation_errors_carry_the_service_message() {
    let Some(backend) = server_support::available_backend().await else {
        return;
    };
    let table = new_notes_table(&backend, "validation").await;

    // A key without its sort key.
    let err = backend
        .get_item(GetItem::new(table.clone(), item(&[("userId", s("u1"))])))
        .await
        .unwrap_err();
    let Error::Validation { message, source } = &err else {
        panic!("expected Validation, got {err:?}");
    };
    assert!(source.is_some());
    assert!(message.contains("key"), "{message}");

    // A key attribute of the wrong type.
    let err = backend
        .put_item(PutItem::new(
            table.clone(),
            item(&[("userId", num(1)), ("noteId", s("n1"))]),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Validation {
                source: Some(_),
                ..
            }
        ),
        "{err:?}"
    );

    // Updating a key attribute.
    let err = backend
        .update_item(UpdateItem::new(
            table.clone(),
            note_key("u1", "n1"),
            Update::from(UpdateAction::Set(
                path("noteId"),
                SetValue::Value(Operand::Value(s("n2"))),
            )),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Validation {
                source: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
}
