use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Note {
    #[partition_key]
    #[serde(skip)]
    user_id: String,
    content: String,
}

fn main() {}
