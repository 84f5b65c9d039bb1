//! Auto scaling: the typed policy ([`AutoScaling`]), a table's policies ([`TableScaling`]),
//! and the `Repo` methods that register, read back and verify them.
//!
//! On AWS (feature `autoscaling`) the policies are Application Auto Scaling's scalable
//! targets and target-tracking policies; on [`MemoryBackend`](crate::MemoryBackend) a
//! simulation of target tracking on the backend's clock (documented in
//! `memory/autoscaling.rs`).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use notes_model::{Index, IndexKind, Item};

use crate::repo::Repo;
use notes_core::Backend;
use notes_core::request::{
    Capacity, DescribeScalingPolicies, ScalableTarget, ScalingPolicy, TableDescription,
};
use notes_core::{Error, Result};

/// A target-tracking auto scaling policy for the read or write capacity of a table or a
/// global secondary index: keep utilization (consumed / provisioned units) at
/// `target_utilization` percent, with between `min` and `max` units provisioned.
///
/// Built with [`AutoScaling::new`], which checks DynamoDB's rules (`1 <= min <= max`, a
/// target between 20 and 90 percent), or [`AutoScaling::default`]: DynamoDB's default 70%
/// target, between the notes table's 5 units and the default per-table quota of 40,000.
///
/// ```
/// use notes_repo::{AutoScaling, Error};
///
/// let policy = AutoScaling::new(5, 100, 70.0)?;
/// assert_eq!((policy.min(), policy.max(), policy.target_utilization()), (5, 100, 70.0));
/// assert_eq!(AutoScaling::default(), AutoScaling::new(5, 40_000, 70.0)?);
///
/// let err = AutoScaling::new(5, 100, 95.0).unwrap_err();
/// assert!(matches!(err, Error::Validation { ref message, .. } if message.contains("target_utilization")));
/// # Ok::<(), Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AutoScaling {
    min: i64,
    max: i64,
    target_utilization: f64,
}

impl AutoScaling {
    /// The defaults: DynamoDB's default 70% target ("The default target utilization rate is
    /// 70 percent", AutoScaling.html), at least 5 units (the notes table's provisioned 5/5,
    /// as the issue's "console default settings, min 5") and at most 40,000 (DynamoDB's
    /// default per-table quota,
    /// <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html>).
    ///
    /// ```
    /// assert_eq!(notes_repo::AutoScaling::CONSOLE_DEFAULT.target_utilization(), 70.0);
    /// ```
    pub const CONSOLE_DEFAULT: AutoScaling = AutoScaling {
        min: 5,
        max: 40_000,
        target_utilization: 70.0,
    };

    /// A policy keeping utilization at `target_utilization` percent with `min..=max` units, or
    /// [`Error::Validation`] naming the field at fault: `min` below 1, `max` below `min`, or a
    /// target outside 20..=90 percent.
    ///
    /// See [`AutoScaling`] for an example.
    pub fn new(min: i64, max: i64, target_utilization: f64) -> Result<Self> {
        notes_core::validate::scaling_policy(min, max, target_utilization)?;
        Ok(AutoScaling {
            min,
            max,
            target_utilization,
        })
    }

    /// The fewest units auto scaling provisions (Application Auto Scaling's `MinCapacity`).
    ///
    /// See [`AutoScaling`] for an example.
    pub fn min(&self) -> i64 {
        self.min
    }

    /// The most units auto scaling provisions (`MaxCapacity`).
    ///
    /// See [`AutoScaling`] for an example.
    pub fn max(&self) -> i64 {
        self.max
    }

    /// The utilization to keep, in percent (`TargetValue`).
    ///
    /// See [`AutoScaling`] for an example.
    pub fn target_utilization(&self) -> f64 {
        self.target_utilization
    }
}

impl Default for AutoScaling {
    /// [`AutoScaling::CONSOLE_DEFAULT`].
    fn default() -> Self {
        AutoScaling::CONSOLE_DEFAULT
    }
}

impl fmt::Display for AutoScaling {
    /// `min 5, max 40000, target 70%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "min {}, max {}, target {}%",
            self.min, self.max, self.target_utilization
        )
    }
}

/// Read and write policies of one table or index.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Pair {
    read: Option<AutoScaling>,
    write: Option<AutoScaling>,
}

impl Pair {
    fn get(&self, capacity: Capacity) -> Option<AutoScaling> {
        match capacity {
            Capacity::Read => self.read,
            Capacity::Write => self.write,
        }
    }

    fn set(&mut self, capacity: Capacity, policy: AutoScaling) {
        match capacity {
            Capacity::Read => self.read = Some(policy),
            Capacity::Write => self.write = Some(policy),
        }
    }

    fn is_empty(&self) -> bool {
        self.read.is_none() && self.write.is_none()
    }
}

/// The auto scaling of a table of `T`: a policy (or none) for the reads and the writes of the
/// table and of each of its global secondary indexes, named by their typed handles.
///
/// ```
/// use notes_repo::{AutoScaling, Capacity, Item, TableScaling};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize, Item)]
/// #[item(table = "tasks", global_index(name = "byStatus", partition_key = "status"))]
/// struct Task {
///     #[partition_key] id: String,
///     status: String,
/// }
///
/// // The console's "apply the same settings to global secondary indexes":
/// let all = TableScaling::<Task>::all(AutoScaling::default());
/// assert_eq!(all.get(Some("byStatus"), Capacity::Write), Some(AutoScaling::default()));
///
/// // Or target by target:
/// let writes = TableScaling::<Task>::new()
///     .write(AutoScaling::new(5, 100, 70.0)?)
///     .index_read(&Task::BY_STATUS, AutoScaling::new(1, 20, 50.0)?);
/// assert_eq!(writes.get(None, Capacity::Read), None);
/// # Ok::<(), notes_repo::Error>(())
/// ```
pub struct TableScaling<T> {
    table: Pair,
    indexes: BTreeMap<String, Pair>,
    /// Indexes named that are local (no capacity of their own): refused when registering.
    local: Vec<String>,
    item: PhantomData<fn() -> T>,
}

impl<T> Clone for TableScaling<T> {
    fn clone(&self) -> Self {
        TableScaling {
            table: self.table,
            indexes: self.indexes.clone(),
            local: self.local.clone(),
            item: PhantomData,
        }
    }
}

impl<T> fmt::Debug for TableScaling<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TableScaling")
            .field("table", &self.table)
            .field("indexes", &self.indexes)
            .finish()
    }
}

impl<T> PartialEq for TableScaling<T> {
    fn eq(&self, other: &Self) -> bool {
        self.table == other.table && self.indexes == other.indexes && self.local == other.local
    }
}

impl<T> Default for TableScaling<T> {
    fn default() -> Self {
        TableScaling {
            table: Pair::default(),
            indexes: BTreeMap::new(),
            local: Vec::new(),
            item: PhantomData,
        }
    }
}

impl<T: Item> TableScaling<T> {
    /// No auto scaling anywhere (then add targets with the setters).
    ///
    /// See [`TableScaling`] for an example.
    pub fn new() -> Self {
        TableScaling::default()
    }

    /// `policy` for the reads and writes of the table and of every global secondary index
    /// of `T`.
    ///
    /// See [`TableScaling`] for an example.
    pub fn all(policy: AutoScaling) -> Self {
        let both = Pair {
            read: Some(policy),
            write: Some(policy),
        };
        let indexes = T::INDEXES
            .iter()
            .filter(|index| index.kind == IndexKind::Global)
            .map(|index| (index.name.to_string(), both))
            .collect();
        TableScaling {
            table: both,
            indexes,
            ..TableScaling::default()
        }
    }

    /// Scales the table's reads with `policy`.
    ///
    /// See [`TableScaling`] for an example.
    pub fn read(mut self, policy: AutoScaling) -> Self {
        self.table.read = Some(policy);
        self
    }

    /// Scales the table's writes with `policy`.
    ///
    /// See [`TableScaling`] for an example.
    pub fn write(mut self, policy: AutoScaling) -> Self {
        self.table.write = Some(policy);
        self
    }

    /// Scales the reads of the global secondary index `index` with `policy`.
    ///
    /// See [`TableScaling`] for an example.
    pub fn index_read<PK, SK>(self, index: &Index<T, PK, SK>, policy: AutoScaling) -> Self {
        self.index(index, Capacity::Read, policy)
    }

    /// Scales the writes of the global secondary index `index` with `policy`.
    ///
    /// See [`TableScaling`] for an example.
    pub fn index_write<PK, SK>(self, index: &Index<T, PK, SK>, policy: AutoScaling) -> Self {
        self.index(index, Capacity::Write, policy)
    }

    fn index<PK, SK>(
        mut self,
        index: &Index<T, PK, SK>,
        capacity: Capacity,
        policy: AutoScaling,
    ) -> Self {
        if index.schema().kind == IndexKind::Local {
            self.local.push(index.name().to_owned());
        } else {
            self.indexes
                .entry(index.name().to_owned())
                .or_default()
                .set(capacity, policy);
        }
        self
    }
}

impl<T> TableScaling<T> {
    /// The policy on the reads or writes of the table (`index: None`) or of a global index.
    ///
    /// See [`TableScaling`] for an example.
    pub fn get(&self, index: Option<&str>, capacity: Capacity) -> Option<AutoScaling> {
        match index {
            None => self.table.get(capacity),
            Some(name) => self.indexes.get(name)?.get(capacity),
        }
    }

    /// Whether no target is scaled.
    ///
    /// ```
    /// assert!(notes_repo::TableScaling::<notes_repo::Note>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.table.is_empty() && self.indexes.values().all(Pair::is_empty)
    }

    /// The raw policies for the table `table_name`, in [`ScalableTarget`] order.
    ///
    /// ```
    /// use notes_repo::{AutoScaling, Note, TableScaling};
    /// let policies = TableScaling::<Note>::all(AutoScaling::default()).policies("notes");
    /// assert_eq!(policies[1].target.policy_name(), "DynamoDBWriteCapacityUtilization:table/notes");
    /// ```
    pub fn policies(&self, table_name: &str) -> Vec<ScalingPolicy> {
        let table = [(None, &self.table)];
        let indexes = self.indexes.iter().map(|(name, pair)| (Some(name), pair));
        let mut policies = Vec::new();
        for (index, pair) in table.into_iter().chain(indexes) {
            for capacity in [Capacity::Read, Capacity::Write] {
                if let Some(policy) = pair.get(capacity) {
                    let target = match index {
                        None => ScalableTarget::table(table_name, capacity),
                        Some(index) => ScalableTarget::index(table_name, index.clone(), capacity),
                    };
                    policies.push(ScalingPolicy::new(
                        target,
                        policy.min,
                        policy.max,
                        policy.target_utilization,
                    ));
                }
            }
        }
        policies
    }

    /// The typed form of raw policies (those of other tables are ignored).
    fn from_policies(table_name: &str, policies: Vec<ScalingPolicy>) -> Self {
        let mut scaling = TableScaling::default();
        for policy in policies {
            if policy.target.table_name != table_name {
                continue;
            }
            let typed = AutoScaling {
                min: policy.min_capacity,
                max: policy.max_capacity,
                target_utilization: policy.target_value,
            };
            let pair = match policy.target.index_name {
                None => &mut scaling.table,
                Some(index) => scaling.indexes.entry(index).or_default(),
            };
            pair.set(policy.target.capacity, typed);
        }
        scaling
    }

    /// Each target whose policy differs between `self` (expected) and `found`.
    fn differences(&self, found: &Self) -> Vec<String> {
        let mut names: Vec<Option<&str>> = vec![None];
        names.extend(
            self.indexes
                .keys()
                .chain(found.indexes.keys())
                .map(|n| Some(n.as_str())),
        );
        names.dedup();
        names.sort_unstable();
        names.dedup();
        let show =
            |policy: Option<AutoScaling>| policy.map_or("none".to_owned(), |p| p.to_string());
        let mut differences = Vec::new();
        for index in names {
            for (capacity, what) in [(Capacity::Read, "read"), (Capacity::Write, "write")] {
                let (expected, registered) =
                    (self.get(index, capacity), found.get(index, capacity));
                if expected != registered {
                    let of = index.map_or("the table".to_owned(), |name| format!("index `{name}`"));
                    differences.push(format!(
                        "{what} of {of}: expected {}; registered {}",
                        show(expected),
                        show(registered)
                    ));
                }
            }
        }
        differences
    }
}

impl<T: Item, B: Backend> Repo<T, B> {
    /// Makes the table's registered auto scaling exactly `scaling`: registers each policy that
    /// is new or changed, removes the ones `scaling` no longer names, and returns what is
    /// registered. Idempotent: nothing is sent when the policies are already these.
    ///
    /// The table must be provisioned, and each index a global one of the table
    /// ([`Error::Validation`] otherwise, before anything is sent). On AWS this needs the
    /// `autoscaling` feature and a [`DynamoDbBackend`](crate::DynamoDbBackend) with an
    /// Application Auto Scaling client; MemoryBackend simulates target tracking on its clock.
    ///
    /// ```
    /// use notes_repo::{AutoScaling, MemoryBackend, Note, Repo, TableScaling, request::BillingMode};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.ensure_table(BillingMode::Provisioned { read_capacity_units: 5, write_capacity_units: 5 })
    ///     .await?;
    /// let scaling = TableScaling::all(AutoScaling::default());
    /// assert_eq!(repo.set_auto_scaling(&scaling).await?, scaling);
    /// assert_eq!(repo.auto_scaling().await?, scaling);
    /// # Ok(()) }
    /// ```
    pub async fn set_auto_scaling(&self, scaling: &TableScaling<T>) -> Result<TableScaling<T>> {
        if let Some(local) = scaling.local.first() {
            return Err(Error::validation(format!(
                "index `{local}` of table `{}` is a local secondary index: it shares the \
                 table's capacity, so only the table's can be scaled",
                self.table_name()
            )));
        }
        let table = self.describe_table().await?;
        check_scalable(&table, scaling)?;
        let backend = self.traced();
        let registered = backend
            .describe_scaling_policies(DescribeScalingPolicies::new(self.table_name()))
            .await?;
        let wanted = scaling.policies(self.table_name());
        for policy in &wanted {
            if !registered.contains(policy) {
                backend.put_scaling_policy(policy.clone()).await?;
            }
        }
        for policy in registered {
            if !wanted.iter().any(|w| w.target == policy.target) {
                backend.delete_scaling_policy(policy.target).await?;
            }
        }
        self.auto_scaling().await
    }

    /// The auto scaling registered for the table and its global indexes.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: notes_repo::Repo<notes_repo::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// assert!(repo.auto_scaling().await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn auto_scaling(&self) -> Result<TableScaling<T>> {
        let policies = self
            .traced()
            .describe_scaling_policies(DescribeScalingPolicies::new(self.table_name()))
            .await?;
        Ok(TableScaling::from_policies(self.table_name(), policies))
    }

    /// The start-up check of auto scaling ([`EnsureTableBuilder::auto_scaling`]): registers
    /// `scaling` when the table has none, and otherwise verifies that what is registered is
    /// `scaling`, or [`Error::AutoScalingMismatch`] naming each difference.
    ///
    /// [`EnsureTableBuilder::auto_scaling`]: crate::EnsureTableBuilder::auto_scaling
    pub(crate) async fn ensure_auto_scaling(&self, scaling: &TableScaling<T>) -> Result<()> {
        let registered = self.auto_scaling().await?;
        if registered.is_empty() {
            if !scaling.is_empty() {
                self.set_auto_scaling(scaling).await?;
            }
            return Ok(());
        }
        let differences = scaling.differences(&registered);
        if !differences.is_empty() {
            return Err(Error::AutoScalingMismatch {
                table: self.table_name().to_owned(),
                differences,
            });
        }
        Ok(())
    }
}

/// Refuses, before any change is sent, auto scaling of an on-demand table or of an index that
/// is not a global index of the live table.
fn check_scalable<T>(table: &TableDescription, scaling: &TableScaling<T>) -> Result<()> {
    if scaling.is_empty() {
        return Ok(());
    }
    if table.provisioned_throughput().is_none() {
        return Err(Error::validation(format!(
            "auto scaling needs provisioned capacity: table `{}` is billed on demand \
             (PAY_PER_REQUEST); switch it with set_billing_mode first",
            table.table_name
        )));
    }
    for (name, pair) in &scaling.indexes {
        if !pair.is_empty() && !table.index_throughput.contains_key(name) {
            return Err(Error::validation(format!(
                "table `{}` has no global secondary index `{name}`",
                table.table_name
            )));
        }
    }
    Ok(())
}
