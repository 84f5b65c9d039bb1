//! Typed queries of one partition: sort-key conditions, pages with cursors, and streams.

use std::marker::PhantomData;

use futures::stream;
use futures::{Stream, StreamExt, TryStreamExt};

use notes_model::expr::{Comparator, Condition, SortKeyCondition};
use notes_model::template::Refused;
use notes_model::{
    Index, IndexSchema, IntoSortKeyConditions, Item, KeyValue, PartitionKeyOf, PartitionValues,
    SortKeyBuilder, SortKeyConditions, SortKeyOf,
};

use crate::cursor::{self, CursorKey};
use crate::paging;
use crate::partition::IntoPartitionKey;
use crate::prefix::SortKeyPrefix;
use crate::repo::Repo;
use crate::send::send_on_await;
use notes_core::{Backend, Result, validate};

/// One page of query results and the cursor of the next page (`None` on the last page).
#[derive(Debug, Clone, PartialEq)]
pub struct QueryPage<T> {
    /// The items of this page, in query order.
    pub items: Vec<T>,
    /// Pass to [`QueryBuilder::page`] for the next page; `None` when there is no next page.
    pub cursor: Option<String>,
    /// Read capacity units the page consumed, when the backend reports them.
    pub consumed_capacity: Option<f64>,
}

/// A query of one partition, built by [`Repo::query`].
///
/// Sort-key conditions exist only for item types with a sort key, and `begins_with` only for
/// string and binary sort keys: the compiler enforces both.
///
/// ```
/// # use notes_model::Note;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
/// # repo.create_table_on_demand().await?;
/// for i in 0..5 {
///     repo.put(&Note::new("u1", format!("note {i}"))).await?;
/// }
/// let first = repo.query("u1").descending().limit(2).page(None).await?;
/// assert_eq!(first.items.len(), 2);
/// let second = repo.query("u1").descending().limit(2).page(first.cursor.as_deref()).await?;
/// assert_eq!(second.items[0].content, "note 2");
/// # Ok(()) }
/// ```
#[must_use = "a query does nothing until it is awaited (or `.page()`, `.stream()`)"]
pub struct QueryBuilder<'r, T: Item, B, PK = PartitionKeyOf<T>, SK = SortKeyOf<T>> {
    repo: &'r Repo<T, B>,
    index: Option<&'static IndexSchema>,
    partition_key: PK,
    marker: PhantomData<fn() -> SK>,
    /// The sort-key conditions: one on the key's sort attribute, or for a multi-attribute
    /// index key, equalities left to right and a last condition.
    sort: SortKeyConditions,
    filter: Option<Condition>,
    pub(crate) limit: Option<u32>,
    descending: bool,
    consistent_read: bool,
    cursor_key: Option<CursorKey>,
    /// A sort-key operand or prefix built from a templated component that holds a separator,
    /// refused when the query would be sent.
    refused: Option<Refused>,
}

impl<T: Item, B: Backend> Repo<T, B> {
    /// Starts a query of one partition ("all notes of a user"), in sort-key order.
    ///
    /// ```
    /// # use notes_model::{Item, Note};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.put(&Note::new("u1", "a")).await?;
    /// repo.put(&Note::new("u1", "b")).await?;
    /// let newest_first = repo.query("u1").descending().all().await?;
    /// assert_eq!(newest_first[0].content, "b");
    /// # Ok(()) }
    /// ```
    pub fn query(&self, partition_key: impl Into<PartitionKeyOf<T>>) -> QueryBuilder<'_, T, B> {
        QueryBuilder::new(self, None, partition_key.into())
    }

    /// Starts a query of one partition of a secondary index, with the index's typed keys.
    ///
    /// For an index whose partition key spans several attributes, `partition_key` is every
    /// value at once: a tuple in the index's order (`("t1", "eu")`) or the generated partition
    /// type; its sort conditions go through [`sort_key`](QueryBuilder::sort_key).
    ///
    /// ```
    /// use notes_model::Item;
    /// use notes_repo::{MemoryBackend, Repo};
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Debug, Serialize, Deserialize, Item)]
    /// #[item(table = "tasks", global_index(name = "byAssignee", partition_key = "assignee"))]
    /// struct Task {
    ///     #[partition_key] id: String,
    ///     assignee: String,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Task, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// repo.put(&Task { id: "t1".into(), assignee: "ann".into() }).await?;
    /// let anns = repo.query_index(Task::BY_ASSIGNEE, "ann").all().await?;
    /// assert_eq!(anns.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn query_index<PK: PartitionValues, SK: 'static>(
        &self,
        index: Index<T, PK, SK>,
        partition_key: impl IntoPartitionKey<PK>,
    ) -> QueryBuilder<'_, T, B, PK, SK> {
        QueryBuilder::new(
            self,
            Some(index.schema()),
            partition_key.into_partition_key(),
        )
    }
}

impl<'r, T: Item, B: Backend, PK: PartitionValues, SK: 'static> QueryBuilder<'r, T, B, PK, SK> {
    pub(crate) fn new(
        repo: &'r Repo<T, B>,
        index: Option<&'static IndexSchema>,
        partition_key: PK,
    ) -> Self {
        QueryBuilder {
            repo,
            index,
            partition_key,
            marker: PhantomData,
            sort: SortKeyConditions::new(),
            filter: None,
            limit: None,
            descending: false,
            consistent_read: false,
            cursor_key: None,
            refused: None,
        }
    }

    /// Returns items in descending sort-key order (newest notes first).
    ///
    /// See [`Repo::query`] for an example.
    pub fn descending(mut self) -> Self {
        self.descending = true;
        self
    }

    /// At most `limit` items: per page for [`QueryBuilder::page`], in all for
    /// [`QueryBuilder::stream`] and [`QueryBuilder::all`], and counted by
    /// [`QueryBuilder::count`].
    ///
    /// DynamoDB takes 1 to 2,147,483,647 (`i32::MAX`); outside that range `page`, `stream` and
    /// `all` answer [`Error::Validation`](crate::Error::Validation) before sending anything (`limit(0)` is an error, not
    /// an empty listing).
    ///
    /// ```
    /// # use notes_model::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.put(&Note::new("u1", "x")).await?;
    /// assert_eq!(repo.query("u1").limit(1).all().await?.len(), 1);
    /// let err = repo.query("u1").limit(0).all().await.unwrap_err();
    /// assert!(matches!(err, notes_repo::Error::Validation { .. }));
    /// # Ok(()) }
    /// ```
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Reads with strong consistency.
    ///
    /// ```
    /// # use notes_model::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.put(&Note::new("u1", "x")).await?;
    /// assert_eq!(repo.query("u1").consistent().all().await?.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn consistent(mut self) -> Self {
        self.consistent_read = true;
        self
    }

    /// Signs the cursors this query makes, and accepts only cursors signed with `key`
    /// (HMAC-SHA256): then a client cannot make a cursor of its own, only pass back one the
    /// app gave it. Without a key, cursors carry a public checksum (see
    /// [`QueryBuilder::page`] for what that does and does not guarantee).
    ///
    /// ```
    /// # use notes_model::Note;
    /// use notes_repo::CursorKey;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let key = CursorKey::new(std::env::var("CURSOR_KEY").unwrap_or("an example key, not random!".into()))?;
    /// for i in 0..3 {
    ///     repo.put(&Note::new("u1", format!("note {i}"))).await?;
    /// }
    /// let first = repo.query("u1").cursor_key(&key).limit(2).page(None).await?;
    /// let cursor = first.cursor.as_deref();
    /// assert_eq!(repo.query("u1").cursor_key(&key).limit(2).page(cursor).await?.items.len(), 1);
    /// // Unsigned, or signed with another key: refused.
    /// assert!(matches!(
    ///     repo.query("u1").limit(2).page(cursor).await,
    ///     Err(notes_repo::Error::InvalidCursor { .. })
    /// ));
    /// # Ok(()) }
    /// ```
    pub fn cursor_key(mut self, key: &CursorKey) -> Self {
        self.cursor_key = Some(key.clone());
        self
    }

    /// Keeps only the items for which `condition` holds (a `FilterExpression`: applied after
    /// the items are read, so they still count against `limit` and capacity).
    ///
    /// ```
    /// # use notes_model::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.put(&Note::new("u1", "x").with_attachment("a.png")).await?;
    /// repo.put(&Note::new("u1", "y")).await?;
    /// let with_files = repo.query("u1").filter(Note::ATTACHMENT.exists()).all().await?;
    /// assert_eq!(with_files.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn filter(mut self, condition: Condition) -> Self {
        self.filter = Some(crate::repo::and(self.filter.take(), condition));
        self
    }

    /// One page, starting at `cursor` (`None` for the first page).
    ///
    /// The returned cursor is `None` exactly when no item follows (for queries without a
    /// filter; with one, DynamoDB may end a page early and a final empty page can follow).
    ///
    /// What a cursor guarantees, checked before anything is sent ([`Error::InvalidCursor`](crate::Error::InvalidCursor)
    /// otherwise):
    ///
    /// - **Always**: its start key is a key of this table (or index) in this query's partition,
    ///   so a cursor can never read outside the partition the app queries, whoever made it.
    ///   A cursor from another query (another partition, index, sort-key condition or
    ///   direction), or one that was modified, is refused.
    /// - **Without a [`cursor_key`](QueryBuilder::cursor_key)**: the check against other
    ///   queries and modifications is a checksum, not a secret: a client that knows the format
    ///   can make a valid cursor for the query it is allowed to run, i.e. choose where in that
    ///   partition a page starts. Tamper-evident, not tamper-proof.
    /// - **With a key**: only cursors this app made with the same key for the same query are
    ///   accepted.
    ///
    /// Cursors are not encrypted (the last item's key can be read from one) and do not
    /// expire.
    ///
    /// See [`QueryBuilder`] for an example.
    pub async fn page(&self, cursor: Option<&str>) -> Result<QueryPage<T>> {
        self.check()?;
        let fingerprint = self.fingerprint();
        let start = match cursor {
            Some(cursor) => Some(self.check_start_key(cursor::decode(
                cursor,
                fingerprint,
                self.cursor_key.as_ref(),
            )?)?),
            None => None,
        };
        // Ask for one item more than the page holds: if it comes, there is a next page and
        // the cursor is the last returned item's key; if not, this is the last page. At
        // DynamoDB's largest limit there is no room to peek: the page's own
        // `LastEvaluatedKey` says whether more follow.
        let peek = self.filter_expression().is_none() && self.limit.is_some();
        let request_limit = self.limit.map(|n| {
            if peek {
                n.saturating_add(1).min(validate::MAX_LIMIT)
            } else {
                n
            }
        });
        let page = self.fetch(start, request_limit, None).await?;
        let mut raw = page.items;
        let next_key = match self.limit {
            Some(n) if peek && raw.len() > n as usize => {
                raw.truncate(n as usize);
                raw.last().map(|item| self.start_key_of(item)).transpose()?
            }
            _ => page.last_evaluated_key,
        };
        let cursor = next_key
            .map(|key| cursor::encode(&key, fingerprint, self.cursor_key.as_ref()))
            .transpose()?;
        let items = raw
            .into_iter()
            .map(T::from_shared)
            .collect::<Result<_, _>>()?;
        Ok(QueryPage {
            items,
            cursor,
            consumed_capacity: page.consumed_capacity,
        })
    }

    /// All matching items as a stream that fetches pages lazily, as they are consumed.
    ///
    /// A query DynamoDB would refuse (an empty or oversized key, a `limit` outside 1 to
    /// `i32::MAX`) yields one [`Error::Validation`](crate::Error::Validation) as its only item, before anything is sent.
    ///
    /// ```
    /// # use notes_model::Note;
    /// use futures::TryStreamExt;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.put(&Note::new("u1", "x")).await?;
    /// let notes: Vec<Note> = repo.query("u1").stream().try_collect().await?;
    /// assert_eq!(notes.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn stream(self) -> impl Stream<Item = Result<T>> + Send + 'r
    where
        T: 'r,
        PK: 'r,
    {
        if let Err(err) = self.check() {
            return stream::once(async move { Err(err) }).boxed();
        }
        let limit = self.limit;
        let query = std::sync::Arc::new(self);
        paging::items(
            move |start, limit| {
                let query = query.clone();
                async move { query.fetch(start, limit, None).await }
            },
            limit,
        )
    }

    /// All matching items, collected (a convenience over [`QueryBuilder::stream`]).
    ///
    /// See [`Repo::query`] for an example.
    pub async fn all(self) -> Result<Vec<T>>
    where
        T: 'r,
        PK: 'r,
    {
        self.stream().try_collect().await
    }

    /// All matching items, collected: what `.await` does, the same as [`QueryBuilder::all`].
    ///
    /// ```
    /// # use notes_model::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// repo.put(&Note::new("u1", "x")).await?;
    /// assert_eq!(repo.query("u1").limit(10).send().await?.len(), 1);
    /// assert_eq!(repo.query("u1").limit(10).await?.len(), 1);
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Vec<T>>
    where
        T: 'r,
        PK: 'r,
    {
        self.all().await
    }
}

send_on_await!(
    ['r, T: Item + 'r, B: Backend, PK: PartitionValues, SK: 'static]
    QueryBuilder<'r, T, B, PK, SK> => Vec<T>, 'r
);

impl<T: Item, B: Backend, PK: PartitionValues, SK: KeyValue> QueryBuilder<'_, T, B, PK, SK> {
    /// Sort key `=` `value`.
    ///
    /// ```
    /// # use notes_model::Note;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// let note = Note::new("u1", "x");
    /// repo.put(&note).await?;
    /// assert_eq!(repo.query("u1").sort_key_eq(note.note_id.clone()).all().await?.len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn sort_key_eq(self, value: impl Into<SK>) -> Self {
        self.compare(Comparator::Eq, value.into())
    }

    /// Sort key `<` `value`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// assert!(repo.query("u1").sort_key_lt("0").all().await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn sort_key_lt(self, value: impl Into<SK>) -> Self {
        self.compare(Comparator::Lt, value.into())
    }

    /// Sort key `<=` `value`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// assert!(repo.query("u1").sort_key_le("0").all().await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn sort_key_le(self, value: impl Into<SK>) -> Self {
        self.compare(Comparator::Le, value.into())
    }

    /// Sort key `>` `value`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// assert!(repo.query("u1").sort_key_gt("0").all().await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn sort_key_gt(self, value: impl Into<SK>) -> Self {
        self.compare(Comparator::Gt, value.into())
    }

    /// Sort key `>=` `value`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// assert!(repo.query("u1").sort_key_ge("0").all().await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn sort_key_ge(self, value: impl Into<SK>) -> Self {
        self.compare(Comparator::Ge, value.into())
    }

    /// Sort key `BETWEEN low AND high`, both ends included.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// assert!(repo.query("u1").sort_key_between("a", "b").all().await?.is_empty());
    /// # Ok(()) }
    /// ```
    pub fn sort_key_between(self, low: impl Into<SK>, high: impl Into<SK>) -> Self {
        let (low, high) = (low.into(), high.into());
        let check = low.check_key().and_then(|()| high.check_key());
        self.sort(SortKeyCondition::Between(
            low.to_attribute_value(),
            high.to_attribute_value(),
        ))
        .refuse(check)
    }

    fn compare(self, comparator: Comparator, value: SK) -> Self {
        let check = value.check_key();
        self.sort(SortKeyCondition::Compare(
            comparator,
            value.to_attribute_value(),
        ))
        .refuse(check)
    }
}

impl<T: Item, B: Backend, PK: PartitionValues, SK: KeyValue> QueryBuilder<'_, T, B, PK, SK> {
    /// `begins_with(sort key, prefix)`: for a string or binary sort key a value (`"2024-"`),
    /// for a templated sort key the typed prefix built from its leading components
    /// (`NoteSort::prefix().created_at_starts_with("2026-11-25")` renders
    /// `begins_with(sk, "NOTE#2026-11-25")`), so the template's text is never spelt by hand.
    /// A numeric sort key has no prefix: the compiler refuses it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// # let repo: notes_repo::Repo<notes_model::Note, _> = notes_repo::Repo::new(notes_repo::MemoryBackend::new());
    /// # repo.create_table_on_demand().await?;
    /// assert!(repo.query("u1").sort_key_begins_with("019").all().await?.is_empty());
    /// # Ok(()) }
    /// ```
    ///
    /// A templated sort key:
    ///
    /// ```
    /// use notes_repo::{Item, MemoryBackend, Repo};
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Debug, Serialize, Deserialize, Item)]
    /// #[item(
    ///     table = "app",
    ///     entity = "note",
    ///     partition_key(template = "USER#{user_id}"),
    ///     sort_key(template = "NOTE#{created_at}#{note_id}")
    /// )]
    /// struct Note { user_id: String, created_at: String, note_id: String }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// for (day, id) in [("2026-11-24", "a"), ("2026-11-25", "b"), ("2026-11-25", "c")] {
    ///     let note = Note { user_id: "u1".into(), created_at: format!("{day}T10:00Z"), note_id: id.into() };
    ///     repo.put(&note).await?;
    /// }
    /// let that_day = repo
    ///     .query(NotePartition::new("u1"))
    ///     .sort_key_begins_with(NoteSort::prefix().created_at_starts_with("2026-11-25"))
    ///     .all()
    ///     .await?;
    /// assert_eq!(that_day.len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn sort_key_begins_with<M>(self, prefix: impl SortKeyPrefix<T, SK, M>) -> Self {
        let (prefix, check) = prefix.into_prefix();
        self.sort(SortKeyCondition::BeginsWith(prefix))
            .refuse(check)
    }
}

impl<T: Item, B: Backend, PK: PartitionValues, SK: SortKeyBuilder> QueryBuilder<'_, T, B, PK, SK> {
    /// Sort-key conditions on an index whose sort key spans several attributes, built by the
    /// closure from the index's generated builder (`SaleByRegionSort`): one method per sort
    /// attribute and condition, `year(2026)` an equality, `month_between(1, 6)`, `_lt`,
    /// `_le`, `_gt`, `_ge` and `_begins_with` a range. DynamoDB takes them left to right,
    /// equalities on every attribute before the last one given, a range only on that last
    /// one: anything else does not compile, and the error names the attributes ("`month`
    /// comes after `year` in index `byRegion`: give an equality on `year` first").
    ///
    /// ```
    /// use notes_repo::{Item, MemoryBackend, Repo};
    /// use serde::{Deserialize, Serialize};
    ///
    /// #[derive(Debug, Serialize, Deserialize, Item)]
    /// #[item(
    ///     table = "sales",
    ///     global_index(
    ///         name = "byRegion",
    ///         partition_key = ["tenant", "region"],
    ///         sort_key = ["year", "month", "day"]
    ///     )
    /// )]
    /// struct Sale {
    ///     #[partition_key]
    ///     id: String,
    ///     tenant: String,
    ///     region: String,
    ///     year: u16,
    ///     month: u8,
    ///     day: u8,
    /// }
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let repo: Repo<Sale, _> = Repo::new(MemoryBackend::new());
    /// repo.create_table_on_demand().await?;
    /// for (id, month) in [("s1", 2), ("s2", 5), ("s3", 9)] {
    ///     let sale = Sale { id: id.into(), tenant: "t1".into(), region: "eu".into(), year: 2026, month, day: 1 };
    ///     repo.put(&sale).await?;
    /// }
    /// let first_half = repo
    ///     .query_index(Sale::BY_REGION, ("t1", "eu"))
    ///     .sort_key(|key| key.year(2026).month_between(1, 6))
    ///     .all()
    ///     .await?;
    /// assert_eq!(first_half.len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn sort_key<C: IntoSortKeyConditions<SK>>(
        mut self,
        conditions: impl FnOnce(SK) -> C,
    ) -> Self {
        self.sort = conditions(SK::start()).into_sort_key_conditions();
        self
    }
}

mod key;
#[cfg(test)]
mod tests;
