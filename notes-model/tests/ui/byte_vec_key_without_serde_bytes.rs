use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Blob {
    #[partition_key]
    digest: Vec<u8>,
}

fn main() {}
