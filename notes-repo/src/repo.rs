//! `Repo<T, B>`: typed operations on one item type's table.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use notes_model::expr::{Condition, Path, Update, UpdateAction};
use notes_model::{Item, PartitionKeyOf, PrimaryKey, Table};

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::query::Query;
use crate::request::{DeleteItem, GetItem, PutItem, ReturnValues, UpdateItem};
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
    marker: PhantomData<fn() -> T>,
}

impl<T, B: Clone> Clone for Repo<T, B> {
    fn clone(&self) -> Self {
        Repo {
            backend: self.backend.clone(),
            table: self.table.clone(),
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
            marker: PhantomData,
        }
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
    pub async fn put(&self, item: &T) -> Result<()> {
        self.write_item(item, None).await
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
        self.write_item(item, Some(condition)).await
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
        let pk = Path::attribute(T::KEY_SCHEMA.partition_key.name.clone());
        match self.write_item(item, Some(Condition::NotExists(pk))).await {
            Err(Error::ConditionFailed { .. }) => Err(Error::AlreadyExists {
                table: self.table.to_string(),
                key: format!("{:?}", item.key()),
            }),
            other => other,
        }
    }

    async fn write_item(&self, item: &T, condition: Option<Condition>) -> Result<()> {
        let map = item.to_item()?;
        validate::item(&map, &T::KEY_SCHEMA)?;
        if let Some(condition) = &condition {
            validate::condition(condition)?;
        }
        self.backend
            .put_item(PutItem {
                table_name: self.table.to_string(),
                item: map,
                condition,
                return_values: ReturnValues::None,
            })
            .await?;
        Ok(())
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
        let output = self
            .backend
            .get_item(GetItem {
                table_name: self.table.to_string(),
                key,
                consistent_read,
                projection: None,
            })
            .await?;
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
    pub async fn delete(&self, key: &T::Key) -> Result<Option<T>> {
        self.delete_item(key, None).await
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
        let output = self
            .backend
            .delete_item(DeleteItem {
                table_name: self.table.to_string(),
                key,
                condition,
                return_values: ReturnValues::AllOld,
            })
            .await?;
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
        Query::new(self, partition_key.into())
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

    async fn send_with(self, return_values: ReturnValues) -> Result<Option<notes_model::ItemMap>> {
        let key = self.repo.key_map(&self.key)?;
        validate::update(&self.update, &T::KEY_SCHEMA)?;
        let exists = Condition::Exists(Path::attribute(T::KEY_SCHEMA.partition_key.name.clone()));
        let only_exists = self.if_exists && self.condition.is_none();
        let condition = match (self.condition, self.if_exists) {
            (Some(c), true) => Some(exists & c),
            (Some(c), false) => Some(c),
            (None, true) => Some(exists),
            (None, false) => None,
        };
        if let Some(condition) = &condition {
            validate::condition(condition)?;
        }
        let result = self
            .repo
            .backend
            .update_item(UpdateItem {
                table_name: self.repo.table.to_string(),
                key,
                update: self.update,
                condition,
                return_values,
            })
            .await;
        match result {
            Ok(output) => Ok(output.attributes),
            Err(Error::ConditionFailed { .. }) if only_exists => Err(Error::NotFound {
                table: self.repo.table.to_string(),
                key: format!("{:?}", self.key),
            }),
            Err(err) => Err(err),
        }
    }
}
