//! The notes app on the in-memory backend: `cargo run --example notes`.

use notes_repo::Note;
use notes_repo::{MemoryBackend, Repo};

#[path = "walkthrough.rs"]
mod walkthrough;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), notes_repo::Error> {
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    repo.create_table_on_demand().await?;
    walkthrough::run(&repo).await
}
