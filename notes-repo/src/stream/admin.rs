//! A table's stream, administered from the typed repository: enabled and disabled through
//! `UpdateTable`, created with the table and verified at start-up.

use notes_model::Item;

use super::{StreamSpecification, StreamViewType};
use crate::repo::Repo;
use crate::table::DEFAULT_ACTIVE_TIMEOUT;
use notes_core::Backend;
use notes_core::request::{TableDescription, UpdateTable};
use notes_core::{Error, Result};

impl<T: Item, B: Backend> Repo<T, B> {
    /// Enables the table's stream with `view_type` records (`UpdateTable`'s
    /// `StreamSpecification`), waits until the table is active again, and returns it.
    /// Idempotent: nothing is sent when a stream of this view type is enabled.
    ///
    /// # Errors
    ///
    /// A stream of another view type is [`Error::Validation`] with DynamoDB's message ("Table
    /// already has an enabled stream"), before anything is sent: a stream's view type cannot
    /// change in place; [`disable_stream`](Repo::disable_stream) first.
    ///
    /// ```
    /// use notes_repo::stream::StreamViewType;
    /// use notes_repo::{MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let table = repo.enable_stream(StreamViewType::NewAndOldImages).await?;
    /// assert_eq!(table.stream.map(|s| s.view_type), Some(StreamViewType::NewAndOldImages));
    /// repo.enable_stream(StreamViewType::NewAndOldImages).await?; // already: nothing sent
    /// # Ok(()) }
    /// ```
    pub async fn enable_stream(&self, view_type: StreamViewType) -> Result<TableDescription> {
        let table = self.describe_table().await?;
        match table.stream.as_ref().map(|s| s.view_type) {
            Some(live) if live == view_type => Ok(table),
            Some(live) => Err(Error::validation(format!(
                "Table already has an enabled stream: TableName: {} (its view type is {live}; \
                 disable it, then enable a {view_type} stream)",
                table.table_name
            ))),
            None => {
                self.update_stream(StreamSpecification::Enabled(view_type))
                    .await
            }
        }
    }

    /// Disables the table's stream, waits until the table is active again, and returns it.
    /// Idempotent: nothing is sent when the table has no enabled stream. The disabled
    /// stream's records stay readable for 24 hours; a stream enabled later is a new one.
    ///
    /// ```
    /// use notes_repo::stream::StreamViewType;
    /// use notes_repo::{MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.ensure_table(Default::default()).stream(StreamViewType::KeysOnly).await?;
    /// let table = repo.disable_stream().await?;
    /// assert_eq!(table.stream, None);
    /// repo.disable_stream().await?; // already: nothing sent
    /// # Ok(()) }
    /// ```
    pub async fn disable_stream(&self) -> Result<TableDescription> {
        let table = self.describe_table().await?;
        if table.stream.is_none() {
            return Ok(table);
        }
        self.update_stream(StreamSpecification::Disabled).await
    }

    async fn update_stream(&self, stream: StreamSpecification) -> Result<TableDescription> {
        let update = UpdateTable::new(self.table_name()).stream_specification(stream);
        self.traced().update_table(update).await?;
        self.wait_until_active(DEFAULT_ACTIVE_TIMEOUT).await
    }

    /// Checks that the live table's stream is `expected` (`None`: no enabled stream), or
    /// [`Error::StreamMismatch`] naming both.
    ///
    /// ```
    /// use notes_repo::stream::StreamViewType;
    /// use notes_repo::{Error, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// repo.verify_stream(None).await?;
    /// let err = repo.verify_stream(Some(StreamViewType::NewImage)).await.unwrap_err();
    /// assert!(matches!(err, Error::StreamMismatch { actual: None, .. }));
    /// # Ok(()) }
    /// ```
    pub async fn verify_stream(
        &self,
        expected: Option<StreamViewType>,
    ) -> Result<TableDescription> {
        let table = self.describe_table().await?;
        let actual = table.stream.as_ref().map(|s| s.view_type);
        if actual != expected {
            return Err(Error::StreamMismatch {
                table: table.table_name,
                expected,
                actual,
            });
        }
        Ok(table)
    }
}
