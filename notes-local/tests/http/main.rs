//! The HTTP server as clients meet it: DynamoDB's answers to requests that never reach an
//! operation, its limits, slow and vanishing clients, shutdown, signature checks, and the
//! binary. Every answer is checked exactly (status, headers, `__type`, message), with the
//! CRC32 of its body.

mod binary;
mod client;
mod signatures;

use std::time::{Duration, Instant, SystemTime};

use notes_local::ServerOptions;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use client::*;

const JSON_1_0: &str = "application/x-amz-json-1.0";
const LIST_TABLES: (&str, &str) = ("X-Amz-Target", "DynamoDB_20120810.ListTables");

#[tokio::test]
async fn get_on_any_path_is_dynamodbs_health_check() {
    let server = server(ServerOptions::default()).await;
    for path in ["/", "/anything?x=1"] {
        let answer = send(server.local_addr(), "GET", path, &[], b"").await;
        assert_eq!(answer.status, 200);
        // DynamoDB's text, trailing space included.
        assert_eq!(answer.text(), "healthy: dynamodb.us-east-1.amazonaws.com ");
        assert_eq!(answer.header("x-amz-crc32"), Some("3128867991"));
        answer.assert_dynamodb_headers();
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn other_methods_are_dynamodbs_404() {
    let server = server(ServerOptions::default()).await;
    for method in ["PUT", "DELETE", "PATCH", "OPTIONS"] {
        send(server.local_addr(), method, "/", &[], b"")
            .await
            .assert_unknown_operation_page();
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_body_of_another_content_type_is_dynamodbs_404() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    post(address, &[LIST_TABLES], b"{}")
        .await
        .assert_unknown_operation_page();
    for content_type in [
        "whatever",
        "application/x-amz-json-1.1",
        "application/jsonasdf",
        "text/plain",
    ] {
        post(
            address,
            &[("Content-Type", content_type), LIST_TABLES],
            b"{}",
        )
        .await
        .assert_unknown_operation_page();
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_serialization_exception_without_message() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    // The answer's type follows the request's: x-amz-json-1.0, or application/json for the
    // rest; parameters after `;` are ignored.
    for (content_type, answered) in [
        (JSON_1_0, JSON_1_0),
        ("application/x-amz-json-1.0;blahblah", JSON_1_0),
        ("application/json", "application/json"),
        ("  application/json  ;   asfd", "application/json"),
    ] {
        let answer = post(
            address,
            &[("Content-Type", content_type), LIST_TABLES],
            b"hi",
        )
        .await;
        answer.assert_json(400, answered, coral("SerializationException", None));
        // DynamoDB's own checksum of this body.
        assert_eq!(answer.header("x-amz-crc32"), Some("3948637019"));
    }
    // Before the target or the signature are looked at.
    let answer = post(address, &[("Content-Type", JSON_1_0)], br#"{"a": }"#).await;
    answer.assert_json(400, JSON_1_0, coral("SerializationException", None));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_missing_or_unknown_target_is_an_unknown_operation_exception() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    let unknown = coral("UnknownOperationException", None);
    // No body and no content type: still DynamoDB's protocol.
    let answer = post(address, &[], b"").await;
    answer.assert_json(400, "application/json", unknown.clone());
    assert_eq!(answer.header("x-amz-crc32"), Some("1368724161"));
    for target in [
        "whatever",
        "DynamoDB_20120810.ListTable",
        "DynamoDB_20111205.ListTables",
        "DynamoDBStreams_20120810.ListTables",
    ] {
        let headers = [("Content-Type", JSON_1_0), ("X-Amz-Target", target)];
        post(address, &headers, b"{}")
            .await
            .assert_json(400, JSON_1_0, unknown.clone());
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_request_without_a_signature_is_refused() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    let missing = coral(
        "MissingAuthenticationTokenException",
        Some("Request is missing Authentication Token"),
    );
    for authorization in [None, Some("AWS4"), Some("Basic dXNlcjpwYXNz")] {
        let mut headers = vec![("Content-Type", JSON_1_0), LIST_TABLES];
        headers.extend(authorization.map(|value| ("Authorization", value)));
        post(address, &headers, b"{}")
            .await
            .assert_json(400, JSON_1_0, missing.clone());
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_incomplete_signature_names_what_is_missing() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    let headers = [
        ("Content-Type", JSON_1_0),
        LIST_TABLES,
        ("Authorization", "AWS4-"),
    ];
    post(address, &headers, b"{}").await.assert_json(
        400,
        JSON_1_0,
        coral(
            "IncompleteSignatureException",
            Some(
                "Authorization header requires 'Credential' parameter. Authorization header \
                 requires 'Signature' parameter. Authorization header requires \
                 'SignedHeaders' parameter. Authorization header requires existence of either \
                 a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-",
            ),
        ),
    );
    let headers = [
        ("Content-Type", "application/json"),
        LIST_TABLES,
        ("Authorization", "AWS4- Signature=b, Credential=a"),
        ("Date", "a"),
    ];
    let answer = post(address, &headers, b"{}").await;
    answer.assert_json(
        400,
        "application/json",
        coral(
            "IncompleteSignatureException",
            Some(
                "Authorization header requires 'SignedHeaders' parameter. \
                 Authorization=AWS4- Signature=b, Credential=a",
            ),
        ),
    );
    // DynamoDB's own checksum of this body.
    assert_eq!(answer.header("x-amz-crc32"), Some("164353342"));
    let headers = [("Content-Type", JSON_1_0), LIST_TABLES];
    let path = "/?X-Amz-Algorithm=a&X-Amz-Credential=b&X-Amz-Signature=c&X-Amz-Date=d";
    send(address, "POST", path, &headers, b"{}")
        .await
        .assert_json(
            400,
            JSON_1_0,
            coral(
                "IncompleteSignatureException",
                Some(
                    "AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine \
                 the query-string parameters.",
                ),
            ),
        );
    let headers = [
        ("Content-Type", JSON_1_0),
        LIST_TABLES,
        ("Authorization", "X"),
    ];
    send(address, "POST", "/?X-Amz-Algorithm", &headers, b"{}")
        .await
        .assert_json(
            400,
            JSON_1_0,
            coral(
                "InvalidSignatureException",
                Some(
                    "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' \
                     as HTTP header.",
                ),
            ),
        );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_signed_request_without_a_body_is_a_serialization_exception() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    let headers = signed(address, &[LIST_TABLES], b"", &KEY, SystemTime::now());
    post(address, &pairs(&headers), b"").await.assert_json(
        400,
        "application/json",
        coral("SerializationException", None),
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_body_nested_deeper_than_the_json_reader_goes_is_answered_as_dynamodb_answers_it() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    let put = ("X-Amz-Target", "DynamoDB_20120810.PutItem");
    let json_type = ("Content-Type", JSON_1_0);
    let deep = |levels: usize| {
        let (open, close) = (r#"{"L": ["#.repeat(levels), "]}".repeat(levels));
        format!(r#"{{"TableName": "notes", "Item": {{"doc": {open}{{"S": "x"}}{close}}}}}"#)
    };
    // DynamoDB reads a value 100 levels deep, and refuses its nesting.
    let body = deep(100);
    let headers = signed(
        address,
        &[put, json_type],
        body.as_bytes(),
        &KEY,
        SystemTime::now(),
    );
    post(address, &pairs(&headers), body.as_bytes())
        .await
        .assert_json(
            400,
            JSON_1_0,
            json!({
                "__type": "com.amazon.coral.validate#ValidationException",
                "message": "Nesting Levels have exceeded supported limits: Attributes in the \
                            item have nested levels beyond supported limit",
            }),
        );
    // One 3,000 levels deep is past where its parser gives up.
    let body = deep(3_000);
    let headers = signed(
        address,
        &[put, json_type],
        body.as_bytes(),
        &KEY,
        SystemTime::now(),
    );
    post(address, &pairs(&headers), body.as_bytes())
        .await
        .assert_json(400, JSON_1_0, coral("SerializationException", None));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn cors_preflights_are_allowed_and_answers_allow_any_origin() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    let headers = [
        ("Origin", "http://example.test"),
        ("Access-Control-Request-Headers", "a, b, c"),
        ("Access-Control-Request-Method", "POST"),
    ];
    let answer = send(address, "OPTIONS", "/", &headers, b"").await;
    assert_eq!(answer.status, 200);
    assert!(answer.body.is_empty());
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    assert_eq!(
        answer.header("access-control-allow-headers"),
        Some("a, b, c")
    );
    assert_eq!(answer.header("access-control-allow-methods"), Some("POST"));
    assert_eq!(answer.header("access-control-max-age"), Some("172800"));
    assert_eq!(answer.header("content-length"), Some("0"));
    assert_eq!(answer.header("x-amzn-requestid").map(str::len), Some(52));
    let answer = post(address, &[("Origin", "http://example.test")], b"").await;
    answer.assert_json(
        400,
        "application/json",
        coral("UnknownOperationException", None),
    );
    assert_eq!(answer.header("access-control-allow-origin"), Some("*"));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_declared_body_over_16_mib_is_a_413_without_content() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    let mut stream = TcpStream::connect(address).await.unwrap();
    // Only the head: the length alone is refused, before any of the body is read.
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: {JSON_1_0}\r\n\
         Content-Length: {}\r\n\r\n",
        16 * 1024 * 1024 + 1
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let answer = read_answer(&mut stream).await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.header("transfer-encoding"), Some("chunked"));
    assert!(answer.body.is_empty());
    assert_eq!(answer.header("x-amzn-requestid").map(str::len), Some(52));
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_size_limit_counts_every_byte_of_a_chunked_body() {
    let server = server(ServerOptions::default().max_request_bytes(1000)).await;
    let address = server.local_addr();
    // At the limit: read whole (and answered as a body of no content type).
    let at_limit = vec![b'a'; 1000];
    send(address, "POST", "/", &[], &at_limit)
        .await
        .assert_unknown_operation_page();
    // One byte over, in chunks of unannounced total length.
    let mut stream = TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: {JSON_1_0}\r\n\
         Transfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for size in [600, 401] {
        let chunk = format!("{size:x}\r\n{}\r\n", "a".repeat(size));
        stream.write_all(chunk.as_bytes()).await.unwrap();
    }
    let answer = read_answer(&mut stream).await;
    assert_eq!(answer.status, 413);
    assert!(answer.body.is_empty());
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_client_stalled_mid_body_is_dropped_and_others_are_served_meanwhile() {
    let timeout = Duration::from_secs(1);
    let server = server(ServerOptions::default().read_timeout(timeout)).await;
    let address = server.local_addr();
    let mut stalled = TcpStream::connect(address).await.unwrap();
    let stalled_at = Instant::now();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: {JSON_1_0}\r\n\
         Content-Length: 100\r\n\r\n{{\"TableName\":"
    );
    stalled.write_all(head.as_bytes()).await.unwrap();
    // Another client, meanwhile, is answered at once.
    let answer = send(address, "GET", "/", &[], b"").await;
    assert_eq!(answer.status, 200);
    assert!(stalled_at.elapsed() < timeout, "{:?}", stalled_at.elapsed());
    // The stalled one is closed, unanswered, once the read timeout has passed.
    let mut rest = Vec::new();
    tokio::time::timeout(PATIENCE, stalled.read_to_end(&mut rest))
        .await
        .expect("the stalled connection is closed")
        .ok();
    assert!(rest.is_empty(), "{:?}", String::from_utf8_lossy(&rest));
    assert!(
        stalled_at.elapsed() >= timeout,
        "{:?}",
        stalled_at.elapsed()
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_client_gone_mid_body_or_mid_headers_leaves_the_server_serving() {
    let server = server(ServerOptions::default().read_timeout(Duration::from_millis(300))).await;
    let address = server.local_addr();
    // Gone mid-body.
    let mut gone = TcpStream::connect(address).await.unwrap();
    let head = format!("POST / HTTP/1.1\r\nHost: {address}\r\nContent-Length: 100\r\n\r\n{{");
    gone.write_all(head.as_bytes()).await.unwrap();
    drop(gone);
    // Stalled mid-headers: closed by the same timeout.
    let mut stalled = TcpStream::connect(address).await.unwrap();
    stalled
        .write_all(b"POST / HTTP/1.1\r\nHost: x")
        .await
        .unwrap();
    let answer = send(address, "GET", "/", &[], b"").await;
    assert_eq!(answer.status, 200);
    let mut rest = Vec::new();
    tokio::time::timeout(PATIENCE, stalled.read_to_end(&mut rest))
        .await
        .expect("the stalled connection is closed")
        .ok();
    let answer = send(address, "GET", "/", &[], b"").await;
    assert_eq!(answer.status, 200);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn shutdown_answers_the_request_in_flight_then_stops_accepting() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    let mut in_flight = TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {address}\r\nContent-Type: {JSON_1_0}\r\n\
         Content-Length: 2\r\nExpect: 100-continue\r\n\r\n"
    );
    in_flight.write_all(head.as_bytes()).await.unwrap();
    // The interim answer says the server is reading the body: the request is in flight.
    let continue_line = b"HTTP/1.1 100 Continue\r\n\r\n";
    let mut interim = vec![0; continue_line.len()];
    tokio::time::timeout(PATIENCE, in_flight.read_exact(&mut interim))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(interim, continue_line);
    let shutdown = tokio::spawn(server.shutdown());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        !shutdown.is_finished(),
        "shutdown waits for the request in flight"
    );
    in_flight.write_all(b"hi").await.unwrap();
    let answer = read_answer(&mut in_flight).await;
    answer.assert_json(400, JSON_1_0, coral("SerializationException", None));
    tokio::time::timeout(PATIENCE, shutdown)
        .await
        .expect("shutdown completes once the request is answered")
        .unwrap()
        .unwrap();
    assert!(
        TcpStream::connect(address).await.is_err(),
        "no longer accepting"
    );
}

#[tokio::test]
async fn a_connection_serves_requests_one_after_another() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    let mut stream = TcpStream::connect(address).await.unwrap();
    let keep_alive = format!("GET / HTTP/1.1\r\nHost: {address}\r\n\r\n");
    stream.write_all(keep_alive.as_bytes()).await.unwrap();
    stream
        .write_all(&request(address, "GET", "/", &[], b""))
        .await
        .unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(PATIENCE, stream.read_to_end(&mut raw))
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8(raw).unwrap();
    assert_eq!(
        text.matches("healthy: dynamodb.us-east-1.amazonaws.com ")
            .count(),
        2
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn list_tables_answers_through_the_full_stack() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    let headers = signed(
        address,
        &[("Content-Type", JSON_1_0), LIST_TABLES],
        b"{}",
        &KEY,
        SystemTime::now(),
    );
    post(address, &pairs(&headers), b"{}").await.assert_json(
        200,
        JSON_1_0,
        json!({ "TableNames": [] }),
    );
    server.shutdown().await.unwrap();
}

/// With `ttl_sweep`, the server deletes expired items itself, as DynamoDB's background
/// process does; without it they stay until the engine is asked to sweep.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ttl_sweep_deletes_expired_items() {
    use notes_core::Backend;
    use notes_core::request::{CreateTable, GetItem, PutItem, UpdateTimeToLive};
    use notes_memory::MemoryBackend;
    use notes_model::{AttributeValue, Item, ItemMap, Note};

    let engine = MemoryBackend::new();
    engine
        .create_table(CreateTable::new("notes", Note::KEY_SCHEMA))
        .await
        .unwrap();
    engine
        .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true))
        .await
        .unwrap();
    let key = ItemMap::from([
        ("userId".to_owned(), AttributeValue::S("u1".into())),
        ("noteId".to_owned(), AttributeValue::S("n1".into())),
    ]);
    let mut item = key.clone();
    // A minute ago (DynamoDB leaves alone what expired more than five years ago).
    let expired = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 60;
    item.insert("expiresAt".into(), AttributeValue::N(expired.to_string()));
    engine.put_item(PutItem::new("notes", item)).await.unwrap();
    let service = notes_local::Service::new(engine.clone(), "us-east-1");
    let options = ServerOptions::default().ttl_sweep(Duration::from_millis(20));
    let server = server_with(service, options).await;
    let get = GetItem::new("notes", key).consistent_read(true);
    let started = Instant::now();
    while engine.get_item(get.clone()).await.unwrap().item.is_some() {
        assert!(
            started.elapsed() < PATIENCE,
            "the expired item was never swept"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.shutdown().await.unwrap();
}
