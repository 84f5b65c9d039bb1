//! Direct conversion between items and item maps, used by `#[derive(Item)]`.
//!
//! The derive writes `to_item` / `from_item` field by field. Plain field types (strings,
//! integers, floats, `bool` and `Option`s of them) are converted here without going through
//! serde; any other field type goes through serde_dynamo for that field alone, chosen at
//! compile time ([`Slot`]). The item maps are identical to serde_dynamo's, and so are the
//! errors: they name the attribute and the item's key (tested against the serde path below).
//!
//! Not a public API: the generated code calls it through `::notes_model::convert`.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{self, DeserializeOwned, Visitor};

use crate::error::Error;
use crate::key::{KeySchema, describe_key};
use crate::value::{AttributeValue, ItemMap};

/// A field conversion that failed: the attribute path below the field and serde_dynamo's
/// error.
#[derive(Debug)]
pub struct FieldError {
    /// The path inside the field's value, as serde_path_to_error writes it (`.` for the value
    /// itself).
    path: String,
    source: serde_dynamo::Error,
}

impl FieldError {
    fn at_value(source: serde_dynamo::Error) -> Self {
        FieldError {
            path: ".".to_owned(),
            source,
        }
    }
}

/// A plain field type written without serde, exactly as serde_dynamo writes it.
pub trait DirectEncode {
    /// The value as serde_dynamo would serialize it.
    fn encode(&self) -> AttributeValue;
}

/// A plain field type read without serde, exactly as serde_dynamo reads it.
pub trait DirectDecode: Sized {
    /// Reads the value, leaving `value` unchanged on error. It may take what it reads out of
    /// `value` (the map is dropped after a successful read).
    fn decode(value: &mut AttributeValue) -> Result<Self, serde_dynamo::Error>;

    /// Reads the value from a borrowed one, cloning what it keeps; the same value or error as
    /// [`decode`](DirectDecode::decode).
    fn decode_ref(value: &AttributeValue) -> Result<Self, serde_dynamo::Error>;

    /// The value of a missing attribute: `None` (an error) except for `Option`, as serde.
    fn missing() -> Option<Self> {
        None
    }
}

fn custom(message: &str) -> serde_dynamo::Error {
    <serde_dynamo::Error as de::Error>::custom(message)
}

impl DirectEncode for String {
    #[inline]
    fn encode(&self) -> AttributeValue {
        AttributeValue::S(self.clone())
    }
}

impl DirectDecode for String {
    #[inline]
    fn decode(value: &mut AttributeValue) -> Result<Self, serde_dynamo::Error> {
        match value {
            AttributeValue::S(s) => Ok(std::mem::take(s)),
            _ => Err(custom("Expected string")),
        }
    }

    #[inline]
    fn decode_ref(value: &AttributeValue) -> Result<Self, serde_dynamo::Error> {
        match value {
            AttributeValue::S(s) => Ok(s.clone()),
            _ => Err(custom("Expected string")),
        }
    }
}

impl DirectEncode for bool {
    #[inline]
    fn encode(&self) -> AttributeValue {
        AttributeValue::Bool(*self)
    }
}

impl DirectDecode for bool {
    #[inline]
    fn decode(value: &mut AttributeValue) -> Result<Self, serde_dynamo::Error> {
        Self::decode_ref(value)
    }

    #[inline]
    fn decode_ref(value: &AttributeValue) -> Result<Self, serde_dynamo::Error> {
        match value {
            AttributeValue::Bool(b) => Ok(*b),
            _ => Err(custom("Expected bool")),
        }
    }
}

/// Numbers: `N` with Rust's own formatting and parsing, as serde_dynamo.
macro_rules! numbers {
    ($what:literal: $($t:ty),*) => {$(
        impl DirectEncode for $t {
            #[inline]
            fn encode(&self) -> AttributeValue {
                AttributeValue::N(self.to_string())
            }
        }

        impl DirectDecode for $t {
            #[inline]
            fn decode(value: &mut AttributeValue) -> Result<Self, serde_dynamo::Error> {
                Self::decode_ref(value)
            }

            #[inline]
            fn decode_ref(value: &AttributeValue) -> Result<Self, serde_dynamo::Error> {
                match value {
                    AttributeValue::N(n) => n.parse::<$t>().map_err(|err| {
                        <serde_dynamo::Error as de::Error>::custom(format_args!(
                            concat!("Failed to parse '{}' as ", $what, ": {}"),
                            n, err
                        ))
                    }),
                    _ => Err(custom("Expected num")),
                }
            }
        }
    )*};
}
numbers!("an integer": i8, i16, i32, i64, u8, u16, u32, u64);
numbers!("a float": f32, f64);

impl<T: DirectEncode> DirectEncode for Option<T> {
    #[inline]
    fn encode(&self) -> AttributeValue {
        match self {
            Some(value) => value.encode(),
            None => AttributeValue::Null(true),
        }
    }
}

impl<T: DirectDecode> DirectDecode for Option<T> {
    #[inline]
    fn decode(value: &mut AttributeValue) -> Result<Self, serde_dynamo::Error> {
        match value {
            AttributeValue::Null(true) => Ok(None),
            other => T::decode(other).map(Some),
        }
    }

    #[inline]
    fn decode_ref(value: &AttributeValue) -> Result<Self, serde_dynamo::Error> {
        match value {
            AttributeValue::Null(true) => Ok(None),
            other => T::decode_ref(other).map(Some),
        }
    }

    fn missing() -> Option<Self> {
        Some(None)
    }
}

/// Chooses a field's conversion at compile time: `(&&Slot::<T>::new()).encode_field(..)`
/// resolves to [`EncodeDirect`] when `T: DirectEncode`, else to [`EncodeSerde`] (method
/// resolution tries `&Slot<T>` before `Slot<T>`); the same for decoding.
pub struct Slot<T: ?Sized>(PhantomData<fn() -> *const T>);

impl<T: ?Sized> Slot<T> {
    /// The slot of type `T`.
    #[inline]
    pub const fn new() -> Self {
        Slot(PhantomData)
    }
}

impl<T: ?Sized> Default for Slot<T> {
    fn default() -> Self {
        Slot::new()
    }
}

/// Writes a plain field directly.
pub trait EncodeDirect<T: ?Sized> {
    /// The field's attribute value.
    fn encode_field(&self, value: &T) -> Result<AttributeValue, FieldError>;
}

impl<T: DirectEncode + ?Sized> EncodeDirect<T> for &Slot<T> {
    #[inline]
    fn encode_field(&self, value: &T) -> Result<AttributeValue, FieldError> {
        Ok(value.encode())
    }
}

/// Writes any other field through serde_dynamo.
pub trait EncodeSerde<T: ?Sized> {
    /// The field's attribute value.
    fn encode_field(&self, value: &T) -> Result<AttributeValue, FieldError>;
}

impl<T: Serialize + ?Sized> EncodeSerde<T> for Slot<T> {
    fn encode_field(&self, value: &T) -> Result<AttributeValue, FieldError> {
        let mut track = serde_path_to_error::Track::new();
        let serializer = serde_path_to_error::Serializer::new(serde_dynamo::Serializer, &mut track);
        value.serialize(serializer).map_err(|source| FieldError {
            path: track.path().to_string(),
            source,
        })
    }
}

/// Reads a plain field directly.
pub trait DecodeDirect<T> {
    /// Reads the field's value (unchanged on error).
    fn decode_field(&self, value: &mut AttributeValue) -> Result<T, FieldError>;
    /// Reads the field's value from a borrowed one.
    fn decode_field_ref(&self, value: &AttributeValue) -> Result<T, FieldError>;
    /// The value of a missing attribute, or serde's "missing field" error.
    fn missing_field(&self, name: &'static str) -> Result<T, FieldError>;
}

impl<T: DirectDecode> DecodeDirect<T> for &Slot<T> {
    #[inline]
    fn decode_field(&self, value: &mut AttributeValue) -> Result<T, FieldError> {
        T::decode(value).map_err(FieldError::at_value)
    }

    #[inline]
    fn decode_field_ref(&self, value: &AttributeValue) -> Result<T, FieldError> {
        T::decode_ref(value).map_err(FieldError::at_value)
    }

    fn missing_field(&self, name: &'static str) -> Result<T, FieldError> {
        T::missing().ok_or_else(|| {
            FieldError::at_value(<serde_dynamo::Error as de::Error>::missing_field(name))
        })
    }
}

/// Reads any other field through serde_dynamo.
pub trait DecodeSerde<T> {
    /// Reads the field's value. On error the value is gone; the derive reads key fields in
    /// place ([`decode_field_ref`](Self::decode_field_ref)), so an error can still name the
    /// item's key.
    fn decode_field(&self, value: &mut AttributeValue) -> Result<T, FieldError>;
    /// Reads the field's value from a copy of a borrowed one (serde_dynamo reads owned
    /// values): only this field's value is cloned.
    fn decode_field_ref(&self, value: &AttributeValue) -> Result<T, FieldError>;
    /// The value of a missing attribute, or serde's "missing field" error.
    fn missing_field(&self, name: &'static str) -> Result<T, FieldError>;
}

impl<T: DeserializeOwned> DecodeSerde<T> for Slot<T> {
    fn decode_field(&self, value: &mut AttributeValue) -> Result<T, FieldError> {
        deserialize(std::mem::replace(value, AttributeValue::Null(true)))
    }

    fn decode_field_ref(&self, value: &AttributeValue) -> Result<T, FieldError> {
        deserialize(value.clone())
    }

    fn missing_field(&self, name: &'static str) -> Result<T, FieldError> {
        T::deserialize(Missing(name)).map_err(FieldError::at_value)
    }
}

/// Reads `value` as `T` through serde_dynamo, with the path inside it of any error.
fn deserialize<T: DeserializeOwned>(value: AttributeValue) -> Result<T, FieldError> {
    let deserializer = serde_dynamo::Deserializer::from_attribute_value(value);
    serde_path_to_error::deserialize(deserializer).map_err(|err| FieldError {
        path: err.path().to_string(),
        source: err.into_inner(),
    })
}

/// What serde's derive reads a missing field from: `None` for an `Option`, else the
/// "missing field" error.
struct Missing(&'static str);

impl<'de> de::Deserializer<'de> for Missing {
    type Error = serde_dynamo::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Reads the attributes of `item` that are not among `read` as serde does (it skips them
/// with `IgnoredAny`, which still parses numbers and rejects `NULL: false`), so that an
/// attribute serde would fail on fails here too. The derive calls it only when `item` has
/// more attributes than it read.
///
/// Returns the failing attribute's name and error.
#[cold]
pub fn check_ignored(item: &mut ItemMap, read: &[&str]) -> Result<(), (String, FieldError)> {
    for (name, value) in item.iter_mut() {
        if !read.contains(&name.as_str()) {
            let value = std::mem::replace(value, AttributeValue::Null(true));
            deserialize::<de::IgnoredAny>(value).map_err(|error| (name.clone(), error))?;
        }
    }
    Ok(())
}

/// [`check_ignored`] of a borrowed item: each attribute not among `read` is read from a copy.
#[cold]
pub fn check_ignored_ref(item: &ItemMap, read: &[&str]) -> Result<(), (String, FieldError)> {
    for (name, value) in item {
        if !read.contains(&name.as_str()) {
            deserialize::<de::IgnoredAny>(value.clone()).map_err(|error| (name.clone(), error))?;
        }
    }
    Ok(())
}

/// [`check_ignored`] of an item's name-value pairs (what `from_entries` reads).
#[cold]
pub fn check_ignored_entries(
    pairs: &mut [(String, AttributeValue)],
    read: &[&str],
) -> Result<(), (String, FieldError)> {
    for (name, value) in pairs {
        if !read.contains(&name.as_str()) {
            let value = std::mem::replace(value, AttributeValue::Null(true));
            deserialize::<de::IgnoredAny>(value).map_err(|error| (name.clone(), error))?;
        }
    }
    Ok(())
}

/// The path of a nested attribute: `tags`, `tags[0]`, `address.city`.
fn join(name: &str, path: &str) -> String {
    if path == "." {
        name.to_owned()
    } else if path.starts_with('[') {
        format!("{name}{path}")
    } else {
        format!("{name}.{path}")
    }
}

/// The error for a field of `T` that could not be written.
#[cold]
pub fn write_error<T: ?Sized>(name: &str, error: FieldError) -> Error {
    Error::Serialize {
        type_name: std::any::type_name::<T>(),
        attribute: join(name, &error.path),
        source: error.source,
    }
}

/// The error for an attribute of an item that could not be read as `T`; `name` is `None`
/// for an error about the item itself (a missing attribute), as serde reports it.
#[cold]
pub fn read_error<T: ?Sized>(
    item: &ItemMap,
    schema: &KeySchema,
    name: Option<&str>,
    error: FieldError,
) -> Error {
    Error::Deserialize {
        type_name: std::any::type_name::<T>(),
        attribute: match name {
            Some(name) => join(name, &error.path),
            None => error.path,
        },
        key: describe_key(item, schema),
        source: error.source,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde::{Deserialize, Serialize};

    use crate::{AttributeValue, Item, ItemMap, Note, from_item_map, to_item_map};

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_owned())
    }

    fn n(v: &str) -> AttributeValue {
        AttributeValue::N(v.to_owned())
    }

    /// `map`'s attributes as name-value pairs, in the map's order (so that a check of the
    /// ignored attributes meets them in the same order).
    fn entries(map: &ItemMap) -> Vec<(String, AttributeValue)> {
        map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }

    /// The generated conversion and the serde path agree on `value`, both ways.
    fn assert_same<T: Item + PartialEq + std::fmt::Debug>(value: &T) {
        let direct = value.to_item().unwrap();
        let serde = to_item_map(value).unwrap();
        assert_eq!(direct, serde);
        let direct = T::from_item(serde.clone()).unwrap();
        assert_eq!(T::from_item_ref(&serde).unwrap(), direct);
        assert_eq!(T::from_entries(entries(&serde)).unwrap(), direct);
        let via_serde: T = from_item_map(serde, &T::KEY_SCHEMA).unwrap();
        assert_eq!(direct, via_serde);
        assert_eq!(&direct, value);
    }

    /// Both paths read `map` the same way: the same value, or the same error; and so does the
    /// borrowed read of the generated conversion.
    fn assert_same_read<T: Item + PartialEq + std::fmt::Debug>(map: ItemMap) -> String {
        let borrowed = T::from_item_ref(&map);
        let direct = T::from_item(map.clone());
        assert_same_outcome(&direct, &borrowed);
        assert_same_outcome(&direct, &T::from_entries(entries(&map)));
        let shared = T::from_shared(crate::SharedItem::from_entries(entries(&map)));
        assert_same_outcome(&direct, &shared);
        assert_same_outcome(&direct, &from_item_map::<T>(map, &T::KEY_SCHEMA));
        direct.err().map(|err| err.to_string()).unwrap_or_default()
    }

    /// Two reads of the same map (`from_item` and `from_item_ref`, `from_entries` or the serde
    /// path) give the same value, or fail with the same variant, message, attribute and key.
    fn assert_same_outcome<T: PartialEq + std::fmt::Debug>(
        owned: &Result<T, crate::Error>,
        borrowed: &Result<T, crate::Error>,
    ) {
        match (owned, borrowed) {
            (Ok(owned), Ok(borrowed)) => assert_eq!(owned, borrowed),
            (Err(owned), Err(borrowed)) => {
                assert_eq!(owned.to_string(), borrowed.to_string());
                assert_eq!(
                    std::mem::discriminant(owned),
                    std::mem::discriminant(borrowed)
                );
                if let (
                    crate::Error::Deserialize {
                        attribute: a,
                        key: k,
                        ..
                    },
                    crate::Error::Deserialize {
                        attribute: b,
                        key: l,
                        ..
                    },
                ) = (owned, borrowed)
                {
                    assert_eq!((a, k), (b, l));
                }
            }
            other => panic!("owned and borrowed reads disagree: {other:?}"),
        }
    }

    fn note() -> Note {
        Note {
            user_id: "us-east-1:0d1b2c3a".to_owned(),
            note_id: "0190b3c0-8a1e-7cc3-9b7e-3a3c1b2d4e5f".to_owned(),
            content: "hello world".to_owned(),
            attachment: None,
            created_at: 1_718_000_000_123,
        }
    }

    #[test]
    fn note_converts_as_serde_does() {
        assert_same(&note());
        assert_same(&note().with_attachment("file.png"));
        assert_same(&Note {
            created_at: i64::MIN,
            content: String::new(),
            ..note()
        });
        for i in 0..200 {
            assert_same(&Note {
                user_id: format!("user-{i}"),
                note_id: format!("0190b3c0-8a1e-7cc3-9b7e-{i:012x}"),
                content: "é ✓ \u{0} \"quoted\"".repeat(i % 7),
                created_at: 1_718_000_000_000 + i as i64,
                ..note()
            });
        }
    }

    #[test]
    fn note_reads_what_the_serde_path_reads_and_fails_alike() {
        let good = note().with_attachment("a").to_item().unwrap();
        assert_same_read::<Note>(good.clone());

        let mut null_attachment = good.clone();
        null_attachment.insert("attachment".into(), AttributeValue::Null(true));
        assert_same_read::<Note>(null_attachment);

        let mut extra = good.clone();
        extra.insert("unknown".into(), AttributeValue::Bool(true));
        assert_same_read::<Note>(extra);

        let mut mistyped = good.clone();
        mistyped.insert("createdAt".into(), s("yesterday"));
        let err = assert_same_read::<Note>(mistyped);
        assert!(err.contains("attribute `createdAt`"), "{err}");
        assert!(err.contains(r#"userId: "us-east-1:0d1b2c3a""#), "{err}");

        let mut unparsable = good.clone();
        unparsable.insert("createdAt".into(), n("1.5"));
        assert_same_read::<Note>(unparsable);

        let mut missing = good.clone();
        missing.remove("content");
        let err = assert_same_read::<Note>(missing);
        assert!(err.contains("missing field `content`"), "{err}");

        // Key attributes: mistyped, missing; the other key attribute is still named.
        for key in ["userId", "noteId"] {
            let mut mistyped = good.clone();
            mistyped.insert(key.into(), n("7"));
            assert_same_read::<Note>(mistyped);
            let mut missing = good.clone();
            missing.remove(key);
            assert_same_read::<Note>(missing);
        }
        let mut both = good.clone();
        both.remove("content");
        both.insert("noteId".into(), AttributeValue::Bool(false));
        assert_same_read::<Note>(both);

        let mut null_content = good;
        null_content.insert("content".into(), AttributeValue::Null(true));
        assert_same_read::<Note>(null_content);
        assert_same_read::<Note>(ItemMap::new());
    }

    #[test]
    fn a_borrowed_read_fails_as_the_owned_read_does_and_leaves_the_map_alone() {
        let good = note().to_item().unwrap();
        let failing = [
            ("createdAt", s("yesterday"), "attribute `createdAt`"),
            ("noteId", n("7"), "attribute `noteId`"),
            ("unknown", n("not a number"), "attribute `unknown`"),
            (
                "attachment",
                AttributeValue::Null(false),
                "attribute `attachment`",
            ),
        ];
        for (name, value, named) in failing {
            let mut map = good.clone();
            map.insert(name.into(), value);
            let before = map.clone();
            let borrowed = Note::from_item_ref(&map);
            assert_eq!(map, before, "a borrowed read changes nothing");
            let err = borrowed.as_ref().unwrap_err().to_string();
            assert!(err.contains(named), "{err}");
            // The key is named whole: both key attributes, the failing one as stored.
            assert!(err.contains(r#"userId: "us-east-1:0d1b2c3a""#), "{err}");
            assert_same_outcome(&Note::from_entries(entries(&map)), &borrowed);
            assert_same_outcome(&Note::from_item(map), &borrowed);
        }
        let mut missing = good;
        missing.remove("content");
        let err = Note::from_item_ref(&missing).unwrap_err();
        assert!(matches!(err, crate::Error::Deserialize { .. }), "{err:?}");
        assert!(err.to_string().contains("missing field `content`"), "{err}");
        let from_entries = Note::from_entries(entries(&missing));
        assert_same_outcome(&from_entries, &Note::from_item(missing.clone()));
        assert_same_outcome(&Note::from_item(missing), &Err(err));
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
    #[item(crate = "crate", table = "things")]
    struct NumberKeys {
        #[partition_key]
        id: i64,
        #[sort_key]
        at: u32,
        name: String,
        score: Option<f64>,
    }

    /// A number key stored in a form other than DynamoDB's ("01", "+1", "-0", "007") is named
    /// as stored in every error, whichever path reads it, once the keys were read too: a missing
    /// field, a malformed number the type ignores, the other key of the wrong type.
    #[test]
    fn errors_name_number_keys_as_stored_on_every_path() {
        for text in ["01", "+1", "-0", "007"] {
            let key = || ItemMap::from([("id".to_owned(), n(text)), ("at".to_owned(), n("1"))]);
            let missing = key();
            let message = assert_same_read::<NumberKeys>(missing);
            assert!(
                message.contains(&format!("{{id: {text}, at: 1}}")),
                "{message}"
            );
            let mut ignored = key();
            ignored.insert("name".to_owned(), s("x"));
            ignored.insert("extra".to_owned(), n("not a number"));
            let message = assert_same_read::<NumberKeys>(ignored);
            assert!(message.contains(&format!("id: {text}")), "{message}");
            let mut wrong = key();
            wrong.insert("name".to_owned(), s("x"));
            wrong.insert("at".to_owned(), s("one"));
            let message = assert_same_read::<NumberKeys>(wrong);
            assert!(message.contains(&format!("id: {text}")), "{message}");
        }
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
    #[item(crate = "crate")]
    #[serde(rename_all = "camelCase")]
    struct Everything {
        #[partition_key]
        #[serde(rename = "PK")]
        tenant: String,
        #[sort_key]
        order_number: u64,
        text: String,
        small: i8,
        short: i16,
        int: i32,
        long: i64,
        ubyte: u8,
        ushort: u16,
        uint: u32,
        single: f32,
        double: f64,
        flag: bool,
        maybe_text: Option<String>,
        maybe_long: Option<i64>,
        maybe_flag: Option<bool>,
        maybe_maybe: Option<Option<String>>,
        #[serde(skip_serializing_if = "Option::is_none")]
        sparse: Option<f64>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        tags: Vec<String>,
        bytes: Vec<u8>,
        numbers: Vec<i64>,
        letter: char,
        nested: Nested,
        choice: Choice,
        map: HashMap<String, u32>,
        #[serde(default = "forty_two")]
        answer: u32,
        #[serde(skip)]
        cache: Option<String>,
        #[serde(skip_serializing, default)]
        write_only_never: i32,
        #[serde(skip_deserializing)]
        read_never: u16,
    }

    fn forty_two() -> u32 {
        42
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Nested {
        city: String,
        zip: Option<u32>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    enum Choice {
        Plain,
        Tuple(i32, String),
        Struct { x: f64 },
    }

    fn everything(i: u64) -> Everything {
        Everything {
            tenant: format!("tenant-{i}"),
            order_number: u64::MAX - i,
            text: "text".repeat(i as usize % 3),
            small: i8::MIN,
            short: -300,
            int: i32::MAX,
            long: -(i as i64),
            ubyte: u8::MAX,
            ushort: 65_000,
            uint: 7,
            single: 0.1 + i as f32,
            double: [0.1, -0.0, 1e300, 5e-324, 1.0 / 3.0, f64::MAX][i as usize % 6],
            flag: i.is_multiple_of(2),
            maybe_text: i.is_multiple_of(2).then(|| format!("t{i}")),
            maybe_long: i.is_multiple_of(3).then_some(i64::MAX),
            maybe_flag: (!i.is_multiple_of(5)).then_some(false),
            // `Some(None)` is written as NULL and reads back as `None`, on both paths.
            maybe_maybe: i.is_multiple_of(2).then(|| Some("x".to_owned())),
            sparse: (i % 2 == 1).then_some(2.5),
            tags: (0..i % 3).map(|t| format!("tag{t}")).collect(),
            bytes: vec![0, 1, 255],
            numbers: vec![-1, 0, 1],
            letter: 'é',
            nested: Nested {
                city: "Oslo".into(),
                zip: i.is_multiple_of(2).then_some(150),
            },
            choice: [
                Choice::Plain,
                Choice::Tuple(-1, "a".into()),
                Choice::Struct { x: 0.5 },
            ][i as usize % 3]
                .clone(),
            map: HashMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)]),
            answer: 9,
            cache: None,
            write_only_never: 0,
            read_never: 0,
        }
    }

    #[test]
    fn every_supported_field_type_converts_as_serde_does() {
        for i in 0..30 {
            assert_same(&everything(i));
        }
        let map = everything(1).to_item().unwrap();
        assert_eq!(map["PK"], s("tenant-1"));
        assert_eq!(map["orderNumber"], n(&(u64::MAX - 1).to_string()));
        assert!(!map.contains_key("sparse") || map["sparse"] == n("2.5"));
        assert!(!map.contains_key("cache") && !map.contains_key("writeOnlyNever"));

        let mut null_in_null = everything(1);
        null_in_null.maybe_maybe = Some(None);
        let map = null_in_null.to_item().unwrap();
        assert_eq!(map, to_item_map(&null_in_null).unwrap());
        assert_eq!(map["maybeMaybe"], AttributeValue::Null(true));
        assert_same_read::<Everything>(map);
    }

    #[test]
    fn skipped_and_defaulted_fields_read_as_serde_reads_them() {
        let mut map = everything(2).to_item().unwrap();
        map.insert("cache".into(), s("ignored"));
        map.insert("readNever".into(), n("5"));
        map.insert("writeOnlyNever".into(), n("-5"));
        map.remove("answer");
        map.remove("tags");
        assert_same_read::<Everything>(map.clone());
        let read = Everything::from_item(map).unwrap();
        assert_eq!(
            (read.answer, read.read_never, read.write_only_never),
            (42, 0, -5)
        );
        assert_eq!(read.cache, None);
    }

    #[test]
    fn mistyped_attributes_of_every_type_fail_as_serde_fails() {
        let good = everything(4).to_item().unwrap();
        let wrong = [
            s("x"),
            n("x"),
            n("1.5"),
            n("-1"),
            n("1e400"),
            n("300"),
            AttributeValue::Bool(true),
            AttributeValue::Null(true),
            AttributeValue::Null(false),
            AttributeValue::L(vec![n("1"), s("two")]),
            AttributeValue::M(ItemMap::from([("city".to_owned(), n("1"))])),
            AttributeValue::B(vec![1]),
            AttributeValue::Ss(vec!["a".into()]),
        ];
        let mut errors = 0;
        for name in good.keys() {
            for value in &wrong {
                let mut map = good.clone();
                map.insert(name.clone(), value.clone());
                if !assert_same_read::<Everything>(map).is_empty() {
                    errors += 1;
                }
            }
            let mut missing = good.clone();
            missing.remove(name);
            assert_same_read::<Everything>(missing);
        }
        assert!(errors > 100, "{errors}");
    }

    #[test]
    fn nested_errors_name_the_nested_attribute() {
        let mut map = everything(0).to_item().unwrap();
        map.insert("numbers".into(), AttributeValue::L(vec![n("1"), s("two")]));
        let err = assert_same_read::<Everything>(map);
        assert!(err.contains("attribute `numbers[1]`"), "{err}");
        let mut map = everything(0).to_item().unwrap();
        map.insert(
            "nested".into(),
            AttributeValue::M(ItemMap::from([("city".to_owned(), n("1"))])),
        );
        let err = assert_same_read::<Everything>(map);
        assert!(err.contains("attribute `nested.city`"), "{err}");
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
    #[item(crate = "crate")]
    struct Unwritable {
        #[partition_key]
        id: String,
        huge: Vec<u128>,
    }

    #[test]
    fn write_errors_name_the_attribute_as_serde_does() {
        let item = Unwritable {
            id: "a".into(),
            huge: vec![1],
        };
        let direct = item.to_item().unwrap_err().to_string();
        let serde = to_item_map(&item).unwrap_err().to_string();
        assert_eq!(direct, serde);
        assert!(direct.contains("attribute `huge[0]`"), "{direct}");
    }

    /// Serde attributes that change the encoding keep the whole item on the serde path.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
    #[item(crate = "crate")]
    #[serde(rename_all = "camelCase")]
    struct Custom {
        #[partition_key]
        user_id: String,
        #[serde(with = "serde_bytes")]
        blob: Vec<u8>,
        #[serde(serialize_with = "as_text", deserialize_with = "from_text")]
        count: u32,
        #[serde(flatten)]
        extra: Nested,
        #[serde(alias = "legacyName")]
        name: String,
    }

    fn as_text<S: serde::Serializer>(v: &u32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    fn from_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
    #[item(crate = "crate")]
    #[serde(deny_unknown_fields)]
    struct Strict {
        #[partition_key]
        id: String,
        value: i64,
    }

    #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, Item)]
    #[item(crate = "crate")]
    #[serde(default)]
    struct Defaults {
        #[partition_key]
        id: String,
        value: i64,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
    #[item(crate = "crate")]
    #[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
    struct Asymmetric {
        #[partition_key]
        #[serde(rename = "id")]
        id: String,
        some_value: i64,
    }

    #[test]
    fn encoding_serde_attributes_keep_the_serde_path() {
        let custom = Custom {
            user_id: "u".into(),
            blob: vec![1, 2],
            count: 3,
            extra: Nested {
                city: "c".into(),
                zip: None,
            },
            name: "n".into(),
        };
        assert_same(&custom);
        let map = custom.to_item().unwrap();
        assert_eq!(map["blob"], AttributeValue::B(vec![1, 2]));
        assert_eq!(map["count"], s("3"));
        assert_eq!(map["city"], s("c"));
        let mut legacy = map.clone();
        let name = legacy.remove("name").unwrap();
        legacy.insert("legacyName".into(), name);
        assert_eq!(Custom::from_item(legacy).unwrap(), custom);

        let strict = Strict {
            id: "a".into(),
            value: 1,
        };
        assert_same(&strict);
        let mut unknown = strict.to_item().unwrap();
        unknown.insert("other".into(), n("1"));
        let err = Strict::from_item(unknown.clone()).unwrap_err();
        assert!(matches!(err, crate::Error::Deserialize { .. }), "{err:?}");
        assert_same_read::<Strict>(unknown);

        let partial = ItemMap::from([("id".to_owned(), s("a"))]);
        assert_eq!(Defaults::from_item(partial).unwrap().value, 0);

        let asymmetric = Asymmetric {
            id: "a".into(),
            some_value: 5,
        };
        assert!(asymmetric.to_item().unwrap().contains_key("someValue"));
        let snake = ItemMap::from([("id".to_owned(), s("a")), ("some_value".to_owned(), n("5"))]);
        assert_eq!(Asymmetric::from_item(snake).unwrap(), asymmetric);
    }
}
