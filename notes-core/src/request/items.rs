//! Single-item operations: `GetItem`, `PutItem`, `UpdateItem`, `DeleteItem`, and what a
//! write returns.

use notes_model::expr::{Condition, Path, Update};
use notes_model::{ItemMap, SharedItem};

use super::setters::setters;

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
    /// The item, if it exists, shared with the store it was read from ([`SharedItem`]: it
    /// reads as an `ItemMap`; `into_owned()` gives one to keep).
    pub item: Option<SharedItem>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

impl GetItemOutput {
    /// What `GetItem` found.
    ///
    /// ```
    /// use notes_repo::request::GetItemOutput;
    /// assert_eq!(GetItemOutput::new(None).consumed_capacity(0.5).consumed_capacity, Some(0.5));
    /// ```
    pub fn new(item: Option<SharedItem>) -> Self {
        GetItemOutput {
            item,
            consumed_capacity: None,
        }
    }
}
setters!(GetItemOutput { consumed_capacity: some f64 });

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
