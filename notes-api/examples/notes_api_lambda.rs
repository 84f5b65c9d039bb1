//! The notes API as an AWS Lambda function behind API Gateway:
//! `cargo build --example notes-api-lambda --features lambda`.
//!
//! The caller's user id comes only from the API Gateway request context (see
//! [`gateway::GatewayIdentity`]); REST API (payload 1.0) and HTTP API (payload 2.0) events
//! are both served. The notes live in the DynamoDB table `notes` (or `NOTES_TABLE`), which
//! must exist: the function verifies its key schema at cold start and never creates it.
//! Set `NOTES_CURSOR_KEY`: without it each instance signs cursors with a random key of its
//! own, and a cursor fails on any other instance.

use notes_api::{IdentitySource, cursor_key_from_env, gateway};
use notes_repo::{DynamoDbBackend, Repo};
use notes_repo::{Note, Table};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    // Lambda adds its own timestamps to each log line.
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .without_time()
        .init();
    let table = std::env::var("NOTES_TABLE").unwrap_or_else(|_| Note::TABLE_NAME.to_owned());
    let repo: Repo<Note, _> = Repo::with_table(DynamoDbBackend::from_env().await, table);
    repo.verify_table().await?;
    tracing::info!(table = repo.table_name(), "notes in DynamoDB");
    tracing::info!("{}", gateway::GatewayIdentity.describe());
    let app = gateway::app(repo, cursor_key_from_env()?);
    lambda_http::run(lambda_http::service_fn(move |request| {
        gateway::handle(app.clone(), request)
    }))
    .await
}
