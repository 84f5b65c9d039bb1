use serde_json::{Value, json};

use super::super::test_support::{invalid, ok, service};
use crate::protocol::Service;

/// `composite` with `pk` "u" and sort keys `a`..`e`, each in the global index under `g`.
fn notes() -> Service {
    let service = service();
    for (i, sk) in ["a", "b", "c", "d", "e"].into_iter().enumerate() {
        ok(
            &service,
            "PutItem",
            json!({"TableName": "composite", "Item": {
                "pk": {"S": "u"}, "sk": {"S": sk}, "lsiSk": {"S": format!("l{}", 4 - i)},
                "gsiPk": {"S": "g"}, "gsiSk": {"N": i.to_string()},
                "data": {"S": format!("d{i}")}, "status": {"S": if i % 2 == 0 { "open" } else { "done" }},
            }}),
        );
    }
    service
}

fn sort_keys(answer: &Value) -> Vec<&str> {
    answer["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["sk"]["S"].as_str().unwrap())
        .collect()
}

#[test]
fn a_query_reads_a_partition_in_sort_key_order_in_pages() {
    let service = notes();
    let query = |extra: Value| {
        let mut body = json!({
            "TableName": "composite",
            "KeyConditionExpression": "pk = :u AND sk BETWEEN :from AND :to",
            "ExpressionAttributeValues": {":u": {"S": "u"}, ":from": {"S": "b"}, ":to": {"S": "d"}},
        });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        ok(&service, "Query", body)
    };
    let all = query(json!({}));
    assert_eq!(sort_keys(&all), ["b", "c", "d"]);
    assert_eq!(
        (all["Count"].clone(), all["ScannedCount"].clone()),
        (json!(3), json!(3))
    );
    assert_eq!(all.get("LastEvaluatedKey"), None);
    let first = query(json!({"Limit": 2, "ScanIndexForward": false}));
    assert_eq!(sort_keys(&first), ["d", "c"]);
    assert_eq!(
        first["LastEvaluatedKey"],
        json!({"pk": {"S": "u"}, "sk": {"S": "c"}})
    );
    let rest =
        query(json!({"ScanIndexForward": false, "ExclusiveStartKey": first["LastEvaluatedKey"]}));
    assert_eq!(sort_keys(&rest), ["b"]);
}

#[test]
fn the_key_condition_is_read_against_the_schema_in_either_order() {
    let service = notes();
    let query = |expression: &str| {
        ok(
            &service,
            "Query",
            json!({
                "TableName": "composite", "KeyConditionExpression": expression,
                "ExpressionAttributeNames": {"#k": "pk"},
                "ExpressionAttributeValues": {":u": {"S": "u"}, ":s": {"S": "c"}},
            }),
        )
    };
    assert_eq!(sort_keys(&query("begins_with(sk, :s) AND #k = :u")), ["c"]);
    assert_eq!(sort_keys(&query("sk = :s AND #k = :u")), ["c"]);
    assert_eq!(sort_keys(&query("#k = :u AND sk > :s")), ["d", "e"]);
}

#[test]
fn key_conditions_that_miss_the_schema_are_refused_in_dynamodbs_words() {
    let service = notes();
    let refused = |table: &str, expression: &str| {
        invalid(
            &service,
            "Query",
            json!({
                "TableName": table, "KeyConditionExpression": expression,
                "ExpressionAttributeValues": {":v": {"S": "val"}, ":w": {"S": "w"}},
            }),
        )
    };
    let missed = "Query condition missed key schema element: pk";
    let alone = |expression: &str| {
        invalid(
            &service,
            "Query",
            json!({
                "TableName": "composite", "KeyConditionExpression": expression,
                "ExpressionAttributeValues": {":v": {"S": "val"}},
            }),
        )
    };
    assert_eq!(alone("sk = :v"), missed);
    assert_eq!(alone("attr1 = :v"), missed);
    assert_eq!(refused("composite", "sk = :v AND sk2 > :w"), missed);
    assert_eq!(refused("composite", "attr1 = :v AND sk = :w"), missed);
    assert_eq!(
        refused("composite", "pk = :v AND attr2 = :w"),
        "Query condition missed key schema element: sk"
    );
    assert_eq!(
        refused("hash", "pk = :v AND sk = :w"),
        "Query key condition not supported"
    );
    assert_eq!(
        invalid(
            &service,
            "Query",
            json!({
                "TableName": "composite", "KeyConditionExpression": "pk = :v",
                "ExpressionAttributeValues": {":v": {"N": "1"}},
            }),
        ),
        "One or more parameter values were invalid: Condition parameter type does not match \
         schema type"
    );
    assert_eq!(
        invalid(&service, "Query", json!({"TableName": "composite"})),
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the \
         request."
    );
    assert_eq!(
        invalid(
            &service,
            "Query",
            json!({"TableName": "composite", "KeyConditionExpression": "", "ExpressionAttributeValues": {":v": {"S": "val"}}}),
        ),
        "Invalid KeyConditionExpression: The expression can not be empty;"
    );
    assert_eq!(
        invalid(
            &service,
            "Query",
            json!({
                "TableName": "composite", "KeyConditionExpression": "pk = :pk",
                "FilterExpression": "#missing = :fv",
                "ExpressionAttributeValues": {":pk": {"S": "val"}, ":fv": {"S": "x"}},
            }),
        ),
        "Invalid FilterExpression: An expression attribute name used in the document path is \
         not defined; attribute name: #missing"
    );
}

#[test]
fn select_count_answers_counts_only_and_select_follows_dynamodbs_rules() {
    let service = notes();
    let body = |extra: Value| {
        let mut body = json!({
            "TableName": "composite", "KeyConditionExpression": "pk = :u",
            "ExpressionAttributeValues": {":u": {"S": "u"}},
        });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    assert_eq!(
        ok(&service, "Query", body(json!({"Select": "COUNT"}))),
        json!({"Count": 5, "ScannedCount": 5})
    );
    assert_eq!(
        invalid(&service, "Query", body(json!({"Select": "INVALID_VALUE"}))),
        "1 validation error detected: Value 'INVALID_VALUE' at 'select' failed to satisfy \
         constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, \
         ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]"
    );
    assert_eq!(
        invalid(
            &service,
            "Query",
            body(json!({"Select": "SPECIFIC_ATTRIBUTES"}))
        ),
        "1 validation error detected: Must specify the AttributesToGet or ProjectionExpression \
         when choosing to get SPECIFIC_ATTRIBUTES"
    );
    assert_eq!(
        invalid(
            &service,
            "Scan",
            json!({"TableName": "hash", "Select": "SPECIFIC_ATTRIBUTES"})
        ),
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get \
         SPECIFIC_ATTRIBUTES"
    );
    assert_eq!(
        invalid(
            &service,
            "Query",
            body(json!({"Select": "COUNT", "ProjectionExpression": "sk"}))
        ),
        "Cannot specify the ProjectionExpression when choosing to get only the Count"
    );
    assert_eq!(
        invalid(
            &service,
            "Query",
            body(json!({"Select": "ALL_PROJECTED_ATTRIBUTES"}))
        ),
        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"
    );
    let specific = ok(
        &service,
        "Query",
        body(json!({"Select": "SPECIFIC_ATTRIBUTES", "ProjectionExpression": "sk", "Limit": 1})),
    );
    assert_eq!(specific["Items"], json!([{"sk": {"S": "a"}}]));
    assert_eq!(
        invalid(&service, "Query", body(json!({"Limit": 0}))),
        "1 validation error detected: Value at 'Limit' failed to satisfy constraint: Member \
         must have value greater than or equal to 1"
    );
}

#[test]
fn indexes_are_read_with_their_own_keys_projections_and_capacity() {
    let service = notes();
    let gsi = ok(
        &service,
        "Query",
        json!({
            "TableName": "composite", "IndexName": "gsi",
            "KeyConditionExpression": "gsiPk = :g AND gsiSk >= :two",
            "ExpressionAttributeValues": {":g": {"S": "g"}, ":two": {"N": "3"}},
            "ReturnConsumedCapacity": "INDEXES",
        }),
    );
    assert_eq!(
        gsi["Items"][0],
        json!({"pk": {"S": "u"}, "sk": {"S": "d"}, "gsiPk": {"S": "g"}, "gsiSk": {"N": "3"}, "data": {"S": "d3"}})
    );
    assert_eq!(
        gsi["ConsumedCapacity"],
        json!({
            "TableName": "composite", "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.0},
            "GlobalSecondaryIndexes": {"gsi": {"CapacityUnits": 0.5}},
        })
    );
    let gsi_query = |extra: Value| {
        let mut body = json!({
            "TableName": "composite", "IndexName": "gsi",
            "KeyConditionExpression": "#hk = :v", "ExpressionAttributeNames": {"#hk": "gsiPk"},
            "ExpressionAttributeValues": {":v": {"S": "g"}},
        });
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        body
    };
    assert_eq!(
        invalid(
            &service,
            "Query",
            gsi_query(json!({"ConsistentRead": true}))
        ),
        "Consistent reads are not supported on global secondary indexes"
    );
    assert_eq!(
        invalid(
            &service,
            "Query",
            gsi_query(json!({"Select": "ALL_ATTRIBUTES"}))
        ),
        "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not \
         supported for global secondary index gsi because its projection type is not ALL"
    );
    assert_eq!(
        invalid(&service, "Query", gsi_query(json!({"IndexName": "nope"}))),
        "The table does not have the specified index: nope"
    );
    assert_eq!(
        invalid(
            &service,
            "Query",
            json!({
                "TableName": "composite", "IndexName": "gsi",
                "KeyConditionExpression": "pk = :v", "ExpressionAttributeValues": {":v": {"S": "u"}},
            }),
        ),
        "Query condition missed key schema element: gsiPk"
    );
    // The local index projects the keys; ALL_ATTRIBUTES reads each item from the table.
    let lsi = |select: &str| {
        ok(
            &service,
            "Query",
            json!({
                "TableName": "composite", "IndexName": "lsi", "Select": select, "Limit": 1,
                "KeyConditionExpression": "pk = :u", "ExpressionAttributeValues": {":u": {"S": "u"}},
            }),
        )
    };
    assert_eq!(
        lsi("ALL_PROJECTED_ATTRIBUTES")["Items"],
        json!([{"pk": {"S": "u"}, "sk": {"S": "e"}, "lsiSk": {"S": "l0"}}])
    );
    assert_eq!(
        lsi("ALL_ATTRIBUTES")["Items"][0]["data"],
        json!({"S": "d4"})
    );
    assert_eq!(
        lsi("ALL_ATTRIBUTES")["LastEvaluatedKey"],
        json!({"pk": {"S": "u"}, "sk": {"S": "e"}, "lsiSk": {"S": "l0"}})
    );
}

#[test]
fn filters_apply_after_the_key_condition_and_never_to_keys() {
    let service = notes();
    let filtered = ok(
        &service,
        "Query",
        json!({
            "TableName": "composite", "KeyConditionExpression": "pk = :u",
            "FilterExpression": "#status = :open",
            "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":u": {"S": "u"}, ":open": {"S": "open"}},
        }),
    );
    assert_eq!(sort_keys(&filtered), ["a", "c", "e"]);
    assert_eq!(
        (filtered["Count"].clone(), filtered["ScannedCount"].clone()),
        (json!(3), json!(5))
    );
    let legacy = ok(
        &service,
        "Query",
        json!({
            "TableName": "composite",
            "KeyConditions": {
                "pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "u"}]},
                "sk": {"ComparisonOperator": "GT", "AttributeValueList": [{"S": "b"}]},
            },
            "QueryFilter": {"status": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "done"}]}},
            "AttributesToGet": ["sk"],
        }),
    );
    assert_eq!(legacy["Items"], json!([{"sk": {"S": "d"}}]));
    assert_eq!(
        invalid(
            &service,
            "Query",
            json!({
                "TableName": "composite",
                "KeyConditions": {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "u"}]}},
                "QueryFilter": {"sk": {"ComparisonOperator": "NOT_NULL"}},
            }),
        ),
        "QueryFilter can only contain non-primary key attributes: Primary key attribute: sk"
    );
    // KeyConditions may go with expressions, but not with KeyConditionExpression.
    let mixed = ok(
        &service,
        "Query",
        json!({
            "TableName": "composite",
            "KeyConditions": {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "u"}]}},
            "FilterExpression": "#status = :open", "ExpressionAttributeNames": {"#status": "status"},
            "ExpressionAttributeValues": {":open": {"S": "open"}},
        }),
    );
    assert_eq!(mixed["Count"], json!(3));
    assert_eq!(
        invalid(
            &service,
            "Query",
            json!({
                "TableName": "composite", "KeyConditionExpression": "pk = :u",
                "ExpressionAttributeValues": {":u": {"S": "u"}},
                "QueryFilter": {"status": {"ComparisonOperator": "NULL"}},
            }),
        ),
        "Can not use both expression and non-expression parameters in the same request: \
         Non-expression parameters: {QueryFilter} Expression parameters: \
         {KeyConditionExpression}"
    );
}

#[test]
fn scans_filter_page_and_split_into_segments() {
    let service = notes();
    let all = ok(
        &service,
        "Scan",
        json!({"TableName": "composite", "ReturnConsumedCapacity": "TOTAL"}),
    );
    assert_eq!(all["Count"], json!(5));
    assert_eq!(
        all["ConsumedCapacity"],
        json!({"TableName": "composite", "CapacityUnits": 0.5})
    );
    let mut segmented = 0;
    for segment in 0..3 {
        let part = ok(
            &service,
            "Scan",
            json!({"TableName": "composite", "Segment": segment, "TotalSegments": 3}),
        );
        segmented += part["Count"].as_u64().unwrap();
    }
    assert_eq!(segmented, 5);
    let legacy = ok(
        &service,
        "Scan",
        json!({
            "TableName": "composite", "ConditionalOperator": "OR",
            "ScanFilter": {
                "sk": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]},
                "data": {"ComparisonOperator": "BEGINS_WITH", "AttributeValueList": [{"S": "d4"}]},
            },
        }),
    );
    assert_eq!(legacy["Count"], json!(2));
    let refused = |body: Value| invalid(&service, "Scan", body);
    assert_eq!(
        refused(json!({"TableName": "hash", "Segment": 0})),
        "The TotalSegments parameter is required but was not present in the request when \
         Segment parameter is present"
    );
    assert_eq!(
        refused(json!({"TableName": "hash", "TotalSegments": 4})),
        "The Segment parameter is required but was not present in the request when parameter \
         TotalSegments is present"
    );
    assert_eq!(
        refused(json!({"TableName": "hash", "Segment": 5, "TotalSegments": 5})),
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: \
         Segment: 5 is not less than TotalSegments: 5"
    );
    assert_eq!(
        refused(json!({"TableName": "hash", "Limit": 0})),
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member \
         must have value greater than or equal to 1"
    );
    assert_eq!(
        refused(json!({"TableName": "hash", "Segment": 0, "TotalSegments": 1000001})),
        "1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy \
         constraint: Member must have value less than or equal to 1000000"
    );
    assert_eq!(
        refused(json!({"TableName": "hash", "ExclusiveStartKey": {"pk": {}}})),
        "The provided starting key is invalid: Supplied AttributeValue is empty, must contain \
         exactly one of the supported datatypes"
    );
}

#[test]
fn numbers_and_bytes_sort_as_dynamodb_sorts_them() {
    let service = service();
    for at in ["10", "9", "-1.5", "100"] {
        ok(
            &service,
            "PutItem",
            json!({"TableName": "numbers", "Item": {"id": {"N": "1"}, "at": {"N": at}}}),
        );
    }
    let page = ok(
        &service,
        "Query",
        json!({
            "TableName": "numbers", "KeyConditionExpression": "id = :one AND #at < :hundred",
            "ExpressionAttributeNames": {"#at": "at"},
            "ExpressionAttributeValues": {":one": {"N": "1"}, ":hundred": {"N": "100"}},
        }),
    );
    let order: Vec<&str> = page["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["at"]["N"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["-1.5", "9", "10"]);
    ok(
        &service,
        "PutItem",
        json!({"TableName": "bytes", "Item": {"b": {"B": "/wA="}}}),
    );
    let got = ok(
        &service,
        "Query",
        json!({
            "TableName": "bytes", "KeyConditionExpression": "b = :b",
            "ExpressionAttributeValues": {":b": {"B": "/wA="}},
        }),
    );
    assert_eq!(got["Items"], json!([{"b": {"B": "/wA="}}]));
}

/// `regional`: key `id` (S), global index `byRegion` on `tenantId`, `regionId` (S) / `yyyy`,
/// `mm` (N), created and described over the protocol; items of 2026 months 2, 10 and 9,
/// one of 2025, one of another region and one without a `month` (so not in the index).
fn regional() -> Service {
    let service = service();
    let definition = |name: &str, kind: &str| json!({"AttributeName": name, "AttributeType": kind});
    let element = |name: &str, kind: &str| json!({"AttributeName": name, "KeyType": kind});
    ok(
        &service,
        "CreateTable",
        json!({
            "TableName": "regional", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [
                definition("id", "S"), definition("tenantId", "S"), definition("regionId", "S"),
                definition("yyyy", "N"), definition("mm", "N"),
            ],
            "KeySchema": [element("id", "HASH")],
            "GlobalSecondaryIndexes": [{
                "IndexName": "byRegion",
                "KeySchema": [
                    element("tenantId", "HASH"), element("regionId", "HASH"),
                    element("yyyy", "RANGE"), element("mm", "RANGE"),
                ],
                "Projection": {"ProjectionType": "ALL"},
            }],
        }),
    );
    let rows = [
        ("feb", "eu", Some(("2026", Some("2")))),
        ("oct", "eu", Some(("2026", Some("10")))),
        ("sep", "eu", Some(("2026", Some("9")))),
        ("old", "eu", Some(("2025", Some("12")))),
        ("us", "us", Some(("2026", Some("3")))),
        ("sparse", "eu", Some(("2026", None))),
    ];
    for (id, region, date) in rows {
        let mut item = json!({"id": {"S": id}, "tenantId": {"S": "t"}, "regionId": {"S": region}});
        if let Some((year, month)) = date {
            item["yyyy"] = json!({"N": year});
            if let Some(month) = month {
                item["mm"] = json!({"N": month});
            }
        }
        ok(
            &service,
            "PutItem",
            json!({"TableName": "regional", "Item": item}),
        );
    }
    service
}

/// A query of `byRegion` with the values of `:t`, `:r`, `:y` and `:m` it uses.
fn regional_query(expression: &str, extra: Value) -> Value {
    let values: serde_json::Map<String, Value> = [
        (":t", json!({"S": "t"})),
        (":r", json!({"S": "eu"})),
        (":y", json!({"N": "2026"})),
        (":m", json!({"N": "3"})),
    ]
    .into_iter()
    .filter(|(name, _)| expression.contains(name))
    .map(|(name, value)| (name.to_owned(), value))
    .collect();
    let mut body = json!({
        "TableName": "regional", "IndexName": "byRegion", "KeyConditionExpression": expression,
        "ExpressionAttributeValues": values,
    });
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    body
}

fn ids(answer: &Value) -> Vec<&str> {
    answer["Items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"]["S"].as_str().unwrap())
        .collect()
}

#[test]
fn a_multi_attribute_index_is_described_with_every_key_element() {
    let service = regional();
    let described = ok(&service, "DescribeTable", json!({"TableName": "regional"}));
    let index = &described["Table"]["GlobalSecondaryIndexes"][0];
    assert_eq!(
        index["KeySchema"],
        json!([
            {"AttributeName": "tenantId", "KeyType": "HASH"},
            {"AttributeName": "regionId", "KeyType": "HASH"},
            {"AttributeName": "yyyy", "KeyType": "RANGE"},
            {"AttributeName": "mm", "KeyType": "RANGE"},
        ])
    );
    assert_eq!(
        index["ItemCount"],
        json!(5),
        "the item without a month is not in it"
    );
}

#[test]
fn a_multi_attribute_key_condition_is_bound_to_the_index_in_any_order() {
    let service = regional();
    let query =
        |expression: &str, extra: Value| ok(&service, "Query", regional_query(expression, extra));
    let all = "tenantId = :t AND regionId = :r";
    // By year, then month numerically (2 before 9 before 10); `sparse` has no month.
    assert_eq!(ids(&query(all, json!({}))), ["old", "feb", "sep", "oct"]);
    assert_eq!(
        ids(&query(
            "regionId = :r AND yyyy = :y AND tenantId = :t",
            json!({})
        )),
        ["feb", "sep", "oct"]
    );
    assert_eq!(
        ids(&query(
            "tenantId = :t AND mm > :m AND regionId = :r AND yyyy = :y",
            json!({})
        )),
        ["sep", "oct"]
    );
    let page = query(all, json!({"Limit": 2, "ScanIndexForward": false}));
    assert_eq!(ids(&page), ["oct", "sep"]);
    assert_eq!(
        page["LastEvaluatedKey"],
        json!({
            "id": {"S": "sep"}, "tenantId": {"S": "t"}, "regionId": {"S": "eu"},
            "yyyy": {"N": "2026"}, "mm": {"N": "9"},
        })
    );
    let rest = query(
        all,
        json!({"ScanIndexForward": false, "ExclusiveStartKey": page["LastEvaluatedKey"]}),
    );
    assert_eq!(ids(&rest), ["feb", "old"]);
}

#[test]
fn a_multi_attribute_key_condition_is_refused_in_dynamodbs_words() {
    let service = regional();
    let refused =
        |expression: &str| invalid(&service, "Query", regional_query(expression, json!({})));
    assert_eq!(
        refused("tenantId = :t AND yyyy = :y"),
        "HASH key attributes regionId must have equality conditions specified in the query"
    );
    assert_eq!(
        refused("tenantId = :t AND regionId = :r AND mm = :m"),
        "RANGE key attributes yyyy must have equality conditions specified in the query \
         because a condition is present on key attribute mm"
    );
    assert_eq!(
        refused("tenantId = :t AND regionId = :r AND yyyy > :y AND mm = :m"),
        "RANGE key attributes yyyy must have equality conditions specified in the query \
         because a condition is present on key attribute mm"
    );
    assert_eq!(
        refused("tenantId = :t AND regionId = :r AND id = :m"),
        "Query condition missed key schema element: yyyy"
    );
    assert_eq!(
        refused("tenantId = :t AND regionId = :r AND yyyy = :r"),
        "One or more parameter values were invalid: Condition parameter type does not match \
         schema type"
    );
    assert_eq!(
        refused("tenantId = :t AND regionId = :r AND yyyy = :y AND mm = :m AND id = :t"),
        "The number of query conditions (5) exceeds the number of key attributes defined in the \
         schema (4)"
    );
}

#[test]
fn three_terms_on_a_key_of_two_attributes_are_counted() {
    let service = notes();
    assert_eq!(
        invalid(
            &service,
            "Query",
            json!({
                "TableName": "composite",
                "KeyConditionExpression": "pk = :v AND sk = :w AND #d = :w",
                "ExpressionAttributeNames": {"#d": "data"},
                "ExpressionAttributeValues": {":v": {"S": "u"}, ":w": {"S": "w"}},
            }),
        ),
        "The number of query conditions (3) exceeds the number of key attributes defined in the \
         schema (2)"
    );
}
