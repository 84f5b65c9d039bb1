//! What a request tells a layer about itself: the parameters OpenTelemetry's semantic
//! conventions for DynamoDB name (`IndexName`, `Limit`, `ConsistentRead`, ...), read by
//! [`Layer::around_request`](crate::Layer::around_request) before the request is sent.

use notes_model::expr::Path;

use super::backups::{
    BackupArn, CreateBackup, DescribeContinuousBackups, ListBackups, RestoreTableFromBackup,
    RestoreTableToPointInTime, UpdateContinuousBackups,
};
use super::batch::{BatchGetItem, BatchWriteItem};
use super::items::{DeleteItem, GetItem, PutItem, UpdateItem};
use super::query::{Query, Scan, Select};
use super::scaling::{DescribeScalingPolicies, ScalableTarget, ScalingPolicy};
use super::tables::{
    CreateTable, DeleteTable, DescribeTable, ProvisionedThroughput, UpdateTable, UpdateTimeToLive,
};
use super::transactions::{TransactGetItems, TransactWriteItems};

/// What a request asks, as a layer reads it: which index, how many items, in which order.
/// Names and numbers only, never an item's or a key's values. A parameter the operation does
/// not have, or the request leaves unset, is `None`.
///
/// ```
/// use notes_repo::request::{Query, RequestAttributes};
/// use notes_repo::{AttributeValue, Attributed, expr::KeyCondition};
///
/// let condition = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
/// let query = Query::new("notes", condition).index_name("byCreatedAt").limit(10);
/// let attributes: RequestAttributes<'_> = query.attributes();
/// assert_eq!(attributes.index_name, Some("byCreatedAt"));
/// assert_eq!((attributes.limit, attributes.scan_index_forward), (Some(10), Some(true)));
/// assert_eq!(attributes.segment, None); // a scan's
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[non_exhaustive]
pub struct RequestAttributes<'a> {
    /// `IndexName` (queries and scans of a secondary index).
    pub index_name: Option<&'a str>,
    /// `Limit` (queries and scans).
    pub limit: Option<u32>,
    /// `ConsistentRead` (`GetItem`, queries and scans).
    pub consistent_read: Option<bool>,
    /// `ScanIndexForward` (queries).
    pub scan_index_forward: Option<bool>,
    /// The attribute paths of the `ProjectionExpression` (`GetItem`, queries and scans).
    pub projection: Option<&'a [Path]>,
    /// `Segment` of a parallel scan.
    pub segment: Option<u32>,
    /// `TotalSegments` of a parallel scan.
    pub total_segments: Option<u32>,
    /// `Select`, when the request sets one (queries and scans).
    pub select: Option<Select>,
    /// How many operations a batch or a transaction holds: keys to get, writes, actions.
    pub batch_size: Option<usize>,
    /// The provisioned throughput `CreateTable` or `UpdateTable` sets.
    pub provisioned_throughput: Option<ProvisionedThroughput>,
}

/// A [`Backend`](crate::Backend) operation's request, as a layer reads it (its output is
/// [`ConsumedCapacity`](crate::ConsumedCapacity)): implemented by every request type.
///
/// ```
/// use notes_repo::Attributed;
/// use notes_repo::request::Scan;
///
/// let scan = Scan::new("notes").segment(1, 4);
/// let attributes = scan.attributes();
/// assert_eq!((attributes.segment, attributes.total_segments), (Some(1), Some(4)));
/// ```
pub trait Attributed {
    /// What the request asks (nothing by default: table administration).
    fn attributes(&self) -> RequestAttributes<'_> {
        RequestAttributes::default()
    }
}

impl Attributed for GetItem {
    fn attributes(&self) -> RequestAttributes<'_> {
        RequestAttributes {
            consistent_read: Some(self.consistent_read),
            projection: self.projection.as_deref(),
            ..RequestAttributes::default()
        }
    }
}

impl Attributed for Query {
    fn attributes(&self) -> RequestAttributes<'_> {
        RequestAttributes {
            index_name: self.index_name.as_deref(),
            limit: self.limit,
            consistent_read: Some(self.consistent_read),
            scan_index_forward: Some(self.scan_index_forward),
            projection: self.projection.as_deref(),
            select: self.select,
            ..RequestAttributes::default()
        }
    }
}

impl Attributed for Scan {
    fn attributes(&self) -> RequestAttributes<'_> {
        RequestAttributes {
            index_name: self.index_name.as_deref(),
            limit: self.limit,
            consistent_read: Some(self.consistent_read),
            projection: self.projection.as_deref(),
            segment: self.segment.map(|(segment, _)| segment),
            total_segments: self.segment.map(|(_, total)| total),
            select: self.select,
            ..RequestAttributes::default()
        }
    }
}

impl Attributed for BatchGetItem {
    fn attributes(&self) -> RequestAttributes<'_> {
        let keys = self.request_items.values().map(|k| k.keys.len()).sum();
        RequestAttributes {
            batch_size: Some(keys),
            ..RequestAttributes::default()
        }
    }
}

impl Attributed for BatchWriteItem {
    fn attributes(&self) -> RequestAttributes<'_> {
        let writes = self.request_items.values().map(Vec::len).sum();
        RequestAttributes {
            batch_size: Some(writes),
            ..RequestAttributes::default()
        }
    }
}

impl Attributed for TransactGetItems {
    fn attributes(&self) -> RequestAttributes<'_> {
        RequestAttributes {
            batch_size: Some(self.items.len()),
            ..RequestAttributes::default()
        }
    }
}

impl Attributed for TransactWriteItems {
    fn attributes(&self) -> RequestAttributes<'_> {
        RequestAttributes {
            batch_size: Some(self.items.len()),
            ..RequestAttributes::default()
        }
    }
}

impl Attributed for CreateTable {
    fn attributes(&self) -> RequestAttributes<'_> {
        RequestAttributes {
            provisioned_throughput: self.billing_mode.provisioned_throughput(),
            ..RequestAttributes::default()
        }
    }
}

impl Attributed for UpdateTable {
    fn attributes(&self) -> RequestAttributes<'_> {
        RequestAttributes {
            provisioned_throughput: self
                .billing_mode
                .and_then(|mode| mode.provisioned_throughput()),
            ..RequestAttributes::default()
        }
    }
}

/// Requests with none of the parameters [`RequestAttributes`] names.
macro_rules! no_attributes {
    ($($request:ty),* $(,)?) => {$(
        impl Attributed for $request {}
    )*};
}
no_attributes!(
    PutItem,
    UpdateItem,
    DeleteItem,
    DescribeTable,
    DeleteTable,
    UpdateContinuousBackups,
    UpdateTimeToLive,
    ScalingPolicy,
    DescribeScalingPolicies,
    ScalableTarget,
    CreateBackup,
    ListBackups,
    BackupArn,
    RestoreTableFromBackup,
    RestoreTableToPointInTime,
    DescribeContinuousBackups,
);
