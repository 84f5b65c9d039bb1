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
        if is_known_function(function) {
            self.error(format_args!(
                "The function is not allowed to be used this way in an expression; \
                 function: {function}"
            ))
        } else {
            self.error(format_args!("Invalid function name; function: {function}"))
        }
    }
}

/// Whether `function` is one of DynamoDB's expression functions.
pub(super) fn is_known_function(function: &str) -> bool {
    CONDITION_FUNCTIONS
        .iter()
        .chain(&["size", "if_not_exists", "list_append"])
        .any(|known| *known == function)
}

#[cfg(test)]
mod tests {
    use notes_model::expr::{Comparator, Condition, Operand, Path};

    use super::super::test_support::{compare, n, parse, path, s, validation};
    use super::super::{parse_condition, parse_filter};

    fn condition(expression: &str) -> Condition {
        parse(parse_condition, expression, &[("#x", "status")], &[]).unwrap()
    }

    fn error(expression: &str) -> String {
        validation(parse(parse_condition, expression, &[], &[]))
    }

    #[test]
    fn every_comparator_parses() {
        for (symbol, comparator) in [
            ("=", Comparator::Eq),
            ("<>", Comparator::Ne),
            ("<", Comparator::Lt),
            ("<=", Comparator::Le),
            (">", Comparator::Gt),
            (">=", Comparator::Ge),
        ] {
            let parsed = condition(&format!("a {symbol} :a"));
            assert_eq!(parsed, compare("a", comparator, s("a")), "{symbol}");
        }
    }

    #[test]
    fn between_and_in_parse() {
        assert_eq!(
            condition("a BETWEEN :a AND :b"),
            Condition::Between(path("a"), Operand::Value(s("a")), Operand::Value(s("b")))
        );
        assert_eq!(
            condition("a IN (:a, :b, c)"),
            Condition::In(
                path("a"),
                vec![Operand::Value(s("a")), Operand::Value(s("b")), path("c")]
            )
        );
    }

    #[test]
    fn every_function_parses() {
        assert_eq!(
            condition("attribute_exists(a.b[1])"),
            Condition::Exists(Path::attribute("a").key("b").index(1))
        );
        assert_eq!(
            condition("attribute_not_exists(#x)"),
            Condition::NotExists(Path::attribute("status"))
        );
        assert_eq!(
            condition("begins_with(a, :a)"),
            Condition::BeginsWith(Path::attribute("a"), Operand::Value(s("a")))
        );
        assert_eq!(
            condition("contains(a, b)"),
            Condition::Contains(Path::attribute("a"), path("b"))
        );
        let types = parse(
            parse_condition,
            "attribute_type(a, :t)",
            &[],
            &[(":t", s("SS"))],
        );
        assert_eq!(types.unwrap(), Condition::Type(Path::attribute("a"), "SS"));
        let size = parse(parse_condition, "size(a) > :n", &[], &[(":n", n("3"))]);
        assert_eq!(
            size.unwrap(),
            Condition::Compare(
                Operand::Size(Path::attribute("a")),
                Comparator::Gt,
                Operand::Value(n("3"))
            )
        );
    }

    #[test]
    fn not_binds_tighter_than_and_which_binds_tighter_than_or() {
        let (a, b, c) = (
            compare("a", Comparator::Eq, s("a")),
            compare("b", Comparator::Eq, s("b")),
            compare("c", Comparator::Eq, s("c")),
        );
        assert_eq!(
            condition("a = :a OR b = :b AND NOT c = :c"),
            a.clone() | (b.clone() & !c.clone())
        );
        assert_eq!(
            condition("(a = :a OR b = :b) AND c = :c"),
            (a.clone() | b.clone()) & c.clone()
        );
        assert_eq!(
            condition("a = :a and b = :b and c = :c"),
            (a.clone() & b.clone()) & c.clone()
        );
        assert_eq!(condition("not (a = :a or b = :b)"), !(a | b));
    }

    #[test]
    fn a_syntax_error_names_the_token_and_its_neighbours() {
        assert_eq!(
            error("a = = :a"),
            "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"= = :a\""
        );
        assert_eq!(
            error("a ! :a"),
            "Invalid ConditionExpression: Syntax error; token: \"!\", near: \"a ! :a\""
        );
        assert_eq!(
            error("(a = :a"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \":a\""
        );
        assert_eq!(
            error("a IN ()"),
            "Invalid ConditionExpression: Syntax error; token: \")\", near: \"()\""
        );
        assert_eq!(
            error("size(a)"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \")\""
        );
    }

    #[test]
    fn a_filter_names_itself_in_errors() {
        assert_eq!(
            validation(parse(parse_filter, "a = ", &[], &[])),
            "Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"=\""
        );
    }

    #[test]
    fn an_empty_expression_is_rejected() {
        assert_eq!(
            error("  "),
            "Invalid ConditionExpression: The expression can not be empty;"
        );
    }

    #[test]
    fn reserved_words_and_undefined_placeholders_are_rejected() {
        assert_eq!(
            error("Status = :a"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; \
             reserved keyword: Status"
        );
        assert_eq!(
            error("#x = :a"),
            "Invalid ConditionExpression: An expression attribute name used in the document \
             path is not defined; attribute name: #x"
        );
        assert_eq!(
            error("a = :zz"),
            "Invalid ConditionExpression: An expression attribute value used in expression is \
             not defined; attribute value: :zz"
        );
    }

    #[test]
    fn unknown_and_misplaced_functions_are_rejected() {
        assert_eq!(
            error("foo(a)"),
            "Invalid ConditionExpression: Invalid function name; function: foo"
        );
        assert_eq!(
            error("a = begins_with(b, :a)"),
            "Invalid ConditionExpression: The function is not allowed to be used this way in \
             an expression; function: begins_with"
        );
    }

    #[test]
    fn attribute_type_takes_a_known_type_name() {
        let unknown = parse(
            parse_condition,
            "attribute_type(a, :t)",
            &[],
            &[(":t", s("X"))],
        );
        assert_eq!(
            validation(unknown),
            "Invalid ConditionExpression: Invalid attribute type name found; type: X, \
             valid types: { B,BOOL,BS,L,M,N,NS,NULL,S,SS }"
        );
        let number = parse(
            parse_condition,
            "attribute_type(a, :t)",
            &[],
            &[(":t", n("1"))],
        );
        assert_eq!(
            validation(number),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; \
             operator or function: attribute_type, operand type: N"
        );
    }

    #[test]
    fn nesting_is_limited_so_hostile_input_cannot_exhaust_the_stack() {
        let deep = format!("{}a = :a", "NOT ".repeat(100));
        assert!(parse(parse_condition, &deep, &[], &[]).is_ok());
        let too_deep = format!("{}a = :a", "NOT ".repeat(101));
        assert_eq!(
            error(&too_deep),
            "Invalid ConditionExpression: The expression is nested more than 100 levels deep;"
        );
        let parens = format!("{}a = :a{}", "(".repeat(101), ")".repeat(101));
        assert_eq!(
            error(&parens),
            "Invalid ConditionExpression: The expression is nested more than 100 levels deep;"
        );
    }
}
