//! Runnable examples for the notes SDK; see the `examples/` folder.
