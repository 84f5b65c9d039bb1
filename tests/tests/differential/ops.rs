//! The operations of the differential test and the proptest strategies that generate them.
//!
//! Every domain is small on purpose: two partitions, a handful of sort keys, a handful of
//! attribute names and values, so random sequences collide on keys, hit conditions both ways
//! and mix types on the same attribute (where DynamoDB's type rules show).

use notes_repo::expr::{
    Comparator, Condition, Operand, Path, SetOperand, SetValue, SortKeyCondition, Update,
    UpdateAction,
};
use notes_repo::request::ReturnValues;
use notes_repo::{AttributeValue, ItemMap, ScalarType};
use proptest::prelude::*;

/// The partition key attribute.
pub(crate) const PK: &str = "pk";
/// The sort key attribute.
pub(crate) const SK: &str = "sk";
/// The partition key values.
pub(crate) const PARTITIONS: [&str; 2] = ["p1", "p2"];
/// String sort keys: prefixes of each other, upper and lower case, multi-byte, punctuation.
const STRING_SORT_KEYS: [&str; 7] = ["a", "ab", "abc", "B", "b", "é", "a#1"];
/// Number sort keys, in an order that is not their numeric order.
const NUMBER_SORT_KEYS: [&str; 7] = ["-1", "0", "1.5", "10", "2", "-10.25", "100"];
/// The global index with a multi-attribute key: partition (`g1`, `pk`), sort (`g2`, `sk`).
pub(crate) const BY_GROUP: &str = "byGroup";
/// The index's first partition attribute (S).
pub(crate) const G1: &str = "g1";
/// The index's first sort attribute (N).
pub(crate) const G2: &str = "g2";
/// `g1` values.
const GROUPS: [&str; 2] = ["x", "y"];
/// `g2` values, in an order that is not their numeric order.
const G2_VALUES: [&str; 4] = ["10", "2", "-1", "1"];

/// One operation of a sequence.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// `PutItem`.
    Put {
        item: ItemMap,
        condition: Option<Condition>,
        return_values: ReturnValues,
    },
    /// `PutItem` with `attribute_not_exists(pk)`, as `Repo::create` sends it.
    Create { item: ItemMap },
    /// `UpdateItem`.
    Update {
        key: ItemMap,
        update: Update,
        condition: Option<Condition>,
        return_values: ReturnValues,
    },
    /// `DeleteItem`.
    Delete {
        key: ItemMap,
        condition: Option<Condition>,
        return_values: ReturnValues,
    },
    /// `GetItem`, strongly consistent.
    Get { key: ItemMap },
    /// `Query`, every page until the last.
    Query {
        partition: &'static str,
        sort: Option<SortKeyCondition>,
        filter: Option<Condition>,
        limit: Option<u32>,
        forward: bool,
    },
    /// `Query` of `byGroup` (`g1` and `pk` equal to these), every page until the last.
    IndexQuery {
        group: &'static str,
        partition: &'static str,
        sort: IndexSort,
        limit: Option<u32>,
        forward: bool,
    },
    /// `BatchWriteItem` on the one table.
    Batch { writes: Vec<BatchWrite> },
}

/// The sort conditions of an index query, left to right.
#[derive(Debug, Clone)]
pub(crate) enum IndexSort {
    /// None.
    None,
    /// A condition on `g2`.
    G2(SortKeyCondition),
    /// `g2` equal to a value, and a condition on `sk`.
    Sk(AttributeValue, SortKeyCondition),
    /// A condition on `sk` alone: a gap, which DynamoDB refuses.
    Gap(SortKeyCondition),
}

/// One write of a batch.
#[derive(Debug, Clone)]
pub(crate) enum BatchWrite {
    /// Put this item.
    Put(ItemMap),
    /// Delete the item with this key.
    Delete(ItemMap),
}

/// A test case: the sort key's type and the operations.
#[derive(Debug, Clone)]
pub(crate) struct Case {
    /// `S` or `N`.
    pub(crate) sort_type: ScalarType,
    /// The operations, run in order on both backends.
    pub(crate) ops: Vec<Op>,
}

/// A case with up to `max_ops` operations.
pub(crate) fn case(max_ops: usize) -> impl Strategy<Value = Case> {
    prop_oneof![Just(ScalarType::S), Just(ScalarType::N)].prop_flat_map(move |sort_type| {
        prop::collection::vec(op(sort_type), 1..=max_ops)
            .prop_map(move |ops| Case { sort_type, ops })
    })
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.to_owned())
}

fn sort_value(sort_type: ScalarType) -> BoxedStrategy<AttributeValue> {
    match sort_type {
        ScalarType::N => prop::sample::select(&NUMBER_SORT_KEYS[..])
            .prop_map(n)
            .boxed(),
        _ => prop::sample::select(&STRING_SORT_KEYS[..])
            .prop_map(s)
            .boxed(),
    }
}

/// A full primary key.
pub(crate) fn key(sort_type: ScalarType) -> impl Strategy<Value = ItemMap> {
    (prop::sample::select(&PARTITIONS[..]), sort_value(sort_type))
        .prop_map(|(pk, sk)| ItemMap::from([(PK.to_owned(), s(pk)), (SK.to_owned(), sk)]))
}

/// The non-key attribute names.
const ATTRIBUTES: [&str; 6] = ["s", "n", "set", "l", "m", "b"];

/// A scalar value of any type, from small domains.
fn scalar() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        4 => prop::sample::select(&["", "x", "xy", "Zoë", "a:b#c", "1"][..]).prop_map(s),
        4 => prop::sample::select(&["0", "1", "-1", "1.5", "10", "2", "-0.5"][..]).prop_map(n),
        1 => prop::sample::select(&["1.50", "1E2", "007", "-0"][..]).prop_map(n),
        1 => prop::sample::select(vec![vec![], vec![1u8], vec![1, 2], vec![255]])
            .prop_map(AttributeValue::B),
        1 => any::<bool>().prop_map(AttributeValue::Bool),
        1 => Just(AttributeValue::Null(true)),
    ]
}

/// A string set, number set or binary set (rarely empty, which DynamoDB rejects).
fn set() -> impl Strategy<Value = AttributeValue> {
    let strings = prop::sample::subsequence(&["a", "b", "c", ""][..], 0..=3);
    let numbers = prop::sample::subsequence(&["1", "2", "3.5", "-1"][..], 0..=3);
    let binaries = prop::sample::subsequence(vec![vec![1u8], vec![2], vec![1, 2]], 1..=2);
    prop_oneof![
        3 => strings.prop_map(|v| AttributeValue::Ss(v.into_iter().map(str::to_owned).collect())),
        3 => numbers.prop_map(|v| AttributeValue::Ns(v.into_iter().map(str::to_owned).collect())),
        1 => binaries.prop_map(AttributeValue::Bs),
    ]
}

/// Any value: scalars, sets, small lists and maps.
fn value() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        6 => scalar(),
        2 => set(),
        2 => prop::collection::vec(scalar(), 0..3).prop_map(AttributeValue::L),
        2 => (prop::option::of(scalar()), prop::option::of(scalar())).prop_map(|(x, y)| {
            let mut map = ItemMap::new();
            if let Some(x) = x {
                map.insert("x".to_owned(), x);
            }
            if let Some(y) = y {
                map.insert("y".to_owned(), y);
            }
            AttributeValue::M(map)
        }),
    ]
}

/// A `g2` value: a number, rarely a string (which the index refuses).
fn g2_value() -> impl Strategy<Value = AttributeValue> {
    prop_oneof![
        8 => prop::sample::select(&G2_VALUES[..]).prop_map(n),
        1 => Just(s("2")),
    ]
}

/// A whole item: a key, a few attributes, and often the index's `g1` and `g2` (an item
/// without either is not in the index).
pub(crate) fn item(sort_type: ScalarType) -> impl Strategy<Value = ItemMap> {
    (
        key(sort_type),
        prop::collection::vec((prop::sample::select(&ATTRIBUTES[..]), value()), 0..4),
        prop::option::weighted(0.7, prop::sample::select(&GROUPS[..])),
        prop::option::weighted(0.7, g2_value()),
    )
        .prop_map(|(mut item, attributes, group, g2)| {
            for (name, value) in attributes {
                item.insert(name.to_owned(), value);
            }
            if let Some(group) = group {
                item.insert(G1.to_owned(), s(group));
            }
            if let Some(g2) = g2 {
                item.insert(G2.to_owned(), g2);
            }
            item
        })
}

/// A path: a top-level attribute (keys included, rarely), or a nested one.
fn path() -> impl Strategy<Value = Path> {
    prop_oneof![
        6 => prop::sample::select(&ATTRIBUTES[..]).prop_map(Path::attribute),
        1 => prop::sample::select(&[PK, SK][..]).prop_map(Path::attribute),
        1 => prop::sample::select(&["x", "y"][..]).prop_map(|k| Path::attribute("m").key(k)),
        1 => (0usize..3).prop_map(|i| Path::attribute("l").index(i)),
    ]
}

/// A non-key path (for filters, which may not name key attributes).
fn value_path() -> impl Strategy<Value = Path> {
    prop_oneof![
        6 => prop::sample::select(&ATTRIBUTES[..]).prop_map(Path::attribute),
        1 => prop::sample::select(&["x", "y"][..]).prop_map(|k| Path::attribute("m").key(k)),
        1 => (0usize..3).prop_map(|i| Path::attribute("l").index(i)),
    ]
}

fn comparator() -> impl Strategy<Value = Comparator> {
    prop::sample::select(
        &[
            Comparator::Eq,
            Comparator::Ne,
            Comparator::Lt,
            Comparator::Le,
            Comparator::Gt,
            Comparator::Ge,
        ][..],
    )
}

/// A leaf condition on paths drawn from `paths`.
fn leaf(paths: BoxedStrategy<Path>) -> impl Strategy<Value = Condition> {
    const TYPES: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"];
    let small_number = prop::sample::select(&["0", "1", "2", "3"][..]).prop_map(n);
    prop_oneof![
        2 => paths.clone().prop_map(Condition::Exists),
        2 => paths.clone().prop_map(Condition::NotExists),
        4 => (paths.clone(), comparator(), scalar()).prop_map(|(p, c, v)| {
            Condition::Compare(Operand::Path(p), c, Operand::Value(v))
        }),
        1 => (paths.clone(), comparator(), small_number).prop_map(|(p, c, v)| {
            Condition::Compare(Operand::Size(p), c, Operand::Value(v))
        }),
        1 => (paths.clone(), scalar(), scalar()).prop_map(|(p, lo, hi)| {
            Condition::Between(Operand::Path(p), Operand::Value(lo), Operand::Value(hi))
        }),
        1 => (paths.clone(), prop::collection::vec(scalar(), 1..3)).prop_map(|(p, list)| {
            Condition::In(Operand::Path(p), list.into_iter().map(Operand::Value).collect())
        }),
        1 => (paths.clone(), scalar()).prop_map(|(p, v)| {
            Condition::BeginsWith(p, Operand::Value(v))
        }),
        1 => (paths.clone(), scalar()).prop_map(|(p, v)| Condition::Contains(p, Operand::Value(v))),
        1 => (paths, prop::sample::select(&TYPES[..])).prop_map(|(p, t)| Condition::Type(p, t)),
    ]
}

/// A condition: leaves combined with AND, OR and NOT, two levels deep at most.
fn condition_on(paths: BoxedStrategy<Path>) -> impl Strategy<Value = Condition> {
    leaf(paths).prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a & b),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a | b),
            inner.prop_map(|a| !a),
        ]
    })
}

fn condition() -> impl Strategy<Value = Condition> {
    condition_on(path().boxed())
}

fn filter() -> impl Strategy<Value = Condition> {
    condition_on(value_path().boxed())
}

fn number_operand() -> impl Strategy<Value = Operand> {
    prop_oneof![
        3 => prop::sample::select(&["1", "-1", "2.5", "10"][..]).prop_map(|v| Operand::Value(n(v))),
        1 => scalar().prop_map(Operand::Value),
        2 => path().prop_map(Operand::Path),
    ]
}

/// One update action, on any path (keys included, rarely).
fn action() -> impl Strategy<Value = UpdateAction> {
    prop_oneof![
        4 => (path(), value()).prop_map(|(p, v)| {
            UpdateAction::Set(p, SetValue::Value(Operand::Value(v)))
        }),
        1 => (path(), path()).prop_map(|(p, from)| {
            UpdateAction::Set(p, SetValue::Value(Operand::Path(from)))
        }),
        2 => (path(), path(), scalar()).prop_map(|(p, probe, v)| {
            UpdateAction::Set(p, SetValue::IfNotExists(probe, Operand::Value(v).into()))
        }),
        2 => (path(), number_operand(), number_operand()).prop_map(|(p, a, b)| {
            UpdateAction::Set(p, SetValue::Plus(a.into(), b.into()))
        }),
        1 => (path(), number_operand(), number_operand()).prop_map(|(p, a, b)| {
            UpdateAction::Set(p, SetValue::Minus(a.into(), b.into()))
        }),
        1 => (path(), prop::collection::vec(scalar(), 0..2)).prop_map(|(p, tail)| {
            UpdateAction::Set(
                p.clone(),
                SetValue::ListAppend(
                    Operand::Path(p).into(),
                    Operand::Value(AttributeValue::L(tail)).into(),
                ),
            )
        }),
        // The counter pattern: `SET p = if_not_exists(p, :start) + :by`.
        2 => (path(), number_operand(), number_operand()).prop_map(|(p, start, by)| {
            UpdateAction::Set(
                p.clone(),
                SetValue::Plus(SetOperand::if_not_exists(p, start), by.into()),
            )
        }),
        // The append pattern, to the end or to the front:
        // `SET p = list_append(if_not_exists(p, :empty), :tail)`.
        1 => (path(), prop::collection::vec(scalar(), 0..2), any::<bool>()).prop_map(
            |(p, tail, front)| {
                let start = SetOperand::if_not_exists(
                    p.clone(),
                    Operand::Value(AttributeValue::L(Vec::new())),
                );
                let tail = SetOperand::from(Operand::Value(AttributeValue::L(tail)));
                let value = if front {
                    SetValue::ListAppend(tail, start)
                } else {
                    SetValue::ListAppend(start, tail)
                };
                UpdateAction::Set(p, value)
            }
        ),
        2 => path().prop_map(UpdateAction::Remove),
        2 => (path(), prop_oneof![number_operand(), set().prop_map(Operand::Value)])
            .prop_map(|(p, o)| UpdateAction::Add(p, o)),
        1 => (path(), set()).prop_map(|(p, v)| UpdateAction::Delete(p, Operand::Value(v))),
    ]
}

fn write_return_values() -> impl Strategy<Value = ReturnValues> {
    prop_oneof![
        4 => Just(ReturnValues::None),
        4 => Just(ReturnValues::AllOld),
        1 => Just(ReturnValues::AllNew),
    ]
}

fn update_return_values() -> impl Strategy<Value = ReturnValues> {
    prop::sample::select(
        &[
            ReturnValues::None,
            ReturnValues::AllOld,
            ReturnValues::UpdatedOld,
            ReturnValues::AllNew,
            ReturnValues::UpdatedNew,
        ][..],
    )
}

/// The sort conditions of an index query.
fn index_sort(sort_type: ScalarType) -> impl Strategy<Value = IndexSort> {
    let g2 = prop::sample::select(&G2_VALUES[..]).prop_map(n);
    prop_oneof![
        2 => Just(IndexSort::None),
        3 => condition_on_values(g2.clone().boxed(), false).prop_map(IndexSort::G2),
        3 => (g2, sort_condition(sort_type)).prop_map(|(v, c)| IndexSort::Sk(v, c)),
        1 => sort_condition(sort_type).prop_map(IndexSort::Gap),
    ]
}

fn sort_condition(sort_type: ScalarType) -> BoxedStrategy<SortKeyCondition> {
    condition_on_values(sort_value(sort_type), sort_type == ScalarType::S)
}

/// A sort key condition on `values`, `begins_with` too when `prefixes` (a string key).
fn condition_on_values(
    values: BoxedStrategy<AttributeValue>,
    prefixes: bool,
) -> BoxedStrategy<SortKeyCondition> {
    let comparator = prop::sample::select(
        &[
            Comparator::Eq,
            Comparator::Lt,
            Comparator::Le,
            Comparator::Gt,
            Comparator::Ge,
        ][..],
    );
    let compare = (comparator, values.clone()).prop_map(|(c, v)| SortKeyCondition::Compare(c, v));
    let between = (values.clone(), values).prop_map(|(lo, hi)| SortKeyCondition::Between(lo, hi));
    if !prefixes {
        return prop_oneof![3 => compare, 1 => between].boxed();
    }
    let prefix = prop::sample::select(&["a", "ab", "b", "é", "z"][..])
        .prop_map(|p| SortKeyCondition::BeginsWith(s(p)));
    prop_oneof![3 => compare, 1 => between, 2 => prefix].boxed()
}

fn op(sort_type: ScalarType) -> impl Strategy<Value = Op> {
    let put = (
        item(sort_type),
        prop::option::weighted(0.4, condition()),
        write_return_values(),
    )
        .prop_map(|(item, condition, return_values)| Op::Put {
            item,
            condition,
            return_values,
        });
    let create = item(sort_type).prop_map(|item| Op::Create { item });
    let update = (
        key(sort_type),
        // Rarely no action at all: no UpdateExpression, which DynamoDB accepts.
        prop_oneof![1 => Just(Vec::new()), 15 => prop::collection::vec(action(), 1..4)],
        prop::option::weighted(0.4, condition()),
        update_return_values(),
    )
        .prop_map(|(key, actions, condition, return_values)| Op::Update {
            key,
            update: Update { actions },
            condition,
            return_values,
        });
    let delete = (
        key(sort_type),
        prop::option::weighted(0.4, condition()),
        write_return_values(),
    )
        .prop_map(|(key, condition, return_values)| Op::Delete {
            key,
            condition,
            return_values,
        });
    let get = key(sort_type).prop_map(|key| Op::Get { key });
    let query = (
        prop::sample::select(&PARTITIONS[..]),
        prop::option::weighted(0.6, sort_condition(sort_type)),
        prop::option::weighted(0.3, filter()),
        prop::option::weighted(0.6, 1u32..4),
        any::<bool>(),
    )
        .prop_map(|(partition, sort, filter, limit, forward)| Op::Query {
            partition,
            sort,
            filter,
            limit,
            forward,
        });
    let index_query = (
        prop::sample::select(&GROUPS[..]),
        prop::sample::select(&PARTITIONS[..]),
        index_sort(sort_type),
        prop::option::weighted(0.6, 1u32..4),
        any::<bool>(),
    )
        .prop_map(|(group, partition, sort, limit, forward)| Op::IndexQuery {
            group,
            partition,
            sort,
            limit,
            forward,
        });
    let batch_write = prop_oneof![
        3 => item(sort_type).prop_map(BatchWrite::Put),
        1 => key(sort_type).prop_map(BatchWrite::Delete),
    ];
    let batch = prop::collection::vec(batch_write, 1..5).prop_map(|writes| Op::Batch { writes });
    prop_oneof![
        4 => put,
        2 => create,
        5 => update,
        2 => delete,
        1 => get,
        3 => query,
        2 => index_query,
        2 => batch,
    ]
}
