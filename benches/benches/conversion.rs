//! `Note` to item map and back: the SDK's generated conversion against hand-written
//! `AttributeValue` code (the floor), plain serde_dynamo, and the SDK's serde path.
//!
//! `cargo bench -p notes-benches --bench conversion`

mod support;

use std::hint::black_box;
use std::time::SystemTime;

use notes_repo::{AttributeValue, Item, ItemMap, Note};
use support::Row;

/// The floor: what a careful developer writes by hand for `Note`.
fn hand_to_item(note: &Note) -> ItemMap {
    let mut item = ItemMap::with_capacity(5);
    item.insert("userId".to_owned(), AttributeValue::S(note.user_id.clone()));
    item.insert("noteId".to_owned(), AttributeValue::S(note.note_id.clone()));
    item.insert(
        "content".to_owned(),
        AttributeValue::S(note.content.clone()),
    );
    if let Some(attachment) = &note.attachment {
        item.insert(
            "attachment".to_owned(),
            AttributeValue::S(attachment.clone()),
        );
    }
    item.insert(
        "createdAt".to_owned(),
        AttributeValue::N(note.created_at.to_string()),
    );
    item
}

fn hand_from_item(mut item: ItemMap) -> Result<Note, String> {
    fn string(item: &mut ItemMap, name: &str) -> Result<String, String> {
        match item.remove(name) {
            Some(AttributeValue::S(s)) => Ok(s),
            _ => Err(format!("attribute {name}: expected a string")),
        }
    }
    let attachment = match item.remove("attachment") {
        Some(AttributeValue::S(s)) => Some(s),
        None | Some(AttributeValue::Null(true)) => None,
        Some(_) => return Err("attribute attachment: expected a string".to_owned()),
    };
    let created_at = match item.remove("createdAt") {
        Some(AttributeValue::N(n)) => n.parse().map_err(|e| format!("createdAt: {e}"))?,
        _ => return Err("attribute createdAt: expected a number".to_owned()),
    };
    Ok(Note {
        user_id: string(&mut item, "userId")?,
        note_id: string(&mut item, "noteId")?,
        content: string(&mut item, "content")?,
        attachment,
        created_at,
    })
}

fn main() {
    if !support::benchmarking() {
        return;
    }
    let since = SystemTime::now();
    let mut criterion = support::criterion();
    let note = Note::new(
        "us-east-1:0d1b2c3a-4e5f-6789-abcd-ef0123456789",
        "Buy milk, eggs and bread on the way home; call the plumber about the kitchen sink.",
    )
    .with_attachment("shopping-list.png");
    let map = note.to_item().expect("to_item");
    assert_eq!(map, hand_to_item(&note));
    assert_eq!(
        map,
        serde_dynamo::to_item::<_, ItemMap>(&note).expect("serde_dynamo")
    );
    assert_eq!(hand_from_item(map.clone()).expect("hand"), note);

    let mut group = criterion.benchmark_group("conversion");
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
        ],
        since,
    );
}
