//! The `Item` trait that `#[derive(Item)]` implements, with its typed key (`PrimaryKey`), and
//! the serde conversion it uses.

use serde::Serialize;
use serde::de::DeserializeOwned;

use std::fmt::Debug;

use crate::error::Error;
use crate::expr::{Condition, Update, UpdateAction};
use crate::index::IndexSchema;
use crate::key::{KeySchema, KeyValue, SortKeyValue, describe_key};
use crate::template::Entity;
use crate::unique::UniqueAttributes;
use crate::value::{AttributeValue, ItemMap, SharedItem, type_descriptor};

/// A Rust type stored as one DynamoDB item, with its key schema known at compile time.
///
/// Implement it with `#[derive(Item)]`; the conversion goes through serde and serde_dynamo, so
/// the item map is what the JavaScript and Python AWS SDKs write for the same data.
///
/// ```
/// use notes_model::{Item, Note};
///
/// let note = Note {
///     user_id: "u1".into(),
///     note_id: "n1".into(),
///     content: "buy milk".into(),
///     attachment: None,
///     created_at: 1_718_000_000_000,
/// };
/// let map = note.to_item()?;
/// assert_eq!(Note::from_item(map)?, note);
/// # Ok::<(), notes_model::Error>(())
/// ```
pub trait Item: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The typed primary key (`NoteKey` for `Note`).
    type Key: PrimaryKey<Item = Self>;

    /// The key schema: attribute names exactly as serde writes them, and their scalar types.
    const KEY_SCHEMA: KeySchema;

    /// The secondary indexes declared with `#[item(global_index(..), local_index(..))]`.
    const INDEXES: &'static [IndexSchema] = &[];

    /// The attribute marked `#[version]`, for optimistic locking.
    const VERSION_ATTRIBUTE: Option<&'static str> = None;

    /// The attribute marked `#[ttl]`: epoch seconds after which DynamoDB may delete the item.
    const TTL_ATTRIBUTE: Option<&'static str> = None;

    /// The non-key attributes an item must have for [`Item::from_item`] to read it, by their
    /// stored names: every stored field except `Option`s (without `deserialize_with`), fields
    /// with `#[serde(default)]` (or a struct-level one) and `#[serde(skip_deserializing)]`.
    ///
    /// The derive generates it; `Repo::update` uses it to refuse, before sending, an update
    /// that could create an item without one of them, or that removes one. A hand-written impl
    /// that keeps the default (`&[]`) gets no such check. Fields of a `#[serde(flatten)]`ed
    /// value are not listed.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// assert_eq!(Note::REQUIRED_ATTRIBUTES, ["content", "createdAt"]); // not `attachment`
    /// ```
    const REQUIRED_ATTRIBUTES: &'static [&'static str] = &[];

    /// The stored names of the attributes marked `#[unique]`: no two items of the type hold the
    /// same value of one of them. Each value has a guard item in the table, written in the same
    /// transaction as the item (see [`unique`](crate::unique) for its key format); a write that
    /// would give a second item a value is refused with `Error::UniqueConflict`, naming the
    /// attribute and the owner's key.
    ///
    /// A hand-written impl that keeps the default (`&[]`) has no guards.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// assert!(Note::UNIQUE_ATTRIBUTES.is_empty());
    /// ```
    const UNIQUE_ATTRIBUTES: &'static [&'static str] = &[];

    /// What client-side encryption does to each attribute the type writes
    /// ([`encryption`](crate::encryption)): `#[encrypt]`, `#[sign_only]`,
    /// `#[encryption_context]` and `#[unsigned]` on the fields; every other attribute is
    /// signed. The derive generates it, listing by stored name the table's keys (an entity's
    /// computed `pk`/`sk`), then the stored fields in declaration order, then the attributes it
    /// writes beside them (an entity's attribute and its computed index keys), with
    /// `#[item(unsigned_prefix = "..")]`. A hand-written impl that keeps the default
    /// ([`EncryptionSchema::UNDECLARED`](crate::encryption::EncryptionSchema::UNDECLARED))
    /// cannot be encrypted, nor can a `#[derive(Collection)]` enum as a whole (its members
    /// are, each under its own schema).
    ///
    /// ```
    /// use notes_model::encryption::CryptoAction;
    /// use notes_model::{Item, Note};
    ///
    /// assert_eq!(Note::ENCRYPTION.action("content"), Some(CryptoAction::SignOnly));
    /// assert_eq!(Note::ENCRYPTION.attributes[0], ("userId", CryptoAction::SignOnly));
    /// ```
    const ENCRYPTION: crate::encryption::EncryptionSchema =
        crate::encryption::EncryptionSchema::UNDECLARED;

    /// Whether writes of this type keep guard items: it has [`Item::UNIQUE_ATTRIBUTES`], or,
    /// for a collection, one of its members has.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// assert!(!Note::HAS_UNIQUE_ATTRIBUTES);
    /// ```
    const HAS_UNIQUE_ATTRIBUTES: bool = !Self::UNIQUE_ATTRIBUTES.is_empty();

    /// The unique attributes of `item` (an item map of this type) and the scope of their
    /// guards: [`Item::UNIQUE_ATTRIBUTES`] under the entity's name ([`Item::ENTITY`]; `""` for
    /// an item type that is not an entity). A collection answers for the member `item` is.
    ///
    /// ```
    /// use notes_model::{Item, ItemMap, Note};
    ///
    /// assert!(Note::unique_attributes_of(&ItemMap::new()).attributes.is_empty());
    /// ```
    fn unique_attributes_of(item: &ItemMap) -> UniqueAttributes {
        let _ = item;
        UniqueAttributes::new(Self::ENTITY, Self::UNIQUE_ATTRIBUTES)
    }

    /// The entity type, for an item type whose keys are computed from key templates
    /// (`#[item(entity = "note", partition_key(template = ".."))]`): stored in every item,
    /// checked on every read, and the filter of its queries and scans. `None` for items with
    /// plain key attributes.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// assert_eq!(Note::ENTITY, None);
    /// ```
    const ENTITY: Option<Entity> = None;

    /// The stored names of the fields the primary key's templates are computed from. An update
    /// may not change them: the key would change, and DynamoDB cannot change an item's key
    /// (put the item under its new key and delete the old one instead).
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// assert!(Note::KEY_COMPONENTS.is_empty());
    /// ```
    const KEY_COMPONENTS: &'static [&'static str] = &[];

    /// The actions an update of the item at `key` adds to keep computed attributes true: for
    /// an entity with templated index keys, the index attributes recomputed (or removed, for
    /// a sparse index) when `update` writes one of their components. Called by
    /// `Repo::update`; empty for other types.
    ///
    /// ```
    /// use notes_model::{Item, Note, NoteKey};
    ///
    /// let update = Note::CONTENT.set("x").into();
    /// assert!(Note::computed_updates(&NoteKey::new("u1", "n1"), &update)?.is_empty());
    /// # Ok::<(), notes_model::Error>(())
    /// ```
    fn computed_updates(key: &Self::Key, update: &Update) -> Result<Vec<UpdateAction>, Error> {
        let _ = (key, update);
        Ok(Vec::new())
    }

    /// What the table must have for this type, per entity: one expectation for an item type,
    /// one per member for a collection. `create_table` creates the union of their indexes;
    /// `verify_table` names the entity whose expectation the live table does not meet.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// let expected = Note::table_expectations();
    /// assert_eq!(expected[0].key_schema, Note::KEY_SCHEMA);
    /// ```
    fn table_expectations() -> Vec<TableExpectation> {
        vec![TableExpectation {
            entity: Self::ENTITY.map(|entity| entity.name),
            key_schema: Self::KEY_SCHEMA,
            indexes: Self::INDEXES,
        }]
    }

    /// The condition an item must meet to be read as this type on a shared table: for an
    /// entity, its entity attribute ([`Entity::condition`]); for a
    /// collection, one of its members'; for another item type with `#[unique]` attributes,
    /// that the item is not a guard ([`unique::not_a_guard`](crate::unique::not_a_guard)).
    /// Queries and scans send it as their `FilterExpression`.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// assert!(Note::read_filter().is_none()); // a table of notes alone
    /// ```
    fn read_filter() -> Option<Condition> {
        match Self::ENTITY {
            Some(entity) => Some(entity.condition()),
            None if Self::HAS_UNIQUE_ATTRIBUTES => Some(crate::unique::not_a_guard()),
            None => None,
        }
    }

    /// This item's primary key.
    fn key(&self) -> Self::Key;

    /// The item's version (the `#[version]` field), or `None` for unversioned types.
    fn version(&self) -> Option<u64> {
        None
    }

    /// Sets the `#[version]` field; `false` for unversioned types or a version that does not
    /// fit the field's type.
    fn set_version(&mut self, version: u64) -> bool {
        let _ = version;
        false
    }

    /// The item as a DynamoDB item map.
    fn to_item(&self) -> Result<ItemMap, Error> {
        to_item_map(self)
    }

    /// Reads an item map, naming the attribute (and the item's key) when it does not fit.
    fn from_item(item: ItemMap) -> Result<Self, Error> {
        from_item_map::<Self>(item, &Self::KEY_SCHEMA)
    }

    /// Reads a borrowed item map, cloning only the values it keeps; the same value, or the
    /// same error, as [`from_item`](Item::from_item).
    ///
    /// `#[derive(Item)]` reads each field from the map in place; without the derive this
    /// clones the map and calls `from_item`.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// let note = Note::new("u1", "hi");
    /// let map = note.to_item()?;
    /// assert_eq!(Note::from_item_ref(&map)?, note);
    /// # Ok::<(), notes_model::Error>(())
    /// ```
    fn from_item_ref(item: &ItemMap) -> Result<Self, Error> {
        Self::from_item(item.clone())
    }

    /// Reads an item from its attributes as name-value pairs (what
    /// [`SharedItem::from_entries`] holds); the same value, or the same error, as
    /// [`from_item`](Item::from_item) of the map they make.
    ///
    /// `#[derive(Item)]` finds each field's attribute in one pass over the pairs and moves
    /// its value out; without the derive this collects the pairs into a map.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// let note = Note::new("u1", "hi");
    /// let pairs = note.to_item()?.into_iter().collect();
    /// assert_eq!(Note::from_entries(pairs)?, note);
    /// # Ok::<(), notes_model::Error>(())
    /// ```
    fn from_entries(pairs: Vec<(String, AttributeValue)>) -> Result<Self, Error> {
        Self::from_item(pairs.into_iter().collect())
    }

    /// Reads a shared item map (what a read answers with): moved into
    /// [`from_item`](Item::from_item) when nothing else shares it, read in place by
    /// [`from_item_ref`](Item::from_item_ref) otherwise, and its pairs moved into
    /// [`from_entries`](Item::from_entries) when it holds them.
    ///
    /// ```
    /// use notes_model::{Item, Note, SharedItem};
    ///
    /// let note = Note::new("u1", "hi");
    /// let shared = SharedItem::from(note.to_item()?);
    /// let kept = shared.clone(); // a store still holding it: read in place
    /// assert_eq!(Note::from_shared(shared)?, note);
    /// assert_eq!(Note::from_shared(kept)?, note); // the last one: moved
    /// # Ok::<(), notes_model::Error>(())
    /// ```
    fn from_shared(item: SharedItem) -> Result<Self, Error> {
        let item = match item.try_into_entries() {
            Ok(pairs) => return Self::from_entries(pairs),
            Err(item) => item,
        };
        match item.try_unwrap() {
            Ok(item) => Self::from_item(item),
            Err(shared) => Self::from_item_ref(&shared),
        }
    }
}

/// The typed primary key of an item type, generated by `#[derive(Item)]` (`NoteKey` for `Note`).
///
/// ```
/// use notes_model::{Note, NoteKey, PrimaryKey};
///
/// let key = NoteKey::new("u1", "n1");
/// assert_eq!(key.partition_key(), "u1");
/// assert_eq!(key.to_key_map()["noteId"], notes_model::AttributeValue::S("n1".into()));
/// ```
pub trait PrimaryKey: Clone + Debug + PartialEq + Send + Sync + 'static {
    /// The item type this key belongs to.
    type Item: Item<Key = Self>;
    /// The partition key's Rust type.
    type PartitionKey: KeyValue;
    /// The sort key's Rust type, or [`NoSortKey`](crate::key::NoSortKey).
    type SortKey: SortKeyValue;

    /// A key from its parts.
    fn from_parts(partition_key: Self::PartitionKey, sort_key: Self::SortKey) -> Self;
    /// The partition key value.
    fn partition_key(&self) -> &Self::PartitionKey;
    /// The sort key value ([`NoSortKey`](crate::key::NoSortKey) for partition-only tables).
    fn sort_key(&self) -> &Self::SortKey;

    /// Checks that both key values can be sent ([`KeyValue::check_key`]): a templated key
    /// refuses a `String` component that holds a separator of its template
    /// ([`Error::KeyComponent`]).
    ///
    /// ```
    /// use notes_model::{NoteKey, PrimaryKey};
    ///
    /// assert!(NoteKey::new("u1", "n#1").check_components().is_ok());
    /// ```
    #[inline]
    fn check_components(&self) -> Result<(), Error> {
        self.partition_key().check_key()?;
        self.sort_key().check_sort_key()
    }

    /// The key as DynamoDB's `Key` map, with the schema's attribute names.
    fn to_key_map(&self) -> ItemMap {
        let schema = <Self::Item as Item>::KEY_SCHEMA;
        let mut map = ItemMap::with_capacity(2);
        map.insert(
            schema.partition_key.name.to_string(),
            self.partition_key().to_attribute_value(),
        );
        if let (Some(attribute), Some(value)) =
            (schema.sort_key, self.sort_key().to_sort_attribute())
        {
            map.insert(attribute.name.to_string(), value);
        }
        map
    }

    /// Reads the key from an item or key map, naming the attribute that is missing or mistyped.
    fn from_key_map(map: &ItemMap) -> Result<Self, Error> {
        let schema = <Self::Item as Item>::KEY_SCHEMA;
        let pk_attribute = &schema.partition_key;
        let pk = pk_attribute.check(map.get(pk_attribute.name.as_ref()))?;
        let pk = Self::PartitionKey::from_attribute_value(pk)
            .ok_or_else(|| pk_attribute.mismatch(Some(pk)))?;
        let sk = match &schema.sort_key {
            Some(attribute) => {
                let value = attribute.check(map.get(attribute.name.as_ref()))?;
                Self::SortKey::from_sort_attribute(Some(value))
                    .ok_or_else(|| attribute.mismatch(Some(value)))?
            }
            None => {
                Self::SortKey::from_sort_attribute(None).ok_or_else(|| Error::KeyAttribute {
                    attribute: "(sort key)".to_owned(),
                    expected: pk_attribute.scalar_type,
                    found: None,
                })?
            }
        };
        Ok(Self::from_parts(pk, sk))
    }
}

/// The partition key type of item type `T`.
pub type PartitionKeyOf<T> = <<T as Item>::Key as PrimaryKey>::PartitionKey;
/// The sort key type of item type `T` ([`NoSortKey`](crate::key::NoSortKey) when it has none).
pub type SortKeyOf<T> = <<T as Item>::Key as PrimaryKey>::SortKey;

/// What one entity (or item type) expects of its table: its key schema and indexes. See
/// [`Item::table_expectations`].
///
/// ```
/// use notes_model::{Item, Note};
///
/// let expected = &Note::table_expectations()[0];
/// assert_eq!(expected.entity, None); // the notes table holds one type
/// assert!(expected.indexes.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TableExpectation {
    /// The entity's name, or `None` for an item type that is not an entity.
    pub entity: Option<&'static str>,
    /// The table's key schema it expects.
    pub key_schema: KeySchema,
    /// The secondary indexes it declares.
    pub indexes: &'static [IndexSchema],
}

/// An item type bound to a table name with `#[item(table = "...")]`.
///
/// ```
/// use notes_model::{Note, Table};
///
/// assert_eq!(Note::TABLE_NAME, "notes");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no table name",
    label = "this item type is not bound to a table",
    note = "add `#[item(table = \"...\")]` to the struct, or name the table where the repository is built"
)]
pub trait Table: Item {
    /// The DynamoDB table name.
    const TABLE_NAME: &'static str;
}

/// Serializes any serde value to an item map, naming the attribute that failed.
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Point { x: i32 }
///
/// let map = notes_model::to_item_map(&Point { x: 1 })?;
/// assert_eq!(map["x"], notes_model::AttributeValue::N("1".into()));
/// # Ok::<(), notes_model::Error>(())
/// ```
pub fn to_item_map<T: Serialize + ?Sized>(value: &T) -> Result<ItemMap, Error> {
    match to_attribute_value(value) {
        Ok(AttributeValue::M(map)) => Ok(map),
        Ok(other) => Err(Error::Serialize {
            type_name: std::any::type_name::<T>(),
            attribute: ".".to_owned(),
            source: <serde_dynamo::Error as serde::ser::Error>::custom(format_args!(
                "an item must be a map, found {}",
                type_descriptor(&other)
            )),
        }),
        Err(err) => Err(err),
    }
}

/// Serializes one value to an attribute value, naming the nested attribute that failed.
///
/// ```
/// let value = notes_model::to_attribute_value(&vec!["a", "b"])?;
/// assert!(matches!(value, notes_model::AttributeValue::L(_)));
/// # Ok::<(), notes_model::Error>(())
/// ```
pub fn to_attribute_value<T: Serialize + ?Sized>(value: &T) -> Result<AttributeValue, Error> {
    let mut track = serde_path_to_error::Track::new();
    let serializer = serde_path_to_error::Serializer::new(serde_dynamo::Serializer, &mut track);
    value
        .serialize(serializer)
        .map_err(|source| Error::Serialize {
            type_name: std::any::type_name::<T>(),
            attribute: track.path().to_string(),
            source,
        })
}

/// Reads an item map as `T`, naming the attribute that failed and the item's key.
///
/// ```
/// use notes_model::{from_item_map, AttributeValue, Item, ItemMap, Note};
///
/// let map = ItemMap::from([
///     ("userId".to_owned(), AttributeValue::S("u1".into())),
///     ("noteId".to_owned(), AttributeValue::S("n1".into())),
///     ("content".to_owned(), AttributeValue::S("hi".into())),
///     ("createdAt".to_owned(), AttributeValue::N("1718000000000".into())),
/// ]);
/// let note: Note = from_item_map(map, &Note::KEY_SCHEMA)?;
/// assert_eq!(note.content, "hi");
/// # Ok::<(), notes_model::Error>(())
/// ```
pub fn from_item_map<T: DeserializeOwned>(item: ItemMap, schema: &KeySchema) -> Result<T, Error> {
    let key = describe_key(&item, schema);
    let deserializer = serde_dynamo::Deserializer::from_attribute_value(AttributeValue::M(item));
    serde_path_to_error::deserialize(deserializer).map_err(|err| Error::Deserialize {
        type_name: std::any::type_name::<T>(),
        attribute: err.path().to_string(),
        key,
        source: err.into_inner(),
    })
}

/// A Rust type that can hold an item's `#[version]`: an unsigned integer.
///
/// ```
/// use notes_model::VersionValue;
///
/// assert_eq!(7u32.to_version(), 7);
/// assert_eq!(u32::from_version(8), Some(8));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a #[version]",
    label = "use an unsigned integer type (u64, u32, ...)"
)]
pub trait VersionValue: Sized {
    /// The version as a `u64`.
    fn to_version(&self) -> u64;
    /// A version from a `u64`, or `None` if it does not fit.
    fn from_version(version: u64) -> Option<Self>;
}

macro_rules! version_values {
    ($($t:ty),*) => {$(
        impl VersionValue for $t {
            fn to_version(&self) -> u64 {
                u64::from(*self)
            }
            fn from_version(version: u64) -> Option<Self> {
                <$t>::try_from(version).ok()
            }
        }
    )*};
}
version_values!(u8, u16, u32, u64);

/// A Rust type that can hold an item's `#[ttl]`: epoch seconds as an integer, or an optional one
/// (`None` never expires).
///
/// ```
/// fn ttl<V: notes_model::TtlValue>() {}
/// ttl::<i64>();
/// ttl::<Option<u64>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a #[ttl]",
    label = "use epoch seconds as an integer type (i64, u64, ...) or an Option of one"
)]
pub trait TtlValue {}
macro_rules! ttl_values {
    ($($t:ty),*) => {$( impl TtlValue for $t {} impl TtlValue for Option<$t> {} )*};
}
ttl_values!(i32, i64, u32, u64);
