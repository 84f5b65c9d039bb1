//! The notes API as a local server: `cargo run --example notes-api`.
//!
//! Serves on `127.0.0.1:${PORT:-3000}` until Ctrl-C, then finishes the requests in flight.
//! Where the notes live:
//!
//! - by default, in the embedded store in the directory `./notes-data` (`--data DIR` to
//!   choose another; the path is in the startup log): every acknowledged write is on disk, so
//!   stopping and starting the server keeps the notes (`MemoryBackend::open`);
//! - with `--in-memory`, in memory only (lost on exit);
//! - with `--dynamodb`, or when `AWS_ENDPOINT_URL_DYNAMODB` is set, in the DynamoDB table
//!   `notes` (or `NOTES_TABLE`), created if missing (provisioned at 5 read and 5 write units)
//!   and verified against `Note` otherwise, with the AWS SDK's own configuration (credential
//!   chain, region, endpoint).
//!
//! `GET /notes/count` is answered from a per-user counter kept from the embedded store's
//! stream (enabled, `KEYS_ONLY`, if the table has none; counted in full at start-up); on
//! DynamoDB it is 501 (there, a Lambda function on the table's stream keeps the count:
//! `cargo run --example notes-stream`).
//!
//! Listing cursors are signed with `NOTES_CURSOR_KEY`, or with a random key made at start-up
//! (then they do not survive a restart; the log says so).
//!
//! Development mode: the caller's user id is the `x-user-id` header, unverified.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use notes_api::{
    HeaderIdentity, IdentitySource, StreamCounts, cursor_key_from_env, router, router_with_counts,
    serve,
};
use notes_repo::BillingMode;
use notes_repo::{DynamoDbBackend, MemoryBackend, Repo};
use notes_repo::{Note, Table};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const USAGE: &str = "usage: notes-api [--data DIR | --in-memory | --dynamodb]";

/// Where the notes live.
enum Storage {
    /// The embedded store, kept in this directory.
    Directory(PathBuf),
    /// The embedded store, in memory only.
    InMemory,
    /// DynamoDB.
    DynamoDb,
}

/// Runs the server; an error that stops it is printed as its own sentence (its `Display`,
/// [`notes_api::exit_message`]), and the process exits with status 1.
#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{}", notes_api::exit_message(&*err));
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .init();

    let port: u16 = match std::env::var("PORT") {
        Ok(port) => port
            .parse()
            .map_err(|err| format!("PORT={port:?} is not a port number: {err}"))?,
        Err(_) => 3000,
    };
    let mut storage =
        if std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some_and(|v| !v.is_empty()) {
            Storage::DynamoDb
        } else {
            Storage::Directory(PathBuf::from("notes-data"))
        };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--dynamodb" => storage = Storage::DynamoDb,
            "--in-memory" => storage = Storage::InMemory,
            "--data" => {
                let dir = args
                    .next()
                    .ok_or_else(|| format!("--data needs a directory; {USAGE}"))?;
                storage = Storage::Directory(dir.into());
            }
            other => match other.strip_prefix("--data=") {
                Some(dir) => storage = Storage::Directory(dir.into()),
                None => return Err(format!("unknown argument {other:?}; {USAGE}").into()),
            },
        }
    }

    let listener =
        tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await?;
    let identity = HeaderIdentity;
    let cursor_key = cursor_key_from_env()?;
    let app = match storage {
        Storage::DynamoDb => {
            let table =
                std::env::var("NOTES_TABLE").unwrap_or_else(|_| Note::TABLE_NAME.to_owned());
            let repo: Repo<Note, _> = Repo::with_table(DynamoDbBackend::from_env().await, table);
            repo.ensure_table(BillingMode::Provisioned {
                read_capacity_units: 5,
                write_capacity_units: 5,
            })
            .await?;
            tracing::info!(table = repo.table_name(), "notes in DynamoDB");
            router(repo, identity, cursor_key)
        }
        Storage::Directory(dir) => {
            // Refused with a clear error when another server has the directory open.
            let backend = MemoryBackend::open(&dir)?;
            let repo: Repo<Note, _> = Repo::new(backend);
            repo.ensure_table(BillingMode::PayPerRequest).await?;
            let counts = StreamCounts::start(&repo).await?;
            let path = std::path::absolute(&dir).unwrap_or(dir);
            tracing::info!(
                data = %path.display(),
                "notes kept on disk (--data DIR to choose, --in-memory not to keep them)"
            );
            router_with_counts(repo, identity, cursor_key, counts)
        }
        Storage::InMemory => {
            let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
            repo.create_table_on_demand().await?;
            let counts = StreamCounts::start(&repo).await?;
            tracing::info!(
                "notes in memory (lost on exit); --data DIR to keep them, --dynamodb or \
                 AWS_ENDPOINT_URL_DYNAMODB for DynamoDB"
            );
            router_with_counts(repo, identity, cursor_key, counts)
        }
    };
    tracing::warn!("{}", identity.describe());
    tracing::info!("listening on http://{}", listener.local_addr()?);
    serve(listener, app, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Completes on Ctrl-C, or on SIGTERM (what a container runtime or systemd sends).
async fn shutdown_signal() {
    let ctrl_c = async {
        match tokio::signal::ctrl_c().await {
            Ok(()) => tracing::info!("Ctrl-C: finishing requests in flight"),
            // Without a signal handler the server can only be killed; keep serving.
            Err(err) => {
                tracing::error!("cannot listen for Ctrl-C: {err}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
                tracing::info!("SIGTERM: finishing requests in flight");
            }
            Err(err) => {
                tracing::error!("cannot listen for SIGTERM: {err}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}
