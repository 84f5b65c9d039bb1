//! Load and cost: `cargo run --example notes-load -- [--rate N] [--duration D] [--users N]
//! [--provisioned R/W | --on-demand] [--auto-scaling] [--seed N] [--dynamodb [--table NAME]]`.
//!
//! Drives the notes API's access pattern (get, list newest-first 20 at a time, create, update,
//! delete; reads dominate) through `Repo<Note, _>` and prints, minute by minute, the capacity
//! units consumed (per second on average and in the busiest second), the table's provisioned
//! units, throttled attempts, requests that failed after their retries, and the latency the
//! retries added; then a monthly cost estimate for the notes table's 5/5, for provisioning at
//! the busiest minute, and for on demand.
//!
//! By default the load runs on MemoryBackend with provisioned throughput enforced (DynamoDB's
//! units: 4 KB strongly consistent reads, 8 KB eventually consistent, 1 KB writes; 300 s of
//! burst), on a virtual clock: 10 minutes take well under a second. A throttled request is
//! retried as the AWS SDK's standard retry would (`retry.rs`), on the same clock.
//!
//! With `--dynamodb` it runs in real time against the endpoint the AWS SDK is configured for
//! (`AWS_ENDPOINT_URL_DYNAMODB` for DynamoDB Local, dynoxide, ...; else AWS itself, at AWS's
//! prices), in the table `notes-load` (or `--table`), created if missing. Emulators do not
//! throttle; the report says so.

mod cost;
mod load;
mod report;
mod workload;

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use notes_repo::{AutoScaling, BillingMode, DynamoDbBackend, Note, Repo};

use load::LoadOptions;
use notes_repo::RetryPolicy;
use report::{Minute, minute_header, minute_line};
use workload::{Meter, Mix};

const USAGE: &str = "usage: notes-load [--rate N] [--duration D] [--users N] \
[--provisioned R/W | --on-demand] [--auto-scaling] [--seed N] [--dynamodb [--table NAME]]

  --rate N           requests per second (default 10)
  --duration D       600, 600s, 10m or 1h (default 10m; 30s with --dynamodb)
  --users N          distinct users (default 20)
  --provisioned R/W  a provisioned table of R read and W write units (default 5/5)
  --on-demand        an on-demand table
  --auto-scaling     target tracking at 70 % (min 5, max 40000) on reads and writes, as the
                     console's defaults set it up (simulated on MemoryBackend only)
  --seed N           the seed of the request mix and the retry jitter (default 1)
  --dynamodb         the DynamoDB endpoint the AWS SDK is configured for, in real time
  --table NAME       the table for --dynamodb (default notes-load)";

/// The command line.
#[derive(Debug, Clone, PartialEq)]
struct Args {
    options: LoadOptions,
    dynamodb: bool,
    table: String,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut options = LoadOptions {
        rate: 10.0,
        duration: Duration::from_secs(600),
        users: 20,
        billing: BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5,
        },
        seed: 1,
        mix: Mix::NOTES_APP,
        retry: RetryPolicy::default(),
        auto_scaling: None,
    };
    let mut duration = None;
    let mut dynamodb = false;
    let mut table = "notes-load".to_owned();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--rate" => {
                let v = value()?;
                options.rate = v
                    .parse()
                    .ok()
                    .filter(|r: &f64| r.is_finite() && *r > 0.0)
                    .ok_or_else(|| {
                        format!("--rate {v:?}: a number of requests per second above 0")
                    })?;
            }
            "--duration" => duration = Some(parse_duration(&value()?)?),
            "--users" => {
                let v = value()?;
                options.users = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("--users {v:?}: a number above 0"))?;
            }
            "--provisioned" => {
                let v = value()?;
                let (read, write) = v
                    .split_once('/')
                    .and_then(|(r, w)| Some((r.parse().ok()?, w.parse().ok()?)))
                    .filter(|(r, w): &(i64, i64)| *r >= 1 && *w >= 1)
                    .ok_or_else(|| {
                        format!("--provisioned {v:?}: read/write units, each at least 1, e.g. 5/5")
                    })?;
                options.billing = BillingMode::Provisioned {
                    read_capacity_units: read,
                    write_capacity_units: write,
                };
            }
            "--on-demand" => options.billing = BillingMode::PayPerRequest,
            "--auto-scaling" => options.auto_scaling = Some(AutoScaling::CONSOLE_DEFAULT),
            "--seed" => {
                let v = value()?;
                options.seed = v
                    .parse()
                    .map_err(|_| format!("--seed {v:?}: a whole number"))?;
            }
            "--dynamodb" => dynamodb = true,
            "--table" => table = value()?,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    options.duration = duration.unwrap_or(if dynamodb {
        Duration::from_secs(30)
    } else {
        Duration::from_secs(600)
    });
    Ok(Args {
        options,
        dynamodb,
        table,
    })
}

/// `600`, `600s`, `10m` or `1h`.
fn parse_duration(text: &str) -> Result<Duration, String> {
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let scale = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        _ => 0,
    };
    match number.parse::<u64>() {
        Ok(n) if n > 0 && scale > 0 => Ok(Duration::from_secs(n * scale)),
        _ => Err(format!(
            "--duration {text:?}: seconds, or a number with s, m or h (600, 10m)"
        )),
    }
}

fn describe_billing(billing: BillingMode) -> String {
    match billing.provisioned_throughput() {
        Some(units) => format!(
            "provisioned {} RCU / {} WCU",
            units.read_capacity_units, units.write_capacity_units
        ),
        None => "on demand".to_owned(),
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), BoxError> {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) if message == USAGE => {
            println!("{USAGE}");
            return Ok(());
        }
        Err(message) => return Err(message.into()),
    };
    let options = &args.options;
    println!(
        "notes-load: {} requests/s for {}, {} users, seed {}, table {}",
        options.rate,
        report::clock(options.duration),
        options.users,
        options.seed,
        describe_billing(options.billing),
    );
    println!(
        "  mix: {} (get and list strongly consistent, list newest first {} at a time, as the notes API sends them)",
        options.mix.describe(),
        notes_examples::notes_api::DEFAULT_LIMIT,
    );
    println!(
        "  units: 1 RCU = a strongly consistent read of up to 4 KB a second (8 KB eventually consistent); 1 WCU = a write of up to 1 KB a second"
    );
    if args.dynamodb {
        println!(
            "  backend: DynamoDB ({}), table {}, in real time; no throttling is simulated: emulators never throttle, and on AWS the SDK retries throttled requests itself; latency = wall-clock time of each request",
            std::env::var("AWS_ENDPOINT_URL_DYNAMODB")
                .unwrap_or_else(|_| "AWS, from the SDK's configuration".to_owned()),
            args.table,
        );
    } else {
        println!(
            "  backend: MemoryBackend, throughput enforced (300 s of unused capacity banked), virtual clock; a throttled request is retried as the AWS SDK's standard retry does ({} attempts, backoff up to 1 s, 2 s, ...), on the same clock",
            options.retry.max_attempts,
        );
    }
    println!();
    println!(
        "{}",
        minute_header(if args.dynamodb { "latency" } else { "retry" })
    );

    let progress = if args.dynamodb {
        ProgressBar::new(options.request_count())
    } else {
        // A 10-minute load is over before a bar would draw: the minute lines are the progress.
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} requests, {elapsed} elapsed")
            .map_err(|err| err.to_string())?,
    );
    let mut print = |minute: &Minute| progress.suspend(|| println!("{}", minute_line(minute)));
    let report = if args.dynamodb {
        let backend = Meter::new(DynamoDbBackend::from_env().await);
        let repo: Repo<Note, _> = Repo::with_table(backend, args.table.clone());
        load::run_live(&repo, options, &progress, &mut print).await?
    } else {
        load::run_memory(options, &progress, &mut print).await?
    };
    println!();
    print!("{}", report.summary(&cost::US_EAST_1));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        parse_args(args.iter().map(|a| a.to_string()))
    }

    #[test]
    fn defaults_are_the_notes_table_for_ten_minutes() {
        let args = parse(&[]).unwrap();
        assert_eq!(args.options.rate, 10.0);
        assert_eq!(args.options.duration, Duration::from_secs(600));
        assert_eq!(args.options.users, 20);
        assert_eq!(
            args.options.billing,
            BillingMode::Provisioned {
                read_capacity_units: 5,
                write_capacity_units: 5
            }
        );
        assert!(!args.dynamodb);
        // Real time runs short unless told otherwise.
        assert_eq!(
            parse(&["--dynamodb"]).unwrap().options.duration,
            Duration::from_secs(30)
        );
    }

    #[test]
    fn flags_take_values_with_a_space_or_an_equals_sign() {
        let args = parse(&[
            "--rate=25",
            "--duration",
            "2m",
            "--users",
            "3",
            "--provisioned",
            "40/10",
            "--seed=9",
        ])
        .unwrap();
        assert_eq!(args.options.rate, 25.0);
        assert_eq!(args.options.duration, Duration::from_secs(120));
        assert_eq!(args.options.users, 3);
        assert_eq!(
            args.options.billing,
            BillingMode::Provisioned {
                read_capacity_units: 40,
                write_capacity_units: 10
            }
        );
        assert_eq!(args.options.seed, 9);
        assert_eq!(
            parse(&["--on-demand"]).unwrap().options.billing,
            BillingMode::PayPerRequest
        );
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
    }

    #[test]
    fn bad_values_say_what_was_expected() {
        assert_eq!(
            parse(&["--provisioned", "0/5"]).unwrap_err(),
            "--provisioned \"0/5\": read/write units, each at least 1, e.g. 5/5"
        );
        assert_eq!(parse(&["--rate"]).unwrap_err(), "--rate needs a value");
        assert_eq!(
            parse(&["--duration", "10x"]).unwrap_err(),
            "--duration \"10x\": seconds, or a number with s, m or h (600, 10m)"
        );
        assert!(
            parse(&["--bogus"])
                .unwrap_err()
                .starts_with("unknown argument \"--bogus\"")
        );
    }
}
