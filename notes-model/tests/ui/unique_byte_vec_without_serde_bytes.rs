use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Device {
    #[partition_key]
    id: String,
    #[unique]
    fingerprint: Vec<u8>,
}

fn main() {}
