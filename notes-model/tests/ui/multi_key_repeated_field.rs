// Each attribute appears once in an index's key: within a side, and across both sides.
use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(
    global_index(name = "byRegion", partition_key = ["tenant", "region", "tenant"]),
    global_index(name = "byYear", partition_key = ["tenant", "year"], sort_key = ["year", "month"])
)]
struct Sale {
    #[partition_key]
    id: String,
    tenant: String,
    region: String,
    year: u16,
    month: u8,
}

fn main() {}
