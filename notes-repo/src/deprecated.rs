//! The spellings of the first surface, kept one release as deprecated aliases: each forwards
//! to the builder that replaced it, and its deprecation note names the new spelling. They go
//! in the next release.

use notes_model::expr::{Condition, UpdateAction};
use notes_model::{Item, KeyValue, PartitionKeyOf, SortKeyOf};

use crate::autoscaling::TableScaling;
use crate::batch_get::BatchGetBuilder;
use crate::delete::DeleteBuilder;
use crate::ensure::EnsureTableBuilder;
use crate::get::GetBuilder;
use crate::prefix::SortKeyPrefix;
use crate::put::PutBuilder;
use crate::query::QueryBuilder;
use crate::repo::Repo;
use crate::scan::ScanBuilder;
use crate::transact::WriteTransaction;
use crate::update::UpdateBuilder;
use notes_core::request::BillingMode;
use notes_core::stream::StreamViewType;
use notes_core::{Backend, Result};

/// The query builder's first name.
#[deprecated(note = "use `QueryBuilder`")]
pub type Query<'r, T, B, PK = PartitionKeyOf<T>, SK = SortKeyOf<T>> =
    QueryBuilder<'r, T, B, PK, SK>;

/// The scan builder's first name.
#[deprecated(note = "use `ScanBuilder`")]
pub type Scan<'r, T, B> = ScanBuilder<'r, T, B>;

impl<T: Item, B: Backend> Repo<T, B> {
    /// A strongly consistent read.
    #[deprecated(note = "use `get(..).consistent()`")]
    pub fn get_consistent<'a>(&'a self, key: &'a T::Key) -> GetBuilder<'a, T, B> {
        self.get(key).consistent()
    }

    /// A put that happens only if `condition` holds.
    #[deprecated(note = "use `put(..).condition(..)`")]
    pub fn put_if<'a>(&'a self, item: &'a T, condition: Condition) -> PutBuilder<'a, T, B> {
        self.put(item).condition(condition)
    }

    /// A delete that happens only if `condition` holds.
    #[deprecated(note = "use `delete(..).condition(..)`")]
    pub fn delete_if<'a>(
        &'a self,
        key: &'a T::Key,
        condition: Condition,
    ) -> DeleteBuilder<'a, T, B> {
        self.delete(key).condition(condition)
    }

    /// A delete of the item at version `expected`.
    #[deprecated(note = "use `delete(..).expect_version(..)`")]
    pub fn delete_version<'a>(&'a self, key: &'a T::Key, expected: u64) -> DeleteBuilder<'a, T, B> {
        self.delete(key).expect_version(expected)
    }

    /// A strongly consistent batch read.
    #[deprecated(note = "use `batch_get(..).consistent()`")]
    pub fn batch_get_consistent<'a>(
        &'a self,
        keys: impl IntoIterator<Item = &'a T::Key>,
    ) -> BatchGetBuilder<'a, T, B> {
        self.batch_get(keys).consistent()
    }

    /// The start-up check of a table with a stream.
    #[deprecated(note = "use `ensure_table(..).stream(..)`")]
    pub fn ensure_table_with_stream(
        &self,
        billing_mode: BillingMode,
        view_type: StreamViewType,
    ) -> EnsureTableBuilder<'_, T, B> {
        self.ensure_table(billing_mode).stream(view_type)
    }

    /// The start-up check of a table with auto scaling.
    #[deprecated(note = "use `ensure_table(..).auto_scaling(..)`")]
    pub fn ensure_table_with_auto_scaling(
        &self,
        billing_mode: BillingMode,
        scaling: &TableScaling<T>,
    ) -> EnsureTableBuilder<'_, T, B> {
        self.ensure_table(billing_mode)
            .auto_scaling(scaling.clone())
    }
}

impl<T: Item, B: Backend, R> UpdateBuilder<'_, T, B, R> {
    /// Adds an action.
    #[deprecated(note = "use `apply(..)`: `update(..).apply(Note::CONTENT.set(..))`")]
    pub fn set(self, action: UpdateAction) -> Self {
        self.apply(action)
    }
}

impl<T: Item, B: Backend> UpdateBuilder<'_, T, B> {
    /// Sends the update and answers with the item as it was before.
    #[deprecated(note = "use `return_old()`, then `.await` (or `.send()`)")]
    pub async fn send_returning_old(self) -> Result<Option<T>> {
        self.return_old().send().await
    }
}

impl<T: Item, B: Backend, PK: KeyValue, SK: KeyValue> QueryBuilder<'_, T, B, PK, SK> {
    /// Reads with strong consistency.
    #[deprecated(note = "use `consistent()`")]
    pub fn consistent_read(self) -> Self {
        self.consistent()
    }

    /// `begins_with(sort key, prefix)` with the typed prefix of a templated sort key.
    #[deprecated(note = "use `sort_key_begins_with(..)`, which takes a value or a typed prefix")]
    pub fn sort_key_prefix<M>(self, prefix: impl SortKeyPrefix<T, SK, M>) -> Self {
        self.sort_key_begins_with(prefix)
    }
}

impl<T: Item, B: Backend> ScanBuilder<'_, T, B> {
    /// Reads with strong consistency.
    #[deprecated(note = "use `consistent()`")]
    pub fn consistent_read(self) -> Self {
        self.consistent()
    }
}

impl<B: Backend> WriteTransaction<B> {
    /// Sends the transaction.
    #[deprecated(note = "use `.send()` or `.await`")]
    pub async fn commit(self) -> Result<()> {
        self.send().await
    }

    /// Creates an item (fails if one has its key).
    #[deprecated(note = "use `put(repo.create(..))`")]
    pub fn create<T: Item>(self, repo: &Repo<T, B>, item: &T) -> Self {
        self.put(repo.create(item))
    }

    /// Deletes the item at version `expected`.
    #[deprecated(note = "use `delete(repo.delete(..).expect_version(..))`")]
    pub fn delete_version<T: Item>(self, repo: &Repo<T, B>, key: &T::Key, expected: u64) -> Self {
        self.delete(repo.delete(key).expect_version(expected))
    }
}
