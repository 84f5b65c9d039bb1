use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "app", entity = "note", partition_key(name = "pk", template = ""))]
struct Note {
    user_id: String,
}

fn main() {}
