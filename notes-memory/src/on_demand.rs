//! On-demand maximums (`OnDemandThroughput`): what an on-demand table and each of its global
//! indexes may serve at most, kept, changed by `UpdateTable`, reported by `DescribeTable`,
//! and enforced by the throughput buckets (`throughput.rs`, `meter.rs`).
//!
//! The rules that need no table are `notes_core::validate`'s. Those that do, and where they
//! come from:
//!
//! - A maximum is only for a table that is on demand after the update: "MaxReadRequestUnits
//!   for OnDemandThroughput cannot be specified when the table BillingMode is PROVISIONED"
//!   (DynamoDB's wording as dynoxide 3.2.0 captured it); a switch to provisioned drops the
//!   maximums.
//! - An update merges member by member: a member not given is kept, -1 removes it
//!   (API_OnDemandThroughput).
//! - An index update names an existing global index (the same answer as for its provisioned
//!   throughput, `provisioning.rs`).

use std::collections::BTreeMap;

use notes_core::request::{BillingMode, OnDemandThroughput, TableDescription, UpdateTable};
use notes_core::{Error, Result};

use super::throughput::Kind;

/// The maximums of a table and of its global indexes: a member `None` is no maximum (never
/// -1); an index without any has no entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Maximums {
    pub(crate) table: OnDemandThroughput,
    pub(crate) indexes: BTreeMap<String, OnDemandThroughput>,
}

impl Maximums {
    /// What a `CreateTable` (already validated) sets: its maximums, those without members left
    /// out.
    pub(crate) fn create(
        table: Option<OnDemandThroughput>,
        indexes: &BTreeMap<String, OnDemandThroughput>,
    ) -> Self {
        let mut maximums = Maximums {
            table: table.unwrap_or_default(),
            indexes: indexes.clone(),
        };
        maximums.indexes.retain(|_, max| !max.is_empty());
        maximums
    }

    /// The maximum of reads or writes of the table (`index: None`) or of a global index, in
    /// units a second, if it has one.
    pub(crate) fn rate(&self, index: Option<&str>, kind: Kind) -> Option<i64> {
        let max = match index {
            None => &self.table,
            Some(name) => self.indexes.get(name)?,
        };
        match kind {
            Kind::Read => max.max_read_request_units,
            Kind::Write => max.max_write_request_units,
        }
    }

    /// Refuses what an `UpdateTable` cannot do to maximums on this table: set one when the
    /// table is to be provisioned (`provisioned_after`), or name an index that is not one of
    /// `globals`.
    pub(crate) fn check_update(
        request: &UpdateTable,
        provisioned_after: bool,
        globals: &[String],
    ) -> Result<()> {
        if request
            .index_on_demand_throughput
            .keys()
            .any(|name| !globals.contains(name))
        {
            return Err(Error::validation(
                "This operation cannot be performed with given input values. Please contact \
                 DynamoDB service team for more info: Action Blocked: IndexUpdate",
            ));
        }
        let given = request
            .on_demand_throughput
            .iter()
            .chain(request.index_on_demand_throughput.values());
        for max in given {
            let member = [
                ("MaxReadRequestUnits", max.max_read_request_units),
                ("MaxWriteRequestUnits", max.max_write_request_units),
            ]
            .into_iter()
            .find_map(|(member, value)| value.map(|_| member));
            if let Some(member) = member.filter(|_| provisioned_after) {
                return Err(Error::validation(format!(
                    "One or more parameter values were invalid: {member} for \
                     OnDemandThroughput cannot be specified when the table BillingMode is \
                     PROVISIONED"
                )));
            }
        }
        Ok(())
    }

    /// Applies an accepted `UpdateTable` that leaves the table in `mode`: provisioned, no
    /// maximums; on demand, each given member replaces the one kept (-1: removed).
    pub(crate) fn update(&mut self, request: &UpdateTable, mode: BillingMode) {
        if let BillingMode::Provisioned { .. } = mode {
            *self = Maximums::default();
            return;
        }
        if let Some(change) = request.on_demand_throughput {
            merge(&mut self.table, change);
        }
        for (name, change) in &request.index_on_demand_throughput {
            let max = self.indexes.entry(name.clone()).or_default();
            merge(max, *change);
            if max.is_empty() {
                self.indexes.remove(name);
            }
        }
    }

    /// Reports the maximums in a description (the table's only when it has any).
    pub(crate) fn describe(&self, description: &mut TableDescription) {
        description.on_demand_throughput = (!self.table.is_empty()).then_some(self.table);
        description
            .index_on_demand_throughput
            .clone_from(&self.indexes);
    }
}

/// `change` over `kept`, member by member: a member given replaces the one kept, -1 removes
/// it.
fn merge(kept: &mut OnDemandThroughput, change: OnDemandThroughput) {
    let apply = |kept: &mut Option<i64>, change: Option<i64>| {
        if let Some(value) = change {
            *kept = (value != OnDemandThroughput::REMOVE).then_some(value);
        }
    };
    apply(
        &mut kept.max_read_request_units,
        change.max_read_request_units,
    );
    apply(
        &mut kept.max_write_request_units,
        change.max_write_request_units,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_update_merges_member_by_member_and_minus_one_removes() {
        let mut maximums = Maximums::create(
            Some(
                OnDemandThroughput::new()
                    .max_read_request_units(10)
                    .max_write_request_units(5),
            ),
            &BTreeMap::from([(
                "byStatus".to_owned(),
                OnDemandThroughput::new().max_read_request_units(3),
            )]),
        );
        let update = UpdateTable::new("t")
            .on_demand_throughput(
                OnDemandThroughput::new().max_write_request_units(OnDemandThroughput::REMOVE),
            )
            .index_on_demand_throughput(
                "byStatus",
                OnDemandThroughput::new().max_read_request_units(OnDemandThroughput::REMOVE),
            );
        maximums.update(&update, BillingMode::PayPerRequest);
        assert_eq!(maximums.rate(None, Kind::Read), Some(10));
        assert_eq!(maximums.rate(None, Kind::Write), None);
        assert!(maximums.indexes.is_empty());
        maximums.update(
            &UpdateTable::new("t"),
            BillingMode::Provisioned {
                read_capacity_units: 1,
                write_capacity_units: 1,
            },
        );
        assert_eq!(maximums, Maximums::default());
    }
}
