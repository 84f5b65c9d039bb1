//! `GET /notes/count`: each user's note count from the counter the API keeps from the
//! embedded store's stream. MemoryBackend only: the API feeds the counter from
//! `MemoryBackend::stream_records` in-process (on AWS a Lambda function on the table's stream
//! keeps it, and the route is 501).

use notes_api::{HeaderIdentity, StreamCounts, router, router_with_counts};
use notes_repo::Note;
use reqwest::Method;

use crate::support::{TestServer, memory_repo, test_key};

/// After a random workload through the API (creates, updates, deletes) and writes beside it
/// (a batch, notes that were there before the API started), each user's count equals a full
/// query's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_count_equals_a_full_query_after_a_random_workload() {
    let repo = memory_repo().await;
    repo.put(&Note::new("u0", "before the API started"))
        .await
        .unwrap();
    let counts = StreamCounts::start(&repo).await.unwrap();
    let server = TestServer::start_router(router_with_counts(
        repo.clone(),
        HeaderIdentity,
        test_key(),
        counts,
    ))
    .await;

    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut notes: Vec<Note> = Vec::new();
    for step in 0..60 {
        let user = format!("u{}", next(3));
        match next(4) {
            0 | 1 => notes.push(server.create(&user, &format!("note {step}")).await),
            2 if !notes.is_empty() => {
                let note = notes.swap_remove(next(notes.len() as u64) as usize);
                let reply = server.delete(&note.user_id, &note.note_id).await;
                assert_eq!(reply.status, 204, "{reply:?}");
            }
            _ if !notes.is_empty() => {
                let note = &notes[next(notes.len() as u64) as usize];
                let body = serde_json::json!({ "content": format!("edited {step}") });
                let reply = server.put(&note.user_id, &note.note_id, body).await;
                assert_eq!(reply.status, 200, "{reply:?}");
            }
            _ => {}
        }
        if step % 20 == 0 {
            // A write that does not go through the API is counted too: it is on the stream.
            repo.batch_put(&[Note::new("u1", "batched"), Note::new("u2", "batched")])
                .await
                .unwrap();
        }
    }
    let mut total = 0;
    for user in ["u0", "u1", "u2", "nobody"] {
        let stored = repo.query(user).consistent().all().await.unwrap().len() as i64;
        let reply = server
            .send(Method::GET, "/notes/count", Some(user), None)
            .await;
        assert_eq!(reply.status, 200, "{reply:?}");
        assert_eq!(
            reply.body,
            serde_json::json!({ "userId": user, "count": stored }),
            "{user}"
        );
        total += stored;
    }
    assert!(total > 10, "{total}");
    // The count is the caller's own: no identity, no count.
    let reply = server.send(Method::GET, "/notes/count", None, None).await;
    assert_eq!(reply.status, 401, "{reply:?}");
    // A note id is never `count`'s route: the note itself is still readable.
    let note = &notes[0];
    assert_eq!(server.get(&note.user_id, &note.note_id).await.status, 200);
}

/// A server started without a counter says so: 501 with a JSON error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_counter_the_count_is_501() {
    let server =
        TestServer::start_router(router(memory_repo().await, HeaderIdentity, test_key())).await;
    let reply = server
        .send(Method::GET, "/notes/count", Some("u1"), None)
        .await;
    assert_eq!(reply.status, 501, "{reply:?}");
    assert!(reply.error().contains("stream"), "{reply:?}");
}
