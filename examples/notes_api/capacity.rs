//! Consumed capacity per HTTP request, for the request log.
//!
//! `Repo`'s typed methods do not report the capacity units their requests consumed, though
//! every backend output carries them. [`Metered`] wraps a backend, forwards each operation
//! unchanged and adds the units it reports to the meter of the HTTP request being served (a
//! tokio task-local set by the logging middleware).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use notes_repo::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, CreateTable,
    DeleteItem, GetItem, GetItemOutput, PageOutput, PutItem, Query, Scan, TableDescription,
    TransactGetItems, TransactGetItemsOutput, TransactWriteItems, TransactWriteItemsOutput,
    UpdateItem, WriteOutput,
};
use notes_repo::{Backend, Result};

tokio::task_local! {
    static METER: Arc<Meter>;
}

/// Capacity units consumed while serving one request, in thousandths of a unit.
#[derive(Debug, Default)]
pub(crate) struct Meter {
    milli_units: AtomicU64,
}

impl Meter {
    /// Runs `future` with this meter collecting the capacity its backend calls consume.
    pub(crate) async fn measure<F: Future>(self: &Arc<Self>, future: F) -> F::Output {
        METER.scope(self.clone(), future).await
    }

    /// The units consumed so far.
    pub(crate) fn units(&self) -> f64 {
        self.milli_units.load(Ordering::Relaxed) as f64 / 1000.0
    }

    fn add(&self, units: f64) {
        let milli = (units * 1000.0).round();
        if milli.is_finite() && milli > 0.0 {
            self.milli_units.fetch_add(milli as u64, Ordering::Relaxed);
        }
    }
}

fn record(units: Option<f64>) {
    if let Some(units) = units {
        // Outside a measured request (startup, tests) there is nothing to record into.
        let _ = METER.try_with(|meter| meter.add(units));
    }
}

/// A [`Backend`] that forwards every operation to `B` and records the consumed capacity of
/// each into the current request's meter.
///
/// ```
/// use notes_examples::notes_api::Metered;
/// use notes_model::Note;
/// use notes_repo::{MemoryBackend, Repo};
///
/// let repo: Repo<Note, _> = Repo::new(Metered::new(MemoryBackend::new()));
/// # let _ = repo;
/// ```
#[derive(Debug, Clone)]
pub struct Metered<B> {
    inner: B,
}

impl<B> Metered<B> {
    /// Wraps `inner`.
    pub fn new(inner: B) -> Self {
        Metered { inner }
    }

    /// The wrapped backend.
    pub fn inner(&self) -> &B {
        &self.inner
    }
}

impl<B: Backend> Backend for Metered<B> {
    async fn get_item(&self, request: GetItem) -> Result<GetItemOutput> {
        let output = self.inner.get_item(request).await?;
        record(output.consumed_capacity);
        Ok(output)
    }

    async fn put_item(&self, request: PutItem) -> Result<WriteOutput> {
        let output = self.inner.put_item(request).await?;
        record(output.consumed_capacity);
        Ok(output)
    }

    async fn update_item(&self, request: UpdateItem) -> Result<WriteOutput> {
        let output = self.inner.update_item(request).await?;
        record(output.consumed_capacity);
        Ok(output)
    }

    async fn delete_item(&self, request: DeleteItem) -> Result<WriteOutput> {
        let output = self.inner.delete_item(request).await?;
        record(output.consumed_capacity);
        Ok(output)
    }

    async fn query(&self, request: Query) -> Result<PageOutput> {
        let output = self.inner.query(request).await?;
        record(output.consumed_capacity);
        Ok(output)
    }

    async fn scan(&self, request: Scan) -> Result<PageOutput> {
        let output = self.inner.scan(request).await?;
        record(output.consumed_capacity);
        Ok(output)
    }

    async fn batch_get_item(&self, request: BatchGetItem) -> Result<BatchGetItemOutput> {
        let output = self.inner.batch_get_item(request).await?;
        record(output.consumed_capacity);
        Ok(output)
    }

    async fn batch_write_item(&self, request: BatchWriteItem) -> Result<BatchWriteItemOutput> {
        let output = self.inner.batch_write_item(request).await?;
        record(output.consumed_capacity);
        Ok(output)
    }

    async fn transact_get_items(
        &self,
        request: TransactGetItems,
    ) -> Result<TransactGetItemsOutput> {
        let output = self.inner.transact_get_items(request).await?;
        record(output.consumed_capacity);
        Ok(output)
    }

    async fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> Result<TransactWriteItemsOutput> {
        let output = self.inner.transact_write_items(request).await?;
        record(output.consumed_capacity);
        Ok(output)
    }

    async fn create_table(&self, request: CreateTable) -> Result<TableDescription> {
        self.inner.create_table(request).await
    }

    async fn describe_table(&self, table_name: String) -> Result<TableDescription> {
        self.inner.describe_table(table_name).await
    }

    async fn delete_table(&self, table_name: String) -> Result<TableDescription> {
        self.inner.delete_table(table_name).await
    }

    async fn update_continuous_backups(
        &self,
        table_name: String,
        point_in_time_recovery: bool,
    ) -> Result<()> {
        self.inner
            .update_continuous_backups(table_name, point_in_time_recovery)
            .await
    }

    async fn update_time_to_live(
        &self,
        table_name: String,
        attribute: String,
        enabled: bool,
    ) -> Result<()> {
        self.inner
            .update_time_to_live(table_name, attribute, enabled)
            .await
    }
}
