use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(
    global_index(name = "byOwner", partition_key = "ownr"),
    global_index(name = "byTag", partition_key = "tag"),
    local_index(name = "byDue"),
    global_index(name = "x", partition_key = "done")
)]
struct Task {
    #[partition_key]
    id: String,
    owner: String,
    tag: Option<String>,
    done: bool,
}

fn main() {}
