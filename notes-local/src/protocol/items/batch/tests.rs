use serde_json::{Value, json};

use super::super::test_support::{call, invalid, ok, service};

fn put(pk: &str) -> Value {
    json!({"PutRequest": {"Item": {"pk": {"S": pk}, "v": {"S": format!("value of {pk}")}}}})
}

#[test]
fn a_batch_writes_and_reads_across_tables() {
    let service = service();
    let written = ok(
        &service,
        "BatchWriteItem",
        json!({
            "RequestItems": {
                "hash": [put("a"), put("b|c"), put("ü")],
                "composite": [{"PutRequest": {"Item": {"pk": {"S": "a"}, "sk": {"S": "-"}, "lsiSk": {"S": "x"}}}}],
            },
            "ReturnConsumedCapacity": "TOTAL",
            "ReturnItemCollectionMetrics": "SIZE",
        }),
    );
    assert_eq!(
        written,
        json!({
            "UnprocessedItems": {},
            // The engine reports the batch's total (5: 3 puts, and 2 for the one with a local
            // index entry), shared among the tables by their writes.
            "ConsumedCapacity": [
                {"TableName": "composite", "CapacityUnits": 1.25},
                {"TableName": "hash", "CapacityUnits": 3.75},
            ],
            "ItemCollectionMetrics": {"composite": [{
                "ItemCollectionKey": {"pk": {"S": "a"}},
                "SizeEstimateRangeGB": [0.0, 1.0],
            }]},
        })
    );
    let read = ok(
        &service,
        "BatchGetItem",
        json!({
            "RequestItems": {
                "hash": {
                    "Keys": [{"pk": {"S": "b|c"}}, {"pk": {"S": "missing"}}],
                    "ProjectionExpression": "#v", "ExpressionAttributeNames": {"#v": "v"},
                    "ConsistentRead": true,
                },
                "composite": {"Keys": [{"pk": {"S": "a"}, "sk": {"S": "-"}}], "AttributesToGet": ["lsiSk"]},
            },
            "ReturnConsumedCapacity": "TOTAL",
        }),
    );
    assert_eq!(
        read,
        json!({
            "Responses": {
                "hash": [{"v": {"S": "value of b|c"}}],
                "composite": [{"lsiSk": {"S": "x"}}],
            },
            "UnprocessedKeys": {},
            "ConsumedCapacity": [
                {"TableName": "composite", "CapacityUnits": 0.5},
                {"TableName": "hash", "CapacityUnits": 2.0},
            ],
        })
    );
    let deleted = ok(
        &service,
        "BatchWriteItem",
        json!({"RequestItems": {"hash": [{"DeleteRequest": {"Key": {"pk": {"S": "a"}}}}]}}),
    );
    assert_eq!(deleted, json!({"UnprocessedItems": {}}));
    let gone = ok(
        &service,
        "GetItem",
        json!({"TableName": "hash", "Key": {"pk": {"S": "a"}}}),
    );
    assert_eq!(gone, json!({}));
}

#[test]
fn batches_are_refused_in_dynamodbs_words() {
    let service = service();
    assert_eq!(
        invalid(&service, "BatchGetItem", json!({"RequestItems": {}})),
        "The requestItems parameter is required for BatchGetItem"
    );
    assert_eq!(
        invalid(&service, "BatchWriteItem", json!({})),
        "The requestItems parameter is required for BatchWriteItem"
    );
    let keys: Vec<Value> = (0..101)
        .map(|i| json!({"pk": {"S": format!("k{i}")}}))
        .collect();
    assert_eq!(
        invalid(
            &service,
            "BatchGetItem",
            json!({"RequestItems": {"hash": {"Keys": keys}}})
        ),
        "1 validation error detected: Value at 'RequestItems.hash.member.Keys' failed to satisfy \
         constraint: Member must have length less than or equal to 100"
    );
    let writes: Vec<Value> = (0..26).map(|i| put(&format!("k{i}"))).collect();
    let message = invalid(
        &service,
        "BatchWriteItem",
        json!({"RequestItems": {"hash": writes}}),
    );
    assert!(
        message.starts_with("1 validation error detected: Value '{hash=[{\"PutRequest\"")
            && message.ends_with(
                "]}' at 'requestItems' failed to satisfy constraint: Map value must satisfy \
                 constraint: [Member must have length less than or equal to 25, Member must \
                 have length greater than or equal to 1]"
            ),
        "{message}"
    );
    assert_eq!(
        invalid(
            &service,
            "BatchGetItem",
            json!({"RequestItems": {"hash": {"Keys": [{"pk": {"S": "d"}}, {"pk": {"S": "d"}}]}}}),
        ),
        "Provided list of item keys contains duplicates"
    );
    assert_eq!(
        invalid(
            &service,
            "BatchWriteItem",
            json!({"RequestItems": {"hash": [put("d"), {"DeleteRequest": {"Key": {"pk": {"S": "d"}}}}]}}),
        ),
        "Provided list of item keys contains duplicates"
    );
    assert_eq!(
        invalid(
            &service,
            "BatchWriteItem",
            json!({"RequestItems": {"hash": [{}]}})
        ),
        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of \
         the supported datatypes"
    );
    assert_eq!(
        call(
            &service,
            "BatchGetItem",
            json!({"RequestItems": {"nope_table": {"Keys": [{"pk": {"S": "x"}}]}}}),
        ),
        Err((
            400,
            "ResourceNotFoundException".to_owned(),
            "Requested resource not found".to_owned()
        ))
    );
    assert_eq!(
        invalid(
            &service,
            "BatchGetItem",
            json!({"RequestItems": {"hash": {
                "Keys": [{"pk": {"S": "x"}}], "ProjectionExpression": "v", "AttributesToGet": ["v"],
            }}}),
        ),
        "Can not use both expression and non-expression parameters in the same request: \
         Non-expression parameters: {AttributesToGet} Expression parameters: \
         {ProjectionExpression}"
    );
}

#[test]
fn request_items_of_the_wrong_json_type_name_each_operations_map() {
    let service = service();
    let refused = |operation: &str, body: Value| {
        let (status, name, message) = call(&service, operation, body).unwrap_err();
        assert_eq!((status, name.as_str()), (400, "SerializationException"));
        message
    };
    assert_eq!(
        refused("BatchGetItem", json!({"RequestItems": []})),
        "Unrecognized collection type java.util.Map<java.lang.String, \
         com.amazonaws.dynamodb.v20120810.KeysAndAttributes>"
    );
    assert_eq!(
        refused("BatchWriteItem", json!({"RequestItems": []})),
        "Unrecognized collection type java.util.Map<java.lang.String, \
         java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>"
    );
    assert_eq!(
        refused("BatchGetItem", json!({"RequestItems": {"hash": 23}})),
        "Unexpected value type in payload"
    );
    assert_eq!(
        refused(
            "BatchGetItem",
            json!({"RequestItems": {"hash": {"ConsistentRead": 1}}})
        ),
        "NUMBER_VALUE cannot be converted to Boolean"
    );
    assert_eq!(
        refused("BatchWriteItem", json!({"RequestItems": {"hash": true}})),
        crate::protocol::json::jackson::PARAMETERIZED
    );
    assert_eq!(
        refused("BatchWriteItem", json!({"RequestItems": {"hash": [23]}})),
        "Unexpected value type in payload"
    );
    assert_eq!(
        refused(
            "BatchWriteItem",
            json!({"RequestItems": {"hash": [{"PutRequest": "x"}]}})
        ),
        "Unexpected field type"
    );
}
