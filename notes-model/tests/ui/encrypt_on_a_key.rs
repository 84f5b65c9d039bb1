use notes_repo::Item;
use serde::{Deserialize, Serialize};

// Keys are always signed, never encrypted: `#[encrypt]` and `#[unsigned]` on them are refused;
// `#[sign_only]` (what a key is) and `#[encryption_context]` are allowed.
#[derive(Serialize, Deserialize, Item)]
struct Secret {
    #[partition_key]
    #[encrypt]
    user_id: String,
    #[sort_key]
    #[unsigned]
    secret_id: String,
}

#[derive(Serialize, Deserialize, Item)]
struct Allowed {
    #[partition_key]
    #[sign_only]
    user_id: String,
    #[sort_key]
    #[encryption_context]
    secret_id: String,
}

fn main() {}
