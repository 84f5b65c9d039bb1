//! The `Backend` trait: one async method per DynamoDB operation, over raw item maps.

use std::future::Future;

use crate::error::{Error, Result};
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
    /// `GetItem`: one item by its full key.
    fn get_item(&self, request: GetItem) -> impl Future<Output = Result<GetItemOutput>> + Send;

    /// `PutItem`: writes a whole item, replacing any item with the same key.
    fn put_item(&self, request: PutItem) -> impl Future<Output = Result<WriteOutput>> + Send;

    /// `UpdateItem`: applies update actions, creating the item if it does not exist.
    fn update_item(&self, request: UpdateItem) -> impl Future<Output = Result<WriteOutput>> + Send;

    /// `DeleteItem`: deletes the item with a key (a missing item is not an error).
    fn delete_item(&self, request: DeleteItem) -> impl Future<Output = Result<WriteOutput>> + Send;

    /// `Query`: one page of the items of one partition, in sort-key order.
    fn query(&self, request: Query) -> impl Future<Output = Result<PageOutput>> + Send;

    /// `Scan`: one page of the items of a table or index.
    fn scan(&self, request: Scan) -> impl Future<Output = Result<PageOutput>> + Send;

    /// `BatchGetItem`: up to 100 items by key, from one or more tables.
    fn batch_get_item(
        &self,
        request: BatchGetItem,
    ) -> impl Future<Output = Result<BatchGetItemOutput>> + Send;

    /// `BatchWriteItem`: up to 25 puts and deletes, across tables.
    fn batch_write_item(
        &self,
        request: BatchWriteItem,
    ) -> impl Future<Output = Result<BatchWriteItemOutput>> + Send;

    /// `TransactGetItems`: up to 100 reads, as of one point in time.
    fn transact_get_items(
        &self,
        request: TransactGetItems,
    ) -> impl Future<Output = Result<TransactGetItemsOutput>> + Send;

    /// `TransactWriteItems`: up to 100 writes and checks, all or nothing.
    fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> impl Future<Output = Result<TransactWriteItemsOutput>> + Send;

    /// `CreateTable`.
    fn create_table(
        &self,
        request: CreateTable,
    ) -> impl Future<Output = Result<TableDescription>> + Send;

    /// `DescribeTable`.
    fn describe_table(
        &self,
        request: DescribeTable,
    ) -> impl Future<Output = Result<TableDescription>> + Send;

    /// `DeleteTable`.
    fn delete_table(
        &self,
        request: DeleteTable,
    ) -> impl Future<Output = Result<TableDescription>> + Send;

    /// `UpdateTable`: changes the billing mode or the provisioned throughput of a table and its
    /// global secondary indexes; answers the table as DynamoDB describes it right after (while
    /// `UPDATING`, DynamoDB still reports the old units).
    ///
    /// Backends that do not implement it answer [`Error::Validation`] ("not supported by this
    /// backend"), so that a backend written before this operation existed keeps compiling.
    fn update_table(
        &self,
        request: UpdateTable,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        not_supported::<Self, _>("UpdateTable", &request.table_name)
    }

    /// `UpdateContinuousBackups`: turns point-in-time recovery on or off.
    fn update_continuous_backups(
        &self,
        request: UpdateContinuousBackups,
    ) -> impl Future<Output = Result<()>> + Send;

    /// `UpdateTimeToLive`: turns expiry by an epoch-seconds attribute on or off.
    fn update_time_to_live(
        &self,
        request: UpdateTimeToLive,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Application Auto Scaling's `RegisterScalableTarget` then `PutScalingPolicy`: registers
    /// `policy.target` with its minimum and maximum capacity and a target-tracking policy on
    /// its utilization metric, replacing any earlier ones (idempotent).
    ///
    /// Backends that do not implement it answer [`Error::Validation`] ("not supported by this
    /// backend").
    fn put_scaling_policy(&self, policy: ScalingPolicy) -> impl Future<Output = Result<()>> + Send {
        not_supported::<Self, _>("PutScalingPolicy", &policy.target.table_name)
    }

    /// Application Auto Scaling's `DescribeScalableTargets` and `DescribeScalingPolicies`: the
    /// target-tracking policies registered for the table and its global secondary indexes
    /// (table first, then indexes by name; reads before writes).
    ///
    /// Backends that do not implement it answer [`Error::Validation`] ("not supported by this
    /// backend").
    fn describe_scaling_policies(
        &self,
        request: DescribeScalingPolicies,
    ) -> impl Future<Output = Result<Vec<ScalingPolicy>>> + Send {
        not_supported::<Self, _>("DescribeScalingPolicies", &request.table_name)
    }

    /// Application Auto Scaling's `DeregisterScalableTarget`: removes the target and its
    /// policies (nothing registered is not an error).
    ///
    /// Backends that do not implement it answer [`Error::Validation`] ("not supported by this
    /// backend").
    fn delete_scaling_policy(
        &self,
        target: ScalableTarget,
    ) -> impl Future<Output = Result<()>> + Send {
        not_supported::<Self, _>("DeregisterScalableTarget", &target.table_name)
    }

    // ---- Backups: on-demand backup and restore, point-in-time recovery ----
    //
    // Each has a default body answering `Error::Validation` ("not supported by this backend"),
    // so that backends written before these operations existed keep compiling.

    /// `CreateBackup`: an on-demand backup of a table, a consistent snapshot of its items and
    /// indexes at one instant.
    fn create_backup(
        &self,
        request: CreateBackup,
    ) -> impl Future<Output = Result<BackupDescription>> + Send {
        not_supported::<Self, _>("CreateBackup", &request.table_name)
    }

    /// `ListBackups`: one page of on-demand backups, oldest first.
    fn list_backups(
        &self,
        request: ListBackups,
    ) -> impl Future<Output = Result<ListBackupsOutput>> + Send {
        not_supported::<Self, _>("ListBackups", request.table_name.as_deref().unwrap_or("*"))
    }

    /// `DescribeBackup`.
    fn describe_backup(
        &self,
        backup_arn: BackupArn,
    ) -> impl Future<Output = Result<BackupDescription>> + Send {
        not_supported::<Self, _>("DescribeBackup", backup_arn.as_str())
    }

    /// `DeleteBackup`: answers the backup as it was just before.
    fn delete_backup(
        &self,
        backup_arn: BackupArn,
    ) -> impl Future<Output = Result<BackupDescription>> + Send {
        not_supported::<Self, _>("DeleteBackup", backup_arn.as_str())
    }

    /// `RestoreTableFromBackup`: a new table holding the backup's items.
    fn restore_table_from_backup(
        &self,
        request: RestoreTableFromBackup,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        not_supported::<Self, _>("RestoreTableFromBackup", &request.target_table_name)
    }

    /// `RestoreTableToPointInTime`: a new table holding the source table's items as they were
    /// at one instant of its point-in-time recovery window.
    fn restore_table_to_point_in_time(
        &self,
        request: RestoreTableToPointInTime,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        not_supported::<Self, _>("RestoreTableToPointInTime", &request.source_table_name)
    }

    /// `DescribeContinuousBackups`: whether point-in-time recovery is on, and its restorable
    /// window.
    fn describe_continuous_backups(
        &self,
        request: DescribeContinuousBackups,
    ) -> impl Future<Output = Result<PointInTimeRecovery>> + Send {
        not_supported::<Self, _>("DescribeContinuousBackups", &request.table_name)
    }
}

/// The answer of an operation a backend does not implement: `Error::Validation` naming the
/// operation, the backend type and what the request addressed.
fn not_supported<B: ?Sized, T>(operation: &str, target: &str) -> std::future::Ready<Result<T>> {
    let message = format!(
        "{operation} is not supported by this backend ({}; `{target}`)",
        std::any::type_name::<B>()
    );
    std::future::ready(Err(Error::validation(message)))
}
