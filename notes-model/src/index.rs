//! Secondary indexes declared on an item type, and their typed handles.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use crate::const_str::{same_str, static_name};
use crate::key::{KeyAttribute, KeySchema, same_attribute, same_keys};

/// Whether an index is global (any partition key) or local (the table's partition key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    /// A global secondary index.
    Global,
    /// A local secondary index: same partition key as the table, another sort key.
    Local,
}

/// Which attributes an index copies from the table.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IndexProjection {
    /// Every attribute (`ALL`); what the derive declares, so an index query reads whole items.
    All,
    /// Only the table and index keys (`KEYS_ONLY`).
    KeysOnly,
    /// The keys and these attributes (`INCLUDE`).
    Include(Vec<Cow<'static, str>>),
}

/// A secondary index: its name, kind, key schema and projection.
///
/// `#[derive(Item)]` fills in [`Item::INDEXES`](crate::Item::INDEXES) from
/// `#[item(global_index(...), local_index(...))]`:
///
/// ```
/// use notes_repo::{IndexKind, Item};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize, Item)]
/// #[item(table = "notes", local_index(name = "byCreatedAt", sort_key = "created_at"))]
/// #[serde(rename_all = "camelCase")]
/// struct Note {
///     #[partition_key] user_id: String,
///     #[sort_key] note_id: String,
///     created_at: i64,
/// }
///
/// let index = &Note::INDEXES[0];
/// assert_eq!(index.kind, IndexKind::Local);
/// assert_eq!(index.key_schema.sort_key.as_ref().unwrap().name, "createdAt");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IndexSchema {
    /// The index name.
    pub name: Cow<'static, str>,
    /// Global or local.
    pub kind: IndexKind,
    /// The index's key.
    pub key_schema: KeySchema,
    /// The attributes copied into the index.
    pub projection: IndexProjection,
    /// The second to fourth attributes of a multi-attribute global index key, after
    /// `key_schema`'s; [`AdditionalKeys::NONE`] for a key of one attribute each.
    pub additional_keys: AdditionalKeys,
}

impl IndexSchema {
    /// The partition key's attributes, in the index's order (one, or up to four for a
    /// multi-attribute global index key).
    ///
    /// ```
    /// use notes_model::{IndexKind, IndexProjection, IndexSchema, KeyAttribute, KeySchema, ScalarType};
    /// use notes_model::AdditionalKeys;
    ///
    /// static REGION: [KeyAttribute; 1] = [KeyAttribute::new("region", ScalarType::S)];
    /// let index = IndexSchema {
    ///     name: "byRegion".into(),
    ///     kind: IndexKind::Global,
    ///     key_schema: KeySchema { partition_key: KeyAttribute::new("tenant", ScalarType::S), sort_key: None },
    ///     projection: IndexProjection::All,
    ///     additional_keys: AdditionalKeys::partition(&REGION),
    /// };
    /// let names: Vec<_> = index.partition_key_attributes().map(|a| a.name.as_ref()).collect();
    /// assert_eq!(names, ["tenant", "region"]);
    /// ```
    pub fn partition_key_attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        std::iter::once(&self.key_schema.partition_key)
            .chain(self.additional_keys.partition_key.iter())
    }

    /// The sort key's attributes, in the index's order (none, one, or up to four).
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// assert!(Note::INDEXES.iter().all(|index| index.sort_key_attributes().count() <= 1));
    /// ```
    pub fn sort_key_attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        self.key_schema
            .sort_key
            .iter()
            .chain(self.additional_keys.sort_key.iter())
    }

    /// Every key attribute of the index: the partition key's, then the sort key's.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// assert!(Note::INDEXES.iter().all(|index| index.key_attributes().count() >= 1));
    /// ```
    pub fn key_attributes(&self) -> impl Iterator<Item = &KeyAttribute> {
        self.partition_key_attributes()
            .chain(self.sort_key_attributes())
    }

    /// Whether the index's key has more than one attribute on either side.
    ///
    /// ```
    /// use notes_model::{Item, Note};
    ///
    /// assert!(Note::INDEXES.iter().all(|index| !index.is_multi_attribute()));
    /// ```
    pub fn is_multi_attribute(&self) -> bool {
        !self.additional_keys.partition_key.is_empty() || !self.additional_keys.sort_key.is_empty()
    }
}

/// The attributes of a multi-attribute global index key after the first of each side
/// (DynamoDB, November 2025: up to four partition-key and four sort-key attributes, each an
/// attribute of its own type, no concatenated string).
///
/// ```
/// use notes_model::{AdditionalKeys, KeyAttribute, ScalarType};
///
/// static MONTH_DAY: [KeyAttribute; 2] =
///     [KeyAttribute::new("month", ScalarType::N), KeyAttribute::new("day", ScalarType::N)];
/// let keys = AdditionalKeys::sort(&MONTH_DAY);
/// assert_eq!(keys.sort_key.len(), 2);
/// assert!(AdditionalKeys::NONE.partition_key.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AdditionalKeys {
    /// The partition key's second to fourth attributes.
    pub partition_key: Cow<'static, [KeyAttribute]>,
    /// The sort key's second to fourth attributes.
    pub sort_key: Cow<'static, [KeyAttribute]>,
}

impl AdditionalKeys {
    /// No attribute beyond the first of each side: a key as tables have.
    pub const NONE: AdditionalKeys = AdditionalKeys {
        partition_key: Cow::Borrowed(&[]),
        sort_key: Cow::Borrowed(&[]),
    };

    /// Further partition-key attributes only.
    ///
    /// See [`IndexSchema::partition_key_attributes`] for an example.
    pub const fn partition(attributes: &'static [KeyAttribute]) -> Self {
        AdditionalKeys {
            partition_key: Cow::Borrowed(attributes),
            sort_key: Cow::Borrowed(&[]),
        }
    }

    /// Further sort-key attributes only.
    ///
    /// See [`AdditionalKeys`] for an example.
    pub const fn sort(attributes: &'static [KeyAttribute]) -> Self {
        AdditionalKeys {
            partition_key: Cow::Borrowed(&[]),
            sort_key: Cow::Borrowed(attributes),
        }
    }

    /// Further attributes on both sides.
    ///
    /// ```
    /// use notes_model::{AdditionalKeys, KeyAttribute, ScalarType};
    ///
    /// static REGION: [KeyAttribute; 1] = [KeyAttribute::new("region", ScalarType::S)];
    /// static DAY: [KeyAttribute; 1] = [KeyAttribute::new("day", ScalarType::N)];
    /// assert_eq!(AdditionalKeys::both(&REGION, &DAY).sort_key[0].name, "day");
    /// ```
    pub const fn both(
        partition_key: &'static [KeyAttribute],
        sort_key: &'static [KeyAttribute],
    ) -> Self {
        AdditionalKeys {
            partition_key: Cow::Borrowed(partition_key),
            sort_key: Cow::Borrowed(sort_key),
        }
    }
}

impl Default for AdditionalKeys {
    fn default() -> Self {
        AdditionalKeys::NONE
    }
}

/// A typed handle on one secondary index of item type `T`, whose partition key has Rust type
/// `PK` and sort key `SK` (`NoSortKey` when it has none). Generated by the derive as an
/// associated constant named after the index (`Note::BY_CREATED_AT`).
pub struct Index<T, PK, SK> {
    schema: &'static IndexSchema,
    marker: PhantomData<IndexTypes<T, PK, SK>>,
}

/// Carries an index's types without owning values of them (always `Send`, `Sync`, `Copy`).
type IndexTypes<T, PK, SK> = fn() -> (T, PK, SK);

impl<T, PK, SK> Index<T, PK, SK> {
    /// A handle on `schema`. Generated by the derive.
    pub const fn new(schema: &'static IndexSchema) -> Self {
        Index {
            schema,
            marker: PhantomData,
        }
    }

    /// The index's schema.
    pub const fn schema(&self) -> &'static IndexSchema {
        self.schema
    }

    /// The index's name.
    pub fn name(&self) -> &'static str {
        let schema: &'static IndexSchema = self.schema;
        &schema.name
    }
}

impl<T, PK, SK> Clone for Index<T, PK, SK> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T, PK, SK> Copy for Index<T, PK, SK> {}

impl<T, PK, SK> fmt::Debug for Index<T, PK, SK> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Index").field(&self.schema.name).finish()
    }
}

/// The position of the index named `name` in `indexes`, or `indexes.len()` when there is
/// none (const: the collection derive's checks run at compile time).
///
/// ```
/// use notes_model::{Item, Note, index_position};
///
/// assert_eq!(index_position(Note::INDEXES, "none"), 0);
/// ```
pub const fn index_position(indexes: &[IndexSchema], name: &str) -> usize {
    let mut i = 0;
    while i < indexes.len() {
        if same_str(static_name(&indexes[i].name), name) {
            return i;
        }
        i += 1;
    }
    indexes.len()
}

/// Whether index `name` has the same key attributes in `a` and in `b` (const): every
/// attribute of a multi-attribute key, in order, with its type.
///
/// ```
/// use notes_model::{AdditionalKeys, IndexKind, IndexProjection, IndexSchema, KeyAttribute};
/// use notes_model::{Item, KeySchema, Note, ScalarType, same_index_keys};
///
/// assert!(!same_index_keys(Note::INDEXES, Note::INDEXES, "none"));
///
/// const fn by_region(additional: AdditionalKeys) -> IndexSchema {
///     IndexSchema {
///         name: std::borrow::Cow::Borrowed("byRegion"),
///         kind: IndexKind::Global,
///         key_schema: KeySchema {
///             partition_key: KeyAttribute::new("tenant", ScalarType::S),
///             sort_key: Some(KeyAttribute::new("year", ScalarType::N)),
///         },
///         projection: IndexProjection::All,
///         additional_keys: additional,
///     }
/// }
/// static MONTH: [KeyAttribute; 1] = [KeyAttribute::new("month", ScalarType::N)];
/// static DAY: [KeyAttribute; 1] = [KeyAttribute::new("day", ScalarType::N)];
/// static A: [IndexSchema; 1] = [by_region(AdditionalKeys::sort(&MONTH))];
/// static B: [IndexSchema; 1] = [by_region(AdditionalKeys::sort(&DAY))];
/// const SAME: bool = same_index_keys(&A, &A, "byRegion");
/// const DIFFERENT: bool = same_index_keys(&A, &B, "byRegion");
/// assert!(SAME && !DIFFERENT);
/// ```
pub const fn same_index_keys(a: &[IndexSchema], b: &[IndexSchema], name: &str) -> bool {
    let (i, j) = (index_position(a, name), index_position(b, name));
    if i == a.len() || j == b.len() {
        return false;
    }
    same_keys(&a[i].key_schema, &b[j].key_schema)
        && same_attributes(
            static_attributes(&a[i].additional_keys.partition_key),
            static_attributes(&b[j].additional_keys.partition_key),
        )
        && same_attributes(
            static_attributes(&a[i].additional_keys.sort_key),
            static_attributes(&b[j].additional_keys.sort_key),
        )
}

/// The attributes a const can read: only borrowed ones are known at compile time (owned
/// ones read as none).
#[allow(clippy::ptr_arg)] // a `Cow` is matched
const fn static_attributes(attributes: &Cow<'static, [KeyAttribute]>) -> &'static [KeyAttribute] {
    match attributes {
        Cow::Borrowed(attributes) => attributes,
        Cow::Owned(_) => &[],
    }
}

/// Whether two lists of key attributes are the same, in order, in a const context.
const fn same_attributes(a: &[KeyAttribute], b: &[KeyAttribute]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if !same_attribute(&a[i], &b[i]) {
            return false;
        }
        i += 1;
    }
    true
}
