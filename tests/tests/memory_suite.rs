//! The behaviour suite on `MemoryBackend`.

notes_tests::behaviour_suite!(Some(notes_repo::MemoryBackend::new()));
