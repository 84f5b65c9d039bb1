//! Backend layers: wrappers that change some operations of a [`Backend`] and forward the rest.
//!
//! A layer implements [`Layer`]: it names its inner backend and overrides only what it changes,
//! either one operation (`batch_write_item`) or all of them at once through [`Layer::around`].
//! Every `Layer` is a `Backend`. Tracing is such a layer ([`Traced`](crate::Traced)), and so are
//! metering, fault injection and throttling wrappers.

use std::fmt;
use std::future::Future;

use crate::backend::Backend;
use crate::error::Result;
use crate::request::capacity::ConsumedCapacity;
use crate::request::{
    BackupArn, BackupDescription, CreateBackup, ListBackups, ListBackupsOutput,
    PointInTimeRecovery, RestoreTableFromBackup, RestoreTableToPointInTime,
};
use crate::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, CreateTable,
    DeleteItem, GetItem, GetItemOutput, PageOutput, PutItem, Query, Scan, TableDescription,
    TransactGetItems, TransactGetItemsOutput, TransactWrite, TransactWriteItems,
    TransactWriteItemsOutput, UpdateItem, UpdateTable, WriteOutput,
};
use crate::request::{
    DeleteTable, DescribeContinuousBackups, DescribeScalingPolicies, DescribeTable, ScalableTarget,
    ScalingPolicy, UpdateContinuousBackups, UpdateTimeToLive,
};

/// A DynamoDB operation, as a [`Backend`] method runs it.
///
/// ```
/// use notes_repo::Operation;
///
/// assert_eq!(Operation::PutItem.name(), "PutItem");
/// assert!(Operation::PutItem.is_item_operation());
/// assert!(!Operation::CreateTable.is_item_operation());
/// assert!(!Operation::UpdateTable.is_item_operation());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `GetItem`.
    GetItem,
    /// `PutItem`.
    PutItem,
    /// `UpdateItem`.
    UpdateItem,
    /// `DeleteItem`.
    DeleteItem,
    /// `Query`.
    Query,
    /// `Scan`.
    Scan,
    /// `BatchGetItem`.
    BatchGetItem,
    /// `BatchWriteItem`.
    BatchWriteItem,
    /// `TransactGetItems`.
    TransactGetItems,
    /// `TransactWriteItems`.
    TransactWriteItems,
    /// `CreateTable`.
    CreateTable,
    /// `DescribeTable`.
    DescribeTable,
    /// `DeleteTable`.
    DeleteTable,
    /// `UpdateTable`.
    UpdateTable,
    /// `UpdateContinuousBackups`.
    UpdateContinuousBackups,
    /// `UpdateTimeToLive`.
    UpdateTimeToLive,
    /// Application Auto Scaling's `RegisterScalableTarget` + `PutScalingPolicy`.
    PutScalingPolicy,
    /// Application Auto Scaling's `DescribeScalableTargets` + `DescribeScalingPolicies`.
    DescribeScalingPolicies,
    /// Application Auto Scaling's `DeregisterScalableTarget`.
    DeleteScalingPolicy,
    // ---- Backups ----
    /// `CreateBackup`.
    CreateBackup,
    /// `ListBackups`.
    ListBackups,
    /// `DescribeBackup`.
    DescribeBackup,
    /// `DeleteBackup`.
    DeleteBackup,
    /// `RestoreTableFromBackup`.
    RestoreTableFromBackup,
    /// `RestoreTableToPointInTime`.
    RestoreTableToPointInTime,
    /// `DescribeContinuousBackups`.
    DescribeContinuousBackups,
}

impl Operation {
    /// DynamoDB's name of the operation.
    ///
    /// ```
    /// assert_eq!(notes_repo::Operation::TransactWriteItems.name(), "TransactWriteItems");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Operation::GetItem => "GetItem",
            Operation::PutItem => "PutItem",
            Operation::UpdateItem => "UpdateItem",
            Operation::DeleteItem => "DeleteItem",
            Operation::Query => "Query",
            Operation::Scan => "Scan",
            Operation::BatchGetItem => "BatchGetItem",
            Operation::BatchWriteItem => "BatchWriteItem",
            Operation::TransactGetItems => "TransactGetItems",
            Operation::TransactWriteItems => "TransactWriteItems",
            Operation::CreateTable => "CreateTable",
            Operation::DescribeTable => "DescribeTable",
            Operation::DeleteTable => "DeleteTable",
            Operation::UpdateTable => "UpdateTable",
            Operation::UpdateContinuousBackups => "UpdateContinuousBackups",
            Operation::UpdateTimeToLive => "UpdateTimeToLive",
            Operation::PutScalingPolicy => "PutScalingPolicy",
            Operation::DescribeScalingPolicies => "DescribeScalingPolicies",
            Operation::DeleteScalingPolicy => "DeleteScalingPolicy",
            Operation::CreateBackup => "CreateBackup",
            Operation::ListBackups => "ListBackups",
            Operation::DescribeBackup => "DescribeBackup",
            Operation::DeleteBackup => "DeleteBackup",
            Operation::RestoreTableFromBackup => "RestoreTableFromBackup",
            Operation::RestoreTableToPointInTime => "RestoreTableToPointInTime",
            Operation::DescribeContinuousBackups => "DescribeContinuousBackups",
        }
    }

    /// Whether the operation reads or writes items (rather than administering a table).
    ///
    /// ```
    /// assert!(notes_repo::Operation::Query.is_item_operation());
    /// assert!(!notes_repo::Operation::DescribeTable.is_item_operation());
    /// ```
    pub fn is_item_operation(self) -> bool {
        !matches!(
            self,
            Operation::CreateTable
                | Operation::DescribeTable
                | Operation::DeleteTable
                | Operation::UpdateTable
                | Operation::UpdateContinuousBackups
                | Operation::UpdateTimeToLive
                | Operation::PutScalingPolicy
                | Operation::DescribeScalingPolicies
                | Operation::DeleteScalingPolicy
                | Operation::CreateBackup
                | Operation::ListBackups
                | Operation::DescribeBackup
                | Operation::DeleteBackup
                | Operation::RestoreTableFromBackup
                | Operation::RestoreTableToPointInTime
                | Operation::DescribeContinuousBackups
        )
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Every [`Backend`] operation: its method, arguments, output, [`Operation`] and the table(s) it
/// names; `$then!` expands each into the methods of a trait or impl.
macro_rules! for_each_operation {
    ($then:ident) => {
        $then! {
            get_item(request: GetItem) -> GetItemOutput, GetItem, request.table_name.clone();
            put_item(request: PutItem) -> WriteOutput, PutItem, request.table_name.clone();
            update_item(request: UpdateItem) -> WriteOutput, UpdateItem, request.table_name.clone();
            delete_item(request: DeleteItem) -> WriteOutput, DeleteItem, request.table_name.clone();
            query(request: Query) -> PageOutput, Query, request.table_name.clone();
            scan(request: Scan) -> PageOutput, Scan, request.table_name.clone();
            batch_get_item(request: BatchGetItem) -> BatchGetItemOutput, BatchGetItem,
                tables(request.request_items.keys().map(String::as_str));
            batch_write_item(request: BatchWriteItem) -> BatchWriteItemOutput, BatchWriteItem,
                tables(request.request_items.keys().map(String::as_str));
            transact_get_items(request: TransactGetItems) -> TransactGetItemsOutput,
                TransactGetItems, tables(request.items.iter().map(|get| get.table_name.as_str()));
            transact_write_items(request: TransactWriteItems) -> TransactWriteItemsOutput,
                TransactWriteItems, tables(request.items.iter().map(TransactWrite::table_name));
            create_table(request: CreateTable) -> TableDescription, CreateTable,
                request.table_name.clone();
            describe_table(request: DescribeTable) -> TableDescription, DescribeTable,
                request.table_name.clone();
            delete_table(request: DeleteTable) -> TableDescription, DeleteTable,
                request.table_name.clone();
            update_table(request: UpdateTable) -> TableDescription, UpdateTable,
                request.table_name.clone();
            update_continuous_backups(request: UpdateContinuousBackups) -> (),
                UpdateContinuousBackups, request.table_name.clone();
            update_time_to_live(request: UpdateTimeToLive) -> (), UpdateTimeToLive,
                request.table_name.clone();
            put_scaling_policy(policy: ScalingPolicy) -> (), PutScalingPolicy,
                policy.target.table_name.clone();
            describe_scaling_policies(request: DescribeScalingPolicies) -> Vec<ScalingPolicy>,
                DescribeScalingPolicies, request.table_name.clone();
            delete_scaling_policy(target: ScalableTarget) -> (), DeleteScalingPolicy,
                target.table_name.clone();
            // ---- Backups ----
            create_backup(request: CreateBackup) -> BackupDescription, CreateBackup,
                request.table_name.clone();
            list_backups(request: ListBackups) -> ListBackupsOutput, ListBackups,
                request.table_name.clone().unwrap_or_default();
            describe_backup(backup_arn: BackupArn) -> BackupDescription, DescribeBackup,
                backup_table(&backup_arn);
            delete_backup(backup_arn: BackupArn) -> BackupDescription, DeleteBackup,
                backup_table(&backup_arn);
            restore_table_from_backup(request: RestoreTableFromBackup) -> TableDescription,
                RestoreTableFromBackup, request.target_table_name.clone();
            restore_table_to_point_in_time(request: RestoreTableToPointInTime)
                -> TableDescription, RestoreTableToPointInTime,
                request.source_table_name.clone();
            describe_continuous_backups(request: DescribeContinuousBackups) -> PointInTimeRecovery,
                DescribeContinuousBackups, request.table_name.clone();
        }
    };
}

/// `Layer`'s default methods: the inner backend's operation, through [`Layer::around`].
macro_rules! forward_through_around {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $output:ty, $operation:ident, $table:expr;)*) => {$(
        #[doc = concat!("`", stringify!($operation), "`; forwards through [`Layer::around`] by default.")]
        fn $method(&self, $($arg: $ty),*) -> impl Future<Output = Result<$output>> + Send {
            async move {
                let table: String = $table;
                let call = self.inner().$method($($arg),*);
                self.around(Operation::$operation, &table, call).await
            }
        }
    )*};
}

/// The `Backend` impl of every `Layer`: its own methods.
macro_rules! forward_to_layer {
    ($($method:ident($($arg:ident: $ty:ty),*) -> $output:ty, $operation:ident, $table:expr;)*) => {$(
        fn $method(&self, $($arg: $ty),*) -> impl Future<Output = Result<$output>> + Send {
            Layer::$method(self, $($arg),*)
        }
    )*};
}

/// A wrapper around a backend that writes only the operations it changes; every `Layer` is a
/// [`Backend`].
///
/// Each operation forwards to [`Layer::inner`] through [`Layer::around`], so a layer that
/// treats every operation alike (tracing, metering, throttling) overrides only `around`, and a
/// layer that changes one operation overrides only that method.
///
/// ```
/// use std::future::Future;
/// use notes_repo::{ConsumedCapacity, Error, Layer, MemoryBackend, Note, NoteKey, Operation, Repo, Result};
///
/// /// Refuses every item operation, as a table out of capacity would.
/// #[derive(Clone)]
/// struct Throttled(MemoryBackend);
///
/// impl Layer for Throttled {
///     type Inner = MemoryBackend;
///     fn inner(&self) -> &MemoryBackend {
///         &self.0
///     }
///     async fn around<O, F>(&self, operation: Operation, _table: &str, call: F) -> Result<O>
///     where
///         O: ConsumedCapacity + Send,
///         F: Future<Output = Result<O>> + Send,
///     {
///         if operation.is_item_operation() {
///             return Err(Error::Throttled { retried: false, source: None });
///         }
///         call.await
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let repo: Repo<Note, _> = Repo::new(Throttled(MemoryBackend::new()));
/// repo.create_table_on_demand().await?; // table admin passes
/// let err = repo.get(&NoteKey::new("u1", "n1")).await.unwrap_err();
/// assert!(matches!(err, Error::Throttled { .. }));
/// # Ok(()) }
/// ```
pub trait Layer: Clone + Send + Sync + 'static {
    /// The backend this layer wraps.
    type Inner: Backend;

    /// The wrapped backend.
    fn inner(&self) -> &Self::Inner;

    /// Runs one operation: `call` is the inner backend's future for it, on `table` (several
    /// tables of a batch or transaction are joined by commas). Forwards by default.
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
        let _ = (operation, table);
        call
    }

    for_each_operation!(forward_through_around);
}

impl<L: Layer> Backend for L {
    for_each_operation!(forward_to_layer);
}

/// The tables of a batch or transaction, sorted and without repeats: `counters,notes`.
fn tables<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names.dedup();
    names.join(",")
}

/// The table a backup was taken of, from its ARN (empty when the ARN does not say).
fn backup_table(arn: &BackupArn) -> String {
    arn.table_name().unwrap_or_default().to_owned()
}
