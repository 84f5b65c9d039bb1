//! Helpers for the parser's unit tests.

use std::collections::HashMap;

use notes_core::{Error, Result};
use notes_model::AttributeValue;
use notes_model::expr::{Comparator, Condition, Operand, Path};

use super::Placeholders;

/// A string value.
pub(super) fn s(value: &str) -> AttributeValue {
    AttributeValue::S(value.to_owned())
}

/// A number value.
pub(super) fn n(value: &str) -> AttributeValue {
    AttributeValue::N(value.to_owned())
}

/// A path operand.
pub(super) fn path(name: &'static str) -> Operand {
    Operand::Path(Path::attribute(name))
}

/// `name <comparator> value`.
pub(super) fn compare(
    name: &'static str,
    comparator: Comparator,
    value: AttributeValue,
) -> Condition {
    Condition::Compare(path(name), comparator, Operand::Value(value))
}

/// Runs `parse` on `expression` with `names` and the values `:a`..`:e` (strings `"a"`..`"e"`)
/// plus `extra`, without checking for unused placeholders.
pub(super) fn parse<T>(
    parse: fn(&str, &mut Placeholders<'_>) -> Result<T>,
    expression: &str,
    names: &[(&str, &str)],
    extra: &[(&str, AttributeValue)],
) -> Result<T> {
    let names: HashMap<String, String> = names
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let mut values: HashMap<String, AttributeValue> = ["a", "b", "c", "d", "e"]
        .iter()
        .map(|v| (format!(":{v}"), s(v)))
        .collect();
    values.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
    let mut placeholders = Placeholders::new(&names, &values);
    parse(expression, &mut placeholders)
}

/// The message of a validation error; panics on success or on any other error.
pub(super) fn validation<T: std::fmt::Debug>(result: Result<T>) -> String {
    match result {
        Err(Error::Validation { message, .. }) => message,
        other => panic!("expected a validation error, got {other:?}"),
    }
}
