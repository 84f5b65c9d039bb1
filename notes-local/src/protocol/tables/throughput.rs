//! `OnDemandThroughput` and `WarmThroughput` in the protocol: read from `CreateTable` and
//! `UpdateTable` (the table's and each global index's), rendered in a `TableDescription`. The
//! rules are the engine's (`notes_core::validate`, the engine's `UpdateTable`).
//!
//! A description shows `OnDemandThroughput` on an on-demand table and on its global indexes,
//! with -1 for a member without a maximum, as DynamoDB shows it; and every `WarmThroughput`
//! the engine reports, with its `Status`.

use notes_core::request::{
    OnDemandThroughput, TableDescription, TableStatus, WarmThroughput, WarmThroughputDescription,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::protocol::constraints::Violations;

/// An `OnDemandThroughput` as a request gives it.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct OnDemandShape {
    max_read_request_units: Option<i64>,
    max_write_request_units: Option<i64>,
}

impl OnDemandShape {
    /// The engine's `OnDemandThroughput`.
    pub(super) fn maximums(self) -> OnDemandThroughput {
        let mut max = OnDemandThroughput::new();
        max.max_read_request_units = self.max_read_request_units;
        max.max_write_request_units = self.max_write_request_units;
        max
    }
}

/// A `WarmThroughput` as a request gives it.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct WarmShape {
    read_units_per_second: Option<i64>,
    write_units_per_second: Option<i64>,
}

impl WarmShape {
    /// The engine's `WarmThroughput`.
    pub(super) fn warm(self) -> WarmThroughput {
        let mut warm = WarmThroughput::default();
        warm.read_units_per_second = self.read_units_per_second;
        warm.write_units_per_second = self.write_units_per_second;
        warm
    }

    /// DynamoDB's constraint on the members at `path`: at least 1.
    pub(super) fn check(self, path: &str, violations: &mut Violations) {
        for (member, value) in [
            ("readUnitsPerSecond", self.read_units_per_second),
            ("writeUnitsPerSecond", self.write_units_per_second),
        ] {
            if let Some(value) = value {
                violations.range(value, &format!("{path}.{member}"), Some(1), None);
            }
        }
    }
}

/// `OnDemandThroughput` as a description shows it: -1 for a member without a maximum.
fn maximums_json(max: Option<&OnDemandThroughput>) -> Value {
    let member = |units: Option<i64>| units.unwrap_or(OnDemandThroughput::REMOVE);
    json!({
        "MaxReadRequestUnits": member(max.and_then(|m| m.max_read_request_units)),
        "MaxWriteRequestUnits": member(max.and_then(|m| m.max_write_request_units)),
    })
}

/// `WarmThroughput` as a description shows it.
fn warm_json(warm: &WarmThroughputDescription) -> Value {
    let status = match &warm.status {
        TableStatus::Updating => "UPDATING",
        TableStatus::Creating => "CREATING",
        TableStatus::Deleting => "DELETING",
        TableStatus::Other(other) => other.as_str(),
        _ => "ACTIVE",
    };
    json!({
        "ReadUnitsPerSecond": warm.read_units_per_second,
        "WriteUnitsPerSecond": warm.write_units_per_second,
        "Status": status,
    })
}

/// Adds the table's `OnDemandThroughput` (on demand) and `WarmThroughput` to `description`.
pub(super) fn describe_table(table: &TableDescription, on_demand: bool, description: &mut Value) {
    if on_demand {
        description["OnDemandThroughput"] = maximums_json(table.on_demand_throughput.as_ref());
    }
    if let Some(warm) = &table.warm_throughput {
        description["WarmThroughput"] = warm_json(warm);
    }
}

/// Adds the global index `name`'s `OnDemandThroughput` (on demand) and `WarmThroughput` to
/// its description `index`.
pub(super) fn describe_index(
    table: &TableDescription,
    name: &str,
    on_demand: bool,
    index: &mut Value,
) {
    if on_demand {
        index["OnDemandThroughput"] = maximums_json(table.index_on_demand_throughput.get(name));
    }
    if let Some(warm) = table.index_warm_throughput.get(name) {
        index["WarmThroughput"] = warm_json(warm);
    }
}
