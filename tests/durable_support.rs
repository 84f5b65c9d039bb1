//! Cases on a durable `MemoryBackend` ([`on_durable_memory!`](crate::on_durable_memory)):
//! a directory of its own per case, and the check that reopening it gives back the table
//! the case left.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use notes_model::ItemMap;
use notes_repo::request::{DescribeTable, Scan};
use notes_repo::{Backend, MemoryBackend};

/// A directory of its own under the system's temp dir (created on first use by whoever
/// opens it), removed when dropped.
///
/// ```
/// let dir = notes_tests::durable_support::TempDir::new("doc");
/// assert!(dir.path().starts_with(std::env::temp_dir()));
/// ```
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// A fresh, not yet existing, path: `notes-<name>-<pid>-<n>` in the temp dir.
    ///
    /// See [`TempDir`] for an example.
    pub fn new(name: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("notes-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        TempDir(dir)
    }

    /// The directory.
    ///
    /// See [`TempDir`] for an example.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every item of `table`, read with strongly consistent scans, sorted (by their debug form:
/// item maps have no order of their own).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let repo: notes_repo::Repo<notes_repo::Note, _> =
///     notes_tests::repo(notes_repo::MemoryBackend::new(), "notes").await;
/// assert!(notes_tests::durable_support::all_items(repo.backend(), "notes").await.is_empty());
/// # }
/// ```
pub async fn all_items<B: Backend>(backend: &B, table: &str) -> Vec<ItemMap> {
    let mut items = Vec::new();
    let mut start = None;
    loop {
        let mut scan = Scan::new(table);
        scan.consistent_read = true;
        scan.exclusive_start_key = start;
        let page = backend.scan(scan).await.expect("scan the table");
        items.extend(
            page.items
                .into_iter()
                .map(notes_repo::SharedItem::into_owned),
        );
        start = page.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }
    items.sort_by_cached_key(|item| {
        let mut pairs: Vec<_> = item.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        pairs.sort();
        pairs
    });
    items
}

/// Closes `backend` (the case must hold no other clone), reopens `dir`, and asserts that
/// `table` holds the same items and has the same description as before.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let dir = notes_tests::durable_support::TempDir::new("doc-reopen");
/// let backend = notes_repo::MemoryBackend::open(dir.path()).unwrap();
/// let repo: notes_repo::Repo<notes_repo::Note, _> = notes_tests::repo(backend, "notes").await;
/// repo.put(&notes_repo::Note::new("u1", "hi")).await.unwrap();
/// let backend = repo.backend().clone();
/// drop(repo);
/// notes_tests::durable_support::assert_reopens_the_same(backend, dir.path(), "notes").await;
/// # }
/// ```
pub async fn assert_reopens_the_same(backend: MemoryBackend, dir: &Path, table: &str) {
    let described = backend.describe_table(DescribeTable::new(table)).await;
    let items = match &described {
        Ok(_) => all_items(&backend, table).await,
        Err(_) => Vec::new(),
    };
    drop(backend);
    let reopened = MemoryBackend::open(dir).expect("reopen the directory");
    let again = reopened.describe_table(DescribeTable::new(table)).await;
    match (&described, &again) {
        (Ok(before), Ok(after)) => assert_eq!(before, after, "table description after reopening"),
        (Err(_), Err(_)) => {}
        _ => panic!("table `{table}` before reopening: {described:?}; after: {again:?}"),
    }
    if again.is_ok() {
        assert_eq!(
            all_items(&reopened, table).await,
            items,
            "items of `{table}` after reopening"
        );
    }
}

/// Lets the disk go (`StorageFaults::hold_writes(false)`) when dropped, however the test
/// ends: a journal writer still held would keep the backend's drop waiting.
///
/// ```
/// let faults = notes_repo::StorageFaults::new();
/// let _release = notes_tests::durable_support::ReleaseDisk(faults.clone());
/// faults.hold_writes(true);
/// ```
#[derive(Debug)]
pub struct ReleaseDisk(pub notes_repo::StorageFaults);

impl Drop for ReleaseDisk {
    fn drop(&mut self) {
        self.0.hold_writes(false);
    }
}
