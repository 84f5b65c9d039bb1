//! Auto scaling on `MemoryBackend`: Application Auto Scaling's target tracking, simulated on
//! the backend's `Clock`. The model is here; the backend's scaling requests, and when it
//! evaluates them, are `scaling_policies.rs`.
//!
//! Policies are registered and described on every MemoryBackend; capacity changes only where
//! consumption is metered, that is with `enforce_throughput(true)`. The model, per registered
//! target (the read or write capacity of a provisioned table or of one of its global indexes):
//!
//! - **Datapoints are whole minutes** of the clock (aligned on the Unix epoch, as CloudWatch's
//!   one-minute periods): the units charged in the minute (`memory/throughput.rs` records
//!   them), over the units provisioned during it × 60, is the minute's utilization. "DynamoDB
//!   outputs consumed provisioned throughput for one-minute periods"
//!   (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/metrics-dimensions.html>).
//!   Throttled requests consume nothing, so they do not count. The first datapoint is the
//!   first whole minute after registration.
//! - **Scale out** when utilization is above the target for 2 consecutive minutes: "DynamoDB
//!   auto scaling increases provisioned capacity when utilization exceeds [the target] for at
//!   least 2 consecutive minutes"
//!   (<https://repost.aws/knowledge-center/dynamodb-auto-scaling>; "Auto scaling triggers
//!   when your consumed capacity breaches the configured target utilization for two
//!   consecutive minutes", metrics-dimensions.html above).
//! - **Scale in** when utilization is 20 percentage points or more below the target for 15
//!   consecutive minutes: "DynamoDB auto scaling decreases provisioned capacity when
//!   utilization is 20% or more below the target for 15 consecutive minutes" (the same
//!   knowledge-center article, whose example is 50 RCU for a 70% target at 100 RCU).
//! - **New capacity** is what puts the last minute's consumption at the target: target
//!   tracking keeps "the ratio of consumed capacity units to provisioned capacity units ... at
//!   or near your target utilization"
//!   (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html>), so
//!   `ceil(consumed per second / target)`, rounded up so that utilization ends at or below
//!   the target, then kept within `min..=max`. A scale-out never lowers capacity and a
//!   scale-in never raises it.
//! - **When**: the change takes effect at the end of the minute that completed the alarm
//!   (DynamoDB then takes "several minutes" in `UPDATING`, still throttling at the old units:
//!   not modelled). The counts start again after a change, so the next step needs 2 (or 15)
//!   more minutes measured against the new capacity.
//! - **Through `UpdateTable`**: "after auto scaling triggers, the UpdateTable API is invoked"
//!   (metrics-dimensions.html above), so a scale-in is one of the table's (or index's)
//!   decreases and DynamoDB's decrease limits (`memory/provisioning.rs`: 4 a UTC day, then
//!   one an hour) apply. A refused scale-in changes nothing and is tried again at the end of
//!   each following minute while utilization stays low.
//! - Policies outlive their table, as on AWS ("When you delete a table ... any associated
//!   scalable targets, scaling polices, or CloudWatch alarms are not automatically deleted
//!   with it", AutoScaling.html above); a target whose table is missing or on demand is not
//!   evaluated.
//! - Evaluation is lazy: the minutes elapsed on the clock are processed, in order, when a
//!   metered request arrives and when the table or its policies are described. No timer runs,
//!   so a `ManualClock` drives it deterministically.
//!
//! Not modelled: cooldowns (this SDK registers none), the minutes `UPDATING` takes, the delay
//! of CloudWatch alarms, scaling to `min`/`max` when they are registered outside the current
//! capacity.

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use super::clock::epoch_seconds;
use super::throughput::{BucketKey, Kind, MICRO, Usage};
use notes_core::Result;
use notes_core::request::{Capacity, ScalableTarget, ScalingPolicy};

/// Minutes above the target that scale out.
const SCALE_OUT_MINUTES: u32 = 2;
/// Minutes at least [`SCALE_IN_MARGIN`] below the target that scale in.
const SCALE_IN_MINUTES: u32 = 15;
/// How far below the target (percentage points) utilization must stay to scale in.
const SCALE_IN_MARGIN: f64 = 20.0;

/// The registered policies and where each one's evaluation stands.
#[derive(Debug, Default)]
pub(crate) struct AutoScaler {
    trackers: Mutex<BTreeMap<ScalableTarget, Tracker>>,
}

#[derive(Debug, Clone)]
struct Tracker {
    policy: ScalingPolicy,
    /// The first minute not yet evaluated.
    next_minute: u64,
    /// Consecutive minutes above the target.
    above: u32,
    /// Consecutive minutes at least 20 points below it.
    below: u32,
}

/// What one minute's datapoint asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Stay,
    ScaleTo(i64),
}

impl Tracker {
    /// Counts a minute in which `consumed` millionths of a unit were charged at `capacity`
    /// units per second, and says what the alarms ask for.
    fn observe(&mut self, consumed: i64, capacity: i64) -> Step {
        let minute_capacity = i128::from(capacity) * 60 * i128::from(MICRO);
        let utilization = i128::from(consumed) * 100; // percent × minute capacity
        let target = self.policy.target_value;
        if utilization as f64 > target * minute_capacity as f64 {
            self.above += 1;
            self.below = 0;
        } else if (utilization as f64) <= (target - SCALE_IN_MARGIN) * minute_capacity as f64 {
            self.below += 1;
            self.above = 0;
        } else {
            self.above = 0;
            self.below = 0;
        }
        let wanted = self.wanted(consumed);
        if self.above >= SCALE_OUT_MINUTES && wanted > capacity {
            return Step::ScaleTo(wanted);
        }
        if self.below >= SCALE_IN_MINUTES && wanted < capacity {
            return Step::ScaleTo(wanted);
        }
        Step::Stay
    }

    /// The units that put `consumed` (in a minute) at the target, within `min..=max`.
    fn wanted(&self, consumed: i64) -> i64 {
        // consumed / 60 s / (target / 100), in hundredths of a percent to stay exact.
        let target = (self.policy.target_value * 100.0).round() as i128;
        let numerator = i128::from(consumed) * 10_000;
        let denominator = 60 * i128::from(MICRO) * target.max(1);
        let units = (numerator + denominator - 1) / denominator;
        let units = i64::try_from(units).unwrap_or(i64::MAX);
        units.clamp(self.policy.min_capacity, self.policy.max_capacity)
    }

    fn restart(&mut self) {
        self.above = 0;
        self.below = 0;
    }
}

fn bucket_key(target: &ScalableTarget) -> BucketKey {
    let kind = match target.capacity {
        Capacity::Read => Kind::Read,
        Capacity::Write => Kind::Write,
    };
    (target.table_name.clone(), target.index_name.clone(), kind)
}

/// The start of `minute` (minutes since the Unix epoch).
fn minute_start(minute: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(minute * 60)
}

impl AutoScaler {
    /// Registers `policy` (replacing its target's) at `now`: its first datapoint is the first
    /// whole minute after. `usage` (when throughput is enforced) starts recording what its
    /// target is charged. The same policy again changes nothing.
    pub(crate) fn register(&self, policy: ScalingPolicy, now: SystemTime, usage: Option<&Usage>) {
        let first_minute = epoch_seconds(now).div_ceil(60);
        let mut trackers = self.trackers.lock().unwrap_or_else(PoisonError::into_inner);
        if trackers
            .get(&policy.target)
            .is_some_and(|tracker| tracker.policy == policy)
        {
            return;
        }
        if let Some(usage) = usage {
            usage.watch(bucket_key(&policy.target));
        }
        trackers.insert(
            policy.target.clone(),
            Tracker {
                policy,
                next_minute: first_minute,
                above: 0,
                below: 0,
            },
        );
    }

    /// The policies registered on `table_name`'s targets.
    pub(crate) fn policies(&self, table_name: &str) -> Vec<ScalingPolicy> {
        let trackers = self.trackers.lock().unwrap_or_else(PoisonError::into_inner);
        trackers
            .values()
            .filter(|tracker| tracker.policy.target.table_name == table_name)
            .map(|tracker| tracker.policy.clone())
            .collect()
    }

    /// Forgets the policy on `target`, if any (and `usage` what its target is charged).
    pub(crate) fn deregister(&self, target: &ScalableTarget, usage: Option<&Usage>) {
        let mut trackers = self.trackers.lock().unwrap_or_else(PoisonError::into_inner);
        if trackers.remove(target).is_some()
            && let Some(usage) = usage
        {
            usage.unwatch(&bucket_key(target));
        }
    }

    /// Evaluates every policy on the minutes that ended before `now` since it was last
    /// evaluated, from the units `usage` recorded: `capacity` answers the units provisioned
    /// on a target (`None`: no such table or index, or on demand), `scale` sets a target's
    /// units at an instant (through `UpdateTable`, whose limits may refuse it).
    pub(crate) fn evaluate(
        &self,
        now: SystemTime,
        usage: &Usage,
        capacity: impl Fn(&ScalableTarget) -> Option<i64>,
        scale: impl Fn(&ScalableTarget, i64, SystemTime) -> Result<()>,
    ) {
        let mut trackers = self.trackers.lock().unwrap_or_else(PoisonError::into_inner);
        if trackers.is_empty() {
            return;
        }
        let current_minute = epoch_seconds(now) / 60;
        for (target, tracker) in trackers.iter_mut() {
            let key = bucket_key(target);
            while tracker.next_minute < current_minute {
                let minute = tracker.next_minute;
                tracker.next_minute += 1;
                let Some(capacity) = capacity(target) else {
                    tracker.restart();
                    continue;
                };
                let consumed = usage.take(&key, minute);
                if consumed.is_none() && capacity <= tracker.policy.min_capacity {
                    // Idle from here on at the floor: no datapoint can change anything.
                    tracker.next_minute = current_minute;
                    break;
                }
                if let Step::ScaleTo(units) = tracker.observe(consumed.unwrap_or(0), capacity) {
                    // `scale` settles the buckets at the old rates first.
                    let at = minute_start(minute + 1);
                    if scale(target, units, at).is_ok() {
                        tracker.restart();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tracker(min: i64, max: i64, target: f64) -> Tracker {
        Tracker {
            policy: ScalingPolicy::new(
                ScalableTarget::table("tbl", Capacity::Write),
                min,
                max,
                target,
            ),
            next_minute: 0,
            above: 0,
            below: 0,
        }
    }

    /// `units` per second for a minute, in millionths.
    fn per_second(units: i64) -> i64 {
        units * 60 * MICRO
    }

    #[test]
    fn scale_out_after_exactly_two_minutes_above_the_target() {
        let mut t = tracker(5, 40_000, 70.0);
        // 10 units/s at 5 provisioned: 200% > 70%.
        assert_eq!(t.observe(per_second(10), 5), Step::Stay);
        assert_eq!(t.observe(per_second(10), 5), Step::ScaleTo(15)); // ceil(10 / 0.7)
        // One minute above, one at the target (not above): no scale-out.
        let mut t = tracker(5, 40_000, 70.0);
        assert_eq!(t.observe(per_second(10), 5), Step::Stay);
        assert_eq!(t.observe(per_second(7), 10), Step::Stay); // exactly 70%
        assert_eq!(t.observe(per_second(10), 10), Step::Stay);
        assert_eq!(t.observe(per_second(10), 10), Step::ScaleTo(15));
    }

    #[test]
    fn scale_in_after_fifteen_minutes_twenty_points_below() {
        let mut t = tracker(5, 40_000, 70.0);
        // 1 unit/s at 100 provisioned: 1%.
        for minute in 1..15 {
            assert_eq!(t.observe(per_second(1), 100), Step::Stay, "minute {minute}");
        }
        assert_eq!(t.observe(per_second(1), 100), Step::ScaleTo(5)); // ceil(1/0.7)=2, min 5
        // Exactly 50% (70 - 20) counts as below; 51% does not, and restarts the count.
        let mut t = tracker(1, 40_000, 70.0);
        for _ in 1..15 {
            assert_eq!(t.observe(per_second(50), 100), Step::Stay);
        }
        assert_eq!(t.observe(per_second(51), 100), Step::Stay);
        for _ in 1..15 {
            assert_eq!(t.observe(per_second(50), 100), Step::Stay);
        }
        assert_eq!(t.observe(per_second(50), 100), Step::ScaleTo(72)); // ceil(50 / 0.7)
    }

    #[test]
    fn new_capacity_is_kept_within_min_and_max() {
        let mut t = tracker(5, 12, 70.0);
        t.observe(per_second(100), 5);
        assert_eq!(t.observe(per_second(100), 5), Step::ScaleTo(12));
        // Already at max: nothing to do.
        let mut t = tracker(5, 12, 70.0);
        t.observe(per_second(100), 12);
        assert_eq!(t.observe(per_second(100), 12), Step::Stay);
        // Idle at the floor: nothing to do either.
        let mut t = tracker(5, 12, 70.0);
        for _ in 0..30 {
            assert_eq!(t.observe(0, 5), Step::Stay);
        }
    }
}
