use notes_repo::{Collection, Item};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "tag_use",
    partition_key(template = "USER#{user_id}"),
    sort_key(template = "TAG#{tag}"),
    global_index(name = "gsi1", partition_key(template = "TAG#{tag}"), sort_key(template = "USER#{user_id}"))
)]
struct TagUse {
    user_id: String,
    tag: String,
}

#[derive(Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "note",
    partition_key(template = "USER#{user_id}"),
    sort_key(template = "NOTE#{note_id}"),
    global_index(name = "gsi1", partition_key(template = "LABEL#{tag}"), sort_key(template = "NOTE#{note_id}"))
)]
struct Note {
    user_id: String,
    note_id: String,
    tag: String,
}

#[derive(Collection)]
#[collection(index = "gsi1")]
enum Tagged {
    Use(TagUse),
    Note(Note),
}

fn main() {}
