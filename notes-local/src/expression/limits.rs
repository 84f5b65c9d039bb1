//! DynamoDB's limits on expression parameters (the developer guide's "Constraints", expression
//! parameters): an expression string of at most 4 KB, and `ExpressionAttributeNames` /
//! `ExpressionAttributeValues` keys of at most 255 bytes each, both counted in UTF-8 bytes (the
//! guide's example: `#name` is 5 bytes).
//!
//! The messages are DynamoDB's parser's: a condition, filter or key condition over the size
//! says its size, an update or projection expression does not; a key over the size says its
//! size in `ExpressionAttributeNames` only.

use notes_core::{Error, Result};

/// The most bytes an expression string has.
pub(crate) const MAX_EXPRESSION_BYTES: usize = 4096;

/// The most bytes a placeholder (`#name`, `:value`) has.
pub(crate) const MAX_PLACEHOLDER_BYTES: usize = 255;

/// Refuses `expression`, the request parameter `label`, if it is over
/// [`MAX_EXPRESSION_BYTES`].
pub(crate) fn check_size(expression: &str, label: &str) -> Result<()> {
    let size = expression.len();
    if size <= MAX_EXPRESSION_BYTES {
        return Ok(());
    }
    let exceeded = "Expression size has exceeded the maximum allowed size;";
    Err(Error::validation(match label {
        "UpdateExpression" | "ProjectionExpression" => format!("Invalid {label}: {exceeded}"),
        _ => format!("Invalid {label}: {exceeded} expression size: {size}"),
    }))
}

/// Refuses the key `key` of the request's `map` (`ExpressionAttributeNames` or
/// `ExpressionAttributeValues`) if it is over [`MAX_PLACEHOLDER_BYTES`].
pub(crate) fn check_key(map: &str, key: &str) -> Result<()> {
    let size = key.len();
    if size <= MAX_PLACEHOLDER_BYTES {
        return Ok(());
    }
    let too_long = "The expression attribute map contains a key that is too long;";
    Err(Error::validation(match map {
        "ExpressionAttributeNames" => {
            format!("{map} contains invalid key: {too_long} size of key: {size}")
        }
        _ => format!("{map} contains invalid key: {too_long}"),
    }))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use notes_model::AttributeValue;

    use super::super::test_support::validation;
    use super::super::{
        Placeholders, parse_condition, parse_filter, parse_key_condition, parse_projection,
        parse_update,
    };
    use super::*;

    /// `prefix`, then `fill` repeated up to `bytes` bytes, then `suffix`.
    fn sized(prefix: &str, fill: char, suffix: &str, bytes: usize) -> String {
        let count = bytes - prefix.len() - suffix.len();
        format!("{prefix}{}{suffix}", fill.to_string().repeat(count))
    }

    fn values() -> HashMap<String, AttributeValue> {
        HashMap::from([(":v".to_owned(), AttributeValue::N("1".into()))])
    }

    #[test]
    fn an_update_expression_of_4096_bytes_parses_and_one_more_is_refused_without_its_size() {
        let (names, values) = (HashMap::new(), values());
        let at_limit = sized("SET ", 'a', " = :v", MAX_EXPRESSION_BYTES);
        assert_eq!(at_limit.len(), 4096);
        parse_update(&at_limit, &mut Placeholders::new(&names, &values)).unwrap();
        let over = sized("SET ", 'a', " = :v", MAX_EXPRESSION_BYTES + 1);
        assert_eq!(
            validation(parse_update(&over, &mut Placeholders::new(&names, &values))),
            "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;"
        );
    }

    #[test]
    fn a_projection_expression_over_4096_bytes_is_refused_without_its_size() {
        let (names, values) = (HashMap::new(), HashMap::new());
        let at_limit = sized("", 'a', "", MAX_EXPRESSION_BYTES);
        parse_projection(&at_limit, &mut Placeholders::new(&names, &values)).unwrap();
        let over = sized("", 'a', "", MAX_EXPRESSION_BYTES + 1);
        assert_eq!(
            validation(parse_projection(
                &over,
                &mut Placeholders::new(&names, &values)
            )),
            "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed \
             size;"
        );
    }

    #[test]
    fn conditions_filters_and_key_conditions_over_4096_bytes_say_their_size() {
        let (names, values) = (HashMap::new(), values());
        let at_limit = sized("a = :v", ' ', "", MAX_EXPRESSION_BYTES);
        let over = sized("a = :v", ' ', "", MAX_EXPRESSION_BYTES + 1);
        type Parse = fn(&str, &mut Placeholders<'_>) -> Result<()>;
        let parsers: [(&str, Parse); 3] = [
            ("ConditionExpression", |e, p| {
                parse_condition(e, p).map(drop)
            }),
            ("FilterExpression", |e, p| parse_filter(e, p).map(drop)),
            ("KeyConditionExpression", |e, p| {
                parse_key_condition(e, p).map(drop)
            }),
        ];
        for (label, parse) in parsers {
            parse(&at_limit, &mut Placeholders::new(&names, &values)).unwrap();
            assert_eq!(
                validation(parse(&over, &mut Placeholders::new(&names, &values))),
                format!(
                    "Invalid {label}: Expression size has exceeded the maximum allowed size; \
                     expression size: 4097"
                )
            );
        }
    }

    #[test]
    fn the_size_is_counted_in_utf8_bytes() {
        let (names, values) = (HashMap::new(), values());
        // 2,048 two-byte characters in a string of 2,054 characters: 4,102 bytes.
        let over = format!("a = :v{}", "\u{e9}".repeat(2048));
        assert_eq!(
            validation(parse_condition(
                &over,
                &mut Placeholders::new(&names, &values)
            )),
            "Invalid ConditionExpression: Expression size has exceeded the maximum allowed \
             size; expression size: 4102"
        );
    }

    #[test]
    fn a_name_placeholder_of_255_bytes_is_used_and_one_more_is_refused_with_its_size() {
        let values = values();
        let at_limit = sized("#", 'a', "", MAX_PLACEHOLDER_BYTES);
        let names = HashMap::from([(at_limit.clone(), "x".to_owned())]);
        let mut placeholders = Placeholders::new(&names, &values);
        parse_update(&format!("SET {at_limit} = :v"), &mut placeholders).unwrap();
        placeholders.finish().unwrap();
        let over = sized("#", 'a', "", MAX_PLACEHOLDER_BYTES + 1);
        let names = HashMap::from([(over.clone(), "x".to_owned())]);
        let mut placeholders = Placeholders::new(&names, &values);
        assert_eq!(
            validation(parse_update(&format!("SET {over} = :v"), &mut placeholders)),
            "ExpressionAttributeNames contains invalid key: The expression attribute map \
             contains a key that is too long; size of key: 256"
        );
    }

    #[test]
    fn a_value_placeholder_of_255_bytes_is_used_and_one_more_is_refused() {
        let names = HashMap::new();
        let at_limit = sized(":", 'v', "", MAX_PLACEHOLDER_BYTES);
        let values = HashMap::from([(at_limit.clone(), AttributeValue::N("1".into()))]);
        let mut placeholders = Placeholders::new(&names, &values);
        parse_condition(&format!("a = {at_limit}"), &mut placeholders).unwrap();
        placeholders.finish().unwrap();
        let over = sized(":", 'v', "", MAX_PLACEHOLDER_BYTES + 1);
        let values = HashMap::from([(over.clone(), AttributeValue::N("1".into()))]);
        let mut placeholders = Placeholders::new(&names, &values);
        // Checked before the expression is: its placeholder need not even be used.
        assert_eq!(
            validation(parse_condition("a = b", &mut placeholders)),
            "ExpressionAttributeValues contains invalid key: The expression attribute map \
             contains a key that is too long;"
        );
    }

    #[test]
    fn check_key_names_the_map() {
        let key = "#".repeat(300);
        assert_eq!(
            validation(check_key("ExpressionAttributeNames", &key)),
            "ExpressionAttributeNames contains invalid key: The expression attribute map \
             contains a key that is too long; size of key: 300"
        );
        assert!(check_key("ExpressionAttributeNames", "#ok").is_ok());
        assert!(check_size("a = b", "ConditionExpression").is_ok());
    }
}
