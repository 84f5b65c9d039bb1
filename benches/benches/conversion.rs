//! `Note` to item map and back: the SDK's generated conversion against hand-written
//! `AttributeValue` code (the floor), plain serde_dynamo, and the SDK's serde path; and an
//! entity of a shared table (keys and an overloaded index computed by templates) against
//! hand-written code that formats and parses the same keys.
//!
//! `cargo bench -p notes-benches --bench conversion`

mod support;

use std::hint::black_box;
use std::time::SystemTime;

use notes_repo::{AttributeValue, Item, ItemMap, Note, PrimaryKey};
use serde::{Deserialize, Serialize};
use support::Row;

/// The single-table note: keys and the overloaded index `gsi1` computed from its fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "note",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "NOTE#{created_at}#{note_id}"),
    global_index(
        name = "gsi1",
        partition_key(name = "gsi1pk", template = "TAG#{tag}"),
        sort_key(name = "gsi1sk", template = "NOTE#{created_at}#{note_id}")
    )
)]
#[serde(rename_all = "camelCase")]
struct EntityNote {
    user_id: String,
    created_at: String,
    note_id: String,
    text: String,
    tag: Option<String>,
}

/// The floor for `EntityNote`: the same attributes, keys rendered with `format!` (and the
/// same refusal of a `#` inside a component followed by `#`).
fn hand_entity_to_item(note: &EntityNote) -> Result<ItemMap, String> {
    if note.created_at.contains('#') || note.user_id.contains('#') {
        return Err("a component contains the separator".to_owned());
    }
    let mut item = ItemMap::with_capacity(10);
    item.insert(
        "pk".to_owned(),
        AttributeValue::S(format!("USER#{}", note.user_id)),
    );
    let sk = format!("NOTE#{}#{}", note.created_at, note.note_id);
    if let Some(tag) = &note.tag {
        item.insert("gsi1pk".to_owned(), AttributeValue::S(format!("TAG#{tag}")));
        item.insert("gsi1sk".to_owned(), AttributeValue::S(sk.clone()));
    }
    item.insert("sk".to_owned(), AttributeValue::S(sk));
    item.insert("_et".to_owned(), AttributeValue::S("note".to_owned()));
    item.insert("userId".to_owned(), AttributeValue::S(note.user_id.clone()));
    item.insert(
        "createdAt".to_owned(),
        AttributeValue::S(note.created_at.clone()),
    );
    item.insert("noteId".to_owned(), AttributeValue::S(note.note_id.clone()));
    item.insert("text".to_owned(), AttributeValue::S(note.text.clone()));
    if let Some(tag) = &note.tag {
        item.insert("tag".to_owned(), AttributeValue::S(tag.clone()));
    }
    Ok(item)
}

/// Reads the fields back, checks the entity, and parses the stored keys back to check them
/// against the fields.
fn hand_entity_from_item(mut item: ItemMap) -> Result<EntityNote, String> {
    fn string(item: &mut ItemMap, name: &str) -> Result<String, String> {
        match item.remove(name) {
            Some(AttributeValue::S(s)) => Ok(s),
            _ => Err(format!("attribute {name}: expected a string")),
        }
    }
    if string(&mut item, "_et")? != "note" {
        return Err("another entity".to_owned());
    }
    let pk = string(&mut item, "pk")?;
    let sk = string(&mut item, "sk")?;
    let tag = match item.remove("tag") {
        Some(AttributeValue::S(s)) => Some(s),
        None | Some(AttributeValue::Null(true)) => None,
        Some(_) => return Err("attribute tag: expected a string".to_owned()),
    };
    let note = EntityNote {
        user_id: string(&mut item, "userId")?,
        created_at: string(&mut item, "createdAt")?,
        note_id: string(&mut item, "noteId")?,
        text: string(&mut item, "text")?,
        tag,
    };
    if pk.strip_prefix("USER#") != Some(note.user_id.as_str()) {
        return Err("pk does not match".to_owned());
    }
    let parse_sk = |sk: &str| -> bool {
        sk.strip_prefix("NOTE#")
            .and_then(|rest| rest.split_once('#'))
            .is_some_and(|(at, id)| at == note.created_at && id == note.note_id)
    };
    if !parse_sk(&sk) {
        return Err("sk does not match".to_owned());
    }
    match (&note.tag, item.remove("gsi1pk"), item.remove("gsi1sk")) {
        (Some(tag), Some(AttributeValue::S(pk)), Some(AttributeValue::S(sk)))
            if pk.strip_prefix("TAG#") == Some(tag.as_str()) && parse_sk(&sk) => {}
        (None, None, None) => {}
        _ => return Err("gsi1 does not match".to_owned()),
    }
    Ok(note)
}

/// The key map of a note, rendered by hand.
fn hand_entity_key(user_id: &str, created_at: &str, note_id: &str) -> ItemMap {
    let mut key = ItemMap::with_capacity(2);
    key.insert(
        "pk".to_owned(),
        AttributeValue::S(format!("USER#{user_id}")),
    );
    key.insert(
        "sk".to_owned(),
        AttributeValue::S(format!("NOTE#{created_at}#{note_id}")),
    );
    key
}

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

    let entity = EntityNote {
        user_id: "us-east-1:0d1b2c3a-4e5f-6789-abcd-ef0123456789".into(),
        created_at: "2026-11-25T18:00:00.000Z".into(),
        note_id: "01JDQ7R3ZK8V4M2N6P0S9T1W3X".into(),
        text: "Buy milk, eggs and bread on the way home; call the plumber about the kitchen sink."
            .into(),
        tag: Some("errands".into()),
    };
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
