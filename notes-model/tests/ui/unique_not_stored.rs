use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct User {
    #[partition_key]
    id: String,
    #[unique]
    #[serde(skip)]
    email: String,
}

fn main() {}
