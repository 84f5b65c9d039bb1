//! The raw `Backend` suite: DynamoDB's own semantics, request by request, each case run on
//! `MemoryBackend` and on the real DynamoDB-compatible server by
//! [`notes_tests::on_every_backend!`]. A few tests check what only `DynamoDbBackend` does (the
//! service's error kept as the source of the typed one) and run on the server alone; a few
//! compare the two backends' answers directly.

mod backups;
mod batch;
mod capacity;
mod conditions;
mod consistency;
mod indexes;
mod items;
mod multi_key_indexes;
mod on_demand;
mod query;
mod recovery_period;
mod scan;
mod select;
mod set_values;
mod streams;
mod tables;
mod throttling;
mod throughput;
mod transactions;
mod ttl;
mod update_table;
mod warm;

use std::collections::HashMap;
use std::error::Error as _;
use std::time::Duration;

use notes_repo::expr::{
    Comparator, Condition, KeyCondition, Operand, Path, SetValue, SortKeyCondition, Update,
    UpdateAction,
};
use notes_repo::request::*;
use notes_repo::{
    AttributeValue, Backend, Error, ItemMap, KeyAttribute, KeySchema, MemoryBackend, ScalarType,
};
use notes_tests::server_support;

/// Values that would break an expression if they were ever spliced into one.
const HOSTILE: &str = "#n0) OR :v0 = \"it's\" #status: (:v1 AND attribute_exists(#n1)";

fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

/// A number from its text, as DynamoDB takes it.
fn n(value: &str) -> AttributeValue {
    AttributeValue::N(value.to_owned())
}

fn num(value: i64) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

fn item(pairs: &[(&str, AttributeValue)]) -> ItemMap {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn note_key(user: &str, id: &str) -> ItemMap {
    item(&[("userId", s(user)), ("noteId", s(id))])
}

/// A note saying "hello".
fn note(user: &str, id: &str) -> ItemMap {
    note_with(user, id, "hello")
}

fn note_with(user: &str, id: &str, content: &str) -> ItemMap {
    let mut it = note_key(user, id);
    it.insert("content".to_owned(), s(content));
    it
}

/// The notes table's key schema: `userId` (S), `noteId` (S).
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

/// Waits until `table` is active (a real DynamoDB takes seconds).
async fn wait_until_active<B: Backend>(backend: &B, table: &str) {
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

/// Creates `table` keyed by `userId` (S) and, when given, `noteId` of `sort_type`, with
/// provisioned capacity 5/5.
async fn table_with<B: Backend>(backend: &B, table: &str, sort_type: Option<ScalarType>) {
    let key_schema = KeySchema {
        partition_key: KeyAttribute::new("userId", ScalarType::S),
        sort_key: sort_type.map(|t| KeyAttribute::new("noteId", t)),
    };
    backend
        .create_table(
            CreateTable::new(table, key_schema).billing_mode(BillingMode::Provisioned {
                read_capacity_units: 5,
                write_capacity_units: 5,
            }),
        )
        .await
        .expect("create table");
    wait_until_active(backend, table).await;
}

/// Creates a notes-shaped table with provisioned capacity.
async fn notes<B: Backend>(backend: &B, table: &str) {
    table_with(backend, table, Some(ScalarType::S)).await;
}

/// Creates a notes-shaped table on demand.
async fn notes_table<B: Backend>(backend: &B, table: &str) {
    backend
        .create_table(CreateTable::new(table, schema()).billing_mode(BillingMode::PayPerRequest))
        .await
        .expect("create table");
    wait_until_active(backend, table).await;
}

/// Creates a notes-shaped table on demand, named after `prefix`.
async fn new_notes_table<B: Backend>(backend: &B, prefix: &str) -> String {
    let table = server_support::table_name(prefix);
    notes_table(backend, &table).await;
    table
}

async fn store<B: Backend>(backend: &B, table: &str, it: ItemMap) {
    backend.put_item(put(table, it)).await.expect("put");
}

async fn fetch<B: Backend>(backend: &B, table: &str, k: ItemMap) -> Option<ItemMap> {
    backend
        .get_item(GetItem::new(table, k).consistent_read(true))
        .await
        .expect("get")
        .item
        .map(notes_repo::SharedItem::into_owned)
}

/// Seven notes of `u1`, `status` even or odd, and one note each of `u10` and `u`.
async fn seed_notes<B: Backend>(backend: &B, table: &str) {
    for i in 0..7 {
        let mut it = note_with("u1", &format!("n{i}"), &format!("content {i}"));
        it.insert(
            "status".to_owned(),
            s(if i % 2 == 0 { "even" } else { "odd" }),
        );
        store(backend, table, it).await;
    }
    store(backend, table, note_with("u10", "n0", "other user")).await;
    store(backend, table, note_with("u", "n0", "prefix user")).await;
}

fn put(table: &str, item: ItemMap) -> PutItem {
    PutItem::new(table, item)
}

/// All notes of `user`, eventually consistent.
fn query(table: &str, user: &str) -> Query {
    Query::new(table, KeyCondition::partition("userId", s(user)))
}

/// All notes of `user`, strongly consistent.
fn consistent_query(table: &str, user: &str) -> Query {
    query(table, user).consistent_read(true)
}

fn scan(table: &str) -> Scan {
    Scan::new(table)
}

fn update(
    table: &str,
    key: ItemMap,
    actions: Vec<UpdateAction>,
    return_values: ReturnValues,
) -> UpdateItem {
    UpdateItem::new(table, key, Update { actions }).return_values(return_values)
}

fn ids(page: &PageOutput) -> Vec<AttributeValue> {
    page.items.iter().map(|i| i["noteId"].clone()).collect()
}

fn note_ids(items: &[impl std::borrow::Borrow<ItemMap>]) -> Vec<String> {
    items
        .iter()
        .map(|it| match it.borrow().get("noteId") {
            Some(AttributeValue::S(id)) => id.clone(),
            other => panic!("noteId missing or not a string: {other:?}"),
        })
        .collect()
}

fn validation_message(err: Error) -> String {
    match err {
        Error::Validation { message, .. } => message,
        other => panic!("expected a validation error, got {other:?}"),
    }
}
