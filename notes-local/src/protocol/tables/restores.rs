//! The restores: `RestoreTableFromBackup` and `RestoreTableToPointInTime`, into a new table
//! described with its `RestoreSummary`.
//!
//! A restore's overrides (`BillingModeOverride`, `GlobalSecondaryIndexOverride`,
//! `LocalSecondaryIndexOverride`, `ProvisionedThroughputOverride`,
//! `OnDemandThroughputOverride`) are refused as unsupported: the restored table has the
//! source's definition; `SSESpecificationOverride` is kept as the table's setting.

use std::time::SystemTime;

use notes_core::Backend;
use notes_core::request::{
    RestoreTableFromBackup, RestoreTableToPointInTime, RestoreTime, TableDescription,
};
use serde::Deserialize;
use serde_json::{Value, json};

use super::backups::{backup_arn, backup_error, engine_arn, instant};
use super::describe::table_description;
use super::{engine_error, epoch_seconds, table_arn, table_of_arn};
use crate::errors::ErrorAnswer;
use crate::protocol::constraints::{Violations, required};
use crate::protocol::declared::SseShape;
use crate::protocol::json::shape;
use crate::protocol::{Answer, Service};

/// The overrides a restore does not support, named when given.
fn refuse_overrides(body: &Value) -> Result<(), ErrorAnswer> {
    for name in [
        "BillingModeOverride",
        "GlobalSecondaryIndexOverride",
        "LocalSecondaryIndexOverride",
        "ProvisionedThroughputOverride",
        "OnDemandThroughputOverride",
    ] {
        if body.get(name).is_some_and(|v| !v.is_null()) {
            return Err(ErrorAnswer::validation(format!(
                "{name} is not supported by this server: a restored table has its source's \
                 definition"
            )));
        }
    }
    Ok(())
}

/// A restored table's description, with its `RestoreSummary`, and its SSE setting.
fn restored(
    service: &Service,
    table: &TableDescription,
    source_backup: Option<String>,
    source_table: &str,
    at: SystemTime,
    sse: Option<&SseShape>,
) -> Answer {
    if let Some(sse) = sse {
        let created = service
            .engine()
            .table_facts(&table.table_name)
            .map_err(|err| engine_error(&err, "RestoreTableFromBackup"))?
            .created_at;
        service.tables.change(
            &table.table_name,
            created,
            "RestoreTableFromBackup",
            |entry| {
                entry.settings.sse = sse.sse();
                Ok(())
            },
        )?;
    }
    let mut description = table_description(service, table)?;
    let mut summary = json!({
        "SourceTableArn": table_arn(service, source_table),
        "RestoreDateTime": epoch_seconds(at),
        "RestoreInProgress": false,
    });
    if let Some(arn) = source_backup {
        summary["SourceBackupArn"] = json!(arn);
    }
    description["RestoreSummary"] = summary;
    Ok(json!({ "TableDescription": description }))
}

/// `RestoreTableFromBackup`: `{"TableDescription": ...}`.
pub(super) async fn restore_table_from_backup(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        target_table_name: Option<String>,
        backup_arn: Option<String>,
        #[serde(rename = "SSESpecificationOverride")]
        sse_specification_override: Option<SseShape>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    let target = required(request.target_table_name.as_ref(), "TargetTableName")?;
    violations.name(target, "targetTableName");
    let arn = backup_arn(request.backup_arn.as_ref(), &mut violations)?;
    if let Some(sse) = &request.sse_specification_override {
        sse.check("sSESpecificationOverride", &mut violations);
    }
    violations.finish()?;
    refuse_overrides(body)?;
    let engine = service.engine();
    let backup_arn = engine_arn(service, &arn);
    let backup = engine
        .describe_backup(backup_arn.clone())
        .await
        .map_err(|err| backup_error(service, &err, "RestoreTableFromBackup"))?;
    let table = engine
        .restore_table_from_backup(RestoreTableFromBackup::new(backup_arn, target))
        .await
        .map_err(|err| backup_error(service, &err, "RestoreTableFromBackup"))?;
    let at = engine.now();
    restored(
        service,
        &table,
        Some(arn),
        &backup.summary.table_name,
        at,
        request.sse_specification_override.as_ref(),
    )
}

/// `RestoreTableToPointInTime`: `{"TableDescription": ...}`.
pub(super) async fn restore_table_to_point_in_time(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        source_table_arn: Option<String>,
        source_table_name: Option<String>,
        target_table_name: Option<String>,
        use_latest_restorable_time: Option<bool>,
        restore_date_time: Option<f64>,
        #[serde(rename = "SSESpecificationOverride")]
        sse_specification_override: Option<SseShape>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    if let Some(name) = &request.source_table_name {
        violations.name(name, "sourceTableName");
    }
    let target = required(request.target_table_name.as_ref(), "TargetTableName")?;
    violations.name(target, "targetTableName");
    if let Some(sse) = &request.sse_specification_override {
        sse.check("sSESpecificationOverride", &mut violations);
    }
    violations.finish()?;
    refuse_overrides(body)?;
    let source = match (&request.source_table_name, &request.source_table_arn) {
        (Some(name), None) => name.clone(),
        (None, Some(arn)) => table_of_arn(service, arn)
            .filter(|name| *arn == table_arn(service, name))
            .map(str::to_owned)
            .ok_or_else(|| {
                ErrorAnswer::validation(format!(
                    "Invalid TableArn: Invalid ResourceArn provided as input {arn}"
                ))
            })?,
        _ => {
            return Err(ErrorAnswer::validation(
                "Exactly one of SourceTableArn or SourceTableName must be specified",
            ));
        }
    };
    let restore_time = match (
        request.use_latest_restorable_time,
        request.restore_date_time,
    ) {
        (Some(true), None) => RestoreTime::Latest,
        (Some(false) | None, Some(seconds)) => RestoreTime::At(instant(seconds)),
        (Some(true), Some(_)) => {
            return Err(ErrorAnswer::validation(
                "Only one of RestoreDateTime or UseLatestRestorableTime can be specified",
            ));
        }
        (Some(false) | None, None) => {
            return Err(ErrorAnswer::validation(
                "Either RestoreDateTime or UseLatestRestorableTime must be specified",
            ));
        }
    };
    let engine = service.engine();
    let table = engine
        .restore_table_to_point_in_time(RestoreTableToPointInTime::new(
            &source,
            target,
            restore_time,
        ))
        .await
        .map_err(|err| backup_error(service, &err, "RestoreTableToPointInTime"))?;
    let at = match restore_time {
        RestoreTime::At(at) => at,
        RestoreTime::Latest => engine.now(),
    };
    restored(
        service,
        &table,
        None,
        &source,
        at,
        request.sse_specification_override.as_ref(),
    )
}
