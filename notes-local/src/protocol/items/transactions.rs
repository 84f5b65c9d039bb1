//! `TransactGetItems` and `TransactWriteItems`: many items, all or nothing.
//!
//! Each action carries its own placeholders, checked on their own; a cancelled transaction
//! answers `TransactionCanceledException` with one reason per action, in request order.

use std::collections::{BTreeMap, HashMap};

use notes_core::Backend;
use notes_core::request::{
    TransactGet, TransactGetItems, TransactWrite, TransactWriteItems, WriteRequest,
};
use notes_model::ItemMap;
use notes_model::expr::Update;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::capacity::{self, Axis};
use super::expressions::Expressions;
use super::params::{self, Constraints, Parameters, PlaceholderMaps};
use super::values::{self, ValueError};
use super::{Response, describe};
use crate::errors::ErrorAnswer;
use crate::protocol::json::shape;
use crate::protocol::{ItemAnswer, Service};

/// The most actions one transaction holds.
const MAX_ACTIONS: usize = 100;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TransactGetItemsInput {
    transact_items: Option<Vec<GetActionInput>>,
    return_consumed_capacity: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetActionInput {
    get: Option<GetInput>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GetInput {
    table_name: Option<String>,
    key: Option<Value>,
    projection_expression: Option<String>,
    expression_attribute_names: Option<HashMap<String, String>>,
}

/// `TransactGetItems`: `Responses` holds one entry per read, `{}` where no item has the key.
pub(super) async fn transact_get_items(service: &Service, body: &Value) -> ItemAnswer {
    let input: TransactGetItemsInput = shape(body)?;
    let mut constraints = Constraints::new();
    let actions = count(&mut constraints, input.transact_items.as_deref(), body);
    for (at, action) in actions.iter().enumerate() {
        let member = format!("transactItems.{}.member.get", at + 1);
        match &action.get {
            None => constraints.required::<()>(&member, None),
            Some(get) => {
                constraints.table_name(&format!("{member}.tableName"), get.table_name.as_deref());
                constraints.required(&format!("{member}.key"), get.key.as_ref());
            }
        }
    }
    let mode = params::return_capacity(&mut constraints, input.return_consumed_capacity.as_deref());
    constraints.finish()?;
    let mut reads = Vec::with_capacity(actions.len());
    for get in actions.iter().filter_map(|action| action.get.as_ref()) {
        Parameters {
            expressions: &[("ProjectionExpression", get.projection_expression.is_some())],
            legacy: &[],
            names: get.expression_attribute_names.is_some(),
            values: false,
        }
        .check(false)?;
        let maps = PlaceholderMaps::read(get.expression_attribute_names.clone(), None, false)?;
        let expressions = Expressions {
            projection: get.projection_expression.as_deref(),
            ..Expressions::default()
        };
        let parsed = expressions.parse(&maps, "TransactGetItems", false)?;
        let mut read = TransactGet::new(
            get.table_name.clone().unwrap_or_default(),
            item(get.key.as_ref())?,
        );
        read.projection = parsed.projection;
        reads.push(read);
    }
    let targets = reads
        .iter()
        .map(|read| (read.table_name.as_str(), &read.key));
    once_per_item(service, targets, "TransactGetItems").await?;
    let tables = per_table(reads.iter().map(|read| read.table_name.as_str()));
    let output = service
        .engine()
        .transact_get_items(TransactGetItems::new(reads))
        .await
        .map_err(|err| ErrorAnswer::of(&err, "TransactGetItems", actions.len()))?;
    let responses = output
        .items
        .iter()
        .map(|item| match item {
            Some(item) => json!({"Item": values::to_json(item)}),
            None => json!({}),
        })
        .collect();
    Response::new()
        .with("Responses", Some(Value::Array(responses)))
        .with(
            "ConsumedCapacity",
            capacity::consumed_list(
                mode,
                &capacity::shared(output.consumed_capacity, &tables),
                Axis::Read,
            ),
        )
        .answer()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TransactWriteItemsInput {
    transact_items: Option<Vec<WriteActionInput>>,
    return_consumed_capacity: Option<String>,
    return_item_collection_metrics: Option<String>,
    client_request_token: Option<String>,
}

/// One action: exactly one of its members.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WriteActionInput {
    condition_check: Option<ActionInput>,
    put: Option<ActionInput>,
    delete: Option<ActionInput>,
    update: Option<ActionInput>,
}

/// The members of every kind of action (each kind reads its own).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ActionInput {
    table_name: Option<String>,
    key: Option<Value>,
    item: Option<Value>,
    update_expression: Option<String>,
    condition_expression: Option<String>,
    expression_attribute_names: Option<HashMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
    return_values_on_condition_check_failure: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ConditionCheck,
    Put,
    Delete,
    Update,
}

impl WriteActionInput {
    /// The action's kind and members, when it holds exactly one.
    fn single(&self) -> Option<(Kind, &ActionInput)> {
        let all = [
            (Kind::ConditionCheck, &self.condition_check),
            (Kind::Put, &self.put),
            (Kind::Delete, &self.delete),
            (Kind::Update, &self.update),
        ];
        let mut present = all
            .into_iter()
            .filter_map(|(kind, action)| action.as_ref().map(|action| (kind, action)));
        match (present.next(), present.next()) {
            (Some(single), None) => Some(single),
            _ => None,
        }
    }
}

/// `TransactWriteItems`, idempotent for its `ClientRequestToken`.
pub(super) async fn transact_write_items(service: &Service, body: &Value) -> ItemAnswer {
    let input: TransactWriteItemsInput = shape(body)?;
    let mut constraints = Constraints::new();
    let actions = count(&mut constraints, input.transact_items.as_deref(), body);
    for (at, action) in actions.iter().enumerate() {
        let Some((kind, members)) = action.single() else {
            continue;
        };
        let name = match kind {
            Kind::ConditionCheck => "conditionCheck",
            Kind::Put => "put",
            Kind::Delete => "delete",
            Kind::Update => "update",
        };
        let member = format!("transactItems.{}.member.{name}", at + 1);
        constraints.table_name(
            &format!("{member}.tableName"),
            members.table_name.as_deref(),
        );
        match kind {
            Kind::Put => constraints.required(&format!("{member}.item"), members.item.as_ref()),
            _ => constraints.required(&format!("{member}.key"), members.key.as_ref()),
        }
        if matches!(kind, Kind::ConditionCheck) {
            constraints.required(
                &format!("{member}.conditionExpression"),
                members.condition_expression.as_ref(),
            );
        }
        if matches!(kind, Kind::Update) {
            constraints.required(
                &format!("{member}.updateExpression"),
                members.update_expression.as_ref(),
            );
        }
        // Taken as DynamoDB takes it; the engine's reasons do not carry the item.
        params::return_values_on_failure(
            &mut constraints,
            &format!("{member}.returnValuesOnConditionCheckFailure"),
            members.return_values_on_condition_check_failure.as_deref(),
        );
    }
    if let Some(token) = &input.client_request_token {
        let length = token.chars().count();
        if length == 0 || length > 36 {
            let rule = if length == 0 {
                "Member must have length greater than or equal to 1"
            } else {
                "Member must have length less than or equal to 36"
            };
            constraints.broken(&format!("'{token}'"), "clientRequestToken", rule);
        }
    }
    let mode = params::return_capacity(&mut constraints, input.return_consumed_capacity.as_deref());
    let metrics = params::return_metrics(
        &mut constraints,
        input.return_item_collection_metrics.as_deref(),
    );
    constraints.finish()?;
    let mut writes = Vec::with_capacity(actions.len());
    for action in actions {
        let Some((kind, members)) = action.single() else {
            return Err(ErrorAnswer::validation(
                "TransactItems can only contain one of Check, Put, Update or Delete",
            ));
        };
        writes.push(write_action(kind, members)?);
    }
    let targets = writes.iter().map(|write| {
        let (TransactWrite::Put { item: key, .. }
        | TransactWrite::Update { key, .. }
        | TransactWrite::Delete { key, .. }
        | TransactWrite::ConditionCheck { key, .. }) = write;
        (write.table_name(), key)
    });
    once_per_item(service, targets, "TransactWriteItems").await?;
    let tables = per_table(writes.iter().map(TransactWrite::table_name));
    let written = metrics.then(|| writes.clone());
    let mut request = TransactWriteItems::new(writes);
    request.client_request_token = input.client_request_token.clone();
    let output = service
        .engine()
        .transact_write_items(request)
        .await
        .map_err(|err| ErrorAnswer::of(&err, "TransactWriteItems", actions.len()))?;
    let metrics = match written {
        Some(writes) => Some(collection_metrics(service, &writes).await?),
        None => None,
    };
    Response::new()
        .with(
            "ConsumedCapacity",
            capacity::consumed_list(
                mode,
                &capacity::shared(output.consumed_capacity, &tables),
                Axis::Write,
            ),
        )
        .with("ItemCollectionMetrics", metrics)
        .answer()
}

/// One write action, its expressions read with its own placeholders.
fn write_action(kind: Kind, members: &ActionInput) -> Result<TransactWrite, ErrorAnswer> {
    let expressions = match kind {
        Kind::Update => &[
            ("UpdateExpression", members.update_expression.is_some()),
            (
                "ConditionExpression",
                members.condition_expression.is_some(),
            ),
        ][..],
        _ => &[(
            "ConditionExpression",
            members.condition_expression.is_some(),
        )][..],
    };
    Parameters {
        expressions,
        legacy: &[],
        names: members.expression_attribute_names.is_some(),
        values: members.expression_attribute_values.is_some(),
    }
    .check(false)?;
    let maps = PlaceholderMaps::read(
        members.expression_attribute_names.clone(),
        members.expression_attribute_values.as_ref(),
        false,
    )?;
    let expressions = Expressions {
        update: members.update_expression.as_deref(),
        condition: members.condition_expression.as_deref(),
        ..Expressions::default()
    };
    let parsed = expressions.parse(&maps, "TransactWriteItems", false)?;
    let table_name = members.table_name.clone().unwrap_or_default();
    let condition = parsed.condition;
    Ok(match kind {
        Kind::Put => TransactWrite::Put {
            table_name,
            item: item(members.item.as_ref())?,
            condition,
        },
        Kind::Delete => TransactWrite::Delete {
            table_name,
            key: item(members.key.as_ref())?,
            condition,
        },
        Kind::Update => TransactWrite::Update {
            table_name,
            key: item(members.key.as_ref())?,
            update: parsed.update.unwrap_or_else(Update::new),
            condition,
        },
        Kind::ConditionCheck => TransactWrite::ConditionCheck {
            table_name,
            key: item(members.key.as_ref())?,
            condition: condition.ok_or_else(|| {
                ErrorAnswer::validation("A ConditionCheck needs a ConditionExpression")
            })?,
        },
    })
}

/// DynamoDB refuses a transaction that names one item twice (`(table, key or item)` of each
/// action); which attributes make the key only each table's schema tells.
async fn once_per_item(
    service: &Service,
    targets: impl Iterator<Item = (&str, &ItemMap)>,
    operation: &'static str,
) -> Result<(), ErrorAnswer> {
    let mut schemas = HashMap::new();
    let mut seen: Vec<(&str, ItemMap)> = Vec::new();
    for (table, item) in targets {
        if !schemas.contains_key(table) {
            let schema = describe(service, table, operation).await?.key_schema;
            schemas.insert(table, schema);
        }
        let Ok(key) = schemas[table].extract_key(item) else {
            continue;
        };
        if seen.iter().any(|(t, k)| *t == table && *k == key) {
            return Err(ErrorAnswer::validation(
                "Transaction request cannot include multiple operations on one item",
            ));
        }
        seen.push((table, key));
    }
    Ok(())
}

/// `ItemCollectionMetrics` of a transaction's writes (condition checks write nothing).
async fn collection_metrics(
    service: &Service,
    writes: &[TransactWrite],
) -> Result<Value, ErrorAnswer> {
    let mut by_table: HashMap<String, Vec<WriteRequest>> = HashMap::new();
    for write in writes {
        let request = match write {
            TransactWrite::Put { item, .. } => WriteRequest::Put(item.clone()),
            TransactWrite::Update { key, .. } | TransactWrite::Delete { key, .. } => {
                WriteRequest::Delete(key.clone())
            }
            TransactWrite::ConditionCheck { .. } => continue,
        };
        by_table
            .entry(write.table_name().to_owned())
            .or_default()
            .push(request);
    }
    capacity::collection_metrics(service, &by_table, &HashMap::new(), "TransactWriteItems").await
}

/// Checks `TransactItems`' count: the actions, or none when the count is refused.
fn count<'a, T>(constraints: &mut Constraints, items: Option<&'a [T]>, body: &Value) -> &'a [T] {
    let Some(items) = items else {
        constraints.required::<()>("transactItems", None);
        return &[];
    };
    let shown = || format!("'{}'", body["TransactItems"]);
    if items.is_empty() {
        constraints.broken(
            "'[]'",
            "transactItems",
            "Member must have length greater than or equal to 1",
        );
    } else if items.len() > MAX_ACTIONS {
        constraints.broken(
            &shown(),
            "transactItems",
            "Member must have length less than or equal to 100",
        );
        return &[];
    }
    items
}

/// How many of a request's actions each table holds, by table name.
fn per_table<'a>(tables: impl Iterator<Item = &'a str>) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for table in tables {
        *counts.entry(table.to_owned()).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// An item or key member (present: the constraints said so).
fn item(value: Option<&Value>) -> Result<ItemMap, ErrorAnswer> {
    values::item(value.unwrap_or(&Value::Null)).map_err(ValueError::answer)
}

#[cfg(test)]
mod tests;
