//! [`MemoryBackend`] itself: the handle every clone shares, and what it tells about its store.

use std::path::Path;
use std::sync::Arc;

use crate::autoscaling;
use crate::clock::Clock;
use crate::durable::{StorageStats, Store};
use crate::state::State;
use crate::throughput::Throughput;

/// An in-memory DynamoDB with DynamoDB's semantics, for tests, examples and local development.
///
/// Cloning is cheap and every clone shares the same tables, so one backend can serve many
/// tokio tasks. Each table has its own lock: operations on items lock just the tables they
/// touch (several in name order), so an operation on one table never waits for another
/// table's, and reads of a table wait only for writes of that table. Locks are held only for
/// the duration of the (synchronous) work, never across an `.await` (a durable backend waits
/// for its `fsync` after releasing them). Creating, deleting and changing tables, restores,
/// time to live sweeps and the start of a backup lock the catalog of tables, and with it
/// every table.
///
/// What app code can observe behaves as on DynamoDB: missing tables, validation errors and
/// their messages, condition failures, sort-key order, 1 MB pages, `Limit` and
/// `LastEvaluatedKey`, update semantics, all-or-nothing transactions, consumed capacity, and
/// global and local secondary indexes (sparse, projected, kept up to date on every write).
/// Time to live is recorded, and expired items are deleted when
/// [`expire_items`](MemoryBackend::expire_items) is called, as DynamoDB's background sweep
/// would. A `TransactWriteItems` sent again with its `ClientRequestToken` within 10 minutes succeeds
/// without being applied twice. A table created with a stream view type keeps 24 hours of
/// stream records ([`stream_records`](MemoryBackend::stream_records)). In memory by default;
/// [`open`](MemoryBackend::open) keeps it in a directory (see "Durable").
///
/// # Provisioned throughput (opt-in)
///
/// With [`enforce_throughput(true)`](crate::MemoryBackendBuilder::enforce_throughput), on the
/// backend's [`Clock`]:
///
/// - Each provisioned table and each global secondary index has a read bucket and a write
///   bucket, refilled at its provisioned units per second, holding at most 300 seconds of
///   them (DynamoDB's burst capacity: "DynamoDB currently retains up to 5 minutes (300
///   seconds) of unused read and write capacity",
///   <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html>).
///   A bucket starts full.
/// - A request is admitted when its bucket holds more than zero units, and then costs the
///   units it consumed (DynamoDB's rounding: 1 KB writes; 4 KB strongly consistent reads, half
///   for eventually consistent ones; a query or scan page summed, then rounded), which may
///   leave the bucket owing: nothing more is admitted until the refill has repaid it.
/// - A request on an empty bucket fails at once with [`Error::Throttled`] (DynamoDB's
///   `ProvisionedThroughputExceededException` message as its source, and the reason DynamoDB
///   gives: `TableWriteProvisionedThroughputExceeded` on the table's ARN, ...) and costs
///   nothing; MemoryBackend does not retry it.
/// - Reads of a global index draw on the index's bucket, reads of a local index on the
///   table's. On-demand tables are throttled only past an on-demand maximum
///   (`OnDemandThroughput`, of the table or of a global index): a bucket holding one second
///   of it, refilled at it, so at most the maximum a second (`ThrottlingException`,
///   `...MaxOnDemandThroughputExceeded`). Units are counted exactly (in
///   millionths), so at 5 WCU a steady 10 writes a second of 1 KB items all succeed for
///   exactly 300 seconds, then every other one is throttled.
/// - A write needs capacity in its table's bucket and in every global index's (DynamoDB
///   throttles table writes when an index is under-provisioned), and costs each global index
///   the units of the change to its entry.
/// - Batches are metered item by item: keys and writes whose table has no capacity left come
///   back in `UnprocessedKeys` / `UnprocessedItems`, and a batch of which nothing could be
///   done fails with [`Error::Throttled`]. A transaction needs capacity in every table it
///   touches, or fails whole; it costs twice the table units.
/// - A conditional write whose condition fails still costs the existing item's write units
///   (at least 1).
/// - Not modelled: failed transactions (they cost nothing), partition limits, adaptive
///   capacity. MemoryBackend answers throttling at once; wrap it in
///   `Retrying` to retry as the AWS SDK does (3 attempts, backoff with
///   jitter) before the caller sees [`Error::Throttled`].
///
/// # Auto scaling
///
/// Scaling policies (`Repo::set_auto_scaling`) are
/// registered and described on every MemoryBackend; with throughput enforced, target tracking
/// is simulated on the [`Clock`]: per-minute consumption, 2 minutes above the target scale out,
/// 15 minutes 20 points or more below it scale in, to `ceil(consumed per second / target)`
/// within the policy's `min..=max`, through `UpdateTable` (and its decrease limits). The model
/// and its sources are in the `autoscaling` module.
///
/// # Eventually consistent reads (opt-in)
///
/// With [`replica_lag(lag)`](crate::MemoryBackendBuilder::replica_lag), reads with
/// `consistent_read: false` (the default of `GetItem`, `Query`, `Scan` and `BatchGetItem`,
/// and every read of a global index) see each table as it was `lag` ago on the backend's
/// [`Clock`]; strongly consistent reads and `TransactGetItems` see the live state. The model
/// (a per-table log of recent writes, undone for the replica's view) is documented in the
/// `replica` module. Off by default: every read is strongly consistent.
///
/// # Backups and point-in-time recovery
///
/// Every write to a table (put, update, delete, batch, transaction, TTL expiry) is recorded in
/// one per-table change log: sequence number, time on the [`Clock`] (one instant per
/// operation, so a transaction is all in or all out), key, old image, new image. It serves
/// both the lagging replica and point-in-time recovery, and keeps what the longest of them
/// needs: nothing when both are off; with recovery on, every write since
/// `max(enabled at, now - recovery period)` (35 days by default,
/// [`recovery_period`](crate::MemoryBackendBuilder::recovery_period)), dropped as the window slides.
/// There is no second copy of the table: a restore to `t` is the live table with the changes
/// after `t` undone from their old images, so memory grows with the writes of the window (each
/// twice), not with the table. `LatestRestorableDateTime` is now (DynamoDB's is about 5
/// minutes ago): every acknowledged write is restorable at once.
///
/// An on-demand backup holds the table and its indexes exactly as they were at the instant of
/// `CreateBackup`, also while other tasks write: it is copied 1024 items per read lock (a
/// writer waits for one piece at most), then wound back to its instant through the change log.
/// Backups live in memory until deleted, also after their table is deleted. Restores go to
/// new tables (an existing one is [`Error::TableAlreadyExists`]), with point-in-time recovery
/// and time to live off, as on DynamoDB.
///
/// # Durable: in a directory
///
/// [`MemoryBackend::open(dir)`](MemoryBackend::open) (or
/// [`builder()…open(dir)`](crate::MemoryBackendBuilder::open)) keeps the backend in a directory:
///
/// - **Acknowledged means on disk.** Every call that changes state (put, update, delete,
///   batch write, transaction, TTL expiry, create/delete/update table, TTL and point-in-time
///   recovery settings, restores) returns only once its effect is in the journal and
///   `fsync`ed. Reopening the directory recovers every acknowledged write; a crash (even
///   `kill -9` mid-write) loses at most the writes that had not returned yet, and never
///   corrupts the others: each operation is one checksummed record, all in or all out.
/// - **Group commit.** Writes are applied in memory under their tables' locks and queued for
///   the journal before those are released (so in the order of each table's writes, and after
///   every write an operation could have seen); the locks are released before the `fsync`,
///   which one writer
///   thread makes for everything queued meanwhile. Concurrent writers share an `fsync`
///   ([`storage_stats`](MemoryBackend::storage_stats) counts them); reads never wait for the
///   disk. A read may see a write whose `fsync` is still in progress (its caller has not been
///   answered yet).
/// - **When the disk fails** (full, or a failed `fsync`), every write whose record was not
///   on disk answers [`Error::Storage`], and the backend turns read-only: later writes answer
///   the same error, reads still answer. Before any failed write is answered, the tables
///   are reloaded from the journal (every table write-locked meanwhile), so no reader sees a
///   failed write from then on, in its items, change log or stream; the point-in-time
///   window then starts at the last snapshot, as after a reopen. Reopening the directory
///   gives the same: every acknowledged write, and none of the failed ones (the journal is
///   cut back to where the failed write began; only if even that fails, which is logged,
///   may a failed write come back, as a timed-out write may have happened).
/// - **Damage is refused, not repaired.** Every record and header carries a crc32. At open,
///   only a torn tail is cut off: the end of the newest journal where a record runs past the
///   end of the file with nothing readable after it, or only zeros, as a crash while
///   appending leaves (its write was never acknowledged). Any other record that cannot be
///   read (a checksum that does not match, even in the last record; a damaged length; a
///   damaged header or snapshot) makes `open` answer [`Error::Corrupt`] with the file and
///   the byte offset, and change nothing in the directory;
///   [`salvage`](MemoryBackend::salvage) then keeps every readable record and reports what
///   it could not read. A newer generation that ends before its snapshot is complete (a
///   compaction interrupted by a crash, in versions that wrote it in place) is ignored for
///   the older one, which is kept until a newer one is complete.
/// - **One process.** The directory is locked while open; a second open, in this process or
///   another, is [`Error::StoreInUse`]. Clones share the open store; the lock is released
///   when the last clone is dropped.
/// - **Compaction.** When the journal outgrows the last snapshot and the
///   [`journal_limit`](crate::MemoryBackendBuilder::journal_limit), the state is written as a new
///   snapshot (with every table read-locked; under a temporary name, renamed once complete
///   and synced) and the old journal removed, so reopening reads about the size of the data.
/// - **Not kept across a restart:** on-demand backups, `ClientRequestToken`s, registered
///   auto scaling policies, and the change log from before the last snapshot: a table's
///   point-in-time recovery window restarts at its last snapshot (the one written at open
///   or by compaction) at the earliest.
///
/// The mechanism (a write-ahead journal of each operation's effect, the same writes the
/// change log records) and why it was chosen over an embedded engine are in the `durable`
/// module; BENCHMARKS.md has its cost against the in-memory mode and SQLite.
///
/// ```
/// use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};
/// use notes_model::expr::KeyCondition;
/// use notes_repo::request::{CreateTable, PutItem, Query};
/// use notes_repo::{Backend, MemoryBackend};
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> notes_repo::Result<()> {
///     let backend = MemoryBackend::new();
///     backend
///         .create_table(CreateTable::new(
///             "notes",
///             KeySchema {
///                 partition_key: KeyAttribute::new("userId", ScalarType::S),
///                 sort_key: Some(KeyAttribute::new("noteId", ScalarType::S)),
///             },
///         ))
///         .await?;
///
///     for note_id in ["n2", "n1"] {
///         let item = ItemMap::from([
///             ("userId".to_owned(), AttributeValue::S("u1".into())),
///             ("noteId".to_owned(), AttributeValue::S(note_id.into())),
///             ("content".to_owned(), AttributeValue::S("hello".into())),
///         ]);
///         let put = PutItem::new("notes", item);
///         assert_eq!(backend.put_item(put).await?.consumed_capacity, Some(1.0));
///     }
///
///     let page = backend
///         .query(Query::new(
///             "notes",
///             KeyCondition::partition("userId", AttributeValue::S("u1".into())),
///         ))
///         .await?;
///     let ids: Vec<_> = page.items.iter().map(|item| item["noteId"].clone()).collect();
///     assert_eq!(ids, [AttributeValue::S("n1".into()), AttributeValue::S("n2".into())]);
///     assert_eq!(page.last_evaluated_key, None);
///     Ok(())
/// }
/// ```
///
/// [`Error::Throttled`]: notes_core::Error::Throttled
/// [`Error::TableAlreadyExists`]: notes_core::Error::TableAlreadyExists
/// [`Error::Storage`]: notes_core::Error::Storage
/// [`Error::Corrupt`]: notes_core::Error::Corrupt
/// [`Error::StoreInUse`]: notes_core::Error::StoreInUse
#[derive(Debug, Clone)]
pub struct MemoryBackend {
    pub(crate) state: Arc<State>,
    /// The time limits are counted on (`UpdateTable`'s decreases per UTC day).
    pub(crate) clock: Arc<dyn Clock>,
    /// Provisioned throughput buckets, when enforced.
    pub(crate) throughput: Option<Arc<Throughput>>,
    /// Registered auto scaling policies (`autoscaling.rs`).
    pub(crate) autoscaler: Arc<autoscaling::AutoScaler>,
    /// The directory and its journal, when durable (`durable/`).
    pub(crate) store: Option<Arc<Store>>,
}

impl MemoryBackend {
    /// The directory a durable backend lives in (`None`: in memory only).
    ///
    /// ```
    /// assert_eq!(notes_repo::MemoryBackend::new().directory(), None);
    /// ```
    pub fn directory(&self) -> Option<&Path> {
        self.store.as_deref().map(Store::dir)
    }

    /// What a durable backend's journal has done since it was opened (`None`: in memory
    /// only).
    ///
    /// See [`StorageStats`] for an example.
    pub fn storage_stats(&self) -> Option<StorageStats> {
        self.store.as_deref().map(Store::stats)
    }
}
