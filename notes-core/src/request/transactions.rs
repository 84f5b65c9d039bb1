//! `TransactGetItems` and `TransactWriteItems`: many items, all or nothing.

use notes_model::expr::{Condition, Path, Update};
use notes_model::{ItemMap, SharedItem};

use super::setters::setters;

/// One read of a `TransactGetItems`.
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
/// let read = TransactGet::new("notes", note.key().to_key_map());
/// let output = backend.transact_get_items(TransactGetItems::new(vec![read])).await?;
/// assert_eq!(output.items, [None]);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TransactGet {
    /// The table.
    pub table_name: String,
    /// The full primary key.
    pub key: ItemMap,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
}

impl TransactGet {
    /// A read of the item with `key` in a `TransactGetItems`, all attributes.
    ///
    /// ```
    /// use notes_repo::{NoteKey, PrimaryKey, request::TransactGet};
    /// let get = TransactGet::new("notes", NoteKey::new("u1", "n1").to_key_map());
    /// assert_eq!(get.table_name, "notes");
    /// ```
    pub fn new(table_name: impl Into<String>, key: ItemMap) -> Self {
        TransactGet {
            table_name: table_name.into(),
            key,
            projection: None,
        }
    }
}
setters!(TransactGet { projection: some Vec<Path> });

/// `TransactGetItems` (up to 100 reads).
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
/// let reads = TransactGetItems::new(vec![TransactGet::new("notes", note.key().to_key_map())]);
/// assert_eq!(backend.transact_get_items(reads).await?.items.len(), 1);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct TransactGetItems {
    /// The reads.
    pub items: Vec<TransactGet>,
}

impl TransactGetItems {
    /// A `TransactGetItems` of `items`.
    ///
    /// ```
    /// use notes_repo::request::TransactGetItems;
    /// assert!(TransactGetItems::new(Vec::new()).items.is_empty());
    /// ```
    pub fn new(items: Vec<TransactGet>) -> Self {
        TransactGetItems { items }
    }
}

/// The result of `TransactGetItems`: one entry per read, in request order.
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
/// let reads = TransactGetItems::new(vec![TransactGet::new("notes", note.key().to_key_map())]);
/// let output = backend.transact_get_items(reads).await?;
/// assert_eq!(output.consumed_capacity, Some(2.0)); // transactional reads cost double
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct TransactGetItemsOutput {
    /// The items, shared with the store they were read from ([`SharedItem`]); `None` where
    /// no item has the key.
    pub items: Vec<Option<SharedItem>>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

impl TransactGetItemsOutput {
    /// The items read, one per request item (`None`: no item has that key).
    ///
    /// ```
    /// use notes_repo::request::TransactGetItemsOutput;
    /// assert_eq!(TransactGetItemsOutput::new(vec![None]).items, [None]);
    /// ```
    pub fn new(items: Vec<Option<SharedItem>>) -> Self {
        TransactGetItemsOutput {
            items,
            consumed_capacity: None,
        }
    }
}
setters!(TransactGetItemsOutput { consumed_capacity: some f64 });

/// One action of a `TransactWriteItems`.
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
/// let put = TransactWrite::Put { table_name: "notes".into(), item: note.to_item()?, condition: None };
/// backend.transact_write_items(TransactWriteItems::new(vec![put])).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum TransactWrite {
    /// Put an item.
    Put {
        /// The table.
        table_name: String,
        /// The whole item.
        item: ItemMap,
        /// The put happens only if this holds.
        condition: Option<Condition>,
    },
    /// Update an item.
    Update {
        /// The table.
        table_name: String,
        /// The full primary key.
        key: ItemMap,
        /// The update actions.
        update: Update,
        /// The update happens only if this holds.
        condition: Option<Condition>,
    },
    /// Delete an item.
    Delete {
        /// The table.
        table_name: String,
        /// The full primary key.
        key: ItemMap,
        /// The delete happens only if this holds.
        condition: Option<Condition>,
    },
    /// Check a condition on an item without writing it.
    ConditionCheck {
        /// The table.
        table_name: String,
        /// The full primary key.
        key: ItemMap,
        /// The condition that must hold.
        condition: Condition,
    },
}

impl TransactWrite {
    /// The table the action writes or checks.
    ///
    /// ```
    /// use notes_repo::request::TransactWrite;
    /// let delete = TransactWrite::Delete { table_name: "notes".into(), key: Default::default(), condition: None };
    /// assert_eq!(delete.table_name(), "notes");
    /// ```
    pub fn table_name(&self) -> &str {
        match self {
            TransactWrite::Put { table_name, .. }
            | TransactWrite::Update { table_name, .. }
            | TransactWrite::Delete { table_name, .. }
            | TransactWrite::ConditionCheck { table_name, .. } => table_name,
        }
    }
}

/// `TransactWriteItems` (up to 100 actions, all or nothing).
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
/// let items = vec![TransactWrite::Put { table_name: "notes".into(), item: note.to_item()?, condition: None }];
/// backend.transact_write_items(TransactWriteItems::new(items).client_request_token("tx-1")).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct TransactWriteItems {
    /// The actions.
    pub items: Vec<TransactWrite>,
    /// Makes the call idempotent for 10 minutes.
    pub client_request_token: Option<String>,
}

impl TransactWriteItems {
    /// A `TransactWriteItems` of `items`, without an idempotency token.
    ///
    /// ```
    /// use notes_repo::request::TransactWriteItems;
    /// let tx = TransactWriteItems::new(Vec::new()).client_request_token("tx-1");
    /// assert_eq!(tx.client_request_token.as_deref(), Some("tx-1"));
    /// ```
    pub fn new(items: Vec<TransactWrite>) -> Self {
        TransactWriteItems {
            items,
            client_request_token: None,
        }
    }
}
setters!(TransactWriteItems { client_request_token: some_into String });

/// The result of `TransactWriteItems`.
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
/// let items = vec![TransactWrite::Put { table_name: "notes".into(), item: note.to_item()?, condition: None }];
/// let output = backend.transact_write_items(TransactWriteItems::new(items)).await?;
/// assert_eq!(output.consumed_capacity, Some(2.0));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct TransactWriteItemsOutput {
    /// Write capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

impl TransactWriteItemsOutput {
    /// What `TransactWriteItems` reports.
    ///
    /// ```
    /// use notes_repo::request::TransactWriteItemsOutput;
    /// assert_eq!(TransactWriteItemsOutput::new().consumed_capacity, None);
    /// ```
    pub fn new() -> Self {
        TransactWriteItemsOutput::default()
    }
}
setters!(TransactWriteItemsOutput { consumed_capacity: some f64 });
