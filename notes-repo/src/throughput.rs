//! What a repository's table may serve at most on demand, and what it serves at once:
//! [`Repo::set_on_demand_maximum`] and [`Repo::prewarm`], for the table and for each of its
//! global indexes. (At creation: [`EnsureTableBuilder`](crate::EnsureTableBuilder)'s
//! options.)

use notes_model::{Index, Item};

use crate::repo::Repo;
use crate::table::DEFAULT_ACTIVE_TIMEOUT;
use notes_core::request::{OnDemandThroughput, TableDescription, UpdateTable, WarmThroughput};
use notes_core::{Backend, Result};

impl<T: Item, B: Backend> Repo<T, B> {
    /// Sets the on-demand table's maximums (`OnDemandThroughput`): reads and writes past them
    /// are throttled ([`Error::Throttled`](crate::Error::Throttled) with a
    /// `TableReadMaxOnDemandThroughputExceeded` or `TableWriteMaxOnDemandThroughputExceeded`
    /// reason), a bound on cost or on what reaches the systems downstream. A member left
    /// `None` is unchanged; [`OnDemandThroughput::REMOVE`] removes one. Waits until the table
    /// is active again; idempotent: nothing is sent when the table already has them.
    ///
    /// ```
    /// use notes_repo::{MemoryBackend, Note, Repo, request::OnDemandThroughput};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let at_most = OnDemandThroughput::new().max_read_request_units(500).max_write_request_units(100);
    /// let table = repo.set_on_demand_maximum(at_most).await?;
    /// assert_eq!(table.on_demand_throughput, Some(at_most));
    /// let unbounded_reads = OnDemandThroughput::new().max_read_request_units(OnDemandThroughput::REMOVE);
    /// let table = repo.set_on_demand_maximum(unbounded_reads).await?;
    /// assert_eq!(table.on_demand_throughput, Some(OnDemandThroughput::new().max_write_request_units(100)));
    /// # Ok(()) }
    /// ```
    pub async fn set_on_demand_maximum(
        &self,
        maximum: OnDemandThroughput,
    ) -> Result<TableDescription> {
        let table = self.describe_table().await?;
        if merged(table.on_demand_throughput, maximum) == table.on_demand_throughput {
            return Ok(table);
        }
        let update = UpdateTable::new(self.table_name()).on_demand_throughput(maximum);
        self.traced().update_table(update).await?;
        self.wait_until_active(DEFAULT_ACTIVE_TIMEOUT).await
    }

    /// Sets the maximums of one global index of the on-demand table, as
    /// [`set_on_demand_maximum`](Repo::set_on_demand_maximum) does the table's: past them,
    /// reads through the index and writes to the table are throttled with an
    /// `Index...MaxOnDemandThroughputExceeded` reason.
    ///
    /// ```
    /// use notes_repo::{Item, MemoryBackend, Repo, request::OnDemandThroughput};
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Serialize, Deserialize, Item)]
    /// #[item(table = "tasks", global_index(name = "byStatus", partition_key = "status"))]
    /// struct Task {
    ///     #[partition_key] id: String,
    ///     status: String,
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Task, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let at_most = OnDemandThroughput::new().max_read_request_units(50);
    /// let table = repo.set_index_on_demand_maximum(&Task::BY_STATUS, at_most).await?;
    /// assert_eq!(table.index_on_demand_throughput["byStatus"], at_most);
    /// # Ok(()) }
    /// ```
    pub async fn set_index_on_demand_maximum<PK, SK>(
        &self,
        index: &Index<T, PK, SK>,
        maximum: OnDemandThroughput,
    ) -> Result<TableDescription> {
        let table = self.describe_table().await?;
        let current = table.index_on_demand_throughput.get(index.name()).copied();
        if merged(current, maximum) == current {
            return Ok(table);
        }
        let update =
            UpdateTable::new(self.table_name()).index_on_demand_throughput(index.name(), maximum);
        self.traced().update_table(update).await?;
        self.wait_until_active(DEFAULT_ACTIVE_TIMEOUT).await
    }

    /// Pre-warms the table: raises its warm throughput (the reads and writes a second it
    /// serves at once, without waiting for DynamoDB to scale) to at least `warm`, e.g. before
    /// a launch. A member left `None` is unchanged, and one the table already serves is not
    /// lowered (DynamoDB never lowers a table's). Waits until the table is active again;
    /// nothing is sent when it already serves that much.
    ///
    /// A new on-demand table serves 12,000 reads and 4,000 writes a second at once, a
    /// provisioned one its capacity units.
    ///
    /// ```
    /// use notes_repo::{MemoryBackend, Note, Repo, request::WarmThroughput};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let table = repo.prewarm(WarmThroughput::new(50_000, 2_000)).await?;
    /// let warm = table.warm_throughput.unwrap();
    /// assert_eq!((warm.read_units_per_second, warm.write_units_per_second), (Some(50_000), Some(4_000)));
    /// # Ok(()) }
    /// ```
    pub async fn prewarm(&self, warm: WarmThroughput) -> Result<TableDescription> {
        let table = self.describe_table().await?;
        let current = table
            .warm_throughput
            .as_ref()
            .map(|w| (w.read_units_per_second, w.write_units_per_second));
        let Some(warm) = raised(current, warm) else {
            return Ok(table);
        };
        let update = UpdateTable::new(self.table_name()).warm_throughput(warm);
        self.traced().update_table(update).await?;
        self.wait_until_active(DEFAULT_ACTIVE_TIMEOUT).await
    }

    /// Pre-warms one global index, as [`prewarm`](Repo::prewarm) does the table.
    ///
    /// ```
    /// use notes_repo::{Item, MemoryBackend, Repo, request::WarmThroughput};
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Serialize, Deserialize, Item)]
    /// #[item(table = "tasks", global_index(name = "byStatus", partition_key = "status"))]
    /// struct Task {
    ///     #[partition_key] id: String,
    ///     status: String,
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Task, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let table = repo.prewarm_index(&Task::BY_STATUS, WarmThroughput::new(30_000, 8_000)).await?;
    /// assert_eq!(table.index_warm_throughput["byStatus"].read_units_per_second, Some(30_000));
    /// # Ok(()) }
    /// ```
    pub async fn prewarm_index<PK, SK>(
        &self,
        index: &Index<T, PK, SK>,
        warm: WarmThroughput,
    ) -> Result<TableDescription> {
        let table = self.describe_table().await?;
        let current = table
            .index_warm_throughput
            .get(index.name())
            .map(|w| (w.read_units_per_second, w.write_units_per_second));
        let Some(warm) = raised(current, warm) else {
            return Ok(table);
        };
        let update = UpdateTable::new(self.table_name()).index_warm_throughput(index.name(), warm);
        self.traced().update_table(update).await?;
        self.wait_until_active(DEFAULT_ACTIVE_TIMEOUT).await
    }
}

/// The maximums `current` (as described) become with `change` applied: a member given
/// replaces it, -1 removes it; `None` when none is left.
fn merged(
    current: Option<OnDemandThroughput>,
    change: OnDemandThroughput,
) -> Option<OnDemandThroughput> {
    let mut after = current.unwrap_or_default();
    for (kept, given) in [
        (
            &mut after.max_read_request_units,
            change.max_read_request_units,
        ),
        (
            &mut after.max_write_request_units,
            change.max_write_request_units,
        ),
    ] {
        if let Some(units) = given {
            *kept = (units != OnDemandThroughput::REMOVE).then_some(units);
        }
    }
    (!after.is_empty()).then_some(after)
}

/// What to ask so that warm throughput `current` (reads, writes a second, as described) is
/// at least `wanted`: each member the larger of the two; `None` when nothing would rise.
/// Without a description, `wanted` as it is.
fn raised(
    current: Option<(Option<i64>, Option<i64>)>,
    wanted: WarmThroughput,
) -> Option<WarmThroughput> {
    let Some((read, write)) = current else {
        return (!wanted.is_empty()).then_some(wanted);
    };
    let rise = |wanted: Option<i64>, current: Option<i64>| match (wanted, current) {
        (Some(wanted), Some(current)) if wanted <= current => None,
        (wanted, _) => wanted,
    };
    let mut ask = WarmThroughput::default();
    ask.read_units_per_second = rise(wanted.read_units_per_second, read);
    ask.write_units_per_second = rise(wanted.write_units_per_second, write);
    (!ask.is_empty()).then_some(ask)
}
