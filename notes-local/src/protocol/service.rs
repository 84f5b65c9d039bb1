//! The [`Service`] itself: the engine, the region, and what the engine does not model;
//! the protocol's constants and answer types.

use std::path::Path;

use notes_memory::MemoryBackend;
use serde_json::Value;

use crate::errors::ErrorAnswer;
use crate::protocol::declared::Declared;
use crate::protocol::reply::Reply;

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
    pub(super) tables: Declared,
}

impl Service {
    /// A service answering for `engine` in `region` (the region goes into every ARN),
    /// keeping the tables' tags and the settings the engine does not model in memory only:
    /// for a durable engine, see [`durable`](Service::durable).
    pub fn new(engine: MemoryBackend, region: impl Into<String>) -> Self {
        Service {
            engine,
            region: region.into(),
            tables: Declared::default(),
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
        let tables = Declared::open(dir.as_ref(), &engine)?;
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
}
