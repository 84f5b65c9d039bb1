//! Issue 24, "Key templates": random templates (literal text with separators, 1 to 3
//! components, `String` and integer components, never two components side by side, as the
//! derive requires) and random component values (separators, prefixes of the template's
//! literals, empty strings, Unicode, long values), rendered and parsed with the functions the
//! derive's generated code calls ([`Separators::around`], [`KeyComponent::separator_in`],
//! [`KeyComponent::render`], [`take`], [`separator_error`]), in the generated code's order.
//!
//! For every rendered text, every way of splitting it into the template's components is
//! enumerated: at most one of them is accepted (distinct accepted keys never render the same
//! text), and parsing the text gives exactly that one, or nothing. Refused values are refused
//! with `Error::KeyComponent` naming a separator the value holds. A refused value's text CAN
//! be an accepted key's (`{s}-{n}` with `s = "-"`, `n = 0` renders `--000`, which is `s = ""`,
//! `n = -128`): that is why the typed `Repo` checks every key, sort-key operand and prefix
//! before sending. A `begins_with` prefix of an accepted leading component matches exactly the
//! keys with that component (a refused one is refused by the prefix builder); with separators
//! that sort below the values' characters, rendered keys sort as their components do.
//!
//! Bounded for CI (256 cases each, about a second in a debug build); a longer run on demand:
//! `NOTES_ATTACK_CASES=100000 cargo test -p notes-model --test template_properties`. A failure
//! prints the shrunk template and values.

use notes_model::Error;
use notes_model::template::{KeyComponent, Separators, separator_error, take};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// One piece of a template.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Literal(String),
    Str,
    U16,
    I8,
}

/// A component's value. Ordered as the components are: by variant only between templates.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Value {
    Str(String),
    U16(u16),
    I8(i8),
}

/// The literal text at `i` ("" for a component, or past either end).
fn literal(parts: &[Part], i: Option<usize>) -> &str {
    match i.and_then(|i| parts.get(i)) {
        Some(Part::Literal(text)) => text,
        _ => "",
    }
}

/// The separators of the component at `i`, as the generated code computes them.
fn separators(parts: &[Part], i: usize) -> Separators {
    Separators::around(
        literal(parts, i.checked_sub(1)),
        literal(parts, Some(i + 1)),
    )
}

const FIELDS: [&str; 3] = ["c0", "c1", "c2"];

/// What the generated `to_item` does (`checked`: each component checked, then rendered), or
/// a value type's `render` (not checked).
fn render(parts: &[Part], values: &[Value], checked: bool) -> Result<String, Error> {
    let mut out = String::new();
    let mut values = values.iter().enumerate();
    for (i, part) in parts.iter().enumerate() {
        if let Part::Literal(text) = part {
            out.push_str(text);
            continue;
        }
        let separators = separators(parts, i);
        let (k, value) = values.next().expect("a value per component");
        let found = match value {
            Value::Str(v) => v.separator_in(separators),
            Value::U16(v) => v.separator_in(separators),
            Value::I8(v) => v.separator_in(separators),
        };
        if let (true, Some(separator)) = (checked, found) {
            return Err(separator_error::<Value>(
                "pk", "random", FIELDS[k], separator,
            ));
        }
        match value {
            Value::Str(v) => v.render(&mut out),
            Value::U16(v) => v.render(&mut out),
            Value::I8(v) => v.render(&mut out),
        }
    }
    Ok(out)
}

/// What the generated `parse` does.
fn parse(parts: &[Part], text: &str) -> Option<Vec<Value>> {
    let mut rest = text;
    let mut values = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let separators = separators(parts, i);
        match part {
            Part::Literal(text) => rest = rest.strip_prefix(text.as_str())?,
            Part::Str => {
                let (value, tail) = take::<String>(rest, separators)?;
                values.push(Value::Str(value));
                rest = tail;
            }
            Part::U16 => {
                let (value, tail) = take::<u16>(rest, separators)?;
                values.push(Value::U16(value));
                rest = tail;
            }
            Part::I8 => {
                let (value, tail) = take::<i8>(rest, separators)?;
                values.push(Value::I8(value));
                rest = tail;
            }
        }
    }
    rest.is_empty().then_some(values)
}

/// Every assignment of values whose unchecked rendering is `text`, separators or not.
fn splits(parts: &[Part], text: &str) -> Vec<Vec<Value>> {
    let Some((first, later)) = parts.split_first() else {
        return if text.is_empty() {
            vec![vec![]]
        } else {
            vec![]
        };
    };
    let with = |value: Value, rest: &str| {
        splits(later, rest)
            .into_iter()
            .map(|mut values| {
                values.insert(0, value.clone());
                values
            })
            .collect::<Vec<_>>()
    };
    match first {
        Part::Literal(literal) => text
            .strip_prefix(literal.as_str())
            .map_or_else(Vec::new, |rest| splits(later, rest)),
        Part::Str => text
            .char_indices()
            .map(|(at, _)| at)
            .chain([text.len()])
            .flat_map(|at| with(Value::Str(text[..at].to_owned()), &text[at..]))
            .collect(),
        Part::U16 => {
            fixed::<u16>(text).map_or_else(Vec::new, |(v, rest)| with(Value::U16(v), rest))
        }
        Part::I8 => fixed::<i8>(text).map_or_else(Vec::new, |(v, rest)| with(Value::I8(v), rest)),
    }
}

/// A fixed-width component at the start of `text`, by its own width and parse.
fn fixed<C: KeyComponent>(text: &str) -> Option<(C, &str)> {
    let width = C::width(text)?;
    let (head, rest) = text.split_at_checked(width)?;
    Some((C::parse(head)?, rest))
}

/// Characters of literals: separators, letters of a word (`MEMBER`), a digit, Unicode.
const LITERAL_CHARS: &[char] = &['#', '|', '-', 'M', 'E', '0', '→', ' '];
/// Characters of values: the literals' and more.
const VALUE_CHARS: &[char] = &[
    '#', '|', '-', 'M', 'E', '0', '→', 'a', 'b', 'é', '😀', '\u{0}',
];

fn text_of(chars: &'static [char], len: std::ops::Range<usize>) -> BoxedStrategy<String> {
    proptest::collection::vec(proptest::sample::select(chars), len)
        .prop_map(|chars| chars.into_iter().collect())
        .boxed()
}

/// A template: an optional leading literal, 1 to 3 components with a non-empty literal
/// between each two, an optional trailing literal; every literal after a component starts
/// with one of `first`.
fn template(literal_chars: &'static [char], first: &'static [char]) -> BoxedStrategy<Vec<Part>> {
    let component = prop_oneof![3 => Just(Part::Str), 1 => Just(Part::U16), 1 => Just(Part::I8)];
    let between = (
        proptest::sample::select(first),
        text_of(literal_chars, 0..3),
    )
        .prop_map(|(first, rest)| format!("{first}{rest}"));
    let trail = prop_oneof![Just(String::new()), between.clone()];
    (
        text_of(literal_chars, 0..4),
        proptest::collection::vec((component, between), 1..=3),
        trail,
    )
        .prop_map(|(lead, pieces, trail)| {
            let mut parts = Vec::new();
            if !lead.is_empty() {
                parts.push(Part::Literal(lead));
            }
            let count = pieces.len();
            for (n, (component, between)) in pieces.into_iter().enumerate() {
                parts.push(component);
                if n + 1 < count {
                    parts.push(Part::Literal(between));
                }
            }
            if !trail.is_empty() {
                parts.push(Part::Literal(trail));
            }
            parts
        })
        .boxed()
}

/// Values for `parts`: strings of `value_chars` and pieces of the template's literals (empty,
/// short, now and then long), numbers anywhere in their range.
fn values(parts: &[Part], value_chars: &'static [char]) -> BoxedStrategy<Vec<Value>> {
    let mut pieces: Vec<String> = vec![String::new()];
    for part in parts {
        if let Part::Literal(text) = part {
            for (at, _) in text.char_indices().skip(1) {
                pieces.push(text[..at].to_owned());
                pieces.push(text[at..].to_owned());
            }
            pieces.push(text.clone());
        }
    }
    let piece = prop_oneof![
        3 => proptest::sample::select(value_chars).prop_map(String::from),
        1 => proptest::sample::select(pieces),
    ];
    let string = prop_oneof![
        8 => proptest::collection::vec(piece, 0..5).prop_map(|pieces| pieces.concat()),
        1 => text_of(value_chars, 100..200),
    ];
    let strategies: Vec<BoxedStrategy<Value>> = parts
        .iter()
        .filter_map(|part| match part {
            Part::Literal(_) => None,
            Part::Str => Some(string.clone().prop_map(Value::Str).boxed()),
            Part::U16 => Some(any::<u16>().prop_map(Value::U16).boxed()),
            Part::I8 => Some(any::<i8>().prop_map(Value::I8).boxed()),
        })
        .collect();
    strategies.boxed()
}

/// A template and two sets of values for it.
fn case(
    literal_chars: &'static [char],
    first: &'static [char],
    value_chars: &'static [char],
) -> impl Strategy<Value = (Vec<Part>, Vec<Value>, Vec<Value>)> {
    template(literal_chars, first).prop_flat_map(move |parts| {
        let values = values(&parts, value_chars);
        (Just(parts), values.clone(), values)
    })
}

fn config() -> Config {
    let cases = std::env::var("NOTES_ATTACK_CASES")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(256);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// The `begins_with` prefix of keys whose first component is `values[0]`: the text up to and
/// including the literal after it (what the generated prefix builders write), when there is
/// one and the component is accepted (the builders keep a refusal otherwise).
fn first_prefix(parts: &[Part], values: &[Value]) -> Option<String> {
    let at = parts.iter().position(|p| !matches!(p, Part::Literal(_)))?;
    let Some(Part::Literal(_)) = parts.get(at + 1) else {
        return None;
    };
    if let Value::Str(v) = &values[0]
        && v.separator_in(separators(parts, at)).is_some()
    {
        return None;
    }
    let mut out = String::new();
    for part in &parts[..at] {
        if let Part::Literal(text) = part {
            out.push_str(text);
        }
    }
    match &values[0] {
        Value::Str(v) => v.render(&mut out),
        Value::U16(v) => v.render(&mut out),
        Value::I8(v) => v.render(&mut out),
    }
    out.push_str(literal(parts, Some(at + 1)));
    Some(out)
}

proptest! {
    #![proptest_config(config())]

    /// Injective rendering, exact parsing, typed refusals, exact prefixes.
    #[test]
    fn distinct_keys_never_render_alike_and_parsing_gives_them_back(
        (parts, a, b) in case(LITERAL_CHARS, LITERAL_CHARS, VALUE_CHARS),
    ) {
        for values in [&a, &b] {
            let text = render(&parts, values, false).unwrap();
            let accepted: Vec<Vec<Value>> = splits(&parts, &text)
                .into_iter()
                .filter(|split| render(&parts, split, true).is_ok())
                .collect();
            prop_assert!(accepted.len() <= 1, "{text:?} is the rendering of {accepted:?}");
            prop_assert_eq!(parse(&parts, &text), accepted.first().cloned(), "{:?}", text);
            match render(&parts, values, true) {
                Ok(checked) => {
                    prop_assert_eq!(&checked, &text);
                    prop_assert_eq!(&accepted, &vec![values.clone()]);
                }
                Err(Error::KeyComponent { field, separator, .. }) => {
                    let k = FIELDS.iter().position(|f| *f == field).unwrap();
                    let i = parts
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| !matches!(p, Part::Literal(_)))
                        .nth(k)
                        .unwrap()
                        .0;
                    let Value::Str(value) = &values[k] else {
                        panic!("a number refused: {values:?}");
                    };
                    prop_assert!(value.contains(separator));
                    prop_assert!(separators(&parts, i).contains(separator));
                    prop_assert!(!accepted.contains(values));
                }
                Err(other) => prop_assert!(false, "unexpected error {other:?}"),
            }
        }
        // Keys of both, and `a`'s first component with `b`'s others: a prefix of the first
        // component matches exactly the accepted keys that have it.
        let mut mixed = b.clone();
        mixed[0] = a[0].clone();
        if let Some(prefix) = first_prefix(&parts, &a) {
            for values in [&a, &b, &mixed] {
                if let Ok(text) = render(&parts, values, true) {
                    prop_assert_eq!(
                        text.starts_with(&prefix),
                        values[0] == a[0],
                        "{:?} and prefix {:?}", text, prefix
                    );
                }
            }
        }
        if render(&parts, &a, true).is_ok() && render(&parts, &b, true).is_ok() && a != b {
            prop_assert_ne!(render(&parts, &a, true).unwrap(), render(&parts, &b, true).unwrap());
        }
    }

    /// With separators that sort below every character of the values (`#` after each
    /// component), rendered keys sort as their components do.
    #[test]
    fn keys_sort_as_their_components(
        (parts, a, b) in case(&['#', 'A', 'Z', '-'], &['#'], &['a', 'b', 'z', '0', '9', 'é', '😀', '~']),
    ) {
        if let (Ok(x), Ok(y)) = (render(&parts, &a, true), render(&parts, &b, true)) {
            prop_assert_eq!(x.cmp(&y), a.cmp(&b), "{:?} {:?}", x, y);
        }
    }
}

/// The example, exactly.
#[test]
fn the_member_example_is_refused_and_cannot_be_misread() {
    let parts = vec![
        Part::Literal("ORG#".into()),
        Part::Str,
        Part::Literal("#MEMBER#".into()),
        Part::Str,
    ];
    let a = [Value::Str("acme#MEMBER".into()), Value::Str("bob".into())];
    let b = [Value::Str("acme".into()), Value::Str("MEMBER#bob".into())];
    for (values, field) in [(&a, "c0"), (&b, "c1")] {
        match render(&parts, values, true) {
            Err(Error::KeyComponent {
                field: f,
                separator,
                ..
            }) => assert_eq!((f, separator), (field, '#')),
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(parse(&parts, "ORG#acme#MEMBER#MEMBER#bob"), None);
    let ok = [Value::Str("acme".into()), Value::Str("bob".into())];
    assert_eq!(
        parse(&parts, &render(&parts, &ok, true).unwrap()).unwrap(),
        ok
    );
}
