//! What each request draws on the throughput buckets (`throughput.rs`), decided under the
//! request's tables locked, so that admission and charge see the same table.
//!
//! - A read draws on its table's read bucket, or on the global index's when it reads one (a
//!   local index shares the table's).
//! - A write needs capacity in its table's write bucket and in every global index's: "In order
//!   for a table write to succeed, the provisioned throughput settings for the table and all
//!   of its global secondary indexes must have enough write capacity to accommodate the write;
//!   otherwise, the write to the table is throttled"
//!   (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations>).
//!   It then costs the table its units (twice in a transaction) plus each local index's, and
//!   each global index the units of the change to its entry (`Index::write_units`).
//! - Batches are metered item by item: an item whose bucket is empty is left unprocessed
//!   (`UnprocessedKeys` / `UnprocessedItems`), and a batch of which nothing could be processed
//!   fails with `ProvisionedThroughputExceededException` (BatchGetItem and BatchWriteItem in
//!   the API reference). A transaction is admitted only if every bucket it needs holds
//!   capacity, or fails as a whole.
//! - On demand, the same draws meet the buckets of on-demand maximums (`on_demand.rs`): the
//!   table's, for its reads and writes (a local index's too), and each global index's that
//!   has one, for reads through it and for every write to the table.
//! - A refused request answers [`Error::Throttled`] with the reason DynamoDB gives
//!   (`ThrottlingReasons`): the table or index (`resource`: its ARN), reads or writes, and
//!   the limit (`TableWriteProvisionedThroughputExceeded`,
//!   `IndexReadMaxOnDemandThroughputExceeded`, ...), and the exception DynamoDB answers for
//!   it (`ProvisionedThroughputExceededException`, or `ThrottlingException` past an on-demand
//!   maximum), its message in the error's source.

use notes_model::ItemMap;

use super::capacity::item_write_units;
use super::prepared::Prepared;
use super::table::Table;
use super::throughput::{Draw, Kind, Throughput};
use notes_core::ConsumedCapacity;
use notes_core::request::BillingMode;
use notes_core::throttling::{LimitType, OperationType, ResourceType, ThrottlingReason};
use notes_core::{Error, Result};

/// The ARN of the engine's table `table` (of its index `index`, if any): what a throttling
/// reason names (`arn:aws:dynamodb:ddblocal:000000000000:table/<table>[/index/<index>]`, in
/// the region and account of the engine's backup ARNs).
pub(crate) fn resource_arn(table: &str, index: Option<&str>) -> String {
    match index {
        Some(index) => {
            format!("arn:aws:dynamodb:ddblocal:000000000000:table/{table}/index/{index}")
        }
        None => format!("arn:aws:dynamodb:ddblocal:000000000000:table/{table}"),
    }
}

/// The buckets a request draws on: `Meter::default()` (throughput not enforced) admits
/// everything and charges nothing.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Meter<'a>(Option<&'a Throughput>);

impl<'a> Meter<'a> {
    /// Meters requests on `throughput`'s buckets (`None`: not enforced).
    pub(crate) fn new(throughput: Option<&'a Throughput>) -> Self {
        Meter(throughput)
    }

    /// Whether throughput is not enforced: every request is admitted and nothing charged.
    pub(crate) fn is_free(self) -> bool {
        self.0.is_none()
    }

    /// Runs a read of `table` (through its index `index`, if any) and takes what it consumed,
    /// or answers the throttling error (and nothing) when the bucket is empty.
    pub(crate) fn read<O: ConsumedCapacity>(
        self,
        table: &Table,
        index: Option<&str>,
        run: impl FnOnce() -> Result<O>,
    ) -> Result<O> {
        let output = run()?;
        self.take_read(table, index, output.capacity_units().unwrap_or(0.0))?;
        Ok(output)
    }

    /// Takes `units` from the read bucket of `table` (of its index `index`, if global).
    pub(crate) fn take_read(self, table: &Table, index: Option<&str>, units: f64) -> Result<()> {
        let Some(throughput) = self.0 else {
            return Ok(());
        };
        let Some(bucket) = bucket(table, index, Kind::Read) else {
            return Ok(());
        };
        let draw = [Draw {
            index: bucket.index,
            kind: Kind::Read,
            rate: bucket.rate,
            units,
            limit: bucket.limit,
        }];
        throughput
            .take(&table.name, &draw)
            .map_err(|draw| throttled(table, draw))
    }

    /// Takes a write's units: the table `table_units` (its `write_units()`, computed once by
    /// the caller) plus each local index's, each global index its own. Every global index
    /// must hold capacity, whether or not this write changes its entry.
    pub(crate) fn take_write(
        self,
        table: &Table,
        write: &Prepared,
        table_units: f64,
    ) -> Result<()> {
        let Some(throughput) = self.0 else {
            return Ok(());
        };
        if table.indexes.is_empty() {
            // The common case, without allocating.
            let Some(bucket) = bucket(table, None, Kind::Write) else {
                return Ok(());
            };
            let draw = [Draw {
                index: None,
                kind: Kind::Write,
                rate: bucket.rate,
                units: table_units,
                limit: bucket.limit,
            }];
            return throughput
                .take(&table.name, &draw)
                .map_err(|draw| throttled(table, draw));
        }
        let draws = write_draws(table, Some(write), table_units);
        throughput
            .take(&table.name, &draws)
            .map_err(|draw| throttled(table, draw))
    }

    /// Admits a transaction's read of `table` without taking anything yet (a transaction
    /// needs every bucket it touches to hold capacity before any of it runs).
    pub(crate) fn admit_read(self, table: &Table) -> Result<()> {
        self.take_read(table, None, 0.0)
    }

    /// Admits a transaction's write to `table` (and so to each of its global indexes).
    pub(crate) fn admit_write(self, table: &Table) -> Result<()> {
        let Some(throughput) = self.0 else {
            return Ok(());
        };
        let draws = write_draws(table, None, 0.0);
        throughput
            .take(&table.name, &draws)
            .map_err(|draw| throttled(table, draw))
    }

    /// Charges an admitted transaction's read of `table`.
    pub(crate) fn charge_read(self, table: &Table, units: f64) {
        if let Some(throughput) = self.0
            && bucket(table, None, Kind::Read).is_some()
        {
            throughput.charge(&table.name, None, Kind::Read, units);
        }
    }

    /// Charges an admitted transaction's write: as [`take_write`](Self::take_write), without
    /// checking the buckets again.
    pub(crate) fn charge_write(self, table: &Table, write: &Prepared, factor: f64) {
        let Some(throughput) = self.0 else {
            return;
        };
        let table_units = write.write_units() * factor;
        for draw in write_draws(table, Some(write), table_units) {
            throughput.charge(&table.name, draw.index, Kind::Write, draw.units);
        }
    }

    /// Takes what a conditional write whose condition failed consumes: "DynamoDB still
    /// consumes write capacity from the table. The amount consumed is dependent on the size
    /// of the existing item (or a minimum of 1)" (developerguide/WorkingWithItems.html,
    /// conditional writes).
    pub(crate) fn take_failed_write(self, table: &Table, existing: Option<&ItemMap>) -> Result<()> {
        let Some(throughput) = self.0 else {
            return Ok(());
        };
        let Some(bucket) = bucket(table, None, Kind::Write) else {
            return Ok(());
        };
        let draw = [Draw {
            index: None,
            kind: Kind::Write,
            rate: bucket.rate,
            units: item_write_units(existing),
            limit: bucket.limit,
        }];
        throughput
            .take(&table.name, &draw)
            .map_err(|draw| throttled(table, draw))
    }
}

/// The bucket a request draws on: its rate (units a second), the global index it belongs to
/// (`None`: the table's), and the limit it is.
#[derive(Debug, Clone, Copy)]
struct Bucket<'t> {
    rate: i64,
    index: Option<&'t str>,
    limit: LimitType,
}

/// The bucket of reads or writes of `table` through `index` (`None`: the table itself; a
/// local index shares the table's): the provisioned capacity of a provisioned table or
/// global index, the maximum of an on-demand one that has one; `None` when there is none.
fn bucket<'t>(table: &'t Table, index: Option<&str>, kind: Kind) -> Option<Bucket<'t>> {
    let global = index.and_then(|name| {
        let index = table
            .indexes
            .iter()
            .find(|i| i.schema.name.as_ref() == name)?;
        index.is_global().then_some(index.schema.name.as_ref())
    });
    match table.billing_mode {
        BillingMode::Provisioned {
            read_capacity_units,
            write_capacity_units,
        } => {
            let global = global.and_then(|name| table.index_throughput.get_key_value(name));
            let (read, write) = global
                .map_or((read_capacity_units, write_capacity_units), |(_, t)| {
                    (t.read_capacity_units, t.write_capacity_units)
                });
            Some(Bucket {
                rate: match kind {
                    Kind::Read => read,
                    Kind::Write => write,
                },
                index: global.map(|(name, _)| name.as_str()),
                limit: LimitType::ProvisionedThroughput,
            })
        }
        BillingMode::PayPerRequest => Some(Bucket {
            rate: table.maximums.rate(global, kind)?,
            index: global,
            limit: LimitType::MaxOnDemandThroughput,
        }),
    }
}

/// What a write to `table` draws: the table `table_units` plus each local index's units (on
/// the table's bucket, if it has one), each global index with a bucket its own units (nothing
/// for an admission without a write). Every global index with a bucket is drawn on, whether or
/// not the write changes its entry.
fn write_draws<'t>(table: &'t Table, write: Option<&Prepared>, table_units: f64) -> Vec<Draw<'t>> {
    let mut draws = Vec::new();
    let mut own_units = table_units;
    // Each index's units, in `table.indexes` order (computed once).
    let units: Vec<f64> = write.map_or_else(Vec::new, |write| {
        write.index_write_units(table).map(|(_, u)| u).collect()
    });
    for (position, index) in table.indexes.iter().enumerate() {
        let index_units = units.get(position).copied().unwrap_or(0.0);
        if !index.is_global() {
            own_units += index_units;
            continue;
        }
        if let Some(bucket) = bucket(table, Some(index.schema.name.as_ref()), Kind::Write) {
            draws.push(Draw {
                index: bucket.index,
                kind: Kind::Write,
                rate: bucket.rate,
                units: index_units,
                limit: bucket.limit,
            });
        }
    }
    if let Some(bucket) = bucket(table, None, Kind::Write) {
        draws.insert(
            0,
            Draw {
                index: None,
                kind: Kind::Write,
                rate: bucket.rate,
                units: own_units,
                limit: bucket.limit,
            },
        );
    }
    draws
}

/// DynamoDB's answer to a request refused by the bucket `draw` drew on: its reason, and the
/// exception with its message as the source.
fn throttled(table: &Table, draw: &Draw<'_>) -> Error {
    let (resource_type, arn) = match draw.index {
        Some(index) => (ResourceType::Index, resource_arn(&table.name, Some(index))),
        None => (ResourceType::Table, resource_arn(&table.name, None)),
    };
    let operation = match draw.kind {
        Kind::Read => OperationType::Read,
        Kind::Write => OperationType::Write,
    };
    let message = match (draw.limit, draw.index, draw.kind) {
        // A table write refused by a global index's capacity.
        (LimitType::ProvisionedThroughput, Some(_), Kind::Write) => {
            "The level of configured provisioned throughput for one or more global secondary \
             indexes of the table was exceeded. Consider increasing your provisioning level \
             for the under-provisioned global secondary indexes with the UpdateTable API"
                .to_owned()
        }
        (LimitType::ProvisionedThroughput, index, _) => format!(
            "The level of configured provisioned throughput for the {} was exceeded. Consider \
             increasing your provisioning level with the UpdateTable API.",
            if index.is_some() { "index" } else { "table" }
        ),
        (_, index, kind) => format!(
            "Throughput exceeds the maximum OnDemandThroughput configured for the {}: at most \
             {} {} request units a second. Consider increasing {} with the UpdateTable API.",
            if index.is_some() { "index" } else { "table" },
            draw.rate,
            if kind == Kind::Read { "read" } else { "write" },
            if kind == Kind::Read {
                "MaxReadRequestUnits"
            } else {
                "MaxWriteRequestUnits"
            },
        ),
    };
    Error::Throttled {
        source: Some(format!("{}: {message}", draw.limit.exception()).into()),
        retried: false,
        reasons: vec![ThrottlingReason::exceeded(
            resource_type,
            operation,
            draw.limit,
            arn,
        )],
    }
}
