//! `DescribeLimits` and `DescribeEndpoints`, as the SDKs call them.
//!
//! `DescribeLimits` answers DynamoDB's default quotas for provisioned capacity (80,000 read
//! and write capacity units an account, 40,000 a table, per region: "Service, account, and
//! table quotas in Amazon DynamoDB"); the engine does not enforce them. `DescribeEndpoints`
//! answers DynamoDB's regional endpoint with its 1,440-minute cache period, as DynamoDB
//! does: SDKs skip endpoint discovery when an endpoint is configured, as it is for a local
//! server.

use serde_json::{Value, json};

use crate::protocol::Service;

/// The default quota of read and write capacity units of an account in a region.
const ACCOUNT_MAX_UNITS: u32 = 80_000;
/// The default quota of read and write capacity units of a table (and of each of its global
/// indexes).
const TABLE_MAX_UNITS: u32 = 40_000;

/// `DescribeLimits`.
pub(super) fn describe_limits() -> Value {
    json!({
        "AccountMaxReadCapacityUnits": ACCOUNT_MAX_UNITS,
        "AccountMaxWriteCapacityUnits": ACCOUNT_MAX_UNITS,
        "TableMaxReadCapacityUnits": TABLE_MAX_UNITS,
        "TableMaxWriteCapacityUnits": TABLE_MAX_UNITS,
    })
}

/// `DescribeEndpoints`.
pub(super) fn describe_endpoints(service: &Service) -> Value {
    json!({
        "Endpoints": [{
            "Address": format!("dynamodb.{}.amazonaws.com", service.region()),
            "CachePeriodInMinutes": 1440,
        }],
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::protocol::tables::test_support::{call, service};

    #[tokio::test]
    async fn limits_are_dynamodbs_default_quotas() {
        assert_eq!(
            call(&service(), "DescribeLimits", json!({})).await,
            json!({
                "AccountMaxReadCapacityUnits": 80000,
                "AccountMaxWriteCapacityUnits": 80000,
                "TableMaxReadCapacityUnits": 40000,
                "TableMaxWriteCapacityUnits": 40000,
            })
        );
    }

    #[tokio::test]
    async fn the_endpoint_is_the_regions() {
        assert_eq!(
            call(&service(), "DescribeEndpoints", json!({})).await,
            json!({
                "Endpoints": [{
                    "Address": "dynamodb.us-east-1.amazonaws.com",
                    "CachePeriodInMinutes": 1440,
                }],
            })
        );
    }
}
