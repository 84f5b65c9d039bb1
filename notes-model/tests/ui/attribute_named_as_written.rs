// A value of the wrong type names the attribute as it is written, `Note::content`.
use notes_repo::Item;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "notes")]
struct Note {
    #[partition_key]
    id: String,
    content: String,
    created_at: i64,
}

fn main() {
    let _ = Note::CONTENT.set(5);
    let _ = Note::CREATED_AT.gt("yesterday");
    let _ = Note::CONTENT.add("more");
    let _ = Note::CREATED_AT.remove();
}
