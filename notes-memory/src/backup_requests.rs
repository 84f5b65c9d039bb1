//! The backup and restore requests on `MemoryBackend`: `CreateBackup`, `ListBackups`,
//! `DescribeBackup`, `DeleteBackup`, `RestoreTableFromBackup`, `RestoreTableToPointInTime`,
//! `UpdateContinuousBackups` and `DescribeContinuousBackups`, on the model (and the backups
//! kept) of `backups.rs`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::backups::backup_not_found;
use super::encoding::Encoder;
use super::history::{ChangeLog, Recovery};
use super::key::ItemKey;
use super::table::{Changes, Table};
use crate::durable;
use crate::memory_backend::MemoryBackend;
use crate::state::{Tables, not_found};
use notes_core::request::{
    BackupArn, BackupDescription, BackupStatus, BackupSummary, CreateBackup, ListBackups,
    ListBackupsOutput, PointInTimeRecovery, RestoreTableFromBackup, RestoreTableToPointInTime,
    RestoreTime, TableDescription, TableStatus,
};
use notes_core::validate;
use notes_core::{Error, Result};
use notes_model::ItemMap;

/// How far `LatestRestorableDateTime` is behind the current time: "LatestRestorableDateTime
/// is typically 5 minutes before the current time"
/// (<https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PointInTimeRecoveryDescription.html>).
pub(crate) const RESTORE_LAG: Duration = Duration::from_secs(5 * 60);

/// `ListBackups`' `Limit`: "Valid Range: Minimum value of 1. Maximum value of 100."
/// (APIReference/API_ListBackups.html).
const MAX_LIST_LIMIT: u32 = 100;

/// How many items a backup copies per read lock: writers wait for at most this many item
/// clones.
const COPY_PIECE: usize = 1024;

/// The restorable window at `now`: `EarliestRestorableDateTime` and
/// `LatestRestorableDateTime` (`lag` before `now`, by default [`RESTORE_LAG`]; never before
/// the earliest: just after recovery was enabled, the window is that one instant).
fn restorable_window(
    recovery: &Recovery,
    now: SystemTime,
    lag: Duration,
) -> (SystemTime, SystemTime) {
    let earliest = recovery.earliest(now);
    let latest = now.checked_sub(lag).unwrap_or(earliest).max(earliest);
    (earliest, latest)
}

/// A backup ARN in DynamoDB's shape (`...:table/NAME/backup/MILLIS-SUFFIX`), in the region
/// DynamoDB Local reports.
fn backup_arn(table: &str, at: SystemTime, number: u64) -> BackupArn {
    let millis = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    BackupArn::new(format!(
        "arn:aws:dynamodb:ddblocal:000000000000:table/{table}/backup/{millis:014}-{number:08x}"
    ))
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// DynamoDB's `TableAlreadyExistsException` for a restore target.
fn already_exists(tables: &Tables, target: &str) -> Result<()> {
    if tables.tables.contains_key(target) {
        return Err(Error::TableAlreadyExists {
            table: target.to_owned(),
            source: None,
        });
    }
    Ok(())
}

impl Tables {
    /// Adds `table` (a backup's or a past state's copy) as the new table `target`: the same
    /// key schema, indexes and billing, a fresh change log, recovery and expiry off.
    fn restore(&mut self, mut table: Table, target: &str) -> TableDescription {
        table.name = target.to_owned();
        table.changes = Changes::default();
        table.time_to_live = None;
        let log = self.change_log();
        table.created_at = log.now();
        table.history = Some(log);
        let description = table.describe(TableStatus::Active);
        self.tables.insert(target.to_owned(), table.into());
        description
    }

    /// `UpdateContinuousBackups`: turning recovery on starts the window now (turning it on
    /// again changes nothing); turning it off forgets the window.
    pub(crate) fn update_continuous_backups(&mut self, name: &str, enabled: bool) -> Result<()> {
        let period = self.recovery_period;
        let log = change_log(self.table_mut(name)?)?;
        let now = log.now();
        match (enabled, log.recovery) {
            (true, None) => log.recovery = Some(Recovery { since: now, period }),
            (true, Some(_)) => {}
            (false, _) => {
                log.recovery = None;
                log.compact(now);
            }
        }
        Ok(())
    }

    fn describe_continuous_backups(&self, name: &str) -> Result<PointInTimeRecovery> {
        let log = self.table(name)?.history.as_ref();
        let Some((log, recovery)) = log.and_then(|log| Some((log, log.recovery?))) else {
            return Ok(PointInTimeRecovery::Disabled);
        };
        let (earliest, latest) = restorable_window(&recovery, log.now(), self.restore_lag);
        let days = recovery.period.as_secs().div_ceil(24 * 60 * 60);
        Ok(PointInTimeRecovery::Enabled {
            earliest_restorable: earliest,
            latest_restorable: latest,
            recovery_period_in_days: u32::try_from(days).ok(),
        })
    }

    fn list_backups(&self, request: &ListBackups) -> Result<ListBackupsOutput> {
        let limit = request.limit.unwrap_or(MAX_LIST_LIMIT);
        if !(1..=MAX_LIST_LIMIT).contains(&limit) {
            let constraint = if limit < 1 {
                "greater than or equal to 1"
            } else {
                "less than or equal to 100"
            };
            return Err(Error::validation(format!(
                "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy \
                 constraint: Member must have value {constraint}"
            )));
        }
        let wanted = |b: &&BackupSummary| {
            request.table_name.as_ref().is_none_or(|t| b.table_name == *t)
                // "TimeRangeLowerBound: Only backups created after this time are listed.
                // TimeRangeLowerBound is inclusive. TimeRangeUpperBound: Only backups created
                // before this time are listed. TimeRangeUpperBound is exclusive."
                // (APIReference/API_ListBackups.html)
                && request.time_range_lower_bound.is_none_or(|t| b.created_at >= t)
                && request.time_range_upper_bound.is_none_or(|t| b.created_at < t)
        };
        let mut backups: Vec<BackupSummary> = Vec::new();
        let mut more = false;
        let all = self.backups.lock();
        let listed = all.summaries_after(request.exclusive_start_backup_arn.as_ref())?;
        for backup in listed.filter(wanted) {
            if backups.len() == limit as usize {
                more = true;
                break;
            }
            backups.push(backup.clone());
        }
        let last = more
            .then(|| backups.last().map(|b| b.backup_arn.clone()))
            .flatten();
        let mut output = ListBackupsOutput::new(backups);
        output.last_evaluated_backup_arn = last;
        Ok(output)
    }

    fn restore_table_to_point_in_time(
        &mut self,
        request: &RestoreTableToPointInTime,
    ) -> Result<TableDescription> {
        validate::name(&request.target_table_name, "targetTableName")?;
        let source = self.table(&request.source_table_name)?;
        let log = source.history.as_ref();
        let Some((log, recovery)) = log.and_then(|log| Some((log, log.recovery?))) else {
            return Err(Error::PointInTimeRecoveryUnavailable {
                table: request.source_table_name.clone(),
                source: None,
            });
        };
        let (earliest, latest) = restorable_window(&recovery, log.now(), self.restore_lag);
        let at = match request.restore_time {
            RestoreTime::At(at) => at,
            RestoreTime::Latest => latest,
        };
        if at < earliest || at > latest {
            return Err(Error::InvalidRestoreTime {
                message: format!(
                    "RestoreDateTime must be between EarliestRestorableDateTime and \
                     LatestRestorableDateTime (table `{}`: asked for {}, the window is {} to \
                     {})",
                    request.source_table_name,
                    epoch(at),
                    epoch(earliest),
                    epoch(latest)
                ),
                source: None,
            });
        }
        already_exists(self, &request.target_table_name)?;
        let table = source.as_of(Some(at));
        Ok(self.restore(table, &request.target_table_name))
    }
}

/// A time as DynamoDB's JSON writes it: epoch seconds, with a fraction.
fn epoch(at: SystemTime) -> String {
    match at.duration_since(UNIX_EPOCH) {
        Ok(d) => format!("{}.{:03}", d.as_secs(), d.subsec_millis()),
        Err(_) => "before 1970".to_owned(),
    }
}

impl MemoryBackend {
    /// `CreateBackup`: the table as it was at the instant of the request, copied a piece at a
    /// time so writers never wait for more than one piece (see the module docs).
    pub(crate) fn create_backup_now(&self, request: &CreateBackup) -> Result<BackupDescription> {
        validate::name(&request.backup_name, "backupName")?;
        let name = &request.table_name;
        // The instant: between two operations (every table locked), from which the table's
        // change log keeps every change until the copy is done.
        let (mut table, log_id, held, at) = self.write(|tables| {
            let live = tables.table_mut(name)?;
            let definition = live.empty_copy();
            let log = change_log(live)?;
            Ok((definition, log.id(), log.hold(), log.now()))
        })?;
        let copied = self.copy_items(name, log_id);
        // Every key changed since: its state at the instant is the old image of its first
        // change since. The hold ends with it.
        let undo = self.write(|tables| {
            let log = tables
                .tables
                .get_mut(name)
                .and_then(|t| t.history.as_mut())
                .filter(|log| log.id() == log_id)
                .ok_or_else(|| not_found(name))?;
            let mut undo = std::collections::HashMap::new();
            for change in log.after(held) {
                undo.entry(change.key.clone())
                    .or_insert_with(|| change.old.clone());
            }
            log.release(held);
            Ok(undo)
        });
        let (mut items, undo) = (copied?, undo?);
        for (key, old) in undo {
            match old {
                Some(item) => {
                    items.insert(key, item);
                }
                None => {
                    items.remove(&key);
                }
            }
        }
        for (key, item) in items {
            table.put(key, item);
        }
        let number = self.state.common.backups.lock().next_number();
        let arn = backup_arn(&table.name, at, number);
        let summary = BackupSummary::new(
            arn,
            &request.backup_name,
            &table.name,
            BackupStatus::Available,
            at,
        )
        .size_bytes(count(table.size_bytes()))
        .item_count(count(table.item_count()));
        let description = BackupDescription::new(summary).billing_mode(table.billing_mode);
        // Encoded before the locks are taken (writers wait for a copy of the bytes, not for
        // the encoding), and kept and journaled as one operation: a snapshot has the backup
        // or the journal after the snapshot does.
        let journaled = self
            .store
            .is_some()
            .then(|| encode_backup(number, &description, &table));
        self.write(|tables| {
            if let Some((mutations, count)) = journaled {
                durable::journal_encoded(mutations, count);
            }
            tables.backups.lock().add(description.clone(), table);
            Ok(description)
        })
    }

    /// Copies the items of table `name` (whose change log is `log_id`), [`COPY_PIECE`] items
    /// per read lock: a mix of states at or after the backup's instant, which the change log
    /// then winds back.
    fn copy_items(
        &self,
        name: &str,
        log_id: u64,
    ) -> Result<std::collections::BTreeMap<ItemKey, ItemMap>> {
        let mut items = std::collections::BTreeMap::new();
        let mut last: Option<ItemKey> = None;
        loop {
            let piece = self.read_tables([name], |tables| {
                let live = tables.table(name)?;
                if live.history.as_ref().map(ChangeLog::id) != Some(log_id) {
                    // Deleted (and perhaps created again) during the backup.
                    return Err(not_found(name));
                }
                Ok(live.items_after(last.as_ref(), COPY_PIECE))
            })?;
            let done = piece.len() < COPY_PIECE;
            last = piece.last().map(|(key, _)| key.clone()).or(last);
            items.extend(piece);
            if done {
                return Ok(items);
            }
        }
    }

    pub(crate) fn list_backups_now(&self, request: &ListBackups) -> Result<ListBackupsOutput> {
        self.read_tables(std::iter::empty(), |tables| tables.list_backups(request))
    }

    pub(crate) fn describe_backup_now(&self, arn: &BackupArn) -> Result<BackupDescription> {
        let backups = self.state.common.backups.lock();
        Ok(backups.find(arn)?.description.clone())
    }

    pub(crate) fn delete_backup_now(&self, arn: &BackupArn) -> Result<BackupDescription> {
        let durable = self.store.is_some();
        self.write(|tables| {
            let mut description = tables
                .backups
                .lock()
                .forget(arn)
                .ok_or_else(|| backup_not_found(arn))?;
            if durable {
                durable::journal_extra(|e| e.delete_backup(arn));
            }
            description.summary.status = BackupStatus::Deleted;
            Ok(description)
        })
    }

    pub(crate) fn restore_table_from_backup_now(
        &self,
        request: &RestoreTableFromBackup,
    ) -> Result<TableDescription> {
        validate::name(&request.target_table_name, "targetTableName")?;
        self.write(|tables| {
            let table = tables
                .backups
                .lock()
                .find(&request.backup_arn)?
                .table
                .snapshot();
            already_exists(tables, &request.target_table_name)?;
            Ok(tables.restore(table, &request.target_table_name))
        })
    }

    pub(crate) fn restore_table_to_point_in_time_now(
        &self,
        request: &RestoreTableToPointInTime,
    ) -> Result<TableDescription> {
        self.write(|tables| tables.restore_table_to_point_in_time(request))
    }

    pub(crate) fn describe_continuous_backups_now(
        &self,
        table_name: &str,
    ) -> Result<PointInTimeRecovery> {
        self.read_tables([table_name], |tables| {
            tables.describe_continuous_backups(table_name)
        })
    }
}

/// A backup as journal mutations: its description and definition, then its items,
/// [`durable::SNAPSHOT_CHUNK`] per mutation; and how many mutations.
fn encode_backup(counter: u64, description: &BackupDescription, table: &Table) -> (Encoder, u32) {
    let mut mutations = Encoder::default();
    let mut count = mutations.backup(counter, description, table);
    let items: Vec<&ItemMap> = table.items().collect();
    for chunk in items.chunks(durable::SNAPSHOT_CHUNK) {
        mutations.backup_items(&description.summary.backup_arn, chunk.iter().copied());
        count += 1;
    }
    (mutations, count)
}

/// A live table's change log (every table in `Tables` has one; only snapshots do not).
fn change_log(table: &mut Table) -> Result<&mut ChangeLog> {
    let name = table.name.clone();
    table.history.as_mut().ok_or_else(|| Error::Backend {
        source: format!("internal: table `{name}` has no change log").into(),
    })
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use notes_model::{AttributeValue, ItemMap};

    use super::*;
    use notes_core::Backend;
    use notes_core::request::{
        CreateBackup, CreateTable, DescribeContinuousBackups, PutItem, UpdateContinuousBackups,
    };
    use notes_model::{Item, Note};

    /// `restore_lag` moves `LatestRestorableDateTime` (a local server's `--restore-lag`).
    #[tokio::test]
    async fn the_restore_lag_is_the_builders() {
        use crate::clock::{Clock, ManualClock};
        use notes_core::request::PointInTimeRecovery;
        let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        let backend = MemoryBackend::builder()
            .clock(clock.clone())
            .restore_lag(Duration::from_secs(1))
            .build();
        backend
            .create_table(CreateTable::new("notes", Note::KEY_SCHEMA))
            .await
            .unwrap();
        backend
            .update_continuous_backups(UpdateContinuousBackups::new("notes", true))
            .await
            .unwrap();
        let enabled = clock.now();
        clock.advance(Duration::from_secs(10));
        assert_eq!(
            backend
                .describe_continuous_backups(DescribeContinuousBackups::new("notes"))
                .await
                .unwrap(),
            PointInTimeRecovery::Enabled {
                earliest_restorable: enabled,
                latest_restorable: clock.now() - Duration::from_secs(1),
                recovery_period_in_days: Some(35),
            }
        );
    }

    /// `LatestRestorableDateTime` is 5 minutes behind the backend's clock, as DynamoDB's
    /// "typically" is: a restore to an instant after it is refused, `RestoreTime::Latest`
    /// restores to it, and just after enabling the window is the enabling instant.
    #[tokio::test]
    async fn the_latest_restorable_time_is_five_minutes_behind() {
        use crate::clock::{Clock, ManualClock};
        use notes_core::request::{
            PointInTimeRecovery, RestoreTableToPointInTime, RestoreTime, Scan,
        };
        let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        let backend = MemoryBackend::builder().clock(clock.clone()).build();
        backend
            .create_table(CreateTable::new("notes", Note::KEY_SCHEMA))
            .await
            .unwrap();
        backend
            .update_continuous_backups(UpdateContinuousBackups::new("notes", true))
            .await
            .unwrap();
        let enabled = clock.now();
        let window = |latest| PointInTimeRecovery::Enabled {
            earliest_restorable: enabled,
            latest_restorable: latest,
            recovery_period_in_days: Some(35),
        };
        clock.advance(Duration::from_secs(60));
        assert_eq!(
            backend
                .describe_continuous_backups(DescribeContinuousBackups::new("notes"))
                .await
                .unwrap(),
            window(enabled)
        );
        // One creation time for every note (two `Note::new` a millisecond apart differ).
        let created_at = AttributeValue::N("1".into());
        let note = |content: &str| {
            let mut item = Note::new("u1", content).to_item().unwrap();
            item.insert("noteId".into(), AttributeValue::S("n1".into()));
            item.insert("createdAt".into(), created_at.clone());
            item
        };
        backend
            .put_item(PutItem::new("notes", note("old")))
            .await
            .unwrap();
        clock.advance(Duration::from_secs(600));
        let old_written = clock.now() - Duration::from_secs(600);
        backend
            .put_item(PutItem::new("notes", note("new")))
            .await
            .unwrap();
        clock.advance(Duration::from_secs(60));
        let latest = clock.now() - RESTORE_LAG;
        assert_eq!(
            backend
                .describe_continuous_backups(DescribeContinuousBackups::new("notes"))
                .await
                .unwrap(),
            window(latest)
        );
        // The new write is a minute old: after the latest restorable time.
        let restore = |at, target: &str| RestoreTableToPointInTime::new("notes", target, at);
        let now = clock.now();
        let err = backend
            .restore_table_to_point_in_time(restore(RestoreTime::At(now), "target-1"))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidRestoreTime { message, .. }
                if message.contains("LatestRestorableDateTime")),
            "{err:?}"
        );
        let err = backend
            .restore_table_to_point_in_time(restore(
                RestoreTime::At(latest + Duration::from_millis(1)),
                "target-1",
            ))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRestoreTime { .. }), "{err:?}");
        for (at, target) in [
            (RestoreTime::Latest, "latest"),
            (RestoreTime::At(latest), "at-latest"),
            (RestoreTime::At(old_written), "at-old"),
        ] {
            backend
                .restore_table_to_point_in_time(restore(at, target))
                .await
                .unwrap();
            let page = backend.scan(Scan::new(target)).await.unwrap();
            assert_eq!(page.items, [note("old")], "{target}");
        }
    }

    /// The cost a backup puts on writers: one piece of the copy under the read lock, against
    /// a copy of the whole table at once. `cargo test -p notes-repo --lib backup_copy_cost --
    /// --nocapture` prints both; the assertions guard the piece size and the result.
    #[tokio::test]
    async fn backup_copy_cost() {
        let backend = MemoryBackend::new();
        backend
            .create_table(CreateTable::new("notes", Note::KEY_SCHEMA))
            .await
            .unwrap();
        for i in 0..100_000 {
            let item: ItemMap = [
                (
                    "userId".to_owned(),
                    AttributeValue::S(format!("u{}", i % 100)),
                ),
                ("noteId".to_owned(), AttributeValue::S(format!("n{i:06}"))),
                (
                    "content".to_owned(),
                    AttributeValue::S("a note of some length".into()),
                ),
                ("createdAt".to_owned(), AttributeValue::N(i.to_string())),
            ]
            .into_iter()
            .collect();
            backend.put_item(PutItem::new("notes", item)).await.unwrap();
        }
        let start = Instant::now();
        let whole = backend.read(|t| Ok(t.table("notes")?.snapshot())).unwrap();
        let whole_copy = start.elapsed();
        let start = Instant::now();
        let piece = backend
            .read(|t| Ok(t.table("notes")?.items_after(None, COPY_PIECE)))
            .unwrap();
        let one_piece = start.elapsed();
        let start = Instant::now();
        let backup = backend
            .create_backup(CreateBackup::new("notes", "cost"))
            .await
            .unwrap();
        println!(
            "10^5 notes: whole copy under the lock {whole_copy:?}, one piece of {COPY_PIECE} \
             {one_piece:?}, the backup {:?}",
            start.elapsed()
        );
        assert_eq!(piece.len(), COPY_PIECE);
        assert_eq!(whole.item_count(), 100_000);
        assert_eq!(backup.summary.item_count, Some(100_000));
    }
}
