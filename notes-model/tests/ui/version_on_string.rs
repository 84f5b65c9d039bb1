use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Doc {
    #[partition_key]
    id: String,
    #[version]
    version: String,
}

fn main() {}
