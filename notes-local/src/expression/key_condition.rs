//! `KeyConditionExpression`: partition-key equality and an optional sort-key condition,
//! joined by `AND` in either order.

use notes_core::Result;
use notes_model::expr::{Comparator, KeyCondition, PathElement, SortKeyCondition};

use super::lexer::Kind;
use super::parser::Parser;

impl Parser<'_, '_, '_> {
    /// A whole key condition. Without the table's schema, the equality is the partition key
    /// (the first one when both parts are equalities).
    pub(super) fn key_condition(&mut self) -> Result<KeyCondition> {
        let first = self.key_part()?;
        let second = if self.at_keyword("AND") {
            self.advance();
            Some(self.key_part()?)
        } else {
            None
        };
        if self.at_keyword("OR") {
            return Err(self.key_operator_error());
        }
        if self.at_keyword("AND") {
            return Err(not_supported());
        }
        self.expect_end()?;
        let equality = |part: &(String, SortKeyCondition)| match part {
            (name, SortKeyCondition::Compare(Comparator::Eq, value)) => {
                Some((name.clone(), value.clone()))
            }
            _ => None,
        };
        let ((name, value), sort) = match second {
            None => (equality(&first).ok_or_else(not_supported)?, None),
            Some(second) => match (equality(&first), equality(&second)) {
                (Some(partition), _) => (partition, Some(second)),
                (None, Some(partition)) => (partition, Some(first)),
                (None, None) => return Err(not_supported()),
            },
        };
        if sort
            .as_ref()
            .is_some_and(|(sort_name, _)| *sort_name == name)
        {
            return Err(
                self.error("KeyConditionExpressions must only contain one condition per key")
            );
        }
        let condition = KeyCondition::partition(name, value);
        Ok(match sort {
            Some((name, sort)) => condition.with_sort_key(name, sort),
            None => condition,
        })
    }

    /// `name <op> :v`, `name BETWEEN :a AND :b` or `begins_with(name, :v)`.
    fn key_part(&mut self) -> Result<(String, SortKeyCondition)> {
        if self.at_keyword("NOT") {
            return Err(self.key_operator_error());
        }
        if self.at_function() {
            if self.text() != "begins_with" {
                return Err(self.key_operator_error());
            }
            self.advance();
            self.advance();
            let name = self.key_name()?;
            self.expect(Kind::Comma)?;
            let prefix = self.value()?;
            self.expect(Kind::RParen)?;
            return Ok((name, SortKeyCondition::BeginsWith(prefix)));
        }
        let name = self.key_name()?;
        if let Some(comparator) = self.comparator() {
            if comparator == Comparator::Ne {
                return Err(self.key_operator_error());
            }
            self.advance();
            return Ok((name, SortKeyCondition::Compare(comparator, self.value()?)));
        }
        if self.at_keyword("BETWEEN") {
            self.advance();
            let low = self.value()?;
            if !self.at_keyword("AND") {
                return Err(self.syntax_error());
            }
            self.advance();
            let high = self.value()?;
            return Ok((name, SortKeyCondition::Between(low, high)));
        }
        if self.at_keyword("IN") {
            return Err(self.key_operator_error());
        }
        Err(self.syntax_error())
    }

    /// A key attribute: a top-level name, never a nested path.
    fn key_name(&mut self) -> Result<String> {
        let path = self.path()?;
        match path.elements.as_slice() {
            [PathElement::Name(name)] => Ok(name.to_string()),
            _ => Err(self.error(format_args!(
                "A key condition names a top-level attribute; document path: {path}"
            ))),
        }
    }

    /// `Invalid operator used in KeyConditionExpression: <operator>` for the current token.
    fn key_operator_error(&self) -> notes_core::Error {
        notes_core::Error::validation(format!(
            "Invalid operator used in KeyConditionExpression: {}",
            self.text()
        ))
    }
}

/// DynamoDB's error for a key condition that is not one partition equality and at most one
/// sort-key condition.
fn not_supported() -> notes_core::Error {
    notes_core::Error::validation("Query key condition not supported")
}

#[cfg(test)]
mod tests {
    use notes_model::expr::{Comparator, KeyCondition, SortKeyCondition};

    use super::super::parse_key_condition;
    use super::super::test_support::{parse, s, validation};

    fn key_condition(expression: &str) -> KeyCondition {
        parse(parse_key_condition, expression, &[("#p", "user id")], &[]).unwrap()
    }

    fn error(expression: &str) -> String {
        validation(parse(parse_key_condition, expression, &[], &[]))
    }

    fn with_sort(condition: SortKeyCondition) -> KeyCondition {
        KeyCondition::partition("pk", s("a")).with_sort_key("sk", condition)
    }

    #[test]
    fn the_partition_key_alone_parses() {
        assert_eq!(
            key_condition("#p = :a"),
            KeyCondition::partition("user id", s("a"))
        );
    }

    #[test]
    fn every_sort_key_form_parses() {
        for (symbol, comparator) in [
            ("=", Comparator::Eq),
            ("<", Comparator::Lt),
            ("<=", Comparator::Le),
            (">", Comparator::Gt),
            (">=", Comparator::Ge),
        ] {
            assert_eq!(
                key_condition(&format!("pk = :a AND sk {symbol} :b")),
                with_sort(SortKeyCondition::Compare(comparator, s("b"))),
                "{symbol}"
            );
        }
        assert_eq!(
            key_condition("pk = :a and sk between :b and :c"),
            with_sort(SortKeyCondition::Between(s("b"), s("c")))
        );
        assert_eq!(
            key_condition("pk = :a AND begins_with(sk, :b)"),
            with_sort(SortKeyCondition::BeginsWith(s("b")))
        );
    }

    #[test]
    fn the_sort_key_condition_may_come_first() {
        assert_eq!(
            key_condition("begins_with(sk, :b) AND pk = :a"),
            with_sort(SortKeyCondition::BeginsWith(s("b")))
        );
    }

    #[test]
    fn operators_a_key_condition_cannot_use_are_rejected() {
        let invalid = "Invalid operator used in KeyConditionExpression: ";
        assert_eq!(error("pk = :a AND sk <> :b"), format!("{invalid}<>"));
        assert_eq!(error("pk = :a OR sk = :b"), format!("{invalid}OR"));
        assert_eq!(error("NOT pk = :a"), format!("{invalid}NOT"));
        assert_eq!(error("pk = :a AND sk IN (:b)"), format!("{invalid}IN"));
        assert_eq!(
            error("pk = :a AND contains(sk, :b)"),
            format!("{invalid}contains")
        );
    }

    #[test]
    fn anything_but_one_partition_equality_and_one_sort_condition_is_rejected() {
        let not_supported = "Query key condition not supported";
        assert_eq!(error("sk > :a"), not_supported);
        assert_eq!(error("pk > :a AND sk < :b"), not_supported);
        assert_eq!(error("pk = :a AND sk = :b AND x = :c"), not_supported);
        assert_eq!(
            error("pk = :a AND pk = :b"),
            "Invalid KeyConditionExpression: KeyConditionExpressions must only contain one \
             condition per key"
        );
        assert_eq!(
            error("pk.a = :a"),
            "Invalid KeyConditionExpression: A key condition names a top-level attribute; \
             document path: pk.a"
        );
        assert_eq!(
            error("pk = :a AND"),
            "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\""
        );
    }
}
