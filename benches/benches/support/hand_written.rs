//! Hand-written `AttributeValue` code, the floor of the conversion rows (`conversion`,
//! `callgrind`), and the templated entity it is compared with.

use notes_repo::{AttributeValue, Item, ItemMap, Note};
use serde::{Deserialize, Serialize};

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
pub struct EntityNote {
    pub user_id: String,
    pub created_at: String,
    pub note_id: String,
    pub text: String,
    pub tag: Option<String>,
}

/// The floor for `EntityNote`: the same attributes, keys rendered with `format!` (and the
/// same refusal of a `#` inside a component followed by `#`).
pub fn hand_entity_to_item(note: &EntityNote) -> Result<ItemMap, String> {
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
pub fn hand_entity_from_item(mut item: ItemMap) -> Result<EntityNote, String> {
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
pub fn hand_entity_key(user_id: &str, created_at: &str, note_id: &str) -> ItemMap {
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
pub fn hand_to_item(note: &Note) -> ItemMap {
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

pub fn hand_from_item(mut item: ItemMap) -> Result<Note, String> {
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

/// The `Note` of the conversion rows: 5 attributes, with an attachment.
pub fn note_with_attachment() -> Note {
    Note::new(
        "us-east-1:0d1b2c3a-4e5f-6789-abcd-ef0123456789",
        "Buy milk, eggs and bread on the way home; call the plumber about the kitchen sink.",
    )
    .with_attachment("shopping-list.png")
}

/// The entity of the conversion rows, with its overloaded index.
pub fn entity() -> EntityNote {
    EntityNote {
        user_id: "us-east-1:0d1b2c3a-4e5f-6789-abcd-ef0123456789".into(),
        created_at: "2026-11-25T18:00:00.000Z".into(),
        note_id: "01JDQ7R3ZK8V4M2N6P0S9T1W3X".into(),
        text: "Buy milk, eggs and bread on the way home; call the plumber about the kitchen sink."
            .into(),
        tag: Some("errands".into()),
    }
}
