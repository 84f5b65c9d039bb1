//! Runnable examples for the notes SDK; see the `examples/` folder.

pub mod notes_api;
