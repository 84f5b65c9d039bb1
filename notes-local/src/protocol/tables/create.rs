//! `CreateTable`: the request's constraints, then DynamoDB's rules on the definition (in
//! DynamoDB's order, with its messages), then the engine's table.
//!
//! What the engine does not model: a provisioned table's global index with throughput other
//! than the table's is created with the table's, then set to its own by an `UpdateTable`
//! (so a lower one counts as one of the index's decreases today); `TableClass`,
//! `SSESpecification` and `DeletionProtectionEnabled` are the service's ([`super::settings`]);
//! `ResourcePolicy`, `OnDemandThroughput` and `WarmThroughput` are accepted and ignored.

use notes_core::Backend;
use std::borrow::Cow;
use std::collections::HashSet;

use notes_core::request::{
    BillingMode, CreateTable, DescribeTable, ProvisionedThroughput, UpdateTable,
};
use notes_model::{AdditionalKeys, IndexKind, IndexSchema, KeySchema};
use serde::Deserialize;
use serde_json::{Value, json};

use super::describe::table_description;
use super::schema::{
    AttributeDefinition, INVALID, KeySchemaElement, MAX_GLOBAL_KEY_ELEMENTS, Projection,
    StreamShape, Throughput, check_definitions, check_index_name, check_key_schema,
    check_projection, check_stream, check_throughput, global_index_key, key_names, key_schema,
    projection, stream_specification, undefined_keys,
};
use super::tags::{Tag, add_tags, check_reserved, check_tags};
use super::{engine_error, table_name};
use crate::errors::ErrorAnswer;
use crate::protocol::constraints::Violations;
use crate::protocol::declared::{Settings, SseShape, check_table_class};
use crate::protocol::json::shape;
use crate::protocol::{Answer, Service};

/// The most local secondary indexes of a table.
const MAX_LOCAL_INDEXES: usize = 5;
/// The most global secondary indexes of a table.
const MAX_GLOBAL_INDEXES: usize = 20;

/// `CreateTable`'s request.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Request {
    attribute_definitions: Option<Vec<AttributeDefinition>>,
    table_name: Option<String>,
    key_schema: Option<Vec<KeySchemaElement>>,
    local_secondary_indexes: Option<Vec<Index>>,
    global_secondary_indexes: Option<Vec<Index>>,
    billing_mode: Option<String>,
    provisioned_throughput: Option<Throughput>,
    stream_specification: Option<StreamShape>,
    #[serde(rename = "SSESpecification")]
    sse_specification: Option<SseShape>,
    tags: Option<Vec<Tag>>,
    table_class: Option<String>,
    deletion_protection_enabled: Option<bool>,
}

/// A `LocalSecondaryIndex` or `GlobalSecondaryIndex` (local ones have no throughput).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Index {
    index_name: Option<String>,
    key_schema: Option<Vec<KeySchemaElement>>,
    projection: Option<Projection>,
    provisioned_throughput: Option<Throughput>,
}

/// `CreateTable`: `{"TableDescription": ...}`.
pub(super) async fn create_table(service: &Service, body: &Value) -> Answer {
    let request: Request = shape(body)?;
    let name = check(&request)?;
    let definition = define(&request)?;
    let engine = service.engine();
    let mut create = CreateTable::new(&name, definition.key_schema)
        .billing_mode(definition.billing_mode)
        .indexes(definition.indexes);
    create.stream_view_type = definition.stream.and_then(|s| s.view_type());
    engine
        .create_table(create)
        .await
        .map_err(|err| engine_error(&err, "CreateTable"))?;
    // The engine gives a provisioned table's global indexes the table's throughput.
    if let Some(table) = definition.billing_mode.provisioned_throughput() {
        let mut update = UpdateTable::new(&name);
        for (index, units) in &definition.index_throughput {
            if *units != table {
                update = update.index_throughput(index.as_str(), *units);
            }
        }
        if !update.index_throughput.is_empty() {
            engine
                .update_table(update)
                .await
                .map_err(|err| engine_error(&err, "CreateTable"))?;
        }
    }
    let created_at = engine
        .table_facts(&name)
        .map_err(|err| engine_error(&err, "CreateTable"))?
        .created_at;
    // A new creation time: the table starts with no tags, whatever one of the same name had.
    service
        .tables
        .change(&name, created_at, "CreateTable", |entry| {
            entry.settings = definition.settings;
            add_tags(&mut entry.tags, request.tags.as_deref().unwrap_or_default())
        })?;
    let table = engine
        .describe_table(DescribeTable::new(&name))
        .await
        .map_err(|err| engine_error(&err, "CreateTable"))?;
    Ok(json!({ "TableDescription": table_description(service, &table)? }))
}

/// The request's constraints, in DynamoDB's order: the table's name, then every member.
fn check(request: &Request) -> Result<String, ErrorAnswer> {
    let mut violations = Violations::default();
    let definitions = request.attribute_definitions.as_ref();
    check_definitions(definitions, "attributeDefinitions", &mut violations);
    let name = table_name(request.table_name.as_ref(), &mut violations)?.to_owned();
    if let Some(mode) = &request.billing_mode {
        violations.one_of(mode, "billingMode", &["PROVISIONED", "PAY_PER_REQUEST"]);
    }
    let throughput = request.provisioned_throughput.as_ref();
    check_throughput(throughput, "provisionedThroughput", &mut violations);
    check_key_schema(request.key_schema.as_ref(), "keySchema", 2, &mut violations);
    for (indexes, list, most) in [
        (&request.local_secondary_indexes, "localSecondaryIndexes", 2),
        (
            &request.global_secondary_indexes,
            "globalSecondaryIndexes",
            MAX_GLOBAL_KEY_ELEMENTS,
        ),
    ] {
        for (n, index) in indexes.iter().flatten().enumerate() {
            let at = format!("{list}.{}.member", n + 1);
            check_index_name(
                index.index_name.as_ref(),
                &format!("{at}.indexName"),
                &mut violations,
            );
            let keys = index.key_schema.as_ref();
            check_key_schema(keys, &format!("{at}.keySchema"), most, &mut violations);
            check_projection(
                index.projection.as_ref(),
                &format!("{at}.projection"),
                &mut violations,
            );
            let units = index.provisioned_throughput.as_ref();
            check_throughput(
                units,
                &format!("{at}.provisionedThroughput"),
                &mut violations,
            );
        }
    }
    check_stream(
        request.stream_specification.as_ref(),
        "streamSpecification",
        &mut violations,
    );
    if let Some(sse) = &request.sse_specification {
        sse.check("sSESpecification", &mut violations);
    }
    check_tags(
        request.tags.as_deref().unwrap_or_default(),
        "tags",
        &mut violations,
    );
    check_table_class(request.table_class.as_ref(), &mut violations);
    violations.finish()?;
    check_reserved(request.tags.as_deref().unwrap_or_default())?;
    Ok(name)
}

/// A checked request as the engine's definition of a table.
struct Definition {
    key_schema: KeySchema,
    billing_mode: BillingMode,
    indexes: Vec<IndexSchema>,
    /// Each global index's own throughput (provisioned tables).
    index_throughput: Vec<(String, ProvisionedThroughput)>,
    stream: Option<notes_core::stream::StreamSpecification>,
    settings: Settings,
}

/// DynamoDB's rules on a table's definition, in its order, after the constraints.
fn define(request: &Request) -> Result<Definition, ErrorAnswer> {
    let invalid = |message: String| ErrorAnswer::validation(format!("{INVALID}{message}"));
    let on_demand = request.billing_mode.as_deref() == Some("PAY_PER_REQUEST");
    let billing_mode = match (on_demand, request.provisioned_throughput) {
        (true, Some(_)) => {
            return Err(invalid(
                "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when \
                 BillingMode is PAY_PER_REQUEST"
                    .into(),
            ));
        }
        (true, None) => BillingMode::PayPerRequest,
        (false, throughput) => {
            let units = throughput.and_then(Throughput::units).ok_or_else(|| {
                invalid(
                    "ReadCapacityUnits and WriteCapacityUnits must both be specified when \
                     BillingMode is PROVISIONED"
                        .into(),
                )
            })?;
            throughput
                .into_iter()
                .try_for_each(Throughput::check_bounds)?;
            BillingMode::Provisioned {
                read_capacity_units: units.read_capacity_units,
                write_capacity_units: units.write_capacity_units,
            }
        }
    };

    // Checked present by `check`.
    let definitions = request.attribute_definitions.as_deref().unwrap_or_default();
    let elements = request.key_schema.as_deref().unwrap_or_default();
    let defined: Vec<&str> = definitions
        .iter()
        .filter_map(|d| d.attribute_name.as_deref())
        .collect();
    let keys = key_names(elements);
    if keys.len() > defined.len() {
        return Err(ErrorAnswer::validation(
            "Invalid KeySchema: Some index key attribute have no definition",
        ));
    }
    if keys.iter().any(|key| !defined.contains(key)) {
        return Err(undefined_keys(&keys, definitions));
    }
    let table = key_schema(elements, definitions)?;
    let locals = request.local_secondary_indexes.as_deref();
    let globals = request.global_secondary_indexes.as_deref();
    if locals.is_none() && globals.is_none() && keys.len() != defined.len() {
        return Err(invalid(
            "Number of attributes in KeySchema does not exactly match number of attributes \
             defined in AttributeDefinitions"
                .into(),
        ));
    }

    let mut indexes = Vec::new();
    let mut index_throughput = Vec::new();
    let mut names = HashSet::new();
    let mut used: Vec<&str> = keys.clone();
    if let Some(locals) = locals {
        if locals.is_empty() {
            return Err(invalid("List of LocalSecondaryIndexes is empty".into()));
        }
        if table.sort_key.is_none() {
            return Err(invalid(
                "Table KeySchema does not have a range key, which is required when \
                 specifying a LocalSecondaryIndex"
                    .into(),
            ));
        }
        for local in locals {
            let schema = index(local, IndexKind::Local, definitions, &mut used)?;
            if schema.key_schema.sort_key.is_none() {
                return Err(invalid(format!(
                    "Index KeySchema does not have a range key for index: {}",
                    schema.name
                )));
            }
            let (hash, table_hash) = (
                &schema.key_schema.partition_key.name,
                &table.partition_key.name,
            );
            if hash != table_hash {
                return Err(invalid(format!(
                    "Index KeySchema does not have the same leading hash key as table \
                     KeySchema for index: {}. index hash key: {hash}, table hash key: \
                     {table_hash}",
                    schema.name
                )));
            }
            if !names.insert(schema.name.clone()) {
                return Err(invalid(format!("Duplicate index name: {}", schema.name)));
            }
            indexes.push(schema);
        }
        if locals.len() > MAX_LOCAL_INDEXES {
            return Err(invalid(format!(
                "Number of LocalSecondaryIndexes exceeds per-table limit of {MAX_LOCAL_INDEXES}"
            )));
        }
    }
    if let Some(globals) = globals {
        if globals.is_empty() {
            return Err(invalid("List of GlobalSecondaryIndexes is empty".into()));
        }
        for global in globals {
            let schema = index(global, IndexKind::Global, definitions, &mut used)?;
            match (on_demand, global.provisioned_throughput) {
                (true, Some(_)) => {
                    return Err(invalid(format!(
                        "ProvisionedThroughput should not be specified for index: {} when \
                         BillingMode is PAY_PER_REQUEST",
                        schema.name
                    )));
                }
                (false, None) => {
                    return Err(invalid(format!(
                        "ProvisionedThroughput must be specified for index: {}",
                        schema.name
                    )));
                }
                (false, Some(throughput)) => {
                    throughput.check_bounds()?;
                    if let Some(units) = throughput.units() {
                        index_throughput.push((schema.name.to_string(), units));
                    }
                }
                (true, None) => {}
            }
            if !names.insert(schema.name.clone()) {
                return Err(invalid(format!("Duplicate index name: {}", schema.name)));
            }
            indexes.push(schema);
        }
        if globals.len() > MAX_GLOBAL_INDEXES {
            return Err(invalid(format!(
                "GlobalSecondaryIndex count exceeds the per-table limit of {MAX_GLOBAL_INDEXES}"
            )));
        }
    }
    let unused: Vec<&str> = defined
        .iter()
        .copied()
        .filter(|name| !used.contains(name))
        .collect();
    if !unused.is_empty() {
        return Err(invalid(format!(
            "Some AttributeDefinitions are not used. AttributeDefinitions: [{}], keys used: \
             [{}]",
            defined.join(", "),
            used.join(", ")
        )));
    }

    let stream = request
        .stream_specification
        .as_ref()
        .map(|s| stream_specification(s, true))
        .transpose()?;
    let settings = Settings {
        deletion_protection: request.deletion_protection_enabled.unwrap_or(false),
        table_class: request.table_class.clone(),
        sse: request.sse_specification.as_ref().and_then(SseShape::sse),
    };
    Ok(Definition {
        key_schema: table,
        billing_mode,
        indexes,
        index_throughput,
        stream,
        settings,
    })
}

/// One index's schema, by DynamoDB's rules common to local and global indexes; adds its key
/// attributes to `used`.
fn index<'r>(
    index: &'r Index,
    kind: IndexKind,
    definitions: &[AttributeDefinition],
    used: &mut Vec<&'r str>,
) -> Result<IndexSchema, ErrorAnswer> {
    // Checked present by `check`.
    let elements = index.key_schema.as_deref().unwrap_or_default();
    let keys = key_names(elements);
    let defined = |key: &&str| {
        definitions
            .iter()
            .any(|d| d.attribute_name.as_deref() == Some(*key))
    };
    if !keys.iter().all(defined) {
        return Err(undefined_keys(&keys, definitions));
    }
    let (key_schema, additional_keys) = match kind {
        IndexKind::Global => global_index_key(elements, definitions)?,
        IndexKind::Local => (key_schema(elements, definitions)?, AdditionalKeys::NONE),
    };
    let projection = match &index.projection {
        Some(shape) => projection(shape)?,
        None => projection(&Projection {
            projection_type: None,
            non_key_attributes: None,
        })?,
    };
    for key in keys {
        if !used.contains(&key) {
            used.push(key);
        }
    }
    Ok(IndexSchema {
        name: Cow::Owned(index.index_name.clone().unwrap_or_default()),
        kind,
        key_schema,
        projection,
        additional_keys,
    })
}

#[cfg(test)]
mod tests;
