//! Counting the items of a query or a scan (`Select: COUNT`), across every page.

use std::future::Future;
use std::ops::Add;

use futures::{StreamExt, TryStreamExt, stream};
use notes_model::{Item, ItemMap, PartitionValues};

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
        pages(
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
            .map(|segment| pages(segments.fetch(segment, Some(Select::Count)), None))
            .buffer_unordered(segments.concurrency)
            .try_fold(
                Count::default(),
                |total, count| async move { Ok(total + count) },
            )
            .await
    }
}

/// What the pages that `fetch(start_key, limit)` returns count in all (each fetched with
/// `Select: COUNT`), read as [`paging::items`] reads them.
pub(crate) async fn pages<F, Fut>(fetch: F, limit: Option<u32>) -> Result<Count>
where
    F: Fn(Option<ItemMap>, Option<u32>) -> Fut,
    Fut: Future<Output = Result<PageOutput>>,
{
    paging::pages(fetch, limit)
        .try_fold(Count::default(), |total, page| async move {
            Ok(total + Count::of(&page))
        })
        .await
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use notes_model::AttributeValue;

    use super::*;

    /// A read of `per_page` items a page, `pages` pages, each matching `matched` of them:
    /// the limits it was asked for, and the pages it answered.
    fn pages_of(
        per_page: usize,
        matched: usize,
        pages: usize,
        asked: &Mutex<Vec<Option<u32>>>,
    ) -> impl Fn(Option<ItemMap>, Option<u32>) -> futures::future::Ready<Result<PageOutput>> + '_
    {
        move |start, limit| {
            asked.lock().unwrap().push(limit);
            let n = start.map_or(0, |key| match key.get("n") {
                Some(AttributeValue::N(n)) => n.parse().unwrap(),
                _ => unreachable!(),
            });
            let evaluated = limit.map_or(per_page, |l| per_page.min(l as usize));
            let mut page = PageOutput::new(Vec::new())
                .count(matched.min(evaluated))
                .scanned_count(evaluated)
                .consumed_capacity(1.0);
            if n + 1 < pages {
                let key = ItemMap::from([("n".into(), AttributeValue::N((n + 1).to_string()))]);
                page = page.last_evaluated_key(key);
            }
            futures::future::ready(Ok(page))
        }
    }

    #[tokio::test]
    async fn a_count_adds_up_every_page() {
        let asked = Mutex::new(Vec::new());
        let total = pages(pages_of(3, 2, 4, &asked), None).await.unwrap();
        assert_eq!(
            total,
            Count {
                count: 8,
                scanned_count: 12,
                consumed_capacity: Some(4.0),
            }
        );
        assert_eq!(*asked.lock().unwrap(), [None; 4]);
    }

    /// Each page asks for at most the matches still wanted, and the read stops once `limit`
    /// items matched: the same rule as for items.
    #[tokio::test]
    async fn a_count_stops_at_the_limit_of_matching_items() {
        let asked = Mutex::new(Vec::new());
        let total = pages(pages_of(3, 2, 10, &asked), Some(5)).await.unwrap();
        assert_eq!((total.count, total.scanned_count), (5, 7));
        assert_eq!(*asked.lock().unwrap(), [Some(5), Some(3), Some(1)]);
    }
}
