//! `MemoryBackend`'s scaling policies: registered, described and removed as Application Auto
//! Scaling's requests, and evaluated on the minutes its clock has passed, on the model of
//! `autoscaling.rs`.

use std::time::SystemTime;

use super::provisioning::update_table;
use crate::memory_backend::MemoryBackend;
use notes_core::request::{
    BillingMode, Capacity, ProvisionedThroughput, ScalableTarget, ScalingPolicy, UpdateTable,
};
use notes_core::{Error, Result};

impl MemoryBackend {
    /// Registers (or replaces) a policy: its target must be the read or write capacity of a
    /// provisioned table or of one of its global indexes.
    pub(super) fn register_scaling_policy(&self, policy: ScalingPolicy) -> Result<()> {
        notes_core::validate::scaling_policy(
            policy.min_capacity,
            policy.max_capacity,
            policy.target_value,
        )?;
        self.read_tables([policy.target.table_name.as_str()], |tables| {
            let table = tables.table(&policy.target.table_name)?;
            if table.billing_mode == BillingMode::PayPerRequest {
                return Err(Error::validation(format!(
                    "auto scaling needs provisioned capacity: table `{}` is billed on demand \
                     (PAY_PER_REQUEST)",
                    table.name
                )));
            }
            if let Some(index) = &policy.target.index_name
                && !table.index_throughput.contains_key(index)
            {
                return Err(Error::validation(format!(
                    "table `{}` has no global secondary index `{index}` (auto scaling scales \
                     the table and its global indexes)",
                    table.name
                )));
            }
            Ok(())
        })?;
        self.autoscale();
        let usage = self
            .throughput
            .as_deref()
            .map(|throughput| &throughput.usage);
        self.autoscaler.register(policy, self.clock.now(), usage);
        Ok(())
    }

    /// The policies registered on `table_name`'s targets, after the minutes elapsed.
    pub(super) fn scaling_policies(&self, table_name: &str) -> Vec<ScalingPolicy> {
        self.autoscale();
        self.autoscaler.policies(table_name)
    }

    /// Forgets the policy on `target`, if any.
    pub(super) fn deregister_scaling_policy(&self, target: &ScalableTarget) {
        self.autoscale();
        let usage = self
            .throughput
            .as_deref()
            .map(|throughput| &throughput.usage);
        self.autoscaler.deregister(target, usage);
    }

    /// Evaluates every policy on the minutes that ended since it was last evaluated, and
    /// applies the capacity changes they call for. Nothing happens without throughput
    /// enforcement (nothing is metered).
    pub(super) fn autoscale(&self) {
        let Some(throughput) = &self.throughput else {
            return;
        };
        // No policy, no lock: every metered request comes through here.
        if !throughput.usage.is_watching() {
            return;
        }
        self.autoscaler.evaluate(
            self.clock.now(),
            &throughput.usage,
            |target| self.capacity(target),
            |target, units, at| self.set_capacity(target, units, at),
        );
    }

    /// The units provisioned now on `target` (`None`: no such table or index, or on demand).
    fn capacity(&self, target: &ScalableTarget) -> Option<i64> {
        let name = target.table_name.as_str();
        self.read_tables([name], |tables| {
            let Some(table) = tables.tables.get(name) else {
                return Ok(None);
            };
            let units = match &target.index_name {
                None => table.billing_mode.provisioned_throughput(),
                Some(index) => table.index_throughput.get(index).copied(),
            };
            Ok(units.map(|units| match target.capacity {
                Capacity::Read => units.read_capacity_units,
                Capacity::Write => units.write_capacity_units,
            }))
        })
        .ok()
        .flatten()
    }

    /// Sets `target` to `units` with an `UpdateTable` at `at` (DynamoDB's limits apply), on
    /// `UpdateTable`'s own path.
    fn set_capacity(&self, target: &ScalableTarget, units: i64, at: SystemTime) -> Result<()> {
        let throughput = self.throughput.as_deref();
        self.write(|tables| {
            let table = tables.table_mut(&target.table_name)?;
            let with = |old: ProvisionedThroughput| match target.capacity {
                Capacity::Read => ProvisionedThroughput::new(units, old.write_capacity_units),
                Capacity::Write => ProvisionedThroughput::new(old.read_capacity_units, units),
            };
            let mut update = UpdateTable::new(&target.table_name);
            match &target.index_name {
                None => {
                    let old = table
                        .billing_mode
                        .provisioned_throughput()
                        .ok_or_else(|| Error::validation("on demand"))?;
                    let new = with(old);
                    update.billing_mode = Some(BillingMode::Provisioned {
                        read_capacity_units: new.read_capacity_units,
                        write_capacity_units: new.write_capacity_units,
                    });
                }
                Some(index) => {
                    let old = *table
                        .index_throughput
                        .get(index)
                        .ok_or_else(|| Error::validation("no such index"))?;
                    update = update.index_throughput(index, with(old));
                }
            }
            update_table(table, throughput, &update, at).map(|_| ())
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use notes_core::request::{DescribeScalingPolicies, DescribeTable};

    /// A provisioned `tbl` (5/5) on a throughput-enforcing backend at the start of a UTC day.
    async fn provisioned(clock: &crate::clock::ManualClock) -> MemoryBackend {
        use notes_core::Backend;
        use notes_core::request::CreateTable;
        let backend = MemoryBackend::builder()
            .clock(clock.clone())
            .enforce_throughput(true)
            .build();
        let schema = notes_model::KeySchema {
            partition_key: notes_model::KeyAttribute::new("id", notes_model::ScalarType::S),
            sort_key: None,
        };
        backend
            .create_table(
                CreateTable::new("tbl", schema).billing_mode(BillingMode::Provisioned {
                    read_capacity_units: 5,
                    write_capacity_units: 5,
                }),
            )
            .await
            .unwrap();
        backend
    }

    #[tokio::test]
    async fn raw_policies_are_checked_against_the_table() {
        use notes_core::Backend;
        let clock = crate::clock::ManualClock::new(SystemTime::UNIX_EPOCH);
        let backend = provisioned(&clock).await;
        let policy = |target| ScalingPolicy::new(target, 5, 10, 70.0);
        let err = backend
            .put_scaling_policy(policy(ScalableTarget::table("missing", Capacity::Read)))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
        let err = backend
            .put_scaling_policy(policy(ScalableTarget::index("tbl", "byX", Capacity::Read)))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        let bad = ScalingPolicy::new(ScalableTarget::table("tbl", Capacity::Read), 5, 10, 91.0);
        let err = backend.put_scaling_policy(bad).await.unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        backend
            .update_table(UpdateTable::new("tbl").billing_mode(BillingMode::PayPerRequest))
            .await
            .unwrap();
        let err = backend
            .put_scaling_policy(policy(ScalableTarget::table("tbl", Capacity::Read)))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        assert_eq!(
            backend
                .describe_scaling_policies(DescribeScalingPolicies::new("tbl"))
                .await
                .unwrap(),
            []
        );
    }

    /// A scale-in is an `UpdateTable` decrease: after 4 decreases today it waits until an hour
    /// after the last one, retried at each minute's end while utilization stays low.
    #[tokio::test]
    async fn scale_in_is_subject_to_the_decrease_limits() {
        use notes_core::Backend;
        let day = 20_000 * 86_400;
        let clock =
            crate::clock::ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(day));
        let backend = provisioned(&clock).await;
        let units = |write| {
            UpdateTable::new("tbl").billing_mode(BillingMode::Provisioned {
                read_capacity_units: 5,
                write_capacity_units: write,
            })
        };
        backend.update_table(units(100)).await.unwrap();
        for write in [90, 80, 70, 60] {
            backend.update_table(units(write)).await.unwrap(); // 4 decreases at 0 s
        }
        let target = ScalableTarget::table("tbl", Capacity::Write);
        backend
            .put_scaling_policy(ScalingPolicy::new(target, 1, 100, 70.0))
            .await
            .unwrap();
        let writes = |backend: MemoryBackend| async move {
            let table = backend
                .describe_table(DescribeTable::new("tbl"))
                .await
                .unwrap();
            table.provisioned_throughput().unwrap().write_capacity_units
        };
        // Idle from minute 0: the 15th low minute ends at 900 s, but the fifth decrease of
        // the day must wait until 3,600 s.
        clock.advance(Duration::from_secs(900));
        assert_eq!(writes(backend.clone()).await, 60);
        clock.advance(Duration::from_secs(2_699));
        assert_eq!(writes(backend.clone()).await, 60);
        clock.advance(Duration::from_secs(1));
        assert_eq!(writes(backend.clone()).await, 1);
    }
}
