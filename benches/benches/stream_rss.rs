//! Peak memory of reading 100,000 notes (one user, ~19 MB of items, 1 MB query pages) from a
//! MemoryBackend: streamed item by item against collected into a `Vec`.
//!
//! Each mode runs in a fresh process (this binary re-invoked with `--child <mode>`), which
//! prints its peak RSS (`VmHWM` in `/proc/self/status`, the high-water mark over the whole
//! process life) at its end. The `setup` mode is the baseline: the same process loading the
//! same table, without reading it. The table is loaded 100 notes at a time, so the setup frees
//! no large buffer that the read could reuse. The growth of a mode is its peak minus the
//! setup's peak; each mode runs `RUNS` times, interleaved, and the median is reported.
//!
//! `cargo bench -p notes-benches --bench stream_rss` (`NOTES_BENCH_STREAM_ITEMS`, default 100,000)

use std::process::Command;

use futures::TryStreamExt;
use notes_repo::Note;
use notes_repo::{MemoryBackend, Repo};

/// Notes in the table unless `NOTES_BENCH_STREAM_ITEMS` says otherwise.
const ITEMS: usize = 100_000;

fn items() -> usize {
    std::env::var("NOTES_BENCH_STREAM_ITEMS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(ITEMS)
}
const LOAD_CHUNK: usize = 100;
const RUNS: usize = 5;
const MODES: [&str; 3] = ["setup", "stream", "collect"];

fn kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("field in /proc/self/status")
}

fn note(i: usize) -> Note {
    Note {
        user_id: "us-east-1:one-user".into(),
        note_id: format!("0190b3c0-{i:08x}-7cc3-9b7e-3a3c1b2d4e5f"),
        content: format!(
            "note {i}: {}",
            "buy milk, eggs and bread on the way home. ".repeat(3)
        ),
        attachment: None,
        created_at: i as i64,
    }
}

/// One process: load the table, run `mode`, print the peak RSS in KiB.
fn child(mode: &str) {
    let items = items();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    runtime.block_on(async {
        repo.create_table_on_demand().await.expect("table");
        for start in (0..items).step_by(LOAD_CHUNK) {
            let chunk: Vec<Note> = (start..start + LOAD_CHUNK).map(note).collect();
            repo.batch_put(&chunk).await.expect("load");
        }
    });
    let count = runtime.block_on(async {
        match mode {
            "setup" => items,
            "stream" => {
                let mut stream = std::pin::pin!(repo.query("us-east-1:one-user").stream());
                let mut count = 0usize;
                while let Some(note) = stream.try_next().await.expect("stream") {
                    std::hint::black_box(note);
                    count += 1;
                }
                count
            }
            "collect" => {
                let notes = repo.query("us-east-1:one-user").all().await.expect("all");
                std::hint::black_box(&notes);
                notes.len()
            }
            other => panic!("unknown mode {other}"),
        }
    });
    assert_eq!(count, items);
    println!("{}", kib("VmHWM:"));
}

fn median(mut values: Vec<u64>) -> u64 {
    values.sort_unstable();
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(at) = args.iter().position(|arg| arg == "--child") {
        return child(args.get(at + 1).map_or("", String::as_str));
    }
    if !args.iter().any(|arg| arg == "--bench") {
        return;
    }
    let exe = std::env::current_exe().expect("current exe");
    let run = |mode: &str| -> u64 {
        let output = Command::new(&exe)
            .args(["--child", mode])
            .output()
            .expect("child");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .expect("kib")
    };
    let mut peaks: [Vec<u64>; 3] = Default::default();
    for _ in 0..RUNS {
        for (mode, peaks) in MODES.iter().zip(&mut peaks) {
            peaks.push(run(mode));
        }
    }
    for (mode, peaks) in MODES.iter().zip(&peaks) {
        eprintln!("{mode}: peak RSS of each run (KiB): {peaks:?}");
    }
    let [setup, stream, collect] = peaks.map(median);
    let growth = |peak: u64| peak.saturating_sub(setup);
    println!(
        "\n## Peak RSS reading {} notes (1 MB pages), fresh process per mode, median of {RUNS}\n",
        items()
    );
    println!("| mode | peak RSS (VmHWM) | growth over setup |");
    println!("| --- | --- | --- |");
    println!("| setup only (baseline: load the table, read nothing) | {setup} KiB | |");
    println!(
        "| stream(): items consumed one by one | {stream} KiB | {} KiB |",
        growth(stream)
    );
    println!(
        "| all(): every item collected in a Vec | {collect} KiB | {} KiB |",
        growth(collect)
    );
    println!(
        "| ratio of growths stream / all | | {:.3} |",
        growth(stream) as f64 / growth(collect).max(1) as f64
    );
}
