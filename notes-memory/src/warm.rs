//! Warm throughput (`WarmThroughput`): the reads and writes a second a table and each of its
//! global indexes serve at once, kept, raised by `CreateTable` and `UpdateTable`, reported by
//! `DescribeTable`. MemoryBackend has nothing to warm: the values are what DynamoDB would
//! report, nothing is throttled by them.
//!
//! The model, and where it comes from:
//!
//! - A new on-demand table or global index starts at 12,000 reads and 4,000 writes a second;
//!   a provisioned one at its capacity units ("New on-demand tables start with a warm
//!   throughput of 12,000 read units per second and 4,000 write units per second"; a
//!   provisioned table's "warm throughput will automatically adjust" as its provisioned
//!   throughput rises: developerguide/warm-throughput-scenarios.html). `CreateTable` may ask
//!   for more (`notes_core::validate::create_table_throughput` refuses less).
//! - It follows the throughput up and never comes down by itself: raising provisioned units
//!   past it raises it; switching to on demand raises it to the on-demand start at least;
//!   lowering units or switching to provisioned leaves it.
//! - `UpdateTable` may raise a table's ("For the base table, this value cannot be
//!   decreased"), and set a global index's higher or lower ("For a global secondary index,
//!   this value can be increased or decreased", the Terraform AWS provider's documentation of
//!   the API), down to what the index has anyway. The table's refusal is worded like
//!   DynamoDB's other warm throughput messages; its exact text is not documented.
//! - DynamoDB applies a change asynchronously (`Status` `UPDATING`, then `ACTIVE`): the
//!   `UpdateTable` answer says `UPDATING` for what the request changed; MemoryBackend applies
//!   it at once, so `DescribeTable` says `ACTIVE`.

use std::collections::BTreeMap;

use notes_core::request::{
    BillingMode, CreateTable, ProvisionedThroughput, TableDescription, TableStatus, UpdateTable,
    WarmThroughput, WarmThroughputDescription,
};
use notes_core::validate::{ON_DEMAND_WARM_THROUGHPUT, warm_throughput_floor};
use notes_core::{Error, Result};

/// Units a second, reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Units {
    pub(crate) read: i64,
    pub(crate) write: i64,
}

impl Units {
    /// What a table or index has anyway: its `provisioned` units, or the on-demand start.
    fn floor(provisioned: Option<ProvisionedThroughput>) -> Units {
        let (read, write) = provisioned.map_or(ON_DEMAND_WARM_THROUGHPUT, |units| {
            (units.read_capacity_units, units.write_capacity_units)
        });
        Units { read, write }
    }

    /// Each member the larger of the two.
    fn max(self, other: Units) -> Units {
        Units {
            read: self.read.max(other.read),
            write: self.write.max(other.write),
        }
    }

    /// These units with the members `warm` gives instead.
    fn with(self, warm: &WarmThroughput) -> Units {
        Units {
            read: warm.read_units_per_second.unwrap_or(self.read),
            write: warm.write_units_per_second.unwrap_or(self.write),
        }
    }

    fn description(self) -> WarmThroughputDescription {
        WarmThroughputDescription::new(self.read, self.write, TableStatus::Active)
    }
}

/// The warm throughput of a table and of each of its global indexes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Warm {
    pub(crate) table: Units,
    pub(crate) indexes: BTreeMap<String, Units>,
}

impl Warm {
    /// A new table's, billed by `mode`, with these global indexes and their provisioned
    /// units (empty on demand).
    pub(crate) fn initial<'a>(
        mode: BillingMode,
        globals: impl Iterator<Item = &'a str>,
        index_throughput: &BTreeMap<String, ProvisionedThroughput>,
    ) -> Warm {
        Warm {
            table: Units::floor(mode.provisioned_throughput()),
            indexes: globals
                .map(|name| {
                    let units = Units::floor(index_throughput.get(name).copied());
                    (name.to_owned(), units)
                })
                .collect(),
        }
    }

    /// Raises a new table's to what its (validated) `CreateTable` asks.
    pub(crate) fn create(&mut self, request: &CreateTable) {
        if let Some(warm) = &request.warm_throughput {
            self.table = self.table.with(warm);
        }
        for (name, warm) in &request.index_warm_throughput {
            if let Some(units) = self.indexes.get_mut(name) {
                *units = units.with(warm);
            }
        }
    }

    /// Refuses what an `UpdateTable` cannot do to warm throughput: lower the table's, name an
    /// index that is not one of `globals`, set an index's below what it has anyway
    /// (`index_throughput`: each global index's units after the update, empty on demand).
    pub(crate) fn check_update(
        &self,
        request: &UpdateTable,
        globals: &[String],
        index_throughput: &BTreeMap<String, ProvisionedThroughput>,
    ) -> Result<()> {
        if request
            .index_warm_throughput
            .keys()
            .any(|name| !globals.contains(name))
        {
            return Err(Error::validation(
                "This operation cannot be performed with given input values. Please contact \
                 DynamoDB service team for more info: Action Blocked: IndexUpdate",
            ));
        }
        if let Some(warm) = &request.warm_throughput {
            for (member, asked, current) in [
                (
                    "ReadUnitsPerSecond",
                    warm.read_units_per_second,
                    self.table.read,
                ),
                (
                    "WriteUnitsPerSecond",
                    warm.write_units_per_second,
                    self.table.write,
                ),
            ] {
                if asked.is_some_and(|asked| asked < current) {
                    return Err(Error::validation(format!(
                        "One or more parameter values were invalid: Requested {member} for \
                         WarmThroughput for table is lower than current WarmThroughput \
                         ({current})"
                    )));
                }
            }
        }
        for (name, warm) in &request.index_warm_throughput {
            warm_throughput_floor(Some(name), warm, index_throughput.get(name).copied())?;
        }
        Ok(())
    }

    /// Applies an accepted `UpdateTable` that leaves the table in `mode`, its global indexes
    /// at `index_throughput` (empty on demand): what it asks, then each raised to what the
    /// throughput gives anyway.
    pub(crate) fn update(
        &mut self,
        request: &UpdateTable,
        mode: BillingMode,
        index_throughput: &BTreeMap<String, ProvisionedThroughput>,
    ) {
        if let Some(warm) = &request.warm_throughput {
            self.table = self.table.with(warm);
        }
        self.table = self.table.max(Units::floor(mode.provisioned_throughput()));
        for (name, units) in &mut self.indexes {
            if let Some(warm) = request.index_warm_throughput.get(name) {
                *units = units.with(warm);
            }
            *units = units.max(Units::floor(index_throughput.get(name).copied()));
        }
    }

    /// Reports the warm throughput in a description: `ACTIVE`, all of it.
    pub(crate) fn describe(&self, description: &mut TableDescription) {
        description.warm_throughput = Some(self.table.description());
        description.index_warm_throughput = self
            .indexes
            .iter()
            .map(|(name, units)| (name.clone(), units.description()))
            .collect();
    }

    /// Marks what `request` changed as `UPDATING` in its answer.
    pub(crate) fn mark_updating(request: &UpdateTable, answer: &mut TableDescription) {
        if request.warm_throughput.is_some_and(|w| !w.is_empty())
            && let Some(table) = answer.warm_throughput.as_mut()
        {
            table.status = TableStatus::Updating;
        }
        for (name, warm) in &request.index_warm_throughput {
            if !warm.is_empty()
                && let Some(index) = answer.index_warm_throughput.get_mut(name)
            {
                index.status = TableStatus::Updating;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provisioned(read: i64, write: i64) -> BillingMode {
        BillingMode::Provisioned {
            read_capacity_units: read,
            write_capacity_units: write,
        }
    }

    #[test]
    fn warm_throughput_follows_the_throughput_up_and_never_down() {
        let units = BTreeMap::from([("g".to_owned(), ProvisionedThroughput::new(5, 5))]);
        let mut warm = Warm::initial(provisioned(5, 5), ["g"].into_iter(), &units);
        assert_eq!(warm.table, Units { read: 5, write: 5 });
        let raised = BTreeMap::from([("g".to_owned(), ProvisionedThroughput::new(50, 1))]);
        warm.update(&UpdateTable::new("t"), provisioned(100, 1), &raised);
        assert_eq!(
            warm.table,
            Units {
                read: 100,
                write: 5
            }
        );
        assert_eq!(warm.indexes["g"], Units { read: 50, write: 5 });
        warm.update(
            &UpdateTable::new("t"),
            BillingMode::PayPerRequest,
            &BTreeMap::new(),
        );
        assert_eq!(
            warm.table,
            Units {
                read: 12_000,
                write: 4_000
            }
        );
        // A global index's may come down, to what it has anyway.
        let lower =
            UpdateTable::new("t").index_warm_throughput("g", WarmThroughput::new(12_000, 4_000));
        warm.check_update(&lower, &["g".to_owned()], &BTreeMap::new())
            .unwrap();
        let table_lower = UpdateTable::new("t").warm_throughput(WarmThroughput::new(11_999, 4_000));
        assert_eq!(
            warm.check_update(&table_lower, &[], &BTreeMap::new())
                .unwrap_err()
                .to_string(),
            "validation error: One or more parameter values were invalid: Requested \
             ReadUnitsPerSecond for WarmThroughput for table is lower than current \
             WarmThroughput (12000)"
        );
    }
}
