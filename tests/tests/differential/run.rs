//! Runs one case on two backends in lockstep and compares what every operation returned.

use std::collections::HashMap;
use std::fmt::Write as _;

use notes_repo::expr::{Condition, KeyCondition, Path, PathElement, UpdateAction};
use notes_repo::request::{
    BatchWriteItem, BillingMode, CreateTable, DeleteItem, GetItem, PutItem, Query, ReturnValues,
    Select, UpdateItem, WriteRequest,
};
use notes_repo::{AdditionalKeys, AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};
use notes_repo::{Backend, Error, IndexKind, IndexProjection, IndexSchema};

use super::ops::{BY_GROUP, BatchWrite, Case, G1, G2, IndexSort, Op, PARTITIONS, PK, SK};

/// What a failed call returned, by kind: messages differ between implementations and are not
/// compared (DynamoDB documents the exception types, not their wording).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ErrorKind {
    /// `ValidationException`.
    Validation,
    /// `ConditionalCheckFailedException`.
    ConditionFailed,
    /// Anything else, with its `Debug` text (always a difference worth seeing).
    Other(String),
}

impl From<Error> for ErrorKind {
    fn from(err: Error) -> Self {
        match err {
            Error::Validation { .. } => ErrorKind::Validation,
            Error::ConditionFailed { .. } => ErrorKind::ConditionFailed,
            other => ErrorKind::Other(format!("{other:?}")),
        }
    }
}

/// One page of a query, as compared.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PageView {
    /// The items, in the order returned (none for `Select: COUNT`).
    pub(crate) items: Vec<ItemMap>,
    /// Items that matched the filter (DynamoDB's `Count`).
    pub(crate) count: usize,
    /// Items evaluated before the filter.
    pub(crate) scanned_count: usize,
    /// Where the next page starts.
    pub(crate) last_evaluated_key: Option<ItemMap>,
}

/// What one operation returned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Outcome {
    /// A put, update or delete: the `ReturnValues` image.
    Write(Result<Option<ItemMap>, ErrorKind>),
    /// A get: the item.
    Get(Result<Option<ItemMap>, ErrorKind>),
    /// A query: every page, ending with the error if one stopped it.
    Query(Vec<Result<PageView, ErrorKind>>),
    /// A batch write: how many writes came back unprocessed.
    Batch(Result<usize, ErrorKind>),
}

/// Sets in a fixed order (DynamoDB gives sets no order), everything else as returned.
pub(crate) fn normalize(value: &AttributeValue) -> AttributeValue {
    match value {
        AttributeValue::Ss(set) => {
            let mut set = set.clone();
            set.sort();
            AttributeValue::Ss(set)
        }
        AttributeValue::Ns(set) => {
            let mut set = set.clone();
            set.sort();
            AttributeValue::Ns(set)
        }
        AttributeValue::Bs(set) => {
            let mut set = set.clone();
            set.sort();
            AttributeValue::Bs(set)
        }
        AttributeValue::L(list) => AttributeValue::L(list.iter().map(normalize).collect()),
        AttributeValue::M(map) => AttributeValue::M(normalize_item(map)),
        other => other.clone(),
    }
}

/// [`normalize`] on every attribute.
pub(crate) fn normalize_item(item: &ItemMap) -> ItemMap {
    item.iter()
        .map(|(name, value)| (name.clone(), normalize(value)))
        .collect()
}

fn image(result: notes_repo::Result<notes_repo::request::WriteOutput>) -> Outcome {
    Outcome::Write(
        result
            .map(|out| out.attributes.as_ref().map(normalize_item))
            .map_err(ErrorKind::from),
    )
}

/// The key schema of a case's table.
pub(crate) fn schema(sort_type: ScalarType) -> KeySchema {
    KeySchema {
        partition_key: KeyAttribute::new(PK, ScalarType::S),
        sort_key: Some(KeyAttribute::new(SK, sort_type)),
    }
}

/// The case's global index, of a multi-attribute key: partition (`g1`, `pk`), sort (`g2`,
/// `sk`).
fn by_group(sort_type: ScalarType) -> IndexSchema {
    IndexSchema {
        name: BY_GROUP.into(),
        kind: IndexKind::Global,
        key_schema: KeySchema {
            partition_key: KeyAttribute::new(G1, ScalarType::S),
            sort_key: Some(KeyAttribute::new(G2, ScalarType::N)),
        },
        projection: IndexProjection::All,
        additional_keys: AdditionalKeys {
            partition_key: vec![KeyAttribute::new(PK, ScalarType::S)].into(),
            sort_key: vec![KeyAttribute::new(SK, sort_type)].into(),
        },
    }
}

/// Creates the case's table, with its index.
pub(crate) async fn create_table<B: Backend>(backend: &B, table: &str, sort_type: ScalarType) {
    backend
        .create_table(
            CreateTable::new(table, schema(sort_type))
                .billing_mode(BillingMode::PayPerRequest)
                .indexes(vec![by_group(sort_type)]),
        )
        .await
        .expect("create the differential test table");
}

/// A query of the index (eventually consistent, as global index reads are).
fn index_query_request(
    table: &str,
    group: &str,
    partition: &str,
    sort: IndexSort,
    limit: Option<u32>,
    forward: bool,
) -> Query {
    let key_condition = KeyCondition::partition(G1, AttributeValue::S(group.to_owned()))
        .and_partition_key(PK, AttributeValue::S(partition.to_owned()));
    let key_condition = match sort {
        IndexSort::None => key_condition,
        IndexSort::G2(condition) => key_condition.with_sort_key(G2, condition),
        IndexSort::Sk(g2, condition) => key_condition
            .and_leading_sort_key(G2, g2)
            .with_sort_key(SK, condition),
        IndexSort::Gap(condition) => key_condition.with_sort_key(SK, condition),
    };
    let mut request = Query::new(table, key_condition)
        .index_name(BY_GROUP)
        .scan_index_forward(forward);
    request.limit = limit;
    request
}

/// Every page of a query (at most 50, far more than the table can need).
async fn query_pages<B: Backend>(backend: &B, request: Query) -> Vec<Result<PageView, ErrorKind>> {
    let mut pages = Vec::new();
    let mut start = None;
    for _ in 0..50 {
        let mut page_request = request.clone();
        page_request.exclusive_start_key = start.take();
        let page = backend.query(page_request).await;
        match page {
            Ok(page) => {
                let view = PageView {
                    items: page.items.iter().map(|item| normalize_item(item)).collect(),
                    count: page.count,
                    scanned_count: page.scanned_count,
                    last_evaluated_key: page.last_evaluated_key.clone(),
                };
                pages.push(Ok(view));
                match page.last_evaluated_key {
                    Some(key) => start = Some(key),
                    None => break,
                }
            }
            Err(err) => {
                pages.push(Err(err.into()));
                break;
            }
        }
    }
    pages
}

fn query_request(
    table: &str,
    partition: &str,
    sort: Option<notes_repo::expr::SortKeyCondition>,
    filter: Option<Condition>,
    limit: Option<u32>,
    forward: bool,
    count: bool,
) -> Query {
    let mut key_condition = KeyCondition::partition(PK, AttributeValue::S(partition.to_owned()));
    if let Some(sort) = sort {
        key_condition = key_condition.with_sort_key(SK, sort);
    }
    let mut request = Query::new(table, key_condition)
        .scan_index_forward(forward)
        .consistent_read(true);
    request.filter = filter;
    request.limit = limit;
    request.select = count.then_some(Select::Count);
    request
}

/// Runs one operation.
pub(crate) async fn run_op<B: Backend>(backend: &B, table: &str, op: &Op) -> Outcome {
    let table_name = table.to_owned();
    match op.clone() {
        Op::Put {
            item,
            condition,
            return_values,
        } => image(
            backend
                .put_item({
                    let mut request = PutItem::new(table_name, item).return_values(return_values);
                    request.condition = condition;
                    request
                })
                .await,
        ),
        Op::Create { item } => image(
            backend
                .put_item(
                    PutItem::new(table_name, item)
                        .condition(Condition::NotExists(Path::attribute(PK))),
                )
                .await,
        ),
        Op::Update {
            key,
            update,
            condition,
            return_values,
        } => image(
            backend
                .update_item({
                    let mut request =
                        UpdateItem::new(table_name, key, update).return_values(return_values);
                    request.condition = condition;
                    request
                })
                .await,
        ),
        Op::Delete {
            key,
            condition,
            return_values,
        } => image(
            backend
                .delete_item({
                    let mut request = DeleteItem::new(table_name, key).return_values(return_values);
                    request.condition = condition;
                    request
                })
                .await,
        ),
        Op::Get { key } => Outcome::Get(
            backend
                .get_item(GetItem::new(table_name, key).consistent_read(true))
                .await
                .map(|out| out.item.as_deref().map(normalize_item))
                .map_err(ErrorKind::from),
        ),
        Op::Query {
            partition,
            sort,
            filter,
            limit,
            forward,
            count,
        } => Outcome::Query(
            query_pages(
                backend,
                query_request(table, partition, sort, filter, limit, forward, count),
            )
            .await,
        ),
        Op::IndexQuery {
            group,
            partition,
            sort,
            limit,
            forward,
        } => Outcome::Query(
            query_pages(
                backend,
                index_query_request(table, group, partition, sort, limit, forward),
            )
            .await,
        ),
        Op::Batch { writes } => {
            let writes = writes
                .into_iter()
                .map(|w| match w {
                    BatchWrite::Put(item) => WriteRequest::Put(item),
                    BatchWrite::Delete(key) => WriteRequest::Delete(key),
                })
                .collect();
            let request = BatchWriteItem::new(HashMap::from([(table_name, writes)]));
            Outcome::Batch(
                backend
                    .batch_write_item(request)
                    .await
                    .map(|out| out.unprocessed_items.values().map(Vec::len).sum())
                    .map_err(ErrorKind::from),
            )
        }
    }
}

/// Every item of the table, partition by partition, in sort-key order.
pub(crate) async fn contents<B: Backend>(
    backend: &B,
    table: &str,
) -> Vec<Result<PageView, ErrorKind>> {
    let mut all = Vec::new();
    for partition in PARTITIONS {
        all.extend(
            query_pages(
                backend,
                query_request(table, partition, None, None, None, true, false),
            )
            .await,
        );
    }
    all
}

/// The first difference between the two backends on a case.
#[derive(Debug, Clone)]
pub(crate) struct Difference {
    /// A short description of the kind of difference (operation, and both outcomes' shapes),
    /// for grouping many differences by kind.
    pub(crate) signature: String,
    /// The operation, both outcomes and the operations before it.
    pub(crate) message: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn op_name(op: &Op) -> &'static str {
    match op {
        Op::Put { .. } => "put",
        Op::Create { .. } => "create",
        Op::Update { .. } => "update",
        Op::Delete { .. } => "delete",
        Op::Get { .. } => "get",
        Op::Query { .. } => "query",
        Op::IndexQuery { .. } => "index query",
        Op::Batch { .. } => "batch",
    }
}

fn shape(outcome: &Outcome) -> String {
    fn result<T>(r: &Result<T, ErrorKind>, ok: impl Fn(&T) -> String) -> String {
        match r {
            Ok(v) => ok(v),
            Err(ErrorKind::Other(text)) => {
                format!("error {}", text.chars().take(60).collect::<String>())
            }
            Err(kind) => format!("{kind:?}"),
        }
    }
    let image = |i: &Option<ItemMap>| {
        if i.is_some() {
            "image".into()
        } else {
            "nothing".into()
        }
    };
    match outcome {
        Outcome::Write(r) | Outcome::Get(r) => result(r, image),
        Outcome::Query(pages) => match pages.last() {
            Some(Err(kind)) => format!("{kind:?} after {} page(s)", pages.len() - 1),
            _ => "pages".into(),
        },
        Outcome::Batch(r) => result(r, |n| format!("{n} unprocessed")),
    }
}

/// Runs `case` on `expected` (the real server) and `actual` (MemoryBackend) in lockstep;
/// the first operation whose outcomes differ, or a difference in the final contents, is an
/// error that names the operation and both outcomes.
pub(crate) async fn compare<E: Backend, A: Backend>(
    expected: &E,
    expected_table: &str,
    actual: &A,
    actual_table: &str,
    case: &Case,
) -> Result<(), Difference> {
    for (index, op) in case.ops.iter().enumerate() {
        let server = run_op(expected, expected_table, op).await;
        let memory = run_op(actual, actual_table, op).await;
        if server != memory && !known_exception(op, &server, &memory) {
            let mut message = format!(
                "operation {index} differs\n  op:     {op:?}\n  server: {server:?}\n  memory: \
                 {memory:?}\n  after:"
            );
            for earlier in &case.ops[..index] {
                let _ = write!(message, "\n    {earlier:?}");
            }
            return Err(Difference {
                signature: format!(
                    "{}: server {} / memory {}",
                    op_name(op),
                    shape(&server),
                    shape(&memory)
                ),
                message,
            });
        }
    }
    let server = contents(expected, expected_table).await;
    let memory = contents(actual, actual_table).await;
    if server != memory {
        return Err(Difference {
            signature: "final contents".to_owned(),
            message: format!("final contents differ\n  server: {server:?}\n  memory: {memory:?}"),
        });
    }
    Ok(())
}

/// Whether `server` and `memory` differ only by one of the documented exceptions (see
/// `mod exceptions` in `differential.rs`): the server is wrong there, memory follows DynamoDB.
pub(crate) fn known_exception(op: &Op, server: &Outcome, memory: &Outcome) -> bool {
    match (op, server, memory) {
        // ALL_OLD of an update that created the item: dynoxide returns the key.
        (
            Op::Update {
                key,
                return_values: ReturnValues::AllOld,
                ..
            },
            Outcome::Write(Ok(Some(image))),
            Outcome::Write(Ok(None)),
        ) => image == key,
        // UPDATED_OLD / UPDATED_NEW of an update through a list index: dynoxide returns the
        // whole top-level attribute; compare everything else.
        (
            Op::Update {
                update,
                return_values: ReturnValues::UpdatedOld | ReturnValues::UpdatedNew,
                ..
            },
            Outcome::Write(Ok(server_image)),
            Outcome::Write(Ok(memory_image)),
        ) => {
            let through_index: Vec<&str> = update
                .actions
                .iter()
                .map(UpdateAction::path)
                .filter(|p| {
                    p.elements
                        .iter()
                        .any(|e| matches!(e, PathElement::Index(_)))
                })
                .filter_map(|p| p.top_level())
                .collect();
            let rest = |image: &Option<ItemMap>| -> ItemMap {
                image
                    .iter()
                    .flatten()
                    .filter(|(name, _)| !through_index.contains(&name.as_str()))
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect()
            };
            !through_index.is_empty() && rest(server_image) == rest(memory_image)
        }
        // A filter's BETWEEN with bounds of two types or crossed bounds: dynoxide does not
        // validate it.
        (
            Op::Query {
                filter: Some(filter),
                ..
            },
            Outcome::Query(pages),
            Outcome::Query(memory_pages),
        ) => {
            has_invalid_between(filter)
                && pages.iter().all(Result::is_ok)
                && memory_pages == &[Err(ErrorKind::Validation)]
        }
        _ => false,
    }
}

fn has_invalid_between(condition: &Condition) -> bool {
    use notes_repo::expr::Operand;
    match condition {
        Condition::Between(_, Operand::Value(low), Operand::Value(high)) => {
            notes_model::type_descriptor(low) != notes_model::type_descriptor(high)
                || crossed(low, high)
        }
        Condition::And(a, b) | Condition::Or(a, b) => {
            has_invalid_between(a) || has_invalid_between(b)
        }
        Condition::Not(a) => has_invalid_between(a),
        _ => false,
    }
}

/// Whether a `BETWEEN`'s lower bound is above its upper bound (numbers by value, strings and
/// binaries by bytes).
fn crossed(low: &AttributeValue, high: &AttributeValue) -> bool {
    match (low, high) {
        (AttributeValue::N(a), AttributeValue::N(b)) => {
            match (a.parse::<f64>(), b.parse::<f64>()) {
                (Ok(a), Ok(b)) => a > b,
                _ => false,
            }
        }
        (AttributeValue::S(a), AttributeValue::S(b)) => a.as_bytes() > b.as_bytes(),
        (AttributeValue::B(a), AttributeValue::B(b)) => a > b,
        _ => false,
    }
}
