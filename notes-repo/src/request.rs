//! The requests and responses of the [`Backend`](crate::Backend) operations, over raw item maps.
//!
//! They mirror DynamoDB's API one to one; expressions are ASTs from [`notes_model::expr`].

use std::collections::HashMap;

use notes_model::expr::{Condition, KeyCondition, Path, Update};
use notes_model::{IndexSchema, ItemMap, KeySchema};

/// Which item image a write returns (DynamoDB's `ReturnValues`).
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let put = PutItem { table_name: "notes".into(), item: note.to_item()?, condition: None,
///     return_values: ReturnValues::AllOld };
/// assert_eq!(backend.put_item(put).await?.attributes, None); // nothing was there before
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReturnValues {
    /// Nothing.
    #[default]
    None,
    /// The whole item as it was before the write.
    AllOld,
    /// The updated attributes as they were before the update.
    UpdatedOld,
    /// The whole item as it is after the update.
    AllNew,
    /// The updated attributes as they are after the update.
    UpdatedNew,
}

/// `GetItem`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// # backend.put_item(PutItem { table_name: "notes".into(), item: note.to_item()?, condition: None, return_values: ReturnValues::None }).await?;
/// let output = backend.get_item(GetItem {
///     table_name: "notes".into(),
///     key: note.key().to_key_map(),
///     consistent_read: true,
///     projection: None,
/// }).await?;
/// assert!(output.item.is_some());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GetItem {
    /// The table.
    pub table_name: String,
    /// The full primary key.
    pub key: ItemMap,
    /// Strongly consistent read.
    pub consistent_read: bool,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
}

/// The result of `GetItem`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let output = backend.get_item(GetItem { table_name: "notes".into(),
///     key: NoteKey::new("u1", "none").to_key_map(), consistent_read: false, projection: None }).await?;
/// assert_eq!((output.item, output.consumed_capacity), (None, Some(0.5)));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetItemOutput {
    /// The item, if it exists.
    pub item: Option<ItemMap>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// `PutItem`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// use notes_model::expr::{Condition, Path};
/// let create = PutItem {
///     table_name: "notes".into(),
///     item: note.to_item()?,
///     condition: Some(Condition::NotExists(Path::attribute("userId"))),
///     return_values: ReturnValues::None,
/// };
/// backend.put_item(create.clone()).await?;
/// assert!(backend.put_item(create).await.is_err()); // the key exists now
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PutItem {
    /// The table.
    pub table_name: String,
    /// The whole item, key included.
    pub item: ItemMap,
    /// The write happens only if this holds for the existing item.
    pub condition: Option<Condition>,
    /// `None` or `AllOld`.
    pub return_values: ReturnValues,
}

/// `UpdateItem`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let output = backend.update_item(UpdateItem {
///     table_name: "notes".into(),
///     key: note.key().to_key_map(),
///     update: Note::CONTENT.set("edited").into(),
///     condition: None,
///     return_values: ReturnValues::AllNew,
/// }).await?;
/// assert!(output.attributes.unwrap().contains_key("content"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateItem {
    /// The table.
    pub table_name: String,
    /// The full primary key.
    pub key: ItemMap,
    /// The update actions.
    pub update: Update,
    /// The update happens only if this holds for the existing item.
    pub condition: Option<Condition>,
    /// Which image to return.
    pub return_values: ReturnValues,
}

/// `DeleteItem`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// # backend.put_item(PutItem { table_name: "notes".into(), item: note.to_item()?, condition: None, return_values: ReturnValues::None }).await?;
/// let output = backend.delete_item(DeleteItem {
///     table_name: "notes".into(),
///     key: note.key().to_key_map(),
///     condition: None,
///     return_values: ReturnValues::AllOld,
/// }).await?;
/// assert!(output.attributes.is_some());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteItem {
    /// The table.
    pub table_name: String,
    /// The full primary key.
    pub key: ItemMap,
    /// The delete happens only if this holds for the existing item.
    pub condition: Option<Condition>,
    /// `None` or `AllOld`.
    pub return_values: ReturnValues,
}

/// The result of `PutItem`, `UpdateItem` and `DeleteItem`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let output = backend.put_item(PutItem { table_name: "notes".into(), item: note.to_item()?,
///     condition: None, return_values: ReturnValues::None }).await?;
/// assert_eq!(output.consumed_capacity, Some(1.0)); // one write unit per KB
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WriteOutput {
    /// The image asked for with [`ReturnValues`].
    pub attributes: Option<ItemMap>,
    /// Write capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// `Query`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// use notes_model::AttributeValue;
/// use notes_model::expr::KeyCondition;
/// # backend.put_item(PutItem { table_name: "notes".into(), item: note.to_item()?, condition: None, return_values: ReturnValues::None }).await?;
/// let page = backend.query(Query {
///     table_name: "notes".into(),
///     index_name: None,
///     key_condition: KeyCondition::partition("userId", AttributeValue::S("u1".into())),
///     filter: None,
///     projection: None,
///     limit: Some(10),
///     scan_index_forward: false,
///     exclusive_start_key: None,
///     consistent_read: false,
/// }).await?;
/// assert_eq!(page.items.len(), 1);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The table.
    pub table_name: String,
    /// A secondary index to query instead of the table.
    pub index_name: Option<String>,
    /// Partition key equality and an optional sort-key condition.
    pub key_condition: KeyCondition,
    /// Applied after the key condition, before the page is returned.
    pub filter: Option<Condition>,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
    /// The most items to evaluate for this page.
    pub limit: Option<u32>,
    /// `true` for ascending sort-key order (DynamoDB's default).
    pub scan_index_forward: bool,
    /// Continue after this key (a previous page's `last_evaluated_key`).
    pub exclusive_start_key: Option<ItemMap>,
    /// Strongly consistent read.
    pub consistent_read: bool,
}

/// `Scan`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let page = backend.scan(Scan { table_name: "notes".into(), ..Scan::default() }).await?;
/// assert!(page.items.is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scan {
    /// The table.
    pub table_name: String,
    /// A secondary index to scan instead of the table.
    pub index_name: Option<String>,
    /// Applied to each item read.
    pub filter: Option<Condition>,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
    /// The most items to evaluate for this page.
    pub limit: Option<u32>,
    /// Continue after this key.
    pub exclusive_start_key: Option<ItemMap>,
    /// Strongly consistent read.
    pub consistent_read: bool,
    /// `(segment, total_segments)` for a parallel scan.
    pub segment: Option<(u32, u32)>,
}

/// One page of a `Query` or `Scan`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let page = backend.scan(Scan { table_name: "notes".into(), limit: Some(1), ..Scan::default() }).await?;
/// assert_eq!((page.items.len(), page.last_evaluated_key), (0, None));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PageOutput {
    /// The items of this page, after the filter.
    pub items: Vec<ItemMap>,
    /// How many items were evaluated before the filter.
    pub scanned_count: usize,
    /// Where the next page starts; `None` on the last page.
    pub last_evaluated_key: Option<ItemMap>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// The keys to read from one table in a `BatchGetItem`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let keys = KeysAndAttributes { keys: vec![note.key().to_key_map()], ..Default::default() };
/// assert_eq!(keys.keys.len(), 1);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeysAndAttributes {
    /// Full primary keys.
    pub keys: Vec<ItemMap>,
    /// Strongly consistent read.
    pub consistent_read: bool,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
}

/// `BatchGetItem` (up to 100 keys in all).
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let request = BatchGetItem {
///     request_items: [("notes".to_owned(), KeysAndAttributes {
///         keys: vec![note.key().to_key_map()],
///         ..Default::default()
///     })].into(),
/// };
/// let output = backend.batch_get_item(request).await?;
/// assert!(output.responses["notes"].is_empty() && output.unprocessed_keys.is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchGetItem {
    /// Table name to keys.
    pub request_items: HashMap<String, KeysAndAttributes>,
}

/// The result of `BatchGetItem`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let output = backend.batch_get_item(BatchGetItem::default()).await;
/// assert!(output.is_err()); // DynamoDB requires at least one key
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchGetItemOutput {
    /// Table name to the items found (in no particular order).
    pub responses: HashMap<String, Vec<ItemMap>>,
    /// Keys the service did not get to; send them again.
    pub unprocessed_keys: HashMap<String, KeysAndAttributes>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// One write of a `BatchWriteItem`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let writes = vec![WriteRequest::Put(note.to_item()?), WriteRequest::Delete(NoteKey::new("u1", "old").to_key_map())];
/// let output = backend.batch_write_item(BatchWriteItem { request_items: [("notes".to_owned(), writes)].into() }).await?;
/// assert!(output.unprocessed_items.is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum WriteRequest {
    /// Put this item.
    Put(ItemMap),
    /// Delete the item with this key.
    Delete(ItemMap),
}

/// `BatchWriteItem` (up to 25 writes in all).
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let request = BatchWriteItem { request_items: [("notes".to_owned(), vec![WriteRequest::Put(note.to_item()?)])].into() };
/// backend.batch_write_item(request).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchWriteItem {
    /// Table name to writes.
    pub request_items: HashMap<String, Vec<WriteRequest>>,
}

/// The result of `BatchWriteItem`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let output = backend.batch_write_item(BatchWriteItem {
///     request_items: [("notes".to_owned(), vec![WriteRequest::Put(note.to_item()?)])].into(),
/// }).await?;
/// assert_eq!(output.consumed_capacity, Some(1.0));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchWriteItemOutput {
    /// Writes the service did not get to; send them again.
    pub unprocessed_items: HashMap<String, Vec<WriteRequest>>,
    /// Write capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// One read of a `TransactGetItems`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let read = TransactGet { table_name: "notes".into(), key: note.key().to_key_map(), projection: None };
/// let output = backend.transact_get_items(TransactGetItems { items: vec![read] }).await?;
/// assert_eq!(output.items, [None]);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TransactGet {
    /// The table.
    pub table_name: String,
    /// The full primary key.
    pub key: ItemMap,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
}

/// `TransactGetItems` (up to 100 reads).
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let reads = TransactGetItems { items: vec![TransactGet { table_name: "notes".into(),
///     key: note.key().to_key_map(), projection: None }] };
/// assert_eq!(backend.transact_get_items(reads).await?.items.len(), 1);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TransactGetItems {
    /// The reads.
    pub items: Vec<TransactGet>,
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
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let reads = TransactGetItems { items: vec![TransactGet { table_name: "notes".into(),
///     key: note.key().to_key_map(), projection: None }] };
/// let output = backend.transact_get_items(reads).await?;
/// assert_eq!(output.consumed_capacity, Some(2.0)); // transactional reads cost double
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TransactGetItemsOutput {
    /// The items; `None` where no item has the key.
    pub items: Vec<Option<ItemMap>>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// One action of a `TransactWriteItems`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let put = TransactWrite::Put { table_name: "notes".into(), item: note.to_item()?, condition: None };
/// backend.transact_write_items(TransactWriteItems { items: vec![put], client_request_token: None }).await?;
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
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let items = vec![TransactWrite::Put { table_name: "notes".into(), item: note.to_item()?, condition: None }];
/// backend.transact_write_items(TransactWriteItems { items, client_request_token: Some("tx-1".into()) }).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TransactWriteItems {
    /// The actions.
    pub items: Vec<TransactWrite>,
    /// Makes the call idempotent for 10 minutes.
    pub client_request_token: Option<String>,
}

/// The result of `TransactWriteItems`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let items = vec![TransactWrite::Put { table_name: "notes".into(), item: note.to_item()?, condition: None }];
/// let output = backend.transact_write_items(TransactWriteItems { items, client_request_token: None }).await?;
/// assert_eq!(output.consumed_capacity, Some(2.0));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TransactWriteItemsOutput {
    /// Write capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

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

/// `CreateTable`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let table = backend.describe_table("notes".into()).await?;
/// assert_eq!(table.status, TableStatus::Active);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTable {
    /// The table name.
    pub table_name: String,
    /// The primary key.
    pub key_schema: KeySchema,
    /// On demand or provisioned (global indexes get the table's provisioned capacity).
    pub billing_mode: BillingMode,
    /// Global and local secondary indexes, created with the table.
    pub indexes: Vec<IndexSchema>,
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
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// assert_eq!(backend.describe_table("notes".into()).await?.status, TableStatus::Active);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
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
/// # backend.create_table(CreateTable { table_name: "notes".into(), key_schema: Note::KEY_SCHEMA,
/// #     billing_mode: BillingMode::PayPerRequest, indexes: Vec::new() }).await?;
/// # let note = Note::new("u1", "hi");
/// let table = backend.describe_table("notes".into()).await?;
/// assert_eq!((table.table_name.as_str(), table.key_schema), ("notes", Note::KEY_SCHEMA));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
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
}
