//! The `ExpressionAttributeNames` and `ExpressionAttributeValues` of one request, and which of
//! them its expressions used.

use std::collections::{BTreeSet, HashMap};

use notes_core::{Error, Result};
use notes_model::AttributeValue;

/// The placeholder maps of one request, shared by all its expressions: each parse looks
/// placeholders up here, and [`Placeholders::finish`] reports the ones no expression used, as
/// DynamoDB does for the request as a whole.
///
/// ```
/// use std::collections::HashMap;
/// use notes_model::AttributeValue;
/// use notes_local::expression::{Placeholders, parse_condition, parse_projection};
///
/// let names = HashMap::from([("#s".to_owned(), "status".to_owned())]);
/// let values = HashMap::from([(":open".to_owned(), AttributeValue::S("open".into()))]);
/// let mut placeholders = Placeholders::new(&names, &values);
/// parse_condition("#s = :open", &mut placeholders)?;
/// parse_projection("#s, content", &mut placeholders)?;
/// placeholders.finish()?;
/// # Ok::<(), notes_core::Error>(())
/// ```
#[derive(Debug)]
pub struct Placeholders<'a> {
    names: &'a HashMap<String, String>,
    values: &'a HashMap<String, AttributeValue>,
    used_names: BTreeSet<&'a str>,
    used_values: BTreeSet<&'a str>,
}

impl<'a> Placeholders<'a> {
    /// The request's `ExpressionAttributeNames` and `ExpressionAttributeValues` (empty maps
    /// when the request has none).
    pub fn new(
        names: &'a HashMap<String, String>,
        values: &'a HashMap<String, AttributeValue>,
    ) -> Self {
        Placeholders {
            names,
            values,
            used_names: BTreeSet::new(),
            used_values: BTreeSet::new(),
        }
    }

    /// Refuses a key over DynamoDB's 255 bytes, names first (the first of them in order, when
    /// several are).
    pub(super) fn check_keys(&self) -> Result<()> {
        let longest = |keys: Vec<&'a String>| {
            keys.into_iter()
                .filter(|key| key.len() > super::limits::MAX_PLACEHOLDER_BYTES)
                .min()
        };
        if let Some(key) = longest(self.names.keys().collect()) {
            super::limits::check_key("ExpressionAttributeNames", key)?;
        }
        if let Some(key) = longest(self.values.keys().collect()) {
            super::limits::check_key("ExpressionAttributeValues", key)?;
        }
        Ok(())
    }

    /// The attribute name behind `#placeholder`, marked used.
    pub(super) fn name(&mut self, placeholder: &str) -> Option<&'a str> {
        let (key, name) = self.names.get_key_value(placeholder)?;
        self.used_names.insert(key);
        Some(name)
    }

    /// The value behind `:placeholder`, marked used.
    pub(super) fn value(&mut self, placeholder: &str) -> Option<&'a AttributeValue> {
        let (key, value) = self.values.get_key_value(placeholder)?;
        self.used_values.insert(key);
        Some(value)
    }

    /// Fails with DynamoDB's message if a name or value was provided but no expression of the
    /// request used it (names are checked first; keys are listed sorted).
    pub fn finish(self) -> Result<()> {
        let unused = |keys: Vec<&String>| {
            let mut keys: Vec<&str> = keys.into_iter().map(String::as_str).collect();
            keys.sort_unstable();
            keys.join(", ")
        };
        let names: Vec<&String> = self
            .names
            .keys()
            .filter(|k| !self.used_names.contains(k.as_str()))
            .collect();
        if !names.is_empty() {
            return Err(Error::validation(format!(
                "Value provided in ExpressionAttributeNames unused in expressions: keys: {{{}}}",
                unused(names)
            )));
        }
        let values: Vec<&String> = self
            .values
            .keys()
            .filter(|k| !self.used_values.contains(k.as_str()))
            .collect();
        if !values.is_empty() {
            return Err(Error::validation(format!(
                "Value provided in ExpressionAttributeValues unused in expressions: keys: {{{}}}",
                unused(values)
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use notes_model::AttributeValue;

    use super::super::test_support::{s, validation};
    use super::super::{parse_condition, parse_projection, parse_update};
    use super::Placeholders;

    fn names(keys: &[&str]) -> HashMap<String, String> {
        keys.iter()
            .map(|k| ((*k).to_owned(), format!("name{k}")))
            .collect()
    }

    fn values(keys: &[&str]) -> HashMap<String, AttributeValue> {
        keys.iter().map(|k| ((*k).to_owned(), s(k))).collect()
    }

    #[test]
    fn placeholders_used_by_any_expression_of_the_request_count() {
        let (names, values) = (names(&["#a", "#b"]), values(&[":x", ":y"]));
        let mut placeholders = Placeholders::new(&names, &values);
        parse_update("SET #a = :x", &mut placeholders).unwrap();
        parse_condition("#b <> :y", &mut placeholders).unwrap();
        parse_projection("#a", &mut placeholders).unwrap();
        placeholders.finish().unwrap();
    }

    #[test]
    fn unused_names_are_reported_sorted() {
        let (names, values) = (names(&["#c", "#b", "#a"]), values(&[":x"]));
        let mut placeholders = Placeholders::new(&names, &values);
        parse_condition("#b = :x", &mut placeholders).unwrap();
        assert_eq!(
            validation(placeholders.finish()),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #c}"
        );
    }

    #[test]
    fn unused_values_are_reported() {
        let (names, values) = (names(&[]), values(&[":x", ":y"]));
        let mut placeholders = Placeholders::new(&names, &values);
        parse_condition("a = :x", &mut placeholders).unwrap();
        assert_eq!(
            validation(placeholders.finish()),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}"
        );
    }
}
