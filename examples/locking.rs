//! Optimistic locking with `#[version]`: `cargo run --example locking`.
//!
//! Two editors load the same note, both edit it; the second save is refused with a version
//! conflict instead of silently overwriting the first. The loser re-reads and retries.

use notes_repo::Item;
use notes_repo::{Error, MemoryBackend, Repo};
use serde::{Deserialize, Serialize};

/// A shared note that several people edit.
#[derive(Debug, Clone, Serialize, Deserialize, Item)]
#[item(table = "shared-notes")]
#[serde(rename_all = "camelCase")]
struct SharedNote {
    #[partition_key]
    note_id: String,
    content: String,
    #[version]
    version: u64,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let repo: Repo<SharedNote, _> = Repo::new(MemoryBackend::new());
    repo.create_table_on_demand().await?;

    let mut note = SharedNote {
        note_id: "n1".into(),
        content: "shopping: milk".into(),
        version: 0,
    };
    repo.save(&mut note).await?;
    println!("saved version {}: {:?}", note.version, note.content);

    let key = note.key();
    let mut alice = repo.get(&key).consistent().await?.expect("the note exists");
    let mut bob = alice.clone();

    alice.content.push_str(", eggs");
    repo.save(&mut alice).await?;
    println!("alice saved version {}: {:?}", alice.version, alice.content);

    bob.content.push_str(", bread");
    match repo.save(&mut bob).await {
        Err(err @ Error::VersionConflict { .. }) => println!("bob's save refused: {err}"),
        other => println!("unexpected: {other:?}"),
    }

    // Bob re-reads and applies his edit to the latest version, with a versioned update.
    let latest = repo.get(&key).consistent().await?.expect("the note exists");
    let merged = repo
        .update(&key)
        .apply(SharedNote::CONTENT.set(format!("{}, bread", latest.content)))
        .expect_version(latest.version)
        .await?;
    println!("bob saved version {}: {:?}", merged.version, merged.content);
    Ok(())
}
