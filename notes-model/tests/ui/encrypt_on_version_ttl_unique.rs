use notes_repo::Item;
use serde::{Deserialize, Serialize};

// What DynamoDB or the SDK reads in plaintext is never encrypted.
#[derive(Serialize, Deserialize, Item)]
struct Account {
    #[partition_key]
    id: String,
    #[version]
    #[encrypt]
    version: u64,
    #[ttl]
    #[encrypt]
    expires_at: i64,
}

#[derive(Serialize, Deserialize, Item)]
struct User {
    #[partition_key]
    id: String,
    #[unique]
    #[encrypt]
    email: String,
}

// What the item's integrity rests on is never unsigned; a time to live may be (it can then be
// extended by an update without rewriting the item).
#[derive(Serialize, Deserialize, Item)]
struct Session {
    #[partition_key]
    id: String,
    #[version]
    #[unsigned]
    version: u64,
    #[ttl]
    #[unsigned]
    expires_at: i64,
}

#[derive(Serialize, Deserialize, Item)]
struct Login {
    #[partition_key]
    id: String,
    #[unique]
    #[unsigned]
    name: String,
}

fn main() {}
