//! The embedded DynamoDB served over DynamoDB's own protocol: a local DynamoDB for every AWS SDK,
//! the AWS CLI and other projects' test suites.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use notes_local::{LocalServer, ServerOptions, Service};
//! use notes_memory::MemoryBackend;
//!
//! let service = Service::new(MemoryBackend::new(), "us-east-1");
//! let server = LocalServer::start(service, ServerOptions::default()).await?;
//! println!("DynamoDB at {}", server.endpoint()); // http://127.0.0.1:<free port>
//! server.shutdown().await
//! # }
//! ```
//!
//! - [`server`]: [`LocalServer`], DynamoDB's HTTP protocol (headers, checksums, limits,
//!   request ids) around the service;
//! - [`auth`]: DynamoDB's signature checks, and SigV4 verification when keys are given;
//! - [`protocol`]: the [`Service`] answering DynamoDB's JSON protocol, operation by
//!   operation, from the engine;
//! - [`expression`]: DynamoDB's expression language parsed into the engine's AST with
//!   DynamoDB's validation;
//! - [`errors`]: the engine's errors as the protocol answers them.

pub mod auth;
pub mod errors;
pub mod expression;
pub mod protocol;
pub mod server;

pub use protocol::Service;
pub use server::{LocalServer, ServerOptions};
