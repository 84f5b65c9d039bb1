//! One request and its answer: DynamoDB's JSON protocol around [`Service::call`].
//!
//! The checks run in DynamoDB's order, each answering as DynamoDB does:
//!
//! 1. a body over the size limit: 413, no content (chunked);
//! 2. a CORS preflight (`OPTIONS` with `Origin`): 200 with the `Access-Control-Allow-*`
//!    headers; any request with `Origin` gets `Access-Control-Allow-Origin: *`;
//! 3. `GET` on any path: the health check, `healthy: dynamodb.<region>.amazonaws.com `
//!    (with its trailing space);
//! 4. any other method than `POST`, or a body whose content type is neither
//!    `application/x-amz-json-1.0` nor `application/json` (parameters after `;` ignored;
//!    `application/x-amz-json-1.1` is refused too): 404, `<UnknownOperationException/>`;
//! 5. a body that is not JSON: `SerializationException` (no message; a body nested deeper
//!    than the JSON reader follows is the operation's to answer, `json::parse_body`);
//! 6. an `X-Amz-Target` that is missing or names no operation of DynamoDB's:
//!    `UnknownOperationException` (no message);
//! 7. the signature ([`auth::check`]);
//! 8. an empty body: `SerializationException`;
//! 9. the operation, answered by the [`Service`].
//!
//! JSON answers are typed `application/x-amz-json-1.0` when the request was, and
//! `application/json` otherwise; the path is not looked at, as DynamoDB does not.

use std::fmt;
use std::io;
use std::time::{Duration, Instant, SystemTime};

use http_body_util::BodyExt;
use hyper::body::{Body as _, Incoming};
use hyper::header::{self, HeaderValue};
use hyper::http::request::Parts;
use hyper::{Method, Request};
use serde::de::{Deserializer as _, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::reply::{self, Reply};
use crate::auth::{self, AccessKeys};
use crate::errors::ErrorAnswer;
use crate::protocol::{Service, json};

/// The content type of DynamoDB's JSON protocol.
const JSON_1_0: &str = "application/x-amz-json-1.0";

/// The other content type DynamoDB accepts (and answers with).
const JSON: &str = "application/json";

/// What every request is checked against.
#[derive(Debug, Clone)]
pub(super) struct Limits {
    /// The largest body accepted, in bytes.
    pub(super) max_request_bytes: usize,
    /// How long a client may leave the server waiting for the next bytes of its request.
    pub(super) read_timeout: Duration,
    /// The keys whose signatures are verified; `None`: any signature is accepted.
    pub(super) keys: Option<AccessKeys>,
}

/// What the request's log line says.
#[derive(Debug, Default)]
struct Line {
    operation: Option<String>,
    table: Option<String>,
}

/// Answers `request`, and logs one line about it at debug level.
///
/// An error is a client that stopped sending its body, or sent nothing of it for the read
/// timeout: the connection is closed without an answer.
pub(super) async fn serve(
    service: &Service,
    limits: &Limits,
    request: Request<Incoming>,
) -> io::Result<Reply> {
    let started = Instant::now();
    let request_id = reply::request_id();
    let (parts, body) = request.into_parts();
    let mut line = Line::default();
    let mut response = match read_body(body, limits).await {
        Ok(Some(body)) => answer(service, limits, &parts, &body, &request_id, &mut line).await,
        Ok(None) => reply::too_large(&request_id),
        Err(err) => {
            tracing::debug!(
                method = %parts.method,
                duration_ms = milliseconds(started),
                "request not read whole: {err}"
            );
            return Err(err);
        }
    };
    if parts.headers.contains_key(header::ORIGIN) {
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
    }
    tracing::debug!(
        method = %parts.method,
        operation = line.operation.as_deref(),
        table = line.table.as_deref(),
        status = response.status().as_u16(),
        duration_ms = milliseconds(started),
        "request"
    );
    Ok(response)
}

/// The time since `started`, in milliseconds to the microsecond, for the log.
fn milliseconds(started: Instant) -> f64 {
    (started.elapsed().as_micros() as f64) / 1000.0
}

/// The body, or `None` when it is over the size limit (said by its `Content-Length`, or
/// found reading it).
async fn read_body(mut body: Incoming, limits: &Limits) -> io::Result<Option<Vec<u8>>> {
    let max = limits.max_request_bytes;
    if body.size_hint().lower() > max as u64 {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    loop {
        let frame = tokio::time::timeout(limits.read_timeout, body.frame())
            .await
            .map_err(|_| {
                io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "no bytes of the body for {} ms (the read timeout)",
                        limits.read_timeout.as_millis()
                    ),
                )
            })?;
        let Some(frame) = frame else {
            return Ok(Some(bytes));
        };
        let frame = frame.map_err(io::Error::other)?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > max {
                return Ok(None);
            }
            bytes.extend_from_slice(&data);
        }
    }
}

/// The answer to a request whose body was read whole.
async fn answer(
    service: &Service,
    limits: &Limits,
    parts: &Parts,
    body: &[u8],
    request_id: &str,
    line: &mut Line,
) -> Reply {
    let origin = parts.headers.contains_key(header::ORIGIN);
    if parts.method == Method::OPTIONS && origin {
        return preflight(parts, request_id);
    }
    if parts.method == Method::GET {
        let health = format!("healthy: dynamodb.{}.amazonaws.com ", service.region());
        return reply::bytes(200, None, health.into_bytes(), request_id);
    }
    let media_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .map(|value| {
            let value = String::from_utf8_lossy(value.as_bytes());
            value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned()
        })
        .unwrap_or_default();
    let json_body = media_type == JSON_1_0 || media_type == JSON;
    if parts.method != Method::POST || (!body.is_empty() && !json_body) {
        let page = reply::UNKNOWN_OPERATION_PAGE.as_bytes().to_vec();
        return reply::bytes(404, None, page, request_id);
    }
    let content_type = if media_type == JSON_1_0 {
        JSON_1_0
    } else {
        JSON
    };
    let error = |answer: ErrorAnswer| reply::error(&answer, content_type, request_id);
    let serialization = || ErrorAnswer::coral(400, "SerializationException", String::new());
    if !body.is_empty() {
        match table_name(body) {
            Ok(table) => line.table = table,
            // Nested deeper than serde_json follows: the operation answers it (DynamoDB reads
            // far deeper, and refuses the values nested too deep).
            Err(err) if json::too_deep(&err) => {}
            Err(_) => return error(serialization()),
        }
    }
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let Some(operation) = super::operations::operation(target) else {
        return error(ErrorAnswer::coral(
            400,
            "UnknownOperationException",
            String::new(),
        ));
    };
    line.operation = Some(operation.to_owned());
    if let Err(refused) = auth::check(parts, body, limits.keys.as_ref(), SystemTime::now()) {
        return error(refused);
    }
    if body.is_empty() {
        return error(serialization());
    }
    match service.call(target, body).await {
        Ok(answer) => reply::bytes(200, Some(content_type), answer.into_bytes(), request_id),
        Err(refused) => error(refused),
    }
}

/// The answer to a CORS preflight: every origin, method and header allowed, for two days.
fn preflight(parts: &Parts, request_id: &str) -> Reply {
    let mut response = reply::empty(200, request_id);
    let headers = response.headers_mut();
    let asked = [
        (
            header::ACCESS_CONTROL_REQUEST_HEADERS,
            header::ACCESS_CONTROL_ALLOW_HEADERS,
        ),
        (
            header::ACCESS_CONTROL_REQUEST_METHOD,
            header::ACCESS_CONTROL_ALLOW_METHODS,
        ),
    ];
    for (request, allow) in asked {
        if let Some(value) = parts.headers.get(request) {
            headers.insert(allow, value.clone());
        }
    }
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("172800"),
    );
    response
}

/// The body's `TableName`, for the log line, read while checking that the body is JSON: an
/// error is a body that is not JSON (a value of another type than the operation's is the
/// operation's to refuse).
fn table_name(body: &[u8]) -> Result<Option<String>, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let table = deserializer.deserialize_any(TableName)?;
    deserializer.end()?;
    Ok(table)
}

/// Reads any JSON value, keeping the top-level object's `TableName` string.
struct TableName;

impl<'de> Visitor<'de> for TableName {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut table = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "TableName" {
                table = map
                    .next_value::<serde_json::Value>()?
                    .as_str()
                    .map(str::to_owned);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(table)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_name_is_read_from_any_json_and_other_json_passes() {
        let table = |body: &str| table_name(body.as_bytes()).unwrap();
        assert_eq!(
            table(r#"{"Key": {"a": {"S": "x"}}, "TableName": "notes"}"#),
            Some("notes".to_owned())
        );
        assert_eq!(table(r#"{"TableName": 7}"#), None);
        assert_eq!(table(r#"{"Nested": {"TableName": "no"}}"#), None);
        assert_eq!(table(r#"[1, "two", null, true, 2.5, -3]"#), None);
        assert_eq!(table(r#""text""#), None);
    }

    #[test]
    fn a_body_that_is_not_json_is_an_error() {
        for body in ["hi", "{", r#"{"a": 1} x"#, r#"{"a" 1}"#, "[1,]"] {
            assert!(table_name(body.as_bytes()).is_err(), "{body}");
        }
    }
}
