use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Note {
    user_id: String,
    content: String,
}

fn main() {}
