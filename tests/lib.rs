//! Shared support for the workspace-level tests: the behaviour suite that runs on every
//! backend, and the real DynamoDB-compatible server.

pub mod bad_input;
pub mod server;
pub mod suite;
pub mod suite_advanced;
