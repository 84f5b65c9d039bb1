//! The notes API (`notes_api::router` on a MemoryBackend) under HTTP load, against a floor:
//! an axum router in the same process, served the same way (`notes_api::serve`), whose
//! handlers return the same JSON bytes (captured from the notes API's own answers) with the
//! same status and headers (content type, and the `location` of a created note), without
//! touching a backend or parsing anything (the POST floor still reads the request body).
//!
//! Routes: `POST /notes`, `GET /notes/{id}`, `GET /notes?limit=20`, each at 1, 16 and 128
//! keep-alive connections. The client is a minimal HTTP/1.1 client over tokio's `TcpStream`
//! (one request in flight per connection; the answer is read to its `content-length`), in
//! the same 2-worker tokio runtime as both servers. Each (route, connections) pair runs
//! paired rounds: notes API then floor, or floor then notes API, for `SLICE` each; the
//! ratio per round is floor requests/s over notes requests/s (how many times the floor's
//! rate the notes API costs), reported as the median with a 95 % bootstrap interval;
//! requests/s and p50/p99 latency are over all rounds of each side.
//!
//! `cargo bench -p notes-benches --bench http_load`
//! (`NOTES_BENCH_HTTP_ROUNDS`, default 9; `NOTES_BENCH_HTTP_SLICE_MS`, default 400;
//! `NOTES_BENCH_HTTP_ONLY=create|get|list` and `NOTES_BENCH_HTTP_CONNECTIONS=16` run one
//! route, one connection count, e.g. under `perf record`).
//!
//! Profiling mode, for instruction counts where `perf` is not available:
//! `NOTES_BENCH_HTTP_PROFILE=notes|floor NOTES_BENCH_HTTP_REQUESTS=N` with one route and one
//! connection count sends `N` requests on each connection to that side only, once, and prints
//! nothing else; run it under `valgrind --tool=callgrind` at two values of `N`: the difference
//! of the two totals over the difference of the request counts is the instructions per request
//! (server, client and runtime in user space; the kernel is not counted), setup cancelled out.

mod support;

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use notes_api::{HeaderIdentity, USER_ID_HEADER, router, serve};
use notes_repo::{CursorKey, MemoryBackend, Note, Repo};
use support::http::{Connection, Side, load, send_each};
use support::paired;
use tokio::net::TcpListener;

const CONNECTIONS: [usize; 3] = [1, 16, 128];
/// Notes per user before the load starts (more than one `limit=20` page).
const SEEDED: usize = 25;

#[derive(Clone, Copy, PartialEq)]
enum Route {
    Create,
    Get,
    List,
}

impl Route {
    fn label(self) -> &'static str {
        match self {
            Route::Create => "POST /notes",
            Route::Get => "GET /notes/{id}",
            Route::List => "GET /notes?limit=20",
        }
    }

    fn status(self) -> u16 {
        match self {
            Route::Create => 201,
            Route::Get | Route::List => 200,
        }
    }

    /// The request bytes of connection `user`, reading note `note_id`.
    fn request(self, user: &str, note_id: &str) -> Vec<u8> {
        match self {
            Route::Create => {
                let body = r#"{"content":"buy milk, eggs and bread on the way home"}"#;
                format!(
                    "POST /notes HTTP/1.1\r\nhost: bench\r\n{USER_ID_HEADER}: {user}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                    body.len()
                )
            }
            Route::Get => format!(
                "GET /notes/{note_id} HTTP/1.1\r\nhost: bench\r\n{USER_ID_HEADER}: {user}\r\n\r\n"
            ),
            Route::List => format!(
                "GET /notes?limit=20 HTTP/1.1\r\nhost: bench\r\n{USER_ID_HEADER}: {user}\r\n\r\n"
            ),
        }
        .into_bytes()
    }
}

/// The floor: the same answers as bytes, no backend.
fn floor_router(created: Bytes, note: Bytes, page: Bytes) -> Router {
    let json = |status: StatusCode, body: Bytes| {
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    let created_json: serde_json::Value = serde_json::from_slice(&created).expect("note json");
    let location = HeaderValue::try_from(format!(
        "/notes/{}",
        created_json["noteId"].as_str().expect("noteId")
    ))
    .expect("a header value");
    Router::new()
        .route(
            "/notes",
            get({
                let page = page.clone();
                move || async move { json(StatusCode::OK, page) }
            })
            .post(move |body: Bytes| async move {
                std::hint::black_box(body);
                let mut response = json(StatusCode::CREATED, created);
                response.headers_mut().insert(header::LOCATION, location);
                response
            }),
        )
        .route(
            "/notes/{id}",
            get(move || async move { json(StatusCode::OK, note) }),
        )
}

fn main() {
    if !support::benchmarking() {
        return;
    }
    let rounds: usize = std::env::var("NOTES_BENCH_HTTP_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(9);
    let slice = Duration::from_millis(
        std::env::var("NOTES_BENCH_HTTP_SLICE_MS")
            .ok()
            .and_then(|r| r.parse().ok())
            .unwrap_or(400),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (notes_address, floor_address, users) = runtime.block_on(async {
        let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
        repo.create_table_on_demand().await.expect("table");
        let key = CursorKey::new(*b"a bench key, not a random one").expect("key");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let notes_address = listener.local_addr().expect("address");
        tokio::spawn(serve(
            listener,
            router(repo, HeaderIdentity, key),
            std::future::pending(),
        ));

        // One user per connection, each with SEEDED notes; keep each user's first note id.
        let max_connections = CONNECTIONS.into_iter().max().unwrap_or(1);
        let mut connection = Connection::open(notes_address).await;
        let mut users = Vec::with_capacity(max_connections);
        let mut created = Vec::new();
        for u in 0..max_connections {
            let user = format!("us-east-1:bench-user-{u:03}");
            let mut first = None;
            for _ in 0..SEEDED {
                let (status, body) = connection.send(&Route::Create.request(&user, "")).await;
                assert_eq!(status, 201, "{}", String::from_utf8_lossy(&body));
                let note: serde_json::Value = serde_json::from_slice(&body).expect("note json");
                first.get_or_insert_with(|| note["noteId"].as_str().expect("noteId").to_owned());
                created = body;
            }
            users.push((user, first.expect("a note")));
        }
        // The floor's bytes: the notes API's own answers.
        let (user, note_id) = &users[0];
        let (status, note) = connection.send(&Route::Get.request(user, note_id)).await;
        assert_eq!(status, 200);
        let (status, page) = connection.send(&Route::List.request(user, note_id)).await;
        assert_eq!(status, 200);
        let page_json: serde_json::Value = serde_json::from_slice(&page).expect("page json");
        assert_eq!(page_json["items"].as_array().map(Vec::len), Some(20));
        let floor = floor_router(created.into(), note.into(), page.into());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let floor_address = listener.local_addr().expect("address");
        tokio::spawn(serve(listener, floor, std::future::pending()));
        (notes_address, floor_address, users)
    });

    if let Ok(side) = std::env::var("NOTES_BENCH_HTTP_PROFILE") {
        let address = match side.as_str() {
            "notes" => notes_address,
            "floor" => floor_address,
            other => panic!("NOTES_BENCH_HTTP_PROFILE is notes or floor, not {other}"),
        };
        let route = match std::env::var("NOTES_BENCH_HTTP_ONLY").as_deref() {
            Ok("create") => Route::Create,
            Ok("get") => Route::Get,
            Ok("list") => Route::List,
            _ => panic!("the profiling mode needs NOTES_BENCH_HTTP_ONLY=create|get|list"),
        };
        let connections: usize = std::env::var("NOTES_BENCH_HTTP_CONNECTIONS")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(16);
        let per_connection: usize = std::env::var("NOTES_BENCH_HTTP_REQUESTS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(1000);
        let requests = (0..connections)
            .map(|c| {
                let (user, note_id) = &users[c % users.len()];
                route.request(user, note_id)
            })
            .collect();
        runtime.block_on(send_each(address, requests, route.status(), per_connection));
        return;
    }

    println!(
        "\n## The notes API on MemoryBackend under HTTP load, against a floor handler returning the same bytes\n"
    );
    println!(
        "| route | connections | notes API req/s | p50 / p99 | floor req/s | p50 / p99 | notes API cost vs floor: median ratio (95 % CI, rounds) |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    let only = std::env::var("NOTES_BENCH_HTTP_ONLY").ok();
    let only_connections: Option<usize> = std::env::var("NOTES_BENCH_HTTP_CONNECTIONS")
        .ok()
        .and_then(|c| c.parse().ok());
    for (name, route) in [
        ("create", Route::Create),
        ("get", Route::Get),
        ("list", Route::List),
    ] {
        if only.as_deref().is_some_and(|only| only != name) {
            continue;
        }
        for connections in CONNECTIONS {
            if only_connections.is_some_and(|only| only != connections) {
                continue;
            }
            let (mut notes, mut floor) = (Side::default(), Side::default());
            let mut ratios = Vec::with_capacity(rounds);
            for round in 0..rounds {
                let requests: Vec<_> = (0..connections)
                    .map(|c| {
                        let (user, note_id) = &users[c % users.len()];
                        route.request(user, note_id)
                    })
                    .collect();
                let run = |address| {
                    runtime.block_on(load(address, requests.clone(), route.status(), slice))
                };
                let (n, f) = if round % 2 == 0 {
                    let n = run(notes_address);
                    (n, run(floor_address))
                } else {
                    let f = run(floor_address);
                    (run(notes_address), f)
                };
                ratios.push(f.rate() / n.rate());
                notes.add(n);
                floor.add(f);
            }
            let ratio = paired::summarize(ratios);
            let (notes_rate, notes_latency) = notes.summary();
            let (floor_rate, floor_latency) = floor.summary();
            println!(
                "| {} | {connections} | {notes_rate} | {notes_latency} | {floor_rate} | {floor_latency} | {ratio} |",
                route.label()
            );
        }
    }
}
