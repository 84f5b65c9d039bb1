use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(crate = "notes repo")]
struct Note {
    #[partition_key]
    user_id: String,
}

fn main() {}
