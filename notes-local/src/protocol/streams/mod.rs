//! The DynamoDB Streams API (`DynamoDBStreams_20120810`) on the engine's streams:
//! `ListStreams`, `DescribeStream`, `GetShardIterator` and `GetRecords`.
//!
//! A table has at most one readable stream (the enabled one, or the one disabled less than
//! 24 hours ago), with one shard, open while the stream is enabled and closed once it is
//! disabled. Its ARN is `<table ARN>/stream/<label>`, the label the time the stream was
//! enabled (`2026-11-25T10:00:00.000`, as DynamoDB labels it; the engine's own number when a
//! durable store written before it recorded that time does not know it).
//!
//! Shard iterators describe themselves (the stream, a position, when they were issued:
//! [`iterator`]), so the service keeps no state for them; an iterator is valid for 15
//! minutes on the engine's clock, as on DynamoDB.

mod arn;
mod describe;
mod iterator;
mod records;

use serde_json::Value;

use super::{Answer, Service};

/// Answers `operation` if it is one of this module's, else `None`.
pub(super) async fn call(service: &Service, operation: &str, body: &Value) -> Option<Answer> {
    Some(match operation {
        "ListStreams" => describe::list_streams(service, body),
        "DescribeStream" => describe::describe_stream(service, body).await,
        "GetShardIterator" => iterator::get_shard_iterator(service, body),
        "GetRecords" => records::get_records(service, body),
        _ => return None,
    })
}

#[cfg(test)]
mod sdk;
