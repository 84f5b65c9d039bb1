use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct User {
    #[partition_key]
    #[unique]
    id: String,
    email: String,
}

fn main() {}
