use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "my notes")]
struct Note {
    #[partition_key]
    user_id: String,
}

fn main() {}
