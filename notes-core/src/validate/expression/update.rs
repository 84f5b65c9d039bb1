//! Updates: the actions of an `UpdateExpression`, the values a `SET` computes (functions
//! nested as DynamoDB's grammar allows) and the keys an update must not write.

use notes_model::expr::{Operand, Path, SetOperand, SetValue, Update, UpdateAction};
use notes_model::{AttributeValue, KeySchema, type_descriptor};

use super::super::{MAX_OPERATORS, invalid};
use super::{operand, overlapping, path, type_name};
use crate::error::{Error, Result};

/// Checks an update: not empty, no key attributes written, no overlapping paths, operand types
/// that DynamoDB rejects before reading the item.
pub fn update(update: &Update, schema: &KeySchema) -> Result<()> {
    if update.actions.is_empty() {
        return Err(Error::validation(
            "Invalid UpdateExpression: The expression can not be empty; (the update has no actions)",
        ));
    }
    update_actions(update)?;
    update_keeps_keys(update, schema)
}

/// The checks of [`update`] that DynamoDB makes before reading the item: everything but the
/// empty update and the key attributes. `UpdateItem` refuses a write to a key attribute only
/// after its condition held (a failed condition wins), so `MemoryBackend` checks that with
/// [`update_keeps_keys`] once the condition is evaluated.
pub fn update_actions(update: &Update) -> Result<()> {
    let operators = count_update_operators(update);
    if operators > MAX_OPERATORS {
        return Err(Error::validation(format!(
            "Invalid UpdateExpression: The expression contains too many operators; operator \
             count: {operators} (the limit is {MAX_OPERATORS})"
        )));
    }
    for action in &update.actions {
        path(action.path())?;
        match action {
            UpdateAction::Set(_, value) => set_value(value)?,
            UpdateAction::Remove(_) => {}
            UpdateAction::Add(p, o) => {
                update_operand(o)?;
                literal_of_type(o, "ADD", p, &["N", "SS", "NS", "BS"])?;
            }
            UpdateAction::Delete(p, o) => {
                update_operand(o)?;
                literal_of_type(o, "DELETE", p, &["SS", "NS", "BS"])?;
            }
        }
    }
    overlapping(
        update.actions.iter().map(UpdateAction::path),
        "UpdateExpression",
    )
}

/// Rejects an update that writes a key attribute.
pub fn update_keeps_keys(update: &Update, schema: &KeySchema) -> Result<()> {
    for action in &update.actions {
        if let Some(name) = action.path().top_level()
            && schema.is_key_attribute(name)
        {
            return Err(invalid(format!(
                "Cannot update attribute {name}. This attribute is part of the key"
            )));
        }
    }
    Ok(())
}

/// Counts an update's operators: one per action, and one per `+`, `-` and function of its
/// `SET` values. Without recursion, so a pathologically deep value cannot overflow the stack
/// before it is rejected.
fn count_update_operators(update: &Update) -> usize {
    let mut count = 0;
    let mut stack: Vec<&SetOperand> = Vec::new();
    for action in &update.actions {
        count += 1;
        match action {
            UpdateAction::Set(_, SetValue::IfNotExists(_, o)) => {
                count += 1;
                stack.push(o);
            }
            UpdateAction::Set(
                _,
                SetValue::Plus(a, b) | SetValue::Minus(a, b) | SetValue::ListAppend(a, b),
            ) => {
                count += 1;
                stack.extend([a, b]);
            }
            _ => {}
        }
        while let Some(o) = stack.pop() {
            match o {
                SetOperand::Operand(_) => {}
                SetOperand::IfNotExists(_, o) => {
                    count += 1;
                    stack.push(o);
                }
                SetOperand::ListAppend(a, b) => {
                    count += 1;
                    stack.extend([a.as_ref(), b.as_ref()]);
                }
            }
            if count > MAX_OPERATORS {
                return count;
            }
        }
    }
    count
}

/// Checks a `SET` value: its paths and literals, and the type of each literal an operator or
/// function takes (DynamoDB checks those before it reads the item; a path's or a function's
/// value is checked when the update is applied).
fn set_value(value: &SetValue) -> Result<()> {
    match value {
        SetValue::Value(o) => update_operand(o),
        SetValue::IfNotExists(p, o) => if_not_exists(p, o),
        SetValue::Plus(a, b) => function_operands("+", [a, b], is_number),
        SetValue::Minus(a, b) => function_operands("-", [a, b], is_number),
        SetValue::ListAppend(a, b) => function_operands("list_append", [a, b], is_list),
    }
}

fn set_operand(o: &SetOperand) -> Result<()> {
    match o {
        SetOperand::Operand(o) => update_operand(o),
        SetOperand::IfNotExists(p, o) => if_not_exists(p, o),
        SetOperand::ListAppend(a, b) => function_operands("list_append", [a, b], is_list),
    }
}

fn if_not_exists(p: &Path, default: &SetOperand) -> Result<()> {
    path(p)?;
    set_operand(default)
}

/// The operands of `function`, each of which, where it is a literal, must be of the type
/// `wanted` accepts.
fn function_operands(
    function: &str,
    operands: [&SetOperand; 2],
    wanted: fn(&AttributeValue) -> bool,
) -> Result<()> {
    for o in operands {
        set_operand(o)?;
        if let SetOperand::Operand(Operand::Value(v)) = o
            && !wanted(v)
        {
            return Err(incorrect_operand(function, v));
        }
    }
    Ok(())
}

fn is_number(v: &AttributeValue) -> bool {
    matches!(v, AttributeValue::N(_))
}

fn is_list(v: &AttributeValue) -> bool {
    matches!(v, AttributeValue::L(_))
}

fn update_operand(o: &Operand) -> Result<()> {
    if let Operand::Size(p) = o {
        return Err(Error::validation(format!(
            "Invalid UpdateExpression: The function is not allowed in an update expression; \
             function: size (size({p}))"
        )));
    }
    operand(o)
}

fn literal_of_type(o: &Operand, op: &str, target: &Path, types: &[&str]) -> Result<()> {
    match o {
        Operand::Value(v) if types.contains(&type_descriptor(v)) => Ok(()),
        Operand::Value(v) => Err(Error::validation(format!(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; \
             operator: {op}, operand type: {} (path {target})",
            type_name(v)
        ))),
        _ => Err(Error::validation(format!(
            "Invalid UpdateExpression: {op} requires a literal value operand (path {target})"
        ))),
    }
}

fn incorrect_operand(op: &str, v: &AttributeValue) -> Error {
    Error::validation(format!(
        "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or \
         function: {op}, operand type: {}",
        type_name(v)
    ))
}

#[cfg(test)]
mod tests {
    use notes_model::AttributeValue;
    use notes_model::expr::Operand::Value;
    use notes_model::expr::{Operand, Path, SetOperand, SetValue, Update, UpdateAction};

    use super::*;
    use crate::validate::test_values::{message, n, nested, s, schema};

    #[test]
    fn updates_are_checked_before_any_item_is_read() {
        let set = |p: Path, v: AttributeValue| UpdateAction::Set(p, SetValue::Value(Value(v)));
        let m = message(update(&Update::new(), &schema()));
        assert!(
            m.starts_with("Invalid UpdateExpression: The expression can not be empty;"),
            "{m}"
        );
        let m = message(update(
            &set(Path::attribute("userId"), s("x")).into(),
            &schema(),
        ));
        assert_eq!(
            m,
            "One or more parameter values were invalid: Cannot update attribute userId. This attribute is part of the key"
        );
        let overlap = Update::new()
            .and(set(Path::attribute("meta"), s("x")))
            .and(UpdateAction::Remove(Path::attribute("meta").key("a")));
        let m = message(update(&overlap, &schema()));
        assert!(
            m.contains("Two document paths overlap with each other")
                && m.contains("path one: [meta], path two: [meta, a]"),
            "{m}"
        );
        let same = Update::new()
            .and(set(Path::attribute("a"), s("x")))
            .and(set(Path::attribute("a"), s("y")));
        let m = message(update(&same, &schema()));
        assert!(
            m.contains("Two document paths overlap with each other")
                && m.contains("path one: [a], path two: [a]"),
            "{m}"
        );
        let siblings = Update::new()
            .and(set(Path::attribute("l").index(0), s("x")))
            .and(set(Path::attribute("l").index(1), s("y")));
        assert!(update(&siblings, &schema()).is_ok());
        let add_string = UpdateAction::Add(Path::attribute("a"), Value(s("x")));
        assert!(
            message(update(&add_string.into(), &schema()))
                .contains("operator: ADD, operand type: STRING")
        );
        let delete_number = UpdateAction::Delete(Path::attribute("a"), Value(n("1")));
        assert!(
            message(update(&delete_number.into(), &schema()))
                .contains("operator: DELETE, operand type: NUMBER")
        );
        let size = UpdateAction::Set(
            Path::attribute("a"),
            SetValue::Value(Operand::Size(Path::attribute("b"))),
        );
        assert!(message(update(&size.into(), &schema())).contains("function: size"));
        let plus = UpdateAction::Set(
            Path::attribute("a"),
            SetValue::Plus(
                Operand::Path(Path::attribute("a")).into(),
                Value(s("1")).into(),
            ),
        );
        assert!(
            message(update(&plus.into(), &schema()))
                .contains("operator or function: +, operand type: STRING")
        );
        let invalid = UpdateAction::Set(
            Path::attribute("a"),
            SetValue::Value(Operand::Invalid {
                path: Path::attribute("a"),
                message: "nan".into(),
            }),
        );
        assert!(
            message(update(&invalid.into(), &schema())).contains("could not be converted: nan")
        );
        let nested_value = set(Path::attribute("doc"), nested(33));
        assert!(message(update(&nested_value.into(), &schema())).contains("Nesting Levels"));
    }

    #[test]
    fn literals_in_nested_functions_are_checked_where_they_stand() {
        let a = || Path::attribute("a");
        let check = |value: SetValue| update(&UpdateAction::Set(a(), value).into(), &schema());
        let prefix = "Invalid UpdateExpression: Incorrect operand type for operator or function; \
                      operator or function: ";
        // A literal that list_append takes must be a list, at any depth.
        let inner = SetOperand::list_append(Value(s("x")), Operand::Path(a()));
        assert_eq!(
            message(check(SetValue::IfNotExists(a(), inner))),
            format!("{prefix}list_append, operand type: STRING")
        );
        let inner = SetOperand::list_append(Operand::Path(a()), Value(n("1")));
        assert_eq!(
            message(check(SetValue::Plus(
                SetOperand::if_not_exists(a(), inner),
                Value(n("1")).into()
            ))),
            format!("{prefix}list_append, operand type: NUMBER")
        );
        // if_not_exists's default is whatever type it is: only the item tells.
        let counter = SetValue::Plus(
            SetOperand::if_not_exists(a(), Value(s("0"))),
            Value(n("1")).into(),
        );
        assert!(check(counter).is_ok());
        let append = SetValue::ListAppend(
            SetOperand::if_not_exists(a(), Value(n("0"))),
            Value(AttributeValue::L(vec![])).into(),
        );
        assert!(check(append).is_ok());
        // Paths and values inside functions are checked as everywhere else.
        let empty_name = SetOperand::if_not_exists(Path::attribute(""), Value(n("0")));
        assert!(
            message(check(SetValue::Minus(empty_name, Value(n("1")).into())))
                .contains("Empty attribute name")
        );
        let size = SetOperand::list_append(Operand::Size(a()), Operand::Path(a()));
        assert!(message(check(SetValue::IfNotExists(a(), size))).contains("function: size"));
    }

    #[test]
    fn functions_and_arithmetic_count_as_operators() {
        let a = || Path::attribute("a");
        // 299 nested if_not_exists, one SET: 300 operators.
        let deep = |depth: usize| {
            let inner = (1..depth).fold(SetOperand::from(Value(n("0"))), |o, _| {
                SetOperand::if_not_exists(a(), o)
            });
            Update::from(UpdateAction::Set(a(), SetValue::IfNotExists(a(), inner)))
        };
        assert!(update(&deep(299), &schema()).is_ok());
        assert_eq!(
            message(update(&deep(300), &schema())),
            "Invalid UpdateExpression: The expression contains too many operators; operator \
             count: 301 (the limit is 300)"
        );
        // Counting stops at the limit: a deeper value is refused before it is walked.
        let m = message(update(&deep(5_000), &schema()));
        assert!(m.contains("too many operators"), "{m}");
    }
}
