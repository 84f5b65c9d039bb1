//! Salvage: a directory `open` refuses ([`Error::Corrupt`](notes_core::Error::Corrupt)) made openable again, keeping
//! every record that can be read and reporting exactly what could not.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use notes_core::Result;

use super::codec;
use super::directory::{Failure, generations, journal_path, lock, sync_dir};
use super::frame::{self, Frame};
use super::journal::write_generation;
use super::replay::{check_header, corrupt, replay};
use crate::encoding::Decoder;
use crate::state::Tables;

/// What [`MemoryBackend::salvage`](crate::memory_backend::MemoryBackend::salvage) kept, what it could not
/// read, and what it did to the directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SalvageReport {
    /// The journal file the records were read from (`None`: the directory has none).
    pub source: Option<PathBuf>,
    /// Records read and applied (table definitions, item chunks of the snapshot, operations).
    pub records_kept: u64,
    /// What could not be read or applied, in file order: each a byte range and why. Its
    /// length is the count of damaged places.
    pub lost: Vec<Unreadable>,
    /// The new journal file holding everything kept (`None`: nothing was lost, and the
    /// directory was left as it was).
    pub journal: Option<PathBuf>,
    /// The journal files the new one replaces, renamed to `<name>.damaged` (never deleted).
    pub set_aside: Vec<PathBuf>,
}

/// A byte range of a journal file that [`MemoryBackend::salvage`](crate::memory_backend::MemoryBackend::salvage)
/// could not use.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unreadable {
    /// The journal file.
    pub path: PathBuf,
    /// The bytes: from the first that could not be read to the next readable record (or the
    /// end of the file).
    pub offsets: Range<u64>,
    /// Why: damaged bytes, a torn final record, or a record that could be read but not
    /// applied (e.g. items of a table whose definition was in damaged bytes), or a whole
    /// record missing (an empty range where it was: the operations before and after it are
    /// not consecutive).
    pub reason: String,
}

fn unreadable(path: &Path, offsets: Range<usize>, reason: impl Into<String>) -> Unreadable {
    Unreadable {
        path: path.to_owned(),
        offsets: offsets.start as u64..offsets.end as u64,
        reason: reason.into(),
    }
}

/// Salvages `dir`: see [`MemoryBackend::salvage`](crate::memory_backend::MemoryBackend::salvage).
pub(crate) fn salvage(dir: &Path) -> Result<SalvageReport> {
    fs::metadata(dir).map_err(|e| Failure::new(dir, "open", e))?;
    let _lock = lock(dir)?;
    let generations = generations(dir)?;
    // The newest generation, unless it is an incomplete copy of an older one (cut: no end of
    // its snapshot can be read): then that older one. The cut copy is reported (the records
    // it lost, from where it ends; what it holds of the older one's state is in the older
    // one, anything newer in it is not kept) and set aside, never deleted.
    let mut source = None;
    let mut lost = Vec::new();
    let mut rewrite = false;
    for (i, &generation) in generations.iter().enumerate().rev() {
        let path = journal_path(dir, generation);
        let bytes = fs::read(&path).map_err(|e| Failure::new(&path, "read", e))?;
        let (records, damaged) = read_leniently(&path, &bytes);
        if i > 0 && snapshot_end(&records, bytes.len()) == bytes.len() {
            rewrite = true;
            let end = records
                .last()
                .map_or(0, |&(at, payload)| at + frame::FRAME + payload.len());
            if damaged.is_empty() {
                lost.push(unreadable(
                    &path,
                    end..end,
                    "the generation ends before its snapshot is complete: what followed was \
                     cut off",
                ));
            }
            lost.extend(damaged);
            continue;
        }
        lost.extend(damaged);
        let records: Vec<_> = records
            .into_iter()
            .map(|(at, p)| (at, p.to_vec()))
            .collect();
        source = Some((generation, path, bytes.len(), records));
        break;
    }
    let Some((generation, path, len, records)) = source else {
        return Ok(SalvageReport::default());
    };
    let mut records: Vec<(usize, &[u8])> = records.iter().map(|(at, p)| (*at, &p[..])).collect();
    // The header holds no state; one of another generation or format is reported.
    if let Some(&(0, payload)) = records.first()
        && payload.first() == Some(&codec::HEADER)
    {
        if let Err(reason) = check_header(payload, generation) {
            lost.push(unreadable(&path, 0..frame::FRAME + payload.len(), reason));
        }
        records.remove(0);
    }
    let snapshot_end = snapshot_end(&records, len);

    let mut tables = Tables::default();
    let mut skipped = Vec::new();
    let (last, applied) = replay(
        &mut tables,
        records.iter().copied(),
        snapshot_end,
        Some(&mut skipped),
    )
    .map_err(|(offset, c)| corrupt(&path, offset, c.0))?;
    for (at, len, corrupt) in skipped {
        if len == 0 {
            // A record missing before `at` (or, at the snapshot's end, in the snapshot):
            // reported unless damaged bytes explain it (they are reported already): just
            // before it, or anywhere in the snapshot.
            let explained = |u: &Unreadable| {
                u.path == path
                    && (u.offsets.end == at as u64
                        || (at < snapshot_end && u.offsets.start < at as u64))
            };
            if !lost.iter().any(explained) {
                lost.push(unreadable(&path, at..at, corrupt.0));
            }
            continue;
        }
        let reason = format!("a record that could be read but not applied: {}", corrupt.0);
        lost.push(unreadable(&path, at..at + len, reason));
    }
    lost.sort_by(|a, b| (&a.path, a.offsets.start).cmp(&(&b.path, b.offsets.start)));
    let mut report = SalvageReport {
        source: Some(path),
        records_kept: applied,
        lost,
        journal: None,
        set_aside: Vec::new(),
    };
    if report.lost.is_empty() && !rewrite {
        return Ok(report);
    }

    // What was kept becomes a new generation (complete before it has its name), then every
    // older generation is set aside.
    let next = generations.last().map_or(1, |g| g + 1);
    let time = tables.write_clock.now();
    let (_, new_path, _, _) = write_generation(dir, next, &tables, last, time)?;
    for generation in generations {
        let old = journal_path(dir, generation);
        let aside = old.with_extension("damaged");
        fs::rename(&old, &aside).map_err(|e| Failure::new(&old, "rename", e))?;
        report.set_aside.push(aside);
    }
    sync_dir(dir)?;
    tracing::warn!(
        dir = %dir.display(),
        kept = report.records_kept,
        lost = report.lost.len(),
        "durable MemoryBackend: salvaged a damaged journal"
    );
    report.journal = Some(new_path);
    Ok(report)
}

/// Every record of `bytes` that can be read (with its offset), and the bytes between that
/// cannot (each range to the next readable record, or a torn tail).
fn read_leniently<'a>(path: &Path, bytes: &'a [u8]) -> (Vec<(usize, &'a [u8])>, Vec<Unreadable>) {
    let mut records = Vec::new();
    let mut lost = Vec::new();
    let mut at = 0;
    loop {
        match frame::read_record(bytes, at) {
            Frame::Record(payload, next) => {
                records.push((at, payload));
                at = next;
            }
            Frame::End => break,
            Frame::Bad { .. } if frame::torn_tail(bytes, at) => {
                let reason =
                    "a torn final record (a write a crash interrupted: never acknowledged)";
                lost.push(unreadable(path, at..bytes.len(), reason));
                break;
            }
            Frame::Bad { .. } => {
                let next = frame::next_readable(bytes, at + 1).unwrap_or(bytes.len());
                lost.push(unreadable(
                    path,
                    at..next,
                    "damaged bytes: no record can be read there",
                ));
                at = next;
            }
        }
    }
    (records, lost)
}

/// Where the snapshot part of `records` ends: after its `SNAPSHOT_END`, or, when that was
/// in damaged bytes, at the first operation numbered after the snapshot's records (which
/// all carry the snapshot's sequence number).
fn snapshot_end(records: &[(usize, &[u8])], len: usize) -> usize {
    if let Some(&(at, payload)) = records
        .iter()
        .find(|(_, p)| p.first() == Some(&codec::SNAPSHOT_END))
    {
        return at + frame::FRAME + payload.len();
    }
    let sequence = |payload: &[u8]| {
        let mut d = Decoder::new(payload);
        (d.u8().ok()? == codec::OPERATION).then(|| d.u64().ok())?
    };
    let first = records.iter().find_map(|&(_, p)| sequence(p));
    records
        .iter()
        .find(|&&(_, p)| sequence(p) > first)
        .map_or(len, |&(at, _)| at)
}
