//! The embedded DynamoDB: [`MemoryBackend`].
//!
//! Not a `HashMap` stub: tables must exist, items are validated with DynamoDB's rules, each
//! partition is an ordered index by sort key (S by UTF-8 bytes, N numerically, B by bytes),
//! queries page at 1 MB or `Limit` with a `LastEvaluatedKey`, conditions and updates follow
//! DynamoDB's evaluation rules, transactions are all or nothing, and every call reports the
//! capacity units DynamoDB would charge.
//!
//! This crate depends on the seam (`notes-core`) alone; apps reach it through `notes-repo`
//! (feature `memory`, on by default).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod autoscaling;
mod batch;
mod capacity;
mod clock;
mod index;
mod items;
mod key;
mod meter;
mod prepared;
mod provisioning;
mod query;
mod replica;
mod scaling_policies;
mod streams;
mod table;
mod throughput;
mod tokens;
mod ttl;
mod update;
// ---- Backups ----
mod backup_requests;
mod backups;
mod history;
// ---- Durable store ----
mod durable;
mod encoding;
mod pending;

#[cfg(test)]
mod test_values;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::lock_api::{ArcRwLockReadGuard, ArcRwLockWriteGuard};
use parking_lot::{Mutex, RawRwLock, RwLock};

pub use clock::{Clock, ManualClock, SystemClock, TokioClock};
pub use durable::{SalvageReport, StorageFaults, StorageStats, Unreadable};

use notes_core::Backend;
use notes_core::request::{
    BackupArn, BackupDescription, CreateBackup, ListBackups, ListBackupsOutput,
    PointInTimeRecovery, RestoreTableFromBackup, RestoreTableToPointInTime,
};
use notes_core::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, BillingMode,
    CreateTable, DeleteItem, GetItem, GetItemOutput, PageOutput, PutItem, Query, Scan,
    TableDescription, TableStatus, TransactGetItems, TransactGetItemsOutput, TransactWriteItems,
    TransactWriteItemsOutput, UpdateItem, UpdateTable, WriteOutput,
};
use notes_core::request::{ScalableTarget, ScalingPolicy};
use notes_core::validate;
use notes_core::{Error, Result};

use backups::DEFAULT_RECOVERY_PERIOD;
use durable::{Scope, Store, StoreOptions};
use history::{ChangeLog, Replica, WriteClock};
use meter::Meter;
use table::Table;
use throughput::Throughput;

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
/// With [`enforce_throughput(true)`](MemoryBackendBuilder::enforce_throughput), on the
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
///   `ProvisionedThroughputExceededException` message as its source) and costs nothing;
///   MemoryBackend does not retry it.
/// - Reads of a global index draw on the index's bucket, reads of a local index on the
///   table's. On-demand tables are never throttled. Units are counted exactly (in
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
/// With [`replica_lag(lag)`](MemoryBackendBuilder::replica_lag), reads with
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
/// [`recovery_period`](MemoryBackendBuilder::recovery_period)), dropped as the window slides.
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
/// [`builder()…open(dir)`](MemoryBackendBuilder::open)) keeps the backend in a directory:
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
///   [`journal_limit`](MemoryBackendBuilder::journal_limit), the state is written as a new
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
#[derive(Debug, Clone)]
pub struct MemoryBackend {
    state: Arc<State>,
    /// The time limits are counted on (`UpdateTable`'s decreases per UTC day).
    clock: Arc<dyn Clock>,
    /// Provisioned throughput buckets, when enforced.
    throughput: Option<Arc<Throughput>>,
    /// Registered auto scaling policies (`autoscaling.rs`).
    autoscaler: Arc<autoscaling::AutoScaler>,
    /// The directory and its journal, when durable (`durable/`).
    store: Option<Arc<Store>>,
}

impl Default for MemoryBackend {
    fn default() -> Self {
        MemoryBackend::builder().build()
    }
}

/// Builds a [`MemoryBackend`] with options: [`MemoryBackend::builder`].
///
/// ```
/// use std::time::SystemTime;
/// use notes_repo::{ManualClock, MemoryBackend};
///
/// let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
/// let backend = MemoryBackend::builder().clock(clock.clone()).build();
/// # let _ = backend;
/// ```
#[derive(Debug, Clone)]
pub struct MemoryBackendBuilder {
    clock: Arc<dyn Clock>,
    enforce_throughput: bool,
    replica_lag: Option<Duration>,
    recovery_period: Duration,
    // ---- Durable store ----
    faults: StorageFaults,
    journal_limit: u64,
}

impl MemoryBackendBuilder {
    /// The clock the backend counts time on (default: [`SystemClock`]); a [`ManualClock`]
    /// makes "4 decreases per UTC day" testable in milliseconds.
    ///
    /// See [`MemoryBackendBuilder`] for an example.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Enforces provisioned throughput (off by default): each provisioned table and global
    /// index has a bucket refilled at its units per second that banks up to 300 seconds of
    /// unused capacity; a request on an empty bucket fails with [`Error::Throttled`].
    /// On-demand tables are never throttled. The model, in full, is documented on
    /// [`MemoryBackend`] ("Provisioned throughput").
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use notes_repo::request::BillingMode;
    /// use notes_repo::{Error, ManualClock, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    /// let backend = MemoryBackend::builder().clock(clock.clone()).enforce_throughput(true).build();
    /// let repo: Repo<Note, _> = Repo::new(backend);
    /// repo.ensure_table(BillingMode::Provisioned { read_capacity_units: 1, write_capacity_units: 1 })
    ///     .await?;
    /// // 1 WCU banks 300 writes of up to 1 KB; the 301st in the same instant is throttled.
    /// for _ in 0..300 {
    ///     repo.put(&Note::new("u1", "hi")).await?;
    /// }
    /// let err = repo.put(&Note::new("u1", "hi")).await.unwrap_err();
    /// assert!(matches!(err, Error::Throttled { .. }));
    /// clock.advance(Duration::from_secs(1)); // one more unit earned
    /// repo.put(&Note::new("u1", "hi")).await?;
    /// # Ok(()) }
    /// ```
    pub fn enforce_throughput(mut self, enforce: bool) -> Self {
        self.enforce_throughput = enforce;
        self
    }

    /// Serves eventually consistent reads from a replica `lag` behind (off by default: every
    /// read is strongly consistent). A read with `consistent_read: false` (the default of
    /// `get`, `query` and `scan`, and every read of a global index) sees each table as it was
    /// `lag` ago on the backend's [`Clock`]; `.consistent()` reads and transactions see the
    /// live state. With a [`ManualClock`], the lag is deterministic: until the clock moves
    /// `lag` forward, an eventually consistent read does not see the writes since. A zero
    /// lag is the default (off).
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use notes_repo::request::BillingMode;
    /// use notes_repo::{Item, ManualClock, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    /// let backend = MemoryBackend::builder()
    ///     .clock(clock.clone())
    ///     .replica_lag(Duration::from_secs(1))
    ///     .build();
    /// let repo: Repo<Note, _> = Repo::new(backend);
    /// repo.ensure_table(BillingMode::PayPerRequest).await?;
    /// let note = Note::new("u1", "hello");
    /// repo.put(&note).await?;
    /// assert_eq!(repo.get(&note.key()).await?, None); // the replica has not seen it yet
    /// assert_eq!(repo.get(&note.key()).consistent().await?, Some(note.clone()));
    /// clock.advance(Duration::from_secs(1));
    /// assert_eq!(repo.get(&note.key()).await?, Some(note));
    /// # Ok(()) }
    /// ```
    pub fn replica_lag(mut self, lag: Duration) -> Self {
        self.replica_lag = (!lag.is_zero()).then_some(lag);
        self
    }

    /// How far back point-in-time recovery reaches (default: 35 days, DynamoDB's default and
    /// longest `RecoveryPeriodInDays`): a table with recovery enabled keeps every write of
    /// that period in memory (its old and new image), so a shorter period bounds memory on a
    /// busy table. A zero period is one second.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use notes_repo::request::{PointInTimeRecovery, RestoreTime};
    /// use notes_repo::{Clock, Error, ManualClock, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000));
    /// let backend = MemoryBackend::builder()
    ///     .clock(clock.clone())
    ///     .recovery_period(Duration::from_secs(24 * 60 * 60))
    ///     .build();
    /// let repo: Repo<Note, _> = Repo::new(backend);
    /// repo.create_table_on_demand().await?;
    /// repo.enable_point_in_time_recovery().await?;
    /// let enabled_at = clock.now();
    /// clock.advance(Duration::from_secs(2 * 24 * 60 * 60));
    /// let too_early = repo.restore_to_point_in_time("notes-old", RestoreTime::At(enabled_at)).await;
    /// assert!(matches!(too_early, Err(Error::InvalidRestoreTime { .. })));
    /// # Ok(()) }
    /// ```
    pub fn recovery_period(mut self, period: Duration) -> Self {
        self.recovery_period = period.max(Duration::from_secs(1));
        self
    }

    /// Failures to inject into a durable backend's journal ([`open`](Self::open)), for
    /// tests of a full disk or a failed `fsync`; ignored by [`build`](Self::build).
    ///
    /// See [`StorageFaults`] for an example.
    pub fn storage_faults(mut self, faults: StorageFaults) -> Self {
        self.faults = faults;
        self
    }

    /// When a durable backend compacts its journal (default 64 MiB): once the operations
    /// journaled since the last snapshot take more than this many bytes and more than the
    /// snapshot itself, the state is written as a new snapshot and the old journal removed,
    /// so that reopening reads about the size of the data, not of its history.
    ///
    /// ```
    /// # fn main() -> notes_repo::Result<()> {
    /// let dir = std::env::temp_dir().join(format!("notes-doc-limit-{}", std::process::id()));
    /// let backend = notes_repo::MemoryBackend::builder().journal_limit(1 << 20).open(&dir)?;
    /// # drop(backend);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok(()) }
    /// ```
    pub fn journal_limit(mut self, bytes: u64) -> Self {
        self.journal_limit = bytes;
        self
    }

    /// The backend, with no tables, in memory only.
    ///
    /// See [`MemoryBackendBuilder`] for an example.
    pub fn build(self) -> MemoryBackend {
        let (backend, _) = self.assemble();
        backend
    }

    /// The backend, kept in the directory `dir` (created if missing): every write is on disk
    /// before it is acknowledged, and opening the directory again recovers every
    /// acknowledged write. The guarantees and the mechanism are documented on
    /// [`MemoryBackend`] ("Durable").
    ///
    /// # Errors
    ///
    /// [`Error::StoreInUse`] when another backend, in this process or another, has the
    /// directory open (after retrying for 50 ms: a process being spawned holds a copy of a
    /// just-released lock until it starts); [`Error::Corrupt`] when a journal file is
    /// damaged (nothing in the directory is changed then: see
    /// [`MemoryBackend::salvage`]); [`Error::Storage`] when the directory cannot be created,
    /// locked or read.
    ///
    /// ```
    /// use notes_repo::request::BillingMode;
    /// use notes_repo::{Item, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let dir = std::env::temp_dir().join(format!("notes-doc-open-{}", std::process::id()));
    /// let note = Note::new("u1", "kept");
    /// {
    ///     let repo: Repo<Note, _> = Repo::new(MemoryBackend::builder().open(&dir)?);
    ///     repo.ensure_table(BillingMode::PayPerRequest).await?;
    ///     repo.put(&note).await?; // on disk once this returns
    /// } // closed: the directory's lock is released
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::builder().open(&dir)?);
    /// assert_eq!(repo.get(&note.key()).await?, Some(note));
    /// # drop(repo);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok(()) }
    /// ```
    pub fn open(self, dir: impl AsRef<Path>) -> Result<MemoryBackend> {
        let options = StoreOptions {
            faults: self.faults.clone(),
            journal_limit: self.journal_limit,
        };
        let (mut backend, state) = self.assemble();
        let recovered =
            state.write_all(|tables| durable::recover(dir.as_ref(), tables, options))?;
        backend.store = Some(Arc::new(Store::start(recovered, Arc::downgrade(&state))));
        Ok(backend)
    }

    fn assemble(self) -> (MemoryBackend, Arc<State>) {
        let throughput = self
            .enforce_throughput
            .then(|| Arc::new(Throughput::new(Arc::clone(&self.clock))));
        let replica = self
            .replica_lag
            .map(|lag| Replica::new(lag, Arc::clone(&self.clock)));
        let state = Arc::new(State {
            catalog: RwLock::default(),
            common: Arc::new(Common {
                replica,
                write_clock: Arc::new(WriteClock::new(Arc::clone(&self.clock))),
                recovery_period: self.recovery_period,
                ..Common::default()
            }),
        });
        let backend = MemoryBackend {
            state: Arc::clone(&state),
            clock: self.clock,
            throughput,
            autoscaler: Arc::default(),
            store: None,
        };
        (backend, state)
    }
}

impl MemoryBackend {
    /// An empty DynamoDB: no tables.
    ///
    /// ```
    /// let backend = notes_repo::MemoryBackend::new();
    /// # let _ = backend;
    /// ```
    pub fn new() -> Self {
        MemoryBackend::default()
    }

    /// A backend with options (its clock).
    ///
    /// ```
    /// let backend = notes_repo::MemoryBackend::builder()
    ///     .clock(notes_repo::SystemClock)
    ///     .build();
    /// # let _ = backend;
    /// ```
    pub fn builder() -> MemoryBackendBuilder {
        MemoryBackendBuilder {
            clock: Arc::new(SystemClock),
            enforce_throughput: false,
            replica_lag: None,
            recovery_period: DEFAULT_RECOVERY_PERIOD,
            faults: StorageFaults::default(),
            journal_limit: durable::DEFAULT_JOURNAL_LIMIT,
        }
    }

    /// A durable backend in the directory `dir`, with default options:
    /// `MemoryBackend::builder().open(dir)` ([`MemoryBackendBuilder::open`], where the
    /// errors are listed).
    ///
    /// ```
    /// # fn main() -> notes_repo::Result<()> {
    /// let dir = std::env::temp_dir().join(format!("notes-doc-open2-{}", std::process::id()));
    /// let backend = notes_repo::MemoryBackend::open(&dir)?;
    /// assert_eq!(backend.directory(), Some(dir.as_path()));
    /// // A second open of the same directory is refused while this one is open.
    /// assert!(matches!(
    ///     notes_repo::MemoryBackend::open(&dir),
    ///     Err(notes_repo::Error::StoreInUse { .. })
    /// ));
    /// # drop(backend);
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok(()) }
    /// ```
    pub fn open(dir: impl AsRef<Path>) -> Result<MemoryBackend> {
        MemoryBackend::builder().open(dir)
    }

    /// Makes a directory that [`open`](MemoryBackend::open) refuses as damaged
    /// ([`Error::Corrupt`]) openable again, keeping every record that can still be read: the
    /// journal is read past its damaged bytes (resuming at the next record whose checksum
    /// matches), every readable record is applied in order (one that cannot be, such as the
    /// items of a table whose definition was in the damaged bytes, is skipped whole), the
    /// result is written as a new journal generation, and the old journal files are renamed
    /// to `<name>.damaged`, never deleted. The [`SalvageReport`] lists each place that could
    /// not be read or applied (file, byte range, why) and counts the records kept.
    ///
    /// A directory with nothing damaged is left as it is (the report's `journal` is `None`).
    /// What the damaged bytes held is lost, and a write kept after it may have depended on
    /// it: check the data. The directory must not be open ([`Error::StoreInUse`]).
    ///
    /// # Errors
    ///
    /// [`Error::StoreInUse`] when the directory is open; [`Error::Storage`] when it cannot be
    /// read, or the new journal cannot be written.
    ///
    /// ```
    /// use notes_repo::{Error, MemoryBackend};
    ///
    /// # fn main() -> notes_repo::Result<()> {
    /// let dir = std::env::temp_dir().join(format!("notes-doc-salvage-{}", std::process::id()));
    /// drop(MemoryBackend::open(&dir)?);
    /// // Nothing is damaged: nothing to do.
    /// let report = MemoryBackend::salvage(&dir)?;
    /// assert!(report.lost.is_empty() && report.journal.is_none());
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok(()) }
    /// ```
    pub fn salvage(dir: impl AsRef<Path>) -> Result<SalvageReport> {
        durable::salvage(dir.as_ref())
    }

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

    /// What requests draw on the throughput buckets (nothing when throughput is not
    /// enforced), once auto scaling has caught up with the clock. Taken before the tables
    /// lock: auto scaling changes tables.
    fn meter(&self) -> Meter<'_> {
        self.autoscale();
        Meter::new(self.throughput.as_deref())
    }

    /// Runs `f` on every table, each read-locked (the catalog too: no table is created or
    /// deleted meanwhile). For what reads several tables at once or does not name them
    /// (streams, backups, scaling policies); item reads lock only their own tables
    /// ([`read_tables`](Self::read_tables)).
    fn read<T>(&self, f: impl FnOnce(&Tables) -> Result<T>) -> Result<T> {
        self.state.read_all(f)
    }

    /// Runs `f` on the tables `names`, each read-locked (in name order; one missing from the
    /// catalog is absent, so `f` answers it not found). Writes of other tables go on
    /// meanwhile.
    fn read_tables<'a, T>(
        &self,
        names: impl IntoIterator<Item = &'a str>,
        f: impl FnOnce(&Tables) -> Result<T>,
    ) -> Result<T> {
        let catalog = self.state.catalog.read();
        let tables = lock_named(&catalog, names, |lock| Slot::Read(lock.read_arc()));
        f(&Tables {
            tables,
            common: Arc::clone(&self.state.common),
        })
    }

    /// Runs the read `read` (items, tables, backups) on `request` and, on a durable backend,
    /// answers once every write it could have seen is on disk: a read never answers with a
    /// write that a crash or a failed `fsync` would undo. When the journal fails meanwhile, the tables were reloaded
    /// from disk before that failure was reported, so the read runs again on what is on disk.
    async fn read_durably<R: Clone, T>(
        &self,
        request: R,
        read: impl Fn(R) -> Result<T>,
    ) -> Result<T> {
        let Some(store) = &self.store else {
            return read(request);
        };
        let output = read(request.clone());
        match store.wait_for_reads().await {
            Ok(()) => output,
            Err(_) => read(request),
        }
    }

    /// Runs `f` with the catalog and every table write-locked, every write it makes at one
    /// instant of the clock (the change log's time of a transaction's or a batch's writes).
    /// On a durable backend, blocks the thread until the write is on disk (the synchronous
    /// paths: backups, TTL expiry, auto scaling); the operations of [`Backend`] wait
    /// asynchronously ([`write_durably`](Self::write_durably)).
    fn write<T>(&self, f: impl FnOnce(&mut Tables) -> Result<T>) -> Result<T> {
        let (output, sequence) = self.apply(Reach::Catalog, f)?;
        if let (Some(store), Some(sequence)) = (&self.store, sequence) {
            store.wait_blocking(sequence)?;
        }
        output
    }

    /// [`write`](Self::write) on what `reach` names, waiting for the disk without blocking
    /// the thread: the operation is applied and queued for the journal under its tables'
    /// locks, in journal order, and the `fsync` is awaited after the locks are released,
    /// shared with every write queued meanwhile.
    async fn write_durably<T>(
        &self,
        reach: Reach<'_>,
        f: impl FnOnce(&mut Tables) -> Result<T>,
    ) -> Result<T> {
        let (output, sequence) = self.apply(reach, f)?;
        if let (Some(store), Some(sequence)) = (&self.store, sequence) {
            store.wait(sequence).await?;
        }
        output
    }

    /// Applies `f` with what `reach` names write-locked and, when durable, queues its record
    /// before the locks are released (so each table's records are queued in the order its
    /// writes were applied, and an operation on several tables is queued after every write
    /// it could have observed): `f`'s output and the record's sequence number (`None`: in
    /// memory, or nothing changed). A backend whose journal failed takes no more writes.
    fn apply<T>(
        &self,
        reach: Reach<'_>,
        f: impl FnOnce(&mut Tables) -> Result<T>,
    ) -> Result<(Result<T>, Option<u64>)> {
        let run = |tables: &mut Tables, scope: Scope| {
            if let Some(store) = &self.store {
                store.check_writable()?;
            }
            let clock = Arc::clone(&tables.write_clock);
            let now = clock.pin();
            let output = f(tables);
            clock.unpin();
            let sequence = match &self.store {
                Some(store) => store.submit(tables, scope, now),
                None => durable::discard_extras(),
            };
            Ok((output, sequence))
        };
        match reach {
            Reach::Items(names) => {
                let catalog = self.state.catalog.read();
                let tables = lock_named(&catalog, names, |lock| Slot::Write(lock.write_arc()));
                let mut tables = Tables {
                    tables,
                    common: Arc::clone(&self.state.common),
                };
                run(&mut tables, Scope::Items)
            }
            Reach::Catalog => self.state.write_all(|tables| run(tables, Scope::Tables)),
        }
    }
}

/// What a write locks.
#[derive(Debug)]
enum Reach<'a> {
    /// These tables (item operations: they neither create nor delete tables).
    Items(Vec<&'a str>),
    /// The catalog and every table (table administration, restores, TTL expiry, backups).
    Catalog,
}

impl<'a> Reach<'a> {
    /// One table's items.
    fn table(name: &'a str) -> Self {
        Reach::Items(vec![name])
    }
}

/// One table's lock.
type TableLock = Arc<RwLock<Table>>;

/// Locks the tables `names` of `catalog` in name order (the one order every operation takes
/// them in, so two operations on overlapping tables never deadlock); names not in the
/// catalog are left out.
fn lock_named<'a>(
    catalog: &HashMap<String, TableLock>,
    names: impl IntoIterator<Item = &'a str>,
    lock: impl Fn(&TableLock) -> Slot,
) -> HashMap<String, Slot> {
    let mut names: Vec<&str> = names.into_iter().collect();
    names.sort_unstable();
    names.dedup();
    let mut tables = HashMap::with_capacity(names.len());
    for name in names {
        if let Some((name, table)) = catalog.get_key_value(name) {
            tables.insert(name.clone(), lock(table));
        }
    }
    tables
}

/// What every clone of a backend shares.
#[derive(Debug)]
pub(crate) struct State {
    /// The tables by name, each behind its own lock. Read-locked by every item operation for
    /// its length (so its tables are not deleted under it), write-locked by whatever creates
    /// or deletes tables. Always taken before any table's lock.
    catalog: RwLock<HashMap<String, TableLock>>,
    /// What is not per table.
    common: Arc<Common>,
}

impl State {
    /// Runs `f` on every table, read-locked in name order, under the catalog's read lock.
    pub(crate) fn read_all<T>(&self, f: impl FnOnce(&Tables) -> T) -> T {
        let catalog = self.catalog.read();
        let tables = lock_named(&catalog, catalog.keys().map(String::as_str), |lock| {
            Slot::Read(lock.read_arc())
        });
        f(&Tables {
            tables,
            common: Arc::clone(&self.common),
        })
    }

    /// Runs `f` on every table, write-locked in name order, under the catalog's write lock;
    /// then makes the catalog what `f` left: tables it created or restored are added, those
    /// it deleted removed.
    pub(crate) fn write_all<T>(&self, f: impl FnOnce(&mut Tables) -> T) -> T {
        let mut catalog = self.catalog.write();
        let tables = lock_named(&catalog, catalog.keys().map(String::as_str), |lock| {
            Slot::Write(lock.write_arc())
        });
        let mut view = Tables {
            tables,
            common: Arc::clone(&self.common),
        };
        let output = f(&mut view);
        catalog.retain(|name, _| view.tables.contains_key(name));
        for (name, slot) in view.tables {
            if let Slot::Owned(table) = slot {
                catalog.insert(name, Arc::new(RwLock::new(*table)));
            }
        }
        output
    }
}

/// State shared by every table: what cross-table operations need besides the tables, each
/// part behind its own small lock when it changes.
#[derive(Debug, Default)]
pub(crate) struct Common {
    tokens: Mutex<tokens::Tokens>,
    /// The lagging replica eventually consistent reads see (`None`: off).
    replica: Option<Replica>,
    // ---- Backups ----
    /// The time the change logs record writes at.
    write_clock: Arc<WriteClock>,
    /// How far back point-in-time recovery reaches.
    recovery_period: Duration,
    /// On-demand backups.
    backups: Mutex<backups::Backups>,
    // ---- Durable store ----
    /// Each journaled table's definition as last journaled (empty in memory only).
    journaled: Mutex<durable::Journaled>,
}

/// One table as an operation holds it: read-locked, write-locked, or its own (a table just
/// created or restored, not yet in the catalog; a replica's view).
#[derive(Debug)]
pub(crate) enum Slot {
    Read(ArcRwLockReadGuard<RawRwLock, Table>),
    Write(ArcRwLockWriteGuard<RawRwLock, Table>),
    Owned(Box<Table>),
}

impl Slot {
    /// The table itself, out of its slot: a write-locked one is left empty (its lock is
    /// dropped from the catalog, as the caller removed it from its view).
    fn into_table(self) -> Table {
        match self {
            Slot::Read(_) => unreachable!("a read-locked table is never taken"),
            Slot::Write(mut table) => {
                let empty = table.empty_copy();
                std::mem::replace(&mut *table, empty)
            }
            Slot::Owned(table) => *table,
        }
    }
}

impl From<Table> for Slot {
    fn from(table: Table) -> Self {
        Slot::Owned(Box::new(table))
    }
}

impl Deref for Slot {
    type Target = Table;

    fn deref(&self) -> &Table {
        match self {
            Slot::Read(table) => table,
            Slot::Write(table) => table,
            Slot::Owned(table) => table,
        }
    }
}

impl DerefMut for Slot {
    fn deref_mut(&mut self) -> &mut Table {
        match self {
            // Read-locked tables are only ever reached through `&Tables`.
            Slot::Read(_) => unreachable!("a read-locked table is never written"),
            Slot::Write(table) => table,
            Slot::Owned(table) => table,
        }
    }
}

/// The tables an operation holds, by name (only those it locked: see
/// [`MemoryBackend::read_tables`] and [`Reach`]), and the state shared across tables, which
/// it reaches as its own fields (`Deref`).
#[derive(Debug, Default)]
pub(crate) struct Tables {
    tables: HashMap<String, Slot>,
    common: Arc<Common>,
}

impl Deref for Tables {
    type Target = Common;

    fn deref(&self) -> &Common {
        &self.common
    }
}

impl Default for WriteClock {
    fn default() -> Self {
        WriteClock::new(Arc::new(SystemClock))
    }
}

impl Tables {
    fn table(&self, name: &str) -> Result<&Table> {
        self.tables
            .get(name)
            .map(|table| &**table)
            .ok_or_else(|| not_found(name))
    }

    fn table_mut(&mut self, name: &str) -> Result<&mut Table> {
        self.tables
            .get_mut(name)
            .map(|table| &mut **table)
            .ok_or_else(|| not_found(name))
    }

    fn create_table(&mut self, request: CreateTable) -> Result<TableDescription> {
        validate::name(&request.table_name, "tableName")?;
        let schema = &request.key_schema;
        validate::distinct_key_names(schema, None)?;
        validate::key_names_present(schema, "keySchema")?;
        validate::check_indexes(schema, &request.indexes)?;
        // Global indexes of a provisioned table get the table's capacity, which memory has no
        // use for; billing is recorded on the table only.
        if let BillingMode::Provisioned {
            read_capacity_units,
            write_capacity_units,
        } = request.billing_mode
        {
            for (field, value) in [
                ("readCapacityUnits", read_capacity_units),
                ("writeCapacityUnits", write_capacity_units),
            ] {
                if value < 1 {
                    return Err(Error::validation(format!(
                        "1 validation error detected: Value '{value}' at \
                         'provisionedThroughput.{field}' failed to satisfy constraint: Member \
                         must have value greater than or equal to 1"
                    )));
                }
            }
        }
        let mut history = self.change_log();
        history.stream = request.stream_view_type;
        match self.tables.entry(request.table_name.clone()) {
            Entry::Occupied(_) => Err(Error::TableAlreadyExists {
                table: request.table_name,
                source: None,
            }),
            Entry::Vacant(slot) => {
                let mut table = Table::new(
                    request.table_name,
                    request.key_schema,
                    request.billing_mode,
                    request.indexes,
                );
                table.history = Some(history);
                // Memory has nothing to provision: the table is ACTIVE at once.
                Ok(slot.insert(table.into()).describe(TableStatus::Active))
            }
        }
    }

    fn describe_table(&self, name: &str) -> Result<TableDescription> {
        Ok(self.table(name)?.describe(TableStatus::Active))
    }

    fn delete_table(&mut self, name: &str) -> Result<TableDescription> {
        let table = self.tables.remove(name).ok_or_else(|| not_found(name))?;
        Ok(table.describe(TableStatus::Deleting))
    }

    fn update_table(
        &mut self,
        request: &UpdateTable,
        now: std::time::SystemTime,
        throughput: Option<&Throughput>,
    ) -> Result<TableDescription> {
        validate::update_table(request)?;
        let table = self.table_mut(&request.table_name)?;
        provisioning::update_table(table, throughput, request, now)
    }

    /// A new table's change log, kept for the replica's lag (and point-in-time recovery,
    /// once enabled).
    fn change_log(&self) -> ChangeLog {
        let lag = self.replica.as_ref().map(Replica::lag);
        ChangeLog::new(Arc::clone(&self.write_clock), lag)
    }
}

/// What a request is metered on: its table and the index it reads, if any (`None`: no single
/// table).
/// DynamoDB's `ResourceNotFoundException` ("Requested resource not found").
fn not_found(name: &str) -> Error {
    Error::TableNotFound {
        table: name.to_owned(),
        source: None,
    }
}

impl Backend for MemoryBackend {
    fn get_item(&self, request: GetItem) -> impl Future<Output = Result<GetItemOutput>> + Send {
        let this = self;
        async move {
            let meter = this.meter();
            this.read_durably(request, |request: GetItem| {
                let name = request.table_name.clone();
                this.read_tables([name.as_str()], |t| {
                    let view = t.lagging([(&*request.table_name, !request.consistent_read)]);
                    view.as_ref().unwrap_or(t).get_item(request, meter)
                })
            })
            .await
        }
    }

    fn put_item(&self, request: PutItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        let this = self;
        async move {
            let meter = this.meter();
            let name = request.table_name.clone();
            this.write_durably(Reach::table(&name), |t| t.put_item(request, meter))
                .await
        }
    }

    fn update_item(&self, request: UpdateItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        let this = self;
        async move {
            let meter = this.meter();
            let name = request.table_name.clone();
            this.write_durably(Reach::table(&name), |t| t.update_item(request, meter))
                .await
        }
    }

    fn delete_item(&self, request: DeleteItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        let this = self;
        async move {
            let meter = this.meter();
            let name = request.table_name.clone();
            this.write_durably(Reach::table(&name), |t| t.delete_item(request, meter))
                .await
        }
    }

    fn query(&self, request: Query) -> impl Future<Output = Result<PageOutput>> + Send {
        let this = self;
        async move {
            let meter = this.meter();
            this.read_durably(request, |request: Query| {
                let name = request.table_name.clone();
                this.read_tables([name.as_str()], |t| {
                    let view = t.lagging([(&*request.table_name, !request.consistent_read)]);
                    view.as_ref().unwrap_or(t).query(request, meter)
                })
            })
            .await
        }
    }

    fn scan(&self, request: Scan) -> impl Future<Output = Result<PageOutput>> + Send {
        let this = self;
        async move {
            let meter = this.meter();
            this.read_durably(request, |request: Scan| {
                let name = request.table_name.clone();
                this.read_tables([name.as_str()], |t| {
                    let view = t.lagging([(&*request.table_name, !request.consistent_read)]);
                    view.as_ref().unwrap_or(t).scan(request, meter)
                })
            })
            .await
        }
    }

    fn batch_get_item(
        &self,
        request: BatchGetItem,
    ) -> impl Future<Output = Result<BatchGetItemOutput>> + Send {
        let this = self;
        async move {
            let meter = this.meter();
            this.read_durably(request, |request: BatchGetItem| {
                let names: Vec<String> = request.request_items.keys().cloned().collect();
                this.read_tables(names.iter().map(String::as_str), |t| {
                    let tables = request
                        .request_items
                        .iter()
                        .map(|(name, keys)| (name.as_str(), !keys.consistent_read));
                    let view = t.lagging(tables);
                    view.as_ref().unwrap_or(t).batch_get_item(request, meter)
                })
            })
            .await
        }
    }

    fn batch_write_item(
        &self,
        request: BatchWriteItem,
    ) -> impl Future<Output = Result<BatchWriteItemOutput>> + Send {
        let this = self;
        async move {
            let meter = this.meter();
            let names: Vec<String> = request.request_items.keys().cloned().collect();
            let reach = Reach::Items(names.iter().map(String::as_str).collect());
            this.write_durably(reach, |t| t.batch_write_item(request, meter))
                .await
        }
    }

    fn transact_get_items(
        &self,
        request: TransactGetItems,
    ) -> impl Future<Output = Result<TransactGetItemsOutput>> + Send {
        let this = self;
        async move {
            let meter = this.meter();
            this.read_durably(request, |request: TransactGetItems| {
                let names: Vec<String> = request
                    .items
                    .iter()
                    .map(|get| get.table_name.clone())
                    .collect();
                this.read_tables(names.iter().map(String::as_str), |t| {
                    t.transact_get_items(request, meter)
                })
            })
            .await
        }
    }

    fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> impl Future<Output = Result<TransactWriteItemsOutput>> + Send {
        let this = self;
        async move {
            let meter = this.meter();
            let names: Vec<String> = request
                .items
                .iter()
                .map(|write| write.table_name().to_owned())
                .collect();
            let reach = Reach::Items(names.iter().map(String::as_str).collect());
            this.write_durably(reach, |t| t.transact_write_once(request, meter))
                .await
        }
    }

    fn create_table(
        &self,
        request: CreateTable,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        let this = self;
        async move {
            this.write_durably(Reach::Catalog, |t| t.create_table(request))
                .await
        }
    }

    fn describe_table(
        &self,
        table_name: String,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        let this = self;
        async move {
            this.autoscale();
            this.read_durably(table_name, |name: String| {
                this.read_tables([name.as_str()], |t| t.describe_table(&name))
            })
            .await
        }
    }

    fn delete_table(
        &self,
        table_name: String,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        let this = self;
        async move {
            if let Some(throughput) = &this.throughput {
                throughput.forget(&table_name);
            }
            this.write_durably(Reach::Catalog, |t| t.delete_table(&table_name))
                .await
        }
    }

    fn update_table(
        &self,
        request: UpdateTable,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        let this = self;
        async move {
            let now = this.clock.now();
            let throughput = this.throughput.as_deref();
            this.write_durably(Reach::Catalog, |t| {
                t.update_table(&request, now, throughput)
            })
            .await
        }
    }

    fn update_continuous_backups(
        &self,
        table_name: String,
        point_in_time_recovery: bool,
    ) -> impl Future<Output = Result<()>> + Send {
        let this = self;
        async move {
            this.write_durably(Reach::Catalog, |t| {
                t.update_continuous_backups(&table_name, point_in_time_recovery)
            })
            .await
        }
    }

    fn update_time_to_live(
        &self,
        table_name: String,
        attribute: String,
        enabled: bool,
    ) -> impl Future<Output = Result<()>> + Send {
        let this = self;
        async move {
            this.write_durably(Reach::Catalog, |t| {
                t.update_time_to_live(&table_name, attribute, enabled)
            })
            .await
        }
    }

    fn put_scaling_policy(&self, policy: ScalingPolicy) -> impl Future<Output = Result<()>> + Send {
        let this = self;
        async move { this.register_scaling_policy(policy) }
    }

    fn describe_scaling_policies(
        &self,
        table_name: String,
    ) -> impl Future<Output = Result<Vec<ScalingPolicy>>> + Send {
        let this = self;
        async move { Ok(this.scaling_policies(&table_name)) }
    }

    fn delete_scaling_policy(
        &self,
        target: ScalableTarget,
    ) -> impl Future<Output = Result<()>> + Send {
        let this = self;
        async move {
            this.deregister_scaling_policy(&target);
            Ok(())
        }
    }

    // ---- Backups ----
    fn create_backup(
        &self,
        request: CreateBackup,
    ) -> impl Future<Output = Result<BackupDescription>> + Send {
        let this = self;
        async move { this.create_backup_now(&request) }
    }

    fn list_backups(
        &self,
        request: ListBackups,
    ) -> impl Future<Output = Result<ListBackupsOutput>> + Send {
        let this = self;
        async move {
            this.read_durably(request, |request: ListBackups| {
                this.list_backups_now(&request)
            })
            .await
        }
    }

    fn describe_backup(
        &self,
        backup_arn: BackupArn,
    ) -> impl Future<Output = Result<BackupDescription>> + Send {
        let this = self;
        async move {
            this.read_durably(backup_arn, |arn: BackupArn| this.describe_backup_now(&arn))
                .await
        }
    }

    fn delete_backup(
        &self,
        backup_arn: BackupArn,
    ) -> impl Future<Output = Result<BackupDescription>> + Send {
        let this = self;
        async move { this.delete_backup_now(&backup_arn) }
    }

    fn restore_table_from_backup(
        &self,
        request: RestoreTableFromBackup,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        let this = self;
        async move { this.restore_table_from_backup_now(&request) }
    }

    fn restore_table_to_point_in_time(
        &self,
        request: RestoreTableToPointInTime,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        let this = self;
        async move { this.restore_table_to_point_in_time_now(&request) }
    }

    fn describe_continuous_backups(
        &self,
        table_name: String,
    ) -> impl Future<Output = Result<PointInTimeRecovery>> + Send {
        let this = self;
        async move {
            this.read_durably(table_name, |name: String| {
                this.describe_continuous_backups_now(&name)
            })
            .await
        }
    }
}
