//! `BatchGetItem` and `BatchWriteItem`: many items across tables, each on its own.

use std::collections::HashMap;

use notes_model::expr::Path;
use notes_model::{ItemMap, SharedItem};

use super::setters::setters;

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
    /// Table name to the items found (in no particular order), shared with the store they
    /// were read from ([`SharedItem`]).
    pub responses: HashMap<String, Vec<SharedItem>>,
    /// Keys the service did not get to; send them again.
    pub unprocessed_keys: HashMap<String, KeysAndAttributes>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

impl BatchGetItemOutput {
    /// What `BatchGetItem` read, per table; nothing left unprocessed.
    ///
    /// ```
    /// use notes_repo::request::BatchGetItemOutput;
    /// assert!(BatchGetItemOutput::new(Default::default()).unprocessed_keys.is_empty());
    /// ```
    pub fn new(responses: HashMap<String, Vec<SharedItem>>) -> Self {
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
