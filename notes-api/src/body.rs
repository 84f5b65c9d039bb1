//! The JSON bodies of a note and of a page, written straight from the typed notes into one
//! buffer of about the right size.
//!
//! The bytes are exactly serde_json's of [`Note`] and [`NotesPage`](super::NotesPage) (the
//! tests compare them): the same field order and names, `attachment` and `cursor` left out when
//! absent, and strings escaped by serde_json itself whenever they need any escape. What is
//! saved is serde's generic path for a handful of known fields: a string without a quote,
//! backslash or control character (every id, and almost every content) is copied as is after
//! one scan, and the buffer does not grow while it is written.

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use notes_repo::Note;

/// One note as a JSON response body (`application/json`).
pub(crate) struct NoteBody(pub(crate) Note);

/// One page of notes as a JSON response body: `{"items": [..], "cursor": ..}`.
pub(crate) struct PageBody {
    pub(crate) items: Vec<Note>,
    pub(crate) cursor: Option<String>,
}

impl IntoResponse for NoteBody {
    fn into_response(self) -> Response {
        let mut out = Vec::with_capacity(size_hint(&self.0));
        write_note(&mut out, &self.0);
        json_response(out)
    }
}

impl IntoResponse for PageBody {
    fn into_response(self) -> Response {
        let size = 32
            + self.cursor.as_ref().map_or(0, String::len)
            + self.items.iter().map(size_hint).sum::<usize>();
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(b"{\"items\":[");
        for (i, note) in self.items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_note(&mut out, note);
        }
        out.push(b']');
        if let Some(cursor) = &self.cursor {
            out.extend_from_slice(b",\"cursor\":");
            write_str(&mut out, cursor);
        }
        out.push(b'}');
        json_response(out)
    }
}

/// A 200 with `body` as JSON (a status set around it, as in `(StatusCode::CREATED, body)`,
/// replaces the 200).
fn json_response(body: Vec<u8>) -> Response {
    let mut response = Body::from(body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// The length of `note`'s JSON when no string needs an escape.
fn size_hint(note: &Note) -> usize {
    // The field names, quotes, colons, commas and braces, and 20 digits of `createdAt`.
    80 + note.user_id.len()
        + note.note_id.len()
        + note.content.len()
        + note.attachment.as_ref().map_or(0, |a| a.len() + 16)
}

/// `note` as serde_json writes it.
fn write_note(out: &mut Vec<u8>, note: &Note) {
    // Every field by name, without `..`: a field added to `Note` fails to compile here.
    let Note {
        user_id,
        note_id,
        content,
        attachment,
        created_at,
    } = note;
    out.extend_from_slice(b"{\"userId\":");
    write_str(out, user_id);
    out.extend_from_slice(b",\"noteId\":");
    write_str(out, note_id);
    out.extend_from_slice(b",\"content\":");
    write_str(out, content);
    if let Some(attachment) = attachment {
        out.extend_from_slice(b",\"attachment\":");
        write_str(out, attachment);
    }
    out.extend_from_slice(b",\"createdAt\":");
    write_json(out, created_at);
    out.push(b'}');
}

/// `value` as a JSON string: copied between quotes when nothing in it needs an escape,
/// otherwise escaped by serde_json.
fn write_str(out: &mut Vec<u8>, value: &str) {
    if needs_escape(value.as_bytes()) {
        write_json(out, value);
    } else {
        out.reserve(value.len() + 2);
        out.push(b'"');
        out.extend_from_slice(value.as_bytes());
        out.push(b'"');
    }
}

/// Whether `bytes` hold a byte serde_json escapes: a control character, `"` or `\`.
fn needs_escape(bytes: &[u8]) -> bool {
    fn escaped(b: u8) -> u8 {
        u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\')
    }
    // No early exit: one pass the compiler vectorizes, rather than a branch per byte.
    bytes.iter().fold(0, |any, &b| any | escaped(b)) != 0
}

/// `value` as serde_json writes it.
fn write_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing a string or an integer into a `Vec` cannot fail.
    serde_json::to_writer(out, value).expect("a string or integer serializes");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NotesPage;
    use axum::http::StatusCode;

    fn notes() -> Vec<Note> {
        let plain = Note {
            user_id: "us-east-1:1234".to_owned(),
            note_id: "0190b8a2-7c5e-7d2a-9b1e-3f4a5b6c7d8e".to_owned(),
            content: "buy milk, eggs and bread".to_owned(),
            attachment: None,
            created_at: 1_733_000_000_000,
        };
        let escaped = Note {
            user_id: "a \"quoted\" \\ user".to_owned(),
            note_id: "tab\there, newline\nthere, bell\u{7}".to_owned(),
            content: "é ü 日本 🦀 \u{7f} </script> \r\n\u{8}\u{c}\u{1f}".to_owned(),
            attachment: Some("file \"name\".png".to_owned()),
            created_at: -42,
        };
        let empty = Note {
            user_id: String::new(),
            note_id: String::new(),
            content: String::new(),
            attachment: Some(String::new()),
            created_at: i64::MIN,
        };
        vec![plain, escaped, empty]
    }

    async fn body_of(response: Response) -> (StatusCode, Option<HeaderValue>, Vec<u8>) {
        let status = response.status();
        let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("a body");
        (status, content_type, bytes.to_vec())
    }

    #[test]
    fn every_byte_serde_json_escapes_is_found_at_every_position() {
        for len in [1, 2, 15, 16, 17, 31, 32, 33, 40] {
            for at in 0..len {
                for byte in 0..=u8::MAX {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = byte;
                    let escaped = byte < 0x20 || byte == b'"' || byte == b'\\';
                    assert_eq!(needs_escape(&bytes), escaped, "{byte:#x} at {at} of {len}");
                }
            }
        }
        assert!(!needs_escape(b""));
    }

    #[tokio::test]
    async fn a_note_body_is_serde_jsons_bytes() {
        for note in notes() {
            let expected = axum::Json(note.clone()).into_response();
            let (status, content_type, body) = body_of(NoteBody(note).into_response()).await;
            assert_eq!((status, content_type, body), body_of(expected).await);
        }
    }

    #[tokio::test]
    async fn a_page_body_is_serde_jsons_bytes() {
        for (items, cursor) in [
            (notes(), Some("eyJ1c2VySWQiOnsiUyI6InUxIn19_-".to_owned())),
            (notes(), None),
            (Vec::new(), None),
            (notes()[..1].to_vec(), Some("a \"cursor\"".to_owned())),
        ] {
            let expected = axum::Json(NotesPage {
                items: items.clone(),
                cursor: cursor.clone(),
            })
            .into_response();
            let (status, content_type, body) =
                body_of(PageBody { items, cursor }.into_response()).await;
            assert_eq!((status, content_type, body), body_of(expected).await);
        }
    }
}
