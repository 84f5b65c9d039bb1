use std::collections::HashMap;

use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct User {
    #[partition_key]
    id: String,
    #[unique]
    emails: Vec<String>,
    #[unique]
    verified: bool,
    #[unique]
    settings: HashMap<String, String>,
    #[unique]
    nickname: Option<Vec<String>>,
}

fn main() {}
