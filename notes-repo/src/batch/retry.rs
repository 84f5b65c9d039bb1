//! Sending the chunks of a batch: concurrency, retries of unprocessed entries and throttling
//! with exponential backoff and full jitter, and an exact account of what was not done.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use futures::StreamExt;

use notes_core::retry::jitter;

use super::BatchOptions;
use notes_core::Error;

/// What one request of a chunk returned.
pub(crate) struct Reply<W, R> {
    /// Entries the service did not get to.
    pub(crate) unprocessed: Vec<W>,
    /// What it read (items for a get; nothing for a write).
    pub(crate) found: Vec<R>,
}

/// How one chunk ended.
struct ChunkReport<W, R> {
    index: usize,
    found: Vec<R>,
    /// Entries not done: unprocessed when the attempts ran out, or the whole remainder when
    /// an error stopped the chunk (or the batch stopped before it was sent).
    not_done: Vec<W>,
    attempts: u32,
    /// Whether any request of this chunk did some of its entries.
    progressed: bool,
    /// The error that ended the retries, if one did.
    error: Option<Error>,
    /// Whether `error` is one retrying cannot fix.
    fatal: bool,
}

/// The whole batch's account, chunks merged in request order.
pub(crate) struct Summary<W, R> {
    /// Everything read.
    pub(crate) found: Vec<R>,
    /// Every entry not known to be done, in request order of their chunks.
    pub(crate) not_done: Vec<W>,
    /// The most times any unfinished chunk was sent.
    pub(crate) attempts: u32,
    /// Whether anything at all was done.
    pub(crate) progressed: bool,
    /// The first non-retryable error, if one stopped the batch.
    pub(crate) fatal: Option<Error>,
    /// An error that ended some chunk's retries (throttling), when no fatal error did.
    pub(crate) last_error: Option<Error>,
}

/// What a batch operation is called in log events.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Operation {
    Write,
    Get,
}

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Operation::Write => "BatchWriteItem",
            Operation::Get => "BatchGetItem",
        }
    }
}

/// Sends every chunk (at most `options.concurrency` at once) with retries, and waits for all
/// of them. A non-retryable error stops the batch: chunks not yet sent are not sent, chunks
/// in flight finish their current request but are not retried; all of them are reported.
pub(crate) async fn send_all<W, R, F, Fut>(
    chunks: Vec<Vec<W>>,
    options: &BatchOptions,
    table: &str,
    operation: Operation,
    send: F,
) -> Summary<W, R>
where
    W: Clone,
    F: Fn(Vec<W>) -> Fut,
    Fut: Future<Output = notes_core::Result<Reply<W, R>>>,
{
    let stop = AtomicBool::new(false);
    let context = Context {
        options,
        table,
        operation,
        stop: &stop,
        send: &send,
    };
    let mut reports: Vec<ChunkReport<W, R>> = futures::stream::iter(chunks.into_iter().enumerate())
        .map(|(index, chunk)| context.send_chunk(index, chunk))
        .buffer_unordered(options.concurrency.max(1))
        .collect()
        .await;
    reports.sort_by_key(|report| report.index);
    summarize(reports)
}

struct Context<'a, F> {
    options: &'a BatchOptions,
    table: &'a str,
    operation: Operation,
    stop: &'a AtomicBool,
    send: &'a F,
}

impl<F> Context<'_, F> {
    async fn send_chunk<W, R, Fut>(&self, index: usize, chunk: Vec<W>) -> ChunkReport<W, R>
    where
        W: Clone,
        F: Fn(Vec<W>) -> Fut,
        Fut: Future<Output = notes_core::Result<Reply<W, R>>>,
    {
        let max_attempts = self.options.retry.max_attempts.max(1);
        let mut report = ChunkReport {
            index,
            found: Vec::new(),
            not_done: chunk,
            attempts: 0,
            progressed: false,
            error: None,
            fatal: false,
        };
        loop {
            if self.stop.load(Ordering::Relaxed) {
                // Another chunk hit an error retrying cannot fix: report rather than send.
                return report;
            }
            report.attempts += 1;
            let sent = report.not_done.len();
            let reason = match (self.send)(report.not_done.clone()).await {
                Ok(reply) => {
                    report.progressed |= reply.unprocessed.len() < sent;
                    report.found.extend(reply.found);
                    report.not_done = reply.unprocessed;
                    report.error = None;
                    if report.not_done.is_empty() {
                        return report;
                    }
                    "unprocessed"
                }
                Err(err @ Error::Throttled { .. }) => {
                    report.error = Some(err);
                    "throttled"
                }
                Err(err) => {
                    self.stop.store(true, Ordering::Relaxed);
                    report.error = Some(err);
                    report.fatal = true;
                    return report;
                }
            };
            if report.attempts >= max_attempts {
                tracing::debug!(
                    table = self.table,
                    operation = self.operation.name(),
                    attempts = report.attempts,
                    remaining = report.not_done.len(),
                    reason,
                    "batch chunk gave up: attempts spent"
                );
                return report;
            }
            let delay = self.options.retry.backoff(report.attempts, jitter());
            tracing::debug!(
                table = self.table,
                operation = self.operation.name(),
                attempt = report.attempts,
                remaining = report.not_done.len(),
                reason,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "batch chunk retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }
}

fn summarize<W, R>(reports: Vec<ChunkReport<W, R>>) -> Summary<W, R> {
    let mut summary = Summary {
        found: Vec::new(),
        not_done: Vec::new(),
        attempts: 0,
        progressed: false,
        fatal: None,
        last_error: None,
    };
    for report in reports {
        summary.found.extend(report.found);
        summary.progressed |= report.progressed;
        if !report.not_done.is_empty() {
            summary.attempts = summary.attempts.max(report.attempts);
            summary.not_done.extend(report.not_done);
        }
        match report.error {
            Some(err) if report.fatal && summary.fatal.is_none() => summary.fatal = Some(err),
            Some(err) if !report.fatal => summary.last_error = Some(err),
            _ => {}
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use notes_core::RetryPolicy;

    use super::*;

    /// A batch's retry policy with these delays.
    fn policy(base_ms: u64, max_ms: u64) -> RetryPolicy {
        RetryPolicy {
            base_delay: Duration::from_millis(base_ms),
            max_delay: Duration::from_millis(max_ms),
            ..BatchOptions::default().retry
        }
    }

    /// The default options with `max_attempts`.
    fn attempts(max_attempts: u32) -> BatchOptions {
        let mut options = BatchOptions::default();
        options.retry.max_attempts = max_attempts;
        options
    }

    #[test]
    fn backoff_is_full_jitter_under_a_doubling_ceiling() {
        let o = policy(25, 5_000);
        for retry in 1..=12u32 {
            let ceiling = Duration::from_millis((25u64 << (retry - 1)).min(5_000));
            assert_eq!(o.backoff(retry, 0), Duration::ZERO);
            let top = o.backoff(retry, u64::MAX);
            assert!(top <= ceiling, "retry {retry}: {top:?} > {ceiling:?}");
            assert!(
                ceiling - top < Duration::from_micros(1),
                "retry {retry}: {top:?}"
            );
            let half = o.backoff(retry, u64::MAX / 2);
            let expected = ceiling / 2;
            assert!(
                half.abs_diff(expected) < Duration::from_micros(1),
                "{half:?}"
            );
        }
    }

    #[test]
    fn jittered_delays_stay_within_bounds_and_spread() {
        let o = policy(100, 1_000);
        let delays: Vec<Duration> = (0..1_000).map(|_| o.backoff(3, jitter())).collect();
        assert!(delays.iter().all(|d| *d <= Duration::from_millis(400)));
        let low = delays
            .iter()
            .filter(|d| **d < Duration::from_millis(200))
            .count();
        // Uniform on [0, 400 ms]: about half below 200 ms.
        assert!((350..=650).contains(&low), "{low} of 1000 below the middle");
    }

    #[test]
    fn extreme_options_never_panic() {
        let huge = RetryPolicy {
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
            ..BatchOptions::default().retry
        };
        for retry in [0, 1, 2, 31, 32, 64, u32::MAX] {
            let _ = huge.backoff(retry, u64::MAX);
        }
        let zero = policy(0, 0);
        assert_eq!(zero.backoff(u32::MAX, u64::MAX), Duration::ZERO);
        // A max below the base caps the base.
        assert!(policy(1_000, 10).backoff(1, u64::MAX) <= Duration::from_millis(10));
    }

    fn run<W: Clone, R>(
        chunks: Vec<Vec<W>>,
        options: &BatchOptions,
        send: impl Fn(Vec<W>) -> notes_core::Result<Reply<W, R>>,
    ) -> Summary<W, R> {
        // Quick retries: these tests count attempts, not time.
        let options = &BatchOptions {
            retry: RetryPolicy {
                base_delay: Duration::from_micros(10),
                max_delay: Duration::from_micros(100),
                ..options.retry.clone()
            },
            ..options.clone()
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(send_all(chunks, options, "t", Operation::Write, |w| {
            std::future::ready(send(w))
        }))
    }

    #[test]
    fn unprocessed_entries_are_retried_until_max_attempts_then_reported() {
        let calls = std::sync::atomic::AtomicU32::new(0);
        let o = attempts(3);
        // Entry 13 is never processed; everything else on its first try.
        let summary = run(vec![vec![1, 2], vec![13, 4]], &o, |w: Vec<i32>| {
            calls.fetch_add(1, Ordering::Relaxed);
            Ok(Reply::<i32, ()> {
                unprocessed: w.into_iter().filter(|e| *e == 13).collect(),
                found: Vec::new(),
            })
        });
        assert_eq!(summary.not_done, [13]);
        assert_eq!(summary.attempts, 3);
        assert!(summary.progressed && summary.fatal.is_none() && summary.last_error.is_none());
        assert_eq!(calls.load(Ordering::Relaxed), 1 + 3);
    }

    #[test]
    fn throttling_is_retried_and_reported_as_the_source() {
        let o = attempts(4);
        let summary = run(vec![vec![1]], &o, |_: Vec<i32>| {
            Err::<Reply<i32, ()>, _>(Error::Throttled {
                source: None,
                retried: false,
                reasons: Vec::new(),
            })
        });
        assert_eq!(summary.not_done, [1]);
        assert_eq!(summary.attempts, 4);
        assert!(matches!(summary.last_error, Some(Error::Throttled { .. })));
        assert!(!summary.progressed);
    }

    #[test]
    fn a_fatal_error_stops_unsent_chunks_and_lists_them() {
        let o = BatchOptions {
            concurrency: 1,
            ..BatchOptions::default()
        };
        let calls = std::sync::atomic::AtomicU32::new(0);
        let summary = run(vec![vec![1], vec![2], vec![3]], &o, |w: Vec<i32>| {
            calls.fetch_add(1, Ordering::Relaxed);
            if w == [2] {
                Err(Error::validation("bad"))
            } else {
                Ok(Reply::<i32, ()> {
                    unprocessed: Vec::new(),
                    found: Vec::new(),
                })
            }
        });
        assert_eq!(calls.load(Ordering::Relaxed), 2, "chunk 3 is never sent");
        assert_eq!(summary.not_done, [2, 3]);
        assert!(matches!(summary.fatal, Some(Error::Validation { .. })));
        assert!(summary.progressed);
    }

    #[test]
    fn zero_attempts_and_zero_concurrency_still_send_once() {
        let o = BatchOptions {
            concurrency: 0,
            ..attempts(0)
        };
        let summary = run(vec![vec![1], vec![2]], &o, |w: Vec<i32>| {
            Ok(Reply::<i32, ()> {
                unprocessed: w,
                found: Vec::new(),
            })
        });
        assert_eq!(summary.not_done, [1, 2]);
        assert_eq!(summary.attempts, 1);
    }
}
