//! `KeyConditionExpression`: conditions on key attributes joined by `AND`, in any order: a
//! partition-key equality and an optional sort-key condition, or for a multi-attribute index
//! key up to four partition equalities and four sort conditions. Which is which is the key's
//! to say: the parser keeps every term, and the request binds them to the key read.

use notes_core::Result;
use notes_model::expr::{Comparator, KeyCondition, PathElement, SortKeyCondition};

use super::lexer::Kind;
use super::parser::Parser;

/// The terms of a key condition, in the order written: each attribute with its condition.
pub(crate) type KeyTerms = Vec<(String, SortKeyCondition)>;

impl Parser<'_, '_, '_> {
    /// Every term of a key condition, each attribute named once.
    pub(super) fn key_terms(&mut self) -> Result<KeyTerms> {
        let mut terms = vec![self.key_part()?];
        while self.at_keyword("AND") {
            self.advance();
            terms.push(self.key_part()?);
        }
        if self.at_keyword("OR") {
            return Err(self.key_operator_error());
        }
        self.expect_end()?;
        for (i, (name, _)) in terms.iter().enumerate() {
            if terms[..i].iter().any(|(earlier, _)| earlier == name) {
                return Err(
                    self.error("KeyConditionExpressions must only contain one condition per key")
                );
            }
        }
        Ok(terms)
    }

    /// A whole key condition. Without the table's schema, the first equality is the partition
    /// key, the one range (or the last term, when every term is an equality) the sort key,
    /// and any other equality a further key attribute (a backend matches the terms to the
    /// key's attributes by name).
    pub(super) fn key_condition(&mut self) -> Result<KeyCondition> {
        let mut terms = self.key_terms()?;
        let is_equality = |(_, condition): &(String, SortKeyCondition)| {
            matches!(condition, SortKeyCondition::Compare(Comparator::Eq, _))
        };
        let mut ranges = terms.iter().enumerate().filter(|(_, t)| !is_equality(t));
        let sort_at = match (ranges.next(), ranges.next()) {
            (Some(_), Some(_)) => return Err(not_supported()),
            (Some((at, _)), None) => Some(at),
            (None, _) => (terms.len() > 1).then(|| terms.len() - 1),
        };
        let sort = sort_at.map(|at| terms.remove(at));
        let mut equalities = terms.into_iter().map(|(name, condition)| match condition {
            SortKeyCondition::Compare(_, value) => (name, value),
            // Every range but the one removed was refused above.
            SortKeyCondition::Between(value, _) | SortKeyCondition::BeginsWith(value) => {
                (name, value)
            }
        });
        let (name, value) = equalities.next().ok_or_else(not_supported)?;
        let condition = equalities.fold(KeyCondition::partition(name, value), |kc, (n, v)| {
            kc.and_partition_key(n, v)
        });
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

/// DynamoDB's error for a key condition without a partition equality, or (without the key's
/// schema) with more than one range.
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
    fn every_term_of_a_multi_attribute_key_condition_parses() {
        assert_eq!(
            key_condition("a = :a AND b = :b AND c = :c AND d BETWEEN :d AND :e"),
            KeyCondition::partition("a", s("a"))
                .and_partition_key("b", s("b"))
                .and_partition_key("c", s("c"))
                .with_sort_key("d", SortKeyCondition::Between(s("d"), s("e")))
        );
        assert_eq!(
            key_condition("begins_with(c, :c) AND a = :a AND b = :b"),
            KeyCondition::partition("a", s("a"))
                .and_partition_key("b", s("b"))
                .with_sort_key("c", SortKeyCondition::BeginsWith(s("c")))
        );
        assert_eq!(
            key_condition("a = :a AND b = :b AND c = :c"),
            KeyCondition::partition("a", s("a"))
                .and_partition_key("b", s("b"))
                .with_sort_key("c", SortKeyCondition::Compare(Comparator::Eq, s("c")))
        );
    }

    #[test]
    fn anything_but_one_partition_equality_and_one_sort_condition_is_rejected() {
        let not_supported = "Query key condition not supported";
        assert_eq!(error("sk > :a"), not_supported);
        assert_eq!(error("pk > :a AND sk < :b"), not_supported);
        // Three terms are a multi-attribute key's (bound to the key when the request is read:
        // `protocol::items::query`); two ranges are no key's.
        assert_eq!(error("pk = :a AND sk > :b AND x < :c"), not_supported);
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
