// Key fields are named by strings, in a list as in the one-field form.
use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(global_index(name = "byRegion", partition_key = [tenant, "region"]))]
struct Sale {
    #[partition_key]
    id: String,
    tenant: String,
    region: String,
}

fn main() {}
