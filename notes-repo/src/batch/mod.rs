//! Batch reads and writes of any size: validated up front, chunked to the service limits,
//! sent concurrently, unprocessed entries and throttling retried with backoff, and whatever
//! could not be done reported exactly, never dropped.
//!
//! The typed entry points are [`Repo::batch_put`], [`Repo::batch_delete`],
//! [`Repo::batch_get`] and [`Repo::batch_get_consistent`].

mod plan;
pub(crate) mod retry;

use std::future::Future;
use std::time::Duration;

use notes_model::{Item, ItemMap};

use crate::repo::{Repo, describe_key};
use crate::validate;
use notes_core::Backend;
use notes_core::request::{BatchGetItem, BatchWriteItem, KeysAndAttributes, WriteRequest};
use notes_core::{Error, Result};
use plan::{KeyId, KeySet, MAX_BATCH_GET, MAX_BATCH_WRITE, MAX_REQUEST_BYTES};
use retry::{Operation, Reply, Summary};

/// How batches are sent: concurrency and retries.
///
/// Each chunk (one `BatchWriteItem` of up to 25 writes, one `BatchGetItem` of up to 100
/// keys) is sent up to `max_attempts` times; before retry `n` it waits a random delay between
/// zero and `min(max_delay, base_delay * 2^(n-1))` ("full jitter"), so that many clients
/// throttled together do not retry together.
///
/// ```
/// use std::time::Duration;
/// use notes_repo::{BatchOptions, MemoryBackend, Repo};
///
/// let options = BatchOptions::default();
/// assert_eq!(options.concurrency, 4);
///
/// // A bulk import that may wait longer for a busy table.
/// let patient = BatchOptions {
///     max_attempts: 20,
///     max_delay: Duration::from_secs(20),
///     ..BatchOptions::default()
/// };
/// let repo: Repo<notes_model::Note, _> =
///     Repo::new(MemoryBackend::new()).with_batch_options(patient);
/// assert_eq!(repo.batch_options().max_attempts, 20);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOptions {
    /// How many requests may be in flight at once (0 counts as 1).
    pub concurrency: usize,
    /// How many times one chunk is sent before its unprocessed items are reported
    /// (0 counts as 1).
    pub max_attempts: u32,
    /// The first retry's delay ceiling; it doubles each retry, with full jitter.
    pub base_delay: Duration,
    /// The largest delay ceiling.
    pub max_delay: Duration,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            concurrency: 4,
            max_attempts: 10,
            base_delay: Duration::from_millis(25),
            max_delay: Duration::from_secs(5),
        }
    }
}

/// Batch writes.
impl<T: Item, B: Backend> Repo<T, B> {
    /// Writes any number of items with `BatchWriteItem`, each replacing any stored item with
    /// the same key.
    ///
    /// Each write creates or replaces a whole item, serialized from `T`, so every item it
    /// writes reads back as `T` (the derive refuses fields serde would leave out and then not
    /// read).
    ///
    /// Every item is validated before anything is sent (an invalid item, or two items with
    /// the same key, is [`Error::Validation`] and nothing is written). The items then go in
    /// chunks of 25 (and at most 16 MB), [`BatchOptions::concurrency`] at a time; writes the
    /// service leaves unprocessed, and throttled requests, are sent again with backoff.
    ///
    /// # Errors
    ///
    /// - [`Error::Validation`] before anything is sent: an invalid item, a duplicate key, or
    ///   an item type with a `#[version]` attribute (`BatchWriteItem` cannot check versions;
    ///   use single writes or a transaction, which do).
    /// - [`Error::BatchWriteIncomplete`] when some writes were not applied: after
    ///   [`BatchOptions::max_attempts`] (with the throttling error as `source`, if that is
    ///   what ended the retries), or because an error retrying cannot fix stopped the batch
    ///   (that error is the `source`). `unprocessed` lists exactly the writes not known to
    ///   be applied, across all chunks; every other write was applied. A listed write may
    ///   still have been applied: when a chunk's response was lost (a reset or a 5xx after
    ///   the server applied it) and the retries ran out, its writes are listed though they
    ///   happened. Sending the listed writes again is safe: batch puts and deletes are
    ///   idempotent (whole-item writes, no conditions, no `ADD`), so a write applied twice
    ///   leaves what it leaves once.
    /// - The backend's own error (such as [`Error::TableNotFound`]) when it stopped the batch
    ///   before any write was applied. Once such an error is seen, chunks not yet sent are
    ///   not sent and chunks in flight are not retried.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    /// use notes_repo::{MemoryBackend, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    ///
    /// let notes: Vec<Note> = (0..60).map(|i| Note::new("u1", format!("note {i}"))).collect();
    /// repo.batch_put(&notes).await?; // three requests: 25, 25 and 10 writes
    /// assert_eq!(repo.query("u1").all().await?.len(), 60);
    ///
    /// // The same key twice is rejected before anything is written.
    /// let twice = [Note::new("u2", "a"), notes[0].clone(), notes[0].clone()];
    /// let err = repo.batch_put(&twice).await.unwrap_err();
    /// assert!(err.to_string().contains("contains duplicates"));
    /// assert!(repo.query("u2").all().await?.is_empty());
    /// # Ok(()) }
    /// ```
    ///
    /// For an entity of a shared table (or a collection), a batch put cannot check the entity
    /// of the item it replaces, as [`Repo::put`] does: `BatchWriteItem` carries no condition,
    /// so an item of another entity whose key renders the same stored key is replaced. Use
    /// single puts or a transaction when keys of two entities can meet.
    pub fn batch_put<'i>(
        &self,
        items: impl IntoIterator<Item = &'i T>,
    ) -> impl Future<Output = Result<()>> + Send + '_ {
        // Validated now, so the future holds no borrowed iterator and is always `Send`.
        let writes = self.prepare_puts(items);
        async move { self.write_all(writes?).await }
    }

    /// Deletes the items with any number of keys with `BatchWriteItem` (a key with no item
    /// is not an error).
    ///
    /// Validation, chunking, retries and errors are those of [`Repo::batch_put`].
    ///
    /// ```
    /// use notes_model::{Item, Note};
    /// use notes_repo::{MemoryBackend, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let notes: Vec<Note> = (0..30).map(|i| Note::new("u1", format!("note {i}"))).collect();
    /// repo.batch_put(&notes).await?;
    ///
    /// let keys: Vec<_> = notes.iter().map(Item::key).collect();
    /// repo.batch_delete(&keys).await?;
    /// assert!(repo.query("u1").all().await?.is_empty());
    /// # Ok(()) }
    /// ```
    ///
    /// For an entity of a shared table (or a collection), a batch delete cannot check the
    /// entity of the item it deletes, as [`Repo::delete`] does: `BatchWriteItem` carries no
    /// condition, so an item of another entity under the same stored key is deleted. Use
    /// single deletes or a transaction when keys of two entities can meet.
    pub fn batch_delete<'k>(
        &self,
        keys: impl IntoIterator<Item = &'k T::Key>,
    ) -> impl Future<Output = Result<()>> + Send + '_ {
        let writes = self.prepare_deletes(keys);
        async move { self.write_all(writes?).await }
    }

    fn prepare_puts<'i>(
        &self,
        items: impl IntoIterator<Item = &'i T>,
    ) -> Result<Vec<WriteRequest>> {
        self.refuse_versioned("batch_put")?;
        let items = items.into_iter();
        let mut seen = KeySet::with_capacity(items.size_hint().0);
        let mut writes = Vec::with_capacity(items.size_hint().0);
        for (position, item) in items.enumerate() {
            let map = item.to_item()?;
            self.check_item(&map)
                .map_err(|err| at_position(err, position, || describe_key(&item.key())))?;
            let id = KeyId::of(&map, &T::KEY_SCHEMA)
                .ok_or_else(|| Error::validation(format!("item {position} has no valid key")))?;
            seen.insert(id, position, || describe_key(&item.key()))?;
            writes.push(WriteRequest::Put(map));
        }
        Ok(writes)
    }

    fn prepare_deletes<'k>(
        &self,
        keys: impl IntoIterator<Item = &'k T::Key>,
    ) -> Result<Vec<WriteRequest>> {
        self.refuse_versioned("batch_delete")?;
        let keys = self.prepare_keys(keys)?;
        Ok(keys.into_iter().map(WriteRequest::Delete).collect())
    }

    /// `BatchWriteItem` has no condition expressions, so a batch would overwrite or delete
    /// whatever version is stored: refused rather than silently skipping the check.
    fn refuse_versioned(&self, operation: &str) -> Result<()> {
        match T::VERSION_ATTRIBUTE {
            Some(attribute) => Err(Error::validation(format!(
                "{operation} cannot check the #[version] attribute `{attribute}` of {}: \
                 BatchWriteItem has no conditions, so it would overwrite newer versions. Use \
                 single writes (put, save, delete_version) or a transaction, which check it",
                std::any::type_name::<T>()
            ))),
            None => Ok(()),
        }
    }

    async fn write_all(&self, writes: Vec<WriteRequest>) -> Result<()> {
        if writes.is_empty() {
            return Ok(());
        }
        let table = self.table_name();
        let chunks = plan::chunks(writes, MAX_BATCH_WRITE, MAX_REQUEST_BYTES, write_size);
        let send = |writes: Vec<WriteRequest>| {
            let request = BatchWriteItem::new([(table.to_owned(), writes)].into());
            let sent = self.traced().batch_write_item(request);
            async move {
                let output = sent.await?;
                Ok(Reply {
                    unprocessed: output.unprocessed_items.into_values().flatten().collect(),
                    found: Vec::<()>::new(),
                })
            }
        };
        let summary =
            retry::send_all(chunks, self.batch_options(), table, Operation::Write, send).await;
        match incomplete(summary) {
            None => Ok(()),
            Some(Incomplete::Plain(err)) => Err(err),
            Some(Incomplete::Listed {
                not_done,
                attempts,
                source,
            }) => Err(Error::BatchWriteIncomplete {
                table: table.to_owned(),
                unprocessed: not_done,
                attempts,
                source,
            }),
        }
    }
}

/// Batch reads.
impl<T: Item, B: Backend> Repo<T, B> {
    /// Reads the items with any number of keys with `BatchGetItem` (eventually consistent):
    /// the items found, in the order of their keys; keys with no item are simply absent.
    ///
    /// Every key is validated before anything is sent (an invalid key, or the same key twice,
    /// is [`Error::Validation`]). The keys go in chunks of 100, [`BatchOptions::concurrency`]
    /// at a time; keys the service leaves unprocessed (a response is at most 16 MB), and
    /// throttled requests, are sent again with backoff.
    ///
    /// # Errors
    ///
    /// - [`Error::Validation`] before anything is sent.
    /// - [`Error::BatchGetIncomplete`] listing exactly the keys not read when the attempts
    ///   ran out or an error retrying cannot fix stopped the batch (that error is the
    ///   `source`); the items that were read are not returned, so read again.
    /// - The backend's own error (such as [`Error::TableNotFound`]) when it stopped the batch
    ///   before any key was read.
    ///
    /// ```
    /// use notes_model::{Item, Note, NoteKey};
    /// use notes_repo::{MemoryBackend, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let notes: Vec<Note> = (0..150).map(|i| Note::new("u1", format!("note {i}"))).collect();
    /// repo.batch_put(&notes).await?;
    ///
    /// let mut keys: Vec<NoteKey> = notes.iter().rev().map(Item::key).collect();
    /// keys.insert(1, NoteKey::new("u1", "no such note"));
    /// let found = repo.batch_get(&keys).await?; // two requests: 100 and 51 keys
    /// assert_eq!(found.len(), 150);
    /// assert_eq!(found[0], notes[149]); // in the order of the keys
    /// assert_eq!(found[1], notes[148]);
    /// # Ok(()) }
    /// ```
    pub fn batch_get<'a>(
        &'a self,
        keys: impl IntoIterator<Item = &'a T::Key>,
    ) -> BatchGetBuilder<'a, T, B> {
        BatchGetBuilder {
            repo: self,
            keys: self.prepare_keys(keys),
            consistent_read: false,
        }
    }

    /// Validated key maps, in order, without duplicates.
    fn prepare_keys<'k>(&self, keys: impl IntoIterator<Item = &'k T::Key>) -> Result<Vec<ItemMap>> {
        let keys = keys.into_iter();
        let mut seen = KeySet::with_capacity(keys.size_hint().0);
        let mut maps = Vec::with_capacity(keys.size_hint().0);
        for (position, key) in keys.enumerate() {
            let map = self
                .key_map(key)
                .map_err(|err| at_position(err, position, || describe_key(key)))?;
            let id = KeyId::of(&map, &T::KEY_SCHEMA)
                .ok_or_else(|| Error::validation(format!("key {position} is not valid")))?;
            seen.insert(id, position, || describe_key(key))?;
            maps.push(map);
        }
        Ok(maps)
    }

    async fn get_all(&self, keys: Vec<ItemMap>, consistent_read: bool) -> Result<Vec<T>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let mut positions = KeySet::with_capacity(keys.len());
        for (position, key) in keys.iter().enumerate() {
            if let Some(id) = KeyId::of(key, &T::KEY_SCHEMA) {
                positions.insert(id, position, String::new)?;
            }
        }
        let table = self.table_name();
        let count = keys.len();
        let chunks = plan::chunks(keys, MAX_BATCH_GET, MAX_REQUEST_BYTES, validate::item_size);
        let send = |keys: Vec<ItemMap>| {
            let request = BatchGetItem::new(
                [(
                    table.to_owned(),
                    KeysAndAttributes::new(keys).consistent_read(consistent_read),
                )]
                .into(),
            );
            let sent = self.traced().batch_get_item(request);
            async move {
                let output = sent.await?;
                Ok(Reply {
                    unprocessed: output
                        .unprocessed_keys
                        .into_values()
                        .flat_map(|k| k.keys)
                        .collect(),
                    found: output.responses.into_values().flatten().collect(),
                })
            }
        };
        let mut summary =
            retry::send_all(chunks, self.batch_options(), table, Operation::Get, send).await;
        let found = std::mem::take(&mut summary.found);
        match incomplete(summary) {
            None => {}
            Some(Incomplete::Plain(err)) => return Err(err),
            Some(Incomplete::Listed {
                not_done,
                attempts,
                source,
            }) => {
                return Err(Error::BatchGetIncomplete {
                    table: table.to_owned(),
                    unprocessed_keys: not_done,
                    attempts,
                    source,
                });
            }
        }
        let mut slots: Vec<Option<ItemMap>> = vec![None; count];
        for item in found {
            // An item whose key was not asked for cannot come from DynamoDB; it is ignored.
            let slot = KeyId::of(&item, &T::KEY_SCHEMA).and_then(|id| positions.position(&id));
            if let Some(position) = slot {
                slots[position] = Some(item);
            }
        }
        slots
            .into_iter()
            .flatten()
            .map(|item| T::from_item(item).map_err(Error::from))
            .collect()
    }
}

/// How a batch that did not finish is reported.
enum Incomplete<W> {
    /// An error retrying cannot fix, before anything was done: nothing to list.
    Plain(Error),
    /// Some entries were not done; they are listed.
    Listed {
        not_done: Vec<W>,
        attempts: u32,
        source: Option<Box<Error>>,
    },
}

fn incomplete<W, R>(summary: Summary<W, R>) -> Option<Incomplete<W>> {
    match summary.fatal {
        Some(err) if !summary.progressed => Some(Incomplete::Plain(err)),
        fatal if fatal.is_some() || !summary.not_done.is_empty() => Some(Incomplete::Listed {
            not_done: summary.not_done,
            attempts: summary.attempts,
            source: fatal.or(summary.last_error).map(Box::new),
        }),
        _ => None,
    }
}

/// The bytes a write adds to a `BatchWriteItem` request, as DynamoDB counts item sizes.
fn write_size(write: &WriteRequest) -> usize {
    match write {
        WriteRequest::Put(item) | WriteRequest::Delete(item) => validate::item_size(item),
    }
}

/// Says which entry of the batch a validation error is about.
fn at_position(err: Error, position: usize, key: impl FnOnce() -> String) -> Error {
    match err {
        Error::Validation { message, source } => Error::Validation {
            message: format!("{message} (batch entry {position}, key {})", key()),
            source,
        },
        Error::ItemTooLarge { message, source } => Error::ItemTooLarge {
            message: format!("{message} (batch entry {position}, key {})", key()),
            source,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    //! Batch behaviour through `Repo` on `MemoryBackend`: validation before sending, order of
    //! results, and the futures' `Send`-ness. Chunking and retries are tested in `plan` and
    //! `retry`; fault injection across crates in `tests/tests/faults`.

    use notes_model::{Item, Note, NoteKey};
    use serde::{Deserialize, Serialize};

    use crate::{Error, MemoryBackend, Repo};

    async fn repo() -> Repo<Note, MemoryBackend> {
        let repo = Repo::new(MemoryBackend::new());
        repo.create_table_on_demand().await.unwrap();
        repo
    }

    fn notes(user: &str, count: usize) -> Vec<Note> {
        (0..count)
            .map(|i| Note::new(user, format!("note {i}")))
            .collect()
    }

    fn validation_message(err: Error) -> String {
        match err {
            Error::Validation { message, .. } | Error::ItemTooLarge { message, .. } => message,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn duplicate_puts_are_rejected_naming_the_key_and_nothing_is_written() {
        let repo = repo().await;
        let mut batch = notes("u1", 40);
        let mut again = batch[3].clone();
        again.content = "other content, same key".into();
        batch.push(again);
        let message = validation_message(repo.batch_put(&batch).await.unwrap_err());
        assert!(
            message.starts_with("Provided list of item keys contains duplicates")
                && message.contains(&batch[3].note_id)
                && message.contains("positions 3 and 40"),
            "{message}"
        );
        assert!(repo.query("u1").all().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn duplicate_deletes_and_gets_are_rejected() {
        let repo = repo().await;
        let key = NoteKey::new("u1", "n1");
        let message = validation_message(repo.batch_delete([&key, &key]).await.unwrap_err());
        assert!(message.contains("contains duplicates"), "{message}");
        let message = validation_message(repo.batch_get([&key, &key]).await.unwrap_err());
        assert!(message.contains("contains duplicates"), "{message}");
    }

    #[tokio::test]
    async fn an_invalid_item_is_named_by_position_and_stops_the_whole_batch() {
        let repo = repo().await;
        let mut batch = notes("u1", 30);
        batch[27].content = "x".repeat(401 * 1024);
        let message = validation_message(repo.batch_put(&batch).await.unwrap_err());
        assert!(
            message.starts_with("Item size has exceeded the maximum allowed size")
                && message.contains("batch entry 27"),
            "{message}"
        );
        assert!(repo.query("u1").all().await.unwrap().is_empty());

        let empty_key = NoteKey::new("u1", "");
        let message = validation_message(repo.batch_get([&empty_key]).await.unwrap_err());
        assert!(
            message.contains("empty string") && message.contains("batch entry 0"),
            "{message}"
        );
    }

    #[tokio::test]
    async fn empty_batches_send_nothing() {
        // No table: any request would fail.
        let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
        repo.batch_put(&[]).await.unwrap();
        repo.batch_delete(&[]).await.unwrap();
        assert!(repo.batch_get(&[]).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn gets_return_found_items_in_key_order() {
        let repo = repo().await;
        let stored = notes("u1", 250);
        repo.batch_put(&stored).await.unwrap();
        let mut keys: Vec<NoteKey> = stored.iter().rev().map(Item::key).collect();
        keys.insert(0, NoteKey::new("u1", "missing-1"));
        keys.insert(120, NoteKey::new("u9", "missing-2"));
        keys.push(NoteKey::new("u1", "missing-3"));
        let found = repo.batch_get(&keys).await.unwrap();
        let expected: Vec<Note> = stored.into_iter().rev().collect();
        assert_eq!(found, expected);
    }

    #[tokio::test]
    async fn a_missing_table_is_the_plain_error_when_nothing_was_written() {
        let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
        let err = repo.batch_put(&notes("u1", 60)).await.unwrap_err();
        assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
        let keys = [NoteKey::new("u1", "n")];
        let err = repo.batch_get(&keys).await.unwrap_err();
        assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
    }

    #[tokio::test]
    async fn deletes_remove_the_items_and_ignore_missing_keys() {
        let repo = repo().await;
        let stored = notes("u1", 60);
        repo.batch_put(&stored).await.unwrap();
        let mut keys: Vec<NoteKey> = stored[..50].iter().map(Item::key).collect();
        keys.push(NoteKey::new("u1", "never stored"));
        repo.batch_delete(&keys).await.unwrap();
        assert_eq!(repo.query("u1").all().await.unwrap(), stored[50..]);
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, notes_model::Item)]
    #[item(table = "docs")]
    struct Doc {
        #[partition_key]
        id: String,
        body: String,
        #[version]
        version: u64,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, notes_model::Item)]
    #[item(table = "counters")]
    struct Counter {
        #[partition_key]
        id: u64,
    }

    #[tokio::test]
    async fn versioned_types_cannot_be_batch_written_but_can_be_batch_read() {
        let repo: Repo<Doc, _> = Repo::new(MemoryBackend::new());
        repo.create_table_on_demand().await.unwrap();
        let mut doc = Doc {
            id: "d1".into(),
            body: "v1".into(),
            version: 0,
        };
        let message = validation_message(repo.batch_put([&doc]).await.unwrap_err());
        assert!(
            message.contains("#[version]")
                && message.contains("`version`")
                && message.contains("transaction"),
            "{message}"
        );
        let message = validation_message(repo.batch_delete([&doc.key()]).await.unwrap_err());
        assert!(
            message.starts_with("batch_delete cannot check"),
            "{message}"
        );
        repo.save(&mut doc).await.unwrap();
        assert_eq!(repo.batch_get([&doc.key()]).await.unwrap(), [doc]);
    }

    #[tokio::test]
    async fn numeric_keys_round_trip_in_order() {
        let repo: Repo<Counter, _> = Repo::new(MemoryBackend::new());
        repo.create_table_on_demand().await.unwrap();
        let counters: Vec<Counter> = (0..130).map(|id| Counter { id }).collect();
        repo.batch_put(&counters).await.unwrap();
        let keys: Vec<_> = counters.iter().rev().map(Item::key).collect();
        let found = repo.batch_get(&keys).await.unwrap();
        assert_eq!(found, counters.into_iter().rev().collect::<Vec<_>>());
    }

    #[test]
    fn batch_futures_are_send_even_for_iterators_that_are_not() {
        fn assert_send<F: std::future::Future + Send>(future: F) -> F {
            future
        }
        let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
        let notes = notes("u1", 3);
        // An `Rc` makes this iterator `!Send`; the future does not hold it.
        let shared = std::rc::Rc::new(notes);
        let items = shared.iter().inspect(|_| {
            let _keep = std::rc::Rc::clone(&shared);
        });
        let keys: Vec<NoteKey> = shared.iter().map(Item::key).collect();
        drop(assert_send(repo.batch_put(items)));
        drop(assert_send(repo.batch_delete(&keys)));
        drop(assert_send(std::future::IntoFuture::into_future(
            repo.batch_get(&keys),
        )));
    }
}

/// A batch read of items by their keys, built by [`Repo::batch_get`]; `.await` it (or call
/// `.send()`) for the items found, in the order of their keys.
#[must_use = "a batch read does nothing until it is awaited"]
pub struct BatchGetBuilder<'a, T: Item, B> {
    repo: &'a Repo<T, B>,
    keys: Result<Vec<ItemMap>>,
    consistent_read: bool,
}

impl<T: Item, B: Backend> BatchGetBuilder<'_, T, B> {
    /// Reads with strong consistency.
    ///
    /// ```
    /// use notes_repo::prelude::*;
    /// use notes_repo::Note;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "just written");
    /// repo.put(&note).await?;
    /// assert_eq!(repo.batch_get([&note.key()]).consistent().await?, [note]);
    /// # Ok(()) }
    /// ```
    pub fn consistent(mut self) -> Self {
        self.consistent_read = true;
        self
    }

    /// Sends the reads (what `.await` does).
    ///
    /// See [`Repo::batch_get`] for an example.
    pub async fn send(self) -> Result<Vec<T>> {
        self.repo.get_all(self.keys?, self.consistent_read).await
    }
}

send_on_await!(BatchGetBuilder<'a, T, B> => Vec<T>);
