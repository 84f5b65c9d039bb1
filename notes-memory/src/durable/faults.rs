//! Failures injected into the journal, for tests of what callers see when the disk fails.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Failures injected into a durable backend's journal, for testing what callers see when
/// the disk fails: [`MemoryBackendBuilder::storage_faults`](crate::builder::MemoryBackendBuilder::storage_faults).
///
/// Clones share the switches, so a test keeps one and flips it while the backend runs.
///
/// ```
/// use notes_repo::{Error, MemoryBackend, Note, Repo, StorageFaults};
/// use notes_repo::request::BillingMode;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let dir = std::env::temp_dir().join(format!("notes-doc-faults-{}", std::process::id()));
/// let faults = StorageFaults::new();
/// let backend = MemoryBackend::builder().storage_faults(faults.clone()).open(&dir)?;
/// let repo: Repo<Note, _> = Repo::new(backend);
/// repo.ensure_table(BillingMode::PayPerRequest).await?;
/// faults.fail_writes(true); // the disk is full from now on
/// let err = repo.put(&Note::new("u1", "lost")).await.unwrap_err();
/// assert!(matches!(err, Error::Storage { operation: "write", .. }));
/// # drop(repo);
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct StorageFaults {
    switches: Arc<Switches>,
}

#[derive(Debug, Default)]
struct Switches {
    fail_writes: AtomicBool,
    fail_syncs: AtomicBool,
    hold_writes: AtomicBool,
}

impl StorageFaults {
    /// No failures (until switched on).
    ///
    /// See [`StorageFaults`] for an example.
    pub fn new() -> Self {
        StorageFaults::default()
    }

    /// While on, each journal write stores half of its bytes and then fails as a full disk
    /// does (`ErrorKind::StorageFull`, "No space left on device"), leaving a torn record.
    ///
    /// See [`StorageFaults`] for an example.
    pub fn fail_writes(&self, on: bool) {
        self.switches.fail_writes.store(on, Ordering::SeqCst);
    }

    /// While on, each journal `fsync` fails (`ErrorKind::Other`, "injected fsync failure")
    /// after the bytes were written.
    ///
    /// ```
    /// let faults = notes_repo::StorageFaults::new();
    /// faults.fail_syncs(true);
    /// ```
    pub fn fail_syncs(&self, on: bool) {
        self.switches.fail_syncs.store(on, Ordering::SeqCst);
    }

    /// While on, the journal writer waits before writing each batch, as behind a slow disk:
    /// writes are applied in memory and wait for the disk, and so does every read that could
    /// see them. Switch it off before the backend is dropped (its last batch waits too).
    ///
    /// ```
    /// let faults = notes_repo::StorageFaults::new();
    /// faults.hold_writes(true);
    /// faults.hold_writes(false);
    /// ```
    pub fn hold_writes(&self, on: bool) {
        self.switches.hold_writes.store(on, Ordering::SeqCst);
    }
}

impl StorageFaults {
    /// Whether each journal write waits ([`hold_writes`](Self::hold_writes)).
    pub(super) fn holds_writes(&self) -> bool {
        self.switches.hold_writes.load(Ordering::SeqCst)
    }

    /// Whether each journal write fails ([`fail_writes`](Self::fail_writes)).
    pub(super) fn fails_writes(&self) -> bool {
        self.switches.fail_writes.load(Ordering::SeqCst)
    }

    /// Whether each journal `fsync` fails ([`fail_syncs`](Self::fail_syncs)).
    pub(super) fn fails_syncs(&self) -> bool {
        self.switches.fail_syncs.load(Ordering::SeqCst)
    }
}
