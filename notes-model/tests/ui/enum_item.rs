use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
enum Note {
    Text { user_id: String },
}

fn main() {}
