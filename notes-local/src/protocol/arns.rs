//! The ARNs this service names its tables and streams by (`arn:aws:dynamodb:<region>:`
//! `000000000000:table/<name>[/stream/<label>]`), shared by the control plane and the Streams
//! API.

use std::time::{SystemTime, UNIX_EPOCH};

use notes_memory::StreamFacts;

use super::{ACCOUNT, Service};

/// The region the engine writes in its ARNs (backups, throttled tables and indexes).
pub(crate) const ENGINE_REGION: &str = "ddblocal";

/// An ARN of the engine (`arn:aws:dynamodb:ddblocal:...`: a backup, a throttled table or
/// index) in this service's region; any other as it is.
pub(crate) fn from_engine(service: &Service, arn: &str) -> String {
    let engine = format!("arn:aws:dynamodb:{ENGINE_REGION}:");
    match arn.strip_prefix(&engine) {
        Some(rest) => format!("arn:aws:dynamodb:{}:{rest}", service.region()),
        None => arn.to_owned(),
    }
}

/// The ARN of the table `name`: `arn:aws:dynamodb:<region>:000000000000:table/<name>`.
pub(crate) fn table_arn(service: &Service, name: &str) -> String {
    format!(
        "arn:aws:dynamodb:{}:{ACCOUNT}:table/{name}",
        service.region()
    )
}

/// The table an ARN of this service names (`table/<name>`, with anything after it: an index,
/// a stream, a backup), or `None` when it is not this service's ARN of a table.
pub(crate) fn table_of_arn<'a>(service: &Service, arn: &'a str) -> Option<&'a str> {
    let prefix = format!("arn:aws:dynamodb:{}:{ACCOUNT}:table/", service.region());
    let rest = arn.strip_prefix(&prefix)?;
    let name = rest.split('/').next()?;
    (!name.is_empty()).then_some(name)
}

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
