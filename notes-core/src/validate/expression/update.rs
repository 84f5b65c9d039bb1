//! Updates: the actions of an `UpdateExpression`, the values a `SET` computes, and the keys
//! an update must not write.

use notes_model::expr::{Operand, Path, SetValue, Update, UpdateAction};
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
    if update.actions.len() > MAX_OPERATORS {
        return Err(Error::validation(format!(
            "Invalid UpdateExpression: The expression contains too many operators; operator \
             count: {} (the limit is {MAX_OPERATORS})",
            update.actions.len()
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

fn set_value(value: &SetValue) -> Result<()> {
    match value {
        SetValue::Value(o) => update_operand(o),
        SetValue::IfNotExists(p, o) => {
            path(p)?;
            update_operand(o)
        }
        SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
            let op = if matches!(value, SetValue::Plus(..)) {
                "+"
            } else {
                "-"
            };
            for o in [a, b] {
                update_operand(o)?;
                if let Operand::Value(v) = o
                    && !matches!(v, AttributeValue::N(_))
                {
                    return Err(incorrect_operand(op, v));
                }
            }
            Ok(())
        }
        SetValue::ListAppend(a, b) => {
            for o in [a, b] {
                update_operand(o)?;
                if let Operand::Value(v) = o
                    && !matches!(v, AttributeValue::L(_))
                {
                    return Err(incorrect_operand("list_append", v));
                }
            }
            Ok(())
        }
    }
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
    use notes_model::expr::{Operand, Path, SetValue, Update, UpdateAction};

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
            SetValue::Plus(Operand::Path(Path::attribute("a")), Value(s("1"))),
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
}
