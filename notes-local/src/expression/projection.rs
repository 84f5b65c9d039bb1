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
        self.check_disjoint(&paths)?;
        Ok(paths)
    }
}

#[cfg(test)]
mod tests {
    use notes_model::expr::Path;

    use super::super::parse_projection;
    use super::super::test_support::{parse, validation};

    fn error(expression: &str) -> String {
        validation(parse(parse_projection, expression, &[], &[]))
    }

    #[test]
    fn paths_with_keys_and_indexes_parse() {
        let parsed = parse(
            parse_projection,
            "a, b.c, d[0][12], #x.e",
            &[("#x", "a.b[0]")],
            &[],
        );
        assert_eq!(
            parsed.unwrap(),
            vec![
                Path::attribute("a"),
                Path::attribute("b").key("c"),
                Path::attribute("d").index(0).index(12),
                Path::attribute("a.b[0]").key("e"),
            ]
        );
    }

    #[test]
    fn paths_nest_at_most_32_levels() {
        let path = |levels: usize| format!("a{}", ".b".repeat(levels - 1));
        assert_eq!(
            parse(parse_projection, &path(32), &[], &[]).unwrap()[0]
                .elements
                .len(),
            32
        );
        assert_eq!(
            error(&format!("{}, c", path(33))),
            "Invalid ProjectionExpression: The document path has too many nesting levels; \
             nesting levels: 33"
        );
        assert_eq!(
            error(&format!("a{}", "[0]".repeat(39))),
            "Invalid ProjectionExpression: The document path has too many nesting levels; \
             nesting levels: 40"
        );
    }

    #[test]
    fn overlapping_paths_are_rejected() {
        assert_eq!(
            error("a, b, a.c"),
            "Invalid ProjectionExpression: Two document paths overlap with each other; must \
             remove or rewrite one of these paths; path one: [a], path two: [a, c]"
        );
    }

    #[test]
    fn malformed_projections_are_rejected() {
        let syntax = "Invalid ProjectionExpression: Syntax error; token: ";
        assert_eq!(error("a,"), format!("{syntax}\"<EOF>\", near: \",\""));
        assert_eq!(error("a[-1]"), format!("{syntax}\"-\", near: \"[-1\""));
        assert_eq!(error("a.[0]"), format!("{syntax}\"[\", near: \".[0\""));
        assert_eq!(error("a b"), format!("{syntax}\"b\", near: \"a b\""));
        assert_eq!(
            error(""),
            "Invalid ProjectionExpression: The expression can not be empty;"
        );
        assert_eq!(
            error("a[99999999999999999999999]"),
            "Invalid ProjectionExpression: List index is too large; index: \
             99999999999999999999999"
        );
    }
}
