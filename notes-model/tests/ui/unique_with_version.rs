use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Ticket {
    #[partition_key]
    id: String,
    #[unique]
    #[version]
    serial: u64,
}

fn main() {}
