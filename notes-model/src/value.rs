//! Raw DynamoDB values: the attribute value type and the three key scalar types.

use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

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
/// A backend that receives items as name-value pairs (an SDK's response) can answer with
/// them as they came, [`from_entries`](SharedItem::from_entries): a typed read takes the
/// pairs without hashing a name ([`Item::from_shared`](crate::Item::from_shared)), and the
/// map is built, once, by moving the pairs in, only when something reads it as one.
/// Equality, `Debug` and `Serialize` do not depend on the form.
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
#[derive(Clone)]
pub struct SharedItem(Form);

/// Where a [`SharedItem`]'s attributes are.
#[derive(Clone)]
enum Form {
    /// A map, maybe shared with a store.
    Map(Arc<ItemMap>),
    /// Pairs as a backend received them (one owner), and the map built from them on the
    /// first read as a map.
    Entries(Arc<Entries>),
}

/// The pairs of [`Form::Entries`], moved into `map` on its first read.
struct Entries {
    pairs: Mutex<Vec<(String, AttributeValue)>>,
    map: OnceLock<ItemMap>,
}

impl Entries {
    fn map(&self) -> &ItemMap {
        self.map.get_or_init(|| {
            let mut pairs = self.pairs.lock().unwrap_or_else(PoisonError::into_inner);
            std::mem::take(&mut *pairs).into_iter().collect()
        })
    }

    /// The map, or the pairs collected into one.
    fn into_map(self) -> ItemMap {
        match self.map.into_inner() {
            Some(map) => map,
            None => pairs_into_map(self.pairs),
        }
    }
}

fn pairs_into_map(pairs: Mutex<Vec<(String, AttributeValue)>>) -> ItemMap {
    pairs
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .collect()
}

impl SharedItem {
    /// Shares `item`.
    ///
    /// ```
    /// use notes_model::{ItemMap, SharedItem};
    /// assert!(SharedItem::new(ItemMap::new()).is_empty());
    /// ```
    pub fn new(item: ItemMap) -> Self {
        SharedItem(Form::Map(Arc::new(item)))
    }

    /// An item from its attributes as name-value pairs (names are distinct in a DynamoDB
    /// item; a repeated one keeps its last value, as collecting into a map does). No name
    /// is hashed until the item is read as a map.
    ///
    /// ```
    /// use notes_model::{AttributeValue, ItemMap, SharedItem};
    ///
    /// let pairs = vec![("userId".to_owned(), AttributeValue::S("u1".into()))];
    /// let shared = SharedItem::from_entries(pairs.clone());
    /// assert_eq!(shared, ItemMap::from_iter(pairs)); // the map, built on this first read
    /// ```
    pub fn from_entries(pairs: Vec<(String, AttributeValue)>) -> Self {
        SharedItem(Form::Entries(Arc::new(Entries {
            pairs: Mutex::new(pairs),
            map: OnceLock::new(),
        })))
    }

    /// The name-value pairs of an item made by [`from_entries`](SharedItem::from_entries)
    /// and not yet read as a map nor shared, else `self` back.
    ///
    /// ```
    /// use notes_model::{AttributeValue, ItemMap, SharedItem};
    ///
    /// let pairs = vec![("userId".to_owned(), AttributeValue::S("u1".into()))];
    /// let shared = SharedItem::from_entries(pairs.clone());
    /// assert_eq!(shared.try_into_entries().ok(), Some(pairs));
    /// assert!(SharedItem::new(ItemMap::new()).try_into_entries().is_err());
    /// ```
    pub fn try_into_entries(self) -> Result<Vec<(String, AttributeValue)>, SharedItem> {
        match self.0 {
            Form::Entries(entries) if entries.map.get().is_none() => {
                match Arc::try_unwrap(entries) {
                    Ok(entries) => Ok(entries
                        .pairs
                        .into_inner()
                        .unwrap_or_else(PoisonError::into_inner)),
                    Err(entries) => Err(SharedItem(Form::Entries(entries))),
                }
            }
            form => Err(SharedItem(form)),
        }
    }

    /// The item map, moved out when nothing else shares it, cloned otherwise.
    ///
    /// ```
    /// use notes_model::{ItemMap, SharedItem};
    /// let owned: ItemMap = SharedItem::new(ItemMap::new()).into_owned();
    /// assert!(owned.is_empty());
    /// ```
    pub fn into_owned(self) -> ItemMap {
        self.try_unwrap()
            .unwrap_or_else(|shared| ItemMap::clone(&shared))
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
        match self.0 {
            Form::Map(map) => Arc::try_unwrap(map).map_err(|map| SharedItem(Form::Map(map))),
            Form::Entries(entries) => match Arc::try_unwrap(entries) {
                Ok(entries) => Ok(entries.into_map()),
                Err(entries) => Err(SharedItem(Form::Entries(entries))),
            },
        }
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
        if let Form::Entries(_) = self.0 {
            let item = std::mem::take(self);
            *self = SharedItem::new(item.into_owned());
        }
        match &mut self.0 {
            Form::Map(map) => Arc::make_mut(map),
            Form::Entries(_) => unreachable!("made a map above"),
        }
    }
}

impl Default for SharedItem {
    fn default() -> Self {
        SharedItem::new(ItemMap::new())
    }
}

impl Deref for SharedItem {
    type Target = ItemMap;

    fn deref(&self) -> &ItemMap {
        match &self.0 {
            Form::Map(map) => map,
            Form::Entries(entries) => entries.map(),
        }
    }
}

impl AsRef<ItemMap> for SharedItem {
    fn as_ref(&self) -> &ItemMap {
        self
    }
}

impl std::borrow::Borrow<ItemMap> for SharedItem {
    fn borrow(&self) -> &ItemMap {
        self
    }
}

impl PartialEq for SharedItem {
    /// As the item maps, whatever the form.
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for SharedItem {
    /// As the item map.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        ItemMap::fmt(self, f)
    }
}

impl serde::Serialize for SharedItem {
    /// As the item map (DynamoDB JSON with `serde_json`).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        ItemMap::serialize(self, serializer)
    }
}

impl From<ItemMap> for SharedItem {
    fn from(item: ItemMap) -> Self {
        SharedItem::new(item)
    }
}

impl From<Arc<ItemMap>> for SharedItem {
    fn from(item: Arc<ItemMap>) -> Self {
        SharedItem(Form::Map(item))
    }
}

impl From<SharedItem> for ItemMap {
    fn from(item: SharedItem) -> Self {
        item.into_owned()
    }
}

impl From<SharedItem> for Arc<ItemMap> {
    fn from(item: SharedItem) -> Self {
        match item.0 {
            Form::Map(map) => map,
            entries => Arc::new(SharedItem(entries).into_owned()),
        }
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
        **self == *other
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

#[cfg(test)]
mod tests {
    use super::{AttributeValue, ItemMap, SharedItem};

    fn map() -> ItemMap {
        ItemMap::from([
            ("userId".to_owned(), AttributeValue::S("u1".into())),
            ("n".to_owned(), AttributeValue::N("1".into())),
        ])
    }

    fn from_entries() -> SharedItem {
        SharedItem::from_entries(map().into_iter().collect())
    }

    #[test]
    fn the_two_forms_read_compare_and_print_alike() {
        let map_form = SharedItem::new(map());
        // Each comparison or print below builds the map of a fresh entries form first.
        assert_eq!(from_entries(), map_form);
        assert_eq!(map_form, from_entries());
        assert_eq!(from_entries(), map());
        // As the map it reads as (two maps may iterate in different orders).
        let entries = from_entries();
        assert_eq!(format!("{entries:?}"), format!("{:?}", *entries));
        let one = ItemMap::from([("n".to_owned(), AttributeValue::N("1".into()))]);
        let one_entries = SharedItem::from_entries(one.clone().into_iter().collect());
        assert_eq!(format!("{one_entries:?}"), format!("{one:?}"));
        let json = |item: &SharedItem| serde_json::to_value(item).unwrap();
        assert_eq!(json(&from_entries()), json(&map_form)); // JSON objects compare unordered
        assert_ne!(from_entries(), SharedItem::default());
    }

    #[test]
    fn the_entries_form_moves_into_a_map_and_shares_it_once_built() {
        assert_eq!(from_entries().into_owned(), map());
        assert_eq!(from_entries().try_unwrap().unwrap(), map());
        assert_eq!(
            std::sync::Arc::<ItemMap>::from(from_entries()),
            map().into()
        );
        let entries = from_entries();
        let kept = entries.clone();
        let entries = entries.try_into_entries().unwrap_err(); // shared
        assert_eq!(kept["userId"], AttributeValue::S("u1".into())); // builds the map
        drop(kept);
        // Read as a map: the pairs are gone, the map moves out.
        let entries = entries.try_into_entries().unwrap_err();
        assert_eq!(entries.into_owned(), map());
        let mut changed = from_entries();
        changed.make_mut().remove("n");
        assert_eq!(changed.len(), 1);
    }
}
