//! The time-to-live sweep (`expire_items`), MemoryBackend's own: DynamoDB deletes expired
//! items in the background, on no schedule a test could check. The setting itself is tested
//! on both backends in the workspace's raw suite (`tests/tests/raw/ttl.rs`).

use super::*;

const NOW: i64 = 1_800_000_000;
const FIVE_YEARS: i64 = 157_788_000;

fn expiring(id: &str, expires: AttributeValue) -> ItemMap {
    let mut it = note("u", id);
    it.insert("expiresAt".into(), expires);
    it
}

async fn sweepable() -> MemoryBackend {
    let backend = notes().await;
    backend
        .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true))
        .await
        .unwrap();
    let rows = [
        ("past", n(&(NOW - 60).to_string())),
        ("fractional", n(&format!("{}.5", NOW - 1))),
        ("now", n(&NOW.to_string())),
        ("future", n(&(NOW + 60).to_string())),
        ("ancient", n(&(NOW - FIVE_YEARS - 1).to_string())),
        ("five-years", n(&(NOW - FIVE_YEARS).to_string())),
        ("string", s(&(NOW - 60).to_string())),
        ("set", AttributeValue::Ns(vec![(NOW - 60).to_string()])),
    ];
    for (id, expires) in rows {
        backend
            .put_item(put("notes", expiring(id, expires)))
            .await
            .unwrap();
    }
    backend
        .put_item(put("notes", note("u", "none")))
        .await
        .unwrap();
    backend
}

#[tokio::test]
async fn reads_return_expired_items_until_the_sweep() {
    let backend = sweepable().await;
    let page = backend.query(query("u")).await.unwrap();
    assert_eq!(page.items.len(), 9, "nothing is hidden before the sweep");
    assert_eq!(backend.expire_items_at(NOW), 3);
    let mut left = ids(&backend.query(query("u")).await.unwrap());
    left.sort_by_key(|v| format!("{v:?}"));
    let mut expected = ["now", "future", "ancient", "string", "set", "none"].map(s);
    expected.sort_by_key(|v| format!("{v:?}"));
    assert_eq!(left, expected);
    assert_eq!(
        backend.expire_items_at(NOW),
        0,
        "a second sweep finds nothing"
    );
}

#[tokio::test]
async fn only_tables_with_time_to_live_enabled_are_swept() {
    let backend = sweepable().await;
    backend
        .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", false))
        .await
        .unwrap();
    assert_eq!(backend.expire_items_at(NOW), 0);
    assert_eq!(backend.expire_items(), 0, "no table has TTL on");
}

#[tokio::test]
async fn the_sweep_maintains_indexes() {
    use std::borrow::Cow;

    use notes_model::{IndexKind, IndexProjection, IndexSchema};

    let backend = MemoryBackend::new();
    backend
        .create_table(
            CreateTable::new(
                "notes",
                KeySchema {
                    partition_key: KeyAttribute::new("userId", ScalarType::S),
                    sort_key: Some(KeyAttribute::new("noteId", ScalarType::S)),
                },
            )
            .indexes(vec![IndexSchema {
                name: Cow::Borrowed("byExpiry"),
                kind: IndexKind::Global,
                key_schema: KeySchema {
                    partition_key: KeyAttribute::new("content", ScalarType::S),
                    sort_key: Some(KeyAttribute::new("expiresAt", ScalarType::N)),
                },
                projection: IndexProjection::KeysOnly,
            }]),
        )
        .await
        .unwrap();
    backend
        .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true))
        .await
        .unwrap();
    for (id, at) in [("old", NOW - 1), ("new", NOW + 1)] {
        backend
            .put_item(put("notes", expiring(id, n(&at.to_string()))))
            .await
            .unwrap();
    }
    assert_eq!(backend.expire_items_at(NOW), 1);
    let page = backend
        .query(
            Query::new("notes", KeyCondition::partition("content", s("hello")))
                .index_name("byExpiry"),
        )
        .await
        .unwrap();
    assert_eq!(ids(&page), [s("new")]);
}
