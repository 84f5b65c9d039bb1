//! The conversion and MemoryBackend rows counted in instructions under valgrind's callgrind
//! (gungraun): one call of each case and of its baseline, each in its own process, setup not
//! counted. Instruction counts do not move with the machine's load, so these ratios repeat on a
//! busy shared machine where the wall-clock rows (`conversion`, `memory_backend`) do not.
//!
//! Needs valgrind and the runner of the same version as the `gungraun` dev-dependency:
//! `cargo install gungraun-runner --version 0.20.0 --locked`, then
//! `cargo bench -p notes-benches --bench callgrind`.
//!
//! Each group compares by id: `sdk_to_item` against `hand_written_to_item`, and so on; the
//! ratio of a row is the case's `Ir` over its baseline's.

// gungraun's macros generate public modules, constants and functions without docs.
#![allow(missing_docs)]

mod support;

use std::collections::BTreeMap;
use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group};
use notes_repo::expr::KeyCondition;
use notes_repo::request::{CreateTable, GetItem, PageOutput, PutItem, Query};
use notes_repo::{AttributeValue, Backend, Item, ItemMap, MemoryBackend, Note, Repo};
use support::hand_written::{
    self, EntityNote, EntityNoteKey, EntityNotePartition, hand_entity_from_item, hand_entity_key,
    hand_entity_to_item, hand_from_item, hand_to_item,
};
use support::{note, ready};

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

/// gungraun's harness: `main` spawns `gungraun-runner`, which runs this binary again under
/// valgrind with `--gungraun-run`.
mod harness {
    use super::{conversion, memory_backend};

    gungraun::main!(library_benchmark_groups = conversion, memory_backend);

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
