//! Reading a journal file back: a generation read strictly (a torn tail cut off, any other
//! damage [`Error::Corrupt`]), and its records replayed into tables, at their original
//! times. What opening a directory, the journal writer after a failure ([`reload`]) and
//! salvage all do.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use notes_core::{Error, Result};

use super::codec::{self, BackupRecord, Definition, Mutation, definition_bytes};
use super::directory::Failure;
use super::frame::{self, Frame};
use super::throughput::{Owner, Settings};
use crate::encoding::{Corrupt, Decoder};
use crate::history::Change;
use crate::on_demand::Maximums;
use crate::pending::{Journaled, PendingItems};
use crate::state::{Common, Slot, Tables};
use crate::table::Table;
use crate::warm::Warm;

/// [`Error::Corrupt`] at `offset` of `path`.
pub(super) fn corrupt(path: &Path, offset: usize, reason: impl Into<String>) -> Error {
    Error::Corrupt {
        path: path.to_owned(),
        offset: offset as u64,
        reason: reason.into(),
    }
}

/// A generation file, read strictly.
pub(super) enum Generation {
    /// Its snapshot is complete: where it ends, and where the readable records end (a torn
    /// tail follows when that is short of the file's end).
    Complete { snapshot_end: usize, end: usize },
    /// It ends (perhaps with a torn tail) before its snapshot is complete: damage (a cut),
    /// since a generation is named only once complete; `end`: where the readable records
    /// end.
    Incomplete { end: usize },
}

/// Reads the generation file `path` (`bytes`) strictly: [`Error::Corrupt`] when a record
/// cannot be read and what follows is not a torn tail, or its header is not this
/// generation's.
pub(super) fn read_generation(path: &Path, bytes: &[u8], generation: u64) -> Result<Generation> {
    let mut at = 0;
    let mut snapshot_end = None;
    loop {
        match frame::read_record(bytes, at) {
            Frame::Record(payload, next) => {
                if at == 0 {
                    check_header(payload, generation).map_err(|reason| corrupt(path, 0, reason))?;
                } else if snapshot_end.is_none() && payload.first() == Some(&codec::SNAPSHOT_END) {
                    snapshot_end = Some(next);
                }
                at = next;
            }
            Frame::End => break,
            Frame::Bad { .. } if frame::torn_tail(bytes, at) => break,
            Frame::Bad { short } => {
                let reason = if short {
                    "a record whose length runs past the end of the file although more can be \
                     read after it (its length is damaged)"
                } else {
                    "a record whose checksum does not match its bytes"
                };
                return Err(corrupt(path, at, reason));
            }
        }
    }
    Ok(match snapshot_end {
        Some(snapshot_end) => Generation::Complete {
            snapshot_end,
            end: at,
        },
        None => Generation::Incomplete { end: at },
    })
}

/// Checks a generation's header record: why it is not this generation's.
pub(super) fn check_header(
    payload: &[u8],
    generation: u64,
) -> std::result::Result<(), &'static str> {
    let mut d = Decoder::new(payload);
    if d.u8().ok() != Some(codec::HEADER) {
        return Err("the file does not start with a journal header");
    }
    if d.raw(8).ok() != Some(&codec::MAGIC[..]) {
        return Err("the journal header is not of this format version");
    }
    if d.u64().ok() != Some(generation) {
        return Err("the journal header names another generation than the file name");
    }
    Ok(())
}

/// The records of `bytes` after its header, each with its offset, up to the first one that
/// cannot be read.
pub(super) fn records(bytes: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let mut at = frame::next_record(bytes, 0).map_or(bytes.len(), |(_, next)| next);
    std::iter::from_fn(move || {
        let (payload, next) = frame::next_record(bytes, at)?;
        let record = (at, payload);
        at = next;
        Some(record)
    })
}

/// The state the journal file `path` holds in its first `len` bytes (generation
/// `generation`): what the writer makes the tables when the journal fails, so that no reader
/// sees a write that was refused (the same as reopening would give). `tables`: every table,
/// write-locked.
pub(super) fn reload(tables: &mut Tables, path: &Path, len: u64, generation: u64) -> Result<()> {
    let mut bytes = fs::read(path).map_err(|e| Failure::new(path, "read", e))?;
    bytes.truncate(usize::try_from(len).unwrap_or(usize::MAX));
    let Generation::Complete { snapshot_end, end } = read_generation(path, &bytes, generation)?
    else {
        return Err(corrupt(path, 0, "the journal has no complete snapshot"));
    };
    // Replayed into tables of their own, with backups and tokens of their own too (a
    // refused backup or token must go, and replaying on top of the live ones would keep it):
    // the clocks and settings are the backend's.
    let mut fresh = Tables {
        tables: HashMap::new(),
        common: Arc::new(Common {
            replica: tables.replica.clone(),
            write_clock: Arc::clone(&tables.write_clock),
            recovery_period: tables.recovery_period,
            restore_lag: tables.restore_lag,
            ..Common::default()
        }),
    };
    replay(&mut fresh, records(&bytes[..end]), snapshot_end, None)
        .map_err(|(offset, c)| corrupt(path, offset, c.0))?;
    // Each swapped in under its lock: a reader sees the old state or the new one.
    tables
        .backups
        .lock()
        .reload(std::mem::take(&mut *fresh.backups.lock()));
    std::mem::swap(&mut *tables.tokens.lock(), &mut *fresh.tokens.lock());
    std::mem::swap(&mut *tables.journaled.lock(), &mut *fresh.journaled.lock());
    tables
        .tables
        .retain(|name, _| fresh.tables.contains_key(name));
    for (name, slot) in fresh.tables {
        let table = slot.into_table();
        match tables.tables.get_mut(&name) {
            Some(live) => **live = table,
            None => {
                tables.tables.insert(name, table.into());
            }
        }
    }
    Ok(())
}

/// A record salvage could read but not apply: its offset, its length, and why (length 0:
/// nothing skipped there, a record is missing before it).
pub(super) type Skipped = (usize, usize, Corrupt);

/// Replays the records of a generation (after its header, with their offsets) into
/// `tables`: answers the last sequence number and the records applied, or the offset of the
/// first record that does not decode or apply. With `skipped` (salvage), such a record is
/// listed there and the replay goes on.
pub(super) fn replay<'a>(
    tables: &mut Tables,
    records: impl Iterator<Item = (usize, &'a [u8])>,
    snapshot_end: usize,
    mut skipped: Option<&mut Vec<Skipped>>,
) -> std::result::Result<(u64, u64), (usize, Corrupt)> {
    let clock = Arc::clone(&tables.write_clock);
    let mut last = 0;
    let mut applied = 0;
    let mut snapshot_time = None;
    // The last operation's number after the snapshot (`SNAPSHOT_END` carries the one the
    // snapshot is as of): each is exactly one more than the one before (operations are
    // numbered consecutively as they are queued), so a record out of order, repeated or
    // cut out is damage. (The last whole record cut off is not: a crash before its append
    // leaves the same file.)
    let mut previous = None;
    // The snapshot's records read so far (before its `SNAPSHOT_END`).
    let mut snapshot_records = 0u64;
    // Every snapshot record carries the sequence number the snapshot is as of, and no two
    // are the same bytes: a record of the operations part, or a copy of another snapshot
    // record, written over one of them is damage (its checksum and the count still hold).
    let mut snapshot_sequence = None;
    let mut snapshot_payloads: HashSet<&[u8]> = HashSet::new();
    for (at, payload) in records {
        let in_snapshot = at < snapshot_end;
        let mut gap = None;
        let mut record = || -> std::result::Result<(), Corrupt> {
            let mut d = Decoder::new(payload);
            match d.u8()? {
                codec::OPERATION => {
                    let sequence = d.u64()?;
                    if in_snapshot {
                        if *snapshot_sequence.get_or_insert(sequence) != sequence {
                            return Err(Corrupt::from(
                                "a snapshot record numbered unlike the snapshot (a record of \
                                 another part written over it)",
                            ));
                        }
                        if !snapshot_payloads.insert(payload) {
                            return Err(Corrupt::from(
                                "a snapshot record that repeats an earlier one (a copy written \
                                 over a record)",
                            ));
                        }
                    }
                    if !in_snapshot {
                        match previous {
                            Some(p) if sequence <= p => {
                                return Err(Corrupt::from(
                                    "an operation numbered no higher than the one before it \
                                     (records out of order or repeated)",
                                ));
                            }
                            Some(p) if sequence != p + 1 => {
                                let missing = Corrupt(
                                    format!(
                                        "operation {sequence} follows {p}: a record is missing"
                                    )
                                    .into(),
                                );
                                if skipped.is_none() {
                                    return Err(missing);
                                }
                                // Salvage: reported, and this record is kept.
                                gap = Some(missing);
                            }
                            _ => {}
                        }
                        previous = Some(sequence);
                    }
                    let time = d.time()?;
                    let mutations = d.mutations()?;
                    clock.pin_at(time);
                    let applied = apply(tables, mutations, in_snapshot);
                    clock.unpin();
                    applied?;
                    last = last.max(sequence);
                }
                codec::SNAPSHOT_END => {
                    let sequence = d.u64()?;
                    if snapshot_sequence.is_some_and(|s| s != sequence) {
                        return Err(Corrupt::from(
                            "the snapshot's records are numbered unlike its end",
                        ));
                    }
                    last = last.max(sequence);
                    previous = Some(sequence);
                    snapshot_time = Some(d.time()?);
                    // How many records the snapshot has (files written before issue 24 do
                    // not say).
                    if !d.is_done() {
                        let expected = d.u64()?;
                        if expected != snapshot_records {
                            let missing = Corrupt(
                                format!(
                                    "the snapshot has {expected} records and {snapshot_records} \
                                     were read: a record is missing"
                                )
                                .into(),
                            );
                            if skipped.is_none() {
                                return Err(missing);
                            }
                            gap = Some(missing);
                        }
                    }
                }
                _ => return Err(Corrupt::from("unknown record kind")),
            }
            Ok(())
        };
        let outcome = record();
        if in_snapshot && payload.first() != Some(&codec::SNAPSHOT_END) {
            snapshot_records += 1;
        }
        if let (Some(gap), Some(skipped)) = (gap, skipped.as_deref_mut()) {
            skipped.push((at, 0, gap));
        }
        match (outcome, skipped.as_deref_mut()) {
            (Ok(()), _) => applied += 1,
            (Err(corrupt), Some(skipped)) => {
                skipped.push((at, frame::FRAME + payload.len(), corrupt))
            }
            (Err(corrupt), None) => return Err((at, corrupt)),
        }
    }
    // The snapshot holds the change logs as they were (`LOG`, `CHANGES`), and the replay
    // logged every operation since at its time: the logs are whole, point-in-time recovery
    // reaches as far back as before the restart.
    let _ = snapshot_time;
    let journaled: Journaled = tables
        .tables
        .iter()
        .map(|(name, table)| (name.clone(), definition_bytes(table)))
        .collect();
    *tables.journaled.lock() = journaled;
    tables.tokens.lock().expire(clock.now());
    Ok((last, applied))
}

/// A table of `definition` created at `created_at`, without items or a change log.
fn empty_table(definition: &Definition, created_at: SystemTime) -> Table {
    let mut table = Table::new(
        definition.name.clone(),
        definition.schema.clone(),
        definition.billing_mode,
        definition.indexes.clone(),
        created_at,
    );
    table.index_throughput = definition.index_throughput.clone();
    table.changes = definition.changes.clone();
    table.time_to_live = definition.time_to_live.clone();
    initial_throughput(&mut table);
    table
}

/// No on-demand maximums and a new table's warm throughput, for `table`'s billing: what a
/// `DEFINE` gives a table until a `THROUGHPUT` after it says more (a journal written before
/// `THROUGHPUT` has none).
fn initial_throughput(table: &mut Table) {
    let globals = table.indexes.iter().filter(|i| i.is_global());
    table.warm = Warm::initial(
        table.billing_mode,
        globals.map(|i| i.schema.name.as_ref()),
        &table.index_throughput,
    );
    table.maximums = Maximums::default();
}

/// Applies one record's mutations (`in_snapshot`: a snapshot's items, which are not changes
/// and stay out of the change logs).
fn apply(
    tables: &mut Tables,
    mutations: Vec<Mutation>,
    in_snapshot: bool,
) -> std::result::Result<(), Corrupt> {
    // Every table the record writes items of exists when it does: checked first, so that a
    // record applies whole or not at all (salvage goes on after one that does not).
    let mut present: HashSet<&str> = tables.tables.keys().map(String::as_str).collect();
    for mutation in &mutations {
        match mutation {
            Mutation::Define(definition) => {
                present.insert(&definition.name);
            }
            Mutation::Drop(name) => {
                present.remove(name.as_str());
            }
            Mutation::Items { table, .. } if !present.contains(table.as_str()) => {
                return Err(Corrupt::from("items of a table that does not exist"));
            }
            _ => {}
        }
    }
    // Tables this record created (or restored): their items were in them before their change
    // log was, so they are not logged changes (and take no sequence numbers).
    let mut fresh = HashSet::new();
    for mutation in mutations {
        match mutation {
            Mutation::Define(definition) => {
                let definition = *definition;
                let name = definition.name.clone();
                let existing = tables.tables.remove(&name).map(Slot::into_table);
                let mut table = match existing {
                    Some(table)
                        if table.schema == definition.schema
                            && table
                                .indexes
                                .iter()
                                .map(|i| &i.schema)
                                .eq(&definition.indexes) =>
                    {
                        table
                    }
                    Some(mut old) => {
                        // Its indexes changed (`UpdateTable`): the same items and change log,
                        // the indexes built again.
                        let mut table = empty_table(&definition, old.created_at);
                        for item in old.items() {
                            let key = table
                                .key_of(item)
                                .map_err(|_| Corrupt::from("an item without its key"))?;
                            table.put(key, item.clone());
                        }
                        table.history = old.history.take();
                        table
                    }
                    None => {
                        fresh.insert(name.clone());
                        // The record's time (the write clock is pinned to it), unless a
                        // `TIMES` after it says.
                        let mut table = empty_table(&definition, tables.write_clock.now());
                        table.history = Some(tables.change_log());
                        table
                    }
                };
                table.billing_mode = definition.billing_mode;
                table.index_throughput = definition.index_throughput;
                table.changes = definition.changes;
                table.time_to_live = definition.time_to_live;
                initial_throughput(&mut table);
                if table.history.is_none() {
                    table.history = Some(tables.change_log());
                }
                if let Some(history) = table.history.as_mut() {
                    history.recovery = definition.recovery;
                    history.stream = definition.stream;
                }
                table.pending = Some(PendingItems::default());
                tables
                    .journaled
                    .lock()
                    .insert(name.clone(), definition_bytes(&table));
                tables.tables.insert(name, table.into());
            }
            Mutation::Drop(name) => {
                tables.tables.remove(&name);
                tables.journaled.lock().remove(&name);
            }
            Mutation::Items { table, entries } => {
                let table = tables
                    .tables
                    .get_mut(&table)
                    .ok_or(Corrupt::from("items of a table that does not exist"))?;
                let pending = table.pending.take();
                let unlogged = in_snapshot || fresh.contains(&table.name);
                let history = if unlogged { table.history.take() } else { None };
                for (put, item) in entries {
                    let key = table
                        .key_of(&item)
                        .map_err(|_| Corrupt::from("an item without its key"))?;
                    if put == Mutation::PUT {
                        table.put(key, item);
                    } else {
                        table.delete(&key);
                    }
                }
                if unlogged {
                    table.history = history;
                }
                table.pending = pending;
            }
            Mutation::Log { table, state } => {
                if let Some(log) = tables
                    .tables
                    .get_mut(&table)
                    .and_then(|t| t.history.as_mut())
                {
                    log.restore_state(state);
                }
            }
            Mutation::Changes { table, changes } => {
                let table = tables
                    .tables
                    .get_mut(&table)
                    .ok_or(Corrupt::from("changes of a table that does not exist"))?;
                for change in changes {
                    let Some(image) = change.new.as_ref().or(change.old.as_ref()) else {
                        continue;
                    };
                    let key = table
                        .key_of(image)
                        .map_err(|_| Corrupt::from("a change without its key"))?;
                    if let Some(log) = table.history.as_mut() {
                        log.restore_change(Change {
                            sequence: change.sequence,
                            at: change.at,
                            key,
                            old: change.old,
                            new: change.new,
                            by_ttl: change.by_ttl,
                        });
                    }
                }
            }
            Mutation::Expired { table, keys } => {
                let table = tables
                    .tables
                    .get_mut(&table)
                    .ok_or(Corrupt::from("expiries of a table that does not exist"))?;
                for key in keys {
                    let key = table
                        .key_of(&key)
                        .map_err(|_| Corrupt::from("an expiry without its key"))?;
                    if let Some(log) = table.history.as_mut() {
                        log.mark_expired_latest(&key);
                    }
                }
            }
            Mutation::Backup(record) => {
                let BackupRecord {
                    counter,
                    description,
                    definition,
                } = *record;
                let created_at = description.summary.created_at;
                tables.backups.lock().recover(
                    counter,
                    description,
                    empty_table(&definition, created_at),
                );
            }
            Mutation::BackupItems { arn, items } => {
                tables
                    .backups
                    .lock()
                    .recover_items(&arn, items)
                    .map_err(|()| Corrupt::from("items of a backup that does not exist"))?;
            }
            Mutation::DeleteBackup(arn) => {
                tables.backups.lock().forget(&arn);
            }
            Mutation::Token {
                token,
                at,
                fingerprint,
            } => {
                tables.tokens.lock().remember(token, at, fingerprint);
            }
            Mutation::Throughput(settings) => {
                let Settings {
                    owner,
                    maximums,
                    warm,
                } = *settings;
                match owner {
                    // Always after its table's `DEFINE` in the same record.
                    Owner::Table(name) => {
                        if let Some(table) = tables.tables.get_mut(&name) {
                            table.maximums = maximums;
                            table.warm = warm;
                            let definition = definition_bytes(table);
                            tables.journaled.lock().insert(name, definition);
                        }
                    }
                    Owner::Backup(arn) => tables
                        .backups
                        .lock()
                        .recover_throughput(&arn, maximums, warm)
                        .map_err(|()| {
                            Corrupt::from("throughput settings of a backup that does not exist")
                        })?,
                }
            }
            Mutation::Times {
                table,
                created_at,
                stream_created_at,
            } => {
                // Always after its table's `DEFINE` in the same record.
                if let Some(table) = tables.tables.get_mut(&table) {
                    table.created_at = created_at;
                    if let Some(log) = table.history.as_mut() {
                        log.stream_created_at = stream_created_at;
                    }
                }
            }
        }
    }
    Ok(())
}
