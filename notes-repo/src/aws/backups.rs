//! Backups on DynamoDB: `CreateBackup`, `ListBackups`, `DescribeBackup`, `DeleteBackup`,
//! `RestoreTableFromBackup`, `RestoreTableToPointInTime`, `DescribeContinuousBackups`, through
//! `aws-sdk-dynamodb`, with their modelled errors mapped to [`Error`] variants
//! (`errors.rs`).

use std::time::SystemTime;

use aws_sdk_dynamodb::types as sdk;
use aws_smithy_types::DateTime;

use super::DynamoDbBackend;
use super::convert::{table_description, unexpected};
use super::errors::{Context, map_sdk_error};
use crate::error::Result;
use crate::request::{
    BackupArn, BackupDescription, BackupStatus, BackupSummary, BillingMode, CreateBackup,
    ListBackups, ListBackupsOutput, PointInTimeRecovery, RestoreTableFromBackup,
    RestoreTableToPointInTime, RestoreTime, TableDescription,
};

/// A service timestamp as a `SystemTime`.
fn time(at: &DateTime) -> Result<SystemTime> {
    SystemTime::try_from(*at).map_err(|err| unexpected(format!("timestamp {at}: {err}")))
}

fn status(status: &sdk::BackupStatus) -> BackupStatus {
    match status {
        sdk::BackupStatus::Creating => BackupStatus::Creating,
        sdk::BackupStatus::Available => BackupStatus::Available,
        sdk::BackupStatus::Deleted => BackupStatus::Deleted,
        other => BackupStatus::Other(other.as_str().to_owned()),
    }
}

/// A summary from `BackupDetails` (which do not name the table: `table_name` does).
fn from_details(details: &sdk::BackupDetails, table_name: &str) -> Result<BackupSummary> {
    let mut summary = BackupSummary::new(
        BackupArn::new(details.backup_arn()),
        details.backup_name(),
        table_name,
        status(details.backup_status()),
        time(details.backup_creation_date_time())?,
    );
    summary.size_bytes = details.backup_size_bytes();
    Ok(summary)
}

fn from_summary(summary: &sdk::BackupSummary) -> Result<BackupSummary> {
    let arn = BackupArn::new(summary.backup_arn().unwrap_or_default());
    let table = summary
        .table_name()
        .or_else(|| arn.table_name())
        .unwrap_or_default()
        .to_owned();
    let created_at = summary
        .backup_creation_date_time()
        .map(time)
        .transpose()?
        .ok_or_else(|| unexpected(format!("backup {arn} has no creation time")))?;
    let mut ours = BackupSummary::new(
        arn,
        summary.backup_name().unwrap_or_default(),
        table,
        summary
            .backup_status()
            .map_or(BackupStatus::Other(String::new()), status),
        created_at,
    );
    ours.size_bytes = summary.backup_size_bytes();
    Ok(ours)
}

fn from_description(
    description: Option<&sdk::BackupDescription>,
    arn: &BackupArn,
) -> Result<BackupDescription> {
    let description =
        description.ok_or_else(|| unexpected(format!("no description of backup {arn}")))?;
    let details = description
        .backup_details()
        .ok_or_else(|| unexpected(format!("no details of backup {arn}")))?;
    let source = description.source_table_details();
    let table = source
        .map(sdk::SourceTableDetails::table_name)
        .or_else(|| arn.table_name())
        .unwrap_or_default();
    let mut summary = from_details(details, table)?;
    summary.item_count = source.and_then(sdk::SourceTableDetails::item_count);
    let billing_mode = source.and_then(|source| match source.billing_mode() {
        Some(sdk::BillingMode::PayPerRequest) => Some(BillingMode::PayPerRequest),
        _ => source
            .provisioned_throughput()
            .map(|t| BillingMode::Provisioned {
                read_capacity_units: t.read_capacity_units(),
                write_capacity_units: t.write_capacity_units(),
            }),
    });
    Ok(BackupDescription {
        summary,
        billing_mode,
    })
}

impl DynamoDbBackend {
    pub(super) async fn send_create_backup(
        &self,
        request: CreateBackup,
    ) -> Result<BackupDescription> {
        // Checked before sending: DynamoDB's BackupName rule, "Length Constraints: Minimum
        // length of 3. Maximum length of 255. Pattern: [a-zA-Z0-9_.-]+"
        // (APIReference/API_CreateBackup.html).
        crate::validate::name(&request.backup_name, "backupName")?;
        let output = self
            .client
            .create_backup()
            .table_name(&request.table_name)
            .backup_name(&request.backup_name)
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::table(&request.table_name)))?;
        let details = output.backup_details().ok_or_else(|| {
            unexpected(format!(
                "CreateBackup of `{}` returned no backup details",
                request.table_name
            ))
        })?;
        Ok(BackupDescription::new(from_details(
            details,
            &request.table_name,
        )?))
    }

    pub(super) async fn send_list_backups(
        &self,
        request: ListBackups,
    ) -> Result<ListBackupsOutput> {
        let limit = request
            .limit
            .map(|limit| super::to_i32(limit, "Limit"))
            .transpose()?;
        let table = request.table_name.clone().unwrap_or_default();
        let output = self
            .client
            .list_backups()
            .set_table_name(request.table_name)
            .set_limit(limit)
            .set_exclusive_start_backup_arn(
                request
                    .exclusive_start_backup_arn
                    .map(|a| a.as_str().to_owned()),
            )
            .set_time_range_lower_bound(request.time_range_lower_bound.map(DateTime::from))
            .set_time_range_upper_bound(request.time_range_upper_bound.map(DateTime::from))
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::table(&table)))?;
        let backups = output
            .backup_summaries()
            .iter()
            .map(from_summary)
            .collect::<Result<_>>()?;
        Ok(ListBackupsOutput {
            backups,
            last_evaluated_backup_arn: output.last_evaluated_backup_arn().map(BackupArn::new),
        })
    }

    pub(super) async fn send_describe_backup(&self, arn: BackupArn) -> Result<BackupDescription> {
        let output = self
            .client
            .describe_backup()
            .backup_arn(arn.as_str())
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::backup(&arn)))?;
        from_description(output.backup_description(), &arn)
    }

    pub(super) async fn send_delete_backup(&self, arn: BackupArn) -> Result<BackupDescription> {
        let output = self
            .client
            .delete_backup()
            .backup_arn(arn.as_str())
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::backup(&arn)))?;
        from_description(output.backup_description(), &arn)
    }

    pub(super) async fn send_restore_table_from_backup(
        &self,
        request: RestoreTableFromBackup,
    ) -> Result<TableDescription> {
        let target = &request.target_table_name;
        let output = self
            .client
            .restore_table_from_backup()
            .backup_arn(request.backup_arn.as_str())
            .target_table_name(target)
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::restore(target, &request.backup_arn)))?;
        table_description(output.table_description(), target, None)
    }

    pub(super) async fn send_restore_table_to_point_in_time(
        &self,
        request: RestoreTableToPointInTime,
    ) -> Result<TableDescription> {
        let target = &request.target_table_name;
        let source = &request.source_table_name;
        let restore = self
            .client
            .restore_table_to_point_in_time()
            .source_table_name(source)
            .target_table_name(target);
        let restore = match request.restore_time {
            RestoreTime::At(at) => restore.restore_date_time(DateTime::from(at)),
            RestoreTime::Latest => restore.use_latest_restorable_time(true),
        };
        let output = restore
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::restore_to_point_in_time(source, target)))?;
        table_description(output.table_description(), target, None)
    }

    pub(super) async fn send_describe_continuous_backups(
        &self,
        table_name: String,
    ) -> Result<PointInTimeRecovery> {
        let output = self
            .client
            .describe_continuous_backups()
            .table_name(&table_name)
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::table(&table_name)))?;
        let recovery = output
            .continuous_backups_description()
            .and_then(sdk::ContinuousBackupsDescription::point_in_time_recovery_description);
        let Some(recovery) = recovery else {
            return Ok(PointInTimeRecovery::Disabled);
        };
        if recovery.point_in_time_recovery_status()
            != Some(&sdk::PointInTimeRecoveryStatus::Enabled)
        {
            return Ok(PointInTimeRecovery::Disabled);
        }
        let window = |at: Option<&DateTime>, name: &str| {
            at.map(time).transpose()?.ok_or_else(|| {
                unexpected(format!(
                    "point-in-time recovery of `{table_name}` is ENABLED without {name}"
                ))
            })
        };
        Ok(PointInTimeRecovery::Enabled {
            earliest_restorable: window(
                recovery.earliest_restorable_date_time(),
                "EarliestRestorableDateTime",
            )?,
            latest_restorable: window(
                recovery.latest_restorable_date_time(),
                "LatestRestorableDateTime",
            )?,
            recovery_period_in_days: recovery
                .recovery_period_in_days()
                .and_then(|days| u32::try_from(days).ok()),
        })
    }
}
