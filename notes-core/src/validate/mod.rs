//! DynamoDB's request validation rules, shared by the typed `Repo` (checked before any request
//! is sent) and by `MemoryBackend` (which must reject what DynamoDB rejects).
//!
//! Every error is [`Error::Validation`] with DynamoDB's `ValidationException` wording first,
//! followed by where the problem is (attribute, path or key), so a `contains` check against
//! the service's message works and a human still learns what to fix.
//!
//! By concept: `value` (items, keys, attribute values and their sizes), `expression`
//! (conditions, updates, projections, key conditions), `table` (the names and key schemas
//! `CreateTable` gives a table and its indexes), `index` (secondary index definitions),
//! `nesting` (document nesting, checked before anything recurses through a value),
//! `read` (the `Limit` and `Select` of queries and scans), `recovery` (point-in-time
//! recovery's period) and `transaction` (a write transaction's aggregate
//! size).

mod expression;
mod index;
mod location;
mod nesting;
mod provisioning;
mod read;
mod recovery;
mod table;
mod throughput;
mod transaction;
mod value;

#[cfg(test)]
mod test_values;

pub use expression::{
    BoundKeyCondition, bind_key_condition, bind_key_terms, compare_scalars, condition,
    index_key_condition, key_condition, path_start, projection, unconverted, update,
    update_actions, update_keeps_keys,
};
pub use index::attribute_types;
pub use index::{check_indexes, index_key_schema, index_key_values};
pub use nesting::{nesting, value_nesting};
pub use provisioning::{
    MAX_TARGET_UTILIZATION, MAX_UNITS, MIN_TARGET_UTILIZATION, scaling_policy, update_table,
};
pub use read::{MAX_LIMIT, limit, select, select_on_index};
pub use recovery::{
    MAX_RECOVERY_PERIOD_DAYS, MIN_RECOVERY_PERIOD_DAYS, continuous_backups, recovery_period_in_days,
};
pub use table::{distinct_key_names, key_names_present, name};
pub use throughput::{ON_DEMAND_WARM_THROUGHPUT, create_table_throughput, warm_throughput_floor};
pub use transaction::transaction_size;
pub use value::{index_key_size, item, item_key_values, item_size, key, key_shape, key_values};

use crate::error::Error;

/// The largest item DynamoDB stores: 400 KB.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;
/// The largest partition key value, in bytes.
pub const MAX_PARTITION_KEY_SIZE: usize = 2048;
/// The largest sort key value, in bytes.
pub const MAX_SORT_KEY_SIZE: usize = 1024;
/// Document nesting levels; the top-level attribute's value is level 1.
pub const MAX_NESTING_LEVELS: usize = 32;
/// The most operands of `IN`.
const MAX_IN_OPERANDS: usize = 100;
/// The most operators and functions in one expression.
const MAX_OPERATORS: usize = 300;

const INVALID: &str = "One or more parameter values were invalid: ";

fn invalid(message: String) -> Error {
    Error::validation(format!("{INVALID}{message}"))
}
