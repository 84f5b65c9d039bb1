//! DynamoDB's JSON protocol on the engine: a [`Service`] answers one call, named by its
//! `X-Amz-Target` (`DynamoDB_20120810.<Operation>` or `DynamoDBStreams_20120810.<Operation>`)
//! with its JSON body, with the JSON DynamoDB answers or an [`ErrorAnswer`].
//!
//! Each family of operations is one module with one `call` that answers `None` for an
//! operation that is not its own: `items` (single items, query and scan, batches and
//! transactions), `tables` (tables, time to live, backups, tags, limits, endpoints) and
//! `streams` (the DynamoDB Streams API). [`json`] holds what they share: the request's
//! JSON read into typed shapes, the errors of a body that is not the operation's shape;
//! [`constraints`], DynamoDB's checks of members against the API's constraints.
//!
//! The HTTP layer (`server`) owns everything around the call: headers, status, request ids,
//! checksums, credentials and size limits.

mod arns;
pub mod constraints;
mod items;
pub mod json;
mod reply;
mod streams;
mod tables;

use std::path::Path;

use notes_memory::MemoryBackend;
use serde_json::Value;

use crate::errors::ErrorAnswer;
pub use reply::Reply;

/// The prefix of DynamoDB's targets.
pub const DYNAMODB_TARGET: &str = "DynamoDB_20120810.";

/// The prefix of the DynamoDB Streams API's targets.
pub const STREAMS_TARGET: &str = "DynamoDBStreams_20120810.";

/// The account id in the ARNs the service makes (DynamoDB Local's).
pub const ACCOUNT: &str = "000000000000";

/// What an operation of the control plane or the Streams API answers: the JSON body of a 200,
/// or an error.
pub type Answer = Result<Value, ErrorAnswer>;

/// What an item operation answers: its body already serialized (an answer of many items is
/// written straight from the engine's items), or an error.
pub(crate) type ItemAnswer = Result<Reply, ErrorAnswer>;

/// The engine behind DynamoDB's JSON protocol: one per server, shared by its connections.
///
/// ```
/// # async fn demo() {
/// use notes_local::protocol::Service;
/// use notes_memory::MemoryBackend;
///
/// let service = Service::new(MemoryBackend::new(), "us-east-1");
/// let answer = service.call("DynamoDB_20120810.ListTables", b"{}").await.unwrap();
/// assert_eq!(answer.json()["TableNames"], serde_json::json!([]));
/// # }
/// ```
#[derive(Debug)]
pub struct Service {
    engine: MemoryBackend,
    region: String,
    /// The table settings the engine does not model (`DeletionProtectionEnabled`,
    /// `TableClass`, `SSESpecification`) and the tables' tags: in memory, and in the engine's
    /// directory for a service made [`durable`](Service::durable).
    tables: tables::Declared,
}

impl Service {
    /// A service answering for `engine` in `region` (the region goes into every ARN),
    /// keeping the tables' tags and the settings the engine does not model in memory only:
    /// for a durable engine, see [`durable`](Service::durable).
    pub fn new(engine: MemoryBackend, region: impl Into<String>) -> Self {
        Service {
            engine,
            region: region.into(),
            tables: tables::Declared::default(),
        }
    }

    /// A service answering for `engine`, opened on the directory `dir`, in `region`, that
    /// keeps the tables' tags and the settings the engine does not model
    /// (`DeletionProtectionEnabled`, `TableClass`, `SSESpecification`) in `dir` too, in a
    /// file of its own the engine leaves alone (`notes-local-tables.json`), written before each
    /// change is answered: a restart, even after a crash, keeps every change acknowledged. The
    /// file's entries for tables the engine does not have (deleted, or created again since)
    /// are dropped.
    ///
    /// ```
    /// use notes_local::protocol::Service;
    /// use notes_memory::MemoryBackend;
    ///
    /// let dir = std::env::temp_dir().join(format!("notes-local-doc-{}", std::process::id()));
    /// let engine = MemoryBackend::open(&dir)?;
    /// let service = Service::durable(engine, "us-east-1", &dir)?;
    /// # drop(service);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), notes_core::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::Storage`](notes_core::Error::Storage): the file cannot be read, or is not
    /// one this service wrote.
    pub fn durable(
        engine: MemoryBackend,
        region: impl Into<String>,
        dir: impl AsRef<Path>,
    ) -> notes_core::Result<Self> {
        let tables = tables::Declared::open(dir.as_ref(), &engine)?;
        Ok(Service {
            engine,
            region: region.into(),
            tables,
        })
    }

    /// The engine the service answers from.
    pub fn engine(&self) -> &MemoryBackend {
        &self.engine
    }

    /// The region in the service's ARNs.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Answers the call named by `target` (the `X-Amz-Target` header) with request `body`.
    ///
    /// An unknown target is `UnknownOperationException`; a body that is not JSON, or not the
    /// operation's shape, is `SerializationException`; the rest is the engine's answer.
    pub async fn call(&self, target: &str, body: &[u8]) -> Result<Reply, ErrorAnswer> {
        let unknown = || ErrorAnswer::coral(400, "UnknownOperationException", String::new());
        if let Some(operation) = target.strip_prefix(DYNAMODB_TARGET) {
            let body = json::parse_body(body)?;
            if let Some(answer) = items::call(self, operation, &body).await {
                return answer;
            }
            if let Some(answer) = tables::call(self, operation, &body).await {
                return answer.map(Reply::from);
            }
            Err(unknown())
        } else if let Some(operation) = target.strip_prefix(STREAMS_TARGET) {
            let body = json::parse_body(body)?;
            streams::call(self, operation, &body)
                .await
                .unwrap_or_else(|| Err(unknown()))
                .map(Reply::from)
        } else {
            Err(unknown())
        }
    }
}
