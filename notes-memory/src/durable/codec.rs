//! The journal's byte format: framed, checksummed records of table definitions and item
//! images.
//!
//! A record on disk is `[payload length: u32 LE][crc32 of the payload: u32 LE][payload]`;
//! the payload is never empty (its first byte is its kind). The checksum covers every byte
//! of the payload, and through it the length: a changed length frames other bytes, whose
//! checksum does not match. A record that cannot be read ([`read_record`]) ends the journal
//! only when what follows is a torn tail ([`torn_tail`]: what a crash while appending
//! leaves); any other damage is corruption, which recovery refuses and salvage skips
//! ([`next_readable`]). Inside a payload, integers are little endian, strings and byte
//! strings are length-prefixed (`u32`), times are seconds and nanoseconds since the Unix
//! epoch.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, SystemTime};

use notes_model::{
    AttributeValue, IndexKind, IndexProjection, IndexSchema, ItemMap, KeyAttribute, KeySchema,
    ScalarType,
};

use crate::history::{Change, DisabledStream, LogState, Recovery};
use crate::provisioning::Changes;
use crate::table::Table;
use crate::tokens::Fingerprint;
use notes_core::request::{
    BackupArn, BackupDescription, BackupStatus, BackupSummary, BillingMode, ProvisionedThroughput,
};
use notes_core::stream::StreamViewType;

/// The first payload of every journal file: what it is, and which generation.
pub(crate) const MAGIC: &[u8; 8] = b"NOTESJ01";

/// Record kinds (the payload's first byte).
pub(crate) const HEADER: u8 = 1;
pub(crate) const OPERATION: u8 = 2;
pub(crate) const SNAPSHOT_END: u8 = 3;

/// Mutation kinds inside an operation record.
const DEFINE: u8 = 1;
const DROP: u8 = 2;
const ITEMS: u8 = 3;

/// What a durable store keeps besides the tables' definitions and items (added kinds: a
/// journal written before them decodes as before).
/// A table's change log state ([`LogState`]): after its items in a snapshot, and after an
/// operation that changed it (a stream enabled or disabled).
const LOG: u8 = 4;
/// Changes of a table's change log, with their sequence numbers and times (a snapshot's).
const CHANGES: u8 = 5;
/// An on-demand backup: its description and its table's definition.
const BACKUP: u8 = 6;
/// Items of a backup (after its `BACKUP`).
const BACKUP_ITEMS: u8 = 7;
/// A backup deleted.
const DELETE_BACKUP: u8 = 8;
/// A transaction's `ClientRequestToken`.
const TOKEN: u8 = 9;
/// Items deleted by time to live (after the `ITEMS` that deleted them): their stream
/// records are marked so.
const EXPIRED: u8 = 10;

/// Item entries inside an `ITEMS` mutation.
const PUT: u8 = 0;
const DELETE: u8 = 1;

/// Frame header bytes: length and checksum.
pub(crate) const FRAME: usize = 8;
/// No record is larger (a longer length is a torn or garbage header).
const MAX_RECORD: usize = 1 << 30;

/// A payload that does not decode.
#[derive(Debug)]
pub(crate) struct Corrupt(pub(crate) std::borrow::Cow<'static, str>);

impl From<&'static str> for Corrupt {
    fn from(reason: &'static str) -> Self {
        Corrupt(reason.into())
    }
}

impl fmt::Display for Corrupt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "corrupt journal record: {}", self.0)
    }
}

impl std::error::Error for Corrupt {}

type Decoded<T> = Result<T, Corrupt>;

/// A stream view type as one byte (0: none).
fn view_code(view: Option<StreamViewType>) -> u8 {
    match view {
        None => 0,
        Some(StreamViewType::KeysOnly) => 1,
        Some(StreamViewType::NewImage) => 2,
        Some(StreamViewType::OldImage) => 3,
        Some(StreamViewType::NewAndOldImages) => 4,
    }
}

/// The stream view type of [`view_code`]'s byte.
fn view_of(code: u8) -> Option<StreamViewType> {
    match code {
        1 => Some(StreamViewType::KeysOnly),
        2 => Some(StreamViewType::NewImage),
        3 => Some(StreamViewType::OldImage),
        4 => Some(StreamViewType::NewAndOldImages),
        _ => None,
    }
}

/// Appends `payload` to `out` as one framed record.
pub(crate) fn frame(out: &mut Vec<u8>, payload: &[u8]) {
    let len = u32::try_from(payload.len()).expect("a journal record is under 4 GiB");
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    out.extend_from_slice(payload);
}

/// The next complete record of `bytes` from `at`: its payload and where the next one starts,
/// or `None` when none can be read there ([`read_record`] tells why).
pub(crate) fn next_record(bytes: &[u8], at: usize) -> Option<(&[u8], usize)> {
    match read_record(bytes, at) {
        Frame::Record(payload, next) => Some((payload, next)),
        Frame::End | Frame::Bad { .. } => None,
    }
}

/// What [`read_record`] finds at an offset.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Frame<'a> {
    /// A record whose checksum matches: its payload, and where the next record starts.
    Record(&'a [u8], usize),
    /// The end of the bytes.
    End,
    /// A record that cannot be read. `short`: it runs past the end of the bytes (fewer bytes
    /// left than its frame, or than its length says; a length over the largest record counts
    /// as such); otherwise its checksum does not match, or its length is 0.
    Bad {
        /// It runs past the end.
        short: bool,
    },
}

/// The record of `bytes` at `at`.
pub(crate) fn read_record(bytes: &[u8], at: usize) -> Frame<'_> {
    if at >= bytes.len() {
        return Frame::End;
    }
    let Some(header) = bytes.get(at..at.saturating_add(FRAME)) else {
        return Frame::Bad { short: true };
    };
    let len = u32::from_le_bytes([header[0], header[1], header[2], header[3]]) as usize;
    let crc = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
    let end = at + FRAME + len;
    if len > MAX_RECORD || end > bytes.len() {
        return Frame::Bad { short: true };
    }
    let payload = &bytes[at + FRAME..end];
    if len == 0 || crc32fast::hash(payload) != crc {
        return Frame::Bad { short: false };
    }
    Frame::Record(payload, end)
}

/// Whether the bytes of `bytes` from `at`, where a record cannot be read, are a torn tail: what
/// a crash while appending leaves, and may be cut off. That is fewer bytes than a frame, or
/// one record that runs past the end and holds nothing readable: its checksum matches no
/// shorter length (a changed length field is damage) and no record can be read after it. A
/// complete record whose checksum does not match is damage, even at the end: a crash cuts
/// a record short, it does not change its bytes. So is a tail of zeros (what a power loss
/// can leave on some file systems, and what a lost block reads as): it is refused, not
/// guessed at, and salvage cuts it.
pub(crate) fn torn_tail(bytes: &[u8], at: usize) -> bool {
    let rest = bytes.get(at..).unwrap_or_default();
    if rest.len() < FRAME {
        return true;
    }
    read_record(bytes, at) == Frame::Bad { short: true }
        && next_readable(bytes, at + 1).is_none()
        && !reads_with_another_length(rest)
}

/// Whether the checksum of the frame at the start of `rest` matches some non-empty prefix of
/// what follows its frame header: its length field was changed (the record is all there).
fn reads_with_another_length(rest: &[u8]) -> bool {
    let crc = u32::from_le_bytes([rest[4], rest[5], rest[6], rest[7]]);
    let mut hasher = crc32fast::Hasher::new();
    rest[FRAME..].iter().any(|&b| {
        hasher.update(&[b]);
        hasher.clone().finalize() == crc
    })
}

/// The first offset from `from` at which a record can be read: where reading resumes after
/// damage (salvage), and what tells damage from a torn tail.
pub(crate) fn next_readable(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find(|&at| matches!(read_record(bytes, at), Frame::Record(..)))
}

/// Builds a payload.
#[derive(Debug, Default, Clone)]
pub(crate) struct Encoder {
    pub(crate) bytes: Vec<u8>,
}

impl Encoder {
    pub(crate) fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    fn i64(&mut self, v: i64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("fewer than 2^32 elements"));
    }

    fn bytes(&mut self, v: &[u8]) {
        self.len(v.len());
        self.bytes.extend_from_slice(v);
    }

    pub(crate) fn str(&mut self, v: &str) {
        self.bytes(v.as_bytes());
    }

    pub(crate) fn time(&mut self, t: SystemTime) {
        let since = t.duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
        self.duration(since);
    }

    fn duration(&mut self, d: Duration) {
        self.u64(d.as_secs());
        self.u32(d.subsec_nanos());
    }

    fn times(&mut self, ts: &[SystemTime]) {
        self.len(ts.len());
        for &t in ts {
            self.time(t);
        }
    }

    fn value(&mut self, v: &AttributeValue) {
        match v {
            AttributeValue::S(s) => {
                self.u8(0);
                self.str(s);
            }
            AttributeValue::N(n) => {
                self.u8(1);
                self.str(n);
            }
            AttributeValue::B(b) => {
                self.u8(2);
                self.bytes(b);
            }
            AttributeValue::Bool(b) => {
                self.u8(3);
                self.u8(u8::from(*b));
            }
            AttributeValue::Null(b) => {
                self.u8(4);
                self.u8(u8::from(*b));
            }
            AttributeValue::M(m) => {
                self.u8(5);
                self.item(m);
            }
            AttributeValue::L(l) => {
                self.u8(6);
                self.len(l.len());
                for v in l {
                    self.value(v);
                }
            }
            AttributeValue::Ss(ss) => {
                self.u8(7);
                self.len(ss.len());
                for s in ss {
                    self.str(s);
                }
            }
            AttributeValue::Ns(ns) => {
                self.u8(8);
                self.len(ns.len());
                for n in ns {
                    self.str(n);
                }
            }
            AttributeValue::Bs(bs) => {
                self.u8(9);
                self.len(bs.len());
                for b in bs {
                    self.bytes(b);
                }
            }
        }
    }

    pub(crate) fn item(&mut self, item: &ItemMap) {
        self.len(item.len());
        for (name, value) in item {
            self.str(name);
            self.value(value);
        }
    }

    fn key_schema(&mut self, schema: &KeySchema) {
        let attribute = |e: &mut Self, a: &KeyAttribute| {
            e.str(&a.name);
            e.u8(match a.scalar_type {
                ScalarType::S => 0,
                ScalarType::N => 1,
                ScalarType::B => 2,
            });
        };
        attribute(self, &schema.partition_key);
        match &schema.sort_key {
            Some(sk) => {
                self.u8(1);
                attribute(self, sk);
            }
            None => self.u8(0),
        }
    }

    /// A `DEFINE` mutation: everything about a table but its items.
    pub(crate) fn define(&mut self, table: &Table) {
        self.u8(DEFINE);
        self.definition(table);
    }

    /// A table's definition (also what tells whether an operation changed it).
    pub(crate) fn definition(&mut self, table: &Table) {
        self.str(&table.name);
        self.key_schema(&table.schema);
        match table.billing_mode {
            BillingMode::PayPerRequest => self.u8(0),
            BillingMode::Provisioned {
                read_capacity_units,
                write_capacity_units,
            } => {
                self.u8(1);
                self.i64(read_capacity_units);
                self.i64(write_capacity_units);
            }
        }
        self.len(table.index_throughput.len());
        for (name, units) in &table.index_throughput {
            self.str(name);
            self.i64(units.read_capacity_units);
            self.i64(units.write_capacity_units);
        }
        let changes = &table.changes;
        self.times(&changes.decreases);
        self.len(changes.index_decreases.len());
        for (name, times) in &changes.index_decreases {
            self.str(name);
            self.times(times);
        }
        self.times(&changes.to_on_demand);
        match &table.time_to_live {
            Some(attribute) => {
                self.u8(1);
                self.str(attribute);
            }
            None => self.u8(0),
        }
        self.len(table.indexes.len());
        for index in &table.indexes {
            let schema = &index.schema;
            self.str(&schema.name);
            self.u8(match schema.kind {
                IndexKind::Global => 0,
                IndexKind::Local => 1,
            });
            self.key_schema(&schema.key_schema);
            match &schema.projection {
                IndexProjection::All => self.u8(0),
                IndexProjection::KeysOnly => self.u8(1),
                IndexProjection::Include(names) => {
                    self.u8(2);
                    self.len(names.len());
                    for name in names {
                        self.str(name);
                    }
                }
            }
        }
        match table.history.as_ref().and_then(|h| h.recovery) {
            Some(recovery) => {
                self.u8(1);
                self.time(recovery.since);
                self.duration(recovery.period);
            }
            None => self.u8(0),
        }
        let stream = table.history.as_ref().and_then(|h| h.stream);
        self.u8(match stream {
            None => 0,
            Some(StreamViewType::KeysOnly) => 1,
            Some(StreamViewType::NewImage) => 2,
            Some(StreamViewType::OldImage) => 3,
            Some(StreamViewType::NewAndOldImages) => 4,
        });
    }

    /// A `DROP` mutation.
    pub(crate) fn drop_table(&mut self, name: &str) {
        self.u8(DROP);
        self.str(name);
    }

    /// The parts of a table's change log state that change only with the table's settings
    /// (what tells whether an operation changed them: not the sequence number).
    pub(crate) fn log_identity(&mut self, table: &Table) {
        let Some(log) = table.history.as_ref() else {
            self.u8(0);
            return;
        };
        let state = log.state();
        self.u8(1);
        self.u64(state.stream_label);
        self.u64(state.stream_after);
        match state.disabled_stream {
            Some(disabled) => {
                self.u8(1);
                self.u8(view_code(Some(disabled.view)));
                self.u64(disabled.after);
                self.u64(disabled.until);
                self.time(disabled.at);
            }
            None => self.u8(0),
        }
    }

    /// A `LOG` mutation: `table`'s change log state (nothing for a table without a log).
    pub(crate) fn log(&mut self, table: &Table) -> bool {
        let Some(log) = table.history.as_ref() else {
            return false;
        };
        self.u8(LOG);
        self.str(&table.name);
        self.u64(log.state().sequence);
        self.log_identity(table);
        true
    }

    /// A `CHANGES` mutation: these logged changes of `table`, oldest first.
    pub(crate) fn changes<'c>(
        &mut self,
        table: &str,
        changes: impl ExactSizeIterator<Item = &'c Change>,
    ) {
        self.u8(CHANGES);
        self.str(table);
        self.len(changes.len());
        for change in changes {
            self.u64(change.sequence);
            self.time(change.at);
            self.u8(u8::from(change.by_ttl));
            for image in [&change.old, &change.new] {
                match image {
                    Some(item) => {
                        self.u8(1);
                        self.item(item);
                    }
                    None => self.u8(0),
                }
            }
        }
    }

    /// A `BACKUP` mutation: the backup described, of a table with `table`'s definition;
    /// `counter`: the last backup number given.
    pub(crate) fn backup(&mut self, counter: u64, description: &BackupDescription, table: &Table) {
        self.u8(BACKUP);
        self.u64(counter);
        let summary = &description.summary;
        self.str(summary.backup_arn.as_str());
        self.str(&summary.backup_name);
        self.str(&summary.table_name);
        match &summary.status {
            BackupStatus::Creating => self.u8(0),
            BackupStatus::Available => self.u8(1),
            BackupStatus::Deleted => self.u8(2),
            BackupStatus::Other(other) => {
                self.u8(3);
                self.str(other);
            }
        }
        for count in [summary.size_bytes, summary.item_count] {
            match count {
                Some(n) => {
                    self.u8(1);
                    self.i64(n);
                }
                None => self.u8(0),
            }
        }
        self.time(summary.created_at);
        self.billing_mode(description.billing_mode);
        self.definition(table);
    }

    fn billing_mode(&mut self, mode: Option<BillingMode>) {
        match mode {
            None => self.u8(0),
            Some(BillingMode::PayPerRequest) => self.u8(1),
            Some(BillingMode::Provisioned {
                read_capacity_units,
                write_capacity_units,
            }) => {
                self.u8(2);
                self.i64(read_capacity_units);
                self.i64(write_capacity_units);
            }
        }
    }

    /// A `BACKUP_ITEMS` mutation: items of the backup `arn`.
    pub(crate) fn backup_items<'i>(
        &mut self,
        arn: &BackupArn,
        items: impl ExactSizeIterator<Item = &'i ItemMap>,
    ) {
        self.u8(BACKUP_ITEMS);
        self.str(arn.as_str());
        self.len(items.len());
        for item in items {
            self.item(item);
        }
    }

    /// A `DELETE_BACKUP` mutation.
    pub(crate) fn delete_backup(&mut self, arn: &BackupArn) {
        self.u8(DELETE_BACKUP);
        self.str(arn.as_str());
    }

    /// A `TOKEN` mutation: a transaction's token, when it was used, and its fingerprint.
    pub(crate) fn token(&mut self, token: &str, at: SystemTime, fingerprint: &Fingerprint) {
        self.u8(TOKEN);
        self.str(token);
        self.time(at);
        self.bytes.extend_from_slice(&fingerprint.0);
    }

    /// An `EXPIRED` mutation of `count` keys already encoded in `keys`.
    fn expired(&mut self, table: &str, count: u32, keys: &[u8]) {
        self.u8(EXPIRED);
        self.str(table);
        self.u32(count);
        self.bytes.extend_from_slice(keys);
    }

    /// An `ITEMS` mutation of `count` entries already encoded in `entries`.
    pub(crate) fn items(&mut self, table: &str, count: u32, entries: &[u8]) {
        self.u8(ITEMS);
        self.str(table);
        self.u32(count);
        self.bytes.extend_from_slice(entries);
    }
}

/// The item writes of one table not yet in the journal, encoded as they happen
/// ([`Table::put`] and [`Table::delete`] append here when the backend is durable).
#[derive(Debug, Default, Clone)]
pub(crate) struct PendingItems {
    entries: Encoder,
    count: u32,
    /// Keys of the items among `entries`' deletions that time to live deleted.
    expired: Encoder,
    expired_count: u32,
}

impl PendingItems {
    /// Records that `item` was stored.
    pub(crate) fn put(&mut self, item: &ItemMap) {
        self.entries.u8(PUT);
        self.entries.item(item);
        self.count += 1;
    }

    /// Records that the item with these key attributes was deleted.
    pub(crate) fn delete(&mut self, key: &ItemMap) {
        self.entries.u8(DELETE);
        self.entries.item(key);
        self.count += 1;
    }

    /// Records that the deletion of the item with these key attributes, recorded just
    /// before, was time to live's.
    pub(crate) fn expired(&mut self, key: &ItemMap) {
        self.expired.item(key);
        self.expired_count += 1;
    }

    /// Moves the pending writes into `out` as one `ITEMS` mutation; answers whether there
    /// were any.
    pub(crate) fn drain_into(&mut self, table: &str, out: &mut Encoder) -> bool {
        if self.count == 0 {
            return false;
        }
        out.items(table, self.count, &self.entries.bytes);
        self.entries.bytes.clear();
        self.count = 0;
        true
    }

    /// Moves the pending time-to-live marks into `out` as one `EXPIRED` mutation (after
    /// [`drain_into`](Self::drain_into)); answers whether there were any.
    pub(crate) fn drain_expired_into(&mut self, table: &str, out: &mut Encoder) -> bool {
        if self.expired_count == 0 {
            return false;
        }
        out.expired(table, self.expired_count, &self.expired.bytes);
        self.expired.bytes.clear();
        self.expired_count = 0;
        true
    }
}

/// A table's definition, decoded.
#[derive(Debug)]
pub(crate) struct Definition {
    pub(crate) name: String,
    pub(crate) schema: KeySchema,
    pub(crate) billing_mode: BillingMode,
    pub(crate) index_throughput: BTreeMap<String, ProvisionedThroughput>,
    pub(crate) changes: Changes,
    pub(crate) time_to_live: Option<String>,
    pub(crate) indexes: Vec<IndexSchema>,
    pub(crate) recovery: Option<Recovery>,
    pub(crate) stream: Option<StreamViewType>,
}

/// One decoded mutation.
#[derive(Debug)]
pub(crate) enum Mutation {
    Define(Box<Definition>),
    Drop(String),
    Items {
        table: String,
        entries: Vec<(bool, ItemMap)>,
    },
    Log {
        table: String,
        state: LogState,
    },
    Changes {
        table: String,
        changes: Vec<LoggedChange>,
    },
    Backup(Box<BackupRecord>),
    BackupItems {
        arn: BackupArn,
        items: Vec<ItemMap>,
    },
    DeleteBackup(BackupArn),
    Token {
        token: String,
        at: SystemTime,
        fingerprint: Fingerprint,
    },
    Expired {
        table: String,
        keys: Vec<ItemMap>,
    },
}

/// A change of a `CHANGES` mutation (its key is its image's).
#[derive(Debug)]
pub(crate) struct LoggedChange {
    pub(crate) sequence: u64,
    pub(crate) at: SystemTime,
    pub(crate) by_ttl: bool,
    pub(crate) old: Option<ItemMap>,
    pub(crate) new: Option<ItemMap>,
}

/// A `BACKUP` mutation, decoded.
#[derive(Debug)]
pub(crate) struct BackupRecord {
    /// The last backup number given when it was written.
    pub(crate) counter: u64,
    pub(crate) description: BackupDescription,
    pub(crate) definition: Definition,
}

impl Mutation {
    /// An `ITEMS` entry that puts this item.
    pub(crate) const PUT: bool = true;
}

/// Reads a payload.
pub(crate) struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Decoder<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Decoder { bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Decoded<&'a [u8]> {
        let end = self
            .at
            .checked_add(n)
            .ok_or(Corrupt::from("length overflow"))?;
        let slice = self
            .bytes
            .get(self.at..end)
            .ok_or(Corrupt::from("record shorter than its contents"))?;
        self.at = end;
        Ok(slice)
    }

    pub(crate) fn u8(&mut self) -> Decoded<u8> {
        Ok(self.take(1)?[0])
    }

    /// Whether every byte has been read.
    pub(crate) fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub(crate) fn u32(&mut self) -> Decoded<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().unwrap_or_default(),
        ))
    }

    pub(crate) fn u64(&mut self) -> Decoded<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().unwrap_or_default(),
        ))
    }

    fn i64(&mut self) -> Decoded<i64> {
        Ok(i64::from_le_bytes(
            self.take(8)?.try_into().unwrap_or_default(),
        ))
    }

    fn len(&mut self) -> Decoded<usize> {
        let n = self.u32()? as usize;
        // Every element takes at least one byte: a larger count is garbage, not a huge
        // allocation.
        if n > self.bytes.len() - self.at {
            return Err(Corrupt::from("count larger than the record"));
        }
        Ok(n)
    }

    pub(crate) fn raw(&mut self, n: usize) -> Decoded<&'a [u8]> {
        self.take(n)
    }

    fn bytes(&mut self) -> Decoded<Vec<u8>> {
        let n = self.len()?;
        Ok(self.take(n)?.to_vec())
    }

    pub(crate) fn str(&mut self) -> Decoded<String> {
        String::from_utf8(self.bytes()?).map_err(|_| Corrupt::from("string is not UTF-8"))
    }

    pub(crate) fn time(&mut self) -> Decoded<SystemTime> {
        Ok(SystemTime::UNIX_EPOCH + self.duration()?)
    }

    fn duration(&mut self) -> Decoded<Duration> {
        let secs = self.u64()?;
        let nanos = self.u32()?;
        if nanos >= 1_000_000_000 {
            return Err(Corrupt::from("nanoseconds out of range"));
        }
        Ok(Duration::new(secs, nanos))
    }

    fn times(&mut self) -> Decoded<Vec<SystemTime>> {
        (0..self.len()?).map(|_| self.time()).collect()
    }

    fn value(&mut self) -> Decoded<AttributeValue> {
        Ok(match self.u8()? {
            0 => AttributeValue::S(self.str()?),
            1 => AttributeValue::N(self.str()?),
            2 => AttributeValue::B(self.bytes()?),
            3 => AttributeValue::Bool(self.u8()? != 0),
            4 => AttributeValue::Null(self.u8()? != 0),
            5 => AttributeValue::M(self.item()?),
            6 => AttributeValue::L(
                (0..self.len()?)
                    .map(|_| self.value())
                    .collect::<Decoded<_>>()?,
            ),
            7 => AttributeValue::Ss(
                (0..self.len()?)
                    .map(|_| self.str())
                    .collect::<Decoded<_>>()?,
            ),
            8 => AttributeValue::Ns(
                (0..self.len()?)
                    .map(|_| self.str())
                    .collect::<Decoded<_>>()?,
            ),
            9 => AttributeValue::Bs(
                (0..self.len()?)
                    .map(|_| self.bytes())
                    .collect::<Decoded<_>>()?,
            ),
            _ => return Err(Corrupt::from("unknown attribute value type")),
        })
    }

    pub(crate) fn item(&mut self) -> Decoded<ItemMap> {
        let n = self.len()?;
        let mut item = ItemMap::with_capacity(n);
        for _ in 0..n {
            let name = self.str()?;
            item.insert(name, self.value()?);
        }
        Ok(item)
    }

    fn key_attribute(&mut self) -> Decoded<KeyAttribute> {
        let name = self.str()?;
        let scalar_type = match self.u8()? {
            0 => ScalarType::S,
            1 => ScalarType::N,
            2 => ScalarType::B,
            _ => return Err(Corrupt::from("unknown key type")),
        };
        Ok(KeyAttribute {
            name: name.into(),
            scalar_type,
        })
    }

    fn key_schema(&mut self) -> Decoded<KeySchema> {
        let partition_key = self.key_attribute()?;
        let sort_key = match self.u8()? {
            0 => None,
            _ => Some(self.key_attribute()?),
        };
        Ok(KeySchema {
            partition_key,
            sort_key,
        })
    }

    fn definition(&mut self) -> Decoded<Definition> {
        let name = self.str()?;
        let schema = self.key_schema()?;
        let billing_mode = match self.u8()? {
            0 => BillingMode::PayPerRequest,
            _ => BillingMode::Provisioned {
                read_capacity_units: self.i64()?,
                write_capacity_units: self.i64()?,
            },
        };
        let mut index_throughput = BTreeMap::new();
        for _ in 0..self.len()? {
            let name = self.str()?;
            let units = ProvisionedThroughput::new(self.i64()?, self.i64()?);
            index_throughput.insert(name, units);
        }
        let decreases = self.times()?;
        let mut index_decreases = BTreeMap::new();
        for _ in 0..self.len()? {
            let name = self.str()?;
            index_decreases.insert(name, self.times()?);
        }
        let changes = Changes {
            decreases,
            index_decreases,
            to_on_demand: self.times()?,
        };
        let time_to_live = match self.u8()? {
            0 => None,
            _ => Some(self.str()?),
        };
        let mut indexes = Vec::new();
        for _ in 0..self.len()? {
            let name = self.str()?;
            let kind = match self.u8()? {
                0 => IndexKind::Global,
                _ => IndexKind::Local,
            };
            let key_schema = self.key_schema()?;
            let projection = match self.u8()? {
                0 => IndexProjection::All,
                1 => IndexProjection::KeysOnly,
                _ => IndexProjection::Include(
                    (0..self.len()?)
                        .map(|_| self.str().map(Into::into))
                        .collect::<Decoded<_>>()?,
                ),
            };
            indexes.push(IndexSchema {
                name: name.into(),
                kind,
                key_schema,
                projection,
            });
        }
        let recovery = match self.u8()? {
            0 => None,
            _ => Some(Recovery {
                since: self.time()?,
                period: self.duration()?,
            }),
        };
        let stream = match self.u8()? {
            1 => Some(StreamViewType::KeysOnly),
            2 => Some(StreamViewType::NewImage),
            3 => Some(StreamViewType::OldImage),
            4 => Some(StreamViewType::NewAndOldImages),
            _ => None,
        };
        Ok(Definition {
            name,
            schema,
            billing_mode,
            index_throughput,
            changes,
            time_to_live,
            indexes,
            recovery,
            stream,
        })
    }

    /// A `LOG` mutation's state (after the table's name).
    fn log_state(&mut self) -> Decoded<LogState> {
        let sequence = self.u64()?;
        if self.u8()? == 0 {
            return Err(Corrupt::from("a change log state without a log"));
        }
        let stream_label = self.u64()?;
        let stream_after = self.u64()?;
        let disabled_stream = match self.u8()? {
            0 => None,
            _ => Some(DisabledStream {
                view: view_of(self.u8()?).ok_or(Corrupt::from("unknown stream view type"))?,
                after: self.u64()?,
                until: self.u64()?,
                at: self.time()?,
            }),
        };
        Ok(LogState {
            sequence,
            stream_label,
            stream_after,
            disabled_stream,
        })
    }

    fn logged_change(&mut self) -> Decoded<LoggedChange> {
        let sequence = self.u64()?;
        let at = self.time()?;
        let by_ttl = self.u8()? != 0;
        let mut image = || -> Decoded<Option<ItemMap>> {
            Ok(match self.u8()? {
                0 => None,
                _ => Some(self.item()?),
            })
        };
        let old = image()?;
        let new = image()?;
        Ok(LoggedChange {
            sequence,
            at,
            by_ttl,
            old,
            new,
        })
    }

    fn optional_i64(&mut self) -> Decoded<Option<i64>> {
        Ok(match self.u8()? {
            0 => None,
            _ => Some(self.i64()?),
        })
    }

    fn backup(&mut self) -> Decoded<BackupRecord> {
        let counter = self.u64()?;
        let arn = BackupArn::new(self.str()?);
        let name = self.str()?;
        let table_name = self.str()?;
        let status = match self.u8()? {
            0 => BackupStatus::Creating,
            1 => BackupStatus::Available,
            2 => BackupStatus::Deleted,
            _ => BackupStatus::Other(self.str()?),
        };
        let size_bytes = self.optional_i64()?;
        let item_count = self.optional_i64()?;
        let created_at = self.time()?;
        let billing_mode = match self.u8()? {
            0 => None,
            1 => Some(BillingMode::PayPerRequest),
            _ => Some(BillingMode::Provisioned {
                read_capacity_units: self.i64()?,
                write_capacity_units: self.i64()?,
            }),
        };
        let mut summary = BackupSummary::new(arn, &name, &table_name, status, created_at);
        summary.size_bytes = size_bytes;
        summary.item_count = item_count;
        let mut description = BackupDescription::new(summary);
        description.billing_mode = billing_mode;
        Ok(BackupRecord {
            counter,
            description,
            definition: self.definition()?,
        })
    }

    /// The mutations of an operation record (after its kind, sequence and time).
    pub(crate) fn mutations(&mut self) -> Decoded<Vec<Mutation>> {
        let n = self.len()?;
        let mut mutations = Vec::with_capacity(n);
        for _ in 0..n {
            mutations.push(match self.u8()? {
                DEFINE => Mutation::Define(Box::new(self.definition()?)),
                DROP => Mutation::Drop(self.str()?),
                ITEMS => {
                    let table = self.str()?;
                    let count = self.u32()? as usize;
                    let mut entries = Vec::with_capacity(count.min(4096));
                    for _ in 0..count {
                        let put = match self.u8()? {
                            PUT => true,
                            DELETE => false,
                            _ => return Err(Corrupt::from("unknown item entry")),
                        };
                        entries.push((put, self.item()?));
                    }
                    Mutation::Items { table, entries }
                }
                LOG => Mutation::Log {
                    table: self.str()?,
                    state: self.log_state()?,
                },
                CHANGES => {
                    let table = self.str()?;
                    let changes = (0..self.len()?)
                        .map(|_| self.logged_change())
                        .collect::<Decoded<_>>()?;
                    Mutation::Changes { table, changes }
                }
                BACKUP => Mutation::Backup(Box::new(self.backup()?)),
                BACKUP_ITEMS => {
                    let arn = BackupArn::new(self.str()?);
                    let items = (0..self.len()?)
                        .map(|_| self.item())
                        .collect::<Decoded<_>>()?;
                    Mutation::BackupItems { arn, items }
                }
                DELETE_BACKUP => Mutation::DeleteBackup(BackupArn::new(self.str()?)),
                TOKEN => Mutation::Token {
                    token: self.str()?,
                    at: self.time()?,
                    fingerprint: Fingerprint(
                        self.raw(32)?
                            .try_into()
                            .map_err(|_| Corrupt::from("a token's fingerprint is not 32 bytes"))?,
                    ),
                },
                EXPIRED => {
                    let table = self.str()?;
                    let keys = (0..self.len()?)
                        .map(|_| self.item())
                        .collect::<Decoded<_>>()?;
                    Mutation::Expired { table, keys }
                }
                _ => return Err(Corrupt::from("unknown mutation")),
            });
        }
        if self.at != self.bytes.len() {
            return Err(Corrupt::from("trailing bytes"));
        }
        Ok(mutations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_and_a_torn_or_flipped_one_ends_the_journal() {
        let mut out = Vec::new();
        frame(&mut out, b"hello");
        frame(&mut out, b"world");
        let (first, next) = next_record(&out, 0).unwrap();
        assert_eq!(first, b"hello");
        let (second, end) = next_record(&out, next).unwrap();
        assert_eq!((second, end), (&b"world"[..], out.len()));
        assert_eq!(next_record(&out, end), None);
        // Torn: the last record cut short.
        assert_eq!(next_record(&out[..out.len() - 1], next), None);
        // A flipped bit.
        let mut flipped = out.clone();
        flipped[next + FRAME] ^= 1;
        assert_eq!(next_record(&flipped, next), None);
        // Garbage header.
        assert_eq!(next_record(&[0xff; 16], 0), None);
    }

    #[test]
    fn only_a_short_tail_with_nothing_readable_after_is_torn() {
        let mut out = Vec::new();
        frame(&mut out, b"first record");
        let second = out.len();
        frame(&mut out, b"second record");
        let third = out.len();
        frame(&mut out, b"third record");
        // Complete: nothing torn, nothing damaged.
        assert_eq!(read_record(&out, out.len()), Frame::End);
        // Cut anywhere inside the last record: torn.
        for len in third + 1..out.len() {
            assert_eq!(read_record(&out[..len], third), Frame::Bad { short: true });
            assert!(torn_tail(&out[..len], third), "cut at {len}");
        }
        // Zeros after the last record: damage (a lost block reads so), not a torn tail;
        // fewer than a frame's bytes of anything are.
        let mut zeros = out.clone();
        zeros.extend_from_slice(&[0; 300]);
        assert!(!torn_tail(&zeros, out.len()));
        assert!(torn_tail(&zeros[..out.len() + FRAME - 1], out.len()));
        // A flipped bit in the last record's payload: damage, not a torn tail.
        let mut flipped = out.clone();
        flipped[third + FRAME + 2] ^= 4;
        assert_eq!(read_record(&flipped, third), Frame::Bad { short: false });
        assert!(!torn_tail(&flipped, third));
        // Its length made longer (past the end): its checksum matches the real length.
        let mut longer = out.clone();
        longer[third + 1] ^= 1;
        assert_eq!(read_record(&longer, third), Frame::Bad { short: true });
        assert!(!torn_tail(&longer, third));
        // The middle record's length made longer: the third can still be read after it.
        let mut middle = out.clone();
        middle[second + 2] ^= 0x40;
        assert!(!torn_tail(&middle, second));
        assert_eq!(next_readable(&middle, second + 1), Some(third));
        // A length of 0 with a checksum of 0 is not an empty record.
        assert_eq!(read_record(&[0; 16], 0), Frame::Bad { short: false });
    }

    #[test]
    fn every_attribute_value_type_round_trips() {
        let item = ItemMap::from([
            ("s".to_owned(), AttributeValue::S("é".into())),
            ("n".to_owned(), AttributeValue::N("-1.5e3".into())),
            ("b".to_owned(), AttributeValue::B(vec![0, 255])),
            ("bool".to_owned(), AttributeValue::Bool(true)),
            ("null".to_owned(), AttributeValue::Null(true)),
            (
                "m".to_owned(),
                AttributeValue::M(ItemMap::from([("x".to_owned(), AttributeValue::L(vec![]))])),
            ),
            (
                "l".to_owned(),
                AttributeValue::L(vec![AttributeValue::N("1".into())]),
            ),
            (
                "ss".to_owned(),
                AttributeValue::Ss(vec!["a".into(), "b".into()]),
            ),
            ("ns".to_owned(), AttributeValue::Ns(vec!["1".into()])),
            ("bs".to_owned(), AttributeValue::Bs(vec![vec![1], vec![]])),
        ]);
        let mut e = Encoder::default();
        e.item(&item);
        let mut d = Decoder::new(&e.bytes);
        assert_eq!(d.item().unwrap(), item);
    }

    /// The kinds a durable store added for what survives a restart (change log state and
    /// changes, backups, tokens, time to live's marks) decode to what was encoded.
    #[test]
    fn the_added_mutation_kinds_round_trip() {
        use crate::history::{ChangeLog, WriteClock};
        use crate::table::ItemKey;
        use notes_model::{Item, Note};

        let mut table = Table::new(
            "notes".into(),
            Note::KEY_SCHEMA,
            BillingMode::PayPerRequest,
            Vec::new(),
        );
        let mut log = ChangeLog::new(std::sync::Arc::new(WriteClock::default()), None);
        log.stream = Some(StreamViewType::NewAndOldImages);
        let item = Note::new("u1", "hi").to_item().unwrap();
        let key: ItemKey = table.key_of(&item).unwrap();
        log.record(key.clone(), None, Some(item.clone()));
        log.skip();
        log.record(key, Some(item.clone()), None);
        log.disable_stream(SystemTime::UNIX_EPOCH + Duration::from_secs(7));
        table.history = Some(log);
        let arn = BackupArn::new("arn:aws:dynamodb:ddblocal:000000000000:table/notes/backup/1");
        let summary = BackupSummary::new(
            arn.clone(),
            "nightly",
            "notes",
            BackupStatus::Available,
            SystemTime::UNIX_EPOCH + Duration::from_secs(9),
        )
        .size_bytes(42)
        .item_count(1);
        let description = BackupDescription::new(summary).billing_mode(BillingMode::PayPerRequest);
        let at = SystemTime::UNIX_EPOCH + Duration::from_secs(11);

        let mut e = Encoder::default();
        e.u32(7);
        assert!(e.log(&table));
        let logged = table.history.as_ref().unwrap();
        e.changes("notes", logged.logged());
        e.backup(3, &description, &table);
        e.backup_items(&arn, [&item].into_iter());
        e.delete_backup(&arn);
        e.token("order-42", at, &Fingerprint([7; 32]));
        let mut pending = PendingItems::default();
        pending.delete(&item);
        pending.expired(&item);
        pending.drain_expired_into("notes", &mut e);
        let mutations = Decoder::new(&e.bytes).mutations().unwrap();
        let [
            Mutation::Log { table: t1, state },
            Mutation::Changes { table: t2, changes },
            Mutation::Backup(backup),
            Mutation::BackupItems { arn: a1, items },
            Mutation::DeleteBackup(a2),
            Mutation::Token {
                token,
                at: token_at,
                fingerprint,
            },
            Mutation::Expired { table: t3, keys },
        ] = &mutations[..]
        else {
            panic!("{mutations:#?}");
        };
        assert_eq!([t1, t2, t3], ["notes"; 3]);
        assert_eq!(*state, logged.state());
        assert_eq!(state.sequence, 3);
        assert!(state.disabled_stream.is_some());
        let expected: Vec<_> = logged
            .logged()
            .map(|c| (c.sequence, c.at, c.by_ttl, c.old.clone(), c.new.clone()))
            .collect();
        let decoded: Vec<_> = changes
            .iter()
            .map(|c| (c.sequence, c.at, c.by_ttl, c.old.clone(), c.new.clone()))
            .collect();
        assert_eq!(decoded, expected);
        assert_eq!(backup.counter, 3);
        assert_eq!(backup.description, description);
        assert_eq!(backup.definition.name, "notes");
        assert_eq!((a1, a2), (&arn, &arn));
        assert_eq!(items, std::slice::from_ref(&item));
        assert_eq!(
            (token.as_str(), *token_at, *fingerprint),
            ("order-42", at, Fingerprint([7; 32]))
        );
        assert_eq!(keys, &[item]);
    }

    #[test]
    fn a_huge_count_is_corrupt_not_an_allocation() {
        let mut d = Decoder::new(&[0xff, 0xff, 0xff, 0xff]);
        assert!(matches!(
            d.item(),
            Err(Corrupt(reason)) if reason == "count larger than the record"
        ));
    }
}
