//! The `Backend` trait: one async method per DynamoDB operation, over raw item maps, generated
//! from the list of operations (`operation.rs`).

use std::future::Future;

use crate::error::{Error, Result};
use crate::operation::{Operation, for_each_operation};
use crate::request::{
    BackupArn, BackupDescription, CreateBackup, DescribeContinuousBackups, ListBackups,
    ListBackupsOutput, PointInTimeRecovery, RestoreTableFromBackup, RestoreTableToPointInTime,
    UpdateContinuousBackups,
};
use crate::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, CreateTable,
    DeleteItem, DeleteTable, DescribeScalingPolicies, DescribeTable, GetItem, GetItemOutput,
    PageOutput, PutItem, Query, ScalableTarget, ScalingPolicy, Scan, TableDescription,
    TransactGetItems, TransactGetItemsOutput, TransactWriteItems, TransactWriteItemsOutput,
    UpdateItem, UpdateTable, UpdateTimeToLive, WriteOutput,
};

/// A DynamoDB engine: the in-memory `MemoryBackend` or, with the `aws`
/// feature, `DynamoDbBackend` on `aws-sdk-dynamodb`.
///
/// Each method is one DynamoDB operation with DynamoDB's semantics and errors. The futures are
/// `Send`, so a repository works in `tokio::spawn`, axum handlers and Lambda functions.
/// App code uses the typed `Repo` on top; implement this trait to plug in
/// another engine.
///
/// ```
/// use notes_repo::{Backend, MemoryBackend};
/// use notes_repo::request::{CreateTable, DescribeTable};
/// use notes_repo::{Item, Note};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let backend = MemoryBackend::new();
/// backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// assert_eq!(backend.describe_table(DescribeTable::new("notes")).await?.key_schema, Note::KEY_SCHEMA);
/// # Ok(()) }
/// ```
pub trait Backend: Clone + Send + Sync + 'static {
    for_each_operation!(backend_methods);
}

/// [`Backend`]'s methods, from the list: required, or answering "not supported" by default.
macro_rules! backend_methods {
    ($(
        $(#[$attr:meta])*
        $kind:ident $method:ident($arg:ident: $ty:ty) -> $output:ty {
            operation: $operation:ident,
            table: $table:expr,
            $(unsupported: $target:expr,)?
        }
    )*) => {$(
        backend_methods!(@method
            $(#[$attr])*
            $method($arg: $ty) -> $output, $operation $(, $target)?
        );
    )*};
    (@method
        $(#[$attr:meta])* $method:ident($arg:ident: $ty:ty) -> $output:ty, $operation:ident
    ) => {
        $(#[$attr])*
        fn $method(&self, $arg: $ty) -> impl Future<Output = Result<$output>> + Send;
    };
    (@method
        $(#[$attr:meta])*
        $method:ident($arg:ident: $ty:ty) -> $output:ty, $operation:ident, $target:expr
    ) => {
        $(#[$attr])*
        ///
        /// Backends that do not implement it answer [`Error::Validation`] ("not supported by this
        /// backend"), so that a backend written before this operation existed keeps compiling.
        fn $method(&self, $arg: $ty) -> impl Future<Output = Result<$output>> + Send {
            not_supported::<Self, _>(Operation::$operation, $target)
        }
    };
}
use backend_methods;

/// The answer of an operation a backend does not implement: `Error::Validation` naming the
/// operation, the backend type and what the request addressed.
fn not_supported<B: ?Sized, T>(
    operation: Operation,
    target: &str,
) -> std::future::Ready<Result<T>> {
    let message = format!(
        "{operation} is not supported by this backend ({}; `{target}`)",
        std::any::type_name::<B>()
    );
    std::future::ready(Err(Error::validation(message)))
}
