//! Batch writes and reads under faults injected by a layer around the backend: unprocessed
//! entries, throttling and permanent failures. Whatever happens, every item ends either stored
//! or listed in the error, never silently lost, and retries stop at `max_attempts`.

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notes_repo::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, KeysAndAttributes,
    WriteRequest,
};
use notes_repo::{
    AttributeValue, Backend, BatchOptions, Error, Item, ItemMap, Layer, Note, NoteKey, PrimaryKey,
    Repo, Result, RetryPolicy,
};
use notes_tests::batch_support::{keys, notes, stored};

notes_tests::on_every_backend!(
    partially_processed_batches_are_completed_by_retries,
    items_that_are_never_processed_are_listed_after_max_attempts,
    throttling_on_every_request_stops_at_max_attempts_with_everything_listed,
    random_faults_never_lose_an_item,
    a_permanent_error_stops_the_batch_and_lists_every_write_not_applied,
    a_permanent_error_with_concurrent_chunks_still_accounts_for_every_item,
    a_permanent_error_before_anything_is_written_is_returned_as_is,
    keys_that_are_never_read_are_listed_after_max_attempts,
);

async fn repo<B: Backend>(backend: B, table: &str) -> Repo<Note, B> {
    notes_tests::repo(backend, table).await
}

/// Retries without waiting long: these tests count attempts, not time.
fn quick(max_attempts: u32) -> BatchOptions {
    BatchOptions {
        concurrency: 4,
        retry: RetryPolicy {
            max_attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(4),
        },
    }
}

async fn faulty_repo<B: Backend>(
    backend: B,
    table: &str,
    faults: Faults,
    options: BatchOptions,
) -> (Faulty<B>, Repo<Note, Faulty<B>>) {
    let faulty = Faulty::new(backend, faults);
    let repo = repo(faulty.clone(), table)
        .await
        .with_batch_options(options);
    (faulty, repo)
}

/// The note ids of the listed writes, checking that each is listed once.
fn listed(unprocessed: &[WriteRequest]) -> HashSet<String> {
    let mut ids = HashSet::new();
    for write in unprocessed {
        let map = match write {
            WriteRequest::Put(map) | WriteRequest::Delete(map) => map,
        };
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

async fn items_that_are_never_processed_are_listed_after_max_attempts<B: Backend>(
    backend: B,
    name: &str,
) {
    let all = notes("u1", 100);
    let poison: HashSet<String> = [3, 30, 31, 77].map(|i| all[i].note_id.clone()).into();
    let (faulty, repo) = faulty_repo(
        backend,
        name,
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
    assert_eq!(table, name);
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
            other => panic!("only puts were sent: {other:?}"),
        })
        .collect();
    repo.batch_put(&retry).await.unwrap();
    assert_eq!(stored(&repo, &["u1"]).await, all);
}

async fn throttling_on_every_request_stops_at_max_attempts_with_everything_listed<B: Backend>(
    backend: B,
    table: &str,
) {
    let (faulty, repo) = faulty_repo(
        backend,
        table,
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

async fn random_faults_never_lose_an_item<B: Backend>(backend: B, table: &str) {
    for (round, concurrency) in [1, 2, 4, 16].into_iter().enumerate() {
        let all = notes(&format!("u{round}"), 500);
        let poison: HashSet<String> = all.iter().step_by(37).map(|n| n.note_id.clone()).collect();
        let (_, repo) = faulty_repo(
            backend.clone(),
            &format!("{table}-{round}"),
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

async fn a_permanent_error_stops_the_batch_and_lists_every_write_not_applied<B: Backend>(
    backend: B,
    table: &str,
) {
    let all = notes("u1", 100);
    // Item 60 is in the third chunk (50..75).
    let fatal: HashSet<String> = [all[60].note_id.clone()].into();
    let (faulty, repo) = faulty_repo(
        backend,
        table,
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

async fn a_permanent_error_with_concurrent_chunks_still_accounts_for_every_item<B: Backend>(
    backend: B,
    table: &str,
) {
    let all = notes("u1", 400);
    let fatal: HashSet<String> = [all[130].note_id.clone(), all[300].note_id.clone()].into();
    let (_, repo) = faulty_repo(
        backend,
        table,
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

async fn a_permanent_error_before_anything_is_written_is_returned_as_is<B: Backend>(
    backend: B,
    table: &str,
) {
    let all = notes("u1", 100);
    let (_, repo) = faulty_repo(
        backend,
        table,
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

async fn keys_that_are_never_read_are_listed_after_max_attempts<B: Backend>(
    backend: B,
    table: &str,
) {
    let all = notes("u1", 250);
    let poison: HashSet<String> = [0, 99, 100, 249].map(|i| all[i].note_id.clone()).into();
    let (faulty, repo) = faulty_repo(backend, table, Faults::default(), quick(10)).await;
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
    /// How many times each note id was sent in a batch request.
    sends: Mutex<HashMap<String, u32>>,
}

/// A layer that counts batch requests and injects faults into them; everything else (and
/// whatever it does process) goes to the backend it wraps.
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
        ids: impl ExactSizeIterator<Item = &'a str>,
    ) -> Result<HashSet<usize>> {
        let call = calls.fetch_add(1, Ordering::SeqCst) + 1;
        let count = ids.len();
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
                retried: false,
                reasons: Vec::new(),
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

impl<B: Backend> Layer for Faulty<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.inner
    }

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
                    .map(|write| match write {
                        WriteRequest::Put(m) | WriteRequest::Delete(m) => note_id(m),
                    })
                    .collect();
                let deferred = this.judge(&this.state.write_calls, ids.into_iter())?;
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
                    .batch_write_item(BatchWriteItem::new(apply))
                    .await?;
                assert!(
                    output.unprocessed_items.is_empty(),
                    "the inner backend finishes"
                );
                output.consumed_capacity
            };
            let mut output = BatchWriteItemOutput::new(unprocessed);
            output.consumed_capacity = consumed_capacity;
            Ok(output)
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
                let deferred = this.judge(&this.state.get_calls, ids.into_iter())?;
                let (left, done): (Vec<_>, Vec<_>) = wanted
                    .keys
                    .into_iter()
                    .enumerate()
                    .partition(|(position, _)| deferred.contains(position));
                let part = |keys: Vec<(usize, ItemMap)>| {
                    let mut part =
                        KeysAndAttributes::new(keys.into_iter().map(|(_, k)| k).collect())
                            .consistent_read(wanted.consistent_read);
                    part.projection = wanted.projection.clone();
                    part
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
                this.inner.batch_get_item(BatchGetItem::new(read)).await?
            };
            assert!(
                output.unprocessed_keys.is_empty(),
                "the inner backend finishes"
            );
            output.unprocessed_keys = unprocessed;
            Ok(output)
        }
    }
}
