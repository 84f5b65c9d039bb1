//! What an operation's output reports, as a layer reads it: the capacity units it consumed,
//! and for a page of a query or scan, how many items it holds and how many it read.

use super::backups::{BackupDescription, ListBackupsOutput, PointInTimeRecovery};
use super::batch::{BatchGetItemOutput, BatchWriteItemOutput};
use super::items::{GetItemOutput, WriteOutput};
use super::query::PageOutput;
use super::scaling::ScalingPolicy;
use super::tables::TableDescription;
use super::transactions::{TransactGetItemsOutput, TransactWriteItemsOutput};

/// An operation's output, as a layer sees it: the capacity units it reports (and, for a page
/// of a query or scan, DynamoDB's `Count` and `ScannedCount`).
///
/// ```
/// use notes_repo::ConsumedCapacity;
/// use notes_repo::request::{GetItemOutput, PageOutput};
///
/// let output = GetItemOutput::new(None).consumed_capacity(0.5);
/// assert_eq!(output.capacity_units(), Some(0.5));
/// let page = PageOutput::new(Vec::new()).scanned_count(3);
/// assert_eq!(page.page_counts(), Some((0, 3)));
/// assert_eq!(output.page_counts(), None);
/// ```
pub trait ConsumedCapacity {
    /// The capacity units the operation consumed, when the backend reports them.
    fn capacity_units(&self) -> Option<f64>;

    /// `Count` and `ScannedCount` of a page of a query or scan: the items it holds, after
    /// its filter, and the items it read, before it (`None`: not a page).
    fn page_counts(&self) -> Option<(usize, usize)> {
        None
    }
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
    BatchGetItemOutput,
    BatchWriteItemOutput,
    TransactGetItemsOutput,
    TransactWriteItemsOutput
);

impl ConsumedCapacity for PageOutput {
    fn capacity_units(&self) -> Option<f64> {
        self.consumed_capacity
    }

    fn page_counts(&self) -> Option<(usize, usize)> {
        Some((self.count, self.scanned_count))
    }
}

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
