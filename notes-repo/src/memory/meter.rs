//! What each request draws on the throughput buckets (`throughput.rs`), decided under the
//! tables lock so that admission and charge see the same table.
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
use super::items::Prepared;
use super::table::Table;
use super::throughput::{Kind, Throughput};
use crate::error::{Error, Result};
use crate::layer::ConsumedCapacity;
use crate::request::BillingMode;

/// The buckets a request draws on: `Meter::default()` (throughput not enforced) admits
/// everything and charges nothing.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Meter<'a>(Option<&'a Throughput>);

impl<'a> Meter<'a> {
    /// Meters requests on `throughput`'s buckets (`None`: not enforced).
    pub(crate) fn new(throughput: Option<&'a Throughput>) -> Self {
        Meter(throughput)
    }

    /// Runs a read of `table` (through its index `index`, if any) once admitted, and charges
    /// what it consumed.
    pub(crate) fn read<O: ConsumedCapacity>(
        self,
        table: &Table,
        index: Option<&str>,
        run: impl FnOnce() -> Result<O>,
    ) -> Result<O> {
        self.admit_read(table, index)?;
        let output = run()?;
        self.charge_read(table, index, output.capacity_units().unwrap_or(0.0));
        Ok(output)
    }

    /// Admits a read of `table`, through its index `index` if any.
    pub(crate) fn admit_read(self, table: &Table, index: Option<&str>) -> Result<()> {
        let Some(throughput) = self.0 else {
            return Ok(());
        };
        let (rate, bucket) = rate(table, index, Kind::Read);
        throughput.admit(&table.name, bucket, Kind::Read, rate)
    }

    /// Takes `units` from the read bucket [`admit_read`](Self::admit_read) admitted on.
    pub(crate) fn charge_read(self, table: &Table, index: Option<&str>, units: f64) {
        if let Some(throughput) = self.0
            && let (Some(_), bucket) = rate(table, index, Kind::Read)
        {
            throughput.charge(&table.name, bucket, Kind::Read, units);
        }
    }

    /// Admits a write to `table`: its own bucket and every global index's hold capacity.
    pub(crate) fn admit_write(self, table: &Table) -> Result<()> {
        let Some(throughput) = self.0 else {
            return Ok(());
        };
        let (rate, _) = rate(table, None, Kind::Write);
        throughput.admit(&table.name, None, Kind::Write, rate)?;
        for (name, units) in &table.index_throughput {
            let rate = rate.map(|_| units.write_capacity_units);
            throughput
                .admit(&table.name, Some(name), Kind::Write, rate)
                .map_err(|_| global_index_throttled())?;
        }
        Ok(())
    }

    /// Charges an applied write: the table its units times `factor` (2 in a transaction) and
    /// each local index's, each global index its own.
    pub(crate) fn charge_write(self, table: &Table, write: &Prepared, factor: f64) {
        let Some(throughput) = self.0 else {
            return;
        };
        if rate(table, None, Kind::Write).0.is_none() {
            return;
        }
        let mut units = write.write_units() * factor;
        for (index, index_units) in write.index_write_units(table) {
            if index.is_global() {
                let name = index.schema.name.as_ref();
                throughput.charge(&table.name, Some(name), Kind::Write, index_units);
            } else {
                units += index_units;
            }
        }
        throughput.charge(&table.name, None, Kind::Write, units);
    }

    /// Charges a conditional write whose condition failed: "DynamoDB still consumes write
    /// capacity from the table. The amount consumed is dependent on the size of the existing
    /// item (or a minimum of 1)" (developerguide/WorkingWithItems.html, conditional writes).
    pub(crate) fn charge_failed_write(self, table: &Table, existing: Option<&ItemMap>) {
        if let Some(throughput) = self.0
            && rate(table, None, Kind::Write).0.is_some()
        {
            let units = item_write_units(existing);
            throughput.charge(&table.name, None, Kind::Write, units);
        }
    }
}

/// The provisioned rate a request on `table` (through `index`) draws on (`None`: on demand),
/// and the global index whose bucket it is (`None`: the table's; a local index shares it).
fn rate<'t>(table: &'t Table, index: Option<&str>, kind: Kind) -> (Option<i64>, Option<&'t str>) {
    let BillingMode::Provisioned {
        read_capacity_units,
        write_capacity_units,
    } = table.billing_mode
    else {
        return (None, None);
    };
    let global = index.and_then(|name| table.index_throughput.get_key_value(name));
    let (read, write) = global.map_or((read_capacity_units, write_capacity_units), |(_, t)| {
        (t.read_capacity_units, t.write_capacity_units)
    });
    let rate = match kind {
        Kind::Read => read,
        Kind::Write => write,
    };
    (Some(rate), global.map(|(name, _)| name.as_str()))
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
    }
}
