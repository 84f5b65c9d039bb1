//! Counts: `.count()` on a query or a scan, across every page, with DynamoDB's `Count`
//! (after the filter) and `ScannedCount` (before it), and the read capacity the items cost.

use notes_repo::expr::KeyCondition;
use notes_repo::request::{Query, Scan};
use notes_repo::{AttributeValue, Backend, Count, Error, ItemMap, Note, Repo};
use notes_tests::repo;

use super::indexes::{Task, task};
use super::query::Reading;
use super::single_table;

notes_tests::on_every_backend!(
    lagging:
    a_query_count_follows_every_page_and_costs_what_the_items_cost,
    a_query_count_applies_the_filter_and_the_sort_key_condition,
    a_query_count_stops_at_the_limit,
    a_scan_count_adds_up_every_segment,
    a_count_of_an_entity_counts_only_its_items,
    counts_refuse_what_the_reads_refuse;
    not_lagging:
    index_queries_count_with_the_index_keys,
);

/// Every page of a raw item read, from the start: what it counts in all.
async fn count_every_page<B: Backend>(backend: &B, query: Query) -> Count {
    let mut start: Option<ItemMap> = None;
    let mut total = Count::default();
    loop {
        let mut request = query.clone();
        request.exclusive_start_key = start.take();
        let page = backend.query(request).await.expect("query");
        assert!(
            page.consumed_capacity.is_some(),
            "the capacity a page consumed"
        );
        total = total
            + Count {
                count: page.items.len(),
                scanned_count: page.scanned_count,
                consumed_capacity: page.consumed_capacity,
            };
        match page.last_evaluated_key {
            Some(key) => start = Some(key),
            None => return total,
        }
    }
}

/// 600 notes of 2 KB (two pages of 1 MB) are counted in all, for the capacity that reading
/// them costs, page by page.
async fn a_query_count_follows_every_page_and_costs_what_the_items_cost<B: Backend>(
    backend: B,
    table: &str,
) {
    let repo = repo::<Note, B>(backend.clone(), table).await;
    let body = "x".repeat(2000);
    for i in 0..600 {
        let note = Note::new("big", format!("{i:04}{body}"));
        let note = if i % 3 == 0 {
            note.with_attachment("a.png")
        } else {
            note
        };
        repo.put(&note).await.unwrap();
    }
    repo.put(&Note::new("other", "not counted")).await.unwrap();
    let count = repo.query("big").consistent().count().await.unwrap();
    let read = Query::new(
        table,
        KeyCondition::partition("userId", AttributeValue::S("big".into())),
    )
    .consistent_read(true);
    let first = backend.query(read.clone()).await.unwrap();
    assert!(first.last_evaluated_key.is_some(), "more than one page");
    let items = count_every_page(&backend, read.clone()).await;
    // The item read's own count; `scanned_count` is 600 on DynamoDB (the test server counts
    // the item that would pass 1 MB, then leaves it to the next page).
    assert_eq!(count, items);
    assert_eq!(count.count, 600);

    // The filter is applied after the read: a third of the notes match, all are paid for.
    let with_files = repo
        .query("big")
        .consistent()
        .filter(Note::ATTACHMENT.exists())
        .count()
        .await
        .unwrap();
    assert_eq!(with_files.count, 200);
    assert_eq!(
        (with_files.scanned_count, with_files.consumed_capacity),
        (items.scanned_count, items.consumed_capacity)
    );
}

/// `Count` is what matched the filter, `ScannedCount` what the key condition read.
async fn a_query_count_applies_the_filter_and_the_sort_key_condition<B: Backend>(
    backend: B,
    table: &str,
) {
    let repo = repo::<Reading, B>(backend, table).await;
    for at in -5..15 {
        repo.put(&Reading {
            sensor: "s1".into(),
            at,
            value: f64::from(i32::try_from(at).unwrap()) * 0.5,
        })
        .await
        .unwrap();
    }
    let counted = |count: Count| (count.count, count.scanned_count);
    let all = repo.query("s1").consistent().count().await.unwrap();
    assert_eq!(counted(all), (20, 20));
    assert!(all.consumed_capacity.is_some());
    let between = repo.query("s1").consistent().sort_key_between(0, 9);
    assert_eq!(counted(between.count().await.unwrap()), (10, 10));
    let high = repo
        .query("s1")
        .consistent()
        .sort_key_ge(0)
        .filter(Reading::VALUE.gt(3.0))
        .descending()
        .count()
        .await
        .unwrap();
    assert_eq!(counted(high), (8, 15));
    assert_eq!(counted(repo.query("s2").count().await.unwrap()), (0, 0));
}

/// `limit(n)` counts at most `n` matching items, as `all()` returns at most `n`, and reads no
/// further than it needs to.
async fn a_query_count_stops_at_the_limit<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    for i in 0..10 {
        let note = Note::new("u1", format!("n{i}"));
        let note = if i % 2 == 0 {
            note.with_attachment("a.png")
        } else {
            note
        };
        repo.put(&note).await.unwrap();
    }
    let count = |limit: u32| {
        let query = repo.query("u1").consistent().limit(limit);
        async move { query.count().await.unwrap() }
    };
    assert_eq!((count(3).await.count, count(3).await.scanned_count), (3, 3));
    assert_eq!(count(100).await.count, 10);
    let all = repo.query("u1").consistent().limit(3).all().await.unwrap();
    assert_eq!(all.len(), count(3).await.count);
    let with_files = repo
        .query("u1")
        .consistent()
        .filter(Note::ATTACHMENT.exists())
        .limit(2)
        .count()
        .await
        .unwrap();
    assert_eq!(with_files.count, 2);
    assert!(with_files.scanned_count < 10, "{with_files:?}");
}

/// A scan counts the whole table, in one segment or several read in parallel.
async fn a_scan_count_adds_up_every_segment<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend.clone(), table).await;
    for i in 0..40 {
        let note = Note::new(format!("user{}", i % 7), format!("n{i}"));
        let note = if i % 4 == 0 {
            note.with_attachment("f")
        } else {
            note
        };
        notes.put(&note).await.unwrap();
    }
    let all = notes.scan().consistent().count().await.unwrap();
    assert_eq!((all.count, all.scanned_count), (40, 40));
    let page = backend
        .scan(Scan::new(table).consistent_read(true))
        .await
        .unwrap();
    assert_eq!(all.consumed_capacity, page.consumed_capacity);
    for segments in [1, 3, 8] {
        let with_files = notes
            .scan()
            .consistent()
            .filter(Note::ATTACHMENT.exists())
            .segments(segments)
            .count()
            .await
            .unwrap();
        assert_eq!((with_files.count, with_files.scanned_count), (10, 40));
        assert!(with_files.consumed_capacity.is_some());
    }
}

/// On a shared table, an entity's count is of its own items: the others are read (and in
/// `scanned_count`) but not counted.
async fn a_count_of_an_entity_counts_only_its_items<B: Backend>(backend: B, table: &str) {
    let notes = repo::<single_table::Note, B>(backend.clone(), table).await;
    let drafts: Repo<single_table::Draft, B> = Repo::with_table(backend, table.to_owned());
    for (at, id) in [("2026-11-24", "n1"), ("2026-11-25", "n2")] {
        notes.put(&single_table::note("ann", at, id)).await.unwrap();
    }
    drafts
        .put(&single_table::Draft {
            user_id: "ann".into(),
            created_at: "2026-11-26".into(),
            note_id: "d1".into(),
        })
        .await
        .unwrap();
    let ann = single_table::NotePartition::new("ann");
    let count = notes.query(ann).consistent().count().await.unwrap();
    assert_eq!((count.count, count.scanned_count), (2, 3));
    let scanned = notes.scan().consistent().count().await.unwrap();
    assert_eq!((scanned.count, scanned.scanned_count), (2, 3));
}

/// Global and local indexes are counted with their typed keys.
async fn index_queries_count_with_the_index_keys<B: Backend>(backend: B, table: &str) {
    let tasks = repo::<Task, B>(backend, table).await;
    for t in [
        task("p1", "t1", Some("ann"), "open", 30),
        task("p1", "t2", Some("bob"), "done", 10),
        task("p1", "t3", None, "open", 20),
        task("p2", "t1", Some("ann"), "open", 5),
        task("p2", "t2", Some("ann"), "done", 50),
    ] {
        tasks.put(&t).await.unwrap();
    }
    // A global index is eventually consistent: wait until it holds every task.
    let mut open = Count::default();
    for _ in 0..50 {
        open = tasks
            .query_index(Task::BY_STATUS, "open")
            .count()
            .await
            .unwrap();
        if open.count == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!((open.count, open.scanned_count), (3, 3));
    let anns = tasks
        .query_index(Task::BY_ASSIGNEE, "ann")
        .sort_key_ge(10)
        .count()
        .await
        .unwrap();
    assert_eq!(anns.count, 2);
    let due_soon = tasks
        .query_index(Task::BY_DUE_AT, "p1")
        .consistent()
        .sort_key_lt(25)
        .count()
        .await
        .unwrap();
    assert_eq!((due_soon.count, due_soon.scanned_count), (2, 2));
    let sparse = tasks.scan().index(Task::BY_ASSIGNEE).count().await.unwrap();
    assert_eq!(sparse.count, 4);
}

/// A count is refused, before anything is sent, for what the item read would be refused.
async fn counts_refuse_what_the_reads_refuse<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let message = |result: Result<Count, Error>| match result {
        Err(Error::Validation { message, source }) => {
            assert!(source.is_none(), "raised by the service: {message}");
            message
        }
        other => panic!("expected a validation error, got {other:?}"),
    };
    assert_eq!(
        message(repo.query("u1").limit(0).count().await),
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: \
         Member must have value greater than or equal to 1"
    );
    assert_eq!(
        message(repo.scan().segments(0).count().await),
        "1 validation error detected: Value '0' at 'totalSegments' failed to satisfy \
         constraint: Member must have value between 1 and 1000000"
    );
    assert_eq!(
        message(repo.query("").count().await),
        message(repo.query("").all().await.map(|_| Count::default()))
    );
}
