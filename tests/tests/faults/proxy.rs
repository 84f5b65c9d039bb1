//! A small HTTP/1.1 proxy on 127.0.0.1 in front of the test server that injects faults per
//! request: connection resets and 500s before the server sees the request or after it applied
//! it, throttling, and unprocessed batch items.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Forward it.
    Pass,
    /// Close the connection without answering (the client sees a reset).
    Reset,
    /// Answer `500 InternalServerError`.
    ServerError,
    /// Forward it, let the server apply it, then close the connection without answering: the
    /// response is lost after the write happened.
    ResetAfterApply,
    /// Forward it, let the server apply it, then answer `500 InternalServerError` instead.
    ServerErrorAfterApply,
    /// Answer `400 ProvisionedThroughputExceededException`.
    Throttle,
    /// For `BatchWriteItem`: forward only the first half of the writes and return the rest as
    /// `UnprocessedItems`, as DynamoDB does under load. Other operations pass.
    HalfUnprocessed,
}

/// Decides the fault for request number `n` (from 0) of operation `operation` (`PutItem`, ...).
pub(crate) type Plan = Arc<dyn Fn(u64, &str) -> Fault + Send + Sync>;

/// A running proxy; it stops with the test's runtime.
pub(crate) struct FaultProxy {
    /// `http://127.0.0.1:<port>`
    pub(crate) url: String,
    requests: Arc<AtomicU64>,
}

impl FaultProxy {
    /// Starts a proxy to `upstream` (`http://host:port`) following `plan`.
    pub(crate) async fn start(upstream: &str, plan: Plan) -> FaultProxy {
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let url = format!("http://{}", listener.local_addr().expect("proxy address"));
        let requests = Arc::new(AtomicU64::new(0));
        let counter = requests.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let (upstream, plan, counter) = (upstream.clone(), plan.clone(), counter.clone());
                tokio::spawn(async move {
                    let _ = serve(client, &upstream, &plan, &counter).await;
                });
            }
        });
        FaultProxy { url, requests }
    }

    /// How many requests reached the proxy.
    pub(crate) fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }
}

struct Message {
    head: String,
    body: Vec<u8>,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }

    /// The message with a new body: `content-length` fixed, checksums of the old body dropped.
    fn with_body(&self, body: Vec<u8>) -> Message {
        let head = self
            .head
            .lines()
            .filter(|line| {
                let name = line
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                name != "content-length" && name != "x-amz-crc32" && !line.is_empty()
            })
            .map(|line| format!("{line}\r\n"))
            .collect::<String>()
            + &format!("content-length: {}\r\n\r\n", body.len());
        Message { head, body }
    }

    fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = self.head.clone().into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }
}

async fn read_message(stream: &mut TcpStream) -> std::io::Result<Option<Message>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut message = Message {
        head,
        body: buffer[head_end..].to_vec(),
    };
    let length: usize = message
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while message.body.len() < length {
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        message.body.extend_from_slice(&chunk[..read]);
    }
    Ok(Some(message))
}

async fn forward(upstream: &str, request: &Message) -> std::io::Result<Message> {
    let mut server = TcpStream::connect(upstream).await?;
    server.write_all(&request.to_bytes()).await?;
    read_message(&mut server)
        .await?
        .ok_or_else(|| std::io::Error::other("upstream closed"))
}

fn error_response(status: &str, kind: &str, message: &str) -> Message {
    let body = serde_json::json!({"__type": format!("com.amazonaws.dynamodb.v20120810#{kind}"), "message": message});
    Message {
        head: format!("HTTP/1.1 {status}\r\ncontent-type: application/x-amz-json-1.0\r\n\r\n"),
        body: Vec::new(),
    }
    .with_body(body.to_string().into_bytes())
}

async fn serve(
    mut client: TcpStream,
    upstream: &str,
    plan: &Plan,
    counter: &AtomicU64,
) -> std::io::Result<()> {
    while let Some(request) = read_message(&mut client).await? {
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let operation = request
            .header("x-amz-target")
            .and_then(|t| t.rsplit('.').next())
            .unwrap_or("")
            .to_owned();
        let response = match plan(n, &operation) {
            Fault::Reset => return Ok(()),
            Fault::ResetAfterApply => {
                forward(upstream, &request).await?;
                return Ok(());
            }
            Fault::ServerErrorAfterApply => {
                forward(upstream, &request).await?;
                error_response(
                    "500 Internal Server Error",
                    "InternalServerError",
                    "injected after the write was applied",
                )
            }
            Fault::ServerError => error_response(
                "500 Internal Server Error",
                "InternalServerError",
                "injected",
            ),
            Fault::Throttle => error_response(
                "400 Bad Request",
                "ProvisionedThroughputExceededException",
                "injected throttling",
            ),
            Fault::HalfUnprocessed if operation == "BatchWriteItem" => {
                half_unprocessed(upstream, &request).await?
            }
            Fault::Pass | Fault::HalfUnprocessed => forward(upstream, &request).await?,
        };
        client.write_all(&response.to_bytes()).await?;
    }
    Ok(())
}

/// Sends the first half of each table's writes and reports the second half as unprocessed.
async fn half_unprocessed(upstream: &str, request: &Message) -> std::io::Result<Message> {
    let mut body: Value = serde_json::from_slice(&request.body).map_err(std::io::Error::other)?;
    let mut held_back = serde_json::Map::new();
    if let Some(tables) = body.get_mut("RequestItems").and_then(Value::as_object_mut) {
        for (table, writes) in tables.iter_mut() {
            if let Some(writes) = writes.as_array_mut() {
                let keep = writes.len().div_ceil(2);
                let rest = writes.split_off(keep);
                if !rest.is_empty() {
                    held_back.insert(table.clone(), Value::Array(rest));
                }
            }
        }
    }
    let response = forward(upstream, &request.with_body(body.to_string().into_bytes())).await?;
    let mut answer: Value =
        serde_json::from_slice(&response.body).map_err(std::io::Error::other)?;
    if !response.head.starts_with("HTTP/1.1 200") {
        return Ok(response);
    }
    let unprocessed = answer
        .as_object_mut()
        .ok_or_else(|| std::io::Error::other("not a JSON object"))?
        .entry("UnprocessedItems")
        .or_insert_with(|| Value::Object(Default::default()));
    if let Some(unprocessed) = unprocessed.as_object_mut() {
        for (table, writes) in held_back {
            match unprocessed.get_mut(&table).and_then(Value::as_array_mut) {
                Some(existing) => existing.extend(writes.as_array().cloned().unwrap_or_default()),
                None => {
                    unprocessed.insert(table, writes);
                }
            }
        }
    }
    Ok(response.with_body(answer.to_string().into_bytes()))
}
