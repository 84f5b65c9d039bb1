//! A notes API server on a free port, a client for it, and backends for its tests.

use notes_examples::notes_api::{HeaderIdentity, NotesPage, router, serve};
use notes_model::Note;
use notes_repo::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, BillingMode,
    CreateTable, DeleteItem, GetItem, GetItemOutput, PageOutput, PutItem, Query, Scan,
    TableDescription, TransactGetItems, TransactGetItemsOutput, TransactWriteItems,
    TransactWriteItemsOutput, UpdateItem, WriteOutput,
};
use notes_repo::{Backend, DynamoDbBackend, Error, MemoryBackend, Repo, Result};
use reqwest::Method;
use serde_json::Value;

/// A notes table on a fresh MemoryBackend.
pub(crate) async fn memory_repo() -> Repo<Note, MemoryBackend> {
    let repo = Repo::new(MemoryBackend::new());
    repo.create_table_on_demand().await.expect("create table");
    repo
}

/// A fresh notes table on the real test server, or `None` when there is none (outside CI).
pub(crate) async fn dynamodb_repo(case: &str) -> Option<Repo<Note, DynamoDbBackend>> {
    let backend = notes_tests::server::available_backend().await?;
    let repo = Repo::with_table(
        backend,
        notes_tests::server::table_name(&format!("api-{case}")),
    );
    repo.ensure_table(BillingMode::PayPerRequest)
        .await
        .expect("create table");
    Some(repo)
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
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind 127.0.0.1");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(serve(
            listener,
            router(repo, HeaderIdentity),
            std::future::pending(),
        ));
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

/// A backend whose table operations work and whose item operations are always throttled,
/// as DynamoDB's are once the SDK's retries are spent.
#[derive(Debug, Clone)]
pub(crate) struct Throttled(pub(crate) MemoryBackend);

fn throttled<T>() -> Result<T> {
    Err(Error::Throttled { source: None })
}

impl Backend for Throttled {
    async fn get_item(&self, _: GetItem) -> Result<GetItemOutput> {
        throttled()
    }
    async fn put_item(&self, _: PutItem) -> Result<WriteOutput> {
        throttled()
    }
    async fn update_item(&self, _: UpdateItem) -> Result<WriteOutput> {
        throttled()
    }
    async fn delete_item(&self, _: DeleteItem) -> Result<WriteOutput> {
        throttled()
    }
    async fn query(&self, _: Query) -> Result<PageOutput> {
        throttled()
    }
    async fn scan(&self, _: Scan) -> Result<PageOutput> {
        throttled()
    }
    async fn batch_get_item(&self, _: BatchGetItem) -> Result<BatchGetItemOutput> {
        throttled()
    }
    async fn batch_write_item(&self, _: BatchWriteItem) -> Result<BatchWriteItemOutput> {
        throttled()
    }
    async fn transact_get_items(&self, _: TransactGetItems) -> Result<TransactGetItemsOutput> {
        throttled()
    }
    async fn transact_write_items(
        &self,
        _: TransactWriteItems,
    ) -> Result<TransactWriteItemsOutput> {
        throttled()
    }
    async fn create_table(&self, request: CreateTable) -> Result<TableDescription> {
        self.0.create_table(request).await
    }
    async fn describe_table(&self, table_name: String) -> Result<TableDescription> {
        self.0.describe_table(table_name).await
    }
    async fn delete_table(&self, table_name: String) -> Result<TableDescription> {
        self.0.delete_table(table_name).await
    }
    async fn update_continuous_backups(&self, table_name: String, on: bool) -> Result<()> {
        self.0.update_continuous_backups(table_name, on).await
    }
    async fn update_time_to_live(
        &self,
        table_name: String,
        attribute: String,
        enabled: bool,
    ) -> Result<()> {
        self.0
            .update_time_to_live(table_name, attribute, enabled)
            .await
    }
}
