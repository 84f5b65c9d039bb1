use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Note {
    #[partition_key]
    user_id: std::collections::HashMap<String, String>,
    content: String,
}

fn main() {}
