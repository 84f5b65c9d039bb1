//! `UpdateItem`, typed: [`Repo::update`].

use std::marker::PhantomData;

use notes_model::expr::{Condition, Operand, Path, PathElement, SetValue, Update, UpdateAction};
use notes_model::{AttributeValue, Item, ItemMap};

use crate::complete;
use crate::guards::transaction::Guarded;
use crate::guards::{self, ItemWrite, Read, Step};
use crate::replay;
use crate::repo::Repo;
use crate::send::send_on_await;
use notes_core::Backend;
use notes_core::request::{
    ReturnValues, ReturnValuesOnConditionCheckFailure, TransactWrite, UpdateItem,
};
use notes_core::validate;
use notes_core::{Error, Result};

/// An update of one item, built from typed actions by [`Repo::update`]; `.await` it (or call
/// `.send()`). `R` is what it answers: the item as it is afterwards (`T`), or as it was before
/// after [`UpdateBuilder::return_old`].
#[must_use = "an update does nothing until it is awaited"]
pub struct UpdateBuilder<'a, T: Item, B, R = T> {
    repo: &'a Repo<T, B>,
    key: &'a T::Key,
    update: Update,
    condition: Option<Condition>,
    if_exists: bool,
    expected_version: Option<u64>,
    marker: PhantomData<fn() -> R>,
}

impl<T: Item, B: Backend> Repo<T, B> {
    /// Starts an update of the item with `key`: add actions with [`UpdateBuilder::apply`],
    /// then `.await` it for the item as it is afterwards.
    ///
    /// Like DynamoDB's `UpdateItem`, an update creates the item when none has the key, unless
    /// it cannot: with [`UpdateBuilder::if_exists`], a `#[version]`ed type's
    /// `.expect_version(n)` with `n >= 1`, or a [condition](UpdateBuilder::condition) that no
    /// missing item meets (a comparison on an attribute, or `attribute_exists`, that no `NOT`
    /// or `OR` can bypass). An update that may create the item must set every
    /// attribute the type needs to read it ([`Item::REQUIRED_ATTRIBUTES`]), and no update may
    /// remove one of them: otherwise it is [`Error::Validation`], before anything is sent.
    ///
    /// For an item type with `#[unique]` attributes, an update that sets one of them (to a
    /// value with `set`, or removing it: other actions on it are refused before sending) reads
    /// the item and applies the update in one transaction with the guards of the values it
    /// gives up and takes; a value another item holds is [`Error::UniqueConflict`]. It then
    /// answers the item read after the transaction (or, with `return_old`, the one read
    /// before). An update of other attributes is the plain `UpdateItem`. See
    /// [the guide](crate::guide::items#unique-attributes).
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "old").with_attachment("a.png");
    /// repo.put(&note).await?;
    /// let updated = repo
    ///     .update(&note.key())
    ///     .apply(Note::CONTENT.set("new"))
    ///     .apply(Note::ATTACHMENT.remove())
    ///     .if_exists()
    ///     .await?;
    /// assert_eq!((updated.content.as_str(), updated.attachment), ("new", None));
    /// # Ok(()) }
    /// ```
    pub fn update<'a>(&'a self, key: &'a T::Key) -> UpdateBuilder<'a, T, B> {
        UpdateBuilder {
            repo: self,
            key,
            update: Update::new(),
            condition: None,
            // An entity's update never creates an item: it could not compute the key's
            // fields or write the entity attribute.
            if_exists: T::ENTITY.is_some(),
            expected_version: None,
            marker: PhantomData,
        }
    }
}

impl<'a, T: Item, B: Backend, R> UpdateBuilder<'a, T, B, R> {
    /// Adds an action: `Note::CONTENT.set(..)`, `Note::ATTACHMENT.remove()`, `X.add(1)`, ...
    ///
    /// See [`Repo::update`] for an example.
    pub fn apply(mut self, action: UpdateAction) -> Self {
        self.update.actions.push(action);
        self
    }

    /// The update happens only if `condition` holds for the stored item; conditions added
    /// twice must both hold.
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
    /// let result = repo.update(&note.key())
    ///     .apply(Note::CONTENT.set("v2"))
    ///     .condition(Note::CONTENT.eq("v0"))
    ///     .if_exists()
    ///     .await;
    /// assert!(matches!(result, Err(Error::ConditionFailed { .. })));
    /// # Ok(()) }
    /// ```
    pub fn condition(mut self, condition: Condition) -> Self {
        self.condition = Some(crate::repo::and(self.condition.take(), condition));
        self
    }

    /// Updates only an existing item: [`Error::NotFound`] instead of creating one.
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::{Note, NoteKey};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let result = repo.update(&NoteKey::new("u1", "missing"))
    ///     .apply(Note::CONTENT.set("x"))
    ///     .if_exists()
    ///     .await;
    /// assert!(matches!(result, Err(Error::NotFound { .. })));
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
    /// repo.save(&mut doc).await?;
    /// let doc = repo.update(&doc.key()).apply(Doc::BODY.set("v2")).expect_version(1).await?;
    /// assert_eq!(doc.version, 2);
    /// # Ok(()) }
    /// ```
    pub fn expect_version(mut self, expected: u64) -> Self {
        self.expected_version = Some(expected);
        self
    }

    /// Answers with the item as it was before the update (`ReturnValues::ALL_OLD`), `None` if
    /// the update created it.
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "before");
    /// repo.put(&note).await?;
    /// let old = repo
    ///     .update(&note.key())
    ///     .apply(Note::CONTENT.set("after"))
    ///     .if_exists()
    ///     .return_old()
    ///     .await?;
    /// assert_eq!(old.unwrap().content, "before");
    /// # Ok(()) }
    /// ```
    pub fn return_old(self) -> UpdateBuilder<'a, T, B, Option<T>> {
        UpdateBuilder {
            repo: self.repo,
            key: self.key,
            update: self.update,
            condition: self.condition,
            if_exists: self.if_exists,
            expected_version: self.expected_version,
            marker: PhantomData,
        }
    }

    /// The request parts: key, actions (with the version bump) and the combined condition.
    fn into_parts(self) -> Result<UpdateParts> {
        let repo = self.repo;
        let key_map = repo.key_map(self.key)?;
        let mut update = self.update;
        let caller_condition = self.condition.is_some();
        let mut checks = Vec::new();
        let mut conflict = None;
        if self.if_exists {
            checks.push(Condition::Exists(Path::attribute(
                T::KEY_SCHEMA.partition_key.name.clone(),
            )));
        }
        repo.check_key_components(&update)?;
        if let Some(entity) = T::ENTITY {
            // The entity attribute says which type an item is: rewritten, the item would pass
            // another entity's checks (and this type could no longer read it).
            if let Some(action) = update.actions.iter().find(|action| {
                matches!(
                    action.path().elements.first(),
                    Some(PathElement::Name(name)) if name == entity.attribute
                )
            }) {
                return Err(Error::validation(format!(
                    "`{}` is the entity attribute of {} (entity `{}`): an update cannot write it \
                     (`{}`)",
                    entity.attribute,
                    std::any::type_name::<T>(),
                    entity.name,
                    action.path()
                )));
            }
        }
        let computed = T::computed_updates(self.key, &update)?;
        update.actions.extend(computed);
        if let Some(entity) = T::ENTITY {
            checks.push(entity.condition());
        }
        match (T::VERSION_ATTRIBUTE, self.expected_version) {
            (Some(attribute), Some(expected)) => {
                let (check, next) = repo.version_check(expected)?;
                checks.push(check);
                update.actions.push(UpdateAction::Set(
                    Path::attribute(attribute),
                    SetValue::Value(Operand::Value(AttributeValue::N(next.to_string()))),
                ));
                conflict = Some(repo.version_conflict(self.key, expected));
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
        complete::check_update::<T>(&update, condition.as_ref())?;
        if let Some(condition) = &condition {
            validate::condition(condition)?;
        }
        let on_condition_failed = match (caller_condition, conflict, self.if_exists) {
            (true, _, _) => None,
            (false, Some(conflict), _) => Some(conflict),
            (false, None, true) => Some(repo.not_found(self.key)),
            (false, None, false) => None,
        };
        Ok(UpdateParts {
            table: repo.table_name().to_owned(),
            key: key_map,
            update,
            condition,
            on_condition_failed,
        })
    }

    /// The update as an action of a transaction, with what its item's guards need.
    pub(crate) fn into_action(self) -> Result<(TransactWrite, Option<Guarded>)> {
        let parts = self.into_parts()?;
        let guarded = match T::HAS_UNIQUE_ATTRIBUTES {
            true => Guarded::update(
                &parts.table,
                T::KEY_SCHEMA,
                T::unique_attributes_of,
                parts.key.clone(),
                parts.update.clone(),
                std::any::type_name::<T>(),
                T::UNIQUE_ATTRIBUTES.is_empty(),
            )?,
            false => None,
        };
        let action = TransactWrite::Update {
            table_name: parts.table,
            key: parts.key,
            update: parts.update,
            condition: parts.condition,
        };
        Ok((action, guarded))
    }

    async fn send_with(self, return_values: ReturnValues) -> Result<Option<ItemMap>> {
        let repo = self.repo;
        let parts = self.into_parts()?;
        if T::HAS_UNIQUE_ATTRIBUTES {
            return repo.update_guarded(parts, return_values).await;
        }
        let condition = parts.condition.clone();
        let result = repo
            .update_item(&parts, condition.clone(), return_values)
            .await;
        repo.update_failed(result, parts, condition.as_ref(), return_values)
    }
}

impl<T: Item, B: Backend> Repo<T, B> {
    /// Sends the `UpdateItem` of `parts` with `condition`.
    async fn update_item(
        &self,
        parts: &UpdateParts,
        condition: Option<Condition>,
        return_values: ReturnValues,
    ) -> Result<Option<ItemMap>> {
        let mut request = UpdateItem::new(&parts.table, parts.key.clone(), parts.update.clone())
            .return_values(return_values)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
        request.condition = condition;
        Ok(self.traced().update_item(request).await?.attributes)
    }

    /// What an update answers: its item, or for a failed condition, the answer of an attempt
    /// applied whose answer was lost, or what the SDK's own checks mean.
    fn update_failed(
        &self,
        result: Result<Option<ItemMap>>,
        parts: UpdateParts,
        condition: Option<&Condition>,
        return_values: ReturnValues,
    ) -> Result<Option<ItemMap>> {
        match (result, parts.on_condition_failed) {
            (Ok(attributes), _) => Ok(attributes),
            // The update was retried (an earlier attempt's outcome is unknown) and the stored
            // item already shows every change of it (its version bump included) with the part
            // of its condition it does not write still true: that attempt was applied and only
            // its answer was lost. The item as it is now is the answer `ALL_NEW` asks for; the
            // image before it went with the lost answer. (Without a retry, the same item is
            // someone else's write: two read-modify-writes that computed the same value must
            // still conflict.)
            (
                Err(Error::ConditionFailed {
                    item: Some(stored),
                    retried: true,
                    ..
                }),
                _,
            ) if return_values == ReturnValues::AllNew
                && condition.is_some_and(|condition| {
                    replay::is_updated(&stored, &parts.update, Some(condition))
                }) =>
            {
                Ok(Some(stored))
            }
            (Err(Error::ConditionFailed { .. }), Some(mapped)) => Err(mapped),
            (Err(err), _) => Err(err),
        }
    }

    /// The update of an item type with `#[unique]` attributes: with the guards of the values
    /// it sets, in one transaction (see the `guards` module); the plain update when it sets
    /// none. Answers `ALL_NEW` by reading the item after the transaction, and `ALL_OLD` with
    /// the item read before it.
    async fn update_guarded(
        &self,
        parts: UpdateParts,
        return_values: ReturnValues,
    ) -> Result<Option<ItemMap>> {
        let schema = &T::KEY_SCHEMA;
        guards::check_not_reserved(&parts.key, schema, std::any::type_name::<T>())?;
        // An item type knows its unique attributes before reading; a collection knows them
        // from the member it reads.
        let own = T::unique_attributes_of(&ItemMap::new());
        if !T::UNIQUE_ATTRIBUTES.is_empty()
            && guards::sets_of_update(own, &parts.update)?.is_empty()
        {
            let condition = parts.condition.clone();
            let result = self
                .update_item(&parts, condition.clone(), return_values)
                .await;
            return self.update_failed(result, parts, condition.as_ref(), return_values);
        }
        let table = self.table_name();
        let mut write = ItemWrite::new(table, schema, &parts.key);
        let mut last = None;
        for attempt in 1..=guards::MAX_ATTEMPTS {
            let before = guards::read(self.traced(), table, parts.key.clone()).await?;
            let unique = T::unique_attributes_of(before.as_ref().unwrap_or(&ItemMap::new()));
            let sets = guards::sets_of_update(unique, &parts.update)?;
            let plan = write.plan(unique, sets, Read::Item(before.as_ref()))?;
            let full = guards::and(parts.condition.clone(), plan.as_read.clone());
            let result = if plan.is_empty() {
                self.update_item(&parts, full.clone(), return_values).await
            } else {
                let action = TransactWrite::Update {
                    table_name: table.to_owned(),
                    key: parts.key.clone(),
                    update: parts.update.clone(),
                    condition: full.clone(),
                };
                match write.send(self.traced(), action, &plan, attempt).await? {
                    Step::Done => {
                        return match return_values {
                            ReturnValues::AllNew => {
                                guards::read(self.traced(), table, parts.key.clone()).await
                            }
                            ReturnValues::AllOld => Ok(before),
                            _ => Ok(None),
                        };
                    }
                    Step::Retry(err) => {
                        last = Some(err);
                        continue;
                    }
                    Step::Failed(err) => return Err(err),
                    Step::ItemFailed(err) => Err(Error::ConditionFailed {
                        item: guards::read(self.traced(), table, parts.key.clone()).await?,
                        retried: false,
                        source: Some(Box::new(err)),
                    }),
                }
            };
            let retry = match &result {
                Err(Error::ConditionFailed {
                    item: stored,
                    retried,
                    ..
                }) => {
                    let replayed = *retried
                        && stored.as_ref().is_some_and(|stored| {
                            replay::is_updated(stored, &parts.update, full.as_ref())
                        });
                    !replayed && guards::changed_since_read(&plan, full.as_ref(), stored.as_ref())
                }
                _ => false,
            };
            if retry {
                last = result.err();
                continue;
            }
            return self.update_failed(result, parts, full.as_ref(), return_values);
        }
        Err(last.expect("at least one attempt"))
    }
}

impl<T: Item, B: Backend> UpdateBuilder<'_, T, B> {
    /// Sends the update (what `.await` does) and answers with the item as it is afterwards
    /// (`ALL_NEW`).
    ///
    /// See [`Repo::update`] for an example.
    pub async fn send(self) -> Result<T> {
        let (repo, key) = (self.repo, self.key);
        let item = self
            .send_with(ReturnValues::AllNew)
            .await?
            .ok_or_else(|| repo.not_found(key))?;
        Ok(T::from_item(item)?)
    }
}

impl<T: Item, B: Backend> UpdateBuilder<'_, T, B, Option<T>> {
    /// Sends the update (what `.await` does) and answers with the item as it was before.
    ///
    /// See [`UpdateBuilder::return_old`] for an example.
    pub async fn send(self) -> Result<Option<T>> {
        let attributes = self.send_with(ReturnValues::AllOld).await?;
        Ok(attributes.map(T::from_item).transpose()?)
    }
}

send_on_await!(UpdateBuilder<'a, T, B> => T);
send_on_await!(UpdateBuilder<'a, T, B, Option<T>> => Option<T>);

/// An update ready to send.
struct UpdateParts {
    table: String,
    key: ItemMap,
    update: Update,
    condition: Option<Condition>,
    /// What a failed condition means when only the SDK's own checks were in it.
    on_condition_failed: Option<Error>,
}
