//! `GET /notes/count`: each user's note count, kept from the embedded backend's stream.
//!
//! The count is derived data, as a Lambda function triggered by the table's stream keeps it
//! on AWS (`cargo run --example notes-stream`): the same counter
//! ([`NoteCounter`](notes_examples::note_counter::NoteCounter)), fed in-process. It starts
//! from a full count of the table at start-up, then, on each request, reads the stream's
//! records after its checkpoint (`MemoryBackend::stream_records`) before answering: so a
//! caller reads its own writes, and no background task is needed.

use std::sync::{Arc, Mutex, PoisonError};

use notes_examples::note_counter::NoteCounter;
use notes_repo::stream::{StreamRecord, StreamViewType};
use notes_repo::{MemoryBackend, Note, Repo, Result};
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
/// assert_eq!(counts.count("alice")?, 2);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct StreamCounts {
    backend: MemoryBackend,
    table: String,
    counter: NoteCounter,
    /// The last stream record counted (`None`: none yet).
    checkpoint: Arc<Mutex<Option<String>>>,
}

impl StreamCounts {
    /// Counts `repo`'s notes from now on: enables a `KEYS_ONLY` stream on the table if it
    /// has none (a count needs only the keys), counts every note once, and follows the
    /// stream from its latest record. Call it before the API serves: a write between the
    /// full count and the checkpoint would be counted twice.
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
        let backend = repo.backend().clone();
        let name = repo.table_name().to_owned();
        let checkpoint = backend
            .stream_records(&name, None)?
            .pop()
            .map(|record| record.sequence_number);
        let counter = NoteCounter::default();
        let notes: Vec<Note> = repo.scan().consistent().all().await?;
        let mut by_user = std::collections::BTreeMap::<&str, i64>::new();
        for note in &notes {
            *by_user.entry(note.user_id.as_str()).or_default() += 1;
        }
        for (user, count) in by_user {
            counter.set(user, count);
        }
        Ok(StreamCounts {
            backend,
            table: name,
            counter,
            checkpoint: Arc::new(Mutex::new(checkpoint)),
        })
    }

    /// `user_id`'s note count, after counting the stream's records since the last call.
    ///
    /// # Errors
    ///
    /// The stream's: the table or its stream gone, a record that does not read as [`Note`]
    /// (then nothing after it is counted, and the next call tries again).
    ///
    /// See [`StreamCounts`] for an example.
    pub fn count(&self, user_id: &str) -> Result<i64> {
        let mut checkpoint = self
            .checkpoint
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let changes = self
            .backend
            .stream_records(&self.table, checkpoint.as_deref())?;
        if let Some(last) = changes.last() {
            let last = last.sequence_number.clone();
            let records = changes
                .into_iter()
                .map(StreamRecord::<Note>::decode)
                .collect::<Result<Vec<_>>>()?;
            self.counter.apply(&records);
            *checkpoint = Some(last);
        }
        Ok(self.counter.count(user_id))
    }
}
