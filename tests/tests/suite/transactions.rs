//! Write and read transactions across item types: all or nothing, at most 100 actions.

use notes_repo::{Backend, Error, Item, Note, ReadTransaction, WriteTransaction};
use notes_tests::repo;

use crate::items::{Counter, CounterKey};
use crate::versions::{Doc, doc};

notes_tests::on_every_backend!(
    transactions_are_all_or_nothing,
    transactions_hold_at_most_100_actions,
    transactions_check_versions,
);

/// A write transaction across item types applies all or nothing, and says which action failed.
async fn transactions_are_all_or_nothing<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend.clone(), table).await;
    let counters = repo::<Counter, B>(backend.clone(), &format!("{table}-c")).await;
    let n = Note::new("u1", "first");
    WriteTransaction::new(&backend)
        .put(notes.create(&n))
        .update(
            counters
                .update(&CounterKey::new("notes"))
                .apply(Counter::COUNT.add(1)),
        )
        .commit()
        .await
        .unwrap();
    assert_eq!(
        counters
            .get(&CounterKey::new("notes"))
            .consistent()
            .await
            .unwrap()
            .unwrap()
            .count,
        1
    );

    let second = Note::new("u1", "second");
    let err = WriteTransaction::new(&backend)
        .update(
            counters
                .update(&CounterKey::new("notes"))
                .apply(Counter::COUNT.add(1)),
        )
        .put(notes.create(&second))
        .put(notes.create(&n)) // exists: fails
        .commit()
        .await
        .unwrap_err();
    let Error::TransactionCanceled { reasons, .. } = &err else {
        panic!("{err:?}");
    };
    let failed: Vec<_> = reasons.iter().filter(|r| r.code != "None").collect();
    assert_eq!(failed.len(), 1, "{reasons:?}");
    assert_eq!(
        (failed[0].index, failed[0].code.as_str()),
        (2, "ConditionalCheckFailed")
    );
    assert_eq!(notes.get(&second.key()).consistent().await.unwrap(), None);
    assert_eq!(
        counters
            .get(&CounterKey::new("notes"))
            .consistent()
            .await
            .unwrap()
            .unwrap()
            .count,
        1
    );

    let mut reads = ReadTransaction::new(&backend);
    let a = reads.get(&notes, &n.key());
    let b = reads.get(&counters, &CounterKey::new("notes"));
    let c = reads.get(&notes, &second.key());
    let results = reads.send().await.unwrap();
    assert_eq!(results.get(a).unwrap(), Some(n));
    assert_eq!(results.get(b).unwrap().unwrap().count, 1);
    assert_eq!(results.get(c).unwrap(), None);
}

/// 100 actions is the most a transaction holds; 101 is refused before sending.
async fn transactions_hold_at_most_100_actions<B: Backend>(backend: B, table: &str) {
    let notes = repo::<Note, B>(backend.clone(), table).await;
    let batch: Vec<Note> = (0..101).map(|i| Note::new("u1", format!("n{i}"))).collect();
    let err = batch
        .iter()
        .fold(WriteTransaction::new(&backend), |tx, n| {
            tx.put(notes.put(n))
        })
        .commit()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(notes.query("u1").all().await.unwrap().is_empty());
    batch[..100]
        .iter()
        .fold(WriteTransaction::new(&backend), |tx, n| {
            tx.put(notes.put(n))
        })
        .commit()
        .await
        .unwrap();
    assert_eq!(notes.query("u1").all().await.unwrap().len(), 100);
}

/// Versioned items in transactions are checked like single writes.
async fn transactions_check_versions<B: Backend>(backend: B, table: &str) {
    let docs = repo::<Doc, B>(backend.clone(), table).await;
    let mut d = doc("d1", "v1");
    docs.save(&mut d).await.unwrap();
    let err = WriteTransaction::new(&backend)
        .update(
            docs.update(&d.key())
                .apply(Doc::BODY.set("x"))
                .expect_version(7),
        )
        .commit()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TransactionCanceled { .. }), "{err:?}");
    WriteTransaction::new(&backend)
        .update(
            docs.update(&d.key())
                .apply(Doc::BODY.set("v2"))
                .expect_version(1),
        )
        .commit()
        .await
        .unwrap();
    let stored = docs.get(&d.key()).consistent().await.unwrap().unwrap();
    assert_eq!((stored.body.as_str(), stored.version), ("v2", 2));
    let err = WriteTransaction::new(&backend)
        .delete(docs.delete(&d.key()))
        .commit()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    WriteTransaction::new(&backend)
        .delete(docs.delete(&d.key()).expect_version(2))
        .commit()
        .await
        .unwrap();
    assert_eq!(docs.get(&d.key()).consistent().await.unwrap(), None);
}
