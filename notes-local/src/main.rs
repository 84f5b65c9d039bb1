//! `notes-local`: a local DynamoDB on the notes SDK's engine, for any AWS SDK, the AWS CLI and
//! test suites: `cargo run -p notes-local -- --port 8000`, then point a client at
//! `http://127.0.0.1:8000` (any credentials, any region in the client).
//!
//! The data is kept in `./notes-local-data` by default (`--data DIR` for another directory,
//! `--in-memory` to keep nothing): every write is on disk before it is answered, so a stop,
//! even a crash, loses nothing that a client was told was written. Ctrl-C or SIGTERM stops the
//! server cleanly: no new connections, the requests in flight answered, exit status 0.
//!
//! The first line on standard output is the server's endpoint (`http://127.0.0.1:8000`; with
//! `--port 0`, the port the system chose); the log goes to standard error.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use notes_local::auth::AccessKeys;
use notes_local::protocol::Service;
use notes_local::{LocalServer, ServerOptions};
use notes_memory::MemoryBackend;

const USAGE: &str = "\
notes-local: a local DynamoDB (DynamoDB's JSON protocol over HTTP) on the notes SDK's engine

usage: notes-local [OPTIONS]

options:
  --port PORT               port to listen on (default 8000; 0: any free port)
  --host ADDRESS            address to listen on (default 127.0.0.1; 0.0.0.0: every interface)
  --data DIR                keep the data in DIR (default ./notes-local-data)
  --in-memory               keep the data in memory only (lost on exit)
  --enforce-throughput      throttle provisioned tables past their capacity
                            (ProvisionedThroughputExceededException, which SDKs retry)
                            and on-demand tables past their OnDemandThroughput
                            (ThrottlingException), with their ThrottlingReasons
  --replica-lag MS          eventually consistent reads see the data as it was MS ms ago
  --restore-lag MS          point-in-time recovery's latest restorable time is MS ms
                            behind now (default 300000: DynamoDB's 5 minutes)
  --ttl-sweep SECONDS       delete expired items (time to live) every SECONDS seconds
                            (default 60; 0: never)
  --region REGION           the region in ARNs and the health check (default us-east-1)
  --credentials KEY:SECRET  verify signatures, accepting this access key (repeatable);
                            without it any signature is accepted, as DynamoDB Local does
  --verbose, -v             log every request (also RUST_LOG=debug)
  --help, -h                print this help

The first line on standard output is the endpoint, e.g. http://127.0.0.1:8000.
";

/// How often expired items are deleted by default.
const TTL_SWEEP: Duration = Duration::from_secs(60);

/// A whole number of `unit`s (`"milliseconds"` or `"seconds"`) for `flag`.
fn number(flag: &str, text: &str, unit: &str) -> Result<u64, String> {
    text.parse()
        .map_err(|_| format!("{flag}: {text:?} is not a number of {unit}"))
}

/// Where the data is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Storage {
    Directory(PathBuf),
    InMemory,
}

/// The command line, read.
#[derive(Debug, Clone, PartialEq)]
struct Args {
    host: IpAddr,
    port: u16,
    storage: Storage,
    enforce_throughput: bool,
    replica_lag: Option<Duration>,
    restore_lag: Option<Duration>,
    ttl_sweep: Option<Duration>,
    region: String,
    keys: Option<AccessKeys>,
    verbose: bool,
    help: bool,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8000,
            storage: Storage::Directory(PathBuf::from("notes-local-data")),
            enforce_throughput: false,
            replica_lag: None,
            restore_lag: None,
            ttl_sweep: Some(TTL_SWEEP),
            region: "us-east-1".to_owned(),
            keys: None,
            verbose: false,
            help: false,
        }
    }
}

/// Reads the command line's arguments (without the program's name); an error names the
/// flag at fault.
fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args::default();
    let (mut data, mut in_memory) = (false, false);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // `--flag=value` and `--flag value` alike.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs {what}"))
        };
        match flag.as_str() {
            "--port" => {
                let port = value("a port number")?;
                parsed.port = port
                    .parse()
                    .map_err(|_| format!("--port: {port:?} is not a port number (0 to 65535)"))?;
            }
            "--host" => {
                let host = value("an address")?;
                parsed.host = match host.as_str() {
                    "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
                    _ => host.parse().map_err(|_| {
                        format!("--host: {host:?} is not an IP address (such as 127.0.0.1 or ::1)")
                    })?,
                };
            }
            "--data" => {
                parsed.storage = Storage::Directory(PathBuf::from(value("a directory")?));
                data = true;
            }
            "--region" => {
                let region = value("a region name")?;
                if region.is_empty() {
                    return Err("--region: the region name is empty".to_owned());
                }
                parsed.region = region;
            }
            "--replica-lag" => {
                let ms = number(&flag, &value("a number of milliseconds")?, "milliseconds")?;
                parsed.replica_lag = Some(Duration::from_millis(ms));
            }
            "--restore-lag" => {
                let ms = number(&flag, &value("a number of milliseconds")?, "milliseconds")?;
                parsed.restore_lag = Some(Duration::from_millis(ms));
            }
            "--ttl-sweep" => {
                let seconds = number(&flag, &value("a number of seconds")?, "seconds")?;
                parsed.ttl_sweep = (seconds > 0).then(|| Duration::from_secs(seconds));
            }
            "--credentials" => {
                let pair = value("ACCESS_KEY_ID:SECRET_ACCESS_KEY")?;
                let keys = parsed.keys.take().unwrap_or_default();
                parsed.keys = Some(
                    keys.with_pair(&pair)
                        .map_err(|err| format!("--credentials: {err}"))?,
                );
            }
            "--in-memory" | "--enforce-throughput" | "--verbose" | "-v" | "--help" | "-h"
                if inline.is_some() =>
            {
                return Err(format!("{flag} takes no value"));
            }
            "--in-memory" => {
                parsed.storage = Storage::InMemory;
                in_memory = true;
            }
            "--enforce-throughput" => parsed.enforce_throughput = true,
            "--verbose" | "-v" => parsed.verbose = true,
            "--help" | "-h" => parsed.help = true,
            _ => return Err(format!("unknown argument {arg:?}")),
        }
    }
    if data && in_memory {
        return Err("--data and --in-memory cannot be used together".to_owned());
    }
    Ok(parsed)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(err) => {
            eprintln!("notes-local: {err}\nRun `notes-local --help` for the options.");
            return ExitCode::from(2);
        }
    };
    if args.help {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(log_level(args.verbose))
        .init();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("notes-local: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Debug with `--verbose` or `RUST_LOG` set to a level name, else info.
fn log_level(verbose: bool) -> tracing::Level {
    if verbose {
        return tracing::Level::DEBUG;
    }
    std::env::var("RUST_LOG")
        .ok()
        .and_then(|level| level.trim().parse().ok())
        .unwrap_or(tracing::Level::INFO)
}

/// Serves until Ctrl-C or SIGTERM.
async fn run(args: Args) -> Result<(), String> {
    let mut builder = MemoryBackend::builder().enforce_throughput(args.enforce_throughput);
    if let Some(lag) = args.replica_lag {
        builder = builder.replica_lag(lag);
    }
    if let Some(lag) = args.restore_lag {
        builder = builder.restore_lag(lag);
    }
    let service = match &args.storage {
        Storage::InMemory => Service::new(builder.build(), args.region.clone()),
        Storage::Directory(dir) => {
            let engine = builder
                .open(dir)
                .map_err(|err| format!("--data {}: {err}", dir.display()))?;
            // The tags and the settings the engine does not model are kept beside its files.
            Service::durable(engine, args.region.clone(), dir)
                .map_err(|err| format!("--data {}: {err}", dir.display()))?
        }
    };
    let address = SocketAddr::new(args.host, args.port);
    let mut options = ServerOptions::default().address(address);
    if let Some(keys) = args.keys.clone() {
        options = options.credentials(keys);
    }
    if let Some(every) = args.ttl_sweep {
        options = options.ttl_sweep(every);
    }
    let shutdown = ShutdownSignal::listen();
    let server = LocalServer::start(service, options)
        .await
        .map_err(|err| format!("cannot listen on {address}: {err}"))?;
    println!("{}", server.endpoint());
    match &args.storage {
        Storage::InMemory => tracing::info!("data in memory only (lost on exit)"),
        Storage::Directory(dir) => {
            let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
            tracing::info!(data = %dir.display(), "data kept on disk (--in-memory not to keep it)");
        }
    }
    tracing::info!(
        region = args.region,
        signatures = if args.keys.is_some() {
            "verified"
        } else {
            "not verified"
        },
        enforce_throughput = args.enforce_throughput,
        "listening on {}",
        server.endpoint()
    );
    shutdown.received().await;
    server
        .shutdown()
        .await
        .map_err(|err| format!("stopping the server: {err}"))?;
    tracing::info!("stopped");
    Ok(())
}

/// Ctrl-C and SIGTERM (what a container runtime or systemd sends), listened for from the moment
/// it is made: made before the endpoint is printed, so a signal sent as soon as the endpoint is
/// read finishes the requests in flight instead of killing the process.
struct ShutdownSignal {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl ShutdownSignal {
    /// Installs the handlers now. Without one the server can only be killed: it keeps serving.
    fn listen() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let listen = |kind: SignalKind, name: &str| match signal(kind) {
                Ok(signal) => Some(signal),
                Err(err) => {
                    tracing::error!("cannot listen for {name}: {err}");
                    None
                }
            };
            ShutdownSignal {
                interrupt: listen(SignalKind::interrupt(), "Ctrl-C"),
                terminate: listen(SignalKind::terminate(), "SIGTERM"),
            }
        }
        #[cfg(not(unix))]
        ShutdownSignal {}
    }

    /// Completes on the first Ctrl-C or SIGTERM since [`ShutdownSignal::listen`].
    async fn received(self) {
        #[cfg(unix)]
        {
            async fn next(signal: Option<tokio::signal::unix::Signal>) {
                match signal {
                    Some(mut signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            }
            tokio::select! {
                () = next(self.interrupt) => tracing::info!("Ctrl-C: finishing requests in flight"),
                () = next(self.terminate) => tracing::info!("SIGTERM: finishing requests in flight"),
            }
        }
        #[cfg(not(unix))]
        match tokio::signal::ctrl_c().await {
            Ok(()) => tracing::info!("Ctrl-C: finishing requests in flight"),
            Err(err) => {
                tracing::error!("cannot listen for Ctrl-C: {err}");
                std::future::pending::<()>().await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Result<Args, String> {
        parse(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn the_defaults_are_dynamodb_locals_port_and_a_data_directory() {
        let parsed = args("").unwrap();
        assert_eq!(parsed, Args::default());
        assert_eq!(parsed.port, 8000);
        assert_eq!(
            parsed.storage,
            Storage::Directory(PathBuf::from("notes-local-data"))
        );
    }

    #[test]
    fn every_flag_is_read_with_or_without_an_equals_sign() {
        let parsed = args(
            "--port 0 --host=0.0.0.0 --data /tmp/d --enforce-throughput --replica-lag 250 \
             --restore-lag 1000 --ttl-sweep 5 \
             --region=eu-west-1 --credentials A:B --credentials=C:D:E -v",
        )
        .unwrap();
        assert_eq!(parsed.port, 0);
        assert_eq!(parsed.host, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        assert_eq!(parsed.storage, Storage::Directory("/tmp/d".into()));
        assert!(parsed.enforce_throughput && parsed.verbose);
        assert_eq!(parsed.replica_lag, Some(Duration::from_millis(250)));
        assert_eq!(parsed.restore_lag, Some(Duration::from_secs(1)));
        assert_eq!(parsed.ttl_sweep, Some(Duration::from_secs(5)));
        assert_eq!(args("--ttl-sweep 0").unwrap().ttl_sweep, None);
        assert_eq!(parsed.region, "eu-west-1");
        assert_eq!(
            parsed.keys,
            Some(AccessKeys::default().with("A", "B").with("C", "D:E"))
        );
        assert_eq!(args("--in-memory").unwrap().storage, Storage::InMemory);
        assert_eq!(
            args("--host localhost").unwrap().host,
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        );
        assert!(args("--help").unwrap().help);
    }

    #[test]
    fn errors_name_the_flag_at_fault() {
        let error = |line: &str| args(line).unwrap_err();
        assert_eq!(error("--port"), "--port needs a port number");
        assert_eq!(
            error("--port 70000"),
            "--port: \"70000\" is not a port number (0 to 65535)"
        );
        assert_eq!(
            error("--host example"),
            "--host: \"example\" is not an IP address (such as 127.0.0.1 or ::1)"
        );
        assert_eq!(
            error("--replica-lag 1s"),
            "--replica-lag: \"1s\" is not a number of milliseconds"
        );
        assert_eq!(
            error("--credentials AKID"),
            "--credentials: expected ACCESS_KEY_ID:SECRET_ACCESS_KEY, got \"AKID\""
        );
        assert_eq!(
            error("--data d --in-memory"),
            "--data and --in-memory cannot be used together"
        );
        assert_eq!(error("--in-memory=yes"), "--in-memory takes no value");
        assert_eq!(error("--prot 1"), "unknown argument \"--prot\"");
        assert_eq!(error("--data"), "--data needs a directory");
        assert_eq!(
            error("--ttl-sweep 1m"),
            "--ttl-sweep: \"1m\" is not a number of seconds"
        );
        assert_eq!(
            error("--restore-lag"),
            "--restore-lag needs a number of milliseconds"
        );
    }
}
