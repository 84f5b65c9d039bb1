use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct User {
    #[partition_key]
    id: String,
    #[unique]
    #[unique]
    email: String,
}

fn main() {}
