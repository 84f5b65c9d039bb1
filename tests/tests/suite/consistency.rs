//! Read consistency with MemoryBackend's lagging replica: a read-your-write bug in app code
//! fails in a local test. MemoryBackend only, on a `ManualClock`: the test server is always
//! strongly consistent, so a stale read cannot be provoked there.

use std::time::{Duration, SystemTime};

use notes_repo::{Item, ManualClock, MemoryBackend, Note};
use notes_tests::repo;

/// A plain `get` right after `put` sees the old state (no item); `.consistent()` sees the
/// new one; once the lag has passed, both do. Likewise for query and scan.
#[tokio::test]
async fn a_plain_get_right_after_put_sees_the_old_item_until_the_lag_has_passed() {
    let clock = ManualClock::new(SystemTime::now());
    let backend = MemoryBackend::builder()
        .clock(clock.clone())
        .replica_lag(Duration::from_secs(1))
        .build();
    let notes = repo::<Note, _>(backend, "notes").await;
    let mut note = Note::new("u1", "v1");
    notes.put(&note).await.unwrap();

    assert_eq!(notes.get(&note.key()).await.unwrap(), None);
    assert_eq!(
        notes.get(&note.key()).consistent().await.unwrap(),
        Some(note.clone())
    );
    assert!(notes.query("u1").all().await.unwrap().is_empty());
    assert_eq!(
        notes.query("u1").consistent().all().await.unwrap(),
        [note.clone()]
    );

    clock.advance(Duration::from_secs(1));
    assert_eq!(notes.get(&note.key()).await.unwrap(), Some(note.clone()));
    assert_eq!(notes.scan().all().await.unwrap(), [note.clone()]);

    // An overwrite: the replica still has v1.
    let v1 = note.clone();
    note.content = "v2".into();
    notes.put(&note).await.unwrap();
    assert_eq!(notes.get(&note.key()).await.unwrap(), Some(v1));
    assert_eq!(
        notes.get(&note.key()).consistent().await.unwrap(),
        Some(note.clone())
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(notes.get(&note.key()).await.unwrap(), Some(note));
}
