//! The names and key schemas `CreateTable` gives a table and each of its indexes.

use notes_model::{KeyAttribute, KeySchema};

use crate::error::{Error, Result};

/// Table and index names: 3 to 255 characters of `[a-zA-Z0-9_.-]`; `field` is where the
/// request holds the name (`tableName`, `globalSecondaryIndexes.1.member.indexName`).
pub fn name(name: &str, field: &str) -> Result<()> {
    let constraint = if name.len() < 3 {
        "Member must have length greater than or equal to 3"
    } else if name.len() > 255 {
        "Member must have length less than or equal to 255"
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
    {
        "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
    } else {
        return Ok(());
    };
    Err(Error::validation(format!(
        "1 validation error detected: Value '{name}' at '{field}' failed to satisfy \
         constraint: {constraint}"
    )))
}

/// Rejects an empty key attribute name; `field` is where the request holds the key schema
/// (`keySchema`, `localSecondaryIndexes.1.member.keySchema`).
pub fn key_names_present(schema: &KeySchema, field: &str) -> Result<()> {
    names_present(schema.attributes(), field)
}

/// Rejects an empty name among `attributes` (a key schema's, or an index's of any length).
pub(super) fn names_present<'a>(
    mut attributes: impl Iterator<Item = &'a KeyAttribute>,
    field: &str,
) -> Result<()> {
    if attributes.any(|a| a.name.is_empty()) {
        return Err(Error::validation(format!(
            "1 validation error detected: Value '' at '{field}.member.attributeName' failed to \
             satisfy constraint: Member must have length greater than or equal to 1"
        )));
    }
    Ok(())
}

/// Rejects a sort key with the partition key's name; `index` names the index whose key schema
/// it is (`None`: the table's).
pub fn distinct_key_names(schema: &KeySchema, index: Option<&str>) -> Result<()> {
    let partition_key = &schema.partition_key.name;
    if schema
        .sort_key
        .as_ref()
        .is_some_and(|sk| sk.name == *partition_key)
    {
        let whose = match index {
            Some(index) => format!("{partition_key}; index {index}"),
            None => partition_key.to_string(),
        };
        return Err(Error::validation(format!(
            "Both the Hash Key and the Range Key element in the KeySchema have the same name \
             ({whose})"
        )));
    }
    Ok(())
}
