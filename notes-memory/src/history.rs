//! Each table's change log: one record per write, the one history every consumer of "what the
//! table was" reads.
//!
//! Every write to a table (put, update, delete, batch, transaction, TTL expiry) goes through
//! `Table::put` or `Table::delete` (`table.rs`),
//! which append a [`Change`]: a per-table sequence number, the time on the backend's
//! [`Clock`], the item's key, its old image and its new image. Today two consumers read it:
//!
//! - the lagging replica (`replica.rs`): an eventually consistent read sees the table as of
//!   `now - lag`;
//! - point-in-time recovery (`backups.rs`): a restore rebuilds the table as of any instant of
//!   the recovery window.
//!
//! Both ask the same question, "the table as of `t`", answered by `Table::as_of`: a copy of
//! the live table with the logged changes newer than `t` undone, newest first (each change's
//! old image put back). So the log holds no base snapshot: the live table is the base, and the
//! old images walk it back. Records also carry the new image, and sequence numbers are
//! per table and count every write to it, recorded or not, so that a forward replay (a
//! DynamoDB Streams view) reads the same records, and a durable store's replay of its journal
//! gives every write the number it had.
//!
//! A durable store (`durable/`) keeps the log across a restart: its snapshot holds each
//! table's [`LogState`] and every logged change (sequence number, time, images), and the
//! journal's operations after the snapshot are replayed at their original times, which logs
//! them again with their original numbers.
//!
//! What it keeps in memory: nothing while no consumer is on (no replica lag, point-in-time
//! recovery off); otherwise the changes of the longest consumer's window (the replica's lag;
//! PITR's window, from `max(enabled at, now - recovery period)`), each with its old and new
//! image, so at most twice the bytes written in that window. Older changes are dropped on the
//! next write to the table (the window slides), and all of them when the last consumer turns
//! off.
//!
//! All the changes of one operation (a transaction's writes, a batch's) carry the same time,
//! read once per operation with its tables locked ([`WriteClock::pin`]), so a restore
//! to any instant holds all of a transaction or none of it. Times never go backwards within a
//! table's log, even if the clock does.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use notes_model::{AttributeValue, ItemMap};

use super::clock::Clock;
use super::key::ItemKey;
use notes_core::stream::{StreamArn, StreamViewType, TableStream};

/// The backend's clock, as writes read it: pinned to one instant for the length of one
/// operation, so every change it makes has the same time. The pin is the running thread's
/// (an operation runs on one thread, under its tables' locks, without awaiting), so
/// operations on different tables pin their own instants concurrently.
#[derive(Debug)]
pub(crate) struct WriteClock {
    clock: Arc<dyn Clock>,
}

thread_local! {
    /// The instant the operation running on this thread pinned, and on which write clock
    /// (its address).
    static PINNED: std::cell::Cell<Option<(usize, SystemTime)>> =
        const { std::cell::Cell::new(None) };
}

impl WriteClock {
    /// Writes read `clock`, unless an operation pinned a time.
    pub(crate) fn new(clock: Arc<dyn Clock>) -> Self {
        WriteClock { clock }
    }

    fn id(&self) -> usize {
        std::ptr::from_ref(self) as usize
    }

    /// The current write's time: the pinned one, else the clock's.
    pub(crate) fn now(&self) -> SystemTime {
        match PINNED.get() {
            Some((id, at)) if id == self.id() => at,
            _ => self.clock.now(),
        }
    }

    /// Pins the time of every write on this thread until [`unpin`](Self::unpin): called by
    /// the backend with the operation's tables locked.
    pub(crate) fn pin(&self) -> SystemTime {
        let now = self.clock.now();
        PINNED.set(Some((self.id(), now)));
        now
    }

    /// Pins the time of every write to `at` until [`unpin`](Self::unpin): a durable
    /// backend's recovery replays each journaled operation at its original time.
    pub(crate) fn pin_at(&self, at: SystemTime) {
        PINNED.set(Some((self.id(), at)));
    }

    /// Ends the pin of [`pin`](Self::pin).
    pub(crate) fn unpin(&self) {
        PINNED.set(None);
    }
}

/// One write to one item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Change {
    /// Increasing within the table's log, from 1: one number per write to the table,
    /// recorded or not (see [`ChangeLog::skip`]).
    pub(crate) sequence: u64,
    /// When it happened, on the backend's clock (never earlier than the change before).
    pub(crate) at: SystemTime,
    /// The item's key.
    pub(crate) key: ItemKey,
    /// The item before (`None`: it did not exist).
    pub(crate) old: Option<ItemMap>,
    /// The item after (`None`: deleted).
    pub(crate) new: Option<ItemMap>,
    /// Whether time to live deleted the item (streams mark such removals).
    pub(crate) by_ttl: bool,
}

impl Change {
    /// Whether it changed the item: a stream has a record only of such a write (a put of an
    /// identical item, or a delete of a missing one, has none).
    pub(crate) fn is_visible(&self) -> bool {
        match (&self.old, &self.new) {
            (None, None) => false,
            (Some(old), Some(new)) => !notes_core::eval::equal(
                &AttributeValue::M(old.clone()),
                &AttributeValue::M(new.clone()),
            ),
            _ => true,
        }
    }
}

/// Point-in-time recovery on one table: since when, and how far back a restore can go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Recovery {
    /// Where the history it restores from starts: when it was (last) turned on, or, since
    /// its period last changed, the earliest restorable time of that instant.
    pub(crate) since: SystemTime,
    /// The table's recovery period (`RecoveryPeriodInDays`, or the backend's default).
    pub(crate) period: Duration,
}

impl Recovery {
    /// `EarliestRestorableDateTime` at `now`: when recovery was enabled, or one period ago,
    /// whichever is later.
    pub(crate) fn earliest(&self, now: SystemTime) -> SystemTime {
        now.checked_sub(self.period)
            .map_or(self.since, |start| start.max(self.since))
    }

    /// The recovery of the same table with the period `period` from `now` on ("Your table
    /// data is only recoverable to any point-in-time from within the configured recovery
    /// period", APIReference/API_PointInTimeRecoverySpecification.html). A shorter period moves
    /// the earliest restorable time forward at once; a longer one cannot bring back the
    /// history the shorter period already let go: the window starts where it starts now and
    /// grows with time until it spans the new period (`since` becomes today's earliest).
    pub(crate) fn with_period(self, period: Duration, now: SystemTime) -> Recovery {
        Recovery {
            since: self.earliest(now),
            period,
        }
    }
}

/// The lagging replica's lag and the clock it is counted on (what [`Recovery`] is to
/// point-in-time recovery; its reads are `replica.rs`'s); `Tables` holds it when the mode is
/// on.
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

    /// The lag, which each table's change log keeps changes for.
    pub(crate) fn lag(&self) -> Duration {
        self.lag
    }

    /// The time eventually consistent reads see now (`None`: before the clock's epoch plus
    /// the lag, so every logged write is newer).
    pub(crate) fn cutoff(&self) -> Option<SystemTime> {
        self.clock.now().checked_sub(self.lag)
    }
}

/// How far back the consumers of a log may ask.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Horizon {
    /// No consumer: keep nothing.
    Nothing,
    /// Keep every change.
    All,
    /// Keep the changes after this instant (one at or before it is never undone again).
    After(SystemTime),
}

/// How long a stream keeps its records: "All data in DynamoDB Streams is subject to a 24-hour
/// lifetime" (developerguide/Streams.html).
pub(crate) const STREAM_RETENTION: Duration = Duration::from_secs(24 * 60 * 60);

/// What `DescribeTable` reports of a table's stream on the embedded backend: its view type,
/// and an ARN in DynamoDB's form naming the table and the log.
pub(crate) fn table_stream(table: &str, log_id: u64, view: StreamViewType) -> TableStream {
    let arn = format!("arn:aws:dynamodb:local:000000000000:table/{table}/stream/{log_id}");
    TableStream::new(view).arn(StreamArn::new(arn))
}

/// A stream `UpdateTable` disabled: "The data in the stream will continue to be readable for
/// 24 hours" (developerguide/Streams.html).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DisabledStream {
    /// Its view type.
    pub(crate) view: StreamViewType,
    /// It held the changes after this sequence number...
    pub(crate) after: u64,
    /// ...up to and including this one.
    pub(crate) until: u64,
    /// When it was disabled.
    pub(crate) at: SystemTime,
}

/// The last id given (see [`next_id`]).
static IDS: AtomicU64 = AtomicU64::new(0);

/// A fresh id, unique in the process: a log's, or a stream's label.
fn next_id() -> u64 {
    IDS.fetch_add(1, Ordering::Relaxed)
}

/// What a durable store keeps of a change log besides its changes (`durable/`): where its
/// sequence numbers are, and its streams' labels and bounds, so that a stream's ARN, its
/// records' sequence numbers and a consumer's checkpoint stay valid across a restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LogState {
    /// The last sequence number given.
    pub(crate) sequence: u64,
    /// The enabled stream's label.
    pub(crate) stream_label: u64,
    /// The enabled stream holds the changes after this sequence number.
    pub(crate) stream_after: u64,
    /// The last stream disabled.
    pub(crate) disabled_stream: Option<DisabledStream>,
}

/// One table's change log and the consumers that decide how long it keeps changes.
#[derive(Debug, Clone)]
pub(crate) struct ChangeLog {
    /// Unique among every log of the process: a table deleted and created again under the
    /// same name has another log.
    id: u64,
    /// The sequence numbers after which an on-demand backup in progress needs every change
    /// (`backups.rs`), one entry per backup.
    holds: Vec<u64>,
    clock: Arc<WriteClock>,
    /// The replica's lag, when eventually consistent reads lag.
    replica_lag: Option<Duration>,
    /// Point-in-time recovery, when on.
    pub(crate) recovery: Option<Recovery>,
    /// The table's stream, when enabled: its records are read from this log, kept for
    /// DynamoDB's 24 hours (`memory/streams.rs`).
    pub(crate) stream: Option<StreamViewType>,
    /// The enabled stream's label (its ARN's last part): the log's id for a stream the table
    /// was created with, a new one each time `UpdateTable` enables one.
    stream_label: u64,
    /// The enabled stream holds the changes after this sequence number (0: all).
    pub(crate) stream_after: u64,
    /// When the latest stream (the enabled one, else the last disabled) was enabled, when
    /// known (`CreationRequestDateTime`).
    pub(crate) stream_created_at: Option<SystemTime>,
    /// The last stream `UpdateTable` disabled: readable for 24 hours after.
    pub(crate) disabled_stream: Option<DisabledStream>,
    /// The last sequence number given.
    sequence: u64,
    /// The largest sequence number of a stream record dropped from the log (trimmed): a
    /// reader resuming after a checkpoint below it lost that record (`streams.rs`). Only a
    /// change that was a record of a stream counts, not a write that changed nothing nor one
    /// made while no stream recorded: sequence numbers have gaps that lose nothing.
    trimmed: u64,
    /// Oldest first.
    changes: VecDeque<Change>,
}

impl ChangeLog {
    /// An empty log for a new table.
    pub(crate) fn new(clock: Arc<WriteClock>, replica_lag: Option<Duration>) -> Self {
        let id = next_id();
        ChangeLog {
            id,
            stream_label: id,
            stream_after: 0,
            stream_created_at: None,
            disabled_stream: None,
            holds: Vec::new(),
            clock,
            replica_lag,
            recovery: None,
            stream: None,
            sequence: 0,
            trimmed: 0,
            changes: VecDeque::new(),
        }
    }

    /// The time writes happen at now.
    pub(crate) fn now(&self) -> SystemTime {
        self.clock.now()
    }

    /// What the consumers may still ask for at `now`.
    fn horizon(&self, now: SystemTime) -> Horizon {
        // Before the clock's epoch plus the lag, the replica sees the table before every
        // change: keep them all.
        let replica = self
            .replica_lag
            .map(|lag| now.checked_sub(lag).map_or(Horizon::All, Horizon::After));
        let recovery = self.recovery.map(|r| Horizon::After(r.earliest(now)));
        // A stream keeps 24 hours of records (a disabled one too, for 24 hours after): the
        // longer of it and recovery's window.
        let disabled = self
            .disabled_stream
            .is_some_and(|d| d.at + STREAM_RETENTION > now);
        let stream = (self.stream.is_some() || disabled).then(|| {
            now.checked_sub(STREAM_RETENTION)
                .map_or(Horizon::All, Horizon::After)
        });
        let recovery = match (recovery, stream) {
            (Some(Horizon::After(a)), Some(Horizon::After(b))) => Some(Horizon::After(a.min(b))),
            (Some(Horizon::All), _) | (_, Some(Horizon::All)) => Some(Horizon::All),
            (one, None) | (None, one) => one,
            _ => None,
        };
        match (replica, recovery) {
            (Some(Horizon::After(a)), Some(Horizon::After(b))) => Horizon::After(a.min(b)),
            (Some(one), None) | (None, Some(one)) => one,
            (None, None) => Horizon::Nothing,
            // One of them keeps everything.
            (Some(_), Some(_)) => Horizon::All,
        }
    }

    /// Its state as a durable store keeps it (see [`LogState`]).
    pub(crate) fn state(&self) -> LogState {
        LogState {
            sequence: self.sequence,
            stream_label: self.stream_label,
            stream_after: self.stream_after,
            disabled_stream: self.disabled_stream,
        }
    }

    /// Takes back a state a durable store kept: later labels of this process are larger
    /// than the recovered one, so a stream enabled after the restart has a label of its own.
    pub(crate) fn restore_state(&mut self, state: LogState) {
        IDS.fetch_max(state.stream_label.saturating_add(1), Ordering::Relaxed);
        self.sequence = state.sequence;
        self.stream_label = state.stream_label;
        self.stream_after = state.stream_after;
        self.disabled_stream = state.disabled_stream;
        // The records dropped before the state was kept are unknown: any number up to it may
        // have been one (narrowed by the first change restored, see `restore_change`).
        if self.changes.is_empty() {
            self.trimmed = self.trimmed.max(state.sequence);
        }
    }

    /// Appends a change a durable store kept (a snapshot's, oldest first), with its own
    /// sequence number and time; one not after the last logged change is ignored.
    pub(crate) fn restore_change(&mut self, change: Change) {
        if self
            .changes
            .back()
            .is_none_or(|last| last.sequence < change.sequence)
        {
            if self.changes.is_empty() {
                self.trimmed = self.trimmed.min(change.sequence.saturating_sub(1));
            }
            self.sequence = self.sequence.max(change.sequence);
            self.changes.push_back(change);
        }
    }

    /// Every logged change, oldest first (what a durable store's snapshot keeps).
    pub(crate) fn logged(&self) -> impl ExactSizeIterator<Item = &Change> {
        self.changes.iter()
    }

    /// Numbers a write no consumer records: sequence numbers count every write to the
    /// table, recorded or not, so that a durable store's replay of its journal gives every
    /// write the number it had (whatever the consumers were then).
    pub(crate) fn skip(&mut self) {
        self.sequence += 1;
    }

    /// Marks the latest change of `key`, a deletion, as made by time to live (a durable
    /// store's replay of a sweep).
    pub(crate) fn mark_expired_latest(&mut self, key: &ItemKey) {
        if let Some(change) = self.changes.iter_mut().rev().find(|c| &c.key == key)
            && change.new.is_none()
        {
            change.by_ttl = true;
        }
    }

    /// Whether any consumer needs changes recorded.
    pub(crate) fn is_recording(&self) -> bool {
        self.replica_lag.is_some()
            || self.recovery.is_some()
            || self.stream.is_some()
            || !self.holds.is_empty()
    }

    /// This log's id (see the field).
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// The enabled stream's label (see the field).
    pub(crate) fn stream_label(&self) -> u64 {
        self.stream_label
    }

    /// Enables a new stream of `view` records (`UpdateTable`): a new label, holding the
    /// writes from now on.
    pub(crate) fn enable_stream(&mut self, view: StreamViewType) {
        self.stream = Some(view);
        self.stream_created_at = Some(self.now());
        self.stream_label = next_id();
        self.stream_after = self.sequence;
    }

    /// Disables the enabled stream at `now` (`UpdateTable`); its records stay readable for 24
    /// hours.
    pub(crate) fn disable_stream(&mut self, now: SystemTime) {
        if let Some(view) = self.stream.take() {
            self.disabled_stream = Some(DisabledStream {
                view,
                after: self.stream_after,
                until: self.sequence,
                at: now,
            });
        }
    }

    /// Keeps every change from now on until [`release`](Self::release): answers the last
    /// sequence number given, after which the changes are kept.
    pub(crate) fn hold(&mut self) -> u64 {
        self.holds.push(self.sequence);
        self.sequence
    }

    /// Ends one [`hold`](Self::hold) taken at `sequence`.
    pub(crate) fn release(&mut self, sequence: u64) {
        if let Some(at) = self.holds.iter().position(|&held| held == sequence) {
            self.holds.swap_remove(at);
        }
        let now = self.now();
        self.compact(now);
    }

    /// The changes after `sequence`, oldest first.
    pub(crate) fn after(&self, sequence: u64) -> impl Iterator<Item = &Change> {
        let skip = self.changes.partition_point(|c| c.sequence <= sequence);
        self.changes.range(skip..)
    }

    /// Records one write to `key`, then drops the changes no consumer can ask for any more.
    pub(crate) fn record(&mut self, key: ItemKey, old: Option<ItemMap>, new: Option<ItemMap>) {
        let now = self.now();
        let at = self.changes.back().map_or(now, |last| last.at.max(now));
        self.sequence += 1;
        self.changes.push_back(Change {
            sequence: self.sequence,
            at,
            key,
            old,
            new,
            by_ttl: false,
        });
        self.compact(now);
    }

    /// Marks the last change, a deletion of `key`, as made by time to live: answers the item
    /// it deleted (`None`: the last change is no deletion of `key`, or deleted nothing).
    pub(crate) fn mark_expired(&mut self, key: &ItemKey) -> Option<&ItemMap> {
        let last = self
            .changes
            .back_mut()
            .filter(|last| last.new.is_none() && &last.key == key)?;
        last.by_ttl = true;
        last.old.as_ref()
    }

    /// The last sequence number given.
    pub(crate) fn sequence(&self) -> u64 {
        self.sequence
    }

    /// The largest sequence number of a stream record trimmed from the log (see the field).
    pub(crate) fn trimmed(&self) -> u64 {
        self.trimmed
    }

    /// Drops the oldest change, remembering it in [`trimmed`](Self::trimmed) if it was a
    /// record of the enabled stream or of the disabled one.
    fn drop_oldest(&mut self) {
        let Some(change) = self.changes.pop_front() else {
            return;
        };
        let s = change.sequence;
        let streamed = (self.stream.is_some() && s > self.stream_after)
            || self
                .disabled_stream
                .is_some_and(|d| d.after < s && s <= d.until);
        if streamed && change.is_visible() {
            self.trimmed = self.trimmed.max(s);
        }
    }

    /// Drops the changes no consumer can ask to undo any more (all of them when nothing
    /// consumes them).
    pub(crate) fn compact(&mut self, now: SystemTime) {
        let held = self.holds.iter().min().copied();
        let unheld = |c: &Change| held.is_none_or(|held| c.sequence <= held);
        match self.horizon(now) {
            Horizon::All => {}
            Horizon::Nothing => {
                while self.changes.front().is_some_and(unheld) {
                    self.drop_oldest();
                }
            }
            Horizon::After(horizon) => {
                while self
                    .changes
                    .front()
                    .is_some_and(|c| c.at <= horizon && unheld(c))
                {
                    self.drop_oldest();
                }
            }
        }
    }

    /// Whether a change newer than `t` is logged (`None`: any change).
    pub(crate) fn has_newer(&self, t: Option<SystemTime>) -> bool {
        self.changes
            .back()
            .is_some_and(|c| t.is_none_or(|t| c.at > t))
    }

    /// The logged changes newer than `t` (`None`: all), newest first.
    pub(crate) fn newer_than(&self, t: Option<SystemTime>) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .rev()
            .take_while(move |c| t.is_none_or(|t| c.at > t))
    }

    /// Every logged change, oldest first.
    #[cfg(test)]
    pub(crate) fn changes(&self) -> impl Iterator<Item = &Change> {
        self.logged()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::key::KeyValue;

    fn key(id: &str) -> ItemKey {
        ItemKey {
            partition: KeyValue::S(id.to_owned()),
            sort: None,
        }
    }

    fn log(clock: &ManualClock, lag: Option<Duration>) -> ChangeLog {
        let clock = Arc::new(WriteClock::new(Arc::new(clock.clone())));
        ChangeLog::new(clock, lag)
    }

    fn keys(log: &ChangeLog) -> Vec<ItemKey> {
        log.changes().map(|c| c.key.clone()).collect()
    }

    /// Was the replica's own unit test (`the_log_holds_only_the_writes_of_the_last_lag`),
    /// moved here with the log it tests: the same writes, times and assertions.
    #[test]
    fn the_log_holds_only_the_writes_of_the_last_lag() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(100));
        let lag = Duration::from_secs(1);
        let mut history = log(&clock, Some(lag));
        let cutoff = |clock: &ManualClock| clock.now().checked_sub(lag);
        history.record(key("a"), None, None);
        history.record(key("b"), None, None);
        clock.advance(Duration::from_millis(500));
        history.record(key("c"), None, None);
        assert_eq!(history.changes().count(), 3);
        // One lag after the first two: they are dropped on the next write, the third kept.
        clock.advance(Duration::from_millis(500));
        assert!(history.has_newer(cutoff(&clock)));
        history.record(key("d"), None, None);
        assert_eq!(keys(&history), [key("c"), key("d")]);
        clock.advance(Duration::from_secs(1));
        assert!(!history.has_newer(cutoff(&clock)));
    }

    #[test]
    fn the_log_keeps_what_the_longest_consumer_needs_and_nothing_without_one() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000));
        let mut history = log(&clock, Some(Duration::from_secs(1)));
        history.recovery = Some(Recovery {
            since: clock.now(),
            period: Duration::from_secs(3600),
        });
        clock.advance(Duration::from_secs(1));
        history.record(key("a"), None, None);
        clock.advance(Duration::from_secs(10));
        history.record(key("b"), None, None);
        // The replica no longer needs "a"; recovery still does: everything since enabling.
        assert_eq!(keys(&history), [key("a"), key("b")]);
        clock.advance(Duration::from_secs(3595));
        history.record(key("c"), None, None);
        // One period after enabling, a restore can no longer ask for an instant before "a".
        assert_eq!(keys(&history), [key("b"), key("c")]);
        assert_eq!(
            history.changes().map(|c| c.sequence).collect::<Vec<_>>(),
            [2, 3]
        );
        history.recovery = None;
        history.replica_lag = None;
        history.record(key("d"), None, None);
        assert_eq!(history.changes().count(), 0);
        assert!(!history.is_recording());
    }

    /// A shorter period drops the history before its window at the next compaction; a longer
    /// one keeps the window where it starts, and does not bring the dropped history back.
    #[test]
    fn the_log_keeps_the_tables_recovery_period_as_it_changes() {
        const DAY: Duration = Duration::from_secs(24 * 60 * 60);
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000));
        let mut history = log(&clock, None);
        history.recovery = Some(Recovery {
            since: clock.now(),
            period: 10 * DAY,
        });
        for id in ["a", "b", "c"] {
            history.record(key(id), None, None);
            clock.advance(DAY);
        }
        // Three days of writes, a day apart; now a day after the last.
        let now = clock.now();
        let shorter = history.recovery.unwrap().with_period(2 * DAY, now);
        assert_eq!(shorter.earliest(now), now - 2 * DAY);
        history.recovery = Some(shorter);
        history.compact(now);
        assert_eq!(keys(&history), [key("c")]);
        let longer = shorter.with_period(30 * DAY, now);
        assert_eq!(longer.earliest(now), now - 2 * DAY);
        assert_eq!(longer.earliest(now + 5 * DAY), now - 2 * DAY);
        assert_eq!(longer.earliest(now + 29 * DAY), now - DAY);
    }

    #[test]
    fn one_pinned_operation_writes_at_one_instant() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(100));
        let write_clock = Arc::new(WriteClock::new(Arc::new(clock.clone())));
        let mut history = ChangeLog::new(Arc::clone(&write_clock), Some(Duration::from_secs(60)));
        let pinned = write_clock.pin();
        history.record(key("a"), None, None);
        clock.advance(Duration::from_secs(1));
        history.record(key("b"), None, None);
        write_clock.unpin();
        let times: Vec<_> = history.changes().map(|c| c.at).collect();
        assert_eq!(times, [pinned, pinned]);
        history.record(key("c"), None, None);
        assert_eq!(history.changes().last().map(|c| c.at), Some(clock.now()));
    }
}
