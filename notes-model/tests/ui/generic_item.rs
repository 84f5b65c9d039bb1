use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Note<T> {
    #[partition_key]
    user_id: String,
    body: T,
}

fn main() {}
