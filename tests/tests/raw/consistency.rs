//! Eventually consistent reads from MemoryBackend's lagging replica
//! (`MemoryBackend::builder().replica_lag(..)`), on a `ManualClock`. MemoryBackend only: the
//! test server is always strongly consistent, so a stale read cannot be provoked there (and a
//! real DynamoDB's lag is neither fixed nor controllable).

use std::borrow::Cow;
use std::time::SystemTime;

use notes_repo::{IndexKind, IndexProjection, IndexSchema, ManualClock};

use super::*;

const LAG: Duration = Duration::from_secs(1);

/// A backend whose eventually consistent reads lag [`LAG`] behind `clock`.
fn lagging(clock: &ManualClock) -> MemoryBackend {
    MemoryBackend::builder()
        .clock(clock.clone())
        .replica_lag(LAG)
        .build()
}

fn clock() -> ManualClock {
    ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000))
}

/// The item an eventually consistent `GetItem` returns.
async fn eventual(backend: &MemoryBackend, table: &str, key: ItemMap) -> Option<ItemMap> {
    backend
        .get_item(GetItem::new(table, key))
        .await
        .expect("get")
        .item
        .map(notes_repo::SharedItem::into_owned)
}

#[tokio::test]
async fn an_eventually_consistent_get_right_after_a_put_sees_the_old_state() {
    let clock = clock();
    let backend = lagging(&clock);
    notes_table(&backend, "notes").await;
    store(&backend, "notes", note_with("u1", "n1", "v1")).await;

    // Within the lag the replica has not seen the put; a strongly consistent read has.
    assert_eq!(
        eventual(&backend, "notes", note_key("u1", "n1")).await,
        None
    );
    assert_eq!(
        fetch(&backend, "notes", note_key("u1", "n1")).await,
        Some(note_with("u1", "n1", "v1"))
    );
    clock.advance(LAG - Duration::from_millis(1));
    assert_eq!(
        eventual(&backend, "notes", note_key("u1", "n1")).await,
        None
    );
    // A write exactly `lag` old is visible.
    clock.advance(Duration::from_millis(1));
    assert_eq!(
        eventual(&backend, "notes", note_key("u1", "n1")).await,
        Some(note_with("u1", "n1", "v1"))
    );
}

#[tokio::test]
async fn updates_and_deletes_are_seen_late_by_eventually_consistent_gets() {
    let clock = clock();
    let backend = lagging(&clock);
    notes_table(&backend, "notes").await;
    store(&backend, "notes", note_with("u1", "n1", "v1")).await;
    clock.advance(LAG);

    let set_v2 = UpdateAction::Set(path("content"), SetValue::Value(Operand::Value(s("v2"))));
    backend
        .update_item(update(
            "notes",
            note_key("u1", "n1"),
            vec![set_v2],
            ReturnValues::None,
        ))
        .await
        .expect("update");
    assert_eq!(
        eventual(&backend, "notes", note_key("u1", "n1")).await,
        Some(note_with("u1", "n1", "v1"))
    );
    clock.advance(LAG / 2);
    backend
        .delete_item(DeleteItem::new("notes", note_key("u1", "n1")))
        .await
        .expect("delete");
    // Half a lag after the update: the replica still has v1.
    assert_eq!(
        eventual(&backend, "notes", note_key("u1", "n1")).await,
        Some(note_with("u1", "n1", "v1"))
    );
    assert_eq!(fetch(&backend, "notes", note_key("u1", "n1")).await, None);
    clock.advance(LAG / 2);
    // A lag after the update, half a lag after the delete: v2.
    assert_eq!(
        eventual(&backend, "notes", note_key("u1", "n1")).await,
        Some(note_with("u1", "n1", "v2"))
    );
    clock.advance(LAG / 2);
    assert_eq!(
        eventual(&backend, "notes", note_key("u1", "n1")).await,
        None
    );
}

#[tokio::test]
async fn eventually_consistent_queries_and_scans_see_the_old_page() {
    let clock = clock();
    let backend = lagging(&clock);
    notes_table(&backend, "notes").await;
    store(&backend, "notes", note("u1", "n1")).await;
    clock.advance(LAG);
    store(&backend, "notes", note("u1", "n2")).await;
    backend
        .delete_item(DeleteItem::new("notes", note_key("u1", "n1")))
        .await
        .expect("delete");

    let page = backend.query(query("notes", "u1")).await.expect("query");
    assert_eq!(ids(&page), [s("n1")]);
    let page = backend.scan(scan("notes")).await.expect("scan");
    assert_eq!(ids(&page), [s("n1")]);

    let page = backend
        .query(consistent_query("notes", "u1"))
        .await
        .unwrap();
    assert_eq!(ids(&page), [s("n2")]);
    let page = backend
        .scan(scan("notes").consistent_read(true))
        .await
        .expect("scan");
    assert_eq!(ids(&page), [s("n2")]);

    clock.advance(LAG);
    let page = backend.query(query("notes", "u1")).await.expect("query");
    assert_eq!(ids(&page), [s("n2")]);
}

#[tokio::test]
async fn global_index_reads_are_always_eventually_consistent() {
    let clock = clock();
    let backend = lagging(&clock);
    let by_tag = IndexSchema {
        name: Cow::Borrowed("byTag"),
        kind: IndexKind::Global,
        key_schema: KeySchema {
            partition_key: KeyAttribute::new("tag", ScalarType::S),
            sort_key: None,
        },
        projection: IndexProjection::All,
        additional_keys: Default::default(),
    };
    backend
        .create_table(CreateTable::new("notes", schema()).indexes(vec![by_tag]))
        .await
        .expect("create table");
    let mut tagged = note("u1", "n1");
    tagged.insert("tag".to_owned(), s("red"));
    store(&backend, "notes", tagged.clone()).await;

    let by_red = || {
        let mut request = query("notes", "unused").index_name("byTag");
        request.key_condition = KeyCondition::partition("tag", s("red"));
        request
    };
    assert!(
        backend
            .query(by_red())
            .await
            .expect("query")
            .items
            .is_empty()
    );
    assert!(
        backend
            .scan(scan("notes").index_name("byTag"))
            .await
            .expect("scan")
            .items
            .is_empty()
    );
    clock.advance(LAG);
    assert_eq!(
        backend.query(by_red()).await.expect("query").items,
        [tagged]
    );
}

#[tokio::test]
async fn batch_gets_lag_per_table_and_transactions_never_do() {
    let clock = clock();
    let backend = lagging(&clock);
    notes_table(&backend, "eventual").await;
    notes_table(&backend, "strong").await;
    store(&backend, "eventual", note("u1", "n1")).await;
    store(&backend, "strong", note("u1", "n1")).await;

    let batch = BatchGetItem::new(HashMap::from([
        (
            "eventual".to_owned(),
            KeysAndAttributes::new(vec![note_key("u1", "n1")]),
        ),
        (
            "strong".to_owned(),
            KeysAndAttributes::new(vec![note_key("u1", "n1")]).consistent_read(true),
        ),
    ]));
    let output = backend.batch_get_item(batch).await.expect("batch get");
    assert_eq!(output.responses["eventual"], Vec::<ItemMap>::new());
    assert_eq!(output.responses["strong"], [note("u1", "n1")]);

    let transaction =
        TransactGetItems::new(vec![TransactGet::new("eventual", note_key("u1", "n1"))]);
    let output = backend.transact_get_items(transaction).await.expect("get");
    assert_eq!(output.items, [Some(note("u1", "n1").into())]);
}

#[tokio::test]
async fn without_a_replica_lag_every_read_sees_the_last_write() {
    // The default: strongly consistent, even for `consistent_read: false`.
    let backend = MemoryBackend::builder().clock(clock()).build();
    notes_table(&backend, "notes").await;
    store(&backend, "notes", note("u1", "n1")).await;
    assert_eq!(
        eventual(&backend, "notes", note_key("u1", "n1")).await,
        Some(note("u1", "n1"))
    );
    let zero = MemoryBackend::builder()
        .clock(clock())
        .replica_lag(Duration::ZERO)
        .build();
    notes_table(&zero, "notes").await;
    store(&zero, "notes", note("u1", "n1")).await;
    assert_eq!(
        eventual(&zero, "notes", note_key("u1", "n1")).await,
        Some(note("u1", "n1"))
    );
}
