//! Provisioned throughput enforcement (opt-in: `MemoryBackend::builder()
//! .enforce_throughput(true)`), on the backend's [`Clock`].
//!
//! The model, per provisioned table and per global secondary index, reads and writes apart:
//!
//! - A bucket of capacity units refills at the provisioned rate (R units per second) and holds
//!   at most 300 seconds of it (300 × R): "DynamoDB currently retains up to 5 minutes (300
//!   seconds) of unused read and write capacity" (burst capacity,
//!   <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/burst-adaptive-capacity.html>).
//!   A bucket starts full, as for a table idle for 5 minutes.
//! - A request is admitted when its bucket holds more than zero units; it then costs what it
//!   consumed, counted by `memory/capacity.rs` (DynamoDB's rounding: 1 KB writes, 4 KB
//!   strongly consistent reads, half for eventually consistent ones, query and scan pages
//!   summed then rounded), which may take the bucket below zero: the debt is repaid by the
//!   refill before anything else is admitted. (A read's cost is known only once it has run;
//!   DynamoDB likewise charges a large item beyond the current balance.)
//! - A request arriving at an empty (or indebted) bucket fails at once with
//!   [`Error::Throttled`] carrying DynamoDB's `ProvisionedThroughputExceededException`
//!   message, and consumes nothing. MemoryBackend does not retry: the caller sees the
//!   answer after DynamoDB's retries would have been spent.
//! - Units are counted exactly, in millionths, so a test can assert exact counts: with 5 WCU,
//!   a steady 10 writes a second of 1 KB items all succeed for exactly 300 seconds (the bank
//!   of 1,500 units drains at 5 a second), then every other write is throttled.
//!
//! - Capacity changes (`UpdateTable`, `Repo::update_throughput`, an index's, auto scaling) take
//!   effect at the change: what was banked until then was earned at the old rate (a bucket
//!   never used yet counts as full at the old rate, as it would have been created), and the
//!   bank is capped at 300 seconds of the new rate at once. So a raise never backdates the
//!   bank at the new rate (1 → 100 WCU at once: 300 units banked, not 30,000), and a lower
//!   rate's cap holds even if the rate is raised again at the same instant (100 → 5 → 100
//!   WCU: 1,500 units).
//! - Billing mode changes: on demand, a table has no provisioned buckets (the provisioned bank
//!   is dropped, and nothing is banked while on demand: no rate is in effect; the buckets of
//!   its on-demand maximums, if any, start afresh). Switched (back) to
//!   provisioned, its buckets start as a new table's at the new rate: full, 300 seconds of it,
//!   however long it was on demand and whatever its bank was before. Why full rather than
//!   empty: it is what a table created at those units gets, so the two ways to a provisioned
//!   table agree; the bank still never exceeds 300 seconds of the rate in effect; and it
//!   grants less than the table had a moment before, when on demand admitted everything
//!   (switching to on demand is limited to 4 times a day, `memory/provisioning.rs`). DynamoDB
//!   documents neither case; it says only that it "currently retains up to 5 minutes (300
//!   seconds) of unused read and write capacity".
//!
//! - On-demand maximums (`OnDemandThroughput`, `on_demand.rs`): an on-demand table or global
//!   index with a maximum gets a bucket refilled at its maximum that holds one second of it,
//!   so that requests past the per-second maximum are throttled with the reason
//!   `...MaxOnDemandThroughputExceeded` (DynamoDB applies maximums "on a best-effort basis",
//!   with some burst; none is modelled here, so a test sees the maximum exactly). A maximum
//!   changed takes effect as a capacity change does; removed, the bucket is dropped.
//!
//! Which buckets a request draws on (global indexes, batches item by item, transactions
//! whole, failed conditional writes) is `meter.rs`. Not modelled: failed transactions (they
//! cost nothing), partition-level limits and adaptive capacity.
//!
//! [`Error::Throttled`]: notes_core::Error::Throttled

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use notes_core::throttling::LimitType;

use super::clock::{Clock, epoch_seconds};

/// How much unused capacity a provisioned bucket banks, in seconds of its rate.
pub(crate) const BURST: Duration = Duration::from_secs(300);

/// How much of its maximum an on-demand bucket holds: one second.
pub(crate) const MAXIMUM_WINDOW: Duration = Duration::from_secs(1);

/// Millionths of a capacity unit per unit.
pub(crate) const MICRO: i64 = 1_000_000;

/// Reads or writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Read,
    Write,
}

/// The buckets of every provisioned table and global index.
#[derive(Debug)]
pub(crate) struct Throughput {
    clock: Arc<dyn Clock>,
    /// By table name: each bucket of the table and of its global indexes. Looked up by
    /// borrowed names, so a request allocates nothing here once its buckets exist.
    buckets: Mutex<HashMap<String, Vec<Slot>, BuildHasherDefault<Fnv>>>,
    /// Units charged per minute, for auto scaling (`memory/autoscaling.rs`).
    pub(crate) usage: Usage,
}

/// The rate of each bucket of a table, units a second: its own (index `None`) and each
/// global index's, reads and writes, and the limit it is (provisioned capacity or an
/// on-demand maximum; empty: on demand without maximums).
pub(crate) type Rates = Vec<(Option<String>, Kind, i64, LimitType)>;

/// A table (and an index of it, or none), reads or writes.
pub(crate) type BucketKey = (String, Option<String>, Kind);

/// One bucket of a table: the table's own (`index: None`) or a global index's, reads or
/// writes.
#[derive(Debug)]
struct Slot {
    index: Option<String>,
    kind: Kind,
    bucket: Bucket,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    /// Millionths of a unit available (negative: owed).
    balance: i64,
    /// When `balance` was last brought up to date.
    at: SystemTime,
}

impl Throughput {
    pub(crate) fn new(clock: Arc<dyn Clock>) -> Self {
        Throughput {
            clock,
            buckets: Mutex::default(),
            usage: Usage::default(),
        }
    }

    /// Admits a request on `table` when every bucket it draws on holds capacity (more than
    /// zero units), and takes each its units; otherwise takes nothing and answers the first
    /// empty bucket's draw. One lock and one clock reading per request.
    pub(crate) fn take<'d>(
        &self,
        table: &str,
        draws: &'d [Draw<'d>],
    ) -> std::result::Result<(), &'d Draw<'d>> {
        if draws.is_empty() {
            return Ok(());
        }
        let now = self.clock.now();
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let slots = match buckets.get_mut(table) {
            Some(slots) => slots,
            None => buckets.entry(table.to_owned()).or_default(),
        };
        // Every bucket first, so that a refused request takes nothing.
        for draw in draws {
            let bucket = slot(slots, draw, now);
            refill(bucket, draw.rate, draw.limit, now);
            if bucket.balance <= 0 {
                return Err(draw);
            }
            if let [only] = draws {
                bucket.balance -= micros(only.units);
            }
        }
        if draws.len() > 1 {
            for draw in draws {
                slot(slots, draw, now).balance -= micros(draw.units);
            }
        }
        drop(buckets);
        if self.usage.is_watching() {
            for draw in draws.iter().filter(|d| d.units > 0.0) {
                let key = (table.to_owned(), draw.index.map(str::to_owned), draw.kind);
                self.usage.record(&key, now, micros(draw.units));
            }
        }
        Ok(())
    }

    /// Takes `units` from the bucket a request was admitted on.
    pub(crate) fn charge(&self, table: &str, index: Option<&str>, kind: Kind, units: f64) {
        let micros = micros(units);
        if self.usage.is_watching() {
            let key = (table.to_owned(), index.map(str::to_owned), kind);
            self.usage.record(&key, self.clock.now(), micros);
        }
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = find(&mut buckets, table, index, kind) {
            slot.bucket.balance -= micros;
        }
    }

    /// Changes the rates of `table`'s buckets at `at`, from `old` to `new` (each: index or
    /// none, reads or writes, units a second; empty: on demand). Called by
    /// `provisioning::update_table` only, once the change is accepted, for `UpdateTable` and
    /// auto scaling alike.
    ///
    /// - Provisioned before and after: every bucket is first brought up to `at` at its old rate
    ///   (one never used yet is created as full as a new one at the old rate), then capped at
    ///   300 s of its new rate at once. A bucket already brought up to `at` or later (auto
    ///   scaling's changes take effect at a minute's end, which may lie before now) is only
    ///   capped.
    /// - On demand now, or provisioned after on demand (or maximums set or all removed): the
    ///   buckets are dropped, so that the next request finds them as a new table's (see the
    ///   module docs).
    pub(crate) fn change(&self, table: &str, old: &Rates, new: &Rates, at: SystemTime) {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let limit = |rates: &Rates| rates.first().map(|r| r.3);
        if old.is_empty() || new.is_empty() || limit(old) != limit(new) {
            buckets.remove(table);
            return;
        }
        let slots = buckets.entry(table.to_owned()).or_default();
        slots.retain(|s| new.iter().any(|(i, k, _, _)| *i == s.index && *k == s.kind));
        for (index, kind, rate, limit) in new {
            let Some(&(_, _, was, _)) = old.iter().find(|(i, k, _, _)| i == index && k == kind)
            else {
                // A bucket with no old rate (none yet): it starts as a new one at `rate`.
                continue;
            };
            let draw = Draw {
                index: index.as_deref(),
                kind: *kind,
                rate: was,
                units: 0.0,
                limit: *limit,
            };
            let bucket = slot(slots, &draw, at);
            if bucket.at < at {
                refill(bucket, was, *limit, at);
            }
            bucket.balance = bucket.balance.min(full(*rate, *limit));
        }
    }

    /// Forgets a deleted table's buckets (a table created again under its name starts full).
    pub(crate) fn forget(&self, table: &str) {
        let mut buckets = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        buckets.remove(table);
    }
}

/// Units charged per minute to each watched bucket (the targets of auto scaling's policies,
/// `autoscaling.rs`).
#[derive(Debug, Default)]
pub(crate) struct Usage {
    minutes: Mutex<HashMap<BucketKey, BTreeMap<u64, i64>>>,
    /// How many buckets are watched: charges skip the lock while none is.
    watched: AtomicUsize,
}

impl Usage {
    /// Whether any bucket is watched.
    pub(crate) fn is_watching(&self) -> bool {
        self.watched.load(Ordering::Relaxed) > 0
    }

    /// Adds `micros` millionths of a unit charged at `at` to `key`'s minute, when watched.
    pub(crate) fn record(&self, key: &BucketKey, at: SystemTime, micros: i64) {
        let mut minutes = self.minutes.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(watched) = minutes.get_mut(key) {
            *watched.entry(epoch_seconds(at) / 60).or_default() += micros;
        }
    }

    /// Starts recording the units charged to `key`.
    pub(crate) fn watch(&self, key: BucketKey) {
        let mut minutes = self.minutes.lock().unwrap_or_else(PoisonError::into_inner);
        minutes.entry(key).or_default();
        self.watched.store(minutes.len(), Ordering::Relaxed);
    }

    /// Stops recording the units charged to `key`, and forgets them.
    pub(crate) fn unwatch(&self, key: &BucketKey) {
        let mut minutes = self.minutes.lock().unwrap_or_else(PoisonError::into_inner);
        minutes.remove(key);
        self.watched.store(minutes.len(), Ordering::Relaxed);
    }

    /// The units charged to `key` in `minute` (millionths), forgetting it and earlier
    /// minutes; `None` when nothing was charged in it or later.
    pub(crate) fn take(&self, key: &BucketKey, minute: u64) -> Option<i64> {
        let mut minutes = self.minutes.lock().unwrap_or_else(PoisonError::into_inner);
        let watched = minutes.get_mut(key)?;
        let later = watched.split_off(&(minute + 1));
        let this = std::mem::replace(watched, later).remove(&minute);
        if this.is_none() && watched.is_empty() {
            return None;
        }
        Some(this.unwrap_or(0))
    }
}

/// What one request draws on one bucket of its table: the table's own (`index: None`) or a
/// global index's, reads or writes, refilled at `rate` units a second; `limit` says whether
/// the rate is provisioned capacity or an on-demand maximum.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Draw<'a> {
    pub(crate) index: Option<&'a str>,
    pub(crate) kind: Kind,
    pub(crate) rate: i64,
    pub(crate) units: f64,
    pub(crate) limit: LimitType,
}

/// FNV-1a: table names are short and chosen by the app, so a hash made for short keys (not
/// one resisting collision attacks, std's default) keeps the lookup on every metered request
/// cheap.
#[derive(Debug)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// `units` in millionths (units are whole or halves: exact).
fn micros(units: f64) -> i64 {
    (units * MICRO as f64).round() as i64
}

/// The bucket `draw` draws on, created full at its rate the first time.
fn slot<'s>(slots: &'s mut Vec<Slot>, draw: &Draw<'_>, now: SystemTime) -> &'s mut Bucket {
    let at = match slots
        .iter()
        .position(|s| s.index.as_deref() == draw.index && s.kind == draw.kind)
    {
        Some(at) => at,
        None => {
            slots.push(Slot {
                index: draw.index.map(str::to_owned),
                kind: draw.kind,
                bucket: Bucket {
                    balance: full(draw.rate, draw.limit),
                    at: now,
                },
            });
            slots.len() - 1
        }
    };
    &mut slots[at].bucket
}

/// The slot of `table`'s bucket (of `index`, or its own), if it exists.
fn find<'a>(
    buckets: &'a mut HashMap<String, Vec<Slot>, BuildHasherDefault<Fnv>>,
    table: &str,
    index: Option<&str>,
    kind: Kind,
) -> Option<&'a mut Slot> {
    buckets
        .get_mut(table)?
        .iter_mut()
        .find(|s| s.index.as_deref() == index && s.kind == kind)
}

/// A full bucket at `rate`: 300 seconds of it for provisioned capacity, one second of an
/// on-demand maximum.
fn full(rate: i64, limit: LimitType) -> i64 {
    let window = match limit {
        LimitType::MaxOnDemandThroughput => MAXIMUM_WINDOW,
        _ => BURST,
    };
    rate.saturating_mul(MICRO)
        .saturating_mul(window.as_secs() as i64)
}

/// Adds what `rate` earned since the bucket was last brought up to date, up to full.
fn refill(bucket: &mut Bucket, rate: i64, limit: LimitType, now: SystemTime) {
    let elapsed = now.duration_since(bucket.at).unwrap_or_default();
    let micros = i64::try_from(elapsed.as_micros()).unwrap_or(i64::MAX);
    // rate units/s × µs = millionths of a unit.
    let earned = rate.saturating_mul(micros);
    bucket.balance = bucket.balance.saturating_add(earned).min(full(rate, limit));
    bucket.at = now;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;

    #[test]
    fn five_wcu_bank_300_seconds_then_serve_five_a_second() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
        let throughput = Throughput::new(Arc::new(clock.clone()));
        let mut admitted_per_second = vec![0; 320];
        for k in 0..3200_u64 {
            if k > 0 {
                clock.advance(Duration::from_millis(100));
            }
            let write = [Draw {
                index: None,
                kind: Kind::Write,
                rate: 5,
                units: 1.0,
                limit: LimitType::ProvisionedThroughput,
            }];
            if throughput.take("t", &write).is_ok() {
                admitted_per_second[(k / 10) as usize] += 1;
            }
        }
        assert!(admitted_per_second[..300].iter().all(|&n| n == 10));
        assert!(admitted_per_second[300..].iter().all(|&n| n == 5));
        // A request that draws on no bucket (on demand) is always admitted.
        throughput.take("t", &[]).unwrap();
    }

    #[test]
    fn an_on_demand_maximum_admits_its_units_each_second_and_banks_nothing_more() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
        let throughput = Throughput::new(Arc::new(clock.clone()));
        let write = [Draw {
            index: None,
            kind: Kind::Write,
            rate: 10,
            units: 1.0,
            limit: LimitType::MaxOnDemandThroughput,
        }];
        let admitted_now = || {
            (0..100)
                .take_while(|_| throughput.take("t", &write).is_ok())
                .count()
        };
        assert_eq!(admitted_now(), 10);
        clock.advance(Duration::from_millis(500));
        assert_eq!(admitted_now(), 5);
        // An idle minute banks one second's worth, not sixty.
        clock.advance(Duration::from_secs(60));
        assert_eq!(admitted_now(), 10);
    }

    #[test]
    fn usage_is_kept_per_minute_for_watched_buckets_only() {
        let usage = Usage::default();
        let key: BucketKey = ("t".into(), None, Kind::Write);
        let at = |s: u64| SystemTime::UNIX_EPOCH + Duration::from_secs(s);
        usage.record(&key, at(0), 1); // not watched yet
        usage.watch(key.clone());
        usage.record(&key, at(59), 2);
        usage.record(&key, at(60), 3);
        usage.record(&key, at(179), 4);
        assert_eq!(usage.take(&key, 0), Some(2));
        assert_eq!(usage.take(&key, 1), Some(3));
        assert_eq!(usage.take(&key, 1), Some(0)); // taken; minute 2 still to come
        assert_eq!(usage.take(&key, 2), Some(4));
        assert_eq!(usage.take(&key, 3), None);
    }
}
