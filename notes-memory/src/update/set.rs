//! What a `SET` action computes: operands, `if_not_exists`, `list_append`, `+` and `-`,
//! nested as DynamoDB's grammar allows, each read from the item as it was before the update.
//!
//! The types are DynamoDB's: `+` and `-` take numbers, `list_append` lists, and an operand of
//! the wrong type is "An operand in the update expression has an incorrect data type". The
//! left operand is evaluated and checked before the right one; `if_not_exists` evaluates its
//! default only where the path has no value.

use notes_model::expr::{Path, SetOperand, SetValue};
use notes_model::{AttributeValue, ItemMap};

use notes_core::eval::resolve;
use notes_core::number::Number;
use notes_core::{Error, Result};

use super::{Arithmetic, arithmetic, required};

/// The value `value` computes from `base`.
pub(super) fn set_value(value: &SetValue, base: &ItemMap) -> Result<AttributeValue> {
    match value {
        SetValue::Value(o) => required(o, base),
        SetValue::IfNotExists(path, default) => if_not_exists(path, default, base),
        SetValue::Plus(a, b) => sum(Number::checked_add, a, b, base),
        SetValue::Minus(a, b) => sum(Number::checked_sub, a, b, base),
        SetValue::ListAppend(a, b) => list_append(a, b, base),
    }
}

/// A `SET` operand's value, which must exist.
fn set_operand(o: &SetOperand, base: &ItemMap) -> Result<AttributeValue> {
    match o {
        SetOperand::Operand(o) => required(o, base),
        SetOperand::IfNotExists(path, default) => if_not_exists(path, default, base),
        SetOperand::ListAppend(a, b) => list_append(a, b, base),
    }
}

/// `if_not_exists(path, default)`: the value at `path`, else `default`'s (evaluated only then,
/// so a default that refers to a missing attribute is an error only where it is used).
fn if_not_exists(path: &Path, default: &SetOperand, base: &ItemMap) -> Result<AttributeValue> {
    match resolve(base, path) {
        Some(existing) => Ok(existing.clone()),
        None => set_operand(default, base),
    }
}

/// `a + b` or `a - b` (`op`) of two numbers, the left operand evaluated and checked first.
fn sum(op: Arithmetic, a: &SetOperand, b: &SetOperand, base: &ItemMap) -> Result<AttributeValue> {
    let number = |o: &SetOperand| match set_operand(o, base)? {
        AttributeValue::N(n) => Ok(n),
        _ => Err(incorrect_operand()),
    };
    let (a, b) = (number(a)?, number(b)?);
    Ok(AttributeValue::N(arithmetic(&a, &b, op)?))
}

/// `list_append(a, b)` of two lists, the left operand evaluated and checked first.
fn list_append(a: &SetOperand, b: &SetOperand, base: &ItemMap) -> Result<AttributeValue> {
    let list = |o: &SetOperand| match set_operand(o, base)? {
        AttributeValue::L(list) => Ok(list),
        _ => Err(incorrect_operand()),
    };
    let mut a = list(a)?;
    a.extend(list(b)?);
    Ok(AttributeValue::L(a))
}

/// DynamoDB's error for an operand of a function or of `+`/`-` whose value has the wrong
/// type, word for word (clients and other projects' suites compare it).
fn incorrect_operand() -> Error {
    Error::validation("An operand in the update expression has an incorrect data type")
}

#[cfg(test)]
mod tests {
    use notes_model::expr::{Operand, SetOperand, SetValue};
    use notes_model::{AttributeValue, ItemMap};

    use super::set_value;
    use crate::test_values::{n, p, s};

    fn l(values: &[AttributeValue]) -> AttributeValue {
        AttributeValue::L(values.to_vec())
    }
    fn val(v: AttributeValue) -> SetOperand {
        Operand::Value(v).into()
    }
    fn path(name: &'static str) -> SetOperand {
        Operand::Path(p(name)).into()
    }
    fn item(attributes: &[(&str, AttributeValue)]) -> ItemMap {
        attributes
            .iter()
            .map(|(name, v)| ((*name).to_owned(), v.clone()))
            .collect()
    }
    fn message(value: &SetValue, base: &ItemMap) -> String {
        match set_value(value, base) {
            Err(notes_core::Error::Validation { message, .. }) => message,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
    const INCORRECT: &str = "An operand in the update expression has an incorrect data type";
    const MISSING: &str =
        "The provided expression refers to an attribute that does not exist in the item";

    /// `SET c = if_not_exists(c, :zero) + :one`
    fn counter() -> SetValue {
        SetValue::Plus(SetOperand::if_not_exists(p("c"), val(n("0"))), val(n("1")))
    }

    /// `SET l = list_append(if_not_exists(l, :empty), :new)`
    fn append() -> SetValue {
        SetValue::ListAppend(
            SetOperand::if_not_exists(p("l"), val(l(&[]))),
            val(l(&[s("new")])),
        )
    }

    #[test]
    fn the_counter_starts_from_its_default_then_counts_on() {
        assert_eq!(set_value(&counter(), &item(&[])).unwrap(), n("1"));
        assert_eq!(
            set_value(&counter(), &item(&[("c", n("41"))])).unwrap(),
            n("42")
        );
        let down = SetValue::Minus(
            SetOperand::if_not_exists(p("c"), val(n("10"))),
            val(n("0.5")),
        );
        assert_eq!(set_value(&down, &item(&[])).unwrap(), n("9.5"));
        assert_eq!(set_value(&down, &item(&[("c", n("1"))])).unwrap(), n("0.5"));
    }

    #[test]
    fn the_append_starts_from_its_default_then_appends() {
        assert_eq!(set_value(&append(), &item(&[])).unwrap(), l(&[s("new")]));
        assert_eq!(
            set_value(&append(), &item(&[("l", l(&[n("1")]))])).unwrap(),
            l(&[n("1"), s("new")])
        );
        // Reversed operands prepend.
        let prepend = SetValue::ListAppend(
            val(l(&[s("new")])),
            SetOperand::if_not_exists(p("l"), val(l(&[]))),
        );
        assert_eq!(
            set_value(&prepend, &item(&[("l", l(&[n("1")]))])).unwrap(),
            l(&[s("new"), n("1")])
        );
    }

    #[test]
    fn functions_nest_in_each_other() {
        let base = item(&[("a", n("1")), ("b", l(&[n("2")])), ("m", l(&[n("3")]))]);
        // if_not_exists(x, if_not_exists(y, :v)): the first of x, y, :v that exists.
        let fallback =
            |x, y| SetValue::IfNotExists(p(x), SetOperand::if_not_exists(p(y), val(s("v"))));
        assert_eq!(set_value(&fallback("a", "b"), &base).unwrap(), n("1"));
        assert_eq!(set_value(&fallback("x", "b"), &base).unwrap(), l(&[n("2")]));
        assert_eq!(set_value(&fallback("x", "y"), &base).unwrap(), s("v"));
        // list_append(list_append(b, m), :l) and if_not_exists(x, list_append(b, m)).
        let both = SetOperand::list_append(path("b"), path("m"));
        let three = SetValue::ListAppend(both.clone(), val(l(&[n("4")])));
        assert_eq!(
            set_value(&three, &base).unwrap(),
            l(&[n("2"), n("3"), n("4")])
        );
        let default = SetValue::IfNotExists(p("x"), both);
        assert_eq!(set_value(&default, &base).unwrap(), l(&[n("2"), n("3")]));
        // Functions on both sides of `-`.
        let difference = SetValue::Minus(
            SetOperand::if_not_exists(p("a"), val(n("100"))),
            SetOperand::if_not_exists(p("x"), val(n("3"))),
        );
        assert_eq!(set_value(&difference, &base).unwrap(), n("-2"));
    }

    #[test]
    fn a_default_is_read_only_where_the_path_is_missing() {
        // if_not_exists(c, nope) + :one: `nope` is not read while `c` exists.
        let value = SetValue::Plus(SetOperand::if_not_exists(p("c"), path("nope")), val(n("1")));
        assert_eq!(set_value(&value, &item(&[("c", n("1"))])).unwrap(), n("2"));
        assert_eq!(message(&value, &item(&[])), MISSING);
    }

    #[test]
    fn arithmetic_on_a_function_that_is_no_number_is_an_incorrect_data_type() {
        // The default is a string, or the stored counter is.
        let text_default =
            SetValue::Plus(SetOperand::if_not_exists(p("c"), val(s("0"))), val(n("1")));
        assert_eq!(message(&text_default, &item(&[])), INCORRECT);
        assert_eq!(message(&counter(), &item(&[("c", s("41"))])), INCORRECT);
        let list = SetValue::Minus(val(n("1")), SetOperand::list_append(path("l"), path("l")));
        assert_eq!(message(&list, &item(&[("l", l(&[]))])), INCORRECT);
    }

    #[test]
    fn list_append_of_a_function_that_is_no_list_is_an_incorrect_data_type() {
        assert_eq!(message(&append(), &item(&[("l", s("x"))])), INCORRECT);
        let number_default =
            SetValue::ListAppend(SetOperand::if_not_exists(p("l"), val(n("0"))), val(l(&[])));
        assert_eq!(message(&number_default, &item(&[])), INCORRECT);
        let inner = SetValue::IfNotExists(p("x"), SetOperand::list_append(path("m"), val(l(&[]))));
        assert_eq!(
            message(&inner, &item(&[("m", AttributeValue::M(ItemMap::new()))])),
            INCORRECT
        );
    }

    #[test]
    fn the_left_operand_is_checked_first() {
        // s + nope: the string is the error, not the missing attribute; and the other way.
        let base = item(&[("s", s("x"))]);
        let value = SetValue::Plus(path("s"), path("nope"));
        assert_eq!(message(&value, &base), INCORRECT);
        let value = SetValue::ListAppend(path("nope"), path("s"));
        assert_eq!(message(&value, &base), MISSING);
    }

    #[test]
    fn a_sum_past_dynamodbs_range_is_a_number_overflow() {
        let value = SetValue::Plus(
            SetOperand::if_not_exists(p("c"), val(n("9.9e125"))),
            val(n("9.9e125")),
        );
        let m = message(&value, &item(&[]));
        assert!(
            m.starts_with(
                "Number overflow. Attempting to store a number with magnitude larger than \
                 supported range"
            ),
            "{m}"
        );
    }
}
