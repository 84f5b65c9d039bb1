//! On-demand maximums (`OnDemandThroughput`) and warm throughput (`WarmThroughput`) in
//! `CreateTable` and `UpdateTable`: the rules that need no table. (Those that do, an update's
//! billing mode and a table's current warm throughput, are the engine's.)
//!
//! The rules, and where they come from:
//!
//! - A maximum is at least 1 ("To specify a maximum OnDemandThroughput on your table, set the
//!   value of MaxReadRequestUnits as greater than or equal to 1"), or, in `UpdateTable`, -1
//!   ("To remove the maximum ... set the value ... to -1"; API_OnDemandThroughput); maximums
//!   are for on-demand tables only. The wording is DynamoDB's as dynoxide 3.2.0 captured it
//!   ("Requested MaxReadRequestUnits for OnDemandThroughput for table is outside of valid
//!   range"; "... cannot be specified when table BillingMode is PROVISIONED."); the index's
//!   names the index as the warm throughput messages do.
//! - Warm throughput members are at least 1 (API_WarmThroughput: "Valid Range: Minimum value
//!   of 1"), and at creation no lower than what the table has anyway: its provisioned units,
//!   or 12,000 reads and 4,000 writes a second for a new on-demand table ("New on-demand
//!   tables start with a warm throughput of 12,000 read units per second and 4,000 write units
//!   per second", developerguide/warm-throughput-scenarios.html), in the wording moto 5
//!   answers ("Requested ReadUnitsPerSecond for WarmThroughput for table is lower than initial
//!   throughput for OnDemand").
//! - An `OnDemandThroughput` or `WarmThroughput` without members is taken as none.

use crate::error::{Error, Result};
use crate::request::{
    BillingMode, CreateTable, OnDemandThroughput, ProvisionedThroughput, UpdateTable,
    WarmThroughput,
};

use super::INVALID;

/// The warm throughput of a new on-demand table or global index: reads, writes a second.
///
/// ```
/// assert_eq!(notes_core::validate::ON_DEMAND_WARM_THROUGHPUT, (12_000, 4_000));
/// ```
pub const ON_DEMAND_WARM_THROUGHPUT: (i64, i64) = (12_000, 4_000);

/// Checks the on-demand maximums and warm throughput of a `CreateTable`: each named index is
/// a global index of the request, maximums at least 1 and on an on-demand table only, warm
/// throughput at least 1 and at least the table's initial throughput. Shared by both backends
/// (the AWS one checks before sending).
///
/// ```
/// use notes_repo::{Item, Note, request::{BillingMode, CreateTable, OnDemandThroughput}};
///
/// let provisioned = CreateTable::new("notes", Note::KEY_SCHEMA)
///     .billing_mode(BillingMode::Provisioned { read_capacity_units: 5, write_capacity_units: 5 })
///     .on_demand_throughput(OnDemandThroughput::new().max_write_request_units(10));
/// let err = notes_core::validate::create_table_throughput(&provisioned).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "validation error: One or more parameter values were invalid: MaxWriteRequestUnits for \
///      OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED."
/// );
/// ```
///
/// # Errors
///
/// [`Error::Validation`] with DynamoDB's wording.
pub fn create_table_throughput(request: &CreateTable) -> Result<()> {
    let globals: Vec<&str> = request
        .indexes
        .iter()
        .filter(|i| i.kind == notes_model::IndexKind::Global)
        .map(|i| i.name.as_ref())
        .collect();
    let position = |name: &str, what: &str| {
        globals
            .iter()
            .position(|g| *g == name)
            .map(|p| p + 1)
            .ok_or_else(|| no_such_index(name, what))
    };
    let mut warm_fields = Vec::new();
    if let Some(warm) = request.warm_throughput {
        warm_fields.push(("warmThroughput".to_owned(), warm));
    }
    for (name, warm) in &request.index_warm_throughput {
        let n = position(name, "WarmThroughput")?;
        warm_fields.push((
            format!("globalSecondaryIndexes.{n}.member.warmThroughput"),
            *warm,
        ));
    }
    for name in request.index_on_demand_throughput.keys() {
        position(name, "OnDemandThroughput")?;
    }
    at_least_one(&warm_fields)?;

    let maximums = std::iter::once((None, request.on_demand_throughput.unwrap_or_default())).chain(
        request
            .index_on_demand_throughput
            .iter()
            .map(|(name, max)| (Some(name.as_str()), *max)),
    );
    for (index, max) in maximums {
        if let BillingMode::Provisioned { .. } = request.billing_mode
            && let Some((member, _)) = members(&max).find(|(_, v)| v.is_some())
        {
            return Err(Error::validation(format!(
                "{INVALID}{member} for OnDemandThroughput cannot be specified when table \
                 BillingMode is PROVISIONED."
            )));
        }
        in_range(index, &max, |v| v >= 1)?;
    }

    let provisioned = request.billing_mode.provisioned_throughput();
    if let Some(warm) = &request.warm_throughput {
        warm_throughput_floor(None, warm, provisioned)?;
    }
    for (name, warm) in &request.index_warm_throughput {
        warm_throughput_floor(Some(name), warm, provisioned)?;
    }
    Ok(())
}

/// Checks that `warm`, the warm throughput asked of the table (or of its global index
/// `index`), is no lower than what it has anyway: its `provisioned` units, or
/// [`ON_DEMAND_WARM_THROUGHPUT`] on demand.
///
/// ```
/// use notes_repo::request::{ProvisionedThroughput, WarmThroughput};
///
/// let warm = WarmThroughput::new(100, 100);
/// notes_core::validate::warm_throughput_floor(None, &warm, Some(ProvisionedThroughput::new(5, 5)))
///     .unwrap();
/// let err = notes_core::validate::warm_throughput_floor(Some("byStatus"), &warm, None).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "validation error: One or more parameter values were invalid: Requested \
///      ReadUnitsPerSecond for WarmThroughput for index byStatus is lower than initial \
///      throughput for OnDemand"
/// );
/// ```
///
/// # Errors
///
/// [`Error::Validation`] naming the first member too low.
pub fn warm_throughput_floor(
    index: Option<&str>,
    warm: &WarmThroughput,
    provisioned: Option<ProvisionedThroughput>,
) -> Result<()> {
    let (read_floor, write_floor) = provisioned.map_or(ON_DEMAND_WARM_THROUGHPUT, |units| {
        (units.read_capacity_units, units.write_capacity_units)
    });
    for (member, value, floor, units) in [
        (
            "ReadUnitsPerSecond",
            warm.read_units_per_second,
            read_floor,
            "ReadCapacityUnits",
        ),
        (
            "WriteUnitsPerSecond",
            warm.write_units_per_second,
            write_floor,
            "WriteCapacityUnits",
        ),
    ] {
        if value.is_some_and(|v| v < floor) {
            let what = match provisioned {
                Some(_) => format!("{units} of ProvisionedThroughput"),
                None => "initial throughput for OnDemand".to_owned(),
            };
            return Err(Error::validation(format!(
                "{INVALID}Requested {member} for WarmThroughput for {} is lower than {what}",
                resource(index)
            )));
        }
    }
    Ok(())
}

/// The rules of [`update_table`](super::update_table) on on-demand maximums and warm
/// throughput: maximums at least 1 or -1, warm throughput at least 1.
pub(super) fn update_table_throughput(request: &UpdateTable) -> Result<()> {
    let updated = request.updated_indexes();
    let mut warm_fields = Vec::new();
    if let Some(warm) = request.warm_throughput {
        warm_fields.push(("warmThroughput".to_owned(), warm));
    }
    for (name, warm) in &request.index_warm_throughput {
        let n = updated.iter().position(|u| u == name).unwrap_or(0) + 1;
        warm_fields.push((
            format!("globalSecondaryIndexUpdates.{n}.member.update.warmThroughput"),
            *warm,
        ));
    }
    at_least_one(&warm_fields)?;
    let maximums = request
        .on_demand_throughput
        .map(|max| (None, max))
        .into_iter()
        .chain(
            request
                .index_on_demand_throughput
                .iter()
                .map(|(name, max)| (Some(name.as_str()), *max)),
        );
    for (index, max) in maximums {
        in_range(index, &max, |v| v >= 1 || v == OnDemandThroughput::REMOVE)?;
    }
    Ok(())
}

/// Whether an `UpdateTable` changes a maximum or a warm throughput (one without members
/// changes nothing).
pub(super) fn changes_throughput(request: &UpdateTable) -> bool {
    request.on_demand_throughput.is_some_and(|m| !m.is_empty())
        || request.warm_throughput.is_some_and(|w| !w.is_empty())
        || request
            .index_on_demand_throughput
            .values()
            .any(|m| !m.is_empty())
        || request
            .index_warm_throughput
            .values()
            .any(|w| !w.is_empty())
}

/// `MaxReadRequestUnits` and `MaxWriteRequestUnits`, with their values.
fn members(max: &OnDemandThroughput) -> impl Iterator<Item = (&'static str, Option<i64>)> {
    [
        ("MaxReadRequestUnits", max.max_read_request_units),
        ("MaxWriteRequestUnits", max.max_write_request_units),
    ]
    .into_iter()
}

/// `table`, or `index <name>`.
fn resource(index: Option<&str>) -> String {
    index.map_or_else(|| "table".to_owned(), |name| format!("index {name}"))
}

/// Each member of `max` that is set satisfies `valid`.
fn in_range(
    index: Option<&str>,
    max: &OnDemandThroughput,
    valid: impl Fn(i64) -> bool,
) -> Result<()> {
    match members(max).find(|(_, v)| v.is_some_and(|v| !valid(v))) {
        Some((member, _)) => Err(Error::validation(format!(
            "{INVALID}Requested {member} for OnDemandThroughput for {} is outside of valid \
             range",
            resource(index)
        ))),
        None => Ok(()),
    }
}

/// DynamoDB's constraint on each warm throughput member (`field` is where it sits in the
/// request): at least 1, every violation in one message.
fn at_least_one(fields: &[(String, WarmThroughput)]) -> Result<()> {
    let mut errors = Vec::new();
    for (field, warm) in fields {
        for (member, value) in [
            ("readUnitsPerSecond", warm.read_units_per_second),
            ("writeUnitsPerSecond", warm.write_units_per_second),
        ] {
            if let Some(value) = value.filter(|v| *v < 1) {
                errors.push(format!(
                    "Value '{value}' at '{field}.{member}' failed to satisfy constraint: Member \
                     must have value greater than or equal to 1"
                ));
            }
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    errors.truncate(10);
    let s = if errors.len() == 1 { "" } else { "s" };
    Err(Error::validation(format!(
        "{} validation error{s} detected: {}",
        errors.len(),
        errors.join("; ")
    )))
}

/// A `CreateTable` setting for an index the request does not create.
fn no_such_index(name: &str, what: &str) -> Error {
    Error::validation(format!(
        "{INVALID}{what} is given for index {name}, which is not a global secondary index of \
         the table"
    ))
}

#[cfg(test)]
mod tests {
    use notes_model::{
        IndexKind, IndexProjection, IndexSchema, KeyAttribute, KeySchema, ScalarType,
    };

    use super::*;
    use crate::validate::test_values::{message, schema};

    fn by_status() -> IndexSchema {
        IndexSchema {
            name: "byStatus".into(),
            kind: IndexKind::Global,
            key_schema: KeySchema {
                partition_key: KeyAttribute::new("status", ScalarType::S),
                sort_key: None,
            },
            projection: IndexProjection::KeysOnly,
            additional_keys: Default::default(),
        }
    }

    fn on_demand() -> CreateTable {
        CreateTable::new("notes", schema()).indexes(vec![by_status()])
    }

    fn provisioned() -> CreateTable {
        on_demand().billing_mode(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 7,
        })
    }

    #[test]
    fn maximums_are_at_least_one_and_for_on_demand_tables_only() {
        let max = |read, write| OnDemandThroughput {
            max_read_request_units: read,
            max_write_request_units: write,
        };
        assert_eq!(
            message(create_table_throughput(
                &provisioned().index_on_demand_throughput("byStatus", max(Some(1), None))
            )),
            "One or more parameter values were invalid: MaxReadRequestUnits for \
             OnDemandThroughput cannot be specified when table BillingMode is PROVISIONED."
        );
        // No members: as if none were given.
        create_table_throughput(&provisioned().on_demand_throughput(max(None, None))).unwrap();
        assert_eq!(
            message(create_table_throughput(
                &on_demand().on_demand_throughput(max(Some(5), Some(-1)))
            )),
            "One or more parameter values were invalid: Requested MaxWriteRequestUnits for \
             OnDemandThroughput for table is outside of valid range"
        );
        assert_eq!(
            message(create_table_throughput(
                &on_demand().index_on_demand_throughput("byStatus", max(Some(0), None))
            )),
            "One or more parameter values were invalid: Requested MaxReadRequestUnits for \
             OnDemandThroughput for index byStatus is outside of valid range"
        );
        assert_eq!(
            message(create_table_throughput(
                &on_demand().index_on_demand_throughput("byTag", max(Some(1), None))
            )),
            "One or more parameter values were invalid: OnDemandThroughput is given for index \
             byTag, which is not a global secondary index of the table"
        );
        create_table_throughput(
            &on_demand()
                .on_demand_throughput(max(Some(1), Some(40_000)))
                .index_on_demand_throughput("byStatus", max(None, Some(3))),
        )
        .unwrap();
    }

    #[test]
    fn warm_throughput_starts_at_what_the_table_has() {
        assert_eq!(
            message(create_table_throughput(
                &on_demand().warm_throughput(WarmThroughput::new(12_000, 3_999))
            )),
            "One or more parameter values were invalid: Requested WriteUnitsPerSecond for \
             WarmThroughput for table is lower than initial throughput for OnDemand"
        );
        assert_eq!(
            message(create_table_throughput(
                &provisioned().index_warm_throughput("byStatus", WarmThroughput::new(4, 7))
            )),
            "One or more parameter values were invalid: Requested ReadUnitsPerSecond for \
             WarmThroughput for index byStatus is lower than ReadCapacityUnits of \
             ProvisionedThroughput"
        );
        assert_eq!(
            message(create_table_throughput(
                &provisioned()
                    .warm_throughput(WarmThroughput::new(0, 7))
                    .index_warm_throughput(
                        "byStatus",
                        WarmThroughput::default().write_units_per_second(-2)
                    )
            )),
            "2 validation errors detected: Value '0' at 'warmThroughput.readUnitsPerSecond' \
             failed to satisfy constraint: Member must have value greater than or equal to 1; \
             Value '-2' at 'globalSecondaryIndexes.1.member.warmThroughput.writeUnitsPerSecond' \
             failed to satisfy constraint: Member must have value greater than or equal to 1"
        );
        create_table_throughput(
            &provisioned()
                .warm_throughput(WarmThroughput::new(5, 7))
                .index_warm_throughput("byStatus", WarmThroughput::new(50, 70)),
        )
        .unwrap();
        create_table_throughput(&on_demand().warm_throughput(WarmThroughput::new(12_000, 4_000)))
            .unwrap();
    }

    #[test]
    fn an_update_removes_a_maximum_with_minus_one() {
        let update = |max: OnDemandThroughput| UpdateTable::new("notes").on_demand_throughput(max);
        update_table_throughput(&update(
            OnDemandThroughput::new().max_read_request_units(OnDemandThroughput::REMOVE),
        ))
        .unwrap();
        assert_eq!(
            message(update_table_throughput(&update(
                OnDemandThroughput::new().max_read_request_units(-2)
            ))),
            "One or more parameter values were invalid: Requested MaxReadRequestUnits for \
             OnDemandThroughput for table is outside of valid range"
        );
        let warm = UpdateTable::new("notes")
            .index_throughput("a", crate::request::ProvisionedThroughput::new(1, 1))
            .index_warm_throughput("b", WarmThroughput::new(1, 0));
        assert_eq!(
            message(update_table_throughput(&warm)),
            "1 validation error detected: Value '0' at \
             'globalSecondaryIndexUpdates.2.member.update.warmThroughput.writeUnitsPerSecond' \
             failed to satisfy constraint: Member must have value greater than or equal to 1"
        );
    }
}
