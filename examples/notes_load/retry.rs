//! The retry policy a throttled request meets, modelled on the virtual clock.
//!
//! `DynamoDbBackend` sends every request through `aws-sdk-dynamodb`, whose default is the
//! smithy runtime's standard retry strategy (`RetryConfig::standard()` in `aws-smithy-types`;
//! the strategy in `aws-smithy-runtime`, `client/retries/strategy/standard.rs`): at most 3
//! attempts; before retry `n` (1 for the first) a delay of `random × min(initial_backoff ×
//! 2^(n-1), max_backoff)` with `random` uniform in [0, 1) ("full jitter"), `initial_backoff`
//! 1 s and `max_backoff` 20 s. Not modelled: its retry quota (500 tokens, 5 taken per retry and
//! given back on success), which only matters after about 100 retries in a row without a
//! success. The SDK's batch calls retry unprocessed items on their own policy
//! (`BatchOptions`: 10 attempts, 25 ms doubling to 5 s); the notes API sends no batches.

use std::time::Duration;

/// How often and after what delays a throttled request is sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RetryPolicy {
    /// Attempts in all, the first included.
    pub(crate) max_attempts: u32,
    /// The first retry's delay ceiling; it doubles each retry.
    pub(crate) initial_backoff: Duration,
    /// The largest delay ceiling.
    pub(crate) max_backoff: Duration,
}

impl RetryPolicy {
    /// The AWS SDK's standard retry: 3 attempts, 1 s doubling, at most 20 s.
    pub(crate) const STANDARD: RetryPolicy = RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_secs(1),
        max_backoff: Duration::from_secs(20),
    };

    /// The delay after attempt `attempt` (1 for the first) failed, for `random` in [0, 1).
    pub(crate) fn backoff(&self, attempt: u32, random: f64) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        ceiling.mul_f64(random.clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_backoff_is_full_jitter_under_one_second_doubling_to_twenty() {
        let policy = RetryPolicy::STANDARD;
        assert_eq!(policy.backoff(1, 0.0), Duration::ZERO);
        assert_eq!(policy.backoff(1, 0.5), Duration::from_millis(500));
        assert_eq!(policy.backoff(2, 0.5), Duration::from_secs(1));
        assert_eq!(policy.backoff(3, 0.25), Duration::from_secs(1));
        // 2^5 s = 32 s, capped at 20 s.
        assert_eq!(policy.backoff(6, 0.5), Duration::from_secs(10));
        assert_eq!(policy.backoff(u32::MAX, 0.5), Duration::from_secs(10));
    }
}
