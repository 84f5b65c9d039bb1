//! Secondary indexes, global and local, queried and scanned with typed keys.

use notes_repo::{Backend, Error, Item};
use notes_tests::repo;
use serde::{Deserialize, Serialize};

// `secondary_indexes_are_queried_with_typed_keys` is not run lagging: it reads global indexes
// right after writing, and a global index is only ever eventually consistent (on DynamoDB too).
notes_tests::on_every_backend!(
    lagging: index_keys_over_the_size_limits_are_refused_before_sending;
    not_lagging: secondary_indexes_are_queried_with_typed_keys,
);

/// A task with a sparse global index, a global index on status and a local index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    global_index(name = "byAssignee", partition_key = "assignee", sort_key = "due_at"),
    global_index(name = "byStatus", partition_key = "status"),
    local_index(name = "byDueAt", sort_key = "due_at")
)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Task {
    /// The project.
    #[partition_key]
    pub(crate) project_id: String,
    /// The task.
    #[sort_key]
    pub(crate) task_id: String,
    /// Who does it, if anyone (absent: not in `byAssignee`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) assignee: Option<String>,
    /// `open` or `done`.
    pub(crate) status: String,
    /// Due date, epoch seconds.
    pub(crate) due_at: i64,
}

pub(crate) fn task(
    project: &str,
    id: &str,
    assignee: Option<&str>,
    status: &str,
    due_at: i64,
) -> Task {
    Task {
        project_id: project.into(),
        task_id: id.into(),
        assignee: assignee.map(Into::into),
        status: status.into(),
        due_at,
    }
}

/// Global and local indexes are queried with typed keys, sparse where keys are absent.
async fn secondary_indexes_are_queried_with_typed_keys<B: Backend>(backend: B, table: &str) {
    let tasks = repo::<Task, B>(backend, table).await;
    let description = tasks.describe_table().await.unwrap();
    assert_eq!(description.indexes.len(), 3, "{description:?}");
    for t in [
        task("p1", "t1", Some("ann"), "open", 30),
        task("p1", "t2", Some("bob"), "done", 10),
        task("p1", "t3", None, "open", 20),
        task("p2", "t1", Some("ann"), "open", 5),
        task("p2", "t2", Some("ann"), "done", 50),
    ] {
        tasks.put(&t).await.unwrap();
    }
    let ids = |ts: Vec<Task>| {
        ts.into_iter()
            .map(|t| format!("{}/{}", t.project_id, t.task_id))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        ids(tasks
            .query_index(Task::BY_ASSIGNEE, "ann")
            .all()
            .await
            .unwrap()),
        ["p2/t1", "p1/t1", "p2/t2"]
    );
    assert_eq!(
        ids(tasks
            .query_index(Task::BY_ASSIGNEE, "ann")
            .sort_key_gt(10)
            .descending()
            .all()
            .await
            .unwrap()),
        ["p2/t2", "p1/t1"]
    );
    // Sparse: the unassigned task is not in the assignee index at all.
    assert_eq!(
        tasks
            .scan()
            .index(Task::BY_ASSIGNEE)
            .all()
            .await
            .unwrap()
            .len(),
        4
    );
    let mut open = ids(tasks
        .query_index(Task::BY_STATUS, "open")
        .all()
        .await
        .unwrap());
    open.sort();
    assert_eq!(open, ["p1/t1", "p1/t3", "p2/t1"]);
    assert_eq!(
        ids(tasks
            .query_index(Task::BY_DUE_AT, "p1")
            .sort_key_between(10, 25)
            .all()
            .await
            .unwrap()),
        ["p1/t2", "p1/t3"]
    );
    // Index pages resume from their cursors, and a table cursor is not an index cursor.
    let first = tasks
        .query_index(Task::BY_ASSIGNEE, "ann")
        .limit(2)
        .page(None)
        .await
        .unwrap();
    assert_eq!(ids(first.items), ["p2/t1", "p1/t1"]);
    let cursor = first.cursor.expect("a second page");
    let second = tasks
        .query_index(Task::BY_ASSIGNEE, "ann")
        .limit(2)
        .page(Some(&cursor))
        .await
        .unwrap();
    assert_eq!(ids(second.items), ["p2/t2"]);
    assert_eq!(second.cursor, None);
    let err = tasks
        .query("p1")
        .limit(2)
        .page(Some(&cursor))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCursor { .. }), "{err:?}");
}

/// A typed write whose index key value is over DynamoDB's key size limits (2048 bytes for a
/// partition key) is refused before anything is sent, on every backend, and nothing is written.
async fn index_keys_over_the_size_limits_are_refused_before_sending<B: Backend>(
    backend: B,
    table: &str,
) {
    let tasks = repo::<Task, B>(backend, table).await;
    let long = "a".repeat(2049);
    let oversized = task("p1", "t1", Some(&long), "open", 1);
    for err in [
        tasks.put(&oversized).await.unwrap_err(),
        tasks.create(&oversized).await.unwrap_err(),
        tasks.batch_put([&oversized]).await.unwrap_err(),
    ] {
        let Error::Validation { message, source } = err else {
            panic!("expected Validation, got {err:?}");
        };
        assert!(source.is_none(), "refused by the SDK, not the service");
        assert!(
            message.contains("byAssignee") && message.contains("2048"),
            "{message}"
        );
    }
    assert_eq!(
        tasks.get(&oversized.key()).consistent().await.unwrap(),
        None
    );
    let at_the_limit = task("p1", "t1", Some(&long[..2048]), "open", 1);
    tasks.put(&at_the_limit).await.unwrap();
}
