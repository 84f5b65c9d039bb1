//! The embedded DynamoDB served over DynamoDB's own protocol: a local DynamoDB for every AWS SDK,
//! the AWS CLI and other projects' test suites (issue 26, in progress).
//!
//! - [`expression`]: DynamoDB's expression language parsed into the engine's AST with
//!   DynamoDB's validation;
//! - [`protocol`]: the [`Service`](protocol::Service) answering DynamoDB's JSON protocol,
//!   operation by operation, from the engine;
//! - [`errors`]: the engine's errors as the protocol answers them.

pub mod errors;
pub mod expression;
pub mod protocol;

pub use protocol::Service;
