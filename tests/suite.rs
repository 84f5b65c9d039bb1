//! The repository behaviour suite: written once, generic over [`Backend`], run on every backend
//! by [`behaviour_suite!`](crate::behaviour_suite).

use futures::TryStreamExt;
use notes_model::{Item, Note, NoteKey};
use notes_repo::request::{self, BillingMode};
use notes_repo::{Backend, Error, Repo};
use serde::{Deserialize, Serialize};

pub use crate::suite_advanced::*;

/// A sensor reading: numeric sort key, for ordering and range conditions on N.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
pub struct Reading {
    /// The sensor.
    #[partition_key]
    pub sensor: String,
    /// When, as a signed number: sorts numerically.
    #[sort_key]
    pub at: i64,
    /// The value read.
    pub value: f64,
}

/// A partition-only item with a counter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
pub struct Counter {
    /// The counter's name.
    #[partition_key]
    pub id: String,
    /// The count.
    pub count: i64,
}

/// A repository on a fresh on-demand table `table` (created, active, verified).
pub async fn repo<T: Item, B: Backend>(backend: B, table: &str) -> Repo<T, B> {
    let repo = Repo::with_table(backend, table.to_owned());
    repo.ensure_table(BillingMode::PayPerRequest)
        .await
        .expect("create the test table");
    repo
}

fn note(user: &str, content: &str) -> Note {
    Note::new(user, content)
}

/// `put` then `get` returns the same item.
pub async fn put_then_get_round_trips<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "hello").with_attachment("a.png");
    repo.put(&n).await.unwrap();
    assert_eq!(repo.get(&n.key()).await.unwrap(), Some(n.clone()));
    assert_eq!(repo.get_consistent(&n.key()).await.unwrap(), Some(n));
}

/// `put` replaces the stored item.
pub async fn put_overwrites<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let mut n = note("u1", "v1").with_attachment("a.png");
    repo.put(&n).await.unwrap();
    n.content = "v2".into();
    n.attachment = None;
    repo.put(&n).await.unwrap();
    assert_eq!(repo.get_consistent(&n.key()).await.unwrap(), Some(n));
}

/// `create` of an existing key is `AlreadyExists` and leaves the stored item alone.
pub async fn create_twice_is_already_exists<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "original");
    repo.create(&n).await.unwrap();
    let mut copy = n.clone();
    copy.content = "impostor".into();
    let err = repo.create(&copy).await.unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err:?}");
    assert!(err.to_string().contains(&n.note_id), "{err}");
    assert_eq!(repo.get_consistent(&n.key()).await.unwrap(), Some(n));
}

/// `get` of a missing key is `None`.
pub async fn get_missing_is_none<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    assert_eq!(
        repo.get(&NoteKey::new("u1", "missing")).await.unwrap(),
        None
    );
}

/// `delete` returns the deleted item, then `None`.
pub async fn delete_returns_the_old_item<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "bye");
    repo.put(&n).await.unwrap();
    assert_eq!(repo.delete(&n.key()).await.unwrap(), Some(n.clone()));
    assert_eq!(repo.delete(&n.key()).await.unwrap(), None);
    assert_eq!(repo.get_consistent(&n.key()).await.unwrap(), None);
}

/// A conditional delete whose condition fails deletes nothing.
pub async fn failed_conditional_delete_keeps_the_item<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "keep");
    repo.put(&n).await.unwrap();
    let err = repo
        .delete_if(&n.key(), Note::CONTENT.eq("other"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    assert_eq!(
        repo.get_consistent(&n.key()).await.unwrap(),
        Some(n.clone())
    );
    let deleted = repo
        .delete_if(&n.key(), Note::CONTENT.eq("keep"))
        .await
        .unwrap();
    assert_eq!(deleted, Some(n));
}

/// SET and REMOVE apply together and the new item comes back typed.
pub async fn update_sets_and_removes<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "old").with_attachment("a.png");
    repo.put(&n).await.unwrap();
    let updated = repo
        .update(&n.key())
        .set(Note::CONTENT.set("new"))
        .set(Note::ATTACHMENT.set(None))
        .if_exists()
        .send()
        .await
        .unwrap();
    assert_eq!(updated.content, "new");
    assert_eq!(updated.attachment, None);
    assert_eq!(updated.created_at, n.created_at);
    assert_eq!(repo.get_consistent(&n.key()).await.unwrap(), Some(updated));
}

/// `if_exists` on a missing item is `NotFound` and creates nothing.
pub async fn update_if_exists_on_missing_item_is_not_found<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let key = NoteKey::new("u1", "missing");
    let err = repo
        .update(&key)
        .set(Note::CONTENT.set("x"))
        .if_exists()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(repo.get_consistent(&key).await.unwrap(), None);
}

/// An update whose condition fails changes nothing; the old image is returned on success.
pub async fn conditional_update_and_old_image<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "v1");
    repo.put(&n).await.unwrap();
    let err = repo
        .update(&n.key())
        .set(Note::CONTENT.set("v2"))
        .condition(Note::CONTENT.eq("v0"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    let old = repo
        .update(&n.key())
        .set(Note::CONTENT.set("v2"))
        .condition(Note::CONTENT.eq("v1"))
        .send_returning_old()
        .await
        .unwrap();
    assert_eq!(old, Some(n.clone()));
    let stored = repo.get_consistent(&n.key()).await.unwrap().unwrap();
    assert_eq!(stored.content, "v2");
}

/// ADD on a number starts from zero and adds.
pub async fn add_increments_a_counter<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Counter, B>(backend, table).await;
    let key = CounterKey::new("visits");
    for _ in 0..3 {
        repo.update(&key)
            .set(Counter::COUNT.add(2))
            .send()
            .await
            .unwrap();
    }
    let counter = repo.get_consistent(&key).await.unwrap().unwrap();
    assert_eq!(counter.count, 6);
}

/// Updating a key attribute is a validation error.
pub async fn updating_a_key_attribute_is_rejected<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "x");
    repo.put(&n).await.unwrap();
    let err = repo
        .update(&n.key())
        .set(Note::USER_ID.set("u2"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("userId"), "{err}");
}

/// A query lists exactly one user's notes, oldest first or newest first.
pub async fn query_lists_one_users_notes_in_order<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let mut mine = Vec::new();
    for i in 0..5 {
        let n = note("alice", &format!("note {i}"));
        repo.put(&n).await.unwrap();
        repo.put(&note("bob", &format!("other {i}"))).await.unwrap();
        mine.push(n);
    }
    assert_eq!(repo.query("alice").all().await.unwrap(), mine);
    let newest_first = repo.query("alice").descending().all().await.unwrap();
    mine.reverse();
    assert_eq!(newest_first, mine);
}

/// Users whose ids are prefixes of each other never see each other's notes.
pub async fn prefix_user_ids_never_mix<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let users = ["u1", "u10", "u1#", "u", "U1"];
    for user in users {
        for i in 0..3 {
            repo.put(&note(user, &format!("{user}-{i}"))).await.unwrap();
        }
    }
    for user in users {
        let notes = repo.query(user).all().await.unwrap();
        assert_eq!(notes.len(), 3, "{user}");
        assert!(notes.iter().all(|n| n.user_id == user), "{user}: {notes:?}");
        let page = repo.query(user).limit(2).page(None).await.unwrap();
        assert!(page.items.iter().all(|n| n.user_id == user));
    }
}

/// Numeric sort keys order numerically, and every sort-key condition selects the right range.
pub async fn sort_key_conditions_on_numbers<B: Backend>(backend: B, table: &str) {
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
        ats(repo.query("s").all().await.unwrap()),
        [-5, 0, 3, 9, 10, 200]
    );
    assert_eq!(
        ats(repo.query("s").sort_key_eq(9).all().await.unwrap()),
        [9]
    );
    assert_eq!(
        ats(repo.query("s").sort_key_lt(3).all().await.unwrap()),
        [-5, 0]
    );
    assert_eq!(
        ats(repo.query("s").sort_key_le(3).all().await.unwrap()),
        [-5, 0, 3]
    );
    assert_eq!(
        ats(repo.query("s").sort_key_gt(9).all().await.unwrap()),
        [10, 200]
    );
    assert_eq!(
        ats(repo.query("s").sort_key_ge(9).all().await.unwrap()),
        [9, 10, 200]
    );
    assert_eq!(
        ats(repo
            .query("s")
            .sort_key_between(0, 10)
            .descending()
            .all()
            .await
            .unwrap()),
        [10, 9, 3, 0]
    );
}

/// `begins_with` on a string sort key.
pub async fn sort_key_begins_with_on_strings<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    for id in ["2024-01", "2024-02", "2025-01", "2024"] {
        let mut n = note("u1", id);
        n.note_id = id.into();
        repo.put(&n).await.unwrap();
    }
    let found = repo
        .query("u1")
        .sort_key_begins_with("2024-")
        .all()
        .await
        .unwrap();
    let ids: Vec<_> = found.iter().map(|n| n.note_id.as_str()).collect();
    assert_eq!(ids, ["2024-01", "2024-02"]);
}

/// Pages with a limit cover every item exactly once; the last page has no cursor.
pub async fn pages_cover_every_item_once<B: Backend>(backend: B, table: &str) {
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
    let first = repo.query("u1").limit(5).page(None).await.unwrap();
    let second = repo
        .query("u1")
        .limit(5)
        .page(first.cursor.as_deref())
        .await
        .unwrap();
    assert_eq!(second.items.len(), 5);
    assert_eq!(second.cursor, None);
}

/// A cursor from another user's listing, or a modified one, is rejected.
pub async fn foreign_or_tampered_cursors_are_rejected<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    for i in 0..4 {
        repo.put(&note("alice", &format!("a{i}"))).await.unwrap();
        repo.put(&note("bob", &format!("b{i}"))).await.unwrap();
    }
    let alice = repo.query("alice").limit(2).page(None).await.unwrap();
    let cursor = alice.cursor.expect("alice has a second page");
    let err = repo
        .query("bob")
        .limit(2)
        .page(Some(&cursor))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    let err = repo
        .query("alice")
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
        .limit(2)
        .page(Some(&tampered))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
    let err = repo
        .query("alice")
        .limit(2)
        .page(Some("not a cursor"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
}

/// The stream fetches every page; `limit` caps the total.
pub async fn stream_reads_every_page<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    for i in 0..7 {
        repo.put(&note("u1", &format!("n{i}"))).await.unwrap();
    }
    let all: Vec<Note> = repo.query("u1").stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 7);
    let some: Vec<Note> = repo
        .query("u1")
        .limit(4)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(some, all[..4]);
}

/// A filter keeps only matching items.
pub async fn filter_keeps_matching_items<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    repo.put(&note("u1", "plain")).await.unwrap();
    repo.put(&note("u1", "with file").with_attachment("f.pdf"))
        .await
        .unwrap();
    repo.put(&note("u1", "TODO: x")).await.unwrap();
    let with_file = repo
        .query("u1")
        .filter(Note::ATTACHMENT.exists())
        .all()
        .await
        .unwrap();
    assert_eq!(with_file.len(), 1);
    assert_eq!(with_file[0].content, "with file");
    let todo = repo
        .query("u1")
        .filter(Note::CONTENT.begins_with("TODO"))
        .all()
        .await
        .unwrap();
    assert_eq!(todo.len(), 1);
}

/// Query pages stop at 1 MB of data read, and carry on from `LastEvaluatedKey`.
pub async fn query_pages_stop_at_one_megabyte<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend.clone(), table).await;
    let body = "x".repeat(2000);
    for i in 0..600 {
        repo.put(&note("big", &format!("{i:04}{body}")))
            .await
            .unwrap();
    }
    let query = |start| request::Query {
        table_name: table.to_owned(),
        index_name: None,
        key_condition: notes_model::expr::KeyCondition::partition(
            "userId",
            notes_model::AttributeValue::S("big".into()),
        ),
        filter: None,
        projection: None,
        limit: None,
        scan_index_forward: true,
        exclusive_start_key: start,
        consistent_read: true,
    };
    let first = backend.query(query(None)).await.unwrap();
    assert!(first.items.len() < 600, "{}", first.items.len());
    assert!(first.items.len() > 400, "{}", first.items.len());
    let start = first.last_evaluated_key.clone().expect("a second page");
    let second = backend.query(query(Some(start))).await.unwrap();
    assert_eq!(first.items.len() + second.items.len(), 600);
    assert_eq!(second.last_evaluated_key, None);
    assert_eq!(repo.query("big").all().await.unwrap().len(), 600);
}

/// A table that does not exist is `TableNotFound`.
pub async fn missing_table_is_table_not_found<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, B> = Repo::with_table(backend, format!("{table}-missing"));
    let err = repo.get(&NoteKey::new("u", "n")).await.unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
    let err = repo.put(&note("u", "x")).await.unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
}

/// An item over 400 KB is rejected before sending, and nothing is written.
pub async fn oversized_item_is_rejected<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", &"x".repeat(400 * 1024));
    let err = repo.put(&n).await.unwrap_err();
    assert!(matches!(err, Error::ItemTooLarge { .. }), "{err:?}");
    assert_eq!(repo.get_consistent(&n.key()).await.unwrap(), None);
    let fits = note("u1", &"x".repeat(390 * 1024));
    repo.put(&fits).await.unwrap();
}

/// Empty and oversized key values are validation errors.
pub async fn invalid_keys_are_rejected<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let err = repo.put(&note("", "x")).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("userId"), "{err}");
    let err = repo.put(&note(&"u".repeat(2049), "x")).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    repo.put(&note(&"u".repeat(2048), "x")).await.unwrap();
    let err = repo.get(&NoteKey::new("u1", "")).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
}

/// A live table whose key schema differs from the type is reported with both schemas.
pub async fn key_schema_mismatch_names_both_sides<B: Backend>(backend: B, table: &str) {
    let mut wrong = Note::KEY_SCHEMA;
    wrong.partition_key.name = "userid".into();
    backend
        .create_table(request::CreateTable {
            table_name: table.to_owned(),
            key_schema: wrong,
            billing_mode: BillingMode::PayPerRequest,
            indexes: Vec::new(),
        })
        .await
        .unwrap();
    let repo: Repo<Note, B> = Repo::with_table(backend, table.to_owned());
    repo.wait_until_active(notes_repo::DEFAULT_ACTIVE_TIMEOUT)
        .await
        .unwrap();
    let err = repo
        .ensure_table(BillingMode::PayPerRequest)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::KeySchemaMismatch { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("userid (S, partition)"), "{message}");
    assert!(message.contains("userId (S, partition)"), "{message}");
}

/// Values full of expression syntax are stored and read back verbatim.
pub async fn expression_syntax_in_values_is_data<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let nasty = r#"#n0 = :v0) OR attribute_exists(userId) AND "quoted" 'single' :: ## SET REMOVE"#;
    let mut n = note(nasty, nasty);
    n.note_id = format!("{nasty}#id");
    repo.create(&n).await.unwrap();
    assert_eq!(
        repo.get_consistent(&n.key()).await.unwrap(),
        Some(n.clone())
    );
    let updated = repo
        .update(&n.key())
        .set(Note::CONTENT.set(format!("{nasty}!")))
        .condition(Note::CONTENT.eq(nasty))
        .send()
        .await
        .unwrap();
    assert_eq!(updated.content, format!("{nasty}!"));
    assert_eq!(repo.query(nasty).all().await.unwrap(), vec![updated]);
}

/// Generates one `#[tokio::test]` per suite case, each on a fresh table of `$backend`.
#[macro_export]
macro_rules! behaviour_suite {
    ($backend:expr) => {
        $crate::backend_cases!(suite; $backend;
            put_then_get_round_trips,
            put_overwrites,
            create_twice_is_already_exists,
            get_missing_is_none,
            delete_returns_the_old_item,
            failed_conditional_delete_keeps_the_item,
            update_sets_and_removes,
            update_if_exists_on_missing_item_is_not_found,
            conditional_update_and_old_image,
            add_increments_a_counter,
            updating_a_key_attribute_is_rejected,
            query_lists_one_users_notes_in_order,
            prefix_user_ids_never_mix,
            sort_key_conditions_on_numbers,
            sort_key_begins_with_on_strings,
            pages_cover_every_item_once,
            foreign_or_tampered_cursors_are_rejected,
            stream_reads_every_page,
            filter_keeps_matching_items,
            query_pages_stop_at_one_megabyte,
            missing_table_is_table_not_found,
            oversized_item_is_rejected,
            invalid_keys_are_rejected,
            key_schema_mismatch_names_both_sides,
            expression_syntax_in_values_is_data,
            versions_are_checked_and_bumped,
            concurrent_versioned_updates_lose_nothing,
            transactions_are_all_or_nothing,
            transactions_hold_at_most_100_actions,
            transactions_check_versions,
            scan_reads_everything_in_segments,
            secondary_indexes_are_queried_with_typed_keys,
        );
    };
}

/// One `#[tokio::test]` per case `$module::$case(backend, table)`, on `$backend`
/// (an `Option<impl Backend>`: `None` skips, which the server module only allows outside CI).
#[macro_export]
macro_rules! backend_cases {
    ($module:ident; $backend:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let Some(backend) = $backend else { return };
                let table = $crate::server::table_name(stringify!($case));
                $crate::$module::$case(backend, &table).await;
            }
        )*
    };
}
