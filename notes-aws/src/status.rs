//! A table's status from the SDK's.

use aws_sdk_dynamodb::types as sdk;
use notes_core::request::TableStatus;

/// The SDK's table status as the crate's (`Other` keeps a status this crate does not know).
pub(crate) fn table_status(status: Option<&sdk::TableStatus>) -> TableStatus {
    match status {
        Some(sdk::TableStatus::Active) => TableStatus::Active,
        Some(sdk::TableStatus::Creating) => TableStatus::Creating,
        Some(sdk::TableStatus::Updating) => TableStatus::Updating,
        Some(sdk::TableStatus::Deleting) => TableStatus::Deleting,
        Some(other) => TableStatus::Other(other.as_str().to_owned()),
        None => TableStatus::Other(String::new()),
    }
}
