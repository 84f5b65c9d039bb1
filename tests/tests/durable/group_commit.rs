//! Concurrent writers share `fsync`s, and every one of their writes is durable.

use notes_repo::{Item, MemoryBackend, Note, Repo};
use notes_tests::StartLine;
use notes_tests::durable_support::TempDir;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_share_fsyncs_and_all_are_durable() {
    let dir = TempDir::new("durable-group");
    let backend = MemoryBackend::open(dir.path()).unwrap();
    let repo: Repo<Note, _> = notes_tests::repo(backend.clone(), "notes").await;
    let before = backend.storage_stats().unwrap();
    let start = StartLine::new(32);
    let writers: Vec<_> = (0..32)
        .map(|w| {
            let (repo, start) = (repo.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                let mut written = Vec::new();
                for i in 0..8 {
                    let note = Note::new(format!("w{w}"), format!("{i}"));
                    repo.put(&note).await.unwrap();
                    written.push(note);
                }
                written
            })
        })
        .collect();
    let mut written = Vec::new();
    for writer in writers {
        written.extend(writer.await.unwrap());
    }
    let after = backend.storage_stats().unwrap();
    let (operations, syncs) = (
        after.operations - before.operations,
        after.syncs - before.syncs,
    );
    assert_eq!(operations, 256);
    assert!(
        syncs < operations,
        "{syncs} fsyncs for {operations} concurrent writes: none shared"
    );
    drop((repo, backend));

    let repo: Repo<Note, _> = Repo::with_table(MemoryBackend::open(dir.path()).unwrap(), "notes");
    for note in &written {
        assert_eq!(
            repo.get(&note.key()).consistent().await.unwrap().as_ref(),
            Some(note)
        );
    }
}
