use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Session {
    #[partition_key]
    token: String,
    #[ttl]
    expires: String,
}

fn main() {}
