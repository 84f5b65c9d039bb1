//! Key templates (`USER#{user_id}`): parsed from their string literal into literal text and
//! field placeholders, with every mistake reported on the literal.

use syn::LitStr;

use crate::ctxt::Ctxt;

/// One piece of a template.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(crate) enum Segment {
    /// Text written as is (`{{` and `}}` are a brace each).
    Literal(String),
    /// `{field}`: the Rust field's rendering.
    Field(String),
}

/// A parsed template.
pub(crate) struct Template {
    pub(crate) lit: LitStr,
    pub(crate) segments: Vec<Segment>,
}

impl Template {
    /// The fields named, in order.
    pub(crate) fn fields(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Field(name) => Some(name.as_str()),
            Segment::Literal(_) => None,
        })
    }

    /// The literal text before the first placeholder (the whole text when there is none).
    pub(crate) fn leading_literal(&self) -> String {
        match self.segments.first() {
            Some(Segment::Literal(text)) => text.clone(),
            _ => String::new(),
        }
    }
}

/// Parses `lit`, recording mistakes in `cx`; `None` when it cannot be read at all.
pub(crate) fn parse(cx: &Ctxt, lit: &LitStr) -> Option<Template> {
    let text = lit.value();
    if text.is_empty() {
        cx.error_spanned_by(
            lit,
            "empty key template: DynamoDB key values cannot be empty strings; write the text \
             and `{field}` placeholders the key is made of, like \"USER#{user_id}\"",
        );
        return None;
    }
    let mut segments = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    let mut ok = true;
    while let Some(ch) = chars.next() {
        match ch {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for inner in chars.by_ref() {
                    if inner == '}' {
                        closed = true;
                        break;
                    }
                    name.push(inner);
                }
                if !closed {
                    cx.error_spanned_by(
                        lit,
                        format_args!(
                            "unclosed `{{` in key template {text:?}: close the placeholder with \
                             `}}`, or write `{{{{` for a literal brace"
                        ),
                    );
                    ok = false;
                    break;
                }
                let name = name.trim().to_owned();
                if name.is_empty() {
                    cx.error_spanned_by(
                        lit,
                        format_args!(
                            "empty placeholder `{{}}` in key template {text:?}: name a field, \
                             like `{{user_id}}`"
                        ),
                    );
                    ok = false;
                    continue;
                }
                if !literal.is_empty() {
                    segments.push(Segment::Literal(std::mem::take(&mut literal)));
                } else if let Some(Segment::Field(previous)) = segments.last() {
                    cx.error_spanned_by(
                        lit,
                        format_args!(
                            "`{{{previous}}}` and `{{{name}}}` are adjacent in key template \
                             {text:?}: put a separator between them (like `{{{previous}}}#{{{name}}}`) \
                             so that the key can be read back and sorts by `{previous}` first"
                        ),
                    );
                    ok = false;
                }
                segments.push(Segment::Field(name));
            }
            '}' => {
                cx.error_spanned_by(
                    lit,
                    format_args!(
                        "unmatched `}}` in key template {text:?}: placeholders are `{{field}}`; \
                         write `}}}}` for a literal brace"
                    ),
                );
                ok = false;
            }
            other => literal.push(other),
        }
    }
    if !literal.is_empty() {
        segments.push(Segment::Literal(literal));
    }
    ok.then_some(Template {
        lit: lit.clone(),
        segments,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(text: &str) -> Option<Vec<Segment>> {
        let cx = Ctxt::new();
        let parsed = parse(&cx, &LitStr::new(text, proc_macro2::Span::call_site()));
        let ok = cx.check().is_ok();
        parsed.filter(|_| ok).map(|t| t.segments)
    }

    #[test]
    fn templates_split_into_literals_and_fields() {
        use Segment::{Field, Literal};
        assert_eq!(
            segments("NOTE#{created_at}#{note_id}").unwrap(),
            [
                Literal("NOTE#".into()),
                Field("created_at".into()),
                Literal("#".into()),
                Field("note_id".into())
            ]
        );
        assert_eq!(segments("PROFILE").unwrap(), [Literal("PROFILE".into())]);
        assert_eq!(segments("{{x}}").unwrap(), [Literal("{x}".into())]);
    }

    #[test]
    fn malformed_templates_are_refused() {
        for text in ["", "{a}{b}", "A#{a", "A#}", "{}", "A#{ }"] {
            assert!(segments(text).is_none(), "{text:?}");
        }
    }
}
