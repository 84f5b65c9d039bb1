//! Typed transactions: all-or-nothing writes and consistent reads across item types.

use std::marker::PhantomData;

use notes_model::expr::Condition;
use notes_model::{Item, ItemMap, SharedItem};

use crate::delete::DeleteBuilder;
use crate::guards;
use crate::guards::transaction::Guarded;
use crate::put::PutBuilder;
use crate::repo::Repo;
use crate::send::send_on_await;
use crate::update::UpdateBuilder;
use notes_core::Backend;
use notes_core::Traced;
use notes_core::request::{TransactGet, TransactGetItems, TransactWrite, TransactWriteItems};
use notes_core::validate;
use notes_core::{Error, Result};

pub use crate::transaction_rules::MAX_TRANSACTION_ACTIONS;
use crate::transaction_rules::{check_action_count, new_token};

/// Up to 100 writes and checks, across tables and item types, applied all or nothing.
///
/// Actions are added with the item's own repository, so each is typed and validated; the first
/// invalid action is reported when the transaction is sent (`.await`, or
/// [`WriteTransaction::send`]), before anything goes out. A
/// cancelled transaction is [`Error::TransactionCanceled`] with one reason per action, in the
/// order they were added. `#[version]`ed items are checked and bumped as in single writes.
///
/// The guards of `#[unique]` attributes are kept as in single writes: when the transaction is
/// sent, the items of its puts (not its creates), deletes and updates of unique attributes are
/// read, each action gets the condition that the values it changes are still those read, and
/// the guard writes follow the actions added, in their order. A value another item holds is
/// [`Error::UniqueConflict`]; a cancellation for another reason is the transaction's, whose
/// reasons name the actions added, then the guard writes. See
/// [the guide](crate::guide::items#unique-attributes).
///
/// What the actions may create reads back as its type, as in single writes: a `put` (or
/// `create`) writes the whole item, and an `update` that may create its item must set every
/// attribute the type requires ([`Repo::update`] says when an update may create), or
/// the transaction is [`Error::Validation`] and nothing is sent.
///
/// ```
/// use notes_model::{Item, Note};
/// use notes_repo::{MemoryBackend, Repo, WriteTransaction};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let backend = MemoryBackend::new();
/// let notes: Repo<Note, _> = Repo::new(backend.clone());
/// notes.create_table_on_demand().await?;
///
/// let original = Note::new("u1", "original");
/// let draft = Note::new("u1", "draft");
/// notes.put(&original).await?;
/// notes.put(&draft).await?;
/// // Publish the draft as a copy for u2, only while the original is unchanged.
/// let copy = Note { user_id: "u2".into(), ..draft.clone() };
/// WriteTransaction::new(&backend)
///     .check(&notes, &original.key(), Note::CONTENT.eq("original"))
///     .put(notes.create(&copy))
///     .update(notes.update(&draft.key()).apply(Note::CONTENT.set("published")).if_exists())
///     .await?;
/// assert_eq!(notes.get(&draft.key()).await?.unwrap().content, "published");
/// assert!(notes.get(&copy.key()).await?.is_some());
/// # Ok(()) }
/// ```
#[must_use = "a transaction does nothing until it is awaited"]
pub struct WriteTransaction<B> {
    backend: Traced<B>,
    actions: Vec<TransactWrite>,
    /// The guards of the actions' items with `#[unique]` attributes, added when it is sent.
    guarded: Vec<Guarded>,
    error: Option<Error>,
    client_request_token: Option<String>,
}

impl<B: Backend> WriteTransaction<B> {
    /// An empty transaction on `backend`.
    ///
    /// See [`WriteTransaction`] for an example.
    pub fn new(backend: &B) -> Self {
        WriteTransaction {
            backend: Traced::new(backend.clone()),
            actions: Vec::new(),
            guarded: Vec::new(),
            error: None,
            client_request_token: None,
        }
    }

    fn push(mut self, action: Result<(TransactWrite, Option<Guarded>)>) -> Self {
        match action {
            Ok((action, guarded)) => {
                if let Some(mut guarded) = guarded {
                    guarded.index = self.actions.len();
                    self.guarded.push(guarded);
                }
                self.actions.push(action);
            }
            Err(err) => {
                self.error.get_or_insert(err);
            }
        }
        self
    }

    /// Writes an item as built with [`Repo::put`] or [`Repo::create`] (with its condition,
    /// and its `#[version]` checked and bumped, if it has one).
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::{Note, WriteTransaction};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let backend = MemoryBackend::new();
    /// # let notes: Repo<Note, _> = Repo::new(backend.clone());
    /// # notes.create_table_on_demand().await?;
    /// WriteTransaction::new(&backend)
    ///     .put(notes.put(&Note::new("u1", "a")))
    ///     .put(notes.create(&Note::new("u1", "b")))
    ///     .await?;
    /// assert_eq!(notes.query("u1").all().await?.len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn put<T: Item, R>(self, put: PutBuilder<'_, T, B, R>) -> Self {
        self.push(put.into_action())
    }

    /// Applies an update built with [`Repo::update`] (its actions, conditions and version).
    ///
    /// Checked as a single update is: one that may create its item without an attribute the
    /// type requires, or that removes one, makes the transaction answer
    /// [`Error::Validation`].
    ///
    /// See [`WriteTransaction`] for an example.
    pub fn update<T: Item, R>(self, update: UpdateBuilder<'_, T, B, R>) -> Self {
        self.push(update.into_action())
    }

    /// Deletes an item as built with [`Repo::delete`] (with its condition, and the version
    /// of a `#[version]`ed item).
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::{Note, WriteTransaction};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let backend = MemoryBackend::new();
    /// # let notes: Repo<Note, _> = Repo::new(backend.clone());
    /// # notes.create_table_on_demand().await?;
    /// let note = Note::new("u1", "bye");
    /// notes.put(&note).await?;
    /// WriteTransaction::new(&backend).delete(notes.delete(&note.key())).await?;
    /// assert_eq!(notes.get(&note.key()).await?, None);
    /// # Ok(()) }
    /// ```
    pub fn delete<T: Item>(self, delete: DeleteBuilder<'_, T, B>) -> Self {
        self.push(delete.into_action())
    }

    /// Requires `condition` to hold for the item with `key`, without writing it.
    ///
    /// See [`WriteTransaction`] for an example.
    pub fn check<T: Item>(self, repo: &Repo<T, B>, key: &T::Key, condition: Condition) -> Self {
        let action = validate::condition(&condition).and_then(|()| {
            Ok(TransactWrite::ConditionCheck {
                table_name: repo.table_name().to_owned(),
                key: repo.key_map(key)?,
                condition,
            })
        });
        self.push(action.map(|action| (action, None)))
    }

    /// Makes the transaction idempotent across calls: DynamoDB applies a token's transaction at
    /// most once within 10 minutes (`ClientRequestToken`, at most 36 characters). Without one,
    /// sending makes up a token of its own, so the SDK's retries of one send are applied
    /// once; a token of yours also covers your own retries (the transaction built and sent
    /// again after a timeout). A transaction that keeps the guards of `#[unique]` attributes
    /// reads items when it is sent, so one built and sent again after the first was applied
    /// can differ from it, and DynamoDB refuses it (`IdempotentParameterMismatch`).
    ///
    /// ```
    /// # use notes_repo::{MemoryBackend, WriteTransaction};
    /// let tx = WriteTransaction::new(&MemoryBackend::new()).idempotency_token("order-42");
    /// # drop(tx);
    /// ```
    pub fn idempotency_token(mut self, token: impl Into<String>) -> Self {
        self.client_request_token = Some(token.into());
        self
    }

    /// How many actions the transaction holds.
    ///
    /// ```
    /// # use notes_repo::{MemoryBackend, WriteTransaction};
    /// assert_eq!(WriteTransaction::new(&MemoryBackend::new()).len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.actions.len()
    }

    /// Whether the transaction holds no action.
    ///
    /// ```
    /// # use notes_repo::{MemoryBackend, WriteTransaction};
    /// assert!(WriteTransaction::new(&MemoryBackend::new()).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// Sends the transaction (what `.await` does). Invalid actions, no actions, more than 100,
    /// or items adding up to more than 4 MB are a validation error before anything is sent.
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::{Note, WriteTransaction};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let backend = MemoryBackend::new();
    /// # let notes: Repo<Note, _> = Repo::new(backend.clone());
    /// # notes.create_table_on_demand().await?;
    /// WriteTransaction::new(&backend).put(notes.put(&Note::new("u1", "a"))).send().await?;
    /// let empty = WriteTransaction::new(&backend).send().await;
    /// assert!(matches!(empty, Err(Error::Validation { .. })));
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<()> {
        if let Some(err) = self.error {
            return Err(err);
        }
        check_action_count(self.actions.len())?;
        validate::transaction_size(&self.actions)?;
        // Always with a token, so that the SDK's retry of a transaction whose answer was lost
        // is not applied a second time.
        let token = self.client_request_token.unwrap_or_else(new_token);
        if !self.guarded.is_empty() {
            return guards::transaction::send(&self.backend, self.actions, &self.guarded, token)
                .await;
        }
        let request = TransactWriteItems::new(self.actions).client_request_token(token);
        self.backend.transact_write_items(request).await?;
        Ok(())
    }
}

send_on_await!([B: Backend] WriteTransaction<B> => (), 'static);

/// The position of one read in a [`ReadTransaction`], typed by the item it reads.
#[derive(Debug)]
pub struct Slot<T> {
    index: usize,
    marker: PhantomData<fn() -> T>,
}

impl<T> Clone for Slot<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Slot<T> {}

/// Up to 100 reads across tables and item types, as of one point in time.
///
/// ```
/// use notes_model::{Item, Note};
/// use notes_repo::{MemoryBackend, ReadTransaction, Repo};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let backend = MemoryBackend::new();
/// let notes: Repo<Note, _> = Repo::new(backend.clone());
/// notes.create_table_on_demand().await?;
/// let note = Note::new("u1", "hi");
/// notes.put(&note).await?;
///
/// let mut tx = ReadTransaction::new(&backend);
/// let first = tx.get(&notes, &note.key());
/// let missing = tx.get(&notes, &notes_model::NoteKey::new("u1", "nope"));
/// let results = tx.await?;
/// assert_eq!(results.get(first)?, Some(note));
/// assert_eq!(results.get(missing)?, None);
/// # Ok(()) }
/// ```
#[must_use = "a transaction does nothing until it is awaited"]
pub struct ReadTransaction<B> {
    backend: Traced<B>,
    reads: Vec<TransactGet>,
    error: Option<Error>,
}

impl<B: Backend> ReadTransaction<B> {
    /// An empty read transaction on `backend`.
    ///
    /// See [`ReadTransaction`] for an example.
    pub fn new(backend: &B) -> Self {
        ReadTransaction {
            backend: Traced::new(backend.clone()),
            reads: Vec::new(),
            error: None,
        }
    }

    /// Adds a read of the item with `key`; the slot picks its result out of the answer.
    ///
    /// See [`ReadTransaction`] for an example.
    pub fn get<T: Item>(&mut self, repo: &Repo<T, B>, key: &T::Key) -> Slot<T> {
        match repo.key_map(key) {
            Ok(key) => self.reads.push(TransactGet::new(repo.table_name(), key)),
            Err(err) => {
                self.error.get_or_insert(err);
                // Keep the slots aligned with the reads even though nothing will be sent.
                self.reads
                    .push(TransactGet::new(String::new(), ItemMap::new()));
            }
        }
        Slot {
            index: self.reads.len() - 1,
            marker: PhantomData,
        }
    }

    /// Sends the reads (what `.await` does).
    ///
    /// ```
    /// # use notes_repo::prelude::*;
    /// # use notes_repo::{Note, ReadTransaction};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let backend = MemoryBackend::new();
    /// # let notes: Repo<Note, _> = Repo::new(backend.clone());
    /// # notes.create_table_on_demand().await?;
    /// let note = Note::new("u1", "hi");
    /// notes.put(&note).await?;
    /// let mut tx = ReadTransaction::new(&backend);
    /// let slot = tx.get(&notes, &note.key());
    /// assert_eq!(tx.send().await?.get(slot)?, Some(note));
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<ReadResults> {
        if let Some(err) = self.error {
            return Err(err);
        }
        check_action_count(self.reads.len())?;
        let request = TransactGetItems::new(self.reads);
        let output = self.backend.transact_get_items(request).await?;
        Ok(ReadResults {
            items: output.items,
        })
    }
}

send_on_await!([B: Backend] ReadTransaction<B> => ReadResults, 'static);

/// The answer of a [`ReadTransaction`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReadResults {
    items: Vec<Option<SharedItem>>,
}

impl ReadResults {
    /// The item read at `slot`, or `None` if no item has its key.
    ///
    /// See [`ReadTransaction`] for an example.
    pub fn get<T: Item>(&self, slot: Slot<T>) -> Result<Option<T>> {
        match self.items.get(slot.index) {
            Some(Some(item)) => Ok(Some(T::from_item_ref(item)?)),
            _ => Ok(None),
        }
    }
}
