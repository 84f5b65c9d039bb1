use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Note {
    #[partition_key]
    user_id: String,
    #[sort_key]
    note_id: String,
    #[sort_key]
    created_at: i64,
}

fn main() {}
