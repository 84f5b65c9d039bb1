//! The rules on provisioned throughput and auto scaling that need no table: units within
//! bounds in `UpdateTable`, an auto scaling policy's bounds and target.

use crate::error::{Error, Result};
use crate::request::{BillingMode, UpdateTable};

/// DynamoDB's upper bound on a capacity unit setting.
pub const MAX_UNITS: i64 = 1_000_000_000_000;

/// The lowest target utilization DynamoDB auto scaling accepts, in percent.
///
/// "You can set the automatic scaling target utilization values between 20 and 90 percent
/// for your read and write capacity"
/// (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.html>).
///
/// ```
/// assert_eq!(notes_core::validate::MIN_TARGET_UTILIZATION, 20.0);
/// ```
pub const MIN_TARGET_UTILIZATION: f64 = 20.0;

/// The highest target utilization DynamoDB auto scaling accepts, in percent (see
/// [`MIN_TARGET_UTILIZATION`]).
///
/// ```
/// assert_eq!(notes_core::validate::MAX_TARGET_UTILIZATION, 90.0);
/// ```
pub const MAX_TARGET_UTILIZATION: f64 = 90.0;

/// DynamoDB's rules on an auto scaling policy: `min` at least 1, `max` at least `min`, the
/// target utilization between [`MIN_TARGET_UTILIZATION`] and [`MAX_TARGET_UTILIZATION`].
///
/// # Errors
///
/// [`Error::Validation`] naming the setting.
pub fn scaling_policy(min: i64, max: i64, target_utilization: f64) -> Result<()> {
    if min < 1 {
        return Err(Error::validation(format!(
            "auto scaling `min` (MinCapacity) must be at least 1 capacity unit: got {min}"
        )));
    }
    if max < min {
        return Err(Error::validation(format!(
            "auto scaling `max` (MaxCapacity) must be at least `min` ({min}): got {max}"
        )));
    }
    if !(MIN_TARGET_UTILIZATION..=MAX_TARGET_UTILIZATION).contains(&target_utilization) {
        return Err(Error::validation(format!(
            "auto scaling `target_utilization` (TargetValue) must be between \
             {MIN_TARGET_UTILIZATION} and {MAX_TARGET_UTILIZATION} percent for DynamoDB: got \
             {target_utilization}"
        )));
    }
    Ok(())
}

/// Checks what `UpdateTable` can check without the table: units within bounds, something to
/// change. Shared by both backends (the AWS one checks before sending).
///
/// # Errors
///
/// [`Error::Validation`] with DynamoDB's wording, up to ten problems in one message.
pub fn update_table(request: &UpdateTable) -> Result<()> {
    let mut errors = Vec::new();
    let mut check = |field: String, value: i64| {
        if value < 1 {
            errors.push(format!(
                "Value '{value}' at '{field}' failed to satisfy constraint: Member must have \
                 value greater than or equal to 1"
            ));
        }
    };
    if let Some(BillingMode::Provisioned {
        read_capacity_units,
        write_capacity_units,
    }) = request.billing_mode
    {
        check(
            "provisionedThroughput.writeCapacityUnits".into(),
            write_capacity_units,
        );
        check(
            "provisionedThroughput.readCapacityUnits".into(),
            read_capacity_units,
        );
    }
    let updated = request.updated_indexes();
    for (name, throughput) in &request.index_throughput {
        let i = updated.iter().position(|u| u == name).unwrap_or(0);
        let field = |unit| {
            format!(
                "globalSecondaryIndexUpdates.{}.member.update.provisionedThroughput.{unit}",
                i + 1
            )
        };
        check(field("writeCapacityUnits"), throughput.write_capacity_units);
        check(field("readCapacityUnits"), throughput.read_capacity_units);
    }
    if !errors.is_empty() {
        errors.truncate(10);
        let s = if errors.len() == 1 { "" } else { "s" };
        return Err(Error::validation(format!(
            "{} validation error{s} detected: {}",
            errors.len(),
            errors.join("; ")
        )));
    }
    let units = match request.billing_mode {
        Some(BillingMode::Provisioned {
            read_capacity_units,
            write_capacity_units,
        }) => vec![(read_capacity_units, write_capacity_units)],
        _ => Vec::new(),
    };
    let indexes = request
        .index_throughput
        .values()
        .map(|t| (t.read_capacity_units, t.write_capacity_units));
    for (read, write) in units.into_iter().chain(indexes) {
        for (name, value) in [("ReadCapacityUnits", read), ("WriteCapacityUnits", write)] {
            if value > MAX_UNITS {
                return Err(Error::validation(format!(
                    "Given value {value} for {name} is out of bounds"
                )));
            }
        }
    }
    super::throughput::update_table_throughput(request)?;
    if request.billing_mode.is_none()
        && request.index_throughput.is_empty()
        && request.stream_specification.is_none()
        && !super::throughput::changes_throughput(request)
    {
        return Err(Error::validation(
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, \
             GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required",
        ));
    }
    Ok(())
}
