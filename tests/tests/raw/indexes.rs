//! Secondary indexes: CreateTable rules, sparse membership, order, paging, projections.

use super::*;

use std::borrow::Cow;

use notes_repo::{IndexKind, IndexProjection, IndexSchema};

notes_tests::on_every_backend!(
    create_table_rejects_bad_index_names,
    local_indexes_need_the_table_partition_key_and_a_sort_key,
    index_counts_are_limited_to_five_local_and_twenty_global,
    a_key_attribute_has_one_type_across_table_and_indexes,
    index_key_schemas_and_projections_are_checked,
    describe_reports_the_indexes,
    an_unknown_index_is_named_in_the_error,
    global_indexes_cannot_be_read_consistently,
    sparse_indexes_hold_only_items_with_every_index_key,
    writes_reject_index_keys_of_the_wrong_type_or_empty,
    index_order_is_by_index_sort_key_then_table_key,
    index_pages_resume_from_index_and_table_keys,
    projections_return_only_what_the_index_holds,
    index_scan_segments_cover_the_index_once,
    indexes_are_created_and_described,
    writes_are_charged_to_the_indexes_they_change,
    ;
    memory_only:
    the_key_condition_must_use_the_index_keys,
    writes_reject_index_keys_over_the_key_size_limits,
);

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
        additional_keys: Default::default(),
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

fn create(table: &str, indexes: Vec<IndexSchema>, sort_key: bool) -> CreateTable {
    CreateTable::new(
        table,
        KeySchema {
            partition_key: KeyAttribute::new("userId", ScalarType::S),
            sort_key: sort_key.then(|| KeyAttribute::new("noteId", ScalarType::S)),
        },
    )
    .billing_mode(BillingMode::Provisioned {
        read_capacity_units: 5,
        write_capacity_units: 5,
    })
    .indexes(indexes)
}

async fn indexed_notes<B: Backend>(backend: &B, table: &str) {
    backend
        .create_table(create(table, notes_indexes(), true))
        .await
        .unwrap();
    wait_until_active(backend, table).await;
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

fn index_query(table: &str, index: &str, pk: (&'static str, AttributeValue)) -> Query {
    let mut request = query(table, "unused").index_name(index);
    request.key_condition = KeyCondition::partition(pk.0, pk.1);
    request
}

fn index_scan(table: &str, index: &str) -> Scan {
    scan(table).index_name(index)
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

async fn create_error<B: Backend>(
    backend: &B,
    table: &str,
    indexes: Vec<IndexSchema>,
    sort_key: bool,
) -> String {
    let err = backend
        .create_table(create(table, indexes, sort_key))
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

async fn create_table_rejects_bad_index_names<B: Backend>(backend: B, table: &str) {
    let message = create_error(&backend, table, vec![gsi("ab", "tag")], true).await;
    assert!(
        message.contains("at 'globalSecondaryIndexes.1.member.indexName'")
            && message.contains("length greater than or equal to 3"),
        "{message}"
    );
    let message = create_error(&backend, table, vec![gsi("by tag", "tag")], true).await;
    assert!(message.contains("regular expression pattern"), "{message}");
    let long: &'static str = Box::leak("x".repeat(256).into_boxed_str());
    let message = create_error(&backend, table, vec![lsi(long, "createdAt")], true).await;
    assert!(
        message.contains("localSecondaryIndexes.1.member.indexName")
            && message.contains("less than or equal to 255"),
        "{message}"
    );
    let message = create_error(
        &backend,
        table,
        vec![gsi("byTag", "tag"), lsi("byTag", "other")],
        true,
    )
    .await;
    assert!(message.contains("Duplicate index name: byTag"), "{message}");
}

async fn local_indexes_need_the_table_partition_key_and_a_sort_key<B: Backend>(
    backend: B,
    table: &str,
) {
    let message = create_error(&backend, table, vec![lsi("byOther", "other")], false).await;
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
    let message = create_error(&backend, table, vec![no_sort], true).await;
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
    let message = create_error(&backend, table, vec![other_pk], true).await;
    assert!(
        message.contains("does not have the same leading hash key as table KeySchema")
            && message.contains("index hash key: owner, table hash key: userId"),
        "{message}"
    );
}

async fn index_counts_are_limited_to_five_local_and_twenty_global<B: Backend>(
    backend: B,
    table: &str,
) {
    let names: Vec<&'static str> = (0..21)
        .map(|i| &*Box::leak(format!("index{i:02}").into_boxed_str()))
        .collect();
    let locals = names[..6].iter().map(|n| lsi(n, n)).collect();
    let message = create_error(&backend, table, locals, true).await;
    assert!(
        message.contains("exceeds per-table limit of 5"),
        "{message}"
    );
    let globals = names.iter().map(|n| gsi(n, n)).collect();
    let message = create_error(&backend, table, globals, true).await;
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
    backend
        .create_table(create(table, five_and_twenty, true))
        .await
        .expect("5 local and 20 global indexes are allowed");
}

async fn a_key_attribute_has_one_type_across_table_and_indexes<B: Backend>(
    backend: B,
    table: &str,
) {
    let numeric_user = index(
        "byUser",
        IndexKind::Global,
        ("userId", ScalarType::N),
        None,
        IndexProjection::All,
    );
    let message = create_error(&backend, table, vec![numeric_user], true).await;
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
    let message = create_error(&backend, table, vec![a, b], true).await;
    assert!(message.contains("same name: at"), "{message}");
}

async fn index_key_schemas_and_projections_are_checked<B: Backend>(backend: B, table: &str) {
    let same = index(
        "bySame",
        IndexKind::Global,
        ("tag", ScalarType::S),
        Some(("tag", ScalarType::S)),
        IndexProjection::All,
    );
    let message = create_error(&backend, table, vec![same], true).await;
    assert!(message.contains("have the same name"), "{message}");
    let empty = index(
        "byEmpty",
        IndexKind::Global,
        ("tag", ScalarType::S),
        None,
        IndexProjection::Include(Vec::new()),
    );
    let message = create_error(&backend, table, vec![empty], true).await;
    assert!(
        message.contains("at 'globalSecondaryIndexes.1.member.projection.nonKeyAttributes'"),
        "{message}"
    );
}

async fn describe_reports_the_indexes<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    let described = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    assert_eq!(described.indexes, notes_indexes());
    let plain = format!("{table}-plain");
    notes(&backend, &plain).await;
    let described = backend
        .describe_table(DescribeTable::new(plain))
        .await
        .unwrap();
    assert!(described.indexes.is_empty());
}

async fn an_unknown_index_is_named_in_the_error<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    let err = backend
        .query(index_query(table, "byNothing", ("userId", s("u"))))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "The table does not have the specified index: byNothing"
    );
    let err = backend
        .scan(index_scan(table, "byNothing"))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "The table does not have the specified index: byNothing"
    );
}

async fn global_indexes_cannot_be_read_consistently<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    let err = backend
        .query(index_query(table, "byStatus", ("status", s("open"))).consistent_read(true))
        .await
        .unwrap_err();
    assert_eq!(
        validation_message(err),
        "Consistent reads are not supported on global secondary indexes"
    );
    let err = backend
        .scan(index_scan(table, "byTag").consistent_read(true))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("Consistent reads are not supported"));
    backend
        .query(index_query(table, "byCreatedAt", ("userId", s("u"))).consistent_read(true))
        .await
        .expect("local indexes can be read consistently");
}

// MemoryBackend only: dynoxide 3.2.0 refuses a key condition on the table's
// sort key in a local index query without naming the index's sort key.
async fn the_key_condition_must_use_the_index_keys<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    let err = backend
        .query(index_query(table, "byStatus", ("userId", s("u"))))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("Query condition missed key schema element: status"));
    let on_table_sort_key = index_query(table, "byCreatedAt", ("userId", s("u")))
        .key_condition
        .with_sort_key("noteId", SortKeyCondition::Compare(Comparator::Eq, s("a")));
    let err = backend
        .query({
            let mut request = index_query(table, "byCreatedAt", ("userId", s("u")));
            request.key_condition = on_table_sort_key;
            request
        })
        .await
        .unwrap_err();
    assert!(
        validation_message(err).starts_with("Query condition missed key schema element: createdAt")
    );
    let filter_on_index_key = Condition::Compare(
        Operand::Path(Path::attribute("createdAt")),
        Comparator::Gt,
        Operand::Value(n("1")),
    );
    let err = backend
        .query(index_query(table, "byStatus", ("status", s("open"))).filter(filter_on_index_key))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("Primary key attribute: createdAt"));
}

async fn sparse_indexes_hold_only_items_with_every_index_key<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    backend
        .put_item(put(table, dated("u1", "a", 1, Some("open"))))
        .await
        .unwrap();
    backend
        .put_item(put(table, dated("u1", "b", 2, None)))
        .await
        .unwrap();
    backend.put_item(put(table, note("u1", "c"))).await.unwrap();
    let page = backend.scan(index_scan(table, "byStatus")).await.unwrap();
    assert_eq!(keys(&page), pairs(&[("u1", "a")]));
    let page = backend
        .query(index_query(table, "byCreatedAt", ("userId", s("u1"))))
        .await
        .unwrap();
    assert_eq!(keys(&page), pairs(&[("u1", "a"), ("u1", "b")]));

    // An update that adds the key puts the item in; one that removes it takes it out.
    backend
        .update_item(update(
            table,
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
            table,
            note_key("u1", "a"),
            vec![UpdateAction::Remove(Path::attribute("status"))],
            ReturnValues::None,
        ))
        .await
        .unwrap();
    let page = backend.scan(index_scan(table, "byStatus")).await.unwrap();
    assert_eq!(keys(&page), pairs(&[("u1", "b")]));

    // Batch writes, transactions and deletes keep every index up to date.
    let mut writes = std::collections::HashMap::new();
    writes.insert(
        table.to_owned(),
        vec![
            WriteRequest::Put(dated("u2", "x", 5, Some("open"))),
            WriteRequest::Delete(note_key("u1", "b")),
        ],
    );
    backend
        .batch_write_item(BatchWriteItem::new(writes))
        .await
        .unwrap();
    backend
        .transact_write_items(TransactWriteItems::new(vec![TransactWrite::Put {
            table_name: table.to_owned(),
            item: dated("u3", "y", 4, Some("open")),
            condition: None,
        }]))
        .await
        .unwrap();
    let page = backend
        .query(index_query(table, "byStatus", ("status", s("open"))))
        .await
        .unwrap();
    assert_eq!(keys(&page), pairs(&[("u3", "y"), ("u2", "x")]));
    backend
        .delete_item(DeleteItem::new(table, note_key("u2", "x")))
        .await
        .unwrap();
    let page = backend
        .query(index_query(table, "byStatus", ("status", s("open"))))
        .await
        .unwrap();
    assert_eq!(keys(&page), pairs(&[("u3", "y")]));
}

/// DynamoDB charges each secondary index for the change to what it stores (the projected
/// entry, rounded to 1 KB): an entry added or removed costs its size, one changed in place the
/// larger image, one whose index key moved a delete plus an insert, one left as it was nothing
/// ("Provisioned throughput considerations for global secondary indexes",
/// developerguide/GSI.html#GSI.ThroughputConsiderations; local indexes alike,
/// developerguide/LSI.html#LSI.ThroughputConsiderations). `ReturnConsumedCapacity: TOTAL`
/// reports the table's units plus every index's.
async fn writes_are_charged_to_the_indexes_they_change<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    let units = |output: WriteOutput| output.consumed_capacity;
    // In the local index only (no status, no tag): table 1 + byCreatedAt 1.
    let put_a = backend.put_item(put(table, dated("u1", "a", 1, None)));
    assert_eq!(units(put_a.await.unwrap()), Some(2.0));
    // The same item again changes no index entry: the table's unit only.
    let again = backend.put_item(put(table, dated("u1", "a", 1, None)));
    assert_eq!(units(again.await.unwrap()), Some(1.0));
    // Also in byStatus: table 1 + byCreatedAt 1 + byStatus 1.
    let put_b = backend.put_item(put(table, dated("u1", "b", 2, Some("open"))));
    assert_eq!(units(put_b.await.unwrap()), Some(3.0));
    // Moving the byStatus key is a delete and an insert there (2); byCreatedAt changes in
    // place (1).
    let set = |name: &'static str, value: &str| {
        update(
            table,
            note_key("u1", "b"),
            vec![UpdateAction::Set(
                Path::attribute(name),
                SetValue::Value(Operand::Value(s(value))),
            )],
            ReturnValues::None,
        )
    };
    let moved = backend.update_item(set("status", "done")).await.unwrap();
    assert_eq!(units(moved), Some(4.0));
    // An attribute byStatus does not project leaves its entry as it was.
    let hidden = backend.update_item(set("secret", "changed")).await.unwrap();
    assert_eq!(units(hidden), Some(2.0));
    // A projected one changes it in place.
    let shown = backend
        .update_item(set("content", "changed"))
        .await
        .unwrap();
    assert_eq!(units(shown), Some(3.0));
    // Adding a tag puts a keys-only entry in byTag.
    let tagged = backend.update_item(set("tag", "home")).await.unwrap();
    assert_eq!(units(tagged), Some(3.0));
    // A delete removes every entry: table 1 + byCreatedAt 1 + byStatus 1 + byTag 1.
    let deleted = backend
        .delete_item(DeleteItem::new(table, note_key("u1", "b")))
        .await
        .unwrap();
    assert_eq!(units(deleted), Some(4.0));
    // Deleting what is not there changes nothing anywhere.
    let nothing = backend
        .delete_item(DeleteItem::new(table, note_key("u1", "b")))
        .await
        .unwrap();
    assert_eq!(units(nothing), Some(1.0));
    // In a transaction only the table's units double: 2 × 1 + byCreatedAt 1 + byStatus 1.
    let written = backend
        .transact_write_items(TransactWriteItems::new(vec![TransactWrite::Put {
            table_name: table.to_owned(),
            item: dated("u2", "t", 3, Some("open")),
            condition: None,
        }]))
        .await
        .unwrap();
    assert_eq!(written.consumed_capacity, Some(4.0));
    // A batch adds up each write's table and index units: (1 + 1) + (1 + 1 + 1).
    let batch = BatchWriteItem::new(HashMap::from([(
        table.to_owned(),
        vec![
            WriteRequest::Put(dated("u3", "a", 1, None)),
            WriteRequest::Put(dated("u3", "b", 1, Some("open"))),
        ],
    )]));
    let written = backend.batch_write_item(batch).await.unwrap();
    assert_eq!(written.consumed_capacity, Some(5.0));
}

async fn writes_reject_index_keys_of_the_wrong_type_or_empty<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    let mut wrong = note("u1", "a");
    wrong.insert("createdAt".into(), s("yesterday"));
    let err = backend.put_item(put(table, wrong)).await.unwrap_err();
    let message = validation_message(err);
    assert!(
        message.contains("Type mismatch for Index Key createdAt Expected: N Actual: S"),
        "{message}"
    );
    let mut empty = note("u1", "a");
    empty.insert("tag".into(), s(""));
    let message = validation_message(backend.put_item(put(table, empty)).await.unwrap_err());
    assert!(
        message.contains("cannot contain an empty string value")
            && message.contains("IndexName: byTag"),
        "{message}"
    );
    backend
        .put_item(put(table, dated("u1", "a", 1, Some("open"))))
        .await
        .unwrap();
    let err = backend
        .update_item(update(
            table,
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

async fn index_order_is_by_index_sort_key_then_table_key<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    for (user, id, created) in [
        ("u2", "a", 2),
        ("u1", "b", 2),
        ("u1", "a", 2),
        ("u3", "z", 1),
        ("u0", "q", 3),
    ] {
        backend
            .put_item(put(table, dated(user, id, created, Some("open"))))
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
        .query(index_query(table, "byStatus", ("status", s("open"))))
        .await
        .unwrap();
    assert_eq!(keys(&page), ascending);
    let page = backend
        .query(index_query(table, "byStatus", ("status", s("open"))).scan_index_forward(false))
        .await
        .unwrap();
    let mut descending = ascending.clone();
    descending.reverse();
    assert_eq!(keys(&page), descending);
    let equal_two = index_query(table, "byStatus", ("status", s("open")))
        .key_condition
        .with_sort_key(
            "createdAt",
            SortKeyCondition::Compare(Comparator::Eq, n("2")),
        );
    let page = backend
        .query({
            let mut request = index_query(table, "byStatus", ("status", s("open")));
            request.key_condition = equal_two;
            request
        })
        .await
        .unwrap();
    assert_eq!(keys(&page), ascending[1..4].to_vec());
    let above_two = index_query(table, "byStatus", ("status", s("open")))
        .key_condition
        .with_sort_key(
            "createdAt",
            SortKeyCondition::Compare(Comparator::Gt, n("2")),
        );
    let page = backend
        .query({
            let mut request = index_query(table, "byStatus", ("status", s("open")));
            request.key_condition = above_two;
            request
        })
        .await
        .unwrap();
    assert_eq!(keys(&page), pairs(&[("u0", "q")]));

    // Moving an item's index sort key moves it in the index.
    backend
        .update_item(update(
            table,
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
        .query(index_query(table, "byStatus", ("status", s("open"))))
        .await
        .unwrap();
    assert_eq!(keys(&page)[0], ("u0".to_owned(), "q".to_owned()));
}

async fn index_pages_resume_from_index_and_table_keys<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    for (user, id, created) in [
        ("u2", "a", 2),
        ("u1", "b", 2),
        ("u1", "a", 2),
        ("u3", "z", 1),
        ("u0", "q", 3),
    ] {
        backend
            .put_item(put(table, dated(user, id, created, Some("open"))))
            .await
            .unwrap();
    }
    let all = backend
        .query(index_query(table, "byStatus", ("status", s("open"))))
        .await
        .unwrap();
    for forward in [true, false] {
        let mut seen = Vec::new();
        let mut start = None;
        loop {
            let page = backend
                .query({
                    let mut request = index_query(table, "byStatus", ("status", s("open")))
                        .limit(2)
                        .scan_index_forward(forward);
                    request.exclusive_start_key = start.take();
                    request
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
            .scan({
                let mut request = index_scan(table, "byCreatedAt").limit(1);
                request.exclusive_start_key = start.take();
                request
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
        .query(
            index_query(table, "byStatus", ("status", s("open")))
                .exclusive_start_key(note_key("u1", "a")),
        )
        .await
        .unwrap_err();
    assert!(
        validation_message(err).contains("The provided starting key is invalid"),
        "index ExclusiveStartKey without index keys"
    );
}

async fn projections_return_only_what_the_index_holds<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    let mut it = dated("u1", "a", 1, Some("open"));
    it.insert("tag".into(), s("work"));
    backend.put_item(put(table, it.clone())).await.unwrap();

    let keys_only = backend
        .query(index_query(table, "byTag", ("tag", s("work"))))
        .await
        .unwrap();
    let mut names: Vec<_> = keys_only.items[0].keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["noteId", "tag", "userId"]);

    let include = backend
        .query(index_query(table, "byStatus", ("status", s("open"))))
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
        .query(
            index_query(table, "byStatus", ("status", s("open")))
                .projection(vec![Path::attribute("secret"), Path::attribute("content")]),
        )
        .await
        .unwrap();
    assert_eq!(asked.items, vec![item(&[("content", s("hello"))])]);

    // A local index with ALL returns the whole item.
    let all = backend
        .query(index_query(table, "byCreatedAt", ("userId", s("u1"))))
        .await
        .unwrap();
    assert_eq!(all.items, vec![it]);
}

async fn index_scan_segments_cover_the_index_once<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    for i in 0..20 {
        let status = ["open", "done", "late"][i % 3];
        backend
            .put_item(put(
                table,
                dated(&format!("u{i}"), "a", i as i64, Some(status)),
            ))
            .await
            .unwrap();
    }
    backend
        .put_item(put(table, note("u99", "a")))
        .await
        .unwrap();
    let mut seen = Vec::new();
    for segment in 0..3 {
        let page = backend
            .scan(index_scan(table, "byStatus").segment(segment, 3))
            .await
            .unwrap();
        seen.extend(keys(&page));
    }
    seen.sort();
    let mut all = keys(&backend.scan(index_scan(table, "byStatus")).await.unwrap());
    all.sort();
    assert_eq!(
        all.len(),
        20,
        "the item without a status is not in the index"
    );
    assert_eq!(seen, all);
}

/// `byCreatedAt` (local, KEYS_ONLY), `byStatus` (global, INCLUDE content), `byTag` (global,
/// partition key only, ALL).
fn indexes() -> Vec<IndexSchema> {
    vec![
        index(
            "byCreatedAt",
            IndexKind::Local,
            ("userId", ScalarType::S),
            Some(("createdAt", ScalarType::N)),
            IndexProjection::KeysOnly,
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
            IndexProjection::All,
        ),
    ]
}

fn sorted(mut indexes: Vec<IndexSchema>) -> Vec<IndexSchema> {
    indexes.sort_by(|a, b| a.name.cmp(&b.name));
    indexes
}

async fn indexed_table<B: Backend>(backend: &B, table: &str, billing_mode: BillingMode) {
    backend
        .create_table(
            CreateTable::new(table.to_owned(), schema())
                .billing_mode(billing_mode)
                .indexes(indexes()),
        )
        .await
        .expect("create indexed table");
    for _ in 0..120 {
        let described = backend
            .describe_table(DescribeTable::new(table))
            .await
            .expect("describe");
        if described.status == TableStatus::Active {
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("table {table} never became active");
}

/// Notes with distinct `createdAt` per status, some without `status` or `tag` (sparse).
fn rows() -> Vec<ItemMap> {
    let row = |user: &str, id: &str, created: i64, status: Option<&str>, tag: Option<&str>| {
        let mut it = note_with(user, id, &format!("{user}/{id}"));
        it.insert("createdAt".to_owned(), num(created));
        it.insert("secret".to_owned(), s("not projected"));
        if let Some(status) = status {
            it.insert("status".to_owned(), s(status));
        }
        if let Some(tag) = tag {
            it.insert("tag".to_owned(), s(tag));
        }
        it
    };
    vec![
        row("u1", "a", 30, Some("open"), Some("work")),
        row("u1", "b", 10, Some("open"), None),
        row("u1", "c", 20, None, Some("home")),
        row("u2", "a", 40, Some("open"), Some("work")),
        row("u2", "b", 50, Some("done"), None),
        row("u3", "a", 5, Some("open"), None),
    ]
}

fn on_index(table: &str, index: &str, pk: (&'static str, AttributeValue)) -> Query {
    {
        let mut request = query(table, "unused")
            .index_name(index.to_owned())
            .consistent_read(false);
        request.key_condition = KeyCondition::partition(pk.0, pk.1);
        request
    }
}

/// Reads every page of `request`, `limit` items at a time.
async fn all_pages<B: Backend>(backend: &B, mut request: Query, limit: u32) -> Vec<PageOutput> {
    request.limit = Some(limit);
    let mut pages = Vec::new();
    loop {
        let page = backend.query(request.clone()).await.expect("index query");
        let next = page.last_evaluated_key.clone();
        pages.push(page);
        match next {
            Some(key) => request.exclusive_start_key = Some(key),
            None => return pages,
        }
    }
}

/// The index reads of the scenario, as (items, last evaluated key) per page.
async fn index_reads<B: Backend>(
    backend: &B,
    table: &str,
) -> Vec<(Vec<notes_repo::SharedItem>, Option<ItemMap>)> {
    let mut pages = Vec::new();
    let open = on_index(table, "byStatus", ("status", s("open")));
    pages.extend(all_pages(backend, open.clone(), 2).await);
    pages.extend(all_pages(backend, open.clone().scan_index_forward(false), 3).await);
    let recent = open.key_condition.clone().with_sort_key(
        "createdAt",
        SortKeyCondition::Compare(Comparator::Ge, num(30)),
    );
    pages.extend(
        all_pages(
            backend,
            {
                let mut request = open.clone();
                request.key_condition = recent;
                request
            },
            10,
        )
        .await,
    );
    pages.extend(
        all_pages(
            backend,
            on_index(table, "byCreatedAt", ("userId", s("u1"))).consistent_read(true),
            2,
        )
        .await,
    );
    pages.extend(all_pages(backend, on_index(table, "byTag", ("tag", s("work"))), 10).await);
    let projected = on_index(table, "byStatus", ("status", s("done")))
        .projection(vec![path("content"), path("secret")]);
    pages.extend(all_pages(backend, projected, 10).await);
    let scanned = backend
        .scan(Scan::new(table.to_owned()).index_name("byStatus".to_owned()))
        .await
        .expect("index scan");
    // Scan order across index partitions is the service's own (a hash order): compare sets.
    let mut scanned_items = scanned.items;
    scanned_items.sort_by_key(|it| format!("{:?}{:?}", it.get("userId"), it.get("noteId")));
    pages
        .into_iter()
        .map(|p| (p.items, p.last_evaluated_key))
        .chain(std::iter::once((scanned_items, None)))
        .collect()
}

async fn indexes_are_created_and_described<B: Backend>(backend: B, table: &str) {
    indexed_table(
        &backend,
        table,
        BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5,
        },
    )
    .await;
    let described = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    assert_eq!(described.key_schema, schema());
    assert_eq!(sorted(described.indexes), sorted(indexes()));

    let on_demand = format!("{table}-on-demand");
    indexed_table(&backend, &on_demand, BillingMode::PayPerRequest).await;
    let described = backend
        .describe_table(DescribeTable::new(on_demand.clone()))
        .await
        .unwrap();
    assert_eq!(sorted(described.indexes), sorted(indexes()));
    backend.delete_table(DeleteTable::new(table)).await.unwrap();
    backend
        .delete_table(DeleteTable::new(on_demand))
        .await
        .unwrap();
}

// The same reads on both backends, compared.

#[tokio::test]
async fn index_reads_match_memory_backend() {
    let Some(backend) = server_support::available_backend().await else {
        return;
    };
    let table = server_support::table_name("index-reads");
    indexed_table(&backend, &table, BillingMode::PayPerRequest).await;
    let memory = MemoryBackend::new();
    indexed_table(&memory, &table, BillingMode::PayPerRequest).await;
    for it in rows() {
        store(&backend, &table, it.clone()).await;
        memory
            .put_item(PutItem::new(table.clone(), it))
            .await
            .unwrap();
    }
    let server_pages = index_reads(&backend, &table).await;
    let memory_pages = index_reads(&memory, &table).await;
    assert_eq!(server_pages.len(), memory_pages.len());
    for (i, (server, memory)) in server_pages.iter().zip(&memory_pages).enumerate() {
        assert_eq!(server, memory, "page {i}: server (left) and memory (right)");
    }

    // The first page of the open notes, spelt out.
    let (items, last) = &server_pages[0];
    assert_eq!(note_ids(items), ["a", "b"], "u3/a (5) then u1/b (10)");
    let mut names: Vec<_> = last.as_ref().expect("more pages").keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["createdAt", "noteId", "status", "userId"]);
    // KEYS_ONLY local index: the table and index keys only.
    let keys_only = server_pages
        .iter()
        .find(|(items, _)| items.first().is_some_and(|it| !it.contains_key("content")))
        .expect("a keys-only page");
    let mut names: Vec<_> = keys_only.0[0].keys().cloned().collect();
    names.sort();
    assert_eq!(names, ["createdAt", "noteId", "userId"]);
    backend.delete_table(DeleteTable::new(table)).await.unwrap();
}

#[tokio::test]
async fn index_errors_carry_the_service_message() {
    let Some(backend) = server_support::available_backend().await else {
        return;
    };
    let table = server_support::table_name("index-errors");
    indexed_table(&backend, &table, BillingMode::PayPerRequest).await;
    let memory = MemoryBackend::new();
    indexed_table(&memory, &table, BillingMode::PayPerRequest).await;

    let unknown = on_index(&table, "byNothing", ("userId", s("u1")));
    let consistent = on_index(&table, "byStatus", ("status", s("open"))).consistent_read(true);
    let wrong_key = on_index(&table, "byStatus", ("userId", s("u1")));
    for (request, expected) in [
        (
            unknown,
            "The table does not have the specified index: byNothing",
        ),
        (
            consistent,
            "Consistent reads are not supported on global secondary indexes",
        ),
        (wrong_key, "Query condition missed key schema element"),
    ] {
        for err in [
            backend.query(request.clone()).await.unwrap_err(),
            memory.query(request.clone()).await.unwrap_err(),
        ] {
            match &err {
                Error::Validation { message, .. } => {
                    assert!(message.contains(expected), "{message}")
                }
                other => panic!("expected a validation error, got {other:?}"),
            }
        }
    }
    backend.delete_table(DeleteTable::new(table)).await.unwrap();
}

// MemoryBackend only: dynoxide 3.2.0 checks the size of the table's own keys but not of
// secondary index keys, and stores a 3,000-byte GSI partition key. DynamoDB's limits are the
// same for tables and indexes (2048 bytes for a partition key, 1024 for a sort key).
async fn writes_reject_index_keys_over_the_key_size_limits<B: Backend>(backend: B, table: &str) {
    indexed_notes(&backend, table).await;
    let with = |attribute: &str, value: String| {
        let mut it = note("u1", "a");
        it.insert(attribute.into(), s(&value));
        it
    };
    let err = backend
        .put_item(put(table, with("tag", "t".repeat(2049))))
        .await
        .unwrap_err();
    let message = validation_message(err);
    assert!(
        message.starts_with(
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum \
             size limit of2048 bytes"
        ) && message.contains("IndexName: byTag, IndexKey: tag"),
        "{message}"
    );
    assert_eq!(fetch(&backend, table, note_key("u1", "a")).await, None);
    backend
        .put_item(put(table, with("tag", "t".repeat(2048))))
        .await
        .unwrap();
    let set_tag = |value: String| {
        update(
            table,
            note_key("u1", "a"),
            vec![UpdateAction::Set(
                Path::attribute("tag"),
                SetValue::Value(Operand::Value(s(&value))),
            )],
            ReturnValues::None,
        )
    };
    let err = backend
        .update_item(set_tag("t".repeat(2049)))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("IndexName: byTag, IndexKey: tag"));

    // A string sort key of a global index: 1024 bytes at most.
    let titled = format!("{table}-t");
    backend
        .create_table(create(
            &titled,
            vec![index(
                "byTitle",
                IndexKind::Global,
                ("status", ScalarType::S),
                Some(("title", ScalarType::S)),
                IndexProjection::KeysOnly,
            )],
            true,
        ))
        .await
        .unwrap();
    wait_until_active(&backend, &titled).await;
    let err = backend
        .put_item(put(&titled, with("title", "t".repeat(1025))))
        .await
        .unwrap_err();
    let message = validation_message(err);
    assert!(
        message.starts_with(
            "One or more parameter values were invalid: Aggregated size of all range keys has \
             exceeded the size limit of 1024 bytes"
        ) && message.contains("IndexName: byTitle, IndexKey: title"),
        "{message}"
    );
    backend
        .put_item(put(&titled, with("title", "t".repeat(1024))))
        .await
        .unwrap();
}
