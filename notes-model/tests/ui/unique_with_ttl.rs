use notes_repo::Item;
use serde::{Deserialize, Serialize};

// A #[ttl] elsewhere in the type: reported once, on the #[ttl].
#[derive(Serialize, Deserialize, Item)]
struct Invite {
    #[partition_key]
    id: String,
    #[unique]
    code: String,
    #[unique]
    email: String,
    #[ttl]
    expires_at: i64,
}

// On the same field.
#[derive(Serialize, Deserialize, Item)]
struct Session {
    #[partition_key]
    id: String,
    #[unique]
    #[ttl]
    expires_at: i64,
}

fn main() {}
