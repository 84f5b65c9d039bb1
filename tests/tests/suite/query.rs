//! Queries of one partition: order, sort-key conditions, pages and cursors, filters.

use futures::TryStreamExt;
use notes_repo::expr::KeyCondition;
use notes_repo::request::Query;
use notes_repo::{AttributeValue, Backend, Error, Item, ItemMap, Note};
use notes_tests::repo;
use serde::{Deserialize, Serialize};

notes_tests::on_every_backend!(
    lagging:
    query_lists_one_users_notes_in_order,
    prefix_user_ids_never_mix,
    sort_key_conditions_on_numbers,
    sort_key_begins_with_on_strings,
    pages_cover_every_item_once,
    foreign_or_tampered_cursors_are_rejected,
    stream_reads_every_page,
    filter_keeps_matching_items,
    query_pages_stop_at_one_megabyte,
    query_keys_are_validated_before_sending,
    limit_zero_is_refused_everywhere,
    limits_beyond_dynamodb_are_refused_alike,
    index_query_keys_are_validated_before_sending,
);

/// A document with an index by owner, for key checks on index queries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(global_index(name = "byOwner", partition_key = "owner", sort_key = "title"))]
pub(crate) struct Doc {
    /// Partition key.
    #[partition_key]
    pub(crate) id: String,
    /// The index's partition key.
    pub(crate) owner: String,
    /// The index's sort key.
    pub(crate) title: String,
}

/// A sensor reading: numeric sort key, for ordering and range conditions on N.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
pub(crate) struct Reading {
    /// The sensor.
    #[partition_key]
    pub(crate) sensor: String,
    /// When, as a signed number: sorts numerically.
    #[sort_key]
    pub(crate) at: i64,
    /// The value read.
    pub(crate) value: f64,
}

fn note(user: &str, content: &str) -> Note {
    Note::new(user, content)
}

/// A query lists exactly one user's notes, oldest first or newest first.
async fn query_lists_one_users_notes_in_order<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let mut mine = Vec::new();
    for i in 0..5 {
        let n = note("alice", &format!("note {i}"));
        repo.put(&n).await.unwrap();
        repo.put(&note("bob", &format!("other {i}"))).await.unwrap();
        mine.push(n);
    }
    assert_eq!(repo.query("alice").consistent().all().await.unwrap(), mine);
    let newest_first = repo
        .query("alice")
        .consistent()
        .descending()
        .all()
        .await
        .unwrap();
    mine.reverse();
    assert_eq!(newest_first, mine);
}

/// Users whose ids are prefixes of each other never see each other's notes.
async fn prefix_user_ids_never_mix<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let users = ["u1", "u10", "u1#", "u", "U1"];
    for user in users {
        for i in 0..3 {
            repo.put(&note(user, &format!("{user}-{i}"))).await.unwrap();
        }
    }
    for user in users {
        let notes = repo.query(user).consistent().all().await.unwrap();
        assert_eq!(notes.len(), 3, "{user}");
        assert!(notes.iter().all(|n| n.user_id == user), "{user}: {notes:?}");
        let page = repo
            .query(user)
            .consistent()
            .limit(2)
            .page(None)
            .await
            .unwrap();
        assert!(page.items.iter().all(|n| n.user_id == user));
    }
}

/// Numeric sort keys order numerically, and every sort-key condition selects the right range.
async fn sort_key_conditions_on_numbers<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Reading, B>(backend, table).await;
    for at in [200, -5, 10, 3, 0, 9] {
        repo.put(&Reading {
            sensor: "s".into(),
            at,
            value: at as f64 / 2.0,
        })
        .await
        .unwrap();
    }
    let ats = |readings: Vec<Reading>| readings.into_iter().map(|r| r.at).collect::<Vec<_>>();
    assert_eq!(
        ats(repo.query("s").consistent().all().await.unwrap()),
        [-5, 0, 3, 9, 10, 200]
    );
    assert_eq!(
        ats(repo
            .query("s")
            .consistent()
            .sort_key_eq(9)
            .all()
            .await
            .unwrap()),
        [9]
    );
    assert_eq!(
        ats(repo
            .query("s")
            .consistent()
            .sort_key_lt(3)
            .all()
            .await
            .unwrap()),
        [-5, 0]
    );
    assert_eq!(
        ats(repo
            .query("s")
            .consistent()
            .sort_key_le(3)
            .all()
            .await
            .unwrap()),
        [-5, 0, 3]
    );
    assert_eq!(
        ats(repo
            .query("s")
            .consistent()
            .sort_key_gt(9)
            .all()
            .await
            .unwrap()),
        [10, 200]
    );
    assert_eq!(
        ats(repo
            .query("s")
            .consistent()
            .sort_key_ge(9)
            .all()
            .await
            .unwrap()),
        [9, 10, 200]
    );
    assert_eq!(
        ats(repo
            .query("s")
            .consistent()
            .sort_key_between(0, 10)
            .descending()
            .all()
            .await
            .unwrap()),
        [10, 9, 3, 0]
    );
}

/// `begins_with` on a string sort key.
async fn sort_key_begins_with_on_strings<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    for id in ["2024-01", "2024-02", "2025-01", "2024"] {
        let mut n = note("u1", id);
        n.note_id = id.into();
        repo.put(&n).await.unwrap();
    }
    let found = repo
        .query("u1")
        .consistent()
        .sort_key_begins_with("2024-")
        .all()
        .await
        .unwrap();
    let ids: Vec<_> = found.iter().map(|n| n.note_id.as_str()).collect();
    assert_eq!(ids, ["2024-01", "2024-02"]);
}

/// Pages with a limit cover every item exactly once; the last page has no cursor.
async fn pages_cover_every_item_once<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let mut all = Vec::new();
    for i in 0..10 {
        let n = note("u1", &format!("n{i}"));
        repo.put(&n).await.unwrap();
        all.push(n);
    }
    all.reverse();
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = repo
            .query("u1")
            .consistent()
            .descending()
            .limit(3)
            .page(cursor.as_deref())
            .await
            .unwrap();
        pages += 1;
        assert!(page.items.len() <= 3);
        seen.extend(page.items);
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 4);
    assert_eq!(seen, all);
    // An exact multiple of the limit also ends without an empty page.
    let first = repo
        .query("u1")
        .consistent()
        .limit(5)
        .page(None)
        .await
        .unwrap();
    let second = repo
        .query("u1")
        .consistent()
        .limit(5)
        .page(first.cursor.as_deref())
        .await
        .unwrap();
    assert_eq!(second.items.len(), 5);
    assert_eq!(second.cursor, None);
}

/// A cursor from another user's listing, or a modified one, is rejected.
async fn foreign_or_tampered_cursors_are_rejected<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    for i in 0..4 {
        repo.put(&note("alice", &format!("a{i}"))).await.unwrap();
        repo.put(&note("bob", &format!("b{i}"))).await.unwrap();
    }
    let alice = repo
        .query("alice")
        .consistent()
        .limit(2)
        .page(None)
        .await
        .unwrap();
    let cursor = alice.cursor.expect("alice has a second page");
    let err = repo
        .query("bob")
        .consistent()
        .limit(2)
        .page(Some(&cursor))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    let err = repo
        .query("alice")
        .consistent()
        .descending()
        .limit(2)
        .page(Some(&cursor))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    let mut tampered = cursor.clone().into_bytes();
    let last = tampered.len() - 1;
    tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let err = repo
        .query("alice")
        .consistent()
        .limit(2)
        .page(Some(&tampered))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    let err = repo
        .query("alice")
        .consistent()
        .limit(2)
        .page(Some("not a cursor"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
}

/// The stream fetches every page; `limit` caps the total.
async fn stream_reads_every_page<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    for i in 0..7 {
        repo.put(&note("u1", &format!("n{i}"))).await.unwrap();
    }
    let all: Vec<Note> = repo
        .query("u1")
        .consistent()
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 7);
    let some: Vec<Note> = repo
        .query("u1")
        .consistent()
        .limit(4)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(some, all[..4]);
}

/// A filter keeps only matching items.
async fn filter_keeps_matching_items<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    repo.put(&note("u1", "plain")).await.unwrap();
    repo.put(&note("u1", "with file").with_attachment("f.pdf"))
        .await
        .unwrap();
    repo.put(&note("u1", "TODO: x")).await.unwrap();
    let with_file = repo
        .query("u1")
        .consistent()
        .filter(Note::ATTACHMENT.exists())
        .all()
        .await
        .unwrap();
    assert_eq!(with_file.len(), 1);
    assert_eq!(with_file[0].content, "with file");
    let todo = repo
        .query("u1")
        .consistent()
        .filter(Note::CONTENT.begins_with("TODO"))
        .all()
        .await
        .unwrap();
    assert_eq!(todo.len(), 1);
}

/// Query pages stop at 1 MB of data read, and carry on from `LastEvaluatedKey`.
async fn query_pages_stop_at_one_megabyte<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend.clone(), table).await;
    let body = "x".repeat(2000);
    for i in 0..600 {
        repo.put(&note("big", &format!("{i:04}{body}")))
            .await
            .unwrap();
    }
    let query = |start: Option<ItemMap>| {
        let mut query = Query::new(
            table,
            KeyCondition::partition("userId", AttributeValue::S("big".into())),
        )
        .consistent_read(true);
        query.exclusive_start_key = start;
        query
    };
    let first = backend.query(query(None)).await.unwrap();
    assert!(first.items.len() < 600, "{}", first.items.len());
    assert!(first.items.len() > 400, "{}", first.items.len());
    let start = first.last_evaluated_key.clone().expect("a second page");
    let second = backend.query(query(Some(start))).await.unwrap();
    assert_eq!(first.items.len() + second.items.len(), 600);
    assert_eq!(second.last_evaluated_key, None);
    assert_eq!(
        repo.query("big").consistent().all().await.unwrap().len(),
        600
    );
}

/// Asserts `result` is `Error::Validation` whose message contains every one of `parts`.
fn assert_validation<T: std::fmt::Debug>(result: Result<T, Error>, parts: &[&str]) {
    match result {
        Err(Error::Validation { message, source }) => {
            assert!(source.is_none(), "raised by the service: {message}");
            for part in parts {
                assert!(message.contains(part), "`{part}` not in: {message}");
            }
        }
        other => panic!("expected a validation error with {parts:?}, got {other:?}"),
    }
}

/// Asserts `result` is `Error::Validation` (raised by the SDK or the service) whose message
/// contains every one of `parts`.
fn assert_validation_from_anywhere<T: std::fmt::Debug>(result: Result<T, Error>, parts: &[&str]) {
    match result {
        Err(Error::Validation { message, .. }) => {
            for part in parts {
                assert!(message.contains(part), "`{part}` not in: {message}");
            }
        }
        other => panic!("expected a validation error with {parts:?}, got {other:?}"),
    }
}

/// Empty and oversized partition keys and sort-key condition values are refused by the SDK
/// (no `source`: nothing was sent), naming the attribute; on pages, streams and `all()`.
async fn query_keys_are_validated_before_sending<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend.clone(), table).await;
    let long = "u".repeat(2049);
    assert_validation(repo.query("").page(None).await, &["userId", "empty"]);
    assert_validation(repo.query("").all().await, &["userId", "empty"]);
    let first: Option<Result<Note, Error>> = repo.query("").stream().try_next().await.transpose();
    assert_validation(first.expect("an error").map(drop), &["userId", "empty"]);
    assert_validation(repo.query(long.as_str()).all().await, &["userId", "2048"]);
    assert_validation(
        repo.query("u".repeat(3000)).page(None).await,
        &["userId", "2048"],
    );
    // 2048 bytes is allowed.
    assert!(repo.query("u".repeat(2048)).all().await.unwrap().is_empty());
    // Sort-key condition values: the sort key's limits.
    let long_sk = "n".repeat(1025);
    assert_validation(
        repo.query("u1").sort_key_eq(long_sk.clone()).all().await,
        &["noteId", "1024"],
    );
    assert_validation(
        repo.query("u1").sort_key_between("", "b").all().await,
        &["noteId", "empty"],
    );
    assert_validation(
        repo.query("u1")
            .sort_key_begins_with(long_sk)
            .page(None)
            .await,
        &["noteId", "1024"],
    );
    assert!(
        repo.query("u1")
            .sort_key_lt("n".repeat(1024))
            .all()
            .await
            .unwrap()
            .is_empty()
    );
}

/// `limit(0)` is a validation error in DynamoDB's wording on `page`, `stream` and `all`,
/// never an empty listing.
async fn limit_zero_is_refused_everywhere<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend.clone(), table).await;
    repo.put(&note("u1", "x")).await.unwrap();
    let wording = "Value '0' at 'limit' failed to satisfy constraint";
    assert_validation(repo.query("u1").limit(0).page(None).await, &[wording]);
    assert_validation(repo.query("u1").limit(0).all().await, &[wording]);
    let first = repo.query("u1").limit(0).stream().try_next().await;
    assert_validation(first, &[wording]);
    // The raw request too, on both backends.
    let raw = Query::new(
        table,
        KeyCondition::partition("userId", AttributeValue::S("u1".into())),
    )
    .limit(0);
    // (The test server words it slightly differently.)
    let raw_wording =
        "failed to satisfy constraint: Member must have value greater than or equal to 1";
    assert_validation_from_anywhere(backend.query(raw).await, &[raw_wording]);
}

/// The largest limit DynamoDB takes (`i32::MAX`) works the same on both backends; a larger
/// one is refused by both, before anything is sent.
async fn limits_beyond_dynamodb_are_refused_alike<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend.clone(), table).await;
    for i in 0..3 {
        repo.put(&note("u1", &format!("n{i}"))).await.unwrap();
    }
    let max = i32::MAX as u32;
    let page = repo
        .query("u1")
        .consistent()
        .limit(max)
        .page(None)
        .await
        .unwrap();
    assert_eq!((page.items.len(), page.cursor), (3, None));
    assert_eq!(
        repo.query("u1")
            .consistent()
            .limit(max)
            .all()
            .await
            .unwrap()
            .len(),
        3
    );
    let wording = "at 'limit' failed to satisfy constraint: Member must have value less than \
                   or equal to 2147483647";
    for limit in [max + 1, u32::MAX] {
        assert_validation(repo.query("u1").limit(limit).page(None).await, &[wording]);
        assert_validation(repo.query("u1").limit(limit).all().await, &[wording]);
        let raw = Query::new(
            table,
            KeyCondition::partition("userId", AttributeValue::S("u1".into())),
        )
        .limit(limit);
        // The AWS backend refuses it in its own words, still before sending.
        assert_validation(backend.query(raw).await, &["2147483647"]);
    }
}

/// `query_index` checks the index's key values, named by the index's attributes.
async fn index_query_keys_are_validated_before_sending<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Doc, B>(backend, table).await;
    assert_validation(
        repo.query_index(Doc::BY_OWNER, "").all().await,
        &["owner", "empty"],
    );
    assert_validation(
        repo.query_index(Doc::BY_OWNER, "o".repeat(2049))
            .page(None)
            .await,
        &["owner", "2048"],
    );
    assert_validation(
        repo.query_index(Doc::BY_OWNER, "ann")
            .sort_key_ge("t".repeat(1025))
            .all()
            .await,
        &["title", "1024"],
    );
    assert_validation(
        repo.query_index(Doc::BY_OWNER, "ann").limit(0).all().await,
        &["Value '0' at 'limit'"],
    );
    assert!(
        repo.query_index(Doc::BY_OWNER, "ann")
            .limit(i32::MAX as u32)
            .all()
            .await
            .unwrap()
            .is_empty()
    );
}
