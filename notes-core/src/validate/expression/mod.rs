//! Expressions: conditions and filters, updates (in `update`), projections and key conditions.

use std::cmp::Ordering;
use std::fmt::{self, Write as _};

use notes_model::expr::{Condition, Operand, Path, PathElement};
use notes_model::{AttributeValue, type_descriptor};

use super::value::{Context, Location, attribute_value};
use super::{MAX_IN_OPERANDS, MAX_NESTING_LEVELS, MAX_OPERATORS};
use crate::error::{Error, Result};
use crate::number::Number;

mod key_condition;
mod update;

pub use key_condition::{
    BoundKeyCondition, bind_key_condition, bind_key_terms, index_key_condition, key_condition,
};
pub use update::{update, update_actions, update_keeps_keys};

/// Checks a condition (`ConditionExpression`, `FilterExpression`): operands that could not be
/// converted, literal values, paths, `IN` and `attribute_type` arguments, expression size.
pub fn condition(condition: &Condition) -> Result<()> {
    let operators = count_operators(condition);
    if operators > MAX_OPERATORS {
        return Err(Error::validation(format!(
            "Invalid ConditionExpression: The expression contains too many operators; \
             operator count: {operators} (the limit is {MAX_OPERATORS})"
        )));
    }
    check_condition(condition)
}

/// Counts operators without recursion, so a pathologically deep condition cannot overflow the
/// stack before it is rejected.
fn count_operators(condition: &Condition) -> usize {
    let mut stack = vec![condition];
    let mut count = 0;
    while let Some(c) = stack.pop() {
        count += 1;
        match c {
            Condition::And(a, b) | Condition::Or(a, b) => stack.extend([a.as_ref(), b.as_ref()]),
            Condition::Not(a) => stack.push(a),
            _ => {}
        }
        if count > MAX_OPERATORS {
            break;
        }
    }
    count
}

fn check_condition(condition: &Condition) -> Result<()> {
    match condition {
        Condition::Compare(a, _, b) => operands(&[a, b]),
        Condition::Between(a, low, high) => {
            operands(&[a, low, high])?;
            if let (Operand::Value(l), Operand::Value(h)) = (low, high)
                && type_descriptor(l) != type_descriptor(h)
            {
                // Found by the differential test: DynamoDB checks the bounds' types before it
                // reads the item, so this is a validation error, not a false condition.
                return Err(Error::validation(format!(
                    "Invalid ConditionExpression: The BETWEEN operator requires same data type \
                     for lower and upper bounds; lower bound operand: {}, upper bound operand: \
                     {} (comparing {})",
                    describe(l),
                    describe(h),
                    describe_operand(a)
                )));
            }
            if let (Operand::Value(l), Operand::Value(h)) = (low, high)
                && compare_scalars(l, h) == Some(Ordering::Greater)
            {
                return Err(Error::validation(format!(
                    "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be \
                     greater than or equal to lower bound; lower bound operand: {}, upper bound \
                     operand: {} (comparing {})",
                    describe(l),
                    describe(h),
                    describe_operand(a)
                )));
            }
            Ok(())
        }
        Condition::In(a, list) => {
            if list.is_empty() || list.len() > MAX_IN_OPERANDS {
                return Err(Error::validation(format!(
                    "Invalid ConditionExpression: The IN operator is provided with a wrong number \
                     of operands; number of operands: {} (1 to {MAX_IN_OPERANDS} are allowed, \
                     comparing {})",
                    list.len(),
                    describe_operand(a)
                )));
            }
            operand(a)?;
            list.iter().try_for_each(operand)
        }
        Condition::BeginsWith(p, prefix) => {
            path(p)?;
            operand(prefix)?;
            match prefix {
                Operand::Value(AttributeValue::S(_) | AttributeValue::B(_)) | Operand::Path(_) => {
                    Ok(())
                }
                other => Err(Error::validation(format!(
                    "Invalid ConditionExpression: Incorrect operand type for operator or \
                     function; operator or function: begins_with, operand type: {} (path {p})",
                    operand_type(other)
                ))),
            }
        }
        Condition::Contains(p, o) => {
            path(p)?;
            operand(o)
        }
        Condition::Exists(p) | Condition::NotExists(p) => path(p),
        Condition::Type(p, t) => {
            path(p)?;
            const TYPES: [&str; 10] = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];
            if TYPES.contains(t) {
                Ok(())
            } else {
                Err(Error::validation(format!(
                    "Invalid ConditionExpression: Invalid attribute type name found; type: {t}, \
                     valid types: {{ B,N,S,BS,NS,SS,M,L,NULL,BOOL }} (path {p})"
                )))
            }
        }
        Condition::And(a, b) | Condition::Or(a, b) => {
            check_condition(a)?;
            check_condition(b)
        }
        Condition::Not(a) => check_condition(a),
    }
}

fn operands(list: &[&Operand]) -> Result<()> {
    list.iter().try_for_each(|o| operand(o))
}

/// Checks one operand: a valid path, or a valid literal value.
fn operand(operand: &Operand) -> Result<()> {
    match operand {
        Operand::Path(p) | Operand::Size(p) => path(p),
        Operand::Value(value) => attribute_value(value, &Location::Value, Context::Expression),
        Operand::Invalid { path, message } => Err(unconverted(path, message)),
    }
}

/// The error of a value that could not be converted into an attribute value
/// ([`Operand::Invalid`]): a request holding one is refused by every backend (it has no
/// expression syntax to be sent in).
///
/// ```
/// use notes_core::validate::unconverted;
/// use notes_model::expr::Path;
///
/// let err = unconverted(&Path::attribute("price"), "NaN is not a number");
/// assert!(err.to_string().contains("`price` could not be converted: NaN is not a number"));
/// ```
pub fn unconverted(path: &Path, message: &str) -> Error {
    Error::validation(format!(
        "ExpressionAttributeValues contains invalid value: the value for `{path}` could not be \
         converted: {message}"
    ))
}

/// Checks that a document path starts with an attribute name: what a path needs before it
/// can be written in an expression at all (an empty path, or one that starts with a list
/// index, has no expression syntax).
///
/// ```
/// use notes_core::validate::path_start;
/// use notes_model::expr::{Path, PathElement};
///
/// assert!(path_start(&Path::attribute("tags").index(0)).is_ok());
/// let err = path_start(&Path { elements: vec![PathElement::Index(0)] }).unwrap_err();
/// assert!(err.to_string().contains("a document path must start with an attribute name"));
/// ```
pub fn path_start(path: &Path) -> Result<()> {
    match path.elements.first() {
        Some(PathElement::Name(_)) => Ok(()),
        _ => Err(Error::validation(format!(
            "Invalid expression: a document path must start with an attribute name, found \
             `{path}`"
        ))),
    }
}

/// Checks a document path: starts with a non-empty attribute name, no empty map keys.
fn path(path: &Path) -> Result<()> {
    path_start(path)?;
    if path.elements.len() > MAX_NESTING_LEVELS {
        return Err(Error::validation(format!(
            "Invalid expression: The document path has too many nesting levels; nesting levels: \
             {} (the limit is {MAX_NESTING_LEVELS}; path `{path}`)",
            path.elements.len()
        )));
    }
    if path
        .elements
        .iter()
        .any(|e| matches!(e, PathElement::Name(n) if n.is_empty()))
    {
        return Err(Error::validation(format!(
            "ExpressionAttributeNames contains invalid value: Empty attribute name (path `{path}`)"
        )));
    }
    Ok(())
}

/// Rejects two paths of which one is a prefix of (or equal to) the other.
fn overlapping<'a>(paths: impl Iterator<Item = &'a Path>, expression: &str) -> Result<()> {
    let paths: Vec<&Path> = paths.collect();
    for (i, one) in paths.iter().enumerate() {
        for two in &paths[i + 1..] {
            let n = one.elements.len().min(two.elements.len());
            if one.elements[..n] == two.elements[..n] {
                return Err(Error::validation(format!(
                    "Invalid {expression}: Two document paths overlap with each other; must \
                     remove or rewrite one of these paths; path one: {}, path two: {}",
                    PathList(one),
                    PathList(two)
                )));
            }
        }
    }
    Ok(())
}

/// A path as DynamoDB prints it in errors: `[meta, tags, [0]]`.
struct PathList<'a>(&'a Path);

impl fmt::Display for PathList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('[')?;
        for (i, element) in self.0.elements.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            match element {
                PathElement::Name(name) => f.write_str(name)?,
                PathElement::Index(index) => write!(f, "[{index}]")?,
            }
        }
        f.write_char(']')
    }
}

/// Checks a projection: valid paths that do not overlap.
pub fn projection(paths: &[Path]) -> Result<()> {
    paths.iter().try_for_each(path)?;
    overlapping(paths.iter(), "ProjectionExpression")
}

/// Orders two scalars of the same type (S by bytes, N numerically, B by bytes); `None` for
/// different types, non-scalars and invalid numbers.
pub fn compare_scalars(a: &AttributeValue, b: &AttributeValue) -> Option<Ordering> {
    match (a, b) {
        (AttributeValue::S(a), AttributeValue::S(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (AttributeValue::B(a), AttributeValue::B(b)) => Some(a.cmp(b)),
        (AttributeValue::N(a), AttributeValue::N(b)) => {
            Some(Number::parse(a).ok()?.cmp(&Number::parse(b).ok()?))
        }
        _ => None,
    }
}

/// DynamoDB's operand type names in update-expression errors.
fn type_name(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "STRING",
        AttributeValue::N(_) => "NUMBER",
        AttributeValue::B(_) => "BINARY",
        AttributeValue::Bool(_) => "BOOLEAN",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::M(_) => "MAP",
        AttributeValue::L(_) => "LIST",
        AttributeValue::Ss(_) => "STRING_SET",
        AttributeValue::Ns(_) => "NUMBER_SET",
        AttributeValue::Bs(_) => "BINARY_SET",
    }
}

fn operand_type(operand: &Operand) -> &'static str {
    match operand {
        Operand::Value(v) => type_descriptor(v),
        Operand::Size(_) => "N",
        _ => "path",
    }
}

fn describe(value: &AttributeValue) -> String {
    match value {
        AttributeValue::S(s) => format!("AttributeValue: {{S:{s}}}"),
        AttributeValue::N(n) => format!("AttributeValue: {{N:{n}}}"),
        other => format!("AttributeValue: {{{}}}", type_descriptor(other)),
    }
}

fn describe_operand(operand: &Operand) -> String {
    match operand {
        Operand::Path(p) => format!("`{p}`"),
        Operand::Size(p) => format!("size({p})"),
        Operand::Value(v) => describe(v),
        Operand::Invalid { path, .. } => format!("`{path}`"),
    }
}

#[cfg(test)]
mod tests {
    use notes_model::AttributeValue;
    use notes_model::expr::Operand::Value;
    use notes_model::expr::{Comparator, Condition, Operand, Path};

    use super::*;
    use crate::validate::test_values::{message, n};

    #[test]
    fn conditions_reject_unconvertible_and_malformed_operands() {
        let invalid = Operand::Invalid {
            path: Path::attribute("createdAt"),
            message: "boom".into(),
        };
        let cond = Condition::Compare(
            Operand::Path(Path::attribute("createdAt")),
            Comparator::Eq,
            invalid,
        );
        let m = message(condition(&cond));
        assert!(m.contains("`createdAt`") && m.contains("boom"), "{m}");
        let many = Condition::In(
            Operand::Path(Path::attribute("a")),
            (0..101).map(|i| Value(n(&i.to_string()))).collect(),
        );
        assert!(message(condition(&many)).contains("number of operands: 101"));
        let few = Condition::In(
            Operand::Path(Path::attribute("a")),
            (0..100).map(|i| Value(n(&i.to_string()))).collect(),
        );
        assert!(condition(&few).is_ok());
        assert!(
            message(condition(&Condition::Type(Path::attribute("a"), "STRING")))
                .contains("Invalid attribute type name")
        );
        let bad_value = Condition::Compare(
            Operand::Path(Path::attribute("a")),
            Comparator::Eq,
            Value(AttributeValue::Ns(vec![])),
        );
        assert!(
            message(condition(&bad_value))
                .starts_with("ExpressionAttributeValues contains invalid value")
        );
        let begins = Condition::BeginsWith(Path::attribute("a"), Value(n("1")));
        assert!(message(condition(&begins)).contains("begins_with, operand type: N"));
        let empty = Condition::Exists(Path::attribute(""));
        assert!(message(condition(&empty)).contains("Empty attribute name"));
        let deep = (0..400).fold(Condition::Exists(Path::attribute("a")), |c, _| !c);
        assert!(message(condition(&deep)).contains("too many operators"));
    }

    #[test]
    fn projections_must_not_overlap() {
        assert!(projection(&[Path::attribute("a"), Path::attribute("b").key("c")]).is_ok());
        let m = message(projection(&[
            Path::attribute("a"),
            Path::attribute("a").index(1),
        ]));
        assert!(
            m.starts_with("Invalid ProjectionExpression: Two document paths overlap"),
            "{m}"
        );
    }
}
