//! How a [`MemoryBackend`] is made: in memory ([`MemoryBackend::new`],
//! [`MemoryBackendBuilder::build`]) or kept in a directory ([`MemoryBackend::open`]), with the
//! options of [`MemoryBackendBuilder`].

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::RwLock;

use notes_core::Result;

use crate::backup_requests::RESTORE_LAG;
use crate::backups::DEFAULT_RECOVERY_PERIOD;
use crate::clock::{Clock, SystemClock};
use crate::durable::{self, SalvageReport, StorageFaults, Store, StoreOptions};
use crate::history::Replica;
use crate::history::WriteClock;
use crate::memory_backend::MemoryBackend;
use crate::state::{Common, State};
use crate::throughput::Throughput;

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
    restore_lag: Duration,
    // ---- Durable store ----
    faults: StorageFaults,
    journal_limit: u64,
}

impl MemoryBackendBuilder {
    /// The clock the backend counts time on (default: [`SystemClock`]); a [`ManualClock`]
    /// makes "4 decreases per UTC day" testable in milliseconds.
    ///
    /// See [`MemoryBackendBuilder`] for an example.
    ///
    /// [`ManualClock`]: crate::clock::ManualClock
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// Enforces provisioned throughput (off by default): each provisioned table and global
    /// index has a bucket refilled at its units per second that banks up to 300 seconds of
    /// unused capacity; a request on an empty bucket fails with [`Error::Throttled`], saying
    /// why (its `reasons`). On-demand tables are throttled only past their on-demand maximums
    /// (`OnDemandThroughput`), at most the maximum a second. The model, in full, is documented on
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
    ///
    /// [`Error::Throttled`]: notes_core::Error::Throttled
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
    ///
    /// [`ManualClock`]: crate::clock::ManualClock
    pub fn replica_lag(mut self, lag: Duration) -> Self {
        self.replica_lag = (!lag.is_zero()).then_some(lag);
        self
    }

    /// How far back point-in-time recovery reaches on a table enabled without a
    /// `RecoveryPeriodInDays` (default: 35 days, DynamoDB's default and longest): a table with
    /// recovery enabled keeps every write of its period in memory (its old and new image), so
    /// a shorter period bounds memory on a busy table. A zero period is one second. A request's
    /// `RecoveryPeriodInDays` sets its table's own period.
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

    /// How far point-in-time recovery's `LatestRestorableDateTime` is behind the current
    /// time (default 5 minutes, DynamoDB's "typically 5 minutes before the current time"): a
    /// local server or a test that restores to "latest" without waiting can make it shorter.
    ///
    /// ```
    /// use std::time::Duration;
    /// let backend = notes_repo::MemoryBackend::builder()
    ///     .restore_lag(Duration::from_secs(1))
    ///     .build();
    /// # let _ = backend;
    /// ```
    pub fn restore_lag(mut self, lag: Duration) -> Self {
        self.restore_lag = lag;
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
    ///
    /// [`Error::StoreInUse`]: notes_core::Error::StoreInUse
    /// [`Error::Corrupt`]: notes_core::Error::Corrupt
    /// [`Error::Storage`]: notes_core::Error::Storage
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
                restore_lag: self.restore_lag,
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
            restore_lag: RESTORE_LAG,
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
    ///
    /// [`Error::Corrupt`]: notes_core::Error::Corrupt
    /// [`Error::StoreInUse`]: notes_core::Error::StoreInUse
    /// [`Error::Storage`]: notes_core::Error::Storage
    pub fn salvage(dir: impl AsRef<Path>) -> Result<SalvageReport> {
        durable::salvage(dir.as_ref())
    }
}
