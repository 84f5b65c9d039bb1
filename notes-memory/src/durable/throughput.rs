//! What a journal keeps of a table's on-demand maximums and warm throughput (`on_demand.rs`,
//! `warm.rs`): the `THROUGHPUT` mutation, after each `DEFINE` of a table and each `BACKUP`.
//!
//! A journal written before it has none: its tables have no maximums, and warm throughput
//! as a new table of their billing mode has it (what `DEFINE` gives them on replay), so an
//! older store opens as before.

use std::collections::BTreeMap;

use notes_core::request::{BackupArn, OnDemandThroughput};

use crate::encoding::{Corrupt, Decoded, Decoder, Encoder};
use crate::on_demand::Maximums;
use crate::table::Table;
use crate::warm::{Units, Warm};

/// The mutation kind (kinds 12 to 15 are left for other additions to the journal).
pub(crate) const THROUGHPUT: u8 = 16;

/// Whose settings a `THROUGHPUT` mutation holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Owner {
    /// A table's, by name (after its `DEFINE`).
    Table(String),
    /// A backup's table, by the backup's ARN (after its `BACKUP`).
    Backup(BackupArn),
}

/// A `THROUGHPUT` mutation, decoded.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) owner: Owner,
    pub(crate) maximums: Maximums,
    pub(crate) warm: Warm,
}

impl Encoder {
    /// A `THROUGHPUT` mutation of the table `table`.
    pub(crate) fn throughput(&mut self, table: &Table) {
        self.u8(THROUGHPUT);
        self.u8(0);
        self.str(&table.name);
        self.throughput_settings(table);
    }

    /// A `THROUGHPUT` mutation of the backup `arn`, whose table is `table`.
    pub(crate) fn backup_throughput(&mut self, arn: &BackupArn, table: &Table) {
        self.u8(THROUGHPUT);
        self.u8(1);
        self.str(arn.as_str());
        self.throughput_settings(table);
    }

    /// The maximums and warm throughput of `table` (also part of what tells whether an
    /// operation changed its definition).
    pub(crate) fn throughput_settings(&mut self, table: &Table) {
        let maximums = &table.maximums;
        self.maximums(&maximums.table);
        self.len(maximums.indexes.len());
        for (name, max) in &maximums.indexes {
            self.str(name);
            self.maximums(max);
        }
        let warm = &table.warm;
        self.units(warm.table);
        self.len(warm.indexes.len());
        for (name, units) in &warm.indexes {
            self.str(name);
            self.units(*units);
        }
    }

    fn maximums(&mut self, max: &OnDemandThroughput) {
        for member in [max.max_read_request_units, max.max_write_request_units] {
            match member {
                Some(units) => {
                    self.u8(1);
                    self.i64(units);
                }
                None => self.u8(0),
            }
        }
    }

    fn units(&mut self, units: Units) {
        self.i64(units.read);
        self.i64(units.write);
    }
}

impl Decoder<'_> {
    /// A `THROUGHPUT` mutation (after its kind).
    pub(crate) fn throughput(&mut self) -> Decoded<Settings> {
        let owner = match self.u8()? {
            0 => Owner::Table(self.str()?),
            1 => Owner::Backup(BackupArn::new(self.str()?)),
            _ => return Err(Corrupt::from("unknown owner of throughput settings")),
        };
        let table = self.maximums()?;
        let mut indexes = BTreeMap::new();
        for _ in 0..self.len()? {
            let name = self.str()?;
            indexes.insert(name, self.maximums()?);
        }
        let maximums = Maximums { table, indexes };
        let table = self.units()?;
        let mut indexes = BTreeMap::new();
        for _ in 0..self.len()? {
            let name = self.str()?;
            indexes.insert(name, self.units()?);
        }
        Ok(Settings {
            owner,
            maximums,
            warm: Warm { table, indexes },
        })
    }

    fn maximums(&mut self) -> Decoded<OnDemandThroughput> {
        let mut member = || -> Decoded<Option<i64>> {
            Ok(match self.u8()? {
                0 => None,
                _ => Some(self.i64()?),
            })
        };
        let mut max = OnDemandThroughput::new();
        max.max_read_request_units = member()?;
        max.max_write_request_units = member()?;
        Ok(max)
    }

    fn units(&mut self) -> Decoded<Units> {
        Ok(Units {
            read: self.i64()?,
            write: self.i64()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use notes_core::request::BillingMode;
    use notes_model::{Item, Note};

    use super::*;

    #[test]
    fn the_settings_of_a_table_and_of_a_backup_round_trip() {
        let mut table = Table::new(
            "notes".into(),
            Note::KEY_SCHEMA,
            BillingMode::PayPerRequest,
            Vec::new(),
            SystemTime::UNIX_EPOCH,
        );
        table.maximums.table = OnDemandThroughput::new().max_write_request_units(7);
        table.maximums.indexes.insert(
            "byStatus".into(),
            OnDemandThroughput::new().max_read_request_units(3),
        );
        table.warm.table = Units {
            read: 20_000,
            write: 5_000,
        };
        let arn = BackupArn::new("arn:aws:dynamodb:ddblocal:000000000000:table/notes/backup/1");
        let mut e = Encoder::default();
        e.throughput(&table);
        e.backup_throughput(&arn, &table);
        let mut d = Decoder::new(&e.bytes);
        for owner in [Owner::Table("notes".into()), Owner::Backup(arn)] {
            assert_eq!(d.u8().unwrap(), THROUGHPUT);
            let settings = d.throughput().unwrap();
            assert_eq!(settings.owner, owner);
            assert_eq!(settings.maximums, table.maximums);
            assert_eq!(settings.warm, table.warm);
        }
        assert!(d.is_done());
    }
}
