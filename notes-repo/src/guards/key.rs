//! A guard item's key, its item and the conditions on it, in the format
//! [`notes_model::unique`] documents.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use notes_core::number::Number;
use notes_core::validate::MAX_PARTITION_KEY_SIZE;
use notes_core::{Error, Result};
use notes_model::expr::{Comparator, Condition, Operand, Path};
use notes_model::unique::{OWNER_ATTRIBUTE, PREFIX, SORT_KEY};
use notes_model::{AttributeValue, ItemMap, KeySchema, describe_key, type_descriptor};

/// The guard of one value of one attribute: its key map, and the attribute it guards.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Guard {
    /// The attribute, by its stored name.
    pub(crate) attribute: &'static str,
    /// The guard's key in the table.
    pub(crate) key: ItemMap,
}

impl Guard {
    /// The guard of `value` of `attribute` in a table keyed by `schema`; `None` for `NULL`
    /// (no value, no guard). A value that is not a string, a number or binary, or too long for
    /// the key, is a validation error naming the attribute.
    pub(crate) fn of(
        schema: &KeySchema,
        scope: &str,
        attribute: &'static str,
        value: &AttributeValue,
    ) -> Result<Option<Guard>> {
        if !notes_model::unique::admits_guards(schema) {
            return Err(Error::validation(format!(
                "the #[unique] attribute `{attribute}` needs guard items keyed by strings, but \
                 the table's keys are {}",
                schema
                    .attributes()
                    .map(|a| format!("{} ({})", a.name, a.scalar_type))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let Some(text) = value_text(attribute, value)? else {
            return Ok(None);
        };
        let partition = partition_key(scope, attribute, &text)?;
        let mut key = ItemMap::from([(
            schema.partition_key.name.to_string(),
            AttributeValue::S(partition),
        )]);
        if let Some(sort) = &schema.sort_key {
            key.insert(
                sort.name.to_string(),
                AttributeValue::S(SORT_KEY.to_owned()),
            );
        }
        Ok(Some(Guard { attribute, key }))
    }

    /// The guard item, owned by the item with key `owner`.
    pub(crate) fn item(&self, owner: &ItemMap) -> ItemMap {
        let mut item = self.key.clone();
        item.insert(OWNER_ATTRIBUTE.to_owned(), AttributeValue::M(owner.clone()));
        item
    }
}

/// The text of a value in a guard's key: `S:` and the string, `N:` and the number as DynamoDB
/// answers it, `B:` and the bytes in base64; `None` for `NULL`.
pub(crate) fn value_text(attribute: &str, value: &AttributeValue) -> Result<Option<String>> {
    Ok(Some(match value {
        AttributeValue::S(s) => format!("S:{s}"),
        AttributeValue::N(n) => {
            let number = Number::parse(n).map_err(|err| {
                Error::validation(format!(
                    "the #[unique] attribute `{attribute}` holds an invalid number: {err}"
                ))
            })?;
            format!("N:{number}")
        }
        AttributeValue::B(bytes) => format!("B:{}", STANDARD.encode(bytes)),
        AttributeValue::Null(_) => return Ok(None),
        other => {
            return Err(Error::validation(format!(
                "the #[unique] attribute `{attribute}` holds a value of type {}: a unique \
                 attribute holds a string (S), a number (N) or binary (B)",
                type_descriptor(other)
            )));
        }
    }))
}

/// `_unique#<scope>#<attribute>#<value text>`, at most DynamoDB's 2048 bytes.
fn partition_key(scope: &str, attribute: &str, value: &str) -> Result<String> {
    let mut key =
        String::with_capacity(PREFIX.len() + scope.len() + attribute.len() + value.len() + 3);
    key.push_str(PREFIX);
    key.push('#');
    escape(scope, &mut key);
    key.push('#');
    escape(attribute, &mut key);
    key.push('#');
    key.push_str(value);
    if key.len() > MAX_PARTITION_KEY_SIZE {
        return Err(Error::validation(format!(
            "the value of the #[unique] attribute `{attribute}` is too long for its guard: the \
             guard's partition key would be {} bytes, and DynamoDB allows \
             {MAX_PARTITION_KEY_SIZE}",
            key.len()
        )));
    }
    Ok(key)
}

/// `component` with `\` written `\\` and `#` written `\#`: it then holds no bare `#`, so the
/// key's components cannot run into each other.
fn escape(component: &str, out: &mut String) {
    for c in component.chars() {
        if matches!(c, '\\' | '#') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The condition that the guard belongs to the item with key `owner`.
pub(crate) fn owned_by(owner: &ItemMap) -> Condition {
    owner
        .iter()
        .map(|(name, value)| {
            Condition::Compare(
                Operand::Path(Path::attribute(OWNER_ATTRIBUTE).key(name.clone())),
                Comparator::Eq,
                Operand::Value(value.clone()),
            )
        })
        .reduce(|a, b| a & b)
        .unwrap_or_else(|| Condition::Exists(Path::attribute(OWNER_ATTRIBUTE)))
}

/// The condition of every write of a guard: there is none, or it belongs to `owner` already
/// (writing it again, or releasing a value the item holds).
pub(crate) fn free_or_owned_by(schema: &KeySchema, owner: &ItemMap) -> Condition {
    Condition::NotExists(Path::attribute(schema.partition_key.name.clone())) | owned_by(owner)
}

/// Whether the stored guard names another item than `owner` (an item written before its
/// guards were holds the value too: its guard is not to be released by `owner`).
pub(crate) fn owned_by_another(guard: &ItemMap, owner: &ItemMap) -> bool {
    match guard.get(OWNER_ATTRIBUTE) {
        Some(AttributeValue::M(stored)) => stored != owner,
        _ => true,
    }
}

/// The key of the owner a stored guard names, for messages: `{userId: "u1"}`; `None` when the
/// item is not a guard.
pub(crate) fn owner_of(guard: &ItemMap, schema: &KeySchema) -> Option<String> {
    match guard.get(OWNER_ATTRIBUTE) {
        Some(AttributeValue::M(owner)) => Some(describe_key(owner, schema)),
        _ => None,
    }
}

/// Refuses the key (or item) of an item type with unique attributes whose partition key
/// starts with `_unique#`: such an item could take a guard's place.
pub(crate) fn check_not_reserved(map: &ItemMap, schema: &KeySchema, type_name: &str) -> Result<()> {
    match map.get(schema.partition_key.name.as_ref()) {
        Some(AttributeValue::S(key))
            if key
                .strip_prefix(PREFIX)
                .is_some_and(|rest| rest.starts_with('#')) =>
        {
            Err(Error::validation(format!(
                "the partition key of {type_name} starts with `{PREFIX}#`, which is reserved \
                 for the guard items of #[unique] attributes"
            )))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use notes_model::{AttributeValue, KeyAttribute, KeySchema, ScalarType};

    use super::*;

    fn schema(sort: bool) -> KeySchema {
        KeySchema {
            partition_key: KeyAttribute::new("pk", ScalarType::S),
            sort_key: sort.then(|| KeyAttribute::new("sk", ScalarType::S)),
        }
    }

    fn key(scope: &str, attribute: &'static str, value: AttributeValue) -> String {
        let guard = Guard::of(&schema(false), scope, attribute, &value)
            .unwrap()
            .unwrap();
        match &guard.key["pk"] {
            AttributeValue::S(key) => key.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.into())
    }

    fn n(v: &str) -> AttributeValue {
        AttributeValue::N(v.into())
    }

    #[test]
    fn numbers_are_keyed_as_dynamodb_compares_them() {
        for spelling in ["1", "1.0", "10E-1", "+1", "01", "1.000e0"] {
            assert_eq!(key("", "n", n(spelling)), "_unique##n#N:1", "{spelling}");
        }
        assert_eq!(key("", "n", n("-0")), key("", "n", n("0")));
        assert_eq!(key("", "n", n("1.5E3")), "_unique##n#N:1500");
        assert_ne!(key("", "n", n("1")), key("", "n", s("1")));
    }

    #[test]
    fn components_are_escaped_so_keys_never_collide() {
        assert_eq!(key("a#b", "c", s("d")), r"_unique#a\#b#c#S:d");
        assert_eq!(key("a", r"b\", s("d")), r"_unique#a#b\\#S:d");
        // Scope `a#b`, attribute `c` against scope `a`, attribute `b#c`.
        assert_ne!(key("a#b", "c", s("x")), key("a", "b#c", s("x")));
        assert_ne!(key(r"a\", "b", s("x")), key("a", r"\b", s("x")));
        assert_eq!(key("", "e", s("")), "_unique##e#S:");
        assert_eq!(key("", "e", s("#\\")), "_unique##e#S:#\\");
        assert_eq!(
            key("", "b", AttributeValue::B(vec![0, 255, 35])),
            "_unique##b#B:AP8j"
        );
    }

    /// Every scope, attribute and string value of up to two characters of `#`, `\`, `:`
    /// and `a`: no two triples share a key.
    #[test]
    fn no_two_scopes_attributes_and_values_share_a_key() {
        let alphabet = ['#', '\\', ':', 'a'];
        let mut strings = vec![String::new()];
        for c in alphabet {
            strings.push(c.to_string());
            for d in alphabet {
                strings.push(format!("{c}{d}"));
            }
        }
        let attributes: Vec<&'static str> = strings
            .iter()
            .map(|a| &*Box::leak(a.clone().into_boxed_str()))
            .collect();
        let mut seen = std::collections::HashMap::new();
        for scope in &strings {
            for &attribute in &attributes {
                for value in &strings {
                    let key = key(scope, attribute, s(value));
                    let triple = (scope.clone(), attribute, value.clone());
                    if let Some(other) = seen.insert(key.clone(), triple.clone()) {
                        panic!("{other:?} and {triple:?} share the key {key:?}");
                    }
                }
            }
        }
        assert_eq!(seen.len(), strings.len().pow(3));
    }

    #[test]
    fn null_has_no_guard_and_other_types_are_refused() {
        let null = Guard::of(&schema(true), "", "e", &AttributeValue::Null(true)).unwrap();
        assert_eq!(null, None);
        let list = Guard::of(&schema(true), "", "e", &AttributeValue::L(vec![])).unwrap_err();
        assert_eq!(
            list.to_string(),
            "validation error: the #[unique] attribute `e` holds a value of type L: a unique \
             attribute holds a string (S), a number (N) or binary (B)"
        );
        let guard = Guard::of(&schema(true), "", "e", &s("x")).unwrap().unwrap();
        assert_eq!(guard.key["sk"], s("_unique"));
    }

    #[test]
    fn a_key_of_2048_bytes_is_the_longest() {
        let longest = "x".repeat(2048 - "_unique##e#S:".len());
        assert_eq!(key("", "e", s(&longest)).len(), 2048);
        let err = Guard::of(&schema(false), "", "e", &s(&format!("{longest}x"))).unwrap_err();
        assert!(err.to_string().contains("would be 2049 bytes"), "{err}");
    }

    #[test]
    fn a_numeric_table_cannot_key_guards() {
        let numeric = KeySchema {
            partition_key: KeyAttribute::new("id", ScalarType::N),
            sort_key: None,
        };
        let err = Guard::of(&numeric, "", "e", &s("x")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "validation error: the #[unique] attribute `e` needs guard items keyed by strings, \
             but the table's keys are id (N)"
        );
    }

    #[test]
    fn only_keys_starting_with_the_prefix_and_a_separator_are_reserved() {
        let map = |v: &str| ItemMap::from([("pk".to_owned(), s(v))]);
        assert!(check_not_reserved(&map("_unique#x"), &schema(false), "User").is_err());
        assert!(check_not_reserved(&map("_unique"), &schema(false), "User").is_ok());
        assert!(check_not_reserved(&map("_uniquely"), &schema(false), "User").is_ok());
    }
}
