//! What the service keeps about each table beside the engine: the settings the engine does
//! not model ([`Settings`]) and the table's tags. Each table's belong to the table created at
//! one instant: a table deleted and created again under the same name, or created on the
//! engine directly, starts with none.
//!
//! With an in-memory engine they live in memory. With a durable one ([`Declared::open`]) they
//! are also kept in a file of the engine's directory, [`FILE`], rewritten whole before a
//! change is answered: written to `FILE.tmp`, `fsync`ed, renamed over `FILE`, the directory
//! `fsync`ed, so a crash leaves the old file or the new one, never a part. The engine reads
//! only its `LOCK` and its `journal-<generation>` files and removes only
//! `journal-<generation>.tmp`: it neither reads nor removes this file, and its lock keeps a
//! second server out of the directory, so out of the file too. At open, the entries of
//! tables the engine does not have (deleted, or created again since: another creation time)
//! are dropped.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use notes_core::Error;
use notes_memory::MemoryBackend;
use serde::{Deserialize, Serialize};

mod settings;

use crate::errors::ErrorAnswer;
pub(crate) use settings::{Settings, SseShape, check_table_class};

/// The file, in the engine's directory, that holds every table's settings and tags.
pub(crate) const FILE: &str = "notes-local-tables.json";

/// The version of [`FILE`]'s format.
const VERSION: u32 = 1;

/// One table's settings and tags, and the creation time of the table they belong to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Entry {
    /// When the table was created, as the engine says (to the nanosecond, which the
    /// engine's journal keeps).
    created_at: Stamp,
    /// Its settings.
    pub(crate) settings: Settings,
    /// Its tags, by key.
    pub(crate) tags: BTreeMap<String, String>,
}

/// A time as [`FILE`] holds it: seconds and nanoseconds since the epoch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    secs: u64,
    nanos: u32,
}

impl From<SystemTime> for Stamp {
    fn from(at: SystemTime) -> Self {
        let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
        Stamp {
            secs: since.as_secs(),
            nanos: since.subsec_nanos(),
        }
    }
}

impl Stamp {
    fn time(self) -> Option<SystemTime> {
        UNIX_EPOCH.checked_add(Duration::new(self.secs, self.nanos))
    }
}

/// [`FILE`]'s contents.
#[derive(Debug, Serialize, Deserialize)]
struct Contents {
    version: u32,
    tables: BTreeMap<String, Entry>,
}

/// Every table's [`Entry`], by table name, kept in memory and, for a durable engine, in
/// [`FILE`].
#[derive(Debug, Default)]
pub(crate) struct Declared {
    tables: Mutex<BTreeMap<String, Entry>>,
    /// [`FILE`]'s path; `None`: memory only.
    file: Option<PathBuf>,
}

impl Declared {
    /// The entries kept in `dir` (the durable `engine`'s directory, opened already), those of
    /// tables the engine does not have dropped; none when the file does not exist yet.
    ///
    /// # Errors
    ///
    /// [`Error::Storage`] when the file cannot be read or is not the file this module
    /// writes.
    pub(crate) fn open(dir: &Path, engine: &MemoryBackend) -> Result<Declared, Error> {
        let file = dir.join(FILE);
        // A crash between writing and renaming leaves the next version unacknowledged.
        let _ = fs::remove_file(temporary(&file));
        let tables = match fs::read(&file) {
            Ok(bytes) => read(&file, &bytes)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(storage(&file, "read", e)),
        };
        let tables = tables
            .into_iter()
            .filter(|(name, entry)| {
                let facts = engine.table_facts(name);
                facts.is_ok_and(|facts| entry.created_at.time() == Some(facts.created_at))
            })
            .collect();
        Ok(Declared {
            tables: Mutex::new(tables),
            file: Some(file),
        })
    }

    /// The entry of the table `name` created at `created_at` (the defaults for another).
    pub(crate) fn get(&self, name: &str, created_at: SystemTime) -> Entry {
        let tables = self.tables.lock().unwrap_or_else(PoisonError::into_inner);
        match tables.get(name) {
            Some(entry) if entry.created_at == Stamp::from(created_at) => entry.clone(),
            _ => Entry {
                created_at: created_at.into(),
                ..Entry::default()
            },
        }
    }

    /// Changes the entry of the table `name` created at `created_at` with `change` (from the
    /// defaults if it has none), kept (on disk too, for a durable engine) before this returns.
    /// Nothing changes when `change` refuses or the file cannot be written (DynamoDB's
    /// `InternalServerError`, the failure of `operation`).
    pub(crate) fn change(
        &self,
        name: &str,
        created_at: SystemTime,
        operation: &str,
        change: impl FnOnce(&mut Entry) -> Result<(), ErrorAnswer>,
    ) -> Result<(), ErrorAnswer> {
        let mut tables = self.tables.lock().unwrap_or_else(PoisonError::into_inner);
        let mut entry = match tables.get(name) {
            Some(entry) if entry.created_at == Stamp::from(created_at) => entry.clone(),
            _ => Entry {
                created_at: created_at.into(),
                ..Entry::default()
            },
        };
        change(&mut entry)?;
        let previous = tables.insert(name.to_owned(), entry);
        self.keep(&tables)
            .inspect_err(|_| {
                match previous {
                    Some(previous) => tables.insert(name.to_owned(), previous),
                    None => tables.remove(name),
                };
            })
            .map_err(|err| ErrorAnswer::of(&err, operation, 1))
    }

    /// Forgets the entry of the table `name` (deleted): kept before this returns, as
    /// [`change`](Self::change).
    pub(crate) fn remove(&self, name: &str, operation: &str) -> Result<(), ErrorAnswer> {
        let mut tables = self.tables.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(previous) = tables.remove(name) else {
            return Ok(());
        };
        self.keep(&tables)
            .inspect_err(|_| {
                tables.insert(name.to_owned(), previous);
            })
            .map_err(|err| ErrorAnswer::of(&err, operation, 1))
    }

    /// Writes `tables` to the file, if there is one.
    fn keep(&self, tables: &BTreeMap<String, Entry>) -> Result<(), Error> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let contents = Contents {
            version: VERSION,
            tables: tables.clone(),
        };
        // Plain data always serializes.
        let bytes = serde_json::to_vec_pretty(&contents).unwrap_or_default();
        write_atomically(file, &bytes)
    }
}

/// The entries of the file at `path`, whose bytes are `bytes`.
fn read(path: &Path, bytes: &[u8]) -> Result<BTreeMap<String, Entry>, Error> {
    let invalid = |message: String| storage(path, "parse", io::Error::other(message));
    let contents: Contents =
        serde_json::from_slice(bytes).map_err(|err| invalid(err.to_string()))?;
    if contents.version != VERSION {
        return Err(invalid(format!(
            "version {} of the file, this server reads version {VERSION}",
            contents.version
        )));
    }
    Ok(contents.tables)
}

/// Replaces the file at `path` with `bytes`: all of them or none, durably.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let temporary = temporary(path);
    let mut file = File::create(&temporary).map_err(|e| storage(&temporary, "create", e))?;
    file.write_all(bytes)
        .map_err(|e| storage(&temporary, "write", e))?;
    file.sync_all()
        .map_err(|e| storage(&temporary, "fsync", e))?;
    fs::rename(&temporary, path).map_err(|e| storage(path, "rename", e))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    // A read handle's `fsync` makes the new name durable (a no-op where the platform does
    // not support it).
    match File::open(dir).and_then(|handle| handle.sync_all()) {
        Err(e) if e.kind() != io::ErrorKind::PermissionDenied => Err(storage(dir, "fsync", e)),
        _ => Ok(()),
    }
}

/// Where the next version of the file at `path` is written before it replaces it.
fn temporary(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".tmp");
    PathBuf::from(name)
}

/// The engine's storage error, for our file.
fn storage(path: &Path, operation: &'static str, source: io::Error) -> Error {
    Error::Storage {
        path: path.to_owned(),
        operation,
        source: Arc::new(source),
    }
}

#[cfg(test)]
mod tests {
    use notes_core::Backend;
    use notes_core::request::{CreateTable, DeleteTable};
    use notes_model::{Item, Note};

    use super::*;

    /// A fresh directory for one test.
    fn directory(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "notes-local-declared-{}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    fn protected(entry: &mut Entry) -> Result<(), ErrorAnswer> {
        entry.settings.deletion_protection = true;
        entry.tags.insert("env".into(), "test".into());
        Ok(())
    }

    #[test]
    fn entries_belong_to_the_table_created_at_one_instant() {
        let declared = Declared::default();
        let first = UNIX_EPOCH + Duration::from_secs(1);
        declared
            .change("notes", first, "UpdateTable", protected)
            .unwrap();
        assert!(declared.get("notes", first).settings.deletion_protection);
        assert_eq!(declared.get("notes", first).tags.len(), 1);
        let again = first + Duration::from_nanos(1);
        assert_eq!(declared.get("notes", again).settings, Settings::default());
        assert!(declared.get("notes", again).tags.is_empty());
        // A change for the table created later starts from the defaults.
        declared
            .change("notes", again, "TagResource", |_| Ok(()))
            .unwrap();
        assert!(declared.get("notes", again).tags.is_empty());
    }

    #[test]
    fn a_refused_change_changes_nothing() {
        let declared = Declared::default();
        let at = UNIX_EPOCH + Duration::from_secs(1);
        declared
            .change("notes", at, "UpdateTable", protected)
            .unwrap();
        let refused = declared.change("notes", at, "TagResource", |entry| {
            entry.tags.clear();
            Err(ErrorAnswer::validation("no"))
        });
        assert_eq!(refused.unwrap_err().message, "no");
        assert_eq!(declared.get("notes", at).tags.len(), 1);
    }

    #[tokio::test]
    async fn entries_are_kept_in_the_engines_directory_and_dropped_with_their_table() {
        let dir = directory("kept");
        let engine = MemoryBackend::open(&dir).unwrap();
        for name in ["kept", "deleted", "again"] {
            engine
                .create_table(CreateTable::new(name, Note::KEY_SCHEMA))
                .await
                .unwrap();
        }
        let created = |name: &str| engine.table_facts(name).unwrap().created_at;
        let declared = Declared::open(&dir, &engine).unwrap();
        for name in ["kept", "deleted", "again"] {
            declared
                .change(name, created(name), "CreateTable", protected)
                .unwrap();
        }
        drop(declared);
        let kept_at = created("kept");
        // Deleted, and deleted then created again, behind the service's back.
        for name in ["deleted", "again"] {
            engine.delete_table(DeleteTable::new(name)).await.unwrap();
        }
        engine
            .create_table(CreateTable::new("again", Note::KEY_SCHEMA))
            .await
            .unwrap();
        drop(engine);
        // The engine opens its directory with the file in it; the file comes back without the
        // entries of tables the engine does not have.
        let engine = MemoryBackend::open(&dir).unwrap();
        let declared = Declared::open(&dir, &engine).unwrap();
        let tables = declared.tables.lock().unwrap().clone();
        assert_eq!(tables.keys().collect::<Vec<_>>(), ["kept"]);
        assert!(tables["kept"].settings.deletion_protection);
        assert_eq!(tables["kept"].created_at.time(), Some(kept_at));
        assert!(!temporary(&dir.join(FILE)).exists());
        drop(engine);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn a_file_that_is_not_ours_is_refused_naming_it() {
        let dir = directory("damaged");
        let engine = MemoryBackend::open(&dir).unwrap();
        fs::write(dir.join(FILE), b"{\"version\": 1, \"tables\": {").unwrap();
        let err = Declared::open(&dir, &engine).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "storage error: parse of `{}` failed: EOF while parsing an object at line 1 \
                 column 26",
                dir.join(FILE).display()
            )
        );
        fs::write(dir.join(FILE), b"{\"version\": 2, \"tables\": {}}").unwrap();
        let err = Declared::open(&dir, &engine).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "storage error: parse of `{}` failed: version 2 of the file, this server \
                 reads version 1",
                dir.join(FILE).display()
            )
        );
        drop(engine);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_that_cannot_be_written_changes_nothing() {
        let dir = directory("unwritable");
        // The file's directory does not exist: the temporary file cannot be created.
        let declared = Declared {
            file: Some(dir.join(FILE)),
            ..Declared::default()
        };
        let at = UNIX_EPOCH + Duration::from_secs(1);
        let failed = declared
            .change("notes", at, "UpdateTable", protected)
            .unwrap_err();
        assert_eq!((failed.status, failed.name), (500, "InternalServerError"));
        assert!(
            failed
                .message
                .starts_with("Internal server error: storage error: create of `"),
            "{}",
            failed.message
        );
        assert!(!declared.get("notes", at).settings.deletion_protection);
    }
}
