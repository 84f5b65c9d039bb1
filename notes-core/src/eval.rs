//! Evaluating condition ASTs and projections against items, with DynamoDB's semantics.
//!
//! Comparisons only hold between values of the same type (`{"N":"6"}` never equals
//! `{"S":"6"}`, and `<` between different types is false, not an error); a missing attribute
//! makes every comparison false except `<>`. Numbers compare by value, sets as sets.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};

use notes_model::expr::{Comparator, Condition, Operand, Path, PathElement};
use notes_model::{AttributeValue, ItemMap, type_descriptor};

use crate::number::Number;
use crate::validate::compare_scalars;

/// The value at `path` in `item`, following map keys and list indexes.
pub fn resolve<'a>(item: &'a ItemMap, path: &Path) -> Option<&'a AttributeValue> {
    let mut elements = path.elements.iter();
    let mut current = match elements.next()? {
        PathElement::Name(name) => item.get(name.as_ref())?,
        PathElement::Index(_) => return None,
    };
    for element in elements {
        current = match (element, current) {
            (PathElement::Name(name), AttributeValue::M(map)) => map.get(name.as_ref())?,
            (PathElement::Index(index), AttributeValue::L(list)) => list.get(*index)?,
            _ => return None,
        };
    }
    Some(current)
}

/// Whether `condition` holds for `item` (`None`: no item, as for a put of a new key).
pub fn evaluate(condition: &Condition, item: Option<&ItemMap>) -> bool {
    let empty = ItemMap::new();
    holds(condition, item.unwrap_or(&empty))
}

fn holds(condition: &Condition, item: &ItemMap) -> bool {
    match condition {
        Condition::Compare(a, comparator, b) => {
            match (operand(a, item), operand(b, item)) {
                (Some(a), Some(b)) => compare(&a, *comparator, &b),
                // A missing value equals nothing, so only `<>` holds.
                _ => *comparator == Comparator::Ne,
            }
        }
        Condition::Between(a, low, high) => {
            match (operand(a, item), operand(low, item), operand(high, item)) {
                (Some(a), Some(low), Some(high)) => {
                    compare(&a, Comparator::Ge, &low) && compare(&a, Comparator::Le, &high)
                }
                _ => false,
            }
        }
        Condition::In(a, list) => operand(a, item).is_some_and(|a| {
            list.iter()
                .any(|candidate| operand(candidate, item).is_some_and(|c| equal(&a, &c)))
        }),
        Condition::BeginsWith(path, prefix) => {
            match (resolve(item, path), operand(prefix, item).as_deref()) {
                (Some(AttributeValue::S(s)), Some(AttributeValue::S(p))) => {
                    s.starts_with(p.as_str())
                }
                (Some(AttributeValue::B(b)), Some(AttributeValue::B(p))) => b.starts_with(p),
                _ => false,
            }
        }
        Condition::Contains(path, needle) => match (resolve(item, path), operand(needle, item)) {
            (Some(haystack), Some(needle)) => contains(haystack, &needle),
            _ => false,
        },
        Condition::Exists(path) => resolve(item, path).is_some(),
        Condition::NotExists(path) => resolve(item, path).is_none(),
        Condition::Type(path, t) => resolve(item, path).is_some_and(|v| type_descriptor(v) == *t),
        Condition::And(a, b) => holds(a, item) && holds(b, item),
        Condition::Or(a, b) => holds(a, item) || holds(b, item),
        Condition::Not(a) => !holds(a, item),
    }
}

/// The value of an operand; `None` when the path is missing or `size()` does not apply.
pub fn operand<'a>(operand: &'a Operand, item: &'a ItemMap) -> Option<Cow<'a, AttributeValue>> {
    match operand {
        Operand::Path(path) => resolve(item, path).map(Cow::Borrowed),
        Operand::Value(value) => Some(Cow::Borrowed(value)),
        Operand::Size(path) => {
            size(resolve(item, path)?).map(|n| Cow::Owned(AttributeValue::N(n.to_string())))
        }
        Operand::Invalid { .. } => None,
    }
}

/// `size(path)`: string length in UTF-16 code units (so `"Zoë"` is 3 and an emoji 2, as
/// DynamoDB answers and the conformance-scored dynoxide does since it measured it; found by
/// the differential test, memory used to count UTF-8 bytes), binary length, element count of
/// sets, lists and maps. Numbers, booleans and nulls have no size, so a comparison with it is
/// false.
fn size(value: &AttributeValue) -> Option<usize> {
    Some(match value {
        AttributeValue::S(s) => s.encode_utf16().count(),
        AttributeValue::B(b) => b.len(),
        AttributeValue::Ss(set) => set.len(),
        AttributeValue::Ns(set) => set.len(),
        AttributeValue::Bs(set) => set.len(),
        AttributeValue::L(list) => list.len(),
        AttributeValue::M(map) => map.len(),
        _ => return None,
    })
}

fn compare(a: &AttributeValue, comparator: Comparator, b: &AttributeValue) -> bool {
    match comparator {
        Comparator::Eq => equal(a, b),
        Comparator::Ne => !equal(a, b),
        ordering => compare_scalars(a, b).is_some_and(|o| match ordering {
            Comparator::Lt => o == Ordering::Less,
            Comparator::Le => o != Ordering::Greater,
            Comparator::Gt => o == Ordering::Greater,
            _ => o != Ordering::Less,
        }),
    }
}

/// DynamoDB equality: same type, numbers by value, sets regardless of order.
pub fn equal(a: &AttributeValue, b: &AttributeValue) -> bool {
    use AttributeValue as V;
    match (a, b) {
        (V::N(a), V::N(b)) => number(a) == number(b),
        (V::Ss(a), V::Ss(b)) => same_set(a, b, Clone::clone),
        (V::Bs(a), V::Bs(b)) => same_set(a, b, Clone::clone),
        (V::Ns(a), V::Ns(b)) => same_set(a, b, |n| number(n)),
        (V::L(a), V::L(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| equal(x, y)),
        (V::M(a), V::M(b)) => {
            a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| equal(x, y)))
        }
        (V::Null(_), V::Null(_)) => true,
        _ => a == b,
    }
}

fn number(text: &str) -> Option<Number> {
    Number::parse(text).ok()
}

fn same_set<T, K: std::hash::Hash + Eq>(a: &[T], b: &[T], key: impl Fn(&T) -> K) -> bool {
    let a: HashSet<K> = a.iter().map(&key).collect();
    let b: HashSet<K> = b.iter().map(&key).collect();
    a == b
}

/// `contains(path, operand)`: substring of a string (or bytes of a binary), member of a set,
/// element of a list.
fn contains(haystack: &AttributeValue, needle: &AttributeValue) -> bool {
    use AttributeValue as V;
    match (haystack, needle) {
        (V::S(s), V::S(sub)) => s.contains(sub.as_str()),
        (V::B(b), V::B(sub)) => sub.is_empty() || b.windows(sub.len()).any(|w| w == sub.as_slice()),
        (V::Ss(set), V::S(e)) => set.contains(e),
        (V::Bs(set), V::B(e)) => set.contains(e),
        (V::Ns(set), V::N(e)) => {
            let e = number(e);
            e.is_some() && set.iter().any(|n| number(n) == e)
        }
        (V::L(list), e) => list.iter().any(|x| equal(x, e)),
        _ => false,
    }
}

/// A projection under construction: map keys and list indexes kept in order.
enum Projected {
    Leaf(AttributeValue),
    Map(BTreeMap<String, Projected>),
    List(BTreeMap<usize, Projected>),
}

impl Projected {
    fn into_value(self) -> AttributeValue {
        match self {
            Projected::Leaf(v) => v,
            Projected::Map(m) => {
                AttributeValue::M(m.into_iter().map(|(k, v)| (k, v.into_value())).collect())
            }
            // DynamoDB returns the selected elements of a list, in index order, compacted.
            Projected::List(l) => {
                AttributeValue::L(l.into_values().map(Projected::into_value).collect())
            }
        }
    }
}

/// The parts of `item` at `paths` (`ProjectionExpression`), nested paths kept nested.
pub fn project(item: &ItemMap, paths: &[Path]) -> ItemMap {
    let mut top: BTreeMap<String, Projected> = BTreeMap::new();
    for path in paths {
        let Some(value) = resolve(item, path) else {
            continue;
        };
        let Some((PathElement::Name(first), rest)) = path.elements.split_first() else {
            continue;
        };
        insert(top.entry(first.to_string()), rest, value);
    }
    top.into_iter().map(|(k, v)| (k, v.into_value())).collect()
}

fn insert<K: Ord>(
    entry: std::collections::btree_map::Entry<'_, K, Projected>,
    rest: &[PathElement],
    value: &AttributeValue,
) {
    let Some((next, rest)) = rest.split_first() else {
        // The whole value wins over any part of it already selected.
        let slot = entry.or_insert(Projected::Leaf(AttributeValue::Null(true)));
        *slot = Projected::Leaf(value.clone());
        return;
    };
    match next {
        PathElement::Name(name) => {
            let slot = entry.or_insert_with(|| Projected::Map(BTreeMap::new()));
            if let Projected::Map(map) = slot {
                insert(map.entry(name.to_string()), rest, value);
            }
        }
        PathElement::Index(index) => {
            let slot = entry.or_insert_with(|| Projected::List(BTreeMap::new()));
            if let Projected::List(list) = slot {
                insert(list.entry(*index), rest, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_owned())
    }

    fn n(v: &str) -> AttributeValue {
        AttributeValue::N(v.to_owned())
    }

    fn p(name: &'static str) -> Path {
        Path::attribute(name)
    }
    use notes_model::expr::Comparator::*;

    fn val(v: AttributeValue) -> Operand {
        Operand::Value(v)
    }
    fn cmp(path: &'static str, c: Comparator, v: AttributeValue) -> Condition {
        Condition::Compare(Operand::Path(p(path)), c, val(v))
    }

    fn item() -> ItemMap {
        ItemMap::from([
            ("name".to_owned(), s("Zoë")),
            ("count".to_owned(), n("10")),
            (
                "tags".to_owned(),
                AttributeValue::Ss(vec!["a".into(), "b".into()]),
            ),
            (
                "scores".to_owned(),
                AttributeValue::Ns(vec!["1".into(), "2.50".into()]),
            ),
            ("list".to_owned(), AttributeValue::L(vec![s("x"), n("1")])),
            (
                "meta".to_owned(),
                AttributeValue::M(ItemMap::from([
                    ("color".to_owned(), s("red")),
                    (
                        "sizes".to_owned(),
                        AttributeValue::L(vec![n("1"), n("2"), n("3")]),
                    ),
                ])),
            ),
            ("blob".to_owned(), AttributeValue::B(vec![1, 2, 3])),
        ])
    }

    #[test]
    fn comparisons_need_the_same_type() {
        let item = item();
        assert!(evaluate(&cmp("count", Eq, n("10.0")), Some(&item)));
        assert!(evaluate(&cmp("count", Gt, n("9")), Some(&item)));
        assert!(!evaluate(&cmp("count", Eq, s("10")), Some(&item)));
        assert!(!evaluate(&cmp("count", Gt, s("1")), Some(&item)));
        assert!(!evaluate(&cmp("count", Lt, s("1")), Some(&item)));
        assert!(evaluate(&cmp("count", Ne, s("10")), Some(&item)));
        assert!(evaluate(&cmp("name", Gt, s("Zo")), Some(&item)));
    }

    #[test]
    fn missing_attributes_compare_false_except_not_equal() {
        let item = item();
        assert!(!evaluate(&cmp("nope", Eq, n("1")), Some(&item)));
        assert!(!evaluate(&cmp("nope", Lt, n("1")), Some(&item)));
        assert!(evaluate(&cmp("nope", Ne, n("1")), Some(&item)));
        assert!(evaluate(&cmp("nope", Ne, n("1")), None));
    }

    #[test]
    fn between_and_in() {
        let item = item();
        let between = |lo: &str, hi: &str| {
            Condition::Between(Operand::Path(p("count")), val(n(lo)), val(n(hi)))
        };
        assert!(evaluate(&between("10", "10"), Some(&item)));
        assert!(evaluate(&between("9", "11"), Some(&item)));
        assert!(!evaluate(&between("11", "12"), Some(&item)));
        let is_in = Condition::In(Operand::Path(p("count")), vec![val(s("10")), val(n("1E1"))]);
        assert!(evaluate(&is_in, Some(&item)));
        let not_in = Condition::In(Operand::Path(p("count")), vec![val(s("10"))]);
        assert!(!evaluate(&not_in, Some(&item)));
    }

    #[test]
    fn functions() {
        let item = item();
        let yes = |c: Condition| assert!(evaluate(&c, Some(&item)), "{c:?}");
        let no = |c: Condition| assert!(!evaluate(&c, Some(&item)), "{c:?}");
        yes(Condition::BeginsWith(p("name"), val(s("Zo"))));
        no(Condition::BeginsWith(p("name"), val(s("zo"))));
        no(Condition::BeginsWith(p("count"), val(s("1"))));
        yes(Condition::BeginsWith(
            p("blob"),
            val(AttributeValue::B(vec![1, 2])),
        ));
        yes(Condition::Contains(p("name"), val(s("oë"))));
        yes(Condition::Contains(p("tags"), val(s("a"))));
        no(Condition::Contains(p("tags"), val(s("c"))));
        yes(Condition::Contains(p("scores"), val(n("2.5"))));
        yes(Condition::Contains(p("list"), val(n("1.0"))));
        no(Condition::Contains(p("count"), val(n("1"))));
        yes(Condition::Exists(p("meta").key("color")));
        no(Condition::Exists(p("meta").key("shape")));
        yes(Condition::NotExists(p("list").index(2)));
        yes(Condition::Type(p("tags"), "SS"));
        no(Condition::Type(p("tags"), "L"));
        yes(cmp("meta", Eq, item["meta"].clone()));
        yes(cmp(
            "tags",
            Eq,
            AttributeValue::Ss(vec!["b".into(), "a".into()]),
        ));
    }

    #[test]
    fn size_counts_utf16_units_bytes_and_elements() {
        let item = item();
        let size_is = |path: Path, expected: &str| {
            let c = Condition::Compare(Operand::Size(path), Eq, val(n(expected)));
            assert!(evaluate(&c, Some(&item)), "{c:?}");
        };
        size_is(p("name"), "3"); // "Zoë": three UTF-16 code units (four UTF-8 bytes)
        let emoji = ItemMap::from([("e".to_owned(), s("a😀"))]);
        let three = Condition::Compare(Operand::Size(p("e")), Eq, val(n("3")));
        assert!(
            evaluate(&three, Some(&emoji)),
            "a surrogate pair counts as two"
        );
        size_is(p("blob"), "3");
        size_is(p("tags"), "2");
        size_is(p("list"), "2");
        size_is(p("meta"), "2");
        size_is(p("meta").key("sizes"), "3");
        let of_number = Condition::Compare(Operand::Size(p("count")), Ge, val(n("0")));
        assert!(!evaluate(&of_number, Some(&item)));
    }

    #[test]
    fn logic_and_nested_paths() {
        let item = item();
        let red = cmp("meta", Ne, s("x"));
        let nested = Condition::Compare(
            Operand::Path(p("meta").key("sizes").index(1)),
            Eq,
            val(n("2")),
        );
        assert!(evaluate(&(red.clone() & nested.clone()), Some(&item)));
        assert!(evaluate(&(!nested.clone() | red), Some(&item)));
        assert!(!evaluate(&!nested, Some(&item)));
    }

    #[test]
    fn projection_keeps_nested_paths_nested_and_compacts_lists() {
        let item = item();
        let out = project(
            &item,
            &[
                p("name"),
                p("meta").key("sizes").index(2),
                p("meta").key("sizes").index(0),
                p("nope"),
            ],
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out["name"], s("Zoë"));
        let expected = AttributeValue::M(ItemMap::from([(
            "sizes".to_owned(),
            AttributeValue::L(vec![n("1"), n("3")]),
        )]));
        assert_eq!(out["meta"], expected);
    }
}
