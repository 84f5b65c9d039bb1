//! Query: order, key conditions, filters, projections, Limit and paging.

use super::*;

notes_tests::on_every_backend!(
    number_sort_keys_order_numerically_both_ways,
    string_sort_keys_order_by_bytes_and_support_prefixes,
    limit_counts_items_evaluated_and_returns_a_key_even_at_the_end,
    filters_apply_after_the_limit,
    query_checks_the_key_condition_and_start_key,
    query_key_conditions_order_filter_and_projection,
    query_pages_with_limit_and_exclusive_start_key,
);

async fn numeric_sort_table<B: Backend>(backend: &B, table: &str) {
    table_with(backend, table, Some(ScalarType::N)).await;
    for sk in ["10", "9", "-1", "0", "1.5", "100"] {
        let row = item(&[("userId", s("u")), ("noteId", n(sk))]);
        backend.put_item(put(table, row)).await.unwrap();
    }
}

async fn number_sort_keys_order_numerically_both_ways<B: Backend>(backend: B, table: &str) {
    numeric_sort_table(&backend, table).await;
    let page = backend.query(query(table, "u")).await.unwrap();
    assert_eq!(ids(&page), ["-1", "0", "1.5", "9", "10", "100"].map(n));
    let page = backend
        .query(query(table, "u").scan_index_forward(false))
        .await
        .unwrap();
    assert_eq!(ids(&page), ["100", "10", "9", "1.5", "0", "-1"].map(n));
    let between = query(table, "u")
        .key_condition
        .with_sort_key("noteId", SortKeyCondition::Between(n("0"), n("10")));
    let page = backend
        .query({
            let mut request = query(table, "u");
            request.key_condition = between;
            request
        })
        .await
        .unwrap();
    assert_eq!(ids(&page), ["0", "1.5", "9", "10"].map(n));
}

async fn string_sort_keys_order_by_bytes_and_support_prefixes<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    for id in ["a", "Z", "ab", "b", "aa", "é"] {
        backend.put_item(put(table, note("u", id))).await.unwrap();
    }
    backend
        .put_item(put(table, note("other", "a")))
        .await
        .unwrap();
    assert_eq!(
        ids(&backend.query(query(table, "u")).await.unwrap()),
        ["Z", "a", "aa", "ab", "b", "é"].map(s)
    );
    let prefix = query(table, "u")
        .key_condition
        .with_sort_key("noteId", SortKeyCondition::BeginsWith(s("a")));
    let page = backend
        .query({
            let mut request = query(table, "u").scan_index_forward(false);
            request.key_condition = prefix;
            request
        })
        .await
        .unwrap();
    assert_eq!(ids(&page), ["ab", "aa", "a"].map(s));
    let gt = query(table, "u")
        .key_condition
        .with_sort_key("noteId", SortKeyCondition::Compare(Comparator::Gt, s("ab")));
    assert_eq!(
        ids(&backend
            .query({
                let mut request = query(table, "u");
                request.key_condition = gt;
                request
            })
            .await
            .unwrap()),
        ["b", "é"].map(s)
    );
}

async fn limit_counts_items_evaluated_and_returns_a_key_even_at_the_end<B: Backend>(
    backend: B,
    table: &str,
) {
    numeric_sort_table(&backend, table).await;
    let odd = Condition::Compare(
        Operand::Path(Path::attribute("noteId")),
        Comparator::Ge,
        Operand::Value(n("10")),
    );
    // A filter on a key attribute is rejected in Query...
    let err = backend
        .query(query(table, "u").filter(odd))
        .await
        .unwrap_err();
    assert!(
        validation_message(err)
            .contains("Filter Expression can only contain non-primary key attributes")
    );
    // ...so page through all six with Limit 3: two full pages, then an empty one.
    let first = backend.query(query(table, "u").limit(3)).await.unwrap();
    assert_eq!((first.items.len(), first.scanned_count), (3, 3));
    let key = first.last_evaluated_key.clone().unwrap();
    assert_eq!(key, item(&[("userId", s("u")), ("noteId", n("1.5"))]));
    let second = backend
        .query(query(table, "u").limit(3).exclusive_start_key(key))
        .await
        .unwrap();
    assert_eq!(ids(&second), ["9", "10", "100"].map(n));
    let third = backend
        .query({
            let mut request = query(table, "u").limit(3);
            request.exclusive_start_key = second.last_evaluated_key;
            request
        })
        .await
        .unwrap();
    assert!(third.items.is_empty());
    assert_eq!(third.last_evaluated_key, None);
}

async fn filters_apply_after_the_limit<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    for i in 0..10 {
        let mut row = note("u", &format!("n{i}"));
        row.insert("even".into(), AttributeValue::Bool(i % 2 == 0));
        backend.put_item(put(table, row)).await.unwrap();
    }
    let even = Condition::Compare(
        Operand::Path(Path::attribute("even")),
        Comparator::Eq,
        Operand::Value(AttributeValue::Bool(true)),
    );
    let page = backend
        .query(query(table, "u").filter(even).limit(5))
        .await
        .unwrap();
    assert_eq!(page.scanned_count, 5);
    assert_eq!(ids(&page), ["n0", "n2", "n4"].map(s));
    assert!(page.last_evaluated_key.is_some());
}

async fn query_checks_the_key_condition_and_start_key<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let wrong_name = {
        let mut request = query(table, "u");
        request.key_condition = KeyCondition::partition("userid", s("u"));
        request
    };
    assert!(
        validation_message(backend.query(wrong_name).await.unwrap_err())
            .starts_with("Query condition missed key schema element: userId")
    );
    let wrong_type = {
        let mut request = query(table, "u");
        request.key_condition = KeyCondition::partition("userId", n("1"));
        request
    };
    assert!(
        validation_message(backend.query(wrong_type).await.unwrap_err())
            .contains("Condition parameter type does not match schema type")
    );
    let elsewhere = query(table, "u").exclusive_start_key(note_key("v", "n"));
    assert!(
        validation_message(backend.query(elsewhere).await.unwrap_err())
            .starts_with("The provided starting key is outside query boundaries")
    );
    let partial = query(table, "u").exclusive_start_key(item(&[("userId", s("u"))]));
    assert!(
        validation_message(backend.query(partial).await.unwrap_err())
            .starts_with("The provided starting key is invalid")
    );
    let limit_zero = query(table, "u").limit(0);
    let m = validation_message(backend.query(limit_zero).await.unwrap_err());
    assert!(
        m.starts_with("1 validation error detected: Value")
            && m.ends_with(
                "failed to satisfy constraint: Member must have value greater than or equal to 1"
            ),
        "{m}"
    );
}

async fn query_key_conditions_order_filter_and_projection<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    seed_notes(&backend, table).await;

    let all = backend.query(consistent_query(table, "u1")).await.unwrap();
    assert_eq!(
        note_ids(&all.items),
        ["n0", "n1", "n2", "n3", "n4", "n5", "n6"]
    );
    assert_eq!(all.scanned_count, 7);
    assert_eq!(all.last_evaluated_key, None);
    assert!(all.consumed_capacity.is_some());

    let sk = |condition| {
        let mut request = consistent_query(table, "u1");
        request.key_condition =
            KeyCondition::partition("userId", s("u1")).with_sort_key("noteId", condition);
        request
    };
    let between = backend
        .query(sk(SortKeyCondition::Between(s("n2"), s("n4"))))
        .await
        .unwrap();
    assert_eq!(note_ids(&between.items), ["n2", "n3", "n4"]);
    let greater = backend
        .query(sk(SortKeyCondition::Compare(Comparator::Gt, s("n4"))))
        .await
        .unwrap();
    assert_eq!(note_ids(&greater.items), ["n5", "n6"]);
    let prefixed = backend
        .query(sk(SortKeyCondition::BeginsWith(s("n6"))))
        .await
        .unwrap();
    assert_eq!(note_ids(&prefixed.items), ["n6"]);

    let descending = backend
        .query(
            consistent_query(table, "u1")
                .scan_index_forward(false)
                .filter(eq("status", s("odd")))
                .projection(vec![path("noteId"), path("status")]),
        )
        .await
        .unwrap();
    assert_eq!(note_ids(&descending.items), ["n5", "n3", "n1"]);
    assert_eq!(descending.scanned_count, 7);
    assert!(
        descending.items.iter().all(|it| it.len() == 2),
        "{:?}",
        descending.items
    );
}

async fn query_pages_with_limit_and_exclusive_start_key<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    seed_notes(&backend, table).await;

    let mut seen = Vec::new();
    let mut start = None;
    let mut pages = 0;
    loop {
        let page = backend
            .query({
                let mut request = consistent_query(table, "u1").limit(3);
                request.exclusive_start_key = start.take();
                request
            })
            .await
            .unwrap();
        pages += 1;
        assert!(page.items.len() <= 3);
        seen.extend(note_ids(&page.items));
        match page.last_evaluated_key {
            Some(last) => {
                assert_eq!(
                    last.len(),
                    2,
                    "the last key is the full primary key: {last:?}"
                );
                start = Some(last);
            }
            None => break,
        }
        assert!(pages < 10, "paging does not end");
    }
    assert_eq!(seen, ["n0", "n1", "n2", "n3", "n4", "n5", "n6"]);
    assert!((3..=4).contains(&pages), "{pages} pages");
}
