//! Backend layers: wrappers that change some operations of a [`Backend`] and forward the rest.
//!
//! A layer implements [`Layer`]: it names its inner backend and overrides only what it changes,
//! either one operation (`batch_write_item`) or all of them at once through [`Layer::around`]
//! (or [`Layer::around_request`], to read each request too).
//! Every `Layer` is a `Backend`. Tracing is such a layer ([`Traced`](crate::Traced)), and so are
//! metering, fault injection and throttling wrappers.

use std::future::Future;

use crate::backend::Backend;
use crate::error::Result;
use crate::operation::{Operation, for_each_operation};
use crate::request::attributes::Attributed;
use crate::request::capacity::ConsumedCapacity;
use crate::request::{
    BackupArn, BackupDescription, CreateBackup, ListBackups, ListBackupsOutput,
    PointInTimeRecovery, RestoreTableFromBackup, RestoreTableToPointInTime,
};
use crate::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, CreateTable,
    DeleteItem, GetItem, GetItemOutput, PageOutput, PutItem, Query, Scan, TableDescription,
    TransactGetItems, TransactGetItemsOutput, TransactWrite, TransactWriteItems,
    TransactWriteItemsOutput, UpdateItem, UpdateTable, WriteOutput,
};
use crate::request::{
    DeleteTable, DescribeContinuousBackups, DescribeScalingPolicies, DescribeTable, ScalableTarget,
    ScalingPolicy, UpdateContinuousBackups, UpdateTimeToLive,
};

/// `Layer`'s default methods: the inner backend's operation, through [`Layer::around`].
macro_rules! forward_through_around {
    ($(
        $(#[$attr:meta])*
        $kind:ident $method:ident($arg:ident: $ty:ty) -> $output:ty {
            operation: $operation:ident,
            table: $table:expr,
            $(unsupported: $target:expr,)?
        }
    )*) => {$(
        #[doc = concat!(
            "`", stringify!($operation),
            "`; forwards through [`Layer::around_request`] (then [`Layer::around`]) by default."
        )]
        fn $method(&self, $arg: $ty) -> impl Future<Output = Result<$output>> + Send {
            async move {
                let table: String = $table;
                let send = |request| self.inner().$method(request);
                self.around_request(Operation::$operation, &table, $arg, send).await
            }
        }
    )*};
}

/// The `Backend` impl of every `Layer`: its own methods.
macro_rules! forward_to_layer {
    ($(
        $(#[$attr:meta])*
        $kind:ident $method:ident($arg:ident: $ty:ty) -> $output:ty {
            operation: $operation:ident,
            table: $table:expr,
            $(unsupported: $target:expr,)?
        }
    )*) => {$(
        fn $method(&self, $arg: $ty) -> impl Future<Output = Result<$output>> + Send {
            Layer::$method(self, $arg)
        }
    )*};
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
///             return Err(Error::Throttled { retried: false, source: None, reasons: Vec::new() });
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

    /// Runs one operation, seeing its request first: `send(request)` is the inner backend's
    /// future for it. What the request asks (its index, `Limit`, segments, ...) is
    /// [`request.attributes()`](Attributed::attributes); what it answered, the output's
    /// [`ConsumedCapacity`]. By default, [`around`](Layer::around) the call: a layer that
    /// needs no more than the operation and its tables overrides `around` alone.
    /// [`Traced`](crate::Traced) overrides this one, for OpenTelemetry's attributes.
    ///
    /// ```
    /// use std::future::Future;
    /// use std::sync::{Arc, Mutex};
    /// use notes_repo::expr::KeyCondition;
    /// use notes_repo::request::{CreateTable, Query};
    /// use notes_repo::{AttributeValue, Attributed, Backend, ConsumedCapacity, Item};
    /// use notes_repo::{MemoryBackend, Note, Operation, Result};
    ///
    /// /// Remembers the `Limit` of every query.
    /// #[derive(Clone)]
    /// struct Limits(MemoryBackend, Arc<Mutex<Vec<Option<u32>>>>);
    ///
    /// impl notes_repo::Layer for Limits {
    ///     type Inner = MemoryBackend;
    ///     fn inner(&self) -> &MemoryBackend {
    ///         &self.0
    ///     }
    ///     async fn around_request<R, O, C, F>(&self, operation: Operation, _table: &str, request: R, send: C) -> Result<O>
    ///     where
    ///         R: Attributed + Send,
    ///         O: ConsumedCapacity + Send,
    ///         C: FnOnce(R) -> F + Send,
    ///         F: Future<Output = Result<O>> + Send,
    ///     {
    ///         if operation == Operation::Query {
    ///             self.1.lock().unwrap().push(request.attributes().limit);
    ///         }
    ///         send(request).await
    ///     }
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let limits = Arc::new(Mutex::new(Vec::new()));
    /// let backend = Limits(MemoryBackend::new(), limits.clone());
    /// backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
    /// let alice = KeyCondition::partition("userId", AttributeValue::S("alice".into()));
    /// backend.query(Query::new("notes", alice).limit(10)).await?;
    /// assert_eq!(*limits.lock().unwrap(), [Some(10)]);
    /// # Ok(()) }
    /// ```
    fn around_request<R, O, C, F>(
        &self,
        operation: Operation,
        table: &str,
        request: R,
        send: C,
    ) -> impl Future<Output = Result<O>> + Send
    where
        R: Attributed + Send,
        O: ConsumedCapacity + Send,
        C: FnOnce(R) -> F + Send,
        F: Future<Output = Result<O>> + Send,
    {
        self.around(operation, table, send(request))
    }

    for_each_operation!(forward_through_around);
}

impl<L: Layer> Backend for L {
    for_each_operation!(forward_to_layer);
}

/// The tables of a batch or transaction, sorted and without repeats: `counters,notes`.
fn tables<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names.dedup();
    names.join(",")
}

/// The table a backup was taken of, from its ARN (empty when the ARN does not say).
fn backup_table(arn: &BackupArn) -> String {
    arn.table_name().unwrap_or_default().to_owned()
}
