//! The one list of DynamoDB operations, and the [`Operation`] enum it generates.
//!
//! [`for_each_operation!`] hands the list to a macro that expands it: here into
//! [`Operation`], in `backend.rs` into the [`Backend`](crate::Backend) trait's methods, in
//! `layer.rs` into every [`Layer`](crate::Layer)'s defaults and its `Backend` impl. Adding an
//! operation is one entry below, its request and output types in `request/`, and its
//! implementations in the backends.

/// Every [`Backend`](crate::Backend) operation, in the trait's order; `$then!` expands the list.
///
/// Each entry is the method's docs, then `item` (reads or writes items) or `admin` (administers
/// a table), the method, its argument and output, and:
/// - `operation`: its [`Operation`] variant, named as DynamoDB names it;
/// - `table`: the table(s) it names, as a layer sees them (several joined by commas);
/// - `unsupported`: only for operations a backend may leave out: what the default body's
///   "not supported" error names, so that backends written before the operation existed
///   keep compiling.
macro_rules! for_each_operation {
    ($then:ident) => { $then! {
        /// `GetItem`: one item by its full key.
        item get_item(request: GetItem) -> GetItemOutput {
            operation: GetItem,
            table: request.table_name.clone(),
        }
        /// `PutItem`: writes a whole item, replacing any item with the same key.
        item put_item(request: PutItem) -> WriteOutput {
            operation: PutItem,
            table: request.table_name.clone(),
        }
        /// `UpdateItem`: applies update actions, creating the item if it does not exist.
        item update_item(request: UpdateItem) -> WriteOutput {
            operation: UpdateItem,
            table: request.table_name.clone(),
        }
        /// `DeleteItem`: deletes the item with a key (a missing item is not an error).
        item delete_item(request: DeleteItem) -> WriteOutput {
            operation: DeleteItem,
            table: request.table_name.clone(),
        }
        /// `Query`: one page of the items of one partition, in sort-key order.
        item query(request: Query) -> PageOutput {
            operation: Query,
            table: request.table_name.clone(),
        }
        /// `Scan`: one page of the items of a table or index.
        item scan(request: Scan) -> PageOutput {
            operation: Scan,
            table: request.table_name.clone(),
        }
        /// `BatchGetItem`: up to 100 items by key, from one or more tables.
        item batch_get_item(request: BatchGetItem) -> BatchGetItemOutput {
            operation: BatchGetItem,
            table: tables(request.request_items.keys().map(String::as_str)),
        }
        /// `BatchWriteItem`: up to 25 puts and deletes, across tables.
        item batch_write_item(request: BatchWriteItem) -> BatchWriteItemOutput {
            operation: BatchWriteItem,
            table: tables(request.request_items.keys().map(String::as_str)),
        }
        /// `TransactGetItems`: up to 100 reads, as of one point in time.
        item transact_get_items(request: TransactGetItems) -> TransactGetItemsOutput {
            operation: TransactGetItems,
            table: tables(request.items.iter().map(|get| get.table_name.as_str())),
        }
        /// `TransactWriteItems`: up to 100 writes and checks, all or nothing.
        item transact_write_items(request: TransactWriteItems) -> TransactWriteItemsOutput {
            operation: TransactWriteItems,
            table: tables(request.items.iter().map(TransactWrite::table_name)),
        }
        /// `CreateTable`.
        admin create_table(request: CreateTable) -> TableDescription {
            operation: CreateTable,
            table: request.table_name.clone(),
        }
        /// `DescribeTable`.
        admin describe_table(request: DescribeTable) -> TableDescription {
            operation: DescribeTable,
            table: request.table_name.clone(),
        }
        /// `DeleteTable`.
        admin delete_table(request: DeleteTable) -> TableDescription {
            operation: DeleteTable,
            table: request.table_name.clone(),
        }
        /// `UpdateTable`: changes the billing mode or the provisioned throughput of a table
        /// and its global secondary indexes; answers the table as DynamoDB describes it
        /// right after (while `UPDATING`, DynamoDB still reports the old units).
        admin update_table(request: UpdateTable) -> TableDescription {
            operation: UpdateTable,
            table: request.table_name.clone(),
            unsupported: &request.table_name,
        }
        /// `UpdateContinuousBackups`: turns point-in-time recovery on or off.
        admin update_continuous_backups(request: UpdateContinuousBackups) -> () {
            operation: UpdateContinuousBackups,
            table: request.table_name.clone(),
        }
        /// `UpdateTimeToLive`: turns expiry by an epoch-seconds attribute on or off.
        admin update_time_to_live(request: UpdateTimeToLive) -> () {
            operation: UpdateTimeToLive,
            table: request.table_name.clone(),
        }
        // ---- Auto scaling: Application Auto Scaling's operations on the table's capacity ----
        /// Application Auto Scaling's `RegisterScalableTarget` then `PutScalingPolicy`:
        /// registers `policy.target` with its minimum and maximum capacity and a
        /// target-tracking policy on its utilization metric, replacing any earlier ones
        /// (idempotent).
        admin put_scaling_policy(policy: ScalingPolicy) -> () {
            operation: PutScalingPolicy,
            table: policy.target.table_name.clone(),
            unsupported: &policy.target.table_name,
        }
        /// Application Auto Scaling's `DescribeScalableTargets` and
        /// `DescribeScalingPolicies`: the target-tracking policies registered for the table
        /// and its global secondary indexes (table first, then indexes by name; reads
        /// before writes).
        admin describe_scaling_policies(request: DescribeScalingPolicies) -> Vec<ScalingPolicy> {
            operation: DescribeScalingPolicies,
            table: request.table_name.clone(),
            unsupported: &request.table_name,
        }
        /// Application Auto Scaling's `DeregisterScalableTarget`: removes the target and
        /// its policies (nothing registered is not an error).
        admin delete_scaling_policy(target: ScalableTarget) -> () {
            operation: DeleteScalingPolicy,
            table: target.table_name.clone(),
            unsupported: &target.table_name,
        }
        // ---- Backups: on-demand backup and restore, point-in-time recovery ----
        /// `CreateBackup`: an on-demand backup of a table, a consistent snapshot of its
        /// items and indexes at one instant.
        admin create_backup(request: CreateBackup) -> BackupDescription {
            operation: CreateBackup,
            table: request.table_name.clone(),
            unsupported: &request.table_name,
        }
        /// `ListBackups`: one page of on-demand backups, oldest first.
        admin list_backups(request: ListBackups) -> ListBackupsOutput {
            operation: ListBackups,
            table: request.table_name.clone().unwrap_or_default(),
            unsupported: request.table_name.as_deref().unwrap_or("*"),
        }
        /// `DescribeBackup`.
        admin describe_backup(backup_arn: BackupArn) -> BackupDescription {
            operation: DescribeBackup,
            table: backup_table(&backup_arn),
            unsupported: backup_arn.as_str(),
        }
        /// `DeleteBackup`: answers the backup as it was just before.
        admin delete_backup(backup_arn: BackupArn) -> BackupDescription {
            operation: DeleteBackup,
            table: backup_table(&backup_arn),
            unsupported: backup_arn.as_str(),
        }
        /// `RestoreTableFromBackup`: a new table holding the backup's items.
        admin restore_table_from_backup(request: RestoreTableFromBackup) -> TableDescription {
            operation: RestoreTableFromBackup,
            table: request.target_table_name.clone(),
            unsupported: &request.target_table_name,
        }
        /// `RestoreTableToPointInTime`: a new table holding the source table's items as
        /// they were at one instant of its point-in-time recovery window.
        admin restore_table_to_point_in_time(request: RestoreTableToPointInTime)
            -> TableDescription {
            operation: RestoreTableToPointInTime,
            table: request.source_table_name.clone(),
            unsupported: &request.source_table_name,
        }
        /// `DescribeContinuousBackups`: whether point-in-time recovery is on, and its
        /// restorable window.
        admin describe_continuous_backups(request: DescribeContinuousBackups)
            -> PointInTimeRecovery {
            operation: DescribeContinuousBackups,
            table: request.table_name.clone(),
            unsupported: &request.table_name,
        }
    } };
}
pub(crate) use for_each_operation;

/// [`Operation`] and its names, from the list.
macro_rules! operation_enum {
    ($(
        $(#[$attr:meta])*
        $kind:ident $method:ident($arg:ident: $ty:ty) -> $output:ty {
            operation: $operation:ident,
            table: $table:expr,
            $(unsupported: $target:expr,)?
        }
    )*) => {
        /// A DynamoDB operation, as a [`Backend`](crate::Backend) method runs it.
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
        pub enum Operation {$(
            #[doc = concat!(
                "`", stringify!($operation), "`: [`Backend::", stringify!($method),
                "`](crate::Backend::", stringify!($method), ")."
            )]
            $operation,
        )*}

        impl Operation {
            /// Every operation, in the order of the [`Backend`](crate::Backend) trait.
            ///
            /// ```
            /// use notes_repo::Operation;
            /// assert_eq!(Operation::ALL[0], Operation::GetItem);
            /// assert!(Operation::ALL.iter().any(|op| op.name() == "DescribeContinuousBackups"));
            /// ```
            pub const ALL: &'static [Operation] = &[$(Operation::$operation),*];

            /// DynamoDB's name of the operation.
            ///
            /// ```
            /// assert_eq!(notes_repo::Operation::TransactWriteItems.name(), "TransactWriteItems");
            /// ```
            pub fn name(self) -> &'static str {
                match self {
                    $(Operation::$operation => stringify!($operation),)*
                }
            }

            /// Whether the operation reads or writes items (rather than administering a table).
            ///
            /// ```
            /// assert!(notes_repo::Operation::Query.is_item_operation());
            /// assert!(!notes_repo::Operation::DescribeTable.is_item_operation());
            /// ```
            pub fn is_item_operation(self) -> bool {
                match self {
                    $(Operation::$operation => is_item!($kind),)*
                }
            }
        }
    };
}

/// `item` or `admin`: whether an entry of the list reads or writes items.
macro_rules! is_item {
    (item) => {
        true
    };
    (admin) => {
        false
    };
}

for_each_operation!(operation_enum);

impl std::fmt::Display for Operation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::Operation;

    #[test]
    fn every_operation_has_its_own_name() {
        let names: HashSet<&str> = Operation::ALL.iter().map(|op| op.name()).collect();
        assert_eq!(names.len(), Operation::ALL.len());
    }
}
