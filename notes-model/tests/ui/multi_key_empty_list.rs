use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(global_index(name = "byRegion", partition_key = [], sort_key = []))]
struct Sale {
    #[partition_key]
    id: String,
    region: String,
}

fn main() {}
