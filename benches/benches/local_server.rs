//! notes-local (the engine served over DynamoDB's protocol) against dynoxide's HTTP server,
//! both in-memory, in the same process and the same 2-worker tokio runtime as the client,
//! sent the same request bytes by the same client (`support::http`): `GetItem` of one note,
//! `PutItem` of one note, and a `Query` answering 100 notes, each at 1, 16 and 64 keep-alive
//! connections (one user, with 100 notes, per connection). Each (operation, connections) pair
//! runs paired rounds, notes-local first or dynoxide first in turn, `SLICE` each; the ratio
//! per round is notes-local's requests/s over dynoxide's, reported as the median with a 95 %
//! bootstrap interval; requests/s and p50/p99 latency are over all rounds of each side.
//!
//! A third server, the floor, answers every request with the bytes notes-local answered it,
//! from an axum handler that reads the body and touches nothing else: what the transport (the
//! kernel's loopback, hyper, the client) costs per request, the part neither server can cut.
//! "Above the floor" compares what the servers themselves spend per request: (dynoxide's time
//! per request - the floor's) / (notes-local's - the floor's), from the medians of the rounds.
//!
//! `cargo bench -p notes-benches --bench local_server`
//! (`NOTES_BENCH_HTTP_ROUNDS`, default 9; `NOTES_BENCH_HTTP_SLICE_MS`, default 400;
//! `NOTES_BENCH_HTTP_ONLY=get|put|query`, `NOTES_BENCH_HTTP_CONNECTIONS=16`)

mod support;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::post;
use notes_local::{LocalServer, ServerOptions, Service};
use notes_repo::MemoryBackend;
use serde_json::{Value, json};
use support::http::{Connection, Side, load};
use support::paired;
use tokio::net::TcpListener;

const CONNECTIONS: [usize; 3] = [1, 16, 64];
/// Notes per user: one `Query` answers all of them.
const NOTES: usize = 100;

/// A DynamoDB request as an SDK sends it (a signature neither server checks).
fn request(operation: &str, body: &Value) -> Vec<u8> {
    let body = body.to_string();
    format!(
        "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-amz-json-1.0\r\n\
         x-amz-target: DynamoDB_20120810.{operation}\r\nx-amz-date: 20261206T000000Z\r\n\
         authorization: AWS4-HMAC-SHA256 Credential=test/20261206/us-east-1/dynamodb/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00\r\n\
         content-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Note `i` of user `u`, as DynamoDB JSON (about 200 bytes, as the other benchmarks').
fn note(u: usize, i: usize) -> Value {
    let note = support::note(u, i);
    json!({
        "userId": {"S": note.user_id},
        "noteId": {"S": note.note_id},
        "content": {"S": note.content},
        "createdAt": {"N": note.created_at.to_string()},
    })
}

#[derive(Clone, Copy)]
enum Operation {
    Get,
    Put,
    Query,
}

impl Operation {
    fn label(self) -> &'static str {
        match self {
            Operation::Get => "GetItem",
            Operation::Put => "PutItem",
            Operation::Query => "Query (100 items)",
        }
    }

    /// User `u`'s request.
    fn request(self, u: usize) -> Vec<u8> {
        match self {
            Operation::Get => {
                let note = note(u, 0);
                request(
                    "GetItem",
                    &json!({"TableName": "notes", "Key": {"userId": note["userId"], "noteId": note["noteId"]}}),
                )
            }
            Operation::Put => request(
                "PutItem",
                &json!({"TableName": "notes", "Item": note(u, 0)}),
            ),
            Operation::Query => request(
                "Query",
                &json!({
                    "TableName": "notes",
                    "KeyConditionExpression": "userId = :u",
                    "ExpressionAttributeValues": {":u": {"S": support::user(u)}},
                }),
            ),
        }
    }
}

/// Creates the notes table on the server at `address` and writes every user's notes.
async fn seed(address: SocketAddr, users: usize) {
    let mut connection = Connection::open(address).await;
    let create = json!({
        "TableName": "notes",
        "AttributeDefinitions": [
            {"AttributeName": "userId", "AttributeType": "S"},
            {"AttributeName": "noteId", "AttributeType": "S"},
        ],
        "KeySchema": [
            {"AttributeName": "userId", "KeyType": "HASH"},
            {"AttributeName": "noteId", "KeyType": "RANGE"},
        ],
        "BillingMode": "PAY_PER_REQUEST",
    });
    let (status, body) = connection.send(&request("CreateTable", &create)).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    for u in 0..users {
        for i in 0..NOTES {
            let put = json!({"TableName": "notes", "Item": note(u, i)});
            let (status, body) = connection.send(&request("PutItem", &put)).await;
            assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
        }
    }
    // Both servers answer the query with every note of the user.
    let (status, body) = connection.send(&Operation::Query.request(0)).await;
    assert_eq!(status, 200);
    let page: Value = serde_json::from_slice(&body).expect("query json");
    assert_eq!(page["Count"], NOTES, "{page}");
}

/// The floor: answers `answer` (with DynamoDB's content type) to every POST, after reading
/// the body.
async fn floor(answer: Vec<u8>) -> SocketAddr {
    let answer = Bytes::from(answer);
    let router = Router::new().route(
        "/",
        post(move |body: Bytes| {
            let answer = answer.clone();
            async move {
                std::hint::black_box(body);
                (
                    [(header::CONTENT_TYPE, "application/x-amz-json-1.0")],
                    answer,
                )
                    .into_response()
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

fn env<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok()?.parse().ok()
}

fn main() {
    if !support::benchmarking() {
        return;
    }
    let rounds: usize = env("NOTES_BENCH_HTTP_ROUNDS").unwrap_or(9);
    let slice = Duration::from_millis(env("NOTES_BENCH_HTTP_SLICE_MS").unwrap_or(400));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let users = CONNECTIONS.into_iter().max().unwrap_or(1);
    let (local, dynoxide) = runtime.block_on(async {
        let service = Service::new(MemoryBackend::new(), "us-east-1");
        let server = LocalServer::start(service, ServerOptions::default())
            .await
            .expect("notes-local starts");
        let local = server.local_addr();
        std::mem::forget(server); // serves until the process exits
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let dynoxide = listener.local_addr().expect("address");
        let database = dynoxide::Database::memory().expect("dynoxide");
        tokio::spawn(dynoxide::server::serve_with_shutdown(
            listener,
            database,
            std::future::pending::<()>(),
        ));
        seed(local, users).await;
        seed(dynoxide, users).await;
        (local, dynoxide)
    });

    println!("\n## notes-local against dynoxide's HTTP server, same client, same requests\n");
    println!(
        "| operation | connections | notes-local req/s | p50 / p99 | dynoxide req/s | p50 / p99 | floor req/s | notes-local / dynoxide throughput: median ratio (95 % CI, rounds) | above the floor: dynoxide / notes-local |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let only = std::env::var("NOTES_BENCH_HTTP_ONLY").ok();
    let only_connections: Option<usize> = env("NOTES_BENCH_HTTP_CONNECTIONS");
    for (name, operation) in [
        ("get", Operation::Get),
        ("put", Operation::Put),
        ("query", Operation::Query),
    ] {
        if only.as_deref().is_some_and(|only| only != name) {
            continue;
        }
        for connections in CONNECTIONS {
            if only_connections.is_some_and(|only| only != connections) {
                continue;
            }
            let requests: Vec<_> = (0..connections).map(|u| operation.request(u)).collect();
            let floor = runtime.block_on(async {
                let (status, answer) = Connection::open(local).await.send(&requests[0]).await;
                assert_eq!(status, 200);
                floor(answer).await
            });
            let run = |address| runtime.block_on(load(address, requests.clone(), 200, slice));
            let (mut ours, mut theirs, mut floors) =
                (Side::default(), Side::default(), Side::default());
            let (mut ratios, mut above) = (Vec::with_capacity(rounds), Vec::with_capacity(rounds));
            for round in 0..rounds {
                let (o, t, f) = match round % 3 {
                    0 => (run(local), run(dynoxide), run(floor)),
                    1 => {
                        let t = run(dynoxide);
                        let f = run(floor);
                        (run(local), t, f)
                    }
                    _ => {
                        let f = run(floor);
                        let o = run(local);
                        (o, run(dynoxide), f)
                    }
                };
                ratios.push(o.rate() / t.rate());
                let per = |side: &Side| 1.0 / side.rate();
                above.push((per(&t) - per(&f)) / (per(&o) - per(&f)));
                ours.add(o);
                theirs.add(t);
                floors.add(f);
            }
            let ratio = paired::summarize(ratios);
            let above = paired::summarize(above);
            let (our_rate, our_latency) = ours.summary();
            let (their_rate, their_latency) = theirs.summary();
            let (floor_rate, _) = floors.summary();
            println!(
                "| {} | {connections} | {our_rate} | {our_latency} | {their_rate} | {their_latency} | {floor_rate} | {ratio} | {above} |",
                operation.label()
            );
        }
    }
}
