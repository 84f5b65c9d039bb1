//! Backups, typed: on-demand backups of a repository's table, restores into new tables, and
//! point-in-time recovery: turned on with its recovery period, and its status.
//!
//! A restore answers a [`Repo`] of the same item type on the new table, once the table is
//! `ACTIVE` and its key schema verified against the type, so the restored data is read the
//! way the original was.

use notes_model::Item;

use crate::repo::Repo;
use crate::send::send_on_await;
use crate::table::DEFAULT_ACTIVE_TIMEOUT;
use notes_core::Backend;
use notes_core::Result;
use notes_core::request::{
    BackupArn, BackupDescription, BackupSummary, CreateBackup, DescribeContinuousBackups,
    ListBackups, PointInTimeRecovery, RestoreTableFromBackup, RestoreTableToPointInTime,
    RestoreTime, UpdateContinuousBackups,
};
use notes_core::validate;

/// Point-in-time recovery turned on for a repository's table, built by
/// [`Repo::enable_point_in_time_recovery`]; `.await` it (or call `.send()`).
#[must_use = "point-in-time recovery is not turned on until this is awaited"]
pub struct EnablePointInTimeRecovery<'a, T: Item, B> {
    repo: &'a Repo<T, B>,
    recovery_period_in_days: Option<u32>,
}

impl<'a, T: Item, B: Backend> EnablePointInTimeRecovery<'a, T, B> {
    /// Restores reach back `days` days (`RecoveryPeriodInDays`, 1 to 35; checked before
    /// anything is sent). Without it, the period is DynamoDB's default, 35 days, also when
    /// recovery was already on with another period. On a table whose recovery is on, a
    /// shorter period moves the earliest restorable time forward at once; a longer one grows
    /// the window with time from where it is (what the shorter period let go does not come
    /// back).
    ///
    /// ```
    /// use notes_repo::prelude::*;
    /// use notes_repo::Note;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// repo.enable_point_in_time_recovery().recovery_period_in_days(7).await?;
    /// assert_eq!(repo.point_in_time_recovery().await?.recovery_period_in_days(), Some(7));
    /// let err = repo.enable_point_in_time_recovery().recovery_period_in_days(36).await.unwrap_err();
    /// assert!(err.to_string().ends_with("Member must have value less than or equal to 35"));
    /// # Ok(()) }
    /// ```
    pub fn recovery_period_in_days(mut self, days: u32) -> Self {
        self.recovery_period_in_days = Some(days);
        self
    }

    /// Sends the request (what `.await` does).
    ///
    /// See [`Repo::enable_point_in_time_recovery`] for an example.
    pub async fn send(self) -> Result<()> {
        let mut request = UpdateContinuousBackups::new(self.repo.table_name(), true);
        if let Some(days) = self.recovery_period_in_days {
            validate::recovery_period_in_days(days)?;
            request = request.recovery_period_in_days(days);
        }
        self.repo.traced().update_continuous_backups(request).await
    }
}
send_on_await!(EnablePointInTimeRecovery<'a, T, B> => ());

impl<T: Item, B: Backend> Repo<T, B> {
    /// Turns on point-in-time recovery (continuous backups) for the table, for DynamoDB's
    /// default period of 35 days, or the one
    /// [`recovery_period_in_days`](EnablePointInTimeRecovery::recovery_period_in_days) gives.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use notes_repo::request::{PointInTimeRecovery, RestoreTime};
    /// use notes_repo::{Clock, Error, ManualClock, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000));
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::builder().clock(clock.clone()).build());
    /// repo.create_table_on_demand().await?;
    /// // Restores reach back a week at most (a compliance rule, say).
    /// repo.enable_point_in_time_recovery().recovery_period_in_days(7).await?;
    /// let enabled_at = clock.now();
    /// clock.advance(Duration::from_secs(8 * 24 * 60 * 60));
    /// let too_old = repo.restore_to_point_in_time("notes-old", RestoreTime::At(enabled_at)).await;
    /// assert!(matches!(too_old, Err(Error::InvalidRestoreTime { .. })));
    /// # Ok(()) }
    /// ```
    pub fn enable_point_in_time_recovery(&self) -> EnablePointInTimeRecovery<'_, T, B> {
        EnablePointInTimeRecovery {
            repo: self,
            recovery_period_in_days: None,
        }
    }

    /// Takes an on-demand backup of the table, named `backup_name` (3 to 255 characters of
    /// `[a-zA-Z0-9_.-]`, checked before anything is sent).
    ///
    /// ```
    /// use notes_repo::request::BackupStatus;
    /// use notes_repo::{Error, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// repo.put(&Note::new("u1", "hello")).await?;
    /// let backup = repo.create_backup("before-migration").await?;
    /// assert_eq!(backup.summary.status, BackupStatus::Available);
    /// assert_eq!(backup.summary.item_count, Some(1));
    /// let bad = repo.create_backup("no spaces").await.unwrap_err();
    /// assert!(matches!(bad, Error::Validation { .. }));
    /// # Ok(()) }
    /// ```
    pub async fn create_backup(&self, backup_name: &str) -> Result<BackupDescription> {
        // "BackupName ... Length Constraints: Minimum length of 3. Maximum length of 255.
        // Pattern: [a-zA-Z0-9_.-]+" (APIReference/API_CreateBackup.html).
        validate::name(backup_name, "backupName")?;
        self.traced()
            .create_backup(CreateBackup::new(self.table_name(), backup_name))
            .await
    }

    /// Every on-demand backup of the table, oldest first (all pages).
    ///
    /// ```
    /// # use notes_repo::{MemoryBackend, Note, Repo};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.create_backup("first").await?;
    /// repo.create_backup("second").await?;
    /// let names: Vec<_> = repo.list_backups().await?.into_iter().map(|b| b.backup_name).collect();
    /// assert_eq!(names, ["first", "second"]);
    /// # Ok(()) }
    /// ```
    pub async fn list_backups(&self) -> Result<Vec<BackupSummary>> {
        let mut backups = Vec::new();
        let mut start = None;
        loop {
            let mut request = ListBackups::new().table_name(self.table_name());
            request.exclusive_start_backup_arn = start;
            let page = self.traced().list_backups(request).await?;
            backups.extend(page.backups);
            match page.last_evaluated_backup_arn {
                Some(next) => start = Some(next),
                None => return Ok(backups),
            }
        }
    }

    /// Describes one backup; [`Error::BackupNotFound`](crate::Error::BackupNotFound) when
    /// there is none with this ARN.
    ///
    /// ```
    /// # use notes_repo::{MemoryBackend, Note, Repo};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let backup = repo.create_backup("nightly").await?;
    /// let described = repo.describe_backup(&backup.summary.backup_arn).await?;
    /// assert_eq!(described.summary.backup_name, "nightly");
    /// # Ok(()) }
    /// ```
    pub async fn describe_backup(&self, backup_arn: &BackupArn) -> Result<BackupDescription> {
        self.traced().describe_backup(backup_arn.clone()).await
    }

    /// Deletes one backup, answering it as it was (status `DELETED`);
    /// [`Error::BackupNotFound`](crate::Error::BackupNotFound) when there is none.
    ///
    /// ```
    /// # use notes_repo::{Error, MemoryBackend, Note, Repo};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let backup = repo.create_backup("nightly").await?;
    /// repo.delete_backup(&backup.summary.backup_arn).await?;
    /// let gone = repo.describe_backup(&backup.summary.backup_arn).await.unwrap_err();
    /// assert!(matches!(gone, Error::BackupNotFound { .. }));
    /// # Ok(()) }
    /// ```
    pub async fn delete_backup(&self, backup_arn: &BackupArn) -> Result<BackupDescription> {
        self.traced().delete_backup(backup_arn.clone()).await
    }

    /// Restores a backup into the new table `target_table`, waits until it is active,
    /// verifies its key schema against `T`, and answers a repository on it. An existing
    /// target is [`Error::TableAlreadyExists`](crate::Error::TableAlreadyExists).
    ///
    /// ```
    /// use notes_repo::{Item, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "keep me");
    /// repo.put(&note).await?;
    /// let backup = repo.create_backup("nightly").await?;
    /// repo.delete(&note.key()).await?;
    /// let restored = repo.restore_from_backup(&backup.summary.backup_arn, "notes-restored").await?;
    /// assert_eq!(restored.get(&note.key()).consistent().await?, Some(note));
    /// # Ok(()) }
    /// ```
    pub async fn restore_from_backup(
        &self,
        backup_arn: &BackupArn,
        target_table: &str,
    ) -> Result<Repo<T, B>> {
        validate::name(target_table, "targetTableName")?;
        let request = RestoreTableFromBackup::new(backup_arn.clone(), target_table);
        self.traced().restore_table_from_backup(request).await?;
        self.restored(target_table).await
    }

    /// Restores the table as it was at `time` (inside the window
    /// [`point_in_time_recovery`](Repo::point_in_time_recovery) reports) into the new table
    /// `target_table`, waits until it is active, verifies its key schema against `T`, and
    /// answers a repository on it. Recovery off is
    /// [`Error::PointInTimeRecoveryUnavailable`](crate::Error::PointInTimeRecoveryUnavailable),
    /// a time outside the window [`Error::InvalidRestoreTime`](crate::Error::InvalidRestoreTime),
    /// an existing target [`Error::TableAlreadyExists`](crate::Error::TableAlreadyExists).
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use notes_repo::request::RestoreTime;
    /// use notes_repo::{Clock, Item, ManualClock, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000));
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::builder().clock(clock.clone()).build());
    /// repo.create_table_on_demand().await?;
    /// repo.enable_point_in_time_recovery().await?;
    /// let note = Note::new("u1", "keep me");
    /// repo.put(&note).await?;
    /// clock.advance(Duration::from_secs(60));
    /// let before_the_mistake = clock.now();
    /// clock.advance(Duration::from_secs(1));
    /// repo.delete(&note.key()).await?;
    /// // The latest restorable time is 5 minutes behind, as on DynamoDB.
    /// clock.advance(Duration::from_secs(300));
    /// let restored = repo
    ///     .restore_to_point_in_time("notes-restored", RestoreTime::At(before_the_mistake))
    ///     .await?;
    /// assert_eq!(restored.get(&note.key()).consistent().await?, Some(note));
    /// # Ok(()) }
    /// ```
    pub async fn restore_to_point_in_time(
        &self,
        target_table: &str,
        time: RestoreTime,
    ) -> Result<Repo<T, B>> {
        validate::name(target_table, "targetTableName")?;
        let request = RestoreTableToPointInTime::new(self.table_name(), target_table, time);
        self.traced()
            .restore_table_to_point_in_time(request)
            .await?;
        self.restored(target_table).await
    }

    /// The table's point-in-time recovery: off, or on with its restorable window.
    ///
    /// ```
    /// use notes_repo::request::PointInTimeRecovery;
    /// # use notes_repo::{MemoryBackend, Note, Repo};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// assert_eq!(repo.point_in_time_recovery().await?, PointInTimeRecovery::Disabled);
    /// repo.enable_point_in_time_recovery().await?;
    /// assert!(repo.point_in_time_recovery().await?.is_enabled());
    /// # Ok(()) }
    /// ```
    pub async fn point_in_time_recovery(&self) -> Result<PointInTimeRecovery> {
        self.traced()
            .describe_continuous_backups(DescribeContinuousBackups::new(self.table_name()))
            .await
    }

    /// A repository on the restored table `target`, once active and verified.
    async fn restored(&self, target: &str) -> Result<Repo<T, B>> {
        let restored = Repo::with_table(self.backend().clone(), target.to_owned())
            .with_batch_options(self.batch_options().clone());
        restored.wait_until_active(DEFAULT_ACTIVE_TIMEOUT).await?;
        restored.verify_table().await?;
        Ok(restored)
    }
}
