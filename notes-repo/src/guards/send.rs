//! Sending item writes with their guards in one `TransactWriteItems`, and reading what a
//! cancelled one says: which action failed, and whose value a refused claim was.

use std::time::Duration;

use notes_core::request::{GetItem, TransactWrite, TransactWriteItems};
use notes_core::{Backend, Error, Result, Traced};
use notes_model::{ItemMap, KeySchema, SharedItem};

use super::key::{Guard, owner_of};
use crate::transaction_rules::new_token;

/// How often a write with guards is tried when what it read changed before it was applied,
/// or another transaction on the same items ran at the same time.
pub(crate) const MAX_ATTEMPTS: u32 = 5;

/// What a guard action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// Deletes a guard of the item's.
    Release,
    /// Writes a guard for the item.
    Claim,
}

/// The guard actions of a transaction, in the order they follow its `items` item actions.
#[derive(Debug, Default)]
pub(crate) struct Layout {
    /// How many actions come before the guards.
    pub(crate) items: usize,
    /// The table of each guard action, with its role and guard.
    pub(crate) guards: Vec<(String, Role, Guard)>,
}

/// Why a transaction of items and their guards was cancelled.
#[derive(Debug)]
pub(crate) enum Cancelled {
    /// The condition of an item action failed.
    Item,
    /// A claim failed: the value belongs to another item (in table `.0`).
    Claim(String, Guard),
    /// A release failed: the guard belongs to another item.
    Release(Guard),
    /// Another transaction on the same items ran at the same time: send it again.
    Conflict,
}

/// Sends `actions` (the item actions, then the guard actions of `layout`) as one transaction
/// with a token of its own (so that the SDK's retries of it are applied once); a
/// cancellation comes back with what it means, and with the error itself.
pub(crate) async fn transact<B: Backend>(
    backend: &Traced<B>,
    actions: Vec<TransactWrite>,
    layout: &Layout,
    token: Option<String>,
) -> Result<Result<(), (Cancelled, Error)>> {
    notes_core::validate::transaction_size(&actions)?;
    let request =
        TransactWriteItems::new(actions).client_request_token(token.unwrap_or_else(new_token));
    match backend.transact_write_items(request).await {
        Ok(_) => Ok(Ok(())),
        Err(err @ Error::TransactionCanceled { .. }) => match cancelled(&err, layout) {
            Some(why) => Ok(Err((why, err))),
            None => Err(err),
        },
        Err(err) => Err(err),
    }
}

/// What a cancellation means: an item's own condition first (as a single write reports it),
/// then a refused claim, then a refused release, then a conflict with another transaction.
fn cancelled(err: &Error, layout: &Layout) -> Option<Cancelled> {
    let Error::TransactionCanceled { reasons, .. } = err else {
        return None;
    };
    let failed = |index: usize| {
        reasons
            .iter()
            .any(|r| r.index == index && r.code == "ConditionalCheckFailed")
    };
    if (0..layout.items).any(failed) {
        return Some(Cancelled::Item);
    }
    let guard = |role: Role| {
        layout
            .guards
            .iter()
            .enumerate()
            .find(|(i, (_, r, _))| *r == role && failed(layout.items + i))
            .map(|(_, (table, _, guard))| (table.clone(), guard.clone()))
    };
    if let Some((table, guard)) = guard(Role::Claim) {
        return Some(Cancelled::Claim(table, guard));
    }
    if let Some((_, guard)) = guard(Role::Release) {
        return Some(Cancelled::Release(guard));
    }
    reasons
        .iter()
        .any(|r| r.code == "TransactionConflict")
        .then_some(Cancelled::Conflict)
}

/// The error of a refused claim: [`Error::UniqueConflict`] naming the owner the guard names
/// now, or `None` when the guard is gone (the value was released since: try again).
pub(crate) async fn conflict<B: Backend>(
    backend: &Traced<B>,
    table: &str,
    schema: &KeySchema,
    guard: &Guard,
) -> Result<Option<Error>> {
    let Some(stored) = read(backend, table, guard.key.clone()).await? else {
        return Ok(None);
    };
    Ok(Some(Error::UniqueConflict {
        table: table.to_owned(),
        attribute: guard.attribute.to_owned(),
        owner: owner_of(&stored, schema),
    }))
}

/// The item with `key`, read strongly consistently.
pub(crate) async fn read<B: Backend>(
    backend: &Traced<B>,
    table: &str,
    key: ItemMap,
) -> Result<Option<ItemMap>> {
    let request = GetItem::new(table, key).consistent_read(true);
    Ok(backend
        .get_item(request)
        .await?
        .item
        .map(SharedItem::into_owned))
}

/// Waits a little before attempt `attempt` after a conflict with another transaction.
pub(crate) async fn back_off(attempt: u32) {
    tokio::time::sleep(Duration::from_millis(10 * u64::from(attempt))).await;
}
