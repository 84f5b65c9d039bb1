//! `Query` and `Scan`: one page of items (or of their count) at a time.

use notes_model::expr::{Condition, KeyCondition, Path};
use notes_model::{ItemMap, SharedItem};

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
    /// What to return: items, or only their count ([`Select::Count`]); DynamoDB's default
    /// when `None` (see [`Select`]).
    pub select: Option<Select>,
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
            select: None,
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
    select: some Select,
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
    /// What to return: items, or only their count ([`Select::Count`]); DynamoDB's default
    /// when `None` (see [`Select`]).
    pub select: Option<Select>,
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
    select: some Select,
    limit: some u32,
    exclusive_start_key: some ItemMap,
    consistent_read: value bool,
});

/// What a `Query` or `Scan` returns (DynamoDB's `Select`).
///
/// Without one DynamoDB returns [`AllAttributes`](Select::AllAttributes) from a table,
/// [`AllProjectedAttributes`](Select::AllProjectedAttributes) from an index, and
/// [`SpecificAttributes`](Select::SpecificAttributes) when a projection is given. Its rules
/// are checked before sending (`notes_core::validate::select`): only `SpecificAttributes`
/// goes with a projection, and it needs one; `AllProjectedAttributes` needs an index; a
/// global index that does not project every attribute refuses `AllAttributes`.
///
/// ```
/// # use notes_model::{Item, Note};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// backend.put_item(PutItem::new("notes", Note::new("u1", "hi").to_item()?)).await?;
/// let page = backend.scan(Scan::new("notes").select(Select::Count)).await?;
/// assert_eq!((page.count, page.scanned_count, page.items.len()), (1, 1, 0));
/// assert_eq!(Select::Count.as_str(), "COUNT");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Select {
    /// Every attribute of each item (`ALL_ATTRIBUTES`); from a local index that projects
    /// less, each item is read from the table.
    AllAttributes,
    /// The attributes an index projects (`ALL_PROJECTED_ATTRIBUTES`); indexes only.
    AllProjectedAttributes,
    /// The attributes of the projection (`SPECIFIC_ATTRIBUTES`), which it requires.
    SpecificAttributes,
    /// Only how many items match (`COUNT`), read and charged as the items would be.
    Count,
}

impl Select {
    /// Every value, in the order DynamoDB's API model lists them.
    ///
    /// ```
    /// use notes_repo::request::Select;
    /// assert_eq!(Select::ALL.len(), 4);
    /// ```
    pub const ALL: [Select; 4] = [
        Select::SpecificAttributes,
        Select::Count,
        Select::AllAttributes,
        Select::AllProjectedAttributes,
    ];

    /// DynamoDB's name of the value (`COUNT`).
    ///
    /// ```
    /// use notes_repo::request::Select;
    /// assert_eq!(Select::AllProjectedAttributes.as_str(), "ALL_PROJECTED_ATTRIBUTES");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Select::AllAttributes => "ALL_ATTRIBUTES",
            Select::AllProjectedAttributes => "ALL_PROJECTED_ATTRIBUTES",
            Select::SpecificAttributes => "SPECIFIC_ATTRIBUTES",
            Select::Count => "COUNT",
        }
    }

    /// The value DynamoDB names `name`, if any (names are case-sensitive).
    ///
    /// ```
    /// use notes_repo::request::Select;
    /// assert_eq!(Select::from_name("COUNT"), Some(Select::Count));
    /// assert_eq!(Select::from_name("count"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Select> {
        Select::ALL
            .into_iter()
            .find(|select| select.as_str() == name)
    }
}

impl std::fmt::Display for Select {
    /// DynamoDB's name of the value.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

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
    /// The items of this page, after the filter; none for [`Select::Count`]. Each is shared
    /// with the store it was read from ([`SharedItem`]: it reads as an `ItemMap`;
    /// `into_owned()` gives one to keep).
    pub items: Vec<SharedItem>,
    /// How many items matched (after the filter): `items.len()` when items are returned, the
    /// only answer for [`Select::Count`] (DynamoDB's `Count`).
    pub count: usize,
    /// How many items were evaluated before the filter (DynamoDB's `ScannedCount`).
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
    /// A page of `items`, the last one (no `last_evaluated_key`), every item matching:
    /// `count` and `scanned_count` are `items.len()`.
    ///
    /// ```
    /// use notes_repo::request::PageOutput;
    /// let page = PageOutput::new(Vec::new()).scanned_count(3);
    /// assert_eq!((page.items.len(), page.count, page.scanned_count), (0, 0, 3));
    /// // A page of `Select::Count`: no items, only how many matched.
    /// let counted = PageOutput::new(Vec::new()).count(2).scanned_count(3);
    /// assert_eq!((counted.count, counted.scanned_count), (2, 3));
    /// ```
    pub fn new(items: Vec<SharedItem>) -> Self {
        PageOutput {
            count: items.len(),
            scanned_count: items.len(),
            items,
            last_evaluated_key: None,
            consumed_capacity: None,
        }
    }
}
setters!(PageOutput {
    count: value usize,
    scanned_count: value usize,
    last_evaluated_key: some ItemMap,
    consumed_capacity: some f64,
});
