//! One in-memory table: partitions keyed by partition key, each an ordered index by sort key.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::time::SystemTime;

use notes_model::{AttributeValue, IndexKind, IndexSchema, ItemMap, KeySchema, SharedItem};

use super::history::{ChangeLog, table_stream};
use super::index::Index;
use super::key::{ItemKey, KeyValue};
use super::on_demand::Maximums;
use super::pending::{EncodedPut, PendingItems};
use super::warm::Warm;
use notes_core::number::Number;
use notes_core::request::{BillingMode, ProvisionedThroughput, TableDescription, TableStatus};
use notes_core::{Error, Result};

/// The sort-key index of one partition; tables without a sort key use the `None` slot.
pub(crate) type Partition = BTreeMap<Option<KeyValue>, Stored>;

/// A stored item and its size by DynamoDB's item size rules, computed once when the item is
/// written: every read counts it (a page's 1 MB cap, consumed capacity), and recomputing it
/// per item read cost as much as cloning the item (BENCHMARKS.md, "MemoryBackend").
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    /// The item, in canonical form, shared with the read answers that return it whole.
    pub(crate) item: SharedItem,
    /// `validate::item_size(&item)`.
    pub(crate) size: usize,
}

impl Stored {
    pub(crate) fn new(item: ItemMap) -> Self {
        let size = notes_core::validate::item_size(&item);
        Stored {
            item: item.into(),
            size,
        }
    }
}

/// When a table (or one global index) changed, for DynamoDB's limits on changing it again
/// (`provisioning.rs`).
#[derive(Debug, Default, Clone)]
pub(crate) struct Changes {
    /// The table's throughput decreases (only the current UTC day's are ever consulted).
    pub(crate) decreases: Vec<SystemTime>,
    /// Each global index's throughput decreases.
    pub(crate) index_decreases: BTreeMap<String, Vec<SystemTime>>,
    /// Switches from provisioned to on demand.
    pub(crate) to_on_demand: Vec<SystemTime>,
}

/// One table: its definition and its items.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) name: String,
    pub(crate) schema: KeySchema,
    pub(crate) billing_mode: BillingMode,
    /// Each global index's provisioned throughput (empty on demand).
    pub(crate) index_throughput: BTreeMap<String, ProvisionedThroughput>,
    /// Past billing and throughput changes, for `UpdateTable`'s limits.
    pub(crate) changes: Changes,
    /// The on-demand maximums of the table and its global indexes (`on_demand.rs`).
    pub(crate) maximums: Maximums,
    /// The warm throughput of the table and its global indexes (`warm.rs`).
    pub(crate) warm: Warm,
    /// The attribute `UpdateTimeToLive` enabled expiry on, if any.
    pub(crate) time_to_live: Option<String>,
    /// When `CreateTable` (or a restore) made it, on the backend's clock
    /// (`CreationDateTime`).
    pub(crate) created_at: SystemTime,
    /// The secondary indexes, in the order `CreateTable` gave them.
    pub(crate) indexes: Vec<Index>,
    partitions: BTreeMap<KeyValue, Partition>,
    item_count: usize,
    /// The change log (`history.rs`): every write, kept as long as the lagging replica or
    /// point-in-time recovery needs it (`None`: a copy, such as a replica view or a backup,
    /// that records nothing).
    pub(crate) history: Option<ChangeLog>,
    /// A durable backend's item writes not yet journaled (`durable/`): `None` on an
    /// in-memory backend, on copies, and on a table not yet journaled at all.
    pub(crate) pending: Option<PendingItems>,
}

impl Table {
    /// An empty table with these (already validated) indexes, created at `created_at`.
    pub(crate) fn new(
        name: String,
        schema: KeySchema,
        billing_mode: BillingMode,
        indexes: Vec<IndexSchema>,
        created_at: SystemTime,
    ) -> Self {
        // A provisioned table's global indexes get the table's throughput, as `CreateTable`
        // gives them.
        let index_throughput = match billing_mode {
            BillingMode::Provisioned {
                read_capacity_units,
                write_capacity_units,
            } => indexes
                .iter()
                .filter(|i| i.kind == IndexKind::Global)
                .map(|i| {
                    let units =
                        ProvisionedThroughput::new(read_capacity_units, write_capacity_units);
                    (i.name.to_string(), units)
                })
                .collect(),
            BillingMode::PayPerRequest => BTreeMap::new(),
        };
        let globals = indexes.iter().filter(|i| i.kind == IndexKind::Global);
        let warm = Warm::initial(
            billing_mode,
            globals.map(|i| i.name.as_ref()),
            &index_throughput,
        );
        Table {
            name,
            schema,
            billing_mode,
            index_throughput,
            changes: Changes::default(),
            maximums: Maximums::default(),
            warm,
            time_to_live: None,
            created_at,
            indexes: indexes.into_iter().map(Index::new).collect(),
            partitions: BTreeMap::new(),
            item_count: 0,
            history: None,
            pending: None,
        }
    }

    /// The ordering key of an item or key map (already validated against the schema).
    pub(crate) fn key_of(&self, map: &ItemMap) -> Result<ItemKey> {
        let value = |name: &str| {
            map.get(name).and_then(KeyValue::of).ok_or_else(|| {
                Error::validation(format!(
                    "The provided key element does not match the schema (key attribute {name} \
                     of table {} is missing or invalid)",
                    self.name
                ))
            })
        };
        Ok(ItemKey {
            partition: value(&self.schema.partition_key.name)?,
            sort: match &self.schema.sort_key {
                Some(sk) => Some(value(&sk.name)?),
                None => None,
            },
        })
    }

    /// The key attributes of an item, as a `Key` / `LastEvaluatedKey` map.
    pub(crate) fn key_map(&self, item: &ItemMap) -> ItemMap {
        key_map(&self.schema, item)
    }

    /// The item with this key and its size.
    pub(crate) fn stored(&self, key: &ItemKey) -> Option<&Stored> {
        self.partitions.get(&key.partition)?.get(&key.sort)
    }

    /// Stores an item (already in canonical form), returning the one it replaced. Every
    /// index moves the item's entry: O(log n) per index.
    pub(crate) fn put(&mut self, key: ItemKey, item: ItemMap) -> Option<SharedItem> {
        self.put_stored(key, Stored::new(item), None)
    }

    /// [`put`](Self::put) of an item whose size the caller already computed, and, on a
    /// durable table, whose journal entry it may have encoded already (`encoded`).
    pub(crate) fn put_stored(
        &mut self,
        key: ItemKey,
        stored: Stored,
        encoded: Option<&EncodedPut>,
    ) -> Option<SharedItem> {
        let item = &stored.item;
        if let Some(history) = self.history.as_mut() {
            if history.is_recording() {
                let old = self
                    .partitions
                    .get(&key.partition)
                    .and_then(|p| p.get(&key.sort));
                history.record(
                    key.clone(),
                    old.map(|stored| ItemMap::clone(&stored.item)),
                    Some(ItemMap::clone(item)),
                );
            } else {
                history.skip();
            }
        }
        if let Some(pending) = self.pending.as_mut() {
            match encoded {
                Some(encoded) => pending.put_encoded(encoded),
                None => pending.put(item),
            }
        }
        for index in &mut self.indexes {
            if let Some(old) = self
                .partitions
                .get(&key.partition)
                .and_then(|p| p.get(&key.sort))
            {
                index.remove(&old.item, &key);
            }
            index.insert(item, &key);
        }
        let old = self
            .partitions
            .entry(key.partition)
            .or_default()
            .insert(key.sort, stored);
        if old.is_none() {
            self.item_count += 1;
        }
        old.map(|stored| stored.item)
    }

    /// Whether a write to this table touches nothing but the item's slot: no index, no
    /// recorded change, no journal. Such a write can check its condition and swap its item in
    /// one search ([`swap`](Self::swap)).
    pub(crate) fn writes_alone(&self) -> bool {
        self.indexes.is_empty()
            && self.pending.is_none()
            && self.history.as_ref().is_none_or(|log| !log.is_recording())
    }

    /// Stores `stored` under `key` once `admit` accepts what is stored there now (`None`:
    /// nothing), finding the slot once: the item it replaced, or `admit`'s refusal (and
    /// nothing changed). Only for a table that [`writes_alone`](Self::writes_alone).
    pub(crate) fn swap<E>(
        &mut self,
        key: ItemKey,
        stored: Stored,
        admit: impl FnOnce(Option<&Stored>) -> Result<(), E>,
    ) -> Result<Option<Stored>, E> {
        use std::collections::btree_map::Entry;
        debug_assert!(self.writes_alone());
        let old = match self.partitions.entry(key.partition) {
            Entry::Occupied(partition) => match partition.into_mut().entry(key.sort) {
                Entry::Occupied(mut slot) => {
                    admit(Some(slot.get()))?;
                    Some(slot.insert(stored))
                }
                Entry::Vacant(slot) => {
                    admit(None)?;
                    slot.insert(stored);
                    None
                }
            },
            Entry::Vacant(partition) => {
                admit(None)?;
                partition.insert(Partition::from([(key.sort, stored)]));
                None
            }
        };
        if let Some(history) = self.history.as_mut() {
            history.skip();
        }
        if old.is_none() {
            self.item_count += 1;
        }
        Ok(old)
    }

    /// Removes the item with this key, and its index entries.
    pub(crate) fn delete(&mut self, key: &ItemKey) -> Option<SharedItem> {
        let partition = self.partitions.get_mut(&key.partition)?;
        let old = partition.remove(&key.sort).map(|stored| stored.item);
        if partition.is_empty() {
            self.partitions.remove(&key.partition);
        }
        if let Some(old) = &old {
            if let Some(history) = self.history.as_mut() {
                if history.is_recording() {
                    history.record(key.clone(), Some(ItemMap::clone(old)), None);
                } else {
                    history.skip();
                }
            }
            if self.pending.is_some() {
                let key = self.key_map(old);
                if let Some(pending) = self.pending.as_mut() {
                    pending.delete(&key);
                }
            }
            self.item_count -= 1;
            for index in &mut self.indexes {
                index.remove(old, key);
            }
        }
        old
    }

    /// A copy of the table's definition and items at this instant, without its change log
    /// (what a backup or a replica view holds). O(items): every item is cloned.
    pub(crate) fn snapshot(&self) -> Table {
        Table {
            name: self.name.clone(),
            schema: self.schema.clone(),
            billing_mode: self.billing_mode,
            index_throughput: self.index_throughput.clone(),
            changes: self.changes.clone(),
            maximums: self.maximums.clone(),
            warm: self.warm.clone(),
            time_to_live: self.time_to_live.clone(),
            created_at: self.created_at,
            indexes: self.indexes.clone(),
            partitions: self.partitions.clone(),
            item_count: self.item_count,
            history: None,
            pending: None,
        }
    }

    /// Marks the deletion of `key` just made as time to live's: its stream record says so,
    /// and so does a durable store's journal (its replay marks it again).
    pub(crate) fn mark_expired(&mut self, key: &ItemKey) {
        let Some(deleted) = self.history.as_mut().and_then(|log| log.mark_expired(key)) else {
            return;
        };
        if let Some(pending) = self.pending.as_mut() {
            pending.expired(&key_map(&self.schema, deleted));
        }
    }

    /// This table as it was at `t`, every write up to and including `t` applied (`None`:
    /// before every logged write): a copy without a change log, with the logged changes newer
    /// than `t` undone, newest first. Exact as long as `t` is inside the window some consumer
    /// of the change log keeps (`history.rs`).
    pub(crate) fn as_of(&self, t: Option<SystemTime>) -> Table {
        let mut table = self.snapshot();
        if let Some(log) = &self.history {
            for change in log.newer_than(t) {
                match &change.old {
                    Some(item) => {
                        table.put(change.key.clone(), item.clone());
                    }
                    None => {
                        table.delete(&change.key);
                    }
                }
            }
        }
        table
    }

    /// A table with this one's definition (key schema, indexes, billing) and no items, no
    /// change log.
    pub(crate) fn empty_copy(&self) -> Table {
        Table {
            name: self.name.clone(),
            schema: self.schema.clone(),
            billing_mode: self.billing_mode,
            index_throughput: self.index_throughput.clone(),
            changes: self.changes.clone(),
            maximums: self.maximums.clone(),
            warm: self.warm.clone(),
            time_to_live: self.time_to_live.clone(),
            created_at: self.created_at,
            indexes: self
                .indexes
                .iter()
                .map(|i| Index::new(i.schema.clone()))
                .collect(),
            partitions: BTreeMap::new(),
            item_count: 0,
            history: None,
            pending: None,
        }
    }

    /// At most `limit` items after the key `after` (`None`: from the first), in key order,
    /// with their keys: a copy made a piece at a time.
    pub(crate) fn items_after(
        &self,
        after: Option<&ItemKey>,
        limit: usize,
    ) -> Vec<(ItemKey, ItemMap)> {
        let lower = match after {
            Some(key) => Bound::Included(&key.partition),
            None => Bound::Unbounded,
        };
        let mut items = Vec::with_capacity(limit);
        for (partition, sorted) in self.partitions.range((lower, Bound::Unbounded)) {
            let start = match after {
                Some(key) if key.partition == *partition => Bound::Excluded(&key.sort),
                _ => Bound::Unbounded,
            };
            for (sort, item) in sorted.range((start, Bound::Unbounded)) {
                if items.len() == limit {
                    return items;
                }
                let key = ItemKey {
                    partition: partition.clone(),
                    sort: sort.clone(),
                };
                items.push((key, ItemMap::clone(&item.item)));
            }
        }
        items
    }

    /// The total size of the items, by DynamoDB's item size rules (a backup's
    /// `BackupSizeBytes`).
    pub(crate) fn size_bytes(&self) -> usize {
        self.partitions
            .values()
            .flat_map(BTreeMap::values)
            .map(|stored| stored.size)
            .sum()
    }

    /// The number of items.
    pub(crate) fn item_count(&self) -> usize {
        self.item_count
    }

    /// The index named `name`.
    pub(crate) fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|i| i.schema.name == name)
    }

    /// Every item, in partition then sort-key order.
    pub(crate) fn items(&self) -> impl Iterator<Item = &ItemMap> {
        self.partitions
            .values()
            .flat_map(BTreeMap::values)
            .map(|stored| &*stored.item)
    }

    /// The partitions, by partition key (for queries and scans).
    pub(crate) fn partitions(&self) -> &BTreeMap<KeyValue, Partition> {
        &self.partitions
    }

    /// What `DescribeTable` reports.
    pub(crate) fn describe(&self, status: TableStatus) -> TableDescription {
        let mut description = TableDescription::new(self.name.clone(), self.schema.clone(), status)
            .billing_mode(self.billing_mode)
            .item_count(i64::try_from(self.item_count).unwrap_or(i64::MAX))
            .indexes(self.indexes.iter().map(|i| i.schema.clone()).collect())
            .index_throughput(self.index_throughput.clone());
        self.maximums.describe(&mut description);
        self.warm.describe(&mut description);
        description.stream = self.history.as_ref().and_then(|log| {
            let view = log.stream?;
            Some(table_stream(&self.name, log.stream_label(), view))
        });
        description
    }
}

/// The key attributes of `item` under `schema`, as a `Key` / `LastEvaluatedKey` map.
fn key_map(schema: &KeySchema, item: &ItemMap) -> ItemMap {
    schema
        .attributes()
        .filter_map(|a| {
            let name = a.name.as_ref();
            item.get(name).map(|v| (name.to_owned(), v.clone()))
        })
        .collect()
}

/// Rewrites an item's numbers the way DynamoDB stores them (`"1.50"` -> `"1.5"`).
pub(crate) fn canonicalize_item(item: &mut ItemMap) {
    item.values_mut().for_each(canonicalize);
}

fn canonicalize(value: &mut AttributeValue) {
    match value {
        AttributeValue::N(n) => canonicalize_number(n),
        AttributeValue::Ns(set) => set.iter_mut().for_each(canonicalize_number),
        AttributeValue::L(list) => list.iter_mut().for_each(canonicalize),
        AttributeValue::M(map) => map.values_mut().for_each(canonicalize),
        _ => {}
    }
}

/// Rewrites one number the way DynamoDB stores it; most are integers already in that form,
/// left as they are without a parse.
fn canonicalize_number(n: &mut String) {
    if Number::canonical_integer_size(n).is_some() {
        return;
    }
    if let Ok(number) = Number::parse(n) {
        *n = number.to_string();
    }
}

/// A `BTreeMap::range` that never panics: an empty range when the bounds cross.
pub(crate) fn safe_range<'a, K: Ord, V>(
    map: &'a BTreeMap<K, V>,
    lower: Bound<&K>,
    upper: Bound<&K>,
) -> Option<std::collections::btree_map::Range<'a, K, V>> {
    use Bound::{Excluded, Included};
    let valid = match (lower, upper) {
        (Included(l), Included(u)) => l <= u,
        (Included(l) | Excluded(l), Excluded(u)) | (Excluded(l), Included(u)) => l < u,
        _ => true,
    };
    valid.then(|| map.range((lower, upper)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_bounds_give_an_empty_range_not_a_panic() {
        let map: BTreeMap<i32, ()> = (0..10).map(|i| (i, ())).collect();
        assert!(safe_range(&map, Bound::Included(&5), Bound::Included(&4)).is_none());
        assert!(safe_range(&map, Bound::Excluded(&5), Bound::Excluded(&5)).is_none());
        assert!(safe_range(&map, Bound::Included(&5), Bound::Excluded(&5)).is_none());
        assert_eq!(
            safe_range(&map, Bound::Included(&5), Bound::Included(&5))
                .unwrap()
                .count(),
            1
        );
    }
}
