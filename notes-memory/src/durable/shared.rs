//! What the callers of a durable backend and its journal writer thread share: the records
//! queued and not yet written, what is on disk, and the journal's counters.

use std::sync::atomic::AtomicU64;
use std::sync::{Condvar, Mutex, PoisonError};

use tokio::sync::watch;

use notes_core::Result;

use super::directory::Failure;
use super::faults::StorageFaults;

/// Records waiting for the writer thread.
#[derive(Debug, Default)]
pub(super) struct Queue {
    /// The last sequence number given.
    pub(super) last: u64,
    /// Framed records, in sequence order, not yet written.
    pub(super) pending: Vec<u8>,
    /// The backend is gone: write what is queued and stop.
    pub(super) shutdown: bool,
}

/// What is on disk.
#[derive(Debug, Default)]
pub(super) struct Status {
    /// Every record up to this sequence number is written and synced.
    pub(super) durable: u64,
    /// The journal failed: no record after `durable` will ever be.
    pub(super) failed: Option<Failure>,
}

/// State shared by the callers and the writer thread.
#[derive(Debug)]
pub(super) struct Shared {
    pub(super) queue: Mutex<Queue>,
    /// Wakes the writer thread.
    pub(super) wake: Condvar,
    pub(super) status: Mutex<Status>,
    /// Wakes blocked callers when `status` changes.
    pub(super) settled: Condvar,
    /// Wakes async callers when `status` changes.
    pub(super) notify: watch::Sender<()>,
    /// The last sequence number queued (`Queue::last`), for reads to wait on without the
    /// queue's lock.
    pub(super) submitted: AtomicU64,
    pub(super) operations: AtomicU64,
    pub(super) syncs: AtomicU64,
    pub(super) compactions: AtomicU64,
    pub(super) faults: StorageFaults,
}

impl Shared {
    /// Changes what is on disk, and wakes every caller waiting on it.
    pub(super) fn settle(&self, f: impl FnOnce(&mut Status)) {
        f(&mut self.status.lock().unwrap_or_else(PoisonError::into_inner));
        self.settled.notify_all();
        self.notify.send_replace(());
    }

    /// `Some` once the record `sequence` is durable or never will be.
    pub(super) fn outcome(&self, sequence: u64) -> Option<Result<()>> {
        let status = self.status.lock().unwrap_or_else(PoisonError::into_inner);
        if status.durable >= sequence {
            Some(Ok(()))
        } else {
            status.failed.as_ref().map(|f| Err(f.to_error()))
        }
    }
}
