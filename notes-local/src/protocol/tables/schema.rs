//! The wire shapes of a table's definition (`AttributeDefinitions`, `KeySchema`,
//! `Projection`, `ProvisionedThroughput`), their constraint checks, and their conversion into
//! the engine's key schemas and index schemas with DynamoDB's messages; and back, for
//! `TableDescription`.

use std::borrow::Cow;
use std::fmt;

use notes_core::request::ProvisionedThroughput;
use notes_core::stream::{StreamSpecification, StreamViewType};
use notes_model::{
    AdditionalKeys, IndexKind, IndexProjection, IndexSchema, KeyAttribute, KeySchema, ScalarType,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::errors::ErrorAnswer;
use crate::protocol::constraints::Violations;

/// "One or more parameter values were invalid: ": how DynamoDB starts most of its messages
/// about a table's definition.
pub(super) const INVALID: &str = "One or more parameter values were invalid: ";

/// DynamoDB's upper bound on capacity units.
pub(super) const MAX_UNITS: i64 = notes_core::validate::MAX_UNITS;

/// An `AttributeDefinition`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct AttributeDefinition {
    pub(super) attribute_name: Option<String>,
    pub(super) attribute_type: Option<String>,
}

/// A `KeySchemaElement`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct KeySchemaElement {
    pub(super) attribute_name: Option<String>,
    pub(super) key_type: Option<String>,
}

/// How DynamoDB shows a key schema element in a message about the list.
impl fmt::Display for KeySchemaElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "null".into());
        write!(
            f,
            "KeySchemaElement(attributeName={}, keyType={})",
            show(&self.attribute_name),
            show(&self.key_type)
        )
    }
}

/// A `Projection`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Projection {
    pub(super) projection_type: Option<String>,
    pub(super) non_key_attributes: Option<Vec<String>>,
}

/// A `ProvisionedThroughput`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Throughput {
    pub(super) read_capacity_units: Option<i64>,
    pub(super) write_capacity_units: Option<i64>,
}

impl Throughput {
    /// The units, when both are given and at least 1 (else `None`).
    pub(super) fn units(self) -> Option<ProvisionedThroughput> {
        match (self.read_capacity_units, self.write_capacity_units) {
            (Some(read), Some(write)) if read > 0 && write > 0 => {
                Some(ProvisionedThroughput::new(read, write))
            }
            _ => None,
        }
    }

    /// DynamoDB's bound on each unit: "Given value N for ReadCapacityUnits is out of
    /// bounds", reads first.
    pub(super) fn check_bounds(self) -> Result<(), ErrorAnswer> {
        for (name, value) in [
            ("ReadCapacityUnits", self.read_capacity_units),
            ("WriteCapacityUnits", self.write_capacity_units),
        ] {
            if let Some(value) = value.filter(|v| *v > MAX_UNITS) {
                return Err(ErrorAnswer::validation(format!(
                    "Given value {value} for {name} is out of bounds"
                )));
            }
        }
        Ok(())
    }
}

/// A `StreamSpecification`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct StreamShape {
    pub(super) stream_enabled: Option<bool>,
    pub(super) stream_view_type: Option<String>,
}

/// The constraints on a `StreamSpecification` (optional).
pub(super) fn check_stream(stream: Option<&StreamShape>, path: &str, violations: &mut Violations) {
    let Some(stream) = stream else {
        return;
    };
    violations.present(
        stream.stream_enabled.as_ref(),
        &format!("{path}.streamEnabled"),
    );
    if let Some(view) = &stream.stream_view_type {
        violations.one_of(
            view,
            &format!("{path}.streamViewType"),
            &["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"],
        );
    }
}

/// What a checked `StreamSpecification` asks for: a stream of a view type, or none.
pub(super) fn stream_specification(
    stream: &StreamShape,
    creating: bool,
) -> Result<StreamSpecification, ErrorAnswer> {
    let view = stream
        .stream_view_type
        .as_deref()
        .map(StreamViewType::from_name)
        .transpose()
        .map_err(|err| ErrorAnswer::validation(err.to_string()))?;
    match (stream.stream_enabled.unwrap_or(false), view) {
        (true, Some(view)) => Ok(StreamSpecification::Enabled(view)),
        (true, None) => Err(ErrorAnswer::validation(format!(
            "{INVALID}StreamViewType must be specified when StreamEnabled is true"
        ))),
        (false, Some(_)) if creating => Err(ErrorAnswer::validation(format!(
            "{INVALID}Table is being created with a stream disabled, UpdateViewType should not \
             be specified"
        ))),
        (false, _) => Ok(StreamSpecification::Disabled),
    }
}

/// The constraints on `AttributeDefinitions` (required).
pub(super) fn check_definitions(
    definitions: Option<&Vec<AttributeDefinition>>,
    path: &str,
    violations: &mut Violations,
) {
    let Some(definitions) = violations.present(definitions, path) else {
        return;
    };
    for (n, definition) in definitions.iter().enumerate() {
        let at = format!("{path}.{}.member", n + 1);
        if let Some(name) = violations.present(
            definition.attribute_name.as_ref(),
            &format!("{at}.attributeName"),
        ) {
            violations.length(
                name,
                name.chars().count(),
                &format!("{at}.attributeName"),
                Some(1),
                Some(255),
            );
        }
        if let Some(kind) = violations.present(
            definition.attribute_type.as_ref(),
            &format!("{at}.attributeType"),
        ) {
            violations.one_of(kind, &format!("{at}.attributeType"), &["B", "N", "S"]);
        }
    }
}

/// The most elements of a global index's `KeySchema`: four partition and four sort
/// attributes (DynamoDB, November 2025).
pub(super) const MAX_GLOBAL_KEY_ELEMENTS: usize = 8;

/// The constraints on a `KeySchema` (required): one to `most` elements (two for a table or a
/// local index, [`MAX_GLOBAL_KEY_ELEMENTS`] for a global index), each with a name and a key
/// type. DynamoDB names an index's list `keySchema` when it is too long, as it does the
/// table's.
pub(super) fn check_key_schema(
    elements: Option<&Vec<KeySchemaElement>>,
    path: &str,
    most: usize,
    violations: &mut Violations,
) {
    let Some(elements) = violations.present(elements, path) else {
        return;
    };
    let shown = format!(
        "[{}]",
        elements
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    );
    violations.length(shown.clone(), elements.len(), path, Some(1), None);
    violations.length(shown, elements.len(), "keySchema", None, Some(most));
    for (n, element) in elements.iter().enumerate() {
        let at = format!("{path}.{}.member", n + 1);
        if let Some(name) = violations.present(
            element.attribute_name.as_ref(),
            &format!("{at}.attributeName"),
        ) {
            violations.length(
                name,
                name.chars().count(),
                &format!("{at}.attributeName"),
                Some(1),
                Some(255),
            );
        }
        if let Some(kind) = violations.present(element.key_type.as_ref(), &format!("{at}.keyType"))
        {
            violations.one_of(kind, &format!("{at}.keyType"), &["HASH", "RANGE"]);
        }
    }
}

/// The constraints on a `ProvisionedThroughput` (optional): both units, at least 1 (writes
/// listed first, as DynamoDB lists them).
pub(super) fn check_throughput(
    throughput: Option<&Throughput>,
    path: &str,
    violations: &mut Violations,
) {
    let Some(throughput) = throughput else {
        return;
    };
    for (member, value) in [
        ("writeCapacityUnits", throughput.write_capacity_units),
        ("readCapacityUnits", throughput.read_capacity_units),
    ] {
        let at = format!("{path}.{member}");
        if let Some(value) = violations.present(value.as_ref(), &at) {
            violations.range(*value, &at, Some(1), None);
        }
    }
}

/// The constraints on an index's `Projection` (required).
pub(super) fn check_projection(
    projection: Option<&Projection>,
    path: &str,
    violations: &mut Violations,
) {
    let Some(projection) = violations.present(projection, path) else {
        return;
    };
    if let Some(kind) = &projection.projection_type {
        violations.one_of(
            kind,
            &format!("{path}.projectionType"),
            &["ALL", "INCLUDE", "KEYS_ONLY"],
        );
    }
    if let Some(names) = &projection.non_key_attributes {
        violations.length(
            format!("[{}]", names.join(", ")),
            names.len(),
            &format!("{path}.nonKeyAttributes"),
            Some(1),
            Some(20),
        );
    }
}

/// An index name's constraints (required; pattern, 3 to 255 characters).
pub(super) fn check_index_name(name: Option<&String>, path: &str, violations: &mut Violations) {
    if let Some(name) = violations.present(name, path) {
        violations.name(name, path);
    }
}

/// The attribute names of a key schema, in order (after its constraints were checked).
pub(super) fn key_names(elements: &[KeySchemaElement]) -> Vec<&str> {
    elements
        .iter()
        .filter_map(|e| e.attribute_name.as_deref())
        .collect()
}

/// The type `AttributeDefinitions` gives `name` (the first definition of it).
fn defined_type(definitions: &[AttributeDefinition], name: &str) -> Option<ScalarType> {
    let definition = definitions
        .iter()
        .find(|d| d.attribute_name.as_deref() == Some(name))?;
    match definition.attribute_type.as_deref()? {
        "S" => Some(ScalarType::S),
        "N" => Some(ScalarType::N),
        "B" => Some(ScalarType::B),
        _ => None,
    }
}

/// A key schema whose elements are checked (`check_key_schema`) and defined: a HASH key,
/// then an optional RANGE key, with DynamoDB's messages when they are not.
pub(super) fn key_schema(
    elements: &[KeySchemaElement],
    definitions: &[AttributeDefinition],
) -> Result<KeySchema, ErrorAnswer> {
    let names = key_names(elements);
    if names.len() == 2 && names[0] == names[1] {
        return Err(ErrorAnswer::validation(
            "Both the Hash Key and the Range Key element in the KeySchema have the same name",
        ));
    }
    let kind = |n: usize| elements.get(n).and_then(|e| e.key_type.as_deref());
    if kind(0) != Some("HASH") {
        return Err(ErrorAnswer::validation(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    }
    if elements.len() > 1 && kind(1) != Some("RANGE") {
        return Err(ErrorAnswer::validation(
            "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type",
        ));
    }
    let attribute = |name: &str| -> Result<KeyAttribute, ErrorAnswer> {
        let scalar_type =
            defined_type(definitions, name).ok_or_else(|| undefined_keys(&names, definitions))?;
        Ok(KeyAttribute {
            name: Cow::Owned(name.to_owned()),
            scalar_type,
        })
    };
    Ok(KeySchema {
        partition_key: attribute(names[0])?,
        sort_key: names.get(1).map(|name| attribute(name)).transpose()?,
    })
}

/// A global index's key, its elements checked (`check_key_schema`) and defined: up to four
/// HASH attributes, then up to four RANGE attributes, each named once, with DynamoDB's
/// messages when they are not; the first of each side as the key schema, the others as the
/// additional keys of a multi-attribute key.
pub(super) fn global_index_key(
    elements: &[KeySchemaElement],
    definitions: &[AttributeDefinition],
) -> Result<(KeySchema, AdditionalKeys), ErrorAnswer> {
    let names = key_names(elements);
    let kind = |n: usize| elements.get(n).and_then(|e| e.key_type.as_deref());
    if kind(0) != Some("HASH") {
        return Err(ErrorAnswer::validation(
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type",
        ));
    }
    if names.len() == 2 && names[0] == names[1] && kind(1) == Some("RANGE") {
        return Err(ErrorAnswer::validation(
            "Both the Hash Key and the Range Key element in the KeySchema have the same name",
        ));
    }
    if (1..names.len()).any(|i| names[..i].contains(&names[i])) {
        return Err(ErrorAnswer::validation(
            "The KeySchema contains multiple key attributes with the same name",
        ));
    }
    if (1..elements.len()).any(|i| kind(i - 1) == Some("RANGE") && kind(i) == Some("HASH")) {
        return Err(ErrorAnswer::validation(format!(
            "{INVALID}All HASH key attributes must precede RANGE key attributes in the KeySchema"
        )));
    }
    let hash = (0..elements.len())
        .filter(|i| kind(*i) == Some("HASH"))
        .count();
    for (side, count) in [("HASH", hash), ("RANGE", elements.len() - hash)] {
        if count > MAX_GLOBAL_KEY_ELEMENTS / 2 {
            return Err(ErrorAnswer::validation(format!(
                "{INVALID}The KeySchema exceeds the maximum allowed number of {side} key \
                 attributes"
            )));
        }
    }
    let attribute = |name: &&str| -> Result<KeyAttribute, ErrorAnswer> {
        let scalar_type =
            defined_type(definitions, name).ok_or_else(|| undefined_keys(&names, definitions))?;
        Ok(KeyAttribute {
            name: Cow::Owned((*name).to_owned()),
            scalar_type,
        })
    };
    let attributes = names.iter().map(attribute).collect::<Result<Vec<_>, _>>()?;
    let (partition, sort) = attributes.split_at(hash);
    let schema = KeySchema {
        partition_key: partition[0].clone(),
        sort_key: sort.first().cloned(),
    };
    let additional = AdditionalKeys {
        partition_key: partition[1..].to_vec().into(),
        sort_key: sort.iter().skip(1).cloned().collect::<Vec<_>>().into(),
    };
    Ok((schema, additional))
}

/// DynamoDB's message for key attributes `keys` not all in `definitions`.
pub(super) fn undefined_keys(keys: &[&str], definitions: &[AttributeDefinition]) -> ErrorAnswer {
    let defined: Vec<&str> = definitions
        .iter()
        .filter_map(|d| d.attribute_name.as_deref())
        .collect();
    ErrorAnswer::validation(format!(
        "{INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: \
         [{}], AttributeDefinitions: [{}]",
        keys.join(", "),
        defined.join(", ")
    ))
}

/// An index's projection, its type given (checked by `check_projection`).
pub(super) fn projection(projection: &Projection) -> Result<IndexProjection, ErrorAnswer> {
    let kind = projection.projection_type.as_deref();
    if projection.non_key_attributes.is_some() && kind != Some("INCLUDE") {
        return Err(ErrorAnswer::validation(format!(
            "{INVALID}ProjectionType is {}, but NonKeyAttributes is specified",
            kind.unwrap_or("null")
        )));
    }
    match kind {
        Some("ALL") => Ok(IndexProjection::All),
        Some("KEYS_ONLY") => Ok(IndexProjection::KeysOnly),
        Some("INCLUDE") => Ok(IndexProjection::Include(
            projection
                .non_key_attributes
                .iter()
                .flatten()
                .map(|name| Cow::Owned(name.clone()))
                .collect(),
        )),
        _ => Err(ErrorAnswer::validation(format!(
            "{INVALID}Unknown ProjectionType: null"
        ))),
    }
}

/// A key schema as `KeySchema` answers it.
pub(crate) fn key_schema_json(schema: &KeySchema) -> Value {
    let mut elements = vec![json!({
        "AttributeName": schema.partition_key.name,
        "KeyType": "HASH",
    })];
    if let Some(sort) = &schema.sort_key {
        elements.push(json!({ "AttributeName": sort.name, "KeyType": "RANGE" }));
    }
    Value::Array(elements)
}

/// An index's key as `KeySchema` answers it: every partition attribute (`HASH`), then every
/// sort attribute (`RANGE`), in the index's order.
pub(super) fn index_key_schema_json(index: &IndexSchema) -> Value {
    let element =
        |key_type| move |a: &KeyAttribute| json!({ "AttributeName": a.name, "KeyType": key_type });
    Value::Array(
        index
            .partition_key_attributes()
            .map(element("HASH"))
            .chain(index.sort_key_attributes().map(element("RANGE")))
            .collect(),
    )
}

/// `AttributeDefinitions` as `TableDescription` answers them: every key attribute of the
/// table and its indexes (every one of a multi-attribute index key), once, in order of
/// appearance.
pub(super) fn definitions_json(table: &KeySchema, indexes: &[IndexSchema]) -> Value {
    let mut seen: Vec<&KeyAttribute> = Vec::new();
    for attribute in table
        .attributes()
        .chain(indexes.iter().flat_map(IndexSchema::key_attributes))
    {
        if !seen.iter().any(|a| a.name == attribute.name) {
            seen.push(attribute);
        }
    }
    Value::Array(
        seen.into_iter()
            .map(|a| json!({ "AttributeName": a.name, "AttributeType": a.scalar_type.as_str() }))
            .collect(),
    )
}

/// A `Projection` as `TableDescription` answers it.
pub(super) fn projection_json(projection: &IndexProjection) -> Value {
    match projection {
        IndexProjection::All => json!({ "ProjectionType": "ALL" }),
        IndexProjection::KeysOnly => json!({ "ProjectionType": "KEYS_ONLY" }),
        IndexProjection::Include(names) => json!({
            "ProjectionType": "INCLUDE",
            "NonKeyAttributes": names,
        }),
    }
}

/// Whether an index is global.
pub(super) fn is_global(index: &IndexSchema) -> bool {
    index.kind == IndexKind::Global
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(name: &str, kind: &str) -> KeySchemaElement {
        KeySchemaElement {
            attribute_name: Some(name.into()),
            key_type: Some(kind.into()),
        }
    }

    fn definition(name: &str, kind: &str) -> AttributeDefinition {
        AttributeDefinition {
            attribute_name: Some(name.into()),
            attribute_type: Some(kind.into()),
        }
    }

    #[test]
    fn a_key_schema_takes_its_types_from_the_definitions() {
        let schema = key_schema(
            &[element("pk", "HASH"), element("sk", "RANGE")],
            &[definition("sk", "N"), definition("pk", "B")],
        )
        .unwrap();
        assert_eq!(schema.partition_key.scalar_type, ScalarType::B);
        assert_eq!(schema.sort_key.unwrap().scalar_type, ScalarType::N);
    }

    #[test]
    fn the_key_types_must_come_hash_then_range() {
        let defs = [definition("a", "S"), definition("b", "S")];
        let message =
            |elements: &[KeySchemaElement]| key_schema(elements, &defs).unwrap_err().message;
        assert_eq!(
            message(&[element("a", "RANGE"), element("b", "HASH")]),
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
        );
        assert_eq!(
            message(&[element("a", "HASH"), element("b", "HASH")]),
            "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"
        );
        assert_eq!(
            message(&[element("a", "HASH"), element("a", "RANGE")]),
            "Both the Hash Key and the Range Key element in the KeySchema have the same name"
        );
    }

    #[test]
    fn a_long_key_schema_is_shown_element_by_element() {
        let mut violations = Violations::default();
        let elements = vec![
            element("pk", "HASH"),
            element("sk", "RANGE"),
            element("extra", "RANGE"),
        ];
        check_key_schema(Some(&elements), "keySchema", 2, &mut violations);
        assert_eq!(
            violations.finish().unwrap_err().message,
            "1 validation error detected: Value '[KeySchemaElement(attributeName=pk, \
             keyType=HASH), KeySchemaElement(attributeName=sk, keyType=RANGE), \
             KeySchemaElement(attributeName=extra, keyType=RANGE)]' at 'keySchema' failed to \
             satisfy constraint: Member must have length less than or equal to 2"
        );
    }

    #[test]
    fn a_global_index_key_takes_four_hash_then_four_range_attributes() {
        let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
        let defs: Vec<_> = names.iter().map(|n| definition(n, "N")).collect();
        let elements: Vec<_> = names
            .iter()
            .enumerate()
            .map(|(i, n)| element(n, if i < 4 { "HASH" } else { "RANGE" }))
            .collect();
        let (schema, additional) = global_index_key(&elements, &defs).unwrap();
        assert_eq!(
            (
                schema.partition_key.name.as_ref(),
                schema.sort_key.unwrap().name.as_ref()
            ),
            ("a", "e")
        );
        let names =
            |side: &[KeyAttribute]| side.iter().map(|a| a.name.to_string()).collect::<Vec<_>>();
        assert_eq!(names(&additional.partition_key), ["b", "c", "d"]);
        assert_eq!(names(&additional.sort_key), ["f", "g", "h"]);
        let mut violations = Violations::default();
        check_key_schema(
            Some(&elements),
            "globalSecondaryIndexes.1.member.keySchema",
            8,
            &mut violations,
        );
        assert!(violations.finish().is_ok());
    }

    #[test]
    fn a_global_index_key_is_refused_in_dynamodbs_words() {
        let defs: Vec<_> = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .map(|n| definition(n, "S"))
            .collect();
        let message =
            |elements: &[KeySchemaElement]| global_index_key(elements, &defs).unwrap_err().message;
        let hash = |n: &str| element(n, "HASH");
        let range = |n: &str| element(n, "RANGE");
        assert_eq!(
            message(&[range("a"), hash("b")]),
            "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
        );
        assert_eq!(
            message(&[hash("a"), range("a")]),
            "Both the Hash Key and the Range Key element in the KeySchema have the same name"
        );
        assert_eq!(
            message(&[hash("a"), hash("b"), range("a")]),
            "The KeySchema contains multiple key attributes with the same name"
        );
        assert_eq!(
            message(&[hash("a"), range("b"), hash("c")]),
            "One or more parameter values were invalid: All HASH key attributes must precede \
             RANGE key attributes in the KeySchema"
        );
        assert_eq!(
            message(&[hash("a"), hash("b"), hash("c"), hash("d"), hash("e")]),
            "One or more parameter values were invalid: The KeySchema exceeds the maximum \
             allowed number of HASH key attributes"
        );
        assert_eq!(
            message(&[
                hash("a"),
                range("b"),
                range("c"),
                range("d"),
                range("e"),
                range("f")
            ]),
            "One or more parameter values were invalid: The KeySchema exceeds the maximum \
             allowed number of RANGE key attributes"
        );
        let nine: Vec<_> = (0..9).map(|i| hash(&format!("k{i}"))).collect();
        let mut violations = Violations::default();
        check_key_schema(
            Some(&nine),
            "globalSecondaryIndexes.1.member.keySchema",
            8,
            &mut violations,
        );
        let refused = violations.finish().unwrap_err().message;
        assert!(
            refused.ends_with(
                "at 'keySchema' failed to satisfy constraint: Member must have length less than \
                 or equal to 8"
            ),
            "{refused}"
        );
    }

    #[test]
    fn a_multi_attribute_index_is_described_element_by_element() {
        let elements = [
            element("tenant", "HASH"),
            element("region", "HASH"),
            element("year", "RANGE"),
            element("month", "RANGE"),
        ];
        let defs = [
            definition("tenant", "S"),
            definition("region", "S"),
            definition("year", "N"),
            definition("month", "N"),
        ];
        let (key_schema, additional_keys) = global_index_key(&elements, &defs).unwrap();
        let index = IndexSchema {
            name: Cow::Borrowed("byRegion"),
            kind: IndexKind::Global,
            key_schema,
            projection: IndexProjection::All,
            additional_keys,
        };
        assert_eq!(
            index_key_schema_json(&index),
            json!([
                { "AttributeName": "tenant", "KeyType": "HASH" },
                { "AttributeName": "region", "KeyType": "HASH" },
                { "AttributeName": "year", "KeyType": "RANGE" },
                { "AttributeName": "month", "KeyType": "RANGE" },
            ])
        );
        let table = KeySchema {
            partition_key: KeyAttribute::new("id", ScalarType::S),
            sort_key: None,
        };
        assert_eq!(
            definitions_json(&table, &[index]),
            json!([
                { "AttributeName": "id", "AttributeType": "S" },
                { "AttributeName": "tenant", "AttributeType": "S" },
                { "AttributeName": "region", "AttributeType": "S" },
                { "AttributeName": "year", "AttributeType": "N" },
                { "AttributeName": "month", "AttributeType": "N" },
            ])
        );
    }
}
