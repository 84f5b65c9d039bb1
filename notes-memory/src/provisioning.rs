//! `UpdateTable`: billing mode and provisioned throughput changes, with DynamoDB's limits.
//!
//! The rules modelled, and where they come from:
//!
//! - Capacity units are at least 1 (`ValidationException`, "Member must have value greater
//!   than or equal to 1") and at most 10^12 ("Given value .. is out of bounds"), as DynamoDB
//!   answers (the wording dynoxide 3.2.0 captured from it). The per-table quota (40,000 RCU
//!   and WCU by default) is an adjustable account setting, not modelled.
//! - "You can switch tables from provisioned capacity mode to on-demand mode up to four times
//!   in a 24-hour rolling window. You can switch tables from on-demand mode to provisioned
//!   capacity mode at any time."
//!   (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/switching.capacitymode.html>;
//!   until 2024 the limit was once a day, and DynamoDB answered `LimitExceededException`
//!   "Subscriber limit exceeded: Update to PayPerRequest mode are limited to once in 1 day(s).",
//!   whose wording is kept with the new count.)
//! - "For every table and global secondary index in an UpdateTable operation, you can decrease
//!   ReadCapacityUnits or WriteCapacityUnits (or both) ... A decrease is allowed up to four
//!   times, anytime per day. A day is defined according to Universal Time Coordinated (UTC).
//!   Additionally, if there was no decrease in the past hour, an additional decrease is
//!   allowed. This effectively brings the maximum number of decreases in a day to 27 times"
//!   (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html>,
//!   "Decreasing provisioned throughput"). A change that lowers reads or writes is one
//!   decrease; increases are unlimited. DynamoDB answers `LimitExceededException`
//!   ([`Error::LimitExceeded`]) with the counts and times, as below.
//! - Switching to provisioned needs units for the table and every global index; an on-demand
//!   table takes no units; a change to the same units is refused; an index update names an
//!   existing global index (the `ValidationException` wording dynoxide 3.2.0 captured).
//! - The stream (`StreamSpecification`): "You receive a ValidationException if you try to
//!   enable a stream on a table that already has a stream, or if you try to disable a stream
//!   on a table that doesn't have a stream"
//!   (<https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateTable.html>).
//!   A stream enabled again is a new stream (a new ARN, records of the writes after
//!   it only); "when you disable a stream, any shards that are open will be closed. The data
//!   in the stream will continue to be readable for 24 hours"
//!   (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html>). The
//!   first message is DynamoDB's as its users report it ("Table already has an enabled
//!   stream: TableName: notes"); the second ("Table has no stream to disable: TableName:
//!   notes") is the wording a conformance capture records, not checked against AWS here.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use notes_model::IndexKind;

use super::clock::{format_utc, utc_day};
use super::on_demand::Maximums;
use super::table::Table;
use super::throughput::{Kind, Rates, Throughput};
use super::warm::Warm;
use notes_core::request::{
    BillingMode, ProvisionedThroughput, TableDescription, TableStatus, UpdateTable,
};
use notes_core::stream::StreamSpecification;
use notes_core::throttling::LimitType;
use notes_core::{Error, Result};

/// Decreases allowed at any time of a UTC day.
const FREE_DECREASES_PER_DAY: usize = 4;
/// After those, one decrease per this much time.
const DECREASE_INTERVAL: Duration = Duration::from_secs(3600);
/// Switches to on demand allowed in [`SWITCH_WINDOW`].
const SWITCHES_TO_ON_DEMAND: usize = 4;
const SWITCH_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// Applies an `UpdateTable` (already through [`validate::update_table`](notes_core::validate::update_table)) to `table` at `at`: the one
/// path of `UpdateTable` and of auto scaling. When `throughput` is enforced and the change is
/// accepted, every bucket of the table and of its global indexes (those never used yet too) is
/// brought up to `at` at the rate in effect until then, then capped at 300 seconds of the new
/// rate, so that a new rate applies from `at` only: DynamoDB banks unused capacity at the rate
/// that earned it (raised from 1 to 100 WCU after 300 idle seconds, a table has 300 units
/// banked, not 30,000), and a lowered rate caps the bank at once (`Throughput::change`; a
/// switch of billing mode starts the buckets afresh, see `memory/throughput.rs`).
pub(crate) fn update_table(
    table: &mut Table,
    throughput: Option<&Throughput>,
    request: &UpdateTable,
    at: SystemTime,
) -> Result<TableDescription> {
    let Some(throughput) = throughput else {
        return table.update(request, at);
    };
    let old = table.bucket_rates();
    let answer = table.update(request, at)?;
    throughput.change(&table.name, &old, &table.bucket_rates(), at);
    Ok(answer)
}

impl Table {
    /// The rate of each throughput bucket: the table's reads and writes, and each global
    /// index's; provisioned, their capacity units, on demand, their maximums (none without).
    fn bucket_rates(&self) -> Rates {
        let Some(own) = self.billing_mode.provisioned_throughput() else {
            let maximums = std::iter::once((None, self.maximums.table)).chain(
                self.maximums
                    .indexes
                    .iter()
                    .map(|(name, max)| (Some(name.clone()), *max)),
            );
            return maximums
                .flat_map(|(index, max)| {
                    [
                        (index.clone(), Kind::Read, max.max_read_request_units),
                        (index, Kind::Write, max.max_write_request_units),
                    ]
                })
                .filter_map(|(index, kind, rate)| {
                    Some((index, kind, rate?, LimitType::MaxOnDemandThroughput))
                })
                .collect();
        };
        std::iter::once((None, own))
            .chain(
                self.index_throughput
                    .iter()
                    .map(|(name, units)| (Some(name.clone()), *units)),
            )
            .flat_map(|(index, units)| {
                [
                    (index.clone(), Kind::Read, units.read_capacity_units),
                    (index, Kind::Write, units.write_capacity_units),
                ]
            })
            .map(|(index, kind, rate)| (index, kind, rate, LimitType::ProvisionedThroughput))
            .collect()
    }

    /// Applies an `UpdateTable` (already through [`validate::update_table`](notes_core::validate::update_table)) at `now`, or changes
    /// nothing and says why. Called through [`update_table`] only.
    fn update(&mut self, request: &UpdateTable, now: SystemTime) -> Result<TableDescription> {
        let invalid = |message: String| {
            Err(Error::validation(format!(
                "One or more parameter values were invalid: {message}"
            )))
        };
        let old_mode = self.billing_mode;
        let new_mode = request.billing_mode.unwrap_or(old_mode);
        if new_mode == BillingMode::PayPerRequest && !request.index_throughput.is_empty() {
            return invalid(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when \
                 BillingMode is PAY_PER_REQUEST"
                    .into(),
            );
        }
        let globals: Vec<String> = self
            .indexes
            .iter()
            .filter(|i| i.schema.kind == IndexKind::Global)
            .map(|i| i.schema.name.to_string())
            .collect();
        if request
            .index_throughput
            .keys()
            .any(|name| !globals.contains(name))
        {
            return Err(Error::validation(
                "This operation cannot be performed with given input values. Please contact \
                 DynamoDB service team for more info: Action Blocked: IndexUpdate",
            ));
        }
        if old_mode == BillingMode::PayPerRequest
            && let BillingMode::Provisioned { .. } = new_mode
            && let Some(missing) = globals
                .iter()
                .find(|name| !request.index_throughput.contains_key(*name))
        {
            return invalid(format!(
                "ProvisionedThroughput must be specified for index: {missing}"
            ));
        }
        if let (
            BillingMode::Provisioned {
                read_capacity_units: old_read,
                write_capacity_units: old_write,
            },
            Some(BillingMode::Provisioned {
                read_capacity_units: read,
                write_capacity_units: write,
            }),
        ) = (old_mode, request.billing_mode)
            && (old_read, old_write) == (read, write)
        {
            return Err(Error::validation(format!(
                "The provisioned throughput for the table will not change. The requested value \
                 equals the current value. Current ReadCapacityUnits provisioned for the table: \
                 {old_read}. Requested ReadCapacityUnits: {read}. Current WriteCapacityUnits \
                 provisioned for the table: {old_write}. Requested WriteCapacityUnits: {write}. \
                 Refer to the Amazon DynamoDB Developer Guide for current limits and how to \
                 request higher limits."
            )));
        }

        // The stream: one enabled at a time, and only an enabled one can be disabled.
        let Some(log) = self.history.as_ref() else {
            return Err(Error::validation(format!(
                "table `{}` has no change log to stream from",
                self.name
            )));
        };
        match (request.stream_specification, log.stream) {
            (Some(StreamSpecification::Enabled(_)), Some(_)) => {
                return Err(Error::validation(format!(
                    "Table already has an enabled stream: TableName: {}",
                    self.name
                )));
            }
            (Some(StreamSpecification::Disabled), None) => {
                return Err(Error::validation(format!(
                    "Table has no stream to disable: TableName: {}",
                    self.name
                )));
            }
            _ => {}
        }

        // On-demand maximums and warm throughput (`on_demand.rs`, `warm.rs`).
        let provisioned_after = matches!(new_mode, BillingMode::Provisioned { .. });
        Maximums::check_update(request, provisioned_after, &globals)?;
        let mut index_throughput_after = BTreeMap::new();
        if provisioned_after {
            index_throughput_after.clone_from(&self.index_throughput);
            index_throughput_after.extend(request.index_throughput.clone());
        }
        self.warm
            .check_update(request, &globals, &index_throughput_after)?;

        // Limits: checked for everything before anything changes.
        let to_on_demand = matches!(old_mode, BillingMode::Provisioned { .. })
            && new_mode == BillingMode::PayPerRequest;
        if to_on_demand {
            let recent = self
                .changes
                .to_on_demand
                .iter()
                .filter(|at| within(**at, now, SWITCH_WINDOW))
                .count();
            if recent >= SWITCHES_TO_ON_DEMAND {
                return Err(self.limit_exceeded(format!(
                    "Subscriber limit exceeded: Update to PayPerRequest mode are limited to \
                     {SWITCHES_TO_ON_DEMAND} times in 1 day(s)."
                )));
            }
        }
        let table_decrease = is_decrease(
            old_mode.provisioned_throughput(),
            new_mode.provisioned_throughput(),
        );
        if table_decrease {
            check_decrease(&self.changes.decreases, now, None)
                .map_err(|message| self.limit_exceeded(message))?;
        }
        let mut index_decreases = Vec::new();
        for (name, new) in &request.index_throughput {
            if is_decrease(self.index_throughput.get(name).copied(), Some(*new)) {
                let history = self
                    .changes
                    .index_decreases
                    .get(name)
                    .map_or(&[][..], Vec::as_slice);
                check_decrease(history, now, Some(name))
                    .map_err(|message| self.limit_exceeded(message))?;
                index_decreases.push(name.clone());
            }
        }

        // While UPDATING, DynamoDB still reports the units being replaced.
        let before = self.describe(TableStatus::Updating);
        self.billing_mode = new_mode;
        if new_mode == BillingMode::PayPerRequest {
            self.index_throughput.clear();
        } else {
            self.index_throughput.extend(
                request
                    .index_throughput
                    .iter()
                    .map(|(k, v)| (k.clone(), *v)),
            );
        }
        self.maximums.update(request, new_mode);
        self.warm.update(request, new_mode, &self.index_throughput);
        if let Some(log) = self.history.as_mut() {
            match request.stream_specification {
                Some(StreamSpecification::Enabled(view)) => log.enable_stream(view),
                Some(StreamSpecification::Disabled) => log.disable_stream(now),
                None => {}
            }
        }
        if to_on_demand {
            self.changes.to_on_demand.push(now);
        }
        if table_decrease {
            self.changes.decreases.push(now);
        }
        for name in index_decreases {
            self.changes
                .index_decreases
                .entry(name)
                .or_default()
                .push(now);
        }
        let mut answer = self.describe(TableStatus::Updating);
        if matches!(old_mode, BillingMode::Provisioned { .. })
            && matches!(new_mode, BillingMode::Provisioned { .. })
        {
            answer.billing_mode = before.billing_mode;
            answer.index_throughput = before.index_throughput;
        }
        Warm::mark_updating(request, &mut answer);
        Ok(answer)
    }

    fn limit_exceeded(&self, message: String) -> Error {
        Error::LimitExceeded {
            table: self.name.clone(),
            message,
            source: None,
        }
    }
}

/// Whether going from `old` to `new` lowers reads or writes (from on demand it never does).
fn is_decrease(old: Option<ProvisionedThroughput>, new: Option<ProvisionedThroughput>) -> bool {
    match (old, new) {
        (Some(old), Some(new)) => {
            new.read_capacity_units < old.read_capacity_units
                || new.write_capacity_units < old.write_capacity_units
        }
        _ => false,
    }
}

/// Whether `at` is less than `window` before `now`.
fn within(at: SystemTime, now: SystemTime, window: Duration) -> bool {
    now.duration_since(at).map_or(true, |ago| ago < window)
}

/// Whether one more decrease is allowed at `now`, given the earlier ones: 4 at any time of
/// the UTC day, then one if none happened in the past hour.
fn check_decrease(
    history: &[SystemTime],
    now: SystemTime,
    index: Option<&str>,
) -> std::result::Result<(), String> {
    let today = utc_day(now);
    let count = history.iter().filter(|at| utc_day(**at) == today).count();
    let Some(&last) = history.last() else {
        return Ok(());
    };
    if count < FREE_DECREASES_PER_DAY || !within(last, now, DECREASE_INTERVAL) {
        return Ok(());
    }
    let index = index.map_or_else(String::new, |name| format!(" Index: {name}."));
    Err(format!(
        "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given \
         UTC day. After the first {FREE_DECREASES_PER_DAY} decreases, each subsequent decrease \
         in the same UTC day can be performed at most once every {} seconds. Number of \
         decreases today: {count}. Last decrease at {}. Next decrease can be made at {}.{index}",
        DECREASE_INTERVAL.as_secs(),
        format_utc(last),
        format_utc(last + DECREASE_INTERVAL),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    use crate::memory_backend::MemoryBackend;
    use notes_core::Backend;
    use notes_core::request::{CreateTable, PutItem};
    use notes_model::{
        AttributeValue, IndexProjection, IndexSchema, KeyAttribute, KeySchema, ScalarType,
    };

    /// A table `tbl` (key `id`) provisioned at `read` / `write`, with a global index `byG`
    /// (key `g`) at the same units, on a backend enforcing throughput on a stopped clock.
    async fn provisioned(
        clock: &crate::clock::ManualClock,
        read: i64,
        write: i64,
    ) -> MemoryBackend {
        let backend = MemoryBackend::builder()
            .clock(clock.clone())
            .enforce_throughput(true)
            .build();
        let schema = KeySchema {
            partition_key: KeyAttribute::new("id", ScalarType::S),
            sort_key: None,
        };
        let by_g = IndexSchema {
            name: "byG".into(),
            kind: IndexKind::Global,
            key_schema: KeySchema {
                partition_key: KeyAttribute::new("g", ScalarType::S),
                sort_key: None,
            },
            projection: IndexProjection::KeysOnly,
            additional_keys: Default::default(),
        };
        let create = CreateTable::new("tbl", schema)
            .billing_mode(BillingMode::Provisioned {
                read_capacity_units: read,
                write_capacity_units: write,
            })
            .indexes(vec![by_g]);
        backend.create_table(create).await.unwrap();
        backend
    }

    fn writes(units: i64) -> UpdateTable {
        UpdateTable::new("tbl").billing_mode(BillingMode::Provisioned {
            read_capacity_units: 1,
            write_capacity_units: units,
        })
    }

    /// Writes one-unit items (`g` set: the index's entry too, when `indexed`) at the clock's
    /// present instant until one is throttled or `max` are admitted: how many were.
    async fn admitted_now(
        backend: &MemoryBackend,
        next: &mut usize,
        indexed: bool,
        max: usize,
    ) -> usize {
        for count in 0..max {
            *next += 1;
            let mut item = notes_model::ItemMap::new();
            item.insert("id".into(), AttributeValue::S(format!("i{next}")));
            if indexed {
                item.insert("g".into(), AttributeValue::S("x".into()));
            }
            match backend.put_item(PutItem::new("tbl", item)).await {
                Ok(_) => {}
                Err(Error::Throttled { .. }) => return count,
                Err(other) => panic!("write {next}: {other:?}"),
            }
        }
        max
    }

    /// At 1 WCU with the bank spent, 300 s idle banks 300 units (at the rate in effect), not
    /// 300 s of a rate set afterwards: raised to 100, about 300 writes are admitted at once,
    /// then 100 a second.
    #[tokio::test]
    async fn raising_capacity_keeps_the_bank_earned_at_the_old_rate() {
        let clock = crate::clock::ManualClock::new(SystemTime::UNIX_EPOCH);
        let backend = provisioned(&clock, 1, 1).await;
        let mut next = 0;
        // A new table's bank: 300 s of 1 WCU.
        assert_eq!(admitted_now(&backend, &mut next, false, 1_000).await, 300);
        clock.advance(Duration::from_secs(300));
        backend.update_table(writes(100)).await.unwrap();
        assert_eq!(admitted_now(&backend, &mut next, false, 1_000).await, 300);
        for _ in 0..3 {
            clock.advance(Duration::from_secs(1));
            assert_eq!(admitted_now(&backend, &mut next, false, 1_000).await, 100);
        }
    }

    /// A lower rate keeps what was earned at the higher one until the change, capped at 300 s
    /// of the new rate.
    #[tokio::test]
    async fn lowering_capacity_caps_the_bank_at_300_seconds_of_the_new_rate() {
        let clock = crate::clock::ManualClock::new(SystemTime::UNIX_EPOCH);
        let backend = provisioned(&clock, 1, 100).await;
        let mut next = 0;
        assert_eq!(
            admitted_now(&backend, &mut next, false, 40_000).await,
            30_000
        );
        // 10 s at 100 WCU earns 1,000 units; at 1 WCU the bank holds 300 at most.
        clock.advance(Duration::from_secs(10));
        backend.update_table(writes(1)).await.unwrap();
        assert_eq!(admitted_now(&backend, &mut next, false, 1_000).await, 300);
        clock.advance(Duration::from_secs(1));
        assert_eq!(admitted_now(&backend, &mut next, false, 1_000).await, 1);
        // A full bank at a high rate, lowered: 300 s of the new rate.
        let backend = provisioned(&clock, 1, 100).await;
        assert_eq!(admitted_now(&backend, &mut next, false, 1).await, 1);
        backend.update_table(writes(2)).await.unwrap();
        assert_eq!(admitted_now(&backend, &mut next, false, 1_000).await, 600);
    }

    /// A global index's own throughput: raised after its bank ran dry and 300 s idle, it has
    /// banked 300 units at 1 WCU, then refills at the new rate.
    #[tokio::test]
    async fn raising_an_index_keeps_the_bank_earned_at_its_old_rate() {
        let clock = crate::clock::ManualClock::new(SystemTime::UNIX_EPOCH);
        // The index takes the table's units when it is created, and keeps them.
        let backend = provisioned(&clock, 1, 1).await;
        backend.update_table(writes(10_000)).await.unwrap();
        let mut next = 0;
        // The index (1 WCU) is the narrower bucket.
        assert_eq!(admitted_now(&backend, &mut next, true, 1_000).await, 300);
        clock.advance(Duration::from_secs(300));
        let raise =
            UpdateTable::new("tbl").index_throughput("byG", ProvisionedThroughput::new(1, 100));
        backend.update_table(raise).await.unwrap();
        assert_eq!(admitted_now(&backend, &mut next, true, 1_000).await, 300);
        clock.advance(Duration::from_secs(1));
        assert_eq!(admitted_now(&backend, &mut next, true, 1_000).await, 100);
    }

    /// S1: a bucket not used yet is as full as a new one at the old rate: raised from 1 to
    /// 100 WCU before any write, with no time passing, a table has 300 units banked (300 s of
    /// 1 WCU), not 30,000 (300 s of the new rate), then earns 100 a second.
    #[tokio::test]
    async fn raising_capacity_before_any_request_keeps_the_bank_of_the_old_rate() {
        let clock = crate::clock::ManualClock::new(SystemTime::UNIX_EPOCH);
        let backend = provisioned(&clock, 1, 1).await;
        backend.update_table(writes(100)).await.unwrap();
        let mut next = 0;
        assert_eq!(admitted_now(&backend, &mut next, false, 40_000).await, 300);
        clock.advance(Duration::from_secs(1));
        assert_eq!(admitted_now(&backend, &mut next, false, 1_000).await, 100);
    }

    /// S2: lowering caps the bank at 300 s of the new rate at the change itself, so raising it
    /// back at the same instant finds 1,500 units (300 s of 5 WCU), not the 29,999 banked at
    /// 100 WCU; the same whether or not the bucket was used before.
    #[tokio::test]
    async fn lowering_then_raising_at_one_instant_keeps_the_lowered_cap() {
        let clock = crate::clock::ManualClock::new(SystemTime::UNIX_EPOCH);
        for used in [true, false] {
            let backend = provisioned(&clock, 1, 100).await;
            let mut next = 0;
            if used {
                assert_eq!(admitted_now(&backend, &mut next, false, 1).await, 1);
            }
            backend.update_table(writes(5)).await.unwrap();
            backend.update_table(writes(100)).await.unwrap();
            assert_eq!(
                admitted_now(&backend, &mut next, false, 40_000).await,
                1_500,
                "used before: {used}"
            );
            clock.advance(Duration::from_secs(1));
            assert_eq!(admitted_now(&backend, &mut next, false, 1_000).await, 100);
        }
    }

    /// S5: a global index's bucket, lowered from 100 to 5 WCU and raised back at one instant,
    /// holds 300 s of 5 WCU: 1,500 indexed writes, though the table's own bucket holds 29,999.
    #[tokio::test]
    async fn lowering_then_raising_an_index_at_one_instant_keeps_the_lowered_cap() {
        let clock = crate::clock::ManualClock::new(SystemTime::UNIX_EPOCH);
        let backend = provisioned(&clock, 1, 100).await;
        let mut next = 0;
        assert_eq!(admitted_now(&backend, &mut next, true, 1).await, 1);
        let index = |write| {
            UpdateTable::new("tbl").index_throughput("byG", ProvisionedThroughput::new(1, write))
        };
        backend.update_table(index(5)).await.unwrap();
        backend.update_table(index(100)).await.unwrap();
        assert_eq!(admitted_now(&backend, &mut next, true, 40_000).await, 1_500);
        clock.advance(Duration::from_secs(1));
        assert_eq!(admitted_now(&backend, &mut next, true, 1_000).await, 100);
    }

    /// S3: on demand, a table has no buckets; switched (back) to provisioned, it starts as a new
    /// table at the new rate does (300 s of it), whatever it did before and however long it was
    /// on demand: the on-demand time is not banked at the new rate (the bank no longer grows
    /// with it), and the provisioned past (here a drained bank) is gone.
    #[tokio::test]
    async fn switching_back_to_provisioned_starts_the_bank_as_a_new_table() {
        let clock = crate::clock::ManualClock::new(SystemTime::UNIX_EPOCH);
        // A new table at 100 WCU: its bank.
        let fresh = provisioned(&clock, 1, 100).await;
        let mut next = 0;
        assert_eq!(admitted_now(&fresh, &mut next, false, 40_000).await, 30_000);
        let to_provisioned = UpdateTable::new("tbl")
            .billing_mode(BillingMode::Provisioned {
                read_capacity_units: 1,
                write_capacity_units: 100,
            })
            .index_throughput("byG", ProvisionedThroughput::new(1, 100));
        for on_demand in [0, 100, 3_600] {
            let backend = provisioned(&clock, 1, 5).await;
            let mut next = 0;
            assert_eq!(admitted_now(&backend, &mut next, true, 2_000).await, 1_500);
            backend
                .update_table(UpdateTable::new("tbl").billing_mode(BillingMode::PayPerRequest))
                .await
                .unwrap();
            clock.advance(Duration::from_secs(on_demand));
            backend.update_table(to_provisioned.clone()).await.unwrap();
            assert_eq!(
                admitted_now(&backend, &mut next, true, 40_000).await,
                30_000,
                "{on_demand} s on demand"
            );
            clock.advance(Duration::from_secs(1));
            assert_eq!(admitted_now(&backend, &mut next, true, 1_000).await, 100);
        }
    }

    #[test]
    fn four_decreases_a_day_then_one_an_hour_then_a_new_day() {
        let day = 20_000 * 86_400;
        let mut history = Vec::new();
        // Four in the first minute of the day.
        for i in 0..4 {
            assert_eq!(check_decrease(&history, at(day + i), None), Ok(()));
            history.push(at(day + i));
        }
        let refused = check_decrease(&history, at(day + 60), None).unwrap_err();
        assert!(
            refused.contains("Number of decreases today: 4."),
            "{refused}"
        );
        // An hour after the last one, a fifth.
        assert!(check_decrease(&history, at(day + 3 + 3599), None).is_err());
        assert_eq!(check_decrease(&history, at(day + 3 + 3600), None), Ok(()));
        // 27 a day at most: 4, then one in each of the 23 remaining hours.
        let mut count = 4;
        let mut now = day + 3;
        while now < day + 86_400 {
            if check_decrease(&history, at(now), None).is_ok() {
                history.push(at(now));
                count += 1;
            }
            now += 60;
        }
        assert_eq!(count, 27);
        // The next UTC day starts afresh.
        assert_eq!(check_decrease(&history, at(day + 86_400), None), Ok(()));
    }
}
