// A boolean is never a key; an optional key attribute leaves the item out of the index when
// `None` (a sparse index), never written as NULL.
use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(
    global_index(name = "byRegion", partition_key = ["tenant", "region"], sort_key = ["open", "year"]),
    global_index(name = "byMonth", partition_key = ["tenant", "month"])
)]
struct Sale {
    #[partition_key]
    id: String,
    tenant: String,
    region: String,
    open: bool,
    year: u16,
    month: Option<u8>,
}

fn main() {}
