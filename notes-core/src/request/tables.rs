//! Table administration: `CreateTable`, `DescribeTable`, `DeleteTable`, `UpdateTable`,
//! `UpdateTimeToLive`, and how a table is billed and described.

use std::collections::BTreeMap;

use notes_model::{IndexSchema, KeySchema};

use super::setters::setters;
use super::streams::{StreamSpecification, StreamViewType, TableStream};

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
        }
    }
}
setters!(CreateTable {
    billing_mode: value BillingMode,
    indexes: value Vec<IndexSchema>,
    stream_view_type: some StreamViewType,
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

/// A table's status.
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
/// assert_eq!(backend.describe_table(DescribeTable::new("notes")).await?.status, TableStatus::Active);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableStatus {
    /// Being created.
    Creating,
    /// Ready for reads and writes.
    Active,
    /// Being updated.
    Updating,
    /// Being deleted.
    Deleting,
    /// Any other status the service reports.
    Other(String),
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
}
setters!(UpdateTable {
    billing_mode: some BillingMode,
    stream_specification: some StreamSpecification,
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
