//! What the item operations' tests share: a service with tables of each shape, and calls that
//! answer the JSON (or the error) as a client would read it.

use std::borrow::Cow;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use notes_core::Backend;
use notes_core::request::CreateTable;
use notes_memory::MemoryBackend;
use notes_model::{IndexKind, IndexProjection, IndexSchema, KeyAttribute, KeySchema, ScalarType};
use serde_json::Value;

use crate::protocol::Service;

/// Runs a future of the in-memory engine, which is ready at once (no runtime needed).
pub(super) fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the in-memory engine answered later than at once"),
    }
}

fn key(
    partition: (&'static str, ScalarType),
    sort: Option<(&'static str, ScalarType)>,
) -> KeySchema {
    KeySchema {
        partition_key: KeyAttribute::new(partition.0, partition.1),
        sort_key: sort.map(|(name, scalar)| KeyAttribute::new(name, scalar)),
    }
}

fn index(
    name: &'static str,
    kind: IndexKind,
    key_schema: KeySchema,
    projection: IndexProjection,
) -> IndexSchema {
    IndexSchema {
        name: Cow::Borrowed(name),
        kind,
        key_schema,
        projection,
        additional_keys: Default::default(),
    }
}

/// A service with tables:
///
/// - `hash`: partition key `pk` (S);
/// - `composite`: `pk` (S) and sort key `sk` (S), a local index `lsi` on `lsiSk` (S) that
///   projects the keys only, and a global index `gsi` on `gsiPk` (S) and `gsiSk` (N) that
///   projects `data` too;
/// - `numbers`: `id` (N) and sort key `at` (N);
/// - `bytes`: partition key `b` (B).
pub(super) fn service() -> Service {
    let engine = MemoryBackend::new();
    let s = ScalarType::S;
    let tables = [
        CreateTable::new("hash", key(("pk", s), None)),
        CreateTable::new("composite", key(("pk", s), Some(("sk", s)))).indexes(vec![
            index(
                "lsi",
                IndexKind::Local,
                key(("pk", s), Some(("lsiSk", s))),
                IndexProjection::KeysOnly,
            ),
            index(
                "gsi",
                IndexKind::Global,
                key(("gsiPk", s), Some(("gsiSk", ScalarType::N))),
                IndexProjection::Include(vec![Cow::Borrowed("data")]),
            ),
        ]),
        CreateTable::new(
            "numbers",
            key(("id", ScalarType::N), Some(("at", ScalarType::N))),
        ),
        CreateTable::new("bytes", key(("b", ScalarType::B), None)),
    ];
    for table in tables {
        block_on(engine.create_table(table)).unwrap();
    }
    Service::new(engine, "us-east-1")
}

/// Calls `operation` with `body`: the answer's JSON, or the error's status, name and message.
pub(super) fn call(
    service: &Service,
    operation: &str,
    body: Value,
) -> Result<Value, (u16, String, String)> {
    let target = format!("DynamoDB_20120810.{operation}");
    let answer = block_on(service.call(&target, body.to_string().as_bytes()));
    answer.map(|answer| answer.json()).map_err(|err| {
        let body = err.body();
        let name = body["__type"].as_str().unwrap_or_default();
        let name = name.rsplit('#').next().unwrap_or_default().to_owned();
        (err.status, name, err.message)
    })
}

/// Calls `operation`, which must succeed.
pub(super) fn ok(service: &Service, operation: &str, body: Value) -> Value {
    match call(service, operation, body) {
        Ok(answer) => answer,
        Err(err) => panic!("{operation} failed: {err:?}"),
    }
}

/// Calls `operation`, which must fail with a `ValidationException`: its message.
pub(super) fn invalid(service: &Service, operation: &str, body: Value) -> String {
    match call(service, operation, body) {
        Err((400, name, message)) if name == "ValidationException" => message,
        other => panic!("{operation}: expected a ValidationException, got {other:?}"),
    }
}

/// Calls `operation`, which must fail: the error's body as a client reads it.
pub(super) fn error_body(service: &Service, operation: &str, body: Value) -> Value {
    let target = format!("DynamoDB_20120810.{operation}");
    match block_on(service.call(&target, body.to_string().as_bytes())) {
        Ok(answer) => panic!("{operation} succeeded: {}", answer.json()),
        Err(err) => err.body(),
    }
}
