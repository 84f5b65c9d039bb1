//! What `#[derive(Item)]` generates for entities with key templates (several item types in
//! one table), used as an app uses it.

use notes_repo::{AttributeValue, Item, ItemError, ItemMap, KeyPrefix, KeyValue, PrimaryKey};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "note",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "NOTE#{created_at}#{note_id}")
)]
#[serde(rename_all = "camelCase")]
struct Note {
    user_id: String,
    created_at: String,
    note_id: String,
    text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "counter",
    entity_attribute = "kind",
    partition_key(template = "COUNTER#{shard}"),
    sort_key(template = "AT#{at}#{seq}")
)]
struct Counter {
    shard: u8,
    at: i64,
    seq: u32,
    value: f64,
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn note() -> Note {
    Note {
        user_id: "u1".into(),
        created_at: "2026-11-25T10:00:00Z".into(),
        note_id: "n1".into(),
        text: "hello".into(),
    }
}

#[test]
fn a_put_writes_the_fields_and_exactly_the_computed_attributes() {
    let map = note().to_item().unwrap();
    assert_eq!(
        map,
        ItemMap::from([
            ("pk".to_owned(), s("USER#u1")),
            ("sk".to_owned(), s("NOTE#2026-11-25T10:00:00Z#n1")),
            ("_et".to_owned(), s("note")),
            ("userId".to_owned(), s("u1")),
            ("createdAt".to_owned(), s("2026-11-25T10:00:00Z")),
            ("noteId".to_owned(), s("n1")),
            ("text".to_owned(), s("hello")),
        ])
    );
    assert_eq!(Note::from_item(map).unwrap(), note());
}

#[test]
fn the_key_renders_the_templates() {
    assert_eq!(Note::KEY_SCHEMA.partition_key.name, "pk");
    let key = note().key();
    assert_eq!(key, NoteKey::new("u1", "2026-11-25T10:00:00Z", "n1"));
    assert_eq!(
        key.to_key_map(),
        ItemMap::from([
            ("pk".to_owned(), s("USER#u1")),
            ("sk".to_owned(), s("NOTE#2026-11-25T10:00:00Z#n1")),
        ])
    );
    assert_eq!(NoteKey::from_key_map(&key.to_key_map()).unwrap(), key);
    assert_eq!(NotePartition::TEMPLATE, "USER#{user_id}");
    assert_eq!(NoteSort::parse("NOTE#d#n"), Some(NoteSort::new("d", "n")));
    assert_eq!(NoteSort::parse("NOTE#d"), None);
    assert_eq!(NoteSort::parse("TAG#d#n"), None);
    assert_eq!(Note::ENTITY.unwrap().sort_prefix, "NOTE#");
    assert_eq!(Note::KEY_COMPONENTS, ["userId", "createdAt", "noteId"]);
}

#[test]
fn numbers_are_zero_padded_and_read_back() {
    let counter = Counter {
        shard: 7,
        at: -5,
        seq: 42,
        value: 1.5,
    };
    let map = counter.to_item().unwrap();
    assert_eq!(map["pk"], s("COUNTER#007"));
    assert_eq!(map["sk"], s("AT#-9223372036854775803#0000000042"));
    assert_eq!(map["kind"], s("counter"));
    assert_eq!(Counter::from_item(map).unwrap(), counter);
    let sort = CounterSort::new(-5i64, 42u32);
    assert_eq!(
        CounterSort::from_attribute_value(&sort.to_attribute_value()),
        Some(sort)
    );
}

#[test]
fn prefixes_are_typed_by_the_template() {
    let all: KeyPrefix<NoteSort> = NoteSort::prefix().into();
    assert_eq!(all.as_str(), "NOTE#");
    let day = NoteSort::prefix().created_at_starts_with("2026-11-25");
    assert_eq!(day.as_str(), "NOTE#2026-11-25");
    let exact: KeyPrefix<NoteSort> = NoteSort::prefix().created_at("2026-11-25T10:00:00Z").into();
    assert_eq!(exact.as_str(), "NOTE#2026-11-25T10:00:00Z#");
    let shard: KeyPrefix<CounterSort> = CounterSort::prefix().at(3i64).into();
    assert_eq!(shard.as_str(), "AT#0000000000000000003#");
}

#[test]
fn an_item_of_another_entity_is_refused_naming_it() {
    let mut map = note().to_item().unwrap();
    map.insert("_et".into(), s("tag"));
    match Note::from_item(map) {
        Err(ItemError::Entity {
            attribute,
            expected,
            found,
            key,
            ..
        }) => {
            assert_eq!((attribute, expected), ("_et", "note"));
            assert_eq!(found.as_deref(), Some("tag"));
            assert_eq!(
                key,
                r#"{pk: "USER#u1", sk: "NOTE#2026-11-25T10:00:00Z#n1"}"#
            );
        }
        other => panic!("expected an entity error, got {other:?}"),
    }
    let mut map = note().to_item().unwrap();
    map.remove("_et");
    assert!(matches!(
        Note::from_item(map),
        Err(ItemError::Entity { found: None, .. })
    ));
}

#[test]
fn a_stored_key_that_does_not_match_the_fields_is_refused_naming_the_attribute() {
    let mut map = note().to_item().unwrap();
    map.insert("sk".into(), s("NOTE#2026-11-25T10:00:00Z#n2"));
    match Note::from_item(map) {
        Err(ItemError::KeyTemplate {
            attribute,
            template,
            expected,
            found,
            ..
        }) => {
            assert_eq!(attribute, "sk");
            assert_eq!(template, "NOTE#{created_at}#{note_id}");
            assert_eq!(expected, "NOTE#2026-11-25T10:00:00Z#n1");
            assert_eq!(found.as_deref(), Some("NOTE#2026-11-25T10:00:00Z#n2"));
        }
        other => panic!("expected a key template error, got {other:?}"),
    }
}

#[test]
fn a_string_component_holding_its_separator_is_refused_on_write() {
    let mut bad = note();
    bad.created_at = "2026#11".into();
    match bad.to_item() {
        Err(ItemError::KeyComponent {
            attribute,
            field,
            separator,
            template,
            ..
        }) => {
            assert_eq!((attribute, field, separator), ("sk", "created_at", '#'));
            assert_eq!(template, "NOTE#{created_at}#{note_id}");
        }
        other => panic!("expected a key component error, got {other:?}"),
    }
    // The last component may not hold the `#` before it either: `NOTE#{created_at}#{note_id}`
    // would otherwise render like a `NOTE#{note_id}` template of another entity.
    let mut last = note();
    last.note_id = "a#b".into();
    match last.to_item() {
        Err(ItemError::KeyComponent {
            field, separator, ..
        }) => assert_eq!((field, separator), ("note_id", '#')),
        other => panic!("expected a key component error, got {other:?}"),
    }
    // Any other character is fine, Unicode included.
    let mut other = note();
    other.note_id = "a-b→c ✓".into();
    let map = other.to_item().unwrap();
    assert_eq!(Note::from_item(map).unwrap(), other);
}

#[test]
fn a_borrowed_read_checks_the_entity_and_the_stored_keys_as_the_owned_read_does() {
    let map = note().to_item().unwrap();
    assert_eq!(Note::from_item_ref(&map).unwrap(), note());
    let mut other_entity = map.clone();
    other_entity.insert("_et".into(), s("tag"));
    let mut moved_key = map.clone();
    moved_key.insert("sk".into(), s("NOTE#2026-11-25T10:00:00Z#n2"));
    let mut mistyped = map;
    mistyped.insert("text".into(), AttributeValue::N("1".into()));
    for map in [other_entity, moved_key, mistyped] {
        let borrowed = Note::from_item_ref(&map).unwrap_err();
        let pairs = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        let entries = Note::from_entries(pairs).unwrap_err();
        assert_eq!(entries.to_string(), borrowed.to_string());
        let owned = Note::from_item(map).unwrap_err();
        assert_eq!(borrowed.to_string(), owned.to_string());
        assert_eq!(
            std::mem::discriminant(&borrowed),
            std::mem::discriminant(&owned)
        );
    }
}
