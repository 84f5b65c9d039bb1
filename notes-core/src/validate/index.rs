//! Secondary index definitions (`CreateTable`): names, key schemas, local indexes on the
//! table's partition key, projections, per-table limits, one type per key attribute.

use std::collections::{HashMap, HashSet};

use notes_model::{
    AttributeValue, IndexKind, IndexProjection, IndexSchema, ItemMap, KeySchema, ScalarType,
    type_descriptor,
};

use super::INVALID;
use crate::error::{Error, Result};

/// The most local secondary indexes per table.
const MAX_LOCAL_INDEXES: usize = 5;
/// The most global secondary indexes per table.
const MAX_GLOBAL_INDEXES: usize = 20;
/// The most `INCLUDE` attributes over all indexes of a table.
const MAX_PROJECTED_ATTRIBUTES: usize = 100;

/// The request field DynamoDB names in errors about the `n`th (1-based) index of a kind.
fn field(kind: IndexKind, n: usize) -> String {
    match kind {
        IndexKind::Global => format!("globalSecondaryIndexes.{n}.member"),
        IndexKind::Local => format!("localSecondaryIndexes.{n}.member"),
    }
}

/// Checks a `CreateTable`'s indexes against DynamoDB's rules: names, key schemas, local
/// indexes on the table's partition key with a sort key, projections, limits, and one type
/// per key attribute over the table and all its indexes.
pub fn check_indexes(table: &KeySchema, indexes: &[IndexSchema]) -> Result<()> {
    let mut numbers: HashMap<IndexKind, usize> = HashMap::new();
    let mut names = HashSet::new();
    let mut projected = 0;
    for index in indexes {
        let n = numbers.entry(index.kind).or_default();
        *n += 1;
        let at = field(index.kind, *n);
        super::name(&index.name, &format!("{at}.indexName"))?;
        let schema = &index.key_schema;
        super::key_names_present(schema, &format!("{at}.keySchema"))?;
        super::distinct_key_names(schema, Some(&index.name))?;
        if index.kind == IndexKind::Local {
            if table.sort_key.is_none() {
                return Err(Error::validation(format!(
                    "{INVALID}Table KeySchema does not have a range key, which is required when \
                     specifying a LocalSecondaryIndex (index {})",
                    index.name
                )));
            }
            if schema.sort_key.is_none() {
                return Err(Error::validation(format!(
                    "{INVALID}Index KeySchema does not have a range key for index: {}",
                    index.name
                )));
            }
            if schema.partition_key.name != table.partition_key.name {
                return Err(Error::validation(format!(
                    "{INVALID}Index KeySchema does not have the same leading hash key as table \
                     KeySchema for index: {}. index hash key: {}, table hash key: {}",
                    index.name, schema.partition_key.name, table.partition_key.name
                )));
            }
        }
        if let IndexProjection::Include(attributes) = &index.projection {
            if attributes.is_empty() {
                return Err(Error::validation(format!(
                    "1 validation error detected: Value '[]' at '{at}.projection.nonKeyAttributes' \
                     failed to satisfy constraint: Member must have length greater than or equal \
                     to 1"
                )));
            }
            projected += attributes.len();
        }
        if !names.insert(index.name.as_ref()) {
            return Err(Error::validation(format!(
                "{INVALID}Duplicate index name: {}",
                index.name
            )));
        }
    }
    if numbers.get(&IndexKind::Local).copied().unwrap_or(0) > MAX_LOCAL_INDEXES {
        return Err(Error::validation(format!(
            "{INVALID}Number of LocalSecondaryIndexes exceeds per-table limit of \
             {MAX_LOCAL_INDEXES}"
        )));
    }
    if numbers.get(&IndexKind::Global).copied().unwrap_or(0) > MAX_GLOBAL_INDEXES {
        return Err(Error::validation(format!(
            "{INVALID}GlobalSecondaryIndex count exceeds the per-table limit of \
             {MAX_GLOBAL_INDEXES}"
        )));
    }
    if projected > MAX_PROJECTED_ATTRIBUTES {
        return Err(Error::validation(format!(
            "{INVALID}The sum of NonKeyAttributes across all secondary indexes ({projected}) \
             exceeds the limit of {MAX_PROJECTED_ATTRIBUTES}"
        )));
    }
    attribute_types(table, indexes)
}

/// Checks that every key attribute has one type over the table and all its indexes (on the
/// wire, `AttributeDefinitions` can only give an attribute one type).
pub fn attribute_types(table: &KeySchema, indexes: &[IndexSchema]) -> Result<()> {
    let mut types: HashMap<&str, ScalarType> = table
        .attributes()
        .map(|a| (a.name.as_ref(), a.scalar_type))
        .collect();
    for index in indexes {
        for attribute in index.key_schema.attributes() {
            let declared = *types
                .entry(attribute.name.as_ref())
                .or_insert(attribute.scalar_type);
            if declared != attribute.scalar_type {
                return Err(Error::validation(format!(
                    "{INVALID}Cannot have two attributes with the same name: {} is {declared} in \
                     one key schema and {} in index {}",
                    attribute.name, attribute.scalar_type, index.name
                )));
            }
        }
    }
    Ok(())
}

/// Rejects the index key values of `item` that DynamoDB rejects on a put: a wrong type, an empty string or
/// binary, a value over the key size limits (2048 bytes for a partition key, 1024 for a
/// sort key). `update` selects the wording DynamoDB uses for an update expression.
pub fn index_key_values(index: &IndexSchema, item: &ItemMap, update: bool) -> Result<()> {
    let name = &index.name;
    for attribute in index.key_schema.attributes() {
        let attr = attribute.name.as_ref();
        let Some(value) = item.get(attr) else {
            continue;
        };
        if ScalarType::of(value) != Some(attribute.scalar_type) {
            return Err(Error::validation(format!(
                "{INVALID}Type mismatch for Index Key {attr} Expected: {} Actual: {} \
                 IndexName: {name}",
                attribute.scalar_type,
                type_descriptor(value)
            )));
        }
        let is_partition = index.key_schema.partition_key.name == attribute.name;
        super::index_key_size(name, attr, is_partition, value)?;
        let empty = match value {
            AttributeValue::S(s) if s.is_empty() => "string",
            AttributeValue::B(b) if b.is_empty() => "binary",
            _ => continue,
        };
        return Err(Error::validation(if update {
            format!(
                "One or more parameter values are not valid. The update expression attempted \
                 to update a secondary index key to a value that is not supported. The \
                 AttributeValue for a key attribute cannot contain an empty {empty} value. \
                 (IndexName: {name}, IndexKey: {attr})"
            )
        } else {
            format!(
                "One or more parameter values are not valid. A value specified for a \
                 secondary index key is not supported. The AttributeValue for a key \
                 attribute cannot contain an empty {empty} value. IndexName: {name}, \
                 IndexKey: {attr}"
            )
        }));
    }
    Ok(())
}
