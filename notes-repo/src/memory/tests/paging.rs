//! Query and Scan: order, key conditions, Limit, 1 MB pages, segments.

use super::*;

async fn numeric_sort_table() -> MemoryBackend {
    let backend = backend_with("notes", Some(ScalarType::N)).await;
    for sk in ["10", "9", "-1", "0", "1.5", "100"] {
        let row = item(&[("userId", s("u")), ("noteId", n(sk))]);
        backend.put_item(put("notes", row)).await.unwrap();
    }
    backend
}

#[tokio::test]
async fn number_sort_keys_order_numerically_both_ways() {
    let backend = numeric_sort_table().await;
    let page = backend.query(query("u")).await.unwrap();
    assert_eq!(ids(&page), ["-1", "0", "1.5", "9", "10", "100"].map(n));
    let page = backend
        .query(Query {
            scan_index_forward: false,
            ..query("u")
        })
        .await
        .unwrap();
    assert_eq!(ids(&page), ["100", "10", "9", "1.5", "0", "-1"].map(n));
    let between = query("u")
        .key_condition
        .with_sort_key("noteId", SortKeyCondition::Between(n("0"), n("10")));
    let page = backend
        .query(Query {
            key_condition: between,
            ..query("u")
        })
        .await
        .unwrap();
    assert_eq!(ids(&page), ["0", "1.5", "9", "10"].map(n));
}

#[tokio::test]
async fn string_sort_keys_order_by_bytes_and_support_prefixes() {
    let backend = notes().await;
    for id in ["a", "Z", "ab", "b", "aa", "é"] {
        backend.put_item(put("notes", note("u", id))).await.unwrap();
    }
    backend
        .put_item(put("notes", note("other", "a")))
        .await
        .unwrap();
    assert_eq!(
        ids(&backend.query(query("u")).await.unwrap()),
        ["Z", "a", "aa", "ab", "b", "é"].map(s)
    );
    let prefix = query("u")
        .key_condition
        .with_sort_key("noteId", SortKeyCondition::BeginsWith(s("a")));
    let page = backend
        .query(Query {
            key_condition: prefix,
            scan_index_forward: false,
            ..query("u")
        })
        .await
        .unwrap();
    assert_eq!(ids(&page), ["ab", "aa", "a"].map(s));
    let gt = query("u")
        .key_condition
        .with_sort_key("noteId", SortKeyCondition::Compare(Comparator::Gt, s("ab")));
    assert_eq!(
        ids(&backend
            .query(Query {
                key_condition: gt,
                ..query("u")
            })
            .await
            .unwrap()),
        ["b", "é"].map(s)
    );
}

#[tokio::test]
async fn limit_counts_items_evaluated_and_returns_a_key_even_at_the_end() {
    let backend = numeric_sort_table().await;
    let odd = Condition::Compare(
        Operand::Path(Path::attribute("noteId")),
        Comparator::Ge,
        Operand::Value(n("10")),
    );
    // A filter on a key attribute is rejected in Query...
    let err = backend
        .query(Query {
            filter: Some(odd),
            ..query("u")
        })
        .await
        .unwrap_err();
    assert!(
        validation_message(err)
            .contains("Filter Expression can only contain non-primary key attributes")
    );
    // ...so page through all six with Limit 3: two full pages, then an empty one.
    let first = backend
        .query(Query {
            limit: Some(3),
            ..query("u")
        })
        .await
        .unwrap();
    assert_eq!((first.items.len(), first.scanned_count), (3, 3));
    let key = first.last_evaluated_key.clone().unwrap();
    assert_eq!(key, item(&[("userId", s("u")), ("noteId", n("1.5"))]));
    let second = backend
        .query(Query {
            limit: Some(3),
            exclusive_start_key: Some(key),
            ..query("u")
        })
        .await
        .unwrap();
    assert_eq!(ids(&second), ["9", "10", "100"].map(n));
    let third = backend
        .query(Query {
            limit: Some(3),
            exclusive_start_key: second.last_evaluated_key,
            ..query("u")
        })
        .await
        .unwrap();
    assert!(third.items.is_empty());
    assert_eq!(third.last_evaluated_key, None);
}

#[tokio::test]
async fn filters_apply_after_the_limit() {
    let backend = notes().await;
    for i in 0..10 {
        let mut row = note("u", &format!("n{i}"));
        row.insert("even".into(), AttributeValue::Bool(i % 2 == 0));
        backend.put_item(put("notes", row)).await.unwrap();
    }
    let even = Condition::Compare(
        Operand::Path(Path::attribute("even")),
        Comparator::Eq,
        Operand::Value(AttributeValue::Bool(true)),
    );
    let page = backend
        .query(Query {
            filter: Some(even),
            limit: Some(5),
            ..query("u")
        })
        .await
        .unwrap();
    assert_eq!(page.scanned_count, 5);
    assert_eq!(ids(&page), ["n0", "n2", "n4"].map(s));
    assert!(page.last_evaluated_key.is_some());
}

#[tokio::test]
async fn query_pages_stop_at_one_megabyte() {
    let backend = notes().await;
    let body = "x".repeat(2000);
    for i in 0..1000 {
        let mut row = note("u", &format!("n{i:04}"));
        row.insert("content".into(), s(&body));
        backend.put_item(put("notes", row)).await.unwrap();
    }
    let size = crate::validate::item_size(&{
        let mut row = note("u", "n0000");
        row.insert("content".into(), s(&body));
        row
    });
    let per_page = crate::memory::query::MAX_PAGE_BYTES.div_ceil(size);
    let mut start = None;
    let mut pages = Vec::new();
    loop {
        let page = backend
            .query(Query {
                exclusive_start_key: start,
                consistent_read: true,
                ..query("u")
            })
            .await
            .unwrap();
        pages.push((page.items.len(), page.consumed_capacity));
        start = page.last_evaluated_key;
        if start.is_none() {
            break;
        }
    }
    assert_eq!(pages[0].0, per_page);
    assert_eq!(pages[0].1, Some(((per_page * size).div_ceil(4096)) as f64));
    assert_eq!(pages.iter().map(|p| p.0).sum::<usize>(), 1000);
    assert_eq!(pages.len(), 1000_usize.div_ceil(per_page));
}

#[tokio::test]
async fn query_checks_the_key_condition_and_start_key() {
    let backend = notes().await;
    let wrong_name = Query {
        key_condition: KeyCondition::partition("userid", s("u")),
        ..query("u")
    };
    assert!(
        validation_message(backend.query(wrong_name).await.unwrap_err())
            .starts_with("Query condition missed key schema element: userId")
    );
    let wrong_type = Query {
        key_condition: KeyCondition::partition("userId", n("1")),
        ..query("u")
    };
    assert!(
        validation_message(backend.query(wrong_type).await.unwrap_err())
            .contains("Condition parameter type does not match schema type")
    );
    let elsewhere = Query {
        exclusive_start_key: Some(note_key("v", "n")),
        ..query("u")
    };
    assert!(
        validation_message(backend.query(elsewhere).await.unwrap_err())
            .starts_with("The provided starting key is outside query boundaries")
    );
    let partial = Query {
        exclusive_start_key: Some(item(&[("userId", s("u"))])),
        ..query("u")
    };
    assert!(
        validation_message(backend.query(partial).await.unwrap_err())
            .starts_with("The provided starting key is invalid")
    );
    let limit_zero = Query {
        limit: Some(0),
        ..query("u")
    };
    assert!(backend.query(limit_zero).await.is_err());
}

#[tokio::test]
async fn parallel_scan_segments_cover_every_item_once() {
    let backend = notes().await;
    for u in 0..20 {
        for i in 0..3 {
            backend
                .put_item(put("notes", note(&format!("u{u}"), &format!("n{i}"))))
                .await
                .unwrap();
        }
    }
    let mut seen = std::collections::HashSet::new();
    for segment in 0..4 {
        let mut start = None;
        loop {
            let page = backend
                .scan(Scan {
                    segment: Some((segment, 4)),
                    limit: Some(7),
                    exclusive_start_key: start,
                    ..scan()
                })
                .await
                .unwrap();
            for it in page.items {
                assert!(seen.insert(format!("{:?}{:?}", it["userId"], it["noteId"])));
            }
            start = page.last_evaluated_key;
            if start.is_none() {
                break;
            }
        }
    }
    assert_eq!(seen.len(), 60);
    let bad = Scan {
        segment: Some((4, 4)),
        ..scan()
    };
    assert!(
        validation_message(backend.scan(bad).await.unwrap_err())
            .contains("Segment: 4 is out of bounds")
    );
}
