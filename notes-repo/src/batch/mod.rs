//! Batches of any size, below the typed repository: options, chunks to the service limits,
//! sent concurrently, unprocessed entries and throttling retried with backoff, and whatever
//! could not be done reported exactly, never dropped.
//!
//! The typed entry points are [`Repo::batch_put`](crate::Repo::batch_put),
//! [`Repo::batch_delete`](crate::Repo::batch_delete) and
//! [`Repo::batch_get`](crate::Repo::batch_get) (`.consistent()` for strongly consistent
//! reads).

mod plan;
pub(crate) mod retry;

use std::time::Duration;

use notes_model::{ItemMap, KeySchema, SharedItem};

use notes_core::request::{BatchGetItem, BatchWriteItem, KeysAndAttributes, WriteRequest};
use notes_core::{Backend, Error, Result, RetryPolicy, Traced, validate};
pub(crate) use plan::{KeyId, KeySet};
use plan::{MAX_BATCH_GET, MAX_BATCH_WRITE, MAX_REQUEST_BYTES};
use retry::{Operation, Reply, Summary};

/// How batches are sent: concurrency and retries.
///
/// Each chunk (one `BatchWriteItem` of up to 25 writes, one `BatchGetItem` of up to 100
/// keys) is sent up to `retry.max_attempts` times while entries come back unprocessed or the
/// request is throttled, waiting before each retry as [`RetryPolicy::backoff`] says ("full
/// jitter"), so that many clients throttled together do not retry together. The default
/// policy is made for batches: 10 attempts, a 25 ms base and a 5 s cap.
///
/// ```
/// use std::time::Duration;
/// use notes_repo::{BatchOptions, MemoryBackend, Repo, RetryPolicy};
///
/// let options = BatchOptions::default();
/// assert_eq!(options.concurrency, 4);
/// assert_eq!(options.retry.max_attempts, 10);
///
/// // A bulk import that may wait longer for a busy table.
/// let patient = BatchOptions {
///     retry: RetryPolicy {
///         max_attempts: 20,
///         max_delay: Duration::from_secs(20),
///         ..BatchOptions::default().retry
///     },
///     ..BatchOptions::default()
/// };
/// let repo: Repo<notes_model::Note, _> =
///     Repo::new(MemoryBackend::new()).with_batch_options(patient);
/// assert_eq!(repo.batch_options().retry.max_attempts, 20);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOptions {
    /// How many requests may be in flight at once (0 counts as 1).
    pub concurrency: usize,
    /// How often one chunk is sent before its unprocessed entries are reported (0 attempts
    /// count as 1), and how long to wait between sends.
    pub retry: RetryPolicy,
}

impl Default for BatchOptions {
    fn default() -> Self {
        BatchOptions {
            concurrency: 4,
            retry: RetryPolicy {
                max_attempts: 10,
                base_delay: Duration::from_millis(25),
                max_delay: Duration::from_secs(5),
            },
        }
    }
}

/// Sends `writes` to `table` in chunks of 25 (and at most 16 MB), `options.concurrency` at a
/// time, with retries; what was not applied is [`Error::BatchWriteIncomplete`].
pub(crate) async fn write_all<B: Backend>(
    backend: &Traced<B>,
    table: &str,
    options: &BatchOptions,
    writes: Vec<WriteRequest>,
) -> Result<()> {
    if writes.is_empty() {
        return Ok(());
    }
    let chunks = plan::chunks(writes, MAX_BATCH_WRITE, MAX_REQUEST_BYTES, write_size);
    let send = |writes: Vec<WriteRequest>| {
        let request = BatchWriteItem::new([(table.to_owned(), writes)].into());
        let sent = backend.batch_write_item(request);
        async move {
            let output = sent.await?;
            Ok(Reply {
                unprocessed: output.unprocessed_items.into_values().flatten().collect(),
                found: Vec::<()>::new(),
            })
        }
    };
    let summary = retry::send_all(chunks, options, table, Operation::Write, send).await;
    match incomplete(summary) {
        None => Ok(()),
        Some(Incomplete::Plain(err)) => Err(err),
        Some(Incomplete::Listed {
            not_done,
            attempts,
            source,
        }) => Err(Error::BatchWriteIncomplete {
            table: table.to_owned(),
            unprocessed: not_done,
            attempts,
            source,
        }),
    }
}

/// Reads `keys` (validated, without duplicates) of `table` in chunks of 100,
/// `options.concurrency` at a time, with retries: the items found, in the order of their keys.
/// Keys not read are [`Error::BatchGetIncomplete`].
pub(crate) async fn get_all<B: Backend>(
    backend: &Traced<B>,
    table: &str,
    schema: &KeySchema,
    options: &BatchOptions,
    keys: Vec<ItemMap>,
    consistent_read: bool,
) -> Result<Vec<SharedItem>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut positions = KeySet::with_capacity(keys.len());
    for (position, key) in keys.iter().enumerate() {
        if let Some(id) = KeyId::of(key, schema) {
            positions.insert(id, position, String::new)?;
        }
    }
    let count = keys.len();
    let chunks = plan::chunks(keys, MAX_BATCH_GET, MAX_REQUEST_BYTES, validate::item_size);
    let send = |keys: Vec<ItemMap>| {
        let request = BatchGetItem::new(
            [(
                table.to_owned(),
                KeysAndAttributes::new(keys).consistent_read(consistent_read),
            )]
            .into(),
        );
        let sent = backend.batch_get_item(request);
        async move {
            let output = sent.await?;
            Ok(Reply {
                unprocessed: output
                    .unprocessed_keys
                    .into_values()
                    .flat_map(|k| k.keys)
                    .collect(),
                found: output.responses.into_values().flatten().collect(),
            })
        }
    };
    let mut summary = retry::send_all(chunks, options, table, Operation::Get, send).await;
    let found = std::mem::take(&mut summary.found);
    match incomplete(summary) {
        None => {}
        Some(Incomplete::Plain(err)) => return Err(err),
        Some(Incomplete::Listed {
            not_done,
            attempts,
            source,
        }) => {
            return Err(Error::BatchGetIncomplete {
                table: table.to_owned(),
                unprocessed_keys: not_done,
                attempts,
                source,
            });
        }
    }
    let mut slots: Vec<Option<SharedItem>> = vec![None; count];
    for item in found {
        // An item whose key was not asked for cannot come from DynamoDB; it is ignored.
        let slot = KeyId::of(&item, schema).and_then(|id| positions.position(&id));
        if let Some(position) = slot {
            slots[position] = Some(item);
        }
    }
    Ok(slots.into_iter().flatten().collect())
}

/// How a batch that did not finish is reported.
enum Incomplete<W> {
    /// An error retrying cannot fix, before anything was done: nothing to list.
    Plain(Error),
    /// Some entries were not done; they are listed.
    Listed {
        not_done: Vec<W>,
        attempts: u32,
        source: Option<Box<Error>>,
    },
}

fn incomplete<W, R>(summary: Summary<W, R>) -> Option<Incomplete<W>> {
    match summary.fatal {
        Some(err) if !summary.progressed => Some(Incomplete::Plain(err)),
        fatal if fatal.is_some() || !summary.not_done.is_empty() => Some(Incomplete::Listed {
            not_done: summary.not_done,
            attempts: summary.attempts,
            source: fatal.or(summary.last_error).map(Box::new),
        }),
        _ => None,
    }
}

/// The bytes a write adds to a `BatchWriteItem` request, as DynamoDB counts item sizes.
fn write_size(write: &WriteRequest) -> usize {
    match write {
        WriteRequest::Put(item) | WriteRequest::Delete(item) => validate::item_size(item),
    }
}

/// Says which entry of the batch a validation error is about.
pub(crate) fn at_position(err: Error, position: usize, key: impl FnOnce() -> String) -> Error {
    match err {
        Error::Validation { message, source } => Error::Validation {
            message: format!("{message} (batch entry {position}, key {})", key()),
            source,
        },
        Error::ItemTooLarge { message, source } => Error::ItemTooLarge {
            message: format!("{message} (batch entry {position}, key {})", key()),
            source,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
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
}
