//! Table administration: `CreateTable`, `DescribeTable`, `DeleteTable`, `UpdateTable`,
//! `UpdateTimeToLive`, and how a table is billed and described.

use std::collections::BTreeMap;

use notes_model::{IndexSchema, KeySchema};

use super::setters::setters;
use super::status::TableStatus;
use super::streams::{StreamSpecification, StreamViewType, TableStream};
use super::throughput::{OnDemandThroughput, WarmThroughput, WarmThroughputDescription};

/// How a table is billed.
///
/// ```
/// use notes_repo::request::BillingMode;
///
/// let notes_table = BillingMode::Provisioned { read_capacity_units: 5, write_capacity_units: 5 };
/// assert_ne!(notes_table, BillingMode::default()); // the default is on demand
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BillingMode {
    /// On demand (`PAY_PER_REQUEST`).
    #[default]
    PayPerRequest,
    /// Provisioned capacity units.
    Provisioned {
        /// Read capacity units.
        read_capacity_units: i64,
        /// Write capacity units.
        write_capacity_units: i64,
    },
}

impl BillingMode {
    /// The provisioned units, `None` on demand.
    ///
    /// ```
    /// use notes_repo::request::{BillingMode, ProvisionedThroughput};
    /// let five = BillingMode::Provisioned { read_capacity_units: 5, write_capacity_units: 5 };
    /// assert_eq!(five.provisioned_throughput(), Some(ProvisionedThroughput::new(5, 5)));
    /// assert_eq!(BillingMode::PayPerRequest.provisioned_throughput(), None);
    /// ```
    pub fn provisioned_throughput(self) -> Option<ProvisionedThroughput> {
        match self {
            BillingMode::Provisioned {
                read_capacity_units,
                write_capacity_units,
            } => Some(ProvisionedThroughput::new(
                read_capacity_units,
                write_capacity_units,
            )),
            BillingMode::PayPerRequest => None,
        }
    }
}

/// `CreateTable`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let table = backend.describe_table(DescribeTable::new("notes")).await?;
/// assert_eq!(table.status, TableStatus::Active);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CreateTable {
    /// The table name.
    pub table_name: String,
    /// The primary key.
    pub key_schema: KeySchema,
    /// On demand or provisioned (global indexes get the table's provisioned capacity).
    pub billing_mode: BillingMode,
    /// Global and local secondary indexes, created with the table.
    pub indexes: Vec<IndexSchema>,
    /// The table's stream and what its records carry (`StreamSpecification`; `None`: no
    /// stream).
    pub stream_view_type: Option<StreamViewType>,
    /// The table's on-demand maximums (`OnDemandThroughput`; an on-demand table only).
    pub on_demand_throughput: Option<OnDemandThroughput>,
    /// Each global index's on-demand maximums, by index name (the index's
    /// `OnDemandThroughput`).
    pub index_on_demand_throughput: BTreeMap<String, OnDemandThroughput>,
    /// The table's warm throughput (`WarmThroughput`; `None`: the default, see
    /// [`WarmThroughput`]).
    pub warm_throughput: Option<WarmThroughput>,
    /// Each global index's warm throughput, by index name.
    pub index_warm_throughput: BTreeMap<String, WarmThroughput>,
}

impl CreateTable {
    /// A `CreateTable` of an on-demand table without secondary indexes.
    ///
    /// ```
    /// use notes_repo::{Item, Note, request::{BillingMode, CreateTable}};
    /// let create = CreateTable::new("notes", Note::KEY_SCHEMA)
    ///     .billing_mode(BillingMode::Provisioned { read_capacity_units: 5, write_capacity_units: 5 });
    /// assert!(create.indexes.is_empty());
    /// ```
    pub fn new(table_name: impl Into<String>, key_schema: KeySchema) -> Self {
        CreateTable {
            table_name: table_name.into(),
            key_schema,
            billing_mode: BillingMode::default(),
            indexes: Vec::new(),
            stream_view_type: None,
            on_demand_throughput: None,
            index_on_demand_throughput: BTreeMap::new(),
            warm_throughput: None,
            index_warm_throughput: BTreeMap::new(),
        }
    }

    /// Sets the on-demand maximums of the global index `index_name` (one of
    /// [`indexes`](Self::indexes)).
    ///
    /// ```
    /// use notes_repo::{Item, Note, request::{CreateTable, OnDemandThroughput}};
    /// let create = CreateTable::new("notes", Note::KEY_SCHEMA)
    ///     .on_demand_throughput(OnDemandThroughput::new().max_write_request_units(100))
    ///     .index_on_demand_throughput("byStatus", OnDemandThroughput::new().max_read_request_units(50));
    /// assert_eq!(create.index_on_demand_throughput.len(), 1);
    /// ```
    pub fn index_on_demand_throughput(
        mut self,
        index_name: impl Into<String>,
        maximums: OnDemandThroughput,
    ) -> Self {
        self.index_on_demand_throughput
            .insert(index_name.into(), maximums);
        self
    }

    /// Sets the warm throughput of the global index `index_name` (one of
    /// [`indexes`](Self::indexes)).
    ///
    /// ```
    /// use notes_repo::{Item, Note, request::{CreateTable, WarmThroughput}};
    /// let create = CreateTable::new("notes", Note::KEY_SCHEMA)
    ///     .warm_throughput(WarmThroughput::new(30_000, 10_000))
    ///     .index_warm_throughput("byStatus", WarmThroughput::new(15_000, 5_000));
    /// assert_eq!(create.warm_throughput, Some(WarmThroughput::new(30_000, 10_000)));
    /// ```
    pub fn index_warm_throughput(
        mut self,
        index_name: impl Into<String>,
        warm: WarmThroughput,
    ) -> Self {
        self.index_warm_throughput.insert(index_name.into(), warm);
        self
    }
}
setters!(CreateTable {
    billing_mode: value BillingMode,
    indexes: value Vec<IndexSchema>,
    stream_view_type: some StreamViewType,
    on_demand_throughput: some OnDemandThroughput,
    warm_throughput: some WarmThroughput,
});

/// `DescribeTable`: a table's key schema, status, billing mode, indexes and stream.
///
/// ```
/// # use notes_model::{Item, Note};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// let table = backend.describe_table(DescribeTable::new("notes")).await?;
/// assert_eq!(table.status, TableStatus::Active);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DescribeTable {
    /// The table.
    pub table_name: String,
}

impl DescribeTable {
    /// A `DescribeTable` of `table_name`.
    ///
    /// See [`DescribeTable`] for an example.
    pub fn new(table_name: impl Into<String>) -> Self {
        DescribeTable {
            table_name: table_name.into(),
        }
    }
}

/// `DeleteTable`: deletes a table and its items; answers the table as it was, `DELETING`.
///
/// ```
/// # use notes_model::{Item, Note};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// let deleted = backend.delete_table(DeleteTable::new("notes")).await?;
/// assert_eq!(deleted.status, TableStatus::Deleting);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeleteTable {
    /// The table.
    pub table_name: String,
}

impl DeleteTable {
    /// A `DeleteTable` of `table_name`.
    ///
    /// See [`DeleteTable`] for an example.
    pub fn new(table_name: impl Into<String>) -> Self {
        DeleteTable {
            table_name: table_name.into(),
        }
    }
}

/// What `CreateTable`, `DescribeTable` and `DeleteTable` say about a table.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let table = backend.describe_table(DescribeTable::new("notes")).await?;
/// assert_eq!((table.table_name.as_str(), table.key_schema), ("notes", Note::KEY_SCHEMA));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TableDescription {
    /// The table name.
    pub table_name: String,
    /// The primary key.
    pub key_schema: KeySchema,
    /// The table's status.
    pub status: TableStatus,
    /// How the table is billed, when the service says.
    pub billing_mode: Option<BillingMode>,
    /// The approximate item count, when the service says.
    pub item_count: Option<i64>,
    /// The table's global and local secondary indexes.
    pub indexes: Vec<IndexSchema>,
    /// The provisioned throughput of each global secondary index, by index name (empty for an
    /// on-demand table).
    pub index_throughput: BTreeMap<String, ProvisionedThroughput>,
    /// The table's stream, when it has one enabled (`StreamSpecification` and
    /// `LatestStreamArn`).
    pub stream: Option<TableStream>,
    /// The table's on-demand maximums, when it has any (`OnDemandThroughput`; a member
    /// `None`: no maximum, as DynamoDB's `-1`).
    pub on_demand_throughput: Option<OnDemandThroughput>,
    /// The on-demand maximums of each global index that has any, by index name.
    pub index_on_demand_throughput: BTreeMap<String, OnDemandThroughput>,
    /// The table's warm throughput, when the service says (`WarmThroughput`).
    pub warm_throughput: Option<WarmThroughputDescription>,
    /// Each global index's warm throughput, by index name, when the service says.
    pub index_warm_throughput: BTreeMap<String, WarmThroughputDescription>,
}

impl TableDescription {
    /// A table's description: name, key schema and status; the rest unknown.
    ///
    /// ```
    /// use notes_repo::{Item, Note, request::{TableDescription, TableStatus}};
    /// let table = TableDescription::new("notes", Note::KEY_SCHEMA, TableStatus::Active).item_count(3);
    /// assert_eq!(table.item_count, Some(3));
    /// ```
    pub fn new(table_name: impl Into<String>, key_schema: KeySchema, status: TableStatus) -> Self {
        TableDescription {
            table_name: table_name.into(),
            key_schema,
            status,
            billing_mode: None,
            item_count: None,
            indexes: Vec::new(),
            index_throughput: BTreeMap::new(),
            stream: None,
            on_demand_throughput: None,
            index_on_demand_throughput: BTreeMap::new(),
            warm_throughput: None,
            index_warm_throughput: BTreeMap::new(),
        }
    }

    /// The table's provisioned throughput; `None` on demand or when the service does not say.
    ///
    /// ```
    /// use notes_repo::{Item, Note, request::*};
    /// let table = TableDescription::new("notes", Note::KEY_SCHEMA, TableStatus::Active)
    ///     .billing_mode(BillingMode::Provisioned { read_capacity_units: 5, write_capacity_units: 5 });
    /// assert_eq!(table.provisioned_throughput(), Some(ProvisionedThroughput::new(5, 5)));
    /// ```
    pub fn provisioned_throughput(&self) -> Option<ProvisionedThroughput> {
        self.billing_mode?.provisioned_throughput()
    }
}
setters!(TableDescription {
    billing_mode: some BillingMode,
    item_count: some i64,
    indexes: value Vec<IndexSchema>,
    index_throughput: value BTreeMap<String, ProvisionedThroughput>,
    stream: some TableStream,
    on_demand_throughput: some OnDemandThroughput,
    index_on_demand_throughput: value BTreeMap<String, OnDemandThroughput>,
    warm_throughput: some WarmThroughputDescription,
    index_warm_throughput: value BTreeMap<String, WarmThroughputDescription>,
});

/// The read and write capacity units provisioned for a table or a global secondary index.
///
/// ```
/// use notes_repo::request::ProvisionedThroughput;
/// let notes_table = ProvisionedThroughput::new(5, 5);
/// assert_eq!(notes_table.read_capacity_units, 5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ProvisionedThroughput {
    /// Read capacity units: strongly consistent reads of up to 4 KB per second.
    pub read_capacity_units: i64,
    /// Write capacity units: writes of up to 1 KB per second.
    pub write_capacity_units: i64,
}

impl ProvisionedThroughput {
    /// `read` RCUs and `write` WCUs.
    ///
    /// See [`ProvisionedThroughput`] for an example.
    pub fn new(read_capacity_units: i64, write_capacity_units: i64) -> Self {
        ProvisionedThroughput {
            read_capacity_units,
            write_capacity_units,
        }
    }
}

/// `UpdateTable`: changes a table's billing mode, its provisioned throughput, the
/// provisioned throughput of its global secondary indexes, or enables or disables its stream
/// ([`StreamSpecification`](StreamSpecification)).
///
/// DynamoDB limits these changes: capacity units are at least 1, a table switches from
/// provisioned to on demand at most 4 times in a rolling 24 hours, and a table or index
/// decreases its throughput at most 4 times a UTC day, then once an hour
/// ([`Error::LimitExceeded`](crate::Error::LimitExceeded)).
///
/// ```
/// # use notes_model::{Item, Note};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let backend = MemoryBackend::new();
/// backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// let to_provisioned = UpdateTable::new("notes").billing_mode(BillingMode::Provisioned {
///     read_capacity_units: 5,
///     write_capacity_units: 5,
/// });
/// backend.update_table(to_provisioned).await?;
/// let table = backend.describe_table(DescribeTable::new("notes")).await?;
/// assert_eq!(table.provisioned_throughput(), Some(ProvisionedThroughput::new(5, 5)));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct UpdateTable {
    /// The table name.
    pub table_name: String,
    /// The new billing mode: on demand, or provisioned with the table's new units (`None`:
    /// unchanged).
    pub billing_mode: Option<BillingMode>,
    /// New provisioned throughput for global secondary indexes, by index name.
    pub index_throughput: BTreeMap<String, ProvisionedThroughput>,
    /// Enables or disables the table's stream (`StreamSpecification`; `None`: unchanged).
    pub stream_specification: Option<StreamSpecification>,
    /// New on-demand maximums of the table (`OnDemandThroughput`; [`OnDemandThroughput::REMOVE`]
    /// removes one; `None`: unchanged).
    pub on_demand_throughput: Option<OnDemandThroughput>,
    /// New on-demand maximums of global secondary indexes, by index name.
    pub index_on_demand_throughput: BTreeMap<String, OnDemandThroughput>,
    /// New warm throughput of the table (`WarmThroughput`; `None`: unchanged).
    pub warm_throughput: Option<WarmThroughput>,
    /// New warm throughput of global secondary indexes, by index name.
    pub index_warm_throughput: BTreeMap<String, WarmThroughput>,
}

impl UpdateTable {
    /// An `UpdateTable` of `table_name` that changes nothing yet.
    ///
    /// ```
    /// use notes_repo::request::{ProvisionedThroughput, UpdateTable};
    /// let update = UpdateTable::new("notes")
    ///     .index_throughput("byCreatedAt", ProvisionedThroughput::new(10, 5));
    /// assert_eq!(update.index_throughput.len(), 1);
    /// ```
    pub fn new(table_name: impl Into<String>) -> Self {
        UpdateTable {
            table_name: table_name.into(),
            ..UpdateTable::default()
        }
    }

    /// Sets the new provisioned throughput of the global secondary index `index_name`.
    ///
    /// See [`UpdateTable::new`] for an example.
    pub fn index_throughput(
        mut self,
        index_name: impl Into<String>,
        throughput: ProvisionedThroughput,
    ) -> Self {
        self.index_throughput.insert(index_name.into(), throughput);
        self
    }

    /// The global secondary indexes the update changes (their provisioned throughput, on-demand
    /// maximums or warm throughput), by name: one `GlobalSecondaryIndexUpdates` entry each, in
    /// this order.
    ///
    /// ```
    /// use notes_repo::request::{ProvisionedThroughput, UpdateTable, WarmThroughput};
    /// let update = UpdateTable::new("notes")
    ///     .index_warm_throughput("byTag", WarmThroughput::new(20_000, 5_000))
    ///     .index_throughput("byStatus", ProvisionedThroughput::new(5, 5))
    ///     .index_warm_throughput("byStatus", WarmThroughput::new(20_000, 5_000));
    /// assert_eq!(update.updated_indexes(), ["byStatus", "byTag"]);
    /// ```
    pub fn updated_indexes(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .index_throughput
            .keys()
            .chain(self.index_on_demand_throughput.keys())
            .chain(self.index_warm_throughput.keys())
            .map(String::as_str)
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// Sets the new on-demand maximums of the global secondary index `index_name`.
    ///
    /// ```
    /// use notes_repo::request::{OnDemandThroughput, UpdateTable};
    /// let update = UpdateTable::new("notes")
    ///     .on_demand_throughput(OnDemandThroughput::new().max_read_request_units(OnDemandThroughput::REMOVE))
    ///     .index_on_demand_throughput("byStatus", OnDemandThroughput::new().max_write_request_units(10));
    /// assert_eq!(update.index_on_demand_throughput["byStatus"].max_write_request_units, Some(10));
    /// ```
    pub fn index_on_demand_throughput(
        mut self,
        index_name: impl Into<String>,
        maximums: OnDemandThroughput,
    ) -> Self {
        self.index_on_demand_throughput
            .insert(index_name.into(), maximums);
        self
    }

    /// Sets the new warm throughput of the global secondary index `index_name`.
    ///
    /// ```
    /// use notes_repo::request::{UpdateTable, WarmThroughput};
    /// let update = UpdateTable::new("notes")
    ///     .warm_throughput(WarmThroughput::new(50_000, 20_000))
    ///     .index_warm_throughput("byStatus", WarmThroughput::default().read_units_per_second(20_000));
    /// assert_eq!(update.index_warm_throughput.len(), 1);
    /// ```
    pub fn index_warm_throughput(
        mut self,
        index_name: impl Into<String>,
        warm: WarmThroughput,
    ) -> Self {
        self.index_warm_throughput.insert(index_name.into(), warm);
        self
    }
}
setters!(UpdateTable {
    billing_mode: some BillingMode,
    stream_specification: some StreamSpecification,
    on_demand_throughput: some OnDemandThroughput,
    warm_throughput: some WarmThroughput,
});

/// `UpdateTimeToLive`: turns expiry by the epoch-seconds attribute `attribute_name` on or off
/// (DynamoDB's `TimeToLiveSpecification`).
///
/// ```
/// # use notes_model::{Item, Note};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// backend.update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true)).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UpdateTimeToLive {
    /// The table.
    pub table_name: String,
    /// The attribute holding each item's expiry time, in epoch seconds.
    pub attribute_name: String,
    /// Whether items expire by it.
    pub enabled: bool,
}

impl UpdateTimeToLive {
    /// Turns expiry by `attribute_name` on (`enabled`) or off for `table_name`.
    ///
    /// See [`UpdateTimeToLive`] for an example.
    pub fn new(
        table_name: impl Into<String>,
        attribute_name: impl Into<String>,
        enabled: bool,
    ) -> Self {
        UpdateTimeToLive {
            table_name: table_name.into(),
            attribute_name: attribute_name.into(),
            enabled,
        }
    }
}
