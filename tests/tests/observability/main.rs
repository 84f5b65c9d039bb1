//! Every operation emits a `dynamodb` span with its table, operation and consumed capacity;
//! credentials and note contents never appear in logs (up to DEBUG, for every target) or in
//! `Debug` output. At TRACE the AWS SDK itself prints request and response bodies and the
//! signer's canonical request (which holds a session token): see the README's guarantees.

use std::io::Write;
use std::sync::{Arc, Mutex};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use notes_repo::request::BillingMode;
use notes_repo::{DynamoDbBackend, Repo};
use notes_repo::{Item, Note};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::fmt::format::FmtSpan;

const ACCESS_KEY: &str = "AKIDOBSERVABILITYTEST";
const SECRET_KEY: &str = "s3cr3t/K3Y+0bserv4bility/never-logged";
const SESSION_TOKEN: &str = "T0KEN-never-logged";
const CONTENT: &str = "private note body that must not be logged";

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
    let Some(url) = notes_tests::server::endpoint() else {
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

    let table = notes_tests::server::table_name("traced");
    let repo: Repo<Note, _> = Repo::with_table(backend.clone(), table.clone());
    repo.ensure_table(BillingMode::PayPerRequest).await.unwrap();
    let note = Note::new("u1", CONTENT);
    repo.put(&note).await.unwrap();
    repo.get(&note.key()).await.unwrap();
    repo.query("u1").all().await.unwrap();
    repo.delete(&note.key()).await.unwrap();

    let logs = captured.text();
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
    for secret in [SECRET_KEY, SESSION_TOKEN, CONTENT] {
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
