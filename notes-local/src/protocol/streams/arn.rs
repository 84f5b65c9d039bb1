//! A stream's ARN, label and shard id as this service names them, and the way back from an
//! ARN to the table's readable stream.

use std::time::UNIX_EPOCH;

use notes_memory::StreamFacts;

use crate::errors::ErrorAnswer;
use crate::protocol::Service;
pub(super) use crate::protocol::arns::stream_arn;
use crate::protocol::tables::table_of_arn;

/// The id of a stream's one shard: `shardId-<20 digits>-<8 hex digits>`, from when the
/// stream was enabled and its ARN.
pub(super) fn shard_id(arn: &str, stream: &StreamFacts) -> String {
    let millis = stream
        .created_at
        .and_then(|at| at.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis());
    format!("shardId-{millis:020}-{:08x}", fnv(arn.as_bytes()) as u32)
}

/// 64-bit FNV-1a of `bytes`.
pub(super) fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The table and readable stream the stream ARN `arn` names, or DynamoDB's
/// `ResourceNotFoundException` when it names none (no such table, no readable stream, or
/// another stream of the table, such as one disabled since).
pub(super) fn resolve(service: &Service, arn: &str) -> Result<(String, StreamFacts), ErrorAnswer> {
    let not_found = || {
        ErrorAnswer::client(
            "ResourceNotFoundException",
            format!("Requested resource not found: Stream: {arn} not found"),
        )
    };
    let table = table_of_arn(service, arn).ok_or_else(not_found)?;
    let facts = service
        .engine()
        .table_facts(table)
        .map_err(|_| not_found())?;
    let stream = facts.stream.ok_or_else(not_found)?;
    if stream_arn(service, table, &stream).0 != arn {
        return Err(not_found());
    }
    Ok((table.to_owned(), stream))
}
