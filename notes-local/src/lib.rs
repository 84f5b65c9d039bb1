//! The embedded DynamoDB served over DynamoDB's own protocol: a local DynamoDB for every AWS SDK,
//! the AWS CLI and other projects' test suites (issue 26, in progress).
//!
//! What is here so far: [`expression`], DynamoDB's expression language parsed into the
//! engine's AST with DynamoDB's validation, and [`errors`], the engine's errors as DynamoDB's
//! JSON protocol answers them.

pub mod errors;
pub mod expression;
