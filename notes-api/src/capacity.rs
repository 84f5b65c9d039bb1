//! Consumed capacity per HTTP request, for the request log.
//!
//! `Repo`'s typed methods do not report the capacity units their requests consumed, though
//! every backend output carries them. [`Metered`] wraps a backend, forwards each operation
//! unchanged and adds the units it reports to the meter of the HTTP request being served (a
//! tokio task-local set by the logging middleware).

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use notes_repo::{Backend, ConsumedCapacity, Layer, Operation, Result};

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

/// A [`Layer`] that forwards every operation to `B` and records the consumed capacity of
/// each into the current request's meter.
///
/// ```
/// use notes_api::Metered;
/// use notes_repo::Note;
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
}

impl<B: Backend> Layer for Metered<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.inner
    }

    async fn around<O, F>(&self, _operation: Operation, _table: &str, call: F) -> Result<O>
    where
        O: ConsumedCapacity + Send,
        F: Future<Output = Result<O>> + Send,
    {
        let output = call.await?;
        record(output.capacity_units());
        Ok(output)
    }
}
