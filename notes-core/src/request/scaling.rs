//! Application Auto Scaling's wire types: what is scaled and the target-tracking policy.

/// Which capacity of a table or global secondary index an auto scaling policy scales: its
/// read or its write capacity units (Application Auto Scaling's `ScalableDimension`).
///
/// ```
/// use notes_repo::request::ScalableTarget;
/// let target = ScalableTarget::table("notes", notes_repo::request::Capacity::Write);
/// assert_eq!(target.scalable_dimension(), "dynamodb:table:WriteCapacityUnits");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capacity {
    /// Read capacity units.
    Read,
    /// Write capacity units.
    Write,
}

/// What Application Auto Scaling scales: the read or write capacity of a table
/// (`table/notes`) or of one of its global secondary indexes (`table/notes/index/byStatus`).
///
/// ```
/// use notes_repo::request::{Capacity, ScalableTarget};
/// let target = ScalableTarget::index("notes", "byStatus", Capacity::Read);
/// assert_eq!(target.resource_id(), "table/notes/index/byStatus");
/// assert_eq!(target.scalable_dimension(), "dynamodb:index:ReadCapacityUnits");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub struct ScalableTarget {
    /// The table.
    pub table_name: String,
    /// The global secondary index (`None`: the table itself).
    pub index_name: Option<String>,
    /// Reads or writes.
    pub capacity: Capacity,
}

impl ScalableTarget {
    /// The read or write capacity of the table `table_name`.
    ///
    /// See [`Capacity`] for an example.
    pub fn table(table_name: impl Into<String>, capacity: Capacity) -> Self {
        ScalableTarget {
            table_name: table_name.into(),
            index_name: None,
            capacity,
        }
    }

    /// The read or write capacity of the global secondary index `index_name` of `table_name`.
    ///
    /// See [`ScalableTarget`] for an example.
    pub fn index(
        table_name: impl Into<String>,
        index_name: impl Into<String>,
        capacity: Capacity,
    ) -> Self {
        ScalableTarget {
            table_name: table_name.into(),
            index_name: Some(index_name.into()),
            capacity,
        }
    }

    /// Application Auto Scaling's `ResourceId`: `table/<table>` or
    /// `table/<table>/index/<index>`.
    ///
    /// See [`ScalableTarget`] for an example.
    pub fn resource_id(&self) -> String {
        match &self.index_name {
            None => format!("table/{}", self.table_name),
            Some(index) => format!("table/{}/index/{index}", self.table_name),
        }
    }

    /// Application Auto Scaling's `ScalableDimension`:
    /// `dynamodb:{table|index}:{Read|Write}CapacityUnits`.
    ///
    /// See [`ScalableTarget`] for an example.
    pub fn scalable_dimension(&self) -> &'static str {
        match (self.index_name.is_some(), self.capacity) {
            (false, Capacity::Read) => "dynamodb:table:ReadCapacityUnits",
            (false, Capacity::Write) => "dynamodb:table:WriteCapacityUnits",
            (true, Capacity::Read) => "dynamodb:index:ReadCapacityUnits",
            (true, Capacity::Write) => "dynamodb:index:WriteCapacityUnits",
        }
    }

    /// The predefined metric a target-tracking policy on this target follows:
    /// `DynamoDBReadCapacityUtilization` or `DynamoDBWriteCapacityUtilization`.
    ///
    /// ```
    /// use notes_repo::request::{Capacity, ScalableTarget};
    /// let target = ScalableTarget::table("notes", Capacity::Read);
    /// assert_eq!(target.predefined_metric(), "DynamoDBReadCapacityUtilization");
    /// ```
    pub fn predefined_metric(&self) -> &'static str {
        match self.capacity {
            Capacity::Read => "DynamoDBReadCapacityUtilization",
            Capacity::Write => "DynamoDBWriteCapacityUtilization",
        }
    }

    /// The scaling policy's name, as the DynamoDB console names it:
    /// `<metric>:<resource id>`, e.g. `DynamoDBWriteCapacityUtilization:table/notes`.
    ///
    /// ```
    /// use notes_repo::request::{Capacity, ScalableTarget};
    /// let target = ScalableTarget::index("notes", "byStatus", Capacity::Write);
    /// assert_eq!(
    ///     target.policy_name(),
    ///     "DynamoDBWriteCapacityUtilization:table/notes/index/byStatus"
    /// );
    /// ```
    pub fn policy_name(&self) -> String {
        format!("{}:{}", self.predefined_metric(), self.resource_id())
    }
}

/// A registered auto scaling policy (raw): a scalable target with its minimum and maximum
/// capacity (`RegisterScalableTarget`) and a target-tracking policy on its utilization metric
/// (`PutScalingPolicy`). The typed form is `AutoScaling`.
///
/// ```
/// use notes_repo::request::{Capacity, ScalableTarget, ScalingPolicy};
/// let policy = ScalingPolicy::new(ScalableTarget::table("notes", Capacity::Write), 5, 40_000, 70.0);
/// assert_eq!(policy.target_value, 70.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ScalingPolicy {
    /// What is scaled.
    pub target: ScalableTarget,
    /// `MinCapacity`: the fewest units auto scaling provisions.
    pub min_capacity: i64,
    /// `MaxCapacity`: the most units auto scaling provisions.
    pub max_capacity: i64,
    /// `TargetValue`: the utilization (consumed / provisioned, in percent) to keep.
    pub target_value: f64,
}

impl ScalingPolicy {
    /// A policy keeping `target`'s utilization at `target_value` percent within
    /// `min_capacity..=max_capacity` units.
    ///
    /// See [`ScalingPolicy`] for an example.
    pub fn new(
        target: ScalableTarget,
        min_capacity: i64,
        max_capacity: i64,
        target_value: f64,
    ) -> Self {
        ScalingPolicy {
            target,
            min_capacity,
            max_capacity,
            target_value,
        }
    }
}

/// Application Auto Scaling's `DescribeScalableTargets` and `DescribeScalingPolicies` for one
/// table: the policies of the table and of its global secondary indexes.
///
/// ```
/// # use notes_model::{Item, Note};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// let policies = backend.describe_scaling_policies(DescribeScalingPolicies::new("notes")).await?;
/// assert!(policies.is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DescribeScalingPolicies {
    /// The table.
    pub table_name: String,
}

impl DescribeScalingPolicies {
    /// The policies registered for `table_name` and its indexes.
    ///
    /// See [`DescribeScalingPolicies`] for an example.
    pub fn new(table_name: impl Into<String>) -> Self {
        DescribeScalingPolicies {
            table_name: table_name.into(),
        }
    }
}
