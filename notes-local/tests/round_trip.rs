//! What our own renderer writes parses back to the AST it was rendered from: random
//! conditions, updates, key conditions and projections, with hostile attribute names
//! (reserved words, dots, brackets, placeholders' own syntax, Unicode, blanks), rendered
//! together as one request by `notes_aws::render_expressions` and parsed with the maps it
//! rendered.
//!
//! The one place the renderer is lossy: it groups an update's actions by clause (`SET`, then
//! `REMOVE`, `ADD`, `DELETE`), so the expected update is the original with its actions stably
//! sorted by clause. The generators also stay inside what the renderer accepts (no
//! `Operand::Invalid`, no empty `IN` list, paths that start with a name, no `<>` on a sort
//! key) and what DynamoDB's grammar allows (`ADD`/`DELETE` take a value, no `size()` in an
//! update, distinct partition and sort key names, update and projection paths that do not
//! overlap). `SET` values nest functions in each other and in `+`/`-` as DynamoDB's grammar
//! allows; their literals' types are not the parser's business (the engine checks them), so
//! the generators do not restrict them.

use std::borrow::Cow;

use notes_local::expression::{
    Placeholders, parse_condition, parse_key_condition, parse_projection, parse_update,
};
use notes_model::AttributeValue;
use notes_model::expr::{
    Comparator, Condition, KeyCondition, Operand, Path, PathElement, SetOperand, SetValue,
    SortKeyCondition, Update, UpdateAction,
};
use proptest::prelude::*;

/// Attribute names an expression could not hold without a `#name` placeholder.
fn name() -> impl Strategy<Value = Cow<'static, str>> {
    let hostile = prop::sample::select(vec![
        "status",
        "NAME",
        "data",
        "a.b",
        "x[0]",
        "#n0",
        ":v0",
        "é名 ✓",
        " ",
        "",
        "userId",
    ]);
    prop_oneof![
        hostile.prop_map(Cow::Borrowed),
        "[a-z]{1,3}".prop_map(Cow::Owned),
        "\\PC{0,6}".prop_map(Cow::Owned),
    ]
}

fn path() -> impl Strategy<Value = Path> {
    let step = prop_oneof![
        name().prop_map(PathElement::Name),
        (0usize..30).prop_map(PathElement::Index),
    ];
    (name(), prop::collection::vec(step, 0..3)).prop_map(|(first, rest)| {
        let mut elements = vec![PathElement::Name(first)];
        elements.extend(rest);
        Path { elements }
    })
}

fn value() -> impl Strategy<Value = AttributeValue> {
    let scalar = prop_oneof![
        "\\PC{0,8}".prop_map(AttributeValue::S),
        "-?[0-9]{1,5}(\\.[0-9]{1,3})?".prop_map(AttributeValue::N),
        any::<bool>().prop_map(AttributeValue::Bool),
        Just(AttributeValue::Null(true)),
        prop::collection::vec(any::<u8>(), 0..4).prop_map(AttributeValue::B),
        prop::collection::vec("[a-z]{1,3}", 1..3).prop_map(AttributeValue::Ss),
    ];
    scalar.prop_recursive(2, 6, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(AttributeValue::L),
            prop::collection::hash_map("[a-z]{1,3}", inner, 0..3).prop_map(AttributeValue::M),
        ]
    })
}

fn operand() -> impl Strategy<Value = Operand> {
    prop_oneof![
        path().prop_map(Operand::Path),
        value().prop_map(Operand::Value),
        path().prop_map(Operand::Size),
    ]
}

/// An operand of a `SET` value: a path or a value (`size()` is a condition function).
fn update_operand() -> impl Strategy<Value = Operand> {
    prop_oneof![
        path().prop_map(Operand::Path),
        value().prop_map(Operand::Value),
    ]
}

/// An operand of a `SET` value with functions in it: `if_not_exists` and `list_append` of
/// operands, nested up to three deep.
fn set_operand() -> impl Strategy<Value = SetOperand> {
    update_operand()
        .prop_map(SetOperand::Operand)
        .prop_recursive(3, 8, 2, |inner| {
            prop_oneof![
                (path(), inner.clone()).prop_map(|(p, o)| SetOperand::if_not_exists(p, o)),
                (inner.clone(), inner).prop_map(|(a, b)| SetOperand::list_append(a, b)),
            ]
        })
}

fn comparator() -> impl Strategy<Value = Comparator> {
    prop_oneof![
        Just(Comparator::Eq),
        Just(Comparator::Ne),
        Just(Comparator::Lt),
        Just(Comparator::Le),
        Just(Comparator::Gt),
        Just(Comparator::Ge),
    ]
}

fn condition() -> impl Strategy<Value = Condition> {
    let type_name = prop::sample::select(vec![
        "B", "BOOL", "BS", "L", "M", "N", "NS", "NULL", "S", "SS",
    ]);
    let leaf = prop_oneof![
        (operand(), comparator(), operand()).prop_map(|(a, c, b)| Condition::Compare(a, c, b)),
        (operand(), operand(), operand()).prop_map(|(a, l, h)| Condition::Between(a, l, h)),
        (operand(), prop::collection::vec(operand(), 1..4)).prop_map(|(a, l)| Condition::In(a, l)),
        (path(), operand()).prop_map(|(p, o)| Condition::BeginsWith(p, o)),
        (path(), operand()).prop_map(|(p, o)| Condition::Contains(p, o)),
        path().prop_map(Condition::Exists),
        path().prop_map(Condition::NotExists),
        (path(), type_name).prop_map(|(p, t)| Condition::Type(p, t)),
    ];
    leaf.prop_recursive(4, 16, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a & b),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a | b),
            inner.prop_map(|a| !a),
        ]
    })
}

fn update() -> impl Strategy<Value = Update> {
    let set_value = prop_oneof![
        update_operand().prop_map(SetValue::Value),
        set_operand().prop_map(SetValue::from),
        (path(), set_operand()).prop_map(|(p, o)| SetValue::IfNotExists(p, o)),
        (set_operand(), set_operand()).prop_map(|(a, b)| SetValue::Plus(a, b)),
        (set_operand(), set_operand()).prop_map(|(a, b)| SetValue::Minus(a, b)),
        (set_operand(), set_operand()).prop_map(|(a, b)| SetValue::ListAppend(a, b)),
    ];
    let action = prop_oneof![
        (path(), set_value).prop_map(|(p, v)| UpdateAction::Set(p, v)),
        path().prop_map(UpdateAction::Remove),
        (path(), value()).prop_map(|(p, v)| UpdateAction::Add(p, Operand::Value(v))),
        (path(), value()).prop_map(|(p, v)| UpdateAction::Delete(p, Operand::Value(v))),
    ];
    prop::collection::vec(action, 1..6).prop_map(|actions| Update {
        actions: one_per_attribute(actions, UpdateAction::path),
    })
}

/// The paths of an update or a projection must not overlap (DynamoDB's rule, which the
/// parser enforces): keep the first item per top-level attribute.
fn one_per_attribute<T>(items: Vec<T>, path: fn(&T) -> &Path) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    items
        .into_iter()
        .filter(|item| seen.insert(path(item).top_level().map(str::to_owned)))
        .collect()
}

fn projection() -> impl Strategy<Value = Vec<Path>> {
    prop::collection::vec(path(), 1..4).prop_map(|paths| one_per_attribute(paths, |p| p))
}

fn key_condition() -> impl Strategy<Value = KeyCondition> {
    let sort = prop_oneof![
        (comparator(), value())
            .prop_filter("no <> on a key", |(c, _)| *c != Comparator::Ne)
            .prop_map(|(c, v)| SortKeyCondition::Compare(c, v)),
        (value(), value()).prop_map(|(l, h)| SortKeyCondition::Between(l, h)),
        value().prop_map(SortKeyCondition::BeginsWith),
    ];
    (name(), value(), prop::option::of((name(), sort)))
        .prop_filter("distinct key names", |(pk, _, sort)| {
            sort.as_ref().is_none_or(|(sk, _)| sk != pk)
        })
        .prop_map(|(pk, pk_value, sort)| {
            let condition = KeyCondition::partition(pk, pk_value);
            match sort {
                Some((sk, sort)) => condition.with_sort_key(sk, sort),
                None => condition,
            }
        })
}

/// The renderer writes `SET`, `REMOVE`, `ADD`, `DELETE` in that order.
fn grouped_by_clause(mut update: Update) -> Update {
    update.actions.sort_by_key(|action| match action {
        UpdateAction::Set(..) => 0,
        UpdateAction::Remove(_) => 1,
        UpdateAction::Add(..) => 2,
        UpdateAction::Delete(..) => 3,
    });
    update
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn rendered_expressions_parse_back_to_the_same_ast(
        key_condition in key_condition(),
        update in update(),
        condition in condition(),
        projection in projection(),
    ) {
        let rendered = notes_aws::render_expressions(
            Some(&key_condition),
            Some(&update),
            Some(&condition),
            Some(&projection),
        )
        .unwrap();
        let names = rendered.names.unwrap_or_default();
        let values = rendered.values.unwrap_or_default();
        let mut placeholders = Placeholders::new(&names, &values);

        let parsed = parse_key_condition(&rendered.key_condition.unwrap(), &mut placeholders);
        prop_assert_eq!(parsed.unwrap(), key_condition);
        let parsed = parse_update(&rendered.update.unwrap(), &mut placeholders);
        prop_assert_eq!(parsed.unwrap(), grouped_by_clause(update));
        let parsed = parse_condition(&rendered.condition.unwrap(), &mut placeholders);
        prop_assert_eq!(parsed.unwrap(), condition);
        let parsed = parse_projection(&rendered.projection.unwrap(), &mut placeholders);
        prop_assert_eq!(parsed.unwrap(), projection);
        placeholders.finish().unwrap();
    }

}
