//! Batch reads and writes through `Repo`: requests of at most 25 writes and 100 keys, order
//! kept, duplicates refused before anything is sent. (Batches under injected faults are in the
//! `faults` target.)

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use notes_repo::request::{BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput};
use notes_repo::{
    Backend, BatchOptions, Error, Item, Layer, Note, NoteKey, PrimaryKey, Repo, Result,
};
use notes_tests::batch_support::{keys, notes, stored};

notes_tests::on_every_backend!(
    lagging:
    ten_thousand_notes_round_trip,
    twenty_five_writes_are_one_request_twenty_six_are_two,
    a_hundred_keys_are_one_request_a_hundred_and_one_are_two,
    duplicates_are_rejected_with_nothing_written,
    a_batch_get_over_16_mb_comes_back_whole_in_two_requests,
);

async fn repo<B: Backend>(backend: B, table: &str) -> Repo<Note, B> {
    notes_tests::repo(backend, table).await
}

// ---------------------------------------------------------------------------------------
// Cases on every backend
// ---------------------------------------------------------------------------------------

async fn ten_thousand_notes_round_trip<B: Backend>(backend: B, table: &str) {
    let repo = repo(backend, table).await.with_batch_options(BatchOptions {
        concurrency: 8,
        ..BatchOptions::default()
    });
    let users: Vec<String> = (0..10).map(|u| format!("user-{u}")).collect();
    let all: Vec<Note> = users.iter().flat_map(|u| notes(u, 1_000)).collect();
    repo.batch_put(&all).await.unwrap();

    // Read back in a shuffled but known order, with a few missing keys mixed in.
    let mut wanted: Vec<NoteKey> = keys(&all);
    wanted.reverse();
    wanted.swap(0, 9_999);
    wanted.insert(5_000, NoteKey::new("user-0", "missing"));
    let found = repo.batch_get(&wanted).consistent().await.unwrap();
    assert_eq!(found.len(), 10_000);
    let by_key: HashMap<String, &Note> = all.iter().map(|n| (n.note_id.clone(), n)).collect();
    let expected: Vec<&Note> = wanted
        .iter()
        .filter_map(|k| by_key.get(k.sort_key()).copied())
        .collect();
    assert!(found.iter().eq(expected), "found items are in key order");

    let user_refs: Vec<&str> = users.iter().map(String::as_str).collect();
    assert_eq!(stored(&repo, &user_refs).await.len(), 10_000);

    repo.batch_delete(&keys(&all)[..6_000]).await.unwrap();
    assert_eq!(stored(&repo, &user_refs).await, all[6_000..]);
}

async fn twenty_five_writes_are_one_request_twenty_six_are_two<B: Backend>(
    backend: B,
    table: &str,
) {
    let counting = Counted::new(backend);
    let repo = repo(counting.clone(), table).await;
    for (count, requests) in [(1, 1), (25, 1), (26, 2), (50, 2), (51, 3)] {
        let batch = notes(&format!("u{count}"), count);
        let before = counting.write_calls();
        repo.batch_put(&batch).await.unwrap();
        assert_eq!(counting.write_calls() - before, requests, "{count} puts");
        assert_eq!(stored(&repo, &[&format!("u{count}")]).await, batch);

        let before = counting.write_calls();
        repo.batch_delete(&keys(&batch)).await.unwrap();
        assert_eq!(counting.write_calls() - before, requests, "{count} deletes");
        assert!(stored(&repo, &[&format!("u{count}")]).await.is_empty());
    }
    assert!(counting.largest_write() <= 25);
}

async fn a_hundred_keys_are_one_request_a_hundred_and_one_are_two<B: Backend>(
    backend: B,
    table: &str,
) {
    let counting = Counted::new(backend);
    let repo = repo(counting.clone(), table).await;
    let all = notes("u1", 201);
    repo.batch_put(&all).await.unwrap();
    for (count, requests) in [(1, 1), (100, 1), (101, 2), (200, 2), (201, 3)] {
        let before = counting.get_calls();
        let found = repo
            .batch_get(&keys(&all[..count]))
            .consistent()
            .await
            .unwrap();
        assert_eq!(counting.get_calls() - before, requests, "{count} keys");
        assert_eq!(found, all[..count]);
    }
    assert!(counting.largest_get() <= 100);
}

async fn duplicates_are_rejected_with_nothing_written<B: Backend>(backend: B, table: &str) {
    let counting = Counted::new(backend);
    let repo = repo(counting.clone(), table).await;
    let mut batch = notes("u1", 60);
    batch.push(batch[42].clone());
    let err = repo.batch_put(&batch).await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(
        message.contains("Provided list of item keys contains duplicates")
            && message.contains(&batch[42].note_id),
        "{message}"
    );
    let duplicate_keys = [batch[0].key(), batch[1].key(), batch[0].key()];
    let err = repo.batch_delete(&duplicate_keys).await.unwrap_err();
    assert!(err.to_string().contains("contains duplicates"), "{err}");
    let err = repo.batch_get(&duplicate_keys).await.unwrap_err();
    assert!(err.to_string().contains("contains duplicates"), "{err}");
    assert_eq!(counting.write_calls() + counting.get_calls(), 0);
    assert!(stored(&repo, &["u1"]).await.is_empty());
}

/// DynamoDB answers a `BatchGetItem` with at most 16 MB and lists the rest as
/// `UnprocessedKeys`; `batch_get` sends those again and returns every item, in key order.
async fn a_batch_get_over_16_mb_comes_back_whole_in_two_requests<B: Backend>(
    backend: B,
    table: &str,
) {
    let counting = Counted::new(backend);
    let repo = repo(counting.clone(), table).await;
    // 45 notes of ~390 KB: about 17 MB, one request of 45 keys over the response cap.
    let content = "x".repeat(390 * 1024);
    let all: Vec<Note> = (0..45).map(|_| Note::new("u1", content.clone())).collect();
    repo.batch_put(&all).await.unwrap();
    let before = counting.get_calls();
    let found = repo.batch_get(&keys(&all)).consistent().await.unwrap();
    assert_eq!(
        counting.get_calls() - before,
        2,
        "the unprocessed keys were sent again"
    );
    assert!(found == all, "every note, in key order");
}

/// A layer that counts batch requests and their sizes, and changes nothing.
#[derive(Clone)]
struct Counted<B> {
    inner: B,
    counts: Arc<Counts>,
}

#[derive(Default)]
struct Counts {
    write_calls: AtomicU32,
    get_calls: AtomicU32,
    largest_write: AtomicU32,
    largest_get: AtomicU32,
}

impl<B> Counted<B> {
    fn new(inner: B) -> Self {
        Counted {
            inner,
            counts: Arc::default(),
        }
    }

    fn write_calls(&self) -> u32 {
        self.counts.write_calls.load(Ordering::SeqCst)
    }

    fn get_calls(&self) -> u32 {
        self.counts.get_calls.load(Ordering::SeqCst)
    }

    fn largest_write(&self) -> u32 {
        self.counts.largest_write.load(Ordering::SeqCst)
    }

    fn largest_get(&self) -> u32 {
        self.counts.largest_get.load(Ordering::SeqCst)
    }
}

fn count(calls: &AtomicU32, largest: &AtomicU32, entries: usize) {
    calls.fetch_add(1, Ordering::SeqCst);
    largest.fetch_max(u32::try_from(entries).unwrap(), Ordering::SeqCst);
}

impl<B: Backend> Layer for Counted<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.inner
    }

    fn batch_write_item(
        &self,
        request: BatchWriteItem,
    ) -> impl Future<Output = Result<BatchWriteItemOutput>> + Send {
        for writes in request.request_items.values() {
            count(
                &self.counts.write_calls,
                &self.counts.largest_write,
                writes.len(),
            );
        }
        self.inner.batch_write_item(request)
    }

    fn batch_get_item(
        &self,
        request: BatchGetItem,
    ) -> impl Future<Output = Result<BatchGetItemOutput>> + Send {
        for wanted in request.request_items.values() {
            count(
                &self.counts.get_calls,
                &self.counts.largest_get,
                wanted.keys.len(),
            );
        }
        self.inner.batch_get_item(request)
    }
}
