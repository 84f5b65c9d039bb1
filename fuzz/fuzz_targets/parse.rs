//! Fuzzes the expression parser (`notes_local::expression`): any string, fed to every parse
//! function with a few names and values defined, must parse or fail with a validation error,
//! never panic; and a condition or projection that parses must render (with our own renderer)
//! and parse back to the same AST.

#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use notes_local::expression::{
    Placeholders, parse_condition, parse_filter, parse_key_condition, parse_projection,
    parse_update,
};
use notes_model::AttributeValue;
use notes_repo::{Error, Result, render_expressions};

/// Parses `rendered` with the maps it was rendered with.
fn reparse<T>(
    rendered: &str,
    names: Option<HashMap<String, String>>,
    values: Option<HashMap<String, AttributeValue>>,
    parse: fn(&str, &mut Placeholders<'_>) -> Result<T>,
) -> T {
    let (names, values) = (names.unwrap_or_default(), values.unwrap_or_default());
    let mut placeholders = Placeholders::new(&names, &values);
    let parsed = parse(rendered, &mut placeholders).expect("rendered expressions parse");
    placeholders.finish().expect("rendered placeholders are all used");
    parsed
}

fn assert_validation<T>(result: Result<T>) -> Option<T> {
    match result {
        Ok(parsed) => Some(parsed),
        Err(Error::Validation { .. }) => None,
        Err(other) => panic!("a parse error must be a validation error, got {other:?}"),
    }
}

fuzz_target!(|expression: &str| {
    let names: HashMap<String, String> = [("#a", "a"), ("#s", "status"), ("#e", "")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let values: HashMap<String, AttributeValue> = [
        (":s", AttributeValue::S("x".to_owned())),
        (":n", AttributeValue::N("1".to_owned())),
        (":t", AttributeValue::S("SS".to_owned())),
        (":l", AttributeValue::L(vec![AttributeValue::Null(true)])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let mut placeholders = Placeholders::new(&names, &values);

    if let Some(condition) = assert_validation(parse_condition(expression, &mut placeholders)) {
        if let Ok(out) = render_expressions(None, None, Some(&condition), None) {
            let rendered = out.condition.expect("a condition renders");
            assert_eq!(reparse(&rendered, out.names, out.values, parse_condition), condition);
        }
    }
    assert_validation(parse_filter(expression, &mut placeholders));
    assert_validation(parse_key_condition(expression, &mut placeholders));
    assert_validation(parse_update(expression, &mut placeholders));
    if let Some(paths) = assert_validation(parse_projection(expression, &mut placeholders)) {
        let out = render_expressions(None, None, None, Some(&paths)).expect("paths render");
        let rendered = out.projection.expect("a projection renders");
        assert_eq!(reparse(&rendered, out.names, out.values, parse_projection), paths);
    }
    assert_validation(placeholders.finish());
});
