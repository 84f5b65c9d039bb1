//! The bad-input catalogue on `MemoryBackend` and on the real test server.

mod memory {
    notes_tests::bad_input_suite!(Some(notes_repo::MemoryBackend::new()));
}

mod dynamodb {
    notes_tests::bad_input_suite!(notes_tests::server::available_backend().await);
}
