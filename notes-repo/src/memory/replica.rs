//! Eventually consistent reads from a lagging replica (opt-in:
//! [`replica_lag`](super::MemoryBackendBuilder::replica_lag)).
//!
//! DynamoDB serves a read with `ConsistentRead: false` (the default for `GetItem`, `Query`,
//! `Scan` and `BatchGetItem`, and the only kind a global secondary index offers) from a
//! replica that "might not reflect the results of a recently completed write operation"
//! (developerguide/HowItWorks.ReadConsistency.html). With a lag set, MemoryBackend models that
//! replica exactly, on the backend's [`Clock`]:
//!
//! - Every write to a table (put, update, delete, batch, transaction, TTL expiry) records, in a
//!   per-table log, when it happened, the item's key and the item as it was before (its old
//!   image, or none when the item did not exist).
//! - An eventually consistent read at time `now` sees each table it reads as it was at
//!   `now - lag`: a copy of the table with the logged writes newer than that undone, newest
//!   first. A write exactly `lag` old is visible. When no logged write is newer, the live
//!   table is read directly, with no copy.
//! - Strongly consistent reads (`ConsistentRead: true`) and `TransactGetItems` (always
//!   strongly consistent) read the live table, as do conditions and updates of writes.
//! - Log entries older than `lag` are dropped on the next write to their table, so the log
//!   holds at most the writes of the last `lag`.
//!
//! So with a [`ManualClock`](super::ManualClock) that never advances, every eventually
//! consistent read returns the table as it was before any write since the clock last moved:
//! a read-your-write bug in app code fails deterministically. The lag is a fixed upper
//! bound, not a random one; DynamoDB's replicas usually catch up within a second. Table
//! metadata (`DescribeTable`, `ItemCount`) is not lagged.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use notes_model::ItemMap;

use super::Tables;
use super::clock::Clock;
use super::table::ItemKey;

/// The replica's lag and the clock it is counted on; `Tables` holds it when the mode is on.
#[derive(Debug, Clone)]
pub(crate) struct Replica {
    lag: Duration,
    clock: Arc<dyn Clock>,
}

impl Replica {
    /// A replica `lag` behind on `clock`.
    pub(crate) fn new(lag: Duration, clock: Arc<dyn Clock>) -> Self {
        Replica { lag, clock }
    }

    /// The time eventually consistent reads see now (`None`: before the clock's epoch plus
    /// the lag, so every logged write is newer).
    fn cutoff(&self) -> Option<SystemTime> {
        self.clock.now().checked_sub(self.lag)
    }
}

/// One table's recent writes, oldest first.
#[derive(Debug, Clone)]
pub(crate) struct History {
    replica: Replica,
    writes: VecDeque<Write>,
}

/// One logged write: when, which item, and the item before it.
#[derive(Debug, Clone)]
struct Write {
    at: SystemTime,
    key: ItemKey,
    old: Option<ItemMap>,
}

impl History {
    /// An empty log for a new table.
    pub(crate) fn new(replica: &Replica) -> Self {
        History {
            replica: replica.clone(),
            writes: VecDeque::new(),
        }
    }

    /// Records that the item at `key` was `old` until now, dropping entries every replica
    /// read already sees.
    pub(crate) fn record(&mut self, key: ItemKey, old: Option<ItemMap>) {
        let now = self.replica.clock.now();
        if let Some(cutoff) = now.checked_sub(self.replica.lag) {
            while self.writes.front().is_some_and(|w| w.at <= cutoff) {
                self.writes.pop_front();
            }
        }
        self.writes.push_back(Write { at: now, key, old });
    }

    /// Whether a write newer than `cutoff` is logged (the newest is last).
    fn has_newer(&self, cutoff: Option<SystemTime>) -> bool {
        self.writes
            .back()
            .is_some_and(|w| cutoff.is_none_or(|cutoff| w.at > cutoff))
    }
}

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
            let mut table = live.clone();
            let history = table.history.take();
            if let (true, Some(history)) = (eventual, history) {
                let newer = history
                    .writes
                    .iter()
                    .rev()
                    .take_while(|w| cutoff.is_none_or(|cutoff| w.at > cutoff));
                for write in newer {
                    match &write.old {
                        Some(item) => {
                            table.put(write.key.clone(), item.clone());
                        }
                        None => {
                            table.delete(&write.key);
                        }
                    }
                }
            }
            view.insert(name.to_owned(), table);
        }
        Some(Tables {
            tables: view,
            ..Tables::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::ManualClock;
    use crate::memory::table::KeyValue;

    fn key(id: &str) -> ItemKey {
        ItemKey {
            partition: KeyValue::S(id.to_owned()),
            sort: None,
        }
    }

    #[test]
    fn the_log_holds_only_the_writes_of_the_last_lag() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(100));
        let replica = Replica::new(Duration::from_secs(1), Arc::new(clock.clone()));
        let mut history = History::new(&replica);
        history.record(key("a"), None);
        history.record(key("b"), None);
        clock.advance(Duration::from_millis(500));
        history.record(key("c"), None);
        assert_eq!(history.writes.len(), 3);
        // One lag after the first two: they are dropped on the next write, the third kept.
        clock.advance(Duration::from_millis(500));
        assert!(history.has_newer(replica.cutoff()));
        history.record(key("d"), None);
        let kept: Vec<_> = history.writes.iter().map(|w| w.key.clone()).collect();
        assert_eq!(kept, [key("c"), key("d")]);
        clock.advance(Duration::from_secs(1));
        assert!(!history.has_newer(replica.cutoff()));
    }
}
