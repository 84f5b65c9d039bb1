//! Maps the AWS SDK's errors to [`crate::Error`], keeping the SDK error as the `source`.
//!
//! Each operation's typed error enum is classified by its modelled variants; errors DynamoDB
//! raises without modelling them per operation (`ValidationException`, and throttling on
//! older models) are recognised by their error code, never by their message.

use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::batch_get_item::BatchGetItemError;
use aws_sdk_dynamodb::operation::batch_write_item::BatchWriteItemError;
use aws_sdk_dynamodb::operation::create_table::CreateTableError;
use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
use aws_sdk_dynamodb::operation::delete_table::DeleteTableError;
use aws_sdk_dynamodb::operation::describe_table::DescribeTableError;
use aws_sdk_dynamodb::operation::get_item::GetItemError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::query::QueryError;
use aws_sdk_dynamodb::operation::scan::ScanError;
use aws_sdk_dynamodb::operation::transact_get_items::TransactGetItemsError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::operation::update_continuous_backups::UpdateContinuousBackupsError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::operation::update_table::UpdateTableError;
use aws_sdk_dynamodb::operation::update_time_to_live::UpdateTimeToLiveError;
// ---- Backups ----
use aws_sdk_dynamodb::operation::create_backup::CreateBackupError;
use aws_sdk_dynamodb::operation::delete_backup::DeleteBackupError;
use aws_sdk_dynamodb::operation::describe_backup::DescribeBackupError;
use aws_sdk_dynamodb::operation::describe_continuous_backups::DescribeContinuousBackupsError;
use aws_sdk_dynamodb::operation::list_backups::ListBackupsError;
use aws_sdk_dynamodb::operation::restore_table_from_backup::RestoreTableFromBackupError;
use aws_sdk_dynamodb::operation::restore_table_to_point_in_time::RestoreTableToPointInTimeError;
use aws_sdk_dynamodb::types::error::{
    ConditionalCheckFailedException, TransactionCanceledException,
};
use notes_model::ItemMap;

use notes_core::request::BackupArn;
use notes_core::{CancellationReason, Error, ThrottlingReason};

use super::convert::from_sdk_item;

/// What kind of failure a service error is, as far as [`Error`] distinguishes them.
#[derive(Debug, PartialEq)]
pub(crate) enum Kind {
    /// With the stored item, when the request asked for it.
    ConditionFailed(Option<ItemMap>),
    TransactionCanceled(Vec<CancellationReason>),
    /// `IdempotentParameterMismatchException`: the token of another request.
    IdempotentParameterMismatch,
    /// `TransactionInProgressException`: the token's first request is still running.
    TransactionInProgress,
    /// `TrimmedDataAccessException`: a stream's records past its trim point.
    TrimmedData,
    /// Throttling, with DynamoDB's `ThrottlingReasons` when the error carries them.
    Throttled(Vec<ThrottlingReason>),
    Validation,
    ResourceNotFound,
    ResourceInUse,
    /// `LimitExceededException`: a per-table limit on changes ("Subscriber limit exceeded").
    LimitExceeded,
    // ---- Backups ----
    /// `BackupNotFoundException`.
    BackupNotFound,
    /// `InvalidRestoreTimeException`.
    InvalidRestoreTime,
    /// `PointInTimeRecoveryUnavailableException`.
    PointInTimeRecoveryUnavailable,
    /// `TableAlreadyExistsException`: a restore's target table exists.
    TableAlreadyExists,
    Other,
}

impl Kind {
    /// Classifies an error the operation's model does not name, by its DynamoDB error code.
    fn from_code(code: Option<&str>) -> Kind {
        match code {
            Some("ValidationException") => Kind::Validation,
            Some(
                "ThrottlingException"
                | "ProvisionedThroughputExceededException"
                | "RequestLimitExceeded",
            ) => Kind::Throttled(Vec::new()),
            Some("ConditionalCheckFailedException") => Kind::ConditionFailed(None),
            Some("ResourceNotFoundException" | "TableNotFoundException") => Kind::ResourceNotFound,
            Some("ResourceInUseException") => Kind::ResourceInUse,
            Some("LimitExceededException") => Kind::LimitExceeded,
            Some("TransactionCanceledException") => Kind::TransactionCanceled(Vec::new()),
            Some("IdempotentParameterMismatchException") => Kind::IdempotentParameterMismatch,
            Some("TransactionInProgressException") => Kind::TransactionInProgress,
            Some("TrimmedDataAccessException") => Kind::TrimmedData,
            Some("BackupNotFoundException") => Kind::BackupNotFound,
            Some("InvalidRestoreTimeException") => Kind::InvalidRestoreTime,
            Some("PointInTimeRecoveryUnavailableException") => Kind::PointInTimeRecoveryUnavailable,
            Some("TableAlreadyExistsException") => Kind::TableAlreadyExists,
            _ => Kind::Other,
        }
    }

    /// A failed condition, with the stored item the service returned (if the request asked for
    /// it: `ReturnValuesOnConditionCheckFailure`).
    fn condition_failed(err: &ConditionalCheckFailedException) -> Kind {
        let item = err.item.clone().and_then(|item| from_sdk_item(item).ok());
        Kind::ConditionFailed(item)
    }

    /// Throttling, with the reasons the exception gives (`ThrottlingReasons`).
    fn throttled(reasons: &[aws_sdk_dynamodb::types::ThrottlingReason]) -> Kind {
        let reasons = reasons
            .iter()
            .map(|reason| {
                ThrottlingReason::new(
                    reason.reason().unwrap_or_default(),
                    reason.resource().unwrap_or_default(),
                )
            })
            .collect();
        Kind::Throttled(reasons)
    }

    fn canceled(err: &TransactionCanceledException) -> Kind {
        let reasons = err
            .cancellation_reasons()
            .iter()
            .enumerate()
            .map(|(index, reason)| CancellationReason {
                index,
                code: reason.code().unwrap_or("None").to_owned(),
                message: reason.message().map(str::to_owned),
            })
            .collect();
        Kind::TransactionCanceled(reasons)
    }
}

/// An operation's typed error enum that can say what kind of failure it is.
pub(crate) trait Classify: ProvideErrorMetadata {
    /// The kind of this service error.
    fn classify(&self) -> Kind;
}

/// Implements [`Classify`] for operations' error enums that model the same variants: each
/// listed variant (with its payload bound when a name is given) is the kind after `=>`, any
/// other error is classified by its code.
macro_rules! classify {
    ($error:ident, $($more:ident),+ { $($arms:tt)* }) => {
        classify!($error { $($arms)* });
        classify!($($more),+ { $($arms)* });
    };
    ($error:ident { $($variant:ident $(($payload:ident))? => $kind:expr),* $(,)? }) => {
        impl Classify for $error {
            fn classify(&self) -> Kind {
                match self {
                    $(Self::$variant(classify!(@bind $($payload)?)) => $kind,)*
                    other => Kind::from_code(other.code()),
                }
            }
        }
    };
    (@bind $payload:ident) => { $payload };
    (@bind) => { _ };
}

classify!(GetItemError, QueryError, ScanError, BatchGetItemError, BatchWriteItemError {
    ProvisionedThroughputExceededException(err) => Kind::throttled(err.throttling_reasons()),
    RequestLimitExceeded(err) => Kind::throttled(err.throttling_reasons()),
    ThrottlingException(err) => Kind::throttled(err.throttling_reasons()),
    ResourceNotFoundException => Kind::ResourceNotFound,
});
classify!(PutItemError, UpdateItemError, DeleteItemError {
    ConditionalCheckFailedException(err) => Kind::condition_failed(err),
    ProvisionedThroughputExceededException(err) => Kind::throttled(err.throttling_reasons()),
    RequestLimitExceeded(err) => Kind::throttled(err.throttling_reasons()),
    ThrottlingException(err) => Kind::throttled(err.throttling_reasons()),
    ResourceNotFoundException => Kind::ResourceNotFound,
});
classify!(TransactGetItemsError {
    TransactionCanceledException(err) => Kind::canceled(err),
    ProvisionedThroughputExceededException(err) => Kind::throttled(err.throttling_reasons()),
    RequestLimitExceeded(err) => Kind::throttled(err.throttling_reasons()),
    ThrottlingException(err) => Kind::throttled(err.throttling_reasons()),
    ResourceNotFoundException => Kind::ResourceNotFound,
});
classify!(TransactWriteItemsError {
    TransactionCanceledException(err) => Kind::canceled(err),
    IdempotentParameterMismatchException => Kind::IdempotentParameterMismatch,
    TransactionInProgressException => Kind::TransactionInProgress,
    ProvisionedThroughputExceededException(err) => Kind::throttled(err.throttling_reasons()),
    RequestLimitExceeded(err) => Kind::throttled(err.throttling_reasons()),
    ThrottlingException(err) => Kind::throttled(err.throttling_reasons()),
    ResourceNotFoundException => Kind::ResourceNotFound,
});
// The Streams API's errors, classified by their codes (`ResourceNotFoundException`, ...).
#[cfg(feature = "streams")]
use aws_sdk_dynamodbstreams::operation::{
    describe_stream::DescribeStreamError, get_records::GetRecordsError,
    get_shard_iterator::GetShardIteratorError,
};
#[cfg(feature = "streams")]
classify!(DescribeStreamError {});
#[cfg(feature = "streams")]
classify!(GetShardIteratorError, GetRecordsError {
    TrimmedDataAccessException => Kind::TrimmedData,
});
classify!(CreateTableError {
    ResourceInUseException => Kind::ResourceInUse,
});
classify!(DescribeTableError {
    ResourceNotFoundException => Kind::ResourceNotFound,
});
classify!(DeleteTableError {
    ResourceInUseException => Kind::ResourceInUse,
    ResourceNotFoundException => Kind::ResourceNotFound,
});
classify!(UpdateContinuousBackupsError {
    TableNotFoundException => Kind::ResourceNotFound,
});
classify!(UpdateTableError {
    LimitExceededException => Kind::LimitExceeded,
    ResourceInUseException => Kind::ResourceInUse,
    ResourceNotFoundException => Kind::ResourceNotFound,
});
classify!(UpdateTimeToLiveError {
    ResourceNotFoundException => Kind::ResourceNotFound,
});

// ---- Backups ----
// The modelled errors of each operation, from the DynamoDB API reference
// (APIReference/API_CreateBackup.html, API_DescribeBackup.html, API_DeleteBackup.html,
// API_ListBackups.html, API_RestoreTableFromBackup.html, API_RestoreTableToPointInTime.html,
// API_DescribeContinuousBackups.html). `BackupInUseException`, `TableInUseException` and
// `ContinuousBackupsUnavailableException` are `Error::Backend`, their code and message in its
// text: waiting is the only answer to them.
classify!(CreateBackupError {
    LimitExceededException => Kind::LimitExceeded,
    TableNotFoundException => Kind::ResourceNotFound,
});
classify!(ListBackupsError {});
classify!(DescribeBackupError {
    BackupNotFoundException => Kind::BackupNotFound,
});
classify!(DeleteBackupError {
    BackupNotFoundException => Kind::BackupNotFound,
    LimitExceededException => Kind::LimitExceeded,
});
classify!(RestoreTableFromBackupError {
    BackupNotFoundException => Kind::BackupNotFound,
    LimitExceededException => Kind::LimitExceeded,
    TableAlreadyExistsException => Kind::TableAlreadyExists,
});
classify!(RestoreTableToPointInTimeError {
    InvalidRestoreTimeException => Kind::InvalidRestoreTime,
    LimitExceededException => Kind::LimitExceeded,
    PointInTimeRecoveryUnavailableException => Kind::PointInTimeRecoveryUnavailable,
    TableAlreadyExistsException => Kind::TableAlreadyExists,
    TableNotFoundException => Kind::ResourceNotFound,
});
classify!(DescribeContinuousBackupsError {
    TableNotFoundException => Kind::ResourceNotFound,
});

/// What the failed request was about, for the errors that name it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Context<'a> {
    /// The table (or tables, comma-separated) the request addressed.
    pub(crate) table: &'a str,
    /// Whether the request was `CreateTable`, where a table in use means it already exists.
    pub(crate) creating_table: bool,
    /// A restore's new table, which `TableAlreadyExistsException` is about.
    pub(crate) target: Option<&'a str>,
    /// The backup the request named.
    pub(crate) backup: Option<&'a BackupArn>,
    /// A transaction's `ClientRequestToken`.
    pub(crate) token: Option<&'a str>,
    /// The sequence number a stream is read after.
    pub(crate) after: Option<&'a str>,
}

impl<'a> Context<'a> {
    /// A request on `table`.
    pub(crate) fn table(table: &'a str) -> Self {
        Context {
            table,
            creating_table: false,
            target: None,
            backup: None,
            token: None,
            after: None,
        }
    }

    /// A request on the backup `arn` (its table is the one the ARN names).
    pub(crate) fn backup(arn: &'a BackupArn) -> Self {
        Context {
            backup: Some(arn),
            ..Context::table(arn.table_name().unwrap_or_default())
        }
    }

    /// `RestoreTableFromBackup` of `arn` into `target`.
    pub(crate) fn restore(target: &'a str, arn: &'a BackupArn) -> Self {
        Context {
            target: Some(target),
            backup: Some(arn),
            ..Context::table(target)
        }
    }

    /// `RestoreTableToPointInTime` of `source` into `target`.
    pub(crate) fn restore_to_point_in_time(source: &'a str, target: &'a str) -> Self {
        Context {
            target: Some(target),
            ..Context::table(source)
        }
    }

    /// `TransactWriteItems` on `tables` with the token `token`.
    pub(crate) fn transaction(tables: &'a str, token: Option<&'a str>) -> Self {
        Context {
            token,
            ..Context::table(tables)
        }
    }

    /// A read of the stream `arn` after the sequence number `after` (`None`: from its oldest
    /// record).
    #[cfg(feature = "streams")]
    pub(crate) fn stream(arn: &'a str, after: Option<&'a str>) -> Self {
        Context {
            after,
            ..Context::table(arn)
        }
    }

    /// `CreateTable` of `table`.
    pub(crate) fn create_table(table: &'a str) -> Self {
        Context {
            creating_table: true,
            ..Context::table(table)
        }
    }
}

/// Converts an SDK error into the crate's error; the SDK error is always the `source`.
pub(crate) fn map_sdk_error<E>(err: SdkError<E>, context: Context<'_>) -> Error
where
    E: Classify + std::error::Error + Send + Sync + 'static,
{
    let kind = match err.as_service_error() {
        Some(service_error) => service_error.classify(),
        None => Kind::Other,
    };
    let message = err.message().map(str::to_owned);
    let code = err.code().map(str::to_owned);
    let source: notes_core::BoxError = Box::new(err);
    from_kind(kind, code, message, source, context)
}

fn from_kind(
    kind: Kind,
    code: Option<String>,
    message: Option<String>,
    source: notes_core::BoxError,
    context: Context<'_>,
) -> Error {
    let table = context.table.to_owned();
    match kind {
        Kind::ConditionFailed(item) => Error::ConditionFailed {
            item,
            retried: false,
            source: Some(source),
        },
        Kind::TransactionCanceled(reasons) => Error::TransactionCanceled {
            reasons,
            source: Some(source),
        },
        Kind::IdempotentParameterMismatch => Error::IdempotentParameterMismatch {
            token: context.token.unwrap_or_default().to_owned(),
            message: message.unwrap_or_else(|| {
                "The request uses the same client token as a previous, but non-identical request"
                    .to_owned()
            }),
            source: Some(source),
        },
        Kind::TransactionInProgress => Error::TransactionInProgress {
            token: context.token.unwrap_or_default().to_owned(),
            message: message.unwrap_or_else(|| {
                "The transaction with the given request token is already in progress.".to_owned()
            }),
            source: Some(source),
        },
        Kind::TrimmedData => Error::TrimmedData {
            stream: table,
            after: context.after.map(str::to_owned),
            message: message.unwrap_or_else(|| notes_core::stream::TRIMMED_MESSAGE.to_owned()),
            source: Some(source),
        },
        Kind::Throttled(reasons) => Error::Throttled {
            source: Some(source),
            retried: false,
            reasons,
        },
        Kind::Validation => {
            let message = message.unwrap_or_else(|| "the service rejected the request".to_owned());
            // DynamoDB's wording for PutItem and UpdateItem, the only way it says this.
            if message.starts_with("Item size has exceeded")
                || message.starts_with("Item size to update has exceeded")
            {
                Error::ItemTooLarge {
                    message,
                    source: Some(source),
                }
            } else {
                Error::Validation {
                    message,
                    source: Some(source),
                }
            }
        }
        Kind::ResourceNotFound => Error::TableNotFound {
            table,
            source: Some(source),
        },
        Kind::ResourceInUse if context.creating_table => Error::TableAlreadyExists {
            table,
            source: Some(source),
        },
        Kind::LimitExceeded => Error::LimitExceeded {
            table,
            message: message.unwrap_or_else(|| "Subscriber limit exceeded".to_owned()),
            source: Some(source),
        },
        Kind::BackupNotFound => Error::BackupNotFound {
            backup_arn: context
                .backup
                .cloned()
                .unwrap_or_else(|| BackupArn::new("")),
            source: Some(source),
        },
        Kind::InvalidRestoreTime => Error::InvalidRestoreTime {
            message: message.unwrap_or_else(|| {
                "RestoreDateTime must be between EarliestRestorableDateTime and \
                 LatestRestorableDateTime"
                    .to_owned()
            }),
            source: Some(source),
        },
        Kind::PointInTimeRecoveryUnavailable => Error::PointInTimeRecoveryUnavailable {
            table,
            source: Some(source),
        },
        Kind::TableAlreadyExists => Error::TableAlreadyExists {
            table: context.target.unwrap_or(context.table).to_owned(),
            source: Some(source),
        },
        Kind::ResourceInUse | Kind::Other => Error::Backend {
            source: match code {
                // The service answered: say what it said, the SDK's error kept underneath.
                Some(code) => Box::new(ServiceError {
                    code,
                    message,
                    source,
                }),
                // No answer (a timeout, a connection error): the SDK's error says why.
                None => source,
            },
        },
    }
}

/// A service error the crate has no variant for: its code and message, which the SDK's own
/// `Display` ("service error") leaves out, and the SDK's error as its `source()`.
#[derive(Debug)]
pub(crate) struct ServiceError {
    code: String,
    message: Option<String>,
    source: notes_core::BoxError,
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.message {
            Some(message) => write!(f, "{}: {message}", self.code),
            None => write!(f, "{} (no message)", self.code),
        }
    }
}

impl std::error::Error for ServiceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use aws_sdk_dynamodb::config::http::HttpResponse;
    use aws_sdk_dynamodb::error::ErrorMetadata;
    use aws_sdk_dynamodb::types::CancellationReason as SdkReason;
    use aws_sdk_dynamodb::types::error::{
        ConditionalCheckFailedException, ResourceInUseException, ResourceNotFoundException,
    };
    use aws_smithy_types::body::SdkBody;

    use super::*;

    fn service_error<E>(err: E) -> SdkError<E> {
        let raw = HttpResponse::new(400.try_into().expect("valid status"), SdkBody::empty());
        SdkError::service_error(err, raw)
    }

    fn meta(code: &str, message: &str) -> ErrorMetadata {
        ErrorMetadata::builder().code(code).message(message).build()
    }

    #[test]
    fn condition_failed_keeps_the_sdk_error_as_source() {
        let err = service_error(PutItemError::ConditionalCheckFailedException(
            ConditionalCheckFailedException::builder()
                .message("The conditional request failed")
                .build(),
        ));
        let mapped = map_sdk_error(err, Context::table("notes"));
        assert!(matches!(
            mapped,
            Error::ConditionFailed {
                source: Some(_),
                ..
            }
        ));
        let source = mapped.source().expect("source kept");
        assert!(source.is::<SdkError<PutItemError>>());
    }

    #[test]
    fn transaction_reasons_keep_index_code_and_message() {
        let canceled = TransactionCanceledException::builder()
            .message("Transaction cancelled")
            .cancellation_reasons(SdkReason::builder().code("None").build())
            .cancellation_reasons(
                SdkReason::builder()
                    .code("ConditionalCheckFailed")
                    .message("The conditional request failed")
                    .build(),
            )
            .build();
        let err = service_error(TransactWriteItemsError::TransactionCanceledException(
            canceled,
        ));
        let Error::TransactionCanceled { reasons, .. } = map_sdk_error(err, Context::table("t"))
        else {
            panic!("not a cancelled transaction");
        };
        assert_eq!(
            reasons,
            vec![
                CancellationReason {
                    index: 0,
                    code: "None".to_owned(),
                    message: None
                },
                CancellationReason {
                    index: 1,
                    code: "ConditionalCheckFailed".to_owned(),
                    message: Some("The conditional request failed".to_owned())
                },
            ]
        );
    }

    #[test]
    fn validation_exception_carries_the_service_message() {
        let err = service_error(QueryError::generic(meta(
            "ValidationException",
            "Query condition missed key schema element: userId",
        )));
        match map_sdk_error(err, Context::table("notes")) {
            Error::Validation { message, source } => {
                assert_eq!(message, "Query condition missed key schema element: userId");
                assert!(source.is_some());
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn throttling_codes_map_to_throttled() {
        for code in [
            "ThrottlingException",
            "ProvisionedThroughputExceededException",
            "RequestLimitExceeded",
        ] {
            let err = service_error(ScanError::generic(meta(code, "slow down")));
            assert!(matches!(
                map_sdk_error(err, Context::table("t")),
                Error::Throttled {
                    source: Some(_),
                    retried: false,
                    ..
                }
            ));
        }
    }

    #[test]
    fn missing_table_names_the_requested_table() {
        let err = service_error(GetItemError::ResourceNotFoundException(
            ResourceNotFoundException::builder()
                .message("Requested resource not found")
                .build(),
        ));
        match map_sdk_error(err, Context::table("notes")) {
            Error::TableNotFound { table, source } => {
                assert_eq!(table, "notes");
                assert!(source.is_some());
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn resource_in_use_means_exists_only_on_create() {
        let in_use = || {
            ResourceInUseException::builder()
                .message("Table already exists")
                .build()
        };
        let err = service_error(CreateTableError::ResourceInUseException(in_use()));
        assert!(matches!(
            map_sdk_error(err, Context::create_table("notes")),
            Error::TableAlreadyExists { .. }
        ));
        let err = service_error(DeleteTableError::ResourceInUseException(in_use()));
        assert!(matches!(
            map_sdk_error(err, Context::table("notes")),
            Error::Backend { .. }
        ));
    }

    /// dynoxide's answer to an operation it does not serve: `{"__type":
    /// "com.amazon.coral.service#UnknownOperationException"}`, no message. The error text
    /// said "backend error: service error" before; it names the code now.
    #[test]
    fn an_unmodelled_service_error_displays_its_code_and_message() {
        let err = service_error(QueryError::generic(
            ErrorMetadata::builder()
                .code("UnknownOperationException")
                .build(),
        ));
        let mapped = map_sdk_error(err, Context::table("notes"));
        assert!(matches!(mapped, Error::Backend { .. }), "{mapped:?}");
        assert_eq!(
            mapped.to_string(),
            "backend error: UnknownOperationException (no message)"
        );
        let err = service_error(QueryError::generic(meta("InternalServerError", "oops")));
        let mapped = map_sdk_error(err, Context::table("notes"));
        assert_eq!(
            mapped.to_string(),
            "backend error: InternalServerError: oops"
        );
        // The SDK's error is still underneath, one level down.
        let service = mapped.source().expect("the service error");
        assert!(
            service
                .source()
                .expect("the SDK error")
                .is::<SdkError<QueryError>>()
        );
    }

    #[test]
    fn anything_else_is_a_backend_error() {
        let err = service_error(GetItemError::generic(meta("InternalServerError", "oops")));
        assert!(matches!(
            map_sdk_error(err, Context::table("t")),
            Error::Backend { .. }
        ));
        let err: SdkError<GetItemError> = SdkError::timeout_error("slow");
        let mapped = map_sdk_error(err, Context::table("t"));
        assert!(matches!(mapped, Error::Backend { .. }));
        assert!(mapped.source().is_some());
    }
}
