//! The raw side of the end-to-end rows: the same requests as the typed `Repo` makes, written
//! with `aws_sdk_dynamodb::Client` and item maps by hand, as app code without the SDK would
//! (`end_to_end.rs` times them, `callgrind.rs` counts their instructions).

use std::collections::HashMap;

use aws_sdk_dynamodb::types::{AttributeValue as Av, ReturnConsumedCapacity};
use notes_repo::{Note, NoteKey};

/// Note `i` of `user`, as the end-to-end rows store them.
pub fn note(user: &str, i: usize) -> Note {
    Note {
        user_id: user.to_owned(),
        note_id: format!("0190b3c0-{i:04x}-7cc3-9b7e-3a3c1b2d4e5f"),
        content: format!("note {i}: buy milk, eggs and bread on the way home"),
        attachment: None,
        created_at: 1_718_000_000_000 + i as i64,
    }
}

/// What app code writes without the SDK: the item map by hand.
pub fn raw_item(note: &Note) -> HashMap<String, Av> {
    let mut item = HashMap::with_capacity(5);
    item.insert("userId".to_owned(), Av::S(note.user_id.clone()));
    item.insert("noteId".to_owned(), Av::S(note.note_id.clone()));
    item.insert("content".to_owned(), Av::S(note.content.clone()));
    if let Some(attachment) = &note.attachment {
        item.insert("attachment".to_owned(), Av::S(attachment.clone()));
    }
    item.insert("createdAt".to_owned(), Av::N(note.created_at.to_string()));
    item
}

pub fn raw_note(mut item: HashMap<String, Av>) -> Note {
    let mut string = |name: &str| match item.remove(name) {
        Some(Av::S(s)) => s,
        other => panic!("attribute {name}: {other:?}"),
    };
    let user_id = string("userId");
    let note_id = string("noteId");
    let content = string("content");
    let attachment = match item.remove("attachment") {
        Some(Av::S(s)) => Some(s),
        _ => None,
    };
    let created_at = match item.remove("createdAt") {
        Some(Av::N(n)) => n.parse().expect("createdAt"),
        other => panic!("createdAt: {other:?}"),
    };
    Note {
        user_id,
        note_id,
        content,
        attachment,
        created_at,
    }
}

pub async fn raw_put(client: &aws_sdk_dynamodb::Client, table: &str, note: &Note) {
    client
        .put_item()
        .table_name(table)
        .set_item(Some(raw_item(note)))
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await
        .expect("raw put");
}

pub async fn raw_get(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    key: &NoteKey,
) -> Option<Note> {
    client
        .get_item()
        .table_name(table)
        .key("userId", Av::S(key.user_id.clone()))
        .key("noteId", Av::S(key.note_id.clone()))
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await
        .expect("raw get")
        .item
        .map(raw_note)
}

pub async fn raw_query(client: &aws_sdk_dynamodb::Client, table: &str, user: &str) -> Vec<Note> {
    let mut notes = Vec::new();
    let mut start = None;
    loop {
        let output = client
            .query()
            .table_name(table)
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", "userId")
            .expression_attribute_values(":pk", Av::S(user.to_owned()))
            .set_exclusive_start_key(start)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .expect("raw query");
        notes.extend(output.items.unwrap_or_default().into_iter().map(raw_note));
        start = output.last_evaluated_key;
        if start.is_none() {
            return notes;
        }
    }
}
