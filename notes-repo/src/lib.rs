//! Typed DynamoDB data access for the notes SDK.
//!
//! A [`Repo`] gives app code typed operations on one item type; a [`Backend`] runs them on an
//! embedded DynamoDB ([`MemoryBackend`]) or on DynamoDB itself (`DynamoDbBackend`, feature
//! `aws`, on by default).

mod backend;
mod cursor;
mod error;
mod memory;
mod number;
mod query;
mod repo;
pub mod request;
mod table;
mod validate;

#[cfg(feature = "aws")]
mod aws;

pub use backend::Backend;
pub use error::{BoxError, CancellationReason, Error, Result};
pub use memory::MemoryBackend;
pub use query::{Query, QueryPage};
pub use repo::{Repo, UpdateBuilder};
pub use table::DEFAULT_ACTIVE_TIMEOUT;

#[cfg(feature = "aws")]
pub use aws::DynamoDbBackend;
