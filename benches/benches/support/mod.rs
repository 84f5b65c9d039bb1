//! What every bench binary shares: criterion settings and the ratio table printed at the end.
//!
//! Criterion measures each case; the ratio of a case to its baseline is computed from the
//! mean estimates criterion wrote in the same run (cases not run in this run are reported
//! as such, never read from an earlier run).

#![allow(dead_code, unreachable_pub)]

pub mod hand_written;
pub mod http;
pub mod paired;
pub mod raw_sdk;

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use criterion::Criterion;
use notes_repo::Note;

/// MemoryBackend's futures never wait (a std lock, no I/O): poll once.
pub fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("MemoryBackend future was not ready"),
    }
}

/// User `u`'s id, shaped like a Cognito identity id.
pub fn user(u: usize) -> String {
    format!("us-east-1:{u:08x}-0000-4000-8000-000000000000")
}

/// Note `i` of user `u` (about 200 bytes).
pub fn note(u: usize, i: usize) -> Note {
    Note {
        user_id: user(u),
        note_id: format!("0190b3c0-{i:04x}-7cc3-9b7e-3a3c1b2d4e5f"),
        content: format!("note {i} of user {u}: buy milk, eggs and bread on the way home"),
        attachment: None,
        created_at: 1_718_000_000_000 + i as i64,
    }
}

/// Where criterion writes its estimates: `<target>/criterion`.
pub fn output_directory() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")));
    target.join("criterion")
}

/// `true` under `cargo bench`; `cargo test --all-targets` runs bench binaries without
/// `--bench`, and then they do nothing (setting up 10^6 items is not a test).
pub fn benchmarking() -> bool {
    std::env::args().any(|arg| arg == "--bench")
}

/// Short runs by default (the machine is shared); command-line flags override them.
pub fn criterion() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20)
        .output_directory(&output_directory())
        .configure_from_args()
}

/// One row of the ratio table: `case` against `baseline`, both criterion ids
/// (`group/function`).
pub struct Row {
    pub label: String,
    pub case: String,
    pub baseline: String,
}

impl Row {
    pub fn new(
        label: impl Into<String>,
        case: impl Into<String>,
        baseline: impl Into<String>,
    ) -> Self {
        Row {
            label: label.into(),
            case: case.into(),
            baseline: baseline.into(),
        }
    }
}

/// The mean time of `id` in nanoseconds, if it was measured after `since`.
fn mean_ns(id: &str, since: SystemTime) -> Option<f64> {
    let path = output_directory().join(id).join("new/estimates.json");
    let modified = std::fs::metadata(&path).ok()?.modified().ok()?;
    if modified < since {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    json["mean"]["point_estimate"].as_f64()
}

fn human(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Prints the ratio table (markdown) of the cases measured since `since`.
pub fn report(title: &str, rows: &[Row], since: SystemTime) {
    println!("\n## {title}\n");
    println!("| case | time | baseline | baseline time | ratio |");
    println!("| --- | --- | --- | --- | --- |");
    for row in rows {
        match (mean_ns(&row.case, since), mean_ns(&row.baseline, since)) {
            (Some(case), Some(baseline)) => println!(
                "| {} | {} | {} | {} | {:.2}x |",
                row.label,
                human(case),
                row.baseline,
                human(baseline),
                case / baseline
            ),
            _ => println!("| {} | not run | {} | | |", row.label, row.baseline),
        }
    }
}
