//! `GetItem`, typed: [`Repo::get`].

use notes_model::Item;

use crate::repo::Repo;
use crate::send::send_on_await;
use notes_core::Backend;
use notes_core::request::GetItem;
use notes_core::{Error, Result};

/// A read of one item by its key, built by [`Repo::get`]; `.await` it (or call `.send()`).
#[must_use = "a read does nothing until it is awaited"]
pub struct GetBuilder<'a, T: Item, B> {
    repo: &'a Repo<T, B>,
    key: &'a T::Key,
    consistent_read: bool,
}

impl<T: Item, B: Backend> Repo<T, B> {
    /// Reads the item with `key`: `Some(item)`, or `None` if there is none. Eventually
    /// consistent unless [`GetBuilder::consistent`].
    ///
    /// ```
    /// use notes_repo::prelude::*;
    /// use notes_repo::{Note, NoteKey};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "x");
    /// repo.put(&note).await?;
    /// assert_eq!(repo.get(&note.key()).await?, Some(note));
    /// assert_eq!(repo.get(&NoteKey::new("u1", "nope")).await?, None);
    /// # Ok(()) }
    /// ```
    pub fn get<'a>(&'a self, key: &'a T::Key) -> GetBuilder<'a, T, B> {
        GetBuilder {
            repo: self,
            key,
            consistent_read: false,
        }
    }
}

impl<'a, T: Item, B: Backend> GetBuilder<'a, T, B> {
    /// Reads with strong consistency: the answer reflects every write acknowledged before it.
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
    /// assert_eq!(repo.get(&note.key()).consistent().await?, Some(note));
    /// # Ok(()) }
    /// ```
    pub fn consistent(mut self) -> Self {
        self.consistent_read = true;
        self
    }

    /// Sends the read (what `.await` does).
    ///
    /// See [`Repo::get`] for an example.
    pub async fn send(self) -> Result<Option<T>> {
        let repo = self.repo;
        let request = GetItem::new(repo.table_name(), repo.key_map(self.key)?)
            .consistent_read(self.consistent_read);
        let output = repo.traced().get_item(request).await?;
        output
            .item
            .map(T::from_shared)
            .transpose()
            .map_err(Error::from)
    }
}

send_on_await!(GetBuilder<'a, T, B> => Option<T>);
