use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Owner {
    id: String,
}

#[derive(Serialize, Deserialize, Item)]
struct Note {
    #[partition_key]
    user_id: String,
    #[sort_key]
    owner: Owner,
}

fn main() {}
