//! `GetShardIterator`, and the shard iterators themselves: self-describing, so the service
//! keeps no state for them.
//!
//! An iterator is `<stream ARN>|1|<position>|<issued>|<check>`: the position is `h` (the
//! trim horizon: the oldest record kept, whatever is trimmed meanwhile) or a sequence number
//! to read after; `issued` is when it was issued, in milliseconds on the engine's clock; the
//! check is a hash of the rest, so that a garbled iterator is told from a valid one. It is
//! valid for 15 minutes after it was issued (`ExpiredIteratorException` after that).
//!
//! `LATEST` is the position after the last record when the iterator is issued;
//! `AT_SEQUENCE_NUMBER n` is the position after `n - 1`, `AFTER_SEQUENCE_NUMBER n` after `n`
//! (the engine's sequence numbers are integers). A sequence number the stream never gave,
//! or one whose records were trimmed, is refused when the iterator is asked for, as DynamoDB
//! refuses it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Deserialize;
use serde_json::{Value, json};

use super::arn::{fnv, resolve, shard_id};
use super::describe::check_stream_arn;
use crate::errors::ErrorAnswer;
use crate::protocol::constraints::{Violations, required};
use crate::protocol::json::shape;
use crate::protocol::tables::engine_error;
use crate::protocol::{Answer, Service};

/// How long an iterator is valid.
pub(super) const VALIDITY: Duration = Duration::from_secs(15 * 60);

/// Where an iterator reads from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Position {
    /// The oldest record kept (`TRIM_HORIZON`).
    Horizon,
    /// The records after this sequence number.
    After(u64),
}

impl Position {
    /// The engine's `after` for this position.
    pub(super) fn after(self) -> Option<String> {
        match self {
            Position::Horizon => None,
            Position::After(n) => Some(format!("{n:021}")),
        }
    }
}

/// A shard iterator, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ShardIterator {
    /// The stream's ARN.
    pub(super) stream_arn: String,
    /// Where it reads from.
    pub(super) position: Position,
    /// When it was issued.
    pub(super) issued: SystemTime,
}

impl ShardIterator {
    /// The iterator as text.
    pub(super) fn encode(&self) -> String {
        let position = match self.position {
            Position::Horizon => "h".to_owned(),
            Position::After(n) => n.to_string(),
        };
        let issued = self
            .issued
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis();
        let body = format!("{}|1|{position}|{issued}", self.stream_arn);
        format!("{body}|{:016x}", fnv(body.as_bytes()))
    }

    /// The iterator `text` encodes, or `None` when it is not one this service issued.
    pub(super) fn decode(text: &str) -> Option<ShardIterator> {
        let (body, check) = text.rsplit_once('|')?;
        if u64::from_str_radix(check, 16).ok()? != fnv(body.as_bytes()) || check.len() != 16 {
            return None;
        }
        let mut parts = body.rsplitn(4, '|');
        let issued: u64 = parts.next()?.parse().ok()?;
        let position = match parts.next()? {
            "h" => Position::Horizon,
            n => Position::After(n.parse().ok()?),
        };
        if parts.next()? != "1" {
            return None;
        }
        Some(ShardIterator {
            stream_arn: parts.next()?.to_owned(),
            position,
            issued: UNIX_EPOCH + Duration::from_millis(issued),
        })
    }
}

/// DynamoDB's answer to an iterator it did not issue.
pub(super) fn invalid_iterator() -> ErrorAnswer {
    ErrorAnswer::validation("Invalid ShardIterator")
}

/// `GetShardIterator`: `{"ShardIterator": "..."}`.
pub(super) fn get_shard_iterator(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        stream_arn: Option<String>,
        shard_id: Option<String>,
        shard_iterator_type: Option<String>,
        sequence_number: Option<String>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    let arn = required(request.stream_arn, "StreamArn")?;
    check_stream_arn(&arn, "streamArn", &mut violations);
    let shard = required(request.shard_id, "ShardId")?;
    violations.length(&shard, shard.chars().count(), "shardId", Some(28), Some(65));
    let kind = required(request.shard_iterator_type, "ShardIteratorType")?;
    violations.one_of(
        &kind,
        "shardIteratorType",
        &[
            "TRIM_HORIZON",
            "LATEST",
            "AT_SEQUENCE_NUMBER",
            "AFTER_SEQUENCE_NUMBER",
        ],
    );
    if let Some(number) = &request.sequence_number {
        violations.length(
            number,
            number.chars().count(),
            "sequenceNumber",
            Some(21),
            Some(40),
        );
    }
    violations.finish()?;
    let (table, stream) = resolve(service, &arn)?;
    if shard != shard_id(&arn, &stream) {
        return Err(ErrorAnswer::client(
            "ResourceNotFoundException",
            format!("Requested resource not found: Shard does not exist: {shard}"),
        ));
    }
    let engine = service.engine();
    let number = || -> Result<u64, ErrorAnswer> {
        let text = request.sequence_number.as_deref().ok_or_else(|| {
            ErrorAnswer::validation(format!(
                "SequenceNumber must be provided for ShardIteratorType {kind}"
            ))
        })?;
        text.parse::<u64>()
            .map_err(|_| ErrorAnswer::validation(format!("Invalid SequenceNumber: {text}")))
    };
    let position = match kind.as_str() {
        "TRIM_HORIZON" => Position::Horizon,
        "LATEST" => {
            let latest = engine
                .stream_position(&table)
                .map_err(|err| engine_error(&err, "GetShardIterator"))?;
            Position::After(latest.parse().map_err(|_| invalid_iterator())?)
        }
        "AT_SEQUENCE_NUMBER" => Position::After(number()?.saturating_sub(1)),
        _ => Position::After(number()?),
    };
    if let Position::After(_) = position {
        // A position the stream never reached, or whose records were trimmed, is refused now.
        engine
            .stream_records(&table, position.after().as_deref())
            .map_err(|err| match err {
                notes_core::Error::Validation { .. } => ErrorAnswer::validation(format!(
                    "Invalid SequenceNumber {} for the stream {arn}: it is beyond the last \
                     sequence number of its shard",
                    request.sequence_number.as_deref().unwrap_or_default()
                )),
                other => engine_error(&other, "GetShardIterator"),
            })?;
    }
    let iterator = ShardIterator {
        stream_arn: arn,
        position,
        issued: engine.now(),
    };
    Ok(json!({ "ShardIterator": iterator.encode() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iterator_decodes_to_what_was_encoded_and_a_garbled_one_to_nothing() {
        let iterator = ShardIterator {
            stream_arn: "arn:aws:dynamodb:us-east-1:000000000000:table/notes/stream/\
                         2026-11-25T10:00:00.000"
                .into(),
            position: Position::After(42),
            issued: UNIX_EPOCH + Duration::from_millis(1_800_000_000_123),
        };
        let text = iterator.encode();
        assert_eq!(ShardIterator::decode(&text), Some(iterator.clone()));
        let horizon = ShardIterator {
            position: Position::Horizon,
            ..iterator
        };
        assert_eq!(ShardIterator::decode(&horizon.encode()), Some(horizon));
        let garbled = text.replace("|42|", "|43|");
        assert_eq!(ShardIterator::decode(&garbled), None);
        assert_eq!(ShardIterator::decode("not an iterator"), None);
        assert_eq!(ShardIterator::decode(""), None);
    }
}
