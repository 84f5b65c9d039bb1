//! `UpdateExpression`: `SET`, `REMOVE`, `ADD` and `DELETE` clauses, in any order, each once.

use notes_core::Result;
use notes_model::expr::{Operand, SetValue, Update, UpdateAction};

use super::condition::is_known_function;
use super::lexer::Kind;
use super::parser::Parser;

/// The clause keywords.
const CLAUSES: [&str; 4] = ["SET", "REMOVE", "ADD", "DELETE"];

/// One side of `+`/`-` or a whole `SET` value, before it is fitted into a [`SetValue`].
enum Term {
    Operand(Operand),
    Function(SetValue),
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

    /// The right-hand side of `SET path = ...`.
    fn set_value(&mut self) -> Result<SetValue> {
        let first = self.term()?;
        let plus = match self.peek() {
            Kind::Plus => true,
            Kind::Minus => false,
            _ => {
                return Ok(match first {
                    Term::Operand(operand) => SetValue::Value(operand),
                    Term::Function(function) => function,
                });
            }
        };
        self.advance();
        let second = self.term()?;
        match (first, second) {
            (Term::Operand(a), Term::Operand(b)) if plus => Ok(SetValue::Plus(a, b)),
            (Term::Operand(a), Term::Operand(b)) => Ok(SetValue::Minus(a, b)),
            _ => Err(self.unsupported_nesting()),
        }
    }

    /// A path, a `:value`, `if_not_exists(path, operand)` or `list_append(a, b)`.
    fn term(&mut self) -> Result<Term> {
        if !self.at_function() {
            return Ok(Term::Operand(self.update_operand()?));
        }
        let function = self.text();
        if function != "if_not_exists" && function != "list_append" {
            return Err(self.update_function_error(function));
        }
        self.advance();
        self.advance();
        let value = if function == "if_not_exists" {
            let path = self.path()?;
            self.expect(Kind::Comma)?;
            SetValue::IfNotExists(path, self.update_operand()?)
        } else {
            let a = self.update_operand()?;
            self.expect(Kind::Comma)?;
            SetValue::ListAppend(a, self.update_operand()?)
        };
        self.expect(Kind::RParen)?;
        Ok(Term::Function(value))
    }

    /// A path or a `:value` inside a `SET` value.
    fn update_operand(&mut self) -> Result<Operand> {
        if self.at_function() {
            let function = self.text();
            return Err(match function {
                "if_not_exists" | "list_append" => self.unsupported_nesting(),
                _ => self.update_function_error(function),
            });
        }
        if self.peek() == Kind::ValueRef {
            return Ok(Operand::Value(self.value()?));
        }
        Ok(Operand::Path(self.path()?))
    }

    /// DynamoDB accepts functions nested in `+`, `-` and each other; the AST holds only one
    /// function or one arithmetic step per `SET` value.
    fn unsupported_nesting(&self) -> notes_core::Error {
        self.error(
            "Nested functions and arithmetic on function results are not supported by this \
             server yet",
        )
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
    use notes_model::expr::{Operand, Path, SetValue, Update, UpdateAction};

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
                set("b", SetValue::Plus(path("b"), value(n("1")))),
                set("c", SetValue::Minus(path("c"), value(n("1")))),
                set(
                    "d",
                    SetValue::IfNotExists(Path::attribute("d"), value(s("a")))
                ),
                set(
                    "e",
                    SetValue::ListAppend(path("e"), value(AttributeValue::L(vec![n("2")])))
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
    fn nesting_the_ast_cannot_hold_is_reported() {
        let message = "Invalid UpdateExpression: Nested functions and arithmetic on function \
                       results are not supported by this server yet";
        assert_eq!(error("SET a = if_not_exists(a, :n) + :n"), message);
        assert_eq!(
            error("SET a = list_append(if_not_exists(a, :a), :n)"),
            message
        );
    }
}
