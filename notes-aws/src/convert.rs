//! Conversions between the crate's request/response types and the AWS SDK's.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use aws_sdk_dynamodb::types::{
    self as sdk, AttributeDefinition, AttributeValue as SdkValue, ConsumedCapacity,
    KeySchemaElement, KeyType, ProjectionType, ScalarAttributeType,
};
use notes_model::{
    AdditionalKeys, AttributeValue, IndexKind, IndexProjection, IndexSchema, ItemMap, KeyAttribute,
    KeySchema, ScalarType, SharedItem,
};

use notes_core::request::{
    BillingMode, PageOutput, ProvisionedThroughput, ReturnValues, Select, TableDescription,
    WriteRequest,
};
use notes_core::{Error, Result};

use crate::status::table_status;

/// An item as `aws-sdk-dynamodb` holds it: its attributes by name, as the SDK's
/// [`AttributeValue`](aws_sdk_dynamodb::types::AttributeValue)s.
pub type SdkItem = HashMap<String, SdkValue>;

/// An item for `aws-sdk-dynamodb` (and for the crates built on it, such as AWS's Database
/// Encryption SDK). Its nesting is checked first: the conversion recurses through every
/// level, and DynamoDB refuses more than 32 anyway ([`Error::Validation`]).
///
/// ```
/// use aws_sdk_dynamodb::types::AttributeValue as SdkValue;
/// use notes_aws::to_sdk_item;
/// use notes_repo::{Item, Note};
///
/// let note = Note { user_id: "u1".into(), note_id: "n1".into(), content: "hi".into(), attachment: None, created_at: 7 };
/// let item = to_sdk_item(note.to_item()?)?;
/// assert_eq!(item["content"], SdkValue::S("hi".into()));
/// assert_eq!(item["createdAt"], SdkValue::N("7".into()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_sdk_item(item: ItemMap) -> Result<SdkItem> {
    notes_core::validate::nesting(&item)?;
    Ok(item
        .into_iter()
        .map(|(name, value)| (name, SdkValue::from(value)))
        .collect())
}

/// An item from `aws-sdk-dynamodb`. A value type this crate's version of the SDK does not
/// know (`AttributeValue::Unknown`) is an [`Error::Backend`], never a panic.
///
/// ```
/// use std::collections::HashMap;
/// use aws_sdk_dynamodb::types::AttributeValue as SdkValue;
/// use notes_aws::from_sdk_item;
/// use notes_repo::AttributeValue;
///
/// let item = from_sdk_item(HashMap::from([("userId".to_owned(), SdkValue::S("u1".into()))]))?;
/// assert_eq!(item["userId"], AttributeValue::S("u1".into()));
/// # Ok::<(), notes_repo::Error>(())
/// ```
pub fn from_sdk_item(item: SdkItem) -> Result<ItemMap> {
    item.into_iter()
        .map(|(name, value)| Ok((name, from_sdk_value(value)?)))
        .collect()
}

fn from_sdk_value(value: SdkValue) -> Result<AttributeValue> {
    Ok(match value {
        SdkValue::S(s) => AttributeValue::S(s),
        SdkValue::N(n) => AttributeValue::N(n),
        SdkValue::B(b) => AttributeValue::B(b.into_inner()),
        SdkValue::Bool(b) => AttributeValue::Bool(b),
        SdkValue::Null(null) => AttributeValue::Null(null),
        SdkValue::M(m) => AttributeValue::M(from_sdk_item(m)?),
        SdkValue::L(l) => AttributeValue::L(
            l.into_iter()
                .map(from_sdk_value)
                .collect::<Result<Vec<_>>>()?,
        ),
        SdkValue::Ss(ss) => AttributeValue::Ss(ss),
        SdkValue::Ns(ns) => AttributeValue::Ns(ns),
        SdkValue::Bs(bs) => AttributeValue::Bs(bs.into_iter().map(|b| b.into_inner()).collect()),
        other => {
            return Err(unexpected(format!(
                "unknown attribute value type: {other:?}"
            )));
        }
    })
}

/// An optional item from the SDK.
pub(crate) fn from_sdk_optional_item(item: Option<SdkItem>) -> Result<Option<ItemMap>> {
    item.map(from_sdk_item).transpose()
}

/// Items from the SDK, as a read answers them (see [`from_sdk_shared_item`]).
pub(crate) fn from_sdk_items(items: Vec<SdkItem>) -> Result<Vec<SharedItem>> {
    items.into_iter().map(from_sdk_shared_item).collect()
}

/// An item from `aws-sdk-dynamodb`, as a read answers it ([`SharedItem`]): its attributes as
/// name-value pairs, names moved and values converted, so that a typed read finds its fields
/// without hashing a name; the map is built only if the caller reads one. Errors as
/// [`from_sdk_item`].
///
/// ```
/// use std::collections::HashMap;
/// use aws_sdk_dynamodb::types::AttributeValue as SdkValue;
/// use notes_aws::from_sdk_shared_item;
/// use notes_repo::AttributeValue;
///
/// let item = from_sdk_shared_item(HashMap::from([("n".to_owned(), SdkValue::N("1".into()))]))?;
/// assert_eq!(item["n"], AttributeValue::N("1".into()));
/// # Ok::<(), notes_repo::Error>(())
/// ```
pub fn from_sdk_shared_item(item: SdkItem) -> Result<SharedItem> {
    let pairs = item
        .into_iter()
        .map(|(name, value)| Ok((name, from_sdk_value(value)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(SharedItem::from_entries(pairs))
}

/// An error for a response the SDK accepted but this crate cannot represent.
pub(crate) fn unexpected(message: String) -> Error {
    Error::Backend {
        source: message.into(),
    }
}

/// An SDK builder error (a required field left unset): a bug here, reported, never a panic.
pub(crate) fn build_error(err: aws_sdk_dynamodb::error::BuildError) -> Error {
    Error::Backend {
        source: Box::new(err),
    }
}

/// DynamoDB's `ReturnValue`.
pub(crate) fn return_value(return_values: ReturnValues) -> sdk::ReturnValue {
    match return_values {
        ReturnValues::None => sdk::ReturnValue::None,
        ReturnValues::AllOld => sdk::ReturnValue::AllOld,
        ReturnValues::UpdatedOld => sdk::ReturnValue::UpdatedOld,
        ReturnValues::AllNew => sdk::ReturnValue::AllNew,
        ReturnValues::UpdatedNew => sdk::ReturnValue::UpdatedNew,
    }
}

/// `Select` for the SDK, by DynamoDB's name of the value.
pub(crate) fn select(select: Select) -> sdk::Select {
    sdk::Select::from(select.as_str())
}

/// What a `Query` or `Scan` answers, one page: `Items` (none for `Select: COUNT`), `Count`,
/// `ScannedCount`, `LastEvaluatedKey` and the capacity consumed.
pub(crate) fn page(
    items: Option<Vec<SdkItem>>,
    count: i32,
    scanned_count: i32,
    last_evaluated_key: Option<SdkItem>,
    consumed: Option<&ConsumedCapacity>,
) -> Result<PageOutput> {
    let mut page = PageOutput::new(from_sdk_items(items.unwrap_or_default())?);
    page.count = usize::try_from(count).unwrap_or(0);
    page.scanned_count = usize::try_from(scanned_count).unwrap_or(0);
    page.last_evaluated_key = from_sdk_optional_item(last_evaluated_key)?;
    page.consumed_capacity = capacity(consumed);
    Ok(page)
}

/// The capacity units of one operation.
pub(crate) fn capacity(consumed: Option<&ConsumedCapacity>) -> Option<f64> {
    consumed.and_then(ConsumedCapacity::capacity_units)
}

/// The capacity units of a multi-table operation, summed over its tables.
pub(crate) fn total_capacity(consumed: &[ConsumedCapacity]) -> Option<f64> {
    let units: Vec<f64> = consumed.iter().filter_map(|c| c.capacity_units()).collect();
    (!units.is_empty()).then(|| units.iter().sum())
}

/// One write of a `BatchWriteItem`, for the SDK.
pub(crate) fn to_sdk_write(write: WriteRequest) -> Result<sdk::WriteRequest> {
    let request = match write {
        WriteRequest::Put(item) => sdk::WriteRequest::builder().put_request(
            sdk::PutRequest::builder()
                .set_item(Some(to_sdk_item(item)?))
                .build()
                .map_err(build_error)?,
        ),
        WriteRequest::Delete(key) => sdk::WriteRequest::builder().delete_request(
            sdk::DeleteRequest::builder()
                .set_key(Some(to_sdk_item(key)?))
                .build()
                .map_err(build_error)?,
        ),
    };
    Ok(request.build())
}

/// One unprocessed write of a `BatchWriteItem`, from the SDK.
pub(crate) fn from_sdk_write(write: sdk::WriteRequest) -> Result<WriteRequest> {
    let sdk::WriteRequest {
        put_request,
        delete_request,
        ..
    } = write;
    match (put_request, delete_request) {
        (Some(put), None) => Ok(WriteRequest::Put(from_sdk_item(put.item)?)),
        (None, Some(delete)) => Ok(WriteRequest::Delete(from_sdk_item(delete.key)?)),
        _ => Err(unexpected(
            "an unprocessed write request is neither a put nor a delete".to_owned(),
        )),
    }
}

fn scalar_attribute_type(scalar_type: ScalarType) -> ScalarAttributeType {
    match scalar_type {
        ScalarType::S => ScalarAttributeType::S,
        ScalarType::N => ScalarAttributeType::N,
        ScalarType::B => ScalarAttributeType::B,
    }
}

/// A key schema as `KeySchemaElement`s, partition key first.
pub(crate) fn key_schema_elements(schema: &KeySchema) -> Result<Vec<KeySchemaElement>> {
    elements(
        std::iter::once(&schema.partition_key),
        schema.sort_key.iter(),
    )
}

/// An index's key as `KeySchemaElement`s: every partition attribute (`HASH`), then every sort
/// attribute (`RANGE`), in the index's order (up to four of each for a multi-attribute key).
pub(crate) fn index_key_schema_elements(index: &IndexSchema) -> Result<Vec<KeySchemaElement>> {
    elements(
        index.partition_key_attributes(),
        index.sort_key_attributes(),
    )
}

fn elements<'a>(
    partition: impl Iterator<Item = &'a KeyAttribute>,
    sort: impl Iterator<Item = &'a KeyAttribute>,
) -> Result<Vec<KeySchemaElement>> {
    let attributes = partition
        .map(|a| (a, KeyType::Hash))
        .chain(sort.map(|a| (a, KeyType::Range)));
    attributes
        .map(|(attribute, key_type)| {
            KeySchemaElement::builder()
                .attribute_name(attribute.name.as_ref())
                .key_type(key_type)
                .build()
                .map_err(build_error)
        })
        .collect()
}

/// `AttributeDefinitions` for `CreateTable`: every key attribute of the table and its indexes,
/// once (the first type given wins; `validate::attribute_types` rejects conflicts first).
pub(crate) fn attribute_definitions<'a>(
    attributes: impl IntoIterator<Item = &'a KeyAttribute>,
) -> Result<Vec<AttributeDefinition>> {
    let mut seen = std::collections::HashSet::new();
    let mut definitions = Vec::new();
    for attribute in attributes {
        if seen.insert(attribute.name.as_ref()) {
            definitions.push(
                AttributeDefinition::builder()
                    .attribute_name(attribute.name.as_ref())
                    .attribute_type(scalar_attribute_type(attribute.scalar_type))
                    .build()
                    .map_err(build_error)?,
            );
        }
    }
    Ok(definitions)
}

/// An index projection for the SDK.
pub(crate) fn projection(projection: &IndexProjection) -> sdk::Projection {
    let builder = sdk::Projection::builder();
    match projection {
        IndexProjection::All => builder.projection_type(ProjectionType::All),
        IndexProjection::KeysOnly => builder.projection_type(ProjectionType::KeysOnly),
        IndexProjection::Include(names) => builder
            .projection_type(ProjectionType::Include)
            .set_non_key_attributes(Some(names.iter().map(|n| n.to_string()).collect())),
    }
    .build()
}

/// A projection from the SDK (a description without one is read as `ALL`).
fn from_sdk_projection(projection: Option<&sdk::Projection>) -> Result<IndexProjection> {
    match projection.and_then(sdk::Projection::projection_type) {
        Some(ProjectionType::All) | None => Ok(IndexProjection::All),
        Some(ProjectionType::KeysOnly) => Ok(IndexProjection::KeysOnly),
        Some(ProjectionType::Include) => Ok(IndexProjection::Include(
            projection
                .map(sdk::Projection::non_key_attributes)
                .unwrap_or_default()
                .iter()
                .map(|n| Cow::Owned(n.clone()))
                .collect(),
        )),
        Some(other) => Err(unexpected(format!(
            "unknown projection type {}",
            other.as_str()
        ))),
    }
}

/// A key from its elements, with the types from the attribute definitions: its first
/// partition and sort attributes as a key schema, the further ones (a multi-attribute index
/// key's) as additional keys; `None` when there are no elements.
fn key_of(
    elements: &[KeySchemaElement],
    types: &HashMap<&str, &ScalarAttributeType>,
) -> Result<Option<(KeySchema, AdditionalKeys)>> {
    let attribute = |element: &KeySchemaElement| -> Result<KeyAttribute> {
        let name = element.attribute_name();
        let scalar_type = match types.get(name) {
            Some(ScalarAttributeType::S) => ScalarType::S,
            Some(ScalarAttributeType::N) => ScalarType::N,
            Some(ScalarAttributeType::B) => ScalarType::B,
            Some(other) => {
                return Err(unexpected(format!(
                    "key attribute `{name}` has unknown type {}",
                    other.as_str()
                )));
            }
            None => {
                return Err(unexpected(format!(
                    "key attribute `{name}` has no attribute definition"
                )));
            }
        };
        Ok(KeyAttribute {
            name: Cow::Owned(name.to_owned()),
            scalar_type,
        })
    };
    if elements.is_empty() {
        return Ok(None);
    }
    let (mut partition, mut sort) = (Vec::new(), Vec::new());
    for element in elements {
        match element.key_type() {
            KeyType::Hash => partition.push(attribute(element)?),
            KeyType::Range => sort.push(attribute(element)?),
            other => {
                return Err(unexpected(format!(
                    "unknown key type {} in the key schema",
                    other.as_str()
                )));
            }
        }
    }
    let mut partition = partition.into_iter();
    let mut sort = sort.into_iter();
    let Some(partition_key) = partition.next() else {
        return Err(unexpected("the key schema has no partition key".to_owned()));
    };
    let schema = KeySchema {
        partition_key,
        sort_key: sort.next(),
    };
    let additional = AdditionalKeys {
        partition_key: partition.collect::<Vec<_>>().into(),
        sort_key: sort.collect::<Vec<_>>().into(),
    };
    Ok(Some((schema, additional)))
}

/// A table's key schema from its elements (`None` without elements); a table's key has one
/// attribute a side.
fn key_schema_of(
    elements: &[KeySchemaElement],
    types: &HashMap<&str, &ScalarAttributeType>,
) -> Result<Option<KeySchema>> {
    match key_of(elements, types)? {
        Some((schema, additional)) if additional == AdditionalKeys::NONE => Ok(Some(schema)),
        Some(_) => Err(unexpected(
            "the table's key schema has more than one attribute of a kind".to_owned(),
        )),
        None => Ok(None),
    }
}

fn attribute_types(description: &sdk::TableDescription) -> HashMap<&str, &ScalarAttributeType> {
    description
        .attribute_definitions()
        .iter()
        .map(|d| (d.attribute_name(), d.attribute_type()))
        .collect()
}

/// The key schema of a table description; `None` when the service left it out.
fn key_schema(description: &sdk::TableDescription) -> Result<Option<KeySchema>> {
    key_schema_of(description.key_schema(), &attribute_types(description))
}

/// The secondary indexes of a table description: the local ones, then the global ones.
fn indexes(description: &sdk::TableDescription) -> Result<Vec<IndexSchema>> {
    let types = attribute_types(description);
    let index = |kind, name: Option<&str>, elements: &[KeySchemaElement], p| {
        let name = name.unwrap_or_default().to_owned();
        let (key_schema, additional_keys) = key_of(elements, &types)?
            .ok_or_else(|| unexpected(format!("index `{name}` has no key schema")))?;
        Ok(IndexSchema {
            name: Cow::Owned(name),
            kind,
            key_schema,
            projection: from_sdk_projection(p)?,
            additional_keys,
        })
    };
    let locals = description.local_secondary_indexes().iter().map(|i| {
        index(
            IndexKind::Local,
            i.index_name(),
            i.key_schema(),
            i.projection(),
        )
    });
    let globals = description.global_secondary_indexes().iter().map(|i| {
        index(
            IndexKind::Global,
            i.index_name(),
            i.key_schema(),
            i.projection(),
        )
    });
    locals.chain(globals).collect()
}

fn billing_mode(description: &sdk::TableDescription) -> Option<BillingMode> {
    let throughput = description.provisioned_throughput();
    let provisioned = || {
        throughput.map(|t| BillingMode::Provisioned {
            read_capacity_units: t.read_capacity_units().unwrap_or(0),
            write_capacity_units: t.write_capacity_units().unwrap_or(0),
        })
    };
    match description
        .billing_mode_summary()
        .and_then(|summary| summary.billing_mode())
    {
        Some(sdk::BillingMode::PayPerRequest) => Some(BillingMode::PayPerRequest),
        Some(sdk::BillingMode::Provisioned) => provisioned(),
        // A table created provisioned may describe itself without a billing summary.
        _ => provisioned().filter(|mode| {
            !matches!(
                mode,
                BillingMode::Provisioned {
                    read_capacity_units: 0,
                    write_capacity_units: 0
                }
            )
        }),
    }
}

/// Each global index's provisioned units, on a provisioned table (on demand, DynamoDB
/// reports zeros, which are not a setting).
fn index_throughput(
    description: &sdk::TableDescription,
) -> BTreeMap<String, ProvisionedThroughput> {
    if !matches!(
        billing_mode(description),
        Some(BillingMode::Provisioned { .. })
    ) {
        return BTreeMap::new();
    }
    description
        .global_secondary_indexes()
        .iter()
        .filter_map(|index| {
            let throughput = index.provisioned_throughput()?;
            Some((
                index.index_name()?.to_owned(),
                ProvisionedThroughput::new(
                    throughput.read_capacity_units()?,
                    throughput.write_capacity_units()?,
                ),
            ))
        })
        .collect()
}

/// A table description from the SDK. `known_schema` fills in the key schema when the service
/// leaves it out (as `DeleteTable` may).
pub(crate) fn table_description(
    description: Option<&sdk::TableDescription>,
    table_name: &str,
    known_schema: Option<&KeySchema>,
) -> Result<TableDescription> {
    let Some(description) = description else {
        return Err(unexpected(format!(
            "the service returned no description of table `{table_name}`"
        )));
    };
    let key_schema = match (key_schema(description)?, known_schema) {
        (Some(schema), _) => schema,
        (None, Some(known)) => known.clone(),
        (None, None) => {
            return Err(unexpected(format!(
                "the description of table `{table_name}` has no key schema"
            )));
        }
    };
    let mut answer = TableDescription::new(
        description.table_name().unwrap_or(table_name),
        key_schema,
        table_status(description.table_status()),
    )
    .indexes(indexes(description)?)
    .index_throughput(index_throughput(description));
    answer.billing_mode = billing_mode(description);
    answer.item_count = description.item_count();
    answer.stream = stream(description);
    super::throughput::describe(description, &mut answer);
    Ok(answer)
}

/// The table's enabled stream (`StreamSpecification` and `LatestStreamArn`).
fn stream(description: &sdk::TableDescription) -> Option<notes_core::stream::TableStream> {
    let specification = description.stream_specification()?;
    if !specification.stream_enabled() {
        return None;
    }
    let view = specification.stream_view_type()?;
    let view_type = notes_core::stream::StreamViewType::from_name(view.as_str()).ok()?;
    let mut stream = notes_core::stream::TableStream::new(view_type);
    if let Some(arn) = description.latest_stream_arn() {
        stream = stream.arn(notes_core::stream::StreamArn::new(arn));
    }
    Some(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_through_the_sdk_types() {
        let mut nested = ItemMap::new();
        nested.insert("k".to_owned(), AttributeValue::Bool(true));
        let item: ItemMap = [
            ("s", AttributeValue::S("#:)\"'".to_owned())),
            ("n", AttributeValue::N("-1.5e3".to_owned())),
            ("b", AttributeValue::B(vec![0, 255])),
            ("null", AttributeValue::Null(true)),
            ("m", AttributeValue::M(nested)),
            (
                "l",
                AttributeValue::L(vec![AttributeValue::N("1".to_owned())]),
            ),
            ("ss", AttributeValue::Ss(vec!["a".to_owned()])),
            ("ns", AttributeValue::Ns(vec!["2".to_owned()])),
            ("bs", AttributeValue::Bs(vec![vec![1]])),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let back = from_sdk_item(to_sdk_item(item.clone()).unwrap()).unwrap();
        assert_eq!(back, item);
    }

    #[test]
    fn values_nested_past_32_levels_are_refused_before_the_recursive_conversion() {
        let nested = |levels| {
            (1..levels).fold(AttributeValue::Bool(true), |v, _| {
                AttributeValue::L(vec![v])
            })
        };
        let item = |levels| ItemMap::from([("doc".to_owned(), nested(levels))]);
        assert!(to_sdk_item(item(32)).is_ok());
        // Thousands of levels would overflow the conversion's stack.
        let Err(Error::Validation { message, .. }) = to_sdk_item(item(3_000)) else {
            panic!("a validation error");
        };
        assert!(
            message.starts_with("Nesting Levels have exceeded supported limits"),
            "{message}"
        );
    }

    #[test]
    fn capacity_sums_over_tables() {
        let c = |units| ConsumedCapacity::builder().capacity_units(units).build();
        assert_eq!(total_capacity(&[c(1.0), c(0.5)]), Some(1.5));
        assert_eq!(total_capacity(&[]), None);
    }

    #[test]
    fn a_key_schema_becomes_elements_and_definitions() {
        let schema = KeySchema {
            partition_key: KeyAttribute::new("userId", ScalarType::S),
            sort_key: Some(KeyAttribute::new("createdAt", ScalarType::N)),
        };
        let elements = key_schema_elements(&schema).unwrap();
        let definitions = attribute_definitions(schema.attributes()).unwrap();
        let description = sdk::TableDescription::builder()
            .set_key_schema(Some(elements))
            .set_attribute_definitions(Some(definitions))
            .table_status(sdk::TableStatus::Active)
            .build();
        let described = table_description(Some(&description), "t", None).unwrap();
        assert_eq!(described.key_schema, schema);
        assert_eq!(described.status, notes_core::request::TableStatus::Active);
        assert_eq!(described.table_name, "t");
    }

    /// A global index of four partition and four sort attributes: every one sent as a
    /// `KeySchema` element (HASH ones first) and defined once, and read back from the
    /// description into the same schema.
    #[test]
    fn a_multi_attribute_index_key_becomes_elements_and_comes_back() {
        let attribute = |name: &str, scalar_type| KeyAttribute {
            name: Cow::Owned(name.to_owned()),
            scalar_type,
        };
        let table = KeySchema {
            partition_key: attribute("id", ScalarType::S),
            sort_key: None,
        };
        let index = IndexSchema {
            name: Cow::Borrowed("byPlace"),
            kind: IndexKind::Global,
            key_schema: KeySchema {
                partition_key: attribute("tenant", ScalarType::S),
                sort_key: Some(attribute("year", ScalarType::N)),
            },
            projection: IndexProjection::KeysOnly,
            additional_keys: AdditionalKeys {
                partition_key: vec![
                    attribute("region", ScalarType::S),
                    attribute("site", ScalarType::B),
                    attribute("id", ScalarType::S),
                ]
                .into(),
                sort_key: vec![
                    attribute("month", ScalarType::N),
                    attribute("day", ScalarType::N),
                    attribute("slot", ScalarType::S),
                ]
                .into(),
            },
        };
        let elements = index_key_schema_elements(&index).unwrap();
        let shown: Vec<_> = elements
            .iter()
            .map(|e| format!("{} {}", e.attribute_name(), e.key_type().as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                "tenant HASH",
                "region HASH",
                "site HASH",
                "id HASH",
                "year RANGE",
                "month RANGE",
                "day RANGE",
                "slot RANGE"
            ]
        );
        let definitions =
            attribute_definitions(table.attributes().chain(index.key_attributes())).unwrap();
        assert_eq!(definitions.len(), 8, "`id` is defined once");
        let description = sdk::TableDescription::builder()
            .set_key_schema(Some(key_schema_elements(&table).unwrap()))
            .set_attribute_definitions(Some(definitions))
            .global_secondary_indexes(
                sdk::GlobalSecondaryIndexDescription::builder()
                    .index_name("byPlace")
                    .set_key_schema(Some(elements))
                    .projection(projection(&index.projection))
                    .build(),
            )
            .table_status(sdk::TableStatus::Active)
            .build();
        let described = table_description(Some(&description), "t", None).unwrap();
        assert_eq!(described.indexes, [index]);
    }
}
