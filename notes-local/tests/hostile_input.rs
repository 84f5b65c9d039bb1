//! Whatever string arrives, the parsers answer with an AST or a validation error, never a
//! panic: strings built from the language's own tokens (so they reach deep into the grammar)
//! and arbitrary text. The fuzz target `parse` explores the same further.

use std::collections::HashMap;

use notes_core::Error;
use notes_local::expression::{
    Placeholders, parse_condition, parse_key_condition, parse_projection, parse_update,
};
use notes_model::AttributeValue;
use proptest::prelude::*;

/// Expression-shaped text: keywords, functions, placeholders, names and punctuation.
fn token_soup() -> impl Strategy<Value = String> {
    let token = prop::sample::select(vec![
        "a",
        "b.c",
        "#a",
        "#s",
        "#undefined",
        ":s",
        ":n",
        ":t",
        ":undefined",
        "status",
        "(",
        ")",
        "[",
        "]",
        "[0]",
        "[99999999999999999999999]",
        ",",
        ".",
        "=",
        "<>",
        "<",
        "<=",
        ">",
        ">=",
        "+",
        "-",
        "AND",
        "or",
        "NOT",
        "BETWEEN",
        "IN",
        "SET",
        "REMOVE",
        "ADD",
        "DELETE",
        "size",
        "begins_with",
        "contains",
        "attribute_exists",
        "attribute_not_exists",
        "attribute_type",
        "if_not_exists",
        "list_append",
        "é",
        "#",
        ":",
        "!",
        "",
    ]);
    prop_oneof![
        prop::collection::vec(token, 0..24).prop_map(|tokens| tokens.join(" ")),
        "\\PC{0,40}",
    ]
}

fn is_validation<T>(result: notes_core::Result<T>) -> bool {
    matches!(result, Ok(_) | Err(Error::Validation { .. }))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn any_string_parses_or_fails_with_a_validation_error(expression in token_soup()) {
        let names = HashMap::from([
            ("#a".to_owned(), "a".to_owned()),
            ("#s".to_owned(), "status".to_owned()),
        ]);
        let values = HashMap::from([
            (":s".to_owned(), AttributeValue::S("x".to_owned())),
            (":n".to_owned(), AttributeValue::N("1".to_owned())),
            (":t".to_owned(), AttributeValue::S("SS".to_owned())),
        ]);
        let mut placeholders = Placeholders::new(&names, &values);
        prop_assert!(is_validation(parse_condition(&expression, &mut placeholders)));
        prop_assert!(is_validation(parse_key_condition(&expression, &mut placeholders)));
        prop_assert!(is_validation(parse_update(&expression, &mut placeholders)));
        prop_assert!(is_validation(parse_projection(&expression, &mut placeholders)));
        prop_assert!(is_validation(placeholders.finish()));
    }
}
