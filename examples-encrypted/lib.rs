//! The notes example with client-side encryption: `cargo run --example notes-encrypted`
//! (`notes_encrypted.rs`). The package holds only that example, so that the Database
//! Encryption SDK is built for it and for no other example.
