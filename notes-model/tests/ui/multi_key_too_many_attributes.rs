// DynamoDB: a global index key has at most four partition-key and four sort-key attributes.
use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(global_index(
    name = "byEverything",
    partition_key = ["a", "b", "c", "d", "e"],
    sort_key = ["f", "g", "h", "i", "j"]
))]
struct Wide {
    #[partition_key]
    id: String,
    a: String,
    b: String,
    c: String,
    d: String,
    e: String,
    f: u8,
    g: u8,
    h: u8,
    i: u8,
    j: u8,
}

fn main() {}
