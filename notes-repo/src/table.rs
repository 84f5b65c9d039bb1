//! Table administration from an item type's derived key schema.

use std::time::Duration;

use notes_model::Item;

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::repo::Repo;
use crate::request::{BillingMode, CreateTable, TableDescription, TableStatus};

/// How long [`Repo::ensure_table`] waits for a new table to become `ACTIVE` by default.
///
/// ```
/// assert_eq!(notes_repo::DEFAULT_ACTIVE_TIMEOUT.as_secs(), 120);
/// ```
pub const DEFAULT_ACTIVE_TIMEOUT: Duration = Duration::from_secs(120);

impl<T: Item, B: Backend> Repo<T, B> {
    /// Creates the table with the item type's key schema and the given billing mode.
    ///
    /// ```
    /// use notes_model::Note;
    /// use notes_repo::{MemoryBackend, Repo, request::BillingMode};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// let table = repo
    ///     .create_table(BillingMode::Provisioned { read_capacity_units: 5, write_capacity_units: 5 })
    ///     .await?;
    /// assert_eq!(table.table_name, "notes");
    /// # Ok(()) }
    /// ```
    pub async fn create_table(&self, billing_mode: BillingMode) -> Result<TableDescription> {
        self.traced()
            .create_table(CreateTable {
                table_name: self.table_name().to_owned(),
                key_schema: T::KEY_SCHEMA,
                billing_mode,
                indexes: T::INDEXES.to_vec(),
            })
            .await
    }

    /// Creates the table on demand (`PAY_PER_REQUEST`) and waits until it is active.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: notes_repo::Repo<notes_model::Note, _> =
    ///     notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_table_on_demand(&self) -> Result<TableDescription> {
        self.create_table(BillingMode::PayPerRequest).await?;
        self.wait_until_active(DEFAULT_ACTIVE_TIMEOUT).await
    }

    /// Describes the live table.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// let err = repo.describe_table().await.unwrap_err();
    /// assert!(matches!(err, notes_repo::Error::TableNotFound { .. }));
    /// # Ok(()) }
    /// ```
    pub async fn describe_table(&self) -> Result<TableDescription> {
        self.traced()
            .describe_table(self.table_name().to_owned())
            .await
    }

    /// Waits until the table is `ACTIVE`, polling with backoff, for at most `timeout`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// repo.create_table(notes_repo::request::BillingMode::PayPerRequest).await?;
    /// let table = repo.wait_until_active(std::time::Duration::from_secs(30)).await?;
    /// assert_eq!(table.status, notes_repo::request::TableStatus::Active);
    /// # Ok(()) }
    /// ```
    pub async fn wait_until_active(&self, timeout: Duration) -> Result<TableDescription> {
        let deadline = tokio::time::Instant::now() + timeout;
        let mut delay = Duration::from_millis(50);
        loop {
            let table = self.describe_table().await?;
            if table.status == TableStatus::Active {
                return Ok(table);
            }
            if tokio::time::Instant::now() + delay > deadline {
                return Err(Error::Backend {
                    source: format!(
                        "table `{}` is still {:?} after {timeout:?}",
                        self.table_name(),
                        table.status
                    )
                    .into(),
                });
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(5));
        }
    }

    /// Checks that the live table's key schema is the item type's: the same attribute names
    /// (case matters: `userid` is not `userId`) and scalar types, or
    /// [`Error::KeySchemaMismatch`] naming both.
    ///
    /// ```
    /// use notes_model::Note;
    /// use notes_repo::{MemoryBackend, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let backend = MemoryBackend::new();
    /// let repo: Repo<Note, _> = Repo::new(backend.clone());
    /// repo.create_table_on_demand().await?;
    /// repo.verify_table().await?;
    /// # Ok(()) }
    /// ```
    pub async fn verify_table(&self) -> Result<TableDescription> {
        let table = self.describe_table().await?;
        if table.key_schema != T::KEY_SCHEMA {
            return Err(Error::KeySchemaMismatch {
                table: table.table_name,
                schemas: Box::new((T::KEY_SCHEMA, table.key_schema)),
            });
        }
        Ok(table)
    }

    /// Start-up check: creates the table if it is missing (with `billing_mode`), waits until
    /// it is active, and verifies its key schema.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// use notes_repo::request::BillingMode;
    /// repo.ensure_table(BillingMode::PayPerRequest).await?;
    /// repo.ensure_table(BillingMode::PayPerRequest).await?; // already there: only verified
    /// # Ok(()) }
    /// ```
    pub async fn ensure_table(&self, billing_mode: BillingMode) -> Result<TableDescription> {
        match self.describe_table().await {
            Ok(_) => {}
            Err(Error::TableNotFound { .. }) => match self.create_table(billing_mode).await {
                // Another process created it in the meantime: verify theirs.
                Ok(_) | Err(Error::TableAlreadyExists { .. }) => {}
                Err(err) => return Err(err),
            },
            Err(err) => return Err(err),
        }
        self.wait_until_active(DEFAULT_ACTIVE_TIMEOUT).await?;
        self.verify_table().await
    }

    /// Turns on point-in-time recovery (continuous backups) for the table.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.enable_point_in_time_recovery().await?;
    /// # Ok(()) }
    /// ```
    pub async fn enable_point_in_time_recovery(&self) -> Result<()> {
        self.traced()
            .update_continuous_backups(self.table_name().to_owned(), true)
            .await
    }

    /// Turns on DynamoDB's time to live for the type's `#[ttl]` attribute: DynamoDB then
    /// deletes items whose epoch-seconds value has passed, in the background (typically within
    /// a few days; reads still return expired items until then).
    ///
    /// ```
    /// use notes_model::Item;
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Serialize, Deserialize, Item)]
    /// #[item(table = "sessions")]
    /// struct Session {
    ///     #[partition_key] token: String,
    ///     #[ttl] expires_at: i64,
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: notes_repo::Repo<Session, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// repo.enable_ttl().await?;
    /// # Ok(()) }
    /// ```
    pub async fn enable_ttl(&self) -> Result<()> {
        let Some(attribute) = T::TTL_ATTRIBUTE else {
            return Err(Error::validation(format!(
                "{} has no #[ttl] attribute",
                std::any::type_name::<T>()
            )));
        };
        self.traced()
            .update_time_to_live(self.table_name().to_owned(), attribute.to_owned(), true)
            .await
    }

    /// Deletes the table and every item in it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.delete_table().await?;
    /// let err = repo.describe_table().await.unwrap_err();
    /// assert!(matches!(err, notes_repo::Error::TableNotFound { .. }));
    /// # Ok(()) }
    /// ```
    pub async fn delete_table(&self) -> Result<TableDescription> {
        self.traced()
            .delete_table(self.table_name().to_owned())
            .await
    }
}
