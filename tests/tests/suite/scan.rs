//! Scans of a whole table: filters and parallel segments.

use notes_repo::request::Scan;
use notes_repo::{Backend, Error, Note};
use notes_tests::repo;

notes_tests::on_every_backend!(
    lagging:
    scan_reads_everything_in_segments,
    scan_limits_outside_dynamodb_range_are_refused,
);

/// A `Scan` with `Limit` 0 or over `i32::MAX` is refused on both backends, in DynamoDB's
/// wording for 0 (the test server words it slightly differently); `i32::MAX` itself is
/// accepted.
async fn scan_limits_outside_dynamodb_range_are_refused<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend.clone(), table).await;
    notes.put(&Note::new("u1", "x")).await.unwrap();
    let refused = |limit: u32, part: &'static str| {
        let backend = backend.clone();
        let request = Scan::new(table).limit(limit);
        async move {
            match backend.scan(request).await {
                Err(Error::Validation { message, .. }) => {
                    assert!(message.contains(part), "{limit}: `{part}` not in {message}");
                }
                other => panic!("limit {limit}: expected a validation error, got {other:?}"),
            }
        }
    };
    refused(
        0,
        "failed to satisfy constraint: Member must have value greater than or equal to 1",
    )
    .await;
    refused(i32::MAX as u32 + 1, "2147483647").await;
    refused(u32::MAX, "2147483647").await;
    let page = backend
        .scan(
            Scan::new(table)
                .limit(i32::MAX as u32)
                .consistent_read(true),
        )
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
}

/// A scan reads every item, with a filter, in one or several segments.
async fn scan_reads_everything_in_segments<B: Backend>(backend: B, table: &str) {
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
    assert_eq!(notes.scan().consistent().all().await.unwrap().len(), 40);
    let mut ids: Vec<String> = notes
        .scan()
        .consistent()
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
        .consistent()
        .filter(Note::ATTACHMENT.exists())
        .segments(3)
        .all()
        .await
        .unwrap();
    assert_eq!(with_files.len(), 10);
    let err = notes
        .scan()
        .consistent()
        .segments(0)
        .all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
}
