use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(global_index(name = "byRegion", partition_key = ["tenant", "regoin"], sort_key = ["year", "mnth"]))]
struct Sale {
    #[partition_key]
    id: String,
    tenant: String,
    region: String,
    year: u16,
    month: u8,
}

fn main() {}
