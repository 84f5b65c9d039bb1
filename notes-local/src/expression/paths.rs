//! Document paths: `a.#b[2]`, with `#name` placeholders and reserved-word checks.

use notes_core::Result;
use notes_model::expr::{Path, PathElement};

use super::lexer::Kind;
use super::parser::Parser;
use super::reserved::is_reserved;

impl Parser<'_, '_, '_> {
    /// A document path: a name, then `.name` and `[index]` steps.
    pub(super) fn path(&mut self) -> Result<Path> {
        let mut elements = vec![PathElement::Name(self.name()?.into())];
        loop {
            match self.peek() {
                Kind::Dot => {
                    self.advance();
                    elements.push(PathElement::Name(self.name()?.into()));
                }
                Kind::LBracket => {
                    self.advance();
                    if self.peek() != Kind::Number {
                        return Err(self.syntax_error());
                    }
                    let index = self.text().parse::<usize>().map_err(|_| {
                        self.error(format_args!(
                            "List index is too large; index: {}",
                            self.text()
                        ))
                    })?;
                    self.advance();
                    self.expect(Kind::RBracket)?;
                    elements.push(PathElement::Index(index));
                }
                _ => return Ok(Path { elements }),
            }
        }
    }

    /// One attribute name or map key: a bare word that is not reserved, or a `#name`.
    pub(super) fn name(&mut self) -> Result<String> {
        match self.peek() {
            Kind::Word => {
                let word = self.text();
                if is_reserved(word) {
                    return Err(self.error(format_args!(
                        "Attribute name is a reserved keyword; reserved keyword: {word}"
                    )));
                }
                self.advance();
                Ok(word.to_owned())
            }
            Kind::NameRef => {
                let placeholder = self.advance();
                match self.placeholders.name(placeholder) {
                    Some(name) => Ok(name.to_owned()),
                    None => Err(self.error(format_args!(
                        "An expression attribute name used in the document path is not defined; \
                         attribute name: {placeholder}"
                    ))),
                }
            }
            _ => Err(self.syntax_error()),
        }
    }
}
