//! What opt-in throughput enforcement and the replica-lag mode cost MemoryBackend on get and
//! put (targets: off within noise of the BTreeMap-floor ratios recorded before they existed;
//! enforcement on at most 10 % over off), as paired, interleaved A/B rounds (median ratio
//! with a 95 % bootstrap interval, `support/paired.rs`), on 10^4 notes of 100 users.
//!
//! `cargo bench -p notes-benches --bench throughput`

mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use notes_repo::request::{BillingMode, CreateTable, GetItem, PutItem};
use notes_repo::{Backend, Item, ItemMap, MemoryBackend, Note, PrimaryKey};
use support::{note, paired, ready};

const TABLE: &str = "notes";
const USERS: usize = 100;
const NOTES_PER_USER: usize = 100;
const ROUNDS: usize = 41;
const ITERATIONS: usize = 20_000;

/// A loaded notes table: on demand, or provisioned so high it never throttles (every
/// request still goes through the buckets).
fn loaded(backend: MemoryBackend, billing_mode: BillingMode) -> MemoryBackend {
    let create = CreateTable::new(TABLE, Note::KEY_SCHEMA).billing_mode(billing_mode);
    ready(backend.create_table(create)).unwrap();
    for u in 0..USERS {
        for i in 0..NOTES_PER_USER {
            let item = note(u, i).to_item().unwrap();
            ready(backend.put_item(PutItem::new(TABLE, item))).unwrap();
        }
    }
    backend
}

fn main() {
    if !support::benchmarking() {
        return;
    }
    let provisioned = BillingMode::Provisioned {
        read_capacity_units: 1_000_000_000,
        write_capacity_units: 1_000_000_000,
    };
    let off = loaded(MemoryBackend::new(), provisioned);
    let off2 = loaded(MemoryBackend::new(), provisioned);
    let on = loaded(
        MemoryBackend::builder().enforce_throughput(true).build(),
        provisioned,
    );
    let lagging = loaded(
        MemoryBackend::builder()
            .replica_lag(Duration::from_secs(1))
            .build(),
        provisioned,
    );
    let mut floor: BTreeMap<(String, String), ItemMap> = BTreeMap::new();
    for u in 0..USERS {
        for i in 0..NOTES_PER_USER {
            let note = note(u, i);
            floor.insert(
                (note.user_id.clone(), note.note_id.clone()),
                note.to_item().unwrap(),
            );
        }
    }

    let target = note(USERS / 2, NOTES_PER_USER / 2);
    let key_map = target.key().to_key_map();
    let item = target.to_item().unwrap();
    let get = |backend: &MemoryBackend| {
        ready(backend.get_item(GetItem::new(TABLE, key_map.clone())))
            .unwrap()
            .item
            .unwrap()
    };
    let put = |backend: &MemoryBackend| {
        ready(backend.put_item(PutItem::new(TABLE, item.clone()))).unwrap()
    };
    let floor_key = (target.user_id.clone(), target.note_id.clone());

    println!("\n## Throughput enforcement and replica lag (n = 10^4)\n");
    println!("| case (B vs A) | median ratio B/A (95 % CI, rounds) |");
    println!("| --- | --- |");
    let row = |label: &str, result: paired::Paired| println!("| {label} | {result} |");
    row(
        "get: MemoryBackend (enforcement off) vs BTreeMap",
        paired::compare(
            ROUNDS,
            ITERATIONS,
            || floor.get(&floor_key).cloned().unwrap(),
            || get(&off),
        ),
    );
    row(
        "get: off vs the same backend (the harness's own noise)",
        paired::compare(ROUNDS, ITERATIONS, || get(&off), || get(&off)),
    );
    row(
        "get: off vs a second off backend loaded the same way",
        paired::compare(ROUNDS, ITERATIONS, || get(&off), || get(&off2)),
    );
    row(
        "get: enforcement on vs off",
        paired::compare(ROUNDS, ITERATIONS, || get(&off), || get(&on)),
    );
    row(
        "get: replica lag 1 s (no recent writes) vs off",
        paired::compare(ROUNDS, ITERATIONS, || get(&off), || get(&lagging)),
    );
    let mut floor_mut = floor.clone();
    row(
        "put: MemoryBackend (enforcement off) vs BTreeMap",
        paired::compare(
            ROUNDS,
            ITERATIONS,
            || floor_mut.insert(floor_key.clone(), item.clone()),
            || put(&off),
        ),
    );
    row(
        "put: enforcement on vs off",
        paired::compare(ROUNDS, ITERATIONS, || put(&off), || put(&on)),
    );
    row(
        "put: replica lag 1 s vs off",
        paired::compare(ROUNDS, ITERATIONS, || put(&off), || put(&lagging)),
    );
}
