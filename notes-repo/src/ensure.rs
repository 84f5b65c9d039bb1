//! The start-up check of a repository's table: [`Repo::ensure_table`], with the table's
//! stream, auto scaling, on-demand maximums and warm throughput as options.

use std::collections::BTreeMap;

use notes_model::{Index, Item};

use crate::autoscaling::TableScaling;
use crate::repo::Repo;
use crate::send::send_on_await;
use crate::table::DEFAULT_ACTIVE_TIMEOUT;
use notes_core::request::{BillingMode, OnDemandThroughput, TableDescription, WarmThroughput};
use notes_core::stream::StreamViewType;
use notes_core::{Backend, Error, Result};

/// The start-up check of a table, built by [`Repo::ensure_table`]; `.await` it (or call
/// `.send()`) for the verified table.
#[must_use = "a table check does nothing until it is awaited"]
pub struct EnsureTableBuilder<'a, T: Item, B> {
    repo: &'a Repo<T, B>,
    billing_mode: BillingMode,
    stream: Option<StreamViewType>,
    auto_scaling: Option<TableScaling<T>>,
    on_demand_maximum: Option<OnDemandThroughput>,
    index_on_demand_maximums: BTreeMap<String, OnDemandThroughput>,
    warm_throughput: Option<WarmThroughput>,
    index_warm_throughputs: BTreeMap<String, WarmThroughput>,
}

impl<T: Item, B: Backend> Repo<T, B> {
    /// Start-up check: creates the table if it is missing (with `billing_mode`, and a stream
    /// when [`stream`](EnsureTableBuilder::stream) asks for one), waits until it is active, and
    /// verifies its key schema ([`verify_table`](Repo::verify_table)). An existing table is
    /// verified, never changed: with [`stream`](EnsureTableBuilder::stream) its stream too, and
    /// with [`auto_scaling`](EnsureTableBuilder::auto_scaling) its auto scaling.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// use notes_repo::request::BillingMode;
    /// repo.ensure_table(BillingMode::PayPerRequest).await?;
    /// repo.ensure_table(BillingMode::PayPerRequest).await?; // already there: only verified
    /// # Ok(()) }
    /// ```
    pub fn ensure_table(&self, billing_mode: BillingMode) -> EnsureTableBuilder<'_, T, B> {
        EnsureTableBuilder {
            repo: self,
            billing_mode,
            stream: None,
            auto_scaling: None,
            on_demand_maximum: None,
            index_on_demand_maximums: BTreeMap::new(),
            warm_throughput: None,
            index_warm_throughputs: BTreeMap::new(),
        }
    }
}

impl<T: Item, B: Backend> EnsureTableBuilder<'_, T, B> {
    /// A table with a stream of `view_type` records: created with it, and an existing table's
    /// stream verified ([`verify_stream`](Repo::verify_stream)), not changed: a missing or
    /// different stream is [`Error::StreamMismatch`] (change it with
    /// [`enable_stream`](Repo::enable_stream) / [`disable_stream`](Repo::disable_stream)).
    ///
    /// ```
    /// use notes_repo::request::BillingMode;
    /// use notes_repo::stream::StreamViewType;
    /// use notes_repo::{Error, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// let view = StreamViewType::NewAndOldImages;
    /// repo.ensure_table(BillingMode::PayPerRequest).stream(view).await?;
    /// repo.ensure_table(BillingMode::PayPerRequest).stream(view).await?; // verified
    /// let err = repo
    ///     .ensure_table(BillingMode::PayPerRequest)
    ///     .stream(StreamViewType::KeysOnly)
    ///     .await
    ///     .unwrap_err();
    /// assert!(matches!(err, Error::StreamMismatch { actual: Some(StreamViewType::NewAndOldImages), .. }));
    /// # Ok(()) }
    /// ```
    pub fn stream(mut self, view_type: StreamViewType) -> Self {
        self.stream = Some(view_type);
        self
    }

    /// Auto scaling: registered when the table has none, and otherwise verified: what is
    /// registered must be `scaling`, or [`Error::AutoScalingMismatch`] naming each difference
    /// (change it with [`set_auto_scaling`](Repo::set_auto_scaling)).
    ///
    /// ```
    /// use notes_repo::{AutoScaling, Error, MemoryBackend, Note, Repo, TableScaling, request::BillingMode};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// let notes_table = BillingMode::Provisioned { read_capacity_units: 5, write_capacity_units: 5 };
    /// let scaling = TableScaling::all(AutoScaling::default());
    /// repo.ensure_table(notes_table).auto_scaling(scaling.clone()).await?;
    /// repo.ensure_table(notes_table).auto_scaling(scaling).await?; // verified
    /// let other = TableScaling::new().write(AutoScaling::new(5, 100, 50.0)?);
    /// let err = repo.ensure_table(notes_table).auto_scaling(other).await.unwrap_err();
    /// assert!(matches!(err, Error::AutoScalingMismatch { .. }));
    /// # Ok(()) }
    /// ```
    pub fn auto_scaling(mut self, scaling: TableScaling<T>) -> Self {
        self.auto_scaling = Some(scaling);
        self
    }

    /// An on-demand table created with these maximums (`OnDemandThroughput`: reads and
    /// writes past them are throttled). Applied when the table is created; an existing
    /// table's are not checked (change them with
    /// [`set_on_demand_maximum`](Repo::set_on_demand_maximum)).
    ///
    /// ```
    /// use notes_repo::{MemoryBackend, Note, Repo, request::{BillingMode, OnDemandThroughput}};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// let at_most = OnDemandThroughput::new().max_write_request_units(100);
    /// let table = repo.ensure_table(BillingMode::PayPerRequest).on_demand_maximum(at_most).await?;
    /// assert_eq!(table.on_demand_throughput, Some(at_most));
    /// # Ok(()) }
    /// ```
    pub fn on_demand_maximum(mut self, maximum: OnDemandThroughput) -> Self {
        self.on_demand_maximum = Some(maximum);
        self
    }

    /// A global index created with these maximums, as
    /// [`on_demand_maximum`](Self::on_demand_maximum) does the table's (changed with
    /// [`set_index_on_demand_maximum`](Repo::set_index_on_demand_maximum)).
    ///
    /// ```
    /// use notes_repo::{Item, MemoryBackend, Repo, request::{BillingMode, OnDemandThroughput}};
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
    /// let at_most = OnDemandThroughput::new().max_read_request_units(50);
    /// let table = repo
    ///     .ensure_table(BillingMode::PayPerRequest)
    ///     .index_on_demand_maximum(&Task::BY_STATUS, at_most)
    ///     .await?;
    /// assert_eq!(table.index_on_demand_throughput["byStatus"], at_most);
    /// # Ok(()) }
    /// ```
    pub fn index_on_demand_maximum<PK, SK>(
        mut self,
        index: &Index<T, PK, SK>,
        maximum: OnDemandThroughput,
    ) -> Self {
        self.index_on_demand_maximums
            .insert(index.name().to_owned(), maximum);
        self
    }

    /// A table created pre-warmed: serving `warm` reads and writes a second at once (more
    /// than a new table's 12,000 and 4,000 on demand, its units provisioned). Applied when
    /// the table is created; an existing one is pre-warmed with [`prewarm`](Repo::prewarm).
    ///
    /// ```
    /// use notes_repo::{MemoryBackend, Note, Repo, request::{BillingMode, WarmThroughput}};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// let launch = WarmThroughput::new(40_000, 10_000);
    /// let table = repo.ensure_table(BillingMode::PayPerRequest).warm_throughput(launch).await?;
    /// assert_eq!(table.warm_throughput.unwrap().read_units_per_second, Some(40_000));
    /// # Ok(()) }
    /// ```
    pub fn warm_throughput(mut self, warm: WarmThroughput) -> Self {
        self.warm_throughput = Some(warm);
        self
    }

    /// A global index created pre-warmed, as [`warm_throughput`](Self::warm_throughput) does
    /// the table (pre-warmed later with [`prewarm_index`](Repo::prewarm_index)).
    ///
    /// ```
    /// use notes_repo::{Item, MemoryBackend, Repo, request::{BillingMode, WarmThroughput}};
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
    /// let table = repo
    ///     .ensure_table(BillingMode::PayPerRequest)
    ///     .index_warm_throughput(&Task::BY_STATUS, WarmThroughput::new(20_000, 5_000))
    ///     .await?;
    /// assert_eq!(table.index_warm_throughput["byStatus"].write_units_per_second, Some(5_000));
    /// # Ok(()) }
    /// ```
    pub fn index_warm_throughput<PK, SK>(
        mut self,
        index: &Index<T, PK, SK>,
        warm: WarmThroughput,
    ) -> Self {
        self.index_warm_throughputs
            .insert(index.name().to_owned(), warm);
        self
    }

    /// Runs the check (what `.await` does) and answers with the verified table.
    ///
    /// See [`Repo::ensure_table`] for an example.
    pub async fn send(self) -> Result<TableDescription> {
        let repo = self.repo;
        match repo.describe_table().await {
            Ok(_) => {}
            Err(Error::TableNotFound { .. }) => {
                let mut create = repo.create_request(self.billing_mode)?;
                create.stream_view_type = self.stream;
                create.on_demand_throughput = self.on_demand_maximum;
                create.index_on_demand_throughput = self.index_on_demand_maximums;
                create.warm_throughput = self.warm_throughput;
                create.index_warm_throughput = self.index_warm_throughputs;
                match repo.traced().create_table(create).await {
                    // Another process created it in the meantime: verify theirs.
                    Ok(_) | Err(Error::TableAlreadyExists { .. }) => {}
                    Err(err) => return Err(err),
                }
            }
            Err(err) => return Err(err),
        }
        repo.wait_until_active(DEFAULT_ACTIVE_TIMEOUT).await?;
        let mut table = repo.verify_table().await?;
        if let Some(view_type) = self.stream {
            table = repo.verify_stream(Some(view_type)).await?;
        }
        if let Some(scaling) = &self.auto_scaling {
            repo.ensure_auto_scaling(scaling).await?;
        }
        Ok(table)
    }
}

send_on_await!(EnsureTableBuilder<'a, T, B> => TableDescription);
