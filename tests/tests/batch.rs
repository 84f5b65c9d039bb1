//! Batch reads and writes through `Repo`, on `MemoryBackend` and on the real
//! DynamoDB-compatible test server, and under injected faults: unprocessed entries,
//! throttling and permanent failures. Whatever happens, every item ends either stored or
//! listed in the error, never silently lost, and retries stop at `max_attempts`.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notes_model::{AttributeValue, Item, ItemMap, Note, NoteKey, PrimaryKey};
use notes_repo::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, BillingMode,
    CreateTable, DeleteItem, GetItem, GetItemOutput, KeysAndAttributes, PageOutput, PutItem, Query,
    Scan, TableDescription, TransactGetItems, TransactGetItemsOutput, TransactWriteItems,
    TransactWriteItemsOutput, UpdateItem, WriteOutput, WriteRequest,
};
use notes_repo::{Backend, BatchOptions, Error, MemoryBackend, Repo, Result};

/// Runs each case on `MemoryBackend` and on the test server (skipped outside CI when there is
/// none).
macro_rules! on_every_backend {
    ($($case:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let table = notes_tests::server::table_name(stringify!($case));
                    super::$case(notes_repo::MemoryBackend::new(), &table).await;
                }
            )*
        }
        mod server {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let Some(backend) = notes_tests::server::available_backend().await else {
                        return;
                    };
                    let table = notes_tests::server::table_name(stringify!($case));
                    super::$case(backend, &table).await;
                }
            )*
        }
    };
}

on_every_backend!(
    ten_thousand_notes_round_trip,
    twenty_five_writes_are_one_request_twenty_six_are_two,
    a_hundred_keys_are_one_request_a_hundred_and_one_are_two,
    duplicates_are_rejected_with_nothing_written,
    partially_processed_batches_are_completed_by_retries,
);

/// Retries without waiting long: these tests count attempts, not time.
fn quick(max_attempts: u32) -> BatchOptions {
    BatchOptions {
        concurrency: 4,
        max_attempts,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(4),
    }
}

async fn repo<B: Backend>(backend: B, table: &str) -> Repo<Note, B> {
    let repo = Repo::with_table(backend, table.to_owned());
    repo.ensure_table(BillingMode::PayPerRequest)
        .await
        .expect("create the test table");
    repo
}

fn notes(user: &str, count: usize) -> Vec<Note> {
    (0..count)
        .map(|i| Note::new(user, format!("note {i}")))
        .collect()
}

fn keys(notes: &[Note]) -> Vec<NoteKey> {
    notes.iter().map(Item::key).collect()
}

/// All notes of `users`, read back with queries (not with the batch code under test).
async fn stored<B: Backend>(repo: &Repo<Note, B>, users: &[&str]) -> Vec<Note> {
    let mut all = Vec::new();
    for user in users {
        all.extend(repo.query(*user).consistent_read().all().await.unwrap());
    }
    all
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
    let found = repo.batch_get(&wanted).await.unwrap();
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
    let counting = Faulty::new(backend, Faults::default());
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
    let counting = Faulty::new(backend, Faults::default());
    let repo = repo(counting.clone(), table).await;
    let all = notes("u1", 201);
    repo.batch_put(&all).await.unwrap();
    for (count, requests) in [(1, 1), (100, 1), (101, 2), (200, 2), (201, 3)] {
        let before = counting.get_calls();
        let found = repo.batch_get(&keys(&all[..count])).await.unwrap();
        assert_eq!(counting.get_calls() - before, requests, "{count} keys");
        assert_eq!(found, all[..count]);
    }
    assert!(counting.largest_get() <= 100);
}

async fn duplicates_are_rejected_with_nothing_written<B: Backend>(backend: B, table: &str) {
    let counting = Faulty::new(backend, Faults::default());
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

async fn partially_processed_batches_are_completed_by_retries<B: Backend>(backend: B, table: &str) {
    let faulty = Faulty::new(
        backend,
        Faults {
            defer_half: true,
            throttle_every: 4,
            ..Faults::default()
        },
    );
    let repo = repo(faulty.clone(), table)
        .await
        .with_batch_options(quick(40));
    let all = notes("u1", 300);
    repo.batch_put(&all).await.unwrap();
    assert!(faulty.write_calls() > 12, "retries happened");
    assert_eq!(stored(&repo, &["u1"]).await, all);
    let found = repo.batch_get(&keys(&all)).await.unwrap();
    assert_eq!(found, all);
    repo.batch_delete(&keys(&all)).await.unwrap();
    assert!(stored(&repo, &["u1"]).await.is_empty());
}

// ---------------------------------------------------------------------------------------
// Fault injection on MemoryBackend
// ---------------------------------------------------------------------------------------

async fn faulty_repo(
    faults: Faults,
    options: BatchOptions,
) -> (Faulty<MemoryBackend>, Repo<Note, Faulty<MemoryBackend>>) {
    let faulty = Faulty::new(MemoryBackend::new(), faults);
    let repo = repo(faulty.clone(), "notes")
        .await
        .with_batch_options(options);
    (faulty, repo)
}

/// The note ids of the listed writes, checking that each is listed once.
fn listed(unprocessed: &[WriteRequest]) -> HashSet<String> {
    let mut ids = HashSet::new();
    for write in unprocessed {
        let (WriteRequest::Put(map) | WriteRequest::Delete(map)) = write;
        let key = NoteKey::from_key_map(map).expect("a listed write has the note's key");
        let id = key.sort_key().clone();
        assert!(ids.insert(id.clone()), "{id} listed twice");
    }
    ids
}

/// Every note is either stored or listed as unprocessed, never both, never neither.
fn assert_accounted(all: &[Note], stored: &[Note], listed: &HashSet<String>) {
    let stored_ids: HashSet<&str> = stored.iter().map(|n| n.note_id.as_str()).collect();
    for note in all {
        let is_stored = stored_ids.contains(note.note_id.as_str());
        let is_listed = listed.contains(&note.note_id);
        assert!(
            is_stored != is_listed,
            "note {} stored: {is_stored}, listed: {is_listed}",
            note.note_id
        );
    }
    assert_eq!(stored.len() + listed.len(), all.len());
}

#[tokio::test]
async fn items_that_are_never_processed_are_listed_after_max_attempts() {
    let all = notes("u1", 100);
    let poison: HashSet<String> = [3, 30, 31, 77].map(|i| all[i].note_id.clone()).into();
    let (faulty, repo) = faulty_repo(
        Faults {
            never_processed: poison.clone(),
            defer_half: true,
            ..Faults::default()
        },
        quick(12),
    )
    .await;
    let err = repo.batch_put(&all).await.unwrap_err();
    let Error::BatchWriteIncomplete {
        table,
        unprocessed,
        attempts,
        source,
    } = err
    else {
        panic!("expected BatchWriteIncomplete, got {err:?}")
    };
    assert_eq!(table, "notes");
    assert_eq!(attempts, 12);
    assert!(
        source.is_none(),
        "the attempts ran out, no error: {source:?}"
    );
    assert_eq!(listed(&unprocessed), poison);
    assert_accounted(&all, &stored(&repo, &["u1"]).await, &poison);
    for id in &poison {
        assert_eq!(
            faulty.sends_of(id),
            12,
            "{id} was sent exactly max_attempts times"
        );
    }
    assert_eq!(faulty.sends_of(&all[0].note_id), 1);

    // The listed writes are the ones to send again: once the fault is gone, they go through.
    faulty.clear_faults();
    let retry: Vec<Note> = unprocessed
        .iter()
        .map(|w| match w {
            WriteRequest::Put(map) => Note::from_item(map.clone()).unwrap(),
            WriteRequest::Delete(_) => panic!("only puts were sent"),
        })
        .collect();
    repo.batch_put(&retry).await.unwrap();
    assert_eq!(stored(&repo, &["u1"]).await, all);
}

#[tokio::test]
async fn throttling_on_every_request_stops_at_max_attempts_with_everything_listed() {
    let (faulty, repo) = faulty_repo(
        Faults {
            throttle_every: 1,
            ..Faults::default()
        },
        quick(5),
    )
    .await;
    let all = notes("u1", 60);
    let err = repo.batch_put(&all).await.unwrap_err();
    let Error::BatchWriteIncomplete {
        unprocessed,
        attempts,
        source,
        ..
    } = err
    else {
        panic!("expected BatchWriteIncomplete, got {err:?}")
    };
    assert_eq!(attempts, 5);
    assert!(
        matches!(source.as_deref(), Some(Error::Throttled { .. })),
        "{source:?}"
    );
    let ids = listed(&unprocessed);
    assert_eq!(ids.len(), 60);
    assert_accounted(&all, &[], &ids);
    assert_eq!(faulty.write_calls(), 3 * 5, "3 chunks, 5 attempts each");

    let err = repo.batch_get(&keys(&all)).await.unwrap_err();
    let Error::BatchGetIncomplete {
        unprocessed_keys,
        attempts,
        source,
        ..
    } = err
    else {
        panic!("expected BatchGetIncomplete, got {err:?}")
    };
    assert_eq!(attempts, 5);
    assert!(matches!(source.as_deref(), Some(Error::Throttled { .. })));
    assert_eq!(unprocessed_keys.len(), 60);
    assert_eq!(faulty.get_calls(), 5);
}

#[tokio::test]
async fn random_faults_never_lose_an_item() {
    for (round, concurrency) in [1, 2, 4, 16].into_iter().enumerate() {
        let all = notes(&format!("u{round}"), 500);
        let poison: HashSet<String> = all.iter().step_by(37).map(|n| n.note_id.clone()).collect();
        let (_, repo) = faulty_repo(
            Faults {
                never_processed: poison.clone(),
                defer_half: true,
                throttle_every: 3,
                ..Faults::default()
            },
            BatchOptions {
                concurrency,
                ..quick(8)
            },
        )
        .await;
        let err = repo.batch_put(&all).await.unwrap_err();
        let Error::BatchWriteIncomplete { unprocessed, .. } = err else {
            panic!("expected BatchWriteIncomplete, got {err:?}")
        };
        let ids = listed(&unprocessed);
        assert!(poison.is_subset(&ids), "every poisoned note is listed");
        assert_accounted(&all, &stored(&repo, &[&format!("u{round}")]).await, &ids);
    }
}

#[tokio::test]
async fn a_permanent_error_stops_the_batch_and_lists_every_write_not_applied() {
    let all = notes("u1", 100);
    // Item 60 is in the third chunk (50..75).
    let fatal: HashSet<String> = [all[60].note_id.clone()].into();
    let (faulty, repo) = faulty_repo(
        Faults {
            fatal: fatal.clone(),
            ..Faults::default()
        },
        BatchOptions {
            concurrency: 1,
            ..quick(10)
        },
    )
    .await;
    let err = repo.batch_put(&all).await.unwrap_err();
    let Error::BatchWriteIncomplete {
        unprocessed,
        attempts,
        source,
        ..
    } = err
    else {
        panic!("expected BatchWriteIncomplete, got {err:?}")
    };
    assert!(
        matches!(source.as_deref(), Some(Error::Backend { .. })),
        "{source:?}"
    );
    assert_eq!(attempts, 1, "a permanent error is not retried");
    let ids = listed(&unprocessed);
    let expected: HashSet<String> = all[50..].iter().map(|n| n.note_id.clone()).collect();
    assert_eq!(ids, expected, "the failed chunk and the chunk never sent");
    assert_accounted(&all, &stored(&repo, &["u1"]).await, &ids);
    assert_eq!(faulty.write_calls(), 3, "the fourth chunk is not sent");
}

#[tokio::test]
async fn a_permanent_error_with_concurrent_chunks_still_accounts_for_every_item() {
    let all = notes("u1", 400);
    let fatal: HashSet<String> = [all[130].note_id.clone(), all[300].note_id.clone()].into();
    let (_, repo) = faulty_repo(
        Faults {
            fatal,
            defer_half: true,
            ..Faults::default()
        },
        BatchOptions {
            concurrency: 4,
            ..quick(10)
        },
    )
    .await;
    let err = repo.batch_put(&all).await.unwrap_err();
    let Error::BatchWriteIncomplete {
        unprocessed,
        source,
        ..
    } = err
    else {
        panic!("expected BatchWriteIncomplete, got {err:?}")
    };
    assert!(matches!(source.as_deref(), Some(Error::Backend { .. })));
    let ids = listed(&unprocessed);
    assert!(ids.contains(&all[130].note_id));
    assert_accounted(&all, &stored(&repo, &["u1"]).await, &ids);
}

#[tokio::test]
async fn a_permanent_error_before_anything_is_written_is_returned_as_is() {
    let all = notes("u1", 100);
    let (_, repo) = faulty_repo(
        Faults {
            fatal: [all[0].note_id.clone()].into(),
            ..Faults::default()
        },
        BatchOptions {
            concurrency: 1,
            ..quick(10)
        },
    )
    .await;
    let err = repo.batch_put(&all).await.unwrap_err();
    assert!(matches!(err, Error::Backend { .. }), "{err:?}");
    assert!(stored(&repo, &["u1"]).await.is_empty());
}

#[tokio::test]
async fn keys_that_are_never_read_are_listed_after_max_attempts() {
    let all = notes("u1", 250);
    let poison: HashSet<String> = [0, 99, 100, 249].map(|i| all[i].note_id.clone()).into();
    let (faulty, repo) = faulty_repo(Faults::default(), quick(10)).await;
    repo.batch_put(&all).await.unwrap();
    faulty.set_faults(Faults {
        never_processed: poison.clone(),
        defer_half: true,
        ..Faults::default()
    });
    let err = repo.batch_get(&keys(&all)).await.unwrap_err();
    let Error::BatchGetIncomplete {
        unprocessed_keys,
        attempts,
        ..
    } = err
    else {
        panic!("expected BatchGetIncomplete, got {err:?}")
    };
    assert_eq!(attempts, 10);
    let ids: HashSet<String> = unprocessed_keys
        .iter()
        .map(|k| NoteKey::from_key_map(k).unwrap().sort_key().clone())
        .collect();
    assert_eq!(ids, poison);
    assert_eq!(unprocessed_keys.len(), poison.len());
    for id in &poison {
        assert_eq!(faulty.sends_of(id), 10);
    }
}

// ---------------------------------------------------------------------------------------
// The fault-injecting backend
// ---------------------------------------------------------------------------------------

/// What [`Faulty`] does to batch requests.
#[derive(Debug, Clone, Default)]
struct Faults {
    /// Leave the second half of every batch request unprocessed.
    defer_half: bool,
    /// Answer every n-th batch request with `Error::Throttled` (0: never).
    throttle_every: u32,
    /// Note ids that are always left unprocessed.
    never_processed: HashSet<String>,
    /// Note ids whose request fails with a non-retryable error.
    fatal: HashSet<String>,
}

#[derive(Default)]
struct FaultState {
    faults: Mutex<Faults>,
    write_calls: AtomicU32,
    get_calls: AtomicU32,
    largest_write: AtomicU32,
    largest_get: AtomicU32,
    /// How many times each note id was sent in a batch request.
    sends: Mutex<HashMap<String, u32>>,
}

/// A backend that counts batch requests and injects faults into them, delegating everything
/// (and whatever it does process) to another backend.
#[derive(Clone)]
struct Faulty<B> {
    inner: B,
    state: Arc<FaultState>,
}

impl<B: Backend> Faulty<B> {
    fn new(inner: B, faults: Faults) -> Self {
        let state = FaultState {
            faults: Mutex::new(faults),
            ..FaultState::default()
        };
        Faulty {
            inner,
            state: Arc::new(state),
        }
    }

    /// New faults; the per-note send counts start again from zero.
    fn set_faults(&self, faults: Faults) {
        *self.state.faults.lock().unwrap() = faults;
        self.state.sends.lock().unwrap().clear();
    }

    fn clear_faults(&self) {
        self.set_faults(Faults::default());
    }

    fn write_calls(&self) -> u32 {
        self.state.write_calls.load(Ordering::SeqCst)
    }

    fn get_calls(&self) -> u32 {
        self.state.get_calls.load(Ordering::SeqCst)
    }

    fn largest_write(&self) -> u32 {
        self.state.largest_write.load(Ordering::SeqCst)
    }

    fn largest_get(&self) -> u32 {
        self.state.largest_get.load(Ordering::SeqCst)
    }

    fn sends_of(&self, note_id: &str) -> u32 {
        self.state
            .sends
            .lock()
            .unwrap()
            .get(note_id)
            .copied()
            .unwrap_or(0)
    }

    /// Counts the call and decides its fate: `Err` to fail it whole, else which of the
    /// entries (by note id) to leave unprocessed.
    fn judge<'a>(
        &self,
        calls: &AtomicU32,
        largest: &AtomicU32,
        ids: impl ExactSizeIterator<Item = &'a str>,
    ) -> Result<HashSet<usize>> {
        let call = calls.fetch_add(1, Ordering::SeqCst) + 1;
        let count = ids.len();
        largest.fetch_max(u32::try_from(count).unwrap(), Ordering::SeqCst);
        let faults = self.state.faults.lock().unwrap().clone();
        let mut sends = self.state.sends.lock().unwrap();
        let mut deferred = HashSet::new();
        let mut fatal = false;
        // The half deferred is counted among the entries that can be processed at all, so
        // that a lone never-processed entry does not hold a good one back forever.
        let mut processable = Vec::with_capacity(count);
        for (position, id) in ids.enumerate() {
            *sends.entry(id.to_owned()).or_default() += 1;
            fatal |= faults.fatal.contains(id);
            if faults.never_processed.contains(id) {
                deferred.insert(position);
            } else {
                processable.push(position);
            }
        }
        if faults.defer_half {
            let keep = processable.len().div_ceil(2);
            deferred.extend(&processable[keep..]);
        }
        if fatal {
            return Err(Error::Backend {
                source: "injected permanent failure".into(),
            });
        }
        if faults.throttle_every > 0 && call.is_multiple_of(faults.throttle_every) {
            return Err(Error::Throttled {
                source: Some("injected throttling".into()),
            });
        }
        Ok(deferred)
    }
}

fn note_id(map: &ItemMap) -> &str {
    match map.get("noteId") {
        Some(AttributeValue::S(id)) => id,
        _ => "",
    }
}

impl<B: Backend> Backend for Faulty<B> {
    fn batch_write_item(
        &self,
        request: BatchWriteItem,
    ) -> impl Future<Output = Result<BatchWriteItemOutput>> + Send {
        let this = self.clone();
        async move {
            let mut apply = HashMap::new();
            let mut unprocessed = HashMap::new();
            for (table, writes) in request.request_items {
                let ids: Vec<&str> = writes
                    .iter()
                    .map(|(WriteRequest::Put(m) | WriteRequest::Delete(m))| note_id(m))
                    .collect();
                let deferred = this.judge(
                    &this.state.write_calls,
                    &this.state.largest_write,
                    ids.into_iter(),
                )?;
                let (left, done): (Vec<_>, Vec<_>) = writes
                    .into_iter()
                    .enumerate()
                    .partition(|(position, _)| deferred.contains(position));
                let done: Vec<WriteRequest> = done.into_iter().map(|(_, w)| w).collect();
                let left: Vec<WriteRequest> = left.into_iter().map(|(_, w)| w).collect();
                if !done.is_empty() {
                    apply.insert(table.clone(), done);
                }
                if !left.is_empty() {
                    unprocessed.insert(table, left);
                }
            }
            let consumed_capacity = if apply.is_empty() {
                None
            } else {
                let output = this
                    .inner
                    .batch_write_item(BatchWriteItem {
                        request_items: apply,
                    })
                    .await?;
                assert!(
                    output.unprocessed_items.is_empty(),
                    "the inner backend finishes"
                );
                output.consumed_capacity
            };
            Ok(BatchWriteItemOutput {
                unprocessed_items: unprocessed,
                consumed_capacity,
            })
        }
    }

    fn batch_get_item(
        &self,
        request: BatchGetItem,
    ) -> impl Future<Output = Result<BatchGetItemOutput>> + Send {
        let this = self.clone();
        async move {
            let mut read = HashMap::new();
            let mut unprocessed = HashMap::new();
            for (table, wanted) in request.request_items {
                let ids: Vec<&str> = wanted.keys.iter().map(note_id).collect();
                let deferred = this.judge(
                    &this.state.get_calls,
                    &this.state.largest_get,
                    ids.into_iter(),
                )?;
                let (left, done): (Vec<_>, Vec<_>) = wanted
                    .keys
                    .into_iter()
                    .enumerate()
                    .partition(|(position, _)| deferred.contains(position));
                let part = |keys: Vec<(usize, ItemMap)>| KeysAndAttributes {
                    keys: keys.into_iter().map(|(_, k)| k).collect(),
                    consistent_read: wanted.consistent_read,
                    projection: wanted.projection.clone(),
                };
                if !done.is_empty() {
                    read.insert(table.clone(), part(done));
                }
                if !left.is_empty() {
                    unprocessed.insert(table, part(left));
                }
            }
            let mut output = if read.is_empty() {
                BatchGetItemOutput::default()
            } else {
                this.inner
                    .batch_get_item(BatchGetItem {
                        request_items: read,
                    })
                    .await?
            };
            assert!(
                output.unprocessed_keys.is_empty(),
                "the inner backend finishes"
            );
            output.unprocessed_keys = unprocessed;
            Ok(output)
        }
    }

    fn get_item(&self, request: GetItem) -> impl Future<Output = Result<GetItemOutput>> + Send {
        self.inner.get_item(request)
    }

    fn put_item(&self, request: PutItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        self.inner.put_item(request)
    }

    fn update_item(&self, request: UpdateItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        self.inner.update_item(request)
    }

    fn delete_item(&self, request: DeleteItem) -> impl Future<Output = Result<WriteOutput>> + Send {
        self.inner.delete_item(request)
    }

    fn query(&self, request: Query) -> impl Future<Output = Result<PageOutput>> + Send {
        self.inner.query(request)
    }

    fn scan(&self, request: Scan) -> impl Future<Output = Result<PageOutput>> + Send {
        self.inner.scan(request)
    }

    fn transact_get_items(
        &self,
        request: TransactGetItems,
    ) -> impl Future<Output = Result<TransactGetItemsOutput>> + Send {
        self.inner.transact_get_items(request)
    }

    fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> impl Future<Output = Result<TransactWriteItemsOutput>> + Send {
        self.inner.transact_write_items(request)
    }

    fn create_table(
        &self,
        request: CreateTable,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        self.inner.create_table(request)
    }

    fn describe_table(
        &self,
        table_name: String,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        self.inner.describe_table(table_name)
    }

    fn delete_table(
        &self,
        table_name: String,
    ) -> impl Future<Output = Result<TableDescription>> + Send {
        self.inner.delete_table(table_name)
    }

    fn update_continuous_backups(
        &self,
        table_name: String,
        point_in_time_recovery: bool,
    ) -> impl Future<Output = Result<()>> + Send {
        self.inner
            .update_continuous_backups(table_name, point_in_time_recovery)
    }

    fn update_time_to_live(
        &self,
        table_name: String,
        attribute: String,
        enabled: bool,
    ) -> impl Future<Output = Result<()>> + Send {
        self.inner
            .update_time_to_live(table_name, attribute, enabled)
    }
}
