use std::collections::HashMap;

use notes_memory::MemoryBackend;
use serde::Deserialize;
use serde_json::{Value, json};

use super::*;
use crate::protocol::{DYNAMODB_TARGET, Service};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)] // Read for their errors.
struct Request {
    table_name: Option<String>,
    limit: Option<i64>,
    consistent_read: Option<bool>,
    attributes_to_get: Option<Vec<String>>,
    expression_attribute_names: Option<HashMap<String, String>>,
    provisioned_throughput: Option<Throughput>,
    global_secondary_indexes: Option<Vec<Index>>,
    expected: Option<HashMap<String, Throughput>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Throughput {
    read_capacity_units: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Index {
    index_name: Option<String>,
    provisioned_throughput: Option<Throughput>,
}

/// The `SerializationException`'s message for `body`.
fn refused(body: Value) -> String {
    match shape::<Request>(&body) {
        Ok(read) => panic!("{body} was read: {read:?}"),
        Err(err) => {
            assert_eq!(
                (err.status, err.name),
                (400, "SerializationException"),
                "{body}"
            );
            err.message
        }
    }
}

#[test]
fn a_member_of_the_wrong_json_type_is_worded_as_dynamodb_words_it() {
    let cases = [
        (
            json!({"TableName": 23}),
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            json!({"TableName": 34.56}),
            "DECIMAL_VALUE cannot be converted to String",
        ),
        (
            json!({"TableName": true}),
            "TRUE_VALUE cannot be converted to String",
        ),
        (
            json!({"TableName": []}),
            "Unrecognized collection type class java.lang.String",
        ),
        (
            json!({"TableName": {}}),
            "Start of structure or map found where not expected",
        ),
        (
            json!({"Limit": "23"}),
            "STRING_VALUE cannot be converted to Integer",
        ),
        (
            json!({"Limit": false}),
            "FALSE_VALUE cannot be converted to Integer",
        ),
        (
            json!({"Limit": []}),
            "Unrecognized collection type class java.lang.Integer",
        ),
        (
            json!({"Limit": {}}),
            "Start of structure or map found where not expected",
        ),
        (
            json!({"ConsistentRead": 23}),
            "NUMBER_VALUE cannot be converted to Boolean",
        ),
        (
            json!({"ConsistentRead": "23"}),
            "Unexpected token received from parser",
        ),
        (
            json!({"ConsistentRead": []}),
            "Unrecognized collection type class java.lang.Boolean",
        ),
        (json!({"AttributesToGet": "a"}), "Unexpected field type"),
        (json!({"AttributesToGet": 1}), "Unexpected field type"),
        (
            json!({"AttributesToGet": {}}),
            "Start of structure or map found where not expected",
        ),
        (
            json!({"AttributesToGet": [true]}),
            "TRUE_VALUE cannot be converted to String",
        ),
        (
            json!({"ExpressionAttributeNames": 1}),
            "Unexpected field type",
        ),
        (
            json!({"ExpressionAttributeNames": []}),
            "Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>",
        ),
        (
            json!({"ExpressionAttributeNames": {"#a": 1}}),
            "NUMBER_VALUE cannot be converted to String",
        ),
        (
            json!({"ProvisionedThroughput": "23"}),
            "Unexpected field type",
        ),
        (
            json!({"ProvisionedThroughput": {"ReadCapacityUnits": "5"}}),
            "STRING_VALUE cannot be converted to Long",
        ),
        (
            json!({"GlobalSecondaryIndexes": [23]}),
            "Unexpected value type in payload",
        ),
        (
            json!({"GlobalSecondaryIndexes": [{"ProvisionedThroughput": true}]}),
            "Unexpected field type",
        ),
        (
            json!({"Expected": {"a": 23}}),
            "Unexpected value type in payload",
        ),
        (
            json!({"Expected": []}),
            "Unrecognized collection type java.util.Map<java.lang.String, \
             com.amazonaws.dynamodb.v20120810.ExpectedAttributeValue>",
        ),
    ];
    for (body, message) in cases {
        assert_eq!(refused(body.clone()), message, "{body}");
    }
}

#[test]
fn booleans_written_as_strings_and_decimal_integers_are_read_as_dynamodb_reads_them() {
    let read: Request = shape(&json!({
        "ConsistentRead": "yes",
        "Limit": 2.9,
        "ProvisionedThroughput": {"ReadCapacityUnits": 5.5},
        "TableName": "t",
    }))
    .unwrap();
    assert_eq!(read.consistent_read, Some(true));
    assert_eq!(read.limit, Some(2));
    assert_eq!(
        read.provisioned_throughput
            .and_then(|t| t.read_capacity_units),
        Some(5)
    );
    // Converted first, then refused for the next member.
    assert_eq!(
        refused(json!({"ConsistentRead": "0", "TableName": 1})),
        "NUMBER_VALUE cannot be converted to String"
    );
}

#[test]
fn nulls_are_absent_members() {
    let read: Request = shape(&json!({"TableName": null, "Limit": null})).unwrap();
    assert_eq!((read.table_name, read.limit), (None, None));
}

#[tokio::test]
async fn operations_answer_dynamodbs_serialization_messages_with_a_capital_message_member() {
    let service = Service::new(MemoryBackend::new(), "us-east-1");
    let call = |operation: &str, body: Value| {
        let target = format!("{DYNAMODB_TARGET}{operation}");
        let service = &service;
        async move {
            service
                .call(&target, body.to_string().as_bytes())
                .await
                .unwrap_err()
        }
    };
    let err = call("DescribeTable", json!({"TableName": 5})).await;
    assert_eq!(
        err.body(),
        json!({
            "__type": "com.amazon.coral.service#SerializationException",
            "Message": "NUMBER_VALUE cannot be converted to String",
        })
    );
    let err = call("Scan", json!({"TableName": "t", "Segment": "1"})).await;
    assert_eq!(err.message, "STRING_VALUE cannot be converted to Integer");
    let err = call("ListTables", json!({"Limit": true})).await;
    assert_eq!(err.message, "TRUE_VALUE cannot be converted to Integer");
}
