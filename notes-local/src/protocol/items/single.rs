//! `GetItem`, `PutItem`, `UpdateItem` and `DeleteItem`.
//!
//! `PutItem` and `UpdateItem` frame their refusals of values, expressions, parameter misuse
//! and `ReturnValues` as DynamoDB does there (`1 validation error detected: ...`); the other
//! operations answer the same refusals bare.

use std::collections::HashMap;

use notes_core::Backend;
use notes_core::request::{DeleteItem, GetItem, PutItem, ReturnValues, UpdateItem, WriteOutput};
use notes_model::ItemMap;
use notes_model::expr::Update;
use serde::Deserialize;
use serde_json::{Map, Value};

use super::capacity::{self, Axis, Units};
use super::expressions::Expressions;
use super::legacy::{self, AttributeUpdates, Expected};
use super::params::{self, Constraints, Parameters, PlaceholderMaps, ReturnCapacity, framed};
use super::values::{self, ValueError};
use super::{Response, describe, failed};
use crate::errors::ErrorAnswer;
use crate::protocol::json::shape;
use crate::protocol::{ItemAnswer, Service};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetItemInput {
    table_name: Option<String>,
    key: Option<Value>,
    consistent_read: Option<bool>,
    projection_expression: Option<String>,
    expression_attribute_names: Option<HashMap<String, String>>,
    attributes_to_get: Option<Vec<String>>,
    return_consumed_capacity: Option<String>,
}

/// `GetItem`: `{}` when no item has the key.
pub(super) async fn get_item(service: &Service, body: &Value) -> ItemAnswer {
    let input: GetItemInput = shape(body)?;
    let table = table_name(input.table_name.as_deref())?;
    let mut constraints = Constraints::new();
    constraints.required("key", input.key.as_ref());
    legacy::constrain_attributes_to_get(
        &mut constraints,
        "attributesToGet",
        input.attributes_to_get.as_ref(),
    );
    let mode = params::return_capacity(&mut constraints, input.return_consumed_capacity.as_deref());
    constraints.finish()?;
    Parameters {
        expressions: &[(
            "ProjectionExpression",
            input.projection_expression.is_some(),
        )],
        legacy: &[("AttributesToGet", input.attributes_to_get.is_some())],
        names: input.expression_attribute_names.is_some(),
        values: false,
    }
    .check(false)?;
    let key = key(input.key.as_ref())?;
    let maps = PlaceholderMaps::read(input.expression_attribute_names, None, false)?;
    let expressions = Expressions {
        projection: input.projection_expression.as_deref(),
        ..Expressions::default()
    };
    let parsed = expressions.parse(&maps, "GetItem", false)?;
    let projection = match (parsed.projection, &input.attributes_to_get) {
        (None, Some(names)) => Some(legacy::attributes_to_get(names)?),
        (projection, _) => projection,
    };
    let mut request =
        GetItem::new(table.clone(), key).consistent_read(input.consistent_read.unwrap_or(false));
    request.projection = projection;
    let output = service
        .engine()
        .get_item(request)
        .await
        .map_err(failed("GetItem"))?;
    Response::new()
        .with_item("Item", output.item.as_deref())
        .with(
            "ConsumedCapacity",
            capacity::consumed(
                mode,
                &table,
                Units::table(output.consumed_capacity),
                Axis::Plain,
            ),
        )
        .answer()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutItemInput {
    table_name: Option<String>,
    item: Option<Value>,
    condition_expression: Option<String>,
    expression_attribute_names: Option<HashMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
    return_values: Option<String>,
    return_values_on_condition_check_failure: Option<String>,
    return_consumed_capacity: Option<String>,
    return_item_collection_metrics: Option<String>,
    expected: Option<Expected>,
    conditional_operator: Option<String>,
}

/// `PutItem`.
pub(super) async fn put_item(service: &Service, body: &Value) -> ItemAnswer {
    let input: PutItemInput = shape(body)?;
    let table = table_name(input.table_name.as_deref())?;
    let mut constraints = Constraints::new();
    constraints.required("item", input.item.as_ref());
    let options = WriteOptions::read(
        &mut constraints,
        input.return_values.as_deref(),
        input.return_values_on_condition_check_failure.as_deref(),
        input.return_consumed_capacity.as_deref(),
        input.return_item_collection_metrics.as_deref(),
    );
    let or = expected_constraints(
        &mut constraints,
        input.expected.as_ref(),
        input.conditional_operator.as_deref(),
    );
    constraints.finish()?;
    let item = values::item(input.item.as_ref().unwrap_or(&Value::Null))
        .map_err(ValueError::answer_framed)?;
    Parameters {
        expressions: &[("ConditionExpression", input.condition_expression.is_some())],
        legacy: &[("Expected", input.expected.is_some())],
        names: input.expression_attribute_names.is_some(),
        values: input.expression_attribute_values.is_some(),
    }
    .check(true)?;
    let maps = PlaceholderMaps::read(
        input.expression_attribute_names,
        input.expression_attribute_values.as_ref(),
        true,
    )?;
    let expressions = Expressions {
        condition: input.condition_expression.as_deref(),
        ..Expressions::default()
    };
    let parsed = expressions.parse(&maps, "PutItem", true)?;
    params::only_all_old_or_none(options.return_values).map_err(framed)?;
    let condition = match (parsed.condition, &input.expected) {
        (None, Some(expected)) => legacy::expected(expected, or)?,
        (condition, _) => condition,
    };
    let mut request = PutItem::new(table.clone(), item.clone())
        .return_values(options.return_values)
        .return_values_on_condition_check_failure(options.on_failure);
    request.condition = condition;
    let output = service
        .engine()
        .put_item(request)
        .await
        .map_err(failed("PutItem"))?;
    options
        .respond(service, &table, &item, output, "PutItem")
        .await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateItemInput {
    table_name: Option<String>,
    key: Option<Value>,
    update_expression: Option<String>,
    condition_expression: Option<String>,
    expression_attribute_names: Option<HashMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
    return_values: Option<String>,
    return_values_on_condition_check_failure: Option<String>,
    return_consumed_capacity: Option<String>,
    return_item_collection_metrics: Option<String>,
    attribute_updates: Option<AttributeUpdates>,
    expected: Option<Expected>,
    conditional_operator: Option<String>,
}

/// `UpdateItem`: without an update, the item is created with its key alone (or left as it
/// is).
pub(super) async fn update_item(service: &Service, body: &Value) -> ItemAnswer {
    let input: UpdateItemInput = shape(body)?;
    let table = table_name(input.table_name.as_deref())?;
    let mut constraints = Constraints::new();
    constraints.required("key", input.key.as_ref());
    let options = WriteOptions::read(
        &mut constraints,
        input.return_values.as_deref(),
        input.return_values_on_condition_check_failure.as_deref(),
        input.return_consumed_capacity.as_deref(),
        input.return_item_collection_metrics.as_deref(),
    );
    if let Some(updates) = &input.attribute_updates {
        legacy::constrain_updates(&mut constraints, updates);
    }
    let or = expected_constraints(
        &mut constraints,
        input.expected.as_ref(),
        input.conditional_operator.as_deref(),
    );
    constraints.finish()?;
    Parameters {
        expressions: &[
            ("UpdateExpression", input.update_expression.is_some()),
            ("ConditionExpression", input.condition_expression.is_some()),
        ],
        legacy: &[
            ("AttributeUpdates", input.attribute_updates.is_some()),
            ("Expected", input.expected.is_some()),
        ],
        names: input.expression_attribute_names.is_some(),
        values: input.expression_attribute_values.is_some(),
    }
    .check(true)?;
    let key = values::item(input.key.as_ref().unwrap_or(&Value::Null))
        .map_err(ValueError::answer_framed)?;
    let maps = PlaceholderMaps::read(
        input.expression_attribute_names,
        input.expression_attribute_values.as_ref(),
        true,
    )?;
    let expressions = Expressions {
        update: input.update_expression.as_deref(),
        condition: input.condition_expression.as_deref(),
        ..Expressions::default()
    };
    let parsed = expressions.parse(&maps, "UpdateItem", true)?;
    let update = match (parsed.update, &input.attribute_updates) {
        (Some(update), _) => update,
        (None, Some(updates)) => legacy::updates(updates)?,
        (None, None) => Update::new(),
    };
    let condition = match (parsed.condition, &input.expected) {
        (None, Some(expected)) => legacy::expected(expected, or)?,
        (condition, _) => condition,
    };
    let mut request = UpdateItem::new(table.clone(), key.clone(), update)
        .return_values(options.return_values)
        .return_values_on_condition_check_failure(options.on_failure);
    request.condition = condition;
    let output = service
        .engine()
        .update_item(request)
        .await
        .map_err(failed("UpdateItem"))?;
    options
        .respond(service, &table, &key, output, "UpdateItem")
        .await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteItemInput {
    table_name: Option<String>,
    key: Option<Value>,
    condition_expression: Option<String>,
    expression_attribute_names: Option<HashMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
    return_values: Option<String>,
    return_values_on_condition_check_failure: Option<String>,
    return_consumed_capacity: Option<String>,
    return_item_collection_metrics: Option<String>,
    expected: Option<Expected>,
    conditional_operator: Option<String>,
}

/// `DeleteItem`.
pub(super) async fn delete_item(service: &Service, body: &Value) -> ItemAnswer {
    let input: DeleteItemInput = shape(body)?;
    let table = table_name(input.table_name.as_deref())?;
    let mut constraints = Constraints::new();
    constraints.required("key", input.key.as_ref());
    let options = WriteOptions::read(
        &mut constraints,
        input.return_values.as_deref(),
        input.return_values_on_condition_check_failure.as_deref(),
        input.return_consumed_capacity.as_deref(),
        input.return_item_collection_metrics.as_deref(),
    );
    let or = expected_constraints(
        &mut constraints,
        input.expected.as_ref(),
        input.conditional_operator.as_deref(),
    );
    constraints.finish()?;
    Parameters {
        expressions: &[("ConditionExpression", input.condition_expression.is_some())],
        legacy: &[("Expected", input.expected.is_some())],
        names: input.expression_attribute_names.is_some(),
        values: input.expression_attribute_values.is_some(),
    }
    .check(false)?;
    let key = key(input.key.as_ref())?;
    let maps = PlaceholderMaps::read(
        input.expression_attribute_names,
        input.expression_attribute_values.as_ref(),
        false,
    )?;
    let expressions = Expressions {
        condition: input.condition_expression.as_deref(),
        ..Expressions::default()
    };
    let parsed = expressions.parse(&maps, "DeleteItem", false)?;
    params::only_all_old_or_none(options.return_values)?;
    let condition = match (parsed.condition, &input.expected) {
        (None, Some(expected)) => legacy::expected(expected, or)?,
        (condition, _) => condition,
    };
    let mut request = DeleteItem::new(table.clone(), key.clone())
        .return_values(options.return_values)
        .return_values_on_condition_check_failure(options.on_failure);
    request.condition = condition;
    let output = service
        .engine()
        .delete_item(request)
        .await
        .map_err(failed("DeleteItem"))?;
    options
        .respond(service, &table, &key, output, "DeleteItem")
        .await
}

/// The table name of a single-item operation, refused alone when it breaks the API's
/// constraints (DynamoDB reports nothing else then).
pub(super) fn table_name(name: Option<&str>) -> Result<String, ErrorAnswer> {
    let mut constraints = Constraints::new();
    constraints.table_name("tableName", name);
    constraints.finish()?;
    Ok(name.unwrap_or_default().to_owned())
}

/// A `Key` member (present: the constraints said so).
fn key(key: Option<&Value>) -> Result<ItemMap, ErrorAnswer> {
    values::item(key.unwrap_or(&Value::Null)).map_err(ValueError::answer)
}

/// Checks `Expected` and `ConditionalOperator`; whether the expectations are joined by `OR`.
fn expected_constraints(
    constraints: &mut Constraints,
    expected: Option<&Expected>,
    conditional_operator: Option<&str>,
) -> bool {
    if let Some(expected) = expected {
        legacy::constrain_expected(constraints, expected);
    }
    legacy::conditional_operator(constraints, conditional_operator)
}

/// What a write was asked to return.
#[derive(Debug, Clone, Copy)]
struct WriteOptions {
    return_values: ReturnValues,
    on_failure: notes_core::request::ReturnValuesOnConditionCheckFailure,
    capacity: ReturnCapacity,
    metrics: bool,
}

impl WriteOptions {
    fn read(
        constraints: &mut Constraints,
        return_values: Option<&str>,
        on_failure: Option<&str>,
        capacity: Option<&str>,
        metrics: Option<&str>,
    ) -> Self {
        WriteOptions {
            capacity: params::return_capacity(constraints, capacity),
            metrics: params::return_metrics(constraints, metrics),
            return_values: params::return_values(constraints, return_values),
            on_failure: params::return_values_on_failure(
                constraints,
                "returnValuesOnConditionCheckFailure",
                on_failure,
            ),
        }
    }

    /// The write's response: `Attributes`, `ConsumedCapacity`, `ItemCollectionMetrics`.
    async fn respond(
        self,
        service: &Service,
        table: &str,
        key: &ItemMap,
        output: WriteOutput,
        operation: &'static str,
    ) -> ItemAnswer {
        let metrics = if self.metrics {
            let description = describe(service, table, operation).await?;
            let partition = &description.key_schema.partition_key.name;
            key.get(partition.as_ref())
                .filter(|_| capacity::has_item_collections(&description))
                .map(|value| capacity::item_collection_metrics(partition, value))
        } else {
            None
        };
        Response::new()
            .with(
                "Attributes",
                output.attributes.as_ref().map(values::to_json),
            )
            .with(
                "ConsumedCapacity",
                capacity::consumed(
                    self.capacity,
                    table,
                    Units::table(output.consumed_capacity),
                    Axis::Plain,
                ),
            )
            .with("ItemCollectionMetrics", metrics)
            .answer()
    }
}

#[cfg(test)]
mod tests;
