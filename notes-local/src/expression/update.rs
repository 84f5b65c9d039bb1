//! `UpdateExpression`: `SET`, `REMOVE`, `ADD` and `DELETE` clauses, in any order, each once.

use notes_core::Result;
use notes_model::expr::{Operand, SetOperand, SetValue, Update, UpdateAction};

use super::condition::is_known_function;
use super::lexer::Kind;
use super::parser::Parser;

/// The clause keywords.
const CLAUSES: [&str; 4] = ["SET", "REMOVE", "ADD", "DELETE"];

/// How a `SET` value starts: a whole value in parentheses, `(a + b)`, or its first operand.
enum Start {
    Group(SetValue),
    Operand(SetOperand),
}

impl Parser<'_, '_, '_> {
    /// A whole update expression; actions come out clause by clause, in the order written.
    pub(super) fn update(&mut self) -> Result<Update> {
        let mut seen = [false; 4];
        let mut actions = Vec::new();
        while self.peek() != Kind::Eof {
            let Some(clause) = CLAUSES.iter().position(|c| self.at_keyword(c)) else {
                return Err(self.syntax_error());
            };
            if std::mem::replace(&mut seen[clause], true) {
                return Err(self.error(format_args!(
                    "The \"{}\" section can only be used once in an update expression;",
                    CLAUSES[clause]
                )));
            }
            self.advance();
            loop {
                actions.push(self.action(clause)?);
                if self.peek() != Kind::Comma {
                    break;
                }
                self.advance();
            }
        }
        self.check_disjoint(actions.iter().map(UpdateAction::path))?;
        Ok(Update { actions })
    }

    /// One action of the clause `CLAUSES[clause]`.
    fn action(&mut self, clause: usize) -> Result<UpdateAction> {
        let path = self.path()?;
        Ok(match CLAUSES[clause] {
            "SET" => {
                self.expect(Kind::Eq)?;
                UpdateAction::Set(path, self.set_value()?)
            }
            "REMOVE" => UpdateAction::Remove(path),
            "ADD" => UpdateAction::Add(path, Operand::Value(self.value()?)),
            _ => UpdateAction::Delete(path, Operand::Value(self.value()?)),
        })
    }

    /// The right-hand side of `SET path = ...`: an operand, or the sum or difference of two,
    /// the whole in parentheses or not.
    fn set_value(&mut self) -> Result<SetValue> {
        let first = match self.set_value_start()? {
            Start::Group(value) => return Ok(value),
            Start::Operand(operand) => operand,
        };
        self.arithmetic(first)
    }

    /// `first`, or `first + b` / `first - b` when an operator follows.
    fn arithmetic(&mut self, first: SetOperand) -> Result<SetValue> {
        let plus = match self.peek() {
            Kind::Plus => true,
            Kind::Minus => false,
            _ => return Ok(first.into()),
        };
        self.advance();
        let second = self.set_operand()?;
        Ok(if plus {
            SetValue::Plus(first, second)
        } else {
            SetValue::Minus(first, second)
        })
    }

    /// The start of a `SET` value: `(a + b)` as a whole, or the first operand (`(a)` is one).
    fn set_value_start(&mut self) -> Result<Start> {
        if self.peek() != Kind::LParen {
            return Ok(Start::Operand(self.set_operand()?));
        }
        self.advance();
        let first = self.set_operand()?;
        if self.peek() == Kind::RParen {
            self.advance();
            return Ok(Start::Operand(first));
        }
        let value = self.arithmetic(first)?;
        self.expect(Kind::RParen)?;
        Ok(Start::Group(value))
    }

    /// An operand of a `SET` value: a path, a `:value`, `if_not_exists(path, operand)`,
    /// `list_append(operand, operand)`, or one of these in parentheses.
    fn set_operand(&mut self) -> Result<SetOperand> {
        self.nested(|parser| {
            if parser.peek() == Kind::LParen {
                parser.advance();
                let operand = parser.set_operand()?;
                parser.expect(Kind::RParen)?;
                return Ok(operand);
            }
            if !parser.at_function() {
                return parser.update_operand().map(SetOperand::Operand);
            }
            parser.set_function()
        })
    }

    /// `if_not_exists(path, operand)` or `list_append(operand, operand)`; the arguments are
    /// counted, then checked, as DynamoDB does.
    fn set_function(&mut self) -> Result<SetOperand> {
        let function = self.text();
        if function != "if_not_exists" && function != "list_append" {
            return Err(self.update_function_error(function));
        }
        self.advance();
        self.advance();
        let mut arguments = vec![self.set_operand()?];
        while self.peek() == Kind::Comma {
            self.advance();
            arguments.push(self.set_operand()?);
        }
        self.expect(Kind::RParen)?;
        let count = arguments.len();
        let Ok([first, second]) = <[SetOperand; 2]>::try_from(arguments) else {
            return Err(self.error(format_args!(
                "Incorrect number of operands for operator or function; operator or function: \
                 {function}, number of operands: {count}"
            )));
        };
        Ok(if function == "list_append" {
            SetOperand::list_append(first, second)
        } else {
            match first {
                SetOperand::Operand(Operand::Path(path)) => SetOperand::if_not_exists(path, second),
                _ => {
                    return Err(self.error(
                        "Operator or function requires a document path; operator or function: \
                         if_not_exists",
                    ));
                }
            }
        })
    }

    /// A path or a `:value` inside a `SET` value.
    fn update_operand(&mut self) -> Result<Operand> {
        if self.peek() == Kind::ValueRef {
            return Ok(Operand::Value(self.value()?));
        }
        Ok(Operand::Path(self.path()?))
    }

    /// DynamoDB's error for a condition function or `size` in an update, or an unknown one.
    fn update_function_error(&self, function: &str) -> notes_core::Error {
        if is_known_function(function) {
            self.error(format_args!(
                "The function is not allowed in an update expression; function: {function}"
            ))
        } else {
            self.error(format_args!("Invalid function name; function: {function}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use notes_model::AttributeValue;
    use notes_model::expr::{Operand, Path, SetOperand, SetValue, Update, UpdateAction};

    use super::super::parse_update;
    use super::super::test_support::{n, parse, path, s, validation};

    fn update(expression: &str) -> Update {
        let extra = [
            (":n", n("1")),
            (":l", AttributeValue::L(vec![n("2")])),
            (":ss", AttributeValue::Ss(vec!["x".to_owned()])),
        ];
        parse(parse_update, expression, &[("#x", "status")], &extra).unwrap()
    }

    fn error(expression: &str) -> String {
        validation(parse(parse_update, expression, &[], &[(":n", n("1"))]))
    }

    fn set(name: &'static str, value: SetValue) -> UpdateAction {
        UpdateAction::Set(Path::attribute(name), value)
    }

    #[test]
    fn every_action_parses() {
        let parsed = update(
            "SET a = :a, b = b + :n, c = c - :n, d = if_not_exists(d, :a), \
             e = list_append(e, :l) REMOVE f, g[0] ADD #x :n DELETE i :ss",
        );
        let value = |v| Operand::Value(v);
        assert_eq!(
            parsed.actions,
            vec![
                set("a", SetValue::Value(value(s("a")))),
                set("b", SetValue::Plus(path("b").into(), value(n("1")).into())),
                set("c", SetValue::Minus(path("c").into(), value(n("1")).into())),
                set(
                    "d",
                    SetValue::IfNotExists(Path::attribute("d"), value(s("a")).into())
                ),
                set(
                    "e",
                    SetValue::ListAppend(
                        path("e").into(),
                        value(AttributeValue::L(vec![n("2")])).into()
                    )
                ),
                UpdateAction::Remove(Path::attribute("f")),
                UpdateAction::Remove(Path::attribute("g").index(0)),
                UpdateAction::Add(Path::attribute("status"), value(n("1"))),
                UpdateAction::Delete(
                    Path::attribute("i"),
                    value(AttributeValue::Ss(vec!["x".to_owned()]))
                ),
            ]
        );
    }

    #[test]
    fn clauses_come_in_any_order_and_any_case() {
        assert_eq!(
            update("remove f set a = :a").actions,
            vec![
                UpdateAction::Remove(Path::attribute("f")),
                set("a", SetValue::Value(Operand::Value(s("a")))),
            ]
        );
    }

    #[test]
    fn paths_written_twice_overlap_or_conflict() {
        let prefix = "Invalid UpdateExpression: Two document paths ";
        let suffix = " with each other; must remove or rewrite one of these paths; ";
        assert_eq!(
            error("SET a.b = :a REMOVE a"),
            format!("{prefix}overlap{suffix}path one: [a, b], path two: [a]")
        );
        assert_eq!(
            error("SET a = :a, a = :b"),
            format!("{prefix}overlap{suffix}path one: [a], path two: [a]")
        );
        assert_eq!(
            error("REMOVE a[0], a.b"),
            format!("{prefix}conflict{suffix}path one: [a, [0]], path two: [a, b]")
        );
        assert_eq!(
            update("SET a.b = :a, a.c = :a REMOVE d[0].b, d[1]")
                .actions
                .len(),
            4
        );
    }

    #[test]
    fn a_clause_may_appear_once() {
        assert_eq!(
            error("SET a = :a REMOVE b SET c = :b"),
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update \
             expression;"
        );
    }

    #[test]
    fn syntax_errors_name_the_token() {
        let syntax = "Invalid UpdateExpression: Syntax error; token: ";
        assert_eq!(
            error("SET a = :a,"),
            format!("{syntax}\"<EOF>\", near: \",\"")
        );
        assert_eq!(error("ADD a b"), format!("{syntax}\"b\", near: \"a b\""));
        assert_eq!(error("SET a :a"), format!("{syntax}\":a\", near: \"a :a\""));
        assert_eq!(
            error("UPSERT a"),
            format!("{syntax}\"UPSERT\", near: \"UPSERT a\"")
        );
    }

    #[test]
    fn functions_an_update_cannot_use_are_rejected() {
        assert_eq!(
            error("SET a = size(b)"),
            "Invalid UpdateExpression: The function is not allowed in an update expression; \
             function: size"
        );
        assert_eq!(
            error("SET a = shout(b)"),
            "Invalid UpdateExpression: Invalid function name; function: shout"
        );
    }

    #[test]
    fn functions_nest_in_each_other_and_in_arithmetic() {
        let a = || Path::attribute("a");
        let one = || SetOperand::from(Operand::Value(n("1")));
        let list = || SetOperand::from(Operand::Value(AttributeValue::L(vec![n("2")])));
        let default = |o: SetOperand| SetOperand::if_not_exists(a(), o);
        let cases = [
            // The counter and the append patterns.
            (
                "SET a = if_not_exists(a, :n) + :n",
                SetValue::Plus(default(one()), one()),
            ),
            (
                "SET a = list_append(if_not_exists(a, :l), :l)",
                SetValue::ListAppend(default(list()), list()),
            ),
            (
                "SET a = :n - if_not_exists(a, :n)",
                SetValue::Minus(one(), default(one())),
            ),
            (
                "SET a = if_not_exists(a, list_append(a, if_not_exists(a, :l)))",
                SetValue::IfNotExists(a(), SetOperand::list_append(path("a"), default(list()))),
            ),
            (
                "SET a = list_append(list_append(:l, a), :l)",
                SetValue::ListAppend(SetOperand::list_append(list(), path("a")), list()),
            ),
            (
                "SET a = if_not_exists(a, if_not_exists(a, :n))",
                SetValue::IfNotExists(a(), default(one())),
            ),
        ];
        for (expression, value) in cases {
            assert_eq!(
                update(expression).actions,
                vec![set("a", value)],
                "{expression}"
            );
        }
    }

    #[test]
    fn parentheses_hold_an_operand_or_the_whole_value() {
        let one = || SetOperand::from(Operand::Value(n("1")));
        let b = || SetOperand::from(path("b"));
        let plus = || vec![set("a", SetValue::Plus(b(), one()))];
        assert_eq!(update("SET a = (b + :n)").actions, plus());
        assert_eq!(update("SET a = (b) + (:n)").actions, plus());
        assert_eq!(update("SET a = ((b) + ((:n)))").actions, plus());
        assert_eq!(
            update("SET a = (if_not_exists(b, (:n)))").actions,
            vec![set("a", SetValue::IfNotExists(Path::attribute("b"), one()))]
        );
        assert_eq!(
            update("SET a = ((b))").actions,
            vec![set("a", SetValue::Value(path("b")))]
        );
        let syntax = "Invalid UpdateExpression: Syntax error; token: ";
        // Arithmetic happens once, at the top: not in an operand, not twice.
        assert_eq!(
            error("SET a = ((b + :n))"),
            format!("{syntax}\"+\", near: \"b + :n\"")
        );
        assert_eq!(
            error("SET a = b + :n + :n"),
            format!("{syntax}\"+\", near: \":n + :n\"")
        );
        assert_eq!(
            error("SET a = (b + :n) + :n"),
            format!("{syntax}\"+\", near: \") + :n\"")
        );
        assert_eq!(
            error("SET a = if_not_exists(b, :n + :n)"),
            format!("{syntax}\"+\", near: \":n + :n\"")
        );
        assert_eq!(
            error("SET a = (b"),
            format!("{syntax}\"<EOF>\", near: \"b\"")
        );
    }

    #[test]
    fn function_arguments_are_counted_then_checked() {
        let count = |function: &str, operands: usize| {
            format!(
                "Invalid UpdateExpression: Incorrect number of operands for operator or \
                 function; operator or function: {function}, number of operands: {operands}"
            )
        };
        assert_eq!(error("SET a = if_not_exists(a)"), count("if_not_exists", 1));
        assert_eq!(error("SET a = list_append(a)"), count("list_append", 1));
        assert_eq!(
            error("SET a = list_append(a, b, :n)"),
            count("list_append", 3)
        );
        let document_path = "Invalid UpdateExpression: Operator or function requires a \
                             document path; operator or function: if_not_exists";
        assert_eq!(error("SET a = if_not_exists(:n, a)"), document_path);
        assert_eq!(
            error("SET a = if_not_exists(if_not_exists(a, b), :n)"),
            document_path
        );
        assert_eq!(
            error("SET a = list_append(a, if_not_exists(list_append(a, b), :n))"),
            document_path
        );
        // A path in parentheses is still a path.
        assert_eq!(
            update("SET a = if_not_exists((a), :n)").actions,
            vec![set(
                "a",
                SetValue::IfNotExists(Path::attribute("a"), Operand::Value(n("1")).into())
            )]
        );
        let syntax = "Invalid UpdateExpression: Syntax error; token: ";
        assert_eq!(
            error("SET a = list_append()"),
            format!("{syntax}\")\", near: \"()\"")
        );
    }

    #[test]
    fn functions_an_update_cannot_use_are_rejected_when_nested() {
        assert_eq!(
            error("SET a = list_append(a, size(b))"),
            "Invalid UpdateExpression: The function is not allowed in an update expression; \
             function: size"
        );
        assert_eq!(
            error("SET a = if_not_exists(a, shout(b)) + :n"),
            "Invalid UpdateExpression: Invalid function name; function: shout"
        );
        assert_eq!(
            error("SET a = If_Not_Exists(a, :n)"),
            "Invalid UpdateExpression: Invalid function name; function: If_Not_Exists"
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        // Deeper than 100 levels within DynamoDB's 4 KB (longer is refused for its size).
        let deep = format!(
            "SET a = {}:n{}",
            "if_not_exists(a, ".repeat(200),
            ")".repeat(200)
        );
        assert_eq!(
            error(&deep),
            "Invalid UpdateExpression: The expression is nested more than 100 levels deep;"
        );
        let parens = format!("SET a = {}:n{}", "(".repeat(2_000), ")".repeat(2_000));
        assert_eq!(
            error(&parens),
            "Invalid UpdateExpression: The expression is nested more than 100 levels deep;"
        );
    }
}
