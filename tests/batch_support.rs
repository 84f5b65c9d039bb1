//! Notes for the batch tests (`suite::batch`, `faults::batches`), and reading them back.

use notes_repo::{Backend, Item, Note, NoteKey, Repo};

/// `count` new notes of `user`.
///
/// ```
/// assert_eq!(notes_tests::batch_support::notes("u1", 3).len(), 3);
/// ```
pub fn notes(user: &str, count: usize) -> Vec<Note> {
    (0..count)
        .map(|i| Note::new(user, format!("note {i}")))
        .collect()
}

/// The keys of `notes`, in order.
///
/// ```
/// let notes = notes_tests::batch_support::notes("u1", 2);
/// assert_eq!(notes_tests::batch_support::keys(&notes).len(), 2);
/// ```
pub fn keys(notes: &[Note]) -> Vec<NoteKey> {
    notes.iter().map(Item::key).collect()
}

/// All notes of `users`, read back with consistent queries (not with the batch code under
/// test).
pub async fn stored<B: Backend>(repo: &Repo<Note, B>, users: &[&str]) -> Vec<Note> {
    let mut all = Vec::new();
    for user in users {
        all.extend(repo.query(*user).consistent().all().await.unwrap());
    }
    all
}
