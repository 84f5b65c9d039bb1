//! Typed DynamoDB data access for the notes SDK.
//!
//! A [`Repo`] gives app code typed operations on one item type; a [`Backend`] runs them on an
//! embedded DynamoDB ([`MemoryBackend`]) or on DynamoDB itself (`DynamoDbBackend`, feature
//! `aws`, on by default).

mod backend;
mod batch;
mod cursor;
mod error;
mod memory;
mod number;
mod paging;
mod query;
mod repo;
pub mod request;
mod scan;
mod table;
mod trace;
mod transact;
mod validate;

#[cfg(feature = "aws")]
mod aws;

pub use backend::Backend;
pub use batch::BatchOptions;
pub use error::{BoxError, CancellationReason, Error, Result};
pub use memory::MemoryBackend;
pub use query::{Query, QueryPage};
pub use repo::{Repo, UpdateBuilder};
pub use scan::Scan;
pub use table::DEFAULT_ACTIVE_TIMEOUT;
pub use transact::{MAX_TRANSACTION_ACTIONS, ReadResults, ReadTransaction, Slot, WriteTransaction};

#[cfg(feature = "aws")]
pub use aws::DynamoDbBackend;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
