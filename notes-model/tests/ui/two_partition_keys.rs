use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Note {
    #[partition_key]
    user_id: String,
    #[partition_key]
    note_id: String,
}

fn main() {}
