//! `Query` and `Scan`: ordered reads in pages of at most `Limit` items or 1 MB.
//!
//! As on DynamoDB, `Limit` counts items *evaluated* (before the filter), a page also ends with
//! the item that brings the data read to 1 MB (sizes by DynamoDB's item size rules), and
//! `LastEvaluatedKey` is returned whenever a page ended because of either, even when no item
//! follows (the next page is then empty). `Select: COUNT` reads, pages and charges exactly as
//! the items would be read, and answers only how many matched. Reads of a secondary index are
//! in `index`.

mod index;
mod page;

use std::collections::BTreeMap;
use std::ops::Bound;

use notes_model::expr::{Comparator, Condition, Operand, Path, SortKeyCondition};
use notes_model::{ItemMap, KeyAttribute};

use super::index::Index;
use super::key::{KeyTuple, KeyValue};
use super::meter::Meter;
use super::table::{Partition, Stored, Table, safe_range};
use crate::state::Tables;
use notes_core::request::{PageOutput, Query, Scan, Select};
use notes_core::validate::{self, BoundKeyCondition};
use notes_core::{Error, Result};

use index::{IndexRead, resolve_index};
use page::Pager;

/// A bound on sort keys by a prefix of their values: a lower `Included(p)` (an upper
/// `Excluded(p)`) is before every entry whose sort values start with `p`, a lower
/// `Excluded(p)` (an upper `Included(p)`) after every one; a key of one attribute is a prefix
/// of one value.
type SortBound = Bound<KeyTuple>;

/// What a `Query` and a `Scan` check alike before reading, `operation` naming which.
struct Common<'a> {
    operation: &'a str,
    index_name: Option<&'a str>,
    filter: Option<&'a Condition>,
    projection: Option<&'a [Path]>,
    select: Option<Select>,
    limit: Option<u32>,
}

fn check_common(common: Common<'_>) -> Result<()> {
    validate::limit(common.limit)?;
    if let Some(filter) = common.filter {
        validate::condition(filter)?;
    }
    if let Some(paths) = common.projection {
        validate::projection(paths)?;
    }
    validate::select(
        common.select,
        common.projection.map(|_| "ProjectionExpression"),
        common.index_name.is_some(),
        common.operation,
    )
}

/// The starting key, validated against the table's schema.
fn start_key(
    table: &Table,
    key: Option<&ItemMap>,
    operation: &str,
) -> Result<Option<(KeyValue, Option<KeyValue>)>> {
    let Some(key) = key else { return Ok(None) };
    validate::key(key, &table.schema).map_err(|err| match err {
        Error::Validation { message, .. } => Error::validation(format!(
            "The provided starting key is invalid: {message} ({operation} ExclusiveStartKey)"
        )),
        other => other,
    })?;
    let key = table.key_of(key)?;
    Ok(Some((key.partition, key.sort)))
}

/// The key attributes a `Query` filter must not use (`is_key`: the table's or the index's).
fn filter_uses_key(condition: &Condition, is_key: impl Fn(&str) -> bool) -> Option<String> {
    let mut stack = vec![condition];
    let is_key = |p: &Path| p.top_level().filter(|n| is_key(n)).map(str::to_owned);
    let in_operand = |o: &Operand| match o {
        Operand::Path(p) | Operand::Size(p) => is_key(p),
        _ => None,
    };
    while let Some(c) = stack.pop() {
        let found = match c {
            Condition::Compare(a, _, b) => in_operand(a).or_else(|| in_operand(b)),
            Condition::Between(a, b, c) => in_operand(a)
                .or_else(|| in_operand(b))
                .or_else(|| in_operand(c)),
            Condition::In(a, list) => in_operand(a).or_else(|| list.iter().find_map(in_operand)),
            Condition::BeginsWith(p, o) | Condition::Contains(p, o) => {
                is_key(p).or_else(|| in_operand(o))
            }
            Condition::Exists(p) | Condition::NotExists(p) | Condition::Type(p, _) => is_key(p),
            Condition::And(a, b) | Condition::Or(a, b) => {
                stack.extend([a.as_ref(), b.as_ref()]);
                None
            }
            Condition::Not(a) => {
                stack.push(a);
                None
            }
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The sort-key range of a key condition, as bounds on prefixes of sort values: the
/// equalities on the leading sort attributes, then the condition on the next one; `None` for
/// an empty range.
fn sort_range(condition: &BoundKeyCondition<'_>) -> Option<(SortBound, SortBound)> {
    use Bound::{Excluded, Included, Unbounded};
    let prefix: KeyTuple = condition
        .sort_equalities
        .iter()
        .map(|v| KeyValue::of(v))
        .collect::<Option<_>>()?;
    // Every entry whose sort values start with the equalities' (all of them without any).
    let group = || {
        if prefix.is_empty() {
            Unbounded
        } else {
            Included(prefix.clone())
        }
    };
    let with = |value: KeyValue| {
        let mut values = prefix.clone();
        values.push(value);
        values
    };
    let Some(condition) = condition.sort_condition else {
        return Some((group(), group()));
    };
    Some(match condition {
        SortKeyCondition::Compare(comparator, v) => {
            let v = with(KeyValue::of(v)?);
            match comparator {
                Comparator::Eq => (Included(v.clone()), Included(v)),
                Comparator::Lt => (group(), Excluded(v)),
                Comparator::Le => (group(), Included(v)),
                Comparator::Gt => (Excluded(v), group()),
                Comparator::Ge => (Included(v), group()),
                // Rejected by validation; an empty range if it ever got here.
                Comparator::Ne => return None,
            }
        }
        SortKeyCondition::Between(low, high) => (
            Included(with(KeyValue::of(low)?)),
            Included(with(KeyValue::of(high)?)),
        ),
        SortKeyCondition::BeginsWith(prefix) => {
            let prefix = KeyValue::of(prefix)?;
            let upper = match prefix.prefix_successor() {
                Some(successor) => Excluded(with(successor)),
                None => group(),
            };
            (Included(with(prefix)), upper)
        }
    })
}

/// Narrows `bound` to exclude everything up to `start` (lower) or from `start` on (upper).
fn after<T: Ord>(bound: Bound<T>, start: T, lower: bool) -> Bound<T> {
    let tighter = match &bound {
        Bound::Unbounded => true,
        Bound::Included(b) | Bound::Excluded(b) => {
            if lower {
                start >= *b
            } else {
                start <= *b
            }
        }
    };
    if tighter {
        Bound::Excluded(start)
    } else {
        bound
    }
}

/// Checks a `Segment`/`TotalSegments` pair.
fn check_segment(segment: Option<(u32, u32)>) -> Result<()> {
    if let Some((segment, total)) = segment {
        if !(1..=1_000_000).contains(&total) {
            return Err(Error::validation(format!(
                "1 validation error detected: Value '{total}' at 'totalSegments' failed to \
                 satisfy constraint: Member must have value between 1 and 1000000"
            )));
        }
        if segment >= total {
            return Err(Error::validation(format!(
                "The Segment parameter is zero-based and must be less than parameter \
                 TotalSegments: Segment: {segment} is not less than TotalSegments: {total}"
            )));
        }
    }
    Ok(())
}

/// Rejects a starting key from another segment.
fn check_start_segment(in_segment: Option<bool>, segment: Option<(u32, u32)>) -> Result<()> {
    if let (Some(false), Some((segment, total))) = (in_segment, segment) {
        return Err(Error::validation(format!(
            "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use \
             ExclusiveStartKey with correct Segment. TotalSegments: {total} Segment: {segment}"
        )));
    }
    Ok(())
}

/// Whether a partition belongs to the segment scanned (every partition without segments).
fn in_segment<'a, S: Source<'a>>(partition: &S::Partition, segment: Option<(u32, u32)>) -> bool {
    segment.is_none_or(|(segment, total)| S::segment(partition, total) == segment)
}

/// The table and index a `Query` or `Scan` reads, once the parameters both have (by the same
/// names) are valid.
macro_rules! read_target {
    ($tables:expr, $request:expr, $operation:literal) => {{
        let request = &$request;
        let table = $tables.table(&request.table_name)?;
        check_common(Common {
            operation: $operation,
            index_name: request.index_name.as_deref(),
            filter: request.filter.as_ref(),
            projection: request.projection.as_deref(),
            select: request.select,
            limit: request.limit,
        })?;
        let index = resolve_index(
            table,
            request.index_name.as_deref(),
            request.consistent_read,
        )?;
        if let Some(index) = index {
            validate::select_on_index(request.select, &index.schema)?;
        }
        (table, index)
    }};
}

impl Tables {
    pub(crate) fn query(&self, request: Query, meter: Meter) -> Result<PageOutput> {
        let (table, index) = read_target!(self, request, "Query");
        let condition = &request.key_condition;
        let bound = match index {
            None => {
                let sort: Vec<&KeyAttribute> = table.schema.sort_key.iter().collect();
                validate::bind_key_condition(condition, &[&table.schema.partition_key], &sort)?
            }
            Some(index) => validate::index_key_condition(condition, &index.schema)?,
        };
        let is_key = |name: &str| match index {
            None => table.schema.is_key_attribute(name),
            Some(index) => index.is_key_attribute(name),
        };
        if let Some(name) = request
            .filter
            .as_ref()
            .and_then(|f| filter_uses_key(f, is_key))
        {
            return Err(Error::validation(format!(
                "Filter Expression can only contain non-primary key attributes: Primary key \
                 attribute: {name}"
            )));
        }
        meter.read(table, request.index_name.as_deref(), || match index {
            None => query_source(table, &request, &bound),
            Some(index) => query_source(IndexRead { table, index }, &request, &bound),
        })
    }

    pub(crate) fn scan(&self, request: Scan, meter: Meter) -> Result<PageOutput> {
        let (table, index) = read_target!(self, request, "Scan");
        check_segment(request.segment)?;
        meter.read(table, request.index_name.as_deref(), || match index {
            None => scan_source(table, &request),
            Some(index) => scan_source(IndexRead { table, index }, &request),
        })
    }
}

/// What a `Query` or `Scan` reads: the table itself, or one of its indexes (`IndexRead`).
/// Both hold partitions by partition key, each ordered by a position within the partition.
trait Source<'a>: Copy {
    /// A partition's key: the table's partition key value, or the values of an index's
    /// partition attributes.
    type Partition: Ord + 'a;
    /// Where an entry sits in a partition.
    type Pos: Ord + 'a;
    /// What a partition holds at a position.
    type Entry: 'a;

    /// The table read (or the table of the index read).
    fn table(self) -> &'a Table;

    /// The index read, if any.
    fn index(self) -> Option<&'a Index>;

    /// The partitions, by partition key.
    fn partitions(self) -> &'a BTreeMap<Self::Partition, BTreeMap<Self::Pos, Self::Entry>>;

    /// The partition a (validated) key condition reads.
    fn partition_of(condition: &BoundKeyCondition<'_>) -> Option<Self::Partition>;

    /// The scan segment (of `total`) a partition belongs to.
    fn segment(partition: &Self::Partition, total: u32) -> u32;

    /// The `ExclusiveStartKey`, validated, as a partition key and a position in it.
    fn start_key(
        self,
        key: Option<&ItemMap>,
        operation: &str,
    ) -> Result<Option<(Self::Partition, Self::Pos)>>;

    /// A sort-key bound as a bound on positions (`lower`: the range's lower end).
    fn position_bound(bound: SortBound, lower: bool) -> Bound<Self::Pos>;

    /// The item at an entry (with its size), if it is one.
    fn item(self, pos: &'a Self::Pos, entry: &'a Self::Entry) -> Option<&'a Stored>;

    /// A page collector for this source.
    fn pager(
        self,
        filter: Option<&'a Condition>,
        projection: Option<&'a [Path]>,
        select: Option<Select>,
        limit: Option<u32>,
    ) -> Pager<'a> {
        let mut pager = Pager::new(self.table(), self.index(), filter, projection, limit);
        if select == Some(Select::Count) {
            pager = pager.count_only();
        }
        pager
    }
}

/// The table: positions are sort keys, entries the items.
impl<'a> Source<'a> for &'a Table {
    type Partition = KeyValue;
    type Pos = Option<KeyValue>;
    type Entry = Stored;

    fn table(self) -> &'a Table {
        self
    }

    fn index(self) -> Option<&'a Index> {
        None
    }

    fn partitions(self) -> &'a BTreeMap<KeyValue, Partition> {
        Table::partitions(self)
    }

    fn partition_of(condition: &BoundKeyCondition<'_>) -> Option<KeyValue> {
        condition.partition.first().and_then(|v| KeyValue::of(v))
    }

    fn segment(partition: &KeyValue, total: u32) -> u32 {
        partition.segment(total)
    }

    fn start_key(
        self,
        key: Option<&ItemMap>,
        operation: &str,
    ) -> Result<Option<(KeyValue, Option<KeyValue>)>> {
        start_key(self, key, operation)
    }

    fn position_bound(bound: SortBound, _lower: bool) -> Bound<Option<KeyValue>> {
        // A table's sort key is one attribute: a prefix of one value is that value.
        bound.map(|values| values.into_iter().next())
    }

    fn item(self, _sort: &'a Option<KeyValue>, item: &'a Stored) -> Option<&'a Stored> {
        Some(item)
    }
}

fn query_source<'a, S: Source<'a>>(
    source: S,
    request: &'a Query,
    condition: &BoundKeyCondition<'_>,
) -> Result<PageOutput> {
    let partition_key = S::partition_of(condition);
    // No range at all: after everything, and before everything.
    let (lower, upper) = sort_range(condition).unwrap_or((
        Bound::Excluded(KeyTuple::new()),
        Bound::Excluded(KeyTuple::new()),
    ));
    let mut lower = S::position_bound(lower, true);
    let mut upper = S::position_bound(upper, false);
    if let Some((partition, pos)) =
        source.start_key(request.exclusive_start_key.as_ref(), "Query")?
    {
        if Some(&partition) != partition_key.as_ref() {
            return Err(outside_boundaries());
        }
        if request.scan_index_forward {
            lower = after(lower, pos, true);
        } else {
            upper = after(upper, pos, false);
        }
    }
    let mut pager = source.pager(
        request.filter.as_ref(),
        request.projection.as_deref(),
        request.select,
        request.limit,
    );
    let range = partition_key
        .as_ref()
        .and_then(|pk| source.partitions().get(pk))
        .and_then(|partition| safe_range(partition, lower.as_ref(), upper.as_ref()));
    if let Some(range) = range {
        let item = |(pos, entry)| source.item(pos, entry);
        if request.scan_index_forward {
            pager.offer_all(range.filter_map(item));
        } else {
            pager.offer_all(range.rev().filter_map(item));
        }
    }
    Ok(pager.finish(request.consistent_read))
}

fn outside_boundaries() -> Error {
    Error::validation(
        "The provided starting key is outside query boundaries based on provided condition",
    )
}

fn scan_source<'a, S: Source<'a>>(source: S, request: &'a Scan) -> Result<PageOutput> {
    let start = source.start_key(request.exclusive_start_key.as_ref(), "Scan")?;
    let start_in_segment = start
        .as_ref()
        .map(|(p, _)| in_segment::<S>(p, request.segment));
    check_start_segment(start_in_segment, request.segment)?;
    let mut pager = source.pager(
        request.filter.as_ref(),
        request.projection.as_deref(),
        request.select,
        request.limit,
    );
    let first = start
        .as_ref()
        .map_or(Bound::Unbounded, |(p, _)| Bound::Included(p));
    // The partitions from the starting one on, in a stable order.
    for (partition_key, partition) in source.partitions().range((first, Bound::Unbounded)) {
        if !in_segment::<S>(partition_key, request.segment) {
            continue;
        }
        let lower = match &start {
            Some((p, pos)) if p == partition_key => Bound::Excluded(pos),
            _ => Bound::Unbounded,
        };
        let Some(range) = safe_range(partition, lower, Bound::Unbounded) else {
            continue;
        };
        if !pager.offer_all(range.filter_map(|(pos, entry)| source.item(pos, entry))) {
            break;
        }
    }
    Ok(pager.finish(request.consistent_read))
}
