//! Per-minute accounting of a load run, and the report printed from it.

use std::fmt::Write as _;
use std::time::Duration;

use notes_repo::request::ProvisionedThroughput;

use super::cost::{self, Prices};
use super::workload::Units;

/// What happened in one minute of a run (the last one also holds the retries that outlived
/// the run).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Minute {
    /// 0 for the first minute.
    pub(crate) index: usize,
    /// The minute's length in seconds (the last one may be shorter).
    pub(crate) seconds: u64,
    /// Requests sent for the first time.
    pub(crate) requests: u64,
    /// Units consumed in all.
    pub(crate) units: Units,
    /// Units consumed in the busiest second, reads and writes apart.
    pub(crate) peak: Units,
    /// The units a request that failed would have consumed, estimated at the mean of the
    /// requests of its route that did not fail.
    pub(crate) failed_units: Units,
    /// The table's units at the minute's end (`describe_table()`); `None` on demand.
    pub(crate) provisioned: Option<ProvisionedThroughput>,
    /// Attempts answered with a throttling error.
    pub(crate) throttled: u64,
    /// Requests that ended throttled (their attempts spent).
    pub(crate) failed: u64,
    /// How long each request that succeeded in this minute waited beyond its first attempt
    /// (the retries' delays); with `--dynamodb`, its wall-clock time.
    pub(crate) latencies: Vec<Duration>,
}

impl Minute {
    fn new(index: usize, seconds: u64) -> Self {
        Minute {
            index,
            seconds: seconds.max(1),
            requests: 0,
            units: Units::default(),
            peak: Units::default(),
            failed_units: Units::default(),
            provisioned: None,
            throttled: 0,
            failed: 0,
            latencies: Vec::new(),
        }
    }

    /// Units per second the minute's requests asked for: consumed, and estimated for those that
    /// failed.
    pub(crate) fn demand(&self) -> Units {
        let seconds = self.seconds as f64;
        Units {
            read: (self.units.read + self.failed_units.read) / seconds,
            write: (self.units.write + self.failed_units.write) / seconds,
        }
    }
}

/// The `p`-th percentile (nearest rank) of `samples`, zero for none.
pub(crate) fn percentile(samples: &[Duration], p: f64) -> Duration {
    if samples.is_empty() {
        return Duration::ZERO;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_unstable();
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

/// Collects a run into minutes as its events arrive, in time order.
#[derive(Debug)]
pub(crate) struct Recorder {
    duration: Duration,
    /// Finished minutes.
    pub(crate) minutes: Vec<Minute>,
    current: Minute,
    /// Units per second of the current minute.
    seconds: Vec<Units>,
    /// When the first throttling error came, since the start.
    pub(crate) first_throttle: Option<Duration>,
    /// Requests that found their note gone.
    pub(crate) not_found: u64,
}

impl Recorder {
    pub(crate) fn new(duration: Duration) -> Self {
        let mut recorder = Recorder {
            duration,
            minutes: Vec::new(),
            current: Minute::new(0, 0),
            seconds: Vec::new(),
            first_throttle: None,
            not_found: 0,
        };
        recorder.start_minute(0);
        recorder
    }

    fn minute_count(&self) -> usize {
        self.duration.as_secs().div_ceil(60).max(1) as usize
    }

    fn start_minute(&mut self, index: usize) {
        let seconds = (self.duration.as_secs().saturating_sub(60 * index as u64)).min(60);
        self.current = Minute::new(index, seconds);
        self.seconds = vec![Units::default(); self.current.seconds as usize];
    }

    /// The minute `at` falls in: events after the run's end count in its last minute.
    fn minute_of(&self, at: Duration) -> usize {
        ((at.as_secs() / 60) as usize).min(self.minute_count() - 1)
    }

    /// Whether `at` is past the end of the current minute (and it is not the last).
    pub(crate) fn passes_minute(&self, at: Duration) -> bool {
        self.minute_of(at) > self.current.index
    }

    /// Ends the current minute with the table's units at its end, and starts the next.
    pub(crate) fn end_minute(&mut self, provisioned: Option<ProvisionedThroughput>) -> &Minute {
        let mut done = std::mem::replace(&mut self.current, Minute::new(0, 0));
        done.provisioned = provisioned;
        done.peak = Units {
            read: self.seconds.iter().map(|s| s.read).fold(0.0, f64::max),
            write: self.seconds.iter().map(|s| s.write).fold(0.0, f64::max),
        };
        let next = done.index + 1;
        self.minutes.push(done);
        if next < self.minute_count() {
            self.start_minute(next);
        }
        self.minutes.last().expect("just pushed")
    }

    /// Whether every minute has ended.
    pub(crate) fn finished(&self) -> bool {
        self.minutes.len() == self.minute_count()
    }

    fn second(&mut self, at: Duration) -> &mut Units {
        let second = at.as_secs().saturating_sub(60 * self.current.index as u64) as usize;
        let last = self.seconds.len() - 1;
        &mut self.seconds[second.min(last)]
    }

    pub(crate) fn request(&mut self) {
        self.current.requests += 1;
    }

    pub(crate) fn consumed(&mut self, at: Duration, units: Units) {
        self.current.units.read += units.read;
        self.current.units.write += units.write;
        let second = self.second(at);
        second.read += units.read;
        second.write += units.write;
    }

    pub(crate) fn throttled(&mut self, at: Duration) {
        self.current.throttled += 1;
        self.first_throttle.get_or_insert(at);
    }

    pub(crate) fn succeeded(&mut self, latency: Duration) {
        self.current.latencies.push(latency);
    }

    pub(crate) fn failed(&mut self, estimated: Units) {
        self.current.failed += 1;
        self.current.failed_units.read += estimated.read;
        self.current.failed_units.write += estimated.write;
    }
}

/// The header of the per-minute table: the last column is the delay retries added (`retry`,
/// on the virtual clock) or the wall-clock time of each request (`latency`, `--dynamodb`).
pub(crate) fn minute_header(latency: &str) -> String {
    format!(
        "  min    req  RCU/s avg   peak  WCU/s avg   peak  provisioned R/W  throttled  failed  {latency} ms p50/p99"
    )
}

/// One minute as a line of the table.
pub(crate) fn minute_line(minute: &Minute) -> String {
    let seconds = minute.seconds as f64;
    let provisioned = match minute.provisioned {
        Some(units) => format!(
            "{}/{}",
            units.read_capacity_units, units.write_capacity_units
        ),
        None => "on demand".to_owned(),
    };
    format!(
        "{:>5} {:>6} {:>10.1} {:>6.1} {:>10.1} {:>6.1}  {:>15}  {:>9}  {:>6}  {:>7}/{}",
        minute.index + 1,
        minute.requests,
        minute.units.read / seconds,
        minute.peak.read,
        minute.units.write / seconds,
        minute.peak.write,
        provisioned,
        minute.throttled,
        minute.failed,
        percentile(&minute.latencies, 50.0).as_millis(),
        percentile(&minute.latencies, 99.0).as_millis(),
    )
}

/// A whole run, for the summary and the cost estimate.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LoadReport {
    pub(crate) minutes: Vec<Minute>,
    pub(crate) first_throttle: Option<Duration>,
    pub(crate) not_found: u64,
    /// Whether the backend throttled (MemoryBackend with enforcement) or not (`--dynamodb`).
    pub(crate) throttling_simulated: bool,
}

impl LoadReport {
    pub(crate) fn from_recorder(recorder: Recorder, throttling_simulated: bool) -> Self {
        LoadReport {
            minutes: recorder.minutes,
            first_throttle: recorder.first_throttle,
            not_found: recorder.not_found,
            throttling_simulated,
        }
    }

    pub(crate) fn requests(&self) -> u64 {
        self.minutes.iter().map(|m| m.requests).sum()
    }

    pub(crate) fn throttled(&self) -> u64 {
        self.minutes.iter().map(|m| m.throttled).sum()
    }

    pub(crate) fn failed(&self) -> u64 {
        self.minutes.iter().map(|m| m.failed).sum()
    }

    /// Units per second the run asked for on average (consumed, and estimated for failures).
    pub(crate) fn mean_demand(&self) -> Units {
        let seconds: u64 = self.minutes.iter().map(|m| m.seconds).sum();
        let seconds = seconds.max(1) as f64;
        let sum = |f: fn(&Minute) -> f64| self.minutes.iter().map(f).sum::<f64>() / seconds;
        Units {
            read: sum(|m| m.units.read + m.failed_units.read),
            write: sum(|m| m.units.write + m.failed_units.write),
        }
    }

    /// The busiest minute's demand per second, reads and writes apart.
    pub(crate) fn peak_demand(&self) -> Units {
        let demand = self.minutes.iter().map(Minute::demand);
        demand.fold(Units::default(), |peak, d| Units {
            read: peak.read.max(d.read),
            write: peak.write.max(d.write),
        })
    }

    /// Every minute whose provisioned units differ from the minute before: what changed the
    /// table's capacity during the run (auto scaling, once it exists, shows here).
    pub(crate) fn capacity_changes(&self) -> Vec<(usize, Option<ProvisionedThroughput>)> {
        self.minutes
            .windows(2)
            .filter(|pair| pair[0].provisioned != pair[1].provisioned)
            .map(|pair| (pair[1].index, pair[1].provisioned))
            .collect()
    }

    /// The summary and the monthly cost estimate.
    pub(crate) fn summary(&self, prices: &Prices) -> String {
        let mut out = String::new();
        let first = match self.first_throttle {
            Some(at) => format!("; first throttled at {}", clock(at)),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{} requests: {} throttled attempts, {} failed after their retries, {} found their note deleted{first}",
            self.requests(),
            self.throttled(),
            self.failed(),
            self.not_found,
        );
        if !self.throttling_simulated {
            let _ = writeln!(
                out,
                "(no throttling simulated here: the server serves whatever comes; on AWS the SDK retries throttled requests inside each call, so only those still throttled after its retries are counted)"
            );
        }
        let changes = self.capacity_changes();
        if changes.is_empty() {
            let _ = writeln!(out, "capacity changes: none");
        } else {
            for (index, units) in changes {
                let units = units.map_or("on demand".to_owned(), |u| {
                    format!("{}/{}", u.read_capacity_units, u.write_capacity_units)
                });
                let _ = writeln!(out, "capacity change: minute {} at {units}", index + 1);
            }
        }
        let mean = self.mean_demand();
        let peak = self.peak_demand();
        let (read, write) = (cost::units_for(peak.read), cost::units_for(peak.write));
        let _ = writeln!(
            out,
            "demand: {:.1} RCU/s and {:.1} WCU/s on average, {:.1} RCU/s and {:.1} WCU/s in the busiest minute{}",
            mean.read,
            mean.write,
            peak.read,
            peak.write,
            if self.failed() > 0 {
                " (failed requests counted at their route's mean units)"
            } else {
                ""
            },
        );
        let _ = writeln!(
            out,
            "\nestimated monthly cost, {} ({} h; prices since {}, checked {}; throughput only: no storage, backups or free tier)",
            prices.region,
            cost::HOURS_PER_MONTH,
            prices.effective,
            prices.checked,
        );
        let rows = [
            (
                "provisioned 5 RCU / 5 WCU (the notes table)".to_owned(),
                cost::provisioned_monthly(prices, 5, 5),
            ),
            (
                format!("provisioned at the busiest minute: {read} RCU / {write} WCU"),
                cost::provisioned_monthly(prices, read, write),
            ),
            (
                format!(
                    "on demand at this mix: {:.1} M read + {:.1} M write request units",
                    cost::monthly_units(mean.read) / 1e6,
                    cost::monthly_units(mean.write) / 1e6,
                ),
                cost::on_demand_monthly(prices, mean.read, mean.write),
            ),
        ];
        for (what, dollars) in rows {
            let _ = writeln!(out, "  {what:<64} ${dollars:>9.2}");
        }
        out
    }
}

/// `4m05s`.
pub(crate) fn clock(at: Duration) -> String {
    let millis = at.as_millis();
    let seconds = at.as_secs();
    if millis.is_multiple_of(1000) {
        format!("{}m{:02}s", seconds / 60, seconds % 60)
    } else {
        format!("{}m{:02}.{:03}s", seconds / 60, seconds % 60, millis % 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let ms = |v: &[u64]| {
            v.iter()
                .map(|&m| Duration::from_millis(m))
                .collect::<Vec<_>>()
        };
        let hundred: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&ms(&hundred), 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&ms(&hundred), 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&ms(&[7]), 99.0), Duration::from_millis(7));
        assert_eq!(percentile(&ms(&[3, 1, 2]), 50.0), Duration::from_millis(2));
        assert_eq!(percentile(&[], 50.0), Duration::ZERO);
    }

    #[test]
    fn demand_adds_what_failed_requests_would_have_consumed() {
        let mut minute = Minute::new(0, 60);
        minute.units = Units {
            read: 300.0,
            write: 120.0,
        };
        minute.failed_units = Units {
            read: 60.0,
            write: 0.0,
        };
        assert_eq!(
            minute.demand(),
            Units {
                read: 6.0,
                write: 2.0
            }
        );
    }
}
