//! Secondary indexes: CreateTable rules, sparse membership, order, paging, projections.

use std::borrow::Cow;

use notes_model::{IndexKind, IndexProjection, IndexSchema};

use super::*;

fn index(
    name: &'static str,
    kind: IndexKind,
    pk: (&'static str, ScalarType),
    sk: Option<(&'static str, ScalarType)>,
    projection: IndexProjection,
) -> IndexSchema {
    IndexSchema {
        name: Cow::Borrowed(name),
        kind,
        key_schema: KeySchema {
            partition_key: KeyAttribute::new(pk.0, pk.1),
            sort_key: sk.map(|(name, t)| KeyAttribute::new(name, t)),
        },
        projection,
    }
}

/// `byCreatedAt` (LSI, ALL), `byStatus` (GSI, INCLUDE content), `byTag` (GSI, KEYS_ONLY).
fn notes_indexes() -> Vec<IndexSchema> {
    vec![
        index(
            "byCreatedAt",
            IndexKind::Local,
            ("userId", ScalarType::S),
            Some(("createdAt", ScalarType::N)),
            IndexProjection::All,
        ),
        index(
            "byStatus",
            IndexKind::Global,
            ("status", ScalarType::S),
            Some(("createdAt", ScalarType::N)),
            IndexProjection::Include(vec![Cow::Borrowed("content")]),
        ),
        index(
            "byTag",
            IndexKind::Global,
            ("tag", ScalarType::S),
            None,
            IndexProjection::KeysOnly,
        ),
    ]
}

fn create(indexes: Vec<IndexSchema>, sort_key: bool) -> CreateTable {
    CreateTable {
        table_name: "notes".into(),
        key_schema: KeySchema {
            partition_key: KeyAttribute::new("userId", ScalarType::S),
            sort_key: sort_key.then(|| KeyAttribute::new("noteId", ScalarType::S)),
        },
        billing_mode: BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5,
        },
        indexes,
    }
}

async fn indexed_notes() -> MemoryBackend {
    let backend = MemoryBackend::new();
    backend
        .create_table(create(notes_indexes(), true))
        .await
        .unwrap();
    backend
}

/// A note with `createdAt`, and a `status` when given (the `byStatus` index is sparse).
fn dated(user: &str, id: &str, created: i64, status: Option<&str>) -> ItemMap {
    let mut it = note(user, id);
    it.insert("createdAt".into(), n(&created.to_string()));
    it.insert("secret".into(), s("not projected"));
    if let Some(status) = status {
        it.insert("status".into(), s(status));
    }
    it
}

fn index_query(index: &str, pk: (&'static str, AttributeValue)) -> Query {
    Query {
        index_name: Some(index.into()),
        key_condition: KeyCondition::partition(pk.0, pk.1),
        ..query("unused")
    }
}

fn index_scan(index: &str) -> Scan {
    Scan {
        index_name: Some(index.into()),
        ..scan()
    }
}

/// `(userId, noteId)` of each item of a page.
fn keys(page: &PageOutput) -> Vec<(String, String)> {
    page.items
        .iter()
        .map(|i| match (&i["userId"], &i["noteId"]) {
            (AttributeValue::S(u), AttributeValue::S(n)) => (u.clone(), n.clone()),
            other => panic!("bad key {other:?}"),
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(u, n)| ((*u).to_owned(), (*n).to_owned()))
        .collect()
}

async fn create_error(indexes: Vec<IndexSchema>, sort_key: bool) -> String {
    let err = MemoryBackend::new()
        .create_table(create(indexes, sort_key))
        .await
        .expect_err("invalid indexes");
    validation_message(err)
}

fn gsi(name: &'static str, pk: &'static str) -> IndexSchema {
    index(
        name,
        IndexKind::Global,
        (pk, ScalarType::S),
        None,
        IndexProjection::All,
    )
}

fn lsi(name: &'static str, sk: &'static str) -> IndexSchema {
    index(
        name,
        IndexKind::Local,
        ("userId", ScalarType::S),
        Some((sk, ScalarType::S)),
        IndexProjection::All,
    )
}

#[tokio::test]
async fn create_table_rejects_bad_index_names() {
    let message = create_error(vec![gsi("ab", "tag")], true).await;
    assert!(
        message.contains("at 'globalSecondaryIndexes.1.member.indexName'")
            && message.contains("length greater than or equal to 3"),
        "{message}"
    );
    let message = create_error(vec![gsi("by tag", "tag")], true).await;
    assert!(message.contains("regular expression pattern"), "{message}");
    let long: &'static str = Box::leak("x".repeat(256).into_boxed_str());
    let message = create_error(vec![lsi(long, "createdAt")], true).await;
    assert!(
        message.contains("localSecondaryIndexes.1.member.indexName")
            && message.contains("less than or equal to 255"),
        "{message}"
    );
    let message = create_error(vec![gsi("byTag", "tag"), lsi("byTag", "other")], true).await;
    assert!(message.contains("Duplicate index name: byTag"), "{message}");
}

#[tokio::test]
async fn local_indexes_need_the_table_partition_key_and_a_sort_key() {
    let message = create_error(vec![lsi("byOther", "other")], false).await;
    assert!(
        message.contains("Table KeySchema does not have a range key"),
        "{message}"
    );
    let no_sort = index(
        "byNothing",
        IndexKind::Local,
        ("userId", ScalarType::S),
        None,
        IndexProjection::All,
    );
    let message = create_error(vec![no_sort], true).await;
    assert!(
        message.contains("Index KeySchema does not have a range key for index: byNothing"),
        "{message}"
    );
    let other_pk = index(
        "byOwner",
        IndexKind::Local,
        ("owner", ScalarType::S),
        Some(("createdAt", ScalarType::N)),
        IndexProjection::All,
    );
    let message = create_error(vec![other_pk], true).await;
    assert!(
        message.contains("does not have the same leading hash key as table KeySchema")
            && message.contains("index hash key: owner, table hash key: userId"),
        "{message}"
    );
}

#[tokio::test]
async fn index_counts_are_limited_to_five_local_and_twenty_global() {
    let names: Vec<&'static str> = (0..21)
        .map(|i| &*Box::leak(format!("index{i:02}").into_boxed_str()))
        .collect();
    let locals = names[..6].iter().map(|n| lsi(n, n)).collect();
    let message = create_error(locals, true).await;
    assert!(
        message.contains("exceeds per-table limit of 5"),
        "{message}"
    );
    let globals = names.iter().map(|n| gsi(n, n)).collect();
    let message = create_error(globals, true).await;
    assert!(message.contains("per-table limit of 20"), "{message}");
    let five_and_twenty: Vec<_> = names[..5]
        .iter()
        .map(|n| lsi(n, n))
        .chain(names[..20].iter().map(|n| {
            let mut g = gsi(n, n);
            g.name = Cow::Owned(format!("g{n}"));
            g
        }))
        .collect();
    MemoryBackend::new()
        .create_table(create(five_and_twenty, true))
        .await
        .expect("5 local and 20 global indexes are allowed");
}

#[tokio::test]
async fn a_key_attribute_has_one_type_across_table_and_indexes() {
    let numeric_user = index(
        "byUser",
        IndexKind::Global,
        ("userId", ScalarType::N),
        None,
        IndexProjection::All,
    );
    let message = create_error(vec![numeric_user], true).await;
    assert!(
        message.contains("Cannot have two attributes with the same name: userId"),
        "{message}"
    );
    let a = index(
        "byAt",
        IndexKind::Global,
        ("tag", ScalarType::S),
        Some(("at", ScalarType::N)),
        IndexProjection::All,
    );
    let b = index(
        "byAt2",
        IndexKind::Global,
        ("at", ScalarType::S),
        None,
        IndexProjection::All,
    );
    let message = create_error(vec![a, b], true).await;
    assert!(message.contains("same name: at"), "{message}");
}

#[tokio::test]
async fn index_key_schemas_and_projections_are_checked() {
    let same = index(
        "bySame",
        IndexKind::Global,
        ("tag", ScalarType::S),
        Some(("tag", ScalarType::S)),
        IndexProjection::All,
    );
    let message = create_error(vec![same], true).await;
    assert!(message.contains("have the same name"), "{message}");
    let empty = index(
        "byEmpty",
        IndexKind::Global,
        ("tag", ScalarType::S),
        None,
        IndexProjection::Include(Vec::new()),
    );
    let message = create_error(vec![empty], true).await;
    assert!(
        message.contains("at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes'"),
        "{message}"
    );
}

#[tokio::test]
async fn describe_reports_the_indexes() {
    let backend = indexed_notes().await;
    let described = backend.describe_table("notes".into()).await.unwrap();
    assert_eq!(described.indexes, notes_indexes());
    let plain = notes().await;
    let described = plain.describe_table("notes".into()).await.unwrap();
    assert!(described.indexes.is_empty());
}

#[tokio::test]
async fn an_unknown_index_is_named_in_the_error() {
    let backend = indexed_notes().await;
    let err = backend
        .query(index_query("byNothing", ("userId", s("u"))))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "The table does not have the specified index: byNothing"
    );
    let err = backend.scan(index_scan("byNothing")).await.unwrap_err();
    assert_eq!(
        validation_message(err),
        "The table does not have the specified index: byNothing"
    );
}

#[tokio::test]
async fn global_indexes_cannot_be_read_consistently() {
    let backend = indexed_notes().await;
    let err = backend
        .query(Query {
            consistent_read: true,
            ..index_query("byStatus", ("status", s("open")))
        })
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "Consistent reads are not supported on global secondary indexes"
    );
    let err = backend
        .scan(Scan {
            consistent_read: true,
            ..index_scan("byTag")
        })
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("Consistent reads are not supported"));
    backend
        .query(Query {
            consistent_read: true,
            ..index_query("byCreatedAt", ("userId", s("u")))
        })
        .await
        .expect("local indexes can be read consistently");
}

#[tokio::test]
async fn the_key_condition_must_use_the_index_keys() {
    let backend = indexed_notes().await;
    let err = backend
        .query(index_query("byStatus", ("userId", s("u"))))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("Query condition missed key schema element: status"));
    let on_table_sort_key = index_query("byCreatedAt", ("userId", s("u")))
        .key_condition
        .with_sort_key("noteId", SortKeyCondition::Compare(Comparator::Eq, s("a")));
    let err = backend
        .query(Query {
            key_condition: on_table_sort_key,
            ..index_query("byCreatedAt", ("userId", s("u")))
        })
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("the sort key is `createdAt`"));
    let filter_on_index_key = Condition::Compare(
        Operand::Path(Path::attribute("createdAt")),
        Comparator::Gt,
        Operand::Value(n("1")),
    );
    let err = backend
        .query(Query {
            filter: Some(filter_on_index_key),
            ..index_query("byStatus", ("status", s("open")))
        })
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("Primary key attribute: createdAt"));
}

#[tokio::test]
async fn sparse_indexes_hold_only_items_with_every_index_key() {
    let backend = indexed_notes().await;
    backend
        .put_item(put("notes", dated("u1", "a", 1, Some("open"))))
        .await
        .unwrap();
    backend
        .put_item(put("notes", dated("u1", "b", 2, None)))
        .await
        .unwrap();
    backend
        .put_item(put("notes", note("u1", "c")))
        .await
        .unwrap();
    let page = backend.scan(index_scan("byStatus")).await.unwrap();
    assert_eq!(keys(&page), pairs(&[("u1", "a")]));
    let page = backend
        .query(index_query("byCreatedAt", ("userId", s("u1"))))
        .await
        .unwrap();
    assert_eq!(keys(&page), pairs(&[("u1", "a"), ("u1", "b")]));

    // An update that adds the key puts the item in; one that removes it takes it out.
    backend
        .update_item(update(
            note_key("u1", "b"),
            vec![UpdateAction::Set(
                Path::attribute("status"),
                SetValue::Value(Operand::Value(s("open"))),
            )],
            ReturnValues::None,
        ))
        .await
        .unwrap();
    backend
        .update_item(update(
            note_key("u1", "a"),
            vec![UpdateAction::Remove(Path::attribute("status"))],
            ReturnValues::None,
        ))
        .await
        .unwrap();
    let page = backend.scan(index_scan("byStatus")).await.unwrap();
    assert_eq!(keys(&page), pairs(&[("u1", "b")]));

    // Batch writes, transactions and deletes keep every index up to date.
    let mut writes = std::collections::HashMap::new();
    writes.insert(
        "notes".to_owned(),
        vec![
            WriteRequest::Put(dated("u2", "x", 5, Some("open"))),
            WriteRequest::Delete(note_key("u1", "b")),
        ],
    );
    backend
        .batch_write_item(BatchWriteItem {
            request_items: writes,
        })
        .await
        .unwrap();
    backend
        .transact_write_items(TransactWriteItems {
            items: vec![TransactWrite::Put {
                table_name: "notes".into(),
                item: dated("u3", "y", 4, Some("open")),
                condition: None,
            }],
            client_request_token: None,
        })
        .await
        .unwrap();
    let page = backend
        .query(index_query("byStatus", ("status", s("open"))))
        .await
        .unwrap();
    assert_eq!(keys(&page), pairs(&[("u3", "y"), ("u2", "x")]));
    backend
        .delete_item(DeleteItem {
            table_name: "notes".into(),
            key: note_key("u2", "x"),
            condition: None,
            return_values: ReturnValues::None,
        })
        .await
        .unwrap();
    let page = backend
        .query(index_query("byStatus", ("status", s("open"))))
        .await
        .unwrap();
    assert_eq!(keys(&page), pairs(&[("u3", "y")]));
}

#[tokio::test]
async fn writes_reject_index_keys_of_the_wrong_type_or_empty() {
    let backend = indexed_notes().await;
    let mut wrong = note("u1", "a");
    wrong.insert("createdAt".into(), s("yesterday"));
    let err = backend.put_item(put("notes", wrong)).await.unwrap_err();
    let message = validation_message(err);
    assert!(
        message.contains("Type mismatch for Index Key createdAt Expected: N Actual: S"),
        "{message}"
    );
    let mut empty = note("u1", "a");
    empty.insert("tag".into(), s(""));
    let message = validation_message(backend.put_item(put("notes", empty)).await.unwrap_err());
    assert!(
        message.contains("cannot contain an empty string value")
            && message.contains("IndexName: byTag"),
        "{message}"
    );
    backend
        .put_item(put("notes", dated("u1", "a", 1, Some("open"))))
        .await
        .unwrap();
    let err = backend
        .update_item(update(
            note_key("u1", "a"),
            vec![UpdateAction::Set(
                Path::attribute("status"),
                SetValue::Value(Operand::Value(n("1"))),
            )],
            ReturnValues::None,
        ))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("Type mismatch for Index Key status"));
}

#[tokio::test]
async fn index_order_is_by_index_sort_key_then_table_key() {
    let backend = indexed_notes().await;
    for (user, id, created) in [
        ("u2", "a", 2),
        ("u1", "b", 2),
        ("u1", "a", 2),
        ("u3", "z", 1),
        ("u0", "q", 3),
    ] {
        backend
            .put_item(put("notes", dated(user, id, created, Some("open"))))
            .await
            .unwrap();
    }
    let ascending = pairs(&[
        ("u3", "z"),
        ("u1", "a"),
        ("u1", "b"),
        ("u2", "a"),
        ("u0", "q"),
    ]);
    let page = backend
        .query(index_query("byStatus", ("status", s("open"))))
        .await
        .unwrap();
    assert_eq!(keys(&page), ascending);
    let page = backend
        .query(Query {
            scan_index_forward: false,
            ..index_query("byStatus", ("status", s("open")))
        })
        .await
        .unwrap();
    let mut descending = ascending.clone();
    descending.reverse();
    assert_eq!(keys(&page), descending);
    let equal_two = index_query("byStatus", ("status", s("open")))
        .key_condition
        .with_sort_key(
            "createdAt",
            SortKeyCondition::Compare(Comparator::Eq, n("2")),
        );
    let page = backend
        .query(Query {
            key_condition: equal_two,
            ..index_query("byStatus", ("status", s("open")))
        })
        .await
        .unwrap();
    assert_eq!(keys(&page), ascending[1..4].to_vec());
    let above_two = index_query("byStatus", ("status", s("open")))
        .key_condition
        .with_sort_key(
            "createdAt",
            SortKeyCondition::Compare(Comparator::Gt, n("2")),
        );
    let page = backend
        .query(Query {
            key_condition: above_two,
            ..index_query("byStatus", ("status", s("open")))
        })
        .await
        .unwrap();
    assert_eq!(keys(&page), pairs(&[("u0", "q")]));

    // Moving an item's index sort key moves it in the index.
    backend
        .update_item(update(
            note_key("u0", "q"),
            vec![UpdateAction::Set(
                Path::attribute("createdAt"),
                SetValue::Value(Operand::Value(n("0"))),
            )],
            ReturnValues::None,
        ))
        .await
        .unwrap();
    let page = backend
        .query(index_query("byStatus", ("status", s("open"))))
        .await
        .unwrap();
    assert_eq!(keys(&page)[0], ("u0".to_owned(), "q".to_owned()));
}

#[tokio::test]
async fn index_pages_resume_from_index_and_table_keys() {
    let backend = indexed_notes().await;
    for (user, id, created) in [
        ("u2", "a", 2),
        ("u1", "b", 2),
        ("u1", "a", 2),
        ("u3", "z", 1),
        ("u0", "q", 3),
    ] {
        backend
            .put_item(put("notes", dated(user, id, created, Some("open"))))
            .await
            .unwrap();
    }
    let all = backend
        .query(index_query("byStatus", ("status", s("open"))))
        .await
        .unwrap();
    for forward in [true, false] {
        let mut seen = Vec::new();
        let mut start = None;
        loop {
            let page = backend
                .query(Query {
                    limit: Some(2),
                    scan_index_forward: forward,
                    exclusive_start_key: start.take(),
                    ..index_query("byStatus", ("status", s("open")))
                })
                .await
                .unwrap();
            seen.extend(keys(&page));
            match page.last_evaluated_key {
                Some(key) => {
                    let mut names: Vec<_> = key.keys().cloned().collect();
                    names.sort();
                    assert_eq!(names, ["createdAt", "noteId", "status", "userId"]);
                    start = Some(key);
                }
                None => break,
            }
        }
        let mut expected = keys(&all);
        if !forward {
            expected.reverse();
        }
        assert_eq!(seen, expected);
    }

    // Scans of an index page the same way, partition by partition.
    let mut seen = Vec::new();
    let mut start = None;
    loop {
        let page = backend
            .scan(Scan {
                limit: Some(1),
                exclusive_start_key: start.take(),
                ..index_scan("byCreatedAt")
            })
            .await
            .unwrap();
        seen.extend(keys(&page));
        match page.last_evaluated_key {
            Some(key) => {
                assert!(key.contains_key("createdAt") && key.contains_key("noteId"));
                assert_eq!(key.len(), 3, "{key:?}");
                start = Some(key);
            }
            None => break,
        }
    }
    seen.sort();
    let mut expected = keys(&all);
    expected.sort();
    assert_eq!(seen, expected);

    // A table key alone is not an index starting key.
    let err = backend
        .query(Query {
            exclusive_start_key: Some(note_key("u1", "a")),
            ..index_query("byStatus", ("status", s("open")))
        })
        .await
        .unwrap_err();
    assert!(
        validation_message(err).contains("The provided starting key is invalid"),
        "index ExclusiveStartKey without index keys"
    );
}

#[tokio::test]
async fn projections_return_only_what_the_index_holds() {
    let backend = indexed_notes().await;
    let mut it = dated("u1", "a", 1, Some("open"));
    it.insert("tag".into(), s("work"));
    backend.put_item(put("notes", it.clone())).await.unwrap();

    let keys_only = backend
        .query(index_query("byTag", ("tag", s("work"))))
        .await
        .unwrap();
    let mut names: Vec<_> = keys_only.items[0].keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["noteId", "tag", "userId"]);

    let include = backend
        .query(index_query("byStatus", ("status", s("open"))))
        .await
        .unwrap();
    let mut names: Vec<_> = include.items[0].keys().cloned().collect();
    names.sort();
    assert_eq!(
        names,
        ["content", "createdAt", "noteId", "status", "userId"]
    );

    // A global index has nothing else to give, even when asked.
    let asked = backend
        .query(Query {
            projection: Some(vec![Path::attribute("secret"), Path::attribute("content")]),
            ..index_query("byStatus", ("status", s("open")))
        })
        .await
        .unwrap();
    assert_eq!(asked.items, vec![item(&[("content", s("hello"))])]);

    // A local index with ALL returns the whole item.
    let all = backend
        .query(index_query("byCreatedAt", ("userId", s("u1"))))
        .await
        .unwrap();
    assert_eq!(all.items, vec![it]);
}

#[tokio::test]
async fn index_scan_segments_cover_the_index_once() {
    let backend = indexed_notes().await;
    for i in 0..20 {
        let status = ["open", "done", "late"][i % 3];
        backend
            .put_item(put(
                "notes",
                dated(&format!("u{i}"), "a", i as i64, Some(status)),
            ))
            .await
            .unwrap();
    }
    backend
        .put_item(put("notes", note("u99", "a")))
        .await
        .unwrap();
    let mut seen = Vec::new();
    for segment in 0..3 {
        let page = backend
            .scan(Scan {
                segment: Some((segment, 3)),
                ..index_scan("byStatus")
            })
            .await
            .unwrap();
        seen.extend(keys(&page));
    }
    seen.sort();
    let mut all = keys(&backend.scan(index_scan("byStatus")).await.unwrap());
    all.sort();
    assert_eq!(
        all.len(),
        20,
        "the item without a status is not in the index"
    );
    assert_eq!(seen, all);
}
