use notes_model::{AttributeValue, ItemMap, Note};

use crate::cursor::{self, CursorKey};
use crate::{Error, MemoryBackend, Repo, Result};

async fn repo() -> Repo<Note, MemoryBackend> {
    let repo = Repo::new(MemoryBackend::new());
    repo.create_table_on_demand().await.unwrap();
    for i in 0..3 {
        repo.put(&Note::new("alice", format!("a{i}")))
            .await
            .unwrap();
        repo.put(&Note::new("bob", format!("b{i}"))).await.unwrap();
    }
    repo
}

fn start_key(user: &str, note: &str) -> ItemMap {
    ItemMap::from([
        ("userId".to_owned(), AttributeValue::S(user.into())),
        ("noteId".to_owned(), AttributeValue::S(note.into())),
    ])
}

fn assert_foreign<T: std::fmt::Debug>(result: Result<T>) {
    match result {
        Err(Error::InvalidCursor { reason }) => {
            assert_eq!(reason, "the cursor belongs to another query");
        }
        other => panic!("expected InvalidCursor, got {other:?}"),
    }
}

/// A cursor with a valid checksum for bob's query, minted as a client can (the format is
/// public), whose start key is in alice's partition: refused by the partition check.
#[tokio::test]
async fn a_minted_cursor_for_another_partition_is_refused() {
    let repo = repo().await;
    let query = repo.query("bob").limit(2);
    let fingerprint = query.fingerprint();
    for minted in [
        start_key("alice", "a"),
        // Extra attributes, or a key of the wrong shape, are not a start key either.
        {
            let mut key = start_key("bob", "b");
            key.insert("content".into(), AttributeValue::S("x".into()));
            key
        },
        ItemMap::from([("userId".to_owned(), AttributeValue::S("bob".into()))]),
    ] {
        let cursor = cursor::encode(&minted, fingerprint, None).unwrap();
        // The checksum is valid: this is what a client can make.
        assert_eq!(cursor::decode(&cursor, fingerprint, None).unwrap(), minted);
        assert_foreign(query.page(Some(&cursor)).await);
    }
    // A minted cursor inside bob's own partition is accepted: it only picks where the
    // page starts.
    let own = cursor::encode(&start_key("bob", "0"), fingerprint, None).unwrap();
    let page = query.page(Some(&own)).await.unwrap();
    assert!(page.items.iter().all(|note| note.user_id == "bob"));
}

/// With a key, a client cannot mint a cursor at all; a cursor signed with the key for
/// another partition is still refused by the partition check.
#[tokio::test]
async fn signed_queries_refuse_minted_cursors() {
    let repo = repo().await;
    let key = CursorKey::new([7; 32]).unwrap();
    let query = repo.query("bob").limit(2).cursor_key(&key);
    let fingerprint = query.fingerprint();
    let unsigned = cursor::encode(&start_key("bob", "0"), fingerprint, None).unwrap();
    match query.page(Some(&unsigned)).await {
        Err(Error::InvalidCursor { reason }) => {
            assert!(reason.contains("not signed with this key"), "{reason}");
        }
        other => panic!("expected InvalidCursor, got {other:?}"),
    }
    let signed = cursor::encode(&start_key("alice", "a"), fingerprint, Some(&key)).unwrap();
    assert_foreign(query.page(Some(&signed)).await);
    // The query's own cursors go round.
    let first = query.page(None).await.unwrap();
    let second = query.page(first.cursor.as_deref()).await.unwrap();
    assert_eq!((first.items.len(), second.items.len()), (2, 1));
}
