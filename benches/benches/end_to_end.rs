//! End to end against the local DynamoDB-compatible server (dynoxide's HTTP server,
//! in-process, as the test suite runs it; or `NOTES_DYNAMODB_ENDPOINT`): typed put, get and
//! query through `Repo` against the same calls written with the raw `aws_sdk_dynamodb::Client`,
//! sequentially and 16 at a time; and a batch write of 10,000 notes through
//! `Repo::batch_put` against 10,000 sequential puts.
//!
//! `cargo bench -p notes-benches --bench end_to_end`

mod support;

// `.await` on a builder is `IntoFuture`; `block_on` and `join_all` take the future itself.
use std::collections::HashMap;
use std::future::IntoFuture;
use std::hint::black_box;
use std::time::{Duration, Instant, SystemTime};

use aws_sdk_dynamodb::types::AttributeValue as Av;
use futures::future::join_all;
use notes_repo::{DynamoDbBackend, Repo};
use notes_repo::{Item, Note, NoteKey};
use support::Row;

const CONCURRENCY: usize = 16;
const QUERY_NOTES: usize = 100;
const BATCH_NOTES: usize = 10_000;

fn note(user: &str, i: usize) -> Note {
    Note {
        user_id: user.to_owned(),
        note_id: format!("0190b3c0-{i:04x}-7cc3-9b7e-3a3c1b2d4e5f"),
        content: format!("note {i}: buy milk, eggs and bread on the way home"),
        attachment: None,
        created_at: 1_718_000_000_000 + i as i64,
    }
}

/// What app code writes without the SDK: the item map by hand.
fn raw_item(note: &Note) -> HashMap<String, Av> {
    let mut item = HashMap::with_capacity(5);
    item.insert("userId".to_owned(), Av::S(note.user_id.clone()));
    item.insert("noteId".to_owned(), Av::S(note.note_id.clone()));
    item.insert("content".to_owned(), Av::S(note.content.clone()));
    if let Some(attachment) = &note.attachment {
        item.insert("attachment".to_owned(), Av::S(attachment.clone()));
    }
    item.insert("createdAt".to_owned(), Av::N(note.created_at.to_string()));
    item
}

fn raw_note(mut item: HashMap<String, Av>) -> Note {
    let mut string = |name: &str| match item.remove(name) {
        Some(Av::S(s)) => s,
        other => panic!("attribute {name}: {other:?}"),
    };
    let user_id = string("userId");
    let note_id = string("noteId");
    let content = string("content");
    let attachment = match item.remove("attachment") {
        Some(Av::S(s)) => Some(s),
        _ => None,
    };
    let created_at = match item.remove("createdAt") {
        Some(Av::N(n)) => n.parse().expect("createdAt"),
        other => panic!("createdAt: {other:?}"),
    };
    Note {
        user_id,
        note_id,
        content,
        attachment,
        created_at,
    }
}

async fn raw_put(client: &aws_sdk_dynamodb::Client, table: &str, note: &Note) {
    client
        .put_item()
        .table_name(table)
        .set_item(Some(raw_item(note)))
        .send()
        .await
        .expect("raw put");
}

async fn raw_get(client: &aws_sdk_dynamodb::Client, table: &str, key: &NoteKey) -> Option<Note> {
    client
        .get_item()
        .table_name(table)
        .key("userId", Av::S(key.user_id.clone()))
        .key("noteId", Av::S(key.note_id.clone()))
        .send()
        .await
        .expect("raw get")
        .item
        .map(raw_note)
}

async fn raw_query(client: &aws_sdk_dynamodb::Client, table: &str, user: &str) -> Vec<Note> {
    raw_query_with(client, table, user, None).await
}

/// The raw query, optionally asking for the consumed capacity as `DynamoDbBackend` does.
async fn raw_query_with(
    client: &aws_sdk_dynamodb::Client,
    table: &str,
    user: &str,
    capacity: Option<aws_sdk_dynamodb::types::ReturnConsumedCapacity>,
) -> Vec<Note> {
    let mut notes = Vec::new();
    let mut start = None;
    loop {
        let output = client
            .query()
            .table_name(table)
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", "userId")
            .expression_attribute_values(":pk", Av::S(user.to_owned()))
            .set_exclusive_start_key(start)
            .set_return_consumed_capacity(capacity.clone())
            .send()
            .await
            .expect("raw query");
        notes.extend(output.items.unwrap_or_default().into_iter().map(raw_note));
        start = output.last_evaluated_key;
        if start.is_none() {
            return notes;
        }
    }
}

fn main() {
    if !support::benchmarking() {
        return;
    }
    let since = SystemTime::now();
    let url = notes_tests::server::endpoint().expect("no DynamoDB-compatible server");
    let client = notes_tests::server::client(&url);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let table = notes_tests::server::table_name("bench-notes");
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

    let mut criterion = support::criterion();
    let mut group = criterion.benchmark_group("end_to_end");
    group.bench_function("put_typed", |b| {
        b.iter(|| {
            runtime
                .block_on(repo.put(black_box(&target)).into_future())
                .unwrap()
        })
    });
    group.bench_function("put_raw", |b| {
        b.iter(|| runtime.block_on(raw_put(&client, &table, black_box(&target))))
    });
    group.bench_function("get_typed", |b| {
        b.iter(|| {
            runtime
                .block_on(repo.get(black_box(&key)).into_future())
                .unwrap()
                .unwrap()
        })
    });
    group.bench_function("get_raw", |b| {
        b.iter(|| {
            runtime
                .block_on(raw_get(&client, &table, black_box(&key)))
                .unwrap()
        })
    });
    group.bench_function("query_typed", |b| {
        b.iter(|| {
            let notes = runtime.block_on(repo.query(black_box(user)).all()).unwrap();
            assert_eq!(notes.len(), QUERY_NOTES);
        })
    });
    group.bench_function("query_raw", |b| {
        b.iter(|| {
            let notes = runtime.block_on(raw_query(&client, &table, black_box(user)));
            assert_eq!(notes.len(), QUERY_NOTES);
        })
    });
    group.bench_function("query_raw_with_capacity", |b| {
        b.iter(|| {
            let capacity = Some(aws_sdk_dynamodb::types::ReturnConsumedCapacity::Total);
            let notes =
                runtime.block_on(raw_query_with(&client, &table, black_box(user), capacity));
            assert_eq!(notes.len(), QUERY_NOTES);
        })
    });
    group.bench_function("put_typed_x16", |b| {
        b.iter(|| {
            runtime.block_on(join_all(
                notes[..CONCURRENCY]
                    .iter()
                    .map(|n| repo.put(n).into_future()),
            ));
        })
    });
    group.bench_function("put_raw_x16", |b| {
        b.iter(|| {
            runtime.block_on(join_all(
                notes[..CONCURRENCY]
                    .iter()
                    .map(|n| raw_put(&client, &table, n)),
            ));
        })
    });
    group.bench_function("get_typed_x16", |b| {
        b.iter(|| {
            let got = runtime.block_on(join_all(keys.iter().map(|k| repo.get(k).into_future())));
            assert!(got.iter().all(|g| matches!(g, Ok(Some(_)))));
        })
    });
    group.bench_function("get_raw_x16", |b| {
        b.iter(|| {
            let got = runtime.block_on(join_all(keys.iter().map(|k| raw_get(&client, &table, k))));
            assert!(got.iter().all(Option::is_some));
        })
    });
    group.bench_function("query_typed_x16", |b| {
        b.iter(|| {
            runtime.block_on(join_all((0..CONCURRENCY).map(|_| repo.query(user).all())));
        })
    });
    group.bench_function("query_raw_x16", |b| {
        b.iter(|| {
            runtime.block_on(join_all(
                (0..CONCURRENCY).map(|_| raw_query(&client, &table, user)),
            ));
        })
    });
    group.finish();

    // 10,000 notes: seconds per run, so a plain timer, best of `runs`.
    let runs: usize = std::env::var("NOTES_BENCH_BATCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(2);
    let batch: Vec<Note> = (0..BATCH_NOTES)
        .map(|i| note(&format!("us-east-1:batch-{}", i % 100), i))
        .collect();
    let time = |f: &dyn Fn()| {
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                f();
                started.elapsed()
            })
            .min()
            .unwrap_or(Duration::ZERO)
    };
    let batch_time = time(&|| runtime.block_on(repo.batch_put(&batch)).expect("batch_put"));
    let sequential_time = time(&|| {
        runtime.block_on(async {
            for note in &batch {
                repo.put(note).await.expect("put");
            }
        })
    });
    criterion.final_summary();
    runtime.block_on(async {
        let _ = repo.delete_table().await;
    });

    support::report(
        "end to end (in-process dynoxide HTTP server)",
        &[
            Row::new(
                "put: Repo vs raw client",
                "end_to_end/put_typed",
                "end_to_end/put_raw",
            ),
            Row::new(
                "get: Repo vs raw client",
                "end_to_end/get_typed",
                "end_to_end/get_raw",
            ),
            Row::new(
                "query 100 notes: Repo vs raw client",
                "end_to_end/query_typed",
                "end_to_end/query_raw",
            ),
            Row::new(
                "query 100 notes: Repo vs raw client asking for consumed capacity too",
                "end_to_end/query_typed",
                "end_to_end/query_raw_with_capacity",
            ),
            Row::new(
                "query 100 notes: raw client with vs without consumed capacity",
                "end_to_end/query_raw_with_capacity",
                "end_to_end/query_raw",
            ),
            Row::new(
                "16 concurrent puts: Repo vs raw client",
                "end_to_end/put_typed_x16",
                "end_to_end/put_raw_x16",
            ),
            Row::new(
                "16 concurrent gets: Repo vs raw client",
                "end_to_end/get_typed_x16",
                "end_to_end/get_raw_x16",
            ),
            Row::new(
                "16 concurrent queries: Repo vs raw client",
                "end_to_end/query_typed_x16",
                "end_to_end/query_raw_x16",
            ),
        ],
        since,
    );
    println!(
        "| batch write of {BATCH_NOTES} notes: Repo::batch_put vs sequential Repo::put | {batch_time:.2?} | sequential puts | {sequential_time:.2?} | {:.1}x faster |",
        sequential_time.as_secs_f64() / batch_time.as_secs_f64()
    );
}
