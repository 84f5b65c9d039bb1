use notes_repo::{Item, MemoryBackend, Repo};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Item)]
struct Session {
    #[partition_key]
    token: String,
}

fn main() {
    let _repo: Repo<Session, _> = Repo::new(MemoryBackend::new());
}
