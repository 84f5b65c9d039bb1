//! What an item operation reports about itself when asked: `ConsumedCapacity`
//! (`ReturnConsumedCapacity`) and `ItemCollectionMetrics` (`ReturnItemCollectionMetrics`).
//!
//! The shapes are DynamoDB's: single-item operations, queries, scans and batches report
//! `CapacityUnits` alone; `TransactGetItems` mirrors them into `ReadCapacityUnits` and
//! `TransactWriteItems` into `WriteCapacityUnits`, at every level. With `INDEXES`, the units
//! read from an index are that index's (`GlobalSecondaryIndexes` or `LocalSecondaryIndexes`)
//! and the table's share is what is left.
//!
//! The engine reports one total per request: a write's index units are part of the table's
//! figure, and a write or a transaction on several tables has its total [`shared`] among
//! them by how many of the request's items each holds (exact for the usual one table).

use std::collections::HashMap;

use notes_core::request::{TableDescription, WriteRequest};
use notes_model::{AttributeValue, IndexKind};
use serde_json::{Map, Value, json};

use super::describe;
use super::params::ReturnCapacity;
use crate::errors::ErrorAnswer;
use crate::protocol::Service;

/// Which units a response names besides `CapacityUnits`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Axis {
    /// `CapacityUnits` alone.
    Plain,
    /// `ReadCapacityUnits` too (`TransactGetItems`).
    Read,
    /// `WriteCapacityUnits` too (`TransactWriteItems`).
    Write,
}

/// The units a request consumed: on the table, and on the index it read, if any.
#[derive(Debug, Clone, Copy)]
pub(super) struct Units<'a> {
    /// The table's units.
    pub(super) table: f64,
    /// The index read: its name, kind and units.
    pub(super) index: Option<(&'a str, IndexKind, f64)>,
}

impl<'a> Units<'a> {
    /// Units consumed on the table alone (none reported: 0).
    pub(super) fn table(units: Option<f64>) -> Self {
        Units {
            table: units.unwrap_or(0.0),
            index: None,
        }
    }

    /// Units consumed reading the index `name` (none reported: 0).
    pub(super) fn index(name: &'a str, kind: IndexKind, units: Option<f64>) -> Self {
        Units {
            table: 0.0,
            index: Some((name, kind, units.unwrap_or(0.0))),
        }
    }
}

/// One table's `ConsumedCapacity`, or `None` when the request did not ask for it.
pub(super) fn consumed(
    mode: ReturnCapacity,
    table: &str,
    units: Units<'_>,
    axis: Axis,
) -> Option<Value> {
    if mode == ReturnCapacity::None {
        return None;
    }
    let total = units.table + units.index.map_or(0.0, |(_, _, units)| units);
    let mut consumed = capacity(total, axis);
    consumed.insert("TableName".to_owned(), json!(table));
    if mode == ReturnCapacity::Indexes {
        consumed.insert(
            "Table".to_owned(),
            Value::Object(capacity(units.table, axis)),
        );
        if let Some((name, kind, units)) = units.index {
            let member = match kind {
                IndexKind::Global => "GlobalSecondaryIndexes",
                IndexKind::Local => "LocalSecondaryIndexes",
            };
            consumed.insert(
                member.to_owned(),
                json!({ name: Value::Object(capacity(units, axis)) }),
            );
        }
    }
    Some(Value::Object(consumed))
}

/// The `ConsumedCapacity` list of a request on several tables, one entry per table.
pub(super) fn consumed_list(
    mode: ReturnCapacity,
    tables: &[(String, f64)],
    axis: Axis,
) -> Option<Value> {
    if mode == ReturnCapacity::None {
        return None;
    }
    let list = tables
        .iter()
        .filter_map(|(table, units)| consumed(mode, table, Units::table(Some(*units)), axis))
        .collect();
    Some(Value::Array(list))
}

/// A request's `total` shared among its tables (each with how many of the request's items it
/// holds): all of it for one table, else by items, as the engine reports no finer figure.
pub(super) fn shared(total: Option<f64>, tables: &[(String, usize)]) -> Vec<(String, f64)> {
    let total = total.unwrap_or(0.0);
    let items: usize = tables.iter().map(|(_, count)| count).sum();
    tables
        .iter()
        .map(|(table, count)| {
            let units = match tables.len() {
                1 => total,
                _ => total * (*count as f64) / (items.max(1) as f64),
            };
            (table.clone(), units)
        })
        .collect()
}

fn capacity(units: f64, axis: Axis) -> Map<String, Value> {
    let mut capacity = Map::new();
    capacity.insert("CapacityUnits".to_owned(), json!(units));
    match axis {
        Axis::Plain => {}
        Axis::Read => {
            capacity.insert("ReadCapacityUnits".to_owned(), json!(units));
        }
        Axis::Write => {
            capacity.insert("WriteCapacityUnits".to_owned(), json!(units));
        }
    }
    capacity
}

/// Whether writes to `table` report `ItemCollectionMetrics`: only a table with a local
/// secondary index has item collections DynamoDB measures.
pub(super) fn has_item_collections(table: &TableDescription) -> bool {
    table
        .indexes
        .iter()
        .any(|index| index.kind == IndexKind::Local)
}

/// The `ItemCollectionMetrics` of the item collection with partition key `name` = `value`.
///
/// The engine does not measure item collections; DynamoDB's estimate for a collection under
/// a gigabyte (every collection this engine is likely to hold) is the range 0 to 1 GB.
pub(super) fn item_collection_metrics(name: &str, value: &AttributeValue) -> Value {
    json!({
        "ItemCollectionKey": { name: value },
        "SizeEstimateRangeGB": [0.0, 1.0],
    })
}

/// `ItemCollectionMetrics` of a batch's or a transaction's writes (puts, and the keys of
/// updates and deletes): for each table with item collections, one entry per partition key
/// written, leaving out what is `unprocessed`.
pub(super) async fn collection_metrics(
    service: &Service,
    written: &HashMap<String, Vec<WriteRequest>>,
    unprocessed: &HashMap<String, Vec<WriteRequest>>,
    operation: &'static str,
) -> Result<Value, ErrorAnswer> {
    let mut metrics = Map::new();
    let mut tables: Vec<&String> = written.keys().collect();
    tables.sort();
    for table in tables {
        let description = describe(service, table, operation).await?;
        if !has_item_collections(&description) {
            continue;
        }
        let partition = description.key_schema.partition_key.name.as_ref();
        let left = unprocessed.get(table.as_str());
        let mut seen = Vec::new();
        for write in &written[table] {
            if left.is_some_and(|left| left.contains(write)) {
                continue;
            }
            let (WriteRequest::Put(item) | WriteRequest::Delete(item)) = write;
            if let Some(value) = item.get(partition)
                && !seen.contains(&value)
            {
                seen.push(value);
            }
        }
        let entries = seen
            .into_iter()
            .map(|value| item_collection_metrics(partition, value))
            .collect();
        metrics.insert(table.clone(), Value::Array(entries));
    }
    Ok(Value::Object(metrics))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn total_names_the_table_and_its_units() {
        assert_eq!(
            consumed(
                ReturnCapacity::Total,
                "notes",
                Units::table(Some(1.0)),
                Axis::Plain
            ),
            Some(json!({"TableName": "notes", "CapacityUnits": 1.0}))
        );
        assert_eq!(
            consumed(
                ReturnCapacity::None,
                "notes",
                Units::table(Some(1.0)),
                Axis::Plain
            ),
            None
        );
    }

    #[test]
    fn indexes_give_an_index_read_to_the_index() {
        let index = Units::index("byDate", IndexKind::Global, Some(0.5));
        assert_eq!(
            consumed(ReturnCapacity::Indexes, "notes", index, Axis::Plain),
            Some(json!({
                "TableName": "notes",
                "CapacityUnits": 0.5,
                "Table": {"CapacityUnits": 0.0},
                "GlobalSecondaryIndexes": {"byDate": {"CapacityUnits": 0.5}},
            }))
        );
    }

    #[test]
    fn transactions_mirror_units_into_their_axis() {
        assert_eq!(
            consumed(
                ReturnCapacity::Indexes,
                "notes",
                Units::table(Some(2.0)),
                Axis::Write
            ),
            Some(json!({
                "TableName": "notes",
                "CapacityUnits": 2.0,
                "WriteCapacityUnits": 2.0,
                "Table": {"CapacityUnits": 2.0, "WriteCapacityUnits": 2.0},
            }))
        );
    }

    #[test]
    fn several_tables_share_the_total_by_their_items() {
        let tables = shared(Some(3.0), &[("a".to_owned(), 2), ("b".to_owned(), 1)]);
        assert_eq!(tables, [("a".to_owned(), 2.0), ("b".to_owned(), 1.0)]);
        assert_eq!(
            consumed_list(ReturnCapacity::Total, &tables, Axis::Plain),
            Some(json!([
                {"TableName": "a", "CapacityUnits": 2.0},
                {"TableName": "b", "CapacityUnits": 1.0},
            ]))
        );
    }
}
