//! DynamoDB's JSON protocol on the engine: a [`Service`] answers one call, named by its
//! `X-Amz-Target` (`DynamoDB_20120810.<Operation>` or `DynamoDBStreams_20120810.<Operation>`)
//! with its JSON body, with the JSON DynamoDB answers or an [`ErrorAnswer`](crate::errors::ErrorAnswer).
//!
//! Each family of operations is one module with one `call` that answers `None` for an
//! operation that is not its own: `items` (single items, query and scan, batches and
//! transactions), `tables` (tables, time to live, backups, tags, limits, endpoints) and
//! `streams` (the DynamoDB Streams API). [`json`] holds what they share: the request's
//! JSON read into typed shapes, the errors of a body that is not the operation's shape;
//! [`constraints`], DynamoDB's checks of members against the API's constraints.
//!
//! The HTTP layer (`server`) owns everything around the call: headers, status, request ids,
//! checksums, credentials and size limits.

mod arns;
pub mod constraints;
mod declared;
mod dispatch;
mod items;
pub mod json;
mod reply;
mod service;
mod streams;
mod tables;

pub use reply::Reply;
pub(crate) use service::ItemAnswer;
pub use service::{ACCOUNT, Answer, DYNAMODB_TARGET, STREAMS_TARGET, Service};
