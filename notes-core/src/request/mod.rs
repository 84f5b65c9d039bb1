//! The requests and responses of the [`Backend`](crate::Backend) operations, over raw item maps.
//!
//! They mirror DynamoDB's API one to one; expressions are ASTs from [`notes_model::expr`].
//! One module per family of operations, each type beside its constructors and setters; the
//! stream wire types live here too and are public as [`crate::stream`].

pub(crate) mod attributes;
mod backups;
mod batch;
pub(crate) mod capacity;
mod items;
mod query;
mod scaling;
mod setters;
mod status;
pub(crate) mod streams;
mod tables;
mod throughput;
mod transactions;

pub use attributes::RequestAttributes;
pub use backups::{
    BackupArn, BackupDescription, BackupStatus, BackupSummary, CreateBackup,
    DescribeContinuousBackups, ListBackups, ListBackupsOutput, PointInTimeRecovery,
    RestoreTableFromBackup, RestoreTableToPointInTime, RestoreTime, UpdateContinuousBackups,
};
pub use batch::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, KeysAndAttributes,
    WriteRequest,
};
pub use items::{
    DeleteItem, GetItem, GetItemOutput, PutItem, ReturnValues, ReturnValuesOnConditionCheckFailure,
    UpdateItem, WriteOutput,
};
#[allow(deprecated)]
pub use query::Page;
pub use query::{PageOutput, Query, Scan, Select};
pub use scaling::{Capacity, DescribeScalingPolicies, ScalableTarget, ScalingPolicy};
pub use status::TableStatus;
pub use tables::{
    BillingMode, CreateTable, DeleteTable, DescribeTable, ProvisionedThroughput, TableDescription,
    UpdateTable, UpdateTimeToLive,
};
pub use throughput::{OnDemandThroughput, WarmThroughput, WarmThroughputDescription};
pub use transactions::{
    TransactGet, TransactGetItems, TransactGetItemsOutput, TransactWrite, TransactWriteItems,
    TransactWriteItemsOutput,
};
