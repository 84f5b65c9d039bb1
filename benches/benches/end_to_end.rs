//! End to end against the local DynamoDB-compatible server (dynoxide's HTTP server,
//! in-process, as the test suite runs it; or `NOTES_DYNAMODB_ENDPOINT`), every row as paired,
//! interleaved A/B rounds against the same server (`support/paired.rs`: median ratio B/A with
//! a 95 % bootstrap interval):
//!
//! - typed put, get and query through `Repo` (B) against the same calls written with the raw
//!   `aws_sdk_dynamodb::Client` and a hand-written item map (A), one at a time and 16 at a
//!   time; both sides send the same request (A asks for `ReturnConsumedCapacity: TOTAL` as
//!   `DynamoDbBackend` does); an A/A row (raw get against raw get) shows the noise of the method;
//! - `Repo::batch_put` of 1,000 new notes (A) against 1,000 sequential `Repo::put` of other
//!   new notes (B): the same work, inserts on both sides.
//!
//! `cargo bench -p notes-benches --bench end_to_end` (`NOTES_BENCH_ROUNDS` rounds, default 31)

mod support;

// `.await` on a builder is `IntoFuture`; `block_on` and `join_all` take the future itself.
use std::cell::Cell;
use std::future::IntoFuture;
use std::hint::black_box;

use futures::future::join_all;
use notes_repo::{DynamoDbBackend, Repo};
use notes_repo::{Item, Note, NoteKey};
use support::paired::{self, Paired};
use support::raw_sdk::{note, raw_get, raw_put, raw_query};

const CONCURRENCY: usize = 16;
const QUERY_NOTES: usize = 100;
/// Notes per side of one batch-vs-sequential round.
const BATCH_NOTES: usize = 1_000;

fn main() {
    if !support::benchmarking() {
        return;
    }
    let rounds: usize = std::env::var("NOTES_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(31);
    let url = notes_tests::server_support::endpoint().expect("no DynamoDB-compatible server");
    let client = notes_tests::server_support::client(&url);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let table = notes_tests::server_support::table_name("bench-notes");
    let repo: Repo<Note, DynamoDbBackend> =
        Repo::with_table(DynamoDbBackend::new(client.clone()), table.as_str());
    let user = "us-east-1:bench-user";
    let notes: Vec<Note> = (0..QUERY_NOTES).map(|i| note(user, i)).collect();
    runtime.block_on(async {
        repo.create_table_on_demand().await.expect("create table");
        repo.batch_put(&notes).await.expect("seed");
    });
    let target = notes[QUERY_NOTES / 2].clone();
    let key = target.key();
    let keys: Vec<NoteKey> = notes.iter().take(CONCURRENCY).map(Item::key).collect();

    let put_typed = || {
        runtime
            .block_on(repo.put(black_box(&target)).into_future())
            .unwrap()
    };
    let put_raw = || runtime.block_on(raw_put(&client, &table, black_box(&target)));
    let get_typed = || {
        runtime
            .block_on(repo.get(black_box(&key)).into_future())
            .unwrap()
            .unwrap()
    };
    let get_raw = || {
        runtime
            .block_on(raw_get(&client, &table, black_box(&key)))
            .unwrap()
    };
    let query_typed = || {
        let notes = runtime.block_on(repo.query(black_box(user)).all()).unwrap();
        assert_eq!(notes.len(), QUERY_NOTES);
    };
    let query_raw = || {
        let notes = runtime.block_on(raw_query(&client, &table, black_box(user)));
        assert_eq!(notes.len(), QUERY_NOTES);
    };
    let put_typed_x16 = || {
        runtime.block_on(join_all(
            notes[..CONCURRENCY]
                .iter()
                .map(|n| repo.put(n).into_future()),
        ))
    };
    let put_raw_x16 = || {
        runtime.block_on(join_all(
            notes[..CONCURRENCY]
                .iter()
                .map(|n| raw_put(&client, &table, n)),
        ))
    };
    let get_typed_x16 = || {
        let got = runtime.block_on(join_all(keys.iter().map(|k| repo.get(k).into_future())));
        assert!(got.iter().all(|g| matches!(g, Ok(Some(_)))));
    };
    let get_raw_x16 = || {
        let got = runtime.block_on(join_all(keys.iter().map(|k| raw_get(&client, &table, k))));
        assert!(got.iter().all(Option::is_some));
    };
    let query_typed_x16 =
        || runtime.block_on(join_all((0..CONCURRENCY).map(|_| repo.query(user).all())));
    let query_raw_x16 = || {
        runtime.block_on(join_all(
            (0..CONCURRENCY).map(|_| raw_query(&client, &table, user)),
        ))
    };

    // Batch against sequential: every call writes BATCH_NOTES notes never written before (a
    // fresh user per call), so both sides insert.
    let fresh = Cell::new(0usize);
    let new_notes = || {
        let call = fresh.get();
        fresh.set(call + 1);
        (0..BATCH_NOTES)
            .map(|i| note(&format!("us-east-1:batch-{call}-{}", i % 10), i))
            .collect::<Vec<Note>>()
    };
    let batch = || {
        let notes = new_notes();
        runtime
            .block_on(repo.batch_put(&notes).send())
            .expect("batch_put");
    };
    let sequential = || {
        let notes = new_notes();
        runtime.block_on(async {
            for note in &notes {
                repo.put(note).await.expect("put");
            }
        });
    };

    // `NOTES_BENCH_PROFILE=get_typed` (or get_raw, put_typed, put_raw, query_typed, query_raw, batch,
    // sequential) runs that one case
    // in a loop for a profiler (`perf record -g -p <pid>`), nothing else.
    if let Ok(case) = std::env::var("NOTES_BENCH_PROFILE") {
        let started = std::time::Instant::now();
        let mut calls = 0u64;
        while started.elapsed().as_secs() < 20 {
            calls += 1;
            match case.as_str() {
                "get_typed" => drop(get_typed()),
                "get_raw" => drop(get_raw()),
                "put_typed" => put_typed(),
                "put_raw" => put_raw(),
                "query_typed" => query_typed(),
                "query_raw" => query_raw(),
                "batch" => batch(),
                "sequential" => sequential(),
                other => panic!("NOTES_BENCH_PROFILE={other}: not a case"),
            }
        }
        eprintln!("{case}: {calls} calls in {:.1?}", started.elapsed());
        return;
    }

    let mut rows: Vec<(String, Paired)> = Vec::new();
    let mut row = |label: &str, result: Paired| {
        eprintln!("{label}: {result}");
        rows.push((label.to_owned(), result));
    };
    row(
        "A/A: raw get vs raw get (the method's noise)",
        paired::compare(rounds, 100, get_raw, get_raw),
    );
    row(
        "put: Repo vs raw client",
        paired::compare(rounds, 100, put_raw, put_typed),
    );
    row(
        "get: Repo vs raw client",
        paired::compare(rounds, 100, get_raw, get_typed),
    );
    row(
        "query 100 notes: Repo vs raw client",
        paired::compare(rounds, 20, query_raw, query_typed),
    );
    row(
        "16 concurrent puts: Repo vs raw client",
        paired::compare(rounds, 10, put_raw_x16, put_typed_x16),
    );
    row(
        "16 concurrent gets: Repo vs raw client",
        paired::compare(rounds, 10, get_raw_x16, get_typed_x16),
    );
    row(
        "16 concurrent queries: Repo vs raw client",
        paired::compare(rounds, 3, query_raw_x16, query_typed_x16),
    );
    row(
        &format!(
            "{BATCH_NOTES} new notes: sequential Repo::put vs Repo::batch_put (how many times faster the batch is)"
        ),
        paired::compare(rounds.min(21), 1, batch, sequential),
    );
    runtime.block_on(async {
        let _ = repo.delete_table().await;
    });

    println!("\n## End to end (in-process dynoxide HTTP server), paired rounds\n");
    println!("| case (B vs A) | B per call | A per call | median ratio B/A (95 % CI, rounds) |");
    println!("| --- | --- | --- | --- |");
    for (label, result) in &rows {
        println!(
            "| {label} | {} | {} | {result} |",
            paired::human(result.b_seconds),
            paired::human(result.a_seconds)
        );
    }
}
