//! The requests and responses of the [`Backend`](crate::Backend) operations, over raw item maps.
//!
//! They mirror DynamoDB's API one to one; expressions are ASTs from [`notes_model::expr`].

use std::collections::HashMap;

use notes_model::expr::{Condition, KeyCondition, Path, Update};
use notes_model::{IndexSchema, ItemMap, KeySchema};

/// Which item image a write returns (DynamoDB's `ReturnValues`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReturnValues {
    /// Nothing.
    #[default]
    None,
    /// The whole item as it was before the write.
    AllOld,
    /// The updated attributes as they were before the update.
    UpdatedOld,
    /// The whole item as it is after the update.
    AllNew,
    /// The updated attributes as they are after the update.
    UpdatedNew,
}

/// `GetItem`.
#[derive(Debug, Clone, PartialEq)]
pub struct GetItem {
    /// The table.
    pub table_name: String,
    /// The full primary key.
    pub key: ItemMap,
    /// Strongly consistent read.
    pub consistent_read: bool,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
}

/// The result of `GetItem`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GetItemOutput {
    /// The item, if it exists.
    pub item: Option<ItemMap>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// `PutItem`.
#[derive(Debug, Clone, PartialEq)]
pub struct PutItem {
    /// The table.
    pub table_name: String,
    /// The whole item, key included.
    pub item: ItemMap,
    /// The write happens only if this holds for the existing item.
    pub condition: Option<Condition>,
    /// `None` or `AllOld`.
    pub return_values: ReturnValues,
}

/// `UpdateItem`.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateItem {
    /// The table.
    pub table_name: String,
    /// The full primary key.
    pub key: ItemMap,
    /// The update actions.
    pub update: Update,
    /// The update happens only if this holds for the existing item.
    pub condition: Option<Condition>,
    /// Which image to return.
    pub return_values: ReturnValues,
}

/// `DeleteItem`.
#[derive(Debug, Clone, PartialEq)]
pub struct DeleteItem {
    /// The table.
    pub table_name: String,
    /// The full primary key.
    pub key: ItemMap,
    /// The delete happens only if this holds for the existing item.
    pub condition: Option<Condition>,
    /// `None` or `AllOld`.
    pub return_values: ReturnValues,
}

/// The result of `PutItem`, `UpdateItem` and `DeleteItem`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WriteOutput {
    /// The image asked for with [`ReturnValues`].
    pub attributes: Option<ItemMap>,
    /// Write capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// `Query`.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The table.
    pub table_name: String,
    /// A secondary index to query instead of the table.
    pub index_name: Option<String>,
    /// Partition key equality and an optional sort-key condition.
    pub key_condition: KeyCondition,
    /// Applied after the key condition, before the page is returned.
    pub filter: Option<Condition>,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
    /// The most items to evaluate for this page.
    pub limit: Option<u32>,
    /// `true` for ascending sort-key order (DynamoDB's default).
    pub scan_index_forward: bool,
    /// Continue after this key (a previous page's `last_evaluated_key`).
    pub exclusive_start_key: Option<ItemMap>,
    /// Strongly consistent read.
    pub consistent_read: bool,
}

/// `Scan`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scan {
    /// The table.
    pub table_name: String,
    /// A secondary index to scan instead of the table.
    pub index_name: Option<String>,
    /// Applied to each item read.
    pub filter: Option<Condition>,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
    /// The most items to evaluate for this page.
    pub limit: Option<u32>,
    /// Continue after this key.
    pub exclusive_start_key: Option<ItemMap>,
    /// Strongly consistent read.
    pub consistent_read: bool,
    /// `(segment, total_segments)` for a parallel scan.
    pub segment: Option<(u32, u32)>,
}

/// One page of a `Query` or `Scan`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// The items of this page, after the filter.
    pub items: Vec<ItemMap>,
    /// How many items were evaluated before the filter.
    pub scanned_count: usize,
    /// Where the next page starts; `None` on the last page.
    pub last_evaluated_key: Option<ItemMap>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// The keys to read from one table in a `BatchGetItem`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeysAndAttributes {
    /// Full primary keys.
    pub keys: Vec<ItemMap>,
    /// Strongly consistent read.
    pub consistent_read: bool,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
}

/// `BatchGetItem` (up to 100 keys in all).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchGetItem {
    /// Table name to keys.
    pub request_items: HashMap<String, KeysAndAttributes>,
}

/// The result of `BatchGetItem`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchGetItemOutput {
    /// Table name to the items found (in no particular order).
    pub responses: HashMap<String, Vec<ItemMap>>,
    /// Keys the service did not get to; send them again.
    pub unprocessed_keys: HashMap<String, KeysAndAttributes>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// One write of a `BatchWriteItem`.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteRequest {
    /// Put this item.
    Put(ItemMap),
    /// Delete the item with this key.
    Delete(ItemMap),
}

/// `BatchWriteItem` (up to 25 writes in all).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchWriteItem {
    /// Table name to writes.
    pub request_items: HashMap<String, Vec<WriteRequest>>,
}

/// The result of `BatchWriteItem`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BatchWriteItemOutput {
    /// Writes the service did not get to; send them again.
    pub unprocessed_items: HashMap<String, Vec<WriteRequest>>,
    /// Write capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// One read of a `TransactGetItems`.
#[derive(Debug, Clone, PartialEq)]
pub struct TransactGet {
    /// The table.
    pub table_name: String,
    /// The full primary key.
    pub key: ItemMap,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
}

/// `TransactGetItems` (up to 100 reads).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TransactGetItems {
    /// The reads.
    pub items: Vec<TransactGet>,
}

/// The result of `TransactGetItems`: one entry per read, in request order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TransactGetItemsOutput {
    /// The items; `None` where no item has the key.
    pub items: Vec<Option<ItemMap>>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// One action of a `TransactWriteItems`.
#[derive(Debug, Clone, PartialEq)]
pub enum TransactWrite {
    /// Put an item.
    Put {
        /// The table.
        table_name: String,
        /// The whole item.
        item: ItemMap,
        /// The put happens only if this holds.
        condition: Option<Condition>,
    },
    /// Update an item.
    Update {
        /// The table.
        table_name: String,
        /// The full primary key.
        key: ItemMap,
        /// The update actions.
        update: Update,
        /// The update happens only if this holds.
        condition: Option<Condition>,
    },
    /// Delete an item.
    Delete {
        /// The table.
        table_name: String,
        /// The full primary key.
        key: ItemMap,
        /// The delete happens only if this holds.
        condition: Option<Condition>,
    },
    /// Check a condition on an item without writing it.
    ConditionCheck {
        /// The table.
        table_name: String,
        /// The full primary key.
        key: ItemMap,
        /// The condition that must hold.
        condition: Condition,
    },
}

/// `TransactWriteItems` (up to 100 actions, all or nothing).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TransactWriteItems {
    /// The actions.
    pub items: Vec<TransactWrite>,
    /// Makes the call idempotent for 10 minutes.
    pub client_request_token: Option<String>,
}

/// The result of `TransactWriteItems`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TransactWriteItemsOutput {
    /// Write capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// How a table is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BillingMode {
    /// On demand (`PAY_PER_REQUEST`).
    #[default]
    PayPerRequest,
    /// Provisioned capacity units.
    Provisioned {
        /// Read capacity units.
        read_capacity_units: i64,
        /// Write capacity units.
        write_capacity_units: i64,
    },
}

/// `CreateTable`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTable {
    /// The table name.
    pub table_name: String,
    /// The primary key.
    pub key_schema: KeySchema,
    /// On demand or provisioned (global indexes get the table's provisioned capacity).
    pub billing_mode: BillingMode,
    /// Global and local secondary indexes, created with the table.
    pub indexes: Vec<IndexSchema>,
}

/// A table's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableStatus {
    /// Being created.
    Creating,
    /// Ready for reads and writes.
    Active,
    /// Being updated.
    Updating,
    /// Being deleted.
    Deleting,
    /// Any other status the service reports.
    Other(String),
}

/// What `CreateTable`, `DescribeTable` and `DeleteTable` say about a table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableDescription {
    /// The table name.
    pub table_name: String,
    /// The primary key.
    pub key_schema: KeySchema,
    /// The table's status.
    pub status: TableStatus,
    /// How the table is billed, when the service says.
    pub billing_mode: Option<BillingMode>,
    /// The approximate item count, when the service says.
    pub item_count: Option<i64>,
    /// The table's global and local secondary indexes.
    pub indexes: Vec<IndexSchema>,
}
