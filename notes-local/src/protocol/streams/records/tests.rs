//! Shard iterators and records, through the protocol, on an engine with a manual clock.

use std::time::{Duration, SystemTime};

use notes_core::Backend;
use notes_core::request::{DeleteItem, PutItem};
use notes_memory::{ManualClock, MemoryBackend};
use notes_model::{AttributeValue, ItemMap};
use serde_json::{Value, json};

use crate::errors::ErrorAnswer;
use crate::protocol::Service;
use crate::protocol::tables::test_support::{call, create_table, streams};

/// 2027-01-15T08:00:00Z.
const START: u64 = 1_800_000_000;

/// A service whose engine runs on `clock`, with the table `notes` streaming `view` records;
/// and the stream's ARN and shard id.
async fn streamed(clock: &ManualClock, view: &str) -> (Service, String, String) {
    let engine = MemoryBackend::builder().clock(clock.clone()).build();
    let service = Service::new(engine, "us-east-1");
    let created = create_table(&service, "notes", Some(view)).await;
    let arn = created["TableDescription"]["LatestStreamArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let described = streams(&service, "DescribeStream", json!({ "StreamArn": arn }))
        .await
        .unwrap();
    let shard = described["StreamDescription"]["Shards"][0]["ShardId"]
        .as_str()
        .unwrap()
        .to_owned();
    (service, arn, shard)
}

fn clock() -> ManualClock {
    ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(START))
}

fn item(pk: &str, body: &str) -> ItemMap {
    ItemMap::from([
        ("pk".to_owned(), AttributeValue::S(pk.into())),
        ("body".to_owned(), AttributeValue::S(body.into())),
    ])
}

async fn put(service: &Service, item: ItemMap) {
    service
        .engine()
        .put_item(PutItem::new("notes", item))
        .await
        .unwrap();
}

async fn iterator(
    service: &Service,
    arn: &str,
    shard: &str,
    kind: &str,
    number: Option<&str>,
) -> Result<String, ErrorAnswer> {
    let mut body = json!({ "StreamArn": arn, "ShardId": shard, "ShardIteratorType": kind });
    if let Some(number) = number {
        body["SequenceNumber"] = json!(number);
    }
    let answer = streams(service, "GetShardIterator", body).await?;
    Ok(answer["ShardIterator"].as_str().unwrap().to_owned())
}

async fn records(
    service: &Service,
    iterator: &str,
    limit: Option<u32>,
) -> Result<Value, ErrorAnswer> {
    let mut body = json!({ "ShardIterator": iterator });
    if let Some(limit) = limit {
        body["Limit"] = json!(limit);
    }
    streams(service, "GetRecords", body).await
}

/// The `pk` and `eventName` of each record of an answer.
fn events(answer: &Value) -> Vec<(String, String)> {
    answer["Records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let pk = r["dynamodb"]["Keys"]["pk"]["S"]
                .as_str()
                .unwrap()
                .to_owned();
            (pk, r["eventName"].as_str().unwrap().to_owned())
        })
        .collect()
}

#[tokio::test]
async fn records_are_read_from_the_trim_horizon_in_dynamodbs_shape() {
    let clock = clock();
    let (service, arn, shard) = streamed(&clock, "NEW_AND_OLD_IMAGES").await;
    let mut first = item("n1", "hello");
    first.insert("blob".into(), AttributeValue::B(b"hi".to_vec()));
    put(&service, first).await;
    put(&service, item("n1", "changed")).await;
    let key = ItemMap::from([("pk".to_owned(), AttributeValue::S("n1".into()))]);
    service
        .engine()
        .delete_item(DeleteItem::new("notes", key))
        .await
        .unwrap();

    let horizon = iterator(&service, &arn, &shard, "TRIM_HORIZON", None)
        .await
        .unwrap();
    let mut answer = records(&service, &horizon, None).await.unwrap();
    assert_eq!(
        events(&answer),
        [
            ("n1".to_owned(), "INSERT".to_owned()),
            ("n1".to_owned(), "MODIFY".to_owned()),
            ("n1".to_owned(), "REMOVE".to_owned()),
        ]
    );
    let insert = answer["Records"][0].take();
    let id = insert["eventID"].as_str().unwrap();
    assert_eq!(id.len(), 32);
    assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    let mut insert = insert;
    insert["eventID"] = Value::Null;
    assert_eq!(
        insert,
        json!({
            "eventID": null,
            "eventName": "INSERT",
            "eventVersion": "1.1",
            "eventSource": "aws:dynamodb",
            "awsRegion": "us-east-1",
            "dynamodb": {
                "ApproximateCreationDateTime": START,
                "Keys": { "pk": { "S": "n1" } },
                "NewImage": { "pk": { "S": "n1" }, "body": { "S": "hello" }, "blob": { "B": "aGk=" } },
                "SequenceNumber": "000000000000000000001",
                "SizeBytes": 23,
                "StreamViewType": "NEW_AND_OLD_IMAGES",
            },
        })
    );
    let modify = &answer["Records"][1]["dynamodb"];
    assert_eq!(modify["OldImage"]["body"], json!({ "S": "hello" }));
    assert_eq!(modify["NewImage"]["body"], json!({ "S": "changed" }));
    let remove = &answer["Records"][2]["dynamodb"];
    assert_eq!(remove.get("NewImage"), None);
    assert_eq!(remove["OldImage"]["body"], json!({ "S": "changed" }));

    // The next iterator reads what comes after, and is always there on an open shard.
    let next = answer["NextShardIterator"].as_str().unwrap().to_owned();
    let empty = records(&service, &next, None).await.unwrap();
    assert_eq!(empty["Records"], json!([]));
    put(&service, item("n2", "later")).await;
    let later = empty["NextShardIterator"].as_str().unwrap();
    assert_eq!(
        events(&records(&service, later, None).await.unwrap()),
        [("n2".to_owned(), "INSERT".to_owned())]
    );
}

#[tokio::test]
async fn the_four_iterator_types_start_where_dynamodb_starts_them() {
    let clock = clock();
    let (service, arn, shard) = streamed(&clock, "KEYS_ONLY").await;
    for pk in ["a", "b"] {
        put(&service, item(pk, "x")).await;
    }
    let latest = iterator(&service, &arn, &shard, "LATEST", None)
        .await
        .unwrap();
    put(&service, item("c", "x")).await;
    let read = |iterator: String| {
        let service = &service;
        async move { events(&records(service, &iterator, None).await.unwrap()) }
    };
    let keys = |answer: Vec<(String, String)>| -> Vec<String> {
        answer.into_iter().map(|(pk, _)| pk).collect()
    };
    assert_eq!(keys(read(latest).await), ["c"]);
    let second = "000000000000000000002";
    let at = iterator(&service, &arn, &shard, "AT_SEQUENCE_NUMBER", Some(second)).await;
    assert_eq!(keys(read(at.unwrap()).await), ["b", "c"]);
    let after = iterator(
        &service,
        &arn,
        &shard,
        "AFTER_SEQUENCE_NUMBER",
        Some(second),
    )
    .await;
    assert_eq!(keys(read(after.unwrap()).await), ["c"]);
    let horizon = iterator(&service, &arn, &shard, "TRIM_HORIZON", None).await;
    let first_page = records(&service, &horizon.unwrap(), Some(2)).await.unwrap();
    assert_eq!(keys(events(&first_page)), ["a", "b"]);
    let next = first_page["NextShardIterator"].as_str().unwrap().to_owned();
    assert_eq!(keys(read(next).await), ["c"]);

    let missing = iterator(&service, &arn, &shard, "AT_SEQUENCE_NUMBER", None).await;
    assert_eq!(
        missing.unwrap_err().message,
        "SequenceNumber must be provided for ShardIteratorType AT_SEQUENCE_NUMBER"
    );
    let beyond = "000000000000000000099";
    let refused = iterator(
        &service,
        &arn,
        &shard,
        "AFTER_SEQUENCE_NUMBER",
        Some(beyond),
    )
    .await;
    assert_eq!(refused.unwrap_err().name, "ValidationException");
    let other_shard = iterator(
        &service,
        &arn,
        "shardId-00000000000000000000-00000000",
        "LATEST",
        None,
    )
    .await
    .unwrap_err();
    assert_eq!(other_shard.name, "ResourceNotFoundException");
}

#[tokio::test]
async fn an_iterator_expires_after_fifteen_minutes() {
    let clock = clock();
    let (service, arn, shard) = streamed(&clock, "KEYS_ONLY").await;
    let horizon = iterator(&service, &arn, &shard, "TRIM_HORIZON", None)
        .await
        .unwrap();
    clock.advance(Duration::from_secs(15 * 60));
    let answer = records(&service, &horizon, None).await.unwrap();
    let next = answer["NextShardIterator"].as_str().unwrap().to_owned();
    clock.advance(Duration::from_secs(15 * 60 + 1));
    let expired = records(&service, &next, None).await.unwrap_err();
    assert_eq!(
        (expired.status, expired.name, expired.message.as_str()),
        (
            400,
            "ExpiredIteratorException",
            "The provided iterator exceeds the maximum age allowed."
        )
    );
}

#[tokio::test]
async fn a_garbled_iterator_is_refused() {
    let clock = clock();
    let (service, arn, shard) = streamed(&clock, "KEYS_ONLY").await;
    let horizon = iterator(&service, &arn, &shard, "TRIM_HORIZON", None)
        .await
        .unwrap();
    let garbled = format!("{}0", &horizon[..horizon.len() - 1]);
    for text in [garbled.as_str(), "not an iterator"] {
        let refused = records(&service, text, None).await.unwrap_err();
        assert_eq!(
            (refused.name, refused.message.as_str()),
            ("ValidationException", "Invalid ShardIterator")
        );
    }
    let empty = records(&service, "", None).await.unwrap_err();
    assert_eq!(
        empty.message,
        "1 validation error detected: Value '' at 'shardIterator' failed to satisfy \
         constraint: Member must have length greater than or equal to 1"
    );
}

#[tokio::test]
async fn a_trimmed_position_is_refused_and_the_horizon_moves_past_it() {
    let clock = clock();
    let (service, arn, shard) = streamed(&clock, "KEYS_ONLY").await;
    put(&service, item("old", "x")).await;
    clock.advance(Duration::from_secs(24 * 3600 + 1));
    put(&service, item("new", "x")).await;
    let first = "000000000000000000001";
    let trimmed = iterator(&service, &arn, &shard, "AT_SEQUENCE_NUMBER", Some(first))
        .await
        .unwrap_err();
    assert_eq!(
        (trimmed.name, trimmed.message.as_str()),
        (
            "TrimmedDataAccessException",
            "The operation attempted to read past the oldest stream record in a shard."
        )
    );
    let horizon = iterator(&service, &arn, &shard, "TRIM_HORIZON", None)
        .await
        .unwrap();
    assert_eq!(
        events(&records(&service, &horizon, None).await.unwrap()),
        [("new".to_owned(), "INSERT".to_owned())]
    );
}

#[tokio::test]
async fn a_deletion_by_time_to_live_names_dynamodb_as_its_user() {
    let clock = clock();
    let (service, arn, shard) = streamed(&clock, "OLD_IMAGE").await;
    let ttl = json!({
        "TableName": "notes",
        "TimeToLiveSpecification": { "Enabled": true, "AttributeName": "expiresAt" },
    });
    call(&service, "UpdateTimeToLive", ttl).await;
    let mut expiring = item("n1", "x");
    expiring.insert(
        "expiresAt".into(),
        AttributeValue::N((START - 60).to_string()),
    );
    put(&service, expiring).await;
    assert_eq!(service.engine().expire_items(), 1);
    let horizon = iterator(&service, &arn, &shard, "TRIM_HORIZON", None)
        .await
        .unwrap();
    let answer = records(&service, &horizon, None).await.unwrap();
    assert_eq!(answer["Records"][0].get("userIdentity"), None);
    assert_eq!(answer["Records"][1]["eventName"], "REMOVE");
    assert_eq!(
        answer["Records"][1]["userIdentity"],
        json!({ "type": "Service", "principalId": "dynamodb.amazonaws.com" })
    );
}

#[tokio::test]
async fn a_closed_shard_read_to_its_end_has_no_next_iterator() {
    let clock = clock();
    let (service, arn, shard) = streamed(&clock, "KEYS_ONLY").await;
    for pk in ["a", "b"] {
        put(&service, item(pk, "x")).await;
    }
    let disable =
        json!({ "TableName": "notes", "StreamSpecification": { "StreamEnabled": false } });
    call(&service, "UpdateTable", disable).await;
    let horizon = iterator(&service, &arn, &shard, "TRIM_HORIZON", None)
        .await
        .unwrap();
    let first = records(&service, &horizon, Some(1)).await.unwrap();
    let next = first["NextShardIterator"].as_str().unwrap().to_owned();
    let last = records(&service, &next, None).await.unwrap();
    assert_eq!(events(&last), [("b".to_owned(), "INSERT".to_owned())]);
    assert_eq!(last.get("NextShardIterator"), None);
}
