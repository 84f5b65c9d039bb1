//! The conversion and MemoryBackend rows counted in instructions under valgrind's callgrind
//! (gungraun): one call of each case and of its baseline, each in its own process, setup not
//! counted. Instruction counts do not move with the machine's load, so these ratios repeat on a
//! busy shared machine where the wall-clock rows (`conversion`, `memory_backend`) do not.
//!
//! Needs valgrind and the runner of the same version as the `gungraun` dev-dependency:
//! `cargo install gungraun-runner --version 0.20.0 --locked`, then
//! `cargo bench -p notes-benches --bench callgrind`.
//!
//! The `end_to_end` group counts the client's side of the typed `Repo` on `DynamoDbBackend` and
//! of the same requests made with the raw SDK (`support/raw_sdk.rs`), against dynoxide's HTTP
//! server started in-process on other threads, whose work is not counted.
//!
//! Each group compares by id: `sdk_to_item` against `hand_written_to_item`, and so on; the
//! ratio of a row is the case's `Ir` over its baseline's.

// gungraun's macros generate public modules, constants and functions without docs.
#![allow(missing_docs)]

mod support;

use std::collections::BTreeMap;
use std::future::IntoFuture;
use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group};
use notes_repo::expr::KeyCondition;
use notes_repo::request::{CreateTable, GetItem, PageOutput, PutItem, Query};
use notes_repo::{
    AttributeValue, Backend, DynamoDbBackend, Item, ItemMap, MemoryBackend, Note, Repo,
};
use support::hand_written::{
    self, EntityNote, EntityNoteKey, EntityNotePartition, hand_entity_from_item, hand_entity_key,
    hand_entity_to_item, hand_from_item, hand_to_item,
};
use support::{note, raw_sdk, ready};

const TABLE: &str = "notes";
const NOTES_PER_USER: usize = 100;
/// The table size of the get, put and query rows (the n = 10^5).
const ITEMS: usize = 100_000;

// ---- conversion: `Note` with an attachment, and the templated entity ----

fn note_item() -> (Note, ItemMap) {
    let note = hand_written::note_with_attachment();
    let item = note.to_item().unwrap();
    assert_eq!(item, hand_to_item(&note));
    (note, item)
}

#[library_benchmark]
#[bench::to_item(setup = note_item)]
fn sdk_to_item((note, _): (Note, ItemMap)) -> (Note, ItemMap) {
    let item = black_box(&note).to_item().unwrap();
    (note, black_box(item))
}

#[library_benchmark]
#[bench::to_item(setup = note_item)]
fn hand_written_to_item((note, _): (Note, ItemMap)) -> (Note, ItemMap) {
    let item = hand_to_item(black_box(&note));
    (note, black_box(item))
}

#[library_benchmark]
#[bench::from_item(setup = note_item)]
fn sdk_from_item((_, item): (Note, ItemMap)) -> Note {
    black_box(Note::from_item(black_box(item)).unwrap())
}

#[library_benchmark]
#[bench::from_item(setup = note_item)]
fn hand_written_from_item((_, item): (Note, ItemMap)) -> Note {
    black_box(hand_from_item(black_box(item)).unwrap())
}

#[library_benchmark]
#[bench::round_trip(setup = note_item)]
fn sdk_round_trip((note, _): (Note, ItemMap)) -> (Note, Note) {
    let back = Note::from_item(black_box(&note).to_item().unwrap()).unwrap();
    (note, black_box(back))
}

#[library_benchmark]
#[bench::round_trip(setup = note_item)]
fn hand_written_round_trip((note, _): (Note, ItemMap)) -> (Note, Note) {
    let back = hand_from_item(hand_to_item(black_box(&note))).unwrap();
    (note, black_box(back))
}

fn entity() -> EntityNote {
    let entity = hand_written::entity();
    assert_eq!(
        entity.to_item().unwrap(),
        hand_entity_to_item(&entity).unwrap()
    );
    entity
}

// One request's conversion work for an entity: the partition value rendered, the key map, the
// item written and read back.
#[library_benchmark]
#[bench::entity(setup = entity)]
fn sdk_entity(entity: EntityNote) -> (EntityNote, String, ItemMap, EntityNote) {
    let note = black_box(&entity);
    let partition = EntityNotePartition::new(note.user_id.as_str()).render();
    let key = notes_repo::PrimaryKey::to_key_map(&EntityNoteKey::new(
        note.user_id.as_str(),
        note.created_at.as_str(),
        note.note_id.as_str(),
    ));
    let back = EntityNote::from_item(note.to_item().unwrap()).unwrap();
    black_box((entity, partition, key, back))
}

#[library_benchmark]
#[bench::entity(setup = entity)]
fn hand_written_entity(entity: EntityNote) -> (EntityNote, String, ItemMap, EntityNote) {
    let note = black_box(&entity);
    let partition = format!("USER#{}", note.user_id);
    let key = hand_entity_key(&note.user_id, &note.created_at, &note.note_id);
    let back = hand_entity_from_item(hand_entity_to_item(note).unwrap()).unwrap();
    black_box((entity, partition, key, back))
}

library_benchmark_group!(
    name = conversion;
    compare_by_id = true;
    benchmarks = hand_written_to_item, sdk_to_item, hand_written_from_item, sdk_from_item,
        hand_written_round_trip, sdk_round_trip, hand_written_entity, sdk_entity
);

// ---- MemoryBackend get, put and query of one user's 100 notes among 10^5, and the floor ----

/// The floor of `memory_backend`: a `BTreeMap` doing the same lookups and clones.
type Floor = BTreeMap<(String, String), ItemMap>;

/// What a case works on: leaked, so that dropping 10^5 items is never counted.
struct Table<S: 'static> {
    store: &'static mut S,
    target: Note,
    item: ItemMap,
}

fn items() -> impl Iterator<Item = (Note, ItemMap)> {
    (0..ITEMS / NOTES_PER_USER).flat_map(|u| {
        (0..NOTES_PER_USER).map(move |i| {
            let note = note(u, i);
            let item = note.to_item().unwrap();
            (note, item)
        })
    })
}

fn target() -> (Note, ItemMap) {
    let target = note(ITEMS / NOTES_PER_USER / 2, NOTES_PER_USER / 2);
    let item = target.to_item().unwrap();
    (target, item)
}

fn floor_query(floor: &Floor, user_id: &str) -> Vec<ItemMap> {
    floor
        .range((user_id.to_owned(), String::new())..)
        .take_while(|((pk, _), _)| pk == user_id)
        .map(|(_, item)| item.clone())
        .collect()
}

/// The floor filled, and each operation once, so no case counts a first call's work.
fn floor() -> Table<Floor> {
    let mut floor = Floor::new();
    for (note, item) in items() {
        floor.insert((note.user_id, note.note_id), item);
    }
    let (target, item) = target();
    floor.insert(
        (target.user_id.clone(), target.note_id.clone()),
        item.clone(),
    );
    assert_eq!(floor_query(&floor, &target.user_id).len(), NOTES_PER_USER);
    Table {
        store: Box::leak(Box::new(floor)),
        target,
        item,
    }
}

/// The engine, and the typed `Repo` on it (built here: its clone of the backend is not the
/// query's work).
struct Memory {
    backend: MemoryBackend,
    repo: Repo<Note, MemoryBackend>,
}

fn memory() -> Table<Memory> {
    let memory = MemoryBackend::new();
    ready(memory.create_table(CreateTable::new(TABLE, Note::KEY_SCHEMA))).unwrap();
    for (_, item) in items() {
        ready(memory.put_item(PutItem::new(TABLE, item))).unwrap();
    }
    let (target, item) = target();
    ready(memory.put_item(PutItem::new(TABLE, item.clone()))).unwrap();
    let page = ready(memory.query(Query::new(
        TABLE,
        KeyCondition::partition("userId", AttributeValue::S(target.user_id.clone())),
    )))
    .unwrap();
    assert_eq!(page.items.len(), NOTES_PER_USER);
    let key = notes_repo::PrimaryKey::to_key_map(&target.key());
    assert!(
        ready(memory.get_item(GetItem::new(TABLE, key)))
            .unwrap()
            .item
            .is_some()
    );
    let repo = Repo::new(memory.clone());
    Table {
        store: Box::leak(Box::new(Memory {
            backend: memory,
            repo,
        })),
        target,
        item,
    }
}

#[library_benchmark]
#[bench::get(setup = floor)]
fn floor_get(table: Table<Floor>) -> Table<Floor> {
    let target = black_box(&table.target);
    let item = table
        .store
        .get(&(target.user_id.clone(), target.note_id.clone()))
        .cloned()
        .unwrap();
    black_box(item);
    table
}

#[library_benchmark]
#[bench::get(setup = memory)]
fn memory_backend_get(table: Table<Memory>) -> Table<Memory> {
    let key = notes_repo::PrimaryKey::to_key_map(&black_box(&table.target).key());
    let item = ready(table.store.backend.get_item(GetItem::new(TABLE, key)))
        .unwrap()
        .item
        .unwrap();
    black_box(item);
    table
}

#[library_benchmark]
#[bench::put(setup = floor)]
fn floor_put(table: Table<Floor>) -> Table<Floor> {
    let target = black_box(&table.target);
    let old = table.store.insert(
        (target.user_id.clone(), target.note_id.clone()),
        black_box(&table.item).clone(),
    );
    black_box(old);
    table
}

#[library_benchmark]
#[bench::put(setup = memory)]
fn memory_backend_put(table: Table<Memory>) -> Table<Memory> {
    let put = ready(
        table
            .store
            .backend
            .put_item(PutItem::new(TABLE, black_box(&table.item).clone())),
    )
    .unwrap();
    black_box(put);
    table
}

#[library_benchmark]
#[bench::query(setup = floor)]
fn floor_query_100(table: Table<Floor>) -> (Table<Floor>, Vec<ItemMap>) {
    let items = floor_query(table.store, black_box(&table.target.user_id));
    (table, black_box(items))
}

#[library_benchmark]
#[bench::query(setup = memory)]
fn memory_backend_query_100(table: Table<Memory>) -> (Table<Memory>, PageOutput) {
    let page = ready(table.store.backend.query(Query::new(
        TABLE,
        KeyCondition::partition(
            "userId",
            AttributeValue::S(black_box(&table.target.user_id).clone()),
        ),
    )))
    .unwrap();
    (table, black_box(page))
}

#[library_benchmark]
#[bench::query(setup = memory)]
fn typed_repo_query_100(table: Table<Memory>) -> (Table<Memory>, Vec<Note>) {
    let notes = ready(
        table
            .store
            .repo
            .query(black_box(table.target.user_id.as_str()))
            .all(),
    )
    .unwrap();
    (table, black_box(notes))
}

library_benchmark_group!(
    name = memory_backend;
    compare_by_id = true;
    benchmarks = floor_get, memory_backend_get, floor_put, memory_backend_put, floor_query_100,
        memory_backend_query_100, typed_repo_query_100
);

// ---- end to end: the typed `Repo` on `DynamoDbBackend` against the raw SDK, same server ----

/// Notes in the end-to-end table: one user's page of 100, as `end_to_end.rs` stores them.
const QUERY_NOTES: usize = 100;
const END_TO_END_USER: &str = "us-east-1:bench-user";

/// A client of the in-process server (dynoxide's, on its own threads: not counted) on a
/// current-thread runtime, so that all of the client's work, the HTTP connection's included, runs
/// on the counted thread; the table seeded and each call made once, so the counted call reuses
/// a pooled connection.
struct Remote {
    runtime: tokio::runtime::Runtime,
    client: aws_sdk_dynamodb::Client,
    repo: Repo<Note, DynamoDbBackend>,
    table: String,
    target: Note,
}

fn remote() -> &'static Remote {
    let url = notes_tests::server_support::endpoint().expect("no DynamoDB-compatible server");
    let client = notes_tests::server_support::client(&url);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let table = notes_tests::server_support::table_name("callgrind-notes");
    let repo: Repo<Note, DynamoDbBackend> =
        Repo::with_table(DynamoDbBackend::new(client.clone()), table.as_str());
    let notes: Vec<Note> = (0..QUERY_NOTES)
        .map(|i| raw_sdk::note(END_TO_END_USER, i))
        .collect();
    let target = notes[QUERY_NOTES / 2].clone();
    runtime.block_on(async {
        repo.create_table_on_demand().await.expect("create table");
        repo.batch_put(&notes).await.expect("seed");
        assert_eq!(repo.query(END_TO_END_USER).all().await.unwrap(), notes);
        let raw = raw_sdk::raw_query(&client, &table, END_TO_END_USER).await;
        assert_eq!(raw, notes);
        repo.put(&target).await.unwrap();
        raw_sdk::raw_put(&client, &table, &target).await;
        assert_eq!(
            repo.get(&target.key()).await.unwrap().as_ref(),
            Some(&target)
        );
        assert_eq!(
            raw_sdk::raw_get(&client, &table, &target.key())
                .await
                .as_ref(),
            Some(&target)
        );
    });
    Box::leak(Box::new(Remote {
        runtime,
        client,
        repo,
        table,
        target,
    }))
}

#[library_benchmark]
#[bench::get(setup = remote)]
fn raw_sdk_get(remote: &'static Remote) -> Option<Note> {
    let key = black_box(&remote.target).key();
    black_box(
        remote
            .runtime
            .block_on(raw_sdk::raw_get(&remote.client, &remote.table, &key)),
    )
}

#[library_benchmark]
#[bench::get(setup = remote)]
fn typed_sdk_get(remote: &'static Remote) -> Option<Note> {
    let key = black_box(&remote.target).key();
    black_box(
        remote
            .runtime
            .block_on(remote.repo.get(&key).into_future())
            .unwrap(),
    )
}

#[library_benchmark]
#[bench::put(setup = remote)]
fn raw_sdk_put(remote: &'static Remote) {
    remote.runtime.block_on(raw_sdk::raw_put(
        &remote.client,
        &remote.table,
        black_box(&remote.target),
    ));
}

#[library_benchmark]
#[bench::put(setup = remote)]
fn typed_sdk_put(remote: &'static Remote) {
    remote
        .runtime
        .block_on(remote.repo.put(black_box(&remote.target)).into_future())
        .unwrap();
}

#[library_benchmark]
#[bench::query(setup = remote)]
fn raw_sdk_query_100(remote: &'static Remote) -> Vec<Note> {
    let notes = remote.runtime.block_on(raw_sdk::raw_query(
        &remote.client,
        &remote.table,
        black_box(END_TO_END_USER),
    ));
    black_box(notes)
}

#[library_benchmark]
#[bench::query(setup = remote)]
fn typed_sdk_query_100(remote: &'static Remote) -> Vec<Note> {
    let notes = remote
        .runtime
        .block_on(remote.repo.query(black_box(END_TO_END_USER)).all())
        .unwrap();
    black_box(notes)
}

library_benchmark_group!(
    name = end_to_end;
    compare_by_id = true;
    benchmarks = raw_sdk_get, typed_sdk_get, raw_sdk_put, typed_sdk_put, raw_sdk_query_100,
        typed_sdk_query_100
);

/// gungraun's harness: `main` spawns `gungraun-runner`, which runs this binary again under
/// valgrind with `--gungraun-run`.
mod harness {
    use super::{conversion, end_to_end, memory_backend};

    gungraun::main!(
        library_benchmark_groups = conversion,
        memory_backend,
        end_to_end
    );

    pub(super) fn run() {
        main();
    }
}

/// Under `cargo bench` or the runner; `cargo test --all-targets` runs bench binaries without
/// `--bench`, and then this one does nothing (it must not need valgrind or the runner).
fn main() {
    if support::benchmarking() || std::env::args().nth(1).as_deref() == Some("--gungraun-run") {
        harness::run();
    }
}
