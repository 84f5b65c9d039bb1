//! `DeleteItem`, typed: [`Repo::delete`].

use notes_model::Item;
use notes_model::expr::Condition;

use crate::repo::Repo;
use crate::send::send_on_await;
use notes_core::Backend;
use notes_core::request::{
    DeleteItem, ReturnValues, ReturnValuesOnConditionCheckFailure, TransactWrite,
};
use notes_core::{Error, Result};

/// A delete of one item by its key, built by [`Repo::delete`]; `.await` it (or call
/// `.send()`) for the deleted item.
#[must_use = "a delete does nothing until it is awaited"]
pub struct DeleteBuilder<'a, T: Item, B> {
    repo: &'a Repo<T, B>,
    key: &'a T::Key,
    condition: Option<Condition>,
    expected_version: Option<u64>,
}

impl<T: Item, B: Backend> Repo<T, B> {
    /// Deletes the item with `key` and answers with it, or `None` if there was none.
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "x");
    /// repo.put(&note).await?;
    /// assert_eq!(repo.delete(&note.key()).await?, Some(note.clone()));
    /// assert_eq!(repo.delete(&note.key()).await?, None);
    /// # Ok(()) }
    /// ```
    ///
    /// A type with a `#[version]` must name the version it deletes:
    /// [`DeleteBuilder::expect_version`].
    ///
    /// For an entity of a shared table, the delete (and its transaction form) never deletes
    /// another entity's item that has the same stored key: it carries the condition
    /// `attribute_not_exists(<pk>) OR <entity attribute> = :entity` (for a collection: the
    /// entity is one of its members'), ANDed with any other, and such an item is answered
    /// with the entity error ([`Error::Item`] of [`ItemError::Entity`](crate::ItemError::Entity),
    /// naming the entity found and the key) with nothing deleted; in a transaction, the
    /// cancelled transaction. [`Repo::batch_delete`] cannot check it (`BatchWriteItem` has no
    /// conditions).
    pub fn delete<'a>(&'a self, key: &'a T::Key) -> DeleteBuilder<'a, T, B> {
        DeleteBuilder {
            repo: self,
            key,
            condition: None,
            expected_version: None,
        }
    }
}

impl<T: Item, B: Backend> DeleteBuilder<'_, T, B> {
    /// Deletes only if `condition` holds for the stored item; [`Error::ConditionFailed`]
    /// otherwise. Conditions added twice must both hold.
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "keep me");
    /// repo.put(&note).await?;
    /// let err = repo.delete(&note.key()).condition(Note::CONTENT.eq("other")).await.unwrap_err();
    /// assert!(matches!(err, Error::ConditionFailed { .. }));
    /// # Ok(()) }
    /// ```
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(crate::repo::and(self.condition.take(), condition));
        self
    }

    /// For a `#[version]`ed type: deletes only the item at version `expected`;
    /// [`Error::VersionConflict`] if it is at another version or gone.
    ///
    /// ```
    /// use notes_repo::prelude::*;
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
    /// let repo: Repo<Doc, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let mut doc = Doc { id: "d1".into(), version: 0 };
    /// repo.save(&mut doc).await?;
    /// let err = repo.delete(&DocKey::new("d1")).expect_version(7).await.unwrap_err();
    /// assert!(matches!(err, Error::VersionConflict { .. }));
    /// assert_eq!(repo.delete(&DocKey::new("d1")).expect_version(1).await?, Some(doc));
    /// # Ok(()) }
    /// ```
    pub fn expect_version(mut self, expected: u64) -> Self {
        self.expected_version = Some(expected);
        self
    }

    /// The key map and the combined condition (the version check included).
    fn prepare(&self) -> Result<(notes_model::ItemMap, Option<Condition>)> {
        let repo = self.repo;
        let check = match (T::VERSION_ATTRIBUTE, self.expected_version) {
            (_, Some(expected)) => Some(repo.delete_check(expected)?),
            (Some(attribute), None) => {
                return Err(Error::validation(format!(
                    "{} is versioned by `{attribute}`: name the version this delete removes \
                     with .expect_version(n)",
                    std::any::type_name::<T>()
                )));
            }
            (None, None) => None,
        };
        let condition = repo.with_entity_check(
            check
                .into_iter()
                .chain(self.condition.clone())
                .reduce(|a, b| a & b),
        );
        if let Some(condition) = &self.condition {
            notes_core::validate::condition(condition)?;
        }
        Ok((repo.key_map(self.key)?, condition))
    }

    /// The delete as an action of a transaction.
    pub(crate) fn into_action(self) -> Result<TransactWrite> {
        let (key, condition) = self.prepare()?;
        Ok(TransactWrite::Delete {
            table_name: self.repo.table_name().to_owned(),
            key,
            condition,
        })
    }

    /// Sends the delete (what `.await` does) and answers with the deleted item.
    ///
    /// See [`Repo::delete`] for an example.
    pub async fn send(self) -> Result<Option<T>> {
        let repo = self.repo;
        let (key, condition) = self.prepare()?;
        let mut request = DeleteItem::new(repo.table_name(), key)
            .return_values(ReturnValues::AllOld)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
        request.condition = condition;
        let err = match repo
            .traced()
            .delete_item(request)
            .await
            .map_err(|err| repo.other_entity(err))
        {
            Ok(output) => return Ok(output.attributes.map(T::from_item).transpose()?),
            Err(err @ Error::ConditionFailed { .. }) => err,
            Err(err) => return Err(err),
        };
        // The request was retried and no item is left: the earlier attempt deleted it and
        // only its answer (with the deleted item) was lost.
        if let Error::ConditionFailed {
            item: None,
            retried: true,
            ..
        } = err
        {
            return Ok(None);
        }
        match self.expected_version {
            // A failed condition that only the version check was in is a version conflict.
            Some(expected) if self.condition.is_none() => {
                Err(repo.version_conflict(self.key, expected))
            }
            _ => Err(err),
        }
    }
}

send_on_await!(DeleteBuilder<'a, T, B> => Option<T>);
