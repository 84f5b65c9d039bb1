//! The parameters of reads in pages (`Query`, `Scan`): `Limit`.

use crate::error::{Error, Result};

/// The largest `Limit` DynamoDB takes: the API's `Limit` is a 32-bit signed integer.
pub const MAX_LIMIT: u32 = i32::MAX as u32;

/// Checks a `Limit`: 1 to 2,147,483,647 items (or none).
pub fn limit(limit: Option<u32>) -> Result<()> {
    match limit {
        Some(0) => Err(Error::validation(
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: \
             Member must have value greater than or equal to 1",
        )),
        Some(n) if n > MAX_LIMIT => Err(Error::validation(format!(
            "1 validation error detected: Value '{n}' at 'limit' failed to satisfy constraint: \
             Member must have value less than or equal to {MAX_LIMIT}"
        ))),
        _ => Ok(()),
    }
}
