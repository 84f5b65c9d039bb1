//! A table's stream, read typed through the DynamoDB Streams API from the test server
//! (dynoxide implements `DescribeStream`, `GetShardIterator` and `GetRecords`). MemoryBackend
//! has no stream yet, so these run on the server alone.

use futures::TryStreamExt;
use notes_repo::stream::{ChangeKind, Checkpoints, StreamRecord, StreamViewType, StreamsReader};
use notes_repo::{Item, Note, NoteKey, Repo};
use notes_tests::server;

use super::*;

fn note(id: &str, content: &str) -> Note {
    Note {
        user_id: "u1".into(),
        note_id: id.into(),
        content: content.into(),
        attachment: None,
        created_at: 7,
    }
}

#[tokio::test]
async fn the_stream_reads_back_typed_in_write_order_and_resumes_from_a_checkpoint() {
    let Some(backend) = server::available_backend().await else {
        return;
    };
    let url = server::endpoint().expect("a server");
    let table = server::table_name("streams");
    let create = CreateTable::new(table.clone(), Note::KEY_SCHEMA)
        .stream_view_type(StreamViewType::NewAndOldImages);
    backend.create_table(create).await.unwrap();
    wait_until_active(&backend, &table).await;
    let described = backend.describe_table(table.clone()).await.unwrap();
    let stream = described.stream.expect("the table has a stream");
    assert_eq!(stream.view_type, StreamViewType::NewAndOldImages);
    let arn = stream.arn.expect("the stream's ARN");

    let repo: Repo<Note, _> = Repo::with_table(backend, table.clone());
    repo.create(&note("n1", "buy milk")).await.unwrap();
    repo.update(&NoteKey::new("u1", "n1"))
        .apply(Note::CONTENT.set("buy oat milk"))
        .if_exists()
        .await
        .unwrap();
    repo.create(&note("n2", "call mum")).await.unwrap();
    repo.delete(&NoteKey::new("u1", "n1")).await.unwrap();

    let reader = StreamsReader::new(server::streams_client(&url));
    let records: Vec<StreamRecord<Note>> = reader
        .records(&arn, Checkpoints::default())
        .try_collect()
        .await
        .unwrap();
    let kinds: Vec<ChangeKind> = records.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            ChangeKind::Insert,
            ChangeKind::Modify,
            ChangeKind::Insert,
            ChangeKind::Remove
        ]
    );
    assert_eq!(records[0].new, Some(note("n1", "buy milk")));
    assert_eq!(records[0].old, None);
    assert_eq!(records[1].old, Some(note("n1", "buy milk")));
    assert_eq!(records[1].new, Some(note("n1", "buy oat milk")));
    assert_eq!(records[3].key, NoteKey::new("u1", "n1"));
    assert_eq!(records[3].old, Some(note("n1", "buy oat milk")));
    assert_eq!(records[3].new, None);
    assert!(records.iter().all(|r| !r.removed_by_ttl));

    // Resume after the second record: only the last two come back.
    let raw: Vec<_> = reader
        .changes(&arn, Checkpoints::default())
        .try_collect()
        .await
        .unwrap();
    let mut checkpoints = Checkpoints::default();
    for record in &raw[..2] {
        checkpoints.advance(record);
    }
    let rest: Vec<StreamRecord<Note>> = reader
        .records(&arn, checkpoints)
        .try_collect()
        .await
        .unwrap();
    let rest_kinds: Vec<ChangeKind> = rest.iter().map(|r| r.kind).collect();
    assert_eq!(rest_kinds, [ChangeKind::Insert, ChangeKind::Remove]);
}
