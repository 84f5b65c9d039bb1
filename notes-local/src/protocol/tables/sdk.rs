//! The AWS SDK for Rust reads the control plane's answers: each answer is handed to the
//! SDK's own deserializer (through its mocks), which must read every member back.

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{
    BackupStatus, BillingMode, IndexStatus, KeyType, ProjectionType, ScalarAttributeType,
    StreamViewType, TableStatus, TimeToLiveStatus,
};
use aws_smithy_mocks::{Rule, mock, mock_client};
use serde_json::{Value, json};

use crate::errors::ErrorAnswer;
use crate::protocol::Service;
use crate::protocol::tables::test_support::{call, create_table, sdk_response, service};

/// `operation`'s answer to `body` from `service`, as the SDK's mocks give it.
async fn answer(service: &Service, operation: &str, body: Value) -> Result<Value, ErrorAnswer> {
    let target = format!("DynamoDB_20120810.{operation}");
    service
        .call(&target, body.to_string().as_bytes())
        .await
        .map(|answer| answer.json())
}

/// A client whose one call is answered by `rule`.
fn client(rule: &Rule) -> Client {
    mock_client!(aws_sdk_dynamodb, [rule])
}

#[tokio::test]
async fn the_sdk_reads_a_whole_table_description() {
    let service = service();
    call(
        &service,
        "CreateTable",
        json!({
            "TableName": "notes",
            "AttributeDefinitions": [
                { "AttributeName": "userId", "AttributeType": "S" },
                { "AttributeName": "noteId", "AttributeType": "S" },
                { "AttributeName": "createdAt", "AttributeType": "N" },
                { "AttributeName": "status", "AttributeType": "S" },
            ],
            "KeySchema": [
                { "AttributeName": "userId", "KeyType": "HASH" },
                { "AttributeName": "noteId", "KeyType": "RANGE" },
            ],
            "LocalSecondaryIndexes": [{
                "IndexName": "byCreatedAt",
                "KeySchema": [
                    { "AttributeName": "userId", "KeyType": "HASH" },
                    { "AttributeName": "createdAt", "KeyType": "RANGE" },
                ],
                "Projection": { "ProjectionType": "ALL" },
            }],
            "GlobalSecondaryIndexes": [{
                "IndexName": "byStatus",
                "KeySchema": [{ "AttributeName": "status", "KeyType": "HASH" }],
                "Projection": { "ProjectionType": "INCLUDE", "NonKeyAttributes": ["title"] },
            }],
            "BillingMode": "PAY_PER_REQUEST",
            "StreamSpecification": { "StreamEnabled": true, "StreamViewType": "NEW_AND_OLD_IMAGES" },
            "DeletionProtectionEnabled": true,
            "TableClass": "STANDARD",
        }),
    )
    .await;
    let described = answer(&service, "DescribeTable", json!({ "TableName": "notes" })).await;
    let expected = described.clone().unwrap();
    let rule =
        mock!(Client::describe_table).then_http_response(move || sdk_response(described.clone()));
    let output = client(&rule)
        .describe_table()
        .table_name("notes")
        .send()
        .await
        .unwrap();
    let table = output.table().unwrap();
    assert_eq!(table.table_name(), Some("notes"));
    assert_eq!(table.table_status(), Some(&TableStatus::Active));
    assert_eq!(table.table_arn(), expected["Table"]["TableArn"].as_str());
    assert_eq!(table.table_id(), expected["Table"]["TableId"].as_str());
    let created = table.creation_date_time().unwrap();
    assert_eq!(
        created.as_secs_f64(),
        expected["Table"]["CreationDateTime"].as_f64().unwrap()
    );
    let definitions: Vec<_> = table
        .attribute_definitions()
        .iter()
        .map(|d| (d.attribute_name(), d.attribute_type().clone()))
        .collect();
    assert_eq!(definitions[2], ("createdAt", ScalarAttributeType::N));
    assert_eq!(table.key_schema()[1].key_type(), &KeyType::Range);
    assert_eq!(
        table.billing_mode_summary().unwrap().billing_mode(),
        Some(&BillingMode::PayPerRequest)
    );
    let throughput = table.provisioned_throughput().unwrap();
    assert_eq!(
        (
            throughput.read_capacity_units(),
            throughput.number_of_decreases_today()
        ),
        (Some(0), Some(0))
    );
    let global = &table.global_secondary_indexes()[0];
    assert_eq!(global.index_status(), Some(&IndexStatus::Active));
    let projection = global.projection().unwrap();
    assert_eq!(projection.projection_type(), Some(&ProjectionType::Include));
    assert_eq!(projection.non_key_attributes(), ["title"]);
    assert_eq!(
        global.index_arn(),
        Some("arn:aws:dynamodb:us-east-1:000000000000:table/notes/index/byStatus")
    );
    assert_eq!(
        table.local_secondary_indexes()[0].index_name(),
        Some("byCreatedAt")
    );
    let stream = table.stream_specification().unwrap();
    assert!(stream.stream_enabled());
    assert_eq!(
        stream.stream_view_type(),
        Some(&StreamViewType::NewAndOldImages)
    );
    assert_eq!(
        table.latest_stream_arn(),
        expected["Table"]["LatestStreamArn"].as_str()
    );
    assert_eq!(table.deletion_protection_enabled(), Some(true));
    assert_eq!(table.item_count(), Some(0));
}

#[tokio::test]
async fn the_sdk_reads_pages_of_tables_and_table_errors() {
    let service = service();
    for name in ["archive", "notes"] {
        create_table(&service, name, None).await;
    }
    let page = answer(&service, "ListTables", json!({ "Limit": 1 })).await;
    let rule = mock!(Client::list_tables).then_http_response(move || sdk_response(page.clone()));
    let output = client(&rule).list_tables().limit(1).send().await.unwrap();
    assert_eq!(output.table_names(), ["archive"]);
    assert_eq!(output.last_evaluated_table_name(), Some("archive"));

    let missing = answer(&service, "DescribeTable", json!({ "TableName": "missing" })).await;
    let rule =
        mock!(Client::describe_table).then_http_response(move || sdk_response(missing.clone()));
    let err = client(&rule)
        .describe_table()
        .table_name("missing")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");
    assert_eq!(
        err.message(),
        Some("Requested resource not found: Table: missing not found")
    );

    let invalid = answer(&service, "DescribeTable", json!({ "TableName": "a;" })).await;
    let rule =
        mock!(Client::describe_table).then_http_response(move || sdk_response(invalid.clone()));
    let err = client(&rule)
        .describe_table()
        .table_name("a;")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.code(), Some("ValidationException"));
}

#[tokio::test]
async fn the_sdk_reads_time_to_live_backups_and_tags() {
    let service = service();
    create_table(&service, "notes", None).await;
    let ttl = json!({
        "TableName": "notes",
        "TimeToLiveSpecification": { "Enabled": true, "AttributeName": "expiresAt" },
    });
    let updated = answer(&service, "UpdateTimeToLive", ttl).await;
    let rule = mock!(Client::update_time_to_live)
        .then_http_response(move || sdk_response(updated.clone()));
    let output = client(&rule)
        .update_time_to_live()
        .table_name("notes")
        .send()
        .await
        .unwrap();
    assert_eq!(
        output
            .time_to_live_specification()
            .map(|s| s.attribute_name()),
        Some("expiresAt")
    );
    let described = answer(
        &service,
        "DescribeTimeToLive",
        json!({ "TableName": "notes" }),
    )
    .await;
    let rule = mock!(Client::describe_time_to_live)
        .then_http_response(move || sdk_response(described.clone()));
    let output = client(&rule)
        .describe_time_to_live()
        .table_name("notes")
        .send()
        .await
        .unwrap();
    assert_eq!(
        output
            .time_to_live_description()
            .unwrap()
            .time_to_live_status(),
        Some(&TimeToLiveStatus::Enabled)
    );

    let backups = answer(
        &service,
        "DescribeContinuousBackups",
        json!({ "TableName": "notes" }),
    )
    .await;
    let rule = mock!(Client::describe_continuous_backups)
        .then_http_response(move || sdk_response(backups.clone()));
    let output = client(&rule)
        .describe_continuous_backups()
        .table_name("notes")
        .send()
        .await
        .unwrap();
    let description = output.continuous_backups_description().unwrap();
    assert_eq!(
        description
            .point_in_time_recovery_description()
            .unwrap()
            .point_in_time_recovery_status()
            .map(|s| s.as_str()),
        Some("DISABLED")
    );

    let created = answer(
        &service,
        "CreateBackup",
        json!({ "TableName": "notes", "BackupName": "nightly" }),
    )
    .await;
    let arn = created.clone().unwrap()["BackupDetails"]["BackupArn"].clone();
    let rule =
        mock!(Client::create_backup).then_http_response(move || sdk_response(created.clone()));
    let output = client(&rule)
        .create_backup()
        .table_name("notes")
        .send()
        .await
        .unwrap();
    let details = output.backup_details().unwrap();
    assert_eq!(details.backup_status(), &BackupStatus::Available);
    assert_eq!(Some(details.backup_arn()), arn.as_str());
    let arn_text = arn.as_str().unwrap().to_owned();
    let described = answer(&service, "DescribeBackup", json!({ "BackupArn": arn })).await;
    let rule =
        mock!(Client::describe_backup).then_http_response(move || sdk_response(described.clone()));
    let output = client(&rule)
        .describe_backup()
        .backup_arn(arn_text)
        .send()
        .await
        .unwrap();
    let source = output
        .backup_description()
        .unwrap()
        .source_table_details()
        .unwrap();
    assert_eq!(source.table_name(), "notes");
    let listed = answer(&service, "ListBackups", json!({})).await;
    let rule = mock!(Client::list_backups).then_http_response(move || sdk_response(listed.clone()));
    let output = client(&rule).list_backups().send().await.unwrap();
    assert_eq!(output.backup_summaries()[0].backup_name(), Some("nightly"));

    let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/notes";
    let tags = json!({ "ResourceArn": arn, "Tags": [{ "Key": "env", "Value": "test" }] });
    call(&service, "TagResource", tags).await;
    let listed = answer(
        &service,
        "ListTagsOfResource",
        json!({ "ResourceArn": arn }),
    )
    .await;
    let rule = mock!(Client::list_tags_of_resource)
        .then_http_response(move || sdk_response(listed.clone()));
    let output = client(&rule)
        .list_tags_of_resource()
        .resource_arn(arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        output
            .tags()
            .iter()
            .map(|t| (t.key(), t.value()))
            .collect::<Vec<_>>(),
        [("env", "test")]
    );
}

#[tokio::test]
async fn the_sdk_reads_limits_and_endpoints() {
    let service = service();
    let limits = answer(&service, "DescribeLimits", json!({})).await;
    let rule =
        mock!(Client::describe_limits).then_http_response(move || sdk_response(limits.clone()));
    let output = client(&rule).describe_limits().send().await.unwrap();
    assert_eq!(output.table_max_read_capacity_units(), Some(40_000));
    let endpoints = answer(&service, "DescribeEndpoints", json!({})).await;
    let rule = mock!(Client::describe_endpoints)
        .then_http_response(move || sdk_response(endpoints.clone()));
    let output = client(&rule).describe_endpoints().send().await.unwrap();
    assert_eq!(output.endpoints()[0].cache_period_in_minutes(), 1440);
}
