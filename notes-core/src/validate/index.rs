//! Secondary index definitions (`CreateTable`): names, key schemas (up to four partition and
//! four sort attributes for a global index), local indexes on the table's partition key,
//! projections, per-table limits, one type per key attribute.

use std::collections::{HashMap, HashSet};

use notes_model::{
    AttributeValue, IndexKind, IndexProjection, IndexSchema, ItemMap, KeyAttribute, KeySchema,
    ScalarType, type_descriptor,
};

use super::INVALID;
use crate::error::{Error, Result};

/// The most local secondary indexes per table.
const MAX_LOCAL_INDEXES: usize = 5;
/// The most global secondary indexes per table.
const MAX_GLOBAL_INDEXES: usize = 20;
/// The most attributes of each side (partition, sort) of a global index's key (DynamoDB,
/// November 2025).
const MAX_KEY_ATTRIBUTES: usize = 4;
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
        super::table::names_present(index.key_attributes(), &format!("{at}.keySchema"))?;
        super::distinct_key_names(schema, Some(&index.name))?;
        index_key_schema(index)?;
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

/// Checks an index's key as a list of `KeySchema` elements (its partition attributes, then
/// its sort attributes), by DynamoDB's rules on multi-attribute keys: a global index takes up
/// to four of each, a local index one of each (two elements); no attribute twice.
///
/// ```
/// use notes_core::{Error, validate::index_key_schema};
/// use notes_model::{AdditionalKeys, IndexKind, IndexProjection, IndexSchema, KeyAttribute};
/// use notes_model::{KeySchema, ScalarType};
///
/// static MORE: [KeyAttribute; 4] = [
///     KeyAttribute::new("b", ScalarType::S),
///     KeyAttribute::new("c", ScalarType::S),
///     KeyAttribute::new("d", ScalarType::S),
///     KeyAttribute::new("e", ScalarType::S),
/// ];
/// let five = IndexSchema {
///     name: "byFive".into(),
///     kind: IndexKind::Global,
///     key_schema: KeySchema { partition_key: KeyAttribute::new("a", ScalarType::S), sort_key: None },
///     projection: IndexProjection::All,
///     additional_keys: AdditionalKeys::partition(&MORE),
/// };
/// let Err(Error::Validation { message, .. }) = index_key_schema(&five) else { panic!() };
/// assert_eq!(
///     message,
///     "One or more parameter values were invalid: The KeySchema exceeds the maximum allowed \
///      number of HASH key attributes (index byFive)"
/// );
/// ```
pub fn index_key_schema(index: &IndexSchema) -> Result<()> {
    let name = &index.name;
    let additional = &index.additional_keys;
    if index.key_schema.sort_key.is_none() && !additional.sort_key.is_empty() {
        return Err(Error::validation(format!(
            "{INVALID}Index KeySchema lists sort key attributes after the first without a first \
             one (index {name}: `additional_keys.sort_key` needs `key_schema.sort_key`)"
        )));
    }
    let elements = index.key_attributes().count();
    let most = match index.kind {
        IndexKind::Global => 2 * MAX_KEY_ATTRIBUTES,
        IndexKind::Local => 2,
    };
    if elements > most {
        return Err(Error::validation(format!(
            "1 validation error detected: Value '[{}]' at 'keySchema' failed to satisfy \
             constraint: Member must have length less than or equal to {most}",
            key_schema_elements(index)
        )));
    }
    for (side, count) in [
        ("HASH", index.partition_key_attributes().count()),
        ("RANGE", index.sort_key_attributes().count()),
    ] {
        if count > MAX_KEY_ATTRIBUTES {
            return Err(Error::validation(format!(
                "{INVALID}The KeySchema exceeds the maximum allowed number of {side} key \
                 attributes (index {name})"
            )));
        }
    }
    if !index.is_multi_attribute() {
        // A key of two attributes of one name has a message of its own.
        super::distinct_key_names(&index.key_schema, Some(name))?;
    }
    let attributes: Vec<&str> = index.key_attributes().map(|a| a.name.as_ref()).collect();
    for (i, attribute) in attributes.iter().enumerate() {
        if attributes[..i].contains(attribute) {
            return Err(Error::validation(format!(
                "The KeySchema contains multiple key attributes with the same name \
                 ({attribute}; index {name})"
            )));
        }
    }
    Ok(())
}

/// An index's key as DynamoDB shows a `KeySchema` in a message about the list.
fn key_schema_elements(index: &IndexSchema) -> String {
    let element = |key_type| {
        move |a: &KeyAttribute| {
            format!(
                "KeySchemaElement(attributeName={}, keyType={key_type})",
                a.name
            )
        }
    };
    index
        .partition_key_attributes()
        .map(element("HASH"))
        .chain(index.sort_key_attributes().map(element("RANGE")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks that every key attribute has one type over the table and all its indexes (on the
/// wire, `AttributeDefinitions` can only give an attribute one type).
pub fn attribute_types(table: &KeySchema, indexes: &[IndexSchema]) -> Result<()> {
    let mut types: HashMap<&str, ScalarType> = table
        .attributes()
        .map(|a| (a.name.as_ref(), a.scalar_type))
        .collect();
    for index in indexes {
        for attribute in index.key_attributes() {
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
    let partition_attributes = index.partition_key_attributes().count();
    for (i, attribute) in index.key_attributes().enumerate() {
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
        super::index_key_size(name, attr, i < partition_attributes, value)?;
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

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use notes_model::{AdditionalKeys, IndexKind, IndexProjection, IndexSchema, KeyAttribute};
    use notes_model::{ItemMap, KeySchema, ScalarType};

    use super::*;
    use crate::validate::test_values::{message, n, s, schema};

    fn attribute(name: &str) -> KeyAttribute {
        KeyAttribute {
            name: Cow::Owned(name.to_owned()),
            scalar_type: ScalarType::S,
        }
    }

    /// An index keyed by `partition` and `sort` attributes (all strings).
    fn index(kind: IndexKind, partition: &[&str], sort: &[&str]) -> IndexSchema {
        IndexSchema {
            name: Cow::Borrowed("byMany"),
            kind,
            key_schema: KeySchema {
                partition_key: attribute(partition[0]),
                sort_key: sort.first().map(|name| attribute(name)),
            },
            projection: IndexProjection::All,
            additional_keys: AdditionalKeys {
                partition_key: partition[1..].iter().map(|a| attribute(a)).collect(),
                sort_key: sort.iter().skip(1).map(|a| attribute(a)).collect(),
            },
        }
    }

    fn global(partition: &[&str], sort: &[&str]) -> String {
        message(index_key_schema(&index(IndexKind::Global, partition, sort)))
    }

    #[test]
    fn four_and_four_attributes_are_a_global_index_key() {
        let key = index(
            IndexKind::Global,
            &["a", "b", "c", "d"],
            &["e", "f", "g", "h"],
        );
        assert!(index_key_schema(&key).is_ok());
        assert!(check_indexes(&schema(), &[key]).is_ok());
    }

    #[test]
    fn more_than_four_of_a_side_or_eight_in_all_are_refused() {
        assert_eq!(
            global(&["a", "b", "c", "d", "e"], &["f"]),
            "One or more parameter values were invalid: The KeySchema exceeds the maximum \
             allowed number of HASH key attributes (index byMany)"
        );
        assert_eq!(
            global(&["a"], &["b", "c", "d", "e", "f"]),
            "One or more parameter values were invalid: The KeySchema exceeds the maximum \
             allowed number of RANGE key attributes (index byMany)"
        );
        let nine = global(&["a", "b", "c", "d", "e"], &["f", "g", "h", "i"]);
        assert!(
            nine.starts_with(
                "1 validation error detected: Value '[KeySchemaElement(attributeName=a, \
                 keyType=HASH), KeySchemaElement(attributeName=b, keyType=HASH)"
            ) && nine.ends_with(
                "KeySchemaElement(attributeName=i, keyType=RANGE)]' at 'keySchema' failed to \
                 satisfy constraint: Member must have length less than or equal to 8"
            ),
            "{nine}"
        );
    }

    #[test]
    fn an_attribute_is_in_a_key_once() {
        assert_eq!(
            global(&["a"], &["a"]),
            "Both the Hash Key and the Range Key element in the KeySchema have the same name (a; \
             index byMany)"
        );
        assert_eq!(
            global(&["a", "b"], &["c", "a"]),
            "The KeySchema contains multiple key attributes with the same name (a; index \
             byMany)"
        );
    }

    #[test]
    fn local_indexes_keep_one_attribute_of_each_side() {
        let local = index(IndexKind::Local, &["userId"], &["a", "b"]);
        assert_eq!(
            message(check_indexes(&schema(), &[local])),
            "1 validation error detected: Value '[KeySchemaElement(attributeName=userId, \
             keyType=HASH), KeySchemaElement(attributeName=a, keyType=RANGE), \
             KeySchemaElement(attributeName=b, keyType=RANGE)]' at 'keySchema' failed to \
             satisfy constraint: Member must have length less than or equal to 2"
        );
    }

    #[test]
    fn further_sort_attributes_need_a_first_one() {
        let mut key = index(IndexKind::Global, &["a"], &["b", "c"]);
        key.key_schema.sort_key = None;
        assert!(message(index_key_schema(&key)).contains("needs `key_schema.sort_key`"));
    }

    #[test]
    fn every_attribute_of_a_multi_attribute_key_has_one_type_and_is_checked_on_writes() {
        let mut key = index(IndexKind::Global, &["a", "userId"], &["b"]);
        key.additional_keys.partition_key.to_mut()[0].scalar_type = ScalarType::N;
        assert!(message(check_indexes(&schema(), &[key])).contains(
            "Cannot have two attributes with \
                 the same name: userId is S in one key schema and N in index byMany"
        ));
        let key = index(IndexKind::Global, &["a"], &["b", "c"]);
        let item = ItemMap::from([("a".to_owned(), s("x")), ("c".to_owned(), n("1"))]);
        assert_eq!(
            message(index_key_values(&key, &item, false)),
            "One or more parameter values were invalid: Type mismatch for Index Key c Expected: \
             S Actual: N IndexName: byMany"
        );
        let long = ItemMap::from([("c".to_owned(), s(&"x".repeat(1025)))]);
        assert!(message(index_key_values(&key, &long, false)).contains("range keys"));
        let long = ItemMap::from([("a".to_owned(), s(&"x".repeat(1025)))]);
        assert!(index_key_values(&key, &long, false).is_ok());
    }
}
