//! Splits an expression into tokens, each with its byte span for error messages.

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A bare word: an attribute name, a keyword or a function name.
    Word,
    /// `#name`: an `ExpressionAttributeNames` placeholder.
    NameRef,
    /// `:value`: an `ExpressionAttributeValues` placeholder.
    ValueRef,
    /// Decimal digits (a list index).
    Number,
    /// `.`
    Dot,
    /// `,`
    Comma,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `=`
    Eq,
    /// `<>`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// A character the language has no use for; the parser reports it as a syntax error.
    Unknown,
    /// The end of the expression.
    Eof,
}

/// One token: its kind and its byte span in the expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The tokens of `source`, ending with [`Kind::Eof`]. Never fails: what cannot be a token
/// becomes [`Kind::Unknown`], so the parser reports it with its position.
pub(super) fn tokenize(source: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = source.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut take_while = |end: &mut usize, pred: fn(char) -> bool| {
            while let Some(&(i, next)) = chars.peek() {
                if !pred(next) {
                    break;
                }
                *end = i + next.len_utf8();
                chars.next();
            }
        };
        let kind = match c {
            '#' | ':' => {
                let first = end;
                take_while(&mut end, is_word_char);
                match (c, end > first) {
                    (_, false) => Kind::Unknown,
                    ('#', true) => Kind::NameRef,
                    _ => Kind::ValueRef,
                }
            }
            c if c.is_ascii_digit() => {
                take_while(&mut end, |c| c.is_ascii_digit());
                Kind::Number
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                take_while(&mut end, is_word_char);
                Kind::Word
            }
            '<' | '>' => {
                let second = chars.peek().map(|&(_, next)| next);
                let kind = match (c, second) {
                    ('<', Some('>')) => Kind::Ne,
                    ('<', Some('=')) => Kind::Le,
                    ('>', Some('=')) => Kind::Ge,
                    ('<', _) => Kind::Lt,
                    _ => Kind::Gt,
                };
                if matches!(kind, Kind::Ne | Kind::Le | Kind::Ge) {
                    chars.next();
                    end += 1;
                }
                kind
            }
            '.' => Kind::Dot,
            ',' => Kind::Comma,
            '(' => Kind::LParen,
            ')' => Kind::RParen,
            '[' => Kind::LBracket,
            ']' => Kind::RBracket,
            '=' => Kind::Eq,
            '+' => Kind::Plus,
            '-' => Kind::Minus,
            _ => Kind::Unknown,
        };
        tokens.push(Token { kind, start, end });
    }
    let end = source.trim_end().len();
    tokens.push(Token {
        kind: Kind::Eof,
        start: end,
        end,
    });
    tokens
}

#[cfg(test)]
mod tests {
    use super::{Kind, tokenize};

    fn kinds(source: &str) -> Vec<Kind> {
        tokenize(source).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn operators_placeholders_and_words_are_split() {
        use Kind::*;
        assert_eq!(
            kinds("#a.b[10] <> :v AND size(x)>=:w"),
            vec![
                NameRef, Dot, Word, LBracket, Number, RBracket, Ne, ValueRef, Word, Word, LParen,
                Word, RParen, Ge, ValueRef, Eof
            ]
        );
        assert_eq!(kinds("a<b<=c>d=e+f-g,"), {
            vec![
                Word, Lt, Word, Le, Word, Gt, Word, Eq, Word, Plus, Word, Minus, Word, Comma, Eof,
            ]
        });
    }

    #[test]
    fn spans_cover_the_token_text() {
        let source = "  #n0 =\t:v_1 ";
        let texts: Vec<&str> = tokenize(source)
            .iter()
            .map(|t| &source[t.start..t.end])
            .collect();
        assert_eq!(texts, vec!["#n0", "=", ":v_1", ""]);
    }

    #[test]
    fn stray_characters_become_unknown_tokens() {
        use Kind::*;
        assert_eq!(
            kinds("# : ! é"),
            vec![Unknown, Unknown, Unknown, Unknown, Eof]
        );
        let source = "aé";
        let tokens = tokenize(source);
        assert_eq!(&source[tokens[1].start..tokens[1].end], "é");
    }
}
