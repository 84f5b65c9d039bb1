//! Items, keys and attribute values: key attribute types and sizes, numbers, sets, nesting,
//! and the sizes DynamoDB counts.

pub(super) use super::location::Location;
use std::collections::HashSet;
use std::fmt;

use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType, type_descriptor};

use super::nesting::too_deep;
use super::{
    INVALID, MAX_ITEM_SIZE, MAX_NESTING_LEVELS, MAX_PARTITION_KEY_SIZE, MAX_SORT_KEY_SIZE, invalid,
};
use crate::error::{Error, Result};
use crate::number::{Number, NumberError};

/// Checks a whole item for `PutItem` (and the result of an update): key attributes, values,
/// nesting and the 400 KB item size; answers the size ([`item_size`]), so a caller that keeps
/// it need not measure the item again.
///
/// ```
/// use notes_core::validate;
/// use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};
///
/// let schema = KeySchema {
///     partition_key: KeyAttribute::new("id", ScalarType::S),
///     sort_key: None,
/// };
/// let item = ItemMap::from([("id".to_owned(), AttributeValue::S("a".into()))]);
/// assert_eq!(validate::item(&item, &schema)?, 3);
/// # Ok::<(), notes_core::Error>(())
/// ```
pub fn item(item: &ItemMap, schema: &KeySchema) -> Result<usize> {
    item_key_values(item, schema).map(|(size, _)| size)
}

/// [`item`]'s checks, answering the size and the key attributes' values in the schema's order
/// (the partition key's, then the sort key's if any), as [`key_values`] does for a key.
///
/// ```
/// use notes_core::validate;
/// use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};
///
/// let schema = KeySchema {
///     partition_key: KeyAttribute::new("id", ScalarType::S),
///     sort_key: None,
/// };
/// let item = ItemMap::from([("id".to_owned(), AttributeValue::S("a".into()))]);
/// let (size, (partition, sort)) = validate::item_key_values(&item, &schema)?;
/// assert_eq!((size, partition, sort), (3, &AttributeValue::S("a".into()), None));
/// # Ok::<(), notes_core::Error>(())
/// ```
pub fn item_key_values<'i>(
    item: &'i ItemMap,
    schema: &KeySchema,
) -> Result<(usize, (&'i AttributeValue, Option<&'i AttributeValue>))> {
    let key = |attribute: &KeyAttribute, is_partition: bool| {
        let name = attribute.name.as_ref();
        match item.get(name) {
            None => Err(invalid(format!("Missing the key {name} in the item"))),
            Some(value) if ScalarType::of(value) != Some(attribute.scalar_type) => {
                Err(invalid(format!(
                    "Type mismatch for key {name} expected: {} actual: {}",
                    attribute.scalar_type,
                    type_descriptor(value)
                )))
            }
            Some(value) => key_value(attribute, value, is_partition).map(|()| value),
        }
    };
    let partition = key(&schema.partition_key, true)?;
    let sort = match &schema.sort_key {
        Some(sort_key) => Some(key(sort_key, false)?),
        None => None,
    };
    for (name, value) in item {
        attribute_value(value, &Location::attribute(name), Context::Item)?;
    }
    let size = item_size(item);
    if size > MAX_ITEM_SIZE {
        return Err(Error::ItemTooLarge {
            message: format!(
                "Item size has exceeded the maximum allowed size ({size} bytes; the limit is \
                 {MAX_ITEM_SIZE} bytes, counting attribute names and values)"
            ),
            source: None,
        });
    }
    Ok((size, (partition, sort)))
}

/// A key map whose attributes are not exactly the expected ones, for error messages.
pub struct KeyShapeMismatch {
    /// `userId (S), noteId (S)`
    pub expected: String,
    /// The attributes found, sorted, as `name (TYPE)`; empty when there were none.
    pub got: String,
}

/// Checks that `key` holds exactly `attributes`, each with its scalar type.
pub fn key_shape(key: &ItemMap, attributes: &[&KeyAttribute]) -> Result<(), KeyShapeMismatch> {
    let matches = key.len() == attributes.len()
        && attributes
            .iter()
            .all(|a| key.get(a.name.as_ref()).and_then(ScalarType::of) == Some(a.scalar_type));
    if matches {
        return Ok(());
    }
    let expected: Vec<String> = attributes
        .iter()
        .map(|a| format!("{} ({})", a.name, a.scalar_type))
        .collect();
    let mut got: Vec<String> = key
        .iter()
        .map(|(name, value)| format!("{name} ({})", type_descriptor(value)))
        .collect();
    got.sort();
    Err(KeyShapeMismatch {
        expected: expected.join(", "),
        got: got.join(", "),
    })
}

/// Checks a `Key` parameter: exactly the schema's key attributes, with valid values.
///
/// ```
/// use notes_core::validate;
/// use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};
///
/// let schema = KeySchema {
///     partition_key: KeyAttribute::new("id", ScalarType::S),
///     sort_key: None,
/// };
/// let key = ItemMap::from([("id".to_owned(), AttributeValue::S("a".into()))]);
/// assert!(validate::key(&key, &schema).is_ok());
/// assert!(validate::key(&ItemMap::new(), &schema).is_err());
/// ```
pub fn key(key: &ItemMap, schema: &KeySchema) -> Result<()> {
    key_values(key, schema).map(drop)
}

/// Checks a `Key` parameter as [`key`] does and answers its values in the schema's order (the
/// partition key's, then the sort key's if the schema has one), each looked up once: what
/// an engine builds the item's ordering key from.
///
/// ```
/// use notes_core::validate;
/// use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};
///
/// let schema = KeySchema {
///     partition_key: KeyAttribute::new("id", ScalarType::S),
///     sort_key: Some(KeyAttribute::new("at", ScalarType::N)),
/// };
/// let key = ItemMap::from([
///     ("id".to_owned(), AttributeValue::S("a".into())),
///     ("at".to_owned(), AttributeValue::N("7".into())),
/// ]);
/// let (partition, sort) = validate::key_values(&key, &schema)?;
/// assert_eq!(partition, &AttributeValue::S("a".into()));
/// assert_eq!(sort, Some(&AttributeValue::N("7".into())));
/// # Ok::<(), notes_core::Error>(())
/// ```
pub fn key_values<'k>(
    key: &'k ItemMap,
    schema: &KeySchema,
) -> Result<(&'k AttributeValue, Option<&'k AttributeValue>)> {
    // A key map holds one or two attributes: comparing their names costs less than hashing.
    let (mut partition, mut sort) = (None, None);
    let expected = 1 + usize::from(schema.sort_key.is_some());
    if key.len() == expected {
        for (name, value) in key {
            if *name == *schema.partition_key.name {
                partition = Some(value);
            } else if schema.sort_key.as_ref().is_some_and(|sk| *name == *sk.name) {
                sort = Some(value);
            }
        }
    }
    let typed = |attribute: &KeyAttribute, value: Option<&AttributeValue>| {
        value.is_some_and(|value| ScalarType::of(value) == Some(attribute.scalar_type))
    };
    let shaped = typed(&schema.partition_key, partition)
        && schema
            .sort_key
            .as_ref()
            .is_none_or(|sort_key| typed(sort_key, sort));
    let (Some(partition), true) = (partition, shaped) else {
        return Err(shape_mismatch(key, schema));
    };
    key_value(&schema.partition_key, partition, true)?;
    if let (Some(sort_key), Some(sort)) = (&schema.sort_key, sort) {
        key_value(sort_key, sort, false)?;
    }
    Ok((partition, sort))
}

/// DynamoDB's refusal of a `Key` whose attributes are not exactly the schema's.
fn shape_mismatch(key: &ItemMap, schema: &KeySchema) -> Error {
    let attributes: Vec<&KeyAttribute> = schema.attributes().collect();
    let mismatch = match key_shape(key, &attributes) {
        Ok(()) => KeyShapeMismatch {
            expected: String::new(),
            got: String::new(),
        },
        Err(mismatch) => mismatch,
    };
    Error::validation(format!(
        "The provided key element does not match the schema (expected {}; got {})",
        mismatch.expected,
        if mismatch.got.is_empty() {
            "no attributes"
        } else {
            &mismatch.got
        }
    ))
}

/// Checks one key attribute value: not empty, within the key size limit (of a partition key
/// attribute when `is_partition`, else of a sort key attribute), a valid number.
pub(super) fn key_value(
    attribute: &KeyAttribute,
    value: &AttributeValue,
    is_partition: bool,
) -> Result<()> {
    let name = attribute.name.as_ref();
    let size = match value {
        AttributeValue::S(s) if s.is_empty() => {
            return Err(Error::validation(format!(
                "One or more parameter values are not valid. The AttributeValue for a key \
                 attribute cannot contain an empty string value. Key: {name}"
            )));
        }
        AttributeValue::B(b) if b.is_empty() => {
            return Err(Error::validation(format!(
                "One or more parameter values are not valid. The AttributeValue for a key \
                 attribute cannot contain an empty binary value. Key: {name}"
            )));
        }
        AttributeValue::N(text) => match Number::canonical_integer_size(text) {
            Some(size) => size,
            None => number(text, &Location::attribute(name))?.stored_size(),
        },
        other => value_size(other),
    };
    if is_partition && size > MAX_PARTITION_KEY_SIZE {
        return Err(invalid(format!(
            "Size of hashkey has exceeded the maximum size limit of{MAX_PARTITION_KEY_SIZE} bytes \
             (key {name} is {size} bytes)"
        )));
    }
    if !is_partition && size > MAX_SORT_KEY_SIZE {
        return Err(invalid(format!(
            "Aggregated size of all range keys has exceeded the size limit of \
             {MAX_SORT_KEY_SIZE} bytes (key {name} is {size} bytes)"
        )));
    }
    Ok(())
}

/// Checks the size of a secondary index key value written to the table: at most 2048 bytes for
/// the index's partition key, 1024 for its sort key, as for the table's own keys.
pub fn index_key_size(
    index: &str,
    attribute: &str,
    partition: bool,
    value: &AttributeValue,
) -> Result<()> {
    let size = value_size(value);
    let (limit, what) = if partition {
        (
            MAX_PARTITION_KEY_SIZE,
            "Size of hashkey has exceeded the maximum size limit of",
        )
    } else {
        (
            MAX_SORT_KEY_SIZE,
            "Aggregated size of all range keys has exceeded the size limit of ",
        )
    };
    if size > limit {
        return Err(invalid(format!(
            "{what}{limit} bytes (IndexName: {index}, IndexKey: {attribute} is {size} bytes)"
        )));
    }
    Ok(())
}

/// The size DynamoDB counts for an item: each attribute's name (UTF-8 bytes) plus its value.
pub fn item_size(item: &ItemMap) -> usize {
    item.iter()
        .map(|(name, value)| name.len() + value_size(value))
        .sum()
}

/// The size DynamoDB counts for one value. Iterative, so any input is safe to measure; scalars
/// (most attributes) are measured without allocating, since queries measure every item read.
pub(crate) fn value_size(value: &AttributeValue) -> usize {
    if !matches!(value, AttributeValue::L(_) | AttributeValue::M(_)) {
        return own_size(value);
    }
    let mut total = 0;
    let mut stack = vec![value];
    while let Some(value) = stack.pop() {
        total += own_size(value);
        match value {
            AttributeValue::L(list) => stack.extend(list),
            AttributeValue::M(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    total
}

/// A value's size without its nested values' (a list's or map's overhead and keys).
fn own_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => number_size(n),
        AttributeValue::B(b) => b.len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
        AttributeValue::Ns(set) => set.iter().map(|n| number_size(n)).sum(),
        AttributeValue::Bs(set) => set.iter().map(Vec::len).sum(),
        AttributeValue::L(list) => 3 + list.len(),
        AttributeValue::M(map) => 3 + map.keys().map(|k| k.len() + 1).sum::<usize>(),
    }
}

fn number_size(text: &str) -> usize {
    // An invalid number is rejected elsewhere; count its characters meanwhile.
    Number::canonical_integer_size(text)
        .unwrap_or_else(|| Number::parse(text).map_or(text.len(), |n| n.stored_size()))
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Context {
    Item,
    Expression,
}

/// Checks one value and everything inside it: numbers, sets, nesting.
pub(super) fn attribute_value(
    value: &AttributeValue,
    at: &Location<'_>,
    context: Context,
) -> Result<()> {
    walk(value, at, 1).map_err(|message| {
        Error::validation(match context {
            Context::Item => message,
            // DynamoDB reports too deep a value bare, everything else wrapped.
            Context::Expression if !message.starts_with("Nesting Levels") => {
                format!("ExpressionAttributeValues contains invalid value: {message}")
            }
            Context::Expression => message,
        })
    })
}

fn walk(value: &AttributeValue, at: &Location<'_>, level: usize) -> Result<(), String> {
    if level > MAX_NESTING_LEVELS {
        return Err(too_deep(at));
    }
    match value {
        AttributeValue::N(text) if Number::canonical_integer_size(text).is_some() => Ok(()),
        AttributeValue::N(text) => number(text, at).map(drop).map_err(error_message),
        AttributeValue::Ss(set) => distinct(set.iter(), "SS", at, |s| s.clone()),
        AttributeValue::Bs(set) => distinct(set.iter(), "BS", at, |b| b.clone()),
        AttributeValue::Ns(set) => {
            let mut numbers = Vec::with_capacity(set.len());
            for text in set {
                numbers.push(number(text, at).map_err(error_message)?);
            }
            distinct(numbers.iter(), "NS", at, |n| n.clone())
        }
        AttributeValue::L(list) => list
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| walk(v, &Location::Index(at, i), level + 1)),
        AttributeValue::M(map) => map
            .iter()
            .try_for_each(|(k, v)| walk(v, &Location::Key(at, k), level + 1)),
        _ => Ok(()),
    }
}

fn error_message(error: Error) -> String {
    match error {
        Error::Validation { message, .. } => message,
        other => other.to_string(),
    }
}

/// Rejects empty sets and duplicate elements, with DynamoDB's messages for each set type.
fn distinct<'v, T: 'v + fmt::Debug, K: std::hash::Hash + Eq>(
    set: impl ExactSizeIterator<Item = &'v T> + Clone,
    kind: &str,
    at: &Location<'_>,
    key: impl Fn(&T) -> K,
) -> Result<(), String> {
    if set.len() == 0 {
        // DynamoDB's own wording, double space included.
        let empty = match kind {
            "SS" => "An string set  may not be empty",
            "NS" => "An number set  may not be empty",
            _ => "Binary sets should not be empty",
        };
        return Err(format!("{INVALID}{empty} ({at})"));
    }
    let mut seen = HashSet::with_capacity(set.len());
    for element in set.clone() {
        if !seen.insert(key(element)) {
            let listing = match kind {
                "SS" => {
                    let all: Vec<String> = set
                        .map(|e| format!("{e:?}").trim_matches('"').to_owned())
                        .collect();
                    format!(" [{}]", all.join(", "))
                }
                _ => String::new(),
            };
            let end = if listing.is_empty() { "" } else { "." };
            return Err(format!(
                "{INVALID}Input collection{listing} contains duplicates{end} ({at} has {element:?} \
                 twice)"
            ));
        }
    }
    Ok(())
}

fn number(text: &str, at: &Location<'_>) -> Result<Number> {
    Number::parse(text).map_err(|e| {
        Error::validation(match e {
            NumberError::Invalid => format!("{e}: {text} ({at})"),
            _ => format!("{e} ({at}: \"{text}\")"),
        })
    })
}

#[cfg(test)]
mod tests {
    use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};

    use super::*;
    use crate::validate::test_values::{message, n, nested, note, s, schema};

    #[test]
    fn an_item_of_exactly_400_kb_fits_and_one_byte_more_does_not() {
        // userId(6) + "u"(1) + noteId(6) + "n"(1) + data(4) = 18 bytes besides the payload.
        let fits = note(&[("data", s(&"x".repeat(MAX_ITEM_SIZE - 18)))]);
        assert_eq!(item_size(&fits), MAX_ITEM_SIZE);
        assert!(item(&fits, &schema()).is_ok());
        let over = note(&[("data", s(&"x".repeat(MAX_ITEM_SIZE - 17)))]);
        let m = match item(&over, &schema()) {
            Err(Error::ItemTooLarge {
                message,
                source: None,
            }) => message,
            other => panic!("expected ItemTooLarge, got {other:?}"),
        };
        assert!(
            m.starts_with("Item size has exceeded the maximum allowed size"),
            "{m}"
        );
        assert!(m.contains("409601 bytes"), "{m}");
    }

    #[test]
    fn partition_keys_hold_2048_bytes_and_sort_keys_1024() {
        let with = |pk: String, sk: String| {
            ItemMap::from([("userId".to_owned(), s(&pk)), ("noteId".to_owned(), s(&sk))])
        };
        assert!(item(&with("p".repeat(2048), "s".repeat(1024)), &schema()).is_ok());
        let m = message(item(&with("p".repeat(2049), "s".into()), &schema()));
        assert!(m.starts_with("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"), "{m}");
        assert!(m.contains("userId is 2049 bytes"), "{m}");
        let m = message(key(&with("p".into(), "s".repeat(1025)), &schema()));
        assert!(
            m.contains(
                "Aggregated size of all range keys has exceeded the size limit of 1024 bytes"
            ),
            "{m}"
        );
        assert!(m.contains("noteId"), "{m}");
        // Multi-byte characters count in bytes.
        let m = message(key(&with("é".repeat(1025), "s".into()), &schema()));
        assert!(
            m.contains("Size of hashkey has exceeded") && m.contains("userId is 2050 bytes"),
            "{m}"
        );
    }

    #[test]
    fn key_attributes_must_be_present_typed_and_not_empty() {
        let m = message(item(
            &ItemMap::from([("userId".to_owned(), s("u"))]),
            &schema(),
        ));
        assert_eq!(
            m,
            "One or more parameter values were invalid: Missing the key noteId in the item"
        );
        let m = message(item(&note(&[("noteId", n("1"))]), &schema()));
        assert_eq!(
            m,
            "One or more parameter values were invalid: Type mismatch for key noteId expected: S actual: N"
        );
        let m = message(item(&note(&[("userId", s(""))]), &schema()));
        assert!(
            m.ends_with("cannot contain an empty string value. Key: userId"),
            "{m}"
        );
        let binary = KeySchema {
            partition_key: KeyAttribute::new("id", ScalarType::B),
            sort_key: None,
        };
        let m = message(key(
            &ItemMap::from([("id".to_owned(), AttributeValue::B(vec![]))]),
            &binary,
        ));
        assert!(
            m.ends_with("cannot contain an empty binary value. Key: id"),
            "{m}"
        );
        // Empty strings are fine outside keys.
        assert!(item(&note(&[("content", s(""))]), &schema()).is_ok());
    }

    #[test]
    fn keys_must_be_exactly_the_schema() {
        assert!(key(&note(&[]), &schema()).is_ok());
        for bad in [
            note(&[("content", s("x"))]),
            ItemMap::from([("userId".to_owned(), s("u"))]),
            ItemMap::from([("userid".to_owned(), s("u")), ("noteId".to_owned(), s("n"))]),
            note(&[("noteId", n("1"))]),
        ] {
            let m = message(key(&bad, &schema()));
            assert!(
                m.starts_with("The provided key element does not match the schema"),
                "{m}"
            );
            assert!(m.contains("expected userId (S), noteId (S)"), "{m}");
        }
    }

    #[test]
    fn nesting_stops_at_32_levels() {
        assert!(item(&note(&[("doc", nested(32))]), &schema()).is_ok());
        let m = message(item(&note(&[("doc", nested(33))]), &schema()));
        assert!(
            m.starts_with("Nesting Levels have exceeded supported limits"),
            "{m}"
        );
        assert!(m.contains("attribute `doc.m.m"), "{m}");
        let list = (1..32).fold(s("leaf"), |inner, _| AttributeValue::L(vec![inner]));
        assert!(item(&note(&[("doc", list.clone())]), &schema()).is_ok());
        let m = message(item(
            &note(&[("doc", AttributeValue::L(vec![list]))]),
            &schema(),
        ));
        assert!(
            m.starts_with("Nesting Levels have exceeded supported limits"),
            "{m}"
        );
    }

    #[test]
    fn numbers_sets_and_duplicates_are_checked_everywhere() {
        let m = message(item(&note(&[("price", n("1.2.3"))]), &schema()));
        assert!(
            m.starts_with("The parameter cannot be converted to a numeric value: 1.2.3"),
            "{m}"
        );
        assert!(m.contains("attribute `price`"), "{m}");
        let deep = AttributeValue::M(ItemMap::from([(
            "list".to_owned(),
            AttributeValue::L(vec![n("1"), n(&"9".repeat(39))]),
        )]));
        let m = message(item(&note(&[("meta", deep)]), &schema()));
        assert!(
            m.starts_with("Attempting to store more than 38 significant digits in a Number"),
            "{m}"
        );
        assert!(m.contains("attribute `meta.list[1]`"), "{m}");
        let m = message(item(
            &note(&[("tags", AttributeValue::Ss(vec![]))]),
            &schema(),
        ));
        assert!(
            m.starts_with(
                "One or more parameter values were invalid: An string set  may not be empty"
            ),
            "{m}"
        );
        let dup = AttributeValue::Ss(vec!["a".into(), "a".into()]);
        let m = message(item(&note(&[("tags", dup)]), &schema()));
        assert!(
            m.contains("Input collection [a, a] contains duplicates."),
            "{m}"
        );
        let m = message(item(
            &note(&[("ns", AttributeValue::Ns(vec!["1".into(), "1.0".into()]))]),
            &schema(),
        ));
        assert!(m.contains("Input collection contains duplicates"), "{m}");
        let m = message(item(
            &note(&[("bs", AttributeValue::Bs(vec![vec![1], vec![1]]))]),
            &schema(),
        ));
        assert!(m.contains("Input collection contains duplicates"), "{m}");
        let m = message(key(
            &ItemMap::from([("userId".to_owned(), s("u")), ("noteId".to_owned(), s("n"))]),
            &KeySchema {
                partition_key: KeyAttribute::new("userId", ScalarType::S),
                sort_key: Some(KeyAttribute::new("noteId", ScalarType::N)),
            },
        ));
        assert!(
            m.starts_with("The provided key element does not match the schema"),
            "{m}"
        );
    }

    #[test]
    fn item_size_follows_dynamodbs_rules() {
        let one = |name: &str, v: AttributeValue| item_size(&ItemMap::from([(name.to_owned(), v)]));
        assert_eq!(one("a", s("héllo")), 1 + 6);
        assert_eq!(one("a", n("123")), 1 + 3);
        assert_eq!(one("a", n("-1")), 1 + 3);
        assert_eq!(one("a", AttributeValue::B(vec![0; 10])), 11);
        assert_eq!(one("a", AttributeValue::Bool(true)), 2);
        assert_eq!(one("a", AttributeValue::Null(true)), 2);
        assert_eq!(
            one("a", AttributeValue::Ss(vec!["ab".into(), "c".into()])),
            1 + 3
        );
        assert_eq!(
            one(
                "a",
                AttributeValue::M(ItemMap::from([("k".to_owned(), s("v"))]))
            ),
            1 + 3 + 1 + 1 + 1
        );
        assert_eq!(
            one("a", AttributeValue::L(vec![s("ab"), n("1")])),
            1 + 3 + 2 + 2 + 2
        );
        assert_eq!(one("a", AttributeValue::L(vec![])), 1 + 3);
    }

    #[test]
    fn index_keys_have_the_table_key_size_limits() {
        assert!(index_key_size("byTag", "tag", true, &s(&"t".repeat(2048))).is_ok());
        let m = message(index_key_size("byTag", "tag", true, &s(&"t".repeat(2049))));
        assert_eq!(
            m,
            "One or more parameter values were invalid: Size of hashkey has exceeded the maximum \
             size limit of2048 bytes (IndexName: byTag, IndexKey: tag is 2049 bytes)"
        );
        assert!(index_key_size("byTitle", "title", false, &s(&"t".repeat(1024))).is_ok());
        let m = message(index_key_size(
            "byTitle",
            "title",
            false,
            &s(&"é".repeat(513)),
        ));
        assert_eq!(
            m,
            "One or more parameter values were invalid: Aggregated size of all range keys has \
             exceeded the size limit of 1024 bytes (IndexName: byTitle, IndexKey: title is 1026 \
             bytes)"
        );
    }
}
