//! The notes app's HTTP API on the SDK: one axum router, two entry points.
//!
//! | route | does |
//! | --- | --- |
//! | `POST /notes` | creates a note from `{"content": .., "attachment": ..}`: 201 with the note |
//! | `GET /notes/{id}` | the caller's note, or 404 |
//! | `GET /notes?limit=N&cursor=C` | one page of the caller's notes, newest first |
//! | `PUT /notes/{id}` | replaces `content` and `attachment` of an existing note: 200 or 404 |
//! | `DELETE /notes/{id}` | 204, or 404 when there was nothing to delete |
//! | `GET /notes/count` | `{"userId": .., "count": N}`: how many notes the caller has, from a counter kept from the table's stream ([`router_with_counts`], [`StreamCounts`]); 501 without one |
//!
//! Every route is scoped to the caller, whose user id comes from an [`IdentitySource`]: the
//! `x-user-id` header when run locally ([`HeaderIdentity`], a development mode), the API
//! Gateway request context on AWS Lambda (the `notes-api-lambda` example). Listing cursors
//! are signed with a [`CursorKey`](notes_repo::CursorKey) ([`cursor_key_from_env`]), so a
//! client can only pass back cursors the API gave it. Errors are JSON `{"error": "..."}`:
//! 400 for the caller's mistakes only; a validation error raised by DynamoDB itself (a
//! misconfigured table) is a 500 with the detail in the log.
//!
//! ```
//! use notes_api::{HeaderIdentity, router};
//! use notes_repo::{CursorKey, Note};
//! use notes_repo::{MemoryBackend, Repo};
//!
//! let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
//! let cursor_key = CursorKey::new(*b"a test key, not a random one")?;
//! let app: axum::Router = router(repo, HeaderIdentity, cursor_key);
//! # let _ = app;
//! # Ok::<(), notes_repo::Error>(())
//! ```

mod app;
mod body;
mod capacity;
mod counts;
mod cursor_key;
mod errors;
#[cfg(feature = "lambda")]
pub mod gateway;
mod identity;
mod logging;

pub use app::{ListParams, NoteInput, NotesPage, router, router_with_counts, serve};
pub use capacity::Metered;
pub use counts::{NoteCount, StreamCounts};
pub use cursor_key::{CURSOR_KEY_VAR, cursor_key_from_env};
pub use errors::ApiError;
pub use identity::{HeaderIdentity, IdentitySource, USER_ID_HEADER};

/// Page size of `GET /notes` without `limit`.
pub const DEFAULT_LIMIT: u32 = 20;

/// The largest `limit` `GET /notes` accepts.
pub const MAX_LIMIT: u32 = 100;

/// What the local server's entry point (`cargo run --example notes-api`) prints to stderr
/// when an error stops it, before exiting with status 1: the error's own sentence (its
/// `Display`), not its `Debug` form.
///
/// ```
/// let err = notes_repo::Error::StoreInUse { path: "notes-data".into() };
/// assert_eq!(
///     notes_api::exit_message(&err),
///     "Error: the store directory `notes-data` is in use by another MemoryBackend (its LOCK file is held)"
/// );
/// ```
pub fn exit_message(err: &(dyn std::error::Error + 'static)) -> String {
    format!("Error: {err}")
}

#[cfg(test)]
mod tests {
    /// `notes-load` (in the examples package, which does not build this one) mirrors the page
    /// size.
    #[test]
    fn notes_load_mirrors_the_default_limit() {
        assert_eq!(
            super::DEFAULT_LIMIT,
            notes_examples::notes_api::DEFAULT_LIMIT
        );
    }
}
