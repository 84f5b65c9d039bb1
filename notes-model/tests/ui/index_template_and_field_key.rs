use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "note",
    partition_key(template = "USER#{user_id}"),
    sort_key(template = "NOTE#{note_id}"),
    global_index(name = "gsi1", partition_key(template = "TAG#{tag}"), sort_key = "created_at")
)]
struct Note {
    user_id: String,
    note_id: String,
    tag: String,
    created_at: String,
}

fn main() {}
