//! `Note` to item map and back: the SDK's generated conversion against hand-written
//! `AttributeValue` code (the floor), plain serde_dynamo, and the SDK's serde path; and an
//! entity of a shared table (keys and an overloaded index computed by templates) against
//! hand-written code that formats and parses the same keys.
//!
//! `cargo bench -p notes-benches --bench conversion`

mod support;

use std::hint::black_box;
use std::time::SystemTime;

use notes_repo::{Item, ItemMap, Note, PrimaryKey};
use support::Row;
use support::hand_written::{
    self, EntityNote, EntityNoteKey, EntityNotePartition, hand_entity_from_item, hand_entity_key,
    hand_entity_to_item, hand_from_item, hand_to_item,
};

fn main() {
    if !support::benchmarking() {
        return;
    }
    let since = SystemTime::now();
    let mut criterion = support::criterion();
    let note = hand_written::note_with_attachment();
    let map = note.to_item().expect("to_item");
    assert_eq!(map, hand_to_item(&note));
    assert_eq!(
        map,
        serde_dynamo::to_item::<_, ItemMap>(&note).expect("serde_dynamo")
    );
    assert_eq!(hand_from_item(map.clone()).expect("hand"), note);

    let entity = hand_written::entity();
    let entity_map = entity.to_item().expect("to_item");
    assert_eq!(entity_map, hand_entity_to_item(&entity).expect("hand"));
    assert_eq!(
        hand_entity_from_item(entity_map.clone()).expect("hand"),
        entity
    );
    assert_eq!(
        entity.key().to_key_map(),
        hand_entity_key(&entity.user_id, &entity.created_at, &entity.note_id)
    );

    let mut group = criterion.benchmark_group("conversion");
    // One request's conversion work for an entity: the key of a get (partition value
    // rendered, key map), the item written, the item read back.
    group.bench_function("entity_sdk", |b| {
        b.iter(|| {
            let note = black_box(&entity);
            let partition = EntityNotePartition::new(note.user_id.as_str()).render();
            let key = EntityNoteKey::new(
                note.user_id.as_str(),
                note.created_at.as_str(),
                note.note_id.as_str(),
            )
            .to_key_map();
            let back = EntityNote::from_item(note.to_item().unwrap()).unwrap();
            (partition, key, back)
        })
    });
    group.bench_function("entity_hand_written", |b| {
        b.iter(|| {
            let note = black_box(&entity);
            let partition = format!("USER#{}", note.user_id);
            let key = hand_entity_key(&note.user_id, &note.created_at, &note.note_id);
            let back = hand_entity_from_item(hand_entity_to_item(note).unwrap()).unwrap();
            (partition, key, back)
        })
    });
    group.bench_function("round_trip_sdk", |b| {
        b.iter(|| Note::from_item(black_box(&note).to_item().unwrap()).unwrap())
    });
    group.bench_function("round_trip_hand_written", |b| {
        b.iter(|| hand_from_item(hand_to_item(black_box(&note))).unwrap())
    });
    group.bench_function("round_trip_serde_dynamo", |b| {
        b.iter(|| {
            let item: ItemMap = serde_dynamo::to_item(black_box(&note)).unwrap();
            serde_dynamo::from_item::<_, Note>(item).unwrap()
        })
    });
    group.bench_function("round_trip_sdk_serde_path", |b| {
        b.iter(|| {
            let item = notes_repo::to_item_map(black_box(&note)).unwrap();
            notes_repo::from_item_map::<Note>(item, &Note::KEY_SCHEMA).unwrap()
        })
    });
    group.bench_function("to_item_sdk", |b| {
        b.iter(|| black_box(&note).to_item().unwrap())
    });
    group.bench_function("to_item_hand_written", |b| {
        b.iter(|| hand_to_item(black_box(&note)))
    });
    group.bench_function("from_item_sdk", |b| {
        b.iter_batched(
            || map.clone(),
            |m| Note::from_item(m).unwrap(),
            criterion::BatchSize::SmallInput,
        )
    });
    group.bench_function("from_item_hand_written", |b| {
        b.iter_batched(
            || map.clone(),
            |m| hand_from_item(m).unwrap(),
            criterion::BatchSize::SmallInput,
        )
    });
    group.finish();
    criterion.final_summary();

    support::report(
        "conversion (Note with attachment, 5 attributes)",
        &[
            Row::new(
                "round trip: SDK (generated direct conversion)",
                "conversion/round_trip_sdk",
                "conversion/round_trip_hand_written",
            ),
            Row::new(
                "round trip: serde_dynamo alone",
                "conversion/round_trip_serde_dynamo",
                "conversion/round_trip_hand_written",
            ),
            Row::new(
                "round trip: SDK serde path (before)",
                "conversion/round_trip_sdk_serde_path",
                "conversion/round_trip_hand_written",
            ),
            Row::new(
                "to_item: SDK",
                "conversion/to_item_sdk",
                "conversion/to_item_hand_written",
            ),
            Row::new(
                "from_item: SDK",
                "conversion/from_item_sdk",
                "conversion/from_item_hand_written",
            ),
            Row::new(
                "templated entity: partition render, key map, to_item + from_item (pk, sk, gsi1)",
                "conversion/entity_sdk",
                "conversion/entity_hand_written",
            ),
        ],
        since,
    );
}
