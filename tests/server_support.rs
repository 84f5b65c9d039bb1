//! The DynamoDB-compatible server the tests run against.
//!
//! By default each test binary starts one in-process [dynoxide] server (pinned in
//! `Cargo.toml`) on `127.0.0.1` and a free port, with in-memory storage, on a thread with its
//! own tokio runtime; it lives as long as the test process. Set `NOTES_DYNAMODB_ENDPOINT` to
//! run the same tests against another server instead (DynamoDB Local, a real endpoint).
//!
//! When no server can be had, [`available_backend`] fails the test under `CI=true` and
//! otherwise skips it with one line saying why.
//!
//! Beside it, each test binary can start this project's own server, notes-local (the engine
//! served over DynamoDB's protocol), in-process on another free port: [`local_backend`] is a
//! `DynamoDbBackend` on it, the third backend of every suite.
//!
//! [dynoxide]: https://crates.io/crates/dynoxide-rs

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
use notes_repo::DynamoDbBackend;

/// The environment variable naming an external DynamoDB-compatible endpoint to use instead
/// of the in-process server.
pub const ENDPOINT_VAR: &str = "NOTES_DYNAMODB_ENDPOINT";

/// How long the in-process server may take to bind its port.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// The endpoint URL of the server the tests use: `NOTES_DYNAMODB_ENDPOINT` when set, else
/// the in-process dynoxide server (started on first use). `None` when neither is available.
///
/// ```
/// if let Some(url) = notes_tests::server_support::endpoint() {
///     assert!(url.starts_with("http"));
/// }
/// ```
pub fn endpoint() -> Option<String> {
    endpoint_or_reason().ok()
}

/// The endpoint, or why there is none.
fn endpoint_or_reason() -> Result<String, String> {
    match std::env::var(ENDPOINT_VAR) {
        Ok(url) if !url.trim().is_empty() => Ok(url.trim().to_owned()),
        _ => in_process().clone(),
    }
}

/// The in-process server's URL, started once per test binary.
fn in_process() -> &'static Result<String, String> {
    static SERVER: OnceLock<Result<String, String>> = OnceLock::new();
    SERVER.get_or_init(start_in_process)
}

fn start_in_process() -> Result<String, String> {
    let (ready, started) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("dynoxide".to_owned())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("dynoxide-worker")
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(err) => {
                    let _ = ready.send(Err(format!("cannot build a tokio runtime: {err}")));
                    return;
                }
            };
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::bind(("127.0.0.1", 0)).await {
                    Ok(listener) => listener,
                    Err(err) => {
                        let _ = ready.send(Err(format!("cannot bind 127.0.0.1: {err}")));
                        return;
                    }
                };
                let address = match listener.local_addr() {
                    Ok(address) => address,
                    Err(err) => {
                        let _ = ready.send(Err(format!("no local address: {err}")));
                        return;
                    }
                };
                let database = match dynoxide::Database::memory() {
                    Ok(database) => database,
                    Err(err) => {
                        let _ = ready.send(Err(format!("cannot open dynoxide: {err}")));
                        return;
                    }
                };
                let _ = ready.send(Ok(format!("http://{address}")));
                // Serves until the test process exits.
                if let Err(err) = dynoxide::server::serve_with_shutdown(
                    listener,
                    database,
                    std::future::pending::<()>(),
                )
                .await
                {
                    eprintln!("dynoxide stopped: {err}");
                }
            });
        })
        .map_err(|err| format!("cannot spawn the dynoxide thread: {err}"))?;
    started
        .recv_timeout(START_TIMEOUT)
        .map_err(|err| format!("dynoxide did not start: {err}"))?
}

/// The in-process notes-local server's URL, started once per test binary: the engine (an
/// in-memory `MemoryBackend`) behind DynamoDB's protocol, on `127.0.0.1` and a free port.
///
/// ```
/// let url = notes_tests::server_support::local_endpoint();
/// assert!(url.starts_with("http://127.0.0.1:"));
/// ```
///
/// # Panics
///
/// When the server cannot start (no port, no thread): it needs nothing from outside, so that
/// is a failure everywhere.
pub fn local_endpoint() -> String {
    static SERVER: OnceLock<Result<String, String>> = OnceLock::new();
    match SERVER.get_or_init(start_local) {
        Ok(url) => url.clone(),
        Err(reason) => panic!("notes-local did not start: {reason}"),
    }
}

fn start_local() -> Result<String, String> {
    let (ready, started) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("notes-local".to_owned())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("notes-local-worker")
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(err) => {
                    let _ = ready.send(Err(format!("cannot build a tokio runtime: {err}")));
                    return;
                }
            };
            runtime.block_on(async move {
                let service =
                    notes_local::Service::new(notes_repo::MemoryBackend::new(), "us-east-1");
                match notes_local::LocalServer::start(
                    service,
                    notes_local::ServerOptions::default(),
                )
                .await
                {
                    Ok(server) => {
                        let _ = ready.send(Ok(server.endpoint()));
                        // Serves until the test process exits.
                        std::future::pending::<()>().await;
                    }
                    Err(err) => {
                        let _ = ready.send(Err(format!("cannot start: {err}")));
                    }
                }
            });
        })
        .map_err(|err| format!("cannot spawn the notes-local thread: {err}"))?;
    started
        .recv_timeout(START_TIMEOUT)
        .map_err(|err| format!("notes-local did not start: {err}"))?
}

/// A [`DynamoDbBackend`] on the in-process notes-local server ([`local_endpoint`]).
///
/// ```no_run
/// # async fn test() {
/// let backend = notes_tests::server_support::local_backend();
/// # let _ = backend;
/// # }
/// ```
pub fn local_backend() -> DynamoDbBackend {
    DynamoDbBackend::new(client(&local_endpoint()))
}

/// A client for `url` with static test credentials and region `us-east-1`.
///
/// ```
/// let client = notes_tests::server_support::client("http://127.0.0.1:1");
/// # let _ = client;
/// ```
pub fn client(url: &str) -> aws_sdk_dynamodb::Client {
    let config = aws_sdk_dynamodb::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .endpoint_url(url)
        .build();
    aws_sdk_dynamodb::Client::from_conf(config)
}

/// A DynamoDB Streams client for `url` (the test server serves both APIs), with the same
/// test credentials and region as [`client`].
///
/// ```
/// let client = notes_tests::server_support::streams_client("http://127.0.0.1:1");
/// # let _ = client;
/// ```
pub fn streams_client(url: &str) -> aws_sdk_dynamodbstreams::Client {
    let config = aws_sdk_dynamodbstreams::config::Builder::new()
        .behavior_version(aws_sdk_dynamodbstreams::config::BehaviorVersion::latest())
        .region(aws_sdk_dynamodbstreams::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_dynamodbstreams::config::Credentials::new(
            "test", "test", None, None, "static",
        ))
        .endpoint_url(url)
        .build();
    aws_sdk_dynamodbstreams::Client::from_conf(config)
}

/// A [`DynamoDbBackend`] on the test server.
///
/// # Panics
///
/// When no server is available; use [`available_backend`] to skip instead outside CI.
pub async fn backend() -> DynamoDbBackend {
    match endpoint_or_reason() {
        Ok(url) => DynamoDbBackend::new(client(&url)),
        Err(reason) => panic!("no DynamoDB-compatible server: {reason}"),
    }
}

/// A [`DynamoDbBackend`] on the test server, or `None` (after printing one line saying why)
/// when there is no server and the run is not CI.
///
/// # Panics
///
/// When there is no server and env `CI` is `true`: in CI a missing server is a failure.
///
/// ```no_run
/// # async fn test() {
/// let Some(backend) = notes_tests::server_support::available_backend().await else { return };
/// # let _ = backend;
/// # }
/// ```
pub async fn available_backend() -> Option<DynamoDbBackend> {
    match endpoint_or_reason() {
        Ok(url) => Some(DynamoDbBackend::new(client(&url))),
        Err(reason) if std::env::var("CI").is_ok_and(|ci| ci == "true") => {
            panic!("CI=true and no DynamoDB-compatible server: {reason}")
        }
        Err(reason) => {
            eprintln!("skipping: no DynamoDB-compatible server ({reason}); set {ENDPOINT_VAR}");
            None
        }
    }
}

/// A table name no other test (in this process or an earlier run on the same server) uses:
/// `prefix-<pid>-<time>-<n>`, in DynamoDB's allowed characters and length.
///
/// ```
/// let a = notes_tests::server_support::table_name("notes");
/// let b = notes_tests::server_support::table_name("notes");
/// assert_ne!(a, b);
/// assert!(a.starts_with("notes-"));
/// ```
pub fn table_name(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let prefix: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(200)
        .collect();
    format!("{prefix}-{}-{millis}-{n}", std::process::id())
}
