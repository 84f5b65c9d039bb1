//! Optimistic locking: `#[version]` checked and bumped by every write.

use std::sync::Arc;

use notes_repo::{Backend, Error, Item};
use notes_tests::repo;
use serde::{Deserialize, Serialize};

notes_tests::on_every_backend!(
    lagging:
    versions_are_checked_and_bumped,
    concurrent_versioned_updates_lose_nothing,
);

/// A document with a `#[version]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
pub(crate) struct Doc {
    /// The document id.
    #[partition_key]
    pub(crate) id: String,
    /// Its text.
    pub(crate) body: String,
    /// A counter bumped by read-modify-write loops.
    pub(crate) edits: u64,
    /// The optimistic-locking version.
    #[version]
    pub(crate) version: u64,
}

pub(crate) fn doc(id: &str, body: &str) -> Doc {
    Doc {
        id: id.into(),
        body: body.into(),
        edits: 0,
        version: 0,
    }
}

/// Versions are checked and bumped by put, save, update and delete.
async fn versions_are_checked_and_bumped<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Doc, B>(backend, table).await;
    let mut d = doc("d1", "v1");
    repo.save(&mut d).await.unwrap();
    assert_eq!(d.version, 1);
    // A second "first write" conflicts: the item exists.
    let err = repo.put(&doc("d1", "again")).await.unwrap_err();
    assert!(
        matches!(err, Error::VersionConflict { expected: None, .. }),
        "{err:?}"
    );
    d.body = "v2".into();
    repo.save(&mut d).await.unwrap();
    assert_eq!(
        repo.get(&d.key())
            .consistent()
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );
    // A stale copy conflicts and changes nothing.
    let mut stale = d.clone();
    stale.version = 1;
    stale.body = "stale".into();
    let err = repo.save(&mut stale).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::VersionConflict {
                expected: Some(1),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        repo.get(&d.key()).consistent().await.unwrap().unwrap().body,
        "v2"
    );
    // Updates must name the version.
    let err = repo
        .update(&d.key())
        .apply(Doc::BODY.set("x"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    let err = repo
        .update(&d.key())
        .apply(Doc::BODY.set("x"))
        .expect_version(1)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
    let updated = repo
        .update(&d.key())
        .apply(Doc::BODY.set("v3"))
        .expect_version(2)
        .send()
        .await
        .unwrap();
    assert_eq!((updated.body.as_str(), updated.version), ("v3", 3));
    // Deletes must name the version too.
    let err = repo.delete(&d.key()).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    let err = repo.delete(&d.key()).expect_version(0).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    let err = repo.delete(&d.key()).expect_version(2).await.unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
    assert_eq!(
        repo.delete(&d.key()).expect_version(3).await.unwrap(),
        Some(updated)
    );
    assert_eq!(repo.get(&d.key()).consistent().await.unwrap(), None);
}

/// Many concurrent read-modify-write loops on one versioned item lose no update: 8 tasks
/// started together on 4 worker threads, whose saves really conflict (and are retried).
async fn concurrent_versioned_updates_lose_nothing<B: Backend>(backend: B, table: &str) {
    let repo = Arc::new(repo::<Doc, B>(backend, table).await);
    let mut d = doc("hot", "counter");
    repo.save(&mut d).await.unwrap();
    let (tasks, increments) = (8, 10);
    let start = notes_tests::StartLine::new(tasks);
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let (repo, start) = (repo.clone(), start.clone());
        handles.push(tokio::spawn(async move {
            start.wait().await;
            let mut conflicts = 0u32;
            for _ in 0..increments {
                loop {
                    let mut current = repo
                        .get(&DocKey::new("hot"))
                        .consistent()
                        .await
                        .unwrap()
                        .unwrap();
                    current.edits += 1;
                    // Between the read and the write, let other tasks run (MemoryBackend
                    // answers without suspending), so that saves really race.
                    tokio::task::yield_now().await;
                    match repo.save(&mut current).await {
                        Ok(()) => break,
                        Err(Error::VersionConflict { .. }) => conflicts += 1,
                        Err(err) => panic!("{err:?}"),
                    }
                }
            }
            conflicts
        }));
    }
    let mut conflicts = 0;
    for handle in handles {
        conflicts += handle.await.unwrap();
    }
    assert!(
        conflicts > 0,
        "no save ever conflicted: the loops did not run concurrently"
    );
    let last = repo
        .get(&DocKey::new("hot"))
        .consistent()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.edits, tasks as u64 * increments);
    assert_eq!(last.version, 1 + tasks as u64 * increments);
}
