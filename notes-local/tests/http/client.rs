//! A raw HTTP/1.1 client for the tests: each request on its own connection
//! (`Connection: close`), read to the end, so every byte the server sends is seen.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use notes_local::protocol::Service;
use notes_local::{LocalServer, ServerOptions};
use notes_memory::MemoryBackend;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How long any test waits for an answer before it fails.
pub(crate) const PATIENCE: Duration = Duration::from_secs(5);

/// A server on a free port of 127.0.0.1, on an empty in-memory engine in us-east-1.
pub(crate) async fn server(options: ServerOptions) -> LocalServer {
    server_with(Service::new(MemoryBackend::new(), "us-east-1"), options).await
}

/// A server on a free port of 127.0.0.1, answering from `service`.
pub(crate) async fn server_with(service: Service, options: ServerOptions) -> LocalServer {
    LocalServer::start(service, options).await.unwrap()
}

/// What the server answered.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    /// Names lowercase, in the order sent.
    pub(crate) headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub(crate) body: Vec<u8>,
}

impl Answer {
    /// The value of header `name`, if sent.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body as text.
    pub(crate) fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap()
    }

    /// Checks what DynamoDB sends with every answer: a request id of 52 characters of
    /// `0-9A-Z`, and a CRC32 equal to the body's.
    pub(crate) fn assert_dynamodb_headers(&self) {
        let id = self.header("x-amzn-requestid").expect("x-amzn-RequestId");
        assert_eq!(id.len(), 52, "{id}");
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
            "{id}"
        );
        let crc: u32 = self
            .header("x-amz-crc32")
            .expect("x-amz-crc32")
            .parse()
            .unwrap();
        assert_eq!(crc, crc32fast::hash(&self.body));
        assert_eq!(
            self.header("content-length"),
            Some(self.body.len().to_string().as_str())
        );
    }

    /// Checks a JSON answer: status, content type, the DynamoDB headers, and the body.
    pub(crate) fn assert_json(&self, status: u16, content_type: &str, body: Value) {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(self.header("content-type"), Some(content_type));
        self.assert_dynamodb_headers();
        assert_eq!(serde_json::from_slice::<Value>(&self.body).unwrap(), body);
    }

    /// Checks DynamoDB's 404 to a request that is not of its protocol.
    pub(crate) fn assert_unknown_operation_page(&self) {
        assert_eq!(self.status, 404);
        assert_eq!(self.text(), "<UnknownOperationException/>\n");
        assert_eq!(self.header("x-amz-crc32"), Some("3552371480"));
        assert_eq!(self.header("content-type"), None);
        self.assert_dynamodb_headers();
    }
}

/// The error body `{"__type": "com.amazon.coral.service#<name>", "message": ...}`.
pub(crate) fn coral(name: &str, message: Option<&str>) -> Value {
    let mut body = serde_json::json!({ "__type": format!("com.amazon.coral.service#{name}") });
    if let Some(message) = message {
        body["message"] = Value::from(message);
    }
    body
}

/// A request's bytes: `headers` as given, plus `Host`, `Content-Length` (when there is a
/// body or it is a POST) and `Connection: close`.
pub(crate) fn request(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Vec<u8> {
    let mut head = format!("{method} {path} HTTP/1.1\r\n");
    if !headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("host"))
    {
        head.push_str(&format!("Host: {address}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// Sends `bytes` on a new connection and reads the answer to the end.
pub(crate) async fn exchange(address: SocketAddr, bytes: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(address).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    read_answer(&mut stream).await
}

/// Reads an answer until the server closes the connection.
pub(crate) async fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut raw = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut raw))
        .await
        .expect("the server closes the connection after its answer")
        .unwrap();
    parse(&raw)
}

/// `method path` with `headers` and `body`, answered.
pub(crate) async fn send(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    exchange(address, &request(address, method, path, headers, body)).await
}

/// A `POST /` with `headers` and `body`, answered.
pub(crate) async fn post(address: SocketAddr, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    send(address, "POST", "/", headers, body).await
}

/// Reads answers until the server closes the connection: each one of the requests sent on it.
pub(crate) async fn read_answers(stream: &mut TcpStream) -> Vec<Answer> {
    let mut raw = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut raw))
        .await
        .expect("the server closes the connection after its last answer")
        .unwrap();
    let mut rest = raw.as_slice();
    let mut answers = Vec::new();
    while !rest.is_empty() {
        let (answer, after) = parse_one(rest);
        answers.push(answer);
        rest = after;
    }
    answers
}

/// An answer's bytes read: status line, headers, body (by length, chunked, or to the end).
pub(crate) fn parse(raw: &[u8]) -> Answer {
    parse_one(raw).0
}

/// The first answer of `raw`, and the bytes after it.
fn parse_one(raw: &[u8]) -> (Answer, &[u8]) {
    let end = raw
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let mut rest = &raw[end + 4..];
    let chunked = headers
        .iter()
        .any(|(name, value)| name == "transfer-encoding" && value == "chunked");
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse::<usize>().ok());
    let body = if chunked {
        let mut body = Vec::new();
        loop {
            let line_end = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap(), 16).unwrap();
            rest = &rest[line_end + 2..];
            if size == 0 {
                rest = rest.get(2..).unwrap_or_default();
                break body;
            }
            body.extend_from_slice(&rest[..size]);
            rest = &rest[size + 2..];
        }
    } else if let Some(length) = length.filter(|length| *length <= rest.len()) {
        let body = rest[..length].to_vec();
        rest = &rest[length..];
        body
    } else {
        std::mem::take(&mut rest).to_vec()
    };
    let answer = Answer {
        status,
        headers,
        body,
    };
    (answer, rest)
}

/// An access key and its secret (and session token), to sign with.
pub(crate) struct Key<'a> {
    pub(crate) id: &'a str,
    pub(crate) secret: &'a str,
    pub(crate) token: Option<&'a str>,
}

/// The key the verifying tests' servers accept.
pub(crate) const KEY: Key<'static> = Key {
    id: "AKIDEXAMPLE",
    secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    token: None,
};

/// `headers` plus `Host` and the SigV4 headers the AWS SDKs' signer adds for a `POST /` of
/// `body` to DynamoDB in us-east-1 signed with `key` at `time`.
pub(crate) fn signed(
    address: SocketAddr,
    headers: &[(&str, &str)],
    body: &[u8],
    key: &Key<'_>,
    time: SystemTime,
) -> Vec<(String, String)> {
    let host = address.to_string();
    let mut all: Vec<(String, String)> = vec![("host".into(), host)];
    all.extend(headers.iter().map(|(n, v)| (n.to_string(), v.to_string())));
    let identity = Credentials::new(
        key.id,
        key.secret,
        key.token.map(str::to_owned),
        None,
        "test",
    )
    .into();
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("dynamodb")
        .time(time)
        .settings(SigningSettings::default())
        .build()
        .unwrap()
        .into();
    let request = SignableRequest::new(
        "POST",
        format!("http://{address}/"),
        all.iter().map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(body),
    )
    .unwrap();
    let (instructions, _) = sign(request, &params).unwrap().into_parts();
    let (added, _) = instructions.into_parts();
    all.extend(
        added
            .iter()
            .map(|header| (header.name().to_owned(), header.value().to_owned())),
    );
    all
}

/// `owned` as the `(&str, &str)` pairs [`post`] takes.
pub(crate) fn pairs(owned: &[(String, String)]) -> Vec<(&str, &str)> {
    owned
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}
