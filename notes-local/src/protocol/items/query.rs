//! `Query` and `Scan`: one page of a table or of one of its indexes.
//!
//! What they share is in [`read`]: `Select` and its rules, the index a request names, and
//! the page's answer (`Items`, `Count`, `ScannedCount`, `LastEvaluatedKey`,
//! `ConsumedCapacity`). The key condition is checked here against the key schema of the
//! table or index read, as DynamoDB does (the parser does not know it).

use std::collections::HashMap;

use notes_core::Backend;
use notes_core::request::{Query, Scan};
use notes_core::validate;
use notes_model::expr::{Comparator, KeyCondition, KeyTerm, SortKeyCondition};
use notes_model::{AttributeValue, ItemMap, KeyAttribute, ScalarType};
use serde::Deserialize;
use serde_json::{Map, Value};

mod read;

use super::expressions::Expressions;
use super::failed;
use super::legacy::{self, Conditions};
use super::params::{Constraints, Parameters, PlaceholderMaps};
use super::single::table_name;
use super::values::{self, ValueError};
use crate::errors::ErrorAnswer;
use crate::expression::KeyTerms;
use crate::protocol::json::shape;
use crate::protocol::{ItemAnswer, Service};
use read::Read;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct QueryInput {
    table_name: Option<String>,
    index_name: Option<String>,
    select: Option<String>,
    attributes_to_get: Option<Vec<String>>,
    limit: Option<i64>,
    consistent_read: Option<bool>,
    key_conditions: Option<Conditions>,
    query_filter: Option<Conditions>,
    conditional_operator: Option<String>,
    scan_index_forward: Option<bool>,
    exclusive_start_key: Option<Value>,
    return_consumed_capacity: Option<String>,
    projection_expression: Option<String>,
    filter_expression: Option<String>,
    key_condition_expression: Option<String>,
    expression_attribute_names: Option<HashMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
}

/// `Query`.
pub(super) async fn query(service: &Service, body: &Value) -> ItemAnswer {
    let input: QueryInput = shape(body)?;
    let table = table_name(input.table_name.as_deref())?;
    let mut constraints = Constraints::new();
    let read = Read::constrain(
        &mut constraints,
        input.index_name.as_deref(),
        input.select.as_deref(),
        input.attributes_to_get.as_ref(),
        input.return_consumed_capacity.as_deref(),
    );
    if input.limit.is_some_and(|limit| limit < 1) {
        // DynamoDB names neither the value nor `limit` in lower case here, unlike for Scan.
        constraints.broken(
            "",
            "Limit",
            "Member must have value greater than or equal to 1",
        );
    }
    let or = legacy::conditional_operator(&mut constraints, input.conditional_operator.as_deref());
    for (member, conditions) in [
        ("keyConditions", &input.key_conditions),
        ("queryFilter", &input.query_filter),
    ] {
        if let Some(conditions) = conditions {
            legacy::constrain_conditions(&mut constraints, member, conditions);
        }
    }
    constraints.finish()?;
    Parameters {
        expressions: &[
            (
                "ProjectionExpression",
                input.projection_expression.is_some(),
            ),
            ("FilterExpression", input.filter_expression.is_some()),
            (
                "KeyConditionExpression",
                input.key_condition_expression.is_some(),
            ),
        ],
        legacy: &[
            ("AttributesToGet", input.attributes_to_get.is_some()),
            ("QueryFilter", input.query_filter.is_some()),
            ("ConditionalOperator", input.conditional_operator.is_some()),
            // KeyConditions may go with the other expressions, not with its own.
            (
                "KeyConditions",
                input.key_conditions.is_some() && input.key_condition_expression.is_some(),
            ),
        ],
        names: input.expression_attribute_names.is_some(),
        values: input.expression_attribute_values.is_some(),
    }
    .check(false)?;
    let filter = input
        .query_filter
        .as_ref()
        .map(|conditions| legacy::filter(conditions, or))
        .transpose()?
        .flatten();
    let start = start_key(input.exclusive_start_key.as_ref())?;
    if input.key_conditions.is_none() && input.key_condition_expression.is_none() {
        return Err(ErrorAnswer::validation(
            "Either the KeyConditions or KeyConditionExpression parameter must be specified in \
             the request.",
        ));
    }
    read.check_select(
        "Query",
        input.projection_expression.is_some(),
        input.attributes_to_get.as_deref(),
    )?;
    let maps = PlaceholderMaps::read(
        input.expression_attribute_names,
        input.expression_attribute_values.as_ref(),
        false,
    )?;
    let expressions = Expressions {
        key_condition: input.key_condition_expression.as_deref(),
        filter: input.filter_expression.as_deref(),
        projection: input.projection_expression.as_deref(),
        ..Expressions::default()
    };
    let parsed = expressions.parse(&maps, "Query", false)?;
    let parts = match (parsed.key_condition, &input.key_conditions) {
        (Some(terms), _) => terms,
        (None, Some(conditions)) => legacy::key_conditions(conditions)?,
        (None, None) => Vec::new(),
    };
    let consistent_read = input.consistent_read.unwrap_or(false);
    let target = read
        .resolve(service, &table, consistent_read, "Query")
        .await?;
    let (partition, sort) = target.key_attributes();
    let key_condition = key_condition(parts, &partition, &sort)?;
    if let Some(conditions) = &input.query_filter
        && let Some(name) = conditions.keys().find(|name| target.is_key_attribute(name))
    {
        return Err(ErrorAnswer::validation(format!(
            "QueryFilter can only contain non-primary key attributes: Primary key attribute: \
             {name}"
        )));
    }
    let mut request = Query::new(table.clone(), key_condition)
        .scan_index_forward(input.scan_index_forward.unwrap_or(true))
        .consistent_read(consistent_read);
    request.index_name = input.index_name.clone();
    request.filter = parsed.filter.or(filter);
    request.projection = read.projection(parsed.projection, input.attributes_to_get.as_deref())?;
    request.limit = input.limit.map(limit);
    request.exclusive_start_key = start;
    let page = service
        .engine()
        .query(request)
        .await
        .map_err(failed("Query"))?;
    read.respond(service, &target, page, consistent_read, "Query")
        .await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ScanInput {
    table_name: Option<String>,
    index_name: Option<String>,
    select: Option<String>,
    attributes_to_get: Option<Vec<String>>,
    limit: Option<i64>,
    consistent_read: Option<bool>,
    scan_filter: Option<Conditions>,
    conditional_operator: Option<String>,
    exclusive_start_key: Option<Value>,
    return_consumed_capacity: Option<String>,
    total_segments: Option<i64>,
    segment: Option<i64>,
    projection_expression: Option<String>,
    filter_expression: Option<String>,
    expression_attribute_names: Option<HashMap<String, String>>,
    expression_attribute_values: Option<Map<String, Value>>,
}

/// `Scan`, whole or one segment of a parallel scan.
pub(super) async fn scan(service: &Service, body: &Value) -> ItemAnswer {
    let input: ScanInput = shape(body)?;
    let table = table_name(input.table_name.as_deref())?;
    let mut constraints = Constraints::new();
    let read = Read::constrain(
        &mut constraints,
        input.index_name.as_deref(),
        input.select.as_deref(),
        input.attributes_to_get.as_ref(),
        input.return_consumed_capacity.as_deref(),
    );
    let at_least =
        |constraints: &mut Constraints, member, value: Option<i64>, low: i64, high| match value {
            Some(v) if v < low => constraints.broken(
                &format!("'{v}'"),
                member,
                &format!("Member must have value greater than or equal to {low}"),
            ),
            Some(v) if v > high => constraints.broken(
                &format!("'{v}'"),
                member,
                &format!("Member must have value less than or equal to {high}"),
            ),
            _ => {}
        };
    at_least(&mut constraints, "limit", input.limit, 1, i64::MAX);
    at_least(&mut constraints, "segment", input.segment, 0, 999_999);
    at_least(
        &mut constraints,
        "totalSegments",
        input.total_segments,
        1,
        1_000_000,
    );
    let or = legacy::conditional_operator(&mut constraints, input.conditional_operator.as_deref());
    if let Some(conditions) = &input.scan_filter {
        legacy::constrain_conditions(&mut constraints, "scanFilter", conditions);
    }
    constraints.finish()?;
    Parameters {
        expressions: &[
            (
                "ProjectionExpression",
                input.projection_expression.is_some(),
            ),
            ("FilterExpression", input.filter_expression.is_some()),
        ],
        legacy: &[
            ("AttributesToGet", input.attributes_to_get.is_some()),
            ("ScanFilter", input.scan_filter.is_some()),
            ("ConditionalOperator", input.conditional_operator.is_some()),
        ],
        names: input.expression_attribute_names.is_some(),
        values: input.expression_attribute_values.is_some(),
    }
    .check(false)?;
    let filter = input
        .scan_filter
        .as_ref()
        .map(|conditions| legacy::filter(conditions, or))
        .transpose()?
        .flatten();
    let start = start_key(input.exclusive_start_key.as_ref())?;
    let segment = segment(input.segment, input.total_segments)?;
    read.check_select(
        "Scan",
        input.projection_expression.is_some(),
        input.attributes_to_get.as_deref(),
    )?;
    let maps = PlaceholderMaps::read(
        input.expression_attribute_names,
        input.expression_attribute_values.as_ref(),
        false,
    )?;
    let expressions = Expressions {
        filter: input.filter_expression.as_deref(),
        projection: input.projection_expression.as_deref(),
        ..Expressions::default()
    };
    let parsed = expressions.parse(&maps, "Scan", false)?;
    let consistent_read = input.consistent_read.unwrap_or(false);
    let target = read
        .resolve(service, &table, consistent_read, "Scan")
        .await?;
    let mut request = Scan::new(table.clone()).consistent_read(consistent_read);
    request.index_name = input.index_name.clone();
    request.filter = parsed.filter.or(filter);
    request.projection = read.projection(parsed.projection, input.attributes_to_get.as_deref())?;
    request.limit = input.limit.map(limit);
    request.exclusive_start_key = start;
    request.segment = segment;
    let page = service
        .engine()
        .scan(request)
        .await
        .map_err(failed("Scan"))?;
    read.respond(service, &target, page, consistent_read, "Scan")
        .await
}

/// A `Limit` that held its constraint (at least 1), as the engine takes it.
fn limit(limit: i64) -> u32 {
    u32::try_from(limit).unwrap_or(u32::MAX)
}

/// `Segment` and `TotalSegments` of a parallel scan, both or neither.
fn segment(segment: Option<i64>, total: Option<i64>) -> Result<Option<(u32, u32)>, ErrorAnswer> {
    match (segment, total) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(ErrorAnswer::validation(
            "The TotalSegments parameter is required but was not present in the request when \
             Segment parameter is present",
        )),
        (None, Some(_)) => Err(ErrorAnswer::validation(
            "The Segment parameter is required but was not present in the request when \
             parameter TotalSegments is present",
        )),
        (Some(segment), Some(total)) if segment >= total => Err(ErrorAnswer::validation(format!(
            "The Segment parameter is zero-based and must be less than parameter \
                 TotalSegments: Segment: {segment} is not less than TotalSegments: {total}"
        ))),
        // Both held their constraints: 0..=999999 and 1..=1000000.
        (Some(segment), Some(total)) => Ok(Some((segment as u32, total as u32))),
    }
}

/// An `ExclusiveStartKey`'s values; DynamoDB says which refusals are about the starting key.
fn start_key(key: Option<&Value>) -> Result<Option<ItemMap>, ErrorAnswer> {
    key.map(|key| {
        values::item(key).map_err(|err| match err {
            // DynamoDB says "starting key" for a malformed value, not for a refused one.
            ValueError::Malformed(message) => {
                ErrorAnswer::validation(format!("The provided starting key is invalid: {message}"))
            }
            other => other.answer(),
        })
    })
    .transpose()
}

/// The key condition of `parts` on the key of `partition` and `sort` attributes, as DynamoDB
/// checks it: on a key of one attribute a side, a partition-key equality and at most a
/// condition on the sort key; on a multi-attribute key (or with more terms than two), its
/// rules on every attribute (`validate::bind_key_terms`); values of the keys' types.
fn key_condition(
    parts: KeyTerms,
    partition: &[&KeyAttribute],
    sort: &[&KeyAttribute],
) -> Result<KeyCondition, ErrorAnswer> {
    match (partition, sort) {
        ([pk], [] | [_]) if parts.len() <= 2 => single_key_condition(parts, pk, sort.first()),
        _ => multi_key_condition(&parts, partition, sort),
    }
}

/// A key of one attribute a side: the partition key's equality and the sort key's condition.
fn single_key_condition(
    mut parts: KeyTerms,
    partition: &KeyAttribute,
    sort: Option<&&KeyAttribute>,
) -> Result<KeyCondition, ErrorAnswer> {
    let not_supported = || ErrorAnswer::validation("Query key condition not supported");
    let missed = |name: &str| {
        ErrorAnswer::validation(format!("Query condition missed key schema element: {name}"))
    };
    let count = parts.len();
    let mut take = |name: &str| {
        parts
            .iter()
            .position(|(part, _)| part == name)
            .map(|at| parts.remove(at).1)
    };
    if sort.is_none() && count > 1 {
        return Err(not_supported());
    }
    let value = match take(&partition.name) {
        None => return Err(missed(&partition.name)),
        Some(condition) => {
            check_types(&condition, partition.scalar_type)?;
            match condition {
                SortKeyCondition::Compare(Comparator::Eq, value) => value,
                _ => return Err(not_supported()),
            }
        }
    };
    let key_condition = KeyCondition::partition(partition.name.clone(), value);
    let Some(sort) = sort else {
        return Ok(key_condition);
    };
    match take(&sort.name) {
        None if count > 1 => Err(missed(&sort.name)),
        None => Ok(key_condition),
        Some(condition) => {
            check_types(&condition, sort.scalar_type)?;
            Ok(key_condition.with_sort_key(sort.name.clone(), condition))
        }
    }
}

/// A multi-attribute key: every term bound to its attribute by DynamoDB's rules, then each
/// value checked against its attribute's type; the condition in the key's order.
fn multi_key_condition(
    parts: &KeyTerms,
    partition: &[&KeyAttribute],
    sort: &[&KeyAttribute],
) -> Result<KeyCondition, ErrorAnswer> {
    let terms: Vec<(&str, KeyTerm<'_>)> = parts
        .iter()
        .map(|(name, condition)| (name.as_str(), KeyTerm::Sort(condition)))
        .collect();
    let bound = validate::bind_key_terms(&terms, partition, sort).map_err(failed("Query"))?;
    for (name, condition) in parts {
        if let Some(attribute) = partition.iter().chain(sort).find(|a| a.name == *name) {
            check_types(condition, attribute.scalar_type)?;
        }
    }
    let equality = |(attribute, value): (&&KeyAttribute, &&AttributeValue)| {
        (attribute.name.clone(), (*value).clone())
    };
    let mut partition_values = partition.iter().zip(&bound.partition).map(equality);
    let (name, value) = partition_values
        .next()
        .ok_or_else(|| ErrorAnswer::validation("Query key condition not supported"))?;
    let mut condition = KeyCondition::partition(name, value);
    for (name, value) in partition_values {
        condition = condition.and_partition_key(name, value);
    }
    for (name, value) in sort.iter().zip(&bound.sort_equalities).map(equality) {
        condition = condition.and_leading_sort_key(name, value);
    }
    if let Some(last) = bound.sort_condition {
        let attribute = sort[bound.sort_equalities.len()];
        condition = condition.with_sort_key(attribute.name.clone(), last.clone());
    }
    Ok(condition)
}

/// A key condition's values are of the key's type.
fn check_types(condition: &SortKeyCondition, scalar: ScalarType) -> Result<(), ErrorAnswer> {
    let values = match condition {
        SortKeyCondition::Compare(_, value) | SortKeyCondition::BeginsWith(value) => vec![value],
        SortKeyCondition::Between(low, high) => vec![low, high],
    };
    if values
        .iter()
        .all(|value| ScalarType::of(value) == Some(scalar))
    {
        return Ok(());
    }
    Err(ErrorAnswer::validation(
        "One or more parameter values were invalid: Condition parameter type does not match \
         schema type",
    ))
}

#[cfg(test)]
mod tests;
