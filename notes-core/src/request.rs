//! The requests and responses of the [`Backend`](crate::Backend) operations, over raw item maps.
//!
//! They mirror DynamoDB's API one to one; expressions are ASTs from [`notes_model::expr`].

use std::collections::{BTreeMap, HashMap};

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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let put = PutItem::new("notes", note.to_item()?).return_values(ReturnValues::AllOld);
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

/// What a write whose condition failed returns (DynamoDB's `ReturnValuesOnConditionCheckFailure`):
/// with `AllOld`, [`Error::ConditionFailed`](crate::Error::ConditionFailed) carries the stored
/// item, so a caller can tell "someone else changed it" from "it is already what I wrote".
///
/// ```
/// use notes_repo::request::{PutItem, ReturnValuesOnConditionCheckFailure};
/// let put = PutItem::new("notes", Default::default())
///     .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
/// assert_eq!(put.return_values_on_condition_check_failure, ReturnValuesOnConditionCheckFailure::AllOld);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReturnValuesOnConditionCheckFailure {
    /// Nothing.
    #[default]
    None,
    /// The whole item as it is stored (`None` in the error when there is no item).
    AllOld,
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// # backend.put_item(PutItem::new("notes", note.to_item()?)).await?;
/// let output = backend
///     .get_item(GetItem::new("notes", note.key().to_key_map()).consistent_read(true))
///     .await?;
/// assert!(output.item.is_some());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let output = backend.get_item(GetItem::new("notes", NoteKey::new("u1", "none").to_key_map())).await?;
/// assert_eq!((output.item, output.consumed_capacity), (None, Some(0.5)));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// use notes_model::expr::{Condition, Path};
/// let create = PutItem::new("notes", note.to_item()?)
///     .condition(Condition::NotExists(Path::attribute("userId")));
/// backend.put_item(create.clone()).await?;
/// let err = backend.put_item(create).await.unwrap_err(); // the key exists now
/// assert!(matches!(err, notes_repo::Error::ConditionFailed { .. }));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PutItem {
    /// The table.
    pub table_name: String,
    /// The whole item, key included.
    pub item: ItemMap,
    /// The write happens only if this holds for the existing item.
    pub condition: Option<Condition>,
    /// `None` or `AllOld`.
    pub return_values: ReturnValues,
    /// What the error carries when the condition fails.
    pub return_values_on_condition_check_failure: ReturnValuesOnConditionCheckFailure,
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let update = UpdateItem::new("notes", note.key().to_key_map(), Note::CONTENT.set("edited").into())
///     .return_values(ReturnValues::AllNew);
/// let output = backend.update_item(update).await?;
/// assert!(output.attributes.unwrap().contains_key("content"));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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
    /// What the error carries when the condition fails.
    pub return_values_on_condition_check_failure: ReturnValuesOnConditionCheckFailure,
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// # backend.put_item(PutItem::new("notes", note.to_item()?)).await?;
/// let delete = DeleteItem::new("notes", note.key().to_key_map()).return_values(ReturnValues::AllOld);
/// let output = backend.delete_item(delete).await?;
/// assert!(output.attributes.is_some());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct DeleteItem {
    /// The table.
    pub table_name: String,
    /// The full primary key.
    pub key: ItemMap,
    /// The delete happens only if this holds for the existing item.
    pub condition: Option<Condition>,
    /// `None` or `AllOld`.
    pub return_values: ReturnValues,
    /// What the error carries when the condition fails.
    pub return_values_on_condition_check_failure: ReturnValuesOnConditionCheckFailure,
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let output = backend.put_item(PutItem::new("notes", note.to_item()?)).await?;
/// assert_eq!(output.consumed_capacity, Some(1.0)); // one write unit per KB
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// use notes_model::AttributeValue;
/// use notes_model::expr::KeyCondition;
/// # backend.put_item(PutItem::new("notes", note.to_item()?)).await?;
/// let condition = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
/// let page = backend.query(Query::new("notes", condition).limit(10).scan_index_forward(false)).await?;
/// assert_eq!(page.items.len(), 1);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let page = backend.scan(Scan::new("notes")).await?;
/// assert!(page.items.is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let page = backend.scan(Scan::new("notes").limit(1)).await?;
/// assert_eq!((page.items.len(), page.last_evaluated_key), (0, None));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let keys = KeysAndAttributes::new(vec![note.key().to_key_map()]);
/// assert_eq!(keys.keys.len(), 1);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let keys = KeysAndAttributes::new(vec![note.key().to_key_map()]);
/// let request = BatchGetItem::new([("notes".to_owned(), keys)].into());
/// let output = backend.batch_get_item(request).await?;
/// assert!(output.responses["notes"].is_empty() && output.unprocessed_keys.is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let output = backend.batch_get_item(BatchGetItem::default()).await;
/// assert!(matches!(output, Err(notes_repo::Error::Validation { .. }))); // at least one key
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let writes = vec![WriteRequest::Put(note.to_item()?), WriteRequest::Delete(NoteKey::new("u1", "old").to_key_map())];
/// let output = backend.batch_write_item(BatchWriteItem::new([("notes".to_owned(), writes)].into())).await?;
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let request = BatchWriteItem::new([("notes".to_owned(), vec![WriteRequest::Put(note.to_item()?)])].into());
/// backend.batch_write_item(request).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
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
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let writes = vec![WriteRequest::Put(note.to_item()?)];
/// let output = backend.batch_write_item(BatchWriteItem::new([("notes".to_owned(), writes)].into())).await?;
/// assert_eq!(output.consumed_capacity, Some(1.0));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
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
/// let table = backend.describe_table("notes".into()).await?;
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
    pub stream_view_type: Option<crate::stream::StreamViewType>,
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
/// assert_eq!(backend.describe_table("notes".into()).await?.status, TableStatus::Active);
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
/// let table = backend.describe_table("notes".into()).await?;
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
    pub stream: Option<crate::stream::TableStream>,
}

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
/// ([`StreamSpecification`](crate::stream::StreamSpecification)).
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
/// let table = backend.describe_table("notes".into()).await?;
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
    pub stream_specification: Option<crate::stream::StreamSpecification>,
}

/// Setters named like the fields, so the `#[non_exhaustive]` types above can be built outside
/// this crate: `GetItem::new(table, key).consistent_read(true)`.
#[doc(hidden)]
#[macro_export]
macro_rules! __setters {
    ($type:ident { $($field:ident: $kind:ident $value:ty),* $(,)? }) => {
        impl $type {
            $($crate::request::setters!(@one $field $kind $value);)*
        }
    };
    (@one $field:ident some $value:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        pub fn $field(mut self, $field: $value) -> Self {
            self.$field = Some($field);
            self
        }
    };
    (@one $field:ident some_into $value:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        pub fn $field(mut self, $field: impl Into<$value>) -> Self {
            self.$field = Some($field.into());
            self
        }
    };
    (@one $field:ident value $value:ty) => {
        #[doc = concat!("Sets `", stringify!($field), "`.")]
        pub fn $field(mut self, $field: $value) -> Self {
            self.$field = $field;
            self
        }
    };
}
#[doc(hidden)]
pub use crate::__setters as setters;

impl GetItem {
    /// A `GetItem` of the item with `key`, eventually consistent, all attributes.
    ///
    /// ```
    /// use notes_repo::{NoteKey, PrimaryKey, request::GetItem};
    /// let get = GetItem::new("notes", NoteKey::new("u1", "n1").to_key_map()).consistent_read(true);
    /// assert!(get.consistent_read);
    /// ```
    pub fn new(table_name: impl Into<String>, key: ItemMap) -> Self {
        GetItem {
            table_name: table_name.into(),
            key,
            consistent_read: false,
            projection: None,
        }
    }
}
setters!(GetItem { consistent_read: value bool, projection: some Vec<Path> });

impl GetItemOutput {
    /// What `GetItem` found.
    ///
    /// ```
    /// use notes_repo::request::GetItemOutput;
    /// assert_eq!(GetItemOutput::new(None).consumed_capacity(0.5).consumed_capacity, Some(0.5));
    /// ```
    pub fn new(item: Option<ItemMap>) -> Self {
        GetItemOutput {
            item,
            consumed_capacity: None,
        }
    }
}
setters!(GetItemOutput { consumed_capacity: some f64 });

impl PutItem {
    /// A `PutItem` of `item`, unconditional, returning nothing.
    ///
    /// ```
    /// use notes_repo::{Item, Note, request::{PutItem, ReturnValues}};
    /// let note = Note { user_id: "u1".into(), note_id: "n1".into(), content: "hi".into(), attachment: None, created_at: 0 };
    /// let put = PutItem::new("notes", note.to_item()?).return_values(ReturnValues::AllOld);
    /// assert_eq!(put.return_values, ReturnValues::AllOld);
    /// # Ok::<(), notes_repo::ItemError>(())
    /// ```
    pub fn new(table_name: impl Into<String>, item: ItemMap) -> Self {
        PutItem {
            table_name: table_name.into(),
            item,
            condition: None,
            return_values: ReturnValues::None,
            return_values_on_condition_check_failure: ReturnValuesOnConditionCheckFailure::None,
        }
    }
}
setters!(PutItem {
    condition: some Condition,
    return_values: value ReturnValues,
    return_values_on_condition_check_failure: value ReturnValuesOnConditionCheckFailure,
});

impl UpdateItem {
    /// An `UpdateItem` of the item with `key`, unconditional, returning nothing.
    ///
    /// ```
    /// use notes_repo::{Note, NoteKey, PrimaryKey, expr::Update, request::UpdateItem};
    /// let update = Update::new().and(Note::CONTENT.set("hi"));
    /// let request = UpdateItem::new("notes", NoteKey::new("u1", "n1").to_key_map(), update);
    /// assert_eq!(request.update.actions.len(), 1);
    /// ```
    pub fn new(table_name: impl Into<String>, key: ItemMap, update: Update) -> Self {
        UpdateItem {
            table_name: table_name.into(),
            key,
            update,
            condition: None,
            return_values: ReturnValues::None,
            return_values_on_condition_check_failure: ReturnValuesOnConditionCheckFailure::None,
        }
    }
}
setters!(UpdateItem {
    condition: some Condition,
    return_values: value ReturnValues,
    return_values_on_condition_check_failure: value ReturnValuesOnConditionCheckFailure,
});

impl DeleteItem {
    /// A `DeleteItem` of the item with `key`, unconditional, returning nothing.
    ///
    /// ```
    /// use notes_repo::{NoteKey, PrimaryKey, request::{DeleteItem, ReturnValues}};
    /// let delete = DeleteItem::new("notes", NoteKey::new("u1", "n1").to_key_map())
    ///     .return_values(ReturnValues::AllOld);
    /// assert_eq!(delete.return_values, ReturnValues::AllOld);
    /// ```
    pub fn new(table_name: impl Into<String>, key: ItemMap) -> Self {
        DeleteItem {
            table_name: table_name.into(),
            key,
            condition: None,
            return_values: ReturnValues::None,
            return_values_on_condition_check_failure: ReturnValuesOnConditionCheckFailure::None,
        }
    }
}
setters!(DeleteItem {
    condition: some Condition,
    return_values: value ReturnValues,
    return_values_on_condition_check_failure: value ReturnValuesOnConditionCheckFailure,
});

impl WriteOutput {
    /// What a write returned.
    ///
    /// ```
    /// use notes_repo::request::WriteOutput;
    /// assert_eq!(WriteOutput::new(None).consumed_capacity(1.0).consumed_capacity, Some(1.0));
    /// ```
    pub fn new(attributes: Option<ItemMap>) -> Self {
        WriteOutput {
            attributes,
            consumed_capacity: None,
        }
    }
}
setters!(WriteOutput { consumed_capacity: some f64 });

impl Query {
    /// A `Query` of the table (not an index), ascending, eventually consistent, no limit.
    ///
    /// ```
    /// use notes_repo::{AttributeValue, expr::KeyCondition, request::Query};
    /// let condition = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
    /// let query = Query::new("notes", condition).limit(10).scan_index_forward(false);
    /// assert_eq!((query.limit, query.scan_index_forward), (Some(10), false));
    /// ```
    pub fn new(table_name: impl Into<String>, key_condition: KeyCondition) -> Self {
        Query {
            table_name: table_name.into(),
            index_name: None,
            key_condition,
            filter: None,
            projection: None,
            limit: None,
            scan_index_forward: true,
            exclusive_start_key: None,
            consistent_read: false,
        }
    }
}
setters!(Query {
    index_name: some_into String,
    filter: some Condition,
    projection: some Vec<Path>,
    limit: some u32,
    scan_index_forward: value bool,
    exclusive_start_key: some ItemMap,
    consistent_read: value bool,
});

impl Scan {
    /// A `Scan` of the whole table, in one segment, eventually consistent, no limit.
    ///
    /// ```
    /// use notes_repo::request::Scan;
    /// let scan = Scan::new("notes").segment(0, 4);
    /// assert_eq!(scan.segment, Some((0, 4)));
    /// ```
    pub fn new(table_name: impl Into<String>) -> Self {
        Scan {
            table_name: table_name.into(),
            ..Scan::default()
        }
    }

    /// Reads segment `segment` of `total_segments` (a parallel scan).
    ///
    /// See [`Scan::new`] for an example.
    pub fn segment(mut self, segment: u32, total_segments: u32) -> Self {
        self.segment = Some((segment, total_segments));
        self
    }
}
setters!(Scan {
    index_name: some_into String,
    filter: some Condition,
    projection: some Vec<Path>,
    limit: some u32,
    exclusive_start_key: some ItemMap,
    consistent_read: value bool,
});

impl PageOutput {
    /// A page of `items`, the last one (no `last_evaluated_key`), every item matching.
    ///
    /// ```
    /// use notes_repo::request::PageOutput;
    /// let page = PageOutput::new(Vec::new()).scanned_count(3);
    /// assert_eq!((page.items.len(), page.scanned_count), (0, 3));
    /// ```
    pub fn new(items: Vec<ItemMap>) -> Self {
        PageOutput {
            scanned_count: items.len(),
            items,
            last_evaluated_key: None,
            consumed_capacity: None,
        }
    }
}
setters!(PageOutput {
    scanned_count: value usize,
    last_evaluated_key: some ItemMap,
    consumed_capacity: some f64,
});

impl KeysAndAttributes {
    /// The keys to read from one table, eventually consistent, all attributes.
    ///
    /// ```
    /// use notes_repo::{NoteKey, PrimaryKey, request::KeysAndAttributes};
    /// let keys = KeysAndAttributes::new(vec![NoteKey::new("u1", "n1").to_key_map()]).consistent_read(true);
    /// assert_eq!(keys.keys.len(), 1);
    /// ```
    pub fn new(keys: Vec<ItemMap>) -> Self {
        KeysAndAttributes {
            keys,
            ..KeysAndAttributes::default()
        }
    }
}
setters!(KeysAndAttributes { consistent_read: value bool, projection: some Vec<Path> });

impl BatchGetItem {
    /// A `BatchGetItem` of the keys listed per table.
    ///
    /// ```
    /// use notes_repo::request::{BatchGetItem, KeysAndAttributes};
    /// let batch = BatchGetItem::new([("notes".to_owned(), KeysAndAttributes::new(Vec::new()))].into());
    /// assert_eq!(batch.request_items.len(), 1);
    /// ```
    pub fn new(request_items: HashMap<String, KeysAndAttributes>) -> Self {
        BatchGetItem { request_items }
    }
}

impl BatchGetItemOutput {
    /// What `BatchGetItem` read, per table; nothing left unprocessed.
    ///
    /// ```
    /// use notes_repo::request::BatchGetItemOutput;
    /// assert!(BatchGetItemOutput::new(Default::default()).unprocessed_keys.is_empty());
    /// ```
    pub fn new(responses: HashMap<String, Vec<ItemMap>>) -> Self {
        BatchGetItemOutput {
            responses,
            ..BatchGetItemOutput::default()
        }
    }
}
setters!(BatchGetItemOutput {
    unprocessed_keys: value HashMap<String, KeysAndAttributes>,
    consumed_capacity: some f64,
});

impl BatchWriteItem {
    /// A `BatchWriteItem` of the writes listed per table.
    ///
    /// ```
    /// use notes_repo::request::BatchWriteItem;
    /// assert!(BatchWriteItem::new(Default::default()).request_items.is_empty());
    /// ```
    pub fn new(request_items: HashMap<String, Vec<WriteRequest>>) -> Self {
        BatchWriteItem { request_items }
    }
}

impl BatchWriteItemOutput {
    /// What `BatchWriteItem` left undone, per table (empty: everything was written).
    ///
    /// ```
    /// use notes_repo::request::BatchWriteItemOutput;
    /// assert!(BatchWriteItemOutput::new(Default::default()).unprocessed_items.is_empty());
    /// ```
    pub fn new(unprocessed_items: HashMap<String, Vec<WriteRequest>>) -> Self {
        BatchWriteItemOutput {
            unprocessed_items,
            consumed_capacity: None,
        }
    }
}
setters!(BatchWriteItemOutput { consumed_capacity: some f64 });

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

impl TransactGetItemsOutput {
    /// The items read, one per request item (`None`: no item has that key).
    ///
    /// ```
    /// use notes_repo::request::TransactGetItemsOutput;
    /// assert_eq!(TransactGetItemsOutput::new(vec![None]).items, [None]);
    /// ```
    pub fn new(items: Vec<Option<ItemMap>>) -> Self {
        TransactGetItemsOutput {
            items,
            consumed_capacity: None,
        }
    }
}
setters!(TransactGetItemsOutput { consumed_capacity: some f64 });

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
    stream_view_type: some crate::stream::StreamViewType,
});

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
    stream: some crate::stream::TableStream,
});

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
    stream_specification: some crate::stream::StreamSpecification,
});

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

// ---- Backups: on-demand backup and restore, point-in-time recovery ----

/// A backup's Amazon Resource Name, as DynamoDB names it
/// (`arn:aws:dynamodb:us-east-1:123456789012:table/notes/backup/01489602797149-73d8d5bc`).
///
/// Only ever obtained from a backup (`CreateBackup`, `ListBackups`) or parsed from text a
/// backup once gave; a table name or a backup name is not one.
///
/// ```
/// use notes_repo::request::BackupArn;
/// let arn = BackupArn::new("arn:aws:dynamodb:us-east-1:123456789012:table/notes/backup/01489602797149-73d8d5bc");
/// assert_eq!(arn.table_name(), Some("notes"));
/// assert!(arn.as_str().starts_with("arn:aws:dynamodb:"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BackupArn(String);

impl BackupArn {
    /// The ARN with this text (as `CreateBackup` or `ListBackups` returned it).
    ///
    /// See [`BackupArn`] for an example.
    pub fn new(arn: impl Into<String>) -> Self {
        BackupArn(arn.into())
    }

    /// The ARN's text.
    ///
    /// See [`BackupArn`] for an example.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name of the table the backup was taken of, from the ARN's `table/NAME/backup/`
    /// resource part (`None` when the text is not shaped like a backup ARN).
    ///
    /// See [`BackupArn`] for an example.
    pub fn table_name(&self) -> Option<&str> {
        let resource = self.0.split_once(":table/")?.1;
        Some(resource.split_once("/backup/")?.0)
    }
}

impl std::fmt::Display for BackupArn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for BackupArn {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A backup's status (DynamoDB's `BackupStatus`).
///
/// ```
/// use notes_repo::request::BackupStatus;
/// assert_ne!(BackupStatus::Available, BackupStatus::Creating);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BackupStatus {
    /// `CREATING`: requested, not yet restorable.
    Creating,
    /// `AVAILABLE`: can be restored.
    Available,
    /// `DELETED`.
    Deleted,
    /// Any other status the service reports.
    Other(String),
}

/// One backup as `ListBackups` lists it (DynamoDB's `BackupSummary`), and the heart of
/// [`BackupDescription`].
///
/// ```
/// use std::time::SystemTime;
/// use notes_repo::request::{BackupArn, BackupStatus, BackupSummary};
/// let arn = BackupArn::new("arn:aws:dynamodb:us-east-1:123456789012:table/notes/backup/01489602797149-73d8d5bc");
/// let backup = BackupSummary::new(arn, "nightly", "notes", BackupStatus::Available, SystemTime::UNIX_EPOCH)
///     .item_count(3);
/// assert_eq!(backup.item_count, Some(3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BackupSummary {
    /// The backup's ARN: what describe, delete and restore take.
    pub backup_arn: BackupArn,
    /// The name it was created with.
    pub backup_name: String,
    /// The table it was taken of.
    pub table_name: String,
    /// Creating, available or deleted.
    pub status: BackupStatus,
    /// Its size in bytes, when the service says (DynamoDB updates it about every six hours).
    pub size_bytes: Option<i64>,
    /// How many items it holds, when the service says (`ListBackups` on DynamoDB does not;
    /// `DescribeBackup` does).
    pub item_count: Option<i64>,
    /// When it was taken: the instant whose table state it holds.
    pub created_at: std::time::SystemTime,
}

/// What `CreateBackup`, `DescribeBackup` and `DeleteBackup` say about a backup: its summary
/// and the source table's billing mode (DynamoDB's `BackupDescription`). The key schema a
/// restored table gets is the restore's answer ([`TableDescription`]): DynamoDB describes a
/// backup's key by attribute names only, without their types.
///
/// ```
/// use std::time::SystemTime;
/// use notes_repo::request::{BackupArn, BackupDescription, BackupStatus, BackupSummary};
/// let arn = BackupArn::new("arn:aws:dynamodb:us-east-1:123456789012:table/notes/backup/01489602797149-73d8d5bc");
/// let summary = BackupSummary::new(arn, "nightly", "notes", BackupStatus::Available, SystemTime::UNIX_EPOCH);
/// let backup = BackupDescription::new(summary);
/// assert_eq!(backup.summary.backup_name, "nightly");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BackupDescription {
    /// Name, ARN, status, size, item count, creation time and table.
    pub summary: BackupSummary,
    /// The source table's billing mode, which a restored table gets, when the service says.
    pub billing_mode: Option<BillingMode>,
}

/// `CreateBackup`: an on-demand backup of a table, named `backup_name` (3 to 255 characters of
/// `[a-zA-Z0-9_.-]`).
///
/// ```
/// use notes_repo::request::CreateBackup;
/// let request = CreateBackup::new("notes", "nightly");
/// assert_eq!(request.backup_name, "nightly");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateBackup {
    /// The table to back up.
    pub table_name: String,
    /// The backup's name.
    pub backup_name: String,
}

/// `ListBackups`: the on-demand backups of the account, or of one table, oldest first, at most
/// `limit` (1 to 100) a page.
///
/// ```
/// use notes_repo::request::ListBackups;
/// let request = ListBackups::new().table_name("notes").limit(10);
/// assert_eq!(request.limit, Some(10));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ListBackups {
    /// Only the backups of this table (`None`: every table's).
    pub table_name: Option<String>,
    /// At most this many backups in the page (1 to 100).
    pub limit: Option<u32>,
    /// Start after this backup (the previous page's `last_evaluated_backup_arn`).
    pub exclusive_start_backup_arn: Option<BackupArn>,
    /// Only backups created at or after this time (inclusive).
    pub time_range_lower_bound: Option<std::time::SystemTime>,
    /// Only backups created before this time (exclusive).
    pub time_range_upper_bound: Option<std::time::SystemTime>,
}

/// One page of `ListBackups`.
///
/// ```
/// use notes_repo::request::ListBackupsOutput;
/// assert!(ListBackupsOutput::new(Vec::new()).last_evaluated_backup_arn.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ListBackupsOutput {
    /// The backups, oldest first.
    pub backups: Vec<BackupSummary>,
    /// Where the next page starts (`None`: this is the last page).
    pub last_evaluated_backup_arn: Option<BackupArn>,
}

/// `RestoreTableFromBackup`: a new table `target_table_name` holding the backup's items, with
/// its key schema, indexes and billing mode. The target must not exist.
///
/// ```
/// use notes_repo::request::{BackupArn, RestoreTableFromBackup};
/// let arn = BackupArn::new("arn:aws:dynamodb:us-east-1:123456789012:table/notes/backup/01489602797149-73d8d5bc");
/// let request = RestoreTableFromBackup::new(arn, "notes-restored");
/// assert_eq!(request.target_table_name, "notes-restored");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RestoreTableFromBackup {
    /// The backup to restore.
    pub backup_arn: BackupArn,
    /// The new table's name.
    pub target_table_name: String,
}

/// The instant a point-in-time restore rebuilds: a time inside the restorable window
/// (`EarliestRestorableDateTime` to `LatestRestorableDateTime`), or the latest restorable one
/// (`UseLatestRestorableTime`).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use notes_repo::request::RestoreTime;
/// let an_hour_ago = RestoreTime::At(SystemTime::now() - Duration::from_secs(3600));
/// assert_ne!(an_hour_ago, RestoreTime::Latest);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreTime {
    /// The table as it was at this instant (`RestoreDateTime`), every write up to and
    /// including it applied.
    At(std::time::SystemTime),
    /// The latest restorable time (`UseLatestRestorableTime`).
    Latest,
}

/// `RestoreTableToPointInTime`: a new table `target_table_name` holding the source table's
/// items as they were at `restore_time`. PITR must be enabled on the source; the target must
/// not exist.
///
/// ```
/// use notes_repo::request::{RestoreTableToPointInTime, RestoreTime};
/// let request = RestoreTableToPointInTime::new("notes", "notes-restored", RestoreTime::Latest);
/// assert_eq!(request.source_table_name, "notes");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RestoreTableToPointInTime {
    /// The table whose past is restored.
    pub source_table_name: String,
    /// The new table's name.
    pub target_table_name: String,
    /// Which instant.
    pub restore_time: RestoreTime,
}

/// A table's point-in-time recovery, as `DescribeContinuousBackups` reports it
/// (`PointInTimeRecoveryDescription`).
///
/// ```
/// use notes_repo::request::PointInTimeRecovery;
/// assert!(!PointInTimeRecovery::Disabled.is_enabled());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointInTimeRecovery {
    /// Off: nothing to restore to a point in time from.
    Disabled,
    /// On: a restore can target any instant from `earliest_restorable` to
    /// `latest_restorable`, both included.
    Enabled {
        /// `EarliestRestorableDateTime`: when recovery was enabled, or `recovery_period_in_days`
        /// ago, whichever is later.
        earliest_restorable: std::time::SystemTime,
        /// `LatestRestorableDateTime`: typically 5 minutes ago on DynamoDB; 5 minutes ago on
        /// the backend's clock on `MemoryBackend` (never before `earliest_restorable`).
        latest_restorable: std::time::SystemTime,
        /// `RecoveryPeriodInDays` (1 to 35), when the service says.
        recovery_period_in_days: Option<u32>,
    },
}

impl PointInTimeRecovery {
    /// Whether point-in-time recovery is on.
    ///
    /// See [`PointInTimeRecovery`] for an example.
    pub fn is_enabled(&self) -> bool {
        matches!(self, PointInTimeRecovery::Enabled { .. })
    }
}

impl BackupSummary {
    /// A backup's summary; size and item count unknown.
    ///
    /// See [`BackupSummary`] for an example.
    pub fn new(
        backup_arn: BackupArn,
        backup_name: impl Into<String>,
        table_name: impl Into<String>,
        status: BackupStatus,
        created_at: std::time::SystemTime,
    ) -> Self {
        BackupSummary {
            backup_arn,
            backup_name: backup_name.into(),
            table_name: table_name.into(),
            status,
            size_bytes: None,
            item_count: None,
            created_at,
        }
    }
}
setters!(BackupSummary { size_bytes: some i64, item_count: some i64 });

impl BackupDescription {
    /// A backup's description; the source table's billing mode unknown.
    ///
    /// See [`BackupDescription`] for an example.
    pub fn new(summary: BackupSummary) -> Self {
        BackupDescription {
            summary,
            billing_mode: None,
        }
    }
}
setters!(BackupDescription { billing_mode: some BillingMode });

impl CreateBackup {
    /// A backup of `table_name` named `backup_name`.
    ///
    /// See [`CreateBackup`] for an example.
    pub fn new(table_name: impl Into<String>, backup_name: impl Into<String>) -> Self {
        CreateBackup {
            table_name: table_name.into(),
            backup_name: backup_name.into(),
        }
    }
}

impl ListBackups {
    /// Every on-demand backup of the account, in pages of the service's default size.
    ///
    /// See [`ListBackups`] for an example.
    pub fn new() -> Self {
        ListBackups::default()
    }
}
setters!(ListBackups {
    table_name: some_into String,
    limit: some u32,
    exclusive_start_backup_arn: some BackupArn,
    time_range_lower_bound: some std::time::SystemTime,
    time_range_upper_bound: some std::time::SystemTime,
});

impl ListBackupsOutput {
    /// The last page, holding `backups`.
    ///
    /// See [`ListBackupsOutput`] for an example.
    pub fn new(backups: Vec<BackupSummary>) -> Self {
        ListBackupsOutput {
            backups,
            last_evaluated_backup_arn: None,
        }
    }
}
setters!(ListBackupsOutput { last_evaluated_backup_arn: some BackupArn });

impl RestoreTableFromBackup {
    /// A restore of `backup_arn` into the new table `target_table_name`.
    ///
    /// See [`RestoreTableFromBackup`] for an example.
    pub fn new(backup_arn: BackupArn, target_table_name: impl Into<String>) -> Self {
        RestoreTableFromBackup {
            backup_arn,
            target_table_name: target_table_name.into(),
        }
    }
}

impl RestoreTableToPointInTime {
    /// A restore of `source_table_name` as of `restore_time` into the new table
    /// `target_table_name`.
    ///
    /// See [`RestoreTableToPointInTime`] for an example.
    pub fn new(
        source_table_name: impl Into<String>,
        target_table_name: impl Into<String>,
        restore_time: RestoreTime,
    ) -> Self {
        RestoreTableToPointInTime {
            source_table_name: source_table_name.into(),
            target_table_name: target_table_name.into(),
            restore_time,
        }
    }
}
