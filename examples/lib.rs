//! Runnable examples for the notes SDK; see the `examples/` folder. The notes HTTP API is its
//! own package, `notes-api` (so that these examples build neither axum nor lambda_http).

pub mod note_counter;

/// What the `notes-load` example needs of the notes API (the `notes-api` package) without
/// building it.
pub mod notes_api {
    /// Page size of `GET /notes` without `limit`: the same value as
    /// `notes_api::DEFAULT_LIMIT` (a test in the `notes-api` package checks it).
    ///
    /// ```
    /// assert_eq!(notes_examples::notes_api::DEFAULT_LIMIT, 20);
    /// ```
    pub const DEFAULT_LIMIT: u32 = 20;
}
