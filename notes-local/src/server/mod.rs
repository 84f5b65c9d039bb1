//! The HTTP server: DynamoDB's JSON protocol over HTTP/1.1 ([`LocalServer`]), with the
//! answers DynamoDB gives to requests that never reach an operation (see `exchange` for the
//! list and their order), DynamoDB's headers on every answer, its size limit, and the
//! signature checks of [`auth`](crate::auth).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! use notes_local::protocol::Service;
//! use notes_local::{LocalServer, ServerOptions};
//! use notes_memory::MemoryBackend;
//!
//! let service = Service::new(MemoryBackend::new(), "us-east-1");
//! let server = LocalServer::start(service, ServerOptions::default()).await?;
//! // Point any AWS SDK at it: `endpoint_url(server.endpoint())`.
//! assert!(server.endpoint().starts_with("http://127.0.0.1:"));
//! server.shutdown().await?;
//! # Ok(()) }
//! ```

mod exchange;
mod operations;
mod panics;
mod reply;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::AccessKeys;
use crate::protocol::Service;
use exchange::Limits;
use panics::Panics;

/// DynamoDB's limit on a request's body: 16 MiB (16,777,216 bytes); one byte more is a 413.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

/// How long a client may keep the server waiting for the next bytes of its request, headers
/// or body, by default: 30 seconds. It is also how long a kept-alive connection may stay
/// idle before the server closes it (SDKs open a new one, or retry on the closed one).
pub const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// How a [`LocalServer`] listens and what it accepts.
///
/// ```
/// use std::time::Duration;
/// use notes_local::ServerOptions;
///
/// let options = ServerOptions::default()
///     .address("127.0.0.1:8000".parse().unwrap())
///     .credential("AKIDEXAMPLE", "secret") // verify signatures made with this key
///     .max_request_bytes(1 << 20)
///     .read_timeout(Duration::from_secs(5));
/// # let _ = options;
/// ```
#[derive(Debug, Clone)]
pub struct ServerOptions {
    address: SocketAddr,
    keys: Option<AccessKeys>,
    max_request_bytes: usize,
    read_timeout: Duration,
    ttl_sweep: Option<Duration>,
}

impl Default for ServerOptions {
    /// `127.0.0.1:0` (a free port), any signature accepted, DynamoDB's 16 MiB limit, a
    /// 30-second read timeout, expired items left until the engine is asked to sweep.
    fn default() -> Self {
        ServerOptions {
            address: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            keys: None,
            max_request_bytes: MAX_REQUEST_BYTES,
            read_timeout: READ_TIMEOUT,
            ttl_sweep: None,
        }
    }
}

impl ServerOptions {
    /// The address to listen on (default `127.0.0.1:0`: a free port, see
    /// [`LocalServer::local_addr`]).
    ///
    /// See [`ServerOptions`] for an example.
    pub fn address(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// Verifies signatures, accepting those made with this access key and secret (repeat
    /// for more keys). Without any, every complete signature is accepted, as DynamoDB Local
    /// accepts any credentials.
    ///
    /// See [`ServerOptions`] for an example.
    pub fn credential(
        mut self,
        access_key_id: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        let keys = self.keys.take().unwrap_or_default();
        self.keys = Some(keys.with(access_key_id, secret));
        self
    }

    /// Verifies signatures against `keys` (replacing any given before).
    ///
    /// ```
    /// use notes_local::{ServerOptions, auth::AccessKeys};
    /// let options = ServerOptions::default().credentials(AccessKeys::default().with("AKID", "secret"));
    /// # let _ = options;
    /// ```
    pub fn credentials(mut self, keys: AccessKeys) -> Self {
        self.keys = Some(keys);
        self
    }

    /// The largest request body accepted (default [`MAX_REQUEST_BYTES`], DynamoDB's);
    /// larger is answered 413, as DynamoDB does.
    ///
    /// See [`ServerOptions`] for an example.
    pub fn max_request_bytes(mut self, bytes: usize) -> Self {
        self.max_request_bytes = bytes;
        self
    }

    /// How long a client may keep the server waiting for its request's next bytes, and a
    /// kept-alive connection may stay idle (default [`READ_TIMEOUT`]); then the connection is
    /// closed without an answer.
    ///
    /// See [`ServerOptions`] for an example.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Deletes the items whose time to live has passed every `every`, as DynamoDB's
    /// background process does (within days there; the default is never, so that a test
    /// decides when with [`MemoryBackend::expire_items`](notes_memory::MemoryBackend::expire_items)).
    ///
    /// ```
    /// use std::time::Duration;
    /// let options = notes_local::ServerOptions::default().ttl_sweep(Duration::from_secs(60));
    /// # let _ = options;
    /// ```
    pub fn ttl_sweep(mut self, every: Duration) -> Self {
        self.ttl_sweep = Some(every);
        self
    }
}

/// DynamoDB's JSON protocol served over HTTP/1.1 from a [`Service`], on the tokio runtime it
/// was started on.
///
/// Dropping it stops accepting connections (those open finish in the background);
/// [`shutdown`](LocalServer::shutdown) also waits for them. See the [module](self) for an
/// example.
#[derive(Debug)]
pub struct LocalServer {
    address: SocketAddr,
    stop: oneshot::Sender<()>,
    /// Ends once every connection is closed, with the number of requests whose handling
    /// panicked.
    task: JoinHandle<usize>,
}

impl LocalServer {
    /// Binds `options`' address and serves `service` there from a task spawned on the
    /// current tokio runtime.
    ///
    /// # Errors
    ///
    /// The address cannot be bound (in use, not this machine's).
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime.
    pub async fn start(service: Service, options: ServerOptions) -> io::Result<LocalServer> {
        let listener = TcpListener::bind(options.address).await?;
        let address = listener.local_addr()?;
        let limits = Limits {
            max_request_bytes: options.max_request_bytes,
            read_timeout: options.read_timeout,
            keys: options.keys,
        };
        let (stop, stopped) = oneshot::channel();
        let service = Arc::new(service);
        let sweeper = options
            .ttl_sweep
            .map(|every| tokio::spawn(sweep(Arc::clone(&service), every)));
        let task = tokio::spawn(async move {
            let panics = accept(listener, service, Arc::new(limits), stopped).await;
            if let Some(sweeper) = sweeper {
                sweeper.abort();
            }
            panics
        });
        Ok(LocalServer {
            address,
            stop,
            task,
        })
    }

    /// The address the server listens on (its port, when the options asked for port 0).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// # use notes_local::{LocalServer, ServerOptions, protocol::Service};
    /// # let service = Service::new(notes_memory::MemoryBackend::new(), "us-east-1");
    /// let server = LocalServer::start(service, ServerOptions::default()).await?;
    /// assert_ne!(server.local_addr().port(), 0);
    /// # Ok(()) }
    /// ```
    pub fn local_addr(&self) -> SocketAddr {
        self.address
    }

    /// The URL to give an SDK as its endpoint: `http://127.0.0.1:PORT`.
    ///
    /// See the [module](self) for an example.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Stops accepting connections, lets the requests in flight finish (a client stalled
    /// mid-request is waited for up to the read timeout), closes idle connections, and
    /// returns once every connection is closed.
    ///
    /// Every write the engine acknowledged is already on disk (a durable engine syncs each
    /// write before it is answered); the engine itself closes when the last handle to it is
    /// dropped, the server's included.
    ///
    /// # Errors
    ///
    /// The server's task panicked, or the handling of some request did (a bug: each was
    /// answered with a 500 `InternalServerError` and logged).
    ///
    /// See the [module](self) for an example.
    pub async fn shutdown(self) -> io::Result<()> {
        // The task may have ended already; then there is no one to tell.
        let _ = self.stop.send(());
        match self.task.await.map_err(io::Error::other)? {
            0 => Ok(()),
            panics => Err(io::Error::other(format!(
                "the handling of {panics} request(s) panicked (each answered 500 \
                 InternalServerError; the log has the panics)"
            ))),
        }
    }
}

/// Deletes expired items every `every`, off the runtime's workers (a durable engine writes
/// the deletions to disk).
async fn sweep(service: Arc<Service>, every: Duration) {
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    interval.tick().await; // the first tick is now
    loop {
        interval.tick().await;
        let engine = service.engine().clone();
        match tokio::task::spawn_blocking(move || engine.expire_items()).await {
            Ok(0) => {}
            Ok(deleted) => tracing::debug!(deleted, "time to live: expired items deleted"),
            Err(err) => tracing::warn!("the time-to-live sweep failed: {err}"),
        }
    }
}

/// Accepts connections until `stopped` (sent or dropped), then waits for those open; returns
/// how many requests' handling panicked.
async fn accept(
    listener: TcpListener,
    service: Arc<Service>,
    limits: Arc<Limits>,
    mut stopped: oneshot::Receiver<()>,
) -> usize {
    let graceful = GracefulShutdown::new();
    let panics = Arc::new(Panics::default());
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = &mut stopped => break,
        };
        let (stream, peer) = match accepted {
            Ok(accepted) => accepted,
            Err(err) => {
                // Out of file descriptors, a connection reset before it was accepted: wait a
                // little rather than spin, and go on.
                tracing::warn!("cannot accept a connection: {err}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let (service, limits) = (Arc::clone(&service), Arc::clone(&limits));
        let panics = Arc::clone(&panics);
        let read_timeout = limits.read_timeout;
        let handler = service_fn(move |request| {
            let (service, limits) = (Arc::clone(&service), Arc::clone(&limits));
            let panics = Arc::clone(&panics);
            async move {
                let serving = exchange::serve(&service, &limits, request);
                panics.guard(serving).await
            }
        });
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(read_timeout)
            .serve_connection(TokioIo::new(stream), handler);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(err) = connection.await {
                tracing::debug!(%peer, "connection closed: {err}");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    panics.count()
}
