//! Every operation emits a `dynamodb` span with its table, operation and consumed capacity;
//! credentials and note contents never appear in logs (up to DEBUG, for every target) or in
//! `Debug` output. At TRACE the AWS SDK itself prints request and response bodies and the
//! signer's canonical request (which holds a session token): see the README's guarantees.

mod conventions;

use std::io::Write;
use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use notes_repo::request::{BillingMode, PutItem};
use notes_repo::{AttributeValue, Backend, DynamoDbBackend, Error, Repo, Traced};
use notes_repo::{Item, Note};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

const ACCESS_KEY: &str = "AKIDOBSERVABILITYTEST";
const SECRET_KEY: &str = "s3cr3t/K3Y+0bserv4bility/never-logged";
const SESSION_TOKEN: &str = "T0KEN-never-logged";
const CONTENT: &str = "private note body that must not be logged";
/// Item contents of the failing operations, none of which may reach the logs either.
const FAILED_CONTENT: &str = "private body of a failed write";
const SET_ELEMENT: &str = "private set element quoted by the service";
const CONDITION_VALUE: &str = "private value in a condition";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn operations_are_traced_without_secrets_or_contents() {
    let Some(url) = notes_tests::server_support::endpoint() else {
        if std::env::var("CI").is_ok_and(|ci| ci == "true") {
            panic!("CI=true and no DynamoDB-compatible server");
        }
        eprintln!("skipping: no DynamoDB-compatible server");
        return;
    };
    let config = aws_sdk_dynamodb::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            ACCESS_KEY,
            SECRET_KEY,
            Some(SESSION_TOKEN.to_owned()),
            None,
            "static",
        ))
        .endpoint_url(url)
        .build();
    let backend = DynamoDbBackend::new(aws_sdk_dynamodb::Client::from_conf(config));

    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let table = notes_tests::server_support::table_name("traced");
    let repo: Repo<Note, _> = Repo::with_table(backend.clone(), table.clone());
    repo.ensure_table(BillingMode::PayPerRequest).await.unwrap();
    let note = Note::new("u1", CONTENT);
    repo.put(&note).await.unwrap();
    repo.get(&note.key()).await.unwrap();
    repo.query("u1").all().await.unwrap();

    // Failures: a create over an existing note, a put whose condition fails, a request the
    // service refuses as invalid. Their spans say that they failed, never what the items held.
    let failing = Note {
        content: FAILED_CONTENT.to_owned(),
        ..note.clone()
    };
    let err = repo.create(&failing).await.unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err:?}");
    let err = repo
        .put(&failing)
        .condition(Note::CONTENT.eq(CONDITION_VALUE))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    // The service refuses an item whose key has the wrong type, and one whose string set
    // repeats an element, quoting the element in its message: spans record the error's kind,
    // never its message.
    let traced = Traced::new(backend.clone());
    let mut duplicate = failing.to_item().unwrap();
    duplicate.insert(
        "tags".into(),
        AttributeValue::Ss(vec![SET_ELEMENT.to_owned(), SET_ELEMENT.to_owned()]),
    );
    let err = traced
        .put_item(PutItem::new(table.clone(), duplicate))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    let mut wrong_key = failing.to_item().unwrap();
    wrong_key.insert("noteId".into(), AttributeValue::N("1".into()));
    let err = traced
        .put_item(PutItem::new(table.clone(), wrong_key))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    repo.delete(&note.key()).await.unwrap();
    let failed = |operation: &str, logs: &str| {
        logs.lines().any(|line| {
            line.contains(&format!("operation=\"{operation}\""))
                && line.contains("notes_repo::trace: close")
                && line.contains("error=")
        })
    };

    let logs = captured.text();
    assert!(
        failed("PutItem", &logs),
        "no failed PutItem span in:\n{logs}"
    );
    // Item operations report the capacity they consumed; table admin (ensure_table describes,
    // creates and waits) is traced too, with no capacity.
    let item_operations = ["PutItem", "GetItem", "Query", "DeleteItem"];
    for operation in item_operations
        .into_iter()
        .chain(["DescribeTable", "CreateTable"])
    {
        let line = logs
            .lines()
            .find(|line| {
                line.contains(&format!("operation=\"{operation}\""))
                    && line.contains("notes_repo::trace: close")
            })
            .unwrap_or_else(|| panic!("no closed span for {operation} in:\n{logs}"));
        assert!(
            line.contains(&format!("table=\"{table}\""))
                || line.contains(&format!("table={table}")),
            "{line}"
        );
        if item_operations.contains(&operation) {
            assert!(line.contains("consumed_capacity="), "{line}");
        }
    }
    for secret in [
        SECRET_KEY,
        SESSION_TOKEN,
        CONTENT,
        FAILED_CONTENT,
        SET_ELEMENT,
        CONDITION_VALUE,
    ] {
        if let Some(at) = logs.find(secret) {
            panic!(
                "`{secret}` appeared in the logs: {}",
                &logs[at.saturating_sub(300)..at]
            );
        }
    }
    let debug = format!("{backend:?} {repo:?}");
    for secret in [SECRET_KEY, SESSION_TOKEN] {
        assert!(
            !debug.contains(secret),
            "`{secret}` appeared in Debug output: {debug}"
        );
    }
}
