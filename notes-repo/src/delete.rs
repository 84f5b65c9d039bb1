//! `DeleteItem`, typed: [`Repo::delete`].

use notes_model::expr::Condition;
use notes_model::{Item, ItemMap};

use crate::guards::transaction::Guarded;
use crate::guards::{self, ItemWrite, Read, Step};
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
    ///
    /// For an item type with `#[unique]` attributes, the delete reads the item and deletes it
    /// in one transaction with the guards of its values, freeing them; it answers the item
    /// read (its unique values, and its `#[version]` when named, checked unchanged). See
    /// [the guide](crate::guide::items#unique-attributes).
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

    /// The delete as an action of a transaction, with what its item's guards need.
    pub(crate) fn into_action(self) -> Result<(TransactWrite, Option<Guarded>)> {
        let (key, condition) = self.prepare()?;
        let table = self.repo.table_name();
        let guarded = match T::HAS_UNIQUE_ATTRIBUTES {
            true => Some(Guarded::delete(
                table,
                T::KEY_SCHEMA,
                T::unique_attributes_of,
                key.clone(),
                std::any::type_name::<T>(),
            )?),
            false => None,
        };
        let action = TransactWrite::Delete {
            table_name: table.to_owned(),
            key,
            condition,
        };
        Ok((action, guarded))
    }

    /// Sends the delete (what `.await` does) and answers with the deleted item.
    ///
    /// See [`Repo::delete`] for an example.
    pub async fn send(self) -> Result<Option<T>> {
        if T::HAS_UNIQUE_ATTRIBUTES {
            return self.send_guarded().await;
        }
        let (key, condition) = self.prepare()?;
        match self.delete_item(key, condition).await {
            Ok(old) => Ok(old.map(T::from_item).transpose()?),
            Err(err) => self.failed(err),
        }
    }

    /// The delete of an item type with `#[unique]` attributes: with the guards of its values,
    /// in one transaction (see the `guards` module); the plain delete when it has none. The
    /// answer is the item read before the transaction (its unique attributes, and its
    /// `#[version]` when named, checked to be unchanged).
    async fn send_guarded(self) -> Result<Option<T>> {
        let repo = self.repo;
        let (key, condition) = self.prepare()?;
        let (table, schema) = (repo.table_name(), &T::KEY_SCHEMA);
        guards::check_not_reserved(&key, schema, std::any::type_name::<T>())?;
        let mut write = ItemWrite::new(table, schema, &key);
        let mut last = None;
        for attempt in 1..=guards::MAX_ATTEMPTS {
            let before = guards::read(repo.traced(), table, key.clone()).await?;
            let unique = T::unique_attributes_of(before.as_ref().unwrap_or(&ItemMap::new()));
            let sets = guards::sets_of_delete(unique);
            let plan = write.plan(unique, sets, Read::Item(before.as_ref()))?;
            let full = guards::and(condition.clone(), plan.as_read.clone());
            let err = if plan.is_empty() {
                match self.delete_item(key.clone(), full.clone()).await {
                    Ok(old) => return Ok(old.map(T::from_item).transpose()?),
                    Err(err @ Error::ConditionFailed { .. }) => err,
                    Err(err) => return Err(err),
                }
            } else {
                let action = TransactWrite::Delete {
                    table_name: table.to_owned(),
                    key: key.clone(),
                    condition: full.clone(),
                };
                match write.send(repo.traced(), action, &plan, attempt).await? {
                    Step::Done => return Ok(before.map(T::from_item).transpose()?),
                    Step::Retry(err) => {
                        last = Some(err);
                        continue;
                    }
                    Step::Failed(err) => return Err(err),
                    Step::ItemFailed(err) => repo.other_entity(Error::ConditionFailed {
                        item: guards::read(repo.traced(), table, key.clone()).await?,
                        retried: false,
                        source: Some(Box::new(err)),
                    }),
                }
            };
            if let Error::ConditionFailed {
                item: stored,
                retried,
                ..
            } = &err
                && !(*retried && stored.is_none())
                && guards::changed_since_read(&plan, full.as_ref(), stored.as_ref())
            {
                last = Some(err);
                continue;
            }
            return self.failed(err);
        }
        Err(last.expect("at least one attempt"))
    }

    /// Sends the `DeleteItem`; answers the deleted item.
    async fn delete_item(
        &self,
        key: ItemMap,
        condition: Option<Condition>,
    ) -> Result<Option<ItemMap>> {
        let repo = self.repo;
        let mut request = DeleteItem::new(repo.table_name(), key)
            .return_values(ReturnValues::AllOld)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
        request.condition = condition;
        let output = repo
            .traced()
            .delete_item(request)
            .await
            .map_err(|err| repo.other_entity(err))?;
        Ok(output.attributes)
    }

    /// What a failed delete answers.
    fn failed(&self, err: Error) -> Result<Option<T>> {
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
        match (err, self.expected_version) {
            // A failed condition that only the version check was in is a version conflict.
            (Error::ConditionFailed { .. }, Some(expected)) if self.condition.is_none() => {
                Err(self.repo.version_conflict(self.key, expected))
            }
            (err, _) => Err(err),
        }
    }
}

send_on_await!(DeleteBuilder<'a, T, B> => Option<T>);
