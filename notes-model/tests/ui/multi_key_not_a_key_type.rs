// Every attribute of a multi-attribute key is a key type: String, a number, or bytes.
use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Region {
    code: String,
}

#[derive(Serialize, Deserialize, Item)]
#[item(global_index(name = "byRegion", partition_key = ["tenant", "region"], sort_key = ["year", "month"]))]
struct Sale {
    #[partition_key]
    id: String,
    tenant: String,
    region: Region,
    year: u16,
    month: u8,
}

fn main() {}
