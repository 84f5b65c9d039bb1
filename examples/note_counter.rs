//! The notes app's per-user note counter, kept from the `notes` table's stream: the derived
//! data a Lambda function triggered by the stream maintains (`cargo run --example
//! notes-stream`), and what the notes API's `GET /notes/count` answers.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use notes_repo::stream::{ChangeKind, StreamRecord};
use notes_repo::{Note, Result};

/// Each user's note count, kept from stream records: an `INSERT` counts one more note, a
/// `REMOVE` (the app's delete or time to live) one less, a `MODIFY` nothing. Any view type
/// will do, `KEYS_ONLY` included. Cheap to clone: clones share the counts.
///
/// ```
/// use std::time::SystemTime;
/// use notes_examples::note_counter::NoteCounter;
/// use notes_repo::stream::{ChangeKind, ChangeRecord, StreamRecord};
/// use notes_repo::{Item, Note, PrimaryKey};
///
/// # fn main() -> notes_repo::Result<()> {
/// let note = Note::new("alice", "buy milk");
/// let record = |kind, sequence: &str| {
///     StreamRecord::<Note>::decode(ChangeRecord::new(
///         kind,
///         note.key().to_key_map(),
///         sequence,
///         SystemTime::UNIX_EPOCH,
///     ))
/// };
/// let counter = NoteCounter::default();
/// counter.apply(&[record(ChangeKind::Insert, "1")?, record(ChangeKind::Modify, "2")?]);
/// assert_eq!(counter.count("alice"), 1);
/// counter.apply(&[record(ChangeKind::Remove, "3")?]);
/// assert_eq!(counter.count("alice"), 0);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct NoteCounter {
    counts: Arc<Mutex<BTreeMap<String, i64>>>,
}

impl NoteCounter {
    /// Counts the changes of `records`, in order.
    ///
    /// See [`NoteCounter`] for an example.
    pub fn apply(&self, records: &[StreamRecord<Note>]) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        for record in records {
            let change = match record.kind {
                ChangeKind::Insert => 1,
                ChangeKind::Remove => -1,
                _ => 0,
            };
            if change != 0 {
                *counts.entry(record.key.user_id.clone()).or_default() += change;
            }
        }
        counts.retain(|_, count| *count != 0);
    }

    /// The Lambda handler's shape, `async fn(Vec<StreamRecord<Note>>)`: counts the batch.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let counter = notes_examples::note_counter::NoteCounter::default();
    /// counter.handle(Vec::new()).await?;
    /// assert!(counter.counts().is_empty());
    /// # Ok(()) }
    /// ```
    pub async fn handle(&self, records: Vec<StreamRecord<Note>>) -> Result<()> {
        self.apply(&records);
        Ok(())
    }

    /// Sets `user_id`'s count outright (a counter started from a full count, then kept from
    /// the stream).
    ///
    /// ```
    /// let counter = notes_examples::note_counter::NoteCounter::default();
    /// counter.set("alice", 3);
    /// assert_eq!(counter.count("alice"), 3);
    /// ```
    pub fn set(&self, user_id: &str, count: i64) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.insert(user_id.to_owned(), count);
        counts.retain(|_, count| *count != 0);
    }

    /// `user_id`'s note count (0 for a user never seen).
    ///
    /// See [`NoteCounter`] for an example.
    pub fn count(&self, user_id: &str) -> i64 {
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.get(user_id).copied().unwrap_or(0)
    }

    /// Every user's count (users with no note left out).
    ///
    /// See [`NoteCounter::handle`] for an example.
    pub fn counts(&self) -> BTreeMap<String, i64> {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}
