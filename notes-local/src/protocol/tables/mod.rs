//! DynamoDB's control plane on the engine: tables (`CreateTable`, `DescribeTable`,
//! `UpdateTable`, `DeleteTable`, `ListTables`), time to live, continuous backups, on-demand
//! backups and restores, tags, and `DescribeLimits` / `DescribeEndpoints` as the SDKs call
//! them. One module per family; this one dispatches and holds what they share (ARNs, the
//! table-name parameter, the engine's errors as these operations word them).
//!
//! What the engine does not model is answered as follows (each module says more):
//!
//! - Accepted and described, without changing behaviour: `TableClass`
//!   (`TableClassSummary`), `SSESpecification` (`SSEDescription`), kept by the service with
//!   the tables' tags (`Declared`: in memory, and in the engine's directory for a durable
//!   engine). `DeletionProtectionEnabled` is kept the same way and enforced by
//!   `DeleteTable`.
//! - Accepted and ignored: `ResourcePolicy` (access control is not modelled).
//! - The engine's: `OnDemandThroughput` (its maximums enforced when the engine enforces
//!   throughput) and `WarmThroughput` (reported as DynamoDB reports it), the table's and each
//!   global index's (`throughput.rs`).
//! - Refused with a `ValidationException` naming them: `UpdateTable`'s
//!   `GlobalSecondaryIndexUpdates` `Create` and `Delete` (the engine has no online index
//!   builds) and `ReplicaUpdates` (no global tables).

mod backups;
mod create;
mod delete;
mod describe;
mod limits;
mod list;
mod restores;
mod schema;
mod tags;
mod throughput;
mod ttl;
mod update;

pub(crate) use super::arns::{table_arn, table_of_arn};
use std::time::{SystemTime, UNIX_EPOCH};

use notes_core::Error;
use serde_json::Value;

use super::constraints::{Violations, required};
use super::{Answer, Service};
use crate::errors::ErrorAnswer;

pub(crate) use schema::key_schema_json;

/// Answers `operation` if it is one of this module's, else `None`.
pub(super) async fn call(service: &Service, operation: &str, body: &Value) -> Option<Answer> {
    Some(match operation {
        "CreateTable" => create::create_table(service, body).await,
        "DescribeTable" => describe::describe_table(service, body).await,
        "UpdateTable" => update::update_table(service, body).await,
        "DeleteTable" => delete::delete_table(service, body).await,
        "ListTables" => list::list_tables(service, body),
        "UpdateTimeToLive" => ttl::update_time_to_live(service, body).await,
        "DescribeTimeToLive" => ttl::describe_time_to_live(service, body),
        "UpdateContinuousBackups" => backups::update_continuous_backups(service, body).await,
        "DescribeContinuousBackups" => backups::describe_continuous_backups(service, body).await,
        "CreateBackup" => backups::create_backup(service, body).await,
        "DescribeBackup" => backups::describe_backup(service, body).await,
        "DeleteBackup" => backups::delete_backup(service, body).await,
        "ListBackups" => backups::list_backups(service, body).await,
        "RestoreTableFromBackup" => restores::restore_table_from_backup(service, body).await,
        "RestoreTableToPointInTime" => {
            restores::restore_table_to_point_in_time(service, body).await
        }
        "TagResource" => tags::tag_resource(service, body),
        "UntagResource" => tags::untag_resource(service, body),
        "ListTagsOfResource" => tags::list_tags_of_resource(service, body),
        "DescribeLimits" => Ok(limits::describe_limits()),
        "DescribeEndpoints" => Ok(limits::describe_endpoints(service)),
        _ => return None,
    })
}

/// DynamoDB's answer to a table operation on a missing table.
pub(crate) fn table_not_found(name: &str) -> ErrorAnswer {
    ErrorAnswer::client(
        "ResourceNotFoundException",
        format!("Requested resource not found: Table: {name} not found"),
    )
}

/// The engine's `err` as `operation` answers it: a missing table named, as the table
/// operations name it; the rest as every operation answers it.
pub(crate) fn engine_error(err: &Error, operation: &str) -> ErrorAnswer {
    match err {
        Error::TableNotFound { table, .. } => {
            let answer = ErrorAnswer::of(err, operation, 1);
            if answer.name == "ResourceNotFoundException" {
                table_not_found(table)
            } else {
                answer
            }
        }
        _ => ErrorAnswer::of(err, operation, 1),
    }
}

/// A time as DynamoDB's JSON writes it: epoch seconds, with the milliseconds as a fraction.
pub(crate) fn epoch_seconds(at: SystemTime) -> Value {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let millis = since.as_millis();
    // Whole seconds as an integer, so that they are not written `1.8e9`.
    if millis.is_multiple_of(1000) {
        return Value::from(since.as_secs());
    }
    #[allow(clippy::cast_precision_loss)] // epoch milliseconds fit a f64 exactly
    Value::from(millis as f64 / 1000.0)
}

/// The `TableName` parameter of a request that names one table: required, then its
/// constraints (pattern and length) among the request's other violations.
pub(crate) fn table_name<'a>(
    name: Option<&'a String>,
    violations: &mut Violations,
) -> Result<&'a str, ErrorAnswer> {
    let name = required(name, "TableName")?;
    violations.name(name, "tableName");
    Ok(name)
}

/// A request that names one table and nothing else: its name, checked.
pub(crate) fn only_table_name(body: &Value) -> Result<String, ErrorAnswer> {
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        table_name: Option<String>,
    }
    let request: Request = super::json::shape(body)?;
    let mut violations = Violations::default();
    let name = table_name(request.table_name.as_ref(), &mut violations)?.to_owned();
    violations.finish()?;
    Ok(name)
}

#[cfg(test)]
pub(crate) mod test_support;

#[cfg(test)]
mod sdk;
