use notes_repo::Item;
use serde::{Deserialize, Serialize};

// The Database Encryption SDK refuses an item that lacks an encryption context attribute.
#[derive(Serialize, Deserialize, Item)]
struct Doc {
    #[partition_key]
    id: String,
    #[encryption_context]
    tenant: Option<String>,
    #[encryption_context]
    #[serde(default, skip_serializing_if = "String::is_empty")]
    region: String,
}

fn main() {}
