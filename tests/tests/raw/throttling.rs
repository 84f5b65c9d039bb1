//! Why a request was throttled (`ThrottlingReasons` on `Error::Throttled`), as MemoryBackend
//! enforcing throughput answers it and as notes-local answers it over DynamoDB's protocol
//! (the same engine, its ARNs in the server's region): the table or the index, reads or
//! writes, provisioned capacity or an on-demand maximum. Each case runs as `memory::case` and
//! `local::case`; no other test server throttles.

use super::*;

use std::time::SystemTime;

use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use notes_repo::throttling::{LimitType, OperationType, ResourceType};
use notes_repo::{
    DynamoDbBackend, IndexKind, IndexProjection, IndexSchema, ManualClock, ThrottlingReason,
};

/// Where MemoryBackend's throttling reasons point: its tables' ARNs.
const MEMORY_ARN: &str = "arn:aws:dynamodb:ddblocal:000000000000:table/";
/// Where notes-local's point: the same tables, in its region.
const LOCAL_ARN: &str = "arn:aws:dynamodb:us-east-1:000000000000:table/";

/// A MemoryBackend enforcing throughput, on a clock that moves only when told.
fn enforcing() -> (MemoryBackend, ManualClock) {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
    let engine = MemoryBackend::builder()
        .clock(clock.clone())
        .enforce_throughput(true)
        .build();
    (engine, clock)
}

/// `engine` served by notes-local, and a client of it that does not retry (a throttled call
/// answers at once, as MemoryBackend does).
async fn served(engine: MemoryBackend) -> (notes_local::LocalServer, DynamoDbBackend) {
    let service = notes_local::Service::new(engine, "us-east-1");
    let server = notes_local::LocalServer::start(service, notes_local::ServerOptions::default())
        .await
        .expect("notes-local starts");
    let config = aws_sdk_dynamodb::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .retry_config(RetryConfig::disabled())
        .endpoint_url(server.endpoint())
        .build();
    let backend = DynamoDbBackend::new(aws_sdk_dynamodb::Client::from_conf(config));
    (server, backend)
}

/// Runs each case `async fn case<B: Backend>(backend: B, clock: ManualClock, arn: &str)` on
/// an enforcing MemoryBackend (`memory::case`) and through notes-local on one
/// (`local::case`); `arn` is the prefix of the backend's table ARNs.
macro_rules! on_memory_and_local {
    ($($case:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test]
                async fn $case() {
                    let (engine, clock) = super::enforcing();
                    super::$case(engine, clock, super::MEMORY_ARN).await;
                }
            )*
        }
        mod local {
            $(
                #[tokio::test]
                async fn $case() {
                    let (engine, clock) = super::enforcing();
                    let (_server, backend) = super::served(engine).await;
                    super::$case(backend, clock, super::LOCAL_ARN).await;
                }
            )*
        }
    };
}

on_memory_and_local!(
    provisioned_throttling_names_the_table_and_reads_or_writes,
    a_global_index_out_of_capacity_is_the_reason,
    on_demand_maximums_throttle_past_each_second_with_their_reason,
);

/// `Error::Throttled` with exactly `reasons` (and nothing applied before: `retried: false`).
fn assert_throttled(result: Result<impl std::fmt::Debug, Error>, reasons: &[ThrottlingReason]) {
    match result {
        Err(Error::Throttled {
            retried: false,
            reasons: got,
            source: Some(_),
        }) => assert_eq!(got, reasons),
        other => panic!("expected throttling by {reasons:?}, got {other:?}"),
    }
}

/// A note of 390 KB: 390 write units, 98 strongly consistent read units.
fn big_note(id: &str, status: Option<&str>) -> ItemMap {
    let mut it = note_with("u1", id, &"x".repeat(390 * 1024));
    if let Some(status) = status {
        it.insert("status".to_owned(), s(status));
    }
    it
}

/// The global index `byStatus` (partition key `status`, every attribute projected).
fn by_status() -> IndexSchema {
    IndexSchema {
        name: "byStatus".into(),
        kind: IndexKind::Global,
        key_schema: KeySchema {
            partition_key: KeyAttribute::new("status", ScalarType::S),
            sort_key: None,
        },
        projection: IndexProjection::All,
        additional_keys: Default::default(),
    }
}

/// A query of `byStatus` for `status`.
fn index_query(status: &str) -> Query {
    Query::new("notes", KeyCondition::partition("status", s(status))).index_name("byStatus")
}

/// "ProvisionedThroughputExceededException ... For detailed information about why the
/// request was throttled and the ARN of the impacted resource, find the ThrottlingReason
/// field in the returned exception" (API reference): a write past the table's write units is
/// `TableWriteProvisionedThroughputExceeded` on the table, a read past its read units
/// `TableReadProvisionedThroughputExceeded`.
async fn provisioned_throttling_names_the_table_and_reads_or_writes<B: Backend>(
    backend: B,
    _clock: ManualClock,
    arn: &str,
) {
    let one_unit = BillingMode::Provisioned {
        read_capacity_units: 1,
        write_capacity_units: 1,
    };
    backend
        .create_table(CreateTable::new("notes", schema()).billing_mode(one_unit))
        .await
        .unwrap();
    let table = format!("{arn}notes");
    // 300 banked units: the 390-unit write is admitted, owing 90; the next is refused.
    store(&backend, "notes", big_note("big", None)).await;
    let refused = backend.put_item(put("notes", note("u1", "small"))).await;
    let write = ThrottlingReason::exceeded(
        ResourceType::Table,
        OperationType::Write,
        LimitType::ProvisionedThroughput,
        &table,
    );
    assert_throttled(refused, std::slice::from_ref(&write));
    // Reads have their own bank: four strongly consistent reads of 98 units, then none.
    let get = || GetItem::new("notes", note_key("u1", "big")).consistent_read(true);
    for _ in 0..4 {
        backend.get_item(get()).await.unwrap();
    }
    let read = ThrottlingReason::exceeded(
        ResourceType::Table,
        OperationType::Read,
        LimitType::ProvisionedThroughput,
        &table,
    );
    let err = backend.get_item(get()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "request throttled by DynamoDB after retries \
             (TableReadProvisionedThroughputExceeded on {table})"
        )
    );
    assert_eq!(err.throttling_reasons(), [read]);
}

/// "In order for a table write to succeed, the provisioned throughput settings for the table
/// and all of its global secondary indexes must have enough write capacity" (developer guide,
/// GSI throughput considerations): the index is the reason, `IndexWriteProvisioned...` on its
/// ARN; a query of the index past its read units, `IndexReadProvisioned...`.
async fn a_global_index_out_of_capacity_is_the_reason<B: Backend>(
    backend: B,
    _clock: ManualClock,
    arn: &str,
) {
    let plenty = BillingMode::Provisioned {
        read_capacity_units: 1000,
        write_capacity_units: 1000,
    };
    let create = CreateTable::new("notes", schema())
        .billing_mode(plenty)
        .indexes(vec![by_status()]);
    backend.create_table(create).await.unwrap();
    let lower =
        UpdateTable::new("notes").index_throughput("byStatus", ProvisionedThroughput::new(1, 1));
    backend.update_table(lower).await.unwrap();
    let index = format!("{arn}notes/index/byStatus");
    // The index banks 300 write units: the 390-unit entry is admitted, then every write to
    // the table waits for the index, even one it would not change.
    store(&backend, "notes", big_note("big", Some("open"))).await;
    let refused = backend.put_item(put("notes", note("u1", "small"))).await;
    assert_throttled(
        refused,
        &[ThrottlingReason::exceeded(
            ResourceType::Index,
            OperationType::Write,
            LimitType::ProvisionedThroughput,
            &index,
        )],
    );
    // Queries of the index draw on its 300 read units, 49 each (eventually consistent).
    let mut admitted = 0;
    let refused = loop {
        match backend.query(index_query("open")).await {
            Ok(page) => {
                assert_eq!(page.items.len(), 1);
                admitted += 1;
                assert!(admitted < 10, "never throttled");
            }
            err => break err,
        }
    };
    assert_eq!(admitted, 7);
    assert_throttled(
        refused,
        &[ThrottlingReason::exceeded(
            ResourceType::Index,
            OperationType::Read,
            LimitType::ProvisionedThroughput,
            &index,
        )],
    );
}

/// "When your read or write consumption exceeds these self-imposed limits, additional
/// requests that would exceed the limit receive quick throttle responses. DynamoDB returns
/// exceptions with a MaxOnDemandThroughputExceeded throttling reason type, indicating which
/// resource has reached its throughput boundary" (developer guide, on-demand maximum
/// throughput exceeded): at most the maximum a second, for the table and for each global
/// index; -1 removes a maximum.
async fn on_demand_maximums_throttle_past_each_second_with_their_reason<B: Backend>(
    backend: B,
    clock: ManualClock,
    arn: &str,
) {
    let ten = OnDemandThroughput::new()
        .max_read_request_units(10)
        .max_write_request_units(10);
    let five = OnDemandThroughput::new()
        .max_read_request_units(5)
        .max_write_request_units(5);
    let create = CreateTable::new("notes", schema())
        .indexes(vec![by_status()])
        .on_demand_throughput(ten)
        .index_on_demand_throughput("byStatus", five);
    backend.create_table(create).await.unwrap();
    let table = format!("{arn}notes");
    let index = format!("{arn}notes/index/byStatus");
    let reason = |resource: ResourceType, operation: OperationType, arn: &str| {
        [ThrottlingReason::exceeded(
            resource,
            operation,
            LimitType::MaxOnDemandThroughput,
            arn,
        )]
    };

    // Ten one-unit writes a second, then throttled, each second.
    for second in 0..2 {
        for i in 0..10 {
            store(&backend, "notes", note("u1", &format!("n{second}-{i}"))).await;
        }
        let refused = backend.put_item(put("notes", note("u1", "late"))).await;
        assert_throttled(
            refused,
            &reason(ResourceType::Table, OperationType::Write, &table),
        );
        clock.advance(Duration::from_secs(1));
    }
    // Ten one-unit reads.
    let get = || GetItem::new("notes", note_key("u1", "n0-0")).consistent_read(true);
    for _ in 0..10 {
        backend.get_item(get()).await.unwrap();
    }
    let refused = backend.get_item(get()).await;
    assert_throttled(
        refused,
        &reason(ResourceType::Table, OperationType::Read, &table),
    );

    // Five writes a second to the index: the sixth waits for it, though the table has room.
    clock.advance(Duration::from_secs(1));
    for i in 0..5 {
        let mut it = note("u2", &format!("s{i}"));
        it.insert("status".to_owned(), s("open"));
        store(&backend, "notes", it).await;
    }
    let refused = backend.put_item(put("notes", note("u2", "late"))).await;
    assert_throttled(
        refused,
        &reason(ResourceType::Index, OperationType::Write, &index),
    );
    // Five read units a second through the index: half a unit a query (eventually consistent).
    let mut admitted = 0;
    let refused = loop {
        match backend.query(index_query("open")).await {
            Ok(_) => {
                admitted += 1;
                assert!(admitted < 20, "never throttled");
            }
            err => break err,
        }
    };
    assert_eq!(admitted, 10);
    assert_throttled(
        refused,
        &reason(ResourceType::Index, OperationType::Read, &index),
    );

    // Without its write maximum, the table takes what it is sent (its writes still need the
    // index to hold capacity, a second later).
    clock.advance(Duration::from_secs(1));
    let unbounded = OnDemandThroughput::new().max_write_request_units(OnDemandThroughput::REMOVE);
    let update = UpdateTable::new("notes").on_demand_throughput(unbounded);
    backend.update_table(update).await.unwrap();
    for i in 0..30 {
        store(&backend, "notes", note("u3", &format!("n{i}"))).await;
    }
}

/// `Retrying` sends a throttled request again, as the AWS SDK does; when its attempts are
/// spent, the caller sees the last attempt's answer, reasons included.
#[tokio::test(start_paused = true)]
async fn retrying_answers_with_the_reasons_of_the_last_attempt() {
    use notes_repo::{RetryPolicy, Retrying, TokioClock};

    let memory = MemoryBackend::builder()
        .clock(TokioClock::new(SystemTime::UNIX_EPOCH))
        .enforce_throughput(true)
        .build();
    let backend = Retrying::new(memory, RetryPolicy::default());
    let create = CreateTable::new("notes", schema())
        .on_demand_throughput(OnDemandThroughput::new().max_write_request_units(1));
    backend.create_table(create).await.unwrap();
    // 390 units on a maximum of 1 a second: the next writes wait for minutes, longer than
    // three attempts take.
    store(&backend, "notes", big_note("big", None)).await;
    let refused = backend.put_item(put("notes", note("u1", "small"))).await;
    assert_throttled(
        refused,
        &[ThrottlingReason::exceeded(
            ResourceType::Table,
            OperationType::Write,
            LimitType::MaxOnDemandThroughput,
            format!("{MEMORY_ARN}notes"),
        )],
    );
}
