//! Secondary indexes and time to live: created, described, queried and scanned on the server,
//! and the same reads compared with MemoryBackend's answers.

use std::borrow::Cow;

use notes_model::{IndexKind, IndexProjection, IndexSchema};
use notes_repo::MemoryBackend;
use notes_repo::request::PageOutput;

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
        .create_table(CreateTable {
            table_name: table.to_owned(),
            key_schema: schema(),
            billing_mode,
            indexes: indexes(),
        })
        .await
        .expect("create indexed table");
    for _ in 0..120 {
        let described = backend
            .describe_table(table.to_owned())
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
        let mut it = note(user, id, &format!("{user}/{id}"));
        it.insert("createdAt".to_owned(), n(created));
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
    Query {
        index_name: Some(index.to_owned()),
        key_condition: KeyCondition::partition(pk.0, pk.1),
        consistent_read: false,
        ..query(table, "unused")
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
async fn index_reads<B: Backend>(backend: &B, table: &str) -> Vec<(Vec<ItemMap>, Option<ItemMap>)> {
    let mut pages = Vec::new();
    let open = on_index(table, "byStatus", ("status", s("open")));
    pages.extend(all_pages(backend, open.clone(), 2).await);
    pages.extend(
        all_pages(
            backend,
            Query {
                scan_index_forward: false,
                ..open.clone()
            },
            3,
        )
        .await,
    );
    let recent = open.key_condition.clone().with_sort_key(
        "createdAt",
        SortKeyCondition::Compare(Comparator::Ge, n(30)),
    );
    pages.extend(
        all_pages(
            backend,
            Query {
                key_condition: recent,
                ..open.clone()
            },
            10,
        )
        .await,
    );
    pages.extend(
        all_pages(
            backend,
            Query {
                consistent_read: true,
                ..on_index(table, "byCreatedAt", ("userId", s("u1")))
            },
            2,
        )
        .await,
    );
    pages.extend(all_pages(backend, on_index(table, "byTag", ("tag", s("work"))), 10).await);
    let projected = Query {
        projection: Some(vec![path("content"), path("secret")]),
        ..on_index(table, "byStatus", ("status", s("done")))
    };
    pages.extend(all_pages(backend, projected, 10).await);
    let scanned = backend
        .scan(Scan {
            table_name: table.to_owned(),
            index_name: Some("byStatus".to_owned()),
            ..Scan::default()
        })
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

#[tokio::test]
async fn indexes_are_created_and_described() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = server::table_name("indexed");
    indexed_table(
        &backend,
        &table,
        BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5,
        },
    )
    .await;
    let described = backend.describe_table(table.clone()).await.unwrap();
    assert_eq!(described.key_schema, schema());
    assert_eq!(sorted(described.indexes), sorted(indexes()));

    let on_demand = server::table_name("indexed-od");
    indexed_table(&backend, &on_demand, BillingMode::PayPerRequest).await;
    let described = backend.describe_table(on_demand.clone()).await.unwrap();
    assert_eq!(sorted(described.indexes), sorted(indexes()));
    backend.delete_table(table).await.unwrap();
    backend.delete_table(on_demand).await.unwrap();
}

#[tokio::test]
async fn index_reads_match_memory_backend() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = server::table_name("index-reads");
    indexed_table(&backend, &table, BillingMode::PayPerRequest).await;
    let memory = MemoryBackend::new();
    indexed_table(&memory, &table, BillingMode::PayPerRequest).await;
    for it in rows() {
        put(&backend, &table, it.clone()).await;
        memory
            .put_item(PutItem {
                table_name: table.clone(),
                item: it,
                condition: None,
                return_values: ReturnValues::None,
            })
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
    backend.delete_table(table).await.unwrap();
}

#[tokio::test]
async fn index_errors_carry_the_service_message() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = server::table_name("index-errors");
    indexed_table(&backend, &table, BillingMode::PayPerRequest).await;
    let memory = MemoryBackend::new();
    indexed_table(&memory, &table, BillingMode::PayPerRequest).await;

    let unknown = on_index(&table, "byNothing", ("userId", s("u1")));
    let consistent = Query {
        consistent_read: true,
        ..on_index(&table, "byStatus", ("status", s("open")))
    };
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
    backend.delete_table(table).await.unwrap();
}

#[tokio::test]
async fn time_to_live_is_updated_on_the_server() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "ttl").await;
    backend
        .update_time_to_live(table.clone(), "expiresAt".to_owned(), true)
        .await
        .expect("enable time to live");
    backend
        .update_time_to_live(table.clone(), "expiresAt".to_owned(), false)
        .await
        .expect("disable time to live");
    let missing = server::table_name("ttl-missing");
    let err = backend
        .update_time_to_live(missing.clone(), "expiresAt".to_owned(), true)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TableNotFound { table: t, source: Some(_) } if *t == missing),
        "{err:?}"
    );
    let memory_err = MemoryBackend::new()
        .update_time_to_live(missing, "expiresAt".to_owned(), true)
        .await
        .unwrap_err();
    assert!(matches!(memory_err, Error::TableNotFound { .. }));
    backend.delete_table(table).await.unwrap();
}
