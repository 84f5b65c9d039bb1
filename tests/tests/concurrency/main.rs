//! Concurrency: transactions across tables stay atomic under concurrent writers and readers,
//! and on MemoryBackend an operation on one table never waits for a write of another.
//!
//! The versioned-write and `ADD` cases of the reliability work already run here on a
//! multi-thread runtime (every `on_every_backend!` case gets 4 worker threads) with tasks that
//! really interleave (`suite/versions.rs`: `concurrent_versioned_updates_lose_nothing`,
//! `raw/items.rs`: `concurrent_tasks_see_every_write`).

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use notes_repo::expr::{Operand, Path, Update, UpdateAction};
use notes_repo::request::*;
use notes_repo::{
    AttributeValue, Backend, Clock, Error, ItemMap, KeyAttribute, KeySchema, MemoryBackend,
    ScalarType,
};

notes_tests::on_every_backend!(transactions_between_two_tables_keep_their_sum);

#[test]
fn a_read_of_one_table_does_not_wait_for_a_write_of_another() {
    // MemoryBackend only: the hook that holds a write in progress is its clock, which a
    // server has no way to take.
    reads_of_a_do_not_wait_for_writes_of_b();
}

#[test]
fn a_put_checked_against_a_table_is_never_stored_in_the_table_that_replaces_it() {
    // MemoryBackend only: its puts are checked against the table's definition before the
    // table is locked, which must stay the table's definition until the put is stored.
    puts_race_a_table_recreated_with_another_key();
}

const UNITS: i64 = 100;

fn key(id: &str) -> ItemMap {
    ItemMap::from([("id".to_owned(), AttributeValue::S(id.to_owned()))])
}

fn count_of(item: &Option<notes_repo::SharedItem>) -> i64 {
    match item.as_ref().and_then(|item| item.get("count")) {
        Some(AttributeValue::N(n)) => n.parse().unwrap(),
        other => panic!("no count: {other:?}"),
    }
}

fn add(table: &str, by: i64) -> TransactWrite {
    TransactWrite::Update {
        table_name: table.to_owned(),
        key: key("balance"),
        update: Update::from(UpdateAction::Add(
            Path::attribute("count"),
            Operand::Value(AttributeValue::N(by.to_string())),
        )),
        condition: None,
    }
}

async fn create<B: Backend>(backend: &B, table: &str, count: i64) {
    let schema = KeySchema {
        partition_key: KeyAttribute::new("id", ScalarType::S),
        sort_key: None,
    };
    backend
        .create_table(CreateTable::new(table, schema).billing_mode(BillingMode::PayPerRequest))
        .await
        .unwrap();
    for _ in 0..120 {
        let described = backend
            .describe_table(DescribeTable::new(table))
            .await
            .unwrap();
        if described.status == TableStatus::Active {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let mut item = key("balance");
    item.insert("count".into(), AttributeValue::N(count.to_string()));
    backend.put_item(PutItem::new(table, item)).await.unwrap();
}

/// Transactions move one unit at a time between a balance in table A and one in table B
/// (4 writer tasks), while 4 reader tasks read both with `TransactGetItems`: every read sees
/// the sum the balances started with. A writer whose transaction conflicts with another
/// (`TransactionConflict` on DynamoDB) sends it again.
async fn transactions_between_two_tables_keep_their_sum<B: Backend>(backend: B, table: &str) {
    let (a, b) = (format!("{table}-a"), format!("{table}-b"));
    create(&backend, &a, UNITS).await;
    create(&backend, &b, 0).await;
    let (writers, moves, readers) = (4, 25, 4);
    let start = notes_tests::StartLine::new(writers + readers);
    let done = Arc::new(AtomicUsize::new(0));
    let mut handles = Vec::new();
    for w in 0..writers {
        let (backend, a, b, start, done) = (
            backend.clone(),
            a.clone(),
            b.clone(),
            start.clone(),
            done.clone(),
        );
        handles.push(tokio::spawn(async move {
            start.wait().await;
            for m in 0..moves {
                // Half the writers move A to B, half B to A (from the second move on, so B
                // holds units).
                let to_b = w % 2 == 0 || m == 0;
                let (from, to) = if to_b { (&a, &b) } else { (&b, &a) };
                loop {
                    let request = TransactWriteItems::new(vec![add(from, -1), add(to, 1)]);
                    match backend.transact_write_items(request).await {
                        Ok(_) => break,
                        Err(Error::TransactionCanceled { reasons, .. })
                            if reasons.iter().any(|r| r.code == "TransactionConflict") => {}
                        Err(err) => panic!("{err:?}"),
                    }
                }
                tokio::task::yield_now().await;
            }
            done.fetch_add(1, Ordering::SeqCst);
            0
        }));
    }
    for _ in 0..readers {
        let (backend, a, b, start, done) = (
            backend.clone(),
            a.clone(),
            b.clone(),
            start.clone(),
            done.clone(),
        );
        handles.push(tokio::spawn(async move {
            start.wait().await;
            let mut reads = 0;
            while done.load(Ordering::SeqCst) < writers || reads == 0 {
                let request = TransactGetItems::new(vec![
                    TransactGet::new(a.clone(), key("balance")),
                    TransactGet::new(b.clone(), key("balance")),
                ]);
                let items = match backend.transact_get_items(request).await {
                    Ok(output) => output.items,
                    Err(Error::TransactionCanceled { reasons, .. })
                        if reasons.iter().any(|r| r.code == "TransactionConflict") =>
                    {
                        continue;
                    }
                    Err(err) => panic!("{err:?}"),
                };
                assert_eq!(
                    count_of(&items[0]) + count_of(&items[1]),
                    UNITS,
                    "a transaction was seen half done: {items:?}"
                );
                reads += 1;
                tokio::task::yield_now().await;
            }
            reads
        }));
    }
    let mut reads = 0;
    for handle in handles {
        reads += handle.await.unwrap();
    }
    assert!(reads > 0);
    let consistent = |table: &str| GetItem::new(table, key("balance")).consistent_read(true);
    let a_count = count_of(&backend.get_item(consistent(&a)).await.unwrap().item);
    let b_count = count_of(&backend.get_item(consistent(&b)).await.unwrap().item);
    assert_eq!(a_count + b_count, UNITS);
    // Writers 0 and 2 moved 25 each to B, writers 1 and 3 one to B then 24 back.
    assert_eq!(b_count, 2 * 25 + 2 * (1 - 24));
}

/// A clock that, once armed, holds the first caller of `now` until released: called by a
/// write with its tables locked (the write's instant), it holds the write in progress.
#[derive(Clone)]
struct HoldingClock {
    armed: Arc<AtomicBool>,
    entered: Arc<Mutex<mpsc::Sender<()>>>,
    release: Arc<Mutex<mpsc::Receiver<()>>>,
}

impl fmt::Debug for HoldingClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HoldingClock")
    }
}

impl Clock for HoldingClock {
    fn now(&self) -> SystemTime {
        if self.armed.swap(false, Ordering::SeqCst) {
            self.entered.lock().unwrap().send(()).unwrap();
            self.release.lock().unwrap().recv().unwrap();
        }
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }
}

fn reads_of_a_do_not_wait_for_writes_of_b() {
    let (entered_tx, entered) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let clock = HoldingClock {
        armed: Arc::new(AtomicBool::new(false)),
        entered: Arc::new(Mutex::new(entered_tx)),
        release: Arc::new(Mutex::new(release_rx)),
    };
    let backend = MemoryBackend::builder().clock(clock.clone()).build();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    runtime.block_on(async {
        create(&backend, "table-a", 1).await;
        create(&backend, "table-b", 1).await;
    });
    clock.armed.store(true, Ordering::SeqCst);
    // The write of B, held inside its critical section by the clock.
    let writer = {
        let backend = backend.clone();
        std::thread::spawn(move || {
            let mut item = key("balance");
            item.insert("count".into(), AttributeValue::N("2".into()));
            futures::executor::block_on(backend.put_item(PutItem::new("table-b", item))).unwrap();
        })
    };
    entered.recv().unwrap();
    // Now B's write is in progress: a read of A, a write of A and a query of A complete.
    let (read_tx, read) = mpsc::channel();
    let reader = {
        let backend = backend.clone();
        std::thread::spawn(move || {
            let get = GetItem::new("table-a", key("balance")).consistent_read(true);
            let item = futures::executor::block_on(backend.get_item(get))
                .unwrap()
                .item;
            let mut written = key("balance");
            written.insert("count".into(), AttributeValue::N("3".into()));
            futures::executor::block_on(backend.put_item(PutItem::new("table-a", written)))
                .unwrap();
            read_tx.send(count_of(&item)).unwrap();
        })
    };
    // Waiting for the read is bounded only so that a failure (the read blocked behind B's
    // write, as with one lock for every table) reports instead of hanging: on success the
    // read completes while B's write is still held, whatever the timing.
    let outcome = read.recv_timeout(Duration::from_secs(10));
    release.send(()).unwrap();
    writer.join().unwrap();
    reader.join().unwrap();
    assert_eq!(
        outcome,
        Ok(1),
        "the read of table a waited for the write of table b"
    );
}

/// Writers put items keyed by `id` alone while the table is deleted and created again, every
/// other time with a sort key `at` too. A put checked against the first definition and stored
/// in the second would leave an item without its sort key: every item of a table with a sort
/// key must have one (the writers never write `at`, so such a table stays empty).
fn puts_race_a_table_recreated_with_another_key() {
    const ROUNDS: usize = 400;
    let backend = MemoryBackend::new();
    let schema = |sorted: bool| KeySchema {
        partition_key: KeyAttribute::new("id", ScalarType::S),
        sort_key: sorted.then(|| KeyAttribute::new("at", ScalarType::N)),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let create = |sorted: bool| CreateTable::new("race", schema(sorted));
        backend.create_table(create(false)).await.unwrap();
        let done = Arc::new(AtomicBool::new(false));
        let stored = Arc::new(AtomicUsize::new(0));
        let writers: Vec<_> = (0..3)
            .map(|w| {
                let (backend, done, stored) = (backend.clone(), done.clone(), stored.clone());
                tokio::spawn(async move {
                    let mut i = 0;
                    while !done.load(Ordering::SeqCst) {
                        let mut item = key(&format!("{w}-{i}"));
                        item.insert("count".into(), AttributeValue::N(i.to_string()));
                        // Refused while the table is missing or has a sort key: expected.
                        if backend.put_item(PutItem::new("race", item)).await.is_ok() {
                            stored.fetch_add(1, Ordering::SeqCst);
                        }
                        i += 1;
                        tokio::task::yield_now().await;
                    }
                })
            })
            .collect();
        for round in 0..ROUNDS {
            let sorted = round % 2 == 0;
            backend
                .delete_table(DeleteTable::new("race"))
                .await
                .unwrap();
            backend.create_table(create(sorted)).await.unwrap();
            tokio::task::yield_now().await;
            if sorted {
                let page = backend.scan(Scan::new("race")).await.unwrap();
                let unsorted: Vec<_> = page
                    .items
                    .iter()
                    .filter(|item| !item.contains_key("at"))
                    .collect();
                assert!(
                    unsorted.is_empty(),
                    "items without the sort key in a table that has one: {unsorted:?}"
                );
            } else {
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        }
        done.store(true, Ordering::SeqCst);
        for writer in writers {
            writer.await.unwrap();
        }
        assert!(stored.load(Ordering::SeqCst) > 0, "no put ever landed");
    });
}
