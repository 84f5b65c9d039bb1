//! `GET /notes/count`: each user's note count, kept from the embedded backend's stream.
//!
//! The count is derived data, as a Lambda function triggered by the table's stream keeps it
//! on AWS (`cargo run --example notes-stream`): the same counter
//! ([`NoteCounter`](notes_examples::note_counter::NoteCounter)), fed in-process. It starts
//! from a full count of the table at start-up, then, on each request, reads the stream's
//! records after its checkpoint (`MemoryBackend::stream_records`) before answering: so a
//! caller reads its own writes, and no background task is needed.
//!
//! A stream keeps its records for 24 hours. After a day without requests the records after
//! the checkpoint may be trimmed (`Error::TrimmedData`): the counter then counts the table
//! again, as at start-up, and follows the stream from there.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError};

use notes_examples::note_counter::NoteCounter;
use notes_repo::stream::{ChangeKind, StreamRecord, StreamViewType};
use notes_repo::{Error, MemoryBackend, Note, Repo, Result};
use serde::{Deserialize, Serialize};

/// The body of a `GET /notes/count` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteCount {
    /// The caller.
    pub user_id: String,
    /// How many notes the caller has.
    pub count: i64,
}

/// Each user's note count, kept from the table's stream on the embedded backend.
///
/// ```
/// use notes_api::StreamCounts;
/// use notes_repo::{MemoryBackend, Note, Repo};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
/// repo.create_table_on_demand().await?;
/// repo.put(&Note::new("alice", "buy milk")).await?;
/// let counts = StreamCounts::start(&repo).await?; // a full count, then the stream
/// repo.put(&Note::new("alice", "call mum")).await?;
/// assert_eq!(counts.count("alice").await?, 2);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct StreamCounts {
    repo: Repo<Note, MemoryBackend>,
    counter: NoteCounter,
    /// The stream's position after the last record counted (never the oldest record kept:
    /// reading from there would skip a record trimmed since without an error). Held while the
    /// counter and the checkpoint change together.
    checkpoint: Arc<Mutex<String>>,
}

/// A full count: each user's notes, and the stream record it is exact at.
struct FullCount {
    by_user: BTreeMap<String, i64>,
    checkpoint: String,
}

impl StreamCounts {
    /// Counts `repo`'s notes from now on: enables a `KEYS_ONLY` stream on the table if it
    /// has none (a count needs only the keys), counts every note once, and follows the
    /// stream from there. Writes made meanwhile are counted once.
    ///
    /// # Errors
    ///
    /// The backend's: a missing table, a note that does not read as [`Note`].
    ///
    /// See [`StreamCounts`] for an example.
    pub async fn start(repo: &Repo<Note, MemoryBackend>) -> Result<Self> {
        let table = repo.describe_table().await?;
        if table.stream.is_none() {
            repo.enable_stream(StreamViewType::KeysOnly).await?;
        }
        let full = full_count(repo).await?;
        let counts = StreamCounts {
            repo: repo.clone(),
            counter: NoteCounter::default(),
            checkpoint: Arc::new(Mutex::new(full.checkpoint.clone())),
        };
        counts.reset(full);
        Ok(counts)
    }

    /// `user_id`'s note count, after counting the stream's records since the last call. When
    /// records after the last call were trimmed (older than 24 hours), the table is counted
    /// again first (a full scan, as at start-up).
    ///
    /// # Errors
    ///
    /// The stream's: the table or its stream gone, a record that does not read as [`Note`]
    /// (then nothing after it is counted, and the next call tries again); the scan's, when
    /// the table is counted again.
    ///
    /// See [`StreamCounts`] for an example.
    pub async fn count(&self, user_id: &str) -> Result<i64> {
        match self.follow() {
            Err(Error::TrimmedData { .. }) => {
                tracing::warn!(
                    table = self.repo.table_name(),
                    "stream records after the note counter's checkpoint were trimmed; \
                     counting the table again"
                );
                let full = full_count(&self.repo).await?;
                self.reset(full);
                // The writes since the full count.
                self.follow()?;
            }
            other => other?,
        }
        Ok(self.counter.count(user_id))
    }

    /// Counts the stream's records after the checkpoint, and moves it past them.
    fn follow(&self) -> Result<()> {
        let mut checkpoint = self
            .checkpoint
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let changes = self
            .repo
            .backend()
            .stream_records(self.repo.table_name(), Some(checkpoint.as_str()))?;
        if let Some(last) = changes.last() {
            let last = last.sequence_number.clone();
            let records = changes
                .into_iter()
                .map(StreamRecord::<Note>::decode)
                .collect::<Result<Vec<_>>>()?;
            self.counter.apply(&records);
            *checkpoint = last;
        }
        Ok(())
    }

    /// Replaces every count, and the checkpoint, by a full count's.
    fn reset(&self, full: FullCount) {
        let mut checkpoint = self
            .checkpoint
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for user in self.counter.counts().keys() {
            if !full.by_user.contains_key(user) {
                self.counter.set(user, 0);
            }
        }
        for (user, count) in &full.by_user {
            self.counter.set(user, *count);
        }
        *checkpoint = full.checkpoint;
    }
}

/// Each user's notes now, and the stream record the count is exact at: the stream's
/// position is taken before the scan, then each key written after it is present or not
/// as its last record says (a note written or deleted during the scan is counted once,
/// or not at all, whether the scan saw it or not).
async fn full_count(repo: &Repo<Note, MemoryBackend>) -> Result<FullCount> {
    let backend = repo.backend();
    let table = repo.table_name();
    let before = backend.stream_position(table)?;
    let notes: Vec<Note> = repo.scan().consistent().all().await?;
    let mut keys: BTreeSet<(String, String)> = notes
        .into_iter()
        .map(|note| (note.user_id, note.note_id))
        .collect();
    let since = backend.stream_records(table, Some(&before))?;
    let checkpoint = since
        .last()
        .map_or(before, |record| record.sequence_number.clone());
    for record in since {
        let record = StreamRecord::<Note>::decode(record)?;
        let key = (record.key.user_id, record.key.note_id);
        match record.kind {
            ChangeKind::Remove => keys.remove(&key),
            _ => keys.insert(key),
        };
    }
    let mut by_user = BTreeMap::<String, i64>::new();
    for (user, _) in keys {
        *by_user.entry(user).or_default() += 1;
    }
    Ok(FullCount {
        by_user,
        checkpoint,
    })
}
