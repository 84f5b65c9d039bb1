//! The tracing layer: one `tracing` span per DynamoDB operation, with table, operation,
//! consumed capacity and outcome, under our own field names and under the names
//! OpenTelemetry's semantic conventions give DynamoDB calls (`conventions.rs`), so that an
//! OpenTelemetry exporter shows them as they are.
//!
//! Spans carry names and numbers only: never item contents, keys' values or credentials.

mod conventions;

use std::future::Future;
use std::time::Instant;

use tracing::Instrument;

use crate::backend::Backend;
use crate::error::Result;
use crate::layer::Layer;
use crate::operation::Operation;
use crate::request::RequestAttributes;
use crate::request::attributes::Attributed;
use crate::request::capacity::ConsumedCapacity;

/// The target of the spans and events: the crate apps depend on, so that a filter such as
/// `RUST_LOG=notes_repo=debug` shows them (they were emitted from `notes_repo::trace` before the
/// seam became a crate of its own).
const TARGET: &str = "notes_repo::trace";

/// A backend whose every operation, table admin included, runs in a `dynamodb` span at DEBUG
/// level and logs its outcome with the elapsed time. `Repo` traces through it.
///
/// The span's fields: `table`, `operation`, `consumed_capacity`, and `error` (the kind of
/// error, never its message); and OpenTelemetry's semantic conventions for DynamoDB client
/// calls, named as the conventions name them: `db.system.name` (`aws.dynamodb`),
/// `db.operation.name`, `db.collection.name`, `db.operation.batch.size`, `rpc.system`,
/// `rpc.service`, `rpc.method`, `aws.dynamodb.table_names`, `aws.dynamodb.consumed_capacity`,
/// `aws.dynamodb.index_name`, `aws.dynamodb.limit`, `aws.dynamodb.consistent_read`,
/// `aws.dynamodb.scan_forward`, `aws.dynamodb.projection`, `aws.dynamodb.segment`,
/// `aws.dynamodb.total_segments`, `aws.dynamodb.select`, `aws.dynamodb.count`,
/// `aws.dynamodb.scanned_count`, `aws.dynamodb.provisioned_read_capacity`,
/// `aws.dynamodb.provisioned_write_capacity` and `error.type`, each on the operations the
/// conventions list it for, with `otel.name` (`DynamoDB.GetItem`), `otel.kind` (`client`) and
/// `otel.status_code` (`error` on failure) for `tracing-opentelemetry`. The manual's layers
/// chapter has the table.
///
/// ```
/// use notes_repo::request::DescribeTable;
/// use notes_repo::{Backend, MemoryBackend, Traced};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let backend = Traced::new(MemoryBackend::new());
/// let err = backend.describe_table(DescribeTable::new("missing")).await.unwrap_err(); // logged as failed
/// assert!(matches!(err, notes_repo::Error::TableNotFound { .. }));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Traced<B> {
    inner: B,
}

impl<B> Traced<B> {
    /// Traces the operations of `inner`.
    ///
    /// See [`Traced`] for an example.
    pub fn new(inner: B) -> Self {
        Traced { inner }
    }

    /// The traced backend.
    ///
    /// ```
    /// let traced = notes_repo::Traced::new(notes_repo::MemoryBackend::new());
    /// let _memory: &notes_repo::MemoryBackend = traced.get_ref();
    /// ```
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// The traced backend, unwrapped.
    ///
    /// ```
    /// let traced = notes_repo::Traced::new(notes_repo::MemoryBackend::new());
    /// let _memory: notes_repo::MemoryBackend = traced.into_inner();
    /// ```
    pub fn into_inner(self) -> B {
        self.inner
    }
}

impl<B: Backend> Layer for Traced<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.inner
    }

    fn around<O, F>(
        &self,
        operation: Operation,
        table: &str,
        call: F,
    ) -> impl Future<Output = Result<O>> + Send
    where
        O: ConsumedCapacity + Send,
        F: Future<Output = Result<O>> + Send,
    {
        let span = conventions::span(operation, table, &RequestAttributes::default());
        traced(span, operation, table, call)
    }

    fn around_request<R, O, C, F>(
        &self,
        operation: Operation,
        table: &str,
        request: R,
        send: C,
    ) -> impl Future<Output = Result<O>> + Send
    where
        R: Attributed + Send,
        O: ConsumedCapacity + Send,
        C: FnOnce(R) -> F + Send,
        F: Future<Output = Result<O>> + Send,
    {
        let span = conventions::span(operation, table, &request.attributes());
        traced(span, operation, table, send(request))
    }
}

/// `call` in `span`, its outcome recorded on the span and logged with the elapsed time.
fn traced<O, F>(
    span: tracing::Span,
    operation: Operation,
    table: &str,
    call: F,
) -> impl Future<Output = Result<O>> + Send
where
    O: ConsumedCapacity + Send,
    F: Future<Output = Result<O>> + Send,
{
    // The table a capacity item names, kept only for a span that records it.
    let table = conventions::capacity_table(&span, table);
    async move {
        let started = Instant::now();
        let result = call.instrument(span.clone()).await;
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        match &result {
            Ok(output) => {
                conventions::record_output(&span, operation, table.as_deref(), output);
                span.in_scope(|| tracing::debug!(target: TARGET, elapsed_ms, "ok"));
            }
            Err(err) => {
                conventions::record_error(&span, operation, err);
                span.in_scope(|| tracing::debug!(target: TARGET, elapsed_ms, "failed"));
            }
        }
        result
    }
}
