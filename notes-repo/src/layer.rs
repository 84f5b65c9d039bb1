//! Backend layers: wrappers that change some operations of a [`Backend`] and forward the rest.
//!
//! A layer implements [`Layer`]: it names its inner backend and overrides only what it changes,
//! either one operation (`batch_write_item`) or all of them at once through [`Layer::around`].
//! Every `Layer` is a `Backend`. Tracing is such a layer ([`Traced`](crate::Traced)), and so are
//! metering, fault injection and throttling wrappers.

use std::fmt;
use std::future::Future;

use crate::backend::Backend;
use crate::error::Result;
use crate::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, CreateTable,
    DeleteItem, GetItem, GetItemOutput, PageOutput, PutItem, Query, Scan, TableDescription,
    TransactGetItems, TransactGetItemsOutput, TransactWrite, TransactWriteItems,
    TransactWriteItemsOutput, UpdateItem, WriteOutput,
};

/// A DynamoDB operation, as a [`Backend`] method runs it.
///
/// ```
/// use notes_repo::Operation;
///
/// assert_eq!(Operation::PutItem.name(), "PutItem");
/// assert!(Operation::PutItem.is_item_operation());
/// assert!(!Operation::CreateTable.is_item_operation());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operation {
    /// `GetItem`.
    GetItem,
    /// `PutItem`.
    PutItem,
    /// `UpdateItem`.
    UpdateItem,
    /// `DeleteItem`.
    DeleteItem,
    /// `Query`.
    Query,
    /// `Scan`.
    Scan,
    /// `BatchGetItem`.
    BatchGetItem,
    /// `BatchWriteItem`.
    BatchWriteItem,
    /// `TransactGetItems`.
    TransactGetItems,
    /// `TransactWriteItems`.
    TransactWriteItems,
    /// `CreateTable`.
    CreateTable,
    /// `DescribeTable`.
    DescribeTable,
    /// `DeleteTable`.
    DeleteTable,
    /// `UpdateContinuousBackups`.
    UpdateContinuousBackups,
    /// `UpdateTimeToLive`.
    UpdateTimeToLive,
}

impl Operation {
    /// DynamoDB's name of the operation.
    ///
    /// ```
    /// assert_eq!(notes_repo::Operation::TransactWriteItems.name(), "TransactWriteItems");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Operation::GetItem => "GetItem",
            Operation::PutItem => "PutItem",
            Operation::UpdateItem => "UpdateItem",
            Operation::DeleteItem => "DeleteItem",
            Operation::Query => "Query",
            Operation::Scan => "Scan",
            Operation::BatchGetItem => "BatchGetItem",
            Operation::BatchWriteItem => "BatchWriteItem",
            Operation::TransactGetItems => "TransactGetItems",
            Operation::TransactWriteItems => "TransactWriteItems",
            Operation::CreateTable => "CreateTable",
            Operation::DescribeTable => "DescribeTable",
            Operation::DeleteTable => "DeleteTable",
            Operation::UpdateContinuousBackups => "UpdateContinuousBackups",
            Operation::UpdateTimeToLive => "UpdateTimeToLive",
        }
    }

    /// Whether the operation reads or writes items (rather than administering a table).
    ///
    /// ```
    /// assert!(notes_repo::Operation::Query.is_item_operation());
    /// assert!(!notes_repo::Operation::DescribeTable.is_item_operation());
    /// ```
    pub fn is_item_operation(self) -> bool {
        !matches!(
            self,
            Operation::CreateTable
                | Operation::DescribeTable
                | Operation::DeleteTable
                | Operation::UpdateContinuousBackups
                | Operation::UpdateTimeToLive
        )
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An operation's output, as a layer sees it: the capacity units it reports.
///
/// ```
/// use notes_repo::ConsumedCapacity;
/// use notes_repo::request::GetItemOutput;
///
/// let output = GetItemOutput::new(None).consumed_capacity(0.5);
/// assert_eq!(output.capacity_units(), Some(0.5));
/// ```
pub trait ConsumedCapacity {
    /// The capacity units the operation consumed, when the backend reports them.
    fn capacity_units(&self) -> Option<f64>;
}

macro_rules! consumed_capacity {
    ($($output:ty),*) => {$(
        impl ConsumedCapacity for $output {
            fn capacity_units(&self) -> Option<f64> {
                self.consumed_capacity
            }
        }
    )*};
}
consumed_capacity!(
    GetItemOutput,
    WriteOutput,
    PageOutput,
    BatchGetItemOutput,
    BatchWriteItemOutput,
    TransactGetItemsOutput,
    TransactWriteItemsOutput
);

impl ConsumedCapacity for TableDescription {
    fn capacity_units(&self) -> Option<f64> {
        None
    }
}

impl ConsumedCapacity for () {
    fn capacity_units(&self) -> Option<f64> {
        None
    }
}

/// A wrapper around a backend that writes only the operations it changes; every `Layer` is a
/// [`Backend`].
///
/// Each operation forwards to [`Layer::inner`] through [`Layer::around`], so a layer that
/// treats every operation alike (tracing, metering, throttling) overrides only `around`, and a
/// layer that changes one operation overrides only that method.
///
/// ```
/// use std::future::Future;
/// use notes_repo::{ConsumedCapacity, Error, Layer, MemoryBackend, Note, NoteKey, Operation, Repo, Result};
///
/// /// Refuses every item operation, as a table out of capacity would.
/// #[derive(Clone)]
/// struct Throttled(MemoryBackend);
///
/// impl Layer for Throttled {
///     type Inner = MemoryBackend;
///     fn inner(&self) -> &MemoryBackend {
///         &self.0
///     }
///     async fn around<O, F>(&self, operation: Operation, _table: &str, call: F) -> Result<O>
///     where
///         O: ConsumedCapacity + Send,
///         F: Future<Output = Result<O>> + Send,
///     {
///         if operation.is_item_operation() {
///             return Err(Error::Throttled { source: None });
///         }
///         call.await
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let repo: Repo<Note, _> = Repo::new(Throttled(MemoryBackend::new()));
/// repo.create_table_on_demand().await?; // table admin passes
/// let err = repo.get(&NoteKey::new("u1", "n1")).await.unwrap_err();
/// assert!(matches!(err, Error::Throttled { .. }));
/// # Ok(()) }
/// ```
pub trait Layer: Clone + Send + Sync + 'static {
    /// The backend this layer wraps.
    type Inner: Backend;

    /// The wrapped backend.
    fn inner(&self) -> &Self::Inner;

    /// Runs one operation: `call` is the inner backend's future for it, on `table` (several
    /// tables of a batch or transaction are joined by commas). Forwards by default.
    fn around<O, F>(
        &self,
        operation: Operation,
        table: &str,
        call: F,
    ) -> impl Future<Output = Result<O>> + Send
    where
        O: ConsumedCapacity + Send,
        F: Future<Output = Result<O>> + Send,
    {
        let _ = (operation, table);
        call
    }

    /// `GetItem`; forwards through [`Layer::around`] by default.
    fn get_item(&self, request: GetItem) -> impl Future<Output = Result<GetItemOutput>> + Send {
        async move {
            let table = request.table_name.clone();
            let call = self.inner().get_item(request);
            self.around(Operation::GetItem, &table, call).await
        }
    }

    /// `PutItem`; forwards through [`Layer::around`] by default.
    fn put_item(&self, request: PutItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        async move {
            let table = request.table_name.clone();
            let call = self.inner().put_item(request);
            self.around(Operation::PutItem, &table, call).await
        }
    }

    /// `UpdateItem`; forwards through [`Layer::around`] by default.
    fn update_item(&self, request: UpdateItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        async move {
            let table = request.table_name.clone();
            let call = self.inner().update_item(request);
            self.around(Operation::UpdateItem, &table, call).await
        }
    }

    /// `DeleteItem`; forwards through [`Layer::around`] by default.
    fn delete_item(&self, request: DeleteItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        async move {
            let table = request.table_name.clone();
            let call = self.inner().delete_item(request);
            self.around(Operation::DeleteItem, &table, call).await
        }
    }

    /// `Query`; forwards through [`Layer::around`] by default.
    fn query(&self, request: Query) -> impl Future<Output = Result<PageOutput>> + Send {
        async move {
            let table = request.table_name.clone();
            let call = self.inner().query(request);
            self.around(Operation::Query, &table, call).await
        }
    }

    /// `Scan`; forwards through [`Layer::around`] by default.
    fn scan(&self, request: Scan) -> impl Future<Output = Result<PageOutput>> + Send {
        async move {
            let table = request.table_name.clone();
            let call = self.inner().scan(request);
            self.around(Operation::Scan, &table, call).await
        }
    }

    /// `BatchGetItem`; forwards through [`Layer::around`] by default.
    fn batch_get_item(
        &self,
        request: BatchGetItem,
    ) -> impl Future<Output = Result<BatchGetItemOutput>> + Send {
        async move {
            let table = tables(request.request_items.keys().map(String::as_str));
            let call = self.inner().batch_get_item(request);
            self.around(Operation::BatchGetItem, &table, call).await
        }
    }

    /// `BatchWriteItem`; forwards through [`Layer::around`] by default.
    fn batch_write_item(
        &self,
        request: BatchWriteItem,
    ) -> impl Future<Output = Result<BatchWriteItemOutput>> + Send {
        async move {
            let table = tables(request.request_items.keys().map(String::as_str));
            let call = self.inner().batch_write_item(request);
            self.around(Operation::BatchWriteItem, &table, call).await
        }
    }

    /// `TransactGetItems`; forwards through [`Layer::around`] by default.
    fn transact_get_items(
        &self,
        request: TransactGetItems,
    ) -> impl Future<Output = Result<TransactGetItemsOutput>> + Send {
        async move {
            let table = tables(request.items.iter().map(|get| get.table_name.as_str()));
            let call = self.inner().transact_get_items(request);
            self.around(Operation::TransactGetItems, &table, call).await
        }
    }

    /// `TransactWriteItems`; forwards through [`Layer::around`] by default.
    fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> impl Future<Output = Result<TransactWriteItemsOutput>> + Send {
        async move {
            let table = tables(request.items.iter().map(TransactWrite::table_name));
            let call = self.inner().transact_write_items(request);
            self.around(Operation::TransactWriteItems, &table, call)
                .await
        }
    }

    /// `CreateTable`; forwards through [`Layer::around`] by default.
    fn create_table(
        &self,
        request: CreateTable,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        async move {
            let table = request.table_name.clone();
            let call = self.inner().create_table(request);
            self.around(Operation::CreateTable, &table, call).await
        }
    }

    /// `DescribeTable`; forwards through [`Layer::around`] by default.
    fn describe_table(
        &self,
        table_name: String,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        async move {
            let table = table_name.clone();
            let call = self.inner().describe_table(table_name);
            self.around(Operation::DescribeTable, &table, call).await
        }
    }

    /// `DeleteTable`; forwards through [`Layer::around`] by default.
    fn delete_table(
        &self,
        table_name: String,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        async move {
            let table = table_name.clone();
            let call = self.inner().delete_table(table_name);
            self.around(Operation::DeleteTable, &table, call).await
        }
    }

    /// `UpdateContinuousBackups`; forwards through [`Layer::around`] by default.
    fn update_continuous_backups(
        &self,
        table_name: String,
        point_in_time_recovery: bool,
    ) -> impl Future<Output = Result<()>> + Send {
        async move {
            let table = table_name.clone();
            let call = self
                .inner()
                .update_continuous_backups(table_name, point_in_time_recovery);
            self.around(Operation::UpdateContinuousBackups, &table, call)
                .await
        }
    }

    /// `UpdateTimeToLive`; forwards through [`Layer::around`] by default.
    fn update_time_to_live(
        &self,
        table_name: String,
        attribute: String,
        enabled: bool,
    ) -> impl Future<Output = Result<()>> + Send {
        async move {
            let table = table_name.clone();
            let call = self
                .inner()
                .update_time_to_live(table_name, attribute, enabled);
            self.around(Operation::UpdateTimeToLive, &table, call).await
        }
    }
}

impl<L: Layer> Backend for L {
    fn get_item(&self, request: GetItem) -> impl Future<Output = Result<GetItemOutput>> + Send {
        Layer::get_item(self, request)
    }

    fn put_item(&self, request: PutItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        Layer::put_item(self, request)
    }

    fn update_item(&self, request: UpdateItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        Layer::update_item(self, request)
    }

    fn delete_item(&self, request: DeleteItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        Layer::delete_item(self, request)
    }

    fn query(&self, request: Query) -> impl Future<Output = Result<PageOutput>> + Send {
        Layer::query(self, request)
    }

    fn scan(&self, request: Scan) -> impl Future<Output = Result<PageOutput>> + Send {
        Layer::scan(self, request)
    }

    fn batch_get_item(
        &self,
        request: BatchGetItem,
    ) -> impl Future<Output = Result<BatchGetItemOutput>> + Send {
        Layer::batch_get_item(self, request)
    }

    fn batch_write_item(
        &self,
        request: BatchWriteItem,
    ) -> impl Future<Output = Result<BatchWriteItemOutput>> + Send {
        Layer::batch_write_item(self, request)
    }

    fn transact_get_items(
        &self,
        request: TransactGetItems,
    ) -> impl Future<Output = Result<TransactGetItemsOutput>> + Send {
        Layer::transact_get_items(self, request)
    }

    fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> impl Future<Output = Result<TransactWriteItemsOutput>> + Send {
        Layer::transact_write_items(self, request)
    }

    fn create_table(
        &self,
        request: CreateTable,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        Layer::create_table(self, request)
    }

    fn describe_table(
        &self,
        table_name: String,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        Layer::describe_table(self, table_name)
    }

    fn delete_table(
        &self,
        table_name: String,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        Layer::delete_table(self, table_name)
    }

    fn update_continuous_backups(
        &self,
        table_name: String,
        point_in_time_recovery: bool,
    ) -> impl Future<Output = Result<()>> + Send {
        Layer::update_continuous_backups(self, table_name, point_in_time_recovery)
    }

    fn update_time_to_live(
        &self,
        table_name: String,
        attribute: String,
        enabled: bool,
    ) -> impl Future<Output = Result<()>> + Send {
        Layer::update_time_to_live(self, table_name, attribute, enabled)
    }
}

/// The tables of a batch or transaction, sorted and without repeats: `counters,notes`.
fn tables<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names.dedup();
    names.join(",")
}
