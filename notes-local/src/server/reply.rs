//! The server's answers as DynamoDB sends them: every one with an `x-amzn-RequestId` (52
//! characters of `0-9A-V`) and, when it has a body, `x-amz-crc32` (the CRC32 of the body's
//! bytes, in decimal, which the SDKs verify).

use std::collections::hash_map::RandomState;
use std::convert::Infallible;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use http_body_util::{Either, Full};
use hyper::Response;
use hyper::body::{Bytes, Frame};
use hyper::header::{CONTENT_TYPE, HeaderValue};

use crate::errors::ErrorAnswer;

/// A response's body: bytes of a known length, or DynamoDB's empty chunked 413.
pub(crate) type Body = Either<Full<Bytes>, Chunked>;

/// A response.
pub(crate) type Reply = Response<Body>;

/// The body of DynamoDB's answer to other methods than `POST` and to a body that is not
/// JSON (a 404 without a content type).
pub(super) const UNKNOWN_OPERATION_PAGE: &str = "<UnknownOperationException/>\n";

/// An answer of `status` with `body`, typed `content_type` (none when `None`).
pub(super) fn bytes(
    status: u16,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    request_id: &str,
) -> Reply {
    let crc = crc32fast::hash(&body);
    let mut response = Response::new(Either::Left(Full::new(Bytes::from(body))));
    *response.status_mut() = status_code(status);
    let headers = response.headers_mut();
    if let Some(content_type) = content_type {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    headers.insert("x-amz-crc32", HeaderValue::from(crc));
    insert_request_id(&mut response, request_id);
    response
}

/// `error`'s JSON answer, typed `content_type`.
pub(super) fn error(error: &ErrorAnswer, content_type: &'static str, request_id: &str) -> Reply {
    json(error.status, content_type, &error.body(), request_id)
}

/// A JSON answer.
pub(super) fn json(
    status: u16,
    content_type: &'static str,
    body: &serde_json::Value,
    request_id: &str,
) -> Reply {
    // A `Value` always serializes.
    let body = serde_json::to_vec(body).unwrap_or_default();
    bytes(status, Some(content_type), body, request_id)
}

/// DynamoDB's 413 to a body over its size limit: no content, chunked.
pub(super) fn too_large(request_id: &str) -> Reply {
    let mut response = Response::new(Either::Right(Chunked));
    *response.status_mut() = status_code(413);
    insert_request_id(&mut response, request_id);
    response
}

/// An answer with no body (a CORS preflight's 200).
pub(super) fn empty(status: u16, request_id: &str) -> Reply {
    let mut response = Response::new(Either::Left(Full::new(Bytes::new())));
    *response.status_mut() = status_code(status);
    insert_request_id(&mut response, request_id);
    response
}

fn status_code(status: u16) -> hyper::StatusCode {
    hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR)
}

fn insert_request_id(response: &mut Reply, request_id: &str) {
    if let Ok(value) = HeaderValue::from_str(request_id) {
        response.headers_mut().insert("x-amzn-requestid", value);
    }
}

/// A new request id: 52 characters of `0-9A-V` (base32hex), as DynamoDB's.
///
/// Unique within the process (a counter) and unpredictable across processes (hashed with
/// the standard library's randomly keyed SipHash).
pub(crate) fn request_id() -> String {
    const DIGITS: &[u8; 32] = b"0123456789ABCDEFGHIJKLMNOPQRSTUV";
    static COUNT: AtomicU64 = AtomicU64::new(0);
    static KEYS: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    let keys = KEYS.get_or_init(RandomState::new);
    let count = COUNT.fetch_add(1, Ordering::Relaxed);
    let mut id = String::with_capacity(52);
    // Five hashes of 64 bits, 12 digits of 5 bits from each: 60 digits, 52 kept.
    for part in 0u8..5 {
        let mut hasher = keys.build_hasher();
        hasher.write_u64(count);
        hasher.write_u8(part);
        let mut bits = hasher.finish();
        for _ in 0..12 {
            if id.len() == 52 {
                break;
            }
            id.push(char::from(DIGITS[(bits & 31) as usize]));
            bits >>= 5;
        }
    }
    id
}

/// An empty body of unknown length, so sent chunked (`0\r\n\r\n`): DynamoDB's 413.
#[derive(Debug)]
pub(crate) struct Chunked;

impl hyper::body::Body for Chunked {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_52_base32hex_digits_and_differ() {
        let first = request_id();
        let second = request_id();
        assert_eq!(first.len(), 52);
        assert!(
            first
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'V').contains(&b))
        );
        assert_ne!(first, second);
    }

    #[test]
    fn the_crc32_is_of_the_body_in_decimal() {
        let reply = bytes(404, None, UNKNOWN_OPERATION_PAGE.into(), "ID");
        // DynamoDB's own header for this body.
        assert_eq!(reply.headers()["x-amz-crc32"], "3552371480");
        assert_eq!(reply.headers()["x-amzn-requestid"], "ID");
        assert_eq!(reply.status(), 404);
    }
}
