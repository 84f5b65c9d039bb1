//! Document nesting: DynamoDB's 32 levels, checked without looking deeper than that, so a
//! hostile value nested thousands of levels deep is refused before any code that recurses
//! through it (a conversion, a serializer) runs out of stack.

use notes_model::{AttributeValue, ItemMap};

use super::MAX_NESTING_LEVELS;
use super::location::Location;
use crate::error::{Error, Result};

/// Checks that no value of `item` nests deeper than DynamoDB's 32 levels (a top-level
/// attribute's value is level 1), with DynamoDB's message.
///
/// ```
/// use notes_core::validate::nesting;
/// use notes_model::{AttributeValue, ItemMap};
///
/// let deep = (0..40).fold(AttributeValue::S("x".into()), |v, _| AttributeValue::L(vec![v]));
/// let item = ItemMap::from([("doc".to_owned(), deep)]);
/// let err = nesting(&item).unwrap_err();
/// assert!(err.to_string().contains("Nesting Levels have exceeded supported limits"));
/// ```
pub fn nesting(item: &ItemMap) -> Result<()> {
    item.iter()
        .try_for_each(|(name, value)| nested(value, &Location::attribute(name), 1))
        .map_err(Error::validation)
}

/// Checks that an expression's literal value nests no deeper than 32 levels, as [`nesting`]
/// checks an item's.
///
/// ```
/// use notes_core::validate::value_nesting;
/// use notes_model::AttributeValue;
///
/// assert!(value_nesting(&AttributeValue::L(vec![AttributeValue::Bool(true)])).is_ok());
/// ```
pub fn value_nesting(value: &AttributeValue) -> Result<()> {
    nested(value, &Location::Value, 1).map_err(Error::validation)
}

fn nested(value: &AttributeValue, at: &Location<'_>, level: usize) -> Result<(), String> {
    if level > MAX_NESTING_LEVELS {
        return Err(too_deep(at));
    }
    match value {
        AttributeValue::L(list) => list
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| nested(v, &Location::Index(at, i), level + 1)),
        AttributeValue::M(map) => map
            .iter()
            .try_for_each(|(k, v)| nested(v, &Location::Key(at, k), level + 1)),
        _ => Ok(()),
    }
}

/// DynamoDB's message for a value nested too deep, and where it is.
pub(super) fn too_deep(at: &Location<'_>) -> String {
    format!(
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested \
         levels beyond supported limit ({at} is nested deeper than {MAX_NESTING_LEVELS} levels)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested_lists(levels: usize) -> AttributeValue {
        (1..levels).fold(AttributeValue::Bool(true), |v, _| {
            AttributeValue::L(vec![v])
        })
    }

    #[test]
    fn thirty_two_levels_pass_and_thousands_are_refused_at_the_thirty_third() {
        let item = |levels| ItemMap::from([("doc".to_owned(), nested_lists(levels))]);
        assert!(nesting(&item(32)).is_ok());
        let Err(Error::Validation { message, .. }) = nesting(&item(3_000)) else {
            panic!("a validation error");
        };
        assert!(
            message.starts_with(
                "Nesting Levels have exceeded supported limits: Attributes in the item have \
                 nested levels beyond supported limit (attribute `doc[0][0]"
            ),
            "{message}"
        );
        assert!(value_nesting(&nested_lists(33)).is_err());
        assert!(value_nesting(&nested_lists(32)).is_ok());
    }
}
