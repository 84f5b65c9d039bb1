//! The time [`MemoryBackend`](crate::MemoryBackend) runs on: the system's by default, or a
//! [`ManualClock`] that tests move forward, so that "4 decreases per UTC day" (and, with
//! throughput enforcement, "300 seconds of burst") is checked in milliseconds.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

/// A source of wall-clock time for [`MemoryBackend`](crate::MemoryBackend).
///
/// ```
/// use std::time::SystemTime;
/// use notes_repo::Clock;
///
/// #[derive(Debug)]
/// struct Epoch;
/// impl Clock for Epoch {
///     fn now(&self) -> SystemTime {
///         SystemTime::UNIX_EPOCH
///     }
/// }
/// let backend = notes_repo::MemoryBackend::builder().clock(Epoch).build();
/// # let _ = backend;
/// ```
pub trait Clock: fmt::Debug + Send + Sync + 'static {
    /// The current time. Successive calls never go backwards.
    fn now(&self) -> SystemTime;
}

/// The system's clock: [`SystemTime::now`]. The default.
///
/// ```
/// use notes_repo::{Clock, SystemClock};
/// assert!(SystemClock.now() > std::time::SystemTime::UNIX_EPOCH);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that stands still until it is moved: clones share the same time.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use notes_repo::{Clock, ManualClock};
///
/// let clock = ManualClock::new(SystemTime::UNIX_EPOCH);
/// let backend = notes_repo::MemoryBackend::builder().clock(clock.clone()).build();
/// clock.advance(Duration::from_secs(3600));
/// assert_eq!(clock.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(3600));
/// # let _ = backend;
/// ```
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<Mutex<SystemTime>>,
}

impl ManualClock {
    /// A clock showing `start`.
    ///
    /// See [`ManualClock`] for an example.
    pub fn new(start: SystemTime) -> Self {
        ManualClock {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// Moves the clock forward by `by`.
    ///
    /// See [`ManualClock`] for an example.
    pub fn advance(&self, by: Duration) {
        let mut now = self.now.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// tokio's clock: `start` plus the time tokio has seen pass since the clock was made, so a
/// runtime with paused time (`tokio::time::pause`, `advance`, or sleeps that auto-advance it)
/// drives the backend: a 10-minute load of `sleep`-paced requests runs in milliseconds.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use notes_repo::{Clock, TokioClock};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// tokio::time::pause();
/// let clock = TokioClock::new(SystemTime::UNIX_EPOCH);
/// tokio::time::advance(Duration::from_secs(600)).await; // instant: time is paused
/// assert_eq!(clock.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(600));
/// tokio::time::sleep(Duration::from_secs(60)).await; // auto-advances (to the next ms)
/// assert!(clock.now() >= SystemTime::UNIX_EPOCH + Duration::from_secs(660));
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TokioClock {
    start: SystemTime,
    started: tokio::time::Instant,
}

impl TokioClock {
    /// A clock showing `start` now, and moving as tokio's time does.
    ///
    /// See [`TokioClock`] for an example.
    pub fn new(start: SystemTime) -> Self {
        TokioClock {
            start,
            started: tokio::time::Instant::now(),
        }
    }
}

impl Clock for TokioClock {
    fn now(&self) -> SystemTime {
        self.start + self.started.elapsed()
    }
}

/// Seconds since the Unix epoch (0 for earlier times, which no clock here shows).
pub(crate) fn epoch_seconds(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The UTC day `time` falls on, as days since the Unix epoch.
pub(crate) fn utc_day(time: SystemTime) -> u64 {
    epoch_seconds(time) / 86_400
}

/// `time` the way DynamoDB writes it in its limit messages:
/// `Wednesday, November 25, 2026 6:24:34 PM UTC`.
pub(crate) fn format_utc(time: SystemTime) -> String {
    const WEEKDAYS: [&str; 7] = [
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let seconds = epoch_seconds(time);
    let days = seconds / 86_400;
    let (year, month, day) = civil_from_days(days);
    let of_day = seconds % 86_400;
    let (hour, minute, second) = (of_day / 3600, of_day / 60 % 60, of_day % 60);
    let (hour12, meridiem) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    format!(
        "{}, {} {day}, {year} {hour12}:{minute:02}:{second:02} {meridiem} UTC",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
    )
}

/// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`, for days on or after the epoch).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_dynamodb_writes_them() {
        let at = |s: u64| SystemTime::UNIX_EPOCH + Duration::from_secs(s);
        assert_eq!(
            format_utc(at(0)),
            "Thursday, January 1, 1970 12:00:00 AM UTC"
        );
        // 2026-11-25T18:24:34Z
        assert_eq!(
            format_utc(at(1_795_631_074)),
            "Wednesday, November 25, 2026 6:24:34 PM UTC"
        );
        // 2024-02-29T12:00:00Z, a leap day at noon
        assert_eq!(
            format_utc(at(1_709_208_000)),
            "Thursday, February 29, 2024 12:00:00 PM UTC"
        );
        assert_eq!(utc_day(at(86_399)), 0);
        assert_eq!(utc_day(at(86_400)), 1);
    }
}
