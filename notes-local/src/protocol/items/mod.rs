//! The item operations of DynamoDB's JSON protocol on the engine: [`single`] (`GetItem`,
//! `PutItem`, `UpdateItem`, `DeleteItem`), [`query`] (`Query`, `Scan`), [`batch`]
//! (`BatchGetItem`, `BatchWriteItem`) and [`transactions`] (`TransactGetItems`,
//! `TransactWriteItems`).
//!
//! Each operation reads its body into a typed shape, checks what DynamoDB checks before it
//! reads a table ([`params`]: member constraints, enumerations, expression and legacy
//! parameters, placeholders), reads attribute values ([`values`]) and expressions
//! ([`expressions`]) or their [`legacy`] forms into the engine's request types, calls the
//! engine and writes DynamoDB's answer, with [`capacity`] when asked.

mod batch;
mod capacity;
mod expressions;
mod legacy;
mod params;
mod query;
mod single;
#[cfg(test)]
mod test_support;
mod transactions;
mod values;

use notes_core::Backend;
use notes_core::request::{DescribeTable, TableDescription};
use std::collections::HashMap;

use notes_model::{ItemMap, SharedItem};
use serde_json::Value;

use super::{ItemAnswer, Reply, Service};
use crate::errors::ErrorAnswer;

/// Answers `operation` if it is one of this module's, else `None`.
pub(super) async fn call(service: &Service, operation: &str, body: &Value) -> Option<ItemAnswer> {
    Some(match operation {
        "GetItem" => single::get_item(service, body).await,
        "PutItem" => single::put_item(service, body).await,
        "UpdateItem" => single::update_item(service, body).await,
        "DeleteItem" => single::delete_item(service, body).await,
        "Query" => query::query(service, body).await,
        "Scan" => query::scan(service, body).await,
        "BatchGetItem" => batch::batch_get_item(service, body).await,
        "BatchWriteItem" => batch::batch_write_item(service, body).await,
        "TransactGetItems" => transactions::transact_get_items(service, body).await,
        "TransactWriteItems" => transactions::transact_write_items(service, body).await,
        _ => return None,
    })
}

/// How `operation` answers an error of the engine or of the expression parser.
fn failed(operation: &'static str) -> impl Fn(notes_core::Error) -> ErrorAnswer {
    move |err| ErrorAnswer::of(&err, operation, 1)
}

/// The table's description (its key schema and indexes), as `operation` needs it.
async fn describe(
    service: &Service,
    table: &str,
    operation: &'static str,
) -> Result<TableDescription, ErrorAnswer> {
    service
        .engine()
        .describe_table(DescribeTable::new(table))
        .await
        .map_err(failed(operation))
}

/// A response body under construction, written as JSON as it goes: members are added only
/// when they have a value, items straight from the engine's maps.
#[derive(Debug)]
struct Response(Vec<u8>);

impl Response {
    fn new() -> Self {
        Response(b"{".to_vec())
    }

    /// Writes `"member":` after a comma when a member came before.
    fn member(&mut self, member: &str) {
        if self.0.len() > 1 {
            self.0.push(b',');
        }
        // A member name is one of DynamoDB's: plain ASCII, nothing to escape.
        self.0.push(b'"');
        self.0.extend_from_slice(member.as_bytes());
        self.0.extend_from_slice(b"\":");
    }

    /// Adds `member` when `value` is `Some`.
    fn with(mut self, member: &str, value: Option<Value>) -> Self {
        if let Some(value) = value {
            self.member(member);
            self.write(&value);
        }
        self
    }

    /// Adds `member` when `item` is `Some`: the item in DynamoDB JSON.
    fn with_item(mut self, member: &str, item: Option<&ItemMap>) -> Self {
        if let Some(item) = item {
            self.member(member);
            self.write(item);
        }
        self
    }

    /// Adds `member` when `items` is `Some`: a list of items in DynamoDB JSON.
    fn with_items(mut self, member: &str, items: Option<&[SharedItem]>) -> Self {
        if let Some(items) = items {
            self.member(member);
            self.write(items);
        }
        self
    }

    /// Adds `member`: each table's items, in DynamoDB JSON (`BatchGetItem`'s `Responses`).
    fn with_tables(mut self, member: &str, tables: &HashMap<String, Vec<SharedItem>>) -> Self {
        self.member(member);
        self.write(tables);
        self
    }

    /// Serializes `value` at the end (to a `Vec`, of values that are all representable in
    /// JSON: it cannot fail).
    fn write(&mut self, value: &(impl serde::Serialize + ?Sized)) {
        let _ = serde_json::to_writer(&mut self.0, value);
    }

    fn answer(mut self) -> ItemAnswer {
        self.0.push(b'}');
        Ok(Reply::from_bytes(self.0))
    }
}
