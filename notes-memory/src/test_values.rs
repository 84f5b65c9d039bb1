//! Terse attribute values and paths for the memory unit tests.

use notes_model::AttributeValue;
use notes_model::expr::Path;

/// A string value.
pub(super) fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_owned())
}

/// A number value, as written.
pub(super) fn n(v: &str) -> AttributeValue {
    AttributeValue::N(v.to_owned())
}

/// The path of a top-level attribute.
pub(super) fn p(name: &'static str) -> Path {
    Path::attribute(name)
}
