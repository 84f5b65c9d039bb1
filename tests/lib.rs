//! Shared support for the workspace-level tests: the behaviour suite that runs on every
//! backend, and the real DynamoDB-compatible server.

pub mod bad_input;
pub mod server;
pub mod suite;
pub mod suite_advanced;

/// A table name unique to this process and case, so suites can share one server.
pub fn suite_table_name(case: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let case: String = case.chars().take(180).collect();
    format!("{case}-{}-{n}", std::process::id())
}
