//! On-demand backups and point-in-time recovery, for real: the model. The backups kept are
//! [`Backups`] (here); the requests that make, list, delete and restore them, and turn
//! recovery on, are `backup_requests.rs`.
//!
//! - **An on-demand backup** (`CreateBackup`) is the table's items and indexes exactly as they
//!   were at one instant: the instant the request locked the tables, so between two
//!   operations (a transaction's writes are all in or all out). Writes go on during the copy
//!   and never leak in: at that instant the table's change log starts keeping every change
//!   (a hold, `history.rs`); the items are copied 1024 per read lock, so a writer waits for
//!   at most one such piece (measured in a debug build, `backup_copy_cost`: 6 ms for a piece,
//!   against 0.3 s for a copy of 10^5 notes at once, all of it a stall for writers); then every key
//!   changed since the instant is set back to the old image of its first change since, and
//!   the hold ends. The indexes are rebuilt from the items. A table deleted during the copy
//!   fails the backup with [`Error::TableNotFound`]. DynamoDB promises less: a backup
//!   requested at 14:25:00 holds every write committed by 14:24:00, none after 14:26:00, and
//!   possibly some in between ("On-demand backup does not support causal consistency",
//!   <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CreateBackup.html>).
//!   A backup is `AVAILABLE` when `CreateBackup` answers, and kept until `DeleteBackup`,
//!   also after its table is deleted (and across a restart of a durable backend).
//! - **Point-in-time recovery** (`UpdateContinuousBackups`, then `RestoreTableToPointInTime`)
//!   restores the table as it was at any instant from `EarliestRestorableDateTime` (when
//!   recovery was enabled, or the recovery period ago, whichever is later) to
//!   `LatestRestorableDateTime`, rebuilt from the table's change log (`history.rs`): the live
//!   table with every change after the instant undone. The recovery period is 35 days by
//!   default, DynamoDB's ("You can restore your table to any point in time in the last 35
//!   days. You can set the recovery period to any value between 1 and 35 days.",
//!   <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DescribeContinuousBackups.html>),
//!   set per table by `UpdateContinuousBackups`' `RecoveryPeriodInDays` (1 to 35; without it,
//!   the backend's default,
//!   [`recovery_period`](crate::builder::MemoryBackendBuilder::recovery_period)). Memory holds the
//!   log of the table's period: every write's old and new image (see `history.rs`). Setting
//!   the period of a table whose recovery is on changes its window from then on: shorter, the
//!   earliest restorable time moves forward at once and the older history is dropped; longer,
//!   the window grows with time from where it is (the dropped history does not come back).
//!   Turning recovery off forgets the period: on again without one, it is the default.
//! - `LatestRestorableDateTime` is "typically 5 minutes before the current time" on DynamoDB
//!   (same page), whose log is shipped asynchronously; MemoryBackend reports the same: 5
//!   minutes before now on the backend's clock (`RESTORE_LAG`; never before the earliest),
//!   and `RestoreTime::Latest` restores to it. A time after it, or before the earliest, is
//!   [`Error::InvalidRestoreTime`], as on DynamoDB: a test restores to a recent instant after
//!   advancing a `ManualClock` past it.
//! - On a durable backend (`MemoryBackend::open`), backups and the change log (so the
//!   recovery window) survive a restart and a compaction (`durable/`).
//! - A restore goes to a new table (an existing one is [`Error::TableAlreadyExists`],
//!   DynamoDB's `TableAlreadyExistsException`), `ACTIVE` at once, with the source's key
//!   schema, indexes, billing mode and on-demand maximums (`OnDemandThroughput`, which a
//!   backup's `SourceTableDetails` carries), the warm throughput of a new table of its billing
//!   mode; point-in-time recovery and time to live are off on it,
//!   as on DynamoDB ("You must manually set up the following on the restored table: ...
//!   Time to Live (TTL) settings, Point in time recovery settings",
//!   <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_RestoreTableToPointInTime.html>).
//!
//! Not modelled: `SYSTEM` backups of deleted tables, restoring a deleted table to a point in
//! time, backup and restore overrides (billing, indexes, encryption), `BackupInUseException`
//! and `TableInUseException` (nothing here is ever in progress).

use std::time::Duration;

use super::on_demand::Maximums;
use super::table::Table;
use super::warm::Warm;
use notes_core::request::{BackupArn, BackupDescription, BackupSummary};
use notes_core::{Error, Result};
use notes_model::ItemMap;

/// DynamoDB's default and longest recovery period: 35 days.
pub(crate) const DEFAULT_RECOVERY_PERIOD: Duration = Duration::from_secs(35 * 24 * 60 * 60);

/// Every on-demand backup of the backend, in creation order.
#[derive(Debug, Default)]
pub(crate) struct Backups {
    backups: Vec<Backup>,
    /// The last backup number given (unique ARNs even within one millisecond).
    counter: u64,
}

/// One backup: what it says about itself, and the table it holds.
#[derive(Debug)]
pub(crate) struct Backup {
    pub(crate) description: BackupDescription,
    pub(crate) table: Table,
}

impl Backups {
    /// The backup `arn`: [`Error::BackupNotFound`] when there is none.
    pub(crate) fn find(&self, arn: &BackupArn) -> Result<&Backup> {
        self.backups
            .iter()
            .find(|b| b.description.summary.backup_arn == *arn)
            .ok_or_else(|| backup_not_found(arn))
    }

    /// A new backup number (never given before).
    pub(crate) fn next_number(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// Keeps a new backup, after every other.
    pub(crate) fn add(&mut self, description: BackupDescription, table: Table) {
        self.backups.push(Backup { description, table });
    }

    /// The summaries of the backups after `after` (`None`: every backup), oldest first:
    /// [`Error::BackupNotFound`] when `after` is no backup.
    pub(crate) fn summaries_after(
        &self,
        after: Option<&BackupArn>,
    ) -> Result<impl Iterator<Item = &BackupSummary>> {
        let start = match after {
            Some(arn) => {
                let at = self
                    .backups
                    .iter()
                    .position(|b| b.description.summary.backup_arn == *arn)
                    .ok_or_else(|| backup_not_found(arn))?;
                at + 1
            }
            None => 0,
        };
        Ok(self.backups[start..].iter().map(|b| &b.description.summary))
    }

    /// The last backup number given, and every backup (its description and table), oldest
    /// first: what a durable store's snapshot keeps.
    pub(crate) fn all(&self) -> (u64, impl Iterator<Item = (&BackupDescription, &Table)>) {
        let backups = self.backups.iter().map(|b| (&b.description, &b.table));
        (self.counter, backups)
    }

    /// Takes back a backup a durable store kept (its items follow, [`recover_items`]);
    /// `counter`: the last backup number given when it was kept.
    ///
    /// [`recover_items`]: Self::recover_items
    pub(crate) fn recover(&mut self, counter: u64, description: BackupDescription, table: Table) {
        self.counter = self.counter.max(counter);
        let arn = description.summary.backup_arn.clone();
        self.forget(&arn);
        self.backups.push(Backup { description, table });
    }

    /// Gives the recovered backup `arn`'s table its on-demand maximums and warm throughput
    /// (`Err`: no such backup).
    pub(crate) fn recover_throughput(
        &mut self,
        arn: &BackupArn,
        maximums: Maximums,
        warm: Warm,
    ) -> std::result::Result<(), ()> {
        let backup = self
            .backups
            .iter_mut()
            .find(|b| b.description.summary.backup_arn == *arn)
            .ok_or(())?;
        backup.table.maximums = maximums;
        backup.table.warm = warm;
        Ok(())
    }

    /// Puts items back into the recovered backup `arn` (`Err`: no such backup).
    pub(crate) fn recover_items(
        &mut self,
        arn: &BackupArn,
        items: Vec<ItemMap>,
    ) -> std::result::Result<(), ()> {
        let backup = self
            .backups
            .iter_mut()
            .find(|b| b.description.summary.backup_arn == *arn)
            .ok_or(())?;
        for item in items {
            let key = backup.table.key_of(&item).map_err(drop)?;
            backup.table.put(key, item);
        }
        Ok(())
    }

    /// Becomes `on_disk` (what a durable store's journal holds, after a write it refused),
    /// keeping the higher backup number given (a number is never given twice).
    pub(crate) fn reload(&mut self, on_disk: Backups) {
        let counter = self.counter.max(on_disk.counter);
        *self = on_disk;
        self.counter = counter;
    }

    /// Removes the backup `arn`, if there is one: answers it.
    pub(crate) fn forget(&mut self, arn: &BackupArn) -> Option<BackupDescription> {
        let at = self
            .backups
            .iter()
            .position(|b| b.description.summary.backup_arn == *arn)?;
        Some(self.backups.remove(at).description)
    }
}

/// DynamoDB's `BackupNotFoundException`.
pub(crate) fn backup_not_found(arn: &BackupArn) -> Error {
    Error::BackupNotFound {
        backup_arn: arn.clone(),
        source: None,
    }
}
