//! `DynamoDbBackend` at the raw `Backend` level, against a DynamoDB-compatible server
//! (the in-process dynoxide, or `NOTES_DYNAMODB_ENDPOINT`).

use std::collections::HashMap;
use std::error::Error as _;
use std::time::Duration;

use notes_model::expr::{
    Comparator, Condition, KeyCondition, Operand, Path, SetValue, SortKeyCondition, Update,
    UpdateAction,
};
use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};
use notes_repo::request::{
    BatchGetItem, BatchWriteItem, BillingMode, CreateTable, DeleteItem, GetItem, KeysAndAttributes,
    PutItem, Query, ReturnValues, Scan, TableStatus, TransactGet, TransactGetItems, TransactWrite,
    TransactWriteItems, UpdateItem, WriteRequest,
};
use notes_repo::{Backend, DynamoDbBackend, Error};
use notes_tests::server;

// The cases by concept, in files beside this one (a subfolder, so cargo does not take them
// for test binaries of their own).
#[path = "aws_backend/indexes.rs"]
mod indexes;
#[path = "aws_backend/items.rs"]
mod items;
#[path = "aws_backend/multi_item.rs"]
mod multi_item;

/// Values that would break an expression if they were ever spliced into one.
const HOSTILE: &str = "#n0) OR :v0 = \"it's\" #status: (:v1 AND attribute_exists(#n1)";

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

fn n(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn item(pairs: &[(&str, AttributeValue)]) -> ItemMap {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn key(user: &str, note: &str) -> ItemMap {
    item(&[("userId", s(user)), ("noteId", s(note))])
}

fn note(user: &str, note: &str, content: &str) -> ItemMap {
    let mut it = key(user, note);
    it.insert("content".to_owned(), s(content));
    it
}

fn schema() -> KeySchema {
    KeySchema {
        partition_key: KeyAttribute::new("userId", ScalarType::S),
        sort_key: Some(KeyAttribute::new("noteId", ScalarType::S)),
    }
}

fn path(name: &'static str) -> Path {
    Path::attribute(name)
}

fn eq(name: &'static str, value: AttributeValue) -> Condition {
    Condition::Compare(
        Operand::Path(path(name)),
        Comparator::Eq,
        Operand::Value(value),
    )
}

/// Creates a notes-shaped table and waits until it is active (a real DynamoDB takes seconds).
async fn notes_table(backend: &DynamoDbBackend, prefix: &str) -> String {
    let table = server::table_name(prefix);
    backend
        .create_table(CreateTable {
            table_name: table.clone(),
            key_schema: schema(),
            billing_mode: BillingMode::PayPerRequest,
            indexes: Vec::new(),
        })
        .await
        .expect("create table");
    for _ in 0..120 {
        let described = backend
            .describe_table(table.clone())
            .await
            .expect("describe");
        if described.status == TableStatus::Active {
            return table;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    panic!("table {table} never became active");
}

async fn put(backend: &DynamoDbBackend, table: &str, it: ItemMap) {
    backend
        .put_item(PutItem {
            table_name: table.to_owned(),
            item: it,
            condition: None,
            return_values: ReturnValues::None,
        })
        .await
        .expect("put");
}

async fn get(backend: &DynamoDbBackend, table: &str, k: ItemMap) -> Option<ItemMap> {
    backend
        .get_item(GetItem {
            table_name: table.to_owned(),
            key: k,
            consistent_read: true,
            projection: None,
        })
        .await
        .expect("get")
        .item
}

fn query(table: &str, user: &str) -> Query {
    Query {
        table_name: table.to_owned(),
        index_name: None,
        key_condition: KeyCondition::partition("userId", s(user)),
        filter: None,
        projection: None,
        limit: None,
        scan_index_forward: true,
        exclusive_start_key: None,
        consistent_read: true,
    }
}

fn note_ids(items: &[ItemMap]) -> Vec<String> {
    items
        .iter()
        .map(|it| match it.get("noteId") {
            Some(AttributeValue::S(id)) => id.clone(),
            other => panic!("noteId missing or not a string: {other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn table_lifecycle_create_describe_delete() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "lifecycle").await;

    let described = backend.describe_table(table.clone()).await.unwrap();
    assert_eq!(described.table_name, table);
    assert_eq!(described.key_schema, schema());
    assert_eq!(described.billing_mode, Some(BillingMode::PayPerRequest));

    let again = backend
        .create_table(CreateTable {
            table_name: table.clone(),
            key_schema: schema(),
            billing_mode: BillingMode::PayPerRequest,
            indexes: Vec::new(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&again, Error::TableAlreadyExists { table: t, source: Some(_) } if *t == table),
        "{again:?}"
    );

    let deleted = backend.delete_table(table.clone()).await.unwrap();
    assert_eq!(deleted.table_name, table);
    assert_eq!(deleted.key_schema, schema());

    let gone = backend.describe_table(table.clone()).await.unwrap_err();
    assert!(
        matches!(&gone, Error::TableNotFound { table: t, source: Some(_) } if *t == table),
        "{gone:?}"
    );
    let gone = backend.delete_table(table.clone()).await.unwrap_err();
    assert!(matches!(gone, Error::TableNotFound { .. }), "{gone:?}");
}

#[tokio::test]
async fn provisioned_tables_report_their_capacity() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = server::table_name("provisioned");
    let created = backend
        .create_table(CreateTable {
            table_name: table.clone(),
            key_schema: KeySchema {
                partition_key: KeyAttribute::new("id", ScalarType::N),
                sort_key: None,
            },
            billing_mode: BillingMode::Provisioned {
                read_capacity_units: 5,
                write_capacity_units: 5,
            },
            indexes: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!(created.key_schema.partition_key.scalar_type, ScalarType::N);
    assert_eq!(created.key_schema.sort_key, None);
    let described = backend.describe_table(table.clone()).await.unwrap();
    assert_eq!(
        described.billing_mode,
        Some(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5
        })
    );
    backend.delete_table(table).await.unwrap();
}

#[tokio::test]
async fn a_missing_table_is_table_not_found_naming_it() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = server::table_name("missing");
    let err = backend
        .get_item(GetItem {
            table_name: table.clone(),
            key: key("u1", "n1"),
            consistent_read: false,
            projection: None,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TableNotFound { table: t, source: Some(_) } if *t == table),
        "{err:?}"
    );
    let err = backend.query(query(&table, "u1")).await.unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
    let err = backend
        .put_item(PutItem {
            table_name: table.clone(),
            item: note("u1", "n1", "x"),
            condition: None,
            return_values: ReturnValues::None,
        })
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn service_validation_errors_carry_the_service_message() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let table = notes_table(&backend, "validation").await;

    // A key without its sort key.
    let err = backend
        .get_item(GetItem {
            table_name: table.clone(),
            key: item(&[("userId", s("u1"))]),
            consistent_read: false,
            projection: None,
        })
        .await
        .unwrap_err();
    let Error::Validation { message, source } = &err else {
        panic!("expected Validation, got {err:?}");
    };
    assert!(source.is_some());
    assert!(message.contains("key"), "{message}");

    // A key attribute of the wrong type.
    let err = backend
        .put_item(PutItem {
            table_name: table.clone(),
            item: item(&[("userId", n(1)), ("noteId", s("n1"))]),
            condition: None,
            return_values: ReturnValues::None,
        })
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
        .update_item(UpdateItem {
            table_name: table.clone(),
            key: key("u1", "n1"),
            update: Update::from(UpdateAction::Set(
                path("noteId"),
                SetValue::Value(Operand::Value(s("n2"))),
            )),
            condition: None,
            return_values: ReturnValues::None,
        })
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

#[tokio::test]
async fn invalid_expressions_fail_before_any_request() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    // No such table: a request that reached the server would be TableNotFound.
    let table = server::table_name("never-sent");
    let err = backend
        .put_item(PutItem {
            table_name: table.clone(),
            item: note("u1", "n1", "x"),
            condition: Some(Condition::Compare(
                Operand::Path(path("content")),
                Comparator::Eq,
                Operand::Invalid {
                    path: path("content"),
                    message: "cannot serialize".to_owned(),
                },
            )),
            return_values: ReturnValues::None,
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation { source: None, .. }),
        "{err:?}"
    );

    let err = backend
        .query(Query {
            key_condition: KeyCondition::partition("userId", s("u1"))
                .with_sort_key("noteId", SortKeyCondition::Compare(Comparator::Ne, s("n1"))),
            ..query(&table, "u1")
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation { source: None, .. }),
        "{err:?}"
    );
}
