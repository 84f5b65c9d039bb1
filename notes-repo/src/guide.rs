//! The manual, one chapter per topic. Each chapter is a Markdown file in `notes-repo/guide/`,
//! pulled in here so that it reads on docs.rs and its examples run as doctests.
//!
//! Start with the example on [the crate's front page](crate), then:
//!
//! - [`items`]: `#[derive(Item)]`, keys, attribute handles, indexes, versions, time to live.
//! - [`operations`]: single-item reads and writes, queries and cursors, scans, counts, batches,
//!   transactions.
//! - [`tables`]: creating and checking tables, per-stage table names, time to live and
//!   point-in-time recovery settings.
//! - [`single_table`]: several item types in one table: key templates, entities,
//!   collections, overloaded indexes.
//! - [`backends`]: the embedded engine and DynamoDB, the HTTPS client, the cargo features.
//! - [`layers`]: wrappers around a backend: tracing, retries, your own.
//! - [`errors`]: what each [`Error`](crate::Error) variant means and what to do about it.
//! - [`capacity`]: provisioned and on-demand capacity, throttling and its reasons, on-demand
//!   maximums and warm throughput, auto scaling, a load and
//!   cost estimate.
//! - [`consistency`]: eventually consistent reads, simulated by a lagging replica.
//! - [`streams`]: a table's stream as typed records, from Lambda, the Streams API or the
//!   embedded engine.
//! - [`backups`]: on-demand backups, point-in-time recovery and restores.
//! - [`durable`]: the embedded engine kept in a directory: crashes, damage, salvage.
//! - [`testing`]: the tests, the local server they start, and how to test an app.
//! - [`local_server`]: the engine as a local DynamoDB, for every AWS SDK and the AWS CLI.
//! - [`guarantees`]: each promise the SDK makes and the tests that hold it to it.
//! - [`notes_api`]: the notes HTTP API built on the SDK (axum, AWS Lambda).
//! - `encryption` (feature `encryption`): attributes encrypted and signed on the client by AWS's
//!   Database Encryption SDK, declared on the type.

pub mod items {
    #![doc = include_str!("../guide/items.md")]
}

pub mod operations {
    #![doc = include_str!("../guide/operations.md")]
}

pub mod tables {
    #![doc = include_str!("../guide/tables.md")]
}

pub mod single_table {
    #![doc = include_str!("../guide/single_table.md")]
}

pub mod backends {
    #![doc = include_str!("../guide/backends.md")]
}

pub mod layers {
    #![doc = include_str!("../guide/layers.md")]
}

pub mod errors {
    #![doc = include_str!("../guide/errors.md")]
}

pub mod capacity {
    #![doc = include_str!("../guide/capacity.md")]
}

pub mod consistency {
    #![doc = include_str!("../guide/consistency.md")]
}

pub mod streams {
    #![doc = include_str!("../guide/streams.md")]
}

pub mod backups {
    #![doc = include_str!("../guide/backups.md")]
}

pub mod durable {
    #![doc = include_str!("../guide/durable.md")]
}

pub mod local_server {
    #![doc = include_str!("../guide/local_server.md")]
}

pub mod testing {
    #![doc = include_str!("../guide/testing.md")]
}

pub mod guarantees {
    #![doc = include_str!("../guide/guarantees.md")]
}

pub mod notes_api {
    #![doc = include_str!("../guide/notes_api.md")]
}

#[cfg(feature = "encryption")]
#[cfg_attr(docsrs, doc(cfg(feature = "encryption")))]
pub mod encryption {
    #![doc = include_str!("../guide/encryption.md")]
}
