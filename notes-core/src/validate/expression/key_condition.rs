//! Key conditions (`KeyConditionExpression`): each term matched to an attribute of the key
//! read (a table's, or an index's of up to four partition and four sort attributes), with
//! DynamoDB's rules and messages; and the condition as the key's attributes see it
//! ([`BoundKeyCondition`]), for a backend to read.

use std::cmp::Ordering;

use notes_model::expr::{Comparator, KeyCondition, KeyTerm, SortKeyCondition};
use notes_model::{
    AttributeValue, IndexSchema, KeyAttribute, KeySchema, ScalarType, type_descriptor,
};

use super::super::invalid;
use super::super::value::key_value;
use super::{compare_scalars, describe};
use crate::error::{Error, Result};

/// A key condition matched to the key it reads: the value of every partition attribute, the
/// equalities on the leading sort attributes, and the condition on the sort attribute after
/// them, each in the key's order (whatever order the condition gave them in).
///
/// ```
/// use notes_core::validate::bind_key_condition;
/// use notes_model::expr::{KeyCondition, SortKeyCondition};
/// use notes_model::{AttributeValue, KeyAttribute, ScalarType};
///
/// let n = |v: &str| AttributeValue::N(v.into());
/// let (tenant, year, month) = (
///     KeyAttribute::new("tenant", ScalarType::S),
///     KeyAttribute::new("year", ScalarType::N),
///     KeyAttribute::new("month", ScalarType::N),
/// );
/// let kc = KeyCondition::partition("tenant", AttributeValue::S("t1".into()))
///     .and_leading_sort_key("year", n("2026"))
///     .with_sort_key("month", SortKeyCondition::Between(n("1"), n("6")));
/// let bound = bind_key_condition(&kc, &[&tenant], &[&year, &month])?;
/// assert_eq!(bound.sort_equalities, [&n("2026")]);
/// assert!(matches!(bound.sort_condition, Some(SortKeyCondition::Between(..))));
/// # Ok::<(), notes_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BoundKeyCondition<'a> {
    /// The value of each partition attribute, in the key's order.
    pub partition: Vec<&'a AttributeValue>,
    /// The values the leading sort attributes equal, in the key's order.
    pub sort_equalities: Vec<&'a AttributeValue>,
    /// The condition on the sort attribute after those, if any.
    pub sort_condition: Option<&'a SortKeyCondition>,
}

/// Checks a `KeyConditionExpression` against the table's key schema: names, value types,
/// operators allowed on sort keys.
///
/// ```
/// use notes_core::validate::key_condition;
/// use notes_model::expr::KeyCondition;
/// use notes_model::{AttributeValue, Item, Note};
///
/// let kc = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
/// assert!(key_condition(&kc, &Note::KEY_SCHEMA).is_ok());
/// ```
pub fn key_condition(condition: &KeyCondition, schema: &KeySchema) -> Result<()> {
    let sort: Vec<&KeyAttribute> = schema.sort_key.iter().collect();
    bind_key_condition(condition, &[&schema.partition_key], &sort).map(drop)
}

/// Checks a `KeyConditionExpression` on an index (of any number of key attributes), and
/// answers it as the index's key attributes see it.
///
/// ```
/// use notes_core::validate::index_key_condition;
/// use notes_model::expr::KeyCondition;
/// use notes_model::{AdditionalKeys, AttributeValue, IndexKind, IndexProjection, IndexSchema};
/// use notes_model::{KeyAttribute, KeySchema, ScalarType};
///
/// static REGION: [KeyAttribute; 1] = [KeyAttribute::new("region", ScalarType::S)];
/// let by_region = IndexSchema {
///     name: "byRegion".into(),
///     kind: IndexKind::Global,
///     key_schema: KeySchema {
///         partition_key: KeyAttribute::new("tenant", ScalarType::S),
///         sort_key: None,
///     },
///     projection: IndexProjection::All,
///     additional_keys: AdditionalKeys::partition(&REGION),
/// };
/// let kc = KeyCondition::partition("region", AttributeValue::S("eu".into()))
///     .and_partition_key("tenant", AttributeValue::S("t1".into()));
/// let bound = index_key_condition(&kc, &by_region)?;
/// assert_eq!(bound.partition[0], &AttributeValue::S("t1".into()));
/// # Ok::<(), notes_core::Error>(())
/// ```
pub fn index_key_condition<'a>(
    condition: &'a KeyCondition,
    index: &IndexSchema,
) -> Result<BoundKeyCondition<'a>> {
    let partition: Vec<&KeyAttribute> = index.partition_key_attributes().collect();
    let sort: Vec<&KeyAttribute> = index.sort_key_attributes().collect();
    bind_key_condition(condition, &partition, &sort)
}

/// Matches a key condition to a key of `partition` and `sort` attributes (in the key's
/// order) by DynamoDB's rules, and checks its values.
///
/// A key of one partition and at most one sort attribute takes a partition-key equality and
/// one sort key condition. A multi-attribute key takes an equality on every partition
/// attribute and conditions on its sort attributes left to right, equalities on all but the
/// last one given, which may take any condition; DynamoDB checks, in this order: no more
/// conditions than key attributes, every partition attribute's equality, no condition on
/// another attribute, then no gap and no range before the last sort attribute constrained.
///
/// ```
/// use notes_core::{Error, validate::bind_key_condition};
/// use notes_model::expr::KeyCondition;
/// use notes_model::{AttributeValue, KeyAttribute, ScalarType};
///
/// let (tenant, region) = (
///     KeyAttribute::new("tenant", ScalarType::S),
///     KeyAttribute::new("region", ScalarType::S),
/// );
/// let kc = KeyCondition::partition("tenant", AttributeValue::S("t1".into()));
/// let Err(Error::Validation { message, .. }) = bind_key_condition(&kc, &[&tenant, &region], &[])
/// else {
///     panic!("the region has no equality")
/// };
/// assert_eq!(
///     message,
///     "HASH key attributes region must have equality conditions specified in the query"
/// );
/// ```
pub fn bind_key_condition<'a>(
    condition: &'a KeyCondition,
    partition: &[&KeyAttribute],
    sort: &[&KeyAttribute],
) -> Result<BoundKeyCondition<'a>> {
    let bound = if partition.len() == 1 && sort.len() <= 1 && !condition.is_multi_attribute() {
        single(condition, partition[0], sort.first().copied())?
    } else {
        multiple(condition, partition, sort)?
    };
    let values = partition.iter().zip(&bound.partition);
    for (attribute, value) in values {
        key_condition_value(attribute, value, true)?;
    }
    let equalities = sort.iter().zip(&bound.sort_equalities);
    for (attribute, value) in equalities {
        key_condition_value(attribute, value, false)?;
    }
    if let Some(condition) = bound.sort_condition {
        let attribute = sort[bound.sort_equalities.len()];
        sort_condition(attribute, condition)?;
    }
    Ok(bound)
}

/// A key of one partition and at most one sort attribute: the names the condition gives its
/// partition key and sort key must be the key's.
fn single<'a>(
    condition: &'a KeyCondition,
    pk: &KeyAttribute,
    sk: Option<&KeyAttribute>,
) -> Result<BoundKeyCondition<'a>> {
    let (name, value) = &condition.partition_key;
    if *name != pk.name {
        return Err(Error::validation(format!(
            "Query condition missed key schema element: {} (the condition is on `{name}`)",
            pk.name
        )));
    }
    let sort_condition = match (&condition.sort_key, sk) {
        (None, _) => None,
        (Some((sk_name, condition)), Some(sk)) if sk.name == *sk_name => Some(condition),
        // DynamoDB names the key the condition missed: "Query condition missed key schema
        // element: c" for a condition on the table's sort key in a query of an index sorted
        // by `c`.
        (Some((sk_name, _)), Some(sk)) => {
            return Err(Error::validation(format!(
                "Query condition missed key schema element: {} (the condition is on `{sk_name}`)",
                sk.name
            )));
        }
        (Some((sk_name, _)), None) => {
            return Err(Error::validation(format!(
                "Query key condition not supported (condition on `{sk_name}`, but the table has \
                 no sort key)"
            )));
        }
    };
    Ok(BoundKeyCondition {
        partition: vec![value],
        sort_equalities: Vec::new(),
        sort_condition,
    })
}

/// A multi-attribute key: every term matched by name.
fn multiple<'a>(
    condition: &'a KeyCondition,
    partition: &[&KeyAttribute],
    sort: &[&KeyAttribute],
) -> Result<BoundKeyCondition<'a>> {
    let terms: Vec<(&str, KeyTerm<'a>)> = condition.terms().collect();
    bind_key_terms(&terms, partition, sort)
}

/// Matches the terms of a key condition (each attribute with its condition, in any order) to
/// a multi-attribute key of `partition` and `sort` attributes, by DynamoDB's rules, in its
/// order of checks, with its messages (which name the attributes at fault); the values are
/// not checked (see [`bind_key_condition`]). For a server that reads a
/// `KeyConditionExpression`, whose terms are the key's to tell apart.
///
/// ```
/// use notes_core::{Error, validate::bind_key_terms};
/// use notes_model::expr::{Comparator, KeyTerm, SortKeyCondition};
/// use notes_model::{AttributeValue, KeyAttribute, ScalarType};
///
/// let attribute = |name| KeyAttribute::new(name, ScalarType::N);
/// let (year, month, day) = (attribute("year"), attribute("month"), attribute("day"));
/// let (tenant, v) = (KeyAttribute::new("tenant", ScalarType::S), AttributeValue::N("1".into()));
/// let after = SortKeyCondition::Compare(Comparator::Gt, v.clone());
/// let terms = [
///     ("tenant", KeyTerm::Equals(&v)),
///     ("year", KeyTerm::Equals(&v)),
///     ("day", KeyTerm::Sort(&after)),
/// ];
/// let Err(Error::Validation { message, .. }) =
///     bind_key_terms(&terms, &[&tenant], &[&year, &month, &day])
/// else {
///     panic!("month has no condition")
/// };
/// assert_eq!(
///     message,
///     "RANGE key attributes month must have equality conditions specified in the query \
///      because a condition is present on key attribute day"
/// );
/// ```
pub fn bind_key_terms<'a>(
    terms: &[(&str, KeyTerm<'a>)],
    partition: &[&KeyAttribute],
    sort: &[&KeyAttribute],
) -> Result<BoundKeyCondition<'a>> {
    for (i, (name, _)) in terms.iter().enumerate() {
        if terms[..i].iter().any(|(earlier, _)| earlier == name) {
            return Err(Error::validation(format!(
                "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one \
                 condition per key (two conditions on {name})"
            )));
        }
    }
    let (given, defined) = (terms.len(), partition.len() + sort.len());
    if given > defined {
        return Err(Error::validation(format!(
            "The number of query conditions ({given}) exceeds the number of key attributes \
             defined in the schema ({defined})"
        )));
    }
    let term = |attribute: &KeyAttribute| {
        terms
            .iter()
            .find(|(name, _)| *name == attribute.name)
            .map(|(_, term)| *term)
    };
    let equality = |attribute: &KeyAttribute| term(attribute).and_then(KeyTerm::equality);
    let without_equality = |attributes: &[&KeyAttribute]| -> Vec<String> {
        attributes
            .iter()
            .filter(|a| equality(a).is_none())
            .map(|a| a.name.to_string())
            .collect()
    };
    let missing = without_equality(partition);
    if !missing.is_empty() {
        return Err(Error::validation(format!(
            "HASH key attributes {} must have equality conditions specified in the query",
            missing.join(", ")
        )));
    }
    let in_key = |name: &str| partition.iter().chain(sort).any(|a| a.name == name);
    if terms.iter().any(|(name, _)| !in_key(name)) {
        // Every partition attribute has its equality and there are no more terms than key
        // attributes, so a stray term leaves a sort attribute without one.
        let unmatched = sort
            .iter()
            .find(|a| term(a).is_none())
            .map_or("", |a| a.name.as_ref());
        return Err(Error::validation(format!(
            "Query condition missed key schema element: {unmatched}"
        )));
    }
    let mut bound = BoundKeyCondition {
        partition: partition.iter().filter_map(|a| equality(a)).collect(),
        sort_equalities: Vec::new(),
        sort_condition: None,
    };
    let Some(last) = sort.iter().rposition(|a| term(a).is_some()) else {
        return Ok(bound);
    };
    let missing = without_equality(&sort[..last]);
    if !missing.is_empty() {
        return Err(Error::validation(format!(
            "RANGE key attributes {} must have equality conditions specified in the query \
             because a condition is present on key attribute {}",
            missing.join(", "),
            sort[last].name
        )));
    }
    bound.sort_equalities = sort[..last].iter().filter_map(|a| equality(a)).collect();
    match term(sort[last]) {
        Some(KeyTerm::Sort(condition)) => bound.sort_condition = Some(condition),
        Some(KeyTerm::Equals(value)) => bound.sort_equalities.push(value),
        None => {}
    }
    Ok(bound)
}

/// A sort key condition's operator and values.
fn sort_condition(sk: &KeyAttribute, condition: &SortKeyCondition) -> Result<()> {
    let sk_name = &sk.name;
    match condition {
        SortKeyCondition::Compare(Comparator::Ne, _) => Err(Error::validation(format!(
            "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: <> \
             (on sort key {sk_name})"
        ))),
        SortKeyCondition::Compare(_, v) => key_condition_value(sk, v, false),
        SortKeyCondition::Between(low, high) => {
            key_condition_value(sk, low, false)?;
            key_condition_value(sk, high, false)?;
            if compare_scalars(low, high) == Some(Ordering::Greater) {
                return Err(Error::validation(format!(
                    "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to \
                     be greater than or equal to lower bound; lower bound operand: {}, upper \
                     bound operand: {} (on sort key {sk_name})",
                    describe(low),
                    describe(high)
                )));
            }
            Ok(())
        }
        SortKeyCondition::BeginsWith(prefix) => {
            if sk.scalar_type == ScalarType::N {
                return Err(Error::validation(format!(
                    "Invalid KeyConditionExpression: Incorrect operand type for operator or \
                     function; operator or function: begins_with, operand type: N (sort key \
                     {sk_name} is a number)"
                )));
            }
            key_condition_value(sk, prefix, false)
        }
    }
}

/// A key condition's value: of the attribute's type, a valid key value.
fn key_condition_value(
    attribute: &KeyAttribute,
    value: &AttributeValue,
    is_partition: bool,
) -> Result<()> {
    if ScalarType::of(value) != Some(attribute.scalar_type) {
        return Err(invalid(format!(
            "Condition parameter type does not match schema type (key {} is {}, the condition \
             value is {})",
            attribute.name,
            attribute.scalar_type,
            type_descriptor(value)
        )));
    }
    key_value(attribute, value, is_partition)
}

#[cfg(test)]
mod tests {
    use notes_model::expr::{Comparator, KeyCondition, SortKeyCondition};
    use notes_model::{AttributeValue, KeyAttribute, KeySchema, ScalarType};

    use super::*;
    use crate::validate::test_values::{message, n, s, schema};

    #[test]
    fn key_conditions_match_the_schema() {
        let kc = |name: &'static str, v: AttributeValue| KeyCondition::partition(name, v);
        assert!(key_condition(&kc("userId", s("u")), &schema()).is_ok());
        assert!(
            message(key_condition(&kc("noteId", s("u")), &schema()))
                .starts_with("Query condition missed key schema element: userId")
        );
        assert!(
            message(key_condition(&kc("userId", n("1")), &schema()))
                .contains("Condition parameter type does not match schema type")
        );
        let on = |c: SortKeyCondition| kc("userId", s("u")).with_sort_key("noteId", c);
        assert!(
            message(key_condition(
                &on(SortKeyCondition::Compare(Comparator::Ne, s("a"))),
                &schema()
            ))
            .contains("<>")
        );
        assert!(
            message(key_condition(
                &on(SortKeyCondition::Between(s("b"), s("a"))),
                &schema()
            ))
            .contains("BETWEEN operator requires upper bound")
        );
        assert!(key_condition(&on(SortKeyCondition::Between(s("a"), s("a"))), &schema()).is_ok());
        let wrong =
            kc("userId", s("u")).with_sort_key("content", SortKeyCondition::BeginsWith(s("a")));
        assert_eq!(
            message(key_condition(&wrong, &schema())),
            "Query condition missed key schema element: noteId (the condition is on `content`)"
        );
        let numeric = KeySchema {
            partition_key: KeyAttribute::new("userId", ScalarType::S),
            sort_key: Some(KeyAttribute::new("noteId", ScalarType::N)),
        };
        assert!(
            message(key_condition(
                &on(SortKeyCondition::BeginsWith(n("1"))),
                &numeric
            ))
            .contains("begins_with")
        );
    }

    /// `tenant`, `region` (S) / `year`, `month`, `day` (N).
    fn multi() -> [KeyAttribute; 5] {
        [
            KeyAttribute::new("tenant", ScalarType::S),
            KeyAttribute::new("region", ScalarType::S),
            KeyAttribute::new("year", ScalarType::N),
            KeyAttribute::new("month", ScalarType::N),
            KeyAttribute::new("day", ScalarType::N),
        ]
    }

    fn bind(condition: &KeyCondition) -> Result<BoundKeyCondition<'_>> {
        let [tenant, region, year, month, day] = multi();
        bind_key_condition(condition, &[&tenant, &region], &[&year, &month, &day])
    }

    fn tenant_and_region() -> KeyCondition {
        KeyCondition::partition("tenant", s("t")).and_partition_key("region", s("eu"))
    }

    fn bind_message(condition: &KeyCondition) -> String {
        message(bind(condition).map(drop))
    }

    #[test]
    fn multi_attribute_terms_bind_in_the_keys_order_whatever_order_they_come_in() {
        let range = SortKeyCondition::Compare(Comparator::Gt, n("3"));
        let kc = KeyCondition::partition("region", s("eu"))
            .and_partition_key("tenant", s("t"))
            .and_leading_sort_key("year", n("2026"))
            .with_sort_key("month", range.clone());
        let bound = bind(&kc).unwrap();
        assert_eq!(bound.partition, [&s("t"), &s("eu")]);
        assert_eq!(bound.sort_equalities, [&n("2026")]);
        assert_eq!(bound.sort_condition, Some(&range));
        let equalities_only = tenant_and_region()
            .and_leading_sort_key("year", n("2026"))
            .and_leading_sort_key("month", n("2"));
        let bound = bind(&equalities_only).unwrap();
        assert_eq!(bound.sort_equalities, [&n("2026"), &n("2")]);
        assert_eq!(bound.sort_condition, None);
        assert_eq!(bind(&tenant_and_region()).unwrap().sort_equalities.len(), 0);
    }

    #[test]
    fn every_partition_attribute_needs_an_equality() {
        assert_eq!(
            bind_message(&KeyCondition::partition("tenant", s("t"))),
            "HASH key attributes region must have equality conditions specified in the query"
        );
        let range_on_region = KeyCondition::partition("year", n("1"))
            .with_sort_key("region", SortKeyCondition::BeginsWith(s("e")));
        assert_eq!(
            bind_message(&range_on_region),
            "HASH key attributes tenant, region must have equality conditions specified in the \
             query"
        );
    }

    #[test]
    fn sort_conditions_go_left_to_right_with_a_range_only_on_the_last() {
        let gap = tenant_and_region()
            .and_leading_sort_key("year", n("2026"))
            .with_sort_key("day", SortKeyCondition::Compare(Comparator::Eq, n("1")));
        assert_eq!(
            bind_message(&gap),
            "RANGE key attributes month must have equality conditions specified in the query \
             because a condition is present on key attribute day"
        );
        let range_first = tenant_and_region()
            .and_leading_sort_key("month", n("2"))
            .with_sort_key("year", SortKeyCondition::Compare(Comparator::Gt, n("2020")));
        assert_eq!(
            bind_message(&range_first),
            "RANGE key attributes year must have equality conditions specified in the query \
             because a condition is present on key attribute month"
        );
    }

    #[test]
    fn too_many_repeated_and_stray_terms_are_refused() {
        let too_many = (0..5).fold(tenant_and_region(), |kc, i| {
            kc.and_leading_sort_key(format!("x{i}"), n("1"))
        });
        assert_eq!(
            bind_message(&too_many),
            "The number of query conditions (7) exceeds the number of key attributes defined in \
             the schema (5)"
        );
        let stray =
            tenant_and_region().with_sort_key("other", SortKeyCondition::BeginsWith(s("a")));
        assert_eq!(
            bind_message(&stray),
            "Query condition missed key schema element: year"
        );
        let twice = tenant_and_region().and_partition_key("tenant", s("u"));
        assert_eq!(
            bind_message(&twice),
            "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one \
             condition per key (two conditions on tenant)"
        );
    }

    #[test]
    fn multi_attribute_values_are_checked_against_their_attributes() {
        let wrong_type = tenant_and_region().and_leading_sort_key("year", s("2026"));
        assert_eq!(
            bind_message(&wrong_type),
            "One or more parameter values were invalid: Condition parameter type does not match \
             schema type (key year is N, the condition value is S)"
        );
        let numeric_prefix =
            tenant_and_region().with_sort_key("year", SortKeyCondition::BeginsWith(n("2")));
        assert!(bind_message(&numeric_prefix).contains("begins_with"));
        let crossed =
            tenant_and_region().with_sort_key("year", SortKeyCondition::Between(n("3"), n("2")));
        assert!(bind_message(&crossed).contains("BETWEEN operator requires upper bound"));
        let not_equal = tenant_and_region()
            .with_sort_key("year", SortKeyCondition::Compare(Comparator::Ne, n("2")));
        assert!(bind_message(&not_equal).contains("<> (on sort key year)"));
    }

    #[test]
    fn a_table_key_refuses_terms_beyond_its_two_attributes() {
        let kc = KeyCondition::partition("userId", s("u")).and_partition_key("region", s("eu"));
        assert_eq!(
            message(key_condition(&kc, &schema())),
            "Query condition missed key schema element: noteId"
        );
        let three = kc.and_leading_sort_key("noteId", s("n"));
        assert_eq!(
            message(key_condition(&three, &schema())),
            "The number of query conditions (3) exceeds the number of key attributes defined in \
             the schema (2)"
        );
    }
}
