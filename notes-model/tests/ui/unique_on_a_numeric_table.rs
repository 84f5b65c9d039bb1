use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Account {
    #[partition_key]
    number: u64,
    #[unique]
    email: String,
}

#[derive(Serialize, Deserialize, Item)]
struct Reading {
    #[partition_key]
    sensor: String,
    #[sort_key]
    at: i64,
    #[unique]
    serial: String,
}

fn main() {}
