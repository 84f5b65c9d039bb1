use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "notes", global_index(name = "gsi1", partition_key(template = "TAG#{tag}")))]
struct Note {
    #[partition_key]
    note_id: String,
    tag: String,
}

fn main() {}
