//! Counting the items of a query or a scan (`Select: COUNT`), across every page.

use std::ops::Add;

use futures::{StreamExt, TryStreamExt, stream};
use notes_model::{Item, PartitionValues};

use crate::paging;
use crate::query::QueryBuilder;
use crate::scan::ScanBuilder;
use notes_core::request::{PageOutput, Select};
use notes_core::{Backend, Result};

/// What a count answers ([`QueryBuilder::count`], [`ScanBuilder::count`]): how many items
/// matched, how many were read to find them, and the read capacity that cost, over every page.
///
/// DynamoDB charges a count as the read of the items it counts (item sizes, not the answer's
/// size), and applies a filter after reading: `count` is after the filter (DynamoDB's `Count`),
/// `scanned_count` before it (`ScannedCount`).
///
/// ```
/// # use notes_model::Note;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
/// # repo.create_table_on_demand().await?;
/// repo.put(&Note::new("u1", "a").with_attachment("a.png")).await?;
/// repo.put(&Note::new("u1", "b")).await?;
/// let with_files = repo.query("u1").filter(Note::ATTACHMENT.exists()).count().await?;
/// assert_eq!((with_files.count, with_files.scanned_count), (1, 2));
/// assert_eq!(with_files.consumed_capacity, Some(0.5));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Count {
    /// The items that matched: after the filter (DynamoDB's `Count`).
    pub count: usize,
    /// The items read: before the filter (DynamoDB's `ScannedCount`).
    pub scanned_count: usize,
    /// Read capacity units consumed in all, when the backend reports them.
    pub consumed_capacity: Option<f64>,
}

impl Count {
    /// What one page counts.
    pub(crate) fn of(page: &PageOutput) -> Count {
        Count {
            count: page.count,
            scanned_count: page.scanned_count,
            consumed_capacity: page.consumed_capacity,
        }
    }
}

impl Add for Count {
    type Output = Count;

    /// Two counts together (two pages, two segments): counts and capacity added; the capacity
    /// is known when either reports it.
    ///
    /// ```
    /// use notes_repo::Count;
    /// let a = Count { count: 1, scanned_count: 2, consumed_capacity: Some(0.5) };
    /// let b = Count { count: 3, scanned_count: 3, consumed_capacity: None };
    /// assert_eq!(a + b, Count { count: 4, scanned_count: 5, consumed_capacity: Some(0.5) });
    /// ```
    fn add(self, other: Count) -> Count {
        let consumed_capacity = match (self.consumed_capacity, other.consumed_capacity) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        Count {
            count: self.count + other.count,
            scanned_count: self.scanned_count + other.scanned_count,
            consumed_capacity,
        }
    }
}

impl<'r, T: Item, B: Backend, PK: PartitionValues, SK: 'static> QueryBuilder<'r, T, B, PK, SK> {
    /// How many items match, counted by DynamoDB (`Select: COUNT`) over every page: no item
    /// is returned or deserialized, but each is read and paid for as [`all`](Self::all) would.
    ///
    /// The key condition, the sort-key condition, the filter, the index and
    /// [`consistent`](Self::consistent) apply as they do to the items. With
    /// [`limit(n)`](Self::limit), the count stops at `n` matching items, as `all` returns at
    /// most `n`: `limit(1)` asks "is there any", reading no further than the first match.
    /// A query DynamoDB would refuse answers [`Error::Validation`](crate::Error) before
    /// anything is sent.
    ///
    /// ```
    /// # use notes_model::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// for i in 0..5 {
    ///     let note = Note::new("u1", format!("note {i}"));
    ///     repo.put(&if i % 2 == 0 { note.with_attachment("a.png") } else { note }).await?;
    /// }
    /// let notes = repo.query("u1").count().await?;
    /// assert_eq!(notes.count, 5);
    /// let with_files = repo.query("u1").filter(Note::ATTACHMENT.exists()).count().await?;
    /// assert_eq!((with_files.count, with_files.scanned_count), (3, 5));
    /// // At most 2: enough to know there are at least 2.
    /// assert_eq!(repo.query("u1").limit(2).count().await?.count, 2);
    /// # Ok(()) }
    /// ```
    pub async fn count(self) -> Result<Count> {
        self.check()?;
        let limit = self.limit;
        let query = &self;
        paging::count(
            |start, limit| query.fetch(start, limit, Some(Select::Count)),
            limit,
        )
        .await
    }
}

impl<T: Item, B: Backend> ScanBuilder<'_, T, B> {
    /// How many items of the table (or index) match, counted by DynamoDB (`Select: COUNT`)
    /// over every page, and of every segment read in parallel when
    /// [`segments`](Self::segments) splits the scan: no item is returned, but each is read and
    /// paid for as [`all`](Self::all) would.
    ///
    /// ```
    /// # use notes_model::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// for user in ["u1", "u2", "u3"] {
    ///     repo.put(&Note::new(user, "hello")).await?;
    /// }
    /// repo.put(&Note::new("u1", "with a file").with_attachment("a.png")).await?;
    /// let with_files = repo.scan().filter(Note::ATTACHMENT.exists()).segments(2).count().await?;
    /// assert_eq!((with_files.count, with_files.scanned_count), (1, 4));
    /// # Ok(()) }
    /// ```
    pub async fn count(self) -> Result<Count> {
        let segments = self.prepare()?;
        stream::iter(0..segments.total)
            .map(|segment| paging::count(segments.fetch(segment, Some(Select::Count)), None))
            .buffer_unordered(segments.concurrency)
            .try_fold(
                Count::default(),
                |total, count| async move { Ok(total + count) },
            )
            .await
    }
}
