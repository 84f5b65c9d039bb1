//! A client written elsewhere: the AWS SDK for JavaScript v3 (installed from npm by this test,
//! versions pinned in `tests/js/package-lock.json`) makes the serverless notes app's calls
//! (create, get, list page by page, update, delete) and reads the table's stream, against
//! notes-local and, for comparison, against the other test server. `tests/js/notes_app.mjs`
//! asserts every answer and exits non-zero on the first wrong one.
//!
//! Node.js and npm come with the machine; when they are missing the test is skipped with one
//! line outside CI and fails under `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use notes_tests::server_support;

/// `tests/js`, where the script and its lock file are.
fn js_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("js")
}

/// Installs the pinned packages once per test process (`npm ci`), or says why it cannot.
fn installed() -> &'static Result<(), String> {
    static INSTALL: OnceLock<Result<(), String>> = OnceLock::new();
    INSTALL.get_or_init(|| {
        let output = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(js_dir())
            .output()
            .map_err(|err| format!("cannot run npm: {err}"))?;
        if output.status.success() {
            Ok(())
        } else {
            Err(format!(
                "npm ci failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    })
}

/// Runs the notes app against `endpoint`; `None` when Node.js is not there outside CI.
fn run_notes_app(endpoint: &str) -> Option<String> {
    if let Err(reason) = installed() {
        if std::env::var("CI").is_ok_and(|ci| ci == "true") {
            panic!("CI=true and the JavaScript client cannot be installed: {reason}");
        }
        eprintln!("skipping: {reason}");
        return None;
    }
    let table = server_support::table_name("notes-js");
    let output = Command::new("node")
        .arg("notes_app.mjs")
        .arg(endpoint)
        .arg(&table)
        .current_dir(js_dir())
        .output()
        .expect("node runs (npm, which needs it, just did)");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "the JavaScript notes app failed against {endpoint}:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(stdout)
}

/// What the script prints when every answer was right.
const SUMMARY: &str = r#"{"ok":true,"notes":2,"records":5}"#;

#[test]
fn the_javascript_sdk_runs_the_notes_app_on_notes_local() {
    if let Some(stdout) = run_notes_app(&server_support::local_endpoint()) {
        assert_eq!(stdout.trim(), SUMMARY);
    }
}

#[test]
fn the_javascript_sdk_runs_the_notes_app_on_the_other_test_server() {
    let Some(endpoint) = server_support::endpoint() else {
        assert!(
            !std::env::var("CI").is_ok_and(|ci| ci == "true"),
            "CI=true and no DynamoDB-compatible server"
        );
        return;
    };
    if let Some(stdout) = run_notes_app(&endpoint) {
        assert_eq!(stdout.trim(), SUMMARY);
    }
}
