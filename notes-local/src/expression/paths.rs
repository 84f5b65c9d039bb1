//! Document paths: `a.#b[2]`, with `#name` placeholders and reserved-word checks.

use notes_core::Result;
use notes_core::validate::MAX_NESTING_LEVELS;
use notes_model::expr::{Path, PathElement};

use std::fmt::Write as _;

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
                // DynamoDB's limit, checked as it reads the path: "Invalid
                // ProjectionExpression: The document path has too many nesting levels;
                // nesting levels: 33".
                _ if elements.len() > MAX_NESTING_LEVELS => {
                    return Err(self.error(format_args!(
                        "The document path has too many nesting levels; nesting levels: {}",
                        elements.len()
                    )));
                }
                _ => return Ok(Path { elements }),
            }
        }
    }

    /// DynamoDB's rule for the paths an update writes and a projection reads: no path may be
    /// a prefix of another (they overlap), and no two may step into the same value once as a
    /// map and once as a list (they conflict).
    pub(super) fn check_disjoint<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p Path>,
    ) -> Result<()> {
        let paths: Vec<&Path> = paths.into_iter().collect();
        for (i, two) in paths.iter().enumerate() {
            for one in &paths[..i] {
                let (a, b) = (&one.elements, &two.elements);
                let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
                let clash = if common == a.len().min(b.len()) {
                    "overlap"
                } else if matches!(
                    (&a[common], &b[common]),
                    (PathElement::Name(_), PathElement::Index(_))
                        | (PathElement::Index(_), PathElement::Name(_))
                ) {
                    "conflict"
                } else {
                    continue;
                };
                return Err(self.error(format_args!(
                    "Two document paths {clash} with each other; must remove or rewrite one of \
                     these paths; path one: {}, path two: {}",
                    listed(one),
                    listed(two)
                )));
            }
        }
        Ok(())
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

/// A path as DynamoDB lists it in messages: `[a, b, [0]]`.
fn listed(path: &Path) -> String {
    let mut out = String::from("[");
    for (i, element) in path.elements.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        // Writing to a String cannot fail.
        let _ = match element {
            PathElement::Name(name) => write!(out, "{name}"),
            PathElement::Index(index) => write!(out, "[{index}]"),
        };
    }
    out.push(']');
    out
}
