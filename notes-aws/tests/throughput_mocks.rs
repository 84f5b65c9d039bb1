//! `DynamoDbBackend` on the SDK's mocks, for what the test server does not do: throttling
//! with its `ThrottlingReasons` (answers recorded in DynamoDB's JSON), and on-demand maximums
//! and warm throughput of global indexes (sent with `CreateTable` and `UpdateTable`, read from
//! `DescribeTable`).

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_smithy_mocks::{RuleMode, mock, mock_client};
use aws_smithy_types::body::SdkBody;
use notes_model::{
    AttributeValue, IndexKind, IndexProjection, IndexSchema, ItemMap, KeyAttribute, KeySchema,
    ScalarType,
};

use notes_aws::DynamoDbBackend;
use notes_core::request::{
    CreateTable, DescribeTable, OnDemandThroughput, PutItem, TableStatus, UpdateTable,
    WarmThroughput, WarmThroughputDescription,
};
use notes_core::throttling::{LimitType, OperationType, Reason, ResourceType};
use notes_core::{Backend, Error, ThrottlingReason};

const TABLE_ARN: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/notes";
const INDEX_ARN: &str = "arn:aws:dynamodb:us-east-1:123456789012:table/notes/index/byStatus";

fn key() -> ItemMap {
    [("userId".to_owned(), AttributeValue::S("u1".to_owned()))]
        .into_iter()
        .collect()
}

fn response(status: u16, body: &'static str) -> HttpResponse {
    HttpResponse::new(status.try_into().expect("status"), SdkBody::from(body))
}

/// A `PutItem` answered with `body` (a 400) every time, until the SDK's retries are spent.
async fn put_answered(body: &'static str) -> Error {
    let rule = mock!(Client::put_item)
        .sequence()
        .http_response(move || response(400, body))
        .repeatedly()
        .build();
    let client = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&rule]);
    DynamoDbBackend::new(client)
        .put_item(PutItem::new("notes", key()))
        .await
        .expect_err("throttled")
}

/// The reasons of a throttling error, checking it is one.
fn reasons(err: Error) -> Vec<ThrottlingReason> {
    match err {
        Error::Throttled {
            reasons,
            retried: false,
            source: Some(_),
        } => reasons,
        other => panic!("expected throttling, got {other:?}"),
    }
}

/// "ProvisionedThroughputExceededException ... find the ThrottlingReason field in the returned
/// exception": every reason, typed, with its resource.
#[tokio::test]
async fn provisioned_throughput_exceeded_carries_each_reason() {
    let err = put_answered(
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
            "message":"The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
            "ThrottlingReasons":[
              {"reason":"TableWriteProvisionedThroughputExceeded","resource":"arn:aws:dynamodb:us-east-1:123456789012:table/notes"},
              {"reason":"IndexWriteKeyRangeThroughputExceeded","resource":"arn:aws:dynamodb:us-east-1:123456789012:table/notes/index/byStatus"}]}"#,
    )
    .await;
    assert_eq!(
        reasons(err),
        [
            ThrottlingReason::exceeded(
                ResourceType::Table,
                OperationType::Write,
                LimitType::ProvisionedThroughput,
                TABLE_ARN,
            ),
            ThrottlingReason::exceeded(
                ResourceType::Index,
                OperationType::Write,
                LimitType::KeyRangeThroughput,
                INDEX_ARN,
            ),
        ]
    );
}

/// `ThrottlingException` past an on-demand maximum (its model spells the member
/// `throttlingReasons`); a reason this crate does not know is kept as sent.
#[tokio::test]
async fn throttling_exception_carries_its_reasons_and_keeps_an_unknown_one() {
    let err = put_answered(
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException",
            "message":"Throughput exceeds the maximum OnDemandThroughput configured on table or index",
            "throttlingReasons":[
              {"reason":"IndexWriteMaxOnDemandThroughputExceeded","resource":"arn:aws:dynamodb:us-east-1:123456789012:table/notes/index/byStatus"},
              {"reason":"TableWriteSomethingNewExceeded","resource":"arn:aws:dynamodb:us-east-1:123456789012:table/notes"}]}"#,
    )
    .await;
    let reasons = reasons(err);
    assert_eq!(
        reasons[0],
        ThrottlingReason::exceeded(
            ResourceType::Index,
            OperationType::Write,
            LimitType::MaxOnDemandThroughput,
            INDEX_ARN,
        )
    );
    assert_eq!(
        reasons[1].reason,
        Reason::Unknown("TableWriteSomethingNewExceeded".to_owned())
    );
    assert_eq!(reasons[1].resource, TABLE_ARN);
    assert_eq!(reasons.len(), 2);
}

/// `RequestLimitExceeded`: "Throughput exceeds the current throughput quota for your
/// account"; and a throttling answer without reasons has none.
#[tokio::test]
async fn request_limit_exceeded_carries_the_account_limit() {
    let err = put_answered(
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#RequestLimitExceeded",
            "message":"Throughput exceeds the current throughput quota for your account. Please contact AWS Support at https://aws.amazon.com/support request a quota increase",
            "ThrottlingReasons":[
              {"reason":"TableWriteAccountLimitExceeded","resource":"arn:aws:dynamodb:us-east-1:123456789012:table/notes"}]}"#,
    )
    .await;
    let err_reasons = reasons(err);
    assert_eq!(
        err_reasons,
        [ThrottlingReason::exceeded(
            ResourceType::Table,
            OperationType::Write,
            LimitType::AccountLimit,
            TABLE_ARN,
        )]
    );
    let bare = put_answered(
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
            "message":"slow down"}"#,
    )
    .await;
    assert_eq!(reasons(bare), []);
}

/// The global index `byStatus` (partition key `status`).
fn by_status() -> IndexSchema {
    IndexSchema {
        name: "byStatus".into(),
        kind: IndexKind::Global,
        key_schema: KeySchema {
            partition_key: KeyAttribute::new("status", ScalarType::S),
            sort_key: None,
        },
        projection: IndexProjection::KeysOnly,
        additional_keys: Default::default(),
    }
}

fn notes_schema() -> KeySchema {
    KeySchema {
        partition_key: KeyAttribute::new("userId", ScalarType::S),
        sort_key: None,
    }
}

/// `DescribeTable`'s answer for an on-demand `notes` with `byStatus`, as DynamoDB writes it:
/// -1 for no maximum, and warm throughput with its status.
const DESCRIBED: &str = r#"{"Table":{
  "TableName":"notes","TableStatus":"ACTIVE",
  "TableArn":"arn:aws:dynamodb:us-east-1:123456789012:table/notes",
  "AttributeDefinitions":[{"AttributeName":"userId","AttributeType":"S"},
                          {"AttributeName":"status","AttributeType":"S"}],
  "KeySchema":[{"AttributeName":"userId","KeyType":"HASH"}],
  "BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},
  "ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},
  "OnDemandThroughput":{"MaxReadRequestUnits":100,"MaxWriteRequestUnits":-1},
  "WarmThroughput":{"ReadUnitsPerSecond":30000,"WriteUnitsPerSecond":4000,"Status":"ACTIVE"},
  "ItemCount":0,"TableSizeBytes":0,
  "GlobalSecondaryIndexes":[{
    "IndexName":"byStatus","IndexStatus":"ACTIVE",
    "KeySchema":[{"AttributeName":"status","KeyType":"HASH"}],
    "Projection":{"ProjectionType":"KEYS_ONLY"},
    "ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},
    "OnDemandThroughput":{"MaxReadRequestUnits":-1,"MaxWriteRequestUnits":5},
    "WarmThroughput":{"ReadUnitsPerSecond":12000,"WriteUnitsPerSecond":4000,"Status":"UPDATING"},
    "IndexSizeBytes":0,"ItemCount":0}]}}"#;

#[tokio::test]
async fn describe_table_reads_maximums_and_warm_throughput_of_the_table_and_its_indexes() {
    let describe = mock!(Client::describe_table).then_http_response(|| response(200, DESCRIBED));
    let backend = DynamoDbBackend::new(mock_client!(aws_sdk_dynamodb, [&describe]));
    let table = backend
        .describe_table(DescribeTable::new("notes"))
        .await
        .expect("described");
    assert_eq!(
        table.on_demand_throughput,
        Some(OnDemandThroughput::new().max_read_request_units(100))
    );
    assert_eq!(
        table.warm_throughput,
        Some(WarmThroughputDescription::new(
            30_000,
            4_000,
            TableStatus::Active
        ))
    );
    assert_eq!(
        table.index_on_demand_throughput,
        [(
            "byStatus".to_owned(),
            OnDemandThroughput::new().max_write_request_units(5)
        )]
        .into()
    );
    assert_eq!(
        table.index_warm_throughput,
        [(
            "byStatus".to_owned(),
            WarmThroughputDescription::new(12_000, 4_000, TableStatus::Updating)
        )]
        .into()
    );
}

#[tokio::test]
async fn create_table_sends_maximums_and_warm_throughput_of_the_table_and_its_indexes() {
    use aws_sdk_dynamodb::operation::create_table::CreateTableOutput;

    let create = mock!(Client::create_table)
        .match_requests(|req| {
            let table_max = req.on_demand_throughput().is_some_and(|m| {
                m.max_read_request_units() == Some(100) && m.max_write_request_units() == Some(50)
            });
            let table_warm = req.warm_throughput().is_some_and(|w| {
                w.read_units_per_second() == Some(20_000) && w.write_units_per_second().is_none()
            });
            let index = match req.global_secondary_indexes() {
                [only] => {
                    only.on_demand_throughput().is_some_and(|m| {
                        m.max_read_request_units() == Some(20)
                            && m.max_write_request_units().is_none()
                    }) && only.warm_throughput().is_some_and(|w| {
                        w.read_units_per_second() == Some(15_000)
                            && w.write_units_per_second() == Some(6_000)
                    })
                }
                _ => false,
            };
            table_max && table_warm && index
        })
        .then_output(|| CreateTableOutput::builder().build());
    let backend = DynamoDbBackend::new(mock_client!(aws_sdk_dynamodb, [&create]));
    let request = CreateTable::new("notes", notes_schema())
        .indexes(vec![by_status()])
        .on_demand_throughput(
            OnDemandThroughput::new()
                .max_read_request_units(100)
                .max_write_request_units(50),
        )
        .index_on_demand_throughput(
            "byStatus",
            OnDemandThroughput::new().max_read_request_units(20),
        )
        .warm_throughput(WarmThroughput::default().read_units_per_second(20_000))
        .index_warm_throughput("byStatus", WarmThroughput::new(15_000, 6_000));
    // The mock's answer has no description, which the backend reports as an error; the
    // request is what is checked here.
    let _ = backend.create_table(request).await;
    assert_eq!(create.num_calls(), 1);
}

#[tokio::test]
async fn update_table_sends_one_index_update_with_everything_it_changes() {
    let update = mock!(Client::update_table)
        .match_requests(|req| {
            let table = req.on_demand_throughput().is_some_and(|m| {
                m.max_read_request_units().is_none() && m.max_write_request_units() == Some(-1)
            }) && req.warm_throughput().is_none();
            let index = match req.global_secondary_index_updates() {
                [only] => only.update().is_some_and(|u| {
                    u.index_name() == "byStatus"
                        && u.provisioned_throughput().is_none()
                        && u.on_demand_throughput()
                            .is_some_and(|m| m.max_read_request_units() == Some(7))
                        && u.warm_throughput()
                            .is_some_and(|w| w.write_units_per_second() == Some(9_000))
                }),
                _ => false,
            };
            table && index
        })
        .then_http_response(|| {
            let body = DESCRIBED.replacen(r#"{"Table":"#, r#"{"TableDescription":"#, 1);
            HttpResponse::new(200.try_into().expect("status"), SdkBody::from(body))
        });
    let backend = DynamoDbBackend::new(mock_client!(aws_sdk_dynamodb, [&update]));
    let request = UpdateTable::new("notes")
        .on_demand_throughput(
            OnDemandThroughput::new().max_write_request_units(OnDemandThroughput::REMOVE),
        )
        .warm_throughput(WarmThroughput::default())
        .index_on_demand_throughput(
            "byStatus",
            OnDemandThroughput::new().max_read_request_units(7),
        )
        .index_warm_throughput(
            "byStatus",
            WarmThroughput::default().write_units_per_second(9_000),
        );
    let answer = backend.update_table(request).await.expect("updated");
    assert_eq!(update.num_calls(), 1);
    assert_eq!(
        answer.index_on_demand_throughput["byStatus"],
        OnDemandThroughput::new().max_write_request_units(5)
    );
    // Refused before sending: a maximum below 1 and not -1.
    let err = backend
        .update_table(
            UpdateTable::new("notes")
                .on_demand_throughput(OnDemandThroughput::new().max_read_request_units(0)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { message, source: None } if message ==
            "One or more parameter values were invalid: Requested MaxReadRequestUnits for \
             OnDemandThroughput for table is outside of valid range"),
        "{err:?}"
    );
    assert_eq!(update.num_calls(), 1);
}
