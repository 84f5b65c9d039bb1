//! A notes API server on a free port, a client for it, and backends for its tests.

use std::future::Future;
use std::sync::Arc;

use notes_api::{HeaderIdentity, NotesPage, router, serve};
use notes_repo::{
    Backend, ConsumedCapacity, CursorKey, Error, Layer, MemoryBackend, Note, Operation, Repo,
    Result,
};
use reqwest::Method;
use serde_json::Value;
use tokio::sync::{Notify, Semaphore};

/// The cursor key of the test servers.
pub(crate) fn test_key() -> CursorKey {
    CursorKey::new(*b"the http tests' cursor key, 32 b").expect("a long enough key")
}

/// A notes table on a fresh MemoryBackend.
pub(crate) async fn memory_repo() -> Repo<Note, MemoryBackend> {
    let repo = Repo::new(MemoryBackend::new());
    repo.create_table_on_demand().await.expect("create table");
    repo
}

/// The notes API (local identity: `x-user-id`) served on 127.0.0.1 and a free port, for as
/// long as the test's runtime lives.
pub(crate) struct TestServer {
    base: String,
    client: reqwest::Client,
}

/// A response: status, the headers the tests look at, and the JSON body (`Null` if none).
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    pub(crate) retry_after: Option<String>,
    pub(crate) body: Value,
}

impl Reply {
    /// The body's `error` message; panics if there is none.
    pub(crate) fn error(&self) -> &str {
        self.body["error"]
            .as_str()
            .unwrap_or_else(|| panic!("no JSON error in {self:?}"))
    }

    pub(crate) fn note(&self) -> Note {
        serde_json::from_value(self.body.clone()).unwrap_or_else(|err| panic!("{err}: {self:?}"))
    }

    pub(crate) fn page(&self) -> NotesPage {
        serde_json::from_value(self.body.clone()).unwrap_or_else(|err| panic!("{err}: {self:?}"))
    }
}

impl TestServer {
    pub(crate) async fn start<B: Backend>(repo: Repo<Note, B>) -> TestServer {
        TestServer::start_router(router(repo, HeaderIdentity, test_key())).await
    }

    /// Serves `app`, as [`start`](Self::start) serves the plain router.
    pub(crate) async fn start_router(app: axum::Router) -> TestServer {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(serve(listener, app, std::future::pending()));
        TestServer {
            base: format!("http://{address}"),
            client: reqwest::Client::new(),
        }
    }

    /// Sends `method path` as `user` (the `x-user-id` header, none when `None`) with `body`.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        user: Option<&str>,
        body: Option<String>,
    ) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(user) = user {
            request = request.header("x-user-id", user);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.expect("HTTP request");
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().expect("ASCII header").to_owned())
        };
        let status = response.status().as_u16();
        let location = header("location");
        let retry_after = header("retry-after");
        let bytes = response.bytes().await.expect("response body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|err| {
                panic!("{err}: not JSON: {}", String::from_utf8_lossy(&bytes))
            })
        };
        Reply {
            status,
            location,
            retry_after,
            body,
        }
    }

    pub(crate) async fn post(&self, user: &str, body: Value) -> Reply {
        self.send(Method::POST, "/notes", Some(user), Some(body.to_string()))
            .await
    }

    /// Creates a note with `content` and returns it.
    pub(crate) async fn create(&self, user: &str, content: &str) -> Note {
        let reply = self
            .post(user, serde_json::json!({ "content": content }))
            .await;
        assert_eq!(reply.status, 201, "{reply:?}");
        reply.note()
    }

    pub(crate) async fn get(&self, user: &str, id: &str) -> Reply {
        self.send(Method::GET, &format!("/notes/{id}"), Some(user), None)
            .await
    }

    pub(crate) async fn put(&self, user: &str, id: &str, body: Value) -> Reply {
        self.send(
            Method::PUT,
            &format!("/notes/{id}"),
            Some(user),
            Some(body.to_string()),
        )
        .await
    }

    pub(crate) async fn delete(&self, user: &str, id: &str) -> Reply {
        self.send(Method::DELETE, &format!("/notes/{id}"), Some(user), None)
            .await
    }

    /// `GET /notes?{query}` as `user`.
    pub(crate) async fn list(&self, user: &str, query: &str) -> Reply {
        self.send(Method::GET, &format!("/notes?{query}"), Some(user), None)
            .await
    }

    /// Every note of `user`, page by page (`limit` per page).
    pub(crate) async fn list_all(&self, user: &str, limit: u32) -> Vec<Note> {
        let mut notes = Vec::new();
        let mut query = format!("limit={limit}");
        loop {
            let reply = self.list(user, &query).await;
            assert_eq!(reply.status, 200, "{reply:?}");
            let page = reply.page();
            notes.extend(page.items);
            match page.cursor {
                Some(cursor) => query = format!("limit={limit}&cursor={}", encode(&cursor)),
                None => return notes,
            }
        }
    }
}

/// `text` percent-encoded for a query string.
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A layer that throttles every item operation, as DynamoDB does once the SDK's retries are
/// spent; table operations pass.
#[derive(Debug, Clone)]
pub(crate) struct Throttled<B>(pub(crate) B);

impl<B: Backend> Layer for Throttled<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.0
    }

    async fn around<O, F>(&self, operation: Operation, _table: &str, call: F) -> Result<O>
    where
        O: ConsumedCapacity + Send,
        F: Future<Output = Result<O>> + Send,
    {
        if operation.is_item_operation() {
            return Err(Error::Throttled {
                source: None,
                retried: false,
                reasons: Vec::new(),
            });
        }
        call.await
    }
}

/// A layer that answers every item operation with a validation error raised by the service
/// (its `source` set), as DynamoDB does for a table whose key schema is not the item type's.
#[derive(Debug, Clone)]
pub(crate) struct ServiceRefuses<B>(pub(crate) B);

/// The service's message in [`ServiceRefuses`]: it must never reach the client.
pub(crate) const SERVICE_MESSAGE: &str =
    "One or more parameter values were invalid: Missing the key userid in the item";

impl<B: Backend> Layer for ServiceRefuses<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.0
    }

    async fn around<O, F>(&self, operation: Operation, _table: &str, call: F) -> Result<O>
    where
        O: ConsumedCapacity + Send,
        F: Future<Output = Result<O>> + Send,
    {
        if operation.is_item_operation() {
            return Err(Error::Validation {
                message: SERVICE_MESSAGE.to_owned(),
                source: Some(Box::new(std::io::Error::other(
                    "ValidationException: the service's error",
                ))),
            });
        }
        call.await
    }
}

/// A layer that holds every `Query` until [`Gate::open`]: a request really in flight.
#[derive(Debug, Clone)]
pub(crate) struct Gate<B> {
    inner: B,
    entered: Arc<Notify>,
    open: Arc<Semaphore>,
}

impl<B> Gate<B> {
    /// A closed gate around `inner`.
    pub(crate) fn new(inner: B) -> Gate<B> {
        Gate {
            inner,
            entered: Arc::new(Notify::new()),
            open: Arc::new(Semaphore::new(0)),
        }
    }

    /// Completes once a `Query` is waiting at the gate.
    pub(crate) async fn entered(&self) {
        self.entered.notified().await;
    }

    /// Lets every waiting and later `Query` through.
    pub(crate) fn open(&self) {
        self.open.add_permits(Semaphore::MAX_PERMITS / 2);
    }
}

impl<B: Backend> Layer for Gate<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.inner
    }

    async fn around<O, F>(&self, operation: Operation, _table: &str, call: F) -> Result<O>
    where
        O: ConsumedCapacity + Send,
        F: Future<Output = Result<O>> + Send,
    {
        if operation == Operation::Query {
            self.entered.notify_one();
            let _permit = self.open.acquire().await.expect("the gate is never closed");
        }
        call.await
    }
}
