//! `Repo<T, B>`: typed operations on one item type's table.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use notes_model::expr::{Comparator, Condition, Operand, Path, SetValue, Update, UpdateAction};
use notes_model::{
    AttributeValue, Index, Item, ItemMap, KeyValue, PartitionKeyOf, PrimaryKey, SortKeyValue, Table,
};

use crate::backend::Backend;
use crate::batch::BatchOptions;
use crate::error::{Error, Result};
use crate::query::Query;
use crate::request::{DeleteItem, GetItem, PutItem, ReturnValues, UpdateItem};
use crate::trace;
use crate::validate;

/// Typed access to the table of item type `T`, on backend `B`.
///
/// Cheap to clone and safe to share between tasks; every method validates its input before
/// any request is sent.
///
/// ```
/// use notes_model::{Item, Note, NoteKey};
/// use notes_repo::{MemoryBackend, Repo};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
/// repo.create_table_on_demand().await?;
///
/// let note = Note::new("u1", "buy milk");
/// repo.create(&note).await?;
/// assert_eq!(repo.get(&note.key()).await?, Some(note));
/// # Ok(()) }
/// ```
pub struct Repo<T, B> {
    backend: B,
    table: Arc<str>,
    batch: BatchOptions,
    marker: PhantomData<fn() -> T>,
}

impl<T, B: Clone> Clone for Repo<T, B> {
    fn clone(&self) -> Self {
        Repo {
            backend: self.backend.clone(),
            table: self.table.clone(),
            batch: self.batch.clone(),
            marker: PhantomData,
        }
    }
}

impl<T, B> fmt::Debug for Repo<T, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Repo")
            .field("item", &std::any::type_name::<T>())
            .field("table", &self.table)
            .finish_non_exhaustive()
    }
}

impl<T: Table, B: Backend> Repo<T, B> {
    /// A repository on the table named by `#[item(table = "...")]`.
    ///
    /// ```
    /// use notes_model::Note;
    /// use notes_repo::{MemoryBackend, Repo};
    ///
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// assert_eq!(repo.table_name(), "notes");
    /// ```
    pub fn new(backend: B) -> Self {
        Repo::with_table(backend, T::TABLE_NAME)
    }
}

impl<T: Item, B: Backend> Repo<T, B> {
    /// A repository on a table named at run time (per-stage names, tests, table-less items).
    ///
    /// ```
    /// use notes_model::Note;
    /// use notes_repo::{MemoryBackend, Repo};
    ///
    /// let repo: Repo<Note, _> = Repo::with_table(MemoryBackend::new(), "notes-dev");
    /// assert_eq!(repo.table_name(), "notes-dev");
    /// ```
    pub fn with_table(backend: B, table: impl Into<Arc<str>>) -> Self {
        Repo {
            backend,
            table: table.into(),
            batch: BatchOptions::default(),
            marker: PhantomData,
        }
    }

    /// This repository with other batch options (concurrency, retries).
    ///
    /// ```
    /// use notes_repo::{BatchOptions, MemoryBackend, Repo};
    ///
    /// let repo: Repo<notes_model::Note, _> = Repo::new(MemoryBackend::new())
    ///     .with_batch_options(BatchOptions { concurrency: 8, ..BatchOptions::default() });
    /// assert_eq!(repo.batch_options().concurrency, 8);
    /// ```
    pub fn with_batch_options(mut self, options: BatchOptions) -> Self {
        self.batch = options;
        self
    }

    /// The batch options in use.
    ///
    /// ```
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// assert_eq!(repo.batch_options().max_attempts, 10);
    /// ```
    pub fn batch_options(&self) -> &BatchOptions {
        &self.batch
    }

    /// The table's name.
    ///
    /// ```
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// assert_eq!(repo.table_name(), "notes");
    /// ```
    pub fn table_name(&self) -> &str {
        &self.table
    }

    /// The backend, for raw operations.
    ///
    /// ```
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// let _backend: &notes_repo::MemoryBackend = repo.backend();
    /// ```
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// Writes `item`, replacing any item with the same key.
    ///
    /// ```
    /// # use notes_model::{Item, Note};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let mut note = Note::new("u1", "draft");
    /// repo.put(&note).await?;
    /// note.content = "final".into();
    /// repo.put(&note).await?; // overwrites
    /// # Ok(()) }
    /// ```
    ///
    /// For a type with a `#[version]`, `put` checks the stored item's version: it must equal
    /// the item's (or, at version 0, no item may exist); version + 1 is written, and a
    /// mismatch is [`Error::VersionConflict`]. [`Repo::save`] also updates the caller's copy.
    pub async fn put(&self, item: &T) -> Result<()> {
        self.write_item(item, None).await.map(drop)
    }

    /// Writes `item` only if `condition` holds for the stored item; [`Error::ConditionFailed`]
    /// otherwise.
    ///
    /// ```
    /// # use notes_model::{Item, Note};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "v1");
    /// repo.put(&note).await?;
    /// let err = repo.put_if(&note, Note::CONTENT.eq("something else")).await.unwrap_err();
    /// assert!(matches!(err, notes_repo::Error::ConditionFailed { .. }));
    /// # Ok(()) }
    /// ```
    pub async fn put_if(&self, item: &T, condition: Condition) -> Result<()> {
        self.write_item(item, Some(condition)).await.map(drop)
    }

    /// Writes a new item; [`Error::AlreadyExists`] if an item with its key exists.
    ///
    /// ```
    /// # use notes_model::{Item, Note};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "hello");
    /// repo.create(&note).await?;
    /// let err = repo.create(&note).await.unwrap_err();
    /// assert!(matches!(err, notes_repo::Error::AlreadyExists { .. }));
    /// # Ok(()) }
    /// ```
    pub async fn create(&self, item: &T) -> Result<()> {
        if let Some(version @ 1..) = item.version() {
            return Err(Error::validation(format!(
                "create writes version 1 of a new item, but the item has version {version}"
            )));
        }
        match self.write_item(item, Some(self.not_exists())).await {
            Err(Error::ConditionFailed { .. }) => Err(Error::AlreadyExists {
                table: self.table.to_string(),
                key: format!("{:?}", item.key()),
            }),
            other => other.map(drop),
        }
    }

    /// Like [`Repo::put`], and then sets `item`'s `#[version]` to the version written, so the
    /// next `save` of the same value passes the version check.
    ///
    /// ```
    /// use notes_model::Item;
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Serialize, Deserialize, Item)]
    /// #[item(table = "docs")]
    /// struct Doc {
    ///     #[partition_key] id: String,
    ///     body: String,
    ///     #[version] version: u64,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: notes_repo::Repo<Doc, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let mut doc = Doc { id: "d1".into(), body: "v1".into(), version: 0 };
    /// repo.save(&mut doc).await?;            // first write: requires no item, stores version 1
    /// doc.body = "v2".into();
    /// repo.save(&mut doc).await?;            // expects version 1, stores version 2
    /// assert_eq!(doc.version, 2);
    /// let mut stale = Doc { id: "d1".into(), body: "lost?".into(), version: 1 };
    /// let err = repo.save(&mut stale).await.unwrap_err();
    /// assert!(matches!(err, notes_repo::Error::VersionConflict { .. }));
    /// # Ok(()) }
    /// ```
    pub async fn save(&self, item: &mut T) -> Result<()> {
        if let Some(version) = self.write_item(item, None).await? {
            item.set_version(version);
        }
        Ok(())
    }

    /// The condition that no item with this key exists.
    fn not_exists(&self) -> Condition {
        Condition::NotExists(Path::attribute(T::KEY_SCHEMA.partition_key.name.clone()))
    }

    /// The `#[version]` check for replacing version `expected` (0: no item yet), and the
    /// version to write.
    pub(crate) fn version_check(&self, expected: u64) -> Result<(Condition, u64)> {
        let Some(attribute) = T::VERSION_ATTRIBUTE else {
            return Err(Error::validation(format!(
                "{} has no #[version] attribute",
                std::any::type_name::<T>()
            )));
        };
        let next = expected.checked_add(1).ok_or_else(|| {
            Error::validation(format!("version attribute `{attribute}` overflows"))
        })?;
        let condition = if expected == 0 {
            self.not_exists()
        } else {
            Condition::Compare(
                Operand::Path(Path::attribute(attribute)),
                Comparator::Eq,
                Operand::Value(AttributeValue::N(expected.to_string())),
            )
        };
        Ok((condition, next))
    }

    /// The item map to write, with the version check for a versioned type (the written
    /// version is returned), combined with the caller's condition.
    pub(crate) fn prepare_write(
        &self,
        item: &T,
        condition: Option<Condition>,
    ) -> Result<(ItemMap, Option<Condition>, Option<u64>)> {
        let (map, condition, version) = match item.version() {
            Some(expected) => {
                let (check, next) = self.version_check(expected)?;
                let mut map = item.to_item()?;
                let attribute = T::VERSION_ATTRIBUTE.unwrap_or_default();
                map.insert(attribute.to_owned(), AttributeValue::N(next.to_string()));
                let condition = match condition {
                    Some(c) => check & c,
                    None => check,
                };
                (map, Some(condition), Some(next))
            }
            None => (item.to_item()?, condition, None),
        };
        validate::item(&map, &T::KEY_SCHEMA)?;
        if let Some(condition) = &condition {
            validate::condition(condition)?;
        }
        Ok((map, condition, version))
    }

    /// Writes `item`; returns the version written for a versioned type.
    async fn write_item(&self, item: &T, condition: Option<Condition>) -> Result<Option<u64>> {
        let caller_condition = condition.is_some();
        let (map, condition, version) = self.prepare_write(item, condition)?;
        let request = self.backend.put_item(PutItem {
            table_name: self.table.to_string(),
            item: map,
            condition,
            return_values: ReturnValues::None,
        });
        let result = trace::call(&self.table, "PutItem", request).await;
        match result {
            Ok(_) => Ok(version),
            Err(Error::ConditionFailed { .. }) if version.is_some() && !caller_condition => {
                Err(self.version_conflict(&item.key(), item.version().unwrap_or(0)))
            }
            Err(err) => Err(err),
        }
    }

    /// The condition of a versioned delete: the stored item is at version `expected` (>= 1).
    pub(crate) fn delete_check(&self, expected: u64) -> Result<Condition> {
        if expected == 0 {
            return Err(Error::validation(
                "a delete names the stored version it removes; version 0 means no item",
            ));
        }
        Ok(self.version_check(expected)?.0)
    }

    pub(crate) fn version_conflict(&self, key: &T::Key, expected: u64) -> Error {
        Error::VersionConflict {
            table: self.table.to_string(),
            key: format!("{key:?}"),
            expected: (expected != 0).then_some(expected),
        }
    }

    /// The item with `key`, or `None` (an eventually consistent read).
    ///
    /// ```
    /// # use notes_model::{Item, Note, NoteKey};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// assert_eq!(repo.get(&NoteKey::new("u1", "nope")).await?, None);
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, key: &T::Key) -> Result<Option<T>> {
        self.get_item(key, false).await
    }

    /// The item with `key`, or `None`, read with strong consistency.
    ///
    /// ```
    /// # use notes_model::{Item, Note, NoteKey};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "x");
    /// repo.put(&note).await?;
    /// assert_eq!(repo.get_consistent(&note.key()).await?, Some(note));
    /// # Ok(()) }
    /// ```
    pub async fn get_consistent(&self, key: &T::Key) -> Result<Option<T>> {
        self.get_item(key, true).await
    }

    async fn get_item(&self, key: &T::Key, consistent_read: bool) -> Result<Option<T>> {
        let key = self.key_map(key)?;
        let request = self.backend.get_item(GetItem {
            table_name: self.table.to_string(),
            key,
            consistent_read,
            projection: None,
        });
        let output = trace::call(&self.table, "GetItem", request).await?;
        output
            .item
            .map(T::from_item)
            .transpose()
            .map_err(Error::from)
    }

    /// Deletes the item with `key` and returns it, or `None` if there was none.
    ///
    /// ```
    /// # use notes_model::{Item, Note};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "x");
    /// repo.put(&note).await?;
    /// assert_eq!(repo.delete(&note.key()).await?, Some(note.clone()));
    /// assert_eq!(repo.delete(&note.key()).await?, None);
    /// # Ok(()) }
    /// ```
    ///
    /// A type with a `#[version]` must name the version it deletes: use
    /// [`Repo::delete_version`].
    pub async fn delete(&self, key: &T::Key) -> Result<Option<T>> {
        if let Some(attribute) = T::VERSION_ATTRIBUTE {
            return Err(Error::validation(format!(
                "{} is versioned by `{attribute}`: delete it with delete_version(key, expected_version)",
                std::any::type_name::<T>()
            )));
        }
        self.delete_item(key, None).await
    }

    /// Deletes the item with `key` if it is at version `expected`; [`Error::VersionConflict`]
    /// if it is at another version or gone. Returns the deleted item.
    ///
    /// ```
    /// use notes_model::Item;
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Debug, PartialEq, Serialize, Deserialize, Item)]
    /// #[item(table = "docs")]
    /// struct Doc {
    ///     #[partition_key] id: String,
    ///     #[version] version: u64,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: notes_repo::Repo<Doc, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let mut doc = Doc { id: "d1".into(), version: 0 };
    /// repo.save(&mut doc).await?;
    /// let err = repo.delete_version(&DocKey::new("d1"), 7).await.unwrap_err();
    /// assert!(matches!(err, notes_repo::Error::VersionConflict { .. }));
    /// assert_eq!(repo.delete_version(&DocKey::new("d1"), 1).await?, Some(doc));
    /// # Ok(()) }
    /// ```
    pub async fn delete_version(&self, key: &T::Key, expected: u64) -> Result<Option<T>> {
        let check = self.delete_check(expected)?;
        match self.delete_item(key, Some(check)).await {
            Err(Error::ConditionFailed { .. }) => Err(self.version_conflict(key, expected)),
            other => other,
        }
    }

    /// Deletes the item with `key` only if `condition` holds; returns the deleted item.
    ///
    /// ```
    /// # use notes_model::{Item, Note};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "keep me");
    /// repo.put(&note).await?;
    /// let err = repo.delete_if(&note.key(), Note::CONTENT.eq("other")).await.unwrap_err();
    /// assert!(matches!(err, notes_repo::Error::ConditionFailed { .. }));
    /// # Ok(()) }
    /// ```
    pub async fn delete_if(&self, key: &T::Key, condition: Condition) -> Result<Option<T>> {
        validate::condition(&condition)?;
        self.delete_item(key, Some(condition)).await
    }

    async fn delete_item(&self, key: &T::Key, condition: Option<Condition>) -> Result<Option<T>> {
        let key = self.key_map(key)?;
        let request = self.backend.delete_item(DeleteItem {
            table_name: self.table.to_string(),
            key,
            condition,
            return_values: ReturnValues::AllOld,
        });
        let output = trace::call(&self.table, "DeleteItem", request).await?;
        output
            .attributes
            .map(T::from_item)
            .transpose()
            .map_err(Error::from)
    }

    /// Starts an update of the item with `key`: add actions with [`UpdateBuilder::set`] and
    /// friends, then `.send()`.
    ///
    /// ```
    /// # use notes_model::{Item, Note};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "old");
    /// repo.put(&note).await?;
    /// let updated = repo
    ///     .update(&note.key())
    ///     .set(Note::CONTENT.set("new"))
    ///     .set(Note::ATTACHMENT.set(Some("a.png".to_owned())))
    ///     .if_exists()
    ///     .send()
    ///     .await?;
    /// assert_eq!(updated.content, "new");
    /// # Ok(()) }
    /// ```
    pub fn update(&self, key: &T::Key) -> UpdateBuilder<'_, T, B> {
        UpdateBuilder {
            repo: self,
            key: key.clone(),
            update: Update::new(),
            condition: None,
            if_exists: false,
            expected_version: None,
        }
    }

    /// Starts a query of one partition ("all notes of a user"), in sort-key order.
    ///
    /// ```
    /// # use notes_model::{Item, Note};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.put(&Note::new("u1", "a")).await?;
    /// repo.put(&Note::new("u1", "b")).await?;
    /// let newest_first = repo.query("u1").descending().all().await?;
    /// assert_eq!(newest_first[0].content, "b");
    /// # Ok(()) }
    /// ```
    pub fn query(&self, partition_key: impl Into<PartitionKeyOf<T>>) -> Query<'_, T, B> {
        Query::new(self, None, partition_key.into())
    }

    /// Starts a query of one partition of a secondary index, with the index's typed keys.
    ///
    /// ```
    /// use notes_model::Item;
    /// use notes_repo::{MemoryBackend, Repo};
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Debug, Serialize, Deserialize, Item)]
    /// #[item(table = "tasks", global_index(name = "byAssignee", partition_key = "assignee"))]
    /// struct Task {
    ///     #[partition_key] id: String,
    ///     assignee: String,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Task, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// repo.put(&Task { id: "t1".into(), assignee: "ann".into() }).await?;
    /// let anns = repo.query_index(Task::BY_ASSIGNEE, "ann").all().await?;
    /// assert_eq!(anns.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn query_index<PK: KeyValue, SK: SortKeyValue>(
        &self,
        index: Index<T, PK, SK>,
        partition_key: impl Into<PK>,
    ) -> Query<'_, T, B, PK, SK> {
        Query::new(self, Some(index.schema()), partition_key.into())
    }

    /// The key as a validated key map.
    pub(crate) fn key_map(&self, key: &T::Key) -> Result<notes_model::ItemMap> {
        let map = key.to_key_map();
        validate::key(&map, &T::KEY_SCHEMA)?;
        Ok(map)
    }
}

/// An update of one item, built from typed actions. Created by [`Repo::update`].
#[must_use = "an update does nothing until `.send()` is awaited"]
pub struct UpdateBuilder<'r, T: Item, B> {
    repo: &'r Repo<T, B>,
    key: T::Key,
    update: Update,
    condition: Option<Condition>,
    if_exists: bool,
    expected_version: Option<u64>,
}

impl<T: Item, B: Backend> UpdateBuilder<'_, T, B> {
    /// Adds an action (`Note::CONTENT.set(..)`, `Note::ATTACHMENT.remove()`, `X.add(1)`, ...).
    ///
    /// See [`Repo::update`] for an example.
    pub fn set(mut self, action: UpdateAction) -> Self {
        self.update.actions.push(action);
        self
    }

    /// The update happens only if `condition` holds for the stored item; conditions added
    /// twice must both hold.
    ///
    /// ```
    /// # use notes_model::{Item, Note};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "v1");
    /// repo.put(&note).await?;
    /// let result = repo.update(&note.key())
    ///     .set(Note::CONTENT.set("v2"))
    ///     .condition(Note::CONTENT.eq("v0"))
    ///     .send().await;
    /// assert!(matches!(result, Err(notes_repo::Error::ConditionFailed { .. })));
    /// # Ok(()) }
    /// ```
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(match self.condition.take() {
            Some(existing) => existing & condition,
            None => condition,
        });
        self
    }

    /// Updates only an existing item: [`Error::NotFound`] instead of creating one.
    ///
    /// ```
    /// # use notes_model::{Item, Note, NoteKey};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let result = repo.update(&NoteKey::new("u1", "missing"))
    ///     .set(Note::CONTENT.set("x"))
    ///     .if_exists()
    ///     .send().await;
    /// assert!(matches!(result, Err(notes_repo::Error::NotFound { .. })));
    /// # Ok(()) }
    /// ```
    pub fn if_exists(mut self) -> Self {
        self.if_exists = true;
        self
    }

    /// For a `#[version]`ed type: the update applies only to the item at version `expected`,
    /// and writes version `expected + 1`; a mismatch is [`Error::VersionConflict`]. Updates of
    /// versioned types must name the version.
    ///
    /// ```
    /// use notes_model::Item;
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Serialize, Deserialize, Item)]
    /// #[item(table = "docs")]
    /// struct Doc {
    ///     #[partition_key] id: String,
    ///     body: String,
    ///     #[version] version: u64,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: notes_repo::Repo<Doc, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let mut doc = Doc { id: "d1".into(), body: "v1".into(), version: 0 };
    /// repo.save(&mut doc).await?;
    /// let doc = repo.update(&doc.key()).set(Doc::BODY.set("v2")).expect_version(1).send().await?;
    /// assert_eq!(doc.version, 2);
    /// # Ok(()) }
    /// ```
    pub fn expect_version(mut self, expected: u64) -> Self {
        self.expected_version = Some(expected);
        self
    }

    /// Sends the update and returns the item as it is afterwards (`ALL_NEW`).
    ///
    /// See [`Repo::update`] for an example.
    pub async fn send(self) -> Result<T> {
        let repo = self.repo;
        let key = self.key.clone();
        let attributes = self.send_with(ReturnValues::AllNew).await?;
        let item = attributes.ok_or_else(|| Error::NotFound {
            table: repo.table.to_string(),
            key: format!("{key:?}"),
        })?;
        Ok(T::from_item(item)?)
    }

    /// Sends the update and returns the item as it was before (`ALL_OLD`), `None` if the
    /// update created it.
    ///
    /// ```
    /// # use notes_model::{Item, Note};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "before");
    /// repo.put(&note).await?;
    /// let old = repo.update(&note.key()).set(Note::CONTENT.set("after")).send_returning_old().await?;
    /// assert_eq!(old.unwrap().content, "before");
    /// # Ok(()) }
    /// ```
    pub async fn send_returning_old(self) -> Result<Option<T>> {
        let attributes = self.send_with(ReturnValues::AllOld).await?;
        Ok(attributes.map(T::from_item).transpose()?)
    }

    /// The request parts: key, actions (with the version bump) and the combined condition;
    /// also used by transactions.
    pub(crate) fn into_parts(self) -> Result<UpdateParts<T>> {
        let repo = self.repo;
        let key_map = repo.key_map(&self.key)?;
        let mut update = self.update;
        let caller_condition = self.condition.is_some();
        let mut checks = Vec::new();
        let mut conflict = None;
        if self.if_exists {
            checks.push(Condition::Exists(Path::attribute(
                T::KEY_SCHEMA.partition_key.name.clone(),
            )));
        }
        match (T::VERSION_ATTRIBUTE, self.expected_version) {
            (Some(attribute), Some(expected)) => {
                let (check, next) = repo.version_check(expected)?;
                checks.push(check);
                update.actions.push(UpdateAction::Set(
                    Path::attribute(attribute),
                    SetValue::Value(Operand::Value(AttributeValue::N(next.to_string()))),
                ));
                conflict = Some(repo.version_conflict(&self.key, expected));
            }
            (Some(attribute), None) => {
                return Err(Error::validation(format!(
                    "{} is versioned by `{attribute}`: name the version this update expects \
                     with .expect_version(n)",
                    std::any::type_name::<T>()
                )));
            }
            (None, Some(_)) => {
                repo.version_check(0)?;
            }
            (None, None) => {}
        }
        validate::update(&update, &T::KEY_SCHEMA)?;
        let condition = checks
            .into_iter()
            .chain(self.condition)
            .reduce(|a, b| a & b);
        if let Some(condition) = &condition {
            validate::condition(condition)?;
        }
        let on_condition_failed = match (caller_condition, conflict, self.if_exists) {
            (true, _, _) => None,
            (false, Some(conflict), _) => Some(conflict),
            (false, None, true) => Some(Error::NotFound {
                table: repo.table.to_string(),
                key: format!("{:?}", self.key),
            }),
            (false, None, false) => None,
        };
        Ok(UpdateParts {
            table: repo.table.to_string(),
            key: key_map,
            update,
            condition,
            on_condition_failed,
            marker: PhantomData,
        })
    }

    async fn send_with(self, return_values: ReturnValues) -> Result<Option<ItemMap>> {
        let repo = self.repo;
        let parts = self.into_parts()?;
        let request = repo.backend.update_item(UpdateItem {
            table_name: parts.table,
            key: parts.key,
            update: parts.update,
            condition: parts.condition,
            return_values,
        });
        let result = trace::call(&repo.table, "UpdateItem", request).await;
        match (result, parts.on_condition_failed) {
            (Ok(output), _) => Ok(output.attributes),
            (Err(Error::ConditionFailed { .. }), Some(mapped)) => Err(mapped),
            (Err(err), _) => Err(err),
        }
    }
}

/// An update ready to send: what [`UpdateBuilder`] turns into.
pub(crate) struct UpdateParts<T> {
    pub(crate) table: String,
    pub(crate) key: ItemMap,
    pub(crate) update: Update,
    pub(crate) condition: Option<Condition>,
    /// What a failed condition means when only the SDK's own checks were in it.
    pub(crate) on_condition_failed: Option<Error>,
    marker: PhantomData<fn() -> T>,
}
