//! The `dynamodb` span's fields, captured exactly: our own (`table`, `operation`,
//! `consumed_capacity`, `error`) and OpenTelemetry's semantic conventions for DynamoDB calls,
//! named as the conventions name them, with their types (`int`, `boolean`, `double`; a
//! `string[]` as the JSON text of the array), for a get, a query of an index with a limit, a
//! scan of one segment, a count, a batch and a transaction across two tables, and failures. Every span
//! is compared whole, so a field that should not be there fails too; planted item values
//! never appear.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use notes_repo::expr::{Comparator, Condition, Operand, Path};
use notes_repo::request::{
    BatchWriteItem, BillingMode, CreateTable, GetItem, Scan, Select, TransactWrite,
    TransactWriteItems, WriteRequest,
};
use notes_repo::{
    AttributeValue, Backend, Error, Item, ItemMap, MemoryBackend, Note, Repo, Traced,
};
use serde::{Deserialize, Serialize};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Subscriber, subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// A value no span may hold: item contents and key values.
const SECRET: &str = "private-value-never-in-a-span";

/// A field's value, typed as `tracing` recorded it.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
    Float(f64),
}

type Fields = BTreeMap<String, Value>;

struct Visitor<'a>(&'a mut Fields);

impl Visit for Visitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), Value::Str(value.into()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), Value::Int(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        let value = i64::try_from(value).expect("an int");
        self.0.insert(field.name().into(), Value::Int(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().into(), Value::Bool(value));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().into(), Value::Float(value));
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().into(), Value::Str(format!("{value:?}")));
    }
}

/// The closed `dynamodb` spans' fields, in closing order: those not taken yet, and all.
#[derive(Clone, Default)]
struct Spans {
    recent: Arc<Mutex<Vec<Fields>>>,
    all: Arc<Mutex<Vec<Fields>>>,
}

impl Spans {
    /// The spans closed since the last call.
    fn take(&self) -> Vec<Fields> {
        std::mem::take(&mut self.recent.lock().unwrap())
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Spans {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "dynamodb" {
            return;
        }
        let mut fields = Fields::new();
        attrs.record(&mut Visitor(&mut fields));
        ctx.span(id).unwrap().extensions_mut().insert(fields);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<Fields>()
        {
            values.record(&mut Visitor(fields));
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id)
            && let Some(fields) = span.extensions_mut().remove::<Fields>()
        {
            self.all.lock().unwrap().push(fields.clone());
            self.recent.lock().unwrap().push(fields);
        }
    }
}

fn s(value: &str) -> Value {
    Value::Str(value.into())
}

/// The fields every span of `operation` on `table` has (one table: `db.collection.name`).
fn common(operation: &str, table: &str) -> Fields {
    let mut fields: Fields = [
        ("table", s(table)),
        ("operation", s(operation)),
        ("otel.name", s(&format!("DynamoDB.{operation}"))),
        ("otel.kind", s("client")),
        ("db.system.name", s("aws.dynamodb")),
        ("db.operation.name", s(operation)),
        ("rpc.system", s("aws-api")),
        ("rpc.service", s("DynamoDB")),
        ("rpc.method", s(operation)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let names: Vec<&str> = table.split(',').collect();
    fields.insert("aws.dynamodb.table_names".into(), s(&format!("{names:?}")));
    if names.len() == 1 {
        fields.insert("db.collection.name".into(), s(table));
    }
    fields
}

/// `common` with the capacity the call consumed, ours and the conventions'.
fn with_capacity(mut fields: Fields, units: f64, table: Option<&str>) -> Fields {
    fields.insert("consumed_capacity".into(), Value::Float(units));
    let item = match table {
        Some(table) => format!(r#"{{"CapacityUnits":{units},"TableName":"{table}"}}"#),
        None => format!(r#"{{"CapacityUnits":{units}}}"#),
    };
    fields.insert(
        "aws.dynamodb.consumed_capacity".into(),
        s(&format!("{:?}", [item])),
    );
    fields
}

fn with(mut fields: Fields, more: &[(&str, Value)]) -> Fields {
    for (k, v) in more {
        fields.insert((*k).to_owned(), v.clone());
    }
    fields
}

/// A task with a global index on its status: queried by index, with a limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "tasks",
    global_index(name = "byStatus", partition_key = "status")
)]
#[serde(rename_all = "camelCase")]
struct Task {
    #[partition_key]
    project_id: String,
    #[sort_key]
    task_id: String,
    status: String,
    notes: String,
}

fn counter(user: &str) -> ItemMap {
    [
        ("userId".to_owned(), AttributeValue::S(user.into())),
        ("noteId".to_owned(), AttributeValue::S("#count".into())),
        ("secret".to_owned(), AttributeValue::S(SECRET.into())),
    ]
    .into_iter()
    .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn spans_carry_opentelemetrys_dynamodb_attributes_by_their_names() {
    let spans = Spans::default();
    let _guard = subscriber::set_default(tracing_subscriber::registry().with(spans.clone()));

    let memory = MemoryBackend::new();
    let traced = Traced::new(memory.clone());
    let notes: Repo<Note, _> = Repo::new(memory.clone());
    notes.create_table_on_demand().await.unwrap();
    traced
        .create_table(CreateTable::new("counters", Note::KEY_SCHEMA))
        .await
        .unwrap();
    let tasks: Repo<Task, _> = Repo::new(memory.clone());
    tasks
        .create_table(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 2,
        })
        .await
        .unwrap();
    let note = Note::new("u1", SECRET);
    notes.put(&note).await.unwrap();
    for id in ["t1", "t2", "t3"] {
        let task = Task {
            project_id: "p1".into(),
            task_id: id.into(),
            status: "open".into(),
            notes: SECRET.into(),
        };
        tasks.put(&task).await.unwrap();
    }
    let admin = spans.take();
    // Table admin: the conventions' provisioned capacity, as doubles, on CreateTable.
    let create_tasks = admin
        .iter()
        .find(|f| f["operation"] == s("CreateTable") && f["table"] == s("tasks"))
        .expect("a CreateTable span");
    assert_eq!(
        create_tasks,
        &with(
            common("CreateTable", "tasks"),
            &[
                ("aws.dynamodb.provisioned_read_capacity", Value::Float(5.0)),
                ("aws.dynamodb.provisioned_write_capacity", Value::Float(2.0)),
            ]
        )
    );

    // GetItem: consistent, projected.
    let key = note.key();
    let get = GetItem::new("notes", notes_repo::PrimaryKey::to_key_map(&key))
        .consistent_read(true)
        .projection(vec![
            Path::attribute("content"),
            Path::attribute("createdAt"),
        ]);
    traced.get_item(get).await.unwrap();
    assert_eq!(
        spans.take(),
        [with(
            with_capacity(common("GetItem", "notes"), 1.0, Some("notes")),
            &[
                ("aws.dynamodb.consistent_read", Value::Bool(true)),
                ("aws.dynamodb.projection", s("content, createdAt")),
            ]
        )]
    );

    // A typed query of an index, with a limit: what `Repo` sends (a page of two asks for one
    // more, to know whether another page follows).
    let page = tasks
        .query_index(Task::BY_STATUS, "open")
        .limit(2)
        .page(None)
        .await
        .unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        spans.take(),
        [with(
            with_capacity(common("Query", "tasks"), 0.5, Some("tasks")),
            &[
                ("aws.dynamodb.index_name", s("byStatus")),
                ("aws.dynamodb.limit", Value::Int(3)),
                ("aws.dynamodb.consistent_read", Value::Bool(false)),
                ("aws.dynamodb.scan_forward", Value::Bool(true)),
            ]
        )]
    );

    // One segment of a parallel scan, with `Count` and `ScannedCount` (a filter keeps one of
    // the two items read).
    let scan = Scan::new("tasks")
        .segment(0, 1)
        .limit(2)
        .filter(Condition::Compare(
            Operand::Path(Path::attribute("taskId")),
            Comparator::Eq,
            Operand::Value(AttributeValue::S("t1".into())),
        ));
    let scanned = traced.scan(scan).await.unwrap();
    assert_eq!((scanned.items.len(), scanned.scanned_count), (1, 2));
    assert_eq!(
        spans.take(),
        [with(
            with_capacity(common("Scan", "tasks"), 0.5, Some("tasks")),
            &[
                ("aws.dynamodb.limit", Value::Int(2)),
                ("aws.dynamodb.consistent_read", Value::Bool(false)),
                ("aws.dynamodb.segment", Value::Int(0)),
                ("aws.dynamodb.total_segments", Value::Int(1)),
                ("aws.dynamodb.count", Value::Int(1)),
                ("aws.dynamodb.scanned_count", Value::Int(2)),
            ]
        )]
    );

    // A count: `Select` as DynamoDB names it, `Count` without items.
    let counted = traced
        .scan(Scan::new("tasks").select(Select::Count))
        .await
        .unwrap();
    assert_eq!((counted.count, counted.items.len()), (3, 0));
    assert_eq!(
        spans.take(),
        [with(
            with_capacity(common("Scan", "tasks"), 0.5, Some("tasks")),
            &[
                ("aws.dynamodb.consistent_read", Value::Bool(false)),
                ("aws.dynamodb.select", s("COUNT")),
                ("aws.dynamodb.count", Value::Int(3)),
                ("aws.dynamodb.scanned_count", Value::Int(3)),
            ]
        )]
    );

    // A batch across two tables: both names, no single collection, the batch's size, one
    // capacity item for the call (a backend reports its total).
    let mut writes = std::collections::HashMap::new();
    writes.insert(
        "notes".to_owned(),
        vec![
            WriteRequest::Put(Note::new("u2", SECRET).to_item().unwrap()),
            WriteRequest::Put(Note::new("u3", SECRET).to_item().unwrap()),
        ],
    );
    writes.insert(
        "counters".to_owned(),
        vec![WriteRequest::Put(counter("u2"))],
    );
    traced
        .batch_write_item(BatchWriteItem::new(writes))
        .await
        .unwrap();
    assert_eq!(
        spans.take(),
        [with(
            with_capacity(common("BatchWriteItem", "counters,notes"), 3.0, None),
            &[("db.operation.batch.size", Value::Int(3))]
        )]
    );

    // A transaction across two tables.
    let put = |table: &str, item: ItemMap| TransactWrite::Put {
        table_name: table.into(),
        item,
        condition: None,
    };
    let transaction = TransactWriteItems::new(vec![
        put("notes", Note::new("u4", SECRET).to_item().unwrap()),
        put("counters", counter("u4")),
    ]);
    traced.transact_write_items(transaction).await.unwrap();
    assert_eq!(
        spans.take(),
        [with(
            with_capacity(common("TransactWriteItems", "counters,notes"), 4.0, None),
            &[("db.operation.batch.size", Value::Int(2))]
        )]
    );

    // Failures: DynamoDB's exception name as `error.type`, our kind as `error`, the span's
    // status an error; no capacity.
    let missing = GetItem::new("missing", notes_repo::PrimaryKey::to_key_map(&key));
    let err = traced.get_item(missing).await.unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
    let failed = |operation: &str, table: &str, kind: &str, error_type: &str| {
        with(
            common(operation, table),
            &[
                ("error", s(kind)),
                ("error.type", s(error_type)),
                ("otel.status_code", s("error")),
            ],
        )
    };
    assert_eq!(
        spans.take(),
        [with(
            failed(
                "GetItem",
                "missing",
                "table_not_found",
                "ResourceNotFoundException"
            ),
            &[("aws.dynamodb.consistent_read", Value::Bool(false))]
        )]
    );
    let err = notes.create(&note).await.unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err:?}");
    assert_eq!(
        spans.take(),
        [failed(
            "PutItem",
            "notes",
            "condition_failed",
            "ConditionalCheckFailedException"
        )]
    );

    // Names and numbers only.
    let all = spans.all.lock().unwrap();
    assert!(all.len() > 10, "{all:?}");
    let text = format!("{all:?}");
    assert!(!text.contains(SECRET), "{text}");
}
