//! Typed scans of a whole table or index, optionally split into parallel segments.

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream};
use futures::{FutureExt, StreamExt, TryStreamExt};

use notes_model::expr::Condition;
use notes_model::{Index, IndexSchema, Item, ItemMap};

use crate::paging;
use crate::repo::Repo;
use crate::send::send_on_await;
use notes_core::request;
use notes_core::validate;
use notes_core::{Backend, Traced};
use notes_core::{Error, Result};

/// DynamoDB's largest `TotalSegments`.
const MAX_SEGMENTS: u32 = 1_000_000;

/// A scan of every item of a table or index, built by [`Repo::scan`].
///
/// A scan reads the whole table (and pays for it); prefer a query where a partition key is
/// known.
///
/// ```
/// # use notes_model::Note;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
/// # repo.create_table_on_demand().await?;
/// for user in ["u1", "u2", "u3"] {
///     repo.put(&Note::new(user, "hello").with_attachment("a.png")).await?;
/// }
/// let with_files = repo.scan().filter(Note::ATTACHMENT.exists()).segments(2).all().await?;
/// assert_eq!(with_files.len(), 3);
/// # Ok(()) }
/// ```
#[must_use = "a scan does nothing until it is awaited (or `.stream()`)"]
pub struct ScanBuilder<'r, T: Item, B> {
    repo: &'r Repo<T, B>,
    index: Option<&'static IndexSchema>,
    filter: Option<Condition>,
    segments: u32,
    consistent_read: bool,
}

impl<T: Item, B: Backend> Repo<T, B> {
    /// Starts a scan of the whole table.
    ///
    /// See [`ScanBuilder`] for an example.
    pub fn scan(&self) -> ScanBuilder<'_, T, B> {
        ScanBuilder {
            repo: self,
            index: None,
            filter: None,
            segments: 1,
            consistent_read: false,
        }
    }
}

impl<'r, T: Item, B: Backend> ScanBuilder<'r, T, B> {
    /// Scans a secondary index instead of the table (items without the index's keys are not
    /// in it).
    ///
    /// ```
    /// use notes_model::Item;
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Serialize, Deserialize, Item)]
    /// #[item(table = "tasks", global_index(name = "byAssignee", partition_key = "assignee"))]
    /// struct Task {
    ///     #[partition_key] id: String,
    ///     #[serde(default, skip_serializing_if = "Option::is_none")]
    ///     assignee: Option<String>,
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: notes_repo::Repo<Task, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// repo.put(&Task { id: "t1".into(), assignee: Some("ann".into()) }).await?;
    /// repo.put(&Task { id: "t2".into(), assignee: None }).await?;
    /// assert_eq!(repo.scan().index(Task::BY_ASSIGNEE).all().await?.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn index<PK, SK>(mut self, index: Index<T, PK, SK>) -> Self {
        self.index = Some(index.schema());
        self
    }

    /// Keeps only the items for which `condition` holds.
    ///
    /// See [`ScanBuilder`] for an example.
    pub fn filter(mut self, condition: Condition) -> Self {
        self.filter = Some(crate::repo::and(self.filter.take(), condition));
        self
    }

    /// Splits the scan into `segments` parallel segments (DynamoDB's `TotalSegments`, 1 to
    /// 1,000,000), read concurrently (at most [`BatchOptions::concurrency`](crate::BatchOptions)
    /// at a time) and merged into one stream, in no particular order.
    ///
    /// See [`ScanBuilder`] for an example.
    pub fn segments(mut self, segments: u32) -> Self {
        self.segments = segments;
        self
    }

    /// Reads with strong consistency (tables and local indexes only).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// assert!(repo.scan().consistent().all().await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn consistent(mut self) -> Self {
        self.consistent_read = true;
        self
    }

    /// Every matching item, as a stream that reads pages lazily (all segments concurrently).
    ///
    /// ```
    /// # use notes_model::Note;
    /// use futures::TryStreamExt;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.put(&Note::new("u1", "x")).await?;
    /// let all: Vec<Note> = repo.scan().stream().try_collect().await?;
    /// assert_eq!(all.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn stream(self) -> BoxStream<'r, Result<T>> {
        let segments = match self.prepare() {
            Ok(segments) => segments,
            Err(err) => return stream::once(async move { Err(err) }).boxed(),
        };
        let concurrency = segments.concurrency;
        stream::iter(0..segments.total)
            .map(move |segment| paging::items::<T, _, _>(segments.fetch(segment, None), None))
            .flatten_unordered(concurrency)
            .boxed()
    }

    /// The scan's segments, checked as DynamoDB checks them before anything is sent: 1 to
    /// 1,000,000 segments, a valid filter.
    pub(crate) fn prepare(self) -> Result<Segments<B>> {
        if !(1..=MAX_SEGMENTS).contains(&self.segments) {
            return Err(Error::validation(format!(
                "1 validation error detected: Value '{}' at 'totalSegments' failed to satisfy \
                 constraint: Member must have value between 1 and {MAX_SEGMENTS}",
                self.segments
            )));
        }
        // Only this entity's items, on a table shared by several (a FilterExpression).
        let filter = self.repo.entity_filter(self.filter);
        if let Some(filter) = &filter {
            validate::condition(filter)?;
        }
        let mut base =
            request::Scan::new(self.repo.table_name()).consistent_read(self.consistent_read);
        base.index_name = self.index.map(|index| index.name.to_string());
        base.filter = filter;
        Ok(Segments {
            base,
            total: self.segments,
            backend: self.repo.traced().clone(),
            concurrency: self.repo.batch_options().concurrency.max(1),
        })
    }

    /// Every matching item, collected.
    ///
    /// See [`ScanBuilder`] for an example.
    pub async fn all(self) -> Result<Vec<T>> {
        self.stream().try_collect().await
    }

    /// Every matching item, collected: what `.await` does, the same as [`ScanBuilder::all`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.put(&notes_model::Note::new("u1", "x")).await?;
    /// assert_eq!(repo.scan().send().await?.len(), 1);
    /// assert_eq!(repo.scan().segments(2).await?.len(), 1);
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Vec<T>> {
        self.all().await
    }
}

send_on_await!(['r, T: Item, B: Backend] ScanBuilder<'r, T, B> => Vec<T>, 'r);

/// A checked scan, split into its segments (one when not parallel), read at most
/// `concurrency` at a time.
pub(crate) struct Segments<B> {
    base: request::Scan,
    pub(crate) total: u32,
    backend: Traced<B>,
    pub(crate) concurrency: usize,
}

impl<B: Backend> Segments<B> {
    /// The fetch of one page of `segment`, from a start key, returning what `select` says
    /// (items when `None`).
    pub(crate) fn fetch(
        &self,
        segment: u32,
        select: Option<request::Select>,
    ) -> impl Fn(Option<ItemMap>, Option<u32>) -> BoxFuture<'static, Result<request::PageOutput>>
    + Send
    + 'static {
        let mut base = self.base.clone();
        base.segment = (self.total > 1).then_some((segment, self.total));
        base.select = select;
        let backend = self.backend.clone();
        move |start, _limit| {
            let mut request = base.clone();
            request.exclusive_start_key = start;
            let backend = backend.clone();
            async move { backend.scan(request).await }.boxed()
        }
    }
}
