//! `Repo<T, B>`: typed access to one item type's table, and the checks its operations share.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use notes_model::expr::{Comparator, Condition, Operand, Path};
use notes_model::{AttributeValue, Item, ItemMap, PrimaryKey, Table};

use crate::batch::BatchOptions;
use notes_core::validate;
use notes_core::{Backend, Error, Result, Traced};

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
    backend: Traced<B>,
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
            backend: Traced::new(backend),
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
    /// assert_eq!(repo.batch_options().retry.max_attempts, 10);
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
        self.backend.get_ref()
    }

    /// The backend every operation of this repository goes through: the backend in a
    /// tracing layer.
    pub(crate) fn traced(&self) -> &Traced<B> {
        &self.backend
    }

    /// This repository on another backend, made from this one: a layer around it (retries,
    /// metering, fault injection) or a backend of another kind. The table and batch options
    /// stay, and every operation is still traced: a repository wraps its backend in
    /// [`Traced`] itself, so `map_backend(Traced::new)` would trace each operation twice.
    ///
    /// ```
    /// use notes_repo::{MemoryBackend, Note, Repo, RetryPolicy, Retrying};
    ///
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// let retrying: Repo<Note, Retrying<MemoryBackend>> =
    ///     repo.map_backend(|memory| Retrying::new(memory, RetryPolicy::default()));
    /// assert_eq!(retrying.table_name(), "notes");
    /// ```
    pub fn map_backend<B2: Backend>(self, f: impl FnOnce(B) -> B2) -> Repo<T, B2> {
        Repo {
            backend: Traced::new(f(self.backend.into_inner())),
            table: self.table,
            batch: self.batch,
            marker: PhantomData,
        }
    }

    /// The condition that no item with this key exists.
    pub(crate) fn not_exists(&self) -> Condition {
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
        self.check_item(&map)?;
        if let Some(condition) = &condition {
            validate::condition(condition)?;
        }
        Ok((map, condition, version))
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
            key: describe_key(key),
            expected: (expected != 0).then_some(expected),
        }
    }

    /// [`Error::NotFound`] for `key`.
    pub(crate) fn not_found(&self, key: &T::Key) -> Error {
        Error::NotFound {
            table: self.table.to_string(),
            key: describe_key(key),
        }
    }

    /// Checks an item map of `T` as DynamoDB would check a put of it: the item and its key,
    /// and the key values of the type's secondary indexes.
    pub(crate) fn check_item(&self, map: &ItemMap) -> Result<()> {
        validate::item(map, &T::KEY_SCHEMA)?;
        T::INDEXES
            .iter()
            .try_for_each(|index| validate::index_key_values(index, map, false))
    }

    /// Refuses an update that changes a field the primary key's templates are computed from
    /// ([`Item::KEY_COMPONENTS`]): the stored key would no longer be the item's, and
    /// DynamoDB cannot change an item's key.
    pub(crate) fn check_key_components(&self, update: &notes_model::expr::Update) -> Result<()> {
        for action in &update.actions {
            if let Some(name) = action.path().top_level()
                && T::KEY_COMPONENTS.contains(&name)
            {
                let schema = &T::KEY_SCHEMA;
                return Err(Error::validation(format!(
                    "One or more parameter values were invalid: `{name}` is a component of the \
                     key of {} (`{}`{}): an update cannot change an item's key; put the item \
                     under its new key and delete the old one",
                    std::any::type_name::<T>(),
                    schema.partition_key.name,
                    schema
                        .sort_key
                        .as_ref()
                        .map_or(String::new(), |sk| format!(", `{}`", sk.name)),
                )));
            }
        }
        Ok(())
    }

    /// The filter that keeps only this entity's items (for an entity of a shared table), and
    /// the caller's `filter`.
    pub(crate) fn entity_filter(&self, filter: Option<Condition>) -> Option<Condition> {
        match (T::read_filter(), filter) {
            (Some(entity), Some(filter)) => Some(entity & filter),
            (entity, filter) => entity.or(filter),
        }
    }

    /// For an entity of a shared table (or a collection), the condition a put or delete
    /// carries so that it never replaces or deletes another entity's item under the same
    /// stored key: no item, or one of this type's entity
    /// (`attribute_not_exists(<pk>) OR <entity attribute> = :entity`; for a collection, one of
    /// its members'). The same entity condition as [`Item::read_filter`] (queries and scans)
    /// and updates. `None` for other types.
    pub(crate) fn entity_check(&self) -> Option<Condition> {
        T::read_filter().map(|entity| self.not_exists() | entity)
    }

    /// `condition` (the caller's and the SDK's checks) with [`Repo::entity_check`].
    pub(crate) fn with_entity_check(&self, condition: Option<Condition>) -> Option<Condition> {
        match (condition, self.entity_check()) {
            (Some(condition), Some(entity)) => Some(condition & entity),
            (condition, entity) => condition.or(entity),
        }
    }

    /// A failed condition whose stored item (`ReturnValuesOnConditionCheckFailure::ALL_OLD`)
    /// is of another entity: the write touched nothing, and the answer is the entity error
    /// ([`notes_model::Error::Entity`]) naming what it found and the key. Any other error
    /// comes back unchanged. Checked before anything else reads a failed condition, so a
    /// write that met another entity's item is never answered as applied.
    pub(crate) fn other_entity(&self, err: Error) -> Error {
        match (&err, T::read_filter()) {
            (
                Error::ConditionFailed {
                    item: Some(stored), ..
                },
                Some(entity),
            ) if !notes_core::eval::evaluate(&entity, Some(stored)) => {
                match T::from_item_ref(stored) {
                    Err(entity_error) => Error::Item(entity_error),
                    Ok(_) => err,
                }
            }
            _ => err,
        }
    }

    /// The key as a validated key map.
    pub(crate) fn key_map(&self, key: &T::Key) -> Result<ItemMap> {
        // A templated key whose component holds a separator could render as another key.
        key.check_components()?;
        let map = key.to_key_map();
        validate::key(&map, &T::KEY_SCHEMA)?;
        Ok(map)
    }
}

/// `condition`, and `existing` too if there is one: how a builder adds a condition.
pub(crate) fn and(existing: Option<Condition>, condition: Condition) -> Condition {
    match existing {
        Some(existing) => existing & condition,
        None => condition,
    }
}

/// A key for messages, by its stored attribute names: `{userId: "u1", noteId: "n1"}`.
pub(crate) fn describe_key<K: PrimaryKey>(key: &K) -> String {
    notes_model::describe_key(&key.to_key_map(), &<K::Item as Item>::KEY_SCHEMA)
}

#[cfg(test)]
mod tests {
    use crate::{Error, Item, MemoryBackend, Note, NoteKey, PrimaryKey, Repo};

    #[tokio::test]
    async fn errors_name_keys_by_their_stored_attribute_names() {
        let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
        repo.create_table_on_demand().await.unwrap();
        let key = NoteKey::new("u1", "n1");
        let missing = repo
            .update(&key)
            .apply(Note::CONTENT.set("x"))
            .if_exists()
            .await
            .unwrap_err();
        assert!(matches!(missing, Error::NotFound { .. }));
        assert_eq!(
            missing.to_string(),
            r#"no item with key {userId: "u1", noteId: "n1"} in table `notes`"#
        );

        let note = Note::new("u1", "hi");
        repo.create(&note).await.unwrap();
        let other = Note {
            content: "another note under the same key".into(),
            ..note.clone()
        };
        let exists = repo.create(&other).await.unwrap_err();
        assert!(matches!(exists, Error::AlreadyExists { .. }));
        let stored = crate::__model::describe_key(&note.key().to_key_map(), &Note::KEY_SCHEMA);
        assert_eq!(
            exists.to_string(),
            format!("an item with key {stored} already exists in table `notes`")
        );
    }
}
