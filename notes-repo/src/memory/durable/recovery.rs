//! Opening a directory: the lock, choosing the newest complete generation, replaying it
//! (a torn tail cut off), and cleaning up the others.

use super::codec::{BackupRecord, Definition};
use super::journal::write_generation;
use super::*;
use crate::memory::history::Change;

/// Opens `dir` (creating it), takes its lock and replays its journal into `tables`.
pub(crate) fn recover(dir: &Path, tables: &mut Tables, options: StoreOptions) -> Result<Recovered> {
    fs::create_dir_all(dir).map_err(|e| Failure::new(dir, "create directory", e))?;
    let lock_path = dir.join("LOCK");
    let lock = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| Failure::new(&lock_path, "open", e))?;
    // A lock that was just released can still be held for a moment by a child process this
    // one is spawning (it holds copies of every descriptor until it execs): a few short
    // retries before answering that the directory is in use.
    let mut retries = LOCK_RETRIES;
    loop {
        match lock.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) if retries > 0 => {
                retries -= 1;
                std::thread::sleep(LOCK_RETRY_INTERVAL);
            }
            Err(TryLockError::WouldBlock) => {
                return Err(Error::StoreInUse {
                    path: dir.to_owned(),
                });
            }
            Err(TryLockError::Error(e)) => {
                return Err(Failure::new(&lock_path, "lock", e).into());
            }
        }
    }

    let mut generations = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Failure::new(dir, "read directory", e))? {
        let entry = entry.map_err(|e| Failure::new(dir, "read directory", e))?;
        if let Some(generation) = entry.file_name().to_str().and_then(generation_of) {
            generations.push(generation);
        }
    }
    generations.sort_unstable();

    // The newest generation whose snapshot is complete.
    let mut chosen = None;
    for &generation in generations.iter().rev() {
        let path = journal_path(dir, generation);
        let bytes = fs::read(&path).map_err(|e| Failure::new(&path, "read", e))?;
        if let Some(snapshot_end) = snapshot_end(&bytes, generation) {
            chosen = Some((generation, path, bytes, snapshot_end));
            break;
        }
    }

    let mut compactions = 0;
    let (journal, last) = match chosen {
        Some((generation, path, bytes, snapshot_end)) => {
            let (last, end) =
                replay(tables, &bytes, snapshot_end).map_err(|corrupt| Error::Storage {
                    path: path.clone(),
                    operation: "read",
                    source: Arc::new(io::Error::new(io::ErrorKind::InvalidData, corrupt)),
                })?;
            let file = OpenOptions::new()
                .write(true)
                .open(&path)
                .map_err(|e| Failure::new(&path, "open", e))?;
            if end < bytes.len() {
                // A torn final record: its caller was never answered.
                tracing::warn!(
                    path = %path.display(),
                    kept = end,
                    dropped = bytes.len() - end,
                    "durable MemoryBackend: truncating a torn final journal record"
                );
                file.set_len(end as u64)
                    .and_then(|()| file.sync_all())
                    .map_err(|e| Failure::new(&path, "truncate", e))?;
            }
            let mut journal = Journal {
                dir: dir.to_owned(),
                file,
                path,
                generation,
                snapshot_bytes: snapshot_end as u64,
                bytes: end as u64,
                limit: options.journal_limit,
            };
            journal
                .seek_end()
                .map_err(|e| Failure::new(&journal.path, "seek", e))?;
            if journal.should_compact() {
                let time = tables.write_clock.now();
                journal.compact(tables, last, time)?;
                compactions += 1;
            }
            (journal, last)
        }
        None => {
            let time = tables.write_clock.now();
            let generation = generations.last().map_or(1, |g| g + 1);
            let (file, path, bytes, snapshot_bytes) =
                write_generation(dir, generation, tables, 0, time)?;
            let journal = Journal {
                dir: dir.to_owned(),
                file,
                path,
                generation,
                snapshot_bytes,
                bytes,
                limit: options.journal_limit,
            };
            (journal, 0)
        }
    };
    // Older generations, and newer ones a crash left incomplete.
    // (A compaction at open has removed the one it replaced already.)
    for generation in generations {
        if generation != journal.generation {
            let path = journal_path(dir, generation);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => {
                    return Err(Failure::new(&path, "remove", e).into());
                }
                _ => {}
            }
        }
    }
    sync_dir(dir)?;
    Ok(Recovered {
        dir: dir.to_owned(),
        lock,
        journal,
        last,
        options,
        compactions,
    })
}

/// Where the snapshot of a generation file ends, if the file is a complete generation.
fn snapshot_end(bytes: &[u8], generation: u64) -> Option<usize> {
    let (header, mut at) = codec::next_record(bytes, 0)?;
    let mut d = Decoder::new(header);
    if d.u8().ok()? != codec::HEADER
        || d.raw(8).ok()? != codec::MAGIC
        || d.u64().ok()? != generation
    {
        return None;
    }
    while let Some((payload, next)) = codec::next_record(bytes, at) {
        at = next;
        if payload.first() == Some(&codec::SNAPSHOT_END) {
            return Some(at);
        }
    }
    None
}

/// Replays a complete generation into `tables`: answers the last sequence number and where
/// the valid records end.
fn replay(
    tables: &mut Tables,
    bytes: &[u8],
    snapshot_end: usize,
) -> std::result::Result<(u64, usize), Corrupt> {
    let clock = Arc::clone(&tables.write_clock);
    let (_, mut at) = codec::next_record(bytes, 0).ok_or(Corrupt("no header"))?;
    let mut last = 0;
    let mut snapshot_time = None;
    while let Some((payload, next)) = codec::next_record(bytes, at) {
        let in_snapshot = at < snapshot_end;
        at = next;
        let mut d = Decoder::new(payload);
        match d.u8()? {
            codec::OPERATION => {
                let sequence = d.u64()?;
                let time = d.time()?;
                let mutations = d.mutations()?;
                clock.pin_at(time);
                let applied = apply(tables, mutations, in_snapshot);
                clock.unpin();
                applied?;
                last = last.max(sequence);
            }
            codec::SNAPSHOT_END => {
                last = last.max(d.u64()?);
                snapshot_time = Some(d.time()?);
            }
            _ => return Err(Corrupt("unknown record kind")),
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
    tables.tokens.lock().forget_expired(clock.now());
    Ok((last, at))
}

/// A table of `definition`, without items or a change log.
fn empty_table(definition: &Definition) -> Table {
    let mut table = Table::new(
        definition.name.clone(),
        definition.schema.clone(),
        definition.billing_mode,
        definition.indexes.clone(),
    );
    table.index_throughput = definition.index_throughput.clone();
    table.changes = definition.changes.clone();
    table.time_to_live = definition.time_to_live.clone();
    table
}

/// Applies one record's mutations (`in_snapshot`: a snapshot's items, which are not changes
/// and stay out of the change logs).
fn apply(
    tables: &mut Tables,
    mutations: Vec<Mutation>,
    in_snapshot: bool,
) -> std::result::Result<(), Corrupt> {
    // Tables this record created (or restored): their items were in them before their change
    // log was, so they are not logged changes (and take no sequence numbers).
    let mut fresh = std::collections::HashSet::new();
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
                        let mut table = empty_table(&definition);
                        for item in old.items() {
                            let key = table
                                .key_of(item)
                                .map_err(|_| Corrupt("an item without its key"))?;
                            table.put(key, item.clone());
                        }
                        table.history = old.history.take();
                        table
                    }
                    None => {
                        fresh.insert(name.clone());
                        let mut table = empty_table(&definition);
                        table.history = Some(tables.change_log());
                        table
                    }
                };
                table.billing_mode = definition.billing_mode;
                table.index_throughput = definition.index_throughput;
                table.changes = definition.changes;
                table.time_to_live = definition.time_to_live;
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
                    .ok_or(Corrupt("items of a table that does not exist"))?;
                let pending = table.pending.take();
                let unlogged = in_snapshot || fresh.contains(&table.name);
                let history = if unlogged { table.history.take() } else { None };
                for (put, item) in entries {
                    let key = table
                        .key_of(&item)
                        .map_err(|_| Corrupt("an item without its key"))?;
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
                    .ok_or(Corrupt("changes of a table that does not exist"))?;
                for change in changes {
                    let Some(image) = change.new.as_ref().or(change.old.as_ref()) else {
                        continue;
                    };
                    let key = table
                        .key_of(image)
                        .map_err(|_| Corrupt("a change without its key"))?;
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
                    .ok_or(Corrupt("expiries of a table that does not exist"))?;
                for key in keys {
                    let key = table
                        .key_of(&key)
                        .map_err(|_| Corrupt("an expiry without its key"))?;
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
                tables
                    .backups
                    .lock()
                    .recover(counter, description, empty_table(&definition));
            }
            Mutation::BackupItems { arn, items } => {
                tables
                    .backups
                    .lock()
                    .recover_items(&arn, items)
                    .map_err(|()| Corrupt("items of a backup that does not exist"))?;
            }
            Mutation::DeleteBackup(arn) => {
                tables.backups.lock().forget(&arn);
            }
            Mutation::Token {
                token,
                at,
                fingerprint,
            } => {
                tables.tokens.lock().recover(token, at, fingerprint);
            }
        }
    }
    Ok(())
}
