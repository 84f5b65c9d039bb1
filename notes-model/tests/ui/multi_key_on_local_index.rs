// A local index keeps the table's partition key and one sort attribute.
use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(local_index(name = "byDate", sort_key = ["year", "month"]))]
struct Sale {
    #[partition_key]
    tenant: String,
    #[sort_key]
    id: String,
    year: u16,
    month: u8,
}

fn main() {}
