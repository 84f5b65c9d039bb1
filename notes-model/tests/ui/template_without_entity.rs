use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "app", partition_key(template = "USER#{user_id}"))]
struct User {
    user_id: String,
    name: String,
}

fn main() {}
