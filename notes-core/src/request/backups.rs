//! On-demand backups and point-in-time recovery: `CreateBackup`, `ListBackups`, restores,
//! `UpdateContinuousBackups`, and what DynamoDB says about a backup or a table's recovery.

use std::time::SystemTime;

use super::setters::setters;
use super::tables::BillingMode;

/// A backup's Amazon Resource Name, as DynamoDB names it
/// (`arn:aws:dynamodb:us-east-1:123456789012:table/notes/backup/01489602797149-73d8d5bc`).
///
/// Only ever obtained from a backup (`CreateBackup`, `ListBackups`) or parsed from text a
/// backup once gave; a table name or a backup name is not one.
///
/// ```
/// use notes_repo::request::BackupArn;
/// let arn = BackupArn::new("arn:aws:dynamodb:us-east-1:123456789012:table/notes/backup/01489602797149-73d8d5bc");
/// assert_eq!(arn.table_name(), Some("notes"));
/// assert!(arn.as_str().starts_with("arn:aws:dynamodb:"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BackupArn(String);

impl BackupArn {
    /// The ARN with this text (as `CreateBackup` or `ListBackups` returned it).
    ///
    /// See [`BackupArn`] for an example.
    pub fn new(arn: impl Into<String>) -> Self {
        BackupArn(arn.into())
    }

    /// The ARN's text.
    ///
    /// See [`BackupArn`] for an example.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name of the table the backup was taken of, from the ARN's `table/NAME/backup/`
    /// resource part (`None` when the text is not shaped like a backup ARN).
    ///
    /// See [`BackupArn`] for an example.
    pub fn table_name(&self) -> Option<&str> {
        let resource = self.0.split_once(":table/")?.1;
        Some(resource.split_once("/backup/")?.0)
    }
}

impl std::fmt::Display for BackupArn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for BackupArn {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A backup's status (DynamoDB's `BackupStatus`).
///
/// ```
/// use notes_repo::request::BackupStatus;
/// assert_ne!(BackupStatus::Available, BackupStatus::Creating);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BackupStatus {
    /// `CREATING`: requested, not yet restorable.
    Creating,
    /// `AVAILABLE`: can be restored.
    Available,
    /// `DELETED`.
    Deleted,
    /// Any other status the service reports.
    Other(String),
}

/// One backup as `ListBackups` lists it (DynamoDB's `BackupSummary`), and the heart of
/// [`BackupDescription`].
///
/// ```
/// use std::time::SystemTime;
/// use notes_repo::request::{BackupArn, BackupStatus, BackupSummary};
/// let arn = BackupArn::new("arn:aws:dynamodb:us-east-1:123456789012:table/notes/backup/01489602797149-73d8d5bc");
/// let backup = BackupSummary::new(arn, "nightly", "notes", BackupStatus::Available, SystemTime::UNIX_EPOCH)
///     .item_count(3);
/// assert_eq!(backup.item_count, Some(3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BackupSummary {
    /// The backup's ARN: what describe, delete and restore take.
    pub backup_arn: BackupArn,
    /// The name it was created with.
    pub backup_name: String,
    /// The table it was taken of.
    pub table_name: String,
    /// Creating, available or deleted.
    pub status: BackupStatus,
    /// Its size in bytes, when the service says (DynamoDB updates it about every six hours).
    pub size_bytes: Option<i64>,
    /// How many items it holds, when the service says (`ListBackups` on DynamoDB does not;
    /// `DescribeBackup` does).
    pub item_count: Option<i64>,
    /// When it was taken: the instant whose table state it holds.
    pub created_at: SystemTime,
}

impl BackupSummary {
    /// A backup's summary; size and item count unknown.
    ///
    /// See [`BackupSummary`] for an example.
    pub fn new(
        backup_arn: BackupArn,
        backup_name: impl Into<String>,
        table_name: impl Into<String>,
        status: BackupStatus,
        created_at: SystemTime,
    ) -> Self {
        BackupSummary {
            backup_arn,
            backup_name: backup_name.into(),
            table_name: table_name.into(),
            status,
            size_bytes: None,
            item_count: None,
            created_at,
        }
    }
}
setters!(BackupSummary { size_bytes: some i64, item_count: some i64 });

/// What `CreateBackup`, `DescribeBackup` and `DeleteBackup` say about a backup: its summary
/// and the source table's billing mode (DynamoDB's `BackupDescription`). The key schema a
/// restored table gets is the restore's answer
/// ([`TableDescription`](crate::request::TableDescription)): DynamoDB describes a backup's key
/// by attribute names only, without their types.
///
/// ```
/// use std::time::SystemTime;
/// use notes_repo::request::{BackupArn, BackupDescription, BackupStatus, BackupSummary};
/// let arn = BackupArn::new("arn:aws:dynamodb:us-east-1:123456789012:table/notes/backup/01489602797149-73d8d5bc");
/// let summary = BackupSummary::new(arn, "nightly", "notes", BackupStatus::Available, SystemTime::UNIX_EPOCH);
/// let backup = BackupDescription::new(summary);
/// assert_eq!(backup.summary.backup_name, "nightly");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BackupDescription {
    /// Name, ARN, status, size, item count, creation time and table.
    pub summary: BackupSummary,
    /// The source table's billing mode, which a restored table gets, when the service says.
    pub billing_mode: Option<BillingMode>,
}

impl BackupDescription {
    /// A backup's description; the source table's billing mode unknown.
    ///
    /// See [`BackupDescription`] for an example.
    pub fn new(summary: BackupSummary) -> Self {
        BackupDescription {
            summary,
            billing_mode: None,
        }
    }
}
setters!(BackupDescription { billing_mode: some BillingMode });

/// `CreateBackup`: an on-demand backup of a table, named `backup_name` (3 to 255 characters of
/// `[a-zA-Z0-9_.-]`).
///
/// ```
/// use notes_repo::request::CreateBackup;
/// let request = CreateBackup::new("notes", "nightly");
/// assert_eq!(request.backup_name, "nightly");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreateBackup {
    /// The table to back up.
    pub table_name: String,
    /// The backup's name.
    pub backup_name: String,
}

impl CreateBackup {
    /// A backup of `table_name` named `backup_name`.
    ///
    /// See [`CreateBackup`] for an example.
    pub fn new(table_name: impl Into<String>, backup_name: impl Into<String>) -> Self {
        CreateBackup {
            table_name: table_name.into(),
            backup_name: backup_name.into(),
        }
    }
}

/// `ListBackups`: the on-demand backups of the account, or of one table, oldest first, at most
/// `limit` (1 to 100) a page.
///
/// ```
/// use notes_repo::request::ListBackups;
/// let request = ListBackups::new().table_name("notes").limit(10);
/// assert_eq!(request.limit, Some(10));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ListBackups {
    /// Only the backups of this table (`None`: every table's).
    pub table_name: Option<String>,
    /// At most this many backups in the page (1 to 100).
    pub limit: Option<u32>,
    /// Start after this backup (the previous page's `last_evaluated_backup_arn`).
    pub exclusive_start_backup_arn: Option<BackupArn>,
    /// Only backups created at or after this time (inclusive).
    pub time_range_lower_bound: Option<SystemTime>,
    /// Only backups created before this time (exclusive).
    pub time_range_upper_bound: Option<SystemTime>,
}

impl ListBackups {
    /// Every on-demand backup of the account, in pages of the service's default size.
    ///
    /// See [`ListBackups`] for an example.
    pub fn new() -> Self {
        ListBackups::default()
    }
}
setters!(ListBackups {
    table_name: some_into String,
    limit: some u32,
    exclusive_start_backup_arn: some BackupArn,
    time_range_lower_bound: some SystemTime,
    time_range_upper_bound: some SystemTime,
});

/// One page of `ListBackups`.
///
/// ```
/// use notes_repo::request::ListBackupsOutput;
/// assert!(ListBackupsOutput::new(Vec::new()).last_evaluated_backup_arn.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ListBackupsOutput {
    /// The backups, oldest first.
    pub backups: Vec<BackupSummary>,
    /// Where the next page starts (`None`: this is the last page).
    pub last_evaluated_backup_arn: Option<BackupArn>,
}

impl ListBackupsOutput {
    /// The last page, holding `backups`.
    ///
    /// See [`ListBackupsOutput`] for an example.
    pub fn new(backups: Vec<BackupSummary>) -> Self {
        ListBackupsOutput {
            backups,
            last_evaluated_backup_arn: None,
        }
    }
}
setters!(ListBackupsOutput { last_evaluated_backup_arn: some BackupArn });

/// `RestoreTableFromBackup`: a new table `target_table_name` holding the backup's items, with
/// its key schema, indexes and billing mode. The target must not exist.
///
/// ```
/// use notes_repo::request::{BackupArn, RestoreTableFromBackup};
/// let arn = BackupArn::new("arn:aws:dynamodb:us-east-1:123456789012:table/notes/backup/01489602797149-73d8d5bc");
/// let request = RestoreTableFromBackup::new(arn, "notes-restored");
/// assert_eq!(request.target_table_name, "notes-restored");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RestoreTableFromBackup {
    /// The backup to restore.
    pub backup_arn: BackupArn,
    /// The new table's name.
    pub target_table_name: String,
}

impl RestoreTableFromBackup {
    /// A restore of `backup_arn` into the new table `target_table_name`.
    ///
    /// See [`RestoreTableFromBackup`] for an example.
    pub fn new(backup_arn: BackupArn, target_table_name: impl Into<String>) -> Self {
        RestoreTableFromBackup {
            backup_arn,
            target_table_name: target_table_name.into(),
        }
    }
}

/// The instant a point-in-time restore rebuilds: a time inside the restorable window
/// (`EarliestRestorableDateTime` to `LatestRestorableDateTime`), or the latest restorable one
/// (`UseLatestRestorableTime`).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use notes_repo::request::RestoreTime;
/// let an_hour_ago = RestoreTime::At(SystemTime::now() - Duration::from_secs(3600));
/// assert_ne!(an_hour_ago, RestoreTime::Latest);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestoreTime {
    /// The table as it was at this instant (`RestoreDateTime`), every write up to and
    /// including it applied.
    At(SystemTime),
    /// The latest restorable time (`UseLatestRestorableTime`).
    Latest,
}

/// `RestoreTableToPointInTime`: a new table `target_table_name` holding the source table's
/// items as they were at `restore_time`. PITR must be enabled on the source; the target must
/// not exist.
///
/// ```
/// use notes_repo::request::{RestoreTableToPointInTime, RestoreTime};
/// let request = RestoreTableToPointInTime::new("notes", "notes-restored", RestoreTime::Latest);
/// assert_eq!(request.source_table_name, "notes");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RestoreTableToPointInTime {
    /// The table whose past is restored.
    pub source_table_name: String,
    /// The new table's name.
    pub target_table_name: String,
    /// Which instant.
    pub restore_time: RestoreTime,
}

impl RestoreTableToPointInTime {
    /// A restore of `source_table_name` as of `restore_time` into the new table
    /// `target_table_name`.
    ///
    /// See [`RestoreTableToPointInTime`] for an example.
    pub fn new(
        source_table_name: impl Into<String>,
        target_table_name: impl Into<String>,
        restore_time: RestoreTime,
    ) -> Self {
        RestoreTableToPointInTime {
            source_table_name: source_table_name.into(),
            target_table_name: target_table_name.into(),
            restore_time,
        }
    }
}

/// `UpdateContinuousBackups`: turns point-in-time recovery of a table on or off, and sets how
/// many days back a restore can reach (DynamoDB's `PointInTimeRecoverySpecification`).
///
/// ```
/// # use notes_model::{Item, Note};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// let enable = UpdateContinuousBackups::new("notes", true).recovery_period_in_days(7);
/// backend.update_continuous_backups(enable).await?;
/// let recovery = backend.describe_continuous_backups(DescribeContinuousBackups::new("notes")).await?;
/// assert!(recovery.is_enabled());
/// assert_eq!(recovery.recovery_period_in_days(), Some(7));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct UpdateContinuousBackups {
    /// The table.
    pub table_name: String,
    /// Whether point-in-time recovery is on (`PointInTimeRecoveryEnabled`).
    pub point_in_time_recovery_enabled: bool,
    /// `RecoveryPeriodInDays`: how many days back a restore can reach, 1 to 35; `None` is
    /// DynamoDB's default, 35 ("If no value is provided, the value will default to 35",
    /// APIReference/API_PointInTimeRecoverySpecification.html). Only with recovery on: a
    /// period given while turning it off is a `ValidationException`.
    pub recovery_period_in_days: Option<u32>,
}

impl UpdateContinuousBackups {
    /// Turns point-in-time recovery of `table_name` on (`enabled`) or off, with the default
    /// recovery period.
    ///
    /// See [`UpdateContinuousBackups`] for an example.
    pub fn new(table_name: impl Into<String>, enabled: bool) -> Self {
        UpdateContinuousBackups {
            table_name: table_name.into(),
            point_in_time_recovery_enabled: enabled,
            recovery_period_in_days: None,
        }
    }
}
setters!(UpdateContinuousBackups { recovery_period_in_days: some u32 });

/// `DescribeContinuousBackups`: whether point-in-time recovery of a table is on, and its
/// restorable window.
///
/// ```
/// # use notes_model::{Item, Note};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// let recovery = backend.describe_continuous_backups(DescribeContinuousBackups::new("notes")).await?;
/// assert!(!recovery.is_enabled());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DescribeContinuousBackups {
    /// The table.
    pub table_name: String,
}

impl DescribeContinuousBackups {
    /// A `DescribeContinuousBackups` of `table_name`.
    ///
    /// See [`DescribeContinuousBackups`] for an example.
    pub fn new(table_name: impl Into<String>) -> Self {
        DescribeContinuousBackups {
            table_name: table_name.into(),
        }
    }
}

/// A table's point-in-time recovery, as `DescribeContinuousBackups` reports it
/// (`PointInTimeRecoveryDescription`).
///
/// ```
/// use notes_repo::request::PointInTimeRecovery;
/// assert!(!PointInTimeRecovery::Disabled.is_enabled());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointInTimeRecovery {
    /// Off: nothing to restore to a point in time from.
    Disabled,
    /// On: a restore can target any instant from `earliest_restorable` to
    /// `latest_restorable`, both included.
    Enabled {
        /// `EarliestRestorableDateTime`: when recovery was enabled, or `recovery_period_in_days`
        /// ago, whichever is later.
        earliest_restorable: SystemTime,
        /// `LatestRestorableDateTime`: typically 5 minutes ago on DynamoDB; 5 minutes ago on
        /// the backend's clock on `MemoryBackend` (never before `earliest_restorable`).
        latest_restorable: SystemTime,
        /// `RecoveryPeriodInDays` (1 to 35), when the service says.
        recovery_period_in_days: Option<u32>,
    },
}

impl PointInTimeRecovery {
    /// Whether point-in-time recovery is on.
    ///
    /// See [`PointInTimeRecovery`] for an example.
    pub fn is_enabled(&self) -> bool {
        matches!(self, PointInTimeRecovery::Enabled { .. })
    }

    /// `RecoveryPeriodInDays`, when recovery is on and the service says.
    ///
    /// ```
    /// use notes_repo::request::PointInTimeRecovery;
    /// assert_eq!(PointInTimeRecovery::Disabled.recovery_period_in_days(), None);
    /// ```
    pub fn recovery_period_in_days(&self) -> Option<u32> {
        match self {
            PointInTimeRecovery::Enabled {
                recovery_period_in_days,
                ..
            } => *recovery_period_in_days,
            PointInTimeRecovery::Disabled => None,
        }
    }
}
