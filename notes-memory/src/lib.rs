//! The embedded DynamoDB: [`MemoryBackend`].
//!
//! Not a `HashMap` stub: tables must exist, items are validated with DynamoDB's rules, each
//! partition is an ordered index by sort key (S by UTF-8 bytes, N numerically, B by bytes),
//! queries page at 1 MB or `Limit` with a `LastEvaluatedKey`, conditions and updates follow
//! DynamoDB's evaluation rules, transactions are all or nothing, and every call reports the
//! capacity units DynamoDB would charge.
//!
//! This crate depends on the seam (`notes-core`) alone; apps reach it through `notes-repo`
//! (feature `memory`, on by default).
#![cfg_attr(docsrs, feature(doc_cfg))]

mod autoscaling;
mod backend;
mod batch;
mod builder;
mod capacity;
mod catalog;
mod clock;
mod definition;
mod facts;
mod index;
mod items;
mod key;
mod locks;
mod memory_backend;
mod meter;
mod on_demand;
mod prepared;
mod provisioning;
mod query;
mod replica;
mod scaling_policies;
mod state;
mod streams;
mod table;
mod throughput;
mod tokens;
mod ttl;
mod update;
mod warm;
// ---- Backups ----
mod backup_requests;
mod backups;
mod history;
// ---- Durable store ----
mod durable;
mod encoding;
mod pending;

#[cfg(test)]
mod test_values;

pub use builder::MemoryBackendBuilder;
pub use clock::{Clock, ManualClock, SystemClock, TokioClock};
pub use durable::{SalvageReport, StorageFaults, StorageStats, Unreadable};
pub use facts::{IndexFacts, StreamFacts, TableFacts};
pub use memory_backend::MemoryBackend;
