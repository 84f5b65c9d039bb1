//! DynamoDB's checks of a request's members against the API model's constraints (required,
//! lengths, ranges, patterns, enumerations), worded as DynamoDB words them.
//!
//! A missing required top-level parameter, and a table name of the wrong length, stop the
//! request at once ([`required`], [`table_name_length`]); the other violations of a request
//! are collected, in the order of its members, and answered together by
//! [`Violations::finish`]: "2 validation errors detected: Value null at 'keySchema' failed to
//! satisfy constraint: Member must not be null; Value '0' at 'limit' failed to ...", at most
//! ten of them. `path` is the member's place in the request as DynamoDB names it:
//! lower-camel-case, list members as `<list>.<n>.member` counted from 1
//! (`globalSecondaryIndexes.1.member.indexName`).

use std::fmt::Display;

use crate::errors::ErrorAnswer;

/// The most violations one answer lists.
const MAX_LISTED: usize = 10;

/// The pattern of table and index names.
pub const NAME_PATTERN: &str = "[a-zA-Z0-9_.-]+";

/// The violations found so far in one request.
///
/// ```
/// use notes_local::protocol::constraints::Violations;
///
/// let mut violations = Violations::default();
/// violations.range(0, "limit", Some(1), Some(100));
/// violations.null("keySchema");
/// let answer = violations.finish().unwrap_err();
/// assert_eq!(
///     answer.message,
///     "2 validation errors detected: Value '0' at 'limit' failed to satisfy constraint: Member \
///      must have value greater than or equal to 1; Value null at 'keySchema' failed to \
///      satisfy constraint: Member must not be null"
/// );
/// ```
#[derive(Debug, Default)]
pub struct Violations(Vec<String>);

impl Violations {
    /// `value` at `path` fails `constraint` ("Member must ...").
    ///
    /// See [`Violations`] for an example.
    pub fn value(&mut self, value: impl Display, path: &str, constraint: &str) {
        self.0.push(format!(
            "Value '{value}' at '{path}' failed to satisfy constraint: {constraint}"
        ));
    }

    /// The required member `path` is missing.
    ///
    /// See [`Violations`] for an example.
    pub fn null(&mut self, path: &str) {
        self.0.push(format!(
            "Value null at '{path}' failed to satisfy constraint: Member must not be null"
        ));
    }

    /// The member `path` must be present: a violation when `value` is `None`.
    ///
    /// ```
    /// use notes_local::protocol::constraints::Violations;
    /// let mut violations = Violations::default();
    /// assert_eq!(violations.present(Some(&3), "limit"), Some(&3));
    /// assert_eq!(violations.present::<u8>(None, "keySchema"), None);
    /// assert!(violations.finish().is_err());
    /// ```
    pub fn present<'v, T>(&mut self, value: Option<&'v T>, path: &str) -> Option<&'v T> {
        if value.is_none() {
            self.null(path);
        }
        value
    }

    /// The number `value` at `path` must be within `min..=max` (each bound optional).
    ///
    /// See [`Violations`] for an example.
    pub fn range(&mut self, value: i64, path: &str, min: Option<i64>, max: Option<i64>) {
        if let Some(min) = min.filter(|min| value < *min) {
            self.value(
                value,
                path,
                &format!("Member must have value greater than or equal to {min}"),
            );
        }
        if let Some(max) = max.filter(|max| value > *max) {
            self.value(
                value,
                path,
                &format!("Member must have value less than or equal to {max}"),
            );
        }
    }

    /// The length `len` of `shown` (a string, or a list shown as `[a, b]`) at `path` must be
    /// within `min..=max` (each bound optional).
    ///
    /// ```
    /// use notes_local::protocol::constraints::Violations;
    /// let mut violations = Violations::default();
    /// violations.length("a", 1, "indexName", Some(3), Some(255));
    /// assert!(violations.finish().unwrap_err().message.ends_with(
    ///     "Value 'a' at 'indexName' failed to satisfy constraint: Member must have length \
    ///      greater than or equal to 3"
    /// ));
    /// ```
    pub fn length(
        &mut self,
        shown: impl Display,
        len: usize,
        path: &str,
        min: Option<usize>,
        max: Option<usize>,
    ) {
        if let Some(min) = min.filter(|min| len < *min) {
            self.value(
                &shown,
                path,
                &format!("Member must have length greater than or equal to {min}"),
            );
        }
        if let Some(max) = max.filter(|max| len > *max) {
            self.value(
                &shown,
                path,
                &format!("Member must have length less than or equal to {max}"),
            );
        }
    }

    /// A table or index name at `path`: 3 to 255 characters of [`NAME_PATTERN`] (the pattern
    /// is checked first, as DynamoDB lists them).
    ///
    /// ```
    /// use notes_local::protocol::constraints::Violations;
    /// let mut violations = Violations::default();
    /// violations.name("a;", "exclusiveStartTableName");
    /// assert!(violations.finish().unwrap_err().message.starts_with("2 validation errors"));
    /// ```
    pub fn name(&mut self, name: &str, path: &str) {
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
        if !valid {
            self.value(
                name,
                path,
                &format!("Member must satisfy regular expression pattern: {NAME_PATTERN}"),
            );
        }
        self.length(name, name.chars().count(), path, Some(3), Some(255));
    }

    /// `value` at `path` must be one of `allowed`.
    ///
    /// ```
    /// use notes_local::protocol::constraints::Violations;
    /// let mut violations = Violations::default();
    /// violations.one_of("A", "billingMode", &["PROVISIONED", "PAY_PER_REQUEST"]);
    /// assert!(violations.finish().unwrap_err().message.ends_with(
    ///     "Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]"
    /// ));
    /// ```
    pub fn one_of(&mut self, value: &str, path: &str, allowed: &[&str]) -> bool {
        let ok = allowed.contains(&value);
        if !ok {
            self.value(
                value,
                path,
                &format!(
                    "Member must satisfy enum value set: [{}]",
                    allowed.join(", ")
                ),
            );
        }
        ok
    }

    /// Whether nothing was found so far.
    ///
    /// ```
    /// assert!(notes_local::protocol::constraints::Violations::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was found, else DynamoDB's `ValidationException` listing at most ten
    /// violations.
    ///
    /// See [`Violations`] for an example.
    pub fn finish(mut self) -> Result<(), ErrorAnswer> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.truncate(MAX_LISTED);
        let count = self.0.len();
        let s = if count == 1 { "" } else { "s" };
        Err(ErrorAnswer::validation(format!(
            "{count} validation error{s} detected: {}",
            self.0.join("; ")
        )))
    }
}

/// DynamoDB's answer to a request without its required top-level parameter `name`.
///
/// ```
/// use notes_local::protocol::constraints::required;
/// let answer = required::<String>(None, "TableName").unwrap_err();
/// assert_eq!(
///     answer.message,
///     "The parameter 'TableName' is required but was not present in the request"
/// );
/// ```
pub fn required<T>(value: Option<T>, name: &str) -> Result<T, ErrorAnswer> {
    value.ok_or_else(|| {
        ErrorAnswer::validation(format!(
            "The parameter '{name}' is required but was not present in the request"
        ))
    })
}

/// DynamoDB's first check of a table name `name` given as the parameter `parameter`: 3 to
/// 255 characters (its pattern is a [`Violations::name`] check, made with the others).
///
/// ```
/// use notes_local::protocol::constraints::table_name_length;
/// assert!(table_name_length("notes", "TableName").is_ok());
/// assert_eq!(
///     table_name_length("a;", "TableName").unwrap_err().message,
///     "TableName must be at least 3 characters long and at most 255 characters long"
/// );
/// ```
pub fn table_name_length(name: &str, parameter: &str) -> Result<(), ErrorAnswer> {
    let len = name.chars().count();
    if (3..=255).contains(&len) {
        return Ok(());
    }
    Err(ErrorAnswer::validation(format!(
        "{parameter} must be at least 3 characters long and at most 255 characters long"
    )))
}

/// A table name's pattern, once its length is checked: the one [`Violations::name`] check
/// left (`path`: where the request holds it).
///
/// ```
/// use notes_local::protocol::constraints::{Violations, table_name_pattern};
/// let mut violations = Violations::default();
/// table_name_pattern("abc;", "tableName", &mut violations);
/// assert_eq!(
///     violations.finish().unwrap_err().message,
///     "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy constraint: \
///      Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
/// );
/// ```
pub fn table_name_pattern(name: &str, path: &str, violations: &mut Violations) {
    let mut own = Violations::default();
    own.name(name, path);
    violations.0.extend(own.0);
}

/// `1 validation error detected: <message>`: how DynamoDB frames a refused request member,
/// and, on `PutItem` and `UpdateItem`, its refusals of values and expressions too.
pub(crate) fn enveloped(message: &str) -> String {
    format!("1 validation error detected: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_ten_violations_are_listed_and_counted() {
        let mut violations = Violations::default();
        for n in 0..12 {
            violations.null(&format!("member{n}"));
        }
        let message = violations.finish().unwrap_err().message;
        assert!(
            message.starts_with("10 validation errors detected: "),
            "{message}"
        );
        assert_eq!(message.matches("; ").count(), 9);
    }

    #[test]
    fn a_name_shorter_than_three_breaks_both_the_pattern_and_the_length() {
        let mut violations = Violations::default();
        violations.name("", "exclusiveStartTableName");
        assert_eq!(
            violations.finish().unwrap_err().message,
            "2 validation errors detected: Value '' at 'exclusiveStartTableName' failed to \
             satisfy constraint: Member must satisfy regular expression pattern: \
             [a-zA-Z0-9_.-]+; Value '' at 'exclusiveStartTableName' failed to satisfy \
             constraint: Member must have length greater than or equal to 3"
        );
    }
}
