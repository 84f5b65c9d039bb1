//! What a journal record holds: its kind (a generation's header, an operation, the end of a
//! snapshot) and an operation's mutations (a table defined (with its multi-attribute index
//! keys, after it) or dropped, item writes, a
//! change log's state and changes, backups, tokens, time to live's marks), each encoded and
//! decoded here, in the payload encoding of `encoding.rs`. How records are framed in a file
//! is `frame.rs`.

use std::collections::BTreeMap;
use std::time::SystemTime;

use notes_model::{
    AdditionalKeys, IndexKind, IndexProjection, IndexSchema, ItemMap, KeyAttribute, KeySchema,
    ScalarType,
};

use crate::encoding::{Corrupt, Decoded, Decoder, Encoder};
use crate::history::{Change, DisabledStream, LogState, Recovery};
use crate::pending::{self, PendingItems};
use crate::table::{Changes, Table};
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
/// When a table was created and its latest stream enabled (after its `DEFINE`; a journal
/// written before it has none, and a table then dates from the record that defined it).
const TIMES: u8 = 11;
/// The attributes of each multi-attribute index key after the first of each side, for the
/// indexes of the definition just before it (a `DEFINE` or a `BACKUP`'s); written only when
/// one of them has some, so a journal written before it (or without such an index) has none,
/// and every index key there has one attribute a side.
const INDEX_KEYS: u8 = 12;

/// Items per record in a snapshot.
pub(crate) const SNAPSHOT_CHUNK: usize = 1024;

/// A table's definition and the settings part of its change log state: what tells whether
/// an operation changed them.
pub(crate) fn definition_bytes(table: &Table) -> Vec<u8> {
    let mut e = Encoder::default();
    e.definition(table);
    e.index_keys(table);
    e.log_identity(table);
    e.bytes
}

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

impl Encoder {
    fn key_attribute(&mut self, attribute: &KeyAttribute) {
        self.str(&attribute.name);
        self.u8(match attribute.scalar_type {
            ScalarType::S => 0,
            ScalarType::N => 1,
            ScalarType::B => 2,
        });
    }

    fn key_schema(&mut self, schema: &KeySchema) {
        self.key_attribute(&schema.partition_key);
        match &schema.sort_key {
            Some(sk) => {
                self.u8(1);
                self.key_attribute(sk);
            }
            None => self.u8(0),
        }
    }

    /// A `DEFINE` mutation: everything about a table but its items (and an `INDEX_KEYS` after
    /// it when the table has a multi-attribute index key); answers how many mutations.
    pub(crate) fn define(&mut self, table: &Table) -> u32 {
        self.u8(DEFINE);
        self.definition(table);
        1 + u32::from(self.index_keys(table))
    }

    /// An `INDEX_KEYS` mutation for `table`'s indexes, when one has a multi-attribute key;
    /// answers whether it wrote one.
    fn index_keys(&mut self, table: &Table) -> bool {
        if !table.indexes.iter().any(|i| i.schema.is_multi_attribute()) {
            return false;
        }
        self.u8(INDEX_KEYS);
        self.len(table.indexes.len());
        for index in &table.indexes {
            let additional = &index.schema.additional_keys;
            for side in [&additional.partition_key, &additional.sort_key] {
                self.len(side.len());
                for attribute in side.iter() {
                    self.key_attribute(attribute);
                }
            }
        }
        true
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

    /// A `TIMES` mutation: when `table` was created and its latest stream enabled.
    pub(crate) fn table_times(&mut self, table: &Table) {
        self.u8(TIMES);
        self.str(&table.name);
        self.time(table.created_at);
        match table.history.as_ref().and_then(|h| h.stream_created_at) {
            Some(at) => {
                self.u8(1);
                self.time(at);
            }
            None => self.u8(0),
        }
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

    /// A `BACKUP` mutation: the backup described, of a table with `table`'s definition
    /// (and an `INDEX_KEYS` after it when the table has a multi-attribute index key);
    /// `counter`: the last backup number given. Answers how many mutations.
    pub(crate) fn backup(
        &mut self,
        counter: u64,
        description: &BackupDescription,
        table: &Table,
    ) -> u32 {
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
        1 + u32::from(self.index_keys(table))
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

    /// An `ITEMS` mutation: `table`'s pending item writes, which it takes; answers whether
    /// there were any.
    pub(crate) fn items(&mut self, table: &str, pending: &mut PendingItems) -> bool {
        pending.drain(|count, entries| {
            self.u8(ITEMS);
            self.str(table);
            self.u32(count);
            self.bytes.extend_from_slice(entries);
        })
    }

    /// An `EXPIRED` mutation (after the `ITEMS` that deleted them): `table`'s pending time to
    /// live marks, which it takes; answers whether there were any.
    pub(crate) fn expired(&mut self, table: &str, pending: &mut PendingItems) -> bool {
        pending.drain_expired(|count, keys| {
            self.u8(EXPIRED);
            self.str(table);
            self.u32(count);
            self.bytes.extend_from_slice(keys);
        })
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
    Times {
        table: String,
        created_at: SystemTime,
        stream_created_at: Option<SystemTime>,
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

impl Decoder<'_> {
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
                additional_keys: Default::default(),
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

    /// An `INDEX_KEYS` mutation, into the indexes of the definition it follows.
    fn index_keys(&mut self, indexes: &mut [IndexSchema]) -> Decoded<()> {
        if self.len()? != indexes.len() {
            return Err(Corrupt::from("index keys of another number of indexes"));
        }
        for index in indexes {
            let mut side = || -> Decoded<Vec<KeyAttribute>> {
                (0..self.len()?).map(|_| self.key_attribute()).collect()
            };
            let partition_key = side()?;
            let sort_key = side()?;
            index.additional_keys = AdditionalKeys {
                partition_key: partition_key.into(),
                sort_key: sort_key.into(),
            };
        }
        Ok(())
    }

    /// The mutations of an operation record (after its kind, sequence and time).
    pub(crate) fn mutations(&mut self) -> Decoded<Vec<Mutation>> {
        let n = self.len()?;
        let mut mutations = Vec::with_capacity(n);
        for _ in 0..n {
            let kind = self.u8()?;
            if kind == INDEX_KEYS {
                let indexes = match mutations.last_mut() {
                    Some(Mutation::Define(definition)) => &mut definition.indexes,
                    Some(Mutation::Backup(record)) => &mut record.definition.indexes,
                    _ => return Err(Corrupt::from("index keys after no definition")),
                };
                self.index_keys(indexes)?;
                continue;
            }
            mutations.push(match kind {
                DEFINE => Mutation::Define(Box::new(self.definition()?)),
                DROP => Mutation::Drop(self.str()?),
                ITEMS => {
                    let table = self.str()?;
                    let count = self.u32()? as usize;
                    let mut entries = Vec::with_capacity(count.min(4096));
                    for _ in 0..count {
                        entries.push(pending::entry(self)?);
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
                TIMES => Mutation::Times {
                    table: self.str()?,
                    created_at: self.time()?,
                    stream_created_at: match self.u8()? {
                        0 => None,
                        _ => Some(self.time()?),
                    },
                },
                _ => return Err(Corrupt::from("unknown mutation")),
            });
        }
        if !self.is_done() {
            return Err(Corrupt::from("trailing bytes"));
        }
        Ok(mutations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `notes` table with `byRegion` (global; `tenant`, `region` / `year`, `month`, `day`)
    /// and `byStatus` (global, one attribute).
    fn regional() -> Table {
        use std::borrow::Cow;

        let attribute = |name: &'static str, scalar_type| KeyAttribute::new(name, scalar_type);
        let by_region = IndexSchema {
            name: Cow::Borrowed("byRegion"),
            kind: IndexKind::Global,
            key_schema: KeySchema {
                partition_key: attribute("tenant", ScalarType::S),
                sort_key: Some(attribute("year", ScalarType::N)),
            },
            projection: IndexProjection::All,
            additional_keys: AdditionalKeys {
                partition_key: vec![attribute("region", ScalarType::S)].into(),
                sort_key: vec![
                    attribute("month", ScalarType::N),
                    attribute("day", ScalarType::B),
                ]
                .into(),
            },
        };
        let by_status = IndexSchema {
            name: Cow::Borrowed("byStatus"),
            kind: IndexKind::Global,
            key_schema: KeySchema {
                partition_key: attribute("status", ScalarType::S),
                sort_key: None,
            },
            projection: IndexProjection::KeysOnly,
            additional_keys: AdditionalKeys::NONE,
        };
        Table::new(
            "notes".into(),
            notes_model::Note::KEY_SCHEMA,
            BillingMode::PayPerRequest,
            vec![by_region, by_status],
            SystemTime::UNIX_EPOCH,
        )
    }

    fn indexes(table: &Table) -> Vec<IndexSchema> {
        table.indexes.iter().map(|i| i.schema.clone()).collect()
    }

    /// A record of `mutations` (their count first, as an operation record holds them).
    fn record(count: u32, mutations: &Encoder) -> Vec<u8> {
        let mut e = Encoder::default();
        e.u32(count);
        e.bytes.extend_from_slice(&mutations.bytes);
        e.bytes
    }

    use notes_model::Item as _;

    /// A table's and a backup's multi-attribute index keys come back with their definitions.
    #[test]
    fn multi_attribute_index_keys_round_trip() {
        let table = regional();
        let mut e = Encoder::default();
        let mut count = e.define(&table);
        assert_eq!(count, 2);
        let arn = BackupArn::new("arn:aws:dynamodb:ddblocal:000000000000:table/notes/backup/1");
        let summary = BackupSummary::new(
            arn,
            "b",
            "notes",
            BackupStatus::Available,
            SystemTime::UNIX_EPOCH,
        );
        count += e.backup(1, &BackupDescription::new(summary), &table);
        assert_eq!(count, 4);
        let mutations = Decoder::new(&record(count, &e)).mutations().unwrap();
        let [Mutation::Define(definition), Mutation::Backup(backup)] = &mutations[..] else {
            panic!("{mutations:#?}");
        };
        assert_eq!(definition.indexes, indexes(&table));
        assert_eq!(backup.definition.indexes, indexes(&table));
        assert_eq!(definition.indexes[0].sort_key_attributes().count(), 3);
    }

    /// A journal written before `INDEX_KEYS` (or of tables with no multi-attribute index)
    /// holds a `DEFINE` alone, byte for byte as before, and decodes to keys of one attribute
    /// a side.
    #[test]
    fn a_definition_without_index_keys_decodes_as_before() {
        let mut table = regional();
        table.indexes.remove(0);
        let mut e = Encoder::default();
        assert_eq!(e.define(&table), 1);
        let mut older = Encoder::default();
        older.u8(DEFINE);
        older.definition(&table);
        assert_eq!(e.bytes, older.bytes);
        let mutations = Decoder::new(&record(1, &older)).mutations().unwrap();
        let [Mutation::Define(definition)] = &mutations[..] else {
            panic!("{mutations:#?}");
        };
        assert_eq!(definition.indexes, indexes(&table));
        assert_eq!(definition.indexes[0].additional_keys, AdditionalKeys::NONE);
    }

    /// `INDEX_KEYS` with nothing to patch, or for another number of indexes, is damage.
    #[test]
    fn misplaced_index_keys_are_corrupt() {
        let table = regional();
        let mut alone = Encoder::default();
        alone.index_keys(&table);
        assert!(Decoder::new(&record(1, &alone)).mutations().is_err());
        let mut fewer = table.clone();
        fewer.indexes.pop();
        let mut e = Encoder::default();
        e.u8(DEFINE);
        e.definition(&fewer);
        e.index_keys(&table);
        assert!(Decoder::new(&record(2, &e)).mutations().is_err());
    }

    /// `TIMES` (when a table was created, when its stream was enabled) decodes to what was
    /// encoded, with and without a stream.
    #[test]
    fn the_times_of_a_table_round_trip() {
        use std::time::Duration;

        use crate::history::{ChangeLog, WriteClock};
        use notes_model::{Item, Note};

        let created = SystemTime::UNIX_EPOCH + Duration::from_millis(1_800_000_000_123);
        let enabled = created + Duration::from_secs(60);
        let mut table = Table::new(
            "notes".into(),
            Note::KEY_SCHEMA,
            BillingMode::PayPerRequest,
            Vec::new(),
            created,
        );
        let mut e = Encoder::default();
        e.table_times(&table);
        let mut log = ChangeLog::new(std::sync::Arc::new(WriteClock::default()), None);
        log.stream_created_at = Some(enabled);
        table.history = Some(log);
        e.table_times(&table);
        let mut bytes = Encoder::default();
        bytes.u32(2);
        bytes.bytes.extend_from_slice(&e.bytes);
        let mutations = Decoder::new(&bytes.bytes).mutations().unwrap();
        let [
            Mutation::Times {
                table: t1,
                created_at: c1,
                stream_created_at: None,
            },
            Mutation::Times {
                table: t2,
                created_at: c2,
                stream_created_at: Some(s2),
            },
        ] = &mutations[..]
        else {
            panic!("{mutations:#?}");
        };
        assert_eq!([t1, t2], ["notes"; 2]);
        assert_eq!((*c1, *c2, *s2), (created, created, enabled));
    }

    /// The kinds a durable store added for what survives a restart (change log state and
    /// changes, backups, tokens, time to live's marks) decode to what was encoded.
    #[test]
    fn the_added_mutation_kinds_round_trip() {
        use std::time::Duration;

        use crate::history::{ChangeLog, WriteClock};
        use crate::key::ItemKey;
        use notes_model::{Item, Note};

        let mut table = Table::new(
            "notes".into(),
            Note::KEY_SCHEMA,
            BillingMode::PayPerRequest,
            Vec::new(),
            SystemTime::UNIX_EPOCH,
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
        assert!(e.expired("notes", &mut pending));
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
}
