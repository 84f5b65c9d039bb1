//! [`Retrying`]: throttled requests sent again with backoff, as the AWS SDK's standard retry
//! mode does, for backends that answer throttling at once (`MemoryBackend`
//! with throughput enforced, or one written elsewhere).

use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::layer::Layer;
use crate::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, DeleteItem, GetItem,
    GetItemOutput, PageOutput, PutItem, Query, Scan, TransactGetItems, TransactGetItemsOutput,
    TransactWriteItems, TransactWriteItemsOutput, UpdateItem, WriteOutput,
};

/// How [`Retrying`] retries a throttled request: up to `max_attempts` sends in all, waiting
/// before retry `n` a random delay between zero and `min(max_delay, base_delay * 2^(n-1))`
/// ("full jitter").
///
/// The default is the AWS SDK's standard retry mode (`RetryConfig::standard()` in
/// `aws-smithy-types`): 3 attempts, a 1 s base and a 20 s cap.
///
/// ```
/// use std::time::Duration;
/// use notes_repo::RetryPolicy;
///
/// let standard = RetryPolicy::default();
/// assert_eq!(standard.max_attempts, 3);
/// assert_eq!(standard.base_delay, Duration::from_secs(1));
/// let patient = RetryPolicy { max_attempts: 10, ..RetryPolicy::default() };
/// # let _ = patient;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a request is sent before its throttling error is answered (0 counts as
    /// 1).
    pub max_attempts: u32,
    /// The first retry's delay ceiling; it doubles each retry.
    pub base_delay: Duration,
    /// The largest delay ceiling.
    pub max_delay: Duration,
}

impl RetryPolicy {
    /// The delay before retry number `retry` (1 for the first) for a uniformly random
    /// `random`: between zero and `min(max_delay, base_delay * 2^(retry - 1))`. A simulation
    /// on a virtual clock gives its own seeded `random`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use notes_repo::RetryPolicy;
    ///
    /// let policy = RetryPolicy::default();
    /// assert_eq!(policy.backoff(1, 0), Duration::ZERO);
    /// assert_eq!(policy.backoff(2, u64::MAX / 2), Duration::from_secs(1) - Duration::from_nanos(1));
    /// assert!(policy.backoff(9, u64::MAX) <= Duration::from_secs(20));
    /// ```
    pub fn backoff(&self, retry: u32, random: u64) -> Duration {
        full_jitter(self.base_delay, self.max_delay, retry, random)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(20),
        }
    }
}

/// A backend whose item operations are sent again, with backoff, while they answer
/// [`Error::Throttled`]; after [`RetryPolicy::max_attempts`] the caller sees the throttling
/// error, as a caller of DynamoDB does once the SDK's retries are spent. Other errors are
/// answered at once. Delays are slept on tokio's clock, so under paused time (and a
/// `TokioClock` on the backend) a test runs them instantly.
///
/// `DynamoDbBackend` needs no such layer: the AWS SDK retries throttling itself.
///
/// A throttled request was not applied, so a write sent again after throttling is not
/// *retried* in the sense of [`Error::ConditionFailed`]'s `retried` flag: `Retrying` does not
/// set it because of its own re-sends. But it keeps a mark it was given: when any answer it
/// got was marked retried (an [`Error::Throttled`] with `retried: true`, from a layer below
/// that re-sent after an answer that left its outcome unknown, or from the AWS SDK's own
/// attempts), an earlier attempt may have been applied, and its final error is marked with
/// [`Error::mark_retried`] too. A layer that sends a write again after an answer that leaves
/// its outcome unknown marks the answer with [`Error::mark_retried`].
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use notes_repo::request::BillingMode;
/// use notes_repo::{MemoryBackend, Note, Repo, RetryPolicy, Retrying, TokioClock};
///
/// # #[tokio::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() -> notes_repo::Result<()> {
/// let memory = MemoryBackend::builder()
///     .clock(TokioClock::new(SystemTime::UNIX_EPOCH))
///     .enforce_throughput(true)
///     .build();
/// let repo: Repo<Note, _> = Repo::new(Retrying::new(memory, RetryPolicy::default()));
/// repo.create_table(BillingMode::Provisioned { read_capacity_units: 1, write_capacity_units: 1 })
///     .await?;
/// // 300 banked units, then one a second: the 301st write waits for the refill.
/// for i in 0..301 {
///     repo.put(&Note::new("u1", format!("note {i}"))).await?;
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Default)]
pub struct Retrying<B> {
    inner: B,
    policy: RetryPolicy,
}

impl<B> Retrying<B> {
    /// Retries `inner`'s throttled item operations as `policy` says.
    ///
    /// See [`Retrying`] for an example.
    pub fn new(inner: B, policy: RetryPolicy) -> Self {
        Retrying { inner, policy }
    }

    /// The policy it retries by.
    ///
    /// ```
    /// use notes_repo::{MemoryBackend, RetryPolicy, Retrying};
    /// let backend = Retrying::new(MemoryBackend::new(), RetryPolicy::default());
    /// assert_eq!(backend.policy().max_attempts, 3);
    /// ```
    pub fn policy(&self) -> &RetryPolicy {
        &self.policy
    }

    /// The wrapped backend.
    ///
    /// ```
    /// use notes_repo::{MemoryBackend, RetryPolicy, Retrying};
    /// let backend = Retrying::new(MemoryBackend::new(), RetryPolicy::default());
    /// let _memory: &MemoryBackend = backend.get_ref();
    /// ```
    pub fn get_ref(&self) -> &B {
        &self.inner
    }

    /// Sends `request` through `send` until it is not throttled or the attempts are spent.
    async fn send<R: Clone, O, F: Future<Output = Result<O>>>(
        &self,
        request: R,
        send: impl Fn(R) -> F,
    ) -> Result<O> {
        let mut attempt = 1;
        // An answer said an earlier attempt's outcome is unknown: the final answer says so too.
        let mut unknown = false;
        loop {
            match send(request.clone()).await {
                Err(Error::Throttled { retried, .. }) if attempt < self.policy.max_attempts => {
                    unknown |= retried;
                    let delay = self.policy.backoff(attempt, jitter());
                    tracing::debug!(target: "notes_repo::retry", attempt, ?delay, "throttled; retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Err(err) if unknown => return Err(err.mark_retried()),
                answer => return answer,
            }
        }
    }
}

/// The item operations, each retried while throttled.
macro_rules! retried {
    ($($method:ident($request:ty) -> $output:ty;)*) => {$(
        #[doc = concat!("`", stringify!($method), "`, sent again while throttled.")]
        async fn $method(&self, request: $request) -> Result<$output> {
            self.send(request, |request| self.inner.$method(request)).await
        }
    )*};
}

impl<B: Backend> Layer for Retrying<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.inner
    }

    retried! {
        get_item(GetItem) -> GetItemOutput;
        put_item(PutItem) -> WriteOutput;
        update_item(UpdateItem) -> WriteOutput;
        delete_item(DeleteItem) -> WriteOutput;
        query(Query) -> PageOutput;
        scan(Scan) -> PageOutput;
        batch_get_item(BatchGetItem) -> BatchGetItemOutput;
        batch_write_item(BatchWriteItem) -> BatchWriteItemOutput;
        transact_get_items(TransactGetItems) -> TransactGetItemsOutput;
        transact_write_items(TransactWriteItems) -> TransactWriteItemsOutput;
    }
}
/// A uniformly random duration (`random` as the source) between zero and
/// `min(max_delay, base_delay * 2^(retry - 1))`: the delay before retry number `retry`.
pub fn full_jitter(base_delay: Duration, max_delay: Duration, retry: u32, random: u64) -> Duration {
    let doublings = retry.saturating_sub(1).min(31);
    let ceiling = base_delay.saturating_mul(1u32 << doublings).min(max_delay);
    // Capped at u64::MAX nanoseconds (584 years) so the product below fits in a u128.
    let ceiling_nanos = ceiling.as_nanos().min(u128::from(u64::MAX));
    let nanos = (ceiling_nanos * u128::from(random)) >> 64;
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// A random `u64` from std's randomly keyed hasher, a counter and the clock: enough to spread
/// retries apart, without a dependency.
pub fn jitter() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    hasher.write_u128(now);
    hasher.finish()
}
