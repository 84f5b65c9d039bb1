//! MemoryBackend under concurrent tasks: 1, 2, 8 and 64 tasks on a multi-thread tokio
//! runtime (2 worker threads), each doing a share of the same fixed mix of operations
//! (per 10: 5 `GetItem`, 3 `PutItem` overwriting a note, 2 `Query` of one user's notes).
//!
//! Scenarios:
//! - `many`: one table, 1000 users of 10 notes, a random user per operation;
//! - `hot`: one table, every operation on one user's 10 notes;
//! - `tables`: four tables of 1000 users each, task `t` on table `t % 4` (with one task, the
//!   one task cycles through the four tables).
//!
//! The floor does the same work on a plain concurrent structure: one
//! `std::sync::RwLock<BTreeMap<(userId, noteId), ItemMap>>` per table, items cloned the way
//! MemoryBackend answers them (a get clones one item, a query the user's 10, a put stores a
//! clone of the item). Each round times the backend and the floor back to back (alternating
//! which goes first); the report is the median over the rounds of ops/s, as ratios against the
//! single-task run of the same implementation and against the floor at the same task count.
//!
//! `cargo bench -p notes-benches --bench concurrency`
//! (`NOTES_BENCH_ROUNDS=15` for more rounds; default 7)

mod support;

use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use notes_repo::expr::KeyCondition;
use notes_repo::request::{CreateTable, GetItem, PutItem, Query};
use notes_repo::{AttributeValue, Item, ItemMap, Note};
use notes_repo::{Backend, MemoryBackend};
use support::{note, user};

const USERS: usize = 1000;
const NOTES_PER_USER: usize = 10;
const TABLES: usize = 4;
/// Operations per run, shared out among the tasks.
const OPERATIONS: usize = 64_000;
/// Each task yields to the scheduler this often, so tasks interleave as requests do.
const YIELD_EVERY: usize = 16;
const TASKS: [usize; 4] = [1, 2, 8, 64];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scenario {
    Many,
    Hot,
    Tables,
}

impl Scenario {
    fn name(self) -> &'static str {
        match self {
            Scenario::Many => "many users, one table",
            Scenario::Hot => "one hot user",
            Scenario::Tables => "many users, four tables",
        }
    }
}

fn table_name(t: usize) -> String {
    format!("notes-{t}")
}

/// The same items for both implementations: `items[u][i]` is note `i` of user `u`.
fn items() -> Vec<Vec<ItemMap>> {
    (0..USERS)
        .map(|u| {
            (0..NOTES_PER_USER)
                .map(|i| note(u, i).to_item().unwrap())
                .collect()
        })
        .collect()
}

fn key_of(item: &ItemMap) -> ItemMap {
    ["userId", "noteId"]
        .into_iter()
        .map(|name| (name.to_owned(), item[name].clone()))
        .collect()
}

fn s(item: &ItemMap, name: &str) -> String {
    match &item[name] {
        AttributeValue::S(s) => s.clone(),
        other => panic!("{name} is {other:?}"),
    }
}

/// One operation of the mix: which table, user, note and kind.
#[derive(Clone, Copy)]
enum Op {
    Get,
    Put,
    Query,
}

/// A deterministic pseudo-random sequence per task (xorshift).
struct Picks(u64);

impl Picks {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
}

fn op_at(n: usize) -> Op {
    match n % 10 {
        0..=4 => Op::Get,
        5..=7 => Op::Put,
        _ => Op::Query,
    }
}

/// The plain concurrent structure: one locked `BTreeMap` per table.
type Floor = Arc<Vec<RwLock<BTreeMap<(String, String), ItemMap>>>>;

struct Work {
    scenario: Scenario,
    items: Arc<Vec<Vec<ItemMap>>>,
    keys: Arc<Vec<Vec<ItemMap>>>,
}

impl Work {
    /// Table, user and note of the `n`-th operation of task `task` of `tasks`.
    fn pick(
        &self,
        task: usize,
        tasks: usize,
        n: usize,
        picks: &mut Picks,
    ) -> (usize, usize, usize) {
        let table = match (self.scenario, tasks) {
            (Scenario::Tables, 1) => n % TABLES,
            (Scenario::Tables, _) => task % TABLES,
            _ => 0,
        };
        let user = match self.scenario {
            Scenario::Hot => 0,
            _ => picks.next() % USERS,
        };
        (table, user, picks.next() % NOTES_PER_USER)
    }
}

async fn run_backend(work: Arc<Work>, backend: MemoryBackend, tasks: usize) -> f64 {
    let names: Arc<Vec<String>> = Arc::new((0..TABLES).map(table_name).collect());
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|task| {
            let work = Arc::clone(&work);
            let backend = backend.clone();
            let names = Arc::clone(&names);
            tokio::spawn(async move {
                let mut picks = Picks(0x9E37_79B9_7F4A_7C15 ^ (task as u64 + 1));
                for n in 0..OPERATIONS / tasks {
                    let (t, u, i) = work.pick(task, tasks, n, &mut picks);
                    let table = &names[t];
                    match op_at(n) {
                        Op::Get => {
                            let get = GetItem::new(table.clone(), work.keys[u][i].clone());
                            black_box(backend.get_item(get).await.unwrap());
                        }
                        Op::Put => {
                            let put = PutItem::new(table.clone(), work.items[u][i].clone());
                            black_box(backend.put_item(put).await.unwrap());
                        }
                        Op::Query => {
                            let condition = KeyCondition::partition(
                                "userId",
                                work.keys[u][0]["userId"].clone(),
                            );
                            let page = backend
                                .query(Query::new(table.clone(), condition))
                                .await
                                .unwrap();
                            assert_eq!(page.items.len(), NOTES_PER_USER);
                            black_box(page);
                        }
                    }
                    if n % YIELD_EVERY == YIELD_EVERY - 1 {
                        tokio::task::yield_now().await;
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await.unwrap();
    }
    OPERATIONS as f64 / started.elapsed().as_secs_f64()
}

async fn run_floor(work: Arc<Work>, floor: Floor, tasks: usize) -> f64 {
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|task| {
            let work = Arc::clone(&work);
            let floor = Arc::clone(&floor);
            tokio::spawn(async move {
                let mut picks = Picks(0x9E37_79B9_7F4A_7C15 ^ (task as u64 + 1));
                for n in 0..OPERATIONS / tasks {
                    let (t, u, i) = work.pick(task, tasks, n, &mut picks);
                    let table = &floor[t];
                    let item = &work.items[u][i];
                    match op_at(n) {
                        Op::Get => {
                            let key = (s(item, "userId"), s(item, "noteId"));
                            let map = table.read().unwrap();
                            black_box(map.get(&key).cloned());
                        }
                        Op::Put => {
                            let key = (s(item, "userId"), s(item, "noteId"));
                            let stored = item.clone();
                            black_box(table.write().unwrap().insert(key, stored));
                        }
                        Op::Query => {
                            let user_id = s(item, "userId");
                            let map = table.read().unwrap();
                            let page: Vec<ItemMap> = map
                                .range((user_id.clone(), String::new())..)
                                .take_while(|((pk, _), _)| *pk == user_id)
                                .map(|(_, item)| item.clone())
                                .collect();
                            assert_eq!(page.len(), NOTES_PER_USER);
                            black_box(page);
                        }
                    }
                    if n % YIELD_EVERY == YIELD_EVERY - 1 {
                        tokio::task::yield_now().await;
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await.unwrap();
    }
    OPERATIONS as f64 / started.elapsed().as_secs_f64()
}

async fn setup(items: &[Vec<ItemMap>]) -> (MemoryBackend, Floor) {
    let backend = MemoryBackend::new();
    let mut floor = Vec::new();
    for t in 0..TABLES {
        backend
            .create_table(CreateTable::new(table_name(t), Note::KEY_SCHEMA))
            .await
            .unwrap();
        let mut map = BTreeMap::new();
        for item in items.iter().flatten() {
            backend
                .put_item(PutItem::new(table_name(t), item.clone()))
                .await
                .unwrap();
            map.insert((s(item, "userId"), s(item, "noteId")), item.clone());
        }
        floor.push(RwLock::new(map));
    }
    (backend, Arc::new(floor))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    if !support::benchmarking() {
        return;
    }
    let rounds: usize = std::env::var("NOTES_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(7);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let items = Arc::new(items());
    let keys = Arc::new(
        items
            .iter()
            .map(|notes| notes.iter().map(key_of).collect())
            .collect::<Vec<Vec<_>>>(),
    );
    let (backend, floor) = runtime.block_on(setup(&items));
    assert_eq!(user(0), s(&items[0][0], "userId"));
    // `NOTES_BENCH_PROFILE=hot:2` (a scenario, many / hot / tables, and a task count) runs
    // only MemoryBackend's side of that cell for 15 s, for a profiler.
    if let Ok(case) = std::env::var("NOTES_BENCH_PROFILE") {
        let (name, tasks) = case
            .split_once(':')
            .expect("NOTES_BENCH_PROFILE=<scenario>:<tasks>");
        let scenario = match name {
            "many" => Scenario::Many,
            "hot" => Scenario::Hot,
            "tables" => Scenario::Tables,
            other => panic!("NOTES_BENCH_PROFILE: no scenario {other}"),
        };
        let tasks: usize = tasks.parse().expect("a task count");
        let work = Arc::new(Work {
            scenario,
            items: Arc::clone(&items),
            keys: Arc::clone(&keys),
        });
        let started = std::time::Instant::now();
        let mut runs = 0;
        while started.elapsed().as_secs() < 15 {
            runtime.block_on(run_backend(Arc::clone(&work), backend.clone(), tasks));
            runs += 1;
        }
        eprintln!(
            "{case}: {runs} runs of {OPERATIONS} operations in {:.1?}",
            started.elapsed()
        );
        return;
    }
    println!(
        "\n## Concurrency: {OPERATIONS} operations (5 get, 3 put, 2 query per 10), \
         2 worker threads, median of {rounds} rounds\n"
    );
    println!(
        "| scenario | tasks | MemoryBackend ops/s | vs 1 task | floor ops/s | floor vs 1 task \
         | MemoryBackend / floor |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for scenario in [Scenario::Many, Scenario::Hot, Scenario::Tables] {
        let work = Arc::new(Work {
            scenario,
            items: Arc::clone(&items),
            keys: Arc::clone(&keys),
        });
        let mut single = None;
        for tasks in TASKS {
            let mut ours = Vec::new();
            let mut theirs = Vec::new();
            for round in 0..rounds {
                let a = || run_backend(Arc::clone(&work), backend.clone(), tasks);
                let b = || run_floor(Arc::clone(&work), Arc::clone(&floor), tasks);
                if round % 2 == 0 {
                    ours.push(runtime.block_on(a()));
                    theirs.push(runtime.block_on(b()));
                } else {
                    theirs.push(runtime.block_on(b()));
                    ours.push(runtime.block_on(a()));
                }
            }
            let (ours, theirs) = (median(ours), median(theirs));
            let (one_ours, one_theirs) = *single.get_or_insert((ours, theirs));
            println!(
                "| {} | {tasks} | {ours:.0} | {:.2}x | {theirs:.0} | {:.2}x | {:.2}x |",
                scenario.name(),
                ours / one_ours,
                theirs / one_theirs,
                ours / theirs,
            );
        }
    }
}
