//! The directory a durable store lives in: its lock, its journal files by generation, and
//! making its entries durable; [`Failure`], an I/O failure with the path it happened on.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notes_core::{Error, Result};

/// How often, and how long apart, `open` tries a held lock again.
const LOCK_RETRIES: u32 = 10;
const LOCK_RETRY_INTERVAL: Duration = Duration::from_millis(5);

/// Why a journal write or sync failed, kept to answer every caller it covered.
#[derive(Debug, Clone)]
pub(super) struct Failure {
    pub(super) path: PathBuf,
    operation: &'static str,
    pub(super) source: Arc<io::Error>,
}

impl Failure {
    pub(super) fn new(path: &Path, operation: &'static str, source: io::Error) -> Self {
        Failure {
            path: path.to_owned(),
            operation,
            source: Arc::new(source),
        }
    }

    pub(super) fn to_error(&self) -> Error {
        Error::Storage {
            path: self.path.clone(),
            operation: self.operation,
            source: Arc::clone(&self.source),
        }
    }
}

impl From<Failure> for Error {
    fn from(failure: Failure) -> Self {
        failure.to_error()
    }
}

/// The journal file of `generation` in `dir`.
pub(super) fn journal_path(dir: &Path, generation: u64) -> PathBuf {
    dir.join(format!("journal-{generation:020}"))
}

/// The generation a journal file is named for (`None`: no journal file).
pub(super) fn generation_of(name: &str) -> Option<u64> {
    name.strip_prefix("journal-")?.parse().ok()
}

/// Makes the entries of `dir` durable (names created, renamed or removed).
pub(super) fn sync_dir(dir: &Path) -> std::result::Result<(), Failure> {
    // Directories cannot be opened for writing; a read handle's `fsync` makes new and
    // removed names durable (a no-op where the platform does not support it).
    let handle = File::open(dir).map_err(|e| Failure::new(dir, "open", e))?;
    match handle.sync_all() {
        Err(e) if e.kind() != io::ErrorKind::PermissionDenied => Err(Failure::new(dir, "fsync", e)),
        _ => Ok(()),
    }
}

/// The locks of an open directory, held (exclusive `flock`s) for as long as it is open:
/// `LOCK`'s and the directory's own (so that deleting `LOCK` does not let a second backend
/// in).
#[derive(Debug)]
pub(super) struct DirLock {
    _file: File,
    _dir: File,
}

/// Takes the locks of `dir` (which exists): [`Error::StoreInUse`] when another backend holds
/// them.
pub(super) fn lock(dir: &Path) -> Result<DirLock> {
    let lock_path = dir.join("LOCK");
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(|e| Failure::new(&lock_path, "open", e))?;
    try_lock(&file, &lock_path, dir)?;
    let handle = File::open(dir).map_err(|e| Failure::new(dir, "open", e))?;
    try_lock(&handle, dir, dir)?;
    Ok(DirLock {
        _file: file,
        _dir: handle,
    })
}

/// Takes the exclusive lock of `file` (at `path`, of the directory `dir`).
fn try_lock(file: &File, path: &Path, dir: &Path) -> Result<()> {
    // A lock that was just released can still be held for a moment by a child process this
    // one is spawning (it holds copies of every descriptor until it execs): a few short
    // retries before answering that the directory is in use.
    let mut retries = LOCK_RETRIES;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
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
                return Err(Failure::new(path, "lock", e).into());
            }
        }
    }
}

/// The generations of the journal files in `dir`, oldest first.
pub(super) fn generations(dir: &Path) -> Result<Vec<u64>> {
    let mut generations = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Failure::new(dir, "read directory", e))? {
        let entry = entry.map_err(|e| Failure::new(dir, "read directory", e))?;
        if let Some(generation) = entry.file_name().to_str().and_then(generation_of) {
            generations.push(generation);
        }
    }
    generations.sort_unstable();
    Ok(generations)
}
