use serde_json::json;

use super::super::test_support::{call, error_body, invalid, ok, service};

#[test]
fn a_put_item_reads_back_exactly_and_a_missing_item_is_an_empty_answer() {
    let service = service();
    let item = json!({
        "pk": {"S": "user#1|ü/ 😀"},
        "": {"S": ""},
        "n": {"N": "1.50"},
        "b": {"B": "AAE="},
        "m": {"M": {"a.b": {"L": [{"NULL": true}, {"BOOL": false}]}}},
        "ss": {"SS": ["x", "y"]},
    });
    assert_eq!(
        ok(
            &service,
            "PutItem",
            json!({"TableName": "hash", "Item": item})
        ),
        json!({})
    );
    let got = ok(
        &service,
        "GetItem",
        json!({"TableName": "hash", "Key": {"pk": {"S": "user#1|ü/ 😀"}}, "ConsistentRead": true}),
    );
    // Numbers come back as DynamoDB stores them.
    let mut stored = item.clone();
    stored["n"] = json!({"N": "1.5"});
    assert_eq!(got, json!({"Item": stored}));
    assert_eq!(
        ok(
            &service,
            "GetItem",
            json!({"TableName": "hash", "Key": {"pk": {"S": "none"}}})
        ),
        json!({})
    );
}

#[test]
fn projections_read_named_paths_through_placeholders_and_reserved_words() {
    let service = service();
    ok(
        &service,
        "PutItem",
        json!({"TableName": "hash", "Item": {
            "pk": {"S": "p"}, "status": {"S": "open"}, "size": {"N": "3"},
            "meta": {"M": {"tags": {"L": [{"S": "a"}, {"S": "b"}]}}},
        }}),
    );
    let got = ok(
        &service,
        "GetItem",
        json!({
            "TableName": "hash", "Key": {"pk": {"S": "p"}},
            "ProjectionExpression": "#s, meta.tags[1]",
            "ExpressionAttributeNames": {"#s": "status"},
        }),
    );
    assert_eq!(
        got,
        json!({"Item": {"status": {"S": "open"}, "meta": {"M": {"tags": {"L": [{"S": "b"}]}}}}})
    );
    assert_eq!(
        invalid(
            &service,
            "GetItem",
            json!({"TableName": "hash", "Key": {"pk": {"S": "p"}}, "ProjectionExpression": "size"}),
        ),
        "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: size"
    );
    let legacy = ok(
        &service,
        "GetItem",
        json!({"TableName": "hash", "Key": {"pk": {"S": "p"}}, "AttributesToGet": ["size", "nope"]}),
    );
    assert_eq!(legacy, json!({"Item": {"size": {"N": "3"}}}));
}

#[test]
fn get_item_refuses_what_dynamodb_refuses() {
    let service = service();
    assert_eq!(
        invalid(&service, "GetItem", json!({"Key": {"pk": {"S": "p"}}})),
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: \
         Member must not be null"
    );
    assert_eq!(
        invalid(&service, "GetItem", json!({"TableName": "hash"})),
        "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member \
         must not be null"
    );
    assert_eq!(
        invalid(
            &service,
            "GetItem",
            json!({"TableName": "hash", "Key": {"pk": {"S": "p"}}, "ProjectionExpression": "!!! INVALID !!!"}),
        ),
        "Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\""
    );
    assert_eq!(
        invalid(
            &service,
            "GetItem",
            json!({
                "TableName": "hash", "Key": {"pk": {"S": "p"}},
                "ProjectionExpression": "a", "AttributesToGet": ["a"],
            }),
        ),
        "Can not use both expression and non-expression parameters in the same request: \
         Non-expression parameters: {AttributesToGet} Expression parameters: \
         {ProjectionExpression}"
    );
    assert_eq!(
        invalid(
            &service,
            "GetItem",
            json!({
                "TableName": "hash", "Key": {"pk": {"S": "p"}},
                "ProjectionExpression": "a", "ExpressionAttributeNames": {"#a": "a"},
            }),
        ),
        "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a}"
    );
    assert_eq!(
        call(
            &service,
            "GetItem",
            json!({"TableName": "nope", "Key": {"pk": {"S": "p"}}})
        ),
        Err((
            400,
            "ResourceNotFoundException".to_owned(),
            "Requested resource not found".to_owned()
        ))
    );
    assert_eq!(
        call(&service, "GetItem", json!({"TableName": 7, "Key": {}}))
            .unwrap_err()
            .1,
        "SerializationException"
    );
}

#[test]
fn return_values_are_each_operations_own() {
    let service = service();
    let put = |extra: serde_json::Value| {
        let mut body = json!({"TableName": "hash", "Item": {"pk": {"S": "p"}, "v": {"N": "1"}}});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    assert_eq!(
        ok(&service, "PutItem", put(json!({"ReturnValues": "ALL_OLD"}))),
        json!({})
    );
    assert_eq!(
        ok(&service, "PutItem", put(json!({"ReturnValues": "ALL_OLD"}))),
        json!({"Attributes": {"pk": {"S": "p"}, "v": {"N": "1"}}})
    );
    assert_eq!(
        invalid(&service, "PutItem", put(json!({"ReturnValues": "ALL_NEW"}))),
        "1 validation error detected: ReturnValues can only be ALL_OLD or NONE"
    );
    assert_eq!(
        invalid(&service, "PutItem", put(json!({"ReturnValues": "SOME"}))),
        "1 validation error detected: Value 'SOME' at 'returnValues' failed to satisfy \
         constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, \
         UPDATED_NEW]"
    );
    assert_eq!(
        invalid(
            &service,
            "DeleteItem",
            json!({"TableName": "hash", "Key": {"pk": {"S": "p"}}, "ReturnValues": "UPDATED_NEW"}),
        ),
        "ReturnValues can only be ALL_OLD or NONE"
    );
    let updated = ok(
        &service,
        "UpdateItem",
        json!({
            "TableName": "hash", "Key": {"pk": {"S": "p"}},
            "UpdateExpression": "SET v = v + :one, w = :w",
            "ExpressionAttributeValues": {":one": {"N": "1"}, ":w": {"S": "x"}},
            "ReturnValues": "UPDATED_NEW",
        }),
    );
    assert_eq!(
        updated,
        json!({"Attributes": {"v": {"N": "2"}, "w": {"S": "x"}}})
    );
    let deleted = ok(
        &service,
        "DeleteItem",
        json!({"TableName": "hash", "Key": {"pk": {"S": "p"}}, "ReturnValues": "ALL_OLD"}),
    );
    assert_eq!(
        deleted,
        json!({"Attributes": {"pk": {"S": "p"}, "v": {"N": "2"}, "w": {"S": "x"}}})
    );
}

#[test]
fn a_failed_condition_carries_the_item_only_when_asked() {
    let service = service();
    ok(
        &service,
        "PutItem",
        json!({"TableName": "hash", "Item": {"pk": {"S": "p"}, "a": {"S": "1"}}}),
    );
    let create = |on_failure: &str| {
        json!({
            "TableName": "hash", "Item": {"pk": {"S": "p"}},
            "ConditionExpression": "attribute_not_exists(pk)",
            "ReturnValuesOnConditionCheckFailure": on_failure,
        })
    };
    assert_eq!(
        error_body(&service, "PutItem", create("NONE")),
        json!({
            "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
            "message": "The conditional request failed",
        })
    );
    assert_eq!(
        error_body(&service, "PutItem", create("ALL_OLD")),
        json!({
            "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
            "message": "The conditional request failed",
            "Item": {"pk": {"S": "p"}, "a": {"S": "1"}},
        })
    );
    let update = error_body(
        &service,
        "UpdateItem",
        json!({
            "TableName": "hash", "Key": {"pk": {"S": "p"}},
            "UpdateExpression": "SET a = :v", "ConditionExpression": "a = :other",
            "ExpressionAttributeValues": {":v": {"S": "2"}, ":other": {"S": "0"}},
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }),
    );
    assert_eq!(update["Item"], json!({"pk": {"S": "p"}, "a": {"S": "1"}}));
}

#[test]
fn expressions_and_placeholders_follow_dynamodbs_rules_framed_on_put_and_update() {
    let service = service();
    assert_eq!(
        invalid(
            &service,
            "PutItem",
            json!({
                "TableName": "hash", "Item": {"pk": {"S": "p"}},
                "Expected": {"pk": {"Exists": false}},
                "ConditionExpression": "attribute_not_exists(pk)",
            }),
        ),
        "1 validation error detected: Can not use both expression and non-expression \
         parameters in the same request: Non-expression parameters: {Expected} Expression \
         parameters: {ConditionExpression}"
    );
    assert_eq!(
        invalid(
            &service,
            "PutItem",
            json!({"TableName": "hash", "Item": {"pk": {"S": "p"}}, "ExpressionAttributeValues": {":v": {"S": "x"}}}),
        ),
        "1 validation error detected: ExpressionAttributeValues can only be specified when \
         using expressions: ConditionExpression is null"
    );
    assert_eq!(
        invalid(
            &service,
            "UpdateItem",
            json!({
                "TableName": "hash", "Key": {"pk": {"S": "p"}},
                "UpdateExpression": "SET a = :v",
                "ExpressionAttributeValues": {":v": {"S": "x"}, ":unused": {"S": "y"}},
            }),
        ),
        "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}"
    );
    assert_eq!(
        invalid(
            &service,
            "UpdateItem",
            json!({"TableName": "hash", "Key": {"pk": {"S": "p"}}, "UpdateExpression": "SET a = :v"}),
        ),
        "1 validation error detected: Invalid UpdateExpression: An expression attribute value \
         used in expression is not defined; attribute value: :v"
    );
    assert_eq!(
        invalid(
            &service,
            "DeleteItem",
            json!({
                "TableName": "hash", "Key": {"pk": {"S": "p"}},
                "ConditionExpression": "#a = :v",
                "ExpressionAttributeValues": {":v": {"S": "x"}},
            }),
        ),
        "Invalid ConditionExpression: An expression attribute name used in the document path \
         is not defined; attribute name: #a"
    );
    assert_eq!(
        invalid(
            &service,
            "PutItem",
            json!({"TableName": "hash", "Item": {"pk": {"S": "p"}, "bad": {"SS": []}}}),
        ),
        "1 validation error detected: One or more parameter values were invalid: An string set  \
         may not be empty"
    );
    // Empty expressions, malformed values and names without an expression are never framed.
    assert_eq!(
        invalid(
            &service,
            "UpdateItem",
            json!({"TableName": "hash", "Key": {"pk": {"S": "p"}}, "UpdateExpression": ""}),
        ),
        "Invalid UpdateExpression: The expression can not be empty;"
    );
    assert_eq!(
        invalid(
            &service,
            "PutItem",
            json!({"TableName": "hash", "Item": {"pk": {"S": "p"}, "bad": {}}}),
        ),
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
    );
    assert_eq!(
        invalid(
            &service,
            "PutItem",
            json!({"TableName": "hash", "Item": {"pk": {"S": "p"}}, "ExpressionAttributeNames": {"#a": "a"}}),
        ),
        "ExpressionAttributeNames can only be specified when using expressions"
    );
    assert_eq!(
        invalid(
            &service,
            "UpdateItem",
            json!({
                "TableName": "hash", "Key": {"pk": {"S": "p"}}, "UpdateExpression": "SET t = :t",
                "ExpressionAttributeValues": {":t": {"SS": ["a", "b", "a"]}},
            }),
        ),
        "1 validation error detected: ExpressionAttributeValues contains invalid value: One or \
         more parameter values were invalid: Input collection [a, b, a] contains duplicates. \
         for key :t"
    );
    assert_eq!(
        invalid(
            &service,
            "DeleteItem",
            json!({"TableName": "hash", "Key": {"pk": {"NULL": false}}}),
        ),
        "One or more parameter values were invalid: Null attribute value types must have the \
         value of true"
    );
}

#[test]
fn reserved_words_and_separators_work_through_placeholders() {
    let service = service();
    ok(
        &service,
        "UpdateItem",
        json!({
            "TableName": "hash", "Key": {"pk": {"S": "a:b#c.d"}},
            "UpdateExpression": "SET #name = :name, #dotted = :dotted",
            "ConditionExpression": "attribute_not_exists(#name)",
            "ExpressionAttributeNames": {"#name": "name", "#dotted": "x.y"},
            "ExpressionAttributeValues": {":name": {"S": "#:.[]"}, ":dotted": {"S": ""}},
        }),
    );
    let got = ok(
        &service,
        "GetItem",
        json!({"TableName": "hash", "Key": {"pk": {"S": "a:b#c.d"}}}),
    );
    assert_eq!(
        got,
        json!({"Item": {"pk": {"S": "a:b#c.d"}, "name": {"S": "#:.[]"}, "x.y": {"S": ""}}})
    );
}

#[test]
fn legacy_expected_and_attribute_updates_work_like_their_expressions() {
    let service = service();
    ok(
        &service,
        "PutItem",
        json!({"TableName": "hash", "Item": {"pk": {"S": "p"}, "n": {"N": "1"}}, "Expected": {"pk": {"Exists": false}}}),
    );
    assert_eq!(
        call(
            &service,
            "PutItem",
            json!({"TableName": "hash", "Item": {"pk": {"S": "p"}}, "Expected": {"pk": {"Exists": false}}}),
        )
        .unwrap_err()
        .1,
        "ConditionalCheckFailedException"
    );
    let updated = ok(
        &service,
        "UpdateItem",
        json!({
            "TableName": "hash", "Key": {"pk": {"S": "p"}},
            "AttributeUpdates": {
                "n": {"Action": "ADD", "Value": {"N": "2"}},
                "tags": {"Action": "PUT", "Value": {"SS": ["a"]}},
            },
            "Expected": {
                "n": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]},
                "gone": {"ComparisonOperator": "NULL"},
            },
            "ReturnValues": "ALL_NEW",
        }),
    );
    assert_eq!(
        updated,
        json!({"Attributes": {"pk": {"S": "p"}, "n": {"N": "3"}, "tags": {"SS": ["a"]}}})
    );
    // ADD of a list appends, and creates the list when the attribute is missing.
    for expected in [json!([{"S": "x"}]), json!([{"S": "x"}, {"S": "x"}])] {
        let appended = ok(
            &service,
            "UpdateItem",
            json!({
                "TableName": "hash", "Key": {"pk": {"S": "p"}},
                "AttributeUpdates": {"l": {"Action": "ADD", "Value": {"L": [{"S": "x"}]}}},
                "ReturnValues": "UPDATED_NEW",
            }),
        );
        assert_eq!(appended, json!({"Attributes": {"l": {"L": expected}}}));
    }
    assert_eq!(
        invalid(
            &service,
            "UpdateItem",
            json!({
                "TableName": "hash", "Key": {"pk": {"S": "p"}},
                "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": {"S": "x"}},
                "AttributeUpdates": {"a": {"Value": {"S": "x"}, "Action": "PUT"}},
            }),
        ),
        "1 validation error detected: Can not use both expression and non-expression \
         parameters in the same request: Non-expression parameters: {AttributeUpdates} \
         Expression parameters: {UpdateExpression}"
    );
}

#[test]
fn consumed_capacity_and_item_collection_metrics_come_when_asked() {
    let service = service();
    let put = ok(
        &service,
        "PutItem",
        json!({
            "TableName": "composite",
            "Item": {"pk": {"S": "p"}, "sk": {"S": "s"}, "lsiSk": {"S": "l"}},
            "ReturnConsumedCapacity": "TOTAL", "ReturnItemCollectionMetrics": "SIZE",
        }),
    );
    assert_eq!(
        put,
        json!({
            "ConsumedCapacity": {"TableName": "composite", "CapacityUnits": 2.0},
            "ItemCollectionMetrics": {
                "ItemCollectionKey": {"pk": {"S": "p"}},
                "SizeEstimateRangeGB": [0.0, 1.0],
            },
        })
    );
    // A table without a local index has no item collections to measure.
    let put = ok(
        &service,
        "PutItem",
        json!({"TableName": "hash", "Item": {"pk": {"S": "p"}}, "ReturnItemCollectionMetrics": "SIZE", "ReturnConsumedCapacity": "INDEXES"}),
    );
    assert_eq!(
        put,
        json!({"ConsumedCapacity": {"TableName": "hash", "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}}})
    );
    let get = ok(
        &service,
        "GetItem",
        json!({"TableName": "hash", "Key": {"pk": {"S": "p"}}, "ReturnConsumedCapacity": "TOTAL"}),
    );
    assert_eq!(
        get,
        json!({"Item": {"pk": {"S": "p"}}, "ConsumedCapacity": {"TableName": "hash", "CapacityUnits": 0.5}})
    );
    assert_eq!(
        invalid(
            &service,
            "PutItem",
            json!({
                "TableName": "hash", "Item": {"pk": {"S": "p"}},
                "ReturnConsumedCapacity": "ALL", "ReturnItemCollectionMetrics": "ALL",
            }),
        ),
        "2 validation errors detected: Value 'ALL' at 'returnConsumedCapacity' failed to \
         satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; Value \
         'ALL' at 'returnItemCollectionMetrics' failed to satisfy constraint: Member must \
         satisfy enum value set: [SIZE, NONE]"
    );
}

#[test]
fn key_attributes_cannot_be_updated_and_keys_must_match_the_schema() {
    let service = service();
    assert_eq!(
        invalid(
            &service,
            "PutItem",
            json!({"TableName": "hash", "Item": {"pk": {"S": ""}}}),
        ),
        "One or more parameter values are not valid. The AttributeValue for a key attribute \
         cannot contain an empty string value. Key: pk"
    );
    let message = invalid(
        &service,
        "UpdateItem",
        json!({
            "TableName": "hash", "Key": {"pk": {"S": "p"}},
            "UpdateExpression": "SET pk = :v", "ExpressionAttributeValues": {":v": {"S": "q"}},
        }),
    );
    assert!(
        message.starts_with(
            "One or more parameter values were invalid: Cannot update attribute pk. This \
             attribute is part of the key"
        ),
        "{message}"
    );
    let message = invalid(
        &service,
        "GetItem",
        json!({"TableName": "composite", "Key": {"pk": {"S": "p"}}}),
    );
    assert!(
        message.starts_with("The provided key element does not match the schema"),
        "{message}"
    );
}
