//! Key schemas and the types that can be DynamoDB keys.

use std::borrow::Cow;
use std::fmt::Debug;

use crate::const_str::{same_str, static_name};
use crate::error::Error;
use crate::value::{AttributeValue, ItemMap, ScalarType, type_descriptor};

/// One attribute of a key schema: its name and scalar type.
///
/// ```
/// use notes_model::{KeyAttribute, ScalarType};
///
/// let user_id = KeyAttribute::new("userId", ScalarType::S);
/// assert_eq!(user_id.name, "userId");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyAttribute {
    /// The attribute name, exactly as it is stored in the item.
    pub name: Cow<'static, str>,
    /// The attribute's scalar type.
    pub scalar_type: ScalarType,
}

impl KeyAttribute {
    /// A key attribute with a static name.
    ///
    /// ```
    /// let note_id = notes_model::KeyAttribute::new("noteId", notes_model::ScalarType::S);
    /// assert_eq!(note_id.scalar_type, notes_model::ScalarType::S);
    /// ```
    pub const fn new(name: &'static str, scalar_type: ScalarType) -> Self {
        KeyAttribute {
            name: Cow::Borrowed(name),
            scalar_type,
        }
    }
}

/// A table's (or index's) primary key: a partition key and an optional sort key.
///
/// `#[derive(Item)]` fills it in as [`Item::KEY_SCHEMA`](crate::Item::KEY_SCHEMA):
///
/// ```
/// use notes_model::{Item, Note, ScalarType};
///
/// let schema = Note::KEY_SCHEMA;
/// assert_eq!(schema.partition_key.name, "userId");
/// assert_eq!(schema.sort_key.unwrap().scalar_type, ScalarType::S);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeySchema {
    /// The partition (HASH) key.
    pub partition_key: KeyAttribute,
    /// The sort (RANGE) key, if the table has one.
    pub sort_key: Option<KeyAttribute>,
}

impl KeySchema {
    /// The key attributes, partition key first.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// let names: Vec<_> = Note::KEY_SCHEMA.attributes().map(|a| a.name.clone()).collect();
    /// assert_eq!(names, ["userId", "noteId"]);
    /// ```
    pub fn attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        std::iter::once(&self.partition_key).chain(self.sort_key.as_ref())
    }

    /// Whether `name` is one of the key's attributes.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// assert!(Note::KEY_SCHEMA.is_key_attribute("noteId"));
    /// assert!(!Note::KEY_SCHEMA.is_key_attribute("content"));
    /// ```
    pub fn is_key_attribute(&self, name: &str) -> bool {
        self.attributes().any(|a| a.name == name)
    }

    /// The key part of `item`: only the key attributes, checked for presence and type.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// let note = Note {
    ///     user_id: "u1".into(),
    ///     note_id: "n1".into(),
    ///     content: "hello".into(),
    ///     attachment: None,
    ///     created_at: 1_718_000_000_000,
    /// };
    /// let key = Note::KEY_SCHEMA.extract_key(&note.to_item()?)?;
    /// assert_eq!(key.len(), 2);
    /// # Ok::<(), notes_model::Error>(())
    /// ```
    pub fn extract_key(&self, item: &ItemMap) -> Result<ItemMap, Error> {
        self.attributes()
            .map(|attribute| {
                let value = attribute.check(item.get(attribute.name.as_ref()))?;
                Ok((attribute.name.to_string(), value.clone()))
            })
            .collect()
    }
}

/// Formats an item's key attributes, by their stored names, for messages:
/// `{userId: "u1", noteId: "n1"}`.
///
/// ```
/// use notes_model::{Item, Note, NoteKey, PrimaryKey, describe_key};
///
/// let key = NoteKey::new("u1", "n1").to_key_map();
/// assert_eq!(describe_key(&key, &Note::KEY_SCHEMA), r#"{userId: "u1", noteId: "n1"}"#);
/// ```
pub fn describe_key(item: &ItemMap, schema: &KeySchema) -> String {
    let parts: Vec<String> = schema
        .attributes()
        .map(|attribute| match item.get(attribute.name.as_ref()) {
            Some(AttributeValue::S(s)) => format!("{}: {s:?}", attribute.name),
            Some(AttributeValue::N(n)) => format!("{}: {n}", attribute.name),
            Some(AttributeValue::B(b)) => format!("{}: <{} bytes>", attribute.name, b.len()),
            Some(other) => format!("{}: <{}>", attribute.name, type_descriptor(other)),
            None => format!("{}: <missing>", attribute.name),
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// Whether two key schemas name the same attributes with the same types, in a const context.
pub(crate) const fn same_keys(a: &KeySchema, b: &KeySchema) -> bool {
    if !same_attribute(&a.partition_key, &b.partition_key) {
        return false;
    }
    match (&a.sort_key, &b.sort_key) {
        (Some(a), Some(b)) => same_attribute(a, b),
        (None, None) => true,
        _ => false,
    }
}

/// Whether two key attributes have the same name and type, in a const context.
pub(crate) const fn same_attribute(a: &KeyAttribute, b: &KeyAttribute) -> bool {
    same_str(static_name(&a.name), static_name(&b.name))
        && a.scalar_type as u8 == b.scalar_type as u8
}

impl KeyAttribute {
    /// Checks that `value` is present and of this attribute's scalar type.
    ///
    /// ```
    /// use notes_model::{AttributeValue, KeyAttribute, ScalarType};
    ///
    /// let id = KeyAttribute::new("noteId", ScalarType::S);
    /// assert!(id.check(Some(&AttributeValue::S("n1".into()))).is_ok());
    /// let wrong_type = id.check(Some(&AttributeValue::N("1".into()))).unwrap_err();
    /// assert!(matches!(wrong_type, notes_model::Error::KeyAttribute { found: Some("N"), .. }));
    /// let missing = id.check(None).unwrap_err();
    /// assert!(matches!(missing, notes_model::Error::KeyAttribute { found: None, .. }));
    /// ```
    pub fn check<'a>(
        &self,
        value: Option<&'a AttributeValue>,
    ) -> Result<&'a AttributeValue, Error> {
        match value {
            Some(v) if ScalarType::of(v) == Some(self.scalar_type) => Ok(v),
            other => Err(self.mismatch(other)),
        }
    }

    pub(crate) fn mismatch(&self, found: Option<&AttributeValue>) -> Error {
        Error::KeyAttribute {
            attribute: self.name.to_string(),
            expected: self.scalar_type,
            found: found.map(type_descriptor),
        }
    }
}

/// A Rust type that can be a DynamoDB key attribute: a string (`S`), a number (`N`) or bytes (`B`).
///
/// ```
/// use notes_model::{AttributeValue, KeyValue, ScalarType};
///
/// assert_eq!(<u64 as KeyValue>::SCALAR_TYPE, ScalarType::N);
/// assert_eq!(42u64.to_attribute_value(), AttributeValue::N("42".into()));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB key attribute",
    label = "not a key type",
    note = "DynamoDB keys are scalars: String (S), an integer or float type (N), or Vec<u8> (B); \
            uuid::Uuid with the `uuid` feature"
)]
pub trait KeyValue: Clone + Debug + PartialEq + Send + Sync + 'static {
    /// The scalar type this Rust type is stored as.
    const SCALAR_TYPE: ScalarType;

    /// The value as a DynamoDB attribute value.
    fn to_attribute_value(&self) -> AttributeValue;

    /// Reads the value back from a DynamoDB attribute value; `None` when it does not fit.
    fn from_attribute_value(value: &AttributeValue) -> Option<Self>;

    /// Checks that the value can be sent as a key: a key rendered from a template refuses a
    /// `String` component that holds a separator of the template ([`Error::KeyComponent`]).
    /// Every other value can.
    ///
    /// ```
    /// use notes_model::KeyValue;
    ///
    /// assert!("a#b".to_owned().check_key().is_ok());
    /// ```
    fn check_key(&self) -> Result<(), Error> {
        Ok(())
    }
}

/// A key type whose sort-key conditions may use `begins_with` (strings and binary). `T` names
/// the item type queried, in errors.
///
/// ```
/// fn takes_prefix<K: notes_model::PrefixKey>() {}
/// takes_prefix::<String>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`sort_key_begins_with` needs a string or binary sort key; the sort key of this `{T}` query is `{Self}`",
    label = "a `{Self}` sort key has no prefix",
    note = "`begins_with` applies to String (S) and Vec<u8> (B) sort keys; compare numeric sort keys with `sort_key_lt`, `sort_key_gt` or `sort_key_between`"
)]
pub trait PrefixKey<T = ()>: KeyValue {}

impl KeyValue for String {
    const SCALAR_TYPE: ScalarType = ScalarType::S;
    fn to_attribute_value(&self) -> AttributeValue {
        AttributeValue::S(self.clone())
    }
    fn from_attribute_value(value: &AttributeValue) -> Option<Self> {
        match value {
            AttributeValue::S(s) => Some(s.clone()),
            _ => None,
        }
    }
}
impl<T> PrefixKey<T> for String {}

impl KeyValue for Vec<u8> {
    const SCALAR_TYPE: ScalarType = ScalarType::B;
    fn to_attribute_value(&self) -> AttributeValue {
        AttributeValue::B(self.clone())
    }
    fn from_attribute_value(value: &AttributeValue) -> Option<Self> {
        match value {
            AttributeValue::B(b) => Some(b.clone()),
            _ => None,
        }
    }
}
impl<T> PrefixKey<T> for Vec<u8> {}

#[cfg(feature = "uuid")]
#[cfg_attr(docsrs, doc(cfg(feature = "uuid")))]
impl KeyValue for uuid::Uuid {
    const SCALAR_TYPE: ScalarType = ScalarType::S;
    fn to_attribute_value(&self) -> AttributeValue {
        AttributeValue::S(self.hyphenated().to_string())
    }
    fn from_attribute_value(value: &AttributeValue) -> Option<Self> {
        match value {
            AttributeValue::S(s) => s.parse().ok(),
            _ => None,
        }
    }
}

macro_rules! number_keys {
    ($($t:ty),*) => {$(
        impl KeyValue for $t {
            const SCALAR_TYPE: ScalarType = ScalarType::N;
            fn to_attribute_value(&self) -> AttributeValue {
                AttributeValue::N(self.to_string())
            }
            fn from_attribute_value(value: &AttributeValue) -> Option<Self> {
                match value {
                    AttributeValue::N(n) => n.parse().ok(),
                    _ => None,
                }
            }
        }
    )*};
}
number_keys!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize, f32, f64);

/// The sort-key slot of a key: any [`KeyValue`], or [`NoSortKey`] for a partition-only table.
///
/// ```
/// use notes_model::{NoSortKey, SortKeyValue};
///
/// assert_eq!(<NoSortKey as SortKeyValue>::SCALAR_TYPE, None);
/// assert!(<String as SortKeyValue>::SCALAR_TYPE.is_some());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB sort key",
    label = "not a key type",
    note = "DynamoDB keys are scalars: String (S), an integer or float type (N), or Vec<u8> (B)"
)]
pub trait SortKeyValue: Clone + Debug + PartialEq + Send + Sync + 'static {
    /// The scalar type, or `None` when there is no sort key.
    const SCALAR_TYPE: Option<ScalarType>;
    /// The value as an attribute value, or `None` when there is no sort key.
    fn to_sort_attribute(&self) -> Option<AttributeValue>;
    /// Reads the value from the item's sort-key attribute (absent for [`NoSortKey`]).
    fn from_sort_attribute(value: Option<&AttributeValue>) -> Option<Self>;

    /// [`KeyValue::check_key`] of the sort key (nothing to check for [`NoSortKey`]).
    fn check_sort_key(&self) -> Result<(), Error> {
        Ok(())
    }
}

impl<K: KeyValue> SortKeyValue for K {
    const SCALAR_TYPE: Option<ScalarType> = Some(K::SCALAR_TYPE);
    fn to_sort_attribute(&self) -> Option<AttributeValue> {
        Some(self.to_attribute_value())
    }
    fn from_sort_attribute(value: Option<&AttributeValue>) -> Option<Self> {
        value.and_then(K::from_attribute_value)
    }
    #[inline]
    fn check_sort_key(&self) -> Result<(), Error> {
        self.check_key()
    }
}

/// The sort key of an item type whose table has none.
///
/// It implements no [`KeyValue`], so sort-key conditions do not exist for such a table.
///
/// ```
/// use notes_model::{NoSortKey, SortKeyValue};
///
/// assert_eq!(NoSortKey.to_sort_attribute(), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NoSortKey;

impl SortKeyValue for NoSortKey {
    const SCALAR_TYPE: Option<ScalarType> = None;
    fn to_sort_attribute(&self) -> Option<AttributeValue> {
        None
    }
    fn from_sort_attribute(_: Option<&AttributeValue>) -> Option<Self> {
        Some(NoSortKey)
    }
}
