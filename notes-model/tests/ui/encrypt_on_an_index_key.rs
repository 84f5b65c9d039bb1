use notes_repo::Item;
use serde::{Deserialize, Serialize};

// DynamoDB indexes the stored value: an index key is never encrypted, each attribute of a
// multi-attribute key included, and never unsigned.
#[derive(Serialize, Deserialize, Item)]
#[item(
    global_index(name = "byTag", partition_key = "tag"),
    global_index(name = "byPlace", partition_key = ["tenant", "region"], sort_key = "at"),
    local_index(name = "byTitle", sort_key = "title")
)]
struct Doc {
    #[partition_key]
    id: String,
    #[sort_key]
    doc_id: String,
    #[encrypt]
    tag: String,
    tenant: String,
    #[encrypt]
    region: String,
    #[unsigned]
    at: i64,
    #[encrypt]
    title: String,
}

fn main() {}
