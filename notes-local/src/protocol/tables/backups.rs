//! Continuous backups and on-demand backups: `UpdateContinuousBackups`,
//! `DescribeContinuousBackups`, `CreateBackup`, `DescribeBackup`, `DeleteBackup`,
//! `ListBackups`, on the engine's backups and change log (the restores are `restores`).
//!
//! Backup ARNs are the engine's, in this service's region. Backups are `USER` backups;
//! `ListBackups` with `BackupType` `SYSTEM` or `AWS_BACKUP` lists none. A backup's
//! `SourceTableDetails` give what the engine keeps of the source table (name, ARN, size, item
//! count, billing mode), not its key schema.

use notes_core::Backend;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use notes_core::Error;
use notes_core::request::{
    BackupArn, BackupDescription, BackupStatus, BackupSummary, BillingMode, CreateBackup,
    DescribeContinuousBackups, ListBackups, PointInTimeRecovery, UpdateContinuousBackups,
};
use notes_core::validate::{MAX_RECOVERY_PERIOD_DAYS, MIN_RECOVERY_PERIOD_DAYS};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{engine_error, epoch_seconds, table_arn, table_name};
use crate::errors::ErrorAnswer;
use crate::protocol::arns::{ENGINE_REGION, from_engine};
use crate::protocol::constraints::{Violations, required};
use crate::protocol::json::shape;
use crate::protocol::{ACCOUNT, Answer, Service};

/// The engine's error as the backup operations answer it: a missing table is
/// `TableNotFoundException` for all of them, a missing backup named by this service's ARN.
pub(super) fn backup_error(service: &Service, err: &Error, operation: &str) -> ErrorAnswer {
    match err {
        Error::TableNotFound { table, .. } => ErrorAnswer::client(
            "TableNotFoundException",
            format!("Table not found: {table}"),
        ),
        Error::BackupNotFound { backup_arn, .. } => ErrorAnswer::client(
            "BackupNotFoundException",
            format!(
                "Backup not found for the given BackupARN: {}",
                service_arn(service, backup_arn)
            ),
        ),
        _ => engine_error(err, operation),
    }
}

/// A backup ARN of the engine, in this service's region.
fn service_arn(service: &Service, arn: &BackupArn) -> String {
    from_engine(service, arn.as_str())
}

/// The engine's backup ARN for this service's `arn` (an ARN of another region or account
/// names no backup of this service: the engine answers it not found).
pub(super) fn engine_arn(service: &Service, arn: &str) -> BackupArn {
    let own = format!("arn:aws:dynamodb:{}:{ACCOUNT}:", service.region());
    match arn.strip_prefix(&own) {
        Some(rest) => BackupArn::new(format!("arn:aws:dynamodb:{ENGINE_REGION}:{ACCOUNT}:{rest}")),
        None => BackupArn::new(arn),
    }
}

/// The checked `BackupArn` of a request.
pub(super) fn backup_arn(
    arn: Option<&String>,
    violations: &mut Violations,
) -> Result<String, ErrorAnswer> {
    let arn = required(arn, "BackupArn")?;
    violations.length(arn, arn.chars().count(), "backupArn", Some(37), Some(1024));
    Ok(arn.clone())
}

/// A backup's status's name.
fn status(status: &BackupStatus) -> &str {
    match status {
        BackupStatus::Creating => "CREATING",
        BackupStatus::Available => "AVAILABLE",
        BackupStatus::Deleted => "DELETED",
        BackupStatus::Other(other) => other,
    }
}

/// `BackupDetails` (and, with the table's ARN, a `BackupSummary`'s common members).
fn details(service: &Service, backup: &BackupSummary) -> Value {
    let mut details = json!({
        "BackupArn": service_arn(service, &backup.backup_arn),
        "BackupName": backup.backup_name,
        "BackupStatus": status(&backup.status),
        "BackupType": "USER",
        "BackupCreationDateTime": epoch_seconds(backup.created_at),
    });
    if let Some(size) = backup.size_bytes {
        details["BackupSizeBytes"] = json!(size);
    }
    details
}

/// A `BackupDescription`.
fn description(service: &Service, backup: &BackupDescription) -> Value {
    let summary = &backup.summary;
    let mut source = json!({
        "TableName": summary.table_name,
        "TableArn": table_arn(service, &summary.table_name),
        "TableSizeBytes": summary.size_bytes.unwrap_or(0),
        "ItemCount": summary.item_count.unwrap_or(0),
    });
    match backup.billing_mode {
        Some(BillingMode::Provisioned {
            read_capacity_units,
            write_capacity_units,
        }) => {
            source["BillingMode"] = json!("PROVISIONED");
            source["ProvisionedThroughput"] = json!({
                "ReadCapacityUnits": read_capacity_units,
                "WriteCapacityUnits": write_capacity_units,
            });
        }
        Some(BillingMode::PayPerRequest) => {
            source["BillingMode"] = json!("PAY_PER_REQUEST");
            source["ProvisionedThroughput"] =
                json!({ "ReadCapacityUnits": 0, "WriteCapacityUnits": 0 });
        }
        None => {}
    }
    json!({
        "BackupDetails": details(service, summary),
        "SourceTableDetails": source,
    })
}

/// `UpdateContinuousBackups`: turns point-in-time recovery on or off, with its
/// `RecoveryPeriodInDays`; answers as `DescribeContinuousBackups`.
pub(super) async fn update_continuous_backups(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        table_name: Option<String>,
        point_in_time_recovery_specification: Option<Specification>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Specification {
        point_in_time_recovery_enabled: Option<bool>,
        recovery_period_in_days: Option<i64>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    let name = table_name(request.table_name.as_ref(), &mut violations)?.to_owned();
    let path = "pointInTimeRecoverySpecification";
    let specification = request.point_in_time_recovery_specification.as_ref();
    let mut update = UpdateContinuousBackups::new(&name, false);
    if let Some(specification) = violations.present(specification, path) {
        let at = format!("{path}.pointInTimeRecoveryEnabled");
        update.point_in_time_recovery_enabled = violations
            .present(specification.point_in_time_recovery_enabled.as_ref(), &at)
            .copied()
            .unwrap_or(false);
        if let Some(days) = specification.recovery_period_in_days {
            let at = format!("{path}.recoveryPeriodInDays");
            let (min, max) = (MIN_RECOVERY_PERIOD_DAYS, MAX_RECOVERY_PERIOD_DAYS);
            violations.range(days, &at, Some(min.into()), Some(max.into()));
            // In range when there is no violation; the engine refuses it while disabling.
            update.recovery_period_in_days = u32::try_from(days).ok();
        }
    }
    violations.finish()?;
    service
        .engine()
        .update_continuous_backups(update)
        .await
        .map_err(|err| backup_error(service, &err, "UpdateContinuousBackups"))?;
    continuous_backups(service, &name, "UpdateContinuousBackups").await
}

/// `DescribeContinuousBackups`: `{"ContinuousBackupsDescription": ...}`.
pub(super) async fn describe_continuous_backups(service: &Service, body: &Value) -> Answer {
    let name = super::only_table_name(body)?;
    continuous_backups(service, &name, "DescribeContinuousBackups").await
}

/// `ContinuousBackupsDescription` of the table `name`.
async fn continuous_backups(service: &Service, name: &str, operation: &str) -> Answer {
    let recovery = service
        .engine()
        .describe_continuous_backups(DescribeContinuousBackups::new(name))
        .await
        .map_err(|err| backup_error(service, &err, operation))?;
    let recovery = match recovery {
        PointInTimeRecovery::Enabled {
            earliest_restorable,
            latest_restorable,
            recovery_period_in_days,
        } => {
            let mut description = json!({
                "PointInTimeRecoveryStatus": "ENABLED",
                "EarliestRestorableDateTime": epoch_seconds(earliest_restorable),
                "LatestRestorableDateTime": epoch_seconds(latest_restorable),
            });
            if let Some(days) = recovery_period_in_days {
                description["RecoveryPeriodInDays"] = json!(days);
            }
            description
        }
        _ => json!({ "PointInTimeRecoveryStatus": "DISABLED" }),
    };
    Ok(json!({
        "ContinuousBackupsDescription": {
            "ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": recovery,
        },
    }))
}

/// `CreateBackup`: `{"BackupDetails": ...}`.
pub(super) async fn create_backup(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        table_name: Option<String>,
        backup_name: Option<String>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    let name = table_name(request.table_name.as_ref(), &mut violations)?.to_owned();
    let backup = required(request.backup_name, "BackupName")?;
    violations.name(&backup, "backupName");
    violations.finish()?;
    let created = service
        .engine()
        .create_backup(CreateBackup::new(&name, &backup))
        .await
        .map_err(|err| backup_error(service, &err, "CreateBackup"))?;
    Ok(json!({ "BackupDetails": details(service, &created.summary) }))
}

/// `DescribeBackup`: `{"BackupDescription": ...}`.
pub(super) async fn describe_backup(service: &Service, body: &Value) -> Answer {
    let arn = only_backup_arn(body)?;
    let backup = service
        .engine()
        .describe_backup(engine_arn(service, &arn))
        .await
        .map_err(|err| backup_error(service, &err, "DescribeBackup"))?;
    Ok(json!({ "BackupDescription": description(service, &backup) }))
}

/// `DeleteBackup`: `{"BackupDescription": ...}`, `DELETED`.
pub(super) async fn delete_backup(service: &Service, body: &Value) -> Answer {
    let arn = only_backup_arn(body)?;
    let backup = service
        .engine()
        .delete_backup(engine_arn(service, &arn))
        .await
        .map_err(|err| backup_error(service, &err, "DeleteBackup"))?;
    Ok(json!({ "BackupDescription": description(service, &backup) }))
}

/// A request that names one backup and nothing else: its ARN, checked.
fn only_backup_arn(body: &Value) -> Result<String, ErrorAnswer> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        backup_arn: Option<String>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    let arn = backup_arn(request.backup_arn.as_ref(), &mut violations)?;
    violations.finish()?;
    Ok(arn)
}

/// `ListBackups`: `{"BackupSummaries": [...], "LastEvaluatedBackupArn"?}`.
pub(super) async fn list_backups(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        table_name: Option<String>,
        limit: Option<i64>,
        time_range_lower_bound: Option<f64>,
        time_range_upper_bound: Option<f64>,
        exclusive_start_backup_arn: Option<String>,
        backup_type: Option<String>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    if let Some(name) = &request.table_name {
        violations.name(name, "tableName");
    }
    if let Some(limit) = request.limit {
        violations.range(limit, "limit", Some(1), Some(100));
    }
    if let Some(kind) = &request.backup_type {
        violations.one_of(kind, "backupType", &["USER", "SYSTEM", "AWS_BACKUP", "ALL"]);
    }
    violations.finish()?;
    if matches!(
        request.backup_type.as_deref(),
        Some("SYSTEM" | "AWS_BACKUP")
    ) {
        return Ok(json!({ "BackupSummaries": [] }));
    }
    let mut list = ListBackups::new();
    list.table_name = request.table_name;
    list.limit = request.limit.and_then(|l| u32::try_from(l).ok());
    list.time_range_lower_bound = request.time_range_lower_bound.map(instant);
    list.time_range_upper_bound = request.time_range_upper_bound.map(instant);
    list.exclusive_start_backup_arn = request
        .exclusive_start_backup_arn
        .map(|arn| engine_arn(service, &arn));
    let page = service
        .engine()
        .list_backups(list)
        .await
        .map_err(|err| backup_error(service, &err, "ListBackups"))?;
    let summaries: Vec<Value> = page
        .backups
        .iter()
        .map(|backup| {
            let mut summary = details(service, backup);
            summary["TableName"] = json!(backup.table_name);
            summary["TableArn"] = json!(table_arn(service, &backup.table_name));
            summary
        })
        .collect();
    let mut answer = json!({ "BackupSummaries": summaries });
    if let Some(last) = &page.last_evaluated_backup_arn {
        answer["LastEvaluatedBackupArn"] = json!(service_arn(service, last));
    }
    Ok(answer)
}

/// An instant given as epoch seconds (negative and non-finite ones as the epoch).
pub(super) fn instant(seconds: f64) -> SystemTime {
    UNIX_EPOCH + Duration::try_from_secs_f64(seconds).unwrap_or_default()
}

#[cfg(test)]
mod tests;
