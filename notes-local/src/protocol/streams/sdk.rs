//! The AWS SDK for Rust's DynamoDB Streams client reads the Streams API's answers: each
//! answer is handed to the SDK's own deserializer (through its mocks).

use std::time::{Duration, SystemTime};

use aws_sdk_dynamodbstreams::Client;
use aws_sdk_dynamodbstreams::error::ProvideErrorMetadata;
use aws_sdk_dynamodbstreams::types::{
    AttributeValue, KeyType, OperationType, ShardIteratorType, StreamStatus, StreamViewType,
};
use aws_smithy_mocks::{Rule, mock, mock_client};
use notes_core::Backend;
use notes_core::request::PutItem;
use notes_memory::{ManualClock, MemoryBackend};
use notes_model::ItemMap;
use serde_json::{Value, json};

use crate::errors::ErrorAnswer;
use crate::protocol::Service;
use crate::protocol::tables::test_support::{create_table, sdk_response, streams};

/// A client whose one call is answered by `rule`.
fn client(rule: &Rule) -> Client {
    mock_client!(aws_sdk_dynamodbstreams, [rule])
}

#[tokio::test]
async fn the_sdk_reads_streams_shards_iterators_and_records() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000));
    let service = Service::new(
        MemoryBackend::builder().clock(clock.clone()).build(),
        "us-east-1",
    );
    create_table(&service, "notes", Some("NEW_AND_OLD_IMAGES")).await;
    let item = ItemMap::from([
        ("pk".to_owned(), notes_model::AttributeValue::S("n1".into())),
        ("n".to_owned(), notes_model::AttributeValue::N("1.5".into())),
        (
            "b".to_owned(),
            notes_model::AttributeValue::B(vec![0, 1, 2]),
        ),
        (
            "tags".to_owned(),
            notes_model::AttributeValue::Ss(vec!["a".into(), "b".into()]),
        ),
    ]);
    service
        .engine()
        .put_item(PutItem::new("notes", item))
        .await
        .unwrap();

    let listed = streams(&service, "ListStreams", json!({})).await;
    let arn = listed.clone().unwrap()["Streams"][0]["StreamArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let rule = mock!(Client::list_streams).then_http_response(move || sdk_response(listed.clone()));
    let output = client(&rule).list_streams().send().await.unwrap();
    let stream = &output.streams()[0];
    assert_eq!(
        (stream.stream_arn(), stream.table_name()),
        (Some(arn.as_str()), Some("notes"))
    );

    let described = streams(&service, "DescribeStream", json!({ "StreamArn": arn })).await;
    let rule =
        mock!(Client::describe_stream).then_http_response(move || sdk_response(described.clone()));
    let output = client(&rule)
        .describe_stream()
        .stream_arn(&arn)
        .send()
        .await
        .unwrap();
    let description = output.stream_description().unwrap();
    assert_eq!(description.stream_status(), Some(&StreamStatus::Enabled));
    assert_eq!(
        description.stream_view_type(),
        Some(&StreamViewType::NewAndOldImages)
    );
    assert_eq!(description.key_schema()[0].key_type(), &KeyType::Hash);
    assert_eq!(
        description.creation_request_date_time().map(|t| t.secs()),
        Some(1_800_000_000)
    );
    let shard = &description.shards()[0];
    let shard_id = shard.shard_id().unwrap().to_owned();
    assert_eq!(
        shard
            .sequence_number_range()
            .unwrap()
            .starting_sequence_number(),
        Some("000000000000000000001")
    );

    let body =
        json!({ "StreamArn": arn, "ShardId": shard_id, "ShardIteratorType": "TRIM_HORIZON" });
    let iterator = streams(&service, "GetShardIterator", body).await;
    let text = iterator.clone().unwrap()["ShardIterator"]
        .as_str()
        .unwrap()
        .to_owned();
    let rule = mock!(Client::get_shard_iterator)
        .then_http_response(move || sdk_response(iterator.clone()));
    let output = client(&rule)
        .get_shard_iterator()
        .stream_arn(&arn)
        .shard_id(&shard_id)
        .shard_iterator_type(ShardIteratorType::TrimHorizon)
        .send()
        .await
        .unwrap();
    assert_eq!(output.shard_iterator(), Some(text.as_str()));

    let records = streams(&service, "GetRecords", json!({ "ShardIterator": text })).await;
    let rule = mock!(Client::get_records).then_http_response(move || sdk_response(records.clone()));
    let output = client(&rule)
        .get_records()
        .shard_iterator(&text)
        .send()
        .await
        .unwrap();
    assert!(output.next_shard_iterator().is_some());
    let record = &output.records()[0];
    assert_eq!(record.event_name(), Some(&OperationType::Insert));
    assert_eq!(record.event_source(), Some("aws:dynamodb"));
    let change = record.dynamodb().unwrap();
    let image = change.new_image().unwrap();
    assert_eq!(image["n"], AttributeValue::N("1.5".into()));
    assert_eq!(image["b"], AttributeValue::B(vec![0, 1, 2].into()));
    assert_eq!(
        image["tags"],
        AttributeValue::Ss(vec!["a".into(), "b".into()])
    );
    assert_eq!(change.sequence_number(), Some("000000000000000000001"));
    assert_eq!(
        change.approximate_creation_date_time().map(|t| t.secs()),
        Some(1_800_000_000)
    );
    assert_eq!(
        change.stream_view_type(),
        Some(&StreamViewType::NewAndOldImages)
    );

    clock.advance(Duration::from_secs(16 * 60));
    let expired: Result<Value, ErrorAnswer> =
        streams(&service, "GetRecords", json!({ "ShardIterator": text })).await;
    let rule = mock!(Client::get_records).then_http_response(move || sdk_response(expired.clone()));
    let err = client(&rule)
        .get_records()
        .shard_iterator(&text)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_expired_iterator_exception(), "{err:?}");
    assert_eq!(
        err.message(),
        Some("The provided iterator exceeds the maximum age allowed.")
    );
}
