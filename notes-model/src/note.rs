//! The `Note` item of the notes app: the `notes` table.

use serde::{Deserialize, Serialize};

use notes_derive::Item;

/// One note of the notes app, stored in the `notes` table.
///
/// | attribute | type | key |
/// | --- | --- | --- |
/// | `userId` | S | partition |
/// | `noteId` | S | sort |
/// | `content` | S | |
/// | `attachment` | S, absent when `None` | |
/// | `createdAt` | N, epoch milliseconds | |
///
/// `noteId` is a UUID version 7, which starts with its creation time, so a user's notes sort
/// by creation time and a descending query lists the newest first.
///
/// ```
/// use notes_model::Note;
///
/// # #[cfg(feature = "uuid")] {
/// let note = Note::new("us-east-1:1234", "buy milk").with_attachment("milk.png");
/// assert_eq!(note.user_id, "us-east-1:1234");
/// assert_eq!(note.attachment.as_deref(), Some("milk.png"));
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Item)]
#[item(table = "notes", crate = "crate")]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// The owner: the caller's identity id.
    #[partition_key]
    pub user_id: String,
    /// The note's id: a UUID v7 string, ordered by creation time.
    #[sort_key]
    pub note_id: String,
    /// The note's text.
    pub content: String,
    /// The name of an attached file, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<String>,
    /// When the note was created, in milliseconds since the Unix epoch.
    pub created_at: i64,
}

impl Note {
    /// A new note for `user_id`: a fresh `noteId` (UUID v7) and `createdAt` = now, taken from
    /// the same clock reading so that both orders agree.
    ///
    /// Needs the `uuid` feature (`notes-repo`'s `uuid` feature turns it on).
    ///
    /// ```
    /// let a = notes_model::Note::new("u1", "first");
    /// let b = notes_model::Note::new("u1", "second");
    /// assert!(a.note_id < b.note_id);
    /// assert!(a.created_at <= b.created_at);
    /// ```
    #[cfg(feature = "uuid")]
    #[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
    pub fn new(user_id: impl Into<String>, content: impl Into<String>) -> Self {
        let note_id = uuid::Uuid::now_v7();
        let created_at = note_id
            .get_timestamp()
            .map(|ts| {
                let (secs, nanos) = ts.to_unix();
                secs as i64 * 1000 + i64::from(nanos / 1_000_000)
            })
            .unwrap_or_else(now_millis);
        Note {
            user_id: user_id.into(),
            note_id: note_id.hyphenated().to_string(),
            content: content.into(),
            attachment: None,
            created_at,
        }
    }

    /// This note with an attachment.
    ///
    /// ```
    /// # #[cfg(feature = "uuid")] {
    /// let note = notes_model::Note::new("u1", "x").with_attachment("a.pdf");
    /// assert_eq!(note.attachment.as_deref(), Some("a.pdf"));
    /// # }
    /// ```
    pub fn with_attachment(mut self, attachment: impl Into<String>) -> Self {
        self.attachment = Some(attachment.into());
        self
    }
}

/// Without the `uuid` feature, `Note::new` is this one, which no call compiles with: the error
/// names the feature to enable rather than "no function `new`".
#[cfg(not(feature = "uuid"))]
impl Note {
    #[doc(hidden)]
    pub fn new<U: UuidFeature>(user_id: U, content: impl Into<String>) -> Self {
        let _ = (user_id, content.into());
        unreachable!("UuidFeature is sealed and implemented by nothing")
    }
}

/// Implemented by nothing: the bound of `Note::new` without the `uuid` feature.
#[cfg(not(feature = "uuid"))]
#[diagnostic::on_unimplemented(
    message = "`Note::new` needs the `uuid` feature of notes-repo (or notes-model)",
    label = "`Note::new` makes a UUID v7 note id, with the `uuid` feature",
    note = "enable it in Cargo.toml: `notes-repo = {{ version = \"0.1\", features = [\"uuid\"] }}`, or build the `Note` with a note id of your own"
)]
pub trait UuidFeature: sealed::Sealed {}

#[cfg(not(feature = "uuid"))]
mod sealed {
    /// Keeps [`UuidFeature`](super::UuidFeature) implemented by nothing.
    #[allow(unreachable_pub)] // the sealed-trait pattern: public, unnameable
    pub trait Sealed {}
}

#[cfg(feature = "uuid")]
fn now_millis() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};

    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::item::{Item, PrimaryKey};
    use crate::value::{AttributeValue, ItemMap};

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_owned())
    }

    fn note() -> Note {
        Note {
            user_id: "us-east-1:0d1b2c3a".to_owned(),
            note_id: "0190b3c0-8a1e-7cc3-9b7e-3a3c1b2d4e5f".to_owned(),
            content: "hello world".to_owned(),
            attachment: None,
            created_at: 1_718_000_000_123,
        }
    }

    /// The map the JavaScript SDK (`marshall(note, { removeUndefinedValues: true })`) and
    /// boto3's `TypeSerializer` write for `note()`.
    fn sdk_map() -> ItemMap {
        ItemMap::from([
            ("userId".to_owned(), s("us-east-1:0d1b2c3a")),
            (
                "noteId".to_owned(),
                s("0190b3c0-8a1e-7cc3-9b7e-3a3c1b2d4e5f"),
            ),
            ("content".to_owned(), s("hello world")),
            (
                "createdAt".to_owned(),
                AttributeValue::N("1718000000123".to_owned()),
            ),
        ])
    }

    #[test]
    fn note_item_map_is_what_the_aws_sdks_write() {
        assert_eq!(note().to_item().unwrap(), sdk_map());
    }

    #[test]
    fn note_item_map_matches_the_sdks_dynamodb_json() {
        // The wire form of the same item, as the JS and Python SDKs put it.
        let json = serde_json::json!({
            "userId": {"S": "us-east-1:0d1b2c3a"},
            "noteId": {"S": "0190b3c0-8a1e-7cc3-9b7e-3a3c1b2d4e5f"},
            "content": {"S": "hello world"},
            "createdAt": {"N": "1718000000123"}
        });
        let wire: ItemMap = serde_json::from_value(json).unwrap();
        assert_eq!(note().to_item().unwrap(), wire);
    }

    #[test]
    fn attachment_is_written_as_a_string_when_present() {
        let map = note().with_attachment("file.png").to_item().unwrap();
        assert_eq!(map["attachment"], s("file.png"));
        assert_eq!(map.len(), 5);
    }

    #[test]
    fn note_written_by_the_aws_sdks_reads_back() {
        assert_eq!(Note::from_item(sdk_map()).unwrap(), note());
        // boto3 writes None as {"NULL": true} unless the caller drops it; both read as None.
        let mut with_null = sdk_map();
        with_null.insert("attachment".to_owned(), AttributeValue::Null(true));
        assert_eq!(Note::from_item(with_null).unwrap(), note());
    }

    #[test]
    fn decimal_created_at_from_python_reads_back() {
        // boto3 writes Decimal("1718000000123") as the same N string.
        let mut map = sdk_map();
        map.insert(
            "createdAt".to_owned(),
            AttributeValue::N("1718000000123".to_owned()),
        );
        assert_eq!(Note::from_item(map).unwrap().created_at, 1_718_000_000_123);
    }

    #[test]
    fn reading_a_mistyped_attribute_names_it_and_the_key() {
        let mut map = sdk_map();
        map.insert("createdAt".to_owned(), s("yesterday"));
        let err = Note::from_item(map).unwrap_err().to_string();
        assert!(err.contains("attribute `createdAt`"), "{err}");
        assert!(err.contains(r#"userId: "us-east-1:0d1b2c3a""#), "{err}");
        assert!(err.contains("noteId"), "{err}");
    }

    #[test]
    fn reading_without_a_required_attribute_names_it() {
        let mut map = sdk_map();
        map.remove("content");
        let err = Note::from_item(map).unwrap_err().to_string();
        assert!(err.contains("content"), "{err}");
    }

    #[test]
    #[cfg(feature = "uuid")]
    fn new_notes_get_time_ordered_ids_and_now_as_created_at() {
        let before = now_millis();
        let notes: Vec<Note> = (0..50).map(|i| Note::new("u", format!("n{i}"))).collect();
        let after = now_millis();
        for pair in notes.windows(2) {
            assert!(pair[0].note_id < pair[1].note_id);
        }
        for n in &notes {
            assert!((before..=after).contains(&n.created_at));
            assert!(uuid::Uuid::parse_str(&n.note_id).is_ok());
        }
    }

    #[test]
    fn key_of_a_note_round_trips_through_its_key_map() {
        let n = note();
        let key = n.key();
        assert_eq!(
            key,
            NoteKey::new("us-east-1:0d1b2c3a", "0190b3c0-8a1e-7cc3-9b7e-3a3c1b2d4e5f")
        );
        let map = key.to_key_map();
        assert_eq!(map.len(), 2);
        assert_eq!(NoteKey::from_key_map(&map).unwrap(), key);
        assert_eq!(NoteKey::from_key_map(&sdk_map()).unwrap(), key);
    }

    #[test]
    fn key_with_a_wrong_type_is_rejected_with_both_types() {
        let mut map = sdk_map();
        map.insert("noteId".to_owned(), AttributeValue::N("7".to_owned()));
        let err = NoteKey::from_key_map(&map).unwrap_err().to_string();
        assert_eq!(err, "key attribute `noteId` must be of type S, found N");
    }
}
