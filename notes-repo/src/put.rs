//! `PutItem`, typed: [`Repo::put`], [`Repo::create`] and [`Repo::save`].

use std::marker::PhantomData;

use notes_model::expr::Condition;
use notes_model::{Item, ItemMap};

use crate::guards::transaction::Guarded;
use crate::guards::{self, ItemWrite, Read, Step};
use crate::replay;
use crate::repo::{Repo, describe_key};
use crate::send::send_on_await;
use notes_core::Backend;
use notes_core::request::{
    PutItem, ReturnValues, ReturnValuesOnConditionCheckFailure, TransactWrite,
};
use notes_core::{Error, Result};

/// A write of one whole item, built by [`Repo::put`] or [`Repo::create`]; `.await` it (or call
/// `.send()`). `R` is what it answers: `()`, or the replaced item after
/// [`PutBuilder::return_old`].
#[must_use = "a write does nothing until it is awaited"]
pub struct PutBuilder<'a, T: Item, B, R = ()> {
    repo: &'a Repo<T, B>,
    item: &'a T,
    create: bool,
    condition: Option<Condition>,
    return_values: ReturnValues,
    marker: PhantomData<fn() -> R>,
}

impl<T: Item, B: Backend> Repo<T, B> {
    /// Writes `item`, replacing any item with the same key.
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
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
    ///
    /// `put` creates the item when none has its key. Either way it writes the whole item,
    /// serialized from `T`, so what it stores reads back as `T` (the derive refuses fields
    /// serde would leave out and then not read).
    ///
    /// For an entity of a shared table (or a collection), `put`, `create` and `save` (and
    /// their transaction forms) never replace another entity's item that has the same stored
    /// key: they carry the condition `attribute_not_exists(<pk>) OR <entity attribute> =
    /// :entity` (ANDed with any other), and such an item is answered with the entity error
    /// ([`Error::Item`] of [`ItemError::Entity`](crate::ItemError::Entity), naming the entity
    /// found and the key) with nothing changed; in a transaction, the cancelled transaction.
    /// [`Repo::batch_put`] cannot check it (`BatchWriteItem` has no conditions).
    ///
    /// For an item type with `#[unique]` attributes, `put` and `save` read the item
    /// (strongly consistent) and write it in one transaction with the guards of the values it
    /// gives up (deleted) and takes (written), or as a single put when no value changes; a
    /// value another item holds is [`Error::UniqueConflict`], with nothing written.
    /// `create` reads nothing. `return_old` answers the item read before the transaction.
    /// Costs and the guards' format: [the guide](crate::guide::items#unique-attributes).
    pub fn put<'a>(&'a self, item: &'a T) -> PutBuilder<'a, T, B> {
        PutBuilder {
            repo: self,
            item,
            create: false,
            condition: None,
            return_values: ReturnValues::None,
            marker: PhantomData,
        }
    }

    /// Writes a new item; [`Error::AlreadyExists`] if an item with its key exists.
    ///
    /// It only ever creates, and what it creates is the whole item, as [`Repo::put`] writes
    /// it: it reads back as `T`.
    ///
    /// When the create was retried after an attempt whose outcome is unknown (the SDK re-sent
    /// it after a reset, a timeout or a 5xx, or a layer marked it with
    /// [`Error::mark_retried`]) and finds the item exactly as this create writes it, the
    /// create counts as done: the stored item comes back with the failed condition
    /// (`ReturnValuesOnConditionCheckFailure`) and is compared with the item. Sent once, or
    /// re-sent only after throttling, an identical item is someone else's: `AlreadyExists`.
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "hello");
    /// repo.create(&note).await?;
    /// let err = repo.create(&note).await.unwrap_err();
    /// assert!(matches!(err, Error::AlreadyExists { .. }));
    /// # Ok(()) }
    /// ```
    pub fn create<'a>(&'a self, item: &'a T) -> PutBuilder<'a, T, B> {
        PutBuilder {
            create: true,
            ..self.put(item)
        }
    }

    /// Like [`Repo::put`], and then sets `item`'s `#[version]` to the version written, so the
    /// next `save` of the same value passes the version check.
    ///
    /// It creates the item at version 0 (or, for an unversioned type, when none has its key),
    /// writing the whole item as [`Repo::put`] does, so it reads back as `T`.
    ///
    /// ```
    /// use notes_repo::prelude::*;
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
    /// let repo: Repo<Doc, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let mut doc = Doc { id: "d1".into(), body: "v1".into(), version: 0 };
    /// repo.save(&mut doc).await?;            // first write: requires no item, stores version 1
    /// doc.body = "v2".into();
    /// repo.save(&mut doc).await?;            // expects version 1, stores version 2
    /// assert_eq!(doc.version, 2);
    /// let mut stale = Doc { id: "d1".into(), body: "lost?".into(), version: 1 };
    /// let err = repo.save(&mut stale).await.unwrap_err();
    /// assert!(matches!(err, Error::VersionConflict { .. }));
    /// # Ok(()) }
    /// ```
    pub async fn save(&self, item: &mut T) -> Result<()> {
        let (version, _) = self.put(item).write().await?;
        if let Some(version) = version {
            item.set_version(version);
        }
        Ok(())
    }
}

impl<'a, T: Item, B: Backend, R> PutBuilder<'a, T, B, R> {
    /// The write happens only if `condition` holds for the stored item;
    /// [`Error::ConditionFailed`] otherwise. Conditions added twice must both hold.
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "v1");
    /// repo.put(&note).await?;
    /// let err = repo.put(&note).condition(Note::CONTENT.eq("something else")).await.unwrap_err();
    /// assert!(matches!(err, Error::ConditionFailed { .. }));
    /// # Ok(()) }
    /// ```
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(crate::repo::and(self.condition.take(), condition));
        self
    }

    /// Answers with the item this write replaced (`ReturnValues::ALL_OLD`), `None` if there
    /// was none.
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let mut note = Note::new("u1", "v1");
    /// assert_eq!(repo.put(&note).return_old().await?, None);
    /// note.content = "v2".into();
    /// assert_eq!(repo.put(&note).return_old().await?.unwrap().content, "v1");
    /// # Ok(()) }
    /// ```
    pub fn return_old(self) -> PutBuilder<'a, T, B, Option<T>> {
        PutBuilder {
            repo: self.repo,
            item: self.item,
            create: self.create,
            condition: self.condition,
            return_values: ReturnValues::AllOld,
            marker: PhantomData,
        }
    }

    /// The item map to write and its condition (the version check and `create`'s check
    /// included), and the version it writes.
    fn prepare(&self) -> Result<(ItemMap, Option<Condition>, Option<u64>)> {
        let mut condition = self.condition.clone();
        if self.create {
            if let Some(version @ 1..) = self.item.version() {
                return Err(Error::validation(format!(
                    "create writes version 1 of a new item, but the item has version {version}"
                )));
            }
            let absent = self.repo.not_exists();
            condition = Some(match condition {
                Some(c) => absent & c,
                None => absent,
            });
        }
        self.repo
            .prepare_write(self.item, self.repo.with_entity_check(condition))
    }

    /// The write as an action of a transaction, with what its item's guards need.
    pub(crate) fn into_action(self) -> Result<(TransactWrite, Option<Guarded>)> {
        let (item, condition, _) = self.prepare()?;
        let table = self.repo.table_name();
        let guarded = match T::HAS_UNIQUE_ATTRIBUTES {
            true => Some(Guarded::put(
                table,
                T::KEY_SCHEMA,
                T::unique_attributes_of,
                item.clone(),
                self.create,
                std::any::type_name::<T>(),
            )?),
            false => None,
        };
        let action = TransactWrite::Put {
            table_name: table.to_owned(),
            item,
            condition,
        };
        Ok((action, guarded))
    }

    /// Sends the write; answers the version written (for a versioned type) and the old item
    /// when asked for.
    async fn write(self) -> Result<(Option<u64>, Option<ItemMap>)> {
        if T::HAS_UNIQUE_ATTRIBUTES {
            return self.write_guarded().await;
        }
        let (item, condition, version) = self.prepare()?;
        // What was written, to recognise it on a failed condition (only conditional puts fail).
        let written = condition.is_some().then(|| item.clone());
        match self.put_item(item, condition).await {
            Ok(old) => Ok((version, old)),
            Err(err) => self.failed(err, written.as_ref(), version),
        }
    }

    /// The write of an item type with `#[unique]` attributes: the item and its guards in one
    /// transaction (see the `guards` module), or the plain put when no guard changes.
    async fn write_guarded(self) -> Result<(Option<u64>, Option<ItemMap>)> {
        let repo = self.repo;
        let (item, condition, version) = self.prepare()?;
        let schema = &T::KEY_SCHEMA;
        guards::check_not_reserved(&item, schema, std::any::type_name::<T>())?;
        let key = schema.extract_key(&item)?;
        let unique = T::unique_attributes_of(&item);
        let mut write = ItemWrite::new(repo.table_name(), schema, &key);
        let mut last = None;
        for attempt in 1..=guards::MAX_ATTEMPTS {
            let before = match self.create {
                true => None,
                false => guards::read(repo.traced(), repo.table_name(), key.clone()).await?,
            };
            let read = match self.create {
                true => Read::Nothing,
                false => Read::Item(before.as_ref()),
            };
            let plan = write.plan(unique, guards::sets_of_item(unique, &item), read)?;
            let full = guards::and(condition.clone(), plan.as_read.clone());
            let err = if plan.is_empty() {
                match self.put_item(item.clone(), full.clone()).await {
                    Ok(old) => return Ok((version, old)),
                    Err(err @ Error::ConditionFailed { .. }) => err,
                    Err(err) => return Err(err),
                }
            } else {
                let action = TransactWrite::Put {
                    table_name: repo.table_name().to_owned(),
                    item: item.clone(),
                    condition: full.clone(),
                };
                match write.send(repo.traced(), action, &plan, attempt).await? {
                    Step::Done => {
                        let old = before.filter(|_| self.return_values == ReturnValues::AllOld);
                        return Ok((version, old));
                    }
                    Step::Retry(err) => {
                        last = Some(err);
                        continue;
                    }
                    Step::Failed(err) => return Err(err),
                    Step::ItemFailed(err) => Error::ConditionFailed {
                        item: guards::read(repo.traced(), repo.table_name(), key.clone()).await?,
                        retried: false,
                        source: Some(Box::new(err)),
                    },
                }
            };
            if let Error::ConditionFailed { item: stored, .. } = &err
                && guards::changed_since_read(&plan, full.as_ref(), stored.as_ref())
                && !self.is_replay(&err, Some(&item))
            {
                last = Some(err);
                continue;
            }
            return self.failed(err, full.is_some().then_some(&item), version);
        }
        Err(last.expect("at least one attempt"))
    }

    /// Sends the `PutItem`; answers the replaced item when asked for.
    async fn put_item(
        &self,
        item: ItemMap,
        condition: Option<Condition>,
    ) -> Result<Option<ItemMap>> {
        let repo = self.repo;
        let mut request = PutItem::new(repo.table_name(), item)
            .return_values(self.return_values)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
        request.condition = condition;
        let output = repo
            .traced()
            .put_item(request)
            .await
            .map_err(|err| repo.other_entity(err))?;
        Ok(output.attributes)
    }

    /// Whether `err` is the failed condition of a retried put that finds the item exactly as
    /// it wrote it: the earlier attempt was applied and only its answer was lost. (Without a
    /// retry, an identical item is someone else's write: two read-modify-writes that computed
    /// the same value must still conflict.) The replaced item went with the lost answer, so
    /// `return_old` cannot be answered again.
    fn is_replay(&self, err: &Error, written: Option<&ItemMap>) -> bool {
        matches!(err, Error::ConditionFailed { item: Some(stored), retried: true, .. }
            if self.return_values == ReturnValues::None
                && written.is_some_and(|w| replay::is_written(stored, w)))
    }

    /// What a failed put answers: as applied for a replay ([`PutBuilder::is_replay`]), and for
    /// a failed condition that only the SDK's own checks were in, what they check.
    fn failed(
        &self,
        err: Error,
        written: Option<&ItemMap>,
        version: Option<u64>,
    ) -> Result<(Option<u64>, Option<ItemMap>)> {
        let repo = self.repo;
        let err = repo.other_entity(err);
        if self.is_replay(&err, written) {
            return Ok((version, None));
        }
        match err {
            Error::ConditionFailed { .. } if self.condition.is_none() && self.create => {
                Err(Error::AlreadyExists {
                    table: repo.table_name().to_owned(),
                    key: describe_key(&self.item.key()),
                })
            }
            Error::ConditionFailed { .. } if self.condition.is_none() && version.is_some() => {
                Err(repo.version_conflict(&self.item.key(), self.item.version().unwrap_or(0)))
            }
            err => Err(err),
        }
    }
}

impl<T: Item, B: Backend> PutBuilder<'_, T, B> {
    /// Sends the write (what `.await` does).
    ///
    /// See [`Repo::put`] for an example.
    pub async fn send(self) -> Result<()> {
        self.write().await.map(drop)
    }
}

impl<T: Item, B: Backend> PutBuilder<'_, T, B, Option<T>> {
    /// Sends the write (what `.await` does) and answers with the replaced item.
    ///
    /// See [`PutBuilder::return_old`] for an example.
    pub async fn send(self) -> Result<Option<T>> {
        let (_, old) = self.write().await?;
        Ok(old.map(T::from_item).transpose()?)
    }
}

send_on_await!(PutBuilder<'a, T, B> => ());
send_on_await!(PutBuilder<'a, T, B, Option<T>> => Option<T>);
