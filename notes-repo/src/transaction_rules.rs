//! What every transaction this crate sends shares: a fresh `ClientRequestToken`, and the number
//! of actions DynamoDB takes.

use notes_core::{Error, Result};

/// The most actions one `TransactWriteItems` or `TransactGetItems` takes (DynamoDB's limit).
///
/// ```
/// assert_eq!(notes_repo::MAX_TRANSACTION_ACTIONS, 100);
/// ```
pub const MAX_TRANSACTION_ACTIONS: usize = 100;

/// A fresh `ClientRequestToken`: 32 hex digits, from the process's random hasher keys, the
/// clock and a counter.
pub(crate) fn new_token() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let state = std::collections::hash_map::RandomState::new();
    let half = |salt: u64| {
        let mut hasher = state.build_hasher();
        hasher.write_u128(now);
        hasher.write_u64(count);
        hasher.write_u64(salt);
        hasher.finish()
    };
    format!("{:016x}{:016x}", half(0), half(1))
}

/// DynamoDB's bounds on a transaction's actions: 1 to [`MAX_TRANSACTION_ACTIONS`].
pub(crate) fn check_action_count(count: usize) -> Result<()> {
    if count == 0 {
        return Err(Error::validation(
            "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy \
             constraint: Member must have length greater than or equal to 1",
        ));
    }
    if count > MAX_TRANSACTION_ACTIONS {
        return Err(Error::validation(format!(
            "1 validation error detected: Value at 'transactItems' failed to satisfy constraint: \
             Member must have length less than or equal to {MAX_TRANSACTION_ACTIONS} \
             (the transaction has {count} actions)"
        )));
    }
    Ok(())
}
