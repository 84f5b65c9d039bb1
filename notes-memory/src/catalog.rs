//! Table administration on the catalog: `CreateTable`, `DescribeTable`, `DeleteTable` and
//! `UpdateTable`, on the tables an operation holds.

use std::collections::hash_map::Entry;

use notes_core::request::{BillingMode, CreateTable, TableDescription, TableStatus, UpdateTable};
use notes_core::validate;
use notes_core::{Error, Result};

use crate::on_demand::Maximums;
use crate::provisioning;
use crate::state::{Tables, not_found};
use crate::table::Table;
use crate::throughput::Throughput;

impl Tables {
    pub(crate) fn create_table(&mut self, request: CreateTable) -> Result<TableDescription> {
        validate::name(&request.table_name, "tableName")?;
        let schema = &request.key_schema;
        validate::distinct_key_names(schema, None)?;
        validate::key_names_present(schema, "keySchema")?;
        validate::check_indexes(schema, &request.indexes)?;
        validate::create_table_throughput(&request)?;
        // Global indexes of a provisioned table get the table's capacity, which memory has no
        // use for; billing is recorded on the table only.
        if let BillingMode::Provisioned {
            read_capacity_units,
            write_capacity_units,
        } = request.billing_mode
        {
            for (field, value) in [
                ("readCapacityUnits", read_capacity_units),
                ("writeCapacityUnits", write_capacity_units),
            ] {
                if value < 1 {
                    return Err(Error::validation(format!(
                        "1 validation error detected: Value '{value}' at \
                         'provisionedThroughput.{field}' failed to satisfy constraint: Member \
                         must have value greater than or equal to 1"
                    )));
                }
            }
        }
        let mut history = self.change_log();
        let now = history.now();
        history.stream = request.stream_view_type;
        history.stream_created_at = request.stream_view_type.map(|_| now);
        match self.tables.entry(request.table_name.clone()) {
            Entry::Occupied(_) => Err(Error::TableAlreadyExists {
                table: request.table_name,
                source: None,
            }),
            Entry::Vacant(slot) => {
                let maximums = Maximums::create(
                    request.on_demand_throughput,
                    &request.index_on_demand_throughput,
                );
                let mut table = Table::new(
                    request.table_name.clone(),
                    request.key_schema.clone(),
                    request.billing_mode,
                    request.indexes.clone(),
                    now,
                );
                table.maximums = maximums;
                table.warm.create(&request);
                table.history = Some(history);
                // Memory has nothing to provision: the table is ACTIVE at once.
                Ok(slot.insert(table.into()).describe(TableStatus::Active))
            }
        }
    }

    pub(crate) fn describe_table(&self, name: &str) -> Result<TableDescription> {
        Ok(self.table(name)?.describe(TableStatus::Active))
    }

    pub(crate) fn delete_table(&mut self, name: &str) -> Result<TableDescription> {
        let table = self.tables.remove(name).ok_or_else(|| not_found(name))?;
        Ok(table.describe(TableStatus::Deleting))
    }

    pub(crate) fn update_table(
        &mut self,
        request: &UpdateTable,
        now: std::time::SystemTime,
        throughput: Option<&Throughput>,
    ) -> Result<TableDescription> {
        validate::update_table(request)?;
        let table = self.table_mut(&request.table_name)?;
        provisioning::update_table(table, throughput, request, now)
    }
}
