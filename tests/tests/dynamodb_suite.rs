//! The behaviour suite on `DynamoDbBackend`, against the real DynamoDB-compatible test server.

notes_tests::behaviour_suite!(notes_tests::server::available_backend().await);
