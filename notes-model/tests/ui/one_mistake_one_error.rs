use notes_repo::{Item, MemoryBackend, PrimaryKey, Repo};
use serde::{Deserialize, Serialize};

// One unknown option: the derive still declares the key, the handles and the table, so the
// code below does not fail again because of it.
#[derive(Serialize, Deserialize, Item)]
#[item(tabel = "notes", table = "notes", global_index(name = "byTag", partition_key = "tag"))]
struct Note {
    #[partition_key]
    user_id: String,
    #[sort_key]
    note_id: String,
    tag: String,
    content: String,
}

fn main() {
    let _ = Note::CONTENT.set("new text");
    let key = NoteKey::new("u1", "n1");
    let _ = key.partition_key();
    let _ = Note::BY_TAG;
    let _repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
}
