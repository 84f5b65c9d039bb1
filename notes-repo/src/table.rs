//! Table administration from an item type's derived key schema.

use std::time::Duration;

use notes_model::{Index, IndexKind, Item};

use crate::repo::Repo;
use notes_core::Backend;
use notes_core::request::{
    BillingMode, CreateTable, DeleteTable, DescribeTable, ProvisionedThroughput, TableDescription,
    TableStatus, UpdateTable, UpdateTimeToLive,
};
use notes_core::{Error, Result};

/// The indexes a table for `T` is created with: the union of its entities' (one for an item
/// type), each once; two different declarations of one index name are refused.
fn table_indexes<T: Item>() -> Result<Vec<notes_model::IndexSchema>> {
    let mut indexes: Vec<(notes_model::IndexSchema, Option<&'static str>)> = Vec::new();
    for expected in T::table_expectations() {
        for index in expected.indexes {
            match indexes.iter().find(|(known, _)| known.name == index.name) {
                Some((known, _)) if known == index => {}
                Some((_, declared_by)) => {
                    return Err(Error::validation(format!(
                        "index `{}` is declared differently by entity `{}` and entity `{}`: a \
                         shared table has one definition of each index",
                        index.name,
                        declared_by.unwrap_or("?"),
                        expected.entity.unwrap_or("?")
                    )));
                }
                None => indexes.push((index.clone(), expected.entity)),
            }
        }
    }
    Ok(indexes.into_iter().map(|(index, _)| index).collect())
}

/// `pk (S) HASH, sk (S) RANGE`, for messages.
fn describe_schema(schema: &notes_model::KeySchema) -> String {
    describe_key(
        std::iter::once(&schema.partition_key),
        schema.sort_key.as_ref(),
    )
}

/// An index's key, every attribute of a multi-attribute one: `tenant (S) HASH, region (S)
/// HASH, year (N) RANGE`.
fn describe_index_key(index: &notes_model::IndexSchema) -> String {
    describe_key(
        index.partition_key_attributes(),
        index.sort_key_attributes(),
    )
}

fn describe_key<'a>(
    partition: impl IntoIterator<Item = &'a notes_model::KeyAttribute>,
    sort: impl IntoIterator<Item = &'a notes_model::KeyAttribute>,
) -> String {
    let partition = partition.into_iter().map(|a| (a, "HASH"));
    let sort = sort.into_iter().map(|a| (a, "RANGE"));
    partition
        .chain(sort)
        .map(|(attribute, role)| format!("{} ({}) {role}", attribute.name, attribute.scalar_type))
        .collect::<Vec<_>>()
        .join(", ")
}

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
    ///
    /// For a collection of entities sharing the table, the indexes are the union of the
    /// members' (an index two members declare differently is [`Error::Validation`], before
    /// anything is sent).
    pub async fn create_table(&self, billing_mode: BillingMode) -> Result<TableDescription> {
        self.traced()
            .create_table(self.create_request(billing_mode)?)
            .await
    }

    /// The `CreateTable` of [`create_table`](Repo::create_table).
    pub(crate) fn create_request(&self, billing_mode: BillingMode) -> Result<CreateTable> {
        Ok(CreateTable::new(self.table_name(), T::KEY_SCHEMA)
            .billing_mode(billing_mode)
            .indexes(table_indexes::<T>()?))
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
            .describe_table(DescribeTable::new(self.table_name()))
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
    ///
    /// On a table shared by entities (an entity type, or a collection of them), each entity's
    /// key schema and secondary indexes are checked, and a mismatch is
    /// [`Error::EntityTableMismatch`] naming the entity.
    pub async fn verify_table(&self) -> Result<TableDescription> {
        let table = self.describe_table().await?;
        for expected in T::table_expectations() {
            let Some(entity) = expected.entity else {
                if table.key_schema != expected.key_schema {
                    return Err(Error::KeySchemaMismatch {
                        table: table.table_name,
                        schemas: Box::new((expected.key_schema, table.key_schema)),
                    });
                }
                continue;
            };
            let mismatch = |reason: String| Error::EntityTableMismatch {
                table: table.table_name.clone(),
                entity: entity.to_owned(),
                reason,
            };
            if table.key_schema != expected.key_schema {
                return Err(mismatch(format!(
                    "its key is {}, the table's is {}",
                    describe_schema(&expected.key_schema),
                    describe_schema(&table.key_schema)
                )));
            }
            for index in expected.indexes {
                match table.indexes.iter().find(|live| live.name == index.name) {
                    None => {
                        return Err(mismatch(format!("the table has no index `{}`", index.name)));
                    }
                    Some(live)
                        if live.kind != index.kind
                            || live.key_schema != index.key_schema
                            || live.additional_keys != index.additional_keys =>
                    {
                        return Err(mismatch(format!(
                            "its index `{}` is {:?} {}, the table's is {:?} {}",
                            index.name,
                            index.kind,
                            describe_index_key(index),
                            live.kind,
                            describe_index_key(live)
                        )));
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(table)
    }

    /// Sets the provisioned throughput of the table and of each of its global secondary
    /// indexes (as [`create_table`](Repo::create_table) provisions them), waits until the
    /// table is active again, and returns it. Idempotent: nothing is sent when the units are
    /// already these. An on-demand table is refused (switch it with
    /// [`set_billing_mode`](Repo::set_billing_mode)).
    ///
    /// DynamoDB allows 4 decreases per table and index per UTC day, then one an hour:
    /// beyond that, [`Error::LimitExceeded`].
    ///
    /// ```
    /// use notes_repo::{MemoryBackend, Note, Repo, request::{BillingMode, ProvisionedThroughput}};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.ensure_table(BillingMode::Provisioned { read_capacity_units: 5, write_capacity_units: 5 })
    ///     .await?;
    /// let table = repo.update_throughput(10, 40).await?;
    /// assert_eq!(table.provisioned_throughput(), Some(ProvisionedThroughput::new(10, 40)));
    /// # Ok(()) }
    /// ```
    pub async fn update_throughput(
        &self,
        read_capacity_units: i64,
        write_capacity_units: i64,
    ) -> Result<TableDescription> {
        let table = self.describe_table().await?;
        if table.provisioned_throughput().is_none() {
            return Err(Error::validation(format!(
                "One or more parameter values were invalid: Neither ReadCapacityUnits nor \
                 WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST \
                 (table `{}` is on demand: switch it with set_billing_mode)",
                table.table_name
            )));
        }
        self.change_billing(
            table,
            BillingMode::Provisioned {
                read_capacity_units,
                write_capacity_units,
            },
        )
        .await
    }

    /// Switches the table between on demand and provisioned (the table and each global
    /// secondary index get the given units), or changes its units, waits until the table is
    /// active again, and returns it. Idempotent: nothing is sent when the table is already
    /// billed this way.
    ///
    /// DynamoDB allows 4 switches from provisioned to on demand in a rolling 24 hours:
    /// beyond that, [`Error::LimitExceeded`]. Switching to provisioned is always allowed.
    ///
    /// ```
    /// use notes_repo::{MemoryBackend, Note, Repo, request::BillingMode};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let notes_table = BillingMode::Provisioned { read_capacity_units: 5, write_capacity_units: 5 };
    /// let table = repo.set_billing_mode(notes_table).await?;
    /// assert_eq!(table.billing_mode, Some(notes_table));
    /// # Ok(()) }
    /// ```
    pub async fn set_billing_mode(&self, billing_mode: BillingMode) -> Result<TableDescription> {
        let table = self.describe_table().await?;
        self.change_billing(table, billing_mode).await
    }

    /// Sets the provisioned throughput of one global secondary index of a provisioned table,
    /// waits until the table is active again, and returns it. Idempotent.
    ///
    /// ```
    /// use notes_repo::{Item, MemoryBackend, Repo, request::{BillingMode, ProvisionedThroughput}};
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Serialize, Deserialize, Item)]
    /// #[item(table = "tasks", global_index(name = "byStatus", partition_key = "status"))]
    /// struct Task {
    ///     #[partition_key] id: String,
    ///     status: String,
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Task, _> = Repo::new(MemoryBackend::new());
    /// repo.ensure_table(BillingMode::Provisioned { read_capacity_units: 5, write_capacity_units: 5 })
    ///     .await?;
    /// let table = repo.update_index_throughput(&Task::BY_STATUS, 20, 5).await?;
    /// assert_eq!(table.index_throughput["byStatus"], ProvisionedThroughput::new(20, 5));
    /// # Ok(()) }
    /// ```
    pub async fn update_index_throughput<PK, SK>(
        &self,
        index: &Index<T, PK, SK>,
        read_capacity_units: i64,
        write_capacity_units: i64,
    ) -> Result<TableDescription> {
        let units = ProvisionedThroughput::new(read_capacity_units, write_capacity_units);
        let table = self.describe_table().await?;
        if table.index_throughput.get(index.name()) == Some(&units) {
            return Ok(table);
        }
        let update = UpdateTable::new(self.table_name()).index_throughput(index.name(), units);
        self.traced().update_table(update).await?;
        self.wait_until_active(DEFAULT_ACTIVE_TIMEOUT).await
    }

    /// Sends what it takes to bill `table` as `target` (its global indexes at the table's
    /// units), or nothing when it already is.
    async fn change_billing(
        &self,
        table: TableDescription,
        target: BillingMode,
    ) -> Result<TableDescription> {
        let mut update = UpdateTable::new(self.table_name());
        if table.billing_mode != Some(target) {
            update.billing_mode = Some(target);
        }
        if let BillingMode::Provisioned {
            read_capacity_units,
            write_capacity_units,
        } = target
        {
            let units = ProvisionedThroughput::new(read_capacity_units, write_capacity_units);
            let globals = table.indexes.iter().filter(|i| i.kind == IndexKind::Global);
            for index in globals {
                if table.index_throughput.get(index.name.as_ref()) != Some(&units) {
                    update = update.index_throughput(index.name.as_ref(), units);
                }
            }
        }
        if update.billing_mode.is_none() && update.index_throughput.is_empty() {
            return Ok(table);
        }
        self.traced().update_table(update).await?;
        self.wait_until_active(DEFAULT_ACTIVE_TIMEOUT).await
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
            .update_time_to_live(UpdateTimeToLive::new(self.table_name(), attribute, true))
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
            .delete_table(DeleteTable::new(self.table_name()))
            .await
    }
}
