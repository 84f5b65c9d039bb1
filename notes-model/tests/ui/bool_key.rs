use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Note {
    #[partition_key]
    user_id: bool,
    content: String,
}

fn main() {}
