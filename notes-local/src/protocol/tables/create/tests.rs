//! `CreateTable`'s answers, messages as DynamoDB words them (the cases other projects'
//! conformance suites check against AWS among them).

use serde_json::{Value, json};

use crate::protocol::tables::test_support::{call, create_table, error, service};

/// A valid request for the table `abc` with the partition key `pk`, then `changes`.
fn request(changes: Value) -> Value {
    let mut body = json!({
        "TableName": "abc",
        "AttributeDefinitions": [{ "AttributeName": "pk", "AttributeType": "S" }],
        "KeySchema": [{ "AttributeName": "pk", "KeyType": "HASH" }],
        "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 },
    });
    for (key, value) in changes.as_object().into_iter().flatten() {
        if value.is_null() {
            body.as_object_mut().map(|b| b.remove(key));
        } else {
            body[key] = value.clone();
        }
    }
    body
}

/// The message of the error `CreateTable` answers `body` with, a `ValidationException`.
async fn invalid(body: Value) -> String {
    let answer = error(&service(), "CreateTable", body).await;
    assert_eq!((answer.status, answer.name), (400, "ValidationException"));
    answer.message
}

#[tokio::test]
async fn a_table_is_created_active_and_described() {
    let service = service();
    let answer = call(&service, "CreateTable", request(json!({}))).await;
    let table = &answer["TableDescription"];
    assert_eq!(table["TableName"], "abc");
    assert_eq!(table["TableStatus"], "ACTIVE");
    assert_eq!(table["ItemCount"], 0);
    assert_eq!(
        table["TableArn"],
        "arn:aws:dynamodb:us-east-1:000000000000:table/abc"
    );
    assert_eq!(
        table["ProvisionedThroughput"],
        json!({ "ReadCapacityUnits": 5, "WriteCapacityUnits": 5, "NumberOfDecreasesToday": 0 })
    );
    let described = call(&service, "DescribeTable", json!({ "TableName": "abc" })).await;
    assert_eq!(&described["Table"], table);
}

#[tokio::test]
async fn an_on_demand_table_has_zero_throughput_and_its_billing_summary() {
    let service = service();
    let answer = create_table(&service, "notes", None).await;
    let table = &answer["TableDescription"];
    assert_eq!(
        table["BillingModeSummary"]["BillingMode"],
        "PAY_PER_REQUEST"
    );
    assert_eq!(
        table["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"],
        table["CreationDateTime"]
    );
    assert_eq!(
        table["ProvisionedThroughput"],
        json!({ "ReadCapacityUnits": 0, "WriteCapacityUnits": 0, "NumberOfDecreasesToday": 0 })
    );
}

#[tokio::test]
async fn an_existing_table_is_in_use() {
    let service = service();
    create_table(&service, "notes", None).await;
    let answer = error(
        &service,
        "CreateTable",
        request(json!({ "TableName": "notes" })),
    )
    .await;
    assert_eq!(
        (answer.name, answer.message.as_str()),
        ("ResourceInUseException", "Table already exists: notes")
    );
}

#[tokio::test]
async fn the_table_name_is_required_then_constrained() {
    assert_eq!(
        invalid(request(json!({ "TableName": null }))).await,
        "The parameter 'TableName' is required but was not present in the request"
    );
    assert_eq!(
        invalid(request(json!({ "TableName": "ab" }))).await,
        "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: \
         Member must have length greater than or equal to 3"
    );
}

#[tokio::test]
async fn every_violated_constraint_is_listed_in_the_requests_order() {
    let body = json!({
        "TableName": "abc;",
        "BillingMode": "A",
        "ProvisionedThroughput": { "ReadCapacityUnits": -1, "WriteCapacityUnits": -1 },
    });
    assert_eq!(
        invalid(body).await,
        "6 validation errors detected: Value null at 'attributeDefinitions' failed to satisfy \
         constraint: Member must not be null; Value 'abc;' at 'tableName' failed to satisfy \
         constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value \
         'A' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value \
         set: [PROVISIONED, PAY_PER_REQUEST]; Value '-1' at \
         'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: Member must \
         have value greater than or equal to 1; Value '-1' at \
         'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must \
         have value greater than or equal to 1; Value null at 'keySchema' failed to satisfy \
         constraint: Member must not be null"
    );
}

#[tokio::test]
async fn key_types_and_attribute_types_are_enumerations() {
    assert_eq!(
        invalid(request(
            json!({ "KeySchema": [{ "AttributeName": "pk", "KeyType": "INVALID" }] })
        ))
        .await,
        "1 validation error detected: Value 'INVALID' at 'keySchema.1.member.keyType' failed \
         to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]"
    );
    assert_eq!(
        invalid(request(json!({
            "AttributeDefinitions": [{ "AttributeName": "pk", "AttributeType": "INVALID" }],
        })))
        .await,
        "1 validation error detected: Value 'INVALID' at \
         'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member \
         must satisfy enum value set: [B, N, S]"
    );
}

#[tokio::test]
async fn throughput_follows_the_billing_mode() {
    assert_eq!(
        invalid(request(json!({ "ProvisionedThroughput": null }))).await,
        "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits \
         must both be specified when BillingMode is PROVISIONED"
    );
    assert_eq!(
        invalid(request(json!({ "BillingMode": "PAY_PER_REQUEST" }))).await,
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor \
         WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
    );
    let huge = json!({ "ReadCapacityUnits": 1_000_000_000_001_i64, "WriteCapacityUnits": 1 });
    assert_eq!(
        invalid(request(json!({ "ProvisionedThroughput": huge }))).await,
        "Given value 1000000000001 for ReadCapacityUnits is out of bounds"
    );
}

#[tokio::test]
async fn attribute_definitions_must_name_exactly_the_key_attributes() {
    let two_keys = json!([
        { "AttributeName": "pk", "KeyType": "HASH" },
        { "AttributeName": "pk", "KeyType": "RANGE" },
    ]);
    assert_eq!(
        invalid(request(json!({ "KeySchema": two_keys }))).await,
        "Invalid KeySchema: Some index key attribute have no definition"
    );
    let other = json!([{ "AttributeName": "b", "AttributeType": "S" }]);
    assert_eq!(
        invalid(request(json!({ "AttributeDefinitions": other }))).await,
        "One or more parameter values were invalid: Some index key attributes are not defined \
         in AttributeDefinitions. Keys: [pk], AttributeDefinitions: [b]"
    );
    let extra = json!([
        { "AttributeName": "pk", "AttributeType": "S" },
        { "AttributeName": "extra", "AttributeType": "N" },
    ]);
    assert_eq!(
        invalid(request(json!({ "AttributeDefinitions": extra }))).await,
        "One or more parameter values were invalid: Number of attributes in KeySchema does not \
         exactly match number of attributes defined in AttributeDefinitions"
    );
}

#[tokio::test]
async fn key_schema_elements_come_hash_then_range() {
    let definitions = json!([
        { "AttributeName": "a", "AttributeType": "S" },
        { "AttributeName": "b", "AttributeType": "S" },
    ]);
    let keys = |first: &str, second: &str| {
        request(json!({
            "AttributeDefinitions": definitions,
            "KeySchema": [
                { "AttributeName": "a", "KeyType": first },
                { "AttributeName": "b", "KeyType": second },
            ],
        }))
    };
    assert_eq!(
        invalid(keys("RANGE", "HASH")).await,
        "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
    );
    assert_eq!(
        invalid(keys("HASH", "HASH")).await,
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"
    );
}

/// A table `abc` with `pk`/`sk` and the extra key attributes `defined` (strings).
fn with_indexes(defined: &[&str], indexes: Value) -> Value {
    let mut definitions = vec![
        json!({ "AttributeName": "pk", "AttributeType": "S" }),
        json!({ "AttributeName": "sk", "AttributeType": "S" }),
    ];
    definitions.extend(
        defined
            .iter()
            .map(|name| json!({ "AttributeName": name, "AttributeType": "S" })),
    );
    let mut body = request(json!({
        "AttributeDefinitions": definitions,
        "KeySchema": [
            { "AttributeName": "pk", "KeyType": "HASH" },
            { "AttributeName": "sk", "KeyType": "RANGE" },
        ],
    }));
    for (key, value) in indexes.as_object().into_iter().flatten() {
        body[key] = value.clone();
    }
    body
}

fn global(name: &str, key: &str) -> Value {
    json!({
        "IndexName": name,
        "KeySchema": [{ "AttributeName": key, "KeyType": "HASH" }],
        "Projection": { "ProjectionType": "ALL" },
        "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 },
    })
}

#[tokio::test]
async fn index_names_are_unique_and_local_indexes_need_a_range_key() {
    let duplicate = with_indexes(
        &["g1", "g2"],
        json!({ "GlobalSecondaryIndexes": [global("same", "g1"), global("same", "g2")] }),
    );
    assert_eq!(
        invalid(duplicate).await,
        "One or more parameter values were invalid: Duplicate index name: same"
    );
    let local = json!([{
        "IndexName": "lsi1",
        "KeySchema": [
            { "AttributeName": "pk", "KeyType": "HASH" },
            { "AttributeName": "lsiSk", "KeyType": "RANGE" },
        ],
        "Projection": { "ProjectionType": "ALL" },
    }]);
    let hash_only = request(json!({
        "AttributeDefinitions": [
            { "AttributeName": "pk", "AttributeType": "S" },
            { "AttributeName": "lsiSk", "AttributeType": "S" },
        ],
        "LocalSecondaryIndexes": local,
    }));
    assert_eq!(
        invalid(hash_only).await,
        "One or more parameter values were invalid: Table KeySchema does not have a range \
         key, which is required when specifying a LocalSecondaryIndex"
    );
    let other_hash = json!([{
        "IndexName": "lsi1",
        "KeySchema": [
            { "AttributeName": "other", "KeyType": "HASH" },
            { "AttributeName": "sk", "KeyType": "RANGE" },
        ],
        "Projection": { "ProjectionType": "ALL" },
    }]);
    assert_eq!(
        invalid(with_indexes(
            &["other"],
            json!({ "LocalSecondaryIndexes": other_hash })
        ))
        .await,
        "One or more parameter values were invalid: Index KeySchema does not have the same \
         leading hash key as table KeySchema for index: lsi1. index hash key: other, table \
         hash key: pk"
    );
}

#[tokio::test]
async fn global_indexes_follow_the_billing_mode_and_use_every_definition() {
    let mut missing_units = global("byG", "g");
    missing_units
        .as_object_mut()
        .map(|i| i.remove("ProvisionedThroughput"));
    assert_eq!(
        invalid(with_indexes(
            &["g"],
            json!({ "GlobalSecondaryIndexes": [missing_units] })
        ))
        .await,
        "One or more parameter values were invalid: ProvisionedThroughput must be specified \
         for index: byG"
    );
    let mut on_demand = with_indexes(
        &["g"],
        json!({ "GlobalSecondaryIndexes": [global("byG", "g")] }),
    );
    on_demand["BillingMode"] = json!("PAY_PER_REQUEST");
    on_demand
        .as_object_mut()
        .map(|b| b.remove("ProvisionedThroughput"));
    assert_eq!(
        invalid(on_demand).await,
        "One or more parameter values were invalid: ProvisionedThroughput should not be \
         specified for index: byG when BillingMode is PAY_PER_REQUEST"
    );
    let unused = with_indexes(
        &["g", "extra"],
        json!({ "GlobalSecondaryIndexes": [global("byG", "g")] }),
    );
    assert_eq!(
        invalid(unused).await,
        "One or more parameter values were invalid: Some AttributeDefinitions are not used. \
         AttributeDefinitions: [pk, sk, g, extra], keys used: [pk, sk, g]"
    );
    let mut keys_only = global("byG", "g");
    keys_only["Projection"] = json!({ "ProjectionType": "KEYS_ONLY", "NonKeyAttributes": ["a"] });
    assert_eq!(
        invalid(with_indexes(
            &["g"],
            json!({ "GlobalSecondaryIndexes": [keys_only] })
        ))
        .await,
        "One or more parameter values were invalid: ProjectionType is KEYS_ONLY, but \
         NonKeyAttributes is specified"
    );
}

#[tokio::test]
async fn a_stream_disabled_at_creation_takes_no_view_type() {
    let stream = json!({ "StreamEnabled": false, "StreamViewType": "NEW_AND_OLD_IMAGES" });
    assert_eq!(
        invalid(request(json!({ "StreamSpecification": stream }))).await,
        "One or more parameter values were invalid: Table is being created with a stream \
         disabled, UpdateViewType should not be specified"
    );
}

#[tokio::test]
async fn settings_the_engine_does_not_model_are_described_and_tags_kept() {
    let service = service();
    let body = request(json!({
        "TableClass": "STANDARD_INFREQUENT_ACCESS",
        "SSESpecification": { "Enabled": true, "SSEType": "KMS" },
        "Tags": [{ "Key": "env", "Value": "test" }],
        "ResourcePolicy": "{}",
        "WarmThroughput": { "ReadUnitsPerSecond": 12000 },
    }));
    let answer = call(&service, "CreateTable", body).await;
    let table = &answer["TableDescription"];
    assert_eq!(
        table["TableClassSummary"],
        json!({ "TableClass": "STANDARD_INFREQUENT_ACCESS" })
    );
    assert_eq!(
        table["SSEDescription"],
        json!({
            "Status": "ENABLED",
            "SSEType": "KMS",
            "KMSMasterKeyArn": "arn:aws:kms:us-east-1:000000000000:alias/aws/dynamodb",
        })
    );
    let tags = call(
        &service,
        "ListTagsOfResource",
        json!({ "ResourceArn": table["TableArn"] }),
    )
    .await;
    assert_eq!(tags, json!({ "Tags": [{ "Key": "env", "Value": "test" }] }));
}

#[tokio::test]
async fn a_wrong_json_type_is_a_serialization_error() {
    let answer = error(&service(), "CreateTable", json!({ "TableName": 5 })).await;
    assert_eq!(
        (answer.status, answer.name),
        (400, "SerializationException")
    );
}
