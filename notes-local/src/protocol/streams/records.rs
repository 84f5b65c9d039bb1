//! `GetRecords`: the records after an iterator's position, at most `Limit` (1 to 1000, 1000
//! by default) and 1 MB of them, in DynamoDB Streams' `Record` shape, with the iterator of
//! the next ones (none once a closed shard is read to its end).

use notes_core::stream::ChangeRecord;
use serde::Deserialize;
use serde_json::{Value, json};

use super::arn::{fnv, resolve};
use super::iterator::{Position, ShardIterator, VALIDITY, invalid_iterator};
use crate::errors::ErrorAnswer;
use crate::protocol::constraints::{Violations, required};
use crate::protocol::json::shape;
use crate::protocol::tables::{engine_error, epoch_seconds};
use crate::protocol::{Answer, Service};

/// The most records an answer holds (and `Limit`'s default).
const MAX_RECORDS: i64 = 1000;
/// The most bytes of records an answer holds.
const MAX_BYTES: u64 = 1024 * 1024;

/// `GetRecords`: `{"Records": [...], "NextShardIterator"?}`.
pub(super) fn get_records(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        shard_iterator: Option<String>,
        limit: Option<i64>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    let text = required(request.shard_iterator, "ShardIterator")?;
    violations.length(
        &text,
        text.chars().count(),
        "shardIterator",
        Some(1),
        Some(2048),
    );
    if let Some(limit) = request.limit {
        violations.range(limit, "limit", Some(1), Some(MAX_RECORDS));
    }
    violations.finish()?;
    let iterator = ShardIterator::decode(&text).ok_or_else(invalid_iterator)?;
    let engine = service.engine();
    let now = engine.now();
    if now
        .duration_since(iterator.issued)
        .is_ok_and(|age| age > VALIDITY)
    {
        return Err(ErrorAnswer::client(
            "ExpiredIteratorException",
            "The provided iterator exceeds the maximum age allowed.".to_owned(),
        ));
    }
    let (table, stream) = resolve(service, &iterator.stream_arn)?;
    let records = engine
        .stream_records(&table, iterator.position.after().as_deref())
        .map_err(|err| engine_error(&err, "GetRecords"))?;
    let limit = usize::try_from(request.limit.unwrap_or(MAX_RECORDS)).unwrap_or(usize::MAX);
    let mut page = Vec::new();
    let mut bytes = 0;
    for record in &records {
        let size = record.size_bytes.unwrap_or(0);
        if page.len() == limit || (!page.is_empty() && bytes + size > MAX_BYTES) {
            break;
        }
        bytes += size;
        page.push(record);
    }
    let read_all = page.len() == records.len();
    let position = match page.last() {
        Some(last) => Position::After(
            last.sequence_number
                .parse()
                .map_err(|_| invalid_iterator())?,
        ),
        None => iterator.position,
    };
    let region = service.region();
    let records: Vec<Value> = page
        .into_iter()
        .map(|record| record_json(record, &iterator.stream_arn, region))
        .collect();
    let mut answer = json!({ "Records": records });
    // A closed shard read to its end has no next iterator.
    if stream.enabled || !read_all {
        let next = ShardIterator {
            stream_arn: iterator.stream_arn,
            position,
            issued: now,
        };
        answer["NextShardIterator"] = json!(next.encode());
    }
    Ok(answer)
}

/// One record as DynamoDB Streams writes it.
fn record_json(record: &ChangeRecord, stream_arn: &str, region: &str) -> Value {
    let mut dynamodb = json!({
        "ApproximateCreationDateTime": epoch_seconds(record.approximate_creation_time),
        "Keys": record.keys,
        "SequenceNumber": record.sequence_number,
        "SizeBytes": record.size_bytes.unwrap_or(0),
    });
    if let Some(view) = record.view_type {
        dynamodb["StreamViewType"] = json!(view.name());
    }
    if let Some(image) = &record.new_image {
        dynamodb["NewImage"] = json!(image);
    }
    if let Some(image) = &record.old_image {
        dynamodb["OldImage"] = json!(image);
    }
    let id = format!("{stream_arn}|{}", record.sequence_number);
    let mut value = json!({
        "eventID": format!("{:016x}{:016x}", fnv(id.as_bytes()), fnv(record.sequence_number.as_bytes())),
        "eventName": record.kind.event_name(),
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": region,
        "dynamodb": dynamodb,
    });
    if record.removed_by_ttl {
        value["userIdentity"] = json!({
            "type": "Service",
            "principalId": "dynamodb.amazonaws.com",
        });
    }
    value
}

#[cfg(test)]
mod tests;
