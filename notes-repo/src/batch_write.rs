//! `BatchWriteItem`, typed: [`Repo::batch_put`] and [`Repo::batch_delete`].

use notes_model::Item;

use crate::batch::{self, KeyId, KeySet, at_position};
use crate::repo::{Repo, describe_key};
use crate::send::send_on_await;
use notes_core::request::WriteRequest;
use notes_core::{Backend, Error, Result};

/// A batch of writes (puts or deletes), built by [`Repo::batch_put`] or
/// [`Repo::batch_delete`]; `.await` it (or call `.send()`).
#[must_use = "a batch write does nothing until it is awaited"]
pub struct BatchWriteBuilder<'a, T: Item, B> {
    repo: &'a Repo<T, B>,
    writes: Result<Vec<WriteRequest>>,
}

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
    /// chunks of 25 (and at most 16 MB), [`BatchOptions::concurrency`](crate::BatchOptions::concurrency) at a time; writes the
    /// service leaves unprocessed, and throttled requests, are sent again with backoff.
    ///
    /// # Errors
    ///
    /// - [`Error::Validation`] before anything is sent: an invalid item, a duplicate key, or
    ///   an item type with a `#[version]` attribute (`BatchWriteItem` cannot check versions;
    ///   use single writes or a transaction, which do) or with `#[unique]` attributes
    ///   (`BatchWriteItem` cannot keep their guards, which need conditions and a
    ///   transaction).
    /// - [`Error::BatchWriteIncomplete`] when some writes were not applied: after
    ///   [`BatchOptions::retry`](crate::BatchOptions::retry)`.max_attempts` (with the throttling error as `source`, if that is
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
    ) -> BatchWriteBuilder<'_, T, B> {
        // Validated now, so the builder holds no borrowed iterator and its future is `Send`.
        BatchWriteBuilder {
            repo: self,
            writes: self.prepare_puts(items),
        }
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
    ) -> BatchWriteBuilder<'_, T, B> {
        BatchWriteBuilder {
            repo: self,
            writes: self.prepare_deletes(keys),
        }
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
    /// whatever version is stored, and could neither check nor keep the guards of `#[unique]`
    /// attributes: refused rather than silently skipping the check.
    fn refuse_versioned(&self, operation: &str) -> Result<()> {
        if T::HAS_UNIQUE_ATTRIBUTES {
            return Err(Error::validation(format!(
                "{operation} cannot keep the guards of the #[unique] attributes of {}: \
                 BatchWriteItem has no conditions and no transactions. Use single writes or a \
                 transaction, which keep them",
                std::any::type_name::<T>()
            )));
        }
        match T::VERSION_ATTRIBUTE {
            Some(attribute) => Err(Error::validation(format!(
                "{operation} cannot check the #[version] attribute `{attribute}` of {}: \
                 BatchWriteItem has no conditions, so it would overwrite newer versions. Use \
                 single writes (put, save, delete(..).expect_version(n)) or a transaction, which check it",
                std::any::type_name::<T>()
            ))),
            None => Ok(()),
        }
    }
}

impl<T: Item, B: Backend> BatchWriteBuilder<'_, T, B> {
    /// Sends the writes (what `.await` does).
    ///
    /// ```
    /// use notes_repo::prelude::*;
    /// use notes_repo::Note;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "x");
    /// repo.batch_put([&note]).send().await?;
    /// repo.batch_delete([&note.key()]).send().await?;
    /// assert_eq!(repo.get(&note.key()).await?, None);
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<()> {
        let repo = self.repo;
        batch::write_all(
            repo.traced(),
            repo.table_name(),
            repo.batch_options(),
            self.writes?,
        )
        .await
    }
}

send_on_await!(BatchWriteBuilder<'a, T, B> => ());
