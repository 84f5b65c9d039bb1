use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[unique]
struct Team {
    #[partition_key]
    id: String,
    name: String,
}

fn main() {}
