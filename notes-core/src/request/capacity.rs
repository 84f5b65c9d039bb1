//! The capacity units an operation's output reports, as a layer reads them.

use super::backups::{BackupDescription, ListBackupsOutput, PointInTimeRecovery};
use super::batch::{BatchGetItemOutput, BatchWriteItemOutput};
use super::items::{GetItemOutput, WriteOutput};
use super::query::PageOutput;
use super::scaling::ScalingPolicy;
use super::tables::TableDescription;
use super::transactions::{TransactGetItemsOutput, TransactWriteItemsOutput};

/// An operation's output, as a layer sees it: the capacity units it reports.
///
/// ```
/// use notes_repo::ConsumedCapacity;
/// use notes_repo::request::GetItemOutput;
///
/// let output = GetItemOutput::new(None).consumed_capacity(0.5);
/// assert_eq!(output.capacity_units(), Some(0.5));
/// ```
pub trait ConsumedCapacity {
    /// The capacity units the operation consumed, when the backend reports them.
    fn capacity_units(&self) -> Option<f64>;
}

/// Outputs that report their `consumed_capacity`.
macro_rules! consumed_capacity {
    ($($output:ty),*) => {$(
        impl ConsumedCapacity for $output {
            fn capacity_units(&self) -> Option<f64> {
                self.consumed_capacity
            }
        }
    )*};
}
consumed_capacity!(
    GetItemOutput,
    WriteOutput,
    PageOutput,
    BatchGetItemOutput,
    BatchWriteItemOutput,
    TransactGetItemsOutput,
    TransactWriteItemsOutput
);

/// Outputs of operations DynamoDB does not meter.
macro_rules! no_capacity {
    ($($output:ty),*) => {$(
        impl ConsumedCapacity for $output {
            fn capacity_units(&self) -> Option<f64> {
                None
            }
        }
    )*};
}
no_capacity!(
    TableDescription,
    Vec<ScalingPolicy>,
    BackupDescription,
    ListBackupsOutput,
    PointInTimeRecovery,
    ()
);
