use notes_repo::{Item, MemoryBackend, Repo};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
#[item(table = "sessions")]
struct Session {
    #[partition_key]
    token: String,
}

fn main() {
    let repo: Repo<Session, _> = Repo::new(MemoryBackend::new());
    let _ = repo.query("t1").sort_key_gt("a");
}
