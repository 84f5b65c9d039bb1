use notes_repo::Item;
use serde::{Deserialize, Serialize};

// A computed key holds its components in plaintext, and is signed.
#[derive(Serialize, Deserialize, Item)]
#[item(
    entity = "note",
    partition_key(template = "USER#{user_id}"),
    sort_key(template = "NOTE#{note_id}"),
    global_index(name = "gsi1", partition_key(template = "TAG#{tag}"))
)]
struct Note {
    #[encrypt]
    user_id: String,
    #[unsigned]
    note_id: String,
    #[encrypt]
    tag: Option<String>,
    #[encrypt]
    text: String,
}

fn main() {}
