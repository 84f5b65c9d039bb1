//! The notes app on DynamoDB: `cargo run --example notes-aws`.
//!
//! Configuration is the AWS SDK's own: credentials from the default chain, the region from
//! `AWS_REGION` or the profile, and `AWS_ENDPOINT_URL_DYNAMODB` for a local or compatible
//! endpoint. The table (`notes`, or `NOTES_TABLE`) is created if missing, provisioned at 5 read
//! and 5 write capacity units with point-in-time recovery, and verified against `Note` if it
//! exists.

use notes_repo::BillingMode;
use notes_repo::Note;
use notes_repo::{DynamoDbBackend, Repo};

#[path = "walkthrough.rs"]
mod walkthrough;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), notes_repo::Error> {
    let backend = DynamoDbBackend::from_env().await;
    let table = std::env::var("NOTES_TABLE").unwrap_or_else(|_| "notes".to_owned());
    let repo: Repo<Note, _> = Repo::with_table(backend, table);
    let description = repo
        .ensure_table(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5,
        })
        .await?;
    println!(
        "table `{}` is {:?}",
        description.table_name, description.status
    );
    match repo.enable_point_in_time_recovery().await {
        Ok(()) => println!("point-in-time recovery: enabled"),
        // Local emulators often lack the backup API; the walk-through does not need it.
        Err(err) => println!("point-in-time recovery: not available here ({err})"),
    }
    walkthrough::run(&repo).await
}
