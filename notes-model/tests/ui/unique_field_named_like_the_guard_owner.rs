use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct User {
    #[partition_key]
    id: String,
    #[unique]
    email: String,
    #[serde(rename = "_unique_owner")]
    owner: String,
}

fn main() {}
