use serde_json::{Value, json};

use super::super::test_support::{call, error_body, invalid, ok, service};

fn put(pk: &str, condition: Option<&str>) -> Value {
    let mut put =
        json!({"Put": {"TableName": "hash", "Item": {"pk": {"S": pk}, "v": {"S": "new"}}}});
    if let Some(condition) = condition {
        put["Put"]["ConditionExpression"] = json!(condition);
    }
    put
}

#[test]
fn a_transaction_writes_every_action_or_none() {
    let service = service();
    ok(
        &service,
        "PutItem",
        json!({"TableName": "hash", "Item": {"pk": {"S": "taken"}, "v": {"S": "old"}}}),
    );
    let body = error_body(
        &service,
        "TransactWriteItems",
        json!({"TransactItems": [
            put("fresh", Some("attribute_not_exists(pk)")),
            put("taken", Some("attribute_not_exists(pk)")),
        ]}),
    );
    assert_eq!(
        body,
        json!({
            "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            "Message": "Transaction cancelled, please refer cancellation reasons for specific \
                        reasons [None, ConditionalCheckFailed]",
            "CancellationReasons": [
                {"Code": "None"},
                {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
            ],
        })
    );
    assert_eq!(
        ok(
            &service,
            "GetItem",
            json!({"TableName": "hash", "Key": {"pk": {"S": "fresh"}}})
        ),
        json!({})
    );
    let done = ok(
        &service,
        "TransactWriteItems",
        json!({
            "TransactItems": [
                put("fresh", Some("attribute_not_exists(pk)")),
                {"Update": {
                    "TableName": "hash", "Key": {"pk": {"S": "taken"}},
                    "UpdateExpression": "SET #v = :v", "ConditionExpression": "#v = :old",
                    "ExpressionAttributeNames": {"#v": "v"},
                    "ExpressionAttributeValues": {":v": {"S": "updated"}, ":old": {"S": "old"}},
                }},
                {"ConditionCheck": {
                    "TableName": "composite", "Key": {"pk": {"S": "none"}, "sk": {"S": "none"}},
                    "ConditionExpression": "attribute_not_exists(pk)",
                }},
            ],
            "ClientRequestToken": "token-1",
            "ReturnConsumedCapacity": "TOTAL",
        }),
    );
    assert_eq!(
        done,
        json!({"ConsumedCapacity": [
            {"TableName": "composite", "CapacityUnits": 2.0, "WriteCapacityUnits": 2.0},
            {"TableName": "hash", "CapacityUnits": 4.0, "WriteCapacityUnits": 4.0},
        ]})
    );
    let read = ok(
        &service,
        "TransactGetItems",
        json!({
            "TransactItems": [
                {"Get": {"TableName": "hash", "Key": {"pk": {"S": "taken"}}, "ProjectionExpression": "#v", "ExpressionAttributeNames": {"#v": "v"}}},
                {"Get": {"TableName": "hash", "Key": {"pk": {"S": "missing"}}}},
            ],
            "ReturnConsumedCapacity": "INDEXES",
        }),
    );
    assert_eq!(
        read,
        json!({
            "Responses": [{"Item": {"v": {"S": "updated"}}}, {}],
            "ConsumedCapacity": [{
                "TableName": "hash", "CapacityUnits": 4.0, "ReadCapacityUnits": 4.0,
                "Table": {"CapacityUnits": 4.0, "ReadCapacityUnits": 4.0},
            }],
        })
    );
}

#[test]
fn transactions_are_refused_in_dynamodbs_words() {
    let service = service();
    assert_eq!(
        invalid(&service, "TransactWriteItems", json!({"TransactItems": []})),
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy \
         constraint: Member must have length greater than or equal to 1"
    );
    assert_eq!(
        invalid(&service, "TransactGetItems", json!({"TransactItems": []})),
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy \
         constraint: Member must have length greater than or equal to 1"
    );
    let many: Vec<Value> = (0..101).map(|i| put(&format!("k{i}"), None)).collect();
    let message = invalid(
        &service,
        "TransactWriteItems",
        json!({"TransactItems": many}),
    );
    assert!(
        message.starts_with("1 validation error detected: Value '[{\"Put\"")
            && message.ends_with(
                "]' at 'transactItems' failed to satisfy constraint: Member must have length \
                 less than or equal to 100"
            ),
        "{message}"
    );
    assert_eq!(
        invalid(
            &service,
            "TransactWriteItems",
            json!({"TransactItems": [put("same", None), put("same", None)]}),
        ),
        "Transaction request cannot include multiple operations on one item"
    );
    assert_eq!(
        invalid(
            &service,
            "TransactGetItems",
            json!({"TransactItems": [
                {"Get": {"TableName": "hash", "Key": {"pk": {"S": "same"}}}},
                {"Get": {"TableName": "hash", "Key": {"pk": {"S": "same"}}}},
            ]}),
        ),
        "Transaction request cannot include multiple operations on one item"
    );
    assert_eq!(
        invalid(
            &service,
            "TransactWriteItems",
            json!({"TransactItems": [{"Put": put("a", None)["Put"], "Delete": {"TableName": "hash", "Key": {"pk": {"S": "a"}}}}]}),
        ),
        "TransactItems can only contain one of Check, Put, Update or Delete"
    );
    assert_eq!(
        invalid(
            &service,
            "TransactGetItems",
            json!({"TransactItems": [{"Get": {"TableName": "hash", "Key": {"pk": {"S": "a"}}, "ProjectionExpression": "!!!"}}]}),
        ),
        "Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\""
    );
    // Each action's placeholders are its own: another action's use does not count.
    assert_eq!(
        invalid(
            &service,
            "TransactWriteItems",
            json!({"TransactItems": [
                {"Put": {"TableName": "hash", "Item": {"pk": {"S": "a"}}, "ConditionExpression": "attribute_not_exists(#k)", "ExpressionAttributeNames": {"#k": "pk"}}},
                {"Delete": {"TableName": "hash", "Key": {"pk": {"S": "b"}}, "ConditionExpression": "attribute_exists(pk)", "ExpressionAttributeNames": {"#k": "pk"}}},
            ]}),
        ),
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#k}"
    );
    assert_eq!(
        invalid(
            &service,
            "TransactWriteItems",
            json!({"TransactItems": [put("a", None)], "ClientRequestToken": "x".repeat(37)}),
        ),
        format!(
            "1 validation error detected: Value '{}' at 'clientRequestToken' failed to satisfy \
             constraint: Member must have length less than or equal to 36",
            "x".repeat(37)
        )
    );
    assert_eq!(
        call(
            &service,
            "TransactGetItems",
            json!({"TransactItems": [{"Get": {"TableName": "nope_table", "Key": {"pk": {"S": "x"}}}}]}),
        ),
        Err((
            400,
            "ResourceNotFoundException".to_owned(),
            "Requested resource not found".to_owned()
        ))
    );
}

#[test]
fn a_token_applies_a_transaction_once_and_refuses_another_request() {
    let service = service();
    let request = |value: &str| {
        json!({
            "TransactItems": [{"Update": {
                "TableName": "hash", "Key": {"pk": {"S": "counter"}},
                "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": value}},
            }}],
            "ClientRequestToken": "once",
        })
    };
    ok(&service, "TransactWriteItems", request("1"));
    ok(&service, "TransactWriteItems", request("1"));
    let counter = ok(
        &service,
        "GetItem",
        json!({"TableName": "hash", "Key": {"pk": {"S": "counter"}}}),
    );
    assert_eq!(counter["Item"]["n"], json!({"N": "1"}));
    assert_eq!(
        call(&service, "TransactWriteItems", request("2"))
            .unwrap_err()
            .1,
        "IdempotentParameterMismatchException"
    );
}

#[test]
fn item_collection_metrics_name_each_collection_written() {
    let service = service();
    let written = ok(
        &service,
        "TransactWriteItems",
        json!({
            "TransactItems": [
                {"Put": {"TableName": "composite", "Item": {"pk": {"S": "p"}, "sk": {"S": "1"}}}},
                {"Delete": {"TableName": "composite", "Key": {"pk": {"S": "p"}, "sk": {"S": "2"}}}},
                {"Put": {"TableName": "hash", "Item": {"pk": {"S": "p"}}}},
            ],
            "ReturnItemCollectionMetrics": "SIZE",
        }),
    );
    assert_eq!(
        written,
        json!({"ItemCollectionMetrics": {"composite": [{
            "ItemCollectionKey": {"pk": {"S": "p"}},
            "SizeEstimateRangeGB": [0.0, 1.0],
        }]}})
    );
}
