use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "app", entity = "user", partition_key(name = "id", template = "USER#{user_id}"))]
struct User {
    user_id: String,
    id: String,
}

fn main() {}
