//! `SET` values as DynamoDB's grammar nests them: the counter
//! (`SET c = if_not_exists(c, :zero) + :one`) and append
//! (`SET l = list_append(if_not_exists(l, :empty), :v)`) patterns, functions inside functions,
//! and the type errors of nested operands, with DynamoDB's messages.

use notes_repo::expr::SetOperand;

use super::*;

notes_tests::on_every_backend!(
    counters_and_appends_start_from_their_defaults,
    functions_nest_in_each_other,
    nested_operands_of_the_wrong_type_are_refused,
);

fn list(values: &[AttributeValue]) -> AttributeValue {
    AttributeValue::L(values.to_vec())
}

fn value(v: AttributeValue) -> SetOperand {
    Operand::Value(v).into()
}

fn read(name: &'static str) -> SetOperand {
    Operand::Path(path(name)).into()
}

/// `SET name = if_not_exists(name, :start) + :by`
fn count(name: &'static str, start: AttributeValue, by: AttributeValue) -> UpdateAction {
    UpdateAction::Set(
        path(name),
        SetValue::Plus(
            SetOperand::if_not_exists(path(name), value(start)),
            value(by),
        ),
    )
}

/// `SET name = list_append(if_not_exists(name, :start), :tail)`
fn append(name: &'static str, start: AttributeValue, tail: AttributeValue) -> UpdateAction {
    UpdateAction::Set(
        path(name),
        SetValue::ListAppend(
            SetOperand::if_not_exists(path(name), value(start)),
            value(tail),
        ),
    )
}

async fn counters_and_appends_start_from_their_defaults<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    let key = note_key("u1", "n1");
    let visit = |tag: &str| {
        update(
            table,
            key.clone(),
            vec![
                count("views", num(0), num(1)),
                append("tags", list(&[]), list(&[s(tag)])),
            ],
            ReturnValues::AllNew,
        )
    };
    // No item yet: both start from their defaults, and the update creates it.
    let first = backend.update_item(visit("a")).await.unwrap();
    let mut expected = key.clone();
    expected.extend(item(&[("views", num(1)), ("tags", list(&[s("a")]))]));
    assert_eq!(first.attributes, Some(expected));
    // The item exists: both go on from what is stored.
    let second = backend.update_item(visit("b")).await.unwrap();
    let mut expected = key.clone();
    expected.extend(item(&[
        ("views", num(2)),
        ("tags", list(&[s("a"), s("b")])),
    ]));
    assert_eq!(second.attributes, Some(expected));
    // Reversed operands prepend; `-` counts down from a default the item does not need.
    let front_and_down = update(
        table,
        key.clone(),
        vec![
            UpdateAction::Set(
                path("tags"),
                SetValue::ListAppend(
                    value(list(&[s("z")])),
                    SetOperand::if_not_exists(path("tags"), value(list(&[]))),
                ),
            ),
            UpdateAction::Set(
                path("views"),
                SetValue::Minus(
                    SetOperand::if_not_exists(path("views"), value(num(100))),
                    value(n("0.5")),
                ),
            ),
        ],
        ReturnValues::UpdatedNew,
    );
    let third = backend.update_item(front_and_down).await.unwrap();
    let changed = item(&[
        ("views", n("1.5")),
        ("tags", list(&[s("z"), s("a"), s("b")])),
    ]);
    assert_eq!(third.attributes, Some(changed.clone()));
    let mut stored = key.clone();
    stored.extend(changed);
    assert_eq!(fetch(&backend, table, key).await, Some(stored));
}

async fn functions_nest_in_each_other<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    let key = note_key("u1", "n1");
    let mut stored = key.clone();
    stored.extend(item(&[("a", num(1)), ("l", list(&[num(1)]))]));
    store(&backend, table, stored.clone()).await;
    let tail = || value(list(&[num(2)]));
    let nested = vec![
        // The first of `missing`, `a`, `:v` that exists.
        UpdateAction::Set(
            path("b"),
            SetValue::IfNotExists(
                path("missing"),
                SetOperand::if_not_exists(path("a"), value(s("v"))),
            ),
        ),
        // A default computed by a function, used because `c` is missing.
        UpdateAction::Set(
            path("c"),
            SetValue::IfNotExists(path("c"), SetOperand::list_append(read("l"), tail())),
        ),
        // list_append of list_append, and of a default.
        UpdateAction::Set(
            path("d"),
            SetValue::ListAppend(
                SetOperand::list_append(read("l"), tail()),
                SetOperand::if_not_exists(path("missing"), value(list(&[num(3)]))),
            ),
        ),
        // Functions on both sides of `-`: 1 - 3.
        UpdateAction::Set(
            path("e"),
            SetValue::Minus(
                SetOperand::if_not_exists(path("a"), value(num(10))),
                SetOperand::if_not_exists(path("missing"), value(num(3))),
            ),
        ),
    ];
    backend
        .update_item(update(table, key.clone(), nested, ReturnValues::None))
        .await
        .unwrap();
    stored.extend(item(&[
        ("b", num(1)),
        ("c", list(&[num(1), num(2)])),
        ("d", list(&[num(1), num(2), num(3)])),
        ("e", num(-2)),
    ]));
    assert_eq!(fetch(&backend, table, key).await, Some(stored));
}

async fn nested_operands_of_the_wrong_type_are_refused<B: Backend>(backend: B, table: &str) {
    const INCORRECT: &str = "An operand in the update expression has an incorrect data type";
    const MISSING: &str =
        "The provided expression refers to an attribute that does not exist in the item";
    notes_table(&backend, table).await;
    let key = note_key("u1", "n1");
    let mut stored = key.clone();
    stored.extend(item(&[("text", s("x")), ("l", list(&[num(1)]))]));
    store(&backend, table, stored.clone()).await;
    let refused = |key: ItemMap, action: UpdateAction| {
        let backend = &backend;
        async move {
            let request = update(table, key, vec![action], ReturnValues::None);
            validation_message(backend.update_item(request).await.unwrap_err())
        }
    };
    // A default of the wrong type, where it is used; a stored value of the wrong type.
    let cases = [
        (count("views", s("0"), num(1)), INCORRECT),
        (count("text", num(0), num(1)), INCORRECT),
        (append("l2", num(0), list(&[])), INCORRECT),
        (
            UpdateAction::Set(
                path("l2"),
                SetValue::ListAppend(
                    SetOperand::if_not_exists(path("text"), value(list(&[]))),
                    value(list(&[num(2)])),
                ),
            ),
            INCORRECT,
        ),
        // A default that reads a missing attribute, where it is used.
        (
            UpdateAction::Set(
                path("views"),
                SetValue::Plus(
                    SetOperand::if_not_exists(path("views"), read("missing")),
                    value(num(1)),
                ),
            ),
            MISSING,
        ),
    ];
    for (action, message) in cases {
        assert_eq!(
            refused(key.clone(), action.clone()).await,
            message,
            "{action:?}"
        );
    }
    assert_eq!(fetch(&backend, table, key.clone()).await, Some(stored));
    // On a missing item too, and nothing is created.
    let missing = note_key("u1", "n2");
    assert_eq!(
        refused(missing.clone(), count("views", s("0"), num(1))).await,
        INCORRECT
    );
    assert_eq!(fetch(&backend, table, missing.clone()).await, None);
    // A literal of the wrong type is refused before the item is read, wherever it stands.
    let literal = UpdateAction::Set(
        path("l2"),
        SetValue::IfNotExists(
            path("l2"),
            SetOperand::list_append(read("l"), value(s("x"))),
        ),
    );
    // The servers word the type differently (`STRING`, `S`), and dynoxide wraps the message
    // in "1 validation error detected: ", so only the common part is compared here; the
    // engine's own message is pinned by its unit tests.
    let message = refused(missing.clone(), literal).await;
    assert!(
        message.contains(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; \
             operator or function: list_append, operand type: "
        ),
        "{message}"
    );
    assert_eq!(fetch(&backend, table, missing).await, None);
}
