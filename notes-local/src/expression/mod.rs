//! DynamoDB's expression language (condition, key condition, filter, update and projection
//! expressions with `#name` and `:value` placeholders), parsed into the AST of
//! `notes_model::expr`.
//!
//! The parser is written by hand, by recursive descent: that gives DynamoDB's own error
//! messages, naming the offending token and its neighbourhood, and costs no dependency.
//!
//! Every function takes the request's [`Placeholders`]; call [`Placeholders::finish`] after
//! the last expression of a request to reject names and values that no expression used.
//!
//! ```
//! use std::collections::HashMap;
//! use notes_model::AttributeValue;
//! use notes_model::expr::{Comparator, Condition, Operand, Path};
//! use notes_local::expression::{Placeholders, parse_condition};
//!
//! let names = HashMap::from([("#s".to_owned(), "status".to_owned())]);
//! let values = HashMap::from([(":v".to_owned(), AttributeValue::S("open".into()))]);
//! let mut placeholders = Placeholders::new(&names, &values);
//! let condition = parse_condition("#s = :v", &mut placeholders)?;
//! placeholders.finish()?;
//! assert_eq!(
//!     condition,
//!     Condition::Compare(
//!         Operand::Path(Path::attribute("status")),
//!         Comparator::Eq,
//!         Operand::Value(AttributeValue::S("open".into())),
//!     )
//! );
//! # Ok::<(), notes_core::Error>(())
//! ```

mod condition;
mod key_condition;
mod lexer;
pub(crate) mod limits;
mod parser;
mod paths;
mod placeholders;
mod projection;
mod reserved;
#[cfg(test)]
mod test_support;
mod update;

use notes_core::Result;
use notes_model::expr::{Condition, KeyCondition, Path, Update};

pub(crate) use key_condition::KeyTerms;
use parser::Parser;
pub use placeholders::Placeholders;

/// Parses a `ConditionExpression`.
///
/// ```
/// # use std::collections::HashMap;
/// use notes_local::expression::{Placeholders, parse_condition};
///
/// let (names, values) = (HashMap::new(), HashMap::new());
/// let mut placeholders = Placeholders::new(&names, &values);
/// let condition = parse_condition("attribute_not_exists(pk)", &mut placeholders)?;
/// assert!(matches!(condition, notes_model::expr::Condition::NotExists(_)));
/// # Ok::<(), notes_core::Error>(())
/// ```
pub fn parse_condition(expression: &str, placeholders: &mut Placeholders<'_>) -> Result<Condition> {
    condition(expression, "ConditionExpression", placeholders)
}

/// Parses a `FilterExpression` (the grammar of [`parse_condition`], its own name in messages).
///
/// ```
/// # use std::collections::HashMap;
/// use notes_local::expression::{Placeholders, parse_filter};
///
/// let (names, values) = (HashMap::new(), HashMap::new());
/// let mut placeholders = Placeholders::new(&names, &values);
/// let err = parse_filter("a = ", &mut placeholders).unwrap_err();
/// assert!(err.to_string().contains("Invalid FilterExpression: Syntax error"));
/// ```
pub fn parse_filter(expression: &str, placeholders: &mut Placeholders<'_>) -> Result<Condition> {
    condition(expression, "FilterExpression", placeholders)
}

fn condition(
    expression: &str,
    label: &'static str,
    placeholders: &mut Placeholders<'_>,
) -> Result<Condition> {
    let mut parser = Parser::new(expression, label, placeholders)?;
    let condition = parser.condition()?;
    parser.expect_end()?;
    Ok(condition)
}

/// Parses a `KeyConditionExpression`. Without the table's schema, the first equality is the
/// partition key, the one range (or, when every term is an equality, the last term) the sort
/// key, and any further equality an attribute of a multi-attribute index key (in
/// `additional_partition_keys`: a backend matches the terms to the key's attributes by name).
///
/// ```
/// # use std::collections::HashMap;
/// use notes_model::AttributeValue;
/// use notes_local::expression::{Placeholders, parse_key_condition};
///
/// let names = HashMap::new();
/// let values = HashMap::from([
///     (":u".to_owned(), AttributeValue::S("u1".into())),
///     (":p".to_owned(), AttributeValue::S("2026".into())),
/// ]);
/// let mut placeholders = Placeholders::new(&names, &values);
/// let kc = parse_key_condition("userId = :u AND begins_with(noteId, :p)", &mut placeholders)?;
/// assert_eq!(kc.partition_key.0, "userId");
/// # Ok::<(), notes_core::Error>(())
/// ```
pub fn parse_key_condition(
    expression: &str,
    placeholders: &mut Placeholders<'_>,
) -> Result<KeyCondition> {
    Parser::new(expression, "KeyConditionExpression", placeholders)?.key_condition()
}

/// Parses a `KeyConditionExpression` into its terms, in the order written, for a request to
/// bind to the key it reads.
pub(crate) fn parse_key_terms(
    expression: &str,
    placeholders: &mut Placeholders<'_>,
) -> Result<KeyTerms> {
    Parser::new(expression, "KeyConditionExpression", placeholders)?.key_terms()
}

/// Parses an `UpdateExpression`.
///
/// ```
/// # use std::collections::HashMap;
/// use notes_model::AttributeValue;
/// use notes_local::expression::{Placeholders, parse_update};
///
/// let names = HashMap::new();
/// let values = HashMap::from([(":one".to_owned(), AttributeValue::N("1".into()))]);
/// let mut placeholders = Placeholders::new(&names, &values);
/// let update = parse_update("REMOVE draft SET visits = visits + :one", &mut placeholders)?;
/// assert_eq!(update.actions.len(), 2);
/// # Ok::<(), notes_core::Error>(())
/// ```
pub fn parse_update(expression: &str, placeholders: &mut Placeholders<'_>) -> Result<Update> {
    Parser::new(expression, "UpdateExpression", placeholders)?.update()
}

/// Parses a `ProjectionExpression`.
///
/// ```
/// # use std::collections::HashMap;
/// use notes_local::expression::{Placeholders, parse_projection};
///
/// let (names, values) = (HashMap::new(), HashMap::new());
/// let mut placeholders = Placeholders::new(&names, &values);
/// let paths = parse_projection("content, tags[0], meta.color", &mut placeholders)?;
/// assert_eq!(paths[2].to_string(), "meta.color");
/// # Ok::<(), notes_core::Error>(())
/// ```
pub fn parse_projection(
    expression: &str,
    placeholders: &mut Placeholders<'_>,
) -> Result<Vec<Path>> {
    Parser::new(expression, "ProjectionExpression", placeholders)?.projection()
}
