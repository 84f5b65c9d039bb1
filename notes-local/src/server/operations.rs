//! DynamoDB's operations: the targets the service framework knows before it checks who is
//! calling. A target that is not one of them is `UnknownOperationException` even without a
//! signature; one of them that the engine does not answer is the same error, after the
//! signature checks.

use crate::protocol::{DYNAMODB_TARGET, STREAMS_TARGET};

/// The operations of DynamoDB's API (`DynamoDB_20120810`), as the AWS SDKs list them.
const DYNAMODB: [&str; 57] = [
    "BatchExecuteStatement",
    "BatchGetItem",
    "BatchWriteItem",
    "CreateBackup",
    "CreateGlobalTable",
    "CreateTable",
    "DeleteBackup",
    "DeleteItem",
    "DeleteResourcePolicy",
    "DeleteTable",
    "DescribeBackup",
    "DescribeContinuousBackups",
    "DescribeContributorInsights",
    "DescribeEndpoints",
    "DescribeExport",
    "DescribeGlobalTable",
    "DescribeGlobalTableSettings",
    "DescribeImport",
    "DescribeKinesisStreamingDestination",
    "DescribeLimits",
    "DescribeTable",
    "DescribeTableReplicaAutoScaling",
    "DescribeTimeToLive",
    "DisableKinesisStreamingDestination",
    "EnableKinesisStreamingDestination",
    "ExecuteStatement",
    "ExecuteTransaction",
    "ExportTableToPointInTime",
    "GetItem",
    "GetResourcePolicy",
    "ImportTable",
    "ListBackups",
    "ListContributorInsights",
    "ListExports",
    "ListGlobalTables",
    "ListImports",
    "ListTables",
    "ListTagsOfResource",
    "PutItem",
    "PutResourcePolicy",
    "Query",
    "RestoreTableFromBackup",
    "RestoreTableToPointInTime",
    "Scan",
    "TagResource",
    "TransactGetItems",
    "TransactWriteItems",
    "UntagResource",
    "UpdateContinuousBackups",
    "UpdateContributorInsights",
    "UpdateGlobalTable",
    "UpdateGlobalTableSettings",
    "UpdateItem",
    "UpdateKinesisStreamingDestination",
    "UpdateTable",
    "UpdateTableReplicaAutoScaling",
    "UpdateTimeToLive",
];

/// The operations of the DynamoDB Streams API (`DynamoDBStreams_20120810`).
const STREAMS: [&str; 4] = [
    "DescribeStream",
    "GetRecords",
    "GetShardIterator",
    "ListStreams",
];

/// The operation `target` (an `X-Amz-Target`) names, if it is one of DynamoDB's.
pub(super) fn operation(target: &str) -> Option<&str> {
    if let Some(operation) = target.strip_prefix(DYNAMODB_TARGET) {
        DYNAMODB.contains(&operation).then_some(operation)
    } else if let Some(operation) = target.strip_prefix(STREAMS_TARGET) {
        STREAMS.contains(&operation).then_some(operation)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_name_an_operation_of_dynamodb_or_its_streams() {
        assert_eq!(
            operation("DynamoDB_20120810.ListTables"),
            Some("ListTables")
        );
        assert_eq!(
            operation("DynamoDBStreams_20120810.GetRecords"),
            Some("GetRecords")
        );
        assert_eq!(operation("DynamoDB_20120810.ListTable"), None);
        assert_eq!(operation("DynamoDB_20120810.GetRecords"), None);
        assert_eq!(operation("DynamoDB_20111205.ListTables"), None);
        assert_eq!(operation("whatever"), None);
        assert_eq!(operation(""), None);
    }

    #[test]
    fn the_lists_are_sorted_without_repeats() {
        assert!(DYNAMODB.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(STREAMS.windows(2).all(|pair| pair[0] < pair[1]));
    }
}
