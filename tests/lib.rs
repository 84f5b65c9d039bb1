//! Shared support for the workspace-level tests: the real DynamoDB-compatible server, and
//! [`on_every_backend!`], which runs each case of a suite on `MemoryBackend` and on that server.
//!
//! The test targets, one folder each (`tests/<name>/main.rs`, its modules beside it):
//!
//! | target | holds |
//! | --- | --- |
//! | `suite` | the typed behaviour suite by concept (items, query, versions, ...), both backends |
//! | `raw` | the raw `Backend` suite (DynamoDB's own semantics), both backends |
//! | `faults` | injected faults: a fault layer on both backends, a fault proxy before the server |
//! | `http` | the notes API over HTTP and through its Lambda entry point |
//! | `differential` | MemoryBackend against the server on random operation sequences |
//! | `interop` | typed items against the plain AWS SDK's view of them |
//! | `observability` | tracing spans, and secrets kept out of logs |

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use notes_repo::request::BillingMode;
use notes_repo::{Backend, Item, Repo};

pub mod bad_input;
pub mod batches;
pub mod server;

/// A repository on a fresh on-demand table `table` of `backend` (created, active, verified).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let repo: notes_repo::Repo<notes_repo::Note, _> =
///     notes_tests::repo(notes_repo::MemoryBackend::new(), "notes").await;
/// assert_eq!(repo.table_name(), "notes");
/// # }
/// ```
pub async fn repo<T: Item, B: Backend>(backend: B, table: &str) -> Repo<T, B> {
    let repo = Repo::with_table(backend, table.to_owned());
    repo.ensure_table(BillingMode::PayPerRequest)
        .await
        .expect("create the test table");
    repo
}

/// A start line for `count` concurrent tasks: each one [`wait`](StartLine::wait)s until all
/// have arrived, so that their loops run at the same time instead of one after another.
///
/// ```
/// # #[tokio::main(flavor = "multi_thread", worker_threads = 2)]
/// # async fn main() {
/// let start = notes_tests::StartLine::new(4);
/// let tasks: Vec<_> = (0..4)
///     .map(|_| {
///         let start = start.clone();
///         tokio::spawn(async move { start.wait().await })
///     })
///     .collect();
/// for task in tasks {
///     task.await.unwrap();
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct StartLine {
    arrived: Arc<AtomicUsize>,
    count: usize,
}

impl StartLine {
    /// A start line for `count` tasks.
    pub fn new(count: usize) -> Self {
        StartLine {
            arrived: Arc::default(),
            count,
        }
    }

    /// Waits until `count` tasks have arrived (yielding, so it never blocks a worker thread).
    pub async fn wait(&self) {
        self.arrived.fetch_add(1, Ordering::SeqCst);
        while self.arrived.load(Ordering::SeqCst) < self.count {
            tokio::task::yield_now().await;
        }
    }
}

/// Runs each case `async fn case<B: Backend>(backend: B, table: &str)` of the calling module
/// on every backend: as `memory::case` on a fresh `MemoryBackend`, and as `dynamodb::case` on
/// the test server ([`server::available_backend`]: skipped outside CI when there is none, a
/// failure under `CI=true`). Each run gets a table name of its own. Every case runs on a
/// multi-thread runtime with 4 worker threads, so spawned tasks really run in parallel.
///
/// Cases listed after `memory_only:` run on `MemoryBackend` alone: cases where the test server
/// is known to answer differently from DynamoDB (each says how, beside its function).
///
/// ```
/// use notes_repo::{Backend, Item, Note};
///
/// async fn put_then_get_round_trips<B: Backend>(backend: B, table: &str) {
///     let repo = notes_tests::repo::<Note, B>(backend, table).await;
///     let note = Note::new("u1", "hello");
///     repo.put(&note).await.unwrap();
///     assert_eq!(repo.get(&note.key()).await.unwrap(), Some(note));
/// }
///
/// notes_tests::on_every_backend!(put_then_get_round_trips);
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! on_every_backend {
    ($($case:ident),* $(,)? $(; memory_only: $($memory_case:ident),* $(,)?)?) => {
        /// The cases on `MemoryBackend`.
        mod memory {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    let table = $crate::server::table_name(stringify!($case));
                    super::$case(::notes_repo::MemoryBackend::new(), &table).await;
                }
            )*
            $($(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $memory_case() {
                    let table = $crate::server::table_name(stringify!($memory_case));
                    super::$memory_case(::notes_repo::MemoryBackend::new(), &table).await;
                }
            )*)?
        }

        /// The cases on `DynamoDbBackend`, against the test server.
        mod dynamodb {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    let Some(backend) = $crate::server::available_backend().await else {
                        return;
                    };
                    let table = $crate::server::table_name(stringify!($case));
                    super::$case(backend, &table).await;
                }
            )*
        }
    };
}
