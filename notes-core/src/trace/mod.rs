//! The tracing layer: one `tracing` span per DynamoDB operation, with table, operation,
//! consumed capacity and outcome.
//!
//! Spans carry names and numbers only: never item contents, keys' values or credentials.

use std::future::Future;
use std::time::Instant;

use tracing::Instrument;
use tracing::field::Empty;

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::layer::Layer;
use crate::operation::Operation;
use crate::request::capacity::ConsumedCapacity;

/// The target of the spans and events: the crate apps depend on, so that a filter such as
/// `RUST_LOG=notes_repo=debug` shows them (they were emitted from `notes_repo::trace` before the
/// seam became a crate of its own).
const TARGET: &str = "notes_repo::trace";

/// A backend whose every operation, table admin included, runs in a `dynamodb` span at DEBUG
/// level (fields `table`, `operation`, `consumed_capacity`, and `error`: the kind of error, never
/// its message) and logs its outcome with the elapsed time. `Repo` traces through it.
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
        let span = tracing::debug_span!(
            target: TARGET,
            "dynamodb",
            table,
            operation = operation.name(),
            consumed_capacity = Empty,
            error = Empty
        );
        async move {
            let started = Instant::now();
            let result = call.instrument(span.clone()).await;
            let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
            match &result {
                Ok(output) => {
                    if let Some(units) = output.capacity_units() {
                        span.record("consumed_capacity", units);
                    }
                    span.in_scope(|| tracing::debug!(target: TARGET, elapsed_ms, "ok"));
                }
                Err(err) => {
                    span.record("error", kind(err));
                    span.in_scope(|| tracing::debug!(target: TARGET, elapsed_ms, "failed"));
                }
            }
            result
        }
    }
}

/// What went wrong, without what the request held: a service's message may quote the values it
/// refused (a duplicate set element, a number out of range), so it stays out of the span.
fn kind(err: &Error) -> &'static str {
    match err {
        Error::Validation { .. } => "validation",
        Error::ItemTooLarge { .. } => "item_too_large",
        Error::ConditionFailed { .. } => "condition_failed",
        Error::AlreadyExists { .. } => "already_exists",
        Error::NotFound { .. } => "not_found",
        Error::TableNotFound { .. } => "table_not_found",
        Error::TableAlreadyExists { .. } => "table_already_exists",
        Error::KeySchemaMismatch { .. } => "key_schema_mismatch",
        Error::TransactionCanceled { .. } => "transaction_canceled",
        Error::IdempotentParameterMismatch { .. } => "idempotent_parameter_mismatch",
        Error::TransactionInProgress { .. } => "transaction_in_progress",
        Error::LimitExceeded { .. } => "limit_exceeded",
        Error::Throttled { .. } => "throttled",
        Error::VersionConflict { .. } => "version_conflict",
        Error::BatchWriteIncomplete { .. } => "batch_write_incomplete",
        Error::BatchGetIncomplete { .. } => "batch_get_incomplete",
        Error::InvalidCursor { .. } => "invalid_cursor",
        Error::Item(_) => "item",
        Error::Backend { .. } => "backend",
        Error::AutoScalingMismatch { .. } => "auto_scaling_mismatch",
        Error::BackupNotFound { .. } => "backup_not_found",
        Error::InvalidRestoreTime { .. } => "invalid_restore_time",
        Error::PointInTimeRecoveryUnavailable { .. } => "point_in_time_recovery_unavailable",
        Error::EntityTableMismatch { .. } => "entity_table_mismatch",
        Error::StoreInUse { .. } => "store_in_use",
        Error::Storage { .. } => "storage",
        Error::Corrupt { .. } => "corrupt",
        Error::StreamMismatch { .. } => "stream_mismatch",
        Error::TrimmedData { .. } => "trimmed_data",
    }
}
