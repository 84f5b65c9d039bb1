//! Batch behaviour through `Repo` on `MemoryBackend`: validation before sending, order of
//! results, and the futures' `Send`-ness. Chunking and retries are tested in `plan` and
//! `retry`; fault injection across crates in `tests/tests/faults`.

use notes_model::{Item, Note, NoteKey};
use serde::{Deserialize, Serialize};

use std::future::IntoFuture;

use crate::{Error, MemoryBackend, Repo};

async fn repo() -> Repo<Note, MemoryBackend> {
    let repo = Repo::new(MemoryBackend::new());
    repo.create_table_on_demand().await.unwrap();
    repo
}

fn notes(user: &str, count: usize) -> Vec<Note> {
    (0..count)
        .map(|i| Note::new(user, format!("note {i}")))
        .collect()
}

fn validation_message(err: Error) -> String {
    match err {
        Error::Validation { message, .. } | Error::ItemTooLarge { message, .. } => message,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn duplicate_puts_are_rejected_naming_the_key_and_nothing_is_written() {
    let repo = repo().await;
    let mut batch = notes("u1", 40);
    let mut again = batch[3].clone();
    again.content = "other content, same key".into();
    batch.push(again);
    let message = validation_message(repo.batch_put(&batch).await.unwrap_err());
    assert!(
        message.starts_with("Provided list of item keys contains duplicates")
            && message.contains(&batch[3].note_id)
            && message.contains("positions 3 and 40"),
        "{message}"
    );
    assert!(repo.query("u1").all().await.unwrap().is_empty());
}

#[tokio::test]
async fn duplicate_deletes_and_gets_are_rejected() {
    let repo = repo().await;
    let key = NoteKey::new("u1", "n1");
    let message = validation_message(repo.batch_delete([&key, &key]).await.unwrap_err());
    assert!(message.contains("contains duplicates"), "{message}");
    let message = validation_message(repo.batch_get([&key, &key]).await.unwrap_err());
    assert!(message.contains("contains duplicates"), "{message}");
}

#[tokio::test]
async fn an_invalid_item_is_named_by_position_and_stops_the_whole_batch() {
    let repo = repo().await;
    let mut batch = notes("u1", 30);
    batch[27].content = "x".repeat(401 * 1024);
    let message = validation_message(repo.batch_put(&batch).await.unwrap_err());
    assert!(
        message.starts_with("Item size has exceeded the maximum allowed size")
            && message.contains("batch entry 27"),
        "{message}"
    );
    assert!(repo.query("u1").all().await.unwrap().is_empty());

    let empty_key = NoteKey::new("u1", "");
    let message = validation_message(repo.batch_get([&empty_key]).await.unwrap_err());
    assert!(
        message.contains("empty string") && message.contains("batch entry 0"),
        "{message}"
    );
}

#[tokio::test]
async fn empty_batches_send_nothing() {
    // No table: any request would fail.
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    repo.batch_put(&[]).await.unwrap();
    repo.batch_delete(&[]).await.unwrap();
    assert!(repo.batch_get(&[]).await.unwrap().is_empty());
}

#[tokio::test]
async fn gets_return_found_items_in_key_order() {
    let repo = repo().await;
    let stored = notes("u1", 250);
    repo.batch_put(&stored).await.unwrap();
    let mut keys: Vec<NoteKey> = stored.iter().rev().map(Item::key).collect();
    keys.insert(0, NoteKey::new("u1", "missing-1"));
    keys.insert(120, NoteKey::new("u9", "missing-2"));
    keys.push(NoteKey::new("u1", "missing-3"));
    let found = repo.batch_get(&keys).await.unwrap();
    let expected: Vec<Note> = stored.into_iter().rev().collect();
    assert_eq!(found, expected);
}

#[tokio::test]
async fn a_missing_table_is_the_plain_error_when_nothing_was_written() {
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    let err = repo.batch_put(&notes("u1", 60)).await.unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
    let keys = [NoteKey::new("u1", "n")];
    let err = repo.batch_get(&keys).await.unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
}

#[tokio::test]
async fn deletes_remove_the_items_and_ignore_missing_keys() {
    let repo = repo().await;
    let stored = notes("u1", 60);
    repo.batch_put(&stored).await.unwrap();
    let mut keys: Vec<NoteKey> = stored[..50].iter().map(Item::key).collect();
    keys.push(NoteKey::new("u1", "never stored"));
    repo.batch_delete(&keys).await.unwrap();
    assert_eq!(repo.query("u1").all().await.unwrap(), stored[50..]);
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, notes_model::Item)]
#[item(table = "docs")]
struct Doc {
    #[partition_key]
    id: String,
    body: String,
    #[version]
    version: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, notes_model::Item)]
#[item(table = "counters")]
struct Counter {
    #[partition_key]
    id: u64,
}

#[tokio::test]
async fn versioned_types_cannot_be_batch_written_but_can_be_batch_read() {
    let repo: Repo<Doc, _> = Repo::new(MemoryBackend::new());
    repo.create_table_on_demand().await.unwrap();
    let mut doc = Doc {
        id: "d1".into(),
        body: "v1".into(),
        version: 0,
    };
    let message = validation_message(repo.batch_put([&doc]).await.unwrap_err());
    assert!(
        message.contains("#[version]")
            && message.contains("`version`")
            && message.contains("transaction"),
        "{message}"
    );
    let message = validation_message(repo.batch_delete([&doc.key()]).await.unwrap_err());
    assert!(
        message.starts_with("batch_delete cannot check"),
        "{message}"
    );
    repo.save(&mut doc).await.unwrap();
    assert_eq!(repo.batch_get([&doc.key()]).await.unwrap(), [doc]);
}

#[tokio::test]
async fn numeric_keys_round_trip_in_order() {
    let repo: Repo<Counter, _> = Repo::new(MemoryBackend::new());
    repo.create_table_on_demand().await.unwrap();
    let counters: Vec<Counter> = (0..130).map(|id| Counter { id }).collect();
    repo.batch_put(&counters).await.unwrap();
    let keys: Vec<_> = counters.iter().rev().map(Item::key).collect();
    let found = repo.batch_get(&keys).await.unwrap();
    assert_eq!(found, counters.into_iter().rev().collect::<Vec<_>>());
}

#[test]
fn batch_futures_are_send_even_for_iterators_that_are_not() {
    fn assert_send<F: std::future::Future + Send>(future: F) -> F {
        future
    }
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    let notes = notes("u1", 3);
    // An `Rc` makes this iterator `!Send`; the future does not hold it.
    let shared = std::rc::Rc::new(notes);
    let items = shared.iter().inspect(|_| {
        let _keep = std::rc::Rc::clone(&shared);
    });
    let keys: Vec<NoteKey> = shared.iter().map(Item::key).collect();
    drop(assert_send(repo.batch_put(items).into_future()));
    drop(assert_send(repo.batch_delete(&keys).into_future()));
    drop(assert_send(repo.batch_get(&keys).into_future()));
}
