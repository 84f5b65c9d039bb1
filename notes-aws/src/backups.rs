//! Backups on DynamoDB: `CreateBackup`, `ListBackups`, `DescribeBackup`, `DeleteBackup`,
//! `RestoreTableFromBackup`, `RestoreTableToPointInTime`, `DescribeContinuousBackups`, through
//! `aws-sdk-dynamodb`, with their modelled errors mapped to [`Error`](notes_core::Error) variants
//! (`errors.rs`).

use std::time::SystemTime;

use aws_sdk_dynamodb::types as sdk;
use aws_smithy_types::DateTime;

use super::DynamoDbBackend;
use super::convert::{table_description, unexpected};
use super::errors::{Context, map_sdk_error};
use notes_core::Result;
use notes_core::request::{
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
    let mut description = BackupDescription::new(summary);
    description.billing_mode = billing_mode;
    Ok(description)
}

impl DynamoDbBackend {
    pub(super) async fn send_create_backup(
        &self,
        request: CreateBackup,
    ) -> Result<BackupDescription> {
        // Checked before sending: DynamoDB's BackupName rule, "Length Constraints: Minimum
        // length of 3. Maximum length of 255. Pattern: [a-zA-Z0-9_.-]+"
        // (APIReference/API_CreateBackup.html).
        notes_core::validate::name(&request.backup_name, "backupName")?;
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
        let mut answer = ListBackupsOutput::default();
        answer.backups = backups;
        answer.last_evaluated_backup_arn = output.last_evaluated_backup_arn().map(BackupArn::new);
        Ok(answer)
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

/// The exact requests, and the answers and errors mapped, with the SDK's own mocks: no local
/// server serves these operations (dynoxide 3.2 answers `UnknownOperationException`).
#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use aws_sdk_dynamodb::Client;
    use aws_sdk_dynamodb::operation::create_backup::CreateBackupOutput;
    use aws_sdk_dynamodb::operation::delete_backup::DeleteBackupOutput;
    use aws_sdk_dynamodb::operation::describe_backup::{DescribeBackupError, DescribeBackupOutput};
    use aws_sdk_dynamodb::operation::describe_continuous_backups::DescribeContinuousBackupsOutput;
    use aws_sdk_dynamodb::operation::list_backups::ListBackupsOutput as SdkListBackupsOutput;
    use aws_sdk_dynamodb::operation::restore_table_from_backup::{
        RestoreTableFromBackupError, RestoreTableFromBackupOutput,
    };
    use aws_sdk_dynamodb::operation::restore_table_to_point_in_time::{
        RestoreTableToPointInTimeError, RestoreTableToPointInTimeOutput,
    };
    use aws_sdk_dynamodb::types::error::{
        BackupNotFoundException, InvalidRestoreTimeException,
        PointInTimeRecoveryUnavailableException, TableAlreadyExistsException,
        TableNotFoundException,
    };
    use aws_smithy_mocks::{Rule, mock, mock_client};

    use super::*;
    use crate::{Backend, Error};
    use notes_core::request::DescribeContinuousBackups;

    const ARN: &str =
        "arn:aws:dynamodb:us-east-1:123456789012:table/notes/backup/01489602797149-73d8d5bc";

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn mocked(rules: &[&Rule]) -> DynamoDbBackend {
        DynamoDbBackend::new(mock_client!(aws_sdk_dynamodb, rules))
    }

    fn details(status: sdk::BackupStatus) -> sdk::BackupDetails {
        sdk::BackupDetails::builder()
            .backup_arn(ARN)
            .backup_name("nightly")
            .backup_size_bytes(1234)
            .backup_status(status)
            .backup_type(sdk::BackupType::User)
            .backup_creation_date_time(DateTime::from_secs(1_700_000_000))
            .build()
            .expect("details")
    }

    fn description(status: sdk::BackupStatus) -> sdk::BackupDescription {
        let source = sdk::SourceTableDetails::builder()
            .table_name("notes")
            .table_id("id")
            .key_schema(
                sdk::KeySchemaElement::builder()
                    .attribute_name("userId")
                    .key_type(sdk::KeyType::Hash)
                    .build()
                    .expect("key"),
            )
            .table_creation_date_time(DateTime::from_secs(1_600_000_000))
            .provisioned_throughput(
                sdk::ProvisionedThroughput::builder()
                    .read_capacity_units(5)
                    .write_capacity_units(5)
                    .build()
                    .expect("units"),
            )
            .item_count(7)
            .billing_mode(sdk::BillingMode::Provisioned)
            .build()
            .expect("source");
        sdk::BackupDescription::builder()
            .backup_details(details(status))
            .source_table_details(source)
            .build()
    }

    fn restored_table(name: &str) -> sdk::TableDescription {
        sdk::TableDescription::builder()
            .table_name(name)
            .table_status(sdk::TableStatus::Creating)
            .key_schema(
                sdk::KeySchemaElement::builder()
                    .attribute_name("userId")
                    .key_type(sdk::KeyType::Hash)
                    .build()
                    .expect("key"),
            )
            .attribute_definitions(
                sdk::AttributeDefinition::builder()
                    .attribute_name("userId")
                    .attribute_type(sdk::ScalarAttributeType::S)
                    .build()
                    .expect("definition"),
            )
            .build()
    }

    #[tokio::test]
    async fn create_backup_sends_table_and_name_and_reads_the_details() {
        let create = mock!(Client::create_backup)
            .match_requests(|r| {
                r.table_name() == Some("notes") && r.backup_name() == Some("nightly")
            })
            .then_output(|| {
                CreateBackupOutput::builder()
                    .backup_details(details(sdk::BackupStatus::Creating))
                    .build()
            });
        let backend = mocked(&[&create]);
        let backup = backend
            .create_backup(CreateBackup::new("notes", "nightly"))
            .await
            .expect("created");
        let expected = BackupSummary::new(
            BackupArn::new(ARN),
            "nightly",
            "notes",
            BackupStatus::Creating,
            at(1_700_000_000),
        )
        .size_bytes(1234);
        assert_eq!(backup, BackupDescription::new(expected));
        assert_eq!(create.num_calls(), 1);
    }

    #[tokio::test]
    async fn a_bad_backup_name_is_refused_before_sending() {
        let create =
            mock!(Client::create_backup).then_output(|| CreateBackupOutput::builder().build());
        let backend = mocked(&[&create]);
        for name in ["ab", "with space", &"x".repeat(256)] {
            let err = backend
                .create_backup(CreateBackup::new("notes", name))
                .await
                .expect_err("invalid name");
            assert!(
                matches!(&err, Error::Validation { message, .. } if message.contains("'backupName'")),
                "{err:?}"
            );
        }
        assert_eq!(create.num_calls(), 0);
    }

    #[tokio::test]
    async fn list_backups_sends_every_filter_and_reads_the_page() {
        let list = mock!(Client::list_backups)
            .match_requests(|r| {
                r.table_name() == Some("notes")
                    && r.limit() == Some(10)
                    && r.exclusive_start_backup_arn() == Some(ARN)
                    && r.time_range_lower_bound() == Some(&DateTime::from_secs(100))
                    && r.time_range_upper_bound() == Some(&DateTime::from_secs(200))
                    && r.backup_type().is_none()
            })
            .then_output(|| {
                SdkListBackupsOutput::builder()
                    .backup_summaries(
                        sdk::BackupSummary::builder()
                            .table_name("notes")
                            .backup_arn(ARN)
                            .backup_name("nightly")
                            .backup_creation_date_time(DateTime::from_secs(150))
                            .backup_status(sdk::BackupStatus::Available)
                            .backup_size_bytes(99)
                            .build(),
                    )
                    .last_evaluated_backup_arn(ARN)
                    .build()
            });
        let backend = mocked(&[&list]);
        let page = backend
            .list_backups(
                ListBackups::new()
                    .table_name("notes")
                    .limit(10)
                    .exclusive_start_backup_arn(BackupArn::new(ARN))
                    .time_range_lower_bound(at(100))
                    .time_range_upper_bound(at(200)),
            )
            .await
            .expect("listed");
        let expected = BackupSummary::new(
            BackupArn::new(ARN),
            "nightly",
            "notes",
            BackupStatus::Available,
            at(150),
        )
        .size_bytes(99);
        assert_eq!(page.backups, [expected]);
        assert_eq!(page.last_evaluated_backup_arn, Some(BackupArn::new(ARN)));
    }

    #[tokio::test]
    async fn describe_and_delete_read_the_source_table_details() {
        let describe = mock!(Client::describe_backup)
            .match_requests(|r| r.backup_arn() == Some(ARN))
            .then_output(|| {
                DescribeBackupOutput::builder()
                    .backup_description(description(sdk::BackupStatus::Available))
                    .build()
            });
        let delete = mock!(Client::delete_backup)
            .match_requests(|r| r.backup_arn() == Some(ARN))
            .then_output(|| {
                DeleteBackupOutput::builder()
                    .backup_description(description(sdk::BackupStatus::Deleted))
                    .build()
            });
        let backend = mocked(&[&describe, &delete]);
        let described = backend
            .describe_backup(BackupArn::new(ARN))
            .await
            .expect("described");
        assert_eq!(described.summary.item_count, Some(7));
        assert_eq!(described.summary.table_name, "notes");
        assert_eq!(
            described.billing_mode,
            Some(BillingMode::Provisioned {
                read_capacity_units: 5,
                write_capacity_units: 5
            })
        );
        let deleted = backend
            .delete_backup(BackupArn::new(ARN))
            .await
            .expect("deleted");
        assert_eq!(deleted.summary.status, BackupStatus::Deleted);
    }

    #[tokio::test]
    async fn a_missing_backup_is_backup_not_found_naming_its_arn() {
        let missing = mock!(Client::describe_backup).then_error(|| {
            DescribeBackupError::BackupNotFoundException(
                BackupNotFoundException::builder()
                    .message("Backup not found for the given BackupARN.")
                    .build(),
            )
        });
        let backend = mocked(&[&missing]);
        let err = backend
            .describe_backup(BackupArn::new(ARN))
            .await
            .expect_err("missing");
        assert!(
            matches!(&err, Error::BackupNotFound { backup_arn, source: Some(_) } if backup_arn.as_str() == ARN),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn restore_from_backup_sends_arn_and_target_and_maps_an_existing_target() {
        let restore = mock!(Client::restore_table_from_backup)
            .match_requests(|r| {
                r.backup_arn() == Some(ARN) && r.target_table_name() == Some("notes-restored")
            })
            .then_output(|| {
                RestoreTableFromBackupOutput::builder()
                    .table_description(restored_table("notes-restored"))
                    .build()
            });
        let exists = mock!(Client::restore_table_from_backup).then_error(|| {
            RestoreTableFromBackupError::TableAlreadyExistsException(
                TableAlreadyExistsException::builder()
                    .message("Table already exists: notes-restored")
                    .build(),
            )
        });
        let backend = mocked(&[&restore, &exists]);
        let request = RestoreTableFromBackup::new(BackupArn::new(ARN), "notes-restored");
        let table = backend
            .restore_table_from_backup(request.clone())
            .await
            .expect("restored");
        assert_eq!(table.table_name, "notes-restored");
        let err = backend
            .restore_table_from_backup(request)
            .await
            .expect_err("exists");
        assert!(
            matches!(&err, Error::TableAlreadyExists { table, source: Some(_) } if table == "notes-restored"),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn restore_to_point_in_time_sends_the_time_or_latest() {
        let at_time = mock!(Client::restore_table_to_point_in_time)
            .match_requests(|r| {
                r.source_table_name() == Some("notes")
                    && r.target_table_name() == Some("notes-restored")
                    && r.restore_date_time() == Some(&DateTime::from_secs(1_700_000_000))
                    && r.use_latest_restorable_time().is_none()
            })
            .then_output(|| {
                RestoreTableToPointInTimeOutput::builder()
                    .table_description(restored_table("notes-restored"))
                    .build()
            });
        let latest = mock!(Client::restore_table_to_point_in_time)
            .match_requests(|r| {
                r.use_latest_restorable_time() == Some(true) && r.restore_date_time().is_none()
            })
            .then_output(|| {
                RestoreTableToPointInTimeOutput::builder()
                    .table_description(restored_table("notes-latest"))
                    .build()
            });
        let backend = mocked(&[&at_time, &latest]);
        let time = RestoreTime::At(at(1_700_000_000));
        let table = backend
            .restore_table_to_point_in_time(RestoreTableToPointInTime::new(
                "notes",
                "notes-restored",
                time,
            ))
            .await
            .expect("restored");
        assert_eq!(table.table_name, "notes-restored");
        let table = backend
            .restore_table_to_point_in_time(RestoreTableToPointInTime::new(
                "notes",
                "notes-latest",
                RestoreTime::Latest,
            ))
            .await
            .expect("restored");
        assert_eq!(table.table_name, "notes-latest");
        assert_eq!((at_time.num_calls(), latest.num_calls()), (1, 1));
    }

    #[tokio::test]
    async fn restore_to_point_in_time_errors_are_typed() {
        let invalid = mock!(Client::restore_table_to_point_in_time).then_error(|| {
            RestoreTableToPointInTimeError::InvalidRestoreTimeException(
                InvalidRestoreTimeException::builder()
                    .message("RestoreDateTime must be between EarliestRestorableDateTime and LatestRestorableDateTime")
                    .build(),
            )
        });
        let off = mock!(Client::restore_table_to_point_in_time).then_error(|| {
            RestoreTableToPointInTimeError::PointInTimeRecoveryUnavailableException(
                PointInTimeRecoveryUnavailableException::builder()
                    .message(
                        "Point in time recovery has not yet been enabled for this source table.",
                    )
                    .build(),
            )
        });
        let missing = mock!(Client::restore_table_to_point_in_time).then_error(|| {
            RestoreTableToPointInTimeError::TableNotFoundException(
                TableNotFoundException::builder()
                    .message("Table not found: notes")
                    .build(),
            )
        });
        let backend = mocked(&[&invalid, &off, &missing]);
        let request =
            RestoreTableToPointInTime::new("notes", "notes-restored", RestoreTime::Latest);
        let err = backend
            .restore_table_to_point_in_time(request.clone())
            .await
            .expect_err("invalid");
        assert!(
            matches!(&err, Error::InvalidRestoreTime { message, source: Some(_) } if message.starts_with("RestoreDateTime must be between")),
            "{err:?}"
        );
        let err = backend
            .restore_table_to_point_in_time(request.clone())
            .await
            .expect_err("off");
        assert!(
            matches!(&err, Error::PointInTimeRecoveryUnavailable { table, source: Some(_) } if table == "notes"),
            "{err:?}"
        );
        let err = backend
            .restore_table_to_point_in_time(request)
            .await
            .expect_err("missing");
        assert!(
            matches!(&err, Error::TableNotFound { table, source: Some(_) } if table == "notes"),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn continuous_backups_report_the_window() {
        let enabled = mock!(Client::describe_continuous_backups)
            .match_requests(|r| r.table_name() == Some("notes"))
            .then_output(|| {
                let recovery = sdk::PointInTimeRecoveryDescription::builder()
                    .point_in_time_recovery_status(sdk::PointInTimeRecoveryStatus::Enabled)
                    .earliest_restorable_date_time(DateTime::from_secs(1_000))
                    .latest_restorable_date_time(DateTime::from_secs(2_000))
                    .recovery_period_in_days(35)
                    .build();
                DescribeContinuousBackupsOutput::builder()
                    .continuous_backups_description(
                        sdk::ContinuousBackupsDescription::builder()
                            .continuous_backups_status(sdk::ContinuousBackupsStatus::Enabled)
                            .point_in_time_recovery_description(recovery)
                            .build()
                            .expect("description"),
                    )
                    .build()
            });
        let disabled = mock!(Client::describe_continuous_backups).then_output(|| {
            let recovery = sdk::PointInTimeRecoveryDescription::builder()
                .point_in_time_recovery_status(sdk::PointInTimeRecoveryStatus::Disabled)
                .build();
            DescribeContinuousBackupsOutput::builder()
                .continuous_backups_description(
                    sdk::ContinuousBackupsDescription::builder()
                        .continuous_backups_status(sdk::ContinuousBackupsStatus::Enabled)
                        .point_in_time_recovery_description(recovery)
                        .build()
                        .expect("description"),
                )
                .build()
        });
        let backend = mocked(&[&enabled, &disabled]);
        assert_eq!(
            backend
                .describe_continuous_backups(DescribeContinuousBackups::new("notes"))
                .await
                .expect("described"),
            PointInTimeRecovery::Enabled {
                earliest_restorable: at(1_000),
                latest_restorable: at(2_000),
                recovery_period_in_days: Some(35),
            }
        );
        assert_eq!(
            backend
                .describe_continuous_backups(DescribeContinuousBackups::new("notes"))
                .await
                .expect("described"),
            PointInTimeRecovery::Disabled
        );
    }
}
