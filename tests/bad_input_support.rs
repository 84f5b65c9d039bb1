//! The bad-input catalogue as data: every bad input the typed API refuses before sending, and
//! the error each gets. Run by the suite on both backends (`suite/bad_input.rs`) and through
//! the fault proxy, which counts that none of them reaches the server (`faults/bad_input.rs`), so
//! an entry added here is checked both ways.

use futures::TryStreamExt;
use notes_repo::{Backend, Error, Item, Note, NoteKey, Repo, WriteTransaction};
use serde::{Deserialize, Serialize};

/// An item with every kind of attribute a caller can get wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
pub struct Sample {
    /// Partition key.
    #[partition_key]
    pub id: String,
    /// A float.
    pub ratio: f64,
    /// An integer.
    pub count: u64,
    /// A string set.
    #[serde(with = "serde_dynamo::string_set", default)]
    pub tags: Vec<String>,
    /// Free-form nested data.
    pub data: serde_json::Value,
}

/// A valid sample.
pub fn sample(id: &str) -> Sample {
    Sample {
        id: id.into(),
        ratio: 0.5,
        count: 1,
        tags: vec!["a".into()],
        data: serde_json::json!({"k": 1}),
    }
}

/// `{"n": {"n": ... 1}}`, `depth` levels deep.
pub fn nested(depth: usize) -> serde_json::Value {
    (0..depth).fold(
        serde_json::json!(1),
        |inner, _| serde_json::json!({"n": inner}),
    )
}

/// The error a bad input must get.
#[derive(Debug, Clone, Copy)]
pub enum Expected {
    /// `Error::Validation` raised by the SDK (no `source`), its message containing each part.
    Validation(&'static [&'static str]),
    /// `Error::ItemTooLarge` raised by the SDK.
    TooLarge,
}

/// One bad input and what the caller got.
#[derive(Debug)]
pub struct Attempt {
    /// What was wrong.
    pub input: &'static str,
    /// What the caller must get.
    pub expected: Expected,
    /// What the caller got.
    pub result: Result<(), Error>,
}

/// Tries every bad input of the catalogue, on `notes` and `samples` (tables of their types),
/// and returns what each got; nothing here is a valid request.
pub async fn attempt_every_bad_input<B: Backend>(
    backend: &B,
    notes: &Repo<Note, B>,
    samples: &Repo<Sample, B>,
) -> Vec<Attempt> {
    use Expected::{TooLarge, Validation};
    let mut attempts = Vec::new();
    let mut record = |input, expected, result: Result<(), Error>| {
        attempts.push(Attempt {
            input,
            expected,
            result,
        });
    };

    record(
        "an item over 400 KB",
        TooLarge,
        notes.put(&Note::new("u1", "x".repeat(409_600))).await,
    );
    let mut note = Note::new("u".repeat(2049), "x");
    record(
        "a partition key over 2048 bytes",
        Validation(&["userId", "2048"]),
        notes.put(&note).await,
    );
    note.user_id = "u1".into();
    note.note_id = "n".repeat(1025);
    record(
        "a sort key over 1024 bytes",
        Validation(&["noteId", "1024"]),
        notes.put(&note).await,
    );
    note.note_id = String::new();
    record(
        "an empty sort key",
        Validation(&["noteId", "empty"]),
        notes.put(&note).await,
    );
    record(
        "a get with an empty partition key",
        Validation(&["userId", "empty"]),
        drop_ok(notes.get(&NoteKey::new("", "n")).await),
    );
    for (input, ratio) in [
        ("NaN", f64::NAN),
        ("infinity", f64::INFINITY),
        ("-infinity", f64::NEG_INFINITY),
    ] {
        let item = Sample {
            ratio,
            ..sample("nan")
        };
        record(
            input,
            Validation(&["numeric", "ratio"]),
            samples.put(&item).await,
        );
    }
    let item = Sample {
        ratio: 1e130,
        ..sample("huge")
    };
    record(
        "a number beyond DynamoDB's range",
        Validation(&["Number overflow", "ratio"]),
        samples.put(&item).await,
    );
    let item = Sample {
        ratio: 1e-131,
        ..sample("tiny")
    };
    record(
        "a number below DynamoDB's smallest",
        Validation(&["Number underflow", "ratio"]),
        samples.put(&item).await,
    );
    let item = Sample {
        tags: Vec::new(),
        ..sample("empty-set")
    };
    record(
        "an empty set",
        Validation(&["set", "may not be empty", "tags"]),
        samples.put(&item).await,
    );
    let item = Sample {
        data: nested(40),
        ..sample("deep")
    };
    record(
        "nesting deeper than 32 levels",
        Validation(&["Nesting Levels have exceeded supported limits"]),
        samples.put(&item).await,
    );
    let batch: Vec<Note> = (0..101).map(|i| Note::new("u1", format!("n{i}"))).collect();
    let transaction = batch
        .iter()
        .fold(WriteTransaction::new(backend), |tx, n| tx.put(notes.put(n)));
    record(
        "a transaction of 101 actions",
        Validation(&["100"]),
        transaction.await,
    );
    let duplicates = [batch[0].clone(), batch[1].clone(), batch[0].clone()];
    record(
        "duplicate keys in a batch",
        Validation(&["contains duplicates"]),
        notes.batch_put(&duplicates).await,
    );

    // Queries: keys and limits.
    record(
        "a query of an empty partition key",
        Validation(&["userId", "empty"]),
        drop_ok(notes.query("").page(None).await),
    );
    record(
        "a query of an empty partition key, streamed",
        Validation(&["userId", "empty"]),
        drop_ok(notes.query("").stream().try_collect::<Vec<_>>().await),
    );
    record(
        "a query of a 3000-byte partition key",
        Validation(&["userId", "2048"]),
        drop_ok(notes.query("u".repeat(3000)).all().await),
    );
    record(
        "a sort-key condition over 1024 bytes",
        Validation(&["noteId", "1024"]),
        drop_ok(notes.query("u1").sort_key_gt("n".repeat(1025)).all().await),
    );
    record(
        "an empty sort-key prefix",
        Validation(&["noteId", "empty"]),
        drop_ok(notes.query("u1").sort_key_begins_with("").all().await),
    );
    let limit_zero = &["Value '0' at 'limit' failed to satisfy constraint"];
    record(
        "limit(0) on a page",
        Validation(limit_zero),
        drop_ok(notes.query("u1").limit(0).page(None).await),
    );
    record(
        "limit(0) on all()",
        Validation(limit_zero),
        drop_ok(notes.query("u1").limit(0).all().await),
    );
    record(
        "a limit over 2147483647",
        Validation(&["at 'limit'", "2147483647"]),
        drop_ok(notes.query("u1").limit(u32::MAX).page(None).await),
    );
    attempts
}

/// The outcome without the value: only the error matters here.
fn drop_ok<T>(result: Result<T, Error>) -> Result<(), Error> {
    result.map(drop)
}

/// Asserts that every attempt got exactly its expected error.
pub fn assert_all_refused(attempts: &[Attempt]) {
    for attempt in attempts {
        let input = attempt.input;
        match (&attempt.result, attempt.expected) {
            (Err(Error::Validation { message, source }), Expected::Validation(parts)) => {
                assert!(
                    source.is_none(),
                    "{input}: raised by the service: {message}"
                );
                for part in parts {
                    assert!(
                        message.contains(part),
                        "{input}: `{part}` not in: {message}"
                    );
                }
            }
            (Err(Error::ItemTooLarge { source, .. }), Expected::TooLarge) => {
                assert!(source.is_none(), "{input}: raised by the service");
            }
            (other, expected) => panic!("{input}: expected {expected:?}, got {other:?}"),
        }
    }
}
