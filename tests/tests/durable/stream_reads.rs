//! Issue 24 (second attack), `attack_visible`: a stream read on a durable backend answers
//! only with writes that are on disk, like the item reads
//! (`faults::a_read_never_answers_with_a_write_that_is_not_on_disk`).

use std::time::Duration;

use notes_repo::request::CreateTable;
use notes_repo::stream::StreamViewType;
use notes_repo::{Backend, Error, Item, MemoryBackend, Note, Repo, StorageFaults};
use notes_tests::durable_support::{ReleaseDisk, TempDir};

/// A stream read (`stream_records`, `stream_position`) started while a write waits for its
/// `fsync` does not answer before the disk has it; if the disk refuses the write, its record
/// is never returned and the position does not move past it. After reopening, a checkpoint
/// taken before resumes with the next acknowledged write. On the integration branch
/// (2044a6f) the reader answered at once with the write's record (the `is_finished`
/// assertion failed).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_read_never_answers_with_a_write_that_is_not_on_disk() {
    let dir = TempDir::new("durable-stream-read-wait");
    let faults = StorageFaults::new();
    let backend = MemoryBackend::builder()
        .storage_faults(faults.clone())
        .open(dir.path())
        .unwrap();
    let create = CreateTable::new("notes", Note::KEY_SCHEMA)
        .stream_view_type(StreamViewType::NewAndOldImages);
    backend.create_table(create).await.unwrap();
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    let _release = ReleaseDisk(faults.clone());
    let note = |id: &str| Note {
        user_id: "u1".into(),
        note_id: id.into(),
        content: format!("note {id}"),
        attachment: None,
        created_at: 0,
    };
    let ids = |records: &[notes_repo::stream::ChangeRecord]| -> Vec<String> {
        records
            .iter()
            .map(|r| format!("{:?}", r.keys["noteId"]))
            .collect()
    };
    repo.put(&note("a")).await.unwrap();
    let checkpoint = backend.stream_position("notes").unwrap();

    for (id, refuse) in [("pending", false), ("refused", true)] {
        faults.hold_writes(true);
        let operations = backend.storage_stats().unwrap().operations;
        let put = tokio::spawn({
            let repo = repo.clone();
            let note = note(id);
            async move { repo.put(&note).await }
        });
        // The put is applied in memory and queued for the disk.
        while backend.storage_stats().unwrap().operations == operations {
            tokio::task::yield_now().await;
        }
        let records = tokio::task::spawn_blocking({
            let (backend, checkpoint) = (backend.clone(), checkpoint.clone());
            move || backend.stream_records("notes", Some(&checkpoint))
        });
        let position = tokio::task::spawn_blocking({
            let backend = backend.clone();
            move || backend.stream_position("notes")
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            !records.is_finished() && !position.is_finished(),
            "a stream read answered while the write it saw was not on disk"
        );
        faults.fail_syncs(refuse);
        faults.hold_writes(false);
        let (put, records, position) = (
            put.await.unwrap(),
            records.await.unwrap().unwrap(),
            position.await.unwrap().unwrap(),
        );
        let pending = format!("{:?}", notes_repo::AttributeValue::S("pending".into()));
        assert_eq!(ids(&records), [pending]);
        if refuse {
            assert!(matches!(put, Err(Error::Storage { .. })), "{put:?}");
            // The position is the pending write's, not the refused one's.
            assert_eq!(position, records[0].sequence_number);
        } else {
            put.unwrap();
            assert_eq!(position, records[0].sequence_number);
        }
    }
    faults.fail_syncs(false);
    drop(repo);
    drop(backend);

    let backend = MemoryBackend::open(dir.path()).unwrap();
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    repo.put(&note("after")).await.unwrap();
    let records = backend.stream_records("notes", Some(&checkpoint)).unwrap();
    let expected: Vec<String> = ["pending", "after"]
        .iter()
        .map(|id| format!("{:?}", notes_repo::AttributeValue::S((*id).into())))
        .collect();
    assert_eq!(ids(&records), expected);
    // The reader's checkpoint after `pending` sees the next acknowledged write.
    let records = backend
        .stream_records("notes", Some(&records[0].sequence_number))
        .unwrap();
    assert_eq!(ids(&records), expected[1..]);
}
