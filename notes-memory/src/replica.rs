//! Eventually consistent reads from a lagging replica (opt-in:
//! `MemoryBackendBuilder::replica_lag`).
//!
//! DynamoDB serves a read with `ConsistentRead: false` (the default for `GetItem`, `Query`,
//! `Scan` and `BatchGetItem`, and the only kind a global secondary index offers) from a
//! replica that "might not reflect the results of a recently completed write operation"
//! (developerguide/HowItWorks.ReadConsistency.html). With a lag set, MemoryBackend models that
//! replica exactly, on the backend's `Clock` (the lag and the clock: `history.rs`'s `Replica`):
//!
//! - Every write to a table (put, update, delete, batch, transaction, TTL expiry) records, in
//!   the table's change log (`history.rs`, shared with point-in-time recovery), when it
//!   happened, the item's key and the item as it was before (its old image, or none when the
//!   item did not exist).
//! - An eventually consistent read at time `now` sees each table it reads as it was at
//!   `now - lag`: a copy of the table with the logged writes newer than that undone, newest
//!   first. A write exactly `lag` old is visible. When no logged write is newer, the live
//!   table is read directly, with no copy.
//! - Strongly consistent reads (`ConsistentRead: true`) and `TransactGetItems` (always
//!   strongly consistent) read the live table, as do conditions and updates of writes.
//! - Log entries older than `lag` are dropped on the next write to their table, so the log
//!   holds at most the writes of the last `lag` (longer when point-in-time recovery, the
//!   log's other consumer, needs more).
//!
//! So with a `ManualClock` that never advances, every eventually
//! consistent read returns the table as it was before any write since the clock last moved:
//! a read-your-write bug in app code fails deterministically. The lag is a fixed upper
//! bound, not a random one; DynamoDB's replicas usually catch up within a second. Table
//! metadata (`DescribeTable`, `ItemCount`) is not lagged.

use std::collections::HashMap;

use crate::state::Tables;

impl Tables {
    /// The view an eventually consistent read of `tables` (name, eventually consistent?)
    /// sees: `None` when it is the live state (the mode is off, every read is strongly
    /// consistent, or no write is newer than the lag), else a copy holding just those
    /// tables, the eventually consistent ones as of `now - lag`.
    pub(crate) fn lagging<'a>(
        &self,
        tables: impl IntoIterator<Item = (&'a str, bool)>,
    ) -> Option<Tables> {
        let replica = self.replica.as_ref()?;
        let cutoff = replica.cutoff();
        let tables: Vec<_> = tables.into_iter().collect();
        let stale = |name: &str| {
            self.tables
                .get(name)
                .and_then(|t| t.history.as_ref())
                .is_some_and(|h| h.has_newer(cutoff))
        };
        if !tables
            .iter()
            .any(|&(name, eventual)| eventual && stale(name))
        {
            return None;
        }
        let mut view: HashMap<String, _> = HashMap::new();
        for (name, eventual) in tables {
            let Some(live) = self.tables.get(name) else {
                continue;
            };
            let table = if eventual {
                live.as_of(cutoff)
            } else {
                live.snapshot()
            };
            view.insert(name.to_owned(), table.into());
        }
        Some(Tables {
            tables: view,
            ..Tables::default()
        })
    }
}
