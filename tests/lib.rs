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
//! | `durable` | MemoryBackend in a directory: crashes (a killed process), torn records, a full disk, the lock, group commit, cases on a durable backend |
//! | `concurrency` | transactions across two tables under concurrent readers (both backends); on MemoryBackend, a read of one table while a write of another is held |

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use notes_repo::request::BillingMode;
use std::time::{Duration, SystemTime};

use notes_repo::{Backend, Item, ManualClock, MemoryBackend, Repo};

pub mod bad_input_support;
pub mod batch_support;
pub mod durable_support;
pub mod server_support;

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
/// on every backend: as `memory::case` on a fresh `MemoryBackend`, as `local::case` through
/// `DynamoDbBackend` on the in-process notes-local server
/// ([`server_support::local_backend`]), and as `dynamodb::case` on
/// the test server ([`server_support::available_backend`]: skipped outside CI when there is none, a
/// failure under `CI=true`). Each run gets a table name of its own. Every case runs on a
/// multi-thread runtime with 4 worker threads, so spawned tasks really run in parallel.
///
/// Starting the list with `lagging:` also runs every case as `memory_lagging::case`, on
/// [`lagging_memory`]: a `MemoryBackend` whose eventually consistent reads never see a write
/// (its replica lags 1 s on a clock that never moves). A case that reads what it just wrote
/// must say `.consistent()`, as it would have to on DynamoDB.
///
/// After the lagging cases, `; not_lagging:` lists cases that run on the other backends only:
/// cases that cannot hold on a lagging replica (a plain read right after a write, a global
/// index read right after writing), each saying why beside its function.
///
/// Cases listed after `memory_only:` run on `MemoryBackend` and notes-local only: cases where
/// the test server is known to answer differently from DynamoDB (each says how, beside its
/// function).
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
    (lagging: $($case:ident),* $(,)? ; not_lagging: $($plain:ident),* $(,)?) => {
        $crate::on_every_backend!($($case,)* $($plain),*);
        $crate::on_lagging_memory!($($case),*);
    };
    (lagging: $($rest:tt)*) => {
        $crate::on_every_backend!($($rest)*);
        $crate::on_lagging_memory!($($rest)*);
    };
    ($($case:ident),* $(,)? $(; memory_only: $($memory_case:ident),* $(,)?)?) => {
        /// The cases on `MemoryBackend`.
        mod memory {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    let table = $crate::server_support::table_name(stringify!($case));
                    super::$case(::notes_repo::MemoryBackend::new(), &table).await;
                }
            )*
            $($(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $memory_case() {
                    let table = $crate::server_support::table_name(stringify!($memory_case));
                    super::$memory_case(::notes_repo::MemoryBackend::new(), &table).await;
                }
            )*)?
        }

        /// The cases on `DynamoDbBackend`, against notes-local: the engine behind DynamoDB's
        /// protocol. The `memory_only` cases run here too: they check DynamoDB's documented
        /// behaviour where the other test server differs, and this server is the engine.
        mod local {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    let table = $crate::server_support::table_name(stringify!($case));
                    super::$case($crate::server_support::local_backend(), &table).await;
                }
            )*
            $($(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $memory_case() {
                    let table = $crate::server_support::table_name(stringify!($memory_case));
                    super::$memory_case($crate::server_support::local_backend(), &table).await;
                }
            )*)?
        }

        /// The cases on `DynamoDbBackend`, against the test server.
        mod dynamodb {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    let Some(backend) = $crate::server_support::available_backend().await else {
                        return;
                    };
                    let table = $crate::server_support::table_name(stringify!($case));
                    super::$case(backend, &table).await;
                }
            )*
        }
    };
}

/// Runs each listed case once more as `memory_lagging::case`, on [`lagging_memory`]; what
/// [`on_every_backend!`]`(lagging: ..)` adds, for a module where only some cases can run
/// there (a case that reads a global index right after writing cannot: global indexes are
/// only ever eventually consistent).
///
/// ```
/// use notes_repo::{Backend, Item, Note};
///
/// async fn put_then_consistent_get<B: Backend>(backend: B, table: &str) {
///     let repo = notes_tests::repo::<Note, B>(backend, table).await;
///     let note = Note::new("u1", "hello");
///     repo.put(&note).await.unwrap();
///     assert_eq!(repo.get(&note.key()).consistent().await.unwrap(), Some(note));
/// }
///
/// notes_tests::on_every_backend!(put_then_consistent_get);
/// notes_tests::on_lagging_memory!(put_then_consistent_get);
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! on_lagging_memory {
    ($($case:ident),* $(,)? $(; memory_only: $($memory_case:ident),* $(,)?)?) => {
        /// The cases on `MemoryBackend` with a lagging replica: eventually consistent reads
        /// never see the writes the case made.
        mod memory_lagging {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    let table = $crate::server_support::table_name(stringify!($case));
                    super::$case($crate::lagging_memory(), &table).await;
                }
            )*
            $($(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $memory_case() {
                    let table = $crate::server_support::table_name(stringify!($memory_case));
                    super::$memory_case($crate::lagging_memory(), &table).await;
                }
            )*)?
        }
    };
}

/// A `MemoryBackend` whose replica lags 1 s behind a [`ManualClock`] that never moves: every
/// eventually consistent read sees the tables as they were when it was built (empty), so a
/// read that relies on reading its own write fails, as it may on DynamoDB.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use notes_repo::{Item, Note};
/// let repo: notes_repo::Repo<Note, _> =
///     notes_tests::repo(notes_tests::lagging_memory(), "notes").await;
/// let note = Note::new("u1", "hello");
/// repo.put(&note).await.unwrap();
/// assert_eq!(repo.get(&note.key()).await.unwrap(), None);
/// assert_eq!(repo.get(&note.key()).consistent().await.unwrap(), Some(note));
/// # }
/// ```
pub fn lagging_memory() -> MemoryBackend {
    MemoryBackend::builder()
        .clock(ManualClock::new(SystemTime::now()))
        .replica_lag(Duration::from_secs(1))
        .build()
}

/// Runs each listed case once more as `memory_durable::case`, on a `MemoryBackend` kept in a
/// directory of its own ([`durable_support::TempDir`]), then closes it, reopens the directory and
/// checks that the case's table is the same ([`durable_support::assert_reopens_the_same`]). The case
/// must not keep a clone of the backend (a spawned task still holding one) past its end.
///
/// ```
/// use notes_repo::{Backend, Item, Note};
///
/// async fn put_then_get<B: Backend>(backend: B, table: &str) {
///     let repo = notes_tests::repo::<Note, B>(backend, table).await;
///     let note = Note::new("u1", "hello");
///     repo.put(&note).await.unwrap();
///     assert_eq!(repo.get(&note.key()).consistent().await.unwrap(), Some(note));
/// }
///
/// notes_tests::on_durable_memory!(put_then_get);
/// # fn main() {}
/// ```
#[macro_export]
macro_rules! on_durable_memory {
    ($($case:ident),* $(,)?) => {
        /// The cases on a durable `MemoryBackend`, reopened after each.
        mod memory_durable {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    let table = $crate::server_support::table_name(stringify!($case));
                    let dir = $crate::durable_support::TempDir::new(stringify!($case));
                    let backend = ::notes_repo::MemoryBackend::open(dir.path())
                        .expect("open a durable MemoryBackend");
                    super::$case(backend.clone(), &table).await;
                    $crate::durable_support::assert_reopens_the_same(backend, dir.path(), &table).await;
                }
            )*
        }
    };
}
