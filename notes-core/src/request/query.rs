//! `Query` and `Scan`: one page of items at a time.

use notes_model::ItemMap;
use notes_model::expr::{Condition, KeyCondition, Path};

use super::setters::setters;

/// `Query`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// use notes_model::AttributeValue;
/// use notes_model::expr::KeyCondition;
/// # backend.put_item(PutItem::new("notes", note.to_item()?)).await?;
/// let condition = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
/// let page = backend.query(Query::new("notes", condition).limit(10).scan_index_forward(false)).await?;
/// assert_eq!(page.items.len(), 1);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Query {
    /// The table.
    pub table_name: String,
    /// A secondary index to query instead of the table.
    pub index_name: Option<String>,
    /// Partition key equality and an optional sort-key condition.
    pub key_condition: KeyCondition,
    /// Applied after the key condition, before the page is returned.
    pub filter: Option<Condition>,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
    /// The most items to evaluate for this page.
    pub limit: Option<u32>,
    /// `true` for ascending sort-key order (DynamoDB's default).
    pub scan_index_forward: bool,
    /// Continue after this key (a previous page's `last_evaluated_key`).
    pub exclusive_start_key: Option<ItemMap>,
    /// Strongly consistent read.
    pub consistent_read: bool,
}

impl Query {
    /// A `Query` of the table (not an index), ascending, eventually consistent, no limit.
    ///
    /// ```
    /// use notes_repo::{AttributeValue, expr::KeyCondition, request::Query};
    /// let condition = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
    /// let query = Query::new("notes", condition).limit(10).scan_index_forward(false);
    /// assert_eq!((query.limit, query.scan_index_forward), (Some(10), false));
    /// ```
    pub fn new(table_name: impl Into<String>, key_condition: KeyCondition) -> Self {
        Query {
            table_name: table_name.into(),
            index_name: None,
            key_condition,
            filter: None,
            projection: None,
            limit: None,
            scan_index_forward: true,
            exclusive_start_key: None,
            consistent_read: false,
        }
    }
}
setters!(Query {
    index_name: some_into String,
    filter: some Condition,
    projection: some Vec<Path>,
    limit: some u32,
    scan_index_forward: value bool,
    exclusive_start_key: some ItemMap,
    consistent_read: value bool,
});

/// `Scan`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let page = backend.scan(Scan::new("notes")).await?;
/// assert!(page.items.is_empty());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct Scan {
    /// The table.
    pub table_name: String,
    /// A secondary index to scan instead of the table.
    pub index_name: Option<String>,
    /// Applied to each item read.
    pub filter: Option<Condition>,
    /// The attributes to return; all when `None`.
    pub projection: Option<Vec<Path>>,
    /// The most items to evaluate for this page.
    pub limit: Option<u32>,
    /// Continue after this key.
    pub exclusive_start_key: Option<ItemMap>,
    /// Strongly consistent read.
    pub consistent_read: bool,
    /// `(segment, total_segments)` for a parallel scan.
    pub segment: Option<(u32, u32)>,
}

impl Scan {
    /// A `Scan` of the whole table, in one segment, eventually consistent, no limit.
    ///
    /// ```
    /// use notes_repo::request::Scan;
    /// let scan = Scan::new("notes").segment(0, 4);
    /// assert_eq!(scan.segment, Some((0, 4)));
    /// ```
    pub fn new(table_name: impl Into<String>) -> Self {
        Scan {
            table_name: table_name.into(),
            ..Scan::default()
        }
    }

    /// Reads segment `segment` of `total_segments` (a parallel scan).
    ///
    /// See [`Scan::new`] for an example.
    pub fn segment(mut self, segment: u32, total_segments: u32) -> Self {
        self.segment = Some((segment, total_segments));
        self
    }
}
setters!(Scan {
    index_name: some_into String,
    filter: some Condition,
    projection: some Vec<Path>,
    limit: some u32,
    exclusive_start_key: some ItemMap,
    consistent_read: value bool,
});

/// One page of a `Query` or `Scan`.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// let page = backend.scan(Scan::new("notes").limit(1)).await?;
/// assert_eq!((page.items.len(), page.last_evaluated_key), (0, None));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct PageOutput {
    /// The items of this page, after the filter.
    pub items: Vec<ItemMap>,
    /// How many items were evaluated before the filter.
    pub scanned_count: usize,
    /// Where the next page starts; `None` on the last page.
    pub last_evaluated_key: Option<ItemMap>,
    /// Read capacity units consumed.
    pub consumed_capacity: Option<f64>,
}

/// The first surface's name of [`PageOutput`].
#[deprecated(note = "use `PageOutput`")]
pub type Page = PageOutput;

impl PageOutput {
    /// A page of `items`, the last one (no `last_evaluated_key`), every item matching.
    ///
    /// ```
    /// use notes_repo::request::PageOutput;
    /// let page = PageOutput::new(Vec::new()).scanned_count(3);
    /// assert_eq!((page.items.len(), page.scanned_count), (0, 3));
    /// ```
    pub fn new(items: Vec<ItemMap>) -> Self {
        PageOutput {
            scanned_count: items.len(),
            items,
            last_evaluated_key: None,
            consumed_capacity: None,
        }
    }
}
setters!(PageOutput {
    scanned_count: value usize,
    last_evaluated_key: some ItemMap,
    consumed_capacity: some f64,
});
