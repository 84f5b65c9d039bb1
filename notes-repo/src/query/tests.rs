use notes_model::{AttributeValue, ItemMap, Note};

use crate::cursor::{self, CursorKey};
use crate::{Error, MemoryBackend, Repo, Result};

async fn repo() -> Repo<Note, MemoryBackend> {
    let repo = Repo::new(MemoryBackend::new());
    repo.create_table_on_demand().await.unwrap();
    for i in 0..3 {
        repo.put(&Note::new("alice", format!("a{i}")))
            .await
            .unwrap();
        repo.put(&Note::new("bob", format!("b{i}"))).await.unwrap();
    }
    repo
}

fn start_key(user: &str, note: &str) -> ItemMap {
    ItemMap::from([
        ("userId".to_owned(), AttributeValue::S(user.into())),
        ("noteId".to_owned(), AttributeValue::S(note.into())),
    ])
}

fn assert_foreign<T: std::fmt::Debug>(result: Result<T>) {
    match result {
        Err(Error::InvalidCursor { reason }) => {
            assert_eq!(reason, "the cursor belongs to another query");
        }
        other => panic!("expected InvalidCursor, got {other:?}"),
    }
}

/// A cursor with a valid checksum for bob's query, minted as a client can (the format is
/// public), whose start key is in alice's partition: refused by the partition check.
#[tokio::test]
async fn a_minted_cursor_for_another_partition_is_refused() {
    let repo = repo().await;
    let query = repo.query("bob").limit(2);
    let fingerprint = query.fingerprint();
    for minted in [
        start_key("alice", "a"),
        // Extra attributes, or a key of the wrong shape, are not a start key either.
        {
            let mut key = start_key("bob", "b");
            key.insert("content".into(), AttributeValue::S("x".into()));
            key
        },
        ItemMap::from([("userId".to_owned(), AttributeValue::S("bob".into()))]),
    ] {
        let cursor = cursor::encode(&minted, fingerprint, None).unwrap();
        // The checksum is valid: this is what a client can make.
        assert_eq!(cursor::decode(&cursor, fingerprint, None).unwrap(), minted);
        assert_foreign(query.page(Some(&cursor)).await);
    }
    // A minted cursor inside bob's own partition is accepted: it only picks where the
    // page starts.
    let own = cursor::encode(&start_key("bob", "0"), fingerprint, None).unwrap();
    let page = query.page(Some(&own)).await.unwrap();
    assert!(page.items.iter().all(|note| note.user_id == "bob"));
}

/// With a key, a client cannot mint a cursor at all; a cursor signed with the key for
/// another partition is still refused by the partition check.
#[tokio::test]
async fn signed_queries_refuse_minted_cursors() {
    let repo = repo().await;
    let key = CursorKey::new([7; 32]).unwrap();
    let query = repo.query("bob").limit(2).cursor_key(&key);
    let fingerprint = query.fingerprint();
    let unsigned = cursor::encode(&start_key("bob", "0"), fingerprint, None).unwrap();
    match query.page(Some(&unsigned)).await {
        Err(Error::InvalidCursor { reason }) => {
            assert!(reason.contains("not signed with this key"), "{reason}");
        }
        other => panic!("expected InvalidCursor, got {other:?}"),
    }
    let signed = cursor::encode(&start_key("alice", "a"), fingerprint, Some(&key)).unwrap();
    assert_foreign(query.page(Some(&signed)).await);
    // The query's own cursors go round.
    let first = query.page(None).await.unwrap();
    let second = query.page(first.cursor.as_deref()).await.unwrap();
    assert_eq!((first.items.len(), second.items.len()), (2, 1));
}

/// Sales by (tenant, region), sorted by (year, month).
#[derive(Debug, serde::Serialize, serde::Deserialize, crate::Item)]
#[item(
    table = "sales",
    global_index(name = "byRegion", partition_key = ["tenant", "region"], sort_key = ["year", "month"])
)]
struct Sale {
    #[partition_key]
    id: String,
    tenant: String,
    region: String,
    year: u16,
    month: u8,
}

fn sale_start_key(id: &str, region: &str, year: u16, month: u8) -> ItemMap {
    ItemMap::from([
        ("id".to_owned(), AttributeValue::S(id.into())),
        ("tenant".to_owned(), AttributeValue::S("t1".into())),
        ("region".to_owned(), AttributeValue::S(region.into())),
        ("year".to_owned(), AttributeValue::N(year.to_string())),
        ("month".to_owned(), AttributeValue::N(month.to_string())),
    ])
}

/// A multi-attribute index query lowers into one key condition: the first partition value,
/// then the others, the sort equalities before the last condition.
#[tokio::test]
async fn a_multi_attribute_index_query_sends_every_key_term() {
    use notes_model::expr::{KeyCondition, SortKeyCondition};

    let repo: Repo<Sale, MemoryBackend> = Repo::new(MemoryBackend::new());
    let query = repo
        .query_index(Sale::BY_REGION, ("t1", "eu"))
        .sort_key(|key| key.year(2026).month_ge(3));
    let n = |v: &str| AttributeValue::N(v.into());
    assert_eq!(
        query.key_condition(),
        KeyCondition::partition("tenant", AttributeValue::S("t1".into()))
            .and_partition_key("region", AttributeValue::S("eu".into()))
            .and_leading_sort_key("year", n("2026"))
            .with_sort_key(
                "month",
                SortKeyCondition::Compare(notes_model::expr::Comparator::Ge, n("3"))
            )
    );
}

/// A minted cursor (valid checksum) for a multi-attribute index query is refused unless its
/// start key has every index key attribute, the query's partition values and its sort
/// equalities.
#[tokio::test]
async fn a_minted_multi_attribute_index_cursor_is_checked_on_every_key_attribute() {
    let repo: Repo<Sale, MemoryBackend> = Repo::new(MemoryBackend::new());
    repo.create_table_on_demand().await.unwrap();
    for (id, month) in [("s1", 1), ("s2", 2), ("s3", 3)] {
        let sale = Sale {
            id: id.into(),
            tenant: "t1".into(),
            region: "eu".into(),
            year: 2026,
            month,
        };
        repo.put(&sale).await.unwrap();
    }
    let query = repo
        .query_index(Sale::BY_REGION, ("t1", "eu"))
        .sort_key(|key| key.year(2026))
        .limit(1);
    let fingerprint = query.fingerprint();
    for minted in [
        // Another partition: the second partition attribute differs.
        sale_start_key("s1", "us", 2026, 1),
        // Another year than the query's equality.
        sale_start_key("s1", "eu", 2025, 1),
        // A sort attribute missing.
        {
            let mut key = sale_start_key("s1", "eu", 2026, 1);
            key.remove("month");
            key
        },
    ] {
        let cursor = cursor::encode(&minted, fingerprint, None).unwrap();
        assert_foreign(query.page(Some(&cursor)).await);
    }
    let own = cursor::encode(&sale_start_key("s1", "eu", 2026, 1), fingerprint, None).unwrap();
    let page = query.page(Some(&own)).await.unwrap();
    assert_eq!(
        page.items
            .iter()
            .map(|sale| &sale.id[..])
            .collect::<Vec<_>>(),
        ["s2"]
    );
}
