//! Streams across restarts (issue 24, item 3): random workloads (puts, updates, deletes,
//! batches, transactions, time to live sweeps) on a durable MemoryBackend whose table has a
//! `NEW_AND_OLD_IMAGES` stream, with reopens at random points, some of them with a tiny
//! journal limit (so the journal is compacted into a new snapshot at the reopen and after
//! writes). Checked against a model of the table:
//!
//! - after every write, the records after the last one seen are exactly the model's records
//!   of that write (kind, keys, old and new images, time), numbered above every earlier one;
//! - after every reopen and at the end, the whole stream is the model's whole list, with the
//!   same sequence numbers and times as when first read (nothing duplicated, nothing
//!   missing, no number given twice), and each checkpoint taken so far resumes exactly after
//!   itself: the records after it are the model's records after it;
//! - at the end, the table holds the model's items.
//!
//! Bounded in CI: [`DEFAULT_CASES`] cases of at most [`DEFAULT_MAX_OPS`] operations from a
//! fixed seed (about 4 s in a debug build). A longer run on demand:
//! `NOTES_STREAM_CASES=2000 NOTES_STREAM_SEED=$RANDOM NOTES_STREAM_MAX_OPS=120 cargo test -p
//! notes-tests --test durable streams_across_restarts -- --nocapture`. A failure is shrunk
//! to a short operation list and printed with its seed.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, SystemTime};

use notes_model::expr::Update;
use notes_model::{AttributeValue, Item, ItemMap};
use notes_repo::request::{
    BatchWriteItem, CreateTable, DeleteItem, PutItem, TransactWrite, TransactWriteItems,
    UpdateItem, UpdateTimeToLive, WriteRequest,
};
use notes_repo::stream::{ChangeKind, ChangeRecord, StreamViewType};
use notes_repo::{Backend, Clock, ManualClock, MemoryBackend, Note};
use notes_tests::durable_support::{TempDir, all_items};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

/// Cases in a normal `cargo test` run.
const DEFAULT_CASES: u32 = 64;
/// Operations per case at most, unless `NOTES_STREAM_MAX_OPS` says otherwise.
const DEFAULT_MAX_OPS: usize = 40;
/// Distinct keys (few, so writes meet existing items) and contents (few, so some puts
/// change nothing and write no record).
const KEYS: u8 = 5;
const CONTENTS: u8 = 3;
const TABLE: &str = "notes";
/// An expiry a minute before the workload's clock starts (and less than five years old).
const EXPIRED_AT: &str = "1699999940";

/// One step of a workload.
#[derive(Debug, Clone)]
enum Op {
    Put(u8, u8),
    /// A put of an item that has expired (its `expiresAt` is in the past).
    PutExpired(u8, u8),
    /// Time to live's sweep (`MemoryBackend::expire_items`): deletes every expired item.
    Expire,
    /// `SET content = ..` (creates the item when missing).
    Update(u8, u8),
    Delete(u8),
    /// `Some(content)`: put, `None`: delete; the first write of each key is kept.
    Batch(Vec<(u8, Option<u8>)>),
    Transaction(Vec<(u8, Option<u8>)>),
    /// A consumer's checkpoint: the last sequence number read so far.
    Checkpoint,
    /// Close and open again; `compact`: with a 1-byte journal limit.
    Reopen {
        compact: bool,
    },
}

fn op() -> impl Strategy<Value = Op> {
    let key = 0..KEYS;
    let content = 0..CONTENTS;
    let write = (0..KEYS, prop::option::of(0..CONTENTS));
    prop_oneof![
        4 => (key.clone(), content.clone()).prop_map(|(k, c)| Op::Put(k, c)),
        1 => (key.clone(), content.clone()).prop_map(|(k, c)| Op::PutExpired(k, c)),
        1 => Just(Op::Expire),
        3 => (key.clone(), content).prop_map(|(k, c)| Op::Update(k, c)),
        2 => key.prop_map(Op::Delete),
        1 => prop::collection::vec(write.clone(), 1..5).prop_map(Op::Batch),
        1 => prop::collection::vec(write, 1..5).prop_map(Op::Transaction),
        1 => Just(Op::Checkpoint),
        2 => any::<bool>().prop_map(|compact| Op::Reopen { compact }),
    ]
}

fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok()?.trim().parse().ok()
}

fn key(k: u8) -> ItemMap {
    ItemMap::from([
        ("userId".to_owned(), AttributeValue::S("u1".into())),
        ("noteId".to_owned(), AttributeValue::S(format!("n{k}"))),
    ])
}

fn item(k: u8, content: u8) -> ItemMap {
    let mut item = key(k);
    item.insert("content".into(), AttributeValue::S(format!("c{content}")));
    item
}

/// A stream record as compared: sequence number, kind, keys, old image, new image, time,
/// whether time to live removed the item.
type Seen = (
    String,
    ChangeKind,
    ItemMap,
    Option<ItemMap>,
    Option<ItemMap>,
    SystemTime,
    bool,
);

fn seen(record: &ChangeRecord) -> Seen {
    (
        record.sequence_number.clone(),
        record.kind,
        record.keys.clone(),
        record.old_image.clone(),
        record.new_image.clone(),
        record.approximate_creation_time,
        record.removed_by_ttl,
    )
}

/// The table and its stream as they should be.
#[derive(Default)]
struct Model {
    items: BTreeMap<u8, ItemMap>,
    /// Every record so far, with the sequence number it was first read with.
    records: Vec<Seen>,
    /// Checkpoints: the sequence number, and how many records were before it.
    checkpoints: Vec<(Option<String>, usize)>,
}

impl Model {
    /// Applies one write of `k` (`None`: delete) at `at`: the record it owes, if it changed
    /// the item (a sequence number to be filled in when read).
    fn write(&mut self, k: u8, new: Option<ItemMap>, at: SystemTime, owed: &mut Vec<Seen>) {
        self.write_by(k, new, at, false, owed);
    }

    /// [`write`](Self::write), `by_ttl`: a deletion by time to live.
    fn write_by(
        &mut self,
        k: u8,
        new: Option<ItemMap>,
        at: SystemTime,
        by_ttl: bool,
        owed: &mut Vec<Seen>,
    ) {
        let old = match &new {
            Some(item) => self.items.insert(k, item.clone()),
            None => self.items.remove(&k),
        };
        let kind = match (&old, &new) {
            (None, None) => return,
            (Some(old), Some(new)) if old == new => return,
            (None, Some(_)) => ChangeKind::Insert,
            (Some(_), None) => ChangeKind::Remove,
            (Some(_), Some(_)) => ChangeKind::Modify,
        };
        owed.push((String::new(), kind, key(k), old, new, at, by_ttl));
    }

    fn last_sequence(&self) -> Option<&str> {
        self.records.last().map(|r| r.0.as_str())
    }
}

fn open(dir: &TempDir, clock: &ManualClock, compact: bool) -> MemoryBackend {
    let mut builder = MemoryBackend::builder().clock(clock.clone());
    if compact {
        builder = builder.journal_limit(1);
    }
    builder.open(dir.path()).expect("open the directory")
}

/// The first write of each key.
fn distinct(writes: &[(u8, Option<u8>)]) -> Vec<(u8, Option<u8>)> {
    let mut kept: Vec<(u8, Option<u8>)> = Vec::new();
    for &(k, content) in writes {
        if kept.iter().all(|(seen, _)| *seen != k) {
            kept.push((k, content));
        }
    }
    kept
}

/// Checks the whole stream and every checkpoint against the model.
fn check_all(backend: &MemoryBackend, model: &Model, when: &str) -> Result<(), String> {
    let all: Vec<Seen> = backend
        .stream_records(TABLE, None)
        .map_err(|e| format!("{when}: stream_records(None): {e:?}"))?
        .iter()
        .map(seen)
        .collect();
    if all != model.records {
        return Err(format!(
            "{when}: the whole stream differs from the model\n stream: {all:#?}\n model: {:#?}",
            model.records
        ));
    }
    for (checkpoint, before) in &model.checkpoints {
        let after: Vec<Seen> = backend
            .stream_records(TABLE, checkpoint.as_deref())
            .map_err(|e| format!("{when}: stream_records({checkpoint:?}): {e:?}"))?
            .iter()
            .map(seen)
            .collect();
        if after != model.records[*before..] {
            return Err(format!(
                "{when}: the records after checkpoint {checkpoint:?} differ\n stream: \
                 {after:#?}\n model: {:#?}",
                &model.records[*before..]
            ));
        }
    }
    Ok(())
}

async fn run(ops: &[Op]) -> Result<(), String> {
    let dir = TempDir::new("stream-harness");
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let mut backend = open(&dir, &clock, false);
    backend
        .create_table(
            CreateTable::new(TABLE, Note::KEY_SCHEMA)
                .stream_view_type(StreamViewType::NewAndOldImages),
        )
        .await
        .map_err(|e| format!("create the table: {e:?}"))?;
    backend
        .update_time_to_live(UpdateTimeToLive::new(TABLE, "expiresAt", true))
        .await
        .map_err(|e| format!("enable time to live: {e:?}"))?;
    let mut model = Model::default();
    for (step, op) in ops.iter().enumerate() {
        let when = format!("step {step} ({op:?})");
        clock.advance(Duration::from_secs(1));
        let at = clock.now();
        let mut owed = Vec::new();
        let outcome = match op {
            Op::Checkpoint => {
                let checkpoint = model.last_sequence().map(str::to_owned);
                model.checkpoints.push((checkpoint, model.records.len()));
                continue;
            }
            Op::Reopen { compact } => {
                drop(backend);
                backend = open(&dir, &clock, *compact);
                check_all(&backend, &model, &when)?;
                continue;
            }
            Op::Put(k, content) => {
                model.write(*k, Some(item(*k, *content)), at, &mut owed);
                backend
                    .put_item(PutItem::new(TABLE, item(*k, *content)))
                    .await
                    .map(drop)
            }
            Op::PutExpired(k, content) => {
                let mut expiring = item(*k, *content);
                expiring.insert("expiresAt".into(), AttributeValue::N(EXPIRED_AT.into()));
                model.write(*k, Some(expiring.clone()), at, &mut owed);
                backend
                    .put_item(PutItem::new(TABLE, expiring))
                    .await
                    .map(drop)
            }
            Op::Expire => {
                let expired: Vec<u8> = model
                    .items
                    .iter()
                    .filter(|(_, item)| item.contains_key("expiresAt"))
                    .map(|(k, _)| *k)
                    .collect();
                for k in &expired {
                    model.write_by(*k, None, at, true, &mut owed);
                }
                let swept = backend.expire_items();
                if swept == expired.len() {
                    Ok(())
                } else {
                    return Err(format!("{when}: swept {swept}, expected {expired:?}"));
                }
            }
            Op::Update(k, content) => {
                let mut new = model.items.get(k).cloned().unwrap_or_else(|| key(*k));
                new.insert("content".into(), AttributeValue::S(format!("c{content}")));
                model.write(*k, Some(new), at, &mut owed);
                let update = Update::new().and(Note::CONTENT.set(format!("c{content}")));
                backend
                    .update_item(UpdateItem::new(TABLE, key(*k), update))
                    .await
                    .map(drop)
            }
            Op::Delete(k) => {
                model.write(*k, None, at, &mut owed);
                backend
                    .delete_item(DeleteItem::new(TABLE, key(*k)))
                    .await
                    .map(drop)
            }
            Op::Batch(writes) => {
                let writes = distinct(writes);
                let mut requests = Vec::new();
                for (k, content) in writes {
                    let new = content.map(|c| item(k, c));
                    model.write(k, new.clone(), at, &mut owed);
                    requests.push(match new {
                        Some(item) => WriteRequest::Put(item),
                        None => WriteRequest::Delete(key(k)),
                    });
                }
                let batch = BatchWriteItem::new(HashMap::from([(TABLE.to_owned(), requests)]));
                backend.batch_write_item(batch).await.map(|output| {
                    assert!(output.unprocessed_items.is_empty(), "{when}: unprocessed");
                })
            }
            Op::Transaction(writes) => {
                let writes = distinct(writes);
                let mut actions = Vec::new();
                for (k, content) in writes {
                    let new = content.map(|c| item(k, c));
                    model.write(k, new.clone(), at, &mut owed);
                    actions.push(match new {
                        Some(item) => TransactWrite::Put {
                            table_name: TABLE.to_owned(),
                            item,
                            condition: None,
                        },
                        None => TransactWrite::Delete {
                            table_name: TABLE.to_owned(),
                            key: key(k),
                            condition: None,
                        },
                    });
                }
                backend
                    .transact_write_items(TransactWriteItems::new(actions))
                    .await
                    .map(drop)
            }
        };
        outcome.map_err(|e| format!("{when}: {e:?}"))?;
        // The new records: the model's, numbered above every earlier one.
        let last = model.last_sequence().map(str::to_owned);
        let new: Vec<Seen> = backend
            .stream_records(TABLE, last.as_deref())
            .map_err(|e| format!("{when}: stream_records: {e:?}"))?
            .iter()
            .map(seen)
            .collect();
        let unnumbered = |records: &[Seen]| -> Vec<Seen> {
            records
                .iter()
                .map(|r| {
                    let (_, kind, keys, old, new, at, by_ttl) = r.clone();
                    (String::new(), kind, keys, old, new, at, by_ttl)
                })
                .collect()
        };
        if unnumbered(&new) != owed {
            return Err(format!(
                "{when}: the new records differ\n stream: {new:#?}\n model: {owed:#?}"
            ));
        }
        let mut previous = last;
        for record in &new {
            if previous.as_ref().is_some_and(|p| *p >= record.0) {
                return Err(format!(
                    "{when}: sequence number {} is not above {previous:?}",
                    record.0
                ));
            }
            previous = Some(record.0.clone());
        }
        model.records.extend(new);
    }
    check_all(&backend, &model, "at the end")?;
    let items = all_items(&backend, TABLE).await;
    let mut expected: Vec<ItemMap> = model.items.values().cloned().collect();
    let order = |item: &ItemMap| format!("{:?}", item.get("noteId"));
    expected.sort_by_key(order);
    let mut items = items;
    items.sort_by_key(order);
    if items != expected {
        return Err(format!(
            "the table's items differ\n table: {items:#?}\n model: {expected:#?}"
        ));
    }
    Ok(())
}

#[test]
fn streams_across_restarts_keep_their_sequence_numbers_and_checkpoints() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let cases = env_number("NOTES_STREAM_CASES").unwrap_or(DEFAULT_CASES);
    let max_ops = env_number("NOTES_STREAM_MAX_OPS").unwrap_or(DEFAULT_MAX_OPS);
    let seed: u64 = env_number("NOTES_STREAM_SEED").unwrap_or(0);
    let config = Config {
        cases,
        max_shrink_iters: 256,
        failure_persistence: None,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let strategy = prop::collection::vec(op(), 1..max_ops);
    let result = runner.run(&strategy, |ops| {
        runtime.block_on(run(&ops)).map_err(TestCaseError::fail)
    });
    if let Err(failure) = result {
        panic!(
            "a stream across restarts broke (NOTES_STREAM_SEED={seed}, {cases} cases, at most \
             {max_ops} operations):\n{failure}"
        );
    }
}
