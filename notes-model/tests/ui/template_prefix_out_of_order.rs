use notes_repo::{Item, MemoryBackend, Repo};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "note",
    partition_key(template = "USER#{user_id}"),
    sort_key(template = "NOTE#{created_at}#{note_id}")
)]
struct Note {
    user_id: String,
    created_at: String,
    note_id: String,
}

async fn newest(repo: Repo<Note, MemoryBackend>) {
    // The prefix follows the template: `created_at` comes before `note_id`.
    let _ = repo
        .query(NotePartition::new("u1"))
        .sort_key_begins_with(NoteSort::prefix().note_id("n1"))
        .all()
        .await;
}

fn main() {}
