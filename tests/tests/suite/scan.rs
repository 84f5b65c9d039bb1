//! Scans of a whole table: filters and parallel segments.

use notes_repo::{Backend, Error, Note};
use notes_tests::repo;

notes_tests::on_every_backend!(scan_reads_everything_in_segments,);

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
