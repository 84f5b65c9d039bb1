//! The behaviour of the notes API over HTTP, one function per case, run on every backend.

use std::collections::BTreeSet;

use notes_api::{HeaderIdentity, router, serve};
use notes_repo::{Backend, Item, Note, Repo};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::support::{
    Gate, SERVICE_MESSAGE, ServiceRefuses, TestServer, Throttled, encode, test_key,
};

notes_tests::on_every_backend!(lagging:
    create_get_list_page_update_delete,
    bad_requests_are_400_with_a_json_error,
    cursors_are_bound_to_the_caller,
    requests_without_identity_are_401,
    missing_notes_are_404_and_never_upserted,
    too_large_notes_are_413,
    users_never_see_each_others_notes,
    fifty_concurrent_creates_are_all_listed,
    throttling_is_503_with_retry_after,
    the_server_stops_gracefully,
    cursors_not_made_by_the_api_are_refused,
    oversized_user_ids_are_400_on_every_route,
    service_side_validation_errors_are_500,
);

async fn create_get_list_page_update_delete<B: Backend>(backend: B, table: &str) {
    let server = &TestServer::start(notes_tests::repo(backend, table).await).await;
    let reply = server.post("alice", json!({ "content": "first" })).await;
    assert_eq!(reply.status, 201, "{reply:?}");
    let first = reply.note();
    assert_eq!(reply.location, Some(format!("/notes/{}", first.note_id)));
    // The table's attribute names, and no attachment when there is none.
    let fields: BTreeSet<&str> = reply
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        BTreeSet::from(["userId", "noteId", "content", "createdAt"])
    );
    assert_eq!(first.user_id, "alice");
    assert_eq!(first.content, "first");
    assert!(first.created_at > 1_600_000_000_000, "{first:?}");

    let reply = server
        .post(
            "alice",
            json!({ "content": "second", "attachment": "photo.png" }),
        )
        .await;
    assert_eq!(reply.status, 201, "{reply:?}");
    let second = reply.note();
    assert_eq!(second.attachment.as_deref(), Some("photo.png"));
    let third = server.create("alice", "third").await;

    let reply = server.get("alice", &second.note_id).await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.note(), second);

    // Newest first, two per page.
    let reply = server.list("alice", "limit=2").await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let page = reply.page();
    assert_eq!(page.items, vec![third.clone(), second.clone()]);
    let cursor = page.cursor.expect("a second page");
    let reply = server
        .list("alice", &format!("limit=2&cursor={}", encode(&cursor)))
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let page = reply.page();
    assert_eq!(page.items, vec![first.clone()]);
    assert_eq!(page.cursor, None);
    assert!(
        reply.body.get("cursor").is_none(),
        "no cursor on the last page"
    );

    let reply = server.list("alice", "").await;
    assert_eq!(reply.page().items.len(), 3);
    assert_eq!(reply.page().cursor, None);

    // A PUT replaces content and attachment: no attachment removes it.
    let reply = server
        .put(
            "alice",
            &second.note_id,
            json!({ "content": "second, edited" }),
        )
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    let edited = reply.note();
    assert_eq!(edited.content, "second, edited");
    assert_eq!(edited.attachment, None);
    assert_eq!(
        (&edited.user_id, &edited.note_id, edited.created_at),
        (&second.user_id, &second.note_id, second.created_at)
    );
    assert_eq!(server.get("alice", &second.note_id).await.note(), edited);
    let reply = server
        .put(
            "alice",
            &first.note_id,
            json!({ "content": "first", "attachment": "a.pdf" }),
        )
        .await;
    assert_eq!(reply.note().attachment.as_deref(), Some("a.pdf"));

    let reply = server.delete("alice", &third.note_id).await;
    assert_eq!(reply.status, 204, "{reply:?}");
    assert_eq!(reply.body, Value::Null);
    assert_eq!(server.get("alice", &third.note_id).await.status, 404);
    assert_eq!(server.delete("alice", &third.note_id).await.status, 404);
    let ids: Vec<String> = server
        .list_all("alice", 20)
        .await
        .into_iter()
        .map(|n| n.note_id)
        .collect();
    assert_eq!(ids, vec![second.note_id, first.note_id]);
}

async fn bad_requests_are_400_with_a_json_error<B: Backend>(backend: B, table: &str) {
    let server = &TestServer::start(notes_tests::repo(backend, table).await).await;
    let note = server.create("carol", "keep me").await;
    for body in [
        "{not json",
        "",
        r#"{"content": ""}"#,
        r#"{"content": "   "}"#,
        "{}",
        r#"{"content": 5}"#,
        r#"{"content": "x", "userId": "mallory"}"#,
        r#"["content"]"#,
    ] {
        let reply = server
            .send(Method::POST, "/notes", Some("carol"), Some(body.to_owned()))
            .await;
        assert_eq!(reply.status, 400, "POST {body:?}: {reply:?}");
        assert!(!reply.error().is_empty());
        let reply = server
            .send(
                Method::PUT,
                &format!("/notes/{}", note.note_id),
                Some("carol"),
                Some(body.to_owned()),
            )
            .await;
        assert_eq!(reply.status, 400, "PUT {body:?}: {reply:?}");
    }
    assert!(
        server
            .post("carol", json!({ "content": "" }))
            .await
            .error()
            .contains("empty")
    );
    assert_eq!(server.get("carol", &note.note_id).await.note(), note);
    assert_eq!(server.list_all("carol", 100).await, vec![note]);

    for query in ["limit=0", "limit=101", "limit=-1", "limit=abc", "limit=1.5"] {
        let reply = server.list("carol", query).await;
        assert_eq!(reply.status, 400, "{query}: {reply:?}");
        assert!(!reply.error().is_empty());
    }
    for query in ["limit=1", "limit=100", "limit=20&unknown=1"] {
        assert_eq!(server.list("carol", query).await.status, 200, "{query}");
    }
    for cursor in ["garbage", "", "eyJ9", "%00%01"] {
        let reply = server.list("carol", &format!("cursor={cursor}")).await;
        assert_eq!(reply.status, 400, "cursor {cursor:?}: {reply:?}");
        assert!(reply.error().contains("cursor"), "{reply:?}");
    }
}

async fn cursors_are_bound_to_the_caller<B: Backend>(backend: B, table: &str) {
    let server = &TestServer::start(notes_tests::repo(backend, table).await).await;
    for i in 0..3 {
        server.create("dave", &format!("dave's note {i}")).await;
    }
    server.create("erin", "erin's note").await;
    let cursor = server
        .list("dave", "limit=1")
        .await
        .page()
        .cursor
        .expect("more pages");
    // Another user's cursor: 400, never dave's notes.
    let reply = server
        .list("erin", &format!("limit=1&cursor={}", encode(&cursor)))
        .await;
    assert_eq!(reply.status, 400, "{reply:?}");
    assert!(reply.error().contains("cursor"));
    // Every single-character change of the cursor is refused or stays in dave's partition.
    let mut tampered = cursor.clone().into_bytes();
    for i in 0..tampered.len() {
        let original = tampered[i];
        tampered[i] = if original == b'A' { b'B' } else { b'A' };
        let text = String::from_utf8(tampered.clone()).unwrap();
        let reply = server
            .list("erin", &format!("cursor={}", encode(&text)))
            .await;
        assert_eq!(reply.status, 400, "tampered cursor {text}: {reply:?}");
        tampered[i] = original;
    }
    // dave's own cursor still works.
    let reply = server
        .list("dave", &format!("limit=5&cursor={}", encode(&cursor)))
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.page().items.len(), 2);
}

async fn requests_without_identity_are_401<B: Backend>(backend: B, table: &str) {
    let server = &TestServer::start(notes_tests::repo(backend, table).await).await;
    let note = server.create("frank", "mine").await;
    let path = format!("/notes/{}", note.note_id);
    let body = Some(json!({ "content": "stolen" }).to_string());
    for user in [None, Some(""), Some("   ")] {
        for (method, path, body) in [
            (Method::POST, "/notes", body.clone()),
            (Method::GET, "/notes", None),
            (Method::GET, path.as_str(), None),
            (Method::PUT, path.as_str(), body.clone()),
            (Method::DELETE, path.as_str(), None),
        ] {
            let reply = server.send(method.clone(), path, user, body).await;
            assert_eq!(reply.status, 401, "{method} {path} as {user:?}: {reply:?}");
            assert!(!reply.error().is_empty());
        }
    }
    // Even a malformed body is refused for the missing identity first.
    let reply = server
        .send(Method::POST, "/notes", None, Some("{".to_owned()))
        .await;
    assert_eq!(reply.status, 401);
    assert_eq!(server.get("frank", &note.note_id).await.note(), note);
}

async fn missing_notes_are_404_and_never_upserted<B: Backend>(backend: B, table: &str) {
    let server = &TestServer::start(notes_tests::repo(backend, table).await).await;
    let missing = Note::new("grace", "never stored").note_id;
    let reply = server.get("grace", &missing).await;
    assert_eq!(reply.status, 404, "{reply:?}");
    assert!(!reply.error().is_empty());
    let reply = server
        .put("grace", &missing, json!({ "content": "upsert?" }))
        .await;
    assert_eq!(reply.status, 404, "{reply:?}");
    assert_eq!(server.get("grace", &missing).await.status, 404);
    assert_eq!(server.delete("grace", &missing).await.status, 404);
    assert!(server.list_all("grace", 20).await.is_empty());

    let reply = server.send(Method::GET, "/nope", Some("grace"), None).await;
    assert_eq!(reply.status, 404, "{reply:?}");
    assert!(!reply.error().is_empty());
    let reply = server
        .send(
            Method::PATCH,
            &format!("/notes/{missing}"),
            Some("grace"),
            None,
        )
        .await;
    assert_eq!(reply.status, 405, "{reply:?}");
    assert!(!reply.error().is_empty());
}

async fn too_large_notes_are_413<B: Backend>(backend: B, table: &str) {
    let server = &TestServer::start(notes_tests::repo(backend, table).await).await;
    let huge = "x".repeat(400 * 1024);
    let reply = server.post("heidi", json!({ "content": huge })).await;
    assert_eq!(reply.status, 413, "{:?}", reply.body);
    assert!(reply.error().contains("too large"), "{:?}", reply.body);
    assert!(server.list_all("heidi", 20).await.is_empty());

    let note = server.create("heidi", "small").await;
    let reply = server
        .put("heidi", &note.note_id, json!({ "content": huge }))
        .await;
    assert_eq!(reply.status, 413, "{:?}", reply.body);
    assert_eq!(server.get("heidi", &note.note_id).await.note(), note);

    // A body beyond what the server reads at all.
    let reply = server
        .post("heidi", json!({ "content": "x".repeat(3 * 1024 * 1024) }))
        .await;
    assert_eq!(reply.status, 413, "{:?}", reply.body);
    assert!(!reply.error().is_empty());
}

async fn users_never_see_each_others_notes<B: Backend>(backend: B, table: &str) {
    let server = &TestServer::start(notes_tests::repo(backend, table).await).await;
    // "u1" is a prefix of "u10": neither may reach the other's notes.
    let mine = server.create("u1", "u1's note").await;
    let theirs = server.create("u10", "u10's note").await;
    for (user, other) in [
        ("u1", &theirs),
        ("u10", &mine),
        ("u", &mine),
        ("u", &theirs),
    ] {
        assert_eq!(server.get(user, &other.note_id).await.status, 404, "{user}");
        let reply = server
            .put(user, &other.note_id, json!({ "content": "overwritten" }))
            .await;
        assert_eq!(reply.status, 404, "{user}: {reply:?}");
        assert_eq!(
            server.delete(user, &other.note_id).await.status,
            404,
            "{user}"
        );
    }
    assert_eq!(server.list_all("u1", 20).await, vec![mine.clone()]);
    assert_eq!(server.list_all("u10", 20).await, vec![theirs.clone()]);
    assert!(server.list_all("u", 20).await.is_empty());
    assert_eq!(server.get("u1", &mine.note_id).await.note(), mine);
    assert_eq!(server.get("u10", &theirs.note_id).await.note(), theirs);
}

async fn fifty_concurrent_creates_are_all_listed<B: Backend>(backend: B, table: &str) {
    let server = &TestServer::start(notes_tests::repo(backend, table).await).await;
    let replies = futures::future::join_all(
        (0..50).map(|i| server.post("ivan", json!({ "content": format!("note {i}") }))),
    )
    .await;
    let mut created = BTreeSet::new();
    for reply in &replies {
        assert_eq!(reply.status, 201, "{reply:?}");
        created.insert(reply.note().note_id);
    }
    assert_eq!(created.len(), 50);
    let listed = server.list_all("ivan", 20).await;
    let ids: Vec<String> = listed.iter().map(|n| n.note_id.clone()).collect();
    assert_eq!(ids.iter().cloned().collect::<BTreeSet<_>>(), created);
    assert_eq!(ids.len(), 50, "no note listed twice");
    let mut newest_first = ids.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(ids, newest_first);
}

async fn throttling_is_503_with_retry_after<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, _> = notes_tests::repo(Throttled(backend), table).await;
    let server = TestServer::start(repo).await;
    let id = Note::new("judy", "x").note_id;
    let body = Some(json!({ "content": "x" }).to_string());
    for (method, path, body) in [
        (Method::POST, "/notes".to_owned(), body.clone()),
        (Method::GET, "/notes".to_owned(), None),
        (Method::GET, format!("/notes/{id}"), None),
        (Method::PUT, format!("/notes/{id}"), body.clone()),
        (Method::DELETE, format!("/notes/{id}"), None),
    ] {
        let reply = server.send(method.clone(), &path, Some("judy"), body).await;
        assert_eq!(reply.status, 503, "{method} {path}: {reply:?}");
        assert_eq!(reply.retry_after.as_deref(), Some("1"));
        assert!(!reply.error().is_empty());
    }
}

/// Ctrl-C / SIGTERM (here: the shutdown future) stops accepting connections but finishes a
/// request that is really in flight: held inside the backend until after the signal.
async fn the_server_stops_gracefully<B: Backend>(backend: B, table: &str) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let address = listener.local_addr().unwrap();
    let gate = Gate::new(backend);
    let repo: Repo<Note, _> = notes_tests::repo(gate.clone(), table).await;
    repo.put(&Note::new("kim", "in flight")).await.unwrap();
    let (stop, stopped) = futures::channel::oneshot::channel::<()>();
    let server = tokio::spawn(serve(
        listener,
        router(repo, HeaderIdentity, test_key()),
        async {
            let _ = stopped.await;
        },
    ));
    let client = reqwest::Client::new();
    let url = format!("http://{address}/notes");
    let in_flight = tokio::spawn(client.get(&url).header("x-user-id", "kim").send());
    // The request is inside the handler, waiting at the gate, when the signal comes.
    gate.entered().await;
    stop.send(()).unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(
        !server.is_finished(),
        "the server stopped with a request in flight"
    );
    gate.open();
    let response = in_flight
        .await
        .unwrap()
        .expect("the request in flight is answered");
    assert_eq!(response.status(), 200);
    let page: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(page["items"][0]["content"], "in flight");
    tokio::time::timeout(std::time::Duration::from_secs(10), server)
        .await
        .expect("the server stops once the request is answered")
        .unwrap()
        .expect("serve ends without error");
    assert!(
        client.get(&url).send().await.is_err(),
        "no longer listening"
    );
}

/// The API signs its cursors: a cursor with a valid checksum for the caller's own listing,
/// made outside the API (as a client could), is refused; the API's own cursors work.
async fn cursors_not_made_by_the_api_are_refused<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, _> = notes_tests::repo(backend.clone(), table).await;
    let server = TestServer::start(Repo::<Note, _>::with_table(backend, table.to_owned())).await;
    for i in 0..3 {
        server.create("lena", &format!("lena's note {i}")).await;
    }
    let unsigned = repo
        .query("lena")
        .consistent()
        .descending()
        .limit(1)
        .page(None)
        .await
        .unwrap()
        .cursor
        .expect("more pages");
    let reply = server
        .list("lena", &format!("limit=1&cursor={}", encode(&unsigned)))
        .await;
    assert_eq!(reply.status, 400, "{reply:?}");
    assert!(reply.error().contains("cursor"), "{reply:?}");
    let signed = repo
        .query("lena")
        .consistent()
        .cursor_key(&test_key())
        .descending()
        .limit(1)
        .page(None)
        .await
        .unwrap()
        .cursor
        .expect("more pages");
    let reply = server
        .list("lena", &format!("limit=5&cursor={}", encode(&signed)))
        .await;
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.page().items.len(), 2);
}

/// A user id over DynamoDB's 2048-byte partition key is the caller's mistake on every route,
/// refused by the SDK before anything is sent.
async fn oversized_user_ids_are_400_on_every_route<B: Backend>(backend: B, table: &str) {
    let server = &TestServer::start(notes_tests::repo(backend, table).await).await;
    let user = "u".repeat(3000);
    let id = Note::new("x", "x").note_id;
    let replies = [
        ("GET /notes", server.list(&user, "limit=5").await),
        ("GET /notes/{id}", server.get(&user, &id).await),
        (
            "POST /notes",
            server.post(&user, json!({ "content": "x" })).await,
        ),
        (
            "PUT /notes/{id}",
            server.put(&user, &id, json!({ "content": "x" })).await,
        ),
        ("DELETE /notes/{id}", server.delete(&user, &id).await),
    ];
    for (route, reply) in replies {
        assert_eq!(reply.status, 400, "{route}: {reply:?}");
        assert!(reply.error().contains("userId"), "{route}: {reply:?}");
    }
    assert_eq!(server.list("u1", "").await.page().items, vec![]);
}

/// A validation error raised by DynamoDB (its error as `source`) is the deployment's fault:
/// 500 with a generic body, on every route; the service's message stays in the log.
async fn service_side_validation_errors_are_500<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, _> = notes_tests::repo(ServiceRefuses(backend), table).await;
    let server = TestServer::start(repo).await;
    let id = Note::new("mia", "x").note_id;
    let body = Some(json!({ "content": "x" }).to_string());
    for (method, path, body) in [
        (Method::POST, "/notes".to_owned(), body.clone()),
        (Method::GET, "/notes".to_owned(), None),
        (Method::GET, format!("/notes/{id}"), None),
        (Method::PUT, format!("/notes/{id}"), body.clone()),
        (Method::DELETE, format!("/notes/{id}"), None),
    ] {
        let reply = server.send(method.clone(), &path, Some("mia"), body).await;
        assert_eq!(reply.status, 500, "{method} {path}: {reply:?}");
        assert_eq!(reply.error(), "internal error", "{method} {path}");
        assert!(!reply.body.to_string().contains(SERVICE_MESSAGE));
    }
}

/// A notes table created with `userid` where `Note` has `userId`: the classic misconfiguration.
#[derive(Debug, Serialize, Deserialize, Item)]
#[item(table = "notes")]
struct Misnamed {
    #[partition_key]
    userid: String,
    #[sort_key]
    #[serde(rename = "noteId")]
    note_id: String,
}

/// On the real server: the API on a table with another key schema answers 500 with a
/// generic body (DynamoDB's own ValidationException), not 400 with the service's message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_misconfigured_table_is_500_not_400() {
    let Some(backend) = notes_tests::server_support::available_backend().await else {
        return;
    };
    let table = notes_tests::server_support::table_name("http-misconfigured");
    notes_tests::repo::<Misnamed, _>(backend.clone(), &table).await;
    let server = TestServer::start(Repo::<Note, _>::with_table(backend, table)).await;
    let reply = server.post("nora", json!({ "content": "x" })).await;
    assert_eq!(reply.status, 500, "{reply:?}");
    assert_eq!(reply.error(), "internal error");
    let reply = server.get("nora", &Note::new("nora", "x").note_id).await;
    assert_eq!(reply.status, 500, "{reply:?}");
}
