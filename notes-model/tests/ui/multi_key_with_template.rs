// A multi-attribute key names fields; the other key of the same index cannot be a template.
use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "sale",
    partition_key(template = "TENANT#{tenant}"),
    sort_key(template = "SALE#{id}"),
    global_index(
        name = "gsi1",
        partition_key = ["tenant", "region"],
        sort_key(template = "YEAR#{year}")
    )
)]
struct Sale {
    tenant: String,
    id: String,
    region: String,
    year: u16,
}

fn main() {}
