//! The bad-input catalogue: each bad input, the exact error the caller gets, and proof that
//! nothing was written.

use std::collections::HashMap;

use notes_repo::request::PutItem;
use notes_repo::{AttributeValue, Backend, Error, Item, ItemMap, Note, NoteKey, Repo};
use notes_tests::repo;

use notes_tests::bad_input_support as catalogue;
use notes_tests::bad_input_support::{Sample, SampleKey, sample};

notes_tests::on_every_backend!(
    lagging:
    item_over_400_kb,
    keys_over_their_limits_or_empty,
    nan_and_infinite_floats,
    numbers_beyond_precision_or_range,
    empty_sets,
    nesting_deeper_than_32_levels,
    foreign_items_that_do_not_fit,
    expression_syntax_in_user_ids,
    every_bad_input_gets_its_error,
);

/// Every entry of the catalogue gets exactly its error, and nothing is written.
async fn every_bad_input_gets_its_error<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend.clone(), table).await;
    let samples = repo::<Sample, B>(backend.clone(), &format!("{table}-samples")).await;
    let attempts = catalogue::attempt_every_bad_input(&backend, &notes, &samples).await;
    catalogue::assert_all_refused(&attempts);
    assert!(notes.scan().consistent().all().await.unwrap().is_empty());
    assert!(samples.scan().consistent().all().await.unwrap().is_empty());
}

/// Asserts `result` is a validation error whose message contains every one of `parts`.
fn assert_validation<T: std::fmt::Debug>(result: Result<T, Error>, parts: &[&str]) {
    match result {
        Err(err @ Error::Validation { .. }) => {
            let message = err.to_string();
            for part in parts {
                assert!(message.contains(part), "`{part}` not in: {message}");
            }
        }
        other => panic!("expected a validation error with {parts:?}, got {other:?}"),
    }
}

async fn assert_not_stored<B: Backend>(repo: &Repo<Sample, B>, id: &str) {
    assert_eq!(
        repo.get(&SampleKey::new(id)).consistent().await.unwrap(),
        None,
        "{id} was stored"
    );
}

/// An item over 400 KB.
async fn item_over_400_kb<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let note = Note::new("u1", "x".repeat(409_600));
    let err = repo.put(&note).await.unwrap_err();
    assert!(matches!(err, Error::ItemTooLarge { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("Item size has exceeded the maximum allowed size"),
        "{err}"
    );
    assert_eq!(repo.get(&note.key()).consistent().await.unwrap(), None);
}

/// Key values over their size limits, and empty ones.
async fn keys_over_their_limits_or_empty<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let mut note = Note::new("u".repeat(2049), "x");
    assert_validation(repo.put(&note).await, &["userId", "2048"]);
    note.user_id = "u1".into();
    note.note_id = "n".repeat(1025);
    assert_validation(repo.put(&note).await, &["noteId", "1024"]);
    note.note_id = String::new();
    assert_validation(repo.put(&note).await, &["noteId", "empty"]);
    assert!(repo.query("u1").all().await.unwrap().is_empty());
    assert_validation(repo.get(&NoteKey::new("", "n")).await, &["userId"]);
}

/// NaN and infinite floats are not DynamoDB numbers.
async fn nan_and_infinite_floats<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Sample, B>(backend, table).await;
    for (id, ratio) in [
        ("nan", f64::NAN),
        ("inf", f64::INFINITY),
        ("-inf", f64::NEG_INFINITY),
    ] {
        let item = Sample {
            ratio,
            ..sample(id)
        };
        assert_validation(repo.put(&item).await, &["numeric", "ratio"]);
        assert_not_stored(&repo, id).await;
    }
}

/// Numbers beyond DynamoDB's 38 digits of precision or its range.
async fn numbers_beyond_precision_or_range<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Sample, B>(backend.clone(), table).await;
    // No Rust number type serde_dynamo writes has more than 38 digits; another writer's can.
    let mut raw = sample("precise").to_item().unwrap();
    raw.insert("count".into(), AttributeValue::N("1".repeat(39)));
    let result = backend.put_item(PutItem::new(table, raw)).await;
    assert_validation(result, &["38 significant digits"]);
    assert_not_stored(&repo, "precise").await;
    let item = Sample {
        ratio: 1e130,
        ..sample("huge")
    };
    assert_validation(repo.put(&item).await, &["Number overflow", "ratio"]);
    assert_not_stored(&repo, "huge").await;
    let item = Sample {
        ratio: 1e-131,
        ..sample("tiny")
    };
    assert_validation(repo.put(&item).await, &["Number underflow", "ratio"]);
    assert_not_stored(&repo, "tiny").await;
    let ok = Sample {
        ratio: 9.9e125,
        ..sample("ok")
    };
    repo.put(&ok).await.unwrap();
}

/// Empty sets are not allowed.
async fn empty_sets<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Sample, B>(backend, table).await;
    let item = Sample {
        tags: Vec::new(),
        ..sample("empty-set")
    };
    assert_validation(repo.put(&item).await, &["set", "may not be empty", "tags"]);
    assert_not_stored(&repo, "empty-set").await;
}

/// Nesting deeper than 32 levels.
async fn nesting_deeper_than_32_levels<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Sample, B>(backend, table).await;
    let nest = |depth: usize| {
        (0..depth).fold(
            serde_json::json!(1),
            |inner, _| serde_json::json!({"n": inner}),
        )
    };
    let item = Sample {
        data: nest(40),
        ..sample("deep")
    };
    assert_validation(
        repo.put(&item).await,
        &["Nesting Levels have exceeded supported limits"],
    );
    assert_not_stored(&repo, "deep").await;
    repo.put(&Sample {
        data: nest(20),
        ..sample("shallow")
    })
    .await
    .unwrap();
}

async fn put_raw<B: Backend>(backend: &B, table: &str, item: ItemMap) {
    backend
        .put_item(PutItem::new(table, item))
        .await
        .expect("a raw put");
}

fn raw_note(created_at: Option<AttributeValue>, content: Option<&str>) -> ItemMap {
    let mut item = HashMap::from([
        ("userId".to_owned(), AttributeValue::S("other-app".into())),
        ("noteId".to_owned(), AttributeValue::S("n1".into())),
    ]);
    if let Some(created_at) = created_at {
        item.insert("createdAt".into(), created_at);
    }
    if let Some(content) = content {
        item.insert("content".into(), AttributeValue::S(content.into()));
    }
    item
}

/// Items written by someone else with a wrongly typed or missing attribute fail to read with
/// an error naming the attribute and the item's key.
async fn foreign_items_that_do_not_fit<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend.clone(), table).await;
    put_raw(
        &backend,
        table,
        raw_note(Some(AttributeValue::S("yesterday".into())), Some("x")),
    )
    .await;
    let err = repo
        .get(&NoteKey::new("other-app", "n1"))
        .consistent()
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Item(_)), "{err:?}");
    assert!(message.contains("createdAt"), "{message}");
    assert!(
        message.contains(r#"userId: "other-app""#) && message.contains(r#"noteId: "n1""#),
        "{message}"
    );
    // The same failure in a query names the item too, instead of ending the listing silently.
    let err = repo
        .query("other-app")
        .consistent()
        .all()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("createdAt"), "{err}");

    put_raw(
        &backend,
        table,
        raw_note(Some(AttributeValue::N("1".into())), None),
    )
    .await;
    let err = repo
        .get(&NoteKey::new("other-app", "n1"))
        .consistent()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("content"), "{err}");
}

/// User ids and values full of expression syntax never change what a request does.
async fn expression_syntax_in_user_ids<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let users = [
        "#userId",
        ":v0",
        "a) OR (b",
        "\"quoted\"",
        "'single'",
        "x = :x",
        "SET a = b",
        "u1",
        "u1 ",
    ];
    for user in users {
        repo.create(&Note::new(user, format!("{user} #n0 :v0 )")))
            .await
            .unwrap();
    }
    for user in users {
        let notes = repo.query(user).consistent().all().await.unwrap();
        assert_eq!(notes.len(), 1, "{user}");
        assert_eq!(notes[0].user_id, user);
        assert_eq!(notes[0].content, format!("{user} #n0 :v0 )"));
    }
}
