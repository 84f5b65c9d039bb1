//! Reads from a secondary index: which index, where a page starts (the index keys and the
//! table's key), and the walk over index entries in index order.

use std::ops::Bound;

use notes_model::{ItemMap, KeyAttribute};

use super::super::index::{Index, IndexPos, Tail};
use super::super::table::{ItemKey, KeyValue, Table, safe_range};
use super::page::Pager;
use super::{
    SortBound, after, check_start_segment, in_segment, outside_boundaries, sort_range, start_key,
};
use crate::error::{Error, Result};
use crate::request::{PageOutput, Query, Scan};
use crate::validate;

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
fn item_at<'a>(table: &'a Table, pos: &IndexPos) -> Option<&'a ItemMap> {
    match &pos.tail {
        Tail::Item(key) => table.get(key),
        Tail::First | Tail::Last => None,
    }
}

/// The starting position in an index: an `ExclusiveStartKey` must hold exactly the index's key
/// attributes and the table's, as the `LastEvaluatedKey` of an index read does.
fn index_start_key(
    table: &Table,
    index: &Index,
    key: Option<&ItemMap>,
    operation: &str,
) -> Result<Option<(KeyValue, IndexPos)>> {
    let Some(key) = key else { return Ok(None) };
    let attributes: Vec<&KeyAttribute> = table
        .schema
        .attributes()
        .chain(
            index
                .key_schema()
                .attributes()
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
    let value = |a: &KeyAttribute| {
        key.get(a.name.as_ref())
            .and_then(KeyValue::of)
            .ok_or_else(|| {
                Error::validation(format!(
                    "The provided starting key is invalid: invalid value for key attribute {} \
                 ({operation} ExclusiveStartKey)",
                    a.name
                ))
            })
    };
    let schema = index.key_schema();
    let partition = value(&schema.partition_key)?;
    let sort = schema.sort_key.as_ref().map(value).transpose()?;
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

pub(super) fn query_index(table: &Table, index: &Index, request: &Query) -> Result<PageOutput> {
    let partition_key = KeyValue::of(&request.key_condition.partition_key.1);
    let (lower, upper) = sort_range(&request.key_condition);
    let mut lower = position_bound(lower, true);
    let mut upper = position_bound(upper, false);
    let start = index_start_key(table, index, request.exclusive_start_key.as_ref(), "Query")?;
    if let Some((partition, pos)) = start {
        if Some(&partition) != partition_key.as_ref() {
            return Err(outside_boundaries());
        }
        if request.scan_index_forward {
            lower = after(lower, pos, true);
        } else {
            upper = after(upper, pos, false);
        }
    }
    let mut pager = Pager::new(
        table,
        Some(index),
        request.filter.as_ref(),
        request.projection.as_deref(),
        request.limit,
    );
    let range = partition_key
        .as_ref()
        .and_then(|pk| index.partition(pk))
        .and_then(|partition| safe_range(partition, lower.as_ref(), upper.as_ref()));
    if let Some(range) = range {
        let positions: Box<dyn Iterator<Item = &IndexPos>> = if request.scan_index_forward {
            Box::new(range.map(|(pos, ())| pos))
        } else {
            Box::new(range.rev().map(|(pos, ())| pos))
        };
        for pos in positions {
            if let Some(item) = item_at(table, pos)
                && !pager.offer(item)
            {
                break;
            }
        }
    }
    Ok(pager.finish(request.consistent_read))
}

pub(super) fn scan_index(table: &Table, index: &Index, request: &Scan) -> Result<PageOutput> {
    let start = index_start_key(table, index, request.exclusive_start_key.as_ref(), "Scan")?;
    check_start_segment(start.as_ref().map(|(p, _)| p), request.segment)?;
    let mut pager = Pager::new(
        table,
        Some(index),
        request.filter.as_ref(),
        request.projection.as_deref(),
        request.limit,
    );
    let first = start
        .as_ref()
        .map_or(Bound::Unbounded, |(p, _)| Bound::Included(p));
    'partitions: for (partition_key, partition) in index.partitions_from(first) {
        if !in_segment(partition_key, request.segment) {
            continue;
        }
        let lower = match &start {
            Some((p, pos)) if p == partition_key => Bound::Excluded(pos),
            _ => Bound::Unbounded,
        };
        let Some(range) = safe_range(partition, lower, Bound::Unbounded) else {
            continue;
        };
        for (pos, ()) in range {
            if let Some(item) = item_at(table, pos)
                && !pager.offer(item)
            {
                break 'partitions;
            }
        }
    }
    Ok(pager.finish(request.consistent_read))
}
