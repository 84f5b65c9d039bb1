use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Ids {
    note_id: String,
}

#[derive(Serialize, Deserialize, Item)]
struct Note {
    #[partition_key]
    user_id: String,
    #[sort_key]
    #[serde(flatten)]
    ids: Ids,
}

fn main() {}
