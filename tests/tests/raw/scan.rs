//! Scan: filters, pages and parallel segments.

use super::*;

notes_tests::on_every_backend!(
    scan_filters_pages_and_segments,
    ;
    memory_only:
    parallel_scan_segments_cover_every_item_once,
);

// MemoryBackend only: dynoxide 3.2.0 refuses segment 4 of 4 without
// DynamoDB's "Segment: 4 is not less than TotalSegments: 4".
async fn parallel_scan_segments_cover_every_item_once<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    for u in 0..20 {
        for i in 0..3 {
            backend
                .put_item(put(table, note(&format!("u{u}"), &format!("n{i}"))))
                .await
                .unwrap();
        }
    }
    let mut seen = std::collections::HashSet::new();
    for segment in 0..4 {
        let mut start = None;
        loop {
            let page = backend
                .scan({
                    let mut request = scan(table).segment(segment, 4).limit(7);
                    request.exclusive_start_key = start;
                    request
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
    let bad = scan(table).segment(4, 4);
    assert_eq!(
        validation_message(backend.scan(bad).await.unwrap_err()),
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: \
         Segment: 4 is not less than TotalSegments: 4"
    );
}

async fn scan_filters_pages_and_segments<B: Backend>(backend: B, table: &str) {
    notes_table(&backend, table).await;
    seed_notes(&backend, table).await;
    let scan = || Scan::new(table.to_owned()).consistent_read(true);

    let everything = backend.scan(scan()).await.unwrap();
    assert_eq!(everything.items.len(), 9);
    assert!(everything.consumed_capacity.is_some());

    let even = backend
        .scan(scan().filter(
            eq("status", s("even"))
                & Condition::BeginsWith(path("content"), Operand::Value(s("content"))),
        ))
        .await
        .unwrap();
    assert_eq!(even.items.len(), 4);
    assert_eq!(even.scanned_count, 9);

    let mut total = 0;
    let mut start = None;
    loop {
        let page = backend
            .scan({
                let mut request = scan().limit(4);
                request.exclusive_start_key = start.take();
                request
            })
            .await
            .unwrap();
        total += page.items.len();
        match page.last_evaluated_key {
            Some(last) => start = Some(last),
            None => break,
        }
    }
    assert_eq!(total, 9);

    let mut segmented = 0;
    for segment in 0..3 {
        segmented += backend
            .scan(scan().segment(segment, 3))
            .await
            .unwrap()
            .items
            .len();
    }
    assert_eq!(segmented, 9);
}
