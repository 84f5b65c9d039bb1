//! Raw DynamoDB values: the attribute value type and the three key scalar types.

use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// One DynamoDB attribute value (`S`, `N`, `B`, `BOOL`, `NULL`, `M`, `L`, `SS`, `NS`, `BS`).
///
/// This is `serde_dynamo`'s value type, so every backend and the serde conversion share it.
///
/// ```
/// use notes_model::AttributeValue;
///
/// let user = AttributeValue::S("u1".to_owned());
/// assert_eq!(user, AttributeValue::S("u1".into()));
/// ```
pub use serde_dynamo::AttributeValue;

/// A raw DynamoDB item: attribute names to values, as the AWS SDKs send and receive it.
///
/// ```
/// use notes_model::{AttributeValue, ItemMap};
///
/// let mut item = ItemMap::new();
/// item.insert("userId".to_owned(), AttributeValue::S("u1".to_owned()));
/// assert_eq!(item.len(), 1);
/// ```
pub type ItemMap = HashMap<String, AttributeValue>;

/// An item map a read answer shares with the store it was read from: returning it copies
/// nothing, and it reads as an [`ItemMap`] (it derefs to one and compares equal to one).
///
/// `Query`, `Scan`, `GetItem`, `BatchGetItem` and `TransactGetItems` answer with these, so an
/// embedded engine hands out its stored images instead of cloning them.
/// [`into_owned`](SharedItem::into_owned) gives an `ItemMap` to keep and change, cloning
/// only when the store still holds the image.
///
/// ```
/// use notes_model::{AttributeValue, ItemMap, SharedItem};
///
/// let map = ItemMap::from([("userId".to_owned(), AttributeValue::S("u1".into()))]);
/// let shared = SharedItem::from(map.clone());
/// assert_eq!(shared["userId"], AttributeValue::S("u1".into())); // reads as the map
/// assert_eq!(shared, map);
/// let kept = shared.clone(); // a reference count, not a copy
/// let mut owned: ItemMap = shared.into_owned(); // clones: `kept` still shares it
/// owned.remove("userId");
/// assert_eq!(kept.len(), 1);
/// assert_eq!(kept.into_owned(), map); // moves: the last one
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct SharedItem(Arc<ItemMap>);

impl SharedItem {
    /// Shares `item`.
    ///
    /// ```
    /// use notes_model::{ItemMap, SharedItem};
    /// assert!(SharedItem::new(ItemMap::new()).is_empty());
    /// ```
    pub fn new(item: ItemMap) -> Self {
        SharedItem(Arc::new(item))
    }

    /// The item map, moved out when nothing else shares it, cloned otherwise.
    ///
    /// ```
    /// use notes_model::{ItemMap, SharedItem};
    /// let owned: ItemMap = SharedItem::new(ItemMap::new()).into_owned();
    /// assert!(owned.is_empty());
    /// ```
    pub fn into_owned(self) -> ItemMap {
        Arc::unwrap_or_clone(self.0)
    }

    /// The item map when nothing else shares it, else `self` back: the caller can then read
    /// it in place instead of cloning it.
    ///
    /// ```
    /// use notes_model::{ItemMap, SharedItem};
    /// let shared = SharedItem::new(ItemMap::new());
    /// let kept = shared.clone();
    /// let shared = shared.try_unwrap().unwrap_err(); // `kept` shares it
    /// drop(kept);
    /// assert!(shared.try_unwrap().is_ok());
    /// ```
    pub fn try_unwrap(self) -> Result<ItemMap, SharedItem> {
        Arc::try_unwrap(self.0).map_err(SharedItem)
    }

    /// The item map to change in place, cloned first if something else shares it.
    ///
    /// ```
    /// use notes_model::{AttributeValue, ItemMap, SharedItem};
    /// let mut item = SharedItem::new(ItemMap::new());
    /// item.make_mut().insert("n".to_owned(), AttributeValue::N("1".into()));
    /// assert_eq!(item.len(), 1);
    /// ```
    pub fn make_mut(&mut self) -> &mut ItemMap {
        Arc::make_mut(&mut self.0)
    }
}

impl Deref for SharedItem {
    type Target = ItemMap;

    fn deref(&self) -> &ItemMap {
        &self.0
    }
}

impl AsRef<ItemMap> for SharedItem {
    fn as_ref(&self) -> &ItemMap {
        &self.0
    }
}

impl std::borrow::Borrow<ItemMap> for SharedItem {
    fn borrow(&self) -> &ItemMap {
        &self.0
    }
}

impl fmt::Debug for SharedItem {
    /// As the item map.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl serde::Serialize for SharedItem {
    /// As the item map (DynamoDB JSON with `serde_json`).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl From<ItemMap> for SharedItem {
    fn from(item: ItemMap) -> Self {
        SharedItem::new(item)
    }
}

impl From<Arc<ItemMap>> for SharedItem {
    fn from(item: Arc<ItemMap>) -> Self {
        SharedItem(item)
    }
}

impl From<SharedItem> for ItemMap {
    fn from(item: SharedItem) -> Self {
        item.into_owned()
    }
}

impl From<SharedItem> for Arc<ItemMap> {
    fn from(item: SharedItem) -> Self {
        item.0
    }
}

impl FromIterator<(String, AttributeValue)> for SharedItem {
    fn from_iter<I: IntoIterator<Item = (String, AttributeValue)>>(iter: I) -> Self {
        SharedItem::new(iter.into_iter().collect())
    }
}

// Not the reverse (`ItemMap == SharedItem`): a second impl for `ItemMap` would leave
// `Vec<ItemMap> == []` without a type to infer.
impl PartialEq<ItemMap> for SharedItem {
    fn eq(&self, other: &ItemMap) -> bool {
        *self.0 == *other
    }
}

/// The scalar type of a key attribute, as DynamoDB names it in a key schema.
///
/// ```
/// use notes_model::ScalarType;
///
/// assert_eq!(ScalarType::S.to_string(), "S");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScalarType {
    /// A string, compared by its UTF-8 bytes.
    S,
    /// A number, compared numerically.
    N,
    /// Binary data, compared as unsigned bytes.
    B,
}

impl ScalarType {
    /// The type's name in DynamoDB's wire format: `"S"`, `"N"` or `"B"`.
    ///
    /// ```
    /// assert_eq!(notes_model::ScalarType::N.as_str(), "N");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ScalarType::S => "S",
            ScalarType::N => "N",
            ScalarType::B => "B",
        }
    }

    /// The scalar type of `value`, or `None` when it is not a scalar that can be a key.
    ///
    /// ```
    /// use notes_model::{AttributeValue, ScalarType};
    ///
    /// assert_eq!(ScalarType::of(&AttributeValue::N("1".into())), Some(ScalarType::N));
    /// assert_eq!(ScalarType::of(&AttributeValue::Bool(true)), None);
    /// ```
    pub fn of(value: &AttributeValue) -> Option<ScalarType> {
        match value {
            AttributeValue::S(_) => Some(ScalarType::S),
            AttributeValue::N(_) => Some(ScalarType::N),
            AttributeValue::B(_) => Some(ScalarType::B),
            _ => None,
        }
    }
}

impl fmt::Display for ScalarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The DynamoDB type descriptor of `value` (`"S"`, `"N"`, `"BOOL"`, `"M"`, ...).
///
/// ```
/// use notes_model::{type_descriptor, AttributeValue};
///
/// assert_eq!(type_descriptor(&AttributeValue::Bool(true)), "BOOL");
/// ```
pub fn type_descriptor(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "S",
        AttributeValue::N(_) => "N",
        AttributeValue::B(_) => "B",
        AttributeValue::Bool(_) => "BOOL",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::M(_) => "M",
        AttributeValue::L(_) => "L",
        AttributeValue::Ss(_) => "SS",
        AttributeValue::Ns(_) => "NS",
        AttributeValue::Bs(_) => "BS",
    }
}
