//! `ListStreams` and `DescribeStream`.

use notes_core::Backend;
use notes_core::request::DescribeTable;
use serde::Deserialize;
use serde_json::{Value, json};

use super::arn::{resolve, shard_id, stream_arn};
use crate::errors::ErrorAnswer;
use crate::protocol::constraints::Violations;
use crate::protocol::json::shape;
use crate::protocol::tables::{epoch_seconds, table_not_found, table_of_arn};
use crate::protocol::{Answer, Service};

/// The most streams or shards a page holds (and `Limit`'s default).
const MAX_LIMIT: i64 = 100;

/// The constraints on a stream ARN member at `path`.
pub(super) fn check_stream_arn(arn: &str, path: &str, violations: &mut Violations) {
    violations.length(arn, arn.chars().count(), path, Some(37), Some(1024));
}

/// `ListStreams`: the readable stream of every table (or of `TableName`), by table name,
/// `Limit` a page, from after `ExclusiveStartStreamArn`'s table.
pub(super) fn list_streams(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        table_name: Option<String>,
        limit: Option<i64>,
        exclusive_start_stream_arn: Option<String>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    if let Some(name) = &request.table_name {
        violations.name(name, "tableName");
    }
    if let Some(limit) = request.limit {
        violations.range(limit, "limit", Some(1), Some(MAX_LIMIT));
    }
    if let Some(arn) = &request.exclusive_start_stream_arn {
        check_stream_arn(arn, "exclusiveStartStreamArn", &mut violations);
    }
    violations.finish()?;
    let engine = service.engine();
    let tables = match &request.table_name {
        Some(name) => {
            engine
                .table_facts(name)
                .map_err(|_| table_not_found(name))?;
            vec![name.clone()]
        }
        None => engine.table_names(),
    };
    let after = request
        .exclusive_start_stream_arn
        .as_deref()
        .and_then(|arn| table_of_arn(service, arn));
    let limit = usize::try_from(request.limit.unwrap_or(MAX_LIMIT)).unwrap_or(usize::MAX);
    let mut streams = Vec::new();
    let mut more = false;
    for table in tables
        .iter()
        .filter(|t| after.is_none_or(|a| t.as_str() > a))
    {
        // A table deleted meanwhile has no stream.
        let Some(stream) = engine.table_facts(table).ok().and_then(|f| f.stream) else {
            continue;
        };
        if streams.len() == limit {
            more = true;
            break;
        }
        let (arn, label) = stream_arn(service, table, &stream);
        streams.push(json!({ "StreamArn": arn, "TableName": table, "StreamLabel": label }));
    }
    let last = more.then(|| streams.last().map(|s| s["StreamArn"].clone()));
    let mut answer = json!({ "Streams": streams });
    if let Some(Some(last)) = last {
        answer["LastEvaluatedStreamArn"] = last;
    }
    Ok(answer)
}

/// `DescribeStream`: the stream and its one shard.
pub(super) async fn describe_stream(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        stream_arn: Option<String>,
        limit: Option<i64>,
        exclusive_start_shard_id: Option<String>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    let arn = crate::protocol::constraints::required(request.stream_arn, "StreamArn")?;
    check_stream_arn(&arn, "streamArn", &mut violations);
    if let Some(limit) = request.limit {
        violations.range(limit, "limit", Some(1), Some(MAX_LIMIT));
    }
    if let Some(shard) = &request.exclusive_start_shard_id {
        violations.length(
            shard,
            shard.chars().count(),
            "exclusiveStartShardId",
            Some(28),
            Some(65),
        );
    }
    violations.finish()?;
    let (table, stream) = resolve(service, &arn)?;
    let engine = service.engine();
    let described = engine
        .describe_table(DescribeTable::new(&table))
        .await
        .map_err(|_| stream_gone(&arn))?;
    let created = match stream.created_at {
        Some(at) => at,
        None => {
            engine
                .table_facts(&table)
                .map_err(|_| stream_gone(&arn))?
                .created_at
        }
    };
    let shard_id = shard_id(&arn, &stream);
    let mut range = json!({ "StartingSequenceNumber": stream.first_sequence_number });
    if let Some(last) = &stream.last_sequence_number {
        range["EndingSequenceNumber"] = json!(last);
    }
    let shards = if request.exclusive_start_shard_id.as_deref() == Some(shard_id.as_str()) {
        Vec::new()
    } else {
        vec![json!({ "ShardId": shard_id, "SequenceNumberRange": range })]
    };
    let (_, label) = stream_arn(service, &table, &stream);
    Ok(json!({
        "StreamDescription": {
            "StreamArn": arn,
            "StreamLabel": label,
            "StreamStatus": if stream.enabled { "ENABLED" } else { "DISABLED" },
            "StreamViewType": stream.view_type.name(),
            "CreationRequestDateTime": epoch_seconds(created),
            "TableName": table,
            "KeySchema": crate::protocol::tables::key_schema_json(&described.key_schema),
            "Shards": shards,
        },
    }))
}

/// A stream whose table went away during the call.
fn stream_gone(arn: &str) -> ErrorAnswer {
    ErrorAnswer::client(
        "ResourceNotFoundException",
        format!("Requested resource not found: Stream: {arn} not found"),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::protocol::tables::test_support::{call, create_table, service, streams};

    #[tokio::test]
    async fn streams_are_listed_by_table_and_described_with_one_shard() {
        let service = service();
        create_table(&service, "notes", Some("NEW_AND_OLD_IMAGES")).await;
        create_table(&service, "plain", None).await;
        create_table(&service, "users", Some("KEYS_ONLY")).await;
        let table = call(&service, "DescribeTable", json!({ "TableName": "notes" })).await;
        let arn = table["Table"]["LatestStreamArn"]
            .as_str()
            .unwrap()
            .to_owned();
        let label = table["Table"]["LatestStreamLabel"].clone();

        let listed = streams(&service, "ListStreams", json!({ "Limit": 1 }))
            .await
            .unwrap();
        assert_eq!(
            listed,
            json!({
                "Streams": [{ "StreamArn": arn, "TableName": "notes", "StreamLabel": label }],
                "LastEvaluatedStreamArn": arn,
            })
        );
        let rest = json!({ "ExclusiveStartStreamArn": arn });
        let rest = streams(&service, "ListStreams", rest).await.unwrap();
        assert_eq!(rest["Streams"][0]["TableName"], "users");
        assert_eq!(rest.get("LastEvaluatedStreamArn"), None);
        let none = json!({ "TableName": "plain" });
        assert_eq!(
            streams(&service, "ListStreams", none).await.unwrap(),
            json!({ "Streams": [] })
        );

        let described = streams(&service, "DescribeStream", json!({ "StreamArn": arn }))
            .await
            .unwrap();
        let description = &described["StreamDescription"];
        assert_eq!(description["StreamStatus"], "ENABLED");
        assert_eq!(description["StreamViewType"], "NEW_AND_OLD_IMAGES");
        assert_eq!(description["TableName"], "notes");
        assert_eq!(description["StreamLabel"], label);
        assert_eq!(
            description["CreationRequestDateTime"],
            table["Table"]["CreationDateTime"]
        );
        assert_eq!(
            description["KeySchema"],
            json!([{ "AttributeName": "pk", "KeyType": "HASH" }])
        );
        let shards = description["Shards"].as_array().unwrap();
        assert_eq!(shards.len(), 1);
        assert_eq!(
            shards[0]["SequenceNumberRange"],
            json!({ "StartingSequenceNumber": "000000000000000000001" })
        );
        assert!(
            shards[0]["ShardId"]
                .as_str()
                .unwrap()
                .starts_with("shardId-")
        );
    }

    #[tokio::test]
    async fn a_disabled_stream_is_a_closed_shard_until_it_is_gone() {
        let service = service();
        create_table(&service, "notes", Some("KEYS_ONLY")).await;
        let table = call(&service, "DescribeTable", json!({ "TableName": "notes" })).await;
        let arn = table["Table"]["LatestStreamArn"]
            .as_str()
            .unwrap()
            .to_owned();
        let disable =
            json!({ "TableName": "notes", "StreamSpecification": { "StreamEnabled": false } });
        call(&service, "UpdateTable", disable).await;
        let described = streams(&service, "DescribeStream", json!({ "StreamArn": arn }))
            .await
            .unwrap();
        let description = &described["StreamDescription"];
        assert_eq!(description["StreamStatus"], "DISABLED");
        assert!(
            description["Shards"][0]["SequenceNumberRange"]["EndingSequenceNumber"].is_string()
        );

        call(&service, "DeleteTable", json!({ "TableName": "notes" })).await;
        let gone = streams(&service, "DescribeStream", json!({ "StreamArn": arn }))
            .await
            .unwrap_err();
        assert_eq!(
            (gone.name, gone.message),
            (
                "ResourceNotFoundException",
                format!("Requested resource not found: Stream: {arn} not found")
            )
        );
    }
}
