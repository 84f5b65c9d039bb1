//! `ProjectionExpression`: document paths separated by commas.

use notes_core::Result;
use notes_model::expr::Path;

use super::lexer::Kind;
use super::parser::Parser;

impl Parser<'_, '_, '_> {
    /// A whole projection: `a, b.c, d[0]`.
    pub(super) fn projection(&mut self) -> Result<Vec<Path>> {
        let mut paths = vec![self.path()?];
        while self.peek() == Kind::Comma {
            self.advance();
            paths.push(self.path()?);
        }
        self.expect_end()?;
        Ok(paths)
    }
}
