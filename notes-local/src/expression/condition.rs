//! Conditions (`ConditionExpression`, `FilterExpression`): comparisons, `BETWEEN`, `IN`, the
//! functions, and `NOT` over `AND` over `OR`, DynamoDB's precedence from tightest to loosest.

use notes_core::Result;
use notes_model::expr::{Comparator, Condition, Operand};
use notes_model::{AttributeValue, type_descriptor};

use super::lexer::Kind;
use super::parser::Parser;

/// The functions that are conditions by themselves.
const CONDITION_FUNCTIONS: &[&str] = &[
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
];

/// The type names `attribute_type` accepts, as DynamoDB lists them.
const TYPE_NAMES: &[&str] = &["B", "BOOL", "BS", "L", "M", "N", "NS", "NULL", "S", "SS"];

impl Parser<'_, '_, '_> {
    /// A whole condition: `a OR b OR ...`.
    pub(super) fn condition(&mut self) -> Result<Condition> {
        let mut left = self.and_condition()?;
        while self.at_keyword("OR") {
            self.advance();
            let right = self.and_condition()?;
            left = Condition::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and_condition(&mut self) -> Result<Condition> {
        let mut left = self.not_condition()?;
        while self.at_keyword("AND") {
            self.advance();
            let right = self.not_condition()?;
            left = Condition::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn not_condition(&mut self) -> Result<Condition> {
        if self.at_keyword("NOT") {
            self.advance();
            let inner = self.nested(Self::not_condition)?;
            return Ok(Condition::Not(Box::new(inner)));
        }
        self.simple_condition()
    }

    fn simple_condition(&mut self) -> Result<Condition> {
        if self.peek() == Kind::LParen {
            self.advance();
            let inner = self.nested(Self::condition)?;
            self.expect(Kind::RParen)?;
            return Ok(inner);
        }
        if self.at_function() && CONDITION_FUNCTIONS.contains(&self.text()) {
            return self.function_condition();
        }
        let left = self.operand()?;
        if let Some(comparator) = self.comparator() {
            self.advance();
            let right = self.operand()?;
            return Ok(Condition::Compare(left, comparator, right));
        }
        if self.at_keyword("BETWEEN") {
            self.advance();
            let low = self.operand()?;
            if !self.at_keyword("AND") {
                return Err(self.syntax_error());
            }
            self.advance();
            let high = self.operand()?;
            return Ok(Condition::Between(left, low, high));
        }
        if self.at_keyword("IN") {
            self.advance();
            self.expect(Kind::LParen)?;
            let mut list = vec![self.operand()?];
            while self.peek() == Kind::Comma {
                self.advance();
                list.push(self.operand()?);
            }
            self.expect(Kind::RParen)?;
            return Ok(Condition::In(left, list));
        }
        Err(self.syntax_error())
    }

    /// The comparator at the cursor, if it is one.
    pub(super) fn comparator(&self) -> Option<Comparator> {
        Some(match self.peek() {
            Kind::Eq => Comparator::Eq,
            Kind::Ne => Comparator::Ne,
            Kind::Lt => Comparator::Lt,
            Kind::Le => Comparator::Le,
            Kind::Gt => Comparator::Gt,
            Kind::Ge => Comparator::Ge,
            _ => return None,
        })
    }

    /// `attribute_exists(path)`, `begins_with(path, operand)`, ...
    fn function_condition(&mut self) -> Result<Condition> {
        let function = self.advance();
        self.expect(Kind::LParen)?;
        let path = self.path()?;
        let condition = match function {
            "attribute_exists" => Condition::Exists(path),
            "attribute_not_exists" => Condition::NotExists(path),
            _ => {
                self.expect(Kind::Comma)?;
                match function {
                    "begins_with" => Condition::BeginsWith(path, self.operand()?),
                    "contains" => Condition::Contains(path, self.operand()?),
                    _ => Condition::Type(path, self.type_name()?),
                }
            }
        };
        self.expect(Kind::RParen)?;
        Ok(condition)
    }

    /// The second argument of `attribute_type`: a value placeholder holding a type name.
    fn type_name(&mut self) -> Result<&'static str> {
        let value = self.value()?;
        let AttributeValue::S(name) = &value else {
            return Err(self.error(format_args!(
                "Incorrect operand type for operator or function; operator or function: \
                 attribute_type, operand type: {}",
                type_descriptor(&value)
            )));
        };
        match TYPE_NAMES.iter().find(|known| *known == name) {
            Some(known) => Ok(known),
            None => Err(self.error(format_args!(
                "Invalid attribute type name found; type: {name}, valid types: {{ {} }}",
                TYPE_NAMES.join(",")
            ))),
        }
    }

    /// An operand: `size(path)`, a `:value`, or a path.
    pub(super) fn operand(&mut self) -> Result<Operand> {
        if self.at_function() {
            let function = self.text();
            if function != "size" {
                return Err(self.function_error(function));
            }
            self.advance();
            self.advance();
            let path = self.path()?;
            self.expect(Kind::RParen)?;
            return Ok(Operand::Size(path));
        }
        if self.peek() == Kind::ValueRef {
            return Ok(Operand::Value(self.value()?));
        }
        Ok(Operand::Path(self.path()?))
    }

    /// DynamoDB's error for a function where it cannot be used, or that does not exist.
    pub(super) fn function_error(&self, function: &str) -> notes_core::Error {
        let known = CONDITION_FUNCTIONS
            .iter()
            .chain(&["size", "if_not_exists", "list_append"])
            .any(|known| *known == function);
        if known {
            self.error(format_args!(
                "The function is not allowed to be used this way in an expression; \
                 function: {function}"
            ))
        } else {
            self.error(format_args!("Invalid function name; function: {function}"))
        }
    }
}
