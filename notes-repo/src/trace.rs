//! One `tracing` span per DynamoDB operation: table, operation, consumed capacity, outcome.
//!
//! Spans carry names and numbers only: never item contents, keys' values or credentials.

use std::future::Future;
use std::time::Instant;

use tracing::Instrument;
use tracing::field::Empty;

use crate::error::Result;
use crate::request::{
    BatchGetItemOutput, BatchWriteItemOutput, GetItemOutput, Page, TransactGetItemsOutput,
    TransactWriteItemsOutput, WriteOutput,
};

/// An operation's output that reports consumed capacity units.
pub(crate) trait Consumed {
    fn consumed_capacity(&self) -> Option<f64>;
}

macro_rules! consumed {
    ($($t:ty),*) => {$(
        impl Consumed for $t {
            fn consumed_capacity(&self) -> Option<f64> {
                self.consumed_capacity
            }
        }
    )*};
}
consumed!(
    GetItemOutput,
    WriteOutput,
    Page,
    BatchGetItemOutput,
    BatchWriteItemOutput,
    TransactGetItemsOutput,
    TransactWriteItemsOutput
);

/// Runs one backend operation inside a `dynamodb` span and records how it went.
pub(crate) async fn call<O: Consumed>(
    table: &str,
    operation: &'static str,
    request: impl Future<Output = Result<O>>,
) -> Result<O> {
    let span = tracing::debug_span!(
        "dynamodb",
        table,
        operation,
        consumed_capacity = Empty,
        error = Empty
    );
    let started = Instant::now();
    let result = request.instrument(span.clone()).await;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    match &result {
        Ok(output) => {
            if let Some(units) = output.consumed_capacity() {
                span.record("consumed_capacity", units);
            }
            span.in_scope(|| tracing::debug!(elapsed_ms, "ok"));
        }
        Err(err) => {
            span.record("error", tracing::field::display(err));
            span.in_scope(|| tracing::debug!(elapsed_ms, "failed"));
        }
    }
    result
}
