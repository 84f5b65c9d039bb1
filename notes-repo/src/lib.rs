//! Typed DynamoDB data access for the notes SDK.
//!
//! A [`Repo`] gives app code typed operations on one item type; a [`Backend`] runs them on an
//! embedded DynamoDB ([`MemoryBackend`]) or on DynamoDB itself (`DynamoDbBackend`, feature
//! `aws`, on by default).

mod backend;
mod error;
mod memory;
mod number;
pub mod request;
mod validate;

#[cfg(feature = "aws")]
mod aws;

pub use backend::Backend;
pub use error::{BoxError, CancellationReason, Error, Result, SchemaDisplay};
pub use memory::MemoryBackend;

#[cfg(feature = "aws")]
pub use aws::DynamoDbBackend;
