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
        if self.at_keyword("OR") || self.at_keyword("AND") {
            return Err(self.key_operator_error());
        }
        self.expect_end()?;
        let is_equality = |(_, c): &(String, SortKeyCondition)| {
            matches!(c, SortKeyCondition::Compare(Comparator::Eq, _))
        };
        let (partition, sort) = match second {
            None if is_equality(&first) => (first, None),
            Some(second) if is_equality(&first) => (first, Some(second)),
            Some(second) if is_equality(&second) => (second, Some(first)),
            _ => {
                return Err(notes_core::Error::validation(
                    "Query key condition not supported",
                ));
            }
        };
        if sort.as_ref().is_some_and(|(name, _)| *name == partition.0) {
            return Err(notes_core::Error::validation(
                "Query key condition not supported",
            ));
        }
        let SortKeyCondition::Compare(_, value) = partition.1 else {
            unreachable!("the partition part is an equality");
        };
        let condition = KeyCondition::partition(partition.0, value);
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
                return Err(self.function_error(self.text()));
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
            _ => Err(self.error(
                "KeyConditionExpressions must only contain one condition per key; \
                 nested attributes are not keys",
            )),
        }
    }

    /// `Invalid operator used in KeyConditionExpression: <operator>` for the current token.
    fn key_operator_error(&self) -> notes_core::Error {
        notes_core::Error::validation(format!(
            "Invalid operator used in KeyConditionExpression: {}",
            self.text().to_ascii_uppercase()
        ))
    }
}
