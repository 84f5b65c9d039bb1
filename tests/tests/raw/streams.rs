//! A table's stream: read typed through the DynamoDB Streams API from the test server
//! (dynoxide implements `DescribeStream`, `GetShardIterator` and `GetRecords`), and from the
//! embedded backend's change log (`MemoryBackend::stream_records`), which must give the same
//! records for the same writes.

use futures::TryStreamExt;
use notes_repo::stream::{
    ChangeKind, ChangeRecord, Checkpoints, StreamRecord, StreamViewType, StreamsReader,
};
use notes_repo::{Item, Note, NoteKey, Repo};
use notes_tests::durable_support::TempDir;
use notes_tests::server_support;

use super::*;

notes_tests::on_every_backend!(
    update_table_enables_and_disables_the_stream,
    ;
    memory_only:
    // dynoxide 3.2 enables a stream again over an enabled one and disables a missing one
    // without complaint; DynamoDB refuses both (checked against its answer with the SDK's
    // mocks in notes-aws/tests/sdk_mocks.rs).
    a_second_stream_and_disabling_none_are_refused,
);

/// `UpdateTable`'s `StreamSpecification` enables a stream on a table created without one,
/// disables it, and enables a new one (a new ARN, another view type).
async fn update_table_enables_and_disables_the_stream<B: Backend>(backend: B, table: &str) {
    use notes_repo::stream::StreamSpecification;

    backend
        .create_table(CreateTable::new(table, Note::KEY_SCHEMA))
        .await
        .unwrap();
    wait_until_active(&backend, table).await;
    let described = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    assert_eq!(described.stream, None);

    let enable =
        |view| UpdateTable::new(table).stream_specification(StreamSpecification::Enabled(view));
    backend
        .update_table(enable(StreamViewType::NewAndOldImages))
        .await
        .unwrap();
    wait_until_active(&backend, table).await;
    let first = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap()
        .stream
        .expect("an enabled stream");
    assert_eq!(first.view_type, StreamViewType::NewAndOldImages);
    let first_arn = first.arn.expect("its ARN");
    assert!(
        first_arn
            .as_str()
            .contains(&format!("table/{table}/stream/"))
    );

    backend
        .update_table(UpdateTable::new(table).stream_specification(StreamSpecification::Disabled))
        .await
        .unwrap();
    wait_until_active(&backend, table).await;
    let described = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    assert_eq!(described.stream, None);

    backend
        .update_table(enable(StreamViewType::KeysOnly))
        .await
        .unwrap();
    wait_until_active(&backend, table).await;
    let second = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap()
        .stream
        .expect("an enabled stream");
    assert_eq!(second.view_type, StreamViewType::KeysOnly);
    assert_ne!(second.arn.expect("its ARN"), first_arn);
}

/// "You receive a ValidationException if you try to enable a stream on a table that already
/// has a stream, or if you try to disable a stream on a table that doesn't have a stream"
/// (APIReference/API_UpdateTable.html); the table is left as it was.
async fn a_second_stream_and_disabling_none_are_refused<B: Backend>(backend: B, table: &str) {
    use notes_repo::stream::StreamSpecification;

    backend
        .create_table(CreateTable::new(table, Note::KEY_SCHEMA))
        .await
        .unwrap();
    let disable = UpdateTable::new(table).stream_specification(StreamSpecification::Disabled);
    let err = backend.update_table(disable).await.unwrap_err();
    let Error::Validation { message, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(
        message,
        &format!("Table has no stream to disable: TableName: {table}")
    );

    let enable =
        |view| UpdateTable::new(table).stream_specification(StreamSpecification::Enabled(view));
    backend
        .update_table(enable(StreamViewType::NewImage))
        .await
        .unwrap();
    for view in [StreamViewType::NewImage, StreamViewType::OldImage] {
        let err = backend.update_table(enable(view)).await.unwrap_err();
        let Error::Validation { message, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(
            message,
            &format!("Table already has an enabled stream: TableName: {table}")
        );
    }
    let described = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    assert_eq!(
        described.stream.map(|s| s.view_type),
        Some(StreamViewType::NewImage)
    );
}

/// A stream enabled by `UpdateTable` holds the writes after it only; a disabled one stays
/// readable for 24 hours (with none of the writes after it), then is gone; enabled again, the
/// new stream starts empty.
#[tokio::test]
async fn an_enabled_stream_holds_later_writes_and_a_disabled_one_reads_for_24_hours() {
    use notes_repo::ManualClock;
    use notes_repo::stream::StreamSpecification;
    use std::time::{Duration, SystemTime};

    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000));
    let memory = MemoryBackend::builder().clock(clock.clone()).build();
    memory
        .create_table(CreateTable::new("notes", Note::KEY_SCHEMA))
        .await
        .unwrap();
    // Point-in-time recovery keeps a change log before the stream exists.
    memory
        .update_continuous_backups(UpdateContinuousBackups::new("notes", true))
        .await
        .unwrap();
    let repo: Repo<Note, _> = Repo::new(memory.clone());
    repo.put(&note("before", "not streamed")).await.unwrap();
    let spec = |spec| UpdateTable::new("notes").stream_specification(spec);
    memory
        .update_table(spec(StreamSpecification::Enabled(StreamViewType::NewImage)))
        .await
        .unwrap();
    repo.put(&note("n1", "streamed")).await.unwrap();
    let ids = |records: Vec<ChangeRecord>| -> Vec<String> {
        records
            .iter()
            .map(|r| match &r.keys["noteId"] {
                AttributeValue::S(id) => id.clone(),
                other => panic!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(ids(memory.stream_records("notes", None).unwrap()), ["n1"]);

    memory
        .update_table(spec(StreamSpecification::Disabled))
        .await
        .unwrap();
    repo.put(&note("n2", "after disabling")).await.unwrap();
    clock.advance(Duration::from_secs(23 * 3600));
    assert_eq!(ids(memory.stream_records("notes", None).unwrap()), ["n1"]);
    clock.advance(Duration::from_secs(3600));
    let err = memory.stream_records("notes", None).unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");

    memory
        .update_table(spec(StreamSpecification::Enabled(StreamViewType::KeysOnly)))
        .await
        .unwrap();
    assert!(memory.stream_records("notes", None).unwrap().is_empty());
    repo.delete(&NoteKey::new("u1", "n1")).await.unwrap();
    let records = memory.stream_records("notes", None).unwrap();
    assert_eq!(ids(records.clone()), ["n1"]);
    assert_eq!(records[0].kind, ChangeKind::Remove);
    assert_eq!(records[0].view_type, Some(StreamViewType::KeysOnly));
}

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
    let Some(backend) = server_support::available_backend().await else {
        return;
    };
    let url = server_support::endpoint().expect("a server");
    let table = server_support::table_name("streams");
    let create = CreateTable::new(table.clone(), Note::KEY_SCHEMA)
        .stream_view_type(StreamViewType::NewAndOldImages);
    backend.create_table(create).await.unwrap();
    wait_until_active(&backend, &table).await;
    let described = backend
        .describe_table(DescribeTable::new(table.clone()))
        .await
        .unwrap();
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

    let reader = StreamsReader::new(server_support::streams_client(&url));
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

/// The writes both backends get: inserts, a modify, a failed condition (no record), a
/// delete of nothing (no record), a batch; with `identical_put`, also a put of an item
/// exactly as stored, which writes no record on DynamoDB ("If you perform a PutItem or
/// UpdateItem operation that does not change any data in an item, DynamoDB Streams does not
/// write a stream record for that operation", developerguide/Streams.html) but a `MODIFY`
/// on dynoxide 3.2, so the comparison with the server leaves it out.
async fn writes<B: Backend>(backend: &B, table: &str, identical_put: bool) {
    let repo: Repo<Note, _> = Repo::with_table(backend.clone(), table.to_owned());
    repo.put(&note("n1", "buy milk")).await.unwrap();
    if identical_put {
        repo.put(&note("n1", "buy milk")).await.unwrap();
    }
    repo.put(&note("n2", "call mum")).await.unwrap();
    let refused = repo.create(&note("n1", "again")).await.unwrap_err();
    assert!(
        matches!(refused, notes_repo::Error::AlreadyExists { .. }),
        "{refused:?}"
    );
    repo.update(&NoteKey::new("u1", "n2"))
        .apply(Note::CONTENT.set("call dad"))
        .if_exists()
        .await
        .unwrap();
    repo.delete(&NoteKey::new("u1", "nobody")).await.unwrap();
    repo.batch_put(&[note("n3", "a"), note("n4", "b")])
        .await
        .unwrap();
    repo.delete(&NoteKey::new("u1", "n1")).await.unwrap();
}

/// What a record says, without what differs by backend (sequence numbers, times, shards).
fn essence(record: &ChangeRecord) -> (ChangeKind, ItemMap, Option<ItemMap>, Option<ItemMap>) {
    (
        record.kind,
        record.keys.clone(),
        record.old_image.clone(),
        record.new_image.clone(),
    )
}

#[tokio::test]
async fn the_embedded_stream_has_the_servers_records_for_the_same_writes() {
    let Some(server_backend) = server_support::available_backend().await else {
        return;
    };
    let url = server_support::endpoint().expect("a server");
    let table = server_support::table_name("streams-diff");
    let create = CreateTable::new(table.clone(), Note::KEY_SCHEMA)
        .stream_view_type(StreamViewType::NewAndOldImages);
    server_backend.create_table(create.clone()).await.unwrap();
    wait_until_active(&server_backend, &table).await;
    writes(&server_backend, &table, false).await;
    let arn = server_backend
        .describe_table(DescribeTable::new(table.clone()))
        .await
        .unwrap()
        .stream
        .and_then(|s| s.arn)
        .expect("a stream ARN");
    let reader = StreamsReader::new(server_support::streams_client(&url));
    let from_server: Vec<ChangeRecord> = reader
        .changes(&arn, Checkpoints::default())
        .try_collect()
        .await
        .unwrap();

    let memory = MemoryBackend::new();
    memory.create_table(create).await.unwrap();
    writes(&memory, &table, false).await;
    let described = memory
        .describe_table(DescribeTable::new(table.clone()))
        .await
        .unwrap();
    assert_eq!(
        described.stream.map(|s| s.view_type),
        Some(StreamViewType::NewAndOldImages)
    );
    let from_memory = memory.stream_records(&table, None).unwrap();

    let server: Vec<_> = from_server.iter().map(essence).collect();
    let embedded: Vec<_> = from_memory.iter().map(essence).collect();
    assert_eq!(embedded, server);
    assert_eq!(embedded.len(), 6);
    // Sequence numbers increase and sort as strings.
    assert!(
        from_memory
            .windows(2)
            .all(|w| w[0].sequence_number < w[1].sequence_number)
    );
}

#[tokio::test]
async fn the_view_type_chooses_the_images() {
    for (view, old, new) in [
        (StreamViewType::KeysOnly, false, false),
        (StreamViewType::NewImage, false, true),
        (StreamViewType::OldImage, true, false),
    ] {
        let memory = MemoryBackend::new();
        let create = CreateTable::new("notes", Note::KEY_SCHEMA).stream_view_type(view);
        memory.create_table(create).await.unwrap();
        writes(&memory, "notes", true).await;
        let records = memory.stream_records("notes", None).unwrap();
        assert_eq!(records.len(), 6, "{view}");
        let modify = records
            .iter()
            .find(|r| r.kind == ChangeKind::Modify)
            .unwrap();
        assert_eq!(modify.old_image.is_some(), old, "{view}");
        assert_eq!(modify.new_image.is_some(), new, "{view}");
        assert!(records.iter().all(|r| r.view_type == Some(view)));
    }
    // Without a stream there is nothing to read.
    let memory = MemoryBackend::new();
    memory
        .create_table(CreateTable::new("notes", Note::KEY_SCHEMA))
        .await
        .unwrap();
    let err = memory.stream_records("notes", None).unwrap_err();
    assert!(
        matches!(err, notes_repo::Error::Validation { .. }),
        "{err:?}"
    );
    let err = memory.stream_records("missing", None).unwrap_err();
    assert!(
        matches!(err, notes_repo::Error::TableNotFound { .. }),
        "{err:?}"
    );
}

/// Replaying the stream onto an empty table reproduces the table, whatever the writes (puts,
/// conditional puts that fail, updates, deletes, batch puts and deletes, transactions that
/// commit or are canceled, deletions by time to live on a `ManualClock`), and each key's
/// records are in write order (the Done-when property of issue 19).
#[tokio::test]
async fn replaying_the_stream_reproduces_the_table() {
    use notes_repo::{Clock, ManualClock, WriteTransaction};
    use std::time::{Duration, UNIX_EPOCH};

    let mut ttl_removals = 0;
    let mut canceled = 0;
    for seed in 1..=40_u64 {
        let clock = ManualClock::new(UNIX_EPOCH + Duration::from_secs(1_800_000_000));
        let memory = MemoryBackend::builder().clock(clock.clone()).build();
        let create = CreateTable::new("notes", Note::KEY_SCHEMA)
            .stream_view_type(StreamViewType::NewAndOldImages);
        memory.create_table(create).await.unwrap();
        memory
            .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true))
            .await
            .unwrap();
        let repo: Repo<Note, _> = Repo::new(memory.clone());
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let epoch_seconds =
            |clock: &ManualClock| clock.now().duration_since(UNIX_EPOCH).unwrap().as_secs();
        for step in 0..80 {
            let id = format!("n{}", next(8));
            let other = format!("n{}", next(8));
            let content = format!("c{step}");
            match next(10) {
                0 | 1 => repo.put(&note(&id, &content)).await.map(drop).unwrap(),
                2 => {
                    let _ = repo.create(&note(&id, &content)).await;
                }
                3 => {
                    let _ = repo
                        .update(&NoteKey::new("u1", id.as_str()))
                        .apply(Note::CONTENT.set(content))
                        .if_exists()
                        .await;
                }
                4 => repo
                    .delete(&NoteKey::new("u1", id.as_str()))
                    .await
                    .map(drop)
                    .unwrap(),
                5 if other != id => {
                    repo.batch_put(&[note(&id, &content), note(&other, &content)])
                        .await
                        .unwrap();
                }
                6 if other != id => {
                    let keys = [
                        NoteKey::new("u1", id.as_str()),
                        NoteKey::new("u1", other.as_str()),
                    ];
                    repo.batch_delete(&keys).await.unwrap();
                }
                7 if other != id => {
                    // A create may fail: the whole transaction is canceled, no record.
                    let result = WriteTransaction::new(&memory)
                        .put(repo.create(&note(&id, &content)))
                        .delete(repo.delete(&NoteKey::new("u1", other.as_str())))
                        .await;
                    if let Err(err) = result {
                        assert!(
                            matches!(err, Error::TransactionCanceled { .. }),
                            "seed {seed}: {err:?}"
                        );
                        canceled += 1;
                    }
                }
                8 => {
                    // An item that expires within a minute (or has expired already).
                    let mut item = note(&id, &content).to_item().unwrap();
                    let expires = epoch_seconds(&clock) + next(60) - 10;
                    item.insert("expiresAt".into(), n(&expires.to_string()));
                    memory.put_item(put("notes", item)).await.unwrap();
                }
                _ => {
                    clock.advance(Duration::from_secs(next(30)));
                    memory.expire_items();
                }
            }
        }
        clock.advance(Duration::from_secs(120));
        memory.expire_items();

        let mut replayed: std::collections::BTreeMap<String, ItemMap> = Default::default();
        let mut last_sequence: std::collections::HashMap<String, String> = Default::default();
        for record in memory.stream_records("notes", None).unwrap() {
            let AttributeValue::S(id) = &record.keys["noteId"] else {
                panic!("{record:?}");
            };
            if let Some(before) = last_sequence.insert(id.clone(), record.sequence_number.clone()) {
                assert!(before < record.sequence_number, "seed {seed}");
            }
            match record.kind {
                ChangeKind::Remove => {
                    let old = replayed.remove(id);
                    assert_eq!(old, record.old_image, "seed {seed}: {record:?}");
                    assert!(old.is_some(), "seed {seed}: {record:?}");
                    if record.removed_by_ttl {
                        ttl_removals += 1;
                        let expired = &old.unwrap()["expiresAt"];
                        let AttributeValue::N(at) = expired else {
                            panic!("{expired:?}");
                        };
                        let at = UNIX_EPOCH + Duration::from_secs(at.parse().unwrap());
                        assert!(at < record.approximate_creation_time + Duration::from_secs(1));
                    }
                }
                _ => {
                    let old = replayed.insert(id.clone(), record.new_image.clone().unwrap());
                    assert_eq!(old, record.old_image, "seed {seed}");
                }
            }
        }
        let stored: std::collections::BTreeMap<String, ItemMap> = memory
            .scan(Scan::new("notes"))
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|item| {
                let item = item.into_owned();
                let AttributeValue::S(id) = item["noteId"].clone() else {
                    panic!("{item:?}");
                };
                (id, item)
            })
            .collect();
        assert_eq!(replayed, stored, "seed {seed}");
        // Whatever expired was swept: nothing left with an expiry in the past.
        let now = epoch_seconds(&clock);
        assert!(stored.values().all(|item| match item.get("expiresAt") {
            Some(AttributeValue::N(at)) => at.parse::<u64>().unwrap() > now,
            _ => true,
        }));
    }
    // The workload did exercise what it claims to.
    assert!(ttl_removals > 20, "{ttl_removals}");
    assert!(canceled > 5, "{canceled}");
}

/// A durable store keeps a table's stream setting across a restart.
#[tokio::test]
async fn a_durable_store_keeps_the_stream_setting() {
    let dir = TempDir::new("streams");
    {
        let memory = MemoryBackend::open(dir.path()).unwrap();
        let create =
            CreateTable::new("notes", Note::KEY_SCHEMA).stream_view_type(StreamViewType::KeysOnly);
        memory.create_table(create).await.unwrap();
    }
    let reopened = MemoryBackend::open(dir.path()).unwrap();
    let described = reopened
        .describe_table(DescribeTable::new("notes"))
        .await
        .unwrap();
    assert_eq!(
        described.stream.map(|s| s.view_type),
        Some(StreamViewType::KeysOnly)
    );
}

/// The per-user note counter of the notes app (`notes_examples::note_counter`, the one
/// `cargo run --example notes-stream` and the notes API's `GET /notes/count` use), kept by a
/// handler written for Lambda's DynamoDB event and fed from the embedded stream in Lambda's
/// batches, equals a full count after a random workload; delivery resumes from the last
/// sequence number it answered.
#[tokio::test]
async fn a_lambda_shaped_counter_fed_from_the_embedded_stream_matches_a_full_count() {
    use notes_examples::note_counter::NoteCounter;
    use notes_repo::stream::{deliver_to_lambda, from_lambda_event};

    let memory = MemoryBackend::new();
    let create = CreateTable::new("notes", Note::KEY_SCHEMA)
        .stream_view_type(StreamViewType::NewAndOldImages);
    memory.create_table(create).await.unwrap();
    let repo: Repo<Note, _> = Repo::new(memory.clone());
    let counter = NoteCounter::default();
    let mut batches = 0;
    let mut handler = |event| {
        batches += 1;
        let records = from_lambda_event::<Note>(event);
        if let Ok(records) = &records {
            assert!(records.len() <= 7);
        }
        let counter = counter.clone();
        async move { counter.handle(records?).await }
    };
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut last = None;
    for round in 0..3 {
        for step in 0..50 {
            let user = format!("u{}", next(3));
            let id = format!("n{}", next(10));
            let item = Note {
                user_id: user.clone(),
                note_id: id.clone(),
                content: format!("r{round}s{step}"),
                attachment: None,
                created_at: 1,
            };
            match next(3) {
                0 | 1 => repo.put(&item).await.map(drop).unwrap(),
                _ => repo
                    .delete(&NoteKey::new(user.as_str(), id.as_str()))
                    .await
                    .map(drop)
                    .unwrap(),
            }
        }
        last = deliver_to_lambda(&memory, "notes", last.as_deref(), 7, &mut handler)
            .await
            .unwrap();
    }
    // Lambda's limits on the batch size.
    let err = deliver_to_lambda(&memory, "notes", None, 0, &mut handler)
        .await
        .unwrap_err();
    assert!(
        matches!(err, notes_repo::Error::Validation { .. }),
        "{err:?}"
    );
    assert!(batches > 3);
    for user in ["u0", "u1", "u2"] {
        let stored = repo.query(user).consistent().all().await.unwrap().len() as i64;
        assert_eq!(counter.count(user), stored, "{user}");
    }
}

/// A deletion by time to live is a `REMOVE` marked as such ("the service principal
/// dynamodb.amazonaws.com" in `userIdentity` on DynamoDB), on the embedded stream and through
/// the Lambda event it is delivered in; an app's delete is not.
#[tokio::test]
async fn a_ttl_deletion_is_marked_on_the_stream() {
    use notes_repo::stream::{deliver_to_lambda, from_lambda_event};

    let memory = MemoryBackend::new();
    let create =
        CreateTable::new("notes", Note::KEY_SCHEMA).stream_view_type(StreamViewType::OldImage);
    memory.create_table(create).await.unwrap();
    memory
        .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true))
        .await
        .unwrap();
    let past = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        - 60;
    let mut expiring = note("old", "expired").to_item().unwrap();
    expiring.insert("expiresAt".into(), n(&past.to_string()));
    memory.put_item(put("notes", expiring)).await.unwrap();
    memory
        .put_item(put("notes", note("gone", "x").to_item().unwrap()))
        .await
        .unwrap();
    memory
        .delete_item(DeleteItem::new("notes", note_key("u1", "gone")))
        .await
        .unwrap();
    assert_eq!(memory.expire_items(), 1);

    let records = memory.stream_records("notes", None).unwrap();
    let removals: Vec<(String, bool)> = records
        .iter()
        .filter(|r| r.kind == ChangeKind::Remove)
        .map(|r| {
            let AttributeValue::S(id) = &r.keys["noteId"] else {
                panic!("{r:?}");
            };
            (id.clone(), r.removed_by_ttl)
        })
        .collect();
    assert_eq!(
        removals,
        [("gone".to_owned(), false), ("old".to_owned(), true)]
    );
    let mut marked = Vec::new();
    deliver_to_lambda(&memory, "notes", None, 10, |event| {
        let records = from_lambda_event::<Note>(event);
        if let Ok(records) = &records {
            marked.extend(records.iter().map(|r| r.removed_by_ttl));
        }
        async move { records.map(drop) }
    })
    .await
    .unwrap();
    assert_eq!(marked, [false, false, false, true]);
}

/// The note ids of `records`, in order.
fn note_ids(records: &[ChangeRecord]) -> Vec<String> {
    records
        .iter()
        .map(|r| match &r.keys["noteId"] {
            AttributeValue::S(id) => id.clone(),
            other => panic!("{other:?}"),
        })
        .collect()
}

/// Issue 24, defect 9: resuming after a checkpoint whose next records are older than 24 hours
/// (trimmed) is DynamoDB's `TrimmedDataAccessException`, `Error::TrimmedData`, never the later
/// records alone: whether the trimmed records were dropped from the change log (a write came
/// after they aged) or are still in it, and through `deliver_to_lambda` too. Reading from the
/// oldest record kept (no checkpoint, `TRIM_HORIZON`) answers what is kept; a checkpoint after
/// which nothing was trimmed resumes, however old the checkpoint itself; and
/// `MemoryBackend::stream_position` is such a checkpoint even when every record is trimmed.
/// On main (dc45f5e) the trimmed checkpoint answered `Ok` with the later records only.
#[tokio::test]
async fn a_checkpoint_whose_next_records_were_trimmed_is_trimmed_data() {
    use notes_repo::ManualClock;
    use notes_repo::stream::deliver_to_lambda;
    use std::time::{Duration, SystemTime};

    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000));
    let memory = MemoryBackend::builder().clock(clock.clone()).build();
    let create =
        CreateTable::new("notes", Note::KEY_SCHEMA).stream_view_type(StreamViewType::NewImage);
    memory.create_table(create).await.unwrap();
    let arn = memory
        .describe_table(DescribeTable::new("notes"))
        .await
        .unwrap()
        .stream
        .and_then(|s| s.arn)
        .expect("the stream's ARN");
    let repo: Repo<Note, _> = Repo::new(memory.clone());
    repo.put(&note("n1", "counted")).await.unwrap();
    let checkpoint = memory.stream_records("notes", None).unwrap()[0]
        .sequence_number
        .clone();
    repo.put(&note("n2", "missed")).await.unwrap();
    repo.put(&note("n3", "missed")).await.unwrap();
    let n3 = memory.stream_records("notes", None).unwrap()[2]
        .sequence_number
        .clone();
    clock.advance(Duration::from_secs(25 * 3600));
    // n2 and n3 are trimmed from the stream, still in the change log: no write since.
    let err = memory
        .stream_records("notes", Some(&checkpoint))
        .unwrap_err();
    assert!(
        matches!(&err, Error::TrimmedData { stream, after: Some(after), .. }
            if stream == arn.as_str() && after == &checkpoint),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!(
            "trimmed data access on stream `{arn}` after sequence number {checkpoint}: The \
             operation attempted to read past the oldest stream record in a shard."
        )
    );
    repo.put(&note("n4", "fresh")).await.unwrap();
    // Now dropped from the log by the write: the same answer.
    let err = memory
        .stream_records("notes", Some(&checkpoint))
        .unwrap_err();
    assert!(matches!(err, Error::TrimmedData { .. }), "{err:?}");
    let err = deliver_to_lambda(&memory, "notes", Some(&checkpoint), 10, |_| async {
        panic!("no batch may be delivered past trimmed records")
    })
    .await
    .unwrap_err();
    assert!(matches!(err, Error::TrimmedData { .. }), "{err:?}");
    // From the oldest record kept, and after a checkpoint older than 24 hours that nothing
    // after was trimmed: n4.
    assert_eq!(
        note_ids(&memory.stream_records("notes", None).unwrap()),
        ["n4"]
    );
    assert_eq!(
        note_ids(&memory.stream_records("notes", Some(&n3)).unwrap()),
        ["n4"]
    );
    // A write that changed nothing has no record: its age trims nothing.
    let n4 = memory.stream_records("notes", None).unwrap()[0]
        .sequence_number
        .clone();
    repo.put(&note("n4", "fresh")).await.unwrap();
    clock.advance(Duration::from_secs(25 * 3600));
    assert!(
        memory
            .stream_records("notes", Some(&n4))
            .unwrap()
            .is_empty()
    );

    // Every record is trimmed now: the stream's position (DynamoDB's LATEST) is a checkpoint
    // all the same, where reading from the oldest record kept would lose n5 silently a day
    // later.
    let position = memory.stream_position("notes").unwrap();
    assert!(position.as_str() >= n4.as_str(), "{position} {n4}");
    repo.put(&note("n5", "after the position")).await.unwrap();
    assert_eq!(
        note_ids(&memory.stream_records("notes", Some(&position)).unwrap()),
        ["n5"]
    );
    clock.advance(Duration::from_secs(25 * 3600));
    assert!(memory.stream_records("notes", None).unwrap().is_empty());
    let err = memory.stream_records("notes", Some(&position)).unwrap_err();
    assert!(matches!(err, Error::TrimmedData { .. }), "{err:?}");
}

/// Issue 24 (second attack), `identical-trim`: a write that has no record (a put of an
/// identical item, or writes made while the stream was disabled) uses a sequence number; its
/// age is no trimmed record. After a 25-hour idle and a new write, the checkpoint before such
/// a gap resumes with the new record, and answers `Error::TrimmedData` only when a record
/// after it really aged out. On the integration branch (2044a6f) the identical put answered
/// `TrimmedData`; the disabled-stream cases held there already (the re-enabled stream starts
/// after the gap) and guard the new trim check.
#[tokio::test]
async fn a_gap_in_the_numbering_that_lost_no_record_is_not_trimmed_data() {
    use notes_repo::ManualClock;
    use notes_repo::stream::StreamSpecification;
    use std::time::{Duration, SystemTime};

    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000));
    let memory = MemoryBackend::builder().clock(clock.clone()).build();
    let create =
        CreateTable::new("notes", Note::KEY_SCHEMA).stream_view_type(StreamViewType::NewImage);
    memory.create_table(create).await.unwrap();
    let repo: Repo<Note, _> = Repo::new(memory.clone());
    let day = Duration::from_secs(25 * 3600);

    // An identical put.
    repo.put(&note("a", "same")).await.unwrap();
    let checkpoint = memory.stream_position("notes").unwrap();
    repo.put(&note("a", "same")).await.unwrap();
    clock.advance(day);
    repo.put(&note("b", "new")).await.unwrap();
    let records = memory.stream_records("notes", Some(&checkpoint)).unwrap();
    assert_eq!(note_ids(&records), ["b"]);
    assert_eq!(records[0].kind, ChangeKind::Insert);

    // Writes while the stream is disabled and nothing records (numbered all the same), then
    // enabled again.
    let spec = |spec| UpdateTable::new("notes").stream_specification(spec);
    let checkpoint = memory.stream_position("notes").unwrap();
    memory
        .update_table(spec(StreamSpecification::Disabled))
        .await
        .unwrap();
    repo.put(&note("x", "not streamed")).await.unwrap();
    memory
        .update_table(spec(StreamSpecification::Enabled(StreamViewType::NewImage)))
        .await
        .unwrap();
    clock.advance(day);
    repo.put(&note("y", "streamed")).await.unwrap();
    assert_eq!(
        note_ids(&memory.stream_records("notes", Some(&checkpoint)).unwrap()),
        ["y"]
    );

    // The same with point-in-time recovery on, which keeps the disabled stream's writes in
    // the change log.
    memory
        .update_continuous_backups(UpdateContinuousBackups::new("notes", true))
        .await
        .unwrap();
    memory
        .update_table(spec(StreamSpecification::Disabled))
        .await
        .unwrap();
    repo.put(&note("c", "not streamed")).await.unwrap();
    repo.put(&note("d", "not streamed")).await.unwrap();
    memory
        .update_table(spec(StreamSpecification::Enabled(StreamViewType::NewImage)))
        .await
        .unwrap();
    let checkpoint = memory.stream_position("notes").unwrap();
    clock.advance(day);
    repo.put(&note("e", "streamed")).await.unwrap();
    assert_eq!(
        note_ids(&memory.stream_records("notes", Some(&checkpoint)).unwrap()),
        ["e"]
    );

    // A record after the checkpoint that aged out is trimmed, identical put or not.
    let checkpoint = memory.stream_position("notes").unwrap();
    repo.put(&note("f", "aged")).await.unwrap();
    repo.put(&note("f", "aged")).await.unwrap();
    clock.advance(day);
    repo.put(&note("g", "new")).await.unwrap();
    let err = memory
        .stream_records("notes", Some(&checkpoint))
        .unwrap_err();
    assert!(matches!(err, Error::TrimmedData { .. }), "{err:?}");
}

/// Issue 24 (second attack), `recreate`: a table deleted and created again under the same
/// name has a new stream whose sequence numbers start again; a checkpoint of the old stream
/// beyond the new one's last sequence number is DynamoDB's `ValidationException`
/// (`Error::Validation` naming the sequence number), never a read that silently skips the
/// new stream's first records. On the integration branch (2044a6f) it answered `Ok` with
/// no record.
#[tokio::test]
async fn a_checkpoint_of_a_deleted_tables_stream_is_refused_on_the_new_one() {
    let memory = MemoryBackend::new();
    let create =
        || CreateTable::new("notes", Note::KEY_SCHEMA).stream_view_type(StreamViewType::NewImage);
    memory.create_table(create()).await.unwrap();
    let repo: Repo<Note, _> = Repo::new(memory.clone());
    for id in ["o1", "o2", "o3", "o4", "o5"] {
        repo.put(&note(id, "old table")).await.unwrap();
    }
    let checkpoint = memory.stream_position("notes").unwrap();
    memory
        .delete_table(DeleteTable::new("notes"))
        .await
        .unwrap();
    memory.create_table(create()).await.unwrap();
    repo.put(&note("n1", "new table")).await.unwrap();
    repo.put(&note("n2", "new table")).await.unwrap();

    let err = memory
        .stream_records("notes", Some(&checkpoint))
        .unwrap_err();
    assert!(
        matches!(&err, Error::Validation { message, .. } if message.contains(&checkpoint)),
        "{err:?}"
    );
    // The new stream read from its start, and its own checkpoints, answer as before.
    let records = memory.stream_records("notes", None).unwrap();
    assert_eq!(note_ids(&records), ["n1", "n2"]);
    let position = memory.stream_position("notes").unwrap();
    assert!(
        memory
            .stream_records("notes", Some(&position))
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        note_ids(
            &memory
                .stream_records("notes", Some(&records[0].sequence_number))
                .unwrap()
        ),
        ["n2"]
    );
}
