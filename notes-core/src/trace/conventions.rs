//! The `dynamodb` span's fields: ours (`table`, `operation`, `consumed_capacity`, `error`)
//! and OpenTelemetry's semantic conventions for DynamoDB client calls, named exactly as the
//! conventions name them (semantic-conventions `docs/db/dynamodb.md`, `docs/db/database-spans.md`,
//! `docs/cloud-providers/aws-sdk.md`), each on the operations the conventions list it for.
//!
//! `tracing` has no array values: an attribute the conventions type `string[]`
//! (`aws.dynamodb.table_names`, `aws.dynamodb.consumed_capacity`) is recorded as the JSON text
//! of that array of strings (`["counters", "notes"]`).
//!
//! Names and numbers only: table and index names, attribute paths of a projection, counts and
//! capacity units. Never an item's or a key's values, never an error's message (a service's
//! message may quote the values it refused).

use std::fmt;

use tracing::field::{Empty, display};

use super::TARGET;
use crate::error::Error;
use crate::operation::Operation;
use crate::request::capacity::ConsumedCapacity;
use crate::request::{RequestAttributes, Select};
use notes_model::expr::Path;

/// `db.system.name`: "`db.system.name` MUST be set to `"aws.dynamodb"`".
const DB_SYSTEM_NAME: &str = "aws.dynamodb";
/// `rpc.system`: "The value `aws-api`" (required by the DynamoDB spans, though deprecated in
/// the registry for `rpc.system.name`, which has no value for AWS APIs).
const RPC_SYSTEM: &str = "aws-api";

/// A new `dynamodb` span for `operation` on `table` (several joined by commas, or none), with
/// what `request` asks; the outcome's fields are recorded after the call.
pub(super) fn span(
    operation: Operation,
    table: &str,
    request: &RequestAttributes<'_>,
) -> tracing::Span {
    let service = service(operation);
    let throughput = request.provisioned_throughput;
    tracing::debug_span!(
        target: TARGET,
        "dynamodb",
        table,
        operation = operation.name(),
        consumed_capacity = Empty,
        error = Empty,
        otel.name = display(SpanName(service, operation)),
        otel.kind = "client",
        otel.status_code = Empty,
        db.system.name = DB_SYSTEM_NAME,
        db.operation.name = operation.name(),
        db.collection.name = single_table(table),
        // "Requests to batch APIs that contain only one operation SHOULD be modeled as single
        // operations" (database-spans.md).
        db.operation.batch.size = request.batch_size.filter(|&size| size != 1),
        rpc.system = RPC_SYSTEM,
        rpc.service = service,
        rpc.method = operation.name(),
        aws.dynamodb.table_names = (!table.is_empty()).then(|| display(TableNames(table))),
        aws.dynamodb.consumed_capacity = Empty,
        aws.dynamodb.index_name = request.index_name,
        aws.dynamodb.limit = request.limit,
        aws.dynamodb.consistent_read = request.consistent_read,
        aws.dynamodb.scan_forward = request.scan_index_forward,
        aws.dynamodb.projection = request.projection.map(|paths| display(Projection(paths))),
        aws.dynamodb.segment = request.segment,
        aws.dynamodb.total_segments = request.total_segments,
        aws.dynamodb.select = request.select.map(Select::as_str),
        aws.dynamodb.count = Empty,
        aws.dynamodb.scanned_count = Empty,
        // The conventions type them `double`.
        aws.dynamodb.provisioned_read_capacity = throughput.map(|t| t.read_capacity_units as f64),
        aws.dynamodb.provisioned_write_capacity = throughput.map(|t| t.write_capacity_units as f64),
        error.type = Empty,
    )
}

/// What a successful call answered: its capacity, and for a scan, `Count` and `ScannedCount`
/// (the conventions list them for `DynamoDB.Scan` only).
pub(super) fn record_output<O: ConsumedCapacity>(
    span: &tracing::Span,
    operation: Operation,
    table: Option<&str>,
    output: &O,
) {
    if span.is_disabled() {
        return;
    }
    if let Some(units) = output.capacity_units() {
        span.record("consumed_capacity", units);
        span.record(
            "aws.dynamodb.consumed_capacity",
            display(CapacityItems(units, table)),
        );
    }
    if operation == Operation::Scan
        && let Some((count, scanned_count)) = output.page_counts()
    {
        span.record("aws.dynamodb.count", count);
        span.record("aws.dynamodb.scanned_count", scanned_count);
    }
}

/// The table that `aws.dynamodb.consumed_capacity` names for a call on `table`, when `span`
/// records it (nothing is copied for a span no subscriber wants).
pub(super) fn capacity_table(span: &tracing::Span, table: &str) -> Option<String> {
    if span.is_disabled() {
        return None;
    }
    single_table(table).map(str::to_owned)
}

/// A failed call: our kind (`error`), the conventions' `error.type`, and the span's status.
pub(super) fn record_error(span: &tracing::Span, operation: Operation, err: &Error) {
    span.record("error", kind(err));
    span.record("error.type", error_type(operation, err));
    span.record("otel.status_code", "error");
}

/// The service a call goes to: `rpc.service`, and the first half of the span's name.
fn service(operation: Operation) -> &'static str {
    match operation {
        Operation::PutScalingPolicy
        | Operation::DescribeScalingPolicies
        | Operation::DeleteScalingPolicy => "ApplicationAutoScaling",
        _ => "DynamoDB",
    }
}

/// The table of a call on one table (`db.collection.name`: "If readily available and if a
/// database call is performed on a single collection"; a batch on one table too).
fn single_table(table: &str) -> Option<&str> {
    (!table.is_empty() && !table.contains(',')).then_some(table)
}

/// The span's name for OpenTelemetry (`otel.name`): "`Service.Operation` as per the AWS HTTP
/// API, e.g., `DynamoDB.GetItem`" (aws-sdk.md).
struct SpanName(&'static str, Operation);

impl fmt::Display for SpanName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.0, self.1.name())
    }
}

/// `aws.dynamodb.table_names` from the layer's `table` (names joined by commas): a JSON array
/// of strings (`["counters", "notes"]`). Table names are `[a-zA-Z0-9_.-]`: nothing to escape.
struct TableNames<'a>(&'a str);

impl fmt::Display for TableNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.0.split(',').collect();
        write!(f, "{names:?}")
    }
}

/// `aws.dynamodb.projection`: the `ProjectionExpression`'s paths as written, without
/// placeholders (`content, meta.tags[0]`).
struct Projection<'a>(&'a [Path]);

impl fmt::Display for Projection<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, path) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{path}")?;
        }
        Ok(())
    }
}

/// `aws.dynamodb.consumed_capacity`: "The JSON-serialized value of each item in the
/// `ConsumedCapacity` response field", as a JSON array of those strings. A backend reports
/// one total per call: one item, naming its table when the call had one.
struct CapacityItems<'a>(f64, Option<&'a str>);

impl fmt::Display for CapacityItems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let item = match self.1 {
            Some(table) => format!(r#"{{"CapacityUnits":{},"TableName":"{table}"}}"#, self.0),
            None => format!(r#"{{"CapacityUnits":{}}}"#, self.0),
        };
        write!(f, "{:?}", [item])
    }
}

/// `error.type`: "SHOULD match the `db.response.status_code` returned by the database or the
/// client library": DynamoDB's exception name where the error is one DynamoDB exception;
/// else our [`kind`] (errors DynamoDB does not send, or `throttled`, which stands for
/// several: `ProvisionedThroughputExceededException`, `ThrottlingException`,
/// `RequestLimitExceeded`).
pub(crate) fn error_type(operation: Operation, err: &Error) -> &'static str {
    use Operation as Op;
    let continuous_backups = matches!(
        operation,
        Op::CreateBackup
            | Op::UpdateContinuousBackups
            | Op::DescribeContinuousBackups
            | Op::RestoreTableToPointInTime
    );
    let restore = matches!(
        operation,
        Op::RestoreTableFromBackup | Op::RestoreTableToPointInTime
    );
    match err {
        Error::Validation { .. } | Error::ItemTooLarge { .. } => "ValidationException",
        // The typed readings of a failed condition.
        Error::ConditionFailed { .. }
        | Error::AlreadyExists { .. }
        | Error::NotFound { .. }
        | Error::VersionConflict { .. } => "ConditionalCheckFailedException",
        Error::TableNotFound { .. } if continuous_backups => "TableNotFoundException",
        Error::TableNotFound { .. } => "ResourceNotFoundException",
        Error::TableAlreadyExists { .. } if restore => "TableAlreadyExistsException",
        Error::TableAlreadyExists { .. } => "ResourceInUseException",
        // A value of a `#[unique]` attribute taken: the typed reading of a cancelled
        // transaction.
        Error::TransactionCanceled { .. } | Error::UniqueConflict { .. } => {
            "TransactionCanceledException"
        }
        Error::IdempotentParameterMismatch { .. } => "IdempotentParameterMismatchException",
        Error::TransactionInProgress { .. } => "TransactionInProgressException",
        Error::LimitExceeded { .. } => "LimitExceededException",
        Error::BackupNotFound { .. } => "BackupNotFoundException",
        Error::InvalidRestoreTime { .. } => "InvalidRestoreTimeException",
        Error::PointInTimeRecoveryUnavailable { .. } => "PointInTimeRecoveryUnavailableException",
        // The reasons name the limit, and each limit its exception; without them, three
        // exceptions are possible and the span says `throttled`.
        Error::Throttled { reasons, .. } => match reasons.first().and_then(|r| r.limit_type()) {
            Some(limit) => limit.exception(),
            None => kind(err),
        },
        other => kind(other),
    }
}

/// What went wrong, without what the request held (the `error` field): a service's message
/// may quote the values it refused (a duplicate set element, a number out of range), so it
/// stays out of the span.
pub(crate) fn kind(err: &Error) -> &'static str {
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
        Error::UniqueConflict { .. } => "unique_conflict",
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
        Error::Decryption { .. } => "decryption",
        Error::Encryption { .. } => "encryption",
        Error::EncryptionRefused { .. } => "encryption_refused",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notes_model::expr::Path;

    #[test]
    fn arrays_are_json_text_and_projections_are_paths() {
        assert_eq!(TableNames("notes").to_string(), r#"["notes"]"#);
        assert_eq!(
            TableNames("counters,notes").to_string(),
            r#"["counters", "notes"]"#
        );
        assert_eq!(
            CapacityItems(0.5, Some("notes")).to_string(),
            r#"["{\"CapacityUnits\":0.5,\"TableName\":\"notes\"}"]"#
        );
        assert_eq!(
            CapacityItems(3.0, None).to_string(),
            r#"["{\"CapacityUnits\":3}"]"#
        );
        let paths = [
            Path::attribute("content"),
            Path::attribute("meta").key("tags").index(0),
        ];
        assert_eq!(Projection(&paths).to_string(), "content, meta.tags[0]");
        assert_eq!(
            SpanName("DynamoDB", Operation::GetItem).to_string(),
            "DynamoDB.GetItem"
        );
    }

    #[test]
    fn error_types_are_dynamodbs_exception_names() {
        let not_found = || Error::TableNotFound {
            table: "notes".into(),
            source: None,
        };
        assert_eq!(
            error_type(Operation::GetItem, &not_found()),
            "ResourceNotFoundException"
        );
        assert_eq!(
            error_type(Operation::UpdateContinuousBackups, &not_found()),
            "TableNotFoundException"
        );
        let throttled = Error::Throttled {
            retried: false,
            source: None,
            reasons: Vec::new(),
        };
        assert_eq!(error_type(Operation::PutItem, &throttled), "throttled");
        let reason = |reason: &str| {
            crate::ThrottlingReason::new(
                reason,
                "arn:aws:dynamodb:us-east-1:000000000000:table/notes",
            )
        };
        let on_demand = Error::Throttled {
            retried: false,
            source: None,
            reasons: vec![reason("TableWriteMaxOnDemandThroughputExceeded")],
        };
        assert_eq!(
            error_type(Operation::PutItem, &on_demand),
            "ThrottlingException"
        );
        let provisioned = Error::Throttled {
            retried: false,
            source: None,
            reasons: vec![reason("TableReadProvisionedThroughputExceeded")],
        };
        assert_eq!(
            error_type(Operation::GetItem, &provisioned),
            "ProvisionedThroughputExceededException"
        );
    }
}
