//! Consumed capacity per HTTP request, for the request log.
//!
//! `Repo`'s typed methods do not report the capacity units their requests consumed, though
//! every backend output carries them. [`Metered`] wraps a backend, forwards each operation
//! unchanged and adds the units it reports to the meter of the HTTP request being served (a
//! tokio task-local set by the logging middleware).

use std::cell::Cell;
use std::future::Future;

use notes_repo::{Backend, ConsumedCapacity, Layer, Operation, Result};

tokio::task_local! {
    static METER: Meter;
}

/// Capacity units consumed while serving one request, in thousandths of a unit.
///
/// It lives in the request's task (a task-local), which only that task reads and writes.
#[derive(Debug, Default)]
pub(crate) struct Meter {
    milli_units: Cell<u64>,
}

impl Meter {
    /// Runs `future` with a fresh meter collecting the capacity its backend calls consume;
    /// its output and the units consumed.
    pub(crate) async fn measure<F: Future>(future: F) -> (F::Output, f64) {
        METER
            .scope(Meter::default(), async {
                let output = future.await;
                (output, METER.with(Meter::units))
            })
            .await
    }

    /// The units consumed so far.
    fn units(&self) -> f64 {
        self.milli_units.get() as f64 / 1000.0
    }

    fn add(&self, units: f64) {
        let milli = (units * 1000.0).round();
        if milli.is_finite() && milli > 0.0 {
            self.milli_units
                .set(self.milli_units.get().saturating_add(milli as u64));
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
