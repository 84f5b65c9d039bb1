//! Reads from a secondary index: which index, where a page starts (every index key attribute
//! and the table's key), and the index entries as a `Source` the query and scan walks read.

use std::collections::BTreeMap;
use std::ops::Bound;

use notes_model::{ItemMap, KeyAttribute};

use super::super::index::{Index, IndexPartition, IndexPos, Tail};
use super::super::key::{ItemKey, KeyTuple, KeyValue, tuple_segment};
use super::super::table::{Stored, Table};
use super::{SortBound, Source, start_key};
use notes_core::validate::{self, BoundKeyCondition};
use notes_core::{Error, Result};

/// The index a request names, if any: it must exist, and a global one cannot be read
/// consistently.
pub(super) fn resolve_index<'a>(
    table: &'a Table,
    index_name: Option<&str>,
    consistent_read: bool,
) -> Result<Option<&'a Index>> {
    let Some(name) = index_name else {
        return Ok(None);
    };
    let index = table.index(name).ok_or_else(|| {
        Error::validation(format!(
            "The table does not have the specified index: {name}"
        ))
    })?;
    if index.is_global() && consistent_read {
        return Err(Error::validation(
            "Consistent reads are not supported on global secondary indexes",
        ));
    }
    Ok(Some(index))
}

/// The item an index entry points at.
fn item_at<'a>(table: &'a Table, pos: &IndexPos) -> Option<&'a Stored> {
    match &pos.tail {
        Tail::Item(key) => table.stored(key),
        Tail::First | Tail::Last => None,
    }
}

/// The starting position in an index: an `ExclusiveStartKey` must hold exactly the index's key
/// attributes (every one of a multi-attribute key) and the table's, as the
/// `LastEvaluatedKey` of an index read does.
fn index_start_key(
    table: &Table,
    index: &Index,
    key: Option<&ItemMap>,
    operation: &str,
) -> Result<Option<(KeyTuple, IndexPos)>> {
    let Some(key) = key else { return Ok(None) };
    let attributes: Vec<&KeyAttribute> = table
        .schema
        .attributes()
        .chain(
            index
                .schema
                .key_attributes()
                .filter(|a| !table.schema.is_key_attribute(&a.name)),
        )
        .collect();
    if let Err(mismatch) = validate::key_shape(key, &attributes) {
        return Err(Error::validation(format!(
            "The provided starting key is invalid: The provided key element does not match the \
             schema ({operation} ExclusiveStartKey of index {}: expected the index and table \
             keys {}; got {})",
            index.schema.name, mismatch.expected, mismatch.got
        )));
    }
    let table_key: ItemMap = table
        .schema
        .attributes()
        .filter_map(|a| {
            let name = a.name.as_ref();
            key.get(name).map(|v| (name.to_owned(), v.clone()))
        })
        .collect();
    let item_key = start_key(table, Some(&table_key), operation)?
        .map(|(partition, sort)| ItemKey { partition, sort });
    let values = |attributes: &mut dyn Iterator<Item = &KeyAttribute>| {
        attributes
            .map(|a| {
                key.get(a.name.as_ref())
                    .and_then(KeyValue::of)
                    .ok_or_else(|| {
                        Error::validation(format!(
                            "The provided starting key is invalid: invalid value for key \
                             attribute {} ({operation} ExclusiveStartKey)",
                            a.name
                        ))
                    })
            })
            .collect::<Result<KeyTuple>>()
    };
    let partition = values(&mut index.schema.partition_key_attributes())?;
    let sort = values(&mut index.schema.sort_key_attributes())?;
    Ok(item_key.map(|item_key| {
        (
            partition,
            IndexPos {
                sort,
                tail: Tail::Item(item_key),
            },
        )
    }))
}

/// A sort-key bound as a bound on index positions: every entry with an included sort key
/// is inside, every entry with an excluded one outside.
fn position_bound(bound: SortBound, lower: bool) -> Bound<IndexPos> {
    let pos = |sort, tail| IndexPos { sort, tail };
    match (bound, lower) {
        (Bound::Unbounded, _) => Bound::Unbounded,
        (Bound::Included(sort), true) => Bound::Included(pos(sort, Tail::First)),
        (Bound::Excluded(sort), true) => Bound::Excluded(pos(sort, Tail::Last)),
        (Bound::Included(sort), false) => Bound::Included(pos(sort, Tail::Last)),
        (Bound::Excluded(sort), false) => Bound::Excluded(pos(sort, Tail::First)),
    }
}

/// A read of a secondary index: positions are index sort keys then table keys, and an
/// entry stands for the table's item with that key.
#[derive(Clone, Copy)]
pub(super) struct IndexRead<'a> {
    pub(super) table: &'a Table,
    pub(super) index: &'a Index,
}

impl<'a> Source<'a> for IndexRead<'a> {
    type Partition = KeyTuple;
    type Pos = IndexPos;
    type Entry = ();

    fn table(self) -> &'a Table {
        self.table
    }

    fn index(self) -> Option<&'a Index> {
        Some(self.index)
    }

    fn partitions(self) -> &'a BTreeMap<KeyTuple, IndexPartition> {
        self.index.partitions()
    }

    fn partition_of(condition: &BoundKeyCondition<'_>) -> Option<KeyTuple> {
        condition
            .partition
            .iter()
            .map(|v| KeyValue::of(v))
            .collect()
    }

    fn segment(partition: &KeyTuple, total: u32) -> u32 {
        tuple_segment(partition, total)
    }

    fn start_key(
        self,
        key: Option<&ItemMap>,
        operation: &str,
    ) -> Result<Option<(KeyTuple, IndexPos)>> {
        index_start_key(self.table, self.index, key, operation)
    }

    fn position_bound(bound: SortBound, lower: bool) -> Bound<IndexPos> {
        position_bound(bound, lower)
    }

    fn item(self, pos: &'a IndexPos, (): &'a ()) -> Option<&'a Stored> {
        item_at(self.table, pos)
    }
}
