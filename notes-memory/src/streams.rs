//! The embedded backend's DynamoDB Streams: a table created with a stream view type keeps
//! its stream's records in its change log (`history.rs`) for DynamoDB's 24 hours, and
//! [`MemoryBackend::stream_records`] reads them in DynamoDB's shape.
//!
//! The rules followed (developerguide/Streams.html):
//!
//! - One record per write that changed the item, in write order (the embedded table has one
//!   shard, so every key's records are in order): `INSERT` when there was no item, `REMOVE`
//!   when there is none after, `MODIFY` otherwise. "If you perform a PutItem or UpdateItem
//!   operation that does not change any data in an item, DynamoDB Streams does not write a
//!   stream record for that operation": a put of an identical item, or a delete of a missing
//!   one, writes none.
//! - The view type chooses the images: `KEYS_ONLY` none, `NEW_IMAGE` the new one, `OLD_IMAGE`
//!   the old one, `NEW_AND_OLD_IMAGES` both.
//! - Sequence numbers increase per table (one per write, recorded or not: so they are not
//!   consecutive) and are zero-padded to 21 digits, so they also sort as strings. `ApproximateCreationDateTime` is the write's time on the backend's clock,
//!   to the second.
//!
//! - Records are trimmed after 24 hours. Reading from the oldest record kept (`after` is
//!   `None`, `TRIM_HORIZON`) skips them; reading after a checkpoint when a record after it was
//!   trimmed is DynamoDB's `TrimmedDataAccessException`, [`Error::TrimmedData`], rather than
//!   the later records alone (a consumer would never know what it missed). A checkpoint that
//!   is itself older than 24 hours, with nothing trimmed after it, resumes (DynamoDB may refuse
//!   a sequence number past its trim point even then; a consumer handles the error either
//!   way). A write that changed nothing has no record, and trims none.
//!
//! - A deletion by time to live (`MemoryBackend::expire_items`) is a `REMOVE` marked
//!   `removed_by_ttl`, as DynamoDB marks it with the service principal in `userIdentity`.
//!
//! - `UpdateTable` enables a new stream (a new label in its ARN) holding the writes after it,
//!   or disables the enabled one, whose records stay readable for 24 hours; until another is
//!   enabled, [`MemoryBackend::stream_records`] reads them (DynamoDB's `LatestStreamArn`).
//!
//! - On a durable store (`MemoryBackend::open`), the stream survives a restart and a
//!   compaction: its records of the last 24 hours with their sequence numbers and times, its
//!   ARN, a disabled stream's records; numbers go on increasing after the restart, so a
//!   checkpoint taken before it resumes exactly after itself (`durable/`).
//!
//! - The reader takes a table name, not a stream ARN: a checkpoint belongs to the table's
//!   stream, and must be dropped when the table is deleted and created again (DynamoDB gives
//!   the new table a new stream, whose sequence numbers are unrelated). A checkpoint beyond
//!   the new stream's last sequence number is refused with [`Error::Validation`] naming it;
//!   one that the new stream has already passed cannot be told from its own.
//!
//! Not modelled yet: reading an older stream than the latest by its ARN.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::history::{ChangeLog, STREAM_RETENTION, table_stream};
use crate::memory_backend::MemoryBackend;
use crate::table::Table;
use notes_core::stream::{ChangeKind, ChangeRecord, StreamArn, StreamViewType, TRIMMED_MESSAGE};
use notes_core::validate::item_size;
use notes_core::{Error, Result};

/// The width of a stream record's sequence number.
const SEQUENCE_DIGITS: usize = 21;

impl MemoryBackend {
    /// The records of `table`'s stream after the sequence number `after` (from the oldest
    /// kept, when `None`), oldest first.
    ///
    /// # Errors
    ///
    /// [`Error::TableNotFound`] for a missing table, [`Error::Validation`] when the table has
    /// no stream, `after` is not a sequence number, or `after` is beyond the last sequence
    /// number the stream gave (a checkpoint of another stream), [`Error::TrimmedData`] when a record
    /// after `after` is older than 24 hours and was trimmed (the module's documentation).
    ///
    /// ```
    /// use notes_repo::request::CreateTable;
    /// use notes_repo::stream::{ChangeKind, StreamViewType};
    /// use notes_repo::{Backend, Item, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let backend = MemoryBackend::new();
    /// let create = CreateTable::new("notes", Note::KEY_SCHEMA)
    ///     .stream_view_type(StreamViewType::NewAndOldImages);
    /// backend.create_table(create).await?;
    /// let repo: Repo<Note, _> = Repo::new(backend.clone());
    /// let note = Note::new("u1", "buy milk");
    /// repo.put(&note).await?;
    /// repo.put(&note).await?; // the same item again: no record
    /// repo.delete(&note.key()).await?;
    ///
    /// let records = backend.stream_records("notes", None)?;
    /// let kinds: Vec<ChangeKind> = records.iter().map(|r| r.kind).collect();
    /// assert_eq!(kinds, [ChangeKind::Insert, ChangeKind::Remove]);
    /// let rest = backend.stream_records("notes", Some(&records[0].sequence_number))?;
    /// assert_eq!(rest.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn stream_records(&self, table: &str, after: Option<&str>) -> Result<Vec<ChangeRecord>> {
        self.read_stream(|| self.read_records(table, after))
    }

    /// [`stream_records`](Self::stream_records), without waiting for the disk.
    fn read_records(&self, table: &str, after: Option<&str>) -> Result<Vec<ChangeRecord>> {
        self.read(|tables| {
            let live = tables.table(table)?;
            let log = live.history.as_ref().ok_or_else(|| no_stream(table))?;
            let now = log.now();
            let (view, first, last) = readable_stream(log, table, now)?;
            let retained = now.checked_sub(STREAM_RETENTION);
            let checkpoint = after;
            let after = match after {
                None => 0,
                Some(text) => text.parse::<u64>().map_err(|_| {
                    Error::validation(format!(
                        "Invalid SequenceNumber `{text}` for the stream of table `{table}`"
                    ))
                })?,
            };
            // A number this stream never gave: a checkpoint of another stream (of a table
            // deleted and created again under the same name, whose numbers start again).
            if after > log.sequence() {
                return Err(Error::validation(format!(
                    "Invalid SequenceNumber `{}` for the stream of table `{table}`: it is \
                     beyond the stream's last sequence number {} (a checkpoint of another \
                     stream, such as one of a table deleted and created again)",
                    checkpoint.unwrap_or_default(),
                    sequence_number(log.sequence())
                )));
            }
            let trimmed = || Error::TrimmedData {
                stream: table_stream(table, log.stream_label(), view)
                    .arn
                    .map(|arn| arn.as_str().to_owned())
                    .unwrap_or_default(),
                after: checkpoint.map(str::to_owned),
                message: TRIMMED_MESSAGE.to_owned(),
                source: None,
            };
            let start = after.max(first);
            // A record after the checkpoint that the log dropped: trimmed. Gaps in the
            // numbering are not: a write that changed nothing, or one made while no stream
            // recorded, has a number and no record.
            if checkpoint.is_some() && log.trimmed() > start {
                return Err(trimmed());
            }
            let changes = log
                .after(start)
                .take_while(|change| change.sequence <= last);
            let mut records = Vec::new();
            for change in changes {
                if !change.is_visible() {
                    continue;
                }
                if retained.is_some_and(|oldest| change.at <= oldest) {
                    // Trimmed, though still in the log.
                    if checkpoint.is_some() {
                        return Err(trimmed());
                    }
                    continue;
                }
                let kind = match (&change.old, &change.new) {
                    (None, _) => ChangeKind::Insert,
                    (_, None) => ChangeKind::Remove,
                    _ => ChangeKind::Modify,
                };
                let Some(image) = change.new.as_ref().or(change.old.as_ref()) else {
                    continue;
                };
                let mut record = ChangeRecord::new(
                    kind,
                    live.key_map(image),
                    sequence_number(change.sequence),
                    to_the_second(change.at),
                )
                .view_type(view)
                .removed_by_ttl(change.by_ttl);
                if view.has_old_image() {
                    record.old_image = change.old.clone();
                }
                if view.has_new_image() {
                    record.new_image = change.new.clone();
                }
                // `SizeBytes`: the keys and the images the record carries, sized as items.
                let size = [
                    Some(&record.keys),
                    record.old_image.as_ref(),
                    record.new_image.as_ref(),
                ]
                .into_iter()
                .flatten()
                .map(item_size)
                .sum::<usize>();
                record.size_bytes = u64::try_from(size).ok();
                records.push(record);
            }
            Ok(records)
        })
    }
}

impl MemoryBackend {
    /// The position after every change so far of `table`'s stream (the one
    /// [`stream_records`](Self::stream_records) reads), as a sequence number to read after:
    /// what DynamoDB's `LATEST` shard iterator is to a consumer starting now. Unlike reading
    /// from the oldest record kept (`after` = `None`), reading after it answers
    /// [`Error::TrimmedData`] if a record written since is trimmed before it is read.
    ///
    /// # Errors
    ///
    /// [`Error::TableNotFound`] for a missing table, [`Error::Validation`] when the table has
    /// no stream.
    ///
    /// ```
    /// use notes_repo::request::CreateTable;
    /// use notes_repo::stream::StreamViewType;
    /// use notes_repo::{Backend, Item, MemoryBackend, Note, Repo};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let backend = MemoryBackend::new();
    /// let create = CreateTable::new("notes", Note::KEY_SCHEMA)
    ///     .stream_view_type(StreamViewType::KeysOnly);
    /// backend.create_table(create).await?;
    /// let repo: Repo<Note, _> = Repo::new(backend.clone());
    /// repo.put(&Note::new("u1", "before")).await?;
    /// let position = backend.stream_position("notes")?;
    /// repo.put(&Note::new("u1", "after")).await?;
    /// assert_eq!(backend.stream_records("notes", Some(&position))?.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn stream_position(&self, table: &str) -> Result<String> {
        self.read_stream(|| self.read_position(table))
    }

    /// [`stream_position`](Self::stream_position), without waiting for the disk.
    fn read_position(&self, table: &str) -> Result<String> {
        self.read(|tables| {
            let live = tables.table(table)?;
            let log = live.history.as_ref().ok_or_else(|| no_stream(table))?;
            let (_, first, last) = readable_stream(log, table, log.now())?;
            let latest = log
                .newer_than(None)
                .next()
                .map_or(0, |change| change.sequence);
            Ok(sequence_number(latest.clamp(first, last)))
        })
    }
}

impl MemoryBackend {
    /// Runs the stream read `read` and, on a durable backend, answers only once every write
    /// it could have seen is on disk, blocking the thread (the stream reads are synchronous):
    /// a record of a write still waiting for its `fsync` is never returned before the disk
    /// has it, and if the journal failed (the write refused and undone) the read runs again.
    /// The item reads' `read_durably` (`memory/mod.rs`), for a synchronous caller.
    fn read_stream<T>(&self, read: impl Fn() -> Result<T>) -> Result<T> {
        let Some(store) = &self.store else {
            return read();
        };
        let output = read();
        match store.wait_for_reads_blocking() {
            Ok(()) => output,
            Err(_) => read(),
        }
    }

    /// The ARN of `table`'s stream that [`stream_records`](Self::stream_records) reads (the
    /// enabled one, else the one disabled less than 24 hours ago): Lambda events name it.
    ///
    /// # Errors
    ///
    /// `ResourceNotFound` when the table is missing or has no readable stream.
    pub fn stream_arn(&self, table: &str) -> Result<StreamArn> {
        self.read(|tables| {
            let live = tables.table(table)?;
            let log = live.history.as_ref().ok_or_else(|| no_stream(table))?;
            let (view, _, _) = readable_stream(log, table, log.now())?;
            table_stream(table, log.stream_label(), view)
                .arn
                .ok_or_else(|| no_stream(table))
        })
    }
}

/// A table's readable stream (see [`TableFacts::stream`](crate::TableFacts::stream)), as the Streams API's
/// `DescribeStream` describes its one shard.
///
/// ```
/// use notes_repo::request::CreateTable;
/// use notes_repo::stream::StreamViewType;
/// use notes_repo::{Backend, Item, MemoryBackend, Note};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let backend = MemoryBackend::new();
/// let create = CreateTable::new("notes", Note::KEY_SCHEMA).stream_view_type(StreamViewType::KeysOnly);
/// backend.create_table(create).await?;
/// let stream = backend.table_facts("notes")?.stream.expect("a stream");
/// assert!(stream.enabled && stream.last_sequence_number.is_none());
/// assert_eq!(stream.arn, backend.stream_arn("notes")?);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamFacts {
    /// Its ARN (`StreamArn`), as [`stream_arn`](MemoryBackend::stream_arn) gives it.
    pub arn: StreamArn,
    /// What its records carry.
    pub view_type: StreamViewType,
    /// Enabled (`true`), or disabled less than 24 hours ago and still readable.
    pub enabled: bool,
    /// When it was enabled (`CreationRequestDateTime`), when known (a durable store written
    /// before this was recorded does not know).
    pub created_at: Option<SystemTime>,
    /// The first sequence number its shard holds (`StartingSequenceNumber`): the one after
    /// the stream's start and after every trimmed record.
    pub first_sequence_number: String,
    /// The last one of a disabled stream, whose shard is closed (`EndingSequenceNumber`);
    /// never before [`first_sequence_number`](Self::first_sequence_number).
    pub last_sequence_number: Option<String>,
}

/// What [`TableFacts::stream`](crate::TableFacts::stream) says of the stream of `live` (named
/// `table`) readable now; `None` when there is none.
pub(crate) fn stream_facts(live: &Table, table: &str) -> Option<StreamFacts> {
    let log = live.history.as_ref()?;
    let (view, after, until) = readable_stream(log, table, log.now()).ok()?;
    let first = after.max(log.trimmed()) + 1;
    let enabled = log.stream.is_some();
    Some(StreamFacts {
        arn: table_stream(table, log.stream_label(), view).arn?,
        view_type: view,
        enabled,
        created_at: log.stream_created_at,
        first_sequence_number: sequence_number(first),
        last_sequence_number: (!enabled).then(|| sequence_number(until.max(first))),
    })
}

/// The stream of `table` that is read at `now`: the enabled one, else the one disabled less
/// than 24 hours ago. Its view type, and the sequence numbers it holds: after the first, up
/// to and including the second.
fn readable_stream(
    log: &ChangeLog,
    table: &str,
    now: SystemTime,
) -> Result<(StreamViewType, u64, u64)> {
    match (log.stream, log.disabled_stream) {
        (Some(view), _) => Ok((view, log.stream_after, u64::MAX)),
        (None, Some(disabled)) if disabled.at + STREAM_RETENTION > now => {
            Ok((disabled.view, disabled.after, disabled.until))
        }
        _ => Err(no_stream(table)),
    }
}

fn no_stream(table: &str) -> Error {
    Error::validation(format!(
        "table `{table}` has no stream (create it with a StreamViewType, or enable one with \
         UpdateTable)"
    ))
}

/// A sequence number as the stream gives it: zero-padded, so that it also sorts as a string.
fn sequence_number(sequence: u64) -> String {
    format!("{sequence:0width$}", width = SEQUENCE_DIGITS)
}

fn to_the_second(at: SystemTime) -> SystemTime {
    let seconds = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    UNIX_EPOCH + Duration::from_secs(seconds)
}
