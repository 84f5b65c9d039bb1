//! `BatchGetItem` and `BatchWriteItem`: many items across tables, each on its own, with what
//! the engine did not get to in `UnprocessedKeys` / `UnprocessedItems`.

use std::collections::{BTreeMap, HashMap};

use notes_core::Backend;
use notes_core::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, KeysAndAttributes, WriteRequest,
};
use notes_model::ItemMap;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::capacity::{self, Axis};
use super::expressions::Expressions;
use super::legacy;
use super::params::{self, Constraints, Parameters, PlaceholderMaps, ReturnCapacity};
use super::values::{self, ValueError};
use super::{Response, describe, failed};
use crate::errors::ErrorAnswer;
use crate::protocol::json::jackson::{self, Wanted};
use crate::protocol::json::{serialization, shape};
use crate::protocol::{ItemAnswer, Service};

/// The most keys one `BatchGetItem` reads.
const MAX_GETS: usize = 100;
/// The most writes one `BatchWriteItem` makes.
const MAX_WRITES: usize = 25;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BatchGetItemInput {
    request_items: Option<BTreeMap<String, KeysInput>>,
    return_consumed_capacity: Option<String>,
}

/// One table's part of a `BatchGetItem` (DynamoDB's `KeysAndAttributes`).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct KeysInput {
    keys: Option<Vec<Value>>,
    attributes_to_get: Option<Vec<String>>,
    consistent_read: Option<bool>,
    projection_expression: Option<String>,
    expression_attribute_names: Option<HashMap<String, String>>,
}

/// `RequestItems` given as a JSON list: the front end names the type of the map's values,
/// which is each operation's own.
fn listed_request_items(body: &Value, values: &'static str) -> Result<(), ErrorAnswer> {
    match body.get("RequestItems") {
        Some(list @ Value::Array(_)) => Err(serialization(
            jackson::message(Wanted::Map(Some(values)), list).unwrap_or_default(),
        )),
        _ => Ok(()),
    }
}

/// `BatchGetItem`.
pub(super) async fn batch_get_item(service: &Service, body: &Value) -> ItemAnswer {
    listed_request_items(body, "com.amazonaws.dynamodb.v20120810.KeysAndAttributes")?;
    let input: BatchGetItemInput = shape(body)?;
    let requested = match input.request_items {
        Some(items) if !items.is_empty() => items,
        _ => {
            return Err(ErrorAnswer::validation(
                "The requestItems parameter is required for BatchGetItem",
            ));
        }
    };
    let mut constraints = Constraints::new();
    table_names(&mut constraints, requested.keys());
    for (table, keys) in &requested {
        match &keys.keys {
            None => constraints.required::<()>(&format!("requestItems.{table}.member.keys"), None),
            Some(list) if list.is_empty() => constraints.broken(
                "",
                &format!("requestItems.{table}.member.keys"),
                "Member must have length greater than or equal to 1",
            ),
            Some(list) if list.len() > MAX_GETS => constraints.broken(
                "",
                &format!("RequestItems.{table}.member.Keys"),
                "Member must have length less than or equal to 100",
            ),
            Some(_) => {}
        }
        legacy::constrain_attributes_to_get(
            &mut constraints,
            &format!("requestItems.{table}.member.attributesToGet"),
            keys.attributes_to_get.as_ref(),
        );
    }
    let mode = params::return_capacity(&mut constraints, input.return_consumed_capacity.as_deref());
    constraints.finish()?;
    let total: usize = requested
        .values()
        .map(|keys| keys.keys.as_ref().map_or(0, Vec::len))
        .sum();
    if total > MAX_GETS {
        return Err(ErrorAnswer::validation(
            "Too many items requested for the BatchGetItem call",
        ));
    }
    let mut request_items = HashMap::with_capacity(requested.len());
    for (table, keys) in &requested {
        request_items.insert(table.clone(), keys_and_attributes(keys)?);
    }
    // The engine reports one total: each table's own figure, when asked for, takes a call per
    // table (reads change nothing, so the answer is the same).
    let groups: Vec<HashMap<String, KeysAndAttributes>> =
        if mode != ReturnCapacity::None && request_items.len() > 1 {
            request_items
                .into_iter()
                .map(|part| HashMap::from([part]))
                .collect()
        } else {
            vec![request_items]
        };
    let mut output = BatchGetItemOutput::default();
    let mut units = Vec::with_capacity(groups.len());
    for group in groups {
        let table = group.keys().next().cloned().unwrap_or_default();
        let part = service
            .engine()
            .batch_get_item(BatchGetItem::new(group))
            .await
            .map_err(failed("BatchGetItem"))?;
        output.responses.extend(part.responses);
        output.unprocessed_keys.extend(part.unprocessed_keys);
        units.push((table, part.consumed_capacity.unwrap_or(0.0)));
    }
    units.sort_by(|a, b| a.0.cmp(&b.0));
    let unprocessed: Map<String, Value> = output
        .unprocessed_keys
        .iter()
        .map(|(table, left)| {
            // The table's part as the request gave it, with the keys left to read.
            let mut part = json!({"Keys": values::to_json_list(&left.keys)});
            if let Some(asked) = requested.get(table) {
                let echo = [
                    ("ConsistentRead", asked.consistent_read.map(Value::Bool)),
                    (
                        "ProjectionExpression",
                        asked.projection_expression.clone().map(Value::String),
                    ),
                    (
                        "ExpressionAttributeNames",
                        asked.expression_attribute_names.as_ref().map(|n| json!(n)),
                    ),
                    (
                        "AttributesToGet",
                        asked.attributes_to_get.as_ref().map(|a| json!(a)),
                    ),
                ];
                for (member, value) in echo {
                    if let Some(value) = value {
                        part[member] = value;
                    }
                }
            }
            (table.clone(), part)
        })
        .collect();
    Response::new()
        .with_tables("Responses", &output.responses)
        .with("UnprocessedKeys", Some(Value::Object(unprocessed)))
        .with(
            "ConsumedCapacity",
            capacity::consumed_list(mode, &units, Axis::Plain),
        )
        .answer()
}

/// One table's part of a `BatchGetItem`, read and checked as DynamoDB checks it.
fn keys_and_attributes(input: &KeysInput) -> Result<KeysAndAttributes, ErrorAnswer> {
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
    let maps = PlaceholderMaps::read(input.expression_attribute_names.clone(), None, false)?;
    let expressions = Expressions {
        projection: input.projection_expression.as_deref(),
        ..Expressions::default()
    };
    let parsed = expressions.parse(&maps, "BatchGetItem", false)?;
    let projection = match (parsed.projection, &input.attributes_to_get) {
        (None, Some(names)) => Some(legacy::attributes_to_get(names)?),
        (projection, _) => projection,
    };
    let keys = input
        .keys
        .iter()
        .flatten()
        .map(|key| values::item(key).map_err(ValueError::answer))
        .collect::<Result<Vec<ItemMap>, _>>()?;
    if repeats(&keys) {
        return Err(duplicates());
    }
    let mut part =
        KeysAndAttributes::new(keys).consistent_read(input.consistent_read.unwrap_or(false));
    part.projection = projection;
    Ok(part)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BatchWriteItemInput {
    request_items: Option<BTreeMap<String, Vec<WriteRequestInput>>>,
    return_consumed_capacity: Option<String>,
    return_item_collection_metrics: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct WriteRequestInput {
    put_request: Option<PutRequestInput>,
    delete_request: Option<DeleteRequestInput>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutRequestInput {
    item: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DeleteRequestInput {
    key: Option<Value>,
}

/// `BatchWriteItem`.
pub(super) async fn batch_write_item(service: &Service, body: &Value) -> ItemAnswer {
    listed_request_items(
        body,
        "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>",
    )?;
    let input: BatchWriteItemInput = shape(body)?;
    let requested = match &input.request_items {
        Some(items) if !items.is_empty() => items,
        _ => {
            return Err(ErrorAnswer::validation(
                "The requestItems parameter is required for BatchWriteItem",
            ));
        }
    };
    let mut constraints = Constraints::new();
    table_names(&mut constraints, requested.keys());
    if let Some(table) = requested
        .iter()
        .find(|(_, writes)| writes.is_empty() || writes.len() > MAX_WRITES)
        .map(|(table, _)| table)
    {
        let shown: Vec<String> = body["RequestItems"][table]
            .as_array()
            .into_iter()
            .flatten()
            .map(Value::to_string)
            .collect();
        constraints.broken(
            &format!("'{{{table}=[{}]}}'", shown.join(", ")),
            "requestItems",
            "Map value must satisfy constraint: [Member must have length less than or equal to \
             25, Member must have length greater than or equal to 1]",
        );
    }
    let mode = params::return_capacity(&mut constraints, input.return_consumed_capacity.as_deref());
    let metrics = params::return_metrics(
        &mut constraints,
        input.return_item_collection_metrics.as_deref(),
    );
    constraints.finish()?;
    let total: usize = requested.values().map(Vec::len).sum();
    if total > MAX_WRITES {
        return Err(ErrorAnswer::validation(
            "Too many items requested for the BatchWriteItem call",
        ));
    }
    let mut request_items = HashMap::with_capacity(requested.len());
    for (table, writes) in requested {
        let writes = writes
            .iter()
            .map(write_request)
            .collect::<Result<Vec<_>, _>>()?;
        // Duplicates are a matter of keys, which only the table's schema tells.
        let schema = describe(service, table, "BatchWriteItem").await?.key_schema;
        let keys: Vec<ItemMap> = writes
            .iter()
            .filter_map(|write| {
                let (WriteRequest::Put(item) | WriteRequest::Delete(item)) = write;
                schema.extract_key(item).ok()
            })
            .collect();
        if repeats(&keys) {
            return Err(duplicates());
        }
        request_items.insert(table.clone(), writes);
    }
    let written = if metrics {
        Some(request_items.clone())
    } else {
        None
    };
    let output = service
        .engine()
        .batch_write_item(BatchWriteItem::new(request_items))
        .await
        .map_err(failed("BatchWriteItem"))?;
    let unprocessed: Map<String, Value> = output
        .unprocessed_items
        .iter()
        .map(|(table, writes)| {
            let writes = writes.iter().map(write_json).collect();
            (table.clone(), Value::Array(writes))
        })
        .collect();
    let metrics = match written {
        Some(written) => Some(
            capacity::collection_metrics(
                service,
                &written,
                &output.unprocessed_items,
                "BatchWriteItem",
            )
            .await?,
        ),
        None => None,
    };
    let counts: Vec<(String, usize)> = requested
        .iter()
        .map(|(table, writes)| (table.clone(), writes.len()))
        .collect();
    Response::new()
        .with("UnprocessedItems", Some(Value::Object(unprocessed)))
        .with(
            "ConsumedCapacity",
            capacity::consumed_list(
                mode,
                &capacity::shared(output.consumed_capacity, &counts),
                Axis::Plain,
            ),
        )
        .with("ItemCollectionMetrics", metrics)
        .answer()
}

/// One write of a `BatchWriteItem`: a put or a delete, never both or neither.
fn write_request(input: &WriteRequestInput) -> Result<WriteRequest, ErrorAnswer> {
    let item = |value: Option<&Value>| {
        values::item(value.unwrap_or(&Value::Null)).map_err(ValueError::answer)
    };
    match (&input.put_request, &input.delete_request) {
        (Some(put), None) => Ok(WriteRequest::Put(item(put.item.as_ref())?)),
        (None, Some(delete)) => Ok(WriteRequest::Delete(item(delete.key.as_ref())?)),
        // DynamoDB's words for a request that is not exactly one write.
        _ => Err(ErrorAnswer::validation(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one \
             of the supported datatypes",
        )),
    }
}

/// A write as `UnprocessedItems` lists it.
fn write_json(write: &WriteRequest) -> Value {
    match write {
        WriteRequest::Put(item) => json!({"PutRequest": {"Item": values::to_json(item)}}),
        WriteRequest::Delete(key) => json!({"DeleteRequest": {"Key": values::to_json(key)}}),
    }
}

/// Checks the table names a batch is keyed by.
fn table_names<'a>(constraints: &mut Constraints, tables: impl Iterator<Item = &'a String>) {
    let valid = |name: &str| {
        (3..=255).contains(&name.chars().count())
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    };
    if tables.into_iter().any(|name| !valid(name)) {
        constraints.broken(
            "",
            "requestItems",
            "Map keys must satisfy constraint: [Member must have length less than or equal to \
             255, Member must have length greater than or equal to 3, Member must satisfy \
             regular expression pattern: [a-zA-Z0-9_.-]+]",
        );
    }
}

/// Whether a list of keys names an item twice (the engine also catches keys that differ
/// only in how a number is written).
fn repeats<T: PartialEq>(keys: &[T]) -> bool {
    keys.iter()
        .enumerate()
        .any(|(i, key)| keys[..i].contains(key))
}

fn duplicates() -> ErrorAnswer {
    ErrorAnswer::validation("Provided list of item keys contains duplicates")
}

#[cfg(test)]
mod tests;
