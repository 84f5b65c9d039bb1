use notes_repo::{Collection, Item};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "app", entity = "user", partition_key(template = "USER#{user_id}"), sort_key(template = "PROFILE"))]
struct User {
    user_id: String,
}

#[derive(Serialize, Deserialize, Item)]
#[item(table = "app", entity = "note", partition_key(template = "USER#{user_id}"), sort_key(template = "NOTE#{note_id}"))]
struct Note {
    user_id: u64,
    note_id: String,
}

#[derive(Collection)]
enum UserData {
    Profile(User),
    Note(Note),
}

fn main() {}
