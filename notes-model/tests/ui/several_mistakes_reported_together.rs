use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "x")]
struct Note {
    #[sort_key]
    note_id: String,
    #[sort_key]
    #[serde(skip)]
    created_at: i64,
}

fn main() {}
