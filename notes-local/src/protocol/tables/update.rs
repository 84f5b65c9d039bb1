//! `UpdateTable`: billing mode, provisioned throughput, on-demand maximums and warm
//! throughput of the table and of its global indexes, the stream, and the settings the
//! service keeps (`DeletionProtectionEnabled`, `TableClass`, `SSESpecification`). DynamoDB's
//! limits (decreases a day, switches to on demand) and rules on maximums and warm throughput
//! are the engine's.
//!
//! Not supported: creating or deleting a global index (`GlobalSecondaryIndexUpdates` with
//! `Create` or `Delete`: the engine builds indexes with the table only) and replicas
//! (`ReplicaUpdates`); both answer a `ValidationException` that says so.

use notes_core::Backend;
use notes_core::request::{BillingMode, DescribeTable, UpdateTable};
use serde::Deserialize;
use serde_json::{Value, json};

use super::describe::table_description;
use super::schema::{
    INVALID, StreamShape, Throughput, check_index_name, check_stream, check_throughput,
    stream_specification,
};
use super::throughput::{OnDemandShape, WarmShape};
use super::{engine_error, table_name};
use crate::errors::ErrorAnswer;
use crate::protocol::constraints::Violations;
use crate::protocol::declared::{SseShape, check_table_class};
use crate::protocol::json::shape;
use crate::protocol::{Answer, Service};

/// `UpdateTable`'s request.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Request {
    table_name: Option<String>,
    billing_mode: Option<String>,
    provisioned_throughput: Option<Throughput>,
    global_secondary_index_updates: Option<Vec<IndexUpdate>>,
    stream_specification: Option<StreamShape>,
    #[serde(rename = "SSESpecification")]
    sse_specification: Option<SseShape>,
    replica_updates: Option<Vec<Value>>,
    table_class: Option<String>,
    deletion_protection_enabled: Option<bool>,
    on_demand_throughput: Option<OnDemandShape>,
    warm_throughput: Option<WarmShape>,
}

/// A `GlobalSecondaryIndexUpdate`: one of `Update`, `Create`, `Delete`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct IndexUpdate {
    update: Option<ThroughputUpdate>,
    create: Option<Value>,
    delete: Option<Value>,
}

/// An `UpdateGlobalSecondaryIndexAction`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ThroughputUpdate {
    index_name: Option<String>,
    provisioned_throughput: Option<Throughput>,
    on_demand_throughput: Option<OnDemandShape>,
    warm_throughput: Option<WarmShape>,
}

/// `UpdateTable`: `{"TableDescription": ...}`.
pub(super) async fn update_table(service: &Service, body: &Value) -> Answer {
    let request: Request = shape(body)?;
    let name = check(&request)?;
    let engine = service.engine();
    let invalid = |message: &str| ErrorAnswer::validation(format!("{INVALID}{message}"));

    let current = engine
        .describe_table(DescribeTable::new(&name))
        .await
        .map_err(|err| engine_error(&err, "UpdateTable"))?;

    // What the engine changes.
    let mut update = UpdateTable::new(&name);
    let updates = request
        .global_secondary_index_updates
        .as_deref()
        .unwrap_or_default();
    for index in updates {
        if index.create.is_some() || index.delete.is_some() {
            return Err(ErrorAnswer::validation(
                "GlobalSecondaryIndexUpdates Create and Delete are not supported by this \
                 server: global secondary indexes are created with the table",
            ));
        }
        let Some(ThroughputUpdate {
            index_name: Some(index),
            provisioned_throughput,
            on_demand_throughput,
            warm_throughput,
        }) = &index.update
        else {
            continue;
        };
        if let Some(units) = provisioned_throughput {
            units.check_bounds()?;
            if let Some(units) = units.units() {
                update = update.index_throughput(index.as_str(), units);
            }
        }
        if let Some(max) = on_demand_throughput {
            update = update.index_on_demand_throughput(index.as_str(), max.maximums());
        }
        if let Some(warm) = warm_throughput {
            update = update.index_warm_throughput(index.as_str(), warm.warm());
        }
    }
    update.on_demand_throughput = request.on_demand_throughput.map(OnDemandShape::maximums);
    update.warm_throughput = request.warm_throughput.map(WarmShape::warm);
    if request.replica_updates.is_some() {
        return Err(ErrorAnswer::validation(
            "ReplicaUpdates are not supported by this server: it has no global tables",
        ));
    }
    let mode = request
        .billing_mode
        .as_deref()
        .or(match current.billing_mode {
            Some(BillingMode::Provisioned { .. }) => Some("PROVISIONED"),
            _ => Some("PAY_PER_REQUEST"),
        });
    update.billing_mode = match (mode, request.provisioned_throughput) {
        (Some("PAY_PER_REQUEST"), Some(_)) => {
            return Err(invalid(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when \
                 BillingMode is PAY_PER_REQUEST",
            ));
        }
        (_, Some(throughput)) => throughput.units().map(|units| BillingMode::Provisioned {
            read_capacity_units: units.read_capacity_units,
            write_capacity_units: units.write_capacity_units,
        }),
        (_, None) if request.billing_mode.as_deref() == Some("PAY_PER_REQUEST") => {
            Some(BillingMode::PayPerRequest)
        }
        (_, None) => None,
    };
    update.stream_specification = request
        .stream_specification
        .as_ref()
        .map(|stream| stream_specification(stream, false))
        .transpose()?;

    // The settings the service keeps.
    let facts = engine
        .table_facts(&name)
        .map_err(|err| engine_error(&err, "UpdateTable"))?;
    let mut settings = service.tables.get(&name, facts.created_at).settings;
    if let Some(protect) = request.deletion_protection_enabled {
        settings.deletion_protection = protect;
    }
    if let Some(class) = &request.table_class {
        settings.table_class = Some(class.clone());
    }
    if let Some(sse) = &request.sse_specification {
        settings.sse = sse.sse();
    }

    let changes_engine = update.billing_mode.is_some()
        || !update.index_throughput.is_empty()
        || update.stream_specification.is_some()
        || update.on_demand_throughput.is_some()
        || update.warm_throughput.is_some()
        || !update.index_on_demand_throughput.is_empty()
        || !update.index_warm_throughput.is_empty();
    let table = if changes_engine {
        engine
            .update_table(update)
            .await
            .map_err(|err| engine_error(&err, "UpdateTable"))?
    } else {
        current
    };
    service
        .tables
        .change(&name, facts.created_at, "UpdateTable", |entry| {
            entry.settings = settings;
            Ok(())
        })?;
    Ok(json!({ "TableDescription": table_description(service, &table)? }))
}

/// The request's constraints, then what DynamoDB checks without the table.
fn check(request: &Request) -> Result<String, ErrorAnswer> {
    let mut violations = Violations::default();
    let name = table_name(request.table_name.as_ref(), &mut violations)?.to_owned();
    if let Some(mode) = &request.billing_mode {
        violations.one_of(mode, "billingMode", &["PROVISIONED", "PAY_PER_REQUEST"]);
    }
    let throughput = request.provisioned_throughput.as_ref();
    check_throughput(throughput, "provisionedThroughput", &mut violations);
    let updates = request.global_secondary_index_updates.as_deref();
    for (n, index) in updates.unwrap_or_default().iter().enumerate() {
        let Some(update) = &index.update else {
            continue;
        };
        let at = format!("globalSecondaryIndexUpdates.{}.member.update", n + 1);
        check_index_name(
            update.index_name.as_ref(),
            &format!("{at}.indexName"),
            &mut violations,
        );
        // An index update changes its provisioned throughput, its maximums or its warm
        // throughput: without any, the provisioned throughput is what is missing.
        let units = if update.on_demand_throughput.is_some() || update.warm_throughput.is_some() {
            update.provisioned_throughput.as_ref()
        } else {
            violations.present(
                update.provisioned_throughput.as_ref(),
                &format!("{at}.provisionedThroughput"),
            )
        };
        check_throughput(
            units,
            &format!("{at}.provisionedThroughput"),
            &mut violations,
        );
        if let Some(warm) = update.warm_throughput {
            warm.check(&format!("{at}.warmThroughput"), &mut violations);
        }
    }
    if let Some(warm) = request.warm_throughput {
        warm.check("warmThroughput", &mut violations);
    }
    check_stream(
        request.stream_specification.as_ref(),
        "streamSpecification",
        &mut violations,
    );
    if let Some(sse) = &request.sse_specification {
        sse.check("sSESpecification", &mut violations);
    }
    check_table_class(request.table_class.as_ref(), &mut violations);
    violations.finish()?;

    let settings = request.deletion_protection_enabled.is_some()
        || request.table_class.is_some()
        || request.sse_specification.is_some()
        || request.on_demand_throughput.is_some()
        || request.warm_throughput.is_some();
    if request.provisioned_throughput.is_none()
        && request.billing_mode.is_none()
        && request.stream_specification.is_none()
        && updates.is_none_or(<[IndexUpdate]>::is_empty)
        && request.replica_updates.is_none()
        && !settings
    {
        return Err(ErrorAnswer::validation(
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, \
             GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required",
        ));
    }
    if request.billing_mode.as_deref() == Some("PROVISIONED")
        && request.provisioned_throughput.is_none()
    {
        return Err(ErrorAnswer::validation(format!(
            "{INVALID}ProvisionedThroughput must be specified when BillingMode is PROVISIONED"
        )));
    }
    if let Some(throughput) = request.provisioned_throughput {
        throughput.check_bounds()?;
    }
    let mut names = Vec::new();
    for index in updates.unwrap_or_default() {
        let name = match (&index.update, &index.create, &index.delete) {
            (Some(update), _, _) => update.index_name.clone(),
            (None, Some(create), _) => create["IndexName"].as_str().map(str::to_owned),
            (None, None, Some(delete)) => delete["IndexName"].as_str().map(str::to_owned),
            (None, None, None) => {
                return Err(ErrorAnswer::validation(format!(
                    "{INVALID}One of GlobalSecondaryIndexUpdate.Update, \
                     GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete \
                     must not be null"
                )));
            }
        };
        if names.contains(&name) {
            return Err(ErrorAnswer::validation(format!(
                "{INVALID}Only one global secondary index update per index is allowed \
                 simultaneously. Index: {}",
                name.unwrap_or_default()
            )));
        }
        names.push(name);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::protocol::tables::test_support::{call, create_table, error, service};

    fn provisioned(name: &str) -> serde_json::Value {
        json!({
            "TableName": name,
            "AttributeDefinitions": [{ "AttributeName": "pk", "AttributeType": "S" }],
            "KeySchema": [{ "AttributeName": "pk", "KeyType": "HASH" }],
            "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 },
        })
    }

    #[tokio::test]
    async fn throughput_changes_and_the_answer_shows_the_units_being_replaced() {
        let service = service();
        call(&service, "CreateTable", provisioned("notes")).await;
        let update = json!({
            "TableName": "notes",
            "ProvisionedThroughput": { "ReadCapacityUnits": 20, "WriteCapacityUnits": 15 },
        });
        let answer = call(&service, "UpdateTable", update).await;
        let table = &answer["TableDescription"];
        assert_eq!(table["TableStatus"], "UPDATING");
        assert_eq!(table["ProvisionedThroughput"]["ReadCapacityUnits"], 5);
        let described = call(&service, "DescribeTable", json!({ "TableName": "notes" })).await;
        assert_eq!(
            described["Table"]["ProvisionedThroughput"],
            json!({ "ReadCapacityUnits": 20, "WriteCapacityUnits": 15, "NumberOfDecreasesToday": 0 })
        );
    }

    #[tokio::test]
    async fn billing_mode_switches_both_ways() {
        let service = service();
        call(&service, "CreateTable", provisioned("notes")).await;
        let to_on_demand = json!({ "TableName": "notes", "BillingMode": "PAY_PER_REQUEST" });
        call(&service, "UpdateTable", to_on_demand.clone()).await;
        // On demand to on demand: accepted, nothing changes.
        call(&service, "UpdateTable", to_on_demand).await;
        let table = call(&service, "DescribeTable", json!({ "TableName": "notes" })).await;
        assert_eq!(
            table["Table"]["BillingModeSummary"]["BillingMode"],
            "PAY_PER_REQUEST"
        );
        assert_eq!(
            table["Table"]["ProvisionedThroughput"],
            json!({ "ReadCapacityUnits": 0, "WriteCapacityUnits": 0, "NumberOfDecreasesToday": 0 })
        );
        let with_units = json!({
            "TableName": "notes",
            "ProvisionedThroughput": { "ReadCapacityUnits": 1, "WriteCapacityUnits": 1 },
        });
        let refused = error(&service, "UpdateTable", with_units).await;
        assert_eq!(
            refused.message,
            "One or more parameter values were invalid: Neither ReadCapacityUnits nor \
             WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"
        );
        let to_provisioned = json!({
            "TableName": "notes",
            "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 },
        });
        call(&service, "UpdateTable", to_provisioned).await;
        let table = call(&service, "DescribeTable", json!({ "TableName": "notes" })).await;
        assert_eq!(
            table["Table"]["ProvisionedThroughput"]["ReadCapacityUnits"],
            5
        );
    }

    #[tokio::test]
    async fn the_same_units_again_are_refused() {
        let service = service();
        call(&service, "CreateTable", provisioned("notes")).await;
        let same = json!({
            "TableName": "notes",
            "BillingMode": "PROVISIONED",
            "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 },
        });
        let refused = error(&service, "UpdateTable", same).await;
        assert!(
            refused
                .message
                .starts_with("The provisioned throughput for the table will not change."),
            "{}",
            refused.message
        );
    }

    #[tokio::test]
    async fn an_update_must_change_something_on_a_table_that_exists() {
        let service = service();
        let nothing = error(&service, "UpdateTable", json!({ "TableName": "notes" })).await;
        assert_eq!(
            nothing.message,
            "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, \
             GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required"
        );
        let units = json!({ "ReadCapacityUnits": 10, "WriteCapacityUnits": 10 });
        let missing = error(
            &service,
            "UpdateTable",
            json!({ "TableName": "notes", "ProvisionedThroughput": units }),
        )
        .await;
        assert_eq!(
            (missing.name, missing.message.as_str()),
            (
                "ResourceNotFoundException",
                "Requested resource not found: Table: notes not found"
            )
        );
        let zero = json!({ "ReadCapacityUnits": 0, "WriteCapacityUnits": 5 });
        let invalid = error(
            &service,
            "UpdateTable",
            json!({ "TableName": "notes", "ProvisionedThroughput": zero }),
        )
        .await;
        assert_eq!(
            invalid.message,
            "1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' \
             failed to satisfy constraint: Member must have value greater than or equal to 1"
        );
    }

    #[tokio::test]
    async fn a_stream_is_enabled_then_disabled_and_stays_described_for_a_day() {
        let service = service();
        create_table(&service, "notes", None).await;
        let enable = json!({
            "TableName": "notes",
            "StreamSpecification": { "StreamEnabled": true, "StreamViewType": "KEYS_ONLY" },
        });
        let enabled = call(&service, "UpdateTable", enable.clone()).await;
        assert_eq!(
            enabled["TableDescription"]["StreamSpecification"],
            json!({ "StreamEnabled": true, "StreamViewType": "KEYS_ONLY" })
        );
        let twice = error(&service, "UpdateTable", enable).await;
        assert_eq!(
            twice.message,
            "Table already has an enabled stream: TableName: notes"
        );
        let disable =
            json!({ "TableName": "notes", "StreamSpecification": { "StreamEnabled": false } });
        let disabled = call(&service, "UpdateTable", disable).await;
        let table = &disabled["TableDescription"];
        assert_eq!(table.get("StreamSpecification"), None);
        assert!(table["LatestStreamArn"].is_string());
    }

    #[tokio::test]
    async fn creating_an_index_is_refused_as_unsupported() {
        let service = service();
        create_table(&service, "notes", None).await;
        let create = json!({
            "TableName": "notes",
            "GlobalSecondaryIndexUpdates": [{ "Create": { "IndexName": "byStatus" } }],
        });
        let refused = error(&service, "UpdateTable", create).await;
        assert_eq!(
            (refused.name, refused.message.as_str()),
            (
                "ValidationException",
                "GlobalSecondaryIndexUpdates Create and Delete are not supported by this \
                 server: global secondary indexes are created with the table"
            )
        );
    }
}
