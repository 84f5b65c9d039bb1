//! Secondary indexes: the write-time checks of index key values, and one ordered structure per
//! index partition (`CreateTable`'s rules for indexes are in `validate`).
//!
//! An index partition is a `BTreeMap` ordered by the index sort key, then by the table's
//! primary key (DynamoDB promises no order among equal index keys; this one is
//! deterministic), so keeping an index up to date costs O(log n) per write. A multi-attribute
//! key (up to four partition and four sort attributes) is a tuple: partitions by the tuple of
//! partition values, entries by the sort values compared attribute by attribute, each by its
//! own order (numbers numerically, strings and binaries bytewise). An item is in an index only
//! when it has every index key attribute (sparse indexes); writes that give an index key
//! attribute the wrong type, an empty string or binary, or a value over the key size limits,
//! are rejected as on DynamoDB, so every value present is of the declared type.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use notes_model::{
    IndexKind, IndexProjection, IndexSchema, ItemMap, KeyAttribute, KeySchema, ScalarType,
};

use super::capacity::write_units;
use super::key::{ItemKey, KeyTuple, KeyValue};
use notes_core::Result;
use notes_core::eval::equal;
use notes_core::validate;

/// Whether two index entries hold the same values (DynamoDB equality: sets in any order).
fn same_image(a: &ItemMap, b: &ItemMap) -> bool {
    a.len() == b.len() && a.iter().all(|(k, x)| b.get(k).is_some_and(|y| equal(x, y)))
}

/// Where an entry sits inside an index partition after its sort values: the table key.
///
/// `First` and `Last` are never stored; they bound every entry whose sort values start with a
/// given prefix from below and above, so a sort-key range becomes a range of positions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Tail {
    /// Before every item whose sort values start with these.
    First,
    /// The item with this table key.
    Item(ItemKey),
    /// After every item whose sort values start with these.
    Last,
}

/// The position of an entry in an index partition: its sort values (none for an index
/// without a sort key; a prefix of them in a bound), then its tail.
///
/// Positions compare as the sequences `sort ++ [tail]` over the symbols `First` < every
/// value < every `Item` < `Last`: so a bound `(prefix, First)` sits before, and `(prefix,
/// Last)` after, every entry whose sort values start with `prefix`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexPos {
    /// The index sort key's values, in the key's order.
    pub(crate) sort: KeyTuple,
    /// The table key, or a bound.
    pub(crate) tail: Tail,
}

impl Ord for IndexPos {
    fn cmp(&self, other: &Self) -> Ordering {
        // A tail met where the other position still has a value.
        let against_value = |tail: &Tail| match tail {
            Tail::First => Ordering::Less,
            Tail::Item(_) | Tail::Last => Ordering::Greater,
        };
        for (a, b) in self.sort.iter().zip(&other.sort) {
            match a.cmp(b) {
                Ordering::Equal => {}
                unequal => return unequal,
            }
        }
        match self.sort.len().cmp(&other.sort.len()) {
            Ordering::Equal => self.tail.cmp(&other.tail),
            Ordering::Less => against_value(&self.tail),
            Ordering::Greater => against_value(&other.tail).reverse(),
        }
    }
}

impl PartialOrd for IndexPos {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// One partition of an index; the value is unused (the item lives in the table).
pub(crate) type IndexPartition = BTreeMap<IndexPos, ()>;

/// One secondary index and its entries.
#[derive(Debug, Clone)]
pub(crate) struct Index {
    pub(crate) schema: IndexSchema,
    partitions: BTreeMap<KeyTuple, IndexPartition>,
}

impl Index {
    /// An empty index.
    pub(crate) fn new(schema: IndexSchema) -> Self {
        Index {
            schema,
            partitions: BTreeMap::new(),
        }
    }

    /// Whether this is a global secondary index.
    pub(crate) fn is_global(&self) -> bool {
        self.schema.kind == IndexKind::Global
    }

    /// Whether `name` is one of the index's key attributes.
    pub(crate) fn is_key_attribute(&self, name: &str) -> bool {
        self.schema.key_attributes().any(|a| a.name == name)
    }

    /// The values of `attributes` in `item`, in order; `None` when one is missing (or of
    /// another type, which writes never let through).
    fn values<'a>(
        item: &ItemMap,
        attributes: impl Iterator<Item = &'a KeyAttribute>,
    ) -> Option<KeyTuple> {
        attributes
            .map(|attribute| {
                item.get(attribute.name.as_ref())
                    .filter(|v| ScalarType::of(v) == Some(attribute.scalar_type))
                    .and_then(KeyValue::of)
            })
            .collect()
    }

    /// Where `item` (with table key `key`) sits in this index; `None` when it lacks an index
    /// key attribute.
    fn entry(&self, item: &ItemMap, key: &ItemKey) -> Option<(KeyTuple, IndexPos)> {
        let partition = Self::values(item, self.schema.partition_key_attributes())?;
        let sort = Self::values(item, self.schema.sort_key_attributes())?;
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

    /// The index partitions, by the values of the index's partition attributes (for queries
    /// and scans).
    pub(crate) fn partitions(&self) -> &BTreeMap<KeyTuple, IndexPartition> {
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
                    || self.is_key_attribute(name)
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

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use notes_model::{AdditionalKeys, IndexKind, IndexProjection, IndexSchema, KeyAttribute};
    use notes_model::{ItemMap, KeySchema, ScalarType};

    use super::*;
    use crate::test_values::{n, s};

    fn value(v: &str) -> KeyValue {
        KeyValue::of(&n(v)).unwrap()
    }

    fn pos(sort: &[&str], tail: Tail) -> IndexPos {
        IndexPos {
            sort: sort.iter().map(|v| value(v)).collect(),
            tail,
        }
    }

    fn item(id: &str) -> Tail {
        Tail::Item(ItemKey {
            partition: KeyValue::S(id.to_owned()),
            sort: None,
        })
    }

    #[test]
    fn a_prefix_bounds_every_position_that_starts_with_it() {
        let entries = [
            pos(&["2025", "12"], item("a")),
            pos(&["2026", "2"], item("a")),
            pos(&["2026", "2"], item("b")),
            pos(&["2026", "10"], item("a")),
            pos(&["2027", "1"], item("a")),
        ];
        assert!(entries.windows(2).all(|w| w[0] < w[1]), "{entries:#?}");
        let (first, last) = (pos(&["2026"], Tail::First), pos(&["2026"], Tail::Last));
        let inside: Vec<_> = entries
            .iter()
            .filter(|e| first < **e && **e < last)
            .collect();
        assert_eq!(inside, [&entries[1], &entries[2], &entries[3]]);
        // A bound of the whole key sits among the entries of that key only.
        let (first, last) = (
            pos(&["2026", "2"], Tail::First),
            pos(&["2026", "2"], Tail::Last),
        );
        let inside: Vec<_> = entries
            .iter()
            .filter(|e| first < **e && **e < last)
            .collect();
        assert_eq!(inside, [&entries[1], &entries[2]]);
        assert!(pos(&[], Tail::First) < entries[0] && entries[4] < pos(&[], Tail::Last));
    }

    fn attribute(name: &'static str, scalar_type: ScalarType) -> KeyAttribute {
        KeyAttribute::new(name, scalar_type)
    }

    /// `byRegion`: `tenant`, `region` (S) / `year`, `month` (N).
    fn by_region() -> Index {
        Index::new(IndexSchema {
            name: Cow::Borrowed("byRegion"),
            kind: IndexKind::Global,
            key_schema: KeySchema {
                partition_key: attribute("tenant", ScalarType::S),
                sort_key: Some(attribute("year", ScalarType::N)),
            },
            projection: IndexProjection::KeysOnly,
            additional_keys: AdditionalKeys {
                partition_key: vec![attribute("region", ScalarType::S)].into(),
                sort_key: vec![attribute("month", ScalarType::N)].into(),
            },
        })
    }

    fn row(id: &str, pairs: &[(&str, notes_model::AttributeValue)]) -> (ItemMap, ItemKey) {
        let mut item = ItemMap::from([("id".to_owned(), s(id)), ("body".to_owned(), s("x"))]);
        item.extend(pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())));
        let key = ItemKey {
            partition: KeyValue::S(id.to_owned()),
            sort: None,
        };
        (item, key)
    }

    #[test]
    fn an_item_is_in_a_multi_attribute_index_only_with_every_key_attribute() {
        let mut index = by_region();
        let full = [
            ("tenant", s("t")),
            ("region", s("eu")),
            ("year", n("2026")),
            ("month", n("2")),
        ];
        for (id, skip) in [
            ("all", None),
            ("noRegion", Some("region")),
            ("noMonth", Some("month")),
        ] {
            let pairs: Vec<_> = full
                .iter()
                .filter(|(name, _)| Some(*name) != skip)
                .cloned()
                .collect();
            let (item, key) = row(id, &pairs);
            index.insert(&item, &key);
        }
        let partitions: Vec<_> = index.partitions().iter().collect();
        assert_eq!(partitions.len(), 1);
        let (partition, entries) = partitions[0];
        assert_eq!(
            partition,
            &vec![KeyValue::S("t".into()), KeyValue::S("eu".into())]
        );
        assert_eq!(entries.len(), 1);
        // Keys only: the table key and every index key attribute, nothing else.
        let (item, _) = row("all", &full);
        let image = index.image(
            &item,
            &KeySchema {
                partition_key: attribute("id", ScalarType::S),
                sort_key: None,
            },
        );
        let mut names: Vec<_> = image.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["id", "month", "region", "tenant", "year"]);
    }
}
