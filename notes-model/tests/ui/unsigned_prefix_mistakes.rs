use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(unsigned_prefix = "")]
struct Empty {
    #[partition_key]
    id: String,
}

// A name with the prefix is left unsigned by the Database Encryption SDK: only `#[unsigned]`
// fields may have one.
#[derive(Serialize, Deserialize, Item)]
#[item(unsigned_prefix = "x_")]
struct Doc {
    #[partition_key]
    x_id: String,
    x_views: u64,
    #[encrypt]
    x_secret: String,
    #[unsigned]
    x_hits: u64,
    #[unsigned]
    other: u64,
    #[serde(rename = "x_count")]
    count: u64,
}

// The derive's own attributes are signed: the prefix may not start them.
#[derive(Serialize, Deserialize, Item)]
#[item(entity = "note", partition_key(template = "USER#{user_id}"), unsigned_prefix = "_")]
struct Note {
    user_id: String,
}

fn main() {}
