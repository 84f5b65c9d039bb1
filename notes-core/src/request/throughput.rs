//! What an on-demand table may serve at most (`OnDemandThroughput`) and what a table serves
//! at once (`WarmThroughput`), for the table and each global secondary index: set by
//! `CreateTable` and `UpdateTable`, reported by `DescribeTable`.

use super::setters::setters;
use super::status::TableStatus;

/// `OnDemandThroughput`: the most read and write request units a second an on-demand table
/// (or one of its global secondary indexes) serves; requests past it are throttled, with the
/// reason `...MaxOnDemandThroughputExceeded`
/// ([`LimitType::MaxOnDemandThroughput`](crate::throttling::LimitType::MaxOnDemandThroughput)).
///
/// A member left `None` is not set (in a request: unchanged; in a description: no maximum).
/// DynamoDB takes a maximum of at least 1; in `UpdateTable`, [`OnDemandThroughput::REMOVE`]
/// (`-1`) removes one. An on-demand table only: DynamoDB refuses it on a provisioned table.
///
/// ```
/// use notes_repo::request::OnDemandThroughput;
///
/// let at_most = OnDemandThroughput::new().max_read_request_units(100).max_write_request_units(50);
/// assert_eq!(at_most.max_write_request_units, Some(50));
/// let no_more_write_maximum = OnDemandThroughput::new()
///     .max_write_request_units(OnDemandThroughput::REMOVE);
/// assert_eq!(no_more_write_maximum.max_read_request_units, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct OnDemandThroughput {
    /// Read request units a second at most (`MaxReadRequestUnits`).
    pub max_read_request_units: Option<i64>,
    /// Write request units a second at most (`MaxWriteRequestUnits`).
    pub max_write_request_units: Option<i64>,
}

impl OnDemandThroughput {
    /// The value that removes a maximum in `UpdateTable` (`-1`).
    ///
    /// See [`OnDemandThroughput`] for an example.
    pub const REMOVE: i64 = -1;

    /// No maximum set yet: add them with the setters.
    ///
    /// See [`OnDemandThroughput`] for an example.
    pub fn new() -> Self {
        OnDemandThroughput::default()
    }

    /// Whether neither member is set (DynamoDB takes such an `OnDemandThroughput` as none).
    ///
    /// ```
    /// use notes_repo::request::OnDemandThroughput;
    /// assert!(OnDemandThroughput::new().is_empty());
    /// assert!(!OnDemandThroughput::new().max_read_request_units(1).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.max_read_request_units.is_none() && self.max_write_request_units.is_none()
    }
}
setters!(OnDemandThroughput {
    max_read_request_units: some i64,
    max_write_request_units: some i64,
});

/// `WarmThroughput`: the read and write units a second a table (or one of its global
/// secondary indexes) is to serve at once, without waiting for DynamoDB to scale, e.g. before
/// a launch ("pre-warming").
///
/// A member left `None` is not set. DynamoDB's rules: at least what the table has already (a
/// new on-demand table serves 12,000 reads and 4,000 writes a second at once, a provisioned
/// one its capacity units); a table's warm throughput is never lowered, a global index's may
/// be.
///
/// ```
/// use notes_repo::request::WarmThroughput;
///
/// let launch = WarmThroughput::new(40_000, 10_000);
/// assert_eq!(launch.read_units_per_second, Some(40_000));
/// let more_writes = WarmThroughput::default().write_units_per_second(20_000);
/// assert_eq!(more_writes.read_units_per_second, None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct WarmThroughput {
    /// Read units a second (`ReadUnitsPerSecond`).
    pub read_units_per_second: Option<i64>,
    /// Write units a second (`WriteUnitsPerSecond`).
    pub write_units_per_second: Option<i64>,
}

impl WarmThroughput {
    /// `read` read units and `write` write units a second.
    ///
    /// See [`WarmThroughput`] for an example.
    pub fn new(read: i64, write: i64) -> Self {
        WarmThroughput {
            read_units_per_second: Some(read),
            write_units_per_second: Some(write),
        }
    }

    /// Whether neither member is set (taken as no `WarmThroughput`).
    ///
    /// ```
    /// use notes_repo::request::WarmThroughput;
    /// assert!(WarmThroughput::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.read_units_per_second.is_none() && self.write_units_per_second.is_none()
    }
}
setters!(WarmThroughput {
    read_units_per_second: some i64,
    write_units_per_second: some i64,
});

/// The warm throughput `DescribeTable` reports for a table (`TableWarmThroughputDescription`)
/// or a global index (`GlobalSecondaryIndexWarmThroughputDescription`): the units a second it
/// serves at once, and whether a change of them is still being applied (`UPDATING`) or done
/// (`ACTIVE`).
///
/// ```
/// use notes_repo::request::{TableStatus, WarmThroughputDescription};
///
/// let new_on_demand_table = WarmThroughputDescription::new(12_000, 4_000, TableStatus::Active);
/// assert_eq!(new_on_demand_table.write_units_per_second, Some(4_000));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WarmThroughputDescription {
    /// Read units a second (`ReadUnitsPerSecond`), when the service says.
    pub read_units_per_second: Option<i64>,
    /// Write units a second (`WriteUnitsPerSecond`), when the service says.
    pub write_units_per_second: Option<i64>,
    /// `ACTIVE`, or `UPDATING` while a change is applied (`Status`).
    pub status: TableStatus,
}

impl WarmThroughputDescription {
    /// `read` and `write` units a second, in `status`.
    ///
    /// See [`WarmThroughputDescription`] for an example.
    pub fn new(read: i64, write: i64, status: TableStatus) -> Self {
        WarmThroughputDescription {
            read_units_per_second: Some(read),
            write_units_per_second: Some(write),
            status,
        }
    }
}
