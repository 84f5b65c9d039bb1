//! `Select`: counts instead of items (`COUNT`), page for page as the items would be read, and
//! DynamoDB's rules on `Select`, projections and indexes.

use std::borrow::Cow;
use std::future::Future;

use super::*;

use notes_repo::{IndexKind, IndexProjection, IndexSchema};

notes_tests::on_every_backend!(
    query_counts_page_for_page_as_the_items_are_read,
    scan_counts_page_for_page_and_segment_by_segment,
    index_reads_count_and_check_select_against_the_projection,
    select_rules_refuse_with_dynamodbs_messages,
);

/// Every page of a read: `read(start)` from the start, then from each page's
/// `LastEvaluatedKey`.
async fn pages<F, Fut>(read: F) -> Vec<PageOutput>
where
    F: Fn(Option<ItemMap>) -> Fut,
    Fut: Future<Output = PageOutput>,
{
    let mut pages = Vec::new();
    let mut start = None;
    loop {
        let page = read(start.take()).await;
        start = page.last_evaluated_key.clone();
        pages.push(page);
        if start.is_none() || pages.len() > 20 {
            return pages;
        }
    }
}

/// A `COUNT` read answers each page as the item read does: `Count` is the items returned,
/// `ScannedCount`, `LastEvaluatedKey` and the capacity are the same, and no item comes back.
/// Returns the totals: (count, scanned count).
fn assert_pages_count_the_items(items: &[PageOutput], counts: &[PageOutput]) -> (usize, usize) {
    assert_eq!(items.len(), counts.len(), "as many pages");
    for (read, counted) in items.iter().zip(counts) {
        assert_eq!(read.count, read.items.len(), "an item read's Count");
        assert!(counted.items.is_empty(), "COUNT returns no items");
        assert_eq!(counted.count, read.items.len());
        assert_eq!(counted.scanned_count, read.scanned_count);
        assert_eq!(counted.last_evaluated_key, read.last_evaluated_key);
        assert!(read.consumed_capacity.is_some());
        assert_eq!(counted.consumed_capacity, read.consumed_capacity);
    }
    (
        counts.iter().map(|page| page.count).sum(),
        counts.iter().map(|page| page.scanned_count).sum(),
    )
}

async fn query_counts_page_for_page_as_the_items_are_read<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    seed_notes(&backend, table).await;
    let even = eq("status", s("even"));
    for (filter, expected) in [(None, (7, 7)), (Some(even), (4, 7))] {
        for descending in [false, true] {
            let request = |select: Option<Select>, start| {
                let mut request = consistent_query(table, "u1")
                    .limit(3)
                    .scan_index_forward(!descending);
                request.filter = filter.clone();
                request.select = select;
                request.exclusive_start_key = start;
                let backend = &backend;
                async move { backend.query(request).await.expect("query") }
            };
            let items = pages(|start| request(None, start)).await;
            let counts = pages(|start| request(Some(Select::Count), start)).await;
            assert_eq!(counts.len(), 3, "Limit 3 makes pages of 3, 3 and 1");
            assert_eq!(assert_pages_count_the_items(&items, &counts), expected);
        }
    }
    // A sort-key condition narrows what is counted, and read.
    let mut request = consistent_query(table, "u1").select(Select::Count);
    request.key_condition = request
        .key_condition
        .with_sort_key("noteId", SortKeyCondition::Between(s("n2"), s("n4")));
    let page = backend.query(request).await.unwrap();
    assert_eq!((page.count, page.scanned_count), (3, 3));
    assert_eq!(page.last_evaluated_key, None);
}

async fn scan_counts_page_for_page_and_segment_by_segment<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    seed_notes(&backend, table).await;
    let even = eq("status", s("even"));
    for (filter, expected) in [(None, (9, 9)), (Some(even.clone()), (4, 9))] {
        let request = |select: Option<Select>, start| {
            let mut request = scan(table).consistent_read(true).limit(4);
            request.filter = filter.clone();
            request.select = select;
            request.exclusive_start_key = start;
            let backend = &backend;
            async move { backend.scan(request).await.expect("scan") }
        };
        let items = pages(|start| request(None, start)).await;
        let counts = pages(|start| request(Some(Select::Count), start)).await;
        assert!(counts.len() >= 3, "Limit 4 makes at least 3 pages of 9");
        assert_eq!(assert_pages_count_the_items(&items, &counts), expected);
    }
    // A parallel scan: each segment counts what it reads, and together they count each
    // item once.
    let mut total = (0, 0);
    for segment in 0..3 {
        let request = |select: Option<Select>, start| {
            let mut request = scan(table)
                .consistent_read(true)
                .segment(segment, 3)
                .filter(even.clone());
            request.select = select;
            request.exclusive_start_key = start;
            let backend = &backend;
            async move { backend.scan(request).await.expect("scan a segment") }
        };
        let items = pages(|start| request(None, start)).await;
        let counts = pages(|start| request(Some(Select::Count), start)).await;
        let (count, scanned) = assert_pages_count_the_items(&items, &counts);
        total = (total.0 + count, total.1 + scanned);
    }
    assert_eq!(total, (4, 9));
}

fn index(
    name: &'static str,
    kind: IndexKind,
    key: KeySchema,
    projection: IndexProjection,
) -> IndexSchema {
    IndexSchema {
        name: Cow::Borrowed(name),
        kind,
        key_schema: key,
        projection,
        additional_keys: Default::default(),
    }
}

/// A notes table with `byStatus` (global, keys only) and `byContent` (local, keys only).
async fn indexed<B: Backend>(backend: &B, table: &str) {
    let indexes = vec![
        index(
            "byStatus",
            IndexKind::Global,
            KeySchema {
                partition_key: KeyAttribute::new("status", ScalarType::S),
                sort_key: None,
            },
            IndexProjection::KeysOnly,
        ),
        index(
            "byContent",
            IndexKind::Local,
            KeySchema {
                partition_key: KeyAttribute::new("userId", ScalarType::S),
                sort_key: Some(KeyAttribute::new("content", ScalarType::S)),
            },
            IndexProjection::KeysOnly,
        ),
    ];
    backend
        .create_table(
            CreateTable::new(table, schema())
                .billing_mode(BillingMode::PayPerRequest)
                .indexes(indexes),
        )
        .await
        .expect("create table");
    wait_until_active(backend, table).await;
}

async fn index_reads_count_and_check_select_against_the_projection<B: Backend>(
    backend: B,
    table: &str,
) {
    indexed(&backend, table).await;
    seed_notes(&backend, table).await;
    let by_status = |status: &str| {
        let mut request = query(table, "unused").index_name("byStatus");
        request.key_condition = KeyCondition::partition("status", s(status));
        request
    };
    // Global indexes are eventually consistent: wait until the index holds every even note.
    let mut items = Vec::new();
    for _ in 0..50 {
        items = pages(|start| {
            let mut request = by_status("even").limit(2);
            request.exclusive_start_key = start;
            let backend = &backend;
            async move { backend.query(request).await.expect("index query") }
        })
        .await;
        if items.iter().map(|page| page.items.len()).sum::<usize>() == 4 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let counts = pages(|start| {
        let mut request = by_status("even").limit(2).select(Select::Count);
        request.exclusive_start_key = start;
        let backend = &backend;
        async move { backend.query(request).await.expect("index count") }
    })
    .await;
    assert_eq!(assert_pages_count_the_items(&items, &counts), (4, 4));
    let scanned = backend
        .scan(scan(table).index_name("byStatus").select(Select::Count))
        .await
        .unwrap();
    assert_eq!((scanned.count, scanned.scanned_count), (7, 7));
    assert!(scanned.items.is_empty());

    // A global index that projects less has no ALL_ATTRIBUTES; its projection, or a count, is
    // fine.
    let refusal = "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is \
                   not supported for global secondary index byStatus because its projection \
                   type is not ALL";
    let all = by_status("even").select(Select::AllAttributes);
    assert_eq!(
        validation_message(backend.query(all).await.unwrap_err()),
        refusal
    );
    let all = scan(table)
        .index_name("byStatus")
        .select(Select::AllAttributes);
    assert_eq!(
        validation_message(backend.scan(all).await.unwrap_err()),
        refusal
    );
    let projected = backend
        .query(by_status("odd").select(Select::AllProjectedAttributes))
        .await
        .unwrap();
    assert_eq!(projected.count, projected.items.len());
    // A local index reads what it does not project from the table: ALL_ATTRIBUTES is allowed.
    let mut local = query(table, "u1")
        .index_name("byContent")
        .consistent_read(true)
        .select(Select::AllAttributes);
    local.key_condition = KeyCondition::partition("userId", s("u1"));
    let page = backend.query(local.clone()).await.unwrap();
    assert_eq!(page.count, 7);
    let counted = backend.query(local.select(Select::Count)).await.unwrap();
    assert_eq!((counted.count, counted.scanned_count), (7, 7));
}

async fn select_rules_refuse_with_dynamodbs_messages<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    seed_notes(&backend, table).await;
    let projection = || vec![path("noteId")];
    let query_error = |request: Query| {
        let backend = &backend;
        async move { validation_message(backend.query(request).await.unwrap_err()) }
    };
    let scan_error = |request: Scan| {
        let backend = &backend;
        async move { validation_message(backend.scan(request).await.unwrap_err()) }
    };
    // Query puts these in DynamoDB's envelope; Scan answers them bare.
    for (select, chosen) in [
        (Select::Count, "only the Count"),
        (Select::AllAttributes, "ALL_ATTRIBUTES"),
        (Select::AllProjectedAttributes, "ALL_PROJECTED_ATTRIBUTES"),
    ] {
        let message =
            format!("Cannot specify the ProjectionExpression when choosing to get {chosen}");
        assert_eq!(
            query_error(query(table, "u1").select(select).projection(projection())).await,
            format!("1 validation error detected: {message}")
        );
        assert_eq!(
            scan_error(scan(table).select(select).projection(projection())).await,
            message
        );
    }
    let specific = "Must specify the AttributesToGet or ProjectionExpression when choosing to \
                    get SPECIFIC_ATTRIBUTES";
    assert_eq!(
        query_error(query(table, "u1").select(Select::SpecificAttributes)).await,
        format!("1 validation error detected: {specific}")
    );
    assert_eq!(
        scan_error(scan(table).select(Select::SpecificAttributes)).await,
        specific
    );
    let projected = "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName";
    assert_eq!(
        query_error(query(table, "u1").select(Select::AllProjectedAttributes)).await,
        format!("1 validation error detected: {projected}")
    );
    assert_eq!(
        scan_error(scan(table).select(Select::AllProjectedAttributes)).await,
        projected
    );

    // What the rules allow.
    let specific = backend
        .query(
            consistent_query(table, "u1")
                .select(Select::SpecificAttributes)
                .projection(projection()),
        )
        .await
        .unwrap();
    assert_eq!(specific.count, 7);
    assert!(specific.items.iter().all(|it| it.len() == 1));
    let all = backend
        .scan(
            scan(table)
                .consistent_read(true)
                .select(Select::AllAttributes),
        )
        .await
        .unwrap();
    assert_eq!((all.count, all.items.len()), (9, 9));
}
