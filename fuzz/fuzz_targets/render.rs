//! Fuzzes the expression renderer (`notes_repo::render_expressions`): for any AST it must not
//! panic, must render the same way twice, and on success must hold nothing but placeholders
//! and DynamoDB's own grammar: every `#nK` / `:vK` defined, every definition used, exactly the
//! AST's attribute names in `ExpressionAttributeNames`, one value per literal.

#![no_main]

#[path = "input.rs"]
mod input;

use std::collections::HashSet;

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use notes_model::expr::{
    Condition, Operand, Path, PathElement, SetOperand, SetValue, SortKeyCondition, UpdateAction,
};
use notes_repo::{RenderedExpressions, render_expressions};

const KEYWORDS: [&str; 17] = [
    "AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE", "begins_with",
    "contains", "attribute_exists", "attribute_not_exists", "attribute_type", "size",
    "if_not_exists", "list_append",
];

/// Names and literal count of an AST.
#[derive(Default)]
struct Census {
    names: HashSet<String>,
    values: usize,
}

impl Census {
    fn path(&mut self, path: &Path) {
        for element in &path.elements {
            if let PathElement::Name(name) = element {
                self.names.insert(name.to_string());
            }
        }
    }

    fn operand(&mut self, operand: &Operand) {
        match operand {
            Operand::Path(p) | Operand::Size(p) => self.path(p),
            Operand::Value(_) => self.values += 1,
            Operand::Invalid { .. } => {}
        }
    }

    fn set_operand(&mut self, operand: &SetOperand) {
        match operand {
            SetOperand::Operand(o) => self.operand(o),
            SetOperand::IfNotExists(p, o) => {
                self.path(p);
                self.set_operand(o);
            }
            SetOperand::ListAppend(a, b) => {
                self.set_operand(a);
                self.set_operand(b);
            }
        }
    }

    fn condition(&mut self, condition: &Condition) {
        match condition {
            Condition::Compare(a, _, b) => {
                self.operand(a);
                self.operand(b);
            }
            Condition::Between(a, b, c) => {
                self.operand(a);
                self.operand(b);
                self.operand(c);
            }
            Condition::In(a, list) => {
                self.operand(a);
                list.iter().for_each(|o| self.operand(o));
            }
            Condition::BeginsWith(p, o) | Condition::Contains(p, o) => {
                self.path(p);
                self.operand(o);
            }
            Condition::Exists(p) | Condition::NotExists(p) => self.path(p),
            Condition::Type(p, _) => {
                self.path(p);
                self.values += 1;
            }
            Condition::And(a, b) | Condition::Or(a, b) => {
                self.condition(a);
                self.condition(b);
            }
            Condition::Not(a) => self.condition(a),
        }
    }

    fn of(input: &input::Expressions) -> Census {
        let mut census = Census::default();
        if let Some(kc) = &input.key_condition {
            census.names.insert(kc.partition_key.0.to_string());
            census.values += 1;
            if let Some((name, sk)) = &kc.sort_key {
                census.names.insert(name.to_string());
                census.values += match sk {
                    SortKeyCondition::Between(..) => 2,
                    _ => 1,
                };
            }
        }
        if let Some(update) = &input.update {
            for action in &update.actions {
                census.path(action.path());
                match action {
                    UpdateAction::Set(_, value) => match value {
                        SetValue::Value(o) => census.operand(o),
                        SetValue::IfNotExists(p, o) => {
                            census.path(p);
                            census.set_operand(o);
                        }
                        SetValue::Plus(a, b) | SetValue::Minus(a, b) | SetValue::ListAppend(a, b) => {
                            census.set_operand(a);
                            census.set_operand(b);
                        }
                    },
                    UpdateAction::Remove(_) => {}
                    UpdateAction::Add(_, o) | UpdateAction::Delete(_, o) => census.operand(o),
                }
            }
        }
        if let Some(condition) = &input.condition {
            census.condition(condition);
        }
        for path in input.projection.iter().flatten() {
            census.path(path);
        }
        census
    }
}

fn render(input: &input::Expressions) -> notes_repo::Result<RenderedExpressions> {
    render_expressions(
        input.key_condition.as_ref(),
        input.update.as_ref(),
        input.condition.as_ref(),
        input.projection.as_deref(),
    )
}

/// Checks one expression string: placeholders, keywords, `[digits]` and punctuation only.
/// Returns the placeholders it uses.
fn grammar(expression: &str, used: &mut HashSet<String>) {
    let chars: Vec<char> = expression.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if (c == '#' || c == ':') && i + 1 < chars.len() {
            let kind = chars[i + 1];
            assert!((c == '#' && kind == 'n') || (c == ':' && kind == 'v'), "bad placeholder in {expression:?}");
            i += 2;
            let digits = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            assert!(i > digits, "placeholder without a number in {expression:?}");
            used.insert(chars[start..i].iter().collect());
        } else if c.is_ascii_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_ascii_alphabetic() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            assert!(KEYWORDS.contains(&word.as_str()), "{word:?} is not DynamoDB grammar in {expression:?}");
        } else if c.is_ascii_digit() {
            assert!(start > 0 && chars[start - 1] == '[', "a bare number in {expression:?}");
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            assert!(chars.get(i) == Some(&']'), "an unclosed index in {expression:?}");
        } else {
            assert!(" (),.[]<>=+-".contains(c), "{c:?} is not DynamoDB grammar in {expression:?}");
            i += 1;
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(input) = input::Expressions::generate(&mut u) else {
        return;
    };
    let first = render(&input);
    let second = render(&input);
    match (&first, &second) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "rendering is not deterministic"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        _ => panic!("rendering is not deterministic: {first:?} vs {second:?}"),
    }
    let Ok(out) = first else { return };
    let mut used = HashSet::new();
    for expression in [&out.key_condition, &out.update, &out.condition, &out.projection]
        .into_iter()
        .flatten()
    {
        grammar(expression, &mut used);
    }
    let names = out.names.clone().unwrap_or_default();
    let values = out.values.clone().unwrap_or_default();
    let defined: HashSet<String> = names.keys().chain(values.keys()).cloned().collect();
    assert_eq!(used, defined, "placeholders used and defined differ: {out:?}");
    assert!(out.names.as_ref().is_none_or(|m| !m.is_empty()));
    assert!(out.values.as_ref().is_none_or(|m| !m.is_empty()));
    let census = Census::of(&input);
    let mapped: HashSet<String> = names.values().cloned().collect();
    assert_eq!(mapped.len(), names.len(), "one name, two placeholders: {out:?}");
    assert_eq!(mapped, census.names, "names differ from the AST's: {out:?}");
    assert_eq!(values.len(), census.values, "one placeholder per literal: {out:?}");
});
