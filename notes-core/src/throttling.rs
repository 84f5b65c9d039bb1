//! Why DynamoDB throttled a request: the `ThrottlingReasons` of a
//! `ProvisionedThroughputExceededException`, `ThrottlingException` or `RequestLimitExceeded`,
//! carried by [`Error::Throttled`](crate::Error::Throttled).
//!
//! Each [`ThrottlingReason`] names the resource (the ARN of the table or of the index) and the
//! reason, which DynamoDB spells `<ResourceType><OperationType><LimitType>`
//! (`TableWriteProvisionedThroughputExceeded`, `IndexReadMaxOnDemandThroughputExceeded`, ...:
//! API_ThrottlingReason in the DynamoDB API reference, and "Diagnosing throttling" in the
//! developer guide). [`Reason`] is that string typed; a reason this crate does not know
//! (DynamoDB adds them) is kept as sent, in [`Reason::Unknown`].
//!
//! ```
//! use notes_repo::throttling::{LimitType, OperationType, Reason, ResourceType};
//! use notes_repo::ThrottlingReason;
//!
//! let reason = ThrottlingReason::new(
//!     "IndexWriteMaxOnDemandThroughputExceeded",
//!     "arn:aws:dynamodb:us-east-1:123456789012:table/notes/index/byStatus",
//! );
//! assert_eq!(
//!     reason.reason,
//!     Reason::Exceeded(ResourceType::Index, OperationType::Write, LimitType::MaxOnDemandThroughput)
//! );
//! assert_eq!(reason.table_name(), Some("notes"));
//! assert_eq!(reason.index_name(), Some("byStatus"));
//! assert_eq!(reason.reason.to_string(), "IndexWriteMaxOnDemandThroughputExceeded");
//! ```

use std::fmt;

/// What was throttled: the table itself, or one of its (global secondary) indexes.
///
/// ```
/// use notes_repo::throttling::ResourceType;
/// assert_eq!(ResourceType::Index.as_str(), "Index");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceType {
    /// The table (`Table...`).
    Table,
    /// A global secondary index (`Index...`).
    Index,
}

impl ResourceType {
    /// DynamoDB's spelling: `Table` or `Index`.
    ///
    /// See [`ResourceType`] for an example.
    pub fn as_str(self) -> &'static str {
        match self {
            ResourceType::Table => "Table",
            ResourceType::Index => "Index",
        }
    }
}

/// What kind of request was throttled: a read or a write.
///
/// ```
/// use notes_repo::throttling::OperationType;
/// assert_eq!(OperationType::Write.as_str(), "Write");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationType {
    /// Reads (`...Read...`): reads draw on read capacity.
    Read,
    /// Writes (`...Write...`).
    Write,
}

impl OperationType {
    /// DynamoDB's spelling: `Read` or `Write`.
    ///
    /// See [`OperationType`] for an example.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationType::Read => "Read",
            OperationType::Write => "Write",
        }
    }
}

/// Which limit the request went past.
///
/// ```
/// use notes_repo::throttling::LimitType;
/// assert_eq!(LimitType::MaxOnDemandThroughput.as_str(), "MaxOnDemandThroughputExceeded");
/// assert_eq!(LimitType::MaxOnDemandThroughput.exception(), "ThrottlingException");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LimitType {
    /// The provisioned capacity units of a provisioned table or index
    /// (`ProvisionedThroughputExceeded`).
    ProvisionedThroughput,
    /// The maximum throughput set on an on-demand table or index (`OnDemandThroughput`:
    /// `MaxOnDemandThroughputExceeded`).
    MaxOnDemandThroughput,
    /// A partition's own limit, the key range of a hot partition key
    /// (`KeyRangeThroughputExceeded`), in either billing mode.
    KeyRangeThroughput,
    /// The account's per-table quota in the region, on demand (`AccountLimitExceeded`).
    AccountLimit,
}

impl LimitType {
    /// Every limit, in the order DynamoDB's documentation lists them.
    const ALL: [LimitType; 4] = [
        LimitType::ProvisionedThroughput,
        LimitType::AccountLimit,
        LimitType::KeyRangeThroughput,
        LimitType::MaxOnDemandThroughput,
    ];

    /// DynamoDB's spelling, the end of a reason: `ProvisionedThroughputExceeded`,
    /// `MaxOnDemandThroughputExceeded`, `KeyRangeThroughputExceeded`, `AccountLimitExceeded`.
    ///
    /// See [`LimitType`] for an example.
    pub fn as_str(self) -> &'static str {
        match self {
            LimitType::ProvisionedThroughput => "ProvisionedThroughputExceeded",
            LimitType::MaxOnDemandThroughput => "MaxOnDemandThroughputExceeded",
            LimitType::KeyRangeThroughput => "KeyRangeThroughputExceeded",
            LimitType::AccountLimit => "AccountLimitExceeded",
        }
    }

    /// The exception DynamoDB throttles with for this limit: `ThrottlingException` past an
    /// on-demand maximum ("When DynamoDB throttles a read or write, it returns a
    /// ThrottlingException", developerguide/on-demand-capacity-mode-max-throughput.html),
    /// `RequestLimitExceeded` past the account's quota ("Throughput exceeds the current
    /// throughput quota for your account"), and `ProvisionedThroughputExceededException`
    /// otherwise. The engine and the local server answer with it.
    ///
    /// See [`LimitType`] for an example.
    pub fn exception(self) -> &'static str {
        match self {
            LimitType::MaxOnDemandThroughput => "ThrottlingException",
            LimitType::AccountLimit => "RequestLimitExceeded",
            LimitType::ProvisionedThroughput | LimitType::KeyRangeThroughput => {
                "ProvisionedThroughputExceededException"
            }
        }
    }
}

/// DynamoDB's reason for throttling, typed: `<ResourceType><OperationType><LimitType>`, or
/// the string as sent when it is not one this crate knows.
///
/// ```
/// use notes_repo::throttling::{LimitType, OperationType, Reason, ResourceType};
///
/// let known = Reason::parse("TableReadKeyRangeThroughputExceeded");
/// assert_eq!(
///     known,
///     Reason::Exceeded(ResourceType::Table, OperationType::Read, LimitType::KeyRangeThroughput)
/// );
/// let new = Reason::parse("TableReadSomethingNewExceeded");
/// assert_eq!(new, Reason::Unknown("TableReadSomethingNewExceeded".into()));
/// assert_eq!(new.to_string(), "TableReadSomethingNewExceeded");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// A table or an index went past a limit, on reads or on writes.
    Exceeded(ResourceType, OperationType, LimitType),
    /// A reason this crate does not know, kept exactly as DynamoDB sent it.
    Unknown(String),
}

impl Reason {
    /// The typed reason of DynamoDB's string; [`Reason::Unknown`] when it is not one of the
    /// sixteen DynamoDB documents.
    ///
    /// See [`Reason`] for an example.
    pub fn parse(reason: &str) -> Reason {
        let typed = || {
            let (resource, rest) = [ResourceType::Table, ResourceType::Index]
                .into_iter()
                .find_map(|r| Some((r, reason.strip_prefix(r.as_str())?)))?;
            let (operation, rest) = [OperationType::Read, OperationType::Write]
                .into_iter()
                .find_map(|o| Some((o, rest.strip_prefix(o.as_str())?)))?;
            let limit = LimitType::ALL.into_iter().find(|l| l.as_str() == rest)?;
            Some(Reason::Exceeded(resource, operation, limit))
        };
        typed().unwrap_or_else(|| Reason::Unknown(reason.to_owned()))
    }
}

impl fmt::Display for Reason {
    /// DynamoDB's string: `TableWriteProvisionedThroughputExceeded`, or an unknown reason as
    /// sent.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Exceeded(resource, operation, limit) => write!(
                f,
                "{}{}{}",
                resource.as_str(),
                operation.as_str(),
                limit.as_str()
            ),
            Reason::Unknown(reason) => f.write_str(reason),
        }
    }
}

/// One reason a request was throttled, and the table or index it was throttled on
/// (DynamoDB's `ThrottlingReason`).
///
/// ```
/// use notes_repo::throttling::{LimitType, OperationType, ResourceType};
/// use notes_repo::ThrottlingReason;
///
/// let reason = ThrottlingReason::exceeded(
///     ResourceType::Table,
///     OperationType::Write,
///     LimitType::ProvisionedThroughput,
///     "arn:aws:dynamodb:us-east-1:123456789012:table/notes",
/// );
/// assert_eq!(reason.limit_type(), Some(LimitType::ProvisionedThroughput));
/// assert_eq!(reason.index_name(), None);
/// assert_eq!(
///     reason.to_string(),
///     "TableWriteProvisionedThroughputExceeded on arn:aws:dynamodb:us-east-1:123456789012:table/notes"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ThrottlingReason {
    /// Why (DynamoDB's `reason`).
    pub reason: Reason,
    /// The ARN of the table or index throttled (DynamoDB's `resource`; empty when DynamoDB
    /// did not say).
    pub resource: String,
}

impl ThrottlingReason {
    /// A reason as DynamoDB sends it: its `reason` string (typed when known) and its
    /// `resource` ARN.
    ///
    /// See the [module](self) for an example.
    pub fn new(reason: &str, resource: impl Into<String>) -> Self {
        ThrottlingReason {
            reason: Reason::parse(reason),
            resource: resource.into(),
        }
    }

    /// `resource_type` went past `limit_type` on `operation_type`, on the table or index
    /// `resource`.
    ///
    /// See [`ThrottlingReason`] for an example.
    pub fn exceeded(
        resource_type: ResourceType,
        operation_type: OperationType,
        limit_type: LimitType,
        resource: impl Into<String>,
    ) -> Self {
        ThrottlingReason {
            reason: Reason::Exceeded(resource_type, operation_type, limit_type),
            resource: resource.into(),
        }
    }

    /// Whether a table or an index was throttled; `None` for an unknown reason.
    ///
    /// ```
    /// use notes_repo::{ThrottlingReason, throttling::ResourceType};
    /// let reason = ThrottlingReason::new("IndexReadProvisionedThroughputExceeded", "");
    /// assert_eq!(reason.resource_type(), Some(ResourceType::Index));
    /// ```
    pub fn resource_type(&self) -> Option<ResourceType> {
        match self.reason {
            Reason::Exceeded(resource, _, _) => Some(resource),
            Reason::Unknown(_) => None,
        }
    }

    /// Whether reads or writes were throttled; `None` for an unknown reason.
    ///
    /// ```
    /// use notes_repo::{ThrottlingReason, throttling::OperationType};
    /// let reason = ThrottlingReason::new("TableReadAccountLimitExceeded", "");
    /// assert_eq!(reason.operation_type(), Some(OperationType::Read));
    /// ```
    pub fn operation_type(&self) -> Option<OperationType> {
        match self.reason {
            Reason::Exceeded(_, operation, _) => Some(operation),
            Reason::Unknown(_) => None,
        }
    }

    /// Which limit was exceeded; `None` for an unknown reason.
    ///
    /// See [`ThrottlingReason`] for an example.
    pub fn limit_type(&self) -> Option<LimitType> {
        match self.reason {
            Reason::Exceeded(_, _, limit) => Some(limit),
            Reason::Unknown(_) => None,
        }
    }

    /// The table the resource ARN names (`...:table/<name>[/index/<index>]`).
    ///
    /// See the [module](self) for an example.
    pub fn table_name(&self) -> Option<&str> {
        let (_, after) = self.resource.split_once(":table/")?;
        after.split('/').next().filter(|name| !name.is_empty())
    }

    /// The index the resource ARN names (`...:table/<name>/index/<index>`); `None` for a
    /// table.
    ///
    /// See the [module](self) for an example.
    pub fn index_name(&self) -> Option<&str> {
        let (_, after) = self.resource.split_once(":table/")?;
        let (_, index) = after.split_once("/index/")?;
        Some(index).filter(|name| !name.is_empty())
    }
}

impl fmt::Display for ThrottlingReason {
    /// `TableWriteProvisionedThroughputExceeded on <ARN>` (the reason alone without an ARN).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.resource.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "{} on {}", self.reason, self.resource)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_reason_parses_and_prints_back() {
        let mut count = 0;
        for resource in [ResourceType::Table, ResourceType::Index] {
            for operation in [OperationType::Read, OperationType::Write] {
                for limit in LimitType::ALL {
                    let typed = Reason::Exceeded(resource, operation, limit);
                    let text = typed.to_string();
                    assert_eq!(Reason::parse(&text), typed, "{text}");
                    count += 1;
                }
            }
        }
        // "DynamoDB implements 16 distinct throttling reasons" (troubleshooting guide).
        assert_eq!(count, 16);
        assert_eq!(
            Reason::parse("IndexWriteAccountLimitExceeded").to_string(),
            "IndexWriteAccountLimitExceeded"
        );
    }

    #[test]
    fn anything_else_is_kept_as_sent() {
        for text in ["", "Table", "TableRead", "TableReadExceeded", "ReadTableX"] {
            assert_eq!(Reason::parse(text), Reason::Unknown(text.to_owned()));
        }
        let reason = ThrottlingReason::new("Whatever", "not an arn");
        assert_eq!((reason.table_name(), reason.index_name()), (None, None));
        assert_eq!(reason.limit_type(), None);
    }
}
