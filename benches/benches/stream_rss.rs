//! Peak memory of streaming a query over 100,000 items: bounded by the page size (1 MB of
//! items per page), not by the result size. Each case runs in a child process of its own and
//! reports the growth of its peak RSS (`VmHWM`, reset after the table is loaded through
//! `/proc/self/clear_refs`) while the query runs.
//!
//! `cargo bench -p notes-benches --bench stream_rss`

use std::process::Command;

use futures::TryStreamExt;
use notes_repo::Note;
use notes_repo::{MemoryBackend, Repo};

const ITEMS: usize = 100_000;

fn kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("field in /proc/self/status")
}

fn child(case: &str) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    runtime.block_on(async {
        repo.create_table_on_demand().await.expect("table");
        let notes: Vec<Note> = (0..ITEMS)
            .map(|i| Note {
                user_id: "us-east-1:one-user".into(),
                note_id: format!("0190b3c0-{i:08x}-7cc3-9b7e-3a3c1b2d4e5f"),
                content: format!(
                    "note {i}: {}",
                    "buy milk, eggs and bread on the way home. ".repeat(3)
                ),
                attachment: None,
                created_at: i as i64,
            })
            .collect();
        repo.batch_put(&notes).await.expect("load");
    });
    // Reset the peak to the current RSS: what follows is the query's own peak.
    std::fs::write("/proc/self/clear_refs", "5").expect("clear_refs");
    let before = kib("VmRSS:");
    let count = runtime.block_on(async {
        match case {
            "stream" => {
                let mut stream = std::pin::pin!(repo.query("us-east-1:one-user").stream());
                let mut count = 0usize;
                while let Some(note) = stream.try_next().await.expect("stream") {
                    std::hint::black_box(note);
                    count += 1;
                }
                count
            }
            "collect" => repo
                .query("us-east-1:one-user")
                .all()
                .await
                .expect("all")
                .len(),
            other => panic!("unknown case {other}"),
        }
    });
    assert_eq!(count, ITEMS);
    let peak = kib("VmHWM:");
    println!("{}", peak.saturating_sub(before));
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
    let run = |case: &str| -> u64 {
        let output = Command::new(&exe)
            .args(["--child", case])
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
    let stream = run("stream");
    let collect = run("collect");
    println!("\n## peak RSS growth while querying {ITEMS} notes (1 MB pages)\n");
    println!("| case | peak RSS growth |");
    println!("| --- | --- |");
    println!("| stream(): items consumed one by one | {stream} KiB |");
    println!("| all(): every item collected in a Vec | {collect} KiB |");
    println!(
        "| ratio stream / all | {:.3} |",
        stream as f64 / collect.max(1) as f64
    );
}
