//! Signatures verified ([`ServerOptions::credential`]): signed by the AWS SDKs' own signer,
//! accepted with the right secret, refused with DynamoDB's errors otherwise.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use notes_local::ServerOptions;

use super::JSON_1_0;
use super::client::*;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// A verifying server's options: only [`KEY`] is accepted.
fn verifying() -> ServerOptions {
    ServerOptions::default().credential(KEY.id, KEY.secret)
}

/// The error of an accepted signature on an empty body: the first check after the
/// signature's.
fn accepted() -> serde_json::Value {
    coral("SerializationException", None)
}

const TARGET: (&str, &str) = ("X-Amz-Target", "DynamoDB_20120810.ListTables");

#[tokio::test]
async fn the_right_secret_is_accepted_with_or_without_a_session_token() {
    let server = server(verifying()).await;
    let address = server.local_addr();
    let with_token = Key {
        token: Some("FwoGZXIvYXdzEXAMPLETOKEN"),
        ..KEY
    };
    for key in [KEY, with_token] {
        let headers = signed(
            address,
            &[("Content-Type", JSON_1_0), TARGET],
            b"",
            &key,
            SystemTime::now(),
        );
        post(address, &pairs(&headers), b"")
            .await
            .assert_json(400, JSON_1_0, accepted());
    }
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_unknown_access_key_is_an_unrecognized_client() {
    let server = server(verifying()).await;
    let address = server.local_addr();
    let stranger = Key {
        id: "AKIDSTRANGER",
        ..KEY
    };
    let headers = signed(
        address,
        &[("Content-Type", JSON_1_0), TARGET],
        b"{}",
        &stranger,
        SystemTime::now(),
    );
    post(address, &pairs(&headers), b"{}").await.assert_json(
        400,
        JSON_1_0,
        coral(
            "UnrecognizedClientException",
            Some("The security token included in the request is invalid."),
        ),
    );
    server.shutdown().await.unwrap();
}

/// DynamoDB's message for a signature the secret does not make.
const MISMATCH: &str = "The request signature we calculated does not match the signature you \
                        provided. Check your AWS Secret Access Key and signing method. Consult \
                        the service documentation for details.";

#[tokio::test]
async fn a_wrong_secret_or_a_changed_request_is_an_invalid_signature() {
    let server = server(verifying()).await;
    let address = server.local_addr();
    let mismatch = coral("InvalidSignatureException", Some(MISMATCH));
    let wrong_secret = Key {
        secret: "not-the-secret",
        ..KEY
    };
    let now = SystemTime::now();
    let headers = signed(
        address,
        &[("Content-Type", JSON_1_0), TARGET],
        b"{}",
        &wrong_secret,
        now,
    );
    post(address, &pairs(&headers), b"{}")
        .await
        .assert_json(400, JSON_1_0, mismatch.clone());
    // Signed for one body, sent with another.
    let headers = signed(
        address,
        &[("Content-Type", JSON_1_0), TARGET],
        b"{}",
        &KEY,
        now,
    );
    post(address, &pairs(&headers), br#"{"Limit": 1}"#)
        .await
        .assert_json(400, JSON_1_0, mismatch.clone());
    // Signed for one operation, sent to another.
    let mut headers = signed(
        address,
        &[("Content-Type", JSON_1_0), TARGET],
        b"",
        &KEY,
        now,
    );
    for (name, value) in &mut headers {
        if name == "X-Amz-Target" {
            *value = "DynamoDB_20120810.DescribeLimits".to_owned();
        }
    }
    post(address, &pairs(&headers), b"")
        .await
        .assert_json(400, JSON_1_0, mismatch);
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_signature_older_than_15_minutes_has_expired() {
    let server = server(verifying()).await;
    let address = server.local_addr();
    let then = SystemTime::UNIX_EPOCH + Duration::from_secs(1_704_101_400); // 2024-01-01 09:30
    let headers = signed(
        address,
        &[("Content-Type", JSON_1_0), TARGET],
        b"{}",
        &KEY,
        then,
    );
    let answer = post(address, &pairs(&headers), b"{}").await;
    assert_eq!(answer.status, 400);
    answer.assert_dynamodb_headers();
    let body: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(
        body["__type"],
        "com.amazon.coral.service#InvalidSignatureException"
    );
    // "... is now earlier than <now - 15 min> (<now> - 15 min.)", now being the server's.
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("Signature expired: 20240101T093000Z is now earlier than "),
        "{message}"
    );
    assert!(message.ends_with(" - 15 min.)"), "{message}");
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_signature_in_the_query_string_is_verified_too() {
    let server = server(verifying()).await;
    let address = server.local_addr();
    let headers = [("Content-Type", JSON_1_0), TARGET];
    send(address, "POST", &presign(address, &KEY, b""), &headers, b"")
        .await
        .assert_json(400, JSON_1_0, accepted());
    let wrong = Key {
        secret: "not-the-secret",
        ..KEY
    };
    send(
        address,
        "POST",
        &presign(address, &wrong, b""),
        &headers,
        b"",
    )
    .await
    .assert_json(
        400,
        JSON_1_0,
        coral("InvalidSignatureException", Some(MISMATCH)),
    );
    server.shutdown().await.unwrap();
}

/// A query-string signature covers the body as a header signature does: a body other than the
/// one signed (as when a signer moved the body out of the request, as botocore's
/// `SigV4QueryAuth` does for query-protocol services, and the body was sent anyway), or
/// `UNSIGNED-PAYLOAD` (S3's alone), is DynamoDB's mismatch.
#[tokio::test]
async fn a_presigned_request_signs_its_body() {
    let server = server(verifying()).await;
    let address = server.local_addr();
    let headers = [("Content-Type", JSON_1_0), TARGET];
    send(
        address,
        "POST",
        &presign(address, &KEY, b"{}"),
        &headers,
        b"{}",
    )
    .await
    .assert_json(200, JSON_1_0, serde_json::json!({ "TableNames": [] }));
    let mismatch = coral("InvalidSignatureException", Some(MISMATCH));
    send(
        address,
        "POST",
        &presign(address, &KEY, b""),
        &headers,
        b"{}",
    )
    .await
    .assert_json(400, JSON_1_0, mismatch.clone());
    let unsigned = presign_body(address, &KEY, SignableBody::UnsignedPayload);
    send(address, "POST", &unsigned, &headers, b"{}")
        .await
        .assert_json(400, JSON_1_0, mismatch);
    server.shutdown().await.unwrap();
}

/// The path and query string of a `POST /` to the server at `address` signed in its query
/// string with `key`, over `body`.
fn presign(address: std::net::SocketAddr, key: &Key<'_>, body: &[u8]) -> String {
    presign_body(address, key, SignableBody::Bytes(body))
}

/// [`presign`] over any [`SignableBody`].
fn presign_body(address: std::net::SocketAddr, key: &Key<'_>, body: SignableBody<'_>) -> String {
    let identity = Credentials::new(key.id, key.secret, None, None, "test").into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(Duration::from_secs(300));
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region("us-east-1")
        .name("dynamodb")
        .time(SystemTime::now())
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let host = address.to_string();
    let headers = [("host", host.as_str()), ("x-amz-target", TARGET.1)];
    let request = SignableRequest::new(
        "POST",
        format!("http://{address}/"),
        headers.into_iter(),
        body,
    )
    .unwrap();
    let (instructions, _) = sign(request, &params).unwrap().into_parts();
    let query: Vec<String> = instructions
        .params()
        .iter()
        .map(|(name, value)| format!("{name}={}", encode(value)))
        .collect();
    format!("/?{}", query.join("&"))
}

#[tokio::test]
async fn without_keys_any_complete_signature_is_accepted() {
    let server = server(ServerOptions::default()).await;
    let address = server.local_addr();
    let anyone = Key {
        id: "anything",
        secret: "at all",
        token: None,
    };
    let headers = signed(
        address,
        &[("Content-Type", JSON_1_0), TARGET],
        b"",
        &anyone,
        SystemTime::now(),
    );
    post(address, &pairs(&headers), b"")
        .await
        .assert_json(400, JSON_1_0, accepted());
    server.shutdown().await.unwrap();
}

/// `value` percent-encoded for a query string (SigV4's unreserved characters kept).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A request whose `SignedHeaders` names a header it did not send (`Host` above all, which
/// HTTP/1.0 and a careless HTTP/1.1 client may leave out) cannot carry the signature the
/// secret makes for it: DynamoDB's mismatch, and the connection kept for the next request.
#[tokio::test]
async fn a_signed_header_that_was_not_sent_is_an_invalid_signature() {
    let server = server(verifying()).await;
    let address = server.local_addr();
    let mismatch = coral("InvalidSignatureException", Some(MISMATCH));
    // Signed with the right secret, then sent without the `Host` it signed.
    let headers = signed(
        address,
        &[("Content-Type", JSON_1_0), TARGET],
        b"{}",
        &KEY,
        SystemTime::now(),
    );
    let mut without_host = String::new();
    for (name, value) in headers.iter().filter(|(name, _)| name != "host") {
        without_host.push_str(&format!("{name}: {value}\r\n"));
    }
    for version in ["HTTP/1.1", "HTTP/1.0"] {
        let mut stream = TcpStream::connect(address).await.unwrap();
        // Kept alive (HTTP/1.0 asks for it), then a health check on the same connection.
        let hostile = format!(
            "POST / {version}\r\n{without_host}Content-Length: 2\r\n\
             Connection: keep-alive\r\n\r\n{{}}"
        );
        let health = format!("GET / {version}\r\nHost: {address}\r\nConnection: close\r\n\r\n");
        stream.write_all(hostile.as_bytes()).await.unwrap();
        stream.write_all(health.as_bytes()).await.unwrap();
        let answers = read_answers(&mut stream).await;
        assert_eq!(answers.len(), 2, "{version}: {answers:?}");
        answers[0].assert_json(400, JSON_1_0, mismatch.clone());
        assert_eq!(
            answers[1].text(),
            "healthy: dynamodb.us-east-1.amazonaws.com "
        );
    }
    // Any other signed header missing: the same.
    let mut headers = signed(
        address,
        &[("Content-Type", JSON_1_0), TARGET, ("X-Custom", "1")],
        b"{}",
        &KEY,
        SystemTime::now(),
    );
    headers.retain(|(name, _)| name != "X-Custom");
    post(address, &pairs(&headers), b"{}")
        .await
        .assert_json(400, JSON_1_0, mismatch);
    // Fails if any request's handler panicked.
    server.shutdown().await.unwrap();
}
