//! Running the load: on MemoryBackend on a virtual clock, or against a DynamoDB endpoint in
//! real time.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::{Duration, SystemTime};

use indicatif::ProgressBar;
use notes_repo::request::ProvisionedThroughput;
use notes_repo::{Backend, BillingMode, Error, ManualClock, MemoryBackend, Note, Repo, Result};

use super::report::{LoadReport, Minute, Recorder};
use super::workload::{Meter, Mix, Outcome, Request, Rng, Units, Workload, send};
use notes_repo::{AutoScaling, RetryPolicy, TableScaling};

/// What load to send.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LoadOptions {
    /// Requests per second, evenly spaced.
    pub(crate) rate: f64,
    pub(crate) duration: Duration,
    pub(crate) users: u32,
    /// The table's billing mode when the run starts.
    pub(crate) billing: BillingMode,
    pub(crate) seed: u64,
    pub(crate) mix: Mix,
    /// The client's retries of throttled requests (simulated on MemoryBackend only).
    pub(crate) retry: RetryPolicy,
    /// Target tracking on the table's reads and writes (simulated on MemoryBackend only).
    pub(crate) auto_scaling: Option<AutoScaling>,
}

impl LoadOptions {
    /// Requests in the whole run.
    pub(crate) fn request_count(&self) -> u64 {
        (self.duration.as_secs_f64() * self.rate).floor() as u64
    }

    /// When request `k` is first sent, since the start.
    fn arrival(&self, k: u64) -> Duration {
        Duration::from_micros((k as f64 * 1e6 / self.rate).round() as u64)
    }
}

/// Where the virtual clock starts: 2026-01-01T00:00:00Z (any time would do).
const VIRTUAL_START_SECS: u64 = 1_767_225_600;

/// A request in flight: sent at `arrived`, attempt `attempt` due at the heap's time.
struct Pending {
    arrived: Duration,
    attempt: u32,
    request: Request,
}

/// Running mean units per request, by route, to estimate what a failed request would have cost.
#[derive(Debug, Default)]
struct MeanUnits {
    sums: [(Units, u64); 5],
}

impl MeanUnits {
    fn slot(request: &Request) -> usize {
        match request {
            Request::Create(_) => 0,
            Request::Get(_) => 1,
            Request::List(_) => 2,
            Request::Update { .. } => 3,
            Request::Delete(_) => 4,
        }
    }

    fn add(&mut self, request: &Request, units: Units) {
        let (sum, count) = &mut self.sums[Self::slot(request)];
        sum.read += units.read;
        sum.write += units.write;
        *count += 1;
    }

    fn mean(&self, request: &Request) -> Units {
        let (sum, count) = self.sums[Self::slot(request)];
        let count = count.max(1) as f64;
        Units {
            read: sum.read / count,
            write: sum.write / count,
        }
    }
}

/// The table's provisioned units as `describe_table()` reports them (`None` on demand). Once
/// auto scaling exists, this is where its changes show up, minute by minute.
async fn provisioned<B: Backend>(repo: &Repo<Note, B>) -> Result<Option<ProvisionedThroughput>> {
    let description = repo.describe_table().await?;
    Ok(description
        .billing_mode
        .and_then(|mode| mode.provisioned_throughput()))
}

/// Runs `options` on a fresh MemoryBackend that enforces provisioned throughput, on a
/// [`ManualClock`] moved to each attempt's time: a 10-minute load takes a fraction of a
/// second. Requests are sent one at a time in time order (a discrete-event simulation); a
/// throttled one is sent again after the retry policy's delay, until its attempts are spent.
/// `on_minute` sees each minute as it ends.
pub(crate) async fn run_memory(
    options: &LoadOptions,
    progress: &ProgressBar,
    on_minute: &mut dyn FnMut(&Minute),
) -> Result<LoadReport> {
    let start = SystemTime::UNIX_EPOCH + Duration::from_secs(VIRTUAL_START_SECS);
    let clock = ManualClock::new(start);
    let backend = MemoryBackend::builder()
        .clock(clock.clone())
        .enforce_throughput(true)
        .build();
    let meter = Meter::new(backend);
    let repo: Repo<Note, _> = Repo::new(meter.clone());
    repo.create_table(options.billing).await?;
    if let Some(policy) = options.auto_scaling {
        repo.set_auto_scaling(&TableScaling::all(policy)).await?;
    }

    let mut workload = Workload::new(options.users, options.mix, options.seed);
    let mut jitter = Rng::new(options.seed ^ 0x5EED_F00D_7E57_0001);
    let mut recorder = Recorder::new(options.duration);
    let mut means = MeanUnits::default();
    let mut retries: BinaryHeap<Reverse<(Duration, u64)>> = BinaryHeap::new();
    let mut pending: Vec<Option<Pending>> = Vec::new();
    let total = options.request_count();
    let mut next = 0u64;
    let mut now = Duration::ZERO;

    loop {
        let arrival = (next < total).then(|| options.arrival(next));
        let retry = retries.peek().map(|Reverse((at, _))| *at);
        // Arrivals first on a tie: a new request at the same instant as a retry goes first.
        let (at, slot) = match (arrival, retry) {
            (None, None) => break,
            (Some(a), Some(r)) if r < a => (r, retries.pop().map(|Reverse((_, s))| s)),
            (Some(a), _) => (a, None),
            (None, Some(r)) => (r, retries.pop().map(|Reverse((_, s))| s)),
        };
        while recorder.passes_minute(at) {
            let minute = recorder.end_minute(provisioned(&repo).await?);
            on_minute(minute);
        }
        clock.advance(at - now);
        now = at;
        let mut flight = match slot {
            Some(slot) => pending[slot as usize]
                .take()
                .expect("a retry is pending once"),
            None => {
                next += 1;
                progress.inc(1);
                recorder.request();
                let now_ms = VIRTUAL_START_SECS * 1000 + at.as_millis() as u64;
                Pending {
                    arrived: at,
                    attempt: 1,
                    request: workload.next(now_ms),
                }
            }
        };
        let result = send(&repo, &flight.request).await;
        let units = meter.take();
        recorder.consumed(at, units);
        match result {
            Ok(outcome) => {
                means.add(&flight.request, units);
                if outcome == Outcome::NotFound {
                    recorder.not_found += 1;
                }
                workload.record(&flight.request, outcome);
                recorder.succeeded(at - flight.arrived);
            }
            Err(Error::Throttled { .. }) => {
                recorder.throttled(at);
                if flight.attempt < options.retry.max_attempts.max(1) {
                    let delay = options.retry.backoff(flight.attempt, jitter.next_u64());
                    flight.attempt += 1;
                    pending.push(Some(flight));
                    retries.push(Reverse((at + delay, pending.len() as u64 - 1)));
                } else {
                    recorder.failed(means.mean(&flight.request));
                }
            }
            Err(err) => return Err(err),
        }
    }
    while !recorder.finished() {
        let minute = recorder.end_minute(provisioned(&repo).await?);
        on_minute(minute);
    }
    progress.finish_and_clear();
    Ok(LoadReport::from_recorder(recorder, true))
}

/// Runs `options` against `repo`'s table (created with `options.billing` if missing) in real
/// time, one request at a time at the given rate. The backend's own client retries; nothing is
/// retried here, and a request that still fails throttled counts as failed. Latencies are
/// wall-clock times.
pub(crate) async fn run_live<B: Backend>(
    repo: &Repo<Note, Meter<B>>,
    options: &LoadOptions,
    progress: &ProgressBar,
    on_minute: &mut dyn FnMut(&Minute),
) -> Result<LoadReport> {
    repo.ensure_table(options.billing).await?;
    let meter = repo.backend().clone();
    meter.take();
    let mut workload = Workload::new(options.users, options.mix, options.seed);
    let mut recorder = Recorder::new(options.duration);
    let mut means = MeanUnits::default();
    let start = tokio::time::Instant::now();
    for k in 0..options.request_count() {
        let due = options.arrival(k);
        tokio::time::sleep_until(start + due).await;
        let at = start.elapsed();
        while recorder.passes_minute(at) {
            let minute = recorder.end_minute(provisioned(repo).await?);
            on_minute(minute);
        }
        progress.inc(1);
        recorder.request();
        let now_ms = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let request = workload.next(now_ms);
        let sent = tokio::time::Instant::now();
        let result = send(repo, &request).await;
        let units = meter.take();
        recorder.consumed(at, units);
        match result {
            Ok(outcome) => {
                means.add(&request, units);
                if outcome == Outcome::NotFound {
                    recorder.not_found += 1;
                }
                workload.record(&request, outcome);
                recorder.succeeded(sent.elapsed());
            }
            Err(Error::Throttled { .. }) => {
                recorder.throttled(at);
                recorder.failed(means.mean(&request));
            }
            Err(err) => return Err(err),
        }
    }
    while !recorder.finished() {
        let minute = recorder.end_minute(provisioned(repo).await?);
        on_minute(minute);
    }
    progress.finish_and_clear();
    Ok(LoadReport::from_recorder(recorder, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(billing: BillingMode, mix: Mix, minutes: u64) -> LoadOptions {
        LoadOptions {
            rate: 10.0,
            duration: Duration::from_secs(60 * minutes),
            users: 10,
            billing,
            seed: 7,
            mix,
            retry: RetryPolicy::default(),
            auto_scaling: None,
        }
    }

    const FIVE_FIVE: BillingMode = BillingMode::Provisioned {
        read_capacity_units: 5,
        write_capacity_units: 5,
    };

    fn run(options: &LoadOptions) -> LoadReport {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        runtime
            .block_on(run_memory(options, &ProgressBar::hidden(), &mut |_| {}))
            .unwrap()
    }

    #[test]
    fn ten_writes_a_second_on_five_wcu_throttle_once_the_300_second_burst_is_spent() {
        let report = run(&options(FIVE_FIVE, Mix::CREATE_ONLY, 7));
        assert_eq!(report.minutes.len(), 7);
        // 1,500 banked units drain at 10 - 5 a second: the request sent at exactly 300 s is
        // the first to find the bucket empty.
        assert_eq!(report.first_throttle, Some(Duration::from_secs(300)));
        for minute in &report.minutes[..5] {
            assert_eq!(minute.throttled, 0, "minute {}", minute.index + 1);
            assert_eq!(minute.failed, 0, "minute {}", minute.index + 1);
            // Every note is under 1 KB: 600 creates are 600 WCU, 10 a second.
            assert_eq!(minute.units.write, 600.0, "minute {}", minute.index + 1);
            assert_eq!(minute.peak.write, 10.0);
            assert_eq!(minute.units.read, 0.0);
            assert_eq!(minute.provisioned, Some(ProvisionedThroughput::new(5, 5)));
            assert!(minute.latencies.iter().all(|l| l.is_zero()));
        }
        for minute in &report.minutes[5..] {
            assert!(minute.throttled > 0, "minute {}", minute.index + 1);
            assert!(minute.failed > 0, "minute {}", minute.index + 1);
            assert!(percentile_ms(minute, 99.0) > 0);
        }
        // Once the bank is spent the table serves its provisioned 5 units a second, no more:
        // the last minute also holds the retries that outlive the run (at most 1 s + 2 s).
        assert_eq!(report.minutes[5].units.write, 300.0);
        assert!(report.minutes[6].units.write <= 5.0 * 63.0);
        assert_eq!(report.requests(), 4200);
        assert_eq!(report.capacity_changes(), vec![]);
    }

    /// The same load with the console's auto scaling: 10 WCU/s is 200 % of 5 WCU, so after
    /// two minutes above 70 % the write capacity rises to ceil(10 / 0.7) = 15 at the end of
    /// minute 2, before the bank is spent: nothing is ever throttled.
    #[test]
    fn auto_scaling_raises_the_write_capacity_before_the_burst_is_spent() {
        let mut scaled = options(FIVE_FIVE, Mix::CREATE_ONLY, 7);
        scaled.auto_scaling = Some(AutoScaling::CONSOLE_DEFAULT);
        let report = run(&scaled);
        assert_eq!(report.first_throttle, None);
        assert_eq!(report.throttled(), 0);
        assert_eq!(
            report.minutes[1].provisioned,
            Some(ProvisionedThroughput::new(5, 5))
        );
        assert_eq!(
            report.minutes[2].provisioned,
            Some(ProvisionedThroughput::new(5, 15))
        );
        assert_eq!(report.capacity_changes().len(), 1);
        assert!(report.minutes.iter().all(|m| m.units.write == 600.0));
    }

    fn percentile_ms(minute: &Minute, p: f64) -> u128 {
        super::super::report::percentile(&minute.latencies, p).as_millis()
    }

    #[test]
    fn on_demand_never_throttles() {
        let report = run(&options(BillingMode::PayPerRequest, Mix::CREATE_ONLY, 7));
        assert_eq!(report.first_throttle, None);
        assert_eq!(report.throttled(), 0);
        assert_eq!(report.failed(), 0);
        assert!(report.minutes.iter().all(|m| m.provisioned.is_none()));
        assert!(report.minutes.iter().all(|m| m.units.write == 600.0));

        let notes = run(&options(BillingMode::PayPerRequest, Mix::NOTES_APP, 3));
        assert_eq!(notes.throttled(), 0);
        assert!(notes.mean_demand().read > notes.mean_demand().write);
    }

    #[test]
    fn the_notes_mix_on_five_five_runs_out_of_read_units_not_write_units() {
        let report = run(&options(FIVE_FIVE, Mix::NOTES_APP, 10));
        let first = report.first_throttle.expect("reads outrun 5 RCU");
        // Reads ask for more than 5 RCU once lists fill up (writes for less than 5 WCU): the
        // 1,500 banked read units run out, though not in the first minute.
        assert!(first > Duration::from_secs(60) && first < Duration::from_secs(300));
        assert!(report.peak_demand().read > 5.0);
        assert!(report.peak_demand().write < 5.0);
    }

    #[test]
    fn the_same_seed_gives_the_same_run() {
        let a = run(&options(FIVE_FIVE, Mix::NOTES_APP, 6));
        let b = run(&options(FIVE_FIVE, Mix::NOTES_APP, 6));
        assert_eq!(a, b);
        let mut other = options(FIVE_FIVE, Mix::NOTES_APP, 6);
        other.seed = 8;
        assert_ne!(run(&other), a);
    }
}
