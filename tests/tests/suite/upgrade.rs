//! The first surface's spellings, kept one release as deprecated aliases, do what their new
//! spellings do (that each still compiles, with a note naming the new spelling, is the
//! `first_surface_upgrade` compile test of notes-model); and every builder sends alike by
//! `.await` and by `.send()`.
#![allow(deprecated)]

use notes_repo::request::BillingMode;
use notes_repo::stream::StreamViewType;
use notes_repo::{
    AutoScaling, Backend, Error, Item, ManualClock, MemoryBackend, Note, Query, ReadTransaction,
    Repo, Scan, TableScaling, WriteTransaction,
};
use notes_tests::repo;

use crate::versions::{Doc, DocKey, doc};

notes_tests::on_every_backend!(
    first_surface_item_spellings_still_work,
    first_surface_transaction_and_table_spellings_still_work,
    every_builder_sends_alike_by_await_and_by_send,
);

/// `put_if`, `get_consistent`, `UpdateBuilder::set`, `send_returning_old`,
/// `batch_get_consistent`, `consistent_read`, `sort_key_prefix`, `delete_if` and
/// `delete_version`, and the type names `Query` and `Scan`.
async fn first_surface_item_spellings_still_work<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend.clone(), table).await;
    let n = Note::new("u1", "v1");
    let key = n.key();
    notes.put_if(&n, Note::CONTENT.not_exists()).await.unwrap();
    let err = notes
        .put_if(&n, Note::CONTENT.not_exists())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    assert_eq!(notes.get_consistent(&key).await.unwrap(), Some(n.clone()));

    let updated = notes
        .update(&key)
        .set(Note::CONTENT.set("v2"))
        .if_exists()
        .send()
        .await
        .unwrap();
    assert_eq!(updated.content, "v2");
    let old = notes
        .update(&key)
        .set(Note::CONTENT.set("v3"))
        .if_exists()
        .send_returning_old()
        .await
        .unwrap();
    assert_eq!(old.map(|note| note.content), Some("v2".to_owned()));
    let stored = Note {
        content: "v3".into(),
        ..n.clone()
    };
    assert_eq!(
        notes.batch_get_consistent([&key]).await.unwrap(),
        std::slice::from_ref(&stored)
    );

    let query: Query<'_, Note, B> = notes.query("u1").consistent_read();
    let prefix = n.note_id[..8].to_owned();
    assert_eq!(
        query.sort_key_prefix(prefix).all().await.unwrap(),
        std::slice::from_ref(&stored)
    );
    let scan: Scan<'_, Note, B> = notes.scan().consistent_read();
    assert_eq!(scan.all().await.unwrap(), std::slice::from_ref(&stored));

    let err = notes
        .delete_if(&key, Note::CONTENT.eq("v1"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    assert_eq!(
        notes.delete_if(&key, Note::CONTENT.eq("v3")).await.unwrap(),
        Some(stored)
    );

    let docs = repo::<Doc, B>(backend, &format!("{table}-docs")).await;
    let mut d = doc("d1", "draft");
    docs.save(&mut d).await.unwrap();
    let err = docs
        .delete_version(&DocKey::new("d1"), 7)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
    assert_eq!(
        docs.delete_version(&DocKey::new("d1"), 1).await.unwrap(),
        Some(d)
    );
}

/// `ensure_table_with_stream`, and a `WriteTransaction` built with `create` and
/// `delete_version` and sent with `commit`.
async fn first_surface_transaction_and_table_spellings_still_work<B: Backend>(
    backend: B,
    table: &str,
) {
    let notes: Repo<Note, B> = Repo::with_table(backend.clone(), table.to_owned());
    let view = StreamViewType::NewAndOldImages;
    let created = notes
        .ensure_table_with_stream(BillingMode::PayPerRequest, view)
        .await
        .unwrap();
    assert_eq!(created.stream.map(|s| s.view_type), Some(view));
    let err = notes
        .ensure_table_with_stream(BillingMode::PayPerRequest, StreamViewType::KeysOnly)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::StreamMismatch { .. }), "{err:?}");

    let docs = repo::<Doc, B>(backend.clone(), &format!("{table}-docs")).await;
    let mut d = doc("d1", "draft");
    docs.save(&mut d).await.unwrap();
    let n = Note::new("u1", "created in a transaction");
    WriteTransaction::new(&backend)
        .create(&notes, &n)
        .delete_version(&docs, &DocKey::new("d1"), 1)
        .commit()
        .await
        .unwrap();
    assert_eq!(
        notes.get(&n.key()).consistent().await.unwrap(),
        Some(n.clone())
    );
    assert_eq!(
        docs.get(&DocKey::new("d1")).consistent().await.unwrap(),
        None
    );
    let err = WriteTransaction::new(&backend)
        .create(&notes, &n)
        .commit()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TransactionCanceled { .. }), "{err:?}");
}

/// Every builder answers the same whether it is awaited or sent with `.send()`.
async fn every_builder_sends_alike_by_await_and_by_send<B: Backend>(backend: B, table: &str) {
    let notes: Repo<Note, B> = Repo::with_table(backend.clone(), table.to_owned());
    let by_send = notes
        .ensure_table(BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
    let by_await = notes
        .ensure_table(BillingMode::PayPerRequest)
        .await
        .unwrap();
    assert_eq!(by_send.key_schema, by_await.key_schema);

    let a = Note::new("u1", "a");
    let b = Note::new("u1", "b");
    notes.put(&a).send().await.unwrap();
    notes.create(&b).await.unwrap();
    assert_eq!(
        notes.get(&a.key()).consistent().send().await.unwrap(),
        notes.get(&a.key()).consistent().await.unwrap()
    );
    let sent = notes
        .update(&a.key())
        .apply(Note::CONTENT.set("a2"))
        .if_exists()
        .send()
        .await
        .unwrap();
    let awaited = notes
        .update(&a.key())
        .apply(Note::CONTENT.set("a2"))
        .if_exists()
        .await
        .unwrap();
    assert_eq!(sent, awaited);
    let all = notes.query("u1").consistent().send().await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(notes.query("u1").consistent().await.unwrap(), all);
    let mut scanned = notes.scan().consistent().send().await.unwrap();
    scanned.sort_by(|x, y| x.note_id.cmp(&y.note_id));
    assert_eq!(scanned, all);
    assert_eq!(notes.scan().consistent().await.unwrap().len(), 2);
    let keys = [a.key(), b.key()];
    assert_eq!(
        notes.batch_get(&keys).consistent().send().await.unwrap(),
        notes.batch_get(&keys).consistent().await.unwrap()
    );

    let mut tx = ReadTransaction::new(&backend);
    let slot = tx.get(&notes, &b.key());
    assert_eq!(tx.send().await.unwrap().get(slot).unwrap(), Some(b.clone()));
    let mut tx = ReadTransaction::new(&backend);
    let slot = tx.get(&notes, &b.key());
    assert_eq!(tx.await.unwrap().get(slot).unwrap(), Some(b.clone()));

    let c = Note::new("u2", "c");
    let d = Note::new("u2", "d");
    WriteTransaction::new(&backend)
        .put(notes.create(&c))
        .send()
        .await
        .unwrap();
    WriteTransaction::new(&backend)
        .put(notes.create(&d))
        .await
        .unwrap();
    assert_eq!(notes.query("u2").consistent().await.unwrap().len(), 2);

    let batch = [Note::new("u3", "e"), Note::new("u3", "f")];
    notes.batch_put(&batch[..1]).send().await.unwrap();
    notes.batch_put(&batch[1..]).await.unwrap();
    assert_eq!(notes.query("u3").consistent().await.unwrap().len(), 2);
    notes.batch_delete([&batch[0].key()]).send().await.unwrap();
    notes.batch_delete([&batch[1].key()]).await.unwrap();
    assert!(notes.query("u3").consistent().await.unwrap().is_empty());
    assert_eq!(notes.delete(&c.key()).send().await.unwrap(), Some(c));
    assert_eq!(notes.delete(&d.key()).await.unwrap(), Some(d));
}

/// `ensure_table_with_auto_scaling` registers, then verifies (auto scaling runs on the
/// embedded backend only).
#[tokio::test]
async fn first_surface_auto_scaling_spelling_still_works() {
    let backend = MemoryBackend::builder()
        .clock(ManualClock::new(std::time::SystemTime::UNIX_EPOCH))
        .enforce_throughput(true)
        .build();
    let notes: Repo<Note, _> = Repo::new(backend);
    let provisioned = BillingMode::Provisioned {
        read_capacity_units: 5,
        write_capacity_units: 5,
    };
    let scaling = TableScaling::all(AutoScaling::default());
    notes
        .ensure_table_with_auto_scaling(provisioned, &scaling)
        .await
        .unwrap();
    assert_eq!(notes.auto_scaling().await.unwrap(), scaling);
    let other = TableScaling::new().write(AutoScaling::new(5, 100, 50.0).unwrap());
    let err = notes
        .ensure_table_with_auto_scaling(provisioned, &other)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AutoScalingMismatch { .. }), "{err:?}");
}
