use notes_repo::Item;
use serde::{Deserialize, Serialize};

// An inverted index: every guard has both its keys.
#[derive(Serialize, Deserialize, Item)]
#[item(global_index(name = "inverted", partition_key = "sk", sort_key = "pk"))]
struct Member {
    #[partition_key]
    pk: String,
    #[sort_key]
    sk: String,
    #[unique]
    email: String,
}

fn main() {}
