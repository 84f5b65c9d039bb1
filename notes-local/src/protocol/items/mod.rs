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
use serde_json::{Map, Value};

use super::{Answer, Service};
use crate::errors::ErrorAnswer;

/// Answers `operation` if it is one of this module's, else `None`.
pub(super) async fn call(service: &Service, operation: &str, body: &Value) -> Option<Answer> {
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

/// A response body under construction: members are added only when they have a value.
#[derive(Debug, Default)]
struct Response(Map<String, Value>);

impl Response {
    fn new() -> Self {
        Response::default()
    }

    /// Adds `member` when `value` is `Some`.
    fn with(mut self, member: &str, value: Option<Value>) -> Self {
        if let Some(value) = value {
            self.0.insert(member.to_owned(), value);
        }
        self
    }

    fn answer(self) -> Answer {
        Ok(Value::Object(self.0))
    }
}
