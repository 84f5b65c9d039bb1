//! `DynamoDbBackend` on the SDK's own mocks, through its public API: operations a local
//! server does not serve (`UpdateContinuousBackups`) and answers a local server cannot be
//! made to give (throttling).

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::operation::get_item::{GetItemError, GetItemOutput};
use aws_sdk_dynamodb::operation::update_continuous_backups::{
    UpdateContinuousBackupsError, UpdateContinuousBackupsOutput,
};
use aws_sdk_dynamodb::operation::update_item::UpdateItemOutput;
use aws_sdk_dynamodb::types::error::{
    ContinuousBackupsUnavailableException, ProvisionedThroughputExceededException,
    TableNotFoundException,
};
use aws_sdk_dynamodb::types::{
    AttributeValue as SdkValue, ConsumedCapacity, ReturnConsumedCapacity, ReturnValue,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_types::body::SdkBody;
use notes_model::{AttributeValue, ItemMap};

use notes_aws::DynamoDbBackend;
use notes_core::request::{
    BillingMode, GetItem, ProvisionedThroughput, ReturnValues, TableStatus, TransactWrite,
    TransactWriteItems, UpdateContinuousBackups, UpdateItem, UpdateTable, UpdateTimeToLive,
};
use notes_core::{Backend, Error};

/// A backend whose client answers with `rule` alone.
fn mocked(rule: &Rule) -> DynamoDbBackend {
    DynamoDbBackend::new(mock_client!(aws_sdk_dynamodb, [rule]))
}

fn key() -> ItemMap {
    [("userId".to_owned(), AttributeValue::S("u1".to_owned()))]
        .into_iter()
        .collect()
}

fn json_error(body: &'static str) -> HttpResponse {
    HttpResponse::new(400.try_into().expect("status"), SdkBody::from(body))
}

#[tokio::test]
async fn point_in_time_recovery_request_names_table_and_flag() {
    let enable = mock!(Client::update_continuous_backups)
        .match_requests(|req| {
            req.table_name() == Some("notes")
                && req
                    .point_in_time_recovery_specification()
                    .is_some_and(|s| s.point_in_time_recovery_enabled())
        })
        .then_output(|| UpdateContinuousBackupsOutput::builder().build());
    let backend = mocked(&enable);
    backend
        .update_continuous_backups(UpdateContinuousBackups::new("notes", true))
        .await
        .expect("backups enabled");
    assert_eq!(enable.num_calls(), 1);
}

#[tokio::test]
async fn point_in_time_recovery_can_be_turned_off() {
    let disable = mock!(Client::update_continuous_backups)
        .match_requests(|req| {
            req.point_in_time_recovery_specification()
                .is_some_and(|s| !s.point_in_time_recovery_enabled())
        })
        .then_output(|| UpdateContinuousBackupsOutput::builder().build());
    let backend = mocked(&disable);
    backend
        .update_continuous_backups(UpdateContinuousBackups::new("notes", false))
        .await
        .expect("backups disabled");
    assert_eq!(disable.num_calls(), 1);
}

#[tokio::test]
async fn the_recovery_period_is_sent_only_when_given() {
    let seven = mock!(Client::update_continuous_backups)
        .match_requests(|req| {
            req.point_in_time_recovery_specification().is_some_and(|s| {
                s.point_in_time_recovery_enabled() && s.recovery_period_in_days() == Some(7)
            })
        })
        .then_output(|| UpdateContinuousBackupsOutput::builder().build());
    let backend = mocked(&seven);
    backend
        .update_continuous_backups(
            UpdateContinuousBackups::new("notes", true).recovery_period_in_days(7),
        )
        .await
        .expect("period sent");
    assert_eq!(seven.num_calls(), 1);
    // Without one, the request has none: DynamoDB's default (35) applies.
    let default = mock!(Client::update_continuous_backups)
        .match_requests(|req| {
            req.point_in_time_recovery_specification()
                .is_some_and(|s| s.recovery_period_in_days().is_none())
        })
        .then_output(|| UpdateContinuousBackupsOutput::builder().build());
    let backend = mocked(&default);
    backend
        .update_continuous_backups(UpdateContinuousBackups::new("notes", true))
        .await
        .expect("no period sent");
    assert_eq!(default.num_calls(), 1);
}

/// A period DynamoDB refuses (here while disabling) is its `ValidationException`, with its
/// message, as sent: the raw backend leaves the check to the service.
#[tokio::test]
async fn a_refused_recovery_period_is_dynamodbs_validation_error() {
    const MESSAGE: &str = "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery.";
    let refused = mock!(Client::update_continuous_backups)
        .match_requests(|req| {
            req.point_in_time_recovery_specification().is_some_and(|s| {
                !s.point_in_time_recovery_enabled() && s.recovery_period_in_days() == Some(7)
            })
        })
        .then_http_response(|| {
            json_error(
                r#"{"__type":"com.amazon.coral.validate#ValidationException",
                    "message":"Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time recovery."}"#,
            )
        });
    let backend = mocked(&refused);
    let err = backend
        .update_continuous_backups(
            UpdateContinuousBackups::new("notes", false).recovery_period_in_days(7),
        )
        .await
        .expect_err("refused");
    assert!(
        matches!(&err, Error::Validation { message, source: Some(_) } if message == MESSAGE),
        "{err:?}"
    );
}

#[tokio::test]
async fn backups_on_a_missing_table_is_table_not_found() {
    let missing = mock!(Client::update_continuous_backups).then_error(|| {
        UpdateContinuousBackupsError::TableNotFoundException(
            TableNotFoundException::builder()
                .message("Table not found: notes")
                .build(),
        )
    });
    let backend = mocked(&missing);
    let err = backend
        .update_continuous_backups(UpdateContinuousBackups::new("notes", true))
        .await
        .expect_err("table is missing");
    assert!(
        matches!(&err, Error::TableNotFound { table, source: Some(_) } if table == "notes"),
        "{err:?}"
    );
}

#[tokio::test]
async fn backups_unavailable_is_a_backend_error() {
    let unavailable = mock!(Client::update_continuous_backups).then_error(|| {
        UpdateContinuousBackupsError::ContinuousBackupsUnavailableException(
            ContinuousBackupsUnavailableException::builder()
                .message("Backups are being enabled for the table")
                .build(),
        )
    });
    let backend = mocked(&unavailable);
    let err = backend
        .update_continuous_backups(UpdateContinuousBackups::new("notes", true))
        .await
        .expect_err("unavailable");
    assert!(matches!(err, Error::Backend { .. }), "{err:?}");
}

#[tokio::test]
async fn reads_ask_for_total_capacity_and_report_it() {
    let get = mock!(Client::get_item)
        .match_requests(|req| {
            req.return_consumed_capacity() == Some(&ReturnConsumedCapacity::Total)
                && req.table_name() == Some("notes")
        })
        .then_output(|| {
            GetItemOutput::builder()
                .consumed_capacity(ConsumedCapacity::builder().capacity_units(0.5).build())
                .build()
        });
    let backend = mocked(&get);
    let output = backend
        .get_item(GetItem::new("notes", key()))
        .await
        .expect("get");
    assert_eq!(output.consumed_capacity, Some(0.5));
    assert_eq!(output.item, None);
}

#[tokio::test]
async fn throttling_after_retries_is_throttled() {
    let throttled = mock!(Client::get_item)
        .sequence()
        .error(|| {
            GetItemError::ProvisionedThroughputExceededException(
                ProvisionedThroughputExceededException::builder()
                    .message("slow down")
                    .build(),
            )
        })
        .repeatedly()
        .build();
    let client = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&throttled]);
    let err = DynamoDbBackend::new(client)
        .get_item(GetItem::new("notes", key()))
        .await
        .expect_err("throttled");
    assert!(
        matches!(
            err,
            Error::Throttled {
                source: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn service_validation_message_comes_from_the_wire() {
    let invalid = mock!(Client::get_item).then_http_response(|| {
        json_error(
            r#"{"__type":"com.amazon.coral.validate#ValidationException",
                "message":"The provided key element does not match the schema"}"#,
        )
    });
    let backend = mocked(&invalid);
    let err = backend
        .get_item(GetItem::new("notes", key()))
        .await
        .expect_err("invalid");
    match err {
        Error::Validation { message, source } => {
            assert_eq!(
                message,
                "The provided key element does not match the schema"
            );
            assert!(source.is_some());
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn cancellation_reasons_are_read_from_the_wire() {
    let canceled = mock!(Client::transact_write_items).then_http_response(|| {
        json_error(
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
                "Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]",
                "CancellationReasons":[{"Code":"None"},
                  {"Code":"ConditionalCheckFailed","Message":"The conditional request failed"}]}"#,
        )
    });
    let backend = mocked(&canceled);
    let check = || TransactWrite::ConditionCheck {
        table_name: "notes".to_owned(),
        key: key(),
        condition: notes_model::expr::Condition::Exists(notes_model::expr::Path::attribute(
            "userId",
        )),
    };
    let err = backend
        .transact_write_items(TransactWriteItems::new(vec![check(), check()]))
        .await
        .expect_err("cancelled");
    let Error::TransactionCanceled { reasons, source } = err else {
        panic!("unexpected {err:?}");
    };
    assert!(source.is_some());
    assert_eq!(reasons.len(), 2);
    assert_eq!(reasons[0].code, "None");
    assert_eq!(reasons[1].index, 1);
    assert_eq!(reasons[1].code, "ConditionalCheckFailed");
    assert_eq!(
        reasons[1].message.as_deref(),
        Some("The conditional request failed")
    );
}

#[tokio::test]
async fn update_request_carries_only_placeholders() {
    use notes_model::expr::{Comparator, Condition, Operand, Path, SetValue, Update, UpdateAction};

    let hostile = "#n0 = :v0) OR (\"x\"";
    let update = mock!(Client::update_item)
        .match_requests(move |req| {
            let names = req.expression_attribute_names();
            let values = req.expression_attribute_values();
            req.update_expression() == Some("SET #n0 = :v0 REMOVE #n1")
                && req.condition_expression() == Some("#n0 = :v1")
                && names.is_some_and(|n| n.len() == 2 && n["#n0"] == "status" && n["#n1"] == "data")
                && values.is_some_and(|v| {
                    v.len() == 2
                        && v[":v0"] == SdkValue::S(hostile.to_owned())
                        && v[":v1"] == SdkValue::S("open".to_owned())
                })
                && req.return_values() == Some(&ReturnValue::AllNew)
                && req.return_consumed_capacity() == Some(&ReturnConsumedCapacity::Total)
        })
        .then_output(|| {
            UpdateItemOutput::builder()
                .consumed_capacity(ConsumedCapacity::builder().capacity_units(1.0).build())
                .build()
        });
    let backend = mocked(&update);
    let output = backend
        .update_item(
            UpdateItem::new(
                "notes",
                key(),
                Update::new()
                    .and(UpdateAction::Set(
                        Path::attribute("status"),
                        SetValue::Value(Operand::Value(AttributeValue::S(hostile.to_owned()))),
                    ))
                    .and(UpdateAction::Remove(Path::attribute("data"))),
            )
            .condition(Condition::Compare(
                Operand::Path(Path::attribute("status")),
                Comparator::Eq,
                Operand::Value(AttributeValue::S("open".to_owned())),
            ))
            .return_values(ReturnValues::AllNew),
        )
        .await
        .expect("update");
    assert_eq!(update.num_calls(), 1);
    assert_eq!(output.consumed_capacity, Some(1.0));
}

#[tokio::test]
async fn time_to_live_request_names_table_attribute_and_flag() {
    use aws_sdk_dynamodb::operation::update_time_to_live::UpdateTimeToLiveOutput;

    let enable = mock!(Client::update_time_to_live)
        .match_requests(|req| {
            req.table_name() == Some("sessions")
                && req
                    .time_to_live_specification()
                    .is_some_and(|s| s.attribute_name() == "expiresAt" && s.enabled())
        })
        .then_output(|| UpdateTimeToLiveOutput::builder().build());
    let backend = mocked(&enable);
    backend
        .update_time_to_live(UpdateTimeToLive::new("sessions", "expiresAt", true))
        .await
        .expect("time to live enabled");
    assert_eq!(enable.num_calls(), 1);
}

#[tokio::test]
async fn time_to_live_on_a_missing_table_is_table_not_found() {
    use aws_sdk_dynamodb::operation::update_time_to_live::UpdateTimeToLiveError;
    use aws_sdk_dynamodb::types::error::ResourceNotFoundException;

    let missing = mock!(Client::update_time_to_live).then_error(|| {
        UpdateTimeToLiveError::ResourceNotFoundException(
            ResourceNotFoundException::builder()
                .message("Requested resource not found")
                .build(),
        )
    });
    let backend = mocked(&missing);
    let err = backend
        .update_time_to_live(UpdateTimeToLive::new("sessions", "expiresAt", false))
        .await
        .expect_err("table is missing");
    assert!(
        matches!(&err, Error::TableNotFound { table, source: Some(_) } if table == "sessions"),
        "{err:?}"
    );
}

#[tokio::test]
async fn create_table_defines_each_key_attribute_once_and_provisions_global_indexes() {
    use std::borrow::Cow;

    use aws_sdk_dynamodb::operation::create_table::CreateTableOutput;
    use aws_sdk_dynamodb::types::{self as sdk, ProjectionType};
    use notes_model::{
        IndexKind, IndexProjection, IndexSchema, KeyAttribute, KeySchema, ScalarType,
    };

    use notes_core::request::{BillingMode, CreateTable};

    let schema = |pk: &'static str, sk: Option<(&'static str, ScalarType)>| KeySchema {
        partition_key: KeyAttribute::new(pk, ScalarType::S),
        sort_key: sk.map(|(name, t)| KeyAttribute::new(name, t)),
    };
    let create = mock!(Client::create_table)
        .match_requests(|req| {
            let mut defined: Vec<(&str, &str)> = req
                .attribute_definitions()
                .iter()
                .map(|d| (d.attribute_name(), d.attribute_type().as_str()))
                .collect();
            defined.sort();
            let gsis = req.global_secondary_indexes();
            let lsis = req.local_secondary_indexes();
            defined
                == [
                    ("createdAt", "N"),
                    ("noteId", "S"),
                    ("status", "S"),
                    ("userId", "S"),
                ]
                && gsis.len() == 1
                && gsis[0].index_name() == "byStatus"
                && gsis[0]
                    .provisioned_throughput()
                    .is_some_and(|t| t.read_capacity_units() == 5 && t.write_capacity_units() == 3)
                && gsis[0].projection().and_then(|p| p.projection_type())
                    == Some(&ProjectionType::Include)
                && gsis[0]
                    .projection()
                    .is_some_and(|p| p.non_key_attributes() == ["content"])
                && lsis.len() == 1
                && lsis[0].index_name() == "byCreatedAt"
                && lsis[0].projection().and_then(|p| p.projection_type())
                    == Some(&ProjectionType::KeysOnly)
                && req.billing_mode() == Some(&sdk::BillingMode::Provisioned)
        })
        .then_output(|| CreateTableOutput::builder().build());
    let backend = mocked(&create);
    let request = CreateTable::new("notes", schema("userId", Some(("noteId", ScalarType::S))))
        .billing_mode(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 3,
        })
        .indexes(vec![
            IndexSchema {
                name: Cow::Borrowed("byCreatedAt"),
                kind: IndexKind::Local,
                key_schema: schema("userId", Some(("createdAt", ScalarType::N))),
                projection: IndexProjection::KeysOnly,
                additional_keys: Default::default(),
            },
            IndexSchema {
                name: Cow::Borrowed("byStatus"),
                kind: IndexKind::Global,
                key_schema: schema("status", Some(("createdAt", ScalarType::N))),
                projection: IndexProjection::Include(vec![Cow::Borrowed("content")]),
                additional_keys: Default::default(),
            },
        ]);
    // The mock's answer has no description, which the backend reports as an error; the
    // request is what is checked here.
    let _ = backend.create_table(request).await;
    assert_eq!(create.num_calls(), 1);
}

/// The live notes table as DynamoDB describes it: provisioned `read`/`write`, with the global
/// index `byStatus` at `index`.
fn described_notes(
    read: i64,
    write: i64,
    index: (i64, i64),
) -> aws_sdk_dynamodb::types::TableDescription {
    use aws_sdk_dynamodb::types::{
        AttributeDefinition, BillingModeSummary, GlobalSecondaryIndexDescription, KeySchemaElement,
        KeyType, ProvisionedThroughputDescription, ScalarAttributeType, TableStatus,
    };
    let element = |name: &str, kind| {
        KeySchemaElement::builder()
            .attribute_name(name)
            .key_type(kind)
            .build()
            .expect("element")
    };
    let definition = |name: &str| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
            .expect("definition")
    };
    let units = |(read, write): (i64, i64)| {
        ProvisionedThroughputDescription::builder()
            .read_capacity_units(read)
            .write_capacity_units(write)
            .build()
    };
    aws_sdk_dynamodb::types::TableDescription::builder()
        .table_name("notes")
        .table_status(TableStatus::Updating)
        .key_schema(element("userId", KeyType::Hash))
        .key_schema(element("noteId", KeyType::Range))
        .attribute_definitions(definition("userId"))
        .attribute_definitions(definition("noteId"))
        .attribute_definitions(definition("status"))
        .billing_mode_summary(
            BillingModeSummary::builder()
                .billing_mode(aws_sdk_dynamodb::types::BillingMode::Provisioned)
                .build(),
        )
        .provisioned_throughput(units((read, write)))
        .global_secondary_indexes(
            GlobalSecondaryIndexDescription::builder()
                .index_name("byStatus")
                .key_schema(element("status", KeyType::Hash))
                .projection(
                    aws_sdk_dynamodb::types::Projection::builder()
                        .projection_type(aws_sdk_dynamodb::types::ProjectionType::All)
                        .build(),
                )
                .provisioned_throughput(units(index))
                .build(),
        )
        .build()
}

#[tokio::test]
async fn update_table_sends_billing_mode_units_and_index_updates() {
    use aws_sdk_dynamodb::operation::update_table::UpdateTableOutput;
    use aws_sdk_dynamodb::types::BillingMode as SdkBillingMode;

    let update = mock!(Client::update_table)
        .match_requests(|req| {
            let table = req
                .provisioned_throughput()
                .is_some_and(|t| t.read_capacity_units() == 10 && t.write_capacity_units() == 40);
            let index = match req.global_secondary_index_updates() {
                [only] => only.update().is_some_and(|u| {
                    u.index_name() == "byStatus"
                        && u.provisioned_throughput().is_some_and(|t| {
                            t.read_capacity_units() == 20 && t.write_capacity_units() == 3
                        })
                }),
                _ => false,
            };
            req.table_name() == Some("notes")
                && req.billing_mode() == Some(&SdkBillingMode::Provisioned)
                && table
                && index
        })
        .then_output(|| {
            UpdateTableOutput::builder()
                .table_description(described_notes(5, 5, (5, 5)))
                .build()
        });
    let backend = mocked(&update);
    let answer = backend
        .update_table(
            UpdateTable::new("notes")
                .billing_mode(BillingMode::Provisioned {
                    read_capacity_units: 10,
                    write_capacity_units: 40,
                })
                .index_throughput("byStatus", ProvisionedThroughput::new(20, 3)),
        )
        .await
        .expect("updated");
    assert_eq!(update.num_calls(), 1);
    assert_eq!(answer.status, TableStatus::Updating);
    assert_eq!(
        answer.provisioned_throughput(),
        Some(ProvisionedThroughput::new(5, 5))
    );
    assert_eq!(
        answer.index_throughput["byStatus"],
        ProvisionedThroughput::new(5, 5)
    );
}

#[tokio::test]
async fn update_table_to_on_demand_sends_no_units() {
    use aws_sdk_dynamodb::operation::update_table::UpdateTableOutput;
    use aws_sdk_dynamodb::types::BillingMode as SdkBillingMode;

    let update = mock!(Client::update_table)
        .match_requests(|req| {
            req.billing_mode() == Some(&SdkBillingMode::PayPerRequest)
                && req.provisioned_throughput().is_none()
                && req.global_secondary_index_updates().is_empty()
        })
        .then_output(|| {
            UpdateTableOutput::builder()
                .table_description(described_notes(5, 5, (5, 5)))
                .build()
        });
    let backend = mocked(&update);
    backend
        .update_table(UpdateTable::new("notes").billing_mode(BillingMode::PayPerRequest))
        .await
        .expect("updated");
    assert_eq!(update.num_calls(), 1);
}

#[tokio::test]
async fn update_table_limit_exceeded_is_limit_exceeded() {
    use aws_sdk_dynamodb::operation::update_table::UpdateTableError;
    use aws_sdk_dynamodb::types::error::LimitExceededException;

    const MESSAGE: &str = "Subscriber limit exceeded: Provisioned throughput decreases are \
        limited within a given UTC day.";
    let limited = mock!(Client::update_table).then_error(|| {
        UpdateTableError::LimitExceededException(
            LimitExceededException::builder()
                .message(MESSAGE)
                .meta(
                    aws_sdk_dynamodb::error::ErrorMetadata::builder()
                        .code("LimitExceededException")
                        .message(MESSAGE)
                        .build(),
                )
                .build(),
        )
    });
    let backend = mocked(&limited);
    let err = backend
        .update_table(
            UpdateTable::new("notes").billing_mode(BillingMode::Provisioned {
                read_capacity_units: 1,
                write_capacity_units: 1,
            }),
        )
        .await
        .expect_err("limited");
    assert!(
        matches!(
            &err,
            Error::LimitExceeded { table, message, source: Some(_) }
                if table == "notes" && message == MESSAGE
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn update_table_units_below_one_are_refused_before_sending() {
    let never = mock!(Client::update_table).then_output(|| {
        aws_sdk_dynamodb::operation::update_table::UpdateTableOutput::builder().build()
    });
    let backend = mocked(&never);
    let err = backend
        .update_table(
            UpdateTable::new("notes")
                .index_throughput("byStatus", ProvisionedThroughput::new(1, 0)),
        )
        .await
        .expect_err("invalid");
    assert!(
        matches!(&err, Error::Validation { source: None, .. }),
        "{err:?}"
    );
    assert_eq!(never.num_calls(), 0);
}

/// `UpdateTable`'s `StreamSpecification`: enabling sends `StreamEnabled: true` with the view
/// type and nothing else; disabling sends `StreamEnabled: false` without one.
#[tokio::test]
async fn update_table_sends_the_stream_specification() {
    use aws_sdk_dynamodb::operation::update_table::UpdateTableOutput;
    use aws_sdk_dynamodb::types::StreamViewType as SdkView;
    use notes_core::stream::{StreamSpecification, StreamViewType};

    let enable = mock!(Client::update_table)
        .match_requests(|req| {
            req.table_name() == Some("notes")
                && req.billing_mode().is_none()
                && req.provisioned_throughput().is_none()
                && req.global_secondary_index_updates().is_empty()
                && req.stream_specification().is_some_and(|s| {
                    s.stream_enabled() && s.stream_view_type() == Some(&SdkView::NewAndOldImages)
                })
        })
        .then_output(|| {
            UpdateTableOutput::builder()
                .table_description(described_notes(5, 5, (5, 5)))
                .build()
        });
    mocked(&enable)
        .update_table(
            UpdateTable::new("notes").stream_specification(StreamSpecification::Enabled(
                StreamViewType::NewAndOldImages,
            )),
        )
        .await
        .expect("enabled");
    assert_eq!(enable.num_calls(), 1);

    let disable = mock!(Client::update_table)
        .match_requests(|req| {
            req.stream_specification()
                .is_some_and(|s| !s.stream_enabled() && s.stream_view_type().is_none())
        })
        .then_output(|| {
            UpdateTableOutput::builder()
                .table_description(described_notes(5, 5, (5, 5)))
                .build()
        });
    mocked(&disable)
        .update_table(UpdateTable::new("notes").stream_specification(StreamSpecification::Disabled))
        .await
        .expect("disabled");
    assert_eq!(disable.num_calls(), 1);
}

/// DynamoDB refuses a second stream with a `ValidationException` (dynoxide 3.2 enables it
/// again instead, so the answer is checked here): `Error::Validation` with its message.
#[tokio::test]
async fn enabling_a_second_stream_is_dynamodbs_validation_error() {
    use notes_core::stream::{StreamSpecification, StreamViewType};

    let refused = mock!(Client::update_table).then_http_response(|| {
        json_error(
            r#"{"__type":"com.amazon.coral.validate#ValidationException",
                "message":"Table already has an enabled stream: TableName: notes"}"#,
        )
    });
    let err = mocked(&refused)
        .update_table(
            UpdateTable::new("notes")
                .stream_specification(StreamSpecification::Enabled(StreamViewType::KeysOnly)),
        )
        .await
        .expect_err("refused");
    match err {
        Error::Validation { message, .. } => {
            assert_eq!(
                message,
                "Table already has an enabled stream: TableName: notes"
            );
        }
        other => panic!("unexpected {other:?}"),
    }
}

/// A `PutItem` answered first with `first`, then with a failed condition that carries the
/// stored item: whether the error says the write was retried.
async fn retried_after(status: u16, body: &'static str) -> Error {
    let failed = || {
        json_error(
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
                "message":"The conditional request failed",
                "Item":{"userId":{"S":"u1"}}}"#,
        )
    };
    let rule = mock!(Client::put_item)
        .sequence()
        .http_response(move || {
            HttpResponse::new(status.try_into().expect("status"), SdkBody::from(body))
        })
        .http_response(failed)
        .build();
    let client = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&rule]);
    let put = notes_core::request::PutItem::new("notes", key())
        .condition(notes_model::expr::Condition::NotExists(
            notes_model::expr::Path::attribute("userId"),
        ))
        .return_values_on_condition_check_failure(
            notes_core::request::ReturnValuesOnConditionCheckFailure::AllOld,
        );
    let err = DynamoDbBackend::new(client)
        .put_item(put)
        .await
        .expect_err("the condition fails");
    assert_eq!(rule.num_calls(), 2, "the SDK retried once");
    err
}

#[tokio::test]
async fn a_retry_after_a_500_is_marked_retried() {
    let err = retried_after(
        500,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"oops"}"#,
    )
    .await;
    assert!(
        matches!(
            err,
            Error::ConditionFailed {
                retried: true,
                item: Some(_),
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_retry_after_throttling_is_not_marked_retried() {
    for throttled in [
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}"#,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}"#,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#RequestLimitExceeded","message":"slow down"}"#,
    ] {
        let err = retried_after(400, throttled).await;
        assert!(
            matches!(
                err,
                Error::ConditionFailed {
                    retried: false,
                    item: Some(_),
                    ..
                }
            ),
            "{throttled}: {err:?}"
        );
    }
}

/// A transaction with the token of an earlier request.
fn tokened_check(token: &str) -> TransactWriteItems {
    let check = TransactWrite::ConditionCheck {
        table_name: "notes".to_owned(),
        key: key(),
        condition: notes_model::expr::Condition::Exists(notes_model::expr::Path::attribute(
            "userId",
        )),
    };
    let mut request = TransactWriteItems::new(vec![check]);
    request.client_request_token = Some(token.to_owned());
    request
}

/// Issue 24, defect 8: DynamoDB's `IdempotentParameterMismatchException` is the typed
/// [`Error::IdempotentParameterMismatch`] naming the token, as on `MemoryBackend`. On main
/// (dc45f5e) it was an untyped `Error::Backend`.
#[tokio::test]
async fn a_reused_token_is_idempotent_parameter_mismatch() {
    let reused = mock!(Client::transact_write_items)
        .match_requests(|req| req.client_request_token() == Some("order-42"))
        .then_http_response(|| {
            json_error(
                r#"{"__type":"com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException",
                    "Message":"The request uses the same client token as a previous, but non-identical request"}"#,
            )
        });
    let backend = mocked(&reused);
    let err = backend
        .transact_write_items(tokened_check("order-42"))
        .await
        .expect_err("a mismatch");
    let Error::IdempotentParameterMismatch {
        token,
        message,
        source,
    } = &err
    else {
        panic!("unexpected {err:?}");
    };
    assert_eq!(token, "order-42");
    assert_eq!(
        message,
        "The request uses the same client token as a previous, but non-identical request"
    );
    assert!(source.is_some());
    assert_eq!(reused.num_calls(), 1);
}

/// DynamoDB's `TransactionInProgressException` (the token's first request still running) is
/// the typed [`Error::TransactionInProgress`] naming the token. On main (dc45f5e) it was an
/// untyped `Error::Backend`.
#[tokio::test]
async fn a_token_still_in_progress_is_transaction_in_progress() {
    let busy = mock!(Client::transact_write_items).then_http_response(|| {
        json_error(
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionInProgressException",
                "Message":"The transaction with the given request token is already in progress."}"#,
        )
    });
    let backend = mocked(&busy);
    let err = backend
        .transact_write_items(tokened_check("order-43"))
        .await
        .expect_err("in progress");
    assert!(
        matches!(&err, Error::TransactionInProgress { token, source: Some(_), .. } if token == "order-43"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "transaction in progress for ClientRequestToken `order-43`: The transaction with the \
         given request token is already in progress."
    );
}

/// A put answered with `first`, then throttled until the SDK gives up.
async fn throttled_after(status: u16, first: &'static str) -> (Error, usize) {
    let throttled = || {
        json_error(
            r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}"#,
        )
    };
    let rule = mock!(Client::put_item)
        .sequence()
        .http_response(move || {
            HttpResponse::new(status.try_into().expect("status"), SdkBody::from(first))
        })
        .http_response(throttled)
        .repeatedly()
        .build();
    let client = mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&rule]);
    let err = DynamoDbBackend::new(client)
        .put_item(notes_core::request::PutItem::new("notes", key()))
        .await
        .expect_err("throttled to the end");
    (err, rule.num_calls())
}

/// Issue 24, defect 2 on the AWS backend: an attempt answered with a 500 may have been
/// applied; when the SDK's later attempts are all throttled, the answer is
/// `Throttled { retried: true }` (the write may have been applied), not a plain `Throttled`
/// that callers read as "nothing happened". On main (dc45f5e) `mark_retried` left
/// `Throttled` as it was. Throttled from the first attempt, it is `retried: false`.
#[tokio::test]
async fn throttling_after_a_500_is_marked_retried() {
    let (err, calls) = throttled_after(
        500,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"oops"}"#,
    )
    .await;
    assert!(calls >= 2, "the SDK retried: {calls} calls");
    assert!(
        matches!(err, Error::Throttled { retried: true, .. }),
        "{err:?}"
    );
    let (err, calls) = throttled_after(
        400,
        r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"slow down"}"#,
    )
    .await;
    assert!(calls >= 2, "the SDK retried: {calls} calls");
    assert!(
        matches!(
            err,
            Error::Throttled {
                retried: false,
                source: Some(_),
                reasons: _,
            }
        ),
        "{err:?}"
    );
}
