//! A stream's ARN, label and shard id as this service names them, and the way back from an
//! ARN to the table's readable stream.

use std::time::{SystemTime, UNIX_EPOCH};

use notes_memory::StreamFacts;

use crate::errors::ErrorAnswer;
use crate::protocol::Service;
use crate::protocol::tables::{table_arn, table_of_arn};

/// The stream `stream` of the table `table`: its ARN and its label.
pub(crate) fn stream_arn(service: &Service, table: &str, stream: &StreamFacts) -> (String, String) {
    let label = match stream.created_at {
        Some(at) => label_of(at),
        // The engine's own label: the last part of its ARN.
        None => stream
            .arn
            .as_str()
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned(),
    };
    (
        format!("{}/stream/{label}", table_arn(service, table)),
        label,
    )
}

/// A stream label: when it was enabled, `YYYY-MM-DDTHH:MM:SS.mmm` in UTC.
pub(crate) fn label_of(at: SystemTime) -> String {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since.as_secs();
    let (days, of_day) = (seconds / 86_400, seconds % 86_400);
    // Days to a civil date (the proleptic Gregorian calendar), after Howard Hinnant's
    // `civil_from_days`.
    let z = i64::try_from(days).unwrap_or(i64::MAX) + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60,
        since.subsec_millis()
    )
}

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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_label_is_the_utc_time_to_the_millisecond() {
        let at = UNIX_EPOCH + Duration::from_millis(1_431_379_293_291);
        assert_eq!(label_of(at), "2015-05-11T21:21:33.291");
        assert_eq!(label_of(UNIX_EPOCH), "1970-01-01T00:00:00.000");
        // A leap day.
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(label_of(leap), "2000-02-29T00:00:00.000");
    }
}
