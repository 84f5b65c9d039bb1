//! [`Repo::restore_guards`]: the guards of an item written without them.

use notes_core::request::TransactWrite;
use notes_core::{Backend, Error, Result};
use notes_model::Item;

use super::{ItemWrite, MAX_ATTEMPTS, Read, Step, read, sets_of_item};
use crate::repo::Repo;

impl<T: Item, B: Backend> Repo<T, B> {
    /// Writes the guards of the stored item's `#[unique]` values that are missing, and answers
    /// how many values it holds: for items written before their attributes were
    /// `#[unique]`, or written by another tool. Typed writes keep the guards of the values
    /// they change; an item whose values never change gets its guards from this (scan the
    /// table and restore each item's, once).
    ///
    /// It reads the item and writes, in one transaction, the guard of each of its values
    /// (each free or the item's already) with a check that the item still holds them. A
    /// value whose guard is another item's is [`Error::UniqueConflict`] naming it: two items
    /// hold the value, and one of them must change it. No item with the key is `Ok(0)`.
    ///
    /// ```
    /// use notes_repo::prelude::*;
    /// use notes_repo::request::PutItem;
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Serialize, Deserialize, Item)]
    /// #[item(table = "users")]
    /// struct User {
    ///     #[partition_key] id: String,
    ///     #[unique] email: String,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let users: Repo<User, _> = Repo::new(MemoryBackend::new());
    /// users.ensure_table(BillingMode::PayPerRequest).await?;
    /// // Written without its guard, as before `email` was unique.
    /// let old = User { id: "u1".into(), email: "a@example.com".into() };
    /// users.backend().put_item(PutItem::new("users", old.to_item()?)).await?;
    ///
    /// assert_eq!(users.restore_guards(&old.key()).await?, 1);
    /// let twin = User { id: "u2".into(), email: "a@example.com".into() };
    /// assert!(matches!(users.create(&twin).await, Err(Error::UniqueConflict { .. })));
    /// # Ok(()) }
    /// ```
    pub async fn restore_guards(&self, key: &T::Key) -> Result<usize> {
        let key = self.key_map(key)?;
        let (table, schema) = (self.table_name(), &T::KEY_SCHEMA);
        let mut write = ItemWrite::new(table, schema, &key);
        let mut last = None;
        for attempt in 1..=MAX_ATTEMPTS {
            let Some(item) = read(self.traced(), table, key.clone()).await? else {
                return Ok(0);
            };
            let unique = T::unique_attributes_of(&item);
            let sets = sets_of_item(unique, &item);
            // Claims of every value (none to release), and the check that they are still
            // the item's.
            let mut plan = write.plan(unique, sets.clone(), Read::Nothing)?;
            plan.as_read = write.plan(unique, sets, Read::Item(Some(&item)))?.as_read;
            if plan.claims.is_empty() {
                return Ok(0);
            }
            let check = TransactWrite::ConditionCheck {
                table_name: table.to_owned(),
                key: key.clone(),
                condition: plan
                    .as_read
                    .clone()
                    .ok_or_else(|| Error::validation("a unique value without its check (a bug)"))?,
            };
            match write.send(self.traced(), check, &plan, attempt).await? {
                Step::Done => return Ok(plan.claims.len()),
                Step::Failed(err) => return Err(err),
                Step::Retry(err) | Step::ItemFailed(err) => last = Some(err),
            }
        }
        Err(last.expect("at least one attempt"))
    }
}
