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

use notes_model::ItemMap;

use super::capacity::item_write_units;
use super::prepared::Prepared;
use super::table::Table;
use super::throughput::{Draw, Kind, Throughput};
use notes_core::ConsumedCapacity;
use notes_core::request::BillingMode;
use notes_core::{Error, Result};

/// The buckets a request draws on: `Meter::default()` (throughput not enforced) admits
/// everything and charges nothing.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Meter<'a>(Option<&'a Throughput>);

impl<'a> Meter<'a> {
    /// Meters requests on `throughput`'s buckets (`None`: not enforced).
    pub(crate) fn new(throughput: Option<&'a Throughput>) -> Self {
        Meter(throughput)
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
        let Some((rate, bucket)) = rate(table, index, Kind::Read) else {
            return Ok(());
        };
        let draw = [Draw {
            index: bucket,
            kind: Kind::Read,
            rate,
            units,
        }];
        throughput
            .take(&table.name, &draw)
            .map_err(|_| throttled(if bucket.is_some() { "index" } else { "table" }))
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
        let Some((rate, _)) = rate(table, None, Kind::Write) else {
            return Ok(());
        };
        if table.indexes.is_empty() {
            // The common case, without allocating.
            let draw = [Draw {
                index: None,
                kind: Kind::Write,
                rate,
                units: table_units,
            }];
            return throughput
                .take(&table.name, &draw)
                .map_err(|_| throttled("table"));
        }
        let draws = write_draws(table, rate, Some(write), table_units);
        throughput
            .take(&table.name, &draws)
            .map_err(write_throttled)
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
        let Some((rate, _)) = rate(table, None, Kind::Write) else {
            return Ok(());
        };
        let draws = write_draws(table, rate, None, 0.0);
        throughput
            .take(&table.name, &draws)
            .map_err(write_throttled)
    }

    /// Charges an admitted transaction's read of `table`.
    pub(crate) fn charge_read(self, table: &Table, units: f64) {
        if let Some(throughput) = self.0
            && rate(table, None, Kind::Read).is_some()
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
        let Some((rate, _)) = rate(table, None, Kind::Write) else {
            return;
        };
        let table_units = write.write_units() * factor;
        for draw in write_draws(table, rate, Some(write), table_units) {
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
        let Some((rate, _)) = rate(table, None, Kind::Write) else {
            return Ok(());
        };
        let draw = [Draw {
            index: None,
            kind: Kind::Write,
            rate,
            units: item_write_units(existing),
        }];
        throughput
            .take(&table.name, &draw)
            .map_err(|_| throttled("table"))
    }
}

/// The provisioned rate a request on `table` (through `index`) draws on, and the global
/// index whose bucket it is (`None`: the table's; a local index shares it); `None` on demand.
fn rate<'t>(table: &'t Table, index: Option<&str>, kind: Kind) -> Option<(i64, Option<&'t str>)> {
    let BillingMode::Provisioned {
        read_capacity_units,
        write_capacity_units,
    } = table.billing_mode
    else {
        return None;
    };
    let global = index.and_then(|name| table.index_throughput.get_key_value(name));
    let (read, write) = global.map_or((read_capacity_units, write_capacity_units), |(_, t)| {
        (t.read_capacity_units, t.write_capacity_units)
    });
    let rate = match kind {
        Kind::Read => read,
        Kind::Write => write,
    };
    Some((rate, global.map(|(name, _)| name.as_str())))
}

/// What a write to `table` (provisioned at `rate`) draws: the table `table_units` plus each
/// local index's units, each global index its own units (nothing for an admission without a
/// write). Every global index is drawn on, whether or not the write changes its entry.
fn write_draws<'t>(
    table: &'t Table,
    rate: i64,
    write: Option<&Prepared>,
    table_units: f64,
) -> Vec<Draw<'t>> {
    let mut draws = vec![Draw {
        index: None,
        kind: Kind::Write,
        rate,
        units: table_units,
    }];
    // Each index's units, in `table.indexes` order (computed once).
    let units: Vec<f64> = write.map_or_else(Vec::new, |write| {
        write.index_write_units(table).map(|(_, u)| u).collect()
    });
    for (position, index) in table.indexes.iter().enumerate() {
        let name = index.schema.name.as_ref();
        let index_units = units.get(position).copied().unwrap_or(0.0);
        match table.index_throughput.get(name) {
            Some(provisioned) if index.is_global() => draws.push(Draw {
                index: Some(name),
                kind: Kind::Write,
                rate: provisioned.write_capacity_units,
                units: index_units,
            }),
            _ => draws[0].units += index_units,
        }
    }
    draws
}

/// The error of a write refused by the table's bucket or a global index's.
fn write_throttled(draw: &Draw<'_>) -> Error {
    match draw.index {
        Some(_) => global_index_throttled(),
        None => throttled("table"),
    }
}

/// DynamoDB's answer to a request on an empty bucket of the table or of an index.
fn throttled(what: &str) -> Error {
    Error::Throttled {
        source: Some(
            format!(
                "ProvisionedThroughputExceededException: The level of configured provisioned \
                 throughput for the {what} was exceeded. Consider increasing your provisioning \
                 level with the UpdateTable API."
            )
            .into(),
        ),
        retried: false,
    }
}

/// DynamoDB's answer to a table write throttled by a global index.
fn global_index_throttled() -> Error {
    Error::Throttled {
        source: Some(
            "ProvisionedThroughputExceededException: The level of configured provisioned \
             throughput for one or more global secondary indexes of the table was exceeded. \
             Consider increasing your provisioning level for the under-provisioned global \
             secondary indexes with the UpdateTable API"
                .into(),
        ),
        retried: false,
    }
}
