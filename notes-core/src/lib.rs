//! The seam of the notes SDK: what every backend and the typed layer share, and nothing more.
//!
//! - [`Backend`]: the DynamoDB operations as one trait, taking [`request`] types and
//!   answering their outputs, implemented by the embedded engine (`notes-memory`), the AWS
//!   backend (`notes-aws`) and every [`Layer`].
//! - [`Error`]: one error type, named as DynamoDB names its errors.
//! - [`validate`]: DynamoDB's limits and rules, checked before a request is sent;
//!   [`eval`]: conditions evaluated on an item with DynamoDB's comparison rules.
//! - Layers: [`Traced`] (one `tracing` span per call), [`Retrying`] (the AWS SDK's retry).
//! - [`stream`]: DynamoDB Streams' wire types.
//!
//! Apps depend on `notes-repo`, which re-exports all of this; a backend of your own depends on
//! this crate alone.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod backend;
mod encryption;
mod error;
pub mod eval;
mod layer;
pub mod number;
mod operation;
pub mod request;
pub mod retry;
pub mod stream;
pub mod throttling;
mod trace;
pub mod validate;

pub use backend::Backend;
pub use encryption::{DecryptionFailure, EncryptionRefusal};
pub use error::{BoxError, CancellationReason, Error, Result};
pub use layer::Layer;
pub use operation::Operation;
pub use request::attributes::Attributed;
pub use request::capacity::ConsumedCapacity;
pub use request::{BillingMode, Capacity, TableDescription, TableStatus};
pub use retry::{RetryPolicy, Retrying};
pub use throttling::ThrottlingReason;
pub use trace::Traced;
