//! The parser's cursor over the tokens of one expression, and its error messages.

use notes_core::{Error, Result};
use notes_model::AttributeValue;

use super::lexer::{Kind, Token, tokenize};
use super::placeholders::Placeholders;

/// How deep parentheses and `NOT`s may nest before the parser refuses the expression, so a
/// hostile expression cannot exhaust the stack.
const MAX_DEPTH: usize = 100;

/// A cursor over one expression's tokens.
pub(super) struct Parser<'s, 'p, 'a> {
    source: &'s str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    /// The request parameter, as DynamoDB names it in messages (`ConditionExpression`).
    label: &'static str,
    pub(super) placeholders: &'p mut Placeholders<'a>,
}

impl<'s, 'p, 'a> Parser<'s, 'p, 'a> {
    /// A parser for `source`; fails with DynamoDB's message if a placeholder's key is too
    /// long, or the expression too long or empty.
    pub(super) fn new(
        source: &'s str,
        label: &'static str,
        placeholders: &'p mut Placeholders<'a>,
    ) -> Result<Self> {
        placeholders.check_keys()?;
        super::limits::check_size(source, label)?;
        let parser = Parser {
            source,
            tokens: tokenize(source),
            pos: 0,
            depth: 0,
            label,
            placeholders,
        };
        if parser.peek() == Kind::Eof {
            return Err(parser.error("The expression can not be empty;"));
        }
        Ok(parser)
    }

    /// The kind of the current token.
    pub(super) fn peek(&self) -> Kind {
        self.tokens[self.pos].kind
    }

    /// The kind of the token after the current one.
    pub(super) fn peek_second(&self) -> Kind {
        self.tokens
            .get(self.pos + 1)
            .map_or(Kind::Eof, |token| token.kind)
    }

    /// The text of the current token.
    pub(super) fn text(&self) -> &'s str {
        let token = self.tokens[self.pos];
        &self.source[token.start..token.end]
    }

    /// Moves past the current token and returns its text.
    pub(super) fn advance(&mut self) -> &'s str {
        let text = self.text();
        if self.peek() != Kind::Eof {
            self.pos += 1;
        }
        text
    }

    /// Whether the current token is the keyword `keyword` (any case).
    pub(super) fn at_keyword(&self, keyword: &str) -> bool {
        self.peek() == Kind::Word && self.text().eq_ignore_ascii_case(keyword)
    }

    /// Whether the current token is a word directly followed by `(`: a function call.
    pub(super) fn at_function(&self) -> bool {
        self.peek() == Kind::Word && self.peek_second() == Kind::LParen
    }

    /// Consumes a token of `kind`, or fails with a syntax error on the current one.
    pub(super) fn expect(&mut self, kind: Kind) -> Result<&'s str> {
        if self.peek() == kind {
            Ok(self.advance())
        } else {
            Err(self.syntax_error())
        }
    }

    /// Fails with a syntax error unless the whole expression has been read.
    pub(super) fn expect_end(&self) -> Result<()> {
        match self.peek() {
            Kind::Eof => Ok(()),
            _ => Err(self.syntax_error()),
        }
    }

    /// `Invalid <label>: <message>`.
    pub(super) fn error(&self, message: impl std::fmt::Display) -> Error {
        Error::validation(format!("Invalid {}: {message}", self.label))
    }

    /// DynamoDB's syntax error on the current token: the token, and the text from the token
    /// before it to the token after it.
    pub(super) fn syntax_error(&self) -> Error {
        let token = self.tokens[self.pos];
        let shown = match token.kind {
            Kind::Eof => "<EOF>",
            _ => &self.source[token.start..token.end],
        };
        let first = self.tokens[self.pos.saturating_sub(1)].start;
        let last = self.tokens[(self.pos + 1).min(self.tokens.len() - 1)].end;
        self.error(format_args!(
            "Syntax error; token: \"{shown}\", near: \"{}\"",
            &self.source[first..last]
        ))
    }

    /// Runs `inner` one nesting level deeper, refusing expressions nested past [`MAX_DEPTH`].
    pub(super) fn nested<T>(&mut self, inner: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(format_args!(
                "The expression is nested more than {MAX_DEPTH} levels deep;"
            )));
        }
        self.depth += 1;
        let result = inner(self);
        self.depth -= 1;
        result
    }

    /// A `:value` placeholder's value.
    pub(super) fn value(&mut self) -> Result<AttributeValue> {
        let placeholder = self.expect(Kind::ValueRef)?;
        match self.placeholders.value(placeholder) {
            Some(value) => Ok(value.clone()),
            None => Err(self.error(format_args!(
                "An expression attribute value used in expression is not defined; \
                 attribute value: {placeholder}"
            ))),
        }
    }
}
