//! Secondary indexes: the write-time checks of index key values, and one ordered structure per
//! index partition (`CreateTable`'s rules for indexes are in `validate`).
//!
//! An index partition is a `BTreeMap` ordered by the index sort key, then by the table's
//! primary key (DynamoDB promises no order among equal index keys; this one is
//! deterministic), so keeping an index up to date costs O(log n) per write. An item is in an
//! index only when it has every index key attribute (sparse indexes); writes that give an
//! index key attribute the wrong type, an empty string or binary, or a value over the key size
//! limits, are rejected as on DynamoDB, so every value present is of the declared type.

use std::collections::BTreeMap;

use notes_model::{IndexKind, IndexProjection, IndexSchema, ItemMap, KeySchema, ScalarType};

use super::capacity::write_units;
use super::key::{ItemKey, KeyValue};
use notes_core::Result;
use notes_core::eval::equal;
use notes_core::validate;

/// Whether two index entries hold the same values (DynamoDB equality: sets in any order).
fn same_image(a: &ItemMap, b: &ItemMap) -> bool {
    a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| equal(x, y)))
}

/// Where an entry sits inside an index partition: the index sort key, then the table key.
///
/// `First` and `Last` are never stored; they bound every entry with a given index sort key
/// from below and above, so a sort-key range becomes a range of positions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tail {
    /// Before every item with this index sort key.
    First,
    /// The item with this table key.
    Item(ItemKey),
    /// After every item with this index sort key.
    Last,
}

/// The position of an entry in an index partition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct IndexPos {
    /// The index sort key (`None` for an index without one).
    pub(crate) sort: Option<KeyValue>,
    /// The table key, or a bound.
    pub(crate) tail: Tail,
}

/// One partition of an index; the value is unused (the item lives in the table).
pub(crate) type IndexPartition = BTreeMap<IndexPos, ()>;

/// One secondary index and its entries.
#[derive(Debug, Clone)]
pub(crate) struct Index {
    pub(crate) schema: IndexSchema,
    partitions: BTreeMap<KeyValue, IndexPartition>,
}

impl Index {
    /// An empty index.
    pub(crate) fn new(schema: IndexSchema) -> Self {
        Index {
            schema,
            partitions: BTreeMap::new(),
        }
    }

    /// The index's key schema.
    pub(crate) fn key_schema(&self) -> &KeySchema {
        &self.schema.key_schema
    }

    /// Whether this is a global secondary index.
    pub(crate) fn is_global(&self) -> bool {
        self.schema.kind == IndexKind::Global
    }

    /// Where `item` (with table key `key`) sits in this index; `None` when it lacks an index
    /// key attribute (or has one of another type, which writes never let through).
    fn entry(&self, item: &ItemMap, key: &ItemKey) -> Option<(KeyValue, IndexPos)> {
        let value = |attribute: &notes_model::KeyAttribute| {
            item.get(attribute.name.as_ref())
                .filter(|v| ScalarType::of(v) == Some(attribute.scalar_type))
                .and_then(KeyValue::of)
        };
        let schema = self.key_schema();
        let partition = value(&schema.partition_key)?;
        let sort = match &schema.sort_key {
            Some(sk) => Some(value(sk)?),
            None => None,
        };
        Some((
            partition,
            IndexPos {
                sort,
                tail: Tail::Item(key.clone()),
            },
        ))
    }

    /// Adds `item` if it has the index's key attributes.
    pub(crate) fn insert(&mut self, item: &ItemMap, key: &ItemKey) {
        if let Some((partition, pos)) = self.entry(item, key) {
            self.partitions
                .entry(partition)
                .or_default()
                .insert(pos, ());
        }
    }

    /// Removes `item`'s entry, if it has one.
    pub(crate) fn remove(&mut self, item: &ItemMap, key: &ItemKey) {
        if let Some((partition, pos)) = self.entry(item, key)
            && let Some(entries) = self.partitions.get_mut(&partition)
        {
            entries.remove(&pos);
            if entries.is_empty() {
                self.partitions.remove(&partition);
            }
        }
    }

    /// The index partitions, by index partition key (for queries and scans).
    pub(crate) fn partitions(&self) -> &BTreeMap<KeyValue, IndexPartition> {
        &self.partitions
    }

    /// Whether the index holds whole items (`ALL`): its image of an item is the item.
    pub(crate) fn projects_all(&self) -> bool {
        matches!(self.schema.projection, IndexProjection::All)
    }

    /// What the index holds of `item`: everything (`ALL`), or the table and index keys plus
    /// the `INCLUDE` attributes.
    pub(crate) fn image(&self, item: &ItemMap, table_schema: &KeySchema) -> ItemMap {
        let included: &[_] = match &self.schema.projection {
            IndexProjection::All => return item.clone(),
            IndexProjection::KeysOnly => &[],
            IndexProjection::Include(names) => names,
        };
        item.iter()
            .filter(|(name, _)| {
                table_schema.is_key_attribute(name)
                    || self.key_schema().is_key_attribute(name)
                    || included.iter().any(|n| n == name.as_str())
            })
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect()
    }

    /// The write units this index consumes when `key`'s item goes from `old` to `new`
    /// (`None`: absent), charged on the change to the projected entry it stores, each image
    /// rounded to 1 KB on its own: an entry added or removed costs its size, one changed in
    /// place the larger image, one whose index key moved a delete plus an insert, one left as
    /// it was (or never there) nothing. "Provisioned throughput considerations for global
    /// secondary indexes"
    /// (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations>);
    /// local indexes alike
    /// (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LSI.html#LSI.ThroughputConsiderations>).
    pub(crate) fn write_units(
        &self,
        table_schema: &KeySchema,
        key: &ItemKey,
        old: Option<&ItemMap>,
        new: Option<&ItemMap>,
    ) -> f64 {
        let entry = |item: Option<&ItemMap>| {
            let item = item?;
            let (partition, pos) = self.entry(item, key)?;
            Some(((partition, pos.sort), self.image(item, table_schema)))
        };
        let units = |image: &ItemMap| write_units(validate::item_size(image));
        match (entry(old), entry(new)) {
            (None, None) => 0.0,
            (Some((_, image)), None) | (None, Some((_, image))) => units(&image),
            (Some((from, old)), Some((to, new))) if from != to => units(&old) + units(&new),
            (Some((_, old)), Some((_, new))) if same_image(&old, &new) => 0.0,
            (Some((_, old)), Some((_, new))) => units(&old).max(units(&new)),
        }
    }

    /// Rejects index key values DynamoDB rejects: see [`validate::index_key_values`].
    pub(crate) fn check_item(&self, item: &ItemMap, update: bool) -> Result<()> {
        notes_core::validate::index_key_values(&self.schema, item, update)
    }
}
