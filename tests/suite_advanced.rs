//! Behaviour suite, part two: optimistic locking, transactions, scans and secondary indexes.

use std::sync::Arc;

use notes_model::{Item, Note};
use notes_repo::{Backend, Error, ReadTransaction, WriteTransaction};
use serde::{Deserialize, Serialize};

use crate::suite::{Counter, CounterKey, repo};

/// A document with a `#[version]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
pub struct Doc {
    /// The document id.
    #[partition_key]
    pub id: String,
    /// Its text.
    pub body: String,
    /// A counter bumped by read-modify-write loops.
    pub edits: u64,
    /// The optimistic-locking version.
    #[version]
    pub version: u64,
}

/// A task with a sparse global index, a global index on status and a local index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    global_index(name = "byAssignee", partition_key = "assignee", sort_key = "due_at"),
    global_index(name = "byStatus", partition_key = "status"),
    local_index(name = "byDueAt", sort_key = "due_at")
)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// The project.
    #[partition_key]
    pub project_id: String,
    /// The task.
    #[sort_key]
    pub task_id: String,
    /// Who does it, if anyone (absent: not in `byAssignee`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    /// `open` or `done`.
    pub status: String,
    /// Due date, epoch seconds.
    pub due_at: i64,
}

fn doc(id: &str, body: &str) -> Doc {
    Doc {
        id: id.into(),
        body: body.into(),
        edits: 0,
        version: 0,
    }
}

/// Versions are checked and bumped by put, save, update and delete.
pub async fn versions_are_checked_and_bumped<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Doc, B>(backend, table).await;
    let mut d = doc("d1", "v1");
    repo.save(&mut d).await.unwrap();
    assert_eq!(d.version, 1);
    // A second "first write" conflicts: the item exists.
    let err = repo.put(&doc("d1", "again")).await.unwrap_err();
    assert!(
        matches!(err, Error::VersionConflict { expected: None, .. }),
        "{err:?}"
    );
    d.body = "v2".into();
    repo.save(&mut d).await.unwrap();
    assert_eq!(
        repo.get_consistent(&d.key())
            .await
            .unwrap()
            .unwrap()
            .version,
        2
    );
    // A stale copy conflicts and changes nothing.
    let mut stale = d.clone();
    stale.version = 1;
    stale.body = "stale".into();
    let err = repo.save(&mut stale).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::VersionConflict {
                expected: Some(1),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        repo.get_consistent(&d.key()).await.unwrap().unwrap().body,
        "v2"
    );
    // Updates must name the version.
    let err = repo
        .update(&d.key())
        .set(Doc::BODY.set("x"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    let err = repo
        .update(&d.key())
        .set(Doc::BODY.set("x"))
        .expect_version(1)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
    let updated = repo
        .update(&d.key())
        .set(Doc::BODY.set("v3"))
        .expect_version(2)
        .send()
        .await
        .unwrap();
    assert_eq!((updated.body.as_str(), updated.version), ("v3", 3));
    // Deletes must name the version too.
    let err = repo.delete(&d.key()).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    let err = repo.delete_version(&d.key(), 0).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    let err = repo.delete_version(&d.key(), 2).await.unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
    assert_eq!(
        repo.delete_version(&d.key(), 3).await.unwrap(),
        Some(updated)
    );
    assert_eq!(repo.get_consistent(&d.key()).await.unwrap(), None);
}

/// Many concurrent read-modify-write loops on one versioned item lose no update.
pub async fn concurrent_versioned_updates_lose_nothing<B: Backend>(backend: B, table: &str) {
    let repo = Arc::new(repo::<Doc, B>(backend, table).await);
    let mut d = doc("hot", "counter");
    repo.save(&mut d).await.unwrap();
    let (tasks, increments) = (8, 10);
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let repo = repo.clone();
        handles.push(tokio::spawn(async move {
            let mut conflicts = 0u32;
            for _ in 0..increments {
                loop {
                    let mut current = repo
                        .get_consistent(&DocKey::new("hot"))
                        .await
                        .unwrap()
                        .unwrap();
                    current.edits += 1;
                    match repo.save(&mut current).await {
                        Ok(()) => break,
                        Err(Error::VersionConflict { .. }) => conflicts += 1,
                        Err(err) => panic!("{err:?}"),
                    }
                }
            }
            conflicts
        }));
    }
    for handle in handles {
        handle.await.unwrap();
    }
    let last = repo
        .get_consistent(&DocKey::new("hot"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.edits, tasks * increments);
    assert_eq!(last.version, 1 + tasks * increments);
}

/// A write transaction across item types applies all or nothing, and says which action failed.
pub async fn transactions_are_all_or_nothing<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend.clone(), table).await;
    let counters = repo::<Counter, B>(backend.clone(), &format!("{table}-c")).await;
    let n = Note::new("u1", "first");
    WriteTransaction::new(&backend)
        .create(&notes, &n)
        .update(
            counters
                .update(&CounterKey::new("notes"))
                .set(Counter::COUNT.add(1)),
        )
        .commit()
        .await
        .unwrap();
    assert_eq!(
        counters
            .get_consistent(&CounterKey::new("notes"))
            .await
            .unwrap()
            .unwrap()
            .count,
        1
    );

    let second = Note::new("u1", "second");
    let err = WriteTransaction::new(&backend)
        .update(
            counters
                .update(&CounterKey::new("notes"))
                .set(Counter::COUNT.add(1)),
        )
        .create(&notes, &second)
        .create(&notes, &n) // exists: fails
        .commit()
        .await
        .unwrap_err();
    let Error::TransactionCanceled { reasons, .. } = &err else {
        panic!("{err:?}");
    };
    let failed: Vec<_> = reasons.iter().filter(|r| r.code != "None").collect();
    assert_eq!(failed.len(), 1, "{reasons:?}");
    assert_eq!(
        (failed[0].index, failed[0].code.as_str()),
        (2, "ConditionalCheckFailed")
    );
    assert_eq!(notes.get_consistent(&second.key()).await.unwrap(), None);
    assert_eq!(
        counters
            .get_consistent(&CounterKey::new("notes"))
            .await
            .unwrap()
            .unwrap()
            .count,
        1
    );

    let mut reads = ReadTransaction::new(&backend);
    let a = reads.get(&notes, &n.key());
    let b = reads.get(&counters, &CounterKey::new("notes"));
    let c = reads.get(&notes, &second.key());
    let results = reads.send().await.unwrap();
    assert_eq!(results.get(a).unwrap(), Some(n));
    assert_eq!(results.get(b).unwrap().unwrap().count, 1);
    assert_eq!(results.get(c).unwrap(), None);
}

/// 100 actions is the most a transaction holds; 101 is refused before sending.
pub async fn transactions_hold_at_most_100_actions<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend.clone(), table).await;
    let batch: Vec<Note> = (0..101).map(|i| Note::new("u1", format!("n{i}"))).collect();
    let err = batch
        .iter()
        .fold(WriteTransaction::new(&backend), |tx, n| tx.put(&notes, n))
        .commit()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(notes.query("u1").all().await.unwrap().is_empty());
    batch[..100]
        .iter()
        .fold(WriteTransaction::new(&backend), |tx, n| tx.put(&notes, n))
        .commit()
        .await
        .unwrap();
    assert_eq!(notes.query("u1").all().await.unwrap().len(), 100);
}

/// Versioned items in transactions are checked like single writes.
pub async fn transactions_check_versions<B: Backend>(backend: B, table: &str) {
    let docs = repo::<Doc, B>(backend.clone(), table).await;
    let mut d = doc("d1", "v1");
    docs.save(&mut d).await.unwrap();
    let err = WriteTransaction::new(&backend)
        .update(
            docs.update(&d.key())
                .set(Doc::BODY.set("x"))
                .expect_version(7),
        )
        .commit()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TransactionCanceled { .. }), "{err:?}");
    WriteTransaction::new(&backend)
        .update(
            docs.update(&d.key())
                .set(Doc::BODY.set("v2"))
                .expect_version(1),
        )
        .commit()
        .await
        .unwrap();
    let stored = docs.get_consistent(&d.key()).await.unwrap().unwrap();
    assert_eq!((stored.body.as_str(), stored.version), ("v2", 2));
    let err = WriteTransaction::new(&backend)
        .delete(&docs, &d.key())
        .commit()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    WriteTransaction::new(&backend)
        .delete_version(&docs, &d.key(), 2)
        .commit()
        .await
        .unwrap();
    assert_eq!(docs.get_consistent(&d.key()).await.unwrap(), None);
}

/// A scan reads every item, with a filter, in one or several segments.
pub async fn scan_reads_everything_in_segments<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend, table).await;
    for i in 0..40 {
        let n = Note::new(format!("user{}", i % 7), format!("n{i}"));
        let n = if i % 4 == 0 {
            n.with_attachment("f")
        } else {
            n
        };
        notes.put(&n).await.unwrap();
    }
    assert_eq!(notes.scan().all().await.unwrap().len(), 40);
    let mut ids: Vec<String> = notes
        .scan()
        .segments(4)
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.note_id)
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40);
    let with_files = notes
        .scan()
        .filter(Note::ATTACHMENT.exists())
        .segments(3)
        .all()
        .await
        .unwrap();
    assert_eq!(with_files.len(), 10);
    let err = notes.scan().segments(0).all().await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
}

fn task(project: &str, id: &str, assignee: Option<&str>, status: &str, due_at: i64) -> Task {
    Task {
        project_id: project.into(),
        task_id: id.into(),
        assignee: assignee.map(Into::into),
        status: status.into(),
        due_at,
    }
}

/// Global and local indexes are queried with typed keys, sparse where keys are absent.
pub async fn secondary_indexes_are_queried_with_typed_keys<B: Backend>(backend: B, table: &str) {
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
