//! Faults on the wire: the AWS backend talks to the server through a proxy on 127.0.0.1 that
//! resets connections, answers 500s and throttling, and leaves batch items unprocessed.
//! Retries follow the SDK's retry configuration; what cannot be done surfaces as a typed
//! error; nothing is silently lost.

use std::collections::HashSet;
use std::sync::Arc;

use crate::proxy::{self, Fault, FaultProxy};
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use notes_repo::request::{BillingMode, WriteRequest};
use notes_repo::{BatchOptions, DynamoDbBackend, Error, Repo, RetryPolicy};
use notes_repo::{Item, Note};

const MAX_ATTEMPTS: u32 = 3;

pub(crate) fn backend_at(url: &str) -> DynamoDbBackend {
    let config = aws_sdk_dynamodb::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(MAX_ATTEMPTS)
                .with_initial_backoff(std::time::Duration::from_millis(1)),
        )
        .endpoint_url(url)
        .build();
    DynamoDbBackend::new(aws_sdk_dynamodb::Client::from_conf(config))
}

/// The direct server, and a proxy to it following `plan`; `None` skips outside CI.
async fn setup(
    table: &str,
    plan: proxy::Plan,
) -> Option<(
    Repo<Note, DynamoDbBackend>,
    Repo<Note, DynamoDbBackend>,
    FaultProxy,
)> {
    let direct = notes_tests::server_support::available_backend().await?;
    let upstream = notes_tests::server_support::endpoint()?;
    let direct: Repo<Note, _> = Repo::with_table(direct, table.to_owned());
    direct
        .ensure_table(BillingMode::PayPerRequest)
        .await
        .unwrap();
    let proxy = FaultProxy::start(&upstream, plan).await;
    let faulty = Repo::with_table(backend_at(&proxy.url), table.to_owned()).with_batch_options(
        BatchOptions {
            retry: RetryPolicy {
                base_delay: std::time::Duration::from_millis(1),
                ..BatchOptions::default().retry
            },
            ..BatchOptions::default()
        },
    );
    Some((direct, faulty, proxy))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_server_errors_are_retried_then_reported() {
    let table = notes_tests::server_support::table_name("faults-500");
    let plan: proxy::Plan = Arc::new(|_, op| {
        if op == "PutItem" {
            Fault::ServerError
        } else {
            Fault::Pass
        }
    });
    let Some((direct, faulty, proxy)) = setup(&table, plan).await else {
        return;
    };
    let note = Note::new("u1", "x");
    let before = proxy.requests();
    let err = faulty.put(&note).await.unwrap_err();
    assert!(matches!(err, Error::Backend { .. }), "{err:?}");
    assert_eq!(
        proxy.requests() - before,
        u64::from(MAX_ATTEMPTS),
        "one request per SDK attempt"
    );
    assert_eq!(direct.get(&note.key()).consistent().await.unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_throttling_is_throttled_after_the_sdks_retries() {
    let table = notes_tests::server_support::table_name("faults-throttle");
    let plan: proxy::Plan = Arc::new(|_, op| {
        if op == "GetItem" {
            Fault::Throttle
        } else {
            Fault::Pass
        }
    });
    let Some((_direct, faulty, proxy)) = setup(&table, plan).await else {
        return;
    };
    let before = proxy.requests();
    let err = faulty
        .get(&notes_repo::NoteKey::new("u1", "n1"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Throttled { .. }), "{err:?}");
    assert_eq!(proxy.requests() - before, u64::from(MAX_ATTEMPTS));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_faults_are_invisible_to_the_caller() {
    let table = notes_tests::server_support::table_name("faults-transient");
    // Every other request fails in some way; one retry always gets through.
    let plan: proxy::Plan = Arc::new(|n, _| match n % 6 {
        1 => Fault::ServerError,
        3 => Fault::Reset,
        5 => Fault::Throttle,
        _ => Fault::Pass,
    });
    let Some((direct, faulty, _proxy)) = setup(&table, plan).await else {
        return;
    };
    let mut notes = Vec::new();
    for i in 0..12 {
        let note = Note::new("u1", format!("n{i}"));
        faulty.create(&note).await.unwrap();
        notes.push(note);
    }
    assert_eq!(faulty.query("u1").all().await.unwrap(), notes);
    assert_eq!(direct.query("u1").consistent().all().await.unwrap(), notes);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_load_under_resets_and_unprocessed_items_loses_nothing() {
    let table = notes_tests::server_support::table_name("faults-batch");
    let plan: proxy::Plan = Arc::new(|n, _| {
        if n % 7 == 3 {
            Fault::Reset
        } else {
            Fault::HalfUnprocessed
        }
    });
    let Some((direct, faulty, proxy)) = setup(&table, plan).await else {
        return;
    };
    let notes: Vec<Note> = (0..600)
        .map(|i| Note::new(format!("user{}", i % 5), format!("n{i}")))
        .collect();
    let unstored: HashSet<String> = match faulty.batch_put(&notes).await {
        Ok(()) => HashSet::new(),
        Err(Error::BatchWriteIncomplete { unprocessed, .. }) => unprocessed
            .iter()
            .map(|write| match write {
                WriteRequest::Put(item) | WriteRequest::Delete(item) => {
                    Note::from_item(item.clone())
                        .map(|n| n.note_id)
                        .unwrap_or_default()
                }
            })
            .collect(),
        Err(err) => panic!("{err:?}"),
    };
    let mut stored = HashSet::new();
    for user in 0..5 {
        for note in direct
            .query(format!("user{user}"))
            .consistent()
            .all()
            .await
            .unwrap()
        {
            stored.insert(note.note_id);
        }
    }
    for note in &notes {
        let (is_stored, is_reported) = (
            stored.contains(&note.note_id),
            unstored.contains(&note.note_id),
        );
        assert!(
            is_stored != is_reported,
            "{} stored={is_stored} reported={is_reported}",
            note.note_id
        );
    }
    assert_eq!(stored.len() + unstored.len(), notes.len());
    // 24 chunks of 25, each answered half-processed at least until it shrinks to one write.
    assert!(
        proxy.requests() > 100,
        "faults were injected: {} requests",
        proxy.requests()
    );
}
