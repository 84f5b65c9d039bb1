//! What only MemoryBackend can show: its time-to-live sweep and its exact page sizes. Its
//! behaviour as DynamoDB is tested in the workspace's raw suite (`tests/tests/raw`), on
//! MemoryBackend and on a real DynamoDB-compatible server alike.

mod paging;
mod ttl;

use notes_model::expr::KeyCondition;
use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};

use super::MemoryBackend;
use notes_core::Backend;
use notes_core::request::*;

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}
fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.to_owned())
}
fn item(pairs: &[(&str, AttributeValue)]) -> ItemMap {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}
fn note(user: &str, id: &str) -> ItemMap {
    item(&[
        ("userId", s(user)),
        ("noteId", s(id)),
        ("content", s("hello")),
    ])
}

async fn backend_with(table: &str, sort_type: Option<ScalarType>) -> MemoryBackend {
    let backend = MemoryBackend::new();
    backend
        .create_table(
            CreateTable::new(
                table,
                KeySchema {
                    partition_key: KeyAttribute::new("userId", ScalarType::S),
                    sort_key: sort_type.map(|t| KeyAttribute::new("noteId", t)),
                },
            )
            .billing_mode(BillingMode::Provisioned {
                read_capacity_units: 5,
                write_capacity_units: 5,
            }),
        )
        .await
        .unwrap();
    backend
}

async fn notes() -> MemoryBackend {
    backend_with("notes", Some(ScalarType::S)).await
}

fn put(table: &str, item: ItemMap) -> PutItem {
    PutItem::new(table, item)
}

fn query(user: &str) -> Query {
    Query::new("notes", KeyCondition::partition("userId", s(user)))
}

fn ids(page: &PageOutput) -> Vec<AttributeValue> {
    page.items.iter().map(|i| i["noteId"].clone()).collect()
}
