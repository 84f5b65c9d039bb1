//! `BatchGetItem`, typed: [`Repo::batch_get`].

use notes_model::{Item, ItemMap};

use crate::batch::{self, KeyId, KeySet, at_position};
use crate::repo::{Repo, describe_key};
use crate::send::send_on_await;
use notes_core::{Backend, Error, Result};

/// A batch read of items by their keys, built by [`Repo::batch_get`]; `.await` it (or call
/// `.send()`) for the items found, in the order of their keys.
#[must_use = "a batch read does nothing until it is awaited"]
pub struct BatchGetBuilder<'a, T: Item, B> {
    repo: &'a Repo<T, B>,
    keys: Result<Vec<ItemMap>>,
    consistent_read: bool,
}

impl<T: Item, B: Backend> Repo<T, B> {
    /// Reads the items with any number of keys with `BatchGetItem` (eventually consistent):
    /// the items found, in the order of their keys; keys with no item are simply absent.
    ///
    /// Every key is validated before anything is sent (an invalid key, or the same key twice,
    /// is [`Error::Validation`]). The keys go in chunks of 100, [`BatchOptions::concurrency`](crate::BatchOptions::concurrency)
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
    pub(crate) fn prepare_keys<'k>(
        &self,
        keys: impl IntoIterator<Item = &'k T::Key>,
    ) -> Result<Vec<ItemMap>> {
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
        let repo = self.repo;
        let found = batch::get_all(
            repo.traced(),
            repo.table_name(),
            &T::KEY_SCHEMA,
            repo.batch_options(),
            self.keys?,
            self.consistent_read,
        )
        .await?;
        found
            .into_iter()
            .map(|item| T::from_shared(item).map_err(Error::from))
            .collect()
    }
}

send_on_await!(BatchGetBuilder<'a, T, B> => Vec<T>);
