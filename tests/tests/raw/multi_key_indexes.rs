//! Global secondary indexes whose keys span several attributes (DynamoDB, November 2025: up
//! to four partition and four sort attributes, each typed): definition and description,
//! order by the attribute tuple, every sort condition on the last attribute given, paging,
//! sparse membership, writes, and DynamoDB's refusals.

use super::*;

use std::borrow::Cow;

use notes_model::AdditionalKeys;
use notes_repo::{IndexKind, IndexProjection, IndexSchema};

notes_tests::on_every_backend!(
    four_and_four_attribute_indexes_are_created_and_described,
    index_entries_are_ordered_by_the_attribute_tuple,
    every_sort_condition_applies_to_the_last_attribute_given,
    pages_resume_from_every_index_key_attribute_and_the_table_key,
    items_missing_any_index_key_attribute_are_left_out,
    writes_refuse_an_index_key_attribute_of_the_wrong_type,
    index_definitions_beyond_dynamodbs_limits_are_refused,
    queries_must_constrain_the_key_as_dynamodb_requires,
);

fn attribute(name: &str, scalar_type: ScalarType) -> KeyAttribute {
    KeyAttribute {
        name: Cow::Owned(name.to_owned()),
        scalar_type,
    }
}

/// A global index keyed by `partition` and `sort` attributes, in order.
fn global(
    name: &str,
    partition: &[(&str, ScalarType)],
    sort: &[(&str, ScalarType)],
    projection: IndexProjection,
) -> IndexSchema {
    let attributes = |list: &[(&str, ScalarType)]| -> Vec<KeyAttribute> {
        list.iter().map(|(n, t)| attribute(n, *t)).collect()
    };
    let (partition, sort) = (attributes(partition), attributes(sort));
    IndexSchema {
        name: Cow::Owned(name.to_owned()),
        kind: IndexKind::Global,
        key_schema: KeySchema {
            partition_key: partition[0].clone(),
            sort_key: sort.first().cloned(),
        },
        projection,
        additional_keys: AdditionalKeys {
            partition_key: partition[1..].to_vec().into(),
            sort_key: sort.iter().skip(1).cloned().collect::<Vec<_>>().into(),
        },
    }
}

/// `byPlace`: `tenant`, `region` (S) / `year`, `month` (N), `slug` (S).
fn by_place() -> IndexSchema {
    use ScalarType::{N, S};
    global(
        "byPlace",
        &[("tenant", S), ("region", S)],
        &[("year", N), ("month", N), ("slug", S)],
        IndexProjection::All,
    )
}

/// A table keyed by `id` (S) with `indexes`, on demand.
fn events(table: &str, indexes: Vec<IndexSchema>) -> CreateTable {
    CreateTable::new(
        table,
        KeySchema {
            partition_key: KeyAttribute::new("id", ScalarType::S),
            sort_key: None,
        },
    )
    .billing_mode(BillingMode::PayPerRequest)
    .indexes(indexes)
}

/// An event `id` of `tenant` and `region` on `year`-`month` named `slug`; `None` leaves the
/// attribute out.
fn event(
    id: &str,
    tenant: Option<&str>,
    region: Option<&str>,
    year: Option<i64>,
    month: Option<i64>,
    slug: Option<&str>,
) -> ItemMap {
    let mut it = item(&[("id", s(id)), ("body", s(&format!("event {id}")))]);
    let strings = [("tenant", tenant), ("region", region), ("slug", slug)];
    for (name, value) in strings {
        if let Some(value) = value {
            it.insert(name.to_owned(), s(value));
        }
    }
    for (name, value) in [("year", year), ("month", month)] {
        if let Some(value) = value {
            it.insert(name.to_owned(), num(value));
        }
    }
    it
}

/// In `(t1, eu)`, by (year, month, slug): d (2025-12), a (2026-2), c (2026-9), e (2026-10
/// alpine), b (2026-10 beta), f (2027-1); g and h in other partitions; s1 (no month) and s2
/// (no region) in none.
fn seeded() -> Vec<ItemMap> {
    let at = |id, year, month, slug| {
        event(
            id,
            Some("t1"),
            Some("eu"),
            Some(year),
            Some(month),
            Some(slug),
        )
    };
    vec![
        at("a", 2026, 2, "alpha"),
        at("b", 2026, 10, "beta"),
        at("c", 2026, 9, "gamma"),
        at("d", 2025, 12, "delta"),
        at("e", 2026, 10, "alpine"),
        at("f", 2027, 1, "omega"),
        event("g", Some("t1"), Some("us"), Some(2026), Some(3), Some("x")),
        event("h", Some("t2"), Some("eu"), Some(2026), Some(2), Some("y")),
        event("s1", Some("t1"), Some("eu"), Some(2026), None, Some("z")),
        event("s2", Some("t1"), None, Some(2026), Some(2), Some("z")),
    ]
}

/// The `events` table with `byPlace`, seeded.
async fn placed<B: Backend>(backend: &B, table: &str) {
    backend
        .create_table(events(table, vec![by_place()]))
        .await
        .expect("create");
    wait_until_active(backend, table).await;
    for it in seeded() {
        store(backend, table, it).await;
    }
}

/// The key condition on `(tenant, region)`.
fn in_place(tenant: &str, region: &str) -> KeyCondition {
    KeyCondition::partition("tenant", s(tenant)).and_partition_key("region", s(region))
}

fn on_place(table: &str, key_condition: KeyCondition) -> Query {
    let mut request = query(table, "unused").index_name("byPlace");
    request.key_condition = key_condition;
    request
}

fn event_ids(items: &[impl std::borrow::Borrow<ItemMap>]) -> Vec<String> {
    items
        .iter()
        .map(|it| match it.borrow().get("id") {
            Some(AttributeValue::S(id)) => id.clone(),
            other => panic!("id missing or not a string: {other:?}"),
        })
        .collect()
}

/// The ids of every item the query finds, page by page of `limit` (or one page).
async fn found<B: Backend>(backend: &B, mut request: Query, limit: Option<u32>) -> Vec<String> {
    request.limit = limit;
    let mut ids = Vec::new();
    loop {
        let page = backend.query(request.clone()).await.expect("query");
        ids.extend(event_ids(&page.items));
        match page.last_evaluated_key {
            Some(key) => request.exclusive_start_key = Some(key),
            None => return ids,
        }
    }
}

async fn query_error<B: Backend>(backend: &B, request: Query) -> String {
    validation_message(backend.query(request).await.expect_err("refused"))
}

async fn four_and_four_attribute_indexes_are_created_and_described<B: Backend>(
    backend: B,
    table: &str,
) {
    use ScalarType::{B as Bin, N, S};
    let widest = global(
        "byEverything",
        &[("p1", S), ("p2", N), ("p3", Bin), ("p4", S)],
        &[("s1", N), ("s2", S), ("s3", Bin), ("s4", N)],
        IndexProjection::KeysOnly,
    );
    let indexes = vec![widest, by_place()];
    let created = backend
        .create_table(events(table, indexes.clone()))
        .await
        .expect("a 4 + 4 attribute index is allowed");
    assert_eq!(sorted(created.indexes), sorted(indexes.clone()));
    wait_until_active(&backend, table).await;
    let described = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    assert_eq!(sorted(described.indexes), sorted(indexes));
}

/// Indexes by name (a service may describe them in another order).
fn sorted(mut indexes: Vec<IndexSchema>) -> Vec<IndexSchema> {
    indexes.sort_by(|a, b| a.name.cmp(&b.name));
    indexes
}

async fn index_entries_are_ordered_by_the_attribute_tuple<B: Backend>(backend: B, table: &str) {
    placed(&backend, table).await;
    // Years, then months numerically (2 before 9 before 10), then slugs bytewise.
    let all = on_place(table, in_place("t1", "eu"));
    assert_eq!(
        found(&backend, all.clone(), None).await,
        ["d", "a", "c", "e", "b", "f"]
    );
    assert_eq!(
        found(&backend, all.scan_index_forward(false), None).await,
        ["f", "b", "e", "c", "a", "d"]
    );
    assert_eq!(
        found(&backend, on_place(table, in_place("t1", "us")), None).await,
        ["g"]
    );
    assert_eq!(
        found(&backend, on_place(table, in_place("t2", "eu")), None).await,
        ["h"]
    );
    assert!(
        found(&backend, on_place(table, in_place("t2", "us")), None)
            .await
            .is_empty()
    );
}

async fn every_sort_condition_applies_to_the_last_attribute_given<B: Backend>(
    backend: B,
    table: &str,
) {
    placed(&backend, table).await;
    let year = |condition| on_place(table, in_place("t1", "eu").with_sort_key("year", condition));
    let compare = |comparator, v: i64| SortKeyCondition::Compare(comparator, num(v));
    let cases = [
        (
            year(compare(Comparator::Eq, 2026)),
            vec!["a", "c", "e", "b"],
        ),
        (year(compare(Comparator::Lt, 2026)), vec!["d"]),
        (
            year(compare(Comparator::Le, 2026)),
            vec!["d", "a", "c", "e", "b"],
        ),
        (year(compare(Comparator::Gt, 2026)), vec!["f"]),
        (
            year(compare(Comparator::Ge, 2026)),
            vec!["a", "c", "e", "b", "f"],
        ),
        (
            year(SortKeyCondition::Between(num(2025), num(2026))),
            vec!["d", "a", "c", "e", "b"],
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(
            found(&backend, request.clone(), None).await,
            expected,
            "{request:?}"
        );
    }
    let month = |condition| {
        on_place(
            table,
            in_place("t1", "eu")
                .and_leading_sort_key("year", num(2026))
                .with_sort_key("month", condition),
        )
    };
    let cases = [
        (month(compare(Comparator::Eq, 10)), vec!["e", "b"]),
        (month(compare(Comparator::Lt, 10)), vec!["a", "c"]),
        (month(compare(Comparator::Le, 9)), vec!["a", "c"]),
        (month(compare(Comparator::Gt, 2)), vec!["c", "e", "b"]),
        (month(compare(Comparator::Ge, 10)), vec!["e", "b"]),
        (
            month(SortKeyCondition::Between(num(2), num(9))),
            vec!["a", "c"],
        ),
    ];
    for (request, expected) in cases {
        assert_eq!(
            found(&backend, request.clone(), None).await,
            expected,
            "{request:?}"
        );
    }
    let slug = |condition| {
        on_place(
            table,
            in_place("t1", "eu")
                .and_leading_sort_key("year", num(2026))
                .and_leading_sort_key("month", num(10))
                .with_sort_key("slug", condition),
        )
    };
    let cases = [
        (slug(SortKeyCondition::BeginsWith(s("al"))), vec!["e"]),
        (
            slug(SortKeyCondition::Compare(Comparator::Eq, s("beta"))),
            vec!["b"],
        ),
        (
            slug(SortKeyCondition::Compare(Comparator::Gt, s("alpine"))),
            vec!["b"],
        ),
        (slug(SortKeyCondition::Between(s("a"), s("b"))), vec!["e"]),
    ];
    for (request, expected) in cases {
        assert_eq!(
            found(&backend, request.clone(), None).await,
            expected,
            "{request:?}"
        );
    }
    // Equalities alone, on a prefix of the sort attributes, in any order of the terms.
    let equalities = KeyCondition::partition("region", s("eu"))
        .and_leading_sort_key("month", num(10))
        .and_partition_key("tenant", s("t1"))
        .and_leading_sort_key("year", num(2026));
    assert_eq!(
        found(&backend, on_place(table, equalities), None).await,
        ["e", "b"]
    );
    let descending = month(compare(Comparator::Ge, 9)).scan_index_forward(false);
    assert_eq!(found(&backend, descending, None).await, ["b", "e", "c"]);
}

async fn pages_resume_from_every_index_key_attribute_and_the_table_key<B: Backend>(
    backend: B,
    table: &str,
) {
    placed(&backend, table).await;
    let all = on_place(table, in_place("t1", "eu"));
    let first = backend
        .query(all.clone().limit(2))
        .await
        .expect("first page");
    assert_eq!(event_ids(&first.items), ["d", "a"]);
    assert_eq!(
        first.last_evaluated_key,
        Some(item(&[
            ("id", s("a")),
            ("tenant", s("t1")),
            ("region", s("eu")),
            ("year", num(2026)),
            ("month", num(2)),
            ("slug", s("alpha")),
        ]))
    );
    for limit in [1, 2, 4] {
        assert_eq!(
            found(&backend, all.clone(), Some(limit)).await,
            ["d", "a", "c", "e", "b", "f"],
            "Limit {limit}"
        );
        let backwards = all.clone().scan_index_forward(false);
        assert_eq!(
            found(&backend, backwards, Some(limit)).await,
            ["f", "b", "e", "c", "a", "d"],
            "Limit {limit}, descending"
        );
    }
    let in_2026 = on_place(
        table,
        in_place("t1", "eu")
            .with_sort_key("year", SortKeyCondition::Compare(Comparator::Eq, num(2026))),
    );
    assert_eq!(
        found(&backend, in_2026.scan_index_forward(false), Some(3)).await,
        ["b", "e", "c", "a"]
    );
    // A starting key without every index key attribute is refused.
    let mut partial = first.last_evaluated_key.expect("a starting key");
    partial.remove("slug");
    let message = query_error(&backend, all.clone().exclusive_start_key(partial)).await;
    assert!(
        message.starts_with("The provided starting key is invalid"),
        "{message}"
    );
    let scanned = backend
        .scan(scan(table).index_name("byPlace"))
        .await
        .expect("index scan");
    let mut ids = event_ids(&scanned.items);
    ids.sort();
    assert_eq!(ids, ["a", "b", "c", "d", "e", "f", "g", "h"]);
    let mut ids = Vec::new();
    let mut request = scan(table).index_name("byPlace").limit(3);
    loop {
        let page = backend
            .scan(request.clone())
            .await
            .expect("index scan page");
        ids.extend(event_ids(&page.items));
        if let Some(key) = &page.last_evaluated_key {
            assert_eq!(
                key.len(),
                6,
                "the table key and five index key attributes: {key:?}"
            );
        }
        match page.last_evaluated_key {
            Some(key) => request.exclusive_start_key = Some(key),
            None => break,
        }
    }
    ids.sort();
    assert_eq!(ids, ["a", "b", "c", "d", "e", "f", "g", "h"]);
}

async fn items_missing_any_index_key_attribute_are_left_out<B: Backend>(backend: B, table: &str) {
    placed(&backend, table).await;
    let in_2026 = |tenant| {
        on_place(
            table,
            in_place(tenant, "eu").and_leading_sort_key("year", num(2026)),
        )
    };
    assert_eq!(
        found(&backend, in_2026("t1"), None).await,
        ["a", "c", "e", "b"]
    );
    // `s1` gains its month: it joins the index; `a` loses its slug: it leaves.
    store(
        &backend,
        table,
        event("s1", Some("t1"), Some("eu"), Some(2026), Some(5), Some("z")),
    )
    .await;
    backend
        .update_item(update(
            table,
            item(&[("id", s("a"))]),
            vec![UpdateAction::Remove(path("slug"))],
            ReturnValues::None,
        ))
        .await
        .expect("remove the slug");
    assert_eq!(
        found(&backend, in_2026("t1"), None).await,
        ["s1", "c", "e", "b"]
    );
    backend
        .delete_item(DeleteItem::new(table, item(&[("id", s("c"))])))
        .await
        .expect("delete");
    assert_eq!(found(&backend, in_2026("t1"), None).await, ["s1", "e", "b"]);
}

async fn writes_refuse_an_index_key_attribute_of_the_wrong_type<B: Backend>(
    backend: B,
    table: &str,
) {
    placed(&backend, table).await;
    let mut wrong = event("w", Some("t1"), Some("eu"), Some(2026), Some(1), Some("w"));
    wrong.insert("month".to_owned(), s("January"));
    let err = backend
        .put_item(put(table, wrong))
        .await
        .expect_err("refused");
    assert_eq!(
        validation_message(err),
        "One or more parameter values were invalid: Type mismatch for Index Key month \
         Expected: N Actual: S IndexName: byPlace"
    );
    let err = backend
        .update_item(update(
            table,
            item(&[("id", s("b"))]),
            vec![UpdateAction::Set(
                path("region"),
                SetValue::Value(Operand::Value(num(7))),
            )],
            ReturnValues::None,
        ))
        .await
        .expect_err("refused");
    assert_eq!(
        validation_message(err),
        "One or more parameter values were invalid: Type mismatch for Index Key region \
         Expected: S Actual: N IndexName: byPlace"
    );
    assert_eq!(fetch(&backend, table, item(&[("id", s("w"))])).await, None);
}

async fn index_definitions_beyond_dynamodbs_limits_are_refused<B: Backend>(
    backend: B,
    table: &str,
) {
    use ScalarType::{N, S};
    let refused = |index: IndexSchema| {
        let backend = &backend;
        async move {
            let err = backend
                .create_table(events(table, vec![index]))
                .await
                .expect_err("refused");
            validation_message(err)
        }
    };
    let five = [("a", S), ("b", S), ("c", S), ("d", S), ("e", S)];
    assert_eq!(
        refused(global("byFive", &five, &[], IndexProjection::All)).await,
        "One or more parameter values were invalid: The KeySchema exceeds the maximum allowed \
         number of HASH key attributes (index byFive)"
    );
    assert_eq!(
        refused(global("byFive", &[("p", S)], &five, IndexProjection::All)).await,
        "One or more parameter values were invalid: The KeySchema exceeds the maximum allowed \
         number of RANGE key attributes (index byFive)"
    );
    let nine = refused(global(
        "byNine",
        &five,
        &[("f", N), ("g", N), ("h", N), ("i", N)],
        IndexProjection::All,
    ))
    .await;
    assert_eq!(
        nine,
        "1 validation error detected: Value '[KeySchemaElement(attributeName=a, keyType=HASH), \
         KeySchemaElement(attributeName=b, keyType=HASH), KeySchemaElement(attributeName=c, \
         keyType=HASH), KeySchemaElement(attributeName=d, keyType=HASH), \
         KeySchemaElement(attributeName=e, keyType=HASH), KeySchemaElement(attributeName=f, \
         keyType=RANGE), KeySchemaElement(attributeName=g, keyType=RANGE), \
         KeySchemaElement(attributeName=h, keyType=RANGE), KeySchemaElement(attributeName=i, \
         keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length \
         less than or equal to 8"
    );
    let repeated = global(
        "byRepeat",
        &[("tenant", S), ("region", S)],
        &[("year", N), ("region", S)],
        IndexProjection::All,
    );
    assert_eq!(
        refused(repeated).await,
        "The KeySchema contains multiple key attributes with the same name (region; index \
         byRepeat)"
    );
    let mut local = global(
        "byLocal",
        &[("id", S)],
        &[("year", N), ("month", N)],
        IndexProjection::All,
    );
    local.kind = IndexKind::Local;
    assert_eq!(
        refused(local).await,
        "1 validation error detected: Value '[KeySchemaElement(attributeName=id, keyType=HASH), \
         KeySchemaElement(attributeName=year, keyType=RANGE), KeySchemaElement(attributeName=month, \
         keyType=RANGE)]' at 'keySchema' failed to satisfy constraint: Member must have length \
         less than or equal to 2"
    );
    let typed = global(
        "byTyped",
        &[("tenant", S), ("id", N)],
        &[],
        IndexProjection::All,
    );
    assert!(
        refused(typed)
            .await
            .contains("Cannot have two attributes with the same name: id is S in one key schema and N in index byTyped")
    );
}

async fn queries_must_constrain_the_key_as_dynamodb_requires<B: Backend>(backend: B, table: &str) {
    placed(&backend, table).await;
    let refused = |key_condition| query_error(&backend, on_place(table, key_condition));
    assert_eq!(
        refused(KeyCondition::partition("tenant", s("t1")).and_leading_sort_key("year", num(2026)))
            .await,
        "HASH key attributes region must have equality conditions specified in the query"
    );
    let region_range = KeyCondition::partition("tenant", s("t1"))
        .with_sort_key("region", SortKeyCondition::BeginsWith(s("e")));
    assert_eq!(
        refused(region_range).await,
        "HASH key attributes region must have equality conditions specified in the query"
    );
    let range_before_last = in_place("t1", "eu")
        .and_leading_sort_key("month", num(2))
        .with_sort_key("year", SortKeyCondition::Compare(Comparator::Gt, num(2025)));
    assert_eq!(
        refused(range_before_last).await,
        "RANGE key attributes year must have equality conditions specified in the query \
         because a condition is present on key attribute month"
    );
    let gap = in_place("t1", "eu")
        .and_leading_sort_key("year", num(2026))
        .with_sort_key("slug", SortKeyCondition::BeginsWith(s("a")));
    assert_eq!(
        refused(gap).await,
        "RANGE key attributes month must have equality conditions specified in the query \
         because a condition is present on key attribute slug"
    );
    let not_a_key = in_place("t1", "eu")
        .with_sort_key("body", SortKeyCondition::Compare(Comparator::Eq, s("x")));
    assert_eq!(
        refused(not_a_key).await,
        "Query condition missed key schema element: year"
    );
    let too_many = in_place("t1", "eu")
        .and_leading_sort_key("year", num(2026))
        .and_leading_sort_key("month", num(2))
        .and_leading_sort_key("slug", s("alpha"))
        .with_sort_key("id", SortKeyCondition::Compare(Comparator::Eq, s("a")));
    assert_eq!(
        refused(too_many).await,
        "The number of query conditions (6) exceeds the number of key attributes defined in \
         the schema (5)"
    );
    let wrong_type = in_place("t1", "eu").and_leading_sort_key("year", s("2026"));
    let message = refused(wrong_type).await;
    assert!(
        message.starts_with(
            "One or more parameter values were invalid: Condition parameter type does not match \
             schema type"
        ),
        "{message}"
    );
}
