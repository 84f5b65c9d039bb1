//! Write and read transactions across item types: all or nothing, at most 100 actions.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use notes_repo::request::{TransactWriteItems, TransactWriteItemsOutput};
use notes_repo::{
    Backend, Error, Item, Layer, MemoryBackend, Note, ReadTransaction, Result, WriteTransaction,
};
use notes_tests::repo;

use crate::items::{Counter, CounterKey};
use crate::versions::{Doc, doc};

notes_tests::on_every_backend!(
    lagging:
    transactions_are_all_or_nothing,
    transactions_hold_at_most_100_actions,
    transactions_check_versions,
    transactions_over_4_mb_are_refused_before_sending,
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
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(
        notes
            .query("u1")
            .consistent()
            .all()
            .await
            .unwrap()
            .is_empty()
    );
    batch[..100]
        .iter()
        .fold(WriteTransaction::new(&backend), |tx, n| {
            tx.put(notes.put(n))
        })
        .await
        .unwrap();
    assert_eq!(
        notes.query("u1").consistent().all().await.unwrap().len(),
        100
    );
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
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TransactionCanceled { .. }), "{err:?}");
    WriteTransaction::new(&backend)
        .update(
            docs.update(&d.key())
                .apply(Doc::BODY.set("v2"))
                .expect_version(1),
        )
        .await
        .unwrap();
    let stored = docs.get(&d.key()).consistent().await.unwrap().unwrap();
    assert_eq!((stored.body.as_str(), stored.version), ("v2", 2));
    let err = WriteTransaction::new(&backend)
        .delete(docs.delete(&d.key()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    WriteTransaction::new(&backend)
        .delete(docs.delete(&d.key()).expect_version(2))
        .await
        .unwrap();
    assert_eq!(docs.get(&d.key()).consistent().await.unwrap(), None);
}

/// A write transaction whose items add up to more than 4 MB is refused before anything is
/// sent, with DynamoDB's message; one just under the limit commits.
async fn transactions_over_4_mb_are_refused_before_sending<B: Backend>(backend: B, table: &str) {
    let counted = CountedTransactions::new(backend);
    let notes = repo::<Note, _>(counted.clone(), table).await;
    // 11 notes of 390 KB are 4.3 MB; 10 are 3.9 MB.
    let content = "x".repeat(390 * 1024);
    let batch: Vec<Note> = (0..11).map(|_| Note::new("u1", content.clone())).collect();
    let err = batch
        .iter()
        .fold(WriteTransaction::new(&counted), |tx, n| {
            tx.put(notes.create(n))
        })
        .await
        .unwrap_err();
    let Error::Validation { message, .. } = &err else {
        panic!("{err:?}");
    };
    assert!(
        message.starts_with(
            "Collection size of items exceeded, which can also be caused by the aggregate size \
             of the items in the transaction exceeding the 4MB limit"
        ),
        "{message}"
    );
    assert_eq!(counted.calls(), 0, "nothing was sent");
    assert!(
        notes
            .query("u1")
            .consistent()
            .all()
            .await
            .unwrap()
            .is_empty()
    );
    batch[..10]
        .iter()
        .fold(WriteTransaction::new(&counted), |tx, n| {
            tx.put(notes.create(n))
        })
        .await
        .unwrap();
    assert_eq!(counted.calls(), 1);
    assert_eq!(
        notes.query("u1").consistent().all().await.unwrap().len(),
        10
    );
}

/// A layer that counts `TransactWriteItems` requests, and changes nothing.
#[derive(Clone)]
struct CountedTransactions<B> {
    inner: B,
    calls: Arc<AtomicU32>,
}

/// Issue 24, defect 8: a `WriteTransaction` built again from the same notes with the
/// caller's own token is the same request, answered `Ok` without being applied again
/// (its `create` would fail the second time). On main (dc45f5e) every rebuilt attempt
/// answered `IdempotentParameterMismatch`: the fingerprint was `Debug` of the items'
/// hash maps, whose order differs from one map to the next. MemoryBackend only: its tokens'
/// fingerprints (moved here from the engine's unit tests, which do not use `Repo`).
#[tokio::test]
async fn the_same_transaction_rebuilt_with_its_token_is_accepted_again() {
    let backend = MemoryBackend::new();
    let repo = repo::<Note, _>(backend.clone(), "notes").await;
    let mut first = Note::new("u1", "order 42");
    first.attachment = Some("invoice.pdf".into());
    let second = Note::new("u1", "order 42, line 2");
    let order = Note::new("u1", "order 42: open");
    repo.put(&order).await.unwrap();
    for attempt in 0..20 {
        let result = WriteTransaction::new(&backend)
            .put(repo.create(&first))
            .put(repo.create(&second))
            .update(
                repo.update(&order.key())
                    .apply(Note::CONTENT.set("paid"))
                    .if_exists(),
            )
            .idempotency_token("order-42")
            .await;
        assert!(result.is_ok(), "attempt {attempt}: {result:?}");
    }
    assert_eq!(repo.query("u1").consistent().all().await.unwrap().len(), 3);
}

impl<B> CountedTransactions<B> {
    fn new(inner: B) -> Self {
        CountedTransactions {
            inner,
            calls: Arc::default(),
        }
    }

    fn calls(&self) -> u32 {
        self.calls.load(Ordering::SeqCst)
    }
}

impl<B: Backend> Layer for CountedTransactions<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.inner
    }

    fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> impl Future<Output = Result<TransactWriteItemsOutput>> + Send {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.transact_write_items(request)
    }
}
