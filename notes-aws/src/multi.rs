//! The multi-item operations: `BatchGetItem`, `BatchWriteItem`, `TransactGetItems`,
//! `TransactWriteItems`.

use std::collections::HashMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{self as sdk, ReturnConsumedCapacity};

use notes_core::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, KeysAndAttributes,
    TransactGetItems, TransactGetItemsOutput, TransactWrite, TransactWriteItems,
    TransactWriteItemsOutput,
};
use notes_core::{Error, Result};

use super::convert::{
    build_error, from_sdk_item, from_sdk_items, from_sdk_shared_item, from_sdk_write, to_sdk_item,
    to_sdk_write, total_capacity,
};
use super::errors::{Context, map_sdk_error};
use super::render::render;

/// The tables of a multi-table request, for errors that name the table: `a, b`.
fn table_list<'a>(tables: impl Iterator<Item = &'a str>) -> String {
    let mut tables: Vec<&str> = tables.collect();
    tables.sort_unstable();
    tables.dedup();
    tables.join(", ")
}

/// `BatchGetItem`.
pub(crate) async fn batch_get_item(
    client: &Client,
    request: BatchGetItem,
) -> Result<BatchGetItemOutput> {
    let tables = table_list(request.request_items.keys().map(String::as_str));
    let mut request_items = HashMap::with_capacity(request.request_items.len());
    for (table, keys) in &request.request_items {
        let (r, _) = render(None, None, None, keys.projection.as_deref())?;
        let sdk_keys = sdk::KeysAndAttributes::builder()
            .set_keys(Some(
                keys.keys
                    .iter()
                    .cloned()
                    .map(to_sdk_item)
                    .collect::<Result<_>>()?,
            ))
            .set_consistent_read(keys.consistent_read.then_some(true))
            .set_projection_expression(r.projection)
            .set_expression_attribute_names(r.names)
            .build()
            .map_err(build_error)?;
        request_items.insert(table.clone(), sdk_keys);
    }
    let output = client
        .batch_get_item()
        .set_request_items(Some(request_items))
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await
        .map_err(|err| map_sdk_error(err, Context::table(&tables)))?;

    let mut responses = HashMap::new();
    for (table, items) in output.responses.unwrap_or_default() {
        responses.insert(table, from_sdk_items(items)?);
    }
    let mut unprocessed_keys = HashMap::new();
    for (table, keys) in output.unprocessed_keys.unwrap_or_default() {
        // The service hands back the projection as sent; the caller's own form is the request's.
        let original = request.request_items.get(&table);
        unprocessed_keys.insert(table.clone(), {
            let mut wanted = KeysAndAttributes::new(
                keys.keys
                    .into_iter()
                    .map(from_sdk_item)
                    .collect::<Result<_>>()?,
            )
            .consistent_read(keys.consistent_read.unwrap_or(false));
            wanted.projection = original.and_then(|o| o.projection.clone());
            wanted
        });
    }
    let mut answer = BatchGetItemOutput::default();
    answer.responses = responses;
    answer.unprocessed_keys = unprocessed_keys;
    answer.consumed_capacity =
        total_capacity(output.consumed_capacity.as_deref().unwrap_or_default());
    Ok(answer)
}

/// `BatchWriteItem`.
pub(crate) async fn batch_write_item(
    client: &Client,
    request: BatchWriteItem,
) -> Result<BatchWriteItemOutput> {
    let tables = table_list(request.request_items.keys().map(String::as_str));
    let mut request_items = HashMap::with_capacity(request.request_items.len());
    for (table, writes) in request.request_items {
        let writes = writes
            .into_iter()
            .map(to_sdk_write)
            .collect::<Result<Vec<_>>>()?;
        request_items.insert(table, writes);
    }
    let output = client
        .batch_write_item()
        .set_request_items(Some(request_items))
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await
        .map_err(|err| map_sdk_error(err, Context::table(&tables)))?;

    let mut unprocessed_items = HashMap::new();
    for (table, writes) in output.unprocessed_items.unwrap_or_default() {
        if writes.is_empty() {
            continue;
        }
        let writes = writes
            .into_iter()
            .map(from_sdk_write)
            .collect::<Result<Vec<_>>>()?;
        unprocessed_items.insert(table, writes);
    }
    let mut answer = BatchWriteItemOutput::default();
    answer.unprocessed_items = unprocessed_items;
    answer.consumed_capacity =
        total_capacity(output.consumed_capacity.as_deref().unwrap_or_default());
    Ok(answer)
}

/// `TransactGetItems`.
pub(crate) async fn transact_get_items(
    client: &Client,
    request: TransactGetItems,
) -> Result<TransactGetItemsOutput> {
    let tables = table_list(request.items.iter().map(|get| get.table_name.as_str()));
    let count = request.items.len();
    let mut items = Vec::with_capacity(count);
    for get in request.items {
        let (r, _) = render(None, None, None, get.projection.as_deref())?;
        let get = sdk::Get::builder()
            .table_name(get.table_name)
            .set_key(Some(to_sdk_item(get.key)?))
            .set_projection_expression(r.projection)
            .set_expression_attribute_names(r.names)
            .build()
            .map_err(build_error)?;
        items.push(sdk::TransactGetItem::builder().get(get).build());
    }
    let output = client
        .transact_get_items()
        .set_transact_items(Some(items))
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await
        .map_err(|err| map_sdk_error(err, Context::table(&tables)))?;

    let items = match output.responses {
        Some(responses) => responses
            .into_iter()
            .map(|response| response.item.map(from_sdk_shared_item).transpose())
            .collect::<Result<Vec<_>>>()?,
        None => vec![None; count],
    };
    let mut answer = TransactGetItemsOutput::default();
    answer.items = items;
    answer.consumed_capacity =
        total_capacity(output.consumed_capacity.as_deref().unwrap_or_default());
    Ok(answer)
}

fn transact_write_item(write: TransactWrite) -> Result<sdk::TransactWriteItem> {
    let item = sdk::TransactWriteItem::builder();
    let item = match write {
        TransactWrite::Put {
            table_name,
            item: put_item,
            condition,
        } => {
            let (r, values) = render(None, None, condition.as_ref(), None)?;
            item.put(
                sdk::Put::builder()
                    .table_name(table_name)
                    .set_item(Some(to_sdk_item(put_item)?))
                    .set_condition_expression(r.condition)
                    .set_expression_attribute_names(r.names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(build_error)?,
            )
        }
        TransactWrite::Update {
            table_name,
            key,
            update,
            condition,
        } => {
            // No actions renders no `UpdateExpression`, which a transaction cannot do without.
            if update.actions.is_empty() {
                return Err(Error::validation(
                    "an Update in a transaction needs at least one update action",
                ));
            }
            let (r, values) = render(None, Some(&update), condition.as_ref(), None)?;
            item.update(
                sdk::Update::builder()
                    .table_name(table_name)
                    .set_key(Some(to_sdk_item(key)?))
                    .set_update_expression(r.update)
                    .set_condition_expression(r.condition)
                    .set_expression_attribute_names(r.names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(build_error)?,
            )
        }
        TransactWrite::Delete {
            table_name,
            key,
            condition,
        } => {
            let (r, values) = render(None, None, condition.as_ref(), None)?;
            item.delete(
                sdk::Delete::builder()
                    .table_name(table_name)
                    .set_key(Some(to_sdk_item(key)?))
                    .set_condition_expression(r.condition)
                    .set_expression_attribute_names(r.names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(build_error)?,
            )
        }
        TransactWrite::ConditionCheck {
            table_name,
            key,
            condition,
        } => {
            let (r, values) = render(None, None, Some(&condition), None)?;
            item.condition_check(
                sdk::ConditionCheck::builder()
                    .table_name(table_name)
                    .set_key(Some(to_sdk_item(key)?))
                    .set_condition_expression(r.condition)
                    .set_expression_attribute_names(r.names)
                    .set_expression_attribute_values(values)
                    .build()
                    .map_err(build_error)?,
            )
        }
    };
    Ok(item.build())
}

/// `TransactWriteItems`.
pub(crate) async fn transact_write_items(
    client: &Client,
    request: TransactWriteItems,
) -> Result<TransactWriteItemsOutput> {
    let tables = table_list(request.items.iter().map(TransactWrite::table_name));
    let items = request
        .items
        .into_iter()
        .map(transact_write_item)
        .collect::<Result<Vec<_>>>()?;
    let token = request.client_request_token;
    let output = client
        .transact_write_items()
        .set_transact_items(Some(items))
        .set_client_request_token(token.clone())
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .send()
        .await
        .map_err(|err| map_sdk_error(err, Context::transaction(&tables, token.as_deref())))?;
    let mut answer = TransactWriteItemsOutput::default();
    answer.consumed_capacity =
        total_capacity(output.consumed_capacity.as_deref().unwrap_or_default());
    Ok(answer)
}
