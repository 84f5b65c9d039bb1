use notes_repo::{Item, MemoryBackend, Repo};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "readings")]
struct Reading {
    #[partition_key]
    sensor: String,
    #[sort_key]
    at: i64,
}

fn main() {
    let repo: Repo<Reading, _> = Repo::new(MemoryBackend::new());
    let _ = repo.query("s1").sort_key_begins_with(17);
}
