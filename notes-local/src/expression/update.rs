//! `UpdateExpression`: `SET`, `REMOVE`, `ADD` and `DELETE` clauses, in any order, each once.

use notes_core::Result;
use notes_model::expr::{Operand, SetValue, Update, UpdateAction};

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
            return Err(self.function_error(function));
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
                _ => self.function_error(function),
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
        self.error(format_args!(
            "Nested functions and arithmetic on function results are not supported by this \
             server yet; near: \"{}\"",
            self.text()
        ))
    }
}
