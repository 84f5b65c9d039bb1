//! The guard items of `#[unique]` attributes, kept by every typed write of an item type that
//! has them ([`Item::UNIQUE_ATTRIBUTES`](notes_model::Item::UNIQUE_ATTRIBUTES); the key
//! format is [`notes_model::unique`]'s).
//!
//! A write that changes no guard (an update of other attributes) is the plain single write.
//! Any other reads the item first (strongly consistent; a `create` does not: there is none),
//! then sends one `TransactWriteItems`: the item's own action, with its conditions and the
//! condition that each unique attribute it sets still holds the value read; a `Delete` of the
//! guard of each value it gives up, if that guard is the item's (or gone); a `Put` of the
//! guard of each value it takes, unless another item's guard is there. A guard it already
//! owns is written again (an idempotent re-put). When the transaction is cancelled:
//!
//! - by the item's own condition, the item is read again: if the condition holds now, what
//!   was read had changed in between and the write is tried again; if not, it fails as the
//!   single write would (`AlreadyExists`, `VersionConflict`, `NotFound`, `ConditionFailed`,
//!   another entity's item);
//! - by a claim, the guard is read and the write fails with [`Error::UniqueConflict`] naming
//!   its owner (tried again if the guard is gone by then);
//! - by a release, the guard is another item's (an item written before its guards were holds
//!   the same value): the write is tried again without releasing it;
//! - by a conflict with another transaction, it is tried again after a short wait.
//!
//! Each attempt has a `ClientRequestToken` of its own, so the AWS SDK's retries of one
//! attempt (after a timeout, a reset, a 5xx) are applied once, and an answer lost after the
//! transaction was applied is answered as applied. After [`MAX_ATTEMPTS`] the last error is
//! returned.
//!
//! [`Error::UniqueConflict`]: notes_core::Error::UniqueConflict

mod key;
mod plan;
mod restore;
mod send;
pub(crate) mod transaction;

use notes_core::eval::evaluate;
use notes_core::request::TransactWrite;
use notes_core::{Backend, Error, Result, Traced};
use notes_model::expr::Condition;
use notes_model::unique::UniqueAttributes;
use notes_model::{ItemMap, KeySchema};

pub(crate) use key::check_not_reserved;
pub(crate) use plan::{Plan, Read, and, sets_of_delete, sets_of_item, sets_of_update};
pub(crate) use send::{MAX_ATTEMPTS, read};

use plan::Write;
use send::{Cancelled, Layout, Role};

/// The writes of one item and its guards, over the attempts of one call.
pub(crate) struct ItemWrite<'a> {
    table: &'a str,
    schema: &'a KeySchema,
    /// The item's key.
    owner: &'a ItemMap,
    /// Guards found to be another item's: never released.
    not_mine: Vec<ItemMap>,
}

/// What one attempt came to.
pub(crate) enum Step {
    /// The item and its guards were written.
    Done,
    /// Try again: what was read changed, or the transaction met another; the error is what
    /// to answer if no attempt is left.
    Retry(Error),
    /// The item's own condition failed (the error is the cancelled transaction).
    ItemFailed(Error),
    /// The write failed: answer this.
    Failed(Error),
}

impl<'a> ItemWrite<'a> {
    pub(crate) fn new(table: &'a str, schema: &'a KeySchema, owner: &'a ItemMap) -> Self {
        ItemWrite {
            table,
            schema,
            owner,
            not_mine: Vec::new(),
        }
    }

    /// The plan of a write that sets `sets` of `unique`, given what was read.
    pub(crate) fn plan(
        &self,
        unique: UniqueAttributes,
        sets: plan::Sets<'_>,
        read: Read<'_>,
    ) -> Result<Plan> {
        let write = Write {
            schema: self.schema,
            unique,
            sets,
            not_mine: &self.not_mine,
        };
        Plan::new(&write, read)
    }

    /// Sends `item` (the item's own action, its condition complete) with the guard writes of
    /// `plan`, in one transaction.
    pub(crate) async fn send<B: Backend>(
        &mut self,
        backend: &Traced<B>,
        item: TransactWrite,
        plan: &Plan,
        attempt: u32,
    ) -> Result<Step> {
        let mut actions = vec![item];
        actions.extend(plan.actions(self.table, self.schema, self.owner));
        let mut layout = Layout {
            items: 1,
            guards: Vec::new(),
        };
        let guards = plan
            .releases
            .iter()
            .map(|g| (Role::Release, g))
            .chain(plan.claims.iter().map(|g| (Role::Claim, g)));
        for (role, guard) in guards {
            layout
                .guards
                .push((self.table.to_owned(), role, guard.clone()));
        }
        let (why, err) = match send::transact(backend, actions, &layout, None).await? {
            Ok(()) => return Ok(Step::Done),
            Err(cancelled) => cancelled,
        };
        Ok(match why {
            Cancelled::Item => Step::ItemFailed(err),
            Cancelled::Claim(table, guard) => {
                match send::conflict(backend, &table, self.schema, &guard).await? {
                    Some(conflict) => Step::Failed(conflict),
                    None => Step::Retry(Error::UniqueConflict {
                        table,
                        attribute: guard.attribute.to_owned(),
                        owner: None,
                    }),
                }
            }
            Cancelled::Release(guard) => {
                self.not_mine.push(guard.key);
                Step::Retry(err)
            }
            Cancelled::Conflict => {
                send::back_off(attempt).await;
                Step::Retry(err)
            }
        })
    }
}

/// Whether a write whose item condition failed against `stored` (the item as it is now) is
/// to be tried again: a unique attribute it sets no longer holds the value read, or the whole
/// condition holds now (what failed it changed back since).
pub(crate) fn changed_since_read(
    plan: &Plan,
    condition: Option<&Condition>,
    stored: Option<&ItemMap>,
) -> bool {
    plan.as_read
        .as_ref()
        .is_some_and(|as_read| !evaluate(as_read, stored))
        || condition.is_some_and(|condition| evaluate(condition, stored))
}
