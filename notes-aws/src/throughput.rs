//! On-demand maximums (`OnDemandThroughput`) and warm throughput (`WarmThroughput`) between
//! the crate's types and the SDK's: sent with `CreateTable` and `UpdateTable` (the table's
//! and each global index's), read back from a table's description.

use aws_sdk_dynamodb::types as sdk;

use notes_core::request::{
    OnDemandThroughput, TableDescription, TableStatus, WarmThroughput, WarmThroughputDescription,
};

use crate::status::table_status;

/// The SDK's `OnDemandThroughput` of `max`; `None` for one without members, which DynamoDB
/// takes as none.
pub(crate) fn to_sdk_on_demand(
    max: Option<&OnDemandThroughput>,
) -> Option<sdk::OnDemandThroughput> {
    let max = max.filter(|max| !max.is_empty())?;
    Some(
        sdk::OnDemandThroughput::builder()
            .set_max_read_request_units(max.max_read_request_units)
            .set_max_write_request_units(max.max_write_request_units)
            .build(),
    )
}

/// The SDK's `WarmThroughput` of `warm`; `None` for one without members.
pub(crate) fn to_sdk_warm(warm: Option<&WarmThroughput>) -> Option<sdk::WarmThroughput> {
    let warm = warm.filter(|warm| !warm.is_empty())?;
    Some(
        sdk::WarmThroughput::builder()
            .set_read_units_per_second(warm.read_units_per_second)
            .set_write_units_per_second(warm.write_units_per_second)
            .build(),
    )
}

/// Maximums as described: DynamoDB reports "no maximum" as -1, which is `None` here; `None`
/// when neither member is a maximum.
fn from_sdk_on_demand(max: Option<&sdk::OnDemandThroughput>) -> Option<OnDemandThroughput> {
    let max = max?;
    let set = |units: Option<i64>| units.filter(|units| *units != OnDemandThroughput::REMOVE);
    let mut described = OnDemandThroughput::new();
    described.max_read_request_units = set(max.max_read_request_units());
    described.max_write_request_units = set(max.max_write_request_units());
    (!described.is_empty()).then_some(described)
}

/// A global index's status as a [`TableStatus`] (the same four states).
fn index_status(status: Option<&sdk::IndexStatus>) -> TableStatus {
    match status {
        Some(sdk::IndexStatus::Active) => TableStatus::Active,
        Some(sdk::IndexStatus::Creating) => TableStatus::Creating,
        Some(sdk::IndexStatus::Updating) => TableStatus::Updating,
        Some(sdk::IndexStatus::Deleting) => TableStatus::Deleting,
        Some(other) => TableStatus::Other(other.as_str().to_owned()),
        None => TableStatus::Other(String::new()),
    }
}

/// Fills `answer`'s maximums and warm throughput, the table's and each global index's, from
/// the SDK's description.
pub(crate) fn describe(description: &sdk::TableDescription, answer: &mut TableDescription) {
    answer.on_demand_throughput = from_sdk_on_demand(description.on_demand_throughput());
    answer.warm_throughput = description.warm_throughput().map(|warm| {
        let mut described = WarmThroughputDescription::new(0, 0, table_status(warm.status()));
        described.read_units_per_second = warm.read_units_per_second();
        described.write_units_per_second = warm.write_units_per_second();
        described
    });
    for index in description.global_secondary_indexes() {
        let Some(name) = index.index_name() else {
            continue;
        };
        if let Some(max) = from_sdk_on_demand(index.on_demand_throughput()) {
            answer
                .index_on_demand_throughput
                .insert(name.to_owned(), max);
        }
        if let Some(warm) = index.warm_throughput() {
            let mut described = WarmThroughputDescription::new(0, 0, index_status(warm.status()));
            described.read_units_per_second = warm.read_units_per_second();
            described.write_units_per_second = warm.write_units_per_second();
            answer
                .index_warm_throughput
                .insert(name.to_owned(), described);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minus_one_is_no_maximum_and_an_empty_one_is_none() {
        let sdk_max = |read, write| {
            sdk::OnDemandThroughput::builder()
                .set_max_read_request_units(read)
                .set_max_write_request_units(write)
                .build()
        };
        assert_eq!(from_sdk_on_demand(Some(&sdk_max(Some(-1), Some(-1)))), None);
        assert_eq!(
            from_sdk_on_demand(Some(&sdk_max(Some(-1), Some(10)))),
            Some(OnDemandThroughput::new().max_write_request_units(10))
        );
        assert_eq!(to_sdk_on_demand(Some(&OnDemandThroughput::new())), None);
        assert_eq!(to_sdk_warm(Some(&WarmThroughput::default())), None);
    }
}
