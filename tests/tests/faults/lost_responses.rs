//! Every typed write under every fault, one at a time, on the AWS backend through the proxy:
//! a reset before the server sees the request, a reset after the server applied it (the
//! response is lost), a 500 after the server applied it, and throttling. The SDK retries each;
//! the caller must get the answer that matches what happened, and the table must hold what one
//! write would have left.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::network::backend_at;
use crate::proxy::{self, Fault, FaultProxy};
use notes_repo::prelude::*;
use notes_repo::{Note, WriteTransaction};

/// A versioned item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(table = "docs")]
struct Doc {
    #[partition_key]
    id: String,
    body: String,
    #[version]
    version: u64,
}

/// A counter, for `ADD`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(table = "counters")]
struct Counter {
    #[partition_key]
    id: String,
    count: u64,
}

/// The fault to inject into the next request of one operation, once.
type Armed = Arc<Mutex<Option<(&'static str, Fault)>>>;

struct Setup {
    notes: Repo<Note, DynamoDbBackend>,
    docs: Repo<Doc, DynamoDbBackend>,
    counters: Repo<Counter, DynamoDbBackend>,
    /// The same tables, without the proxy: what is really stored.
    direct_notes: Repo<Note, DynamoDbBackend>,
    direct_docs: Repo<Doc, DynamoDbBackend>,
    direct_counters: Repo<Counter, DynamoDbBackend>,
    armed: Armed,
    fault: Fault,
    _proxy: FaultProxy,
}

impl Setup {
    async fn new(name: &str, fault: Fault) -> Option<Setup> {
        let direct = notes_tests::server_support::available_backend().await?;
        let upstream = notes_tests::server_support::endpoint()?;
        let armed: Armed = Arc::default();
        let plan: proxy::Plan = {
            let armed = armed.clone();
            Arc::new(move |_, operation| {
                let mut armed = armed.lock().unwrap();
                match *armed {
                    Some((target, fault)) if target == operation => {
                        *armed = None;
                        fault
                    }
                    _ => Fault::Pass,
                }
            })
        };
        let proxy = FaultProxy::start(&upstream, plan).await;
        let through = backend_at(&proxy.url);
        let table = |kind: &str| notes_tests::server_support::table_name(&format!("{name}-{kind}"));
        let (notes, docs, counters) = (table("notes"), table("docs"), table("counters"));
        let setup = Setup {
            notes: Repo::with_table(through.clone(), notes.clone()),
            docs: Repo::with_table(through.clone(), docs.clone()),
            counters: Repo::with_table(through, counters.clone()),
            direct_notes: Repo::with_table(direct.clone(), notes),
            direct_docs: Repo::with_table(direct.clone(), docs),
            direct_counters: Repo::with_table(direct, counters),
            armed,
            fault,
            _proxy: proxy,
        };
        let on_demand = BillingMode::PayPerRequest;
        setup.direct_notes.ensure_table(on_demand).await.unwrap();
        setup.direct_docs.ensure_table(on_demand).await.unwrap();
        setup.direct_counters.ensure_table(on_demand).await.unwrap();
        Some(setup)
    }

    /// Injects this setup's fault into the next request of `operation`.
    fn arm(&self, operation: &'static str) {
        *self.armed.lock().unwrap() = Some((operation, self.fault));
    }

    /// Asserts that the armed fault was injected (the write really met it).
    fn fired(&self, what: &str) {
        assert!(
            self.armed.lock().unwrap().is_none(),
            "{what}: the {:?} fault was never injected",
            self.fault
        );
    }

    fn applied_before_the_fault(&self) -> bool {
        matches!(
            self.fault,
            Fault::ResetAfterApply | Fault::ServerErrorAfterApply
        )
    }
}

fn note(user: &str, id: &str, content: &str) -> Note {
    Note {
        user_id: user.into(),
        note_id: id.into(),
        content: content.into(),
        attachment: None,
        created_at: 1,
    }
}

/// Runs every write kind once under `fault`, each cell with its own key.
async fn every_write_under(name: &str, fault: Fault) {
    let Some(s) = Setup::new(name, fault).await else {
        return;
    };
    let applied = s.applied_before_the_fault();

    // put
    let put = note("u", "put", "hello");
    s.arm("PutItem");
    s.notes.put(&put).await.unwrap();
    s.fired("put");
    assert_eq!(
        s.direct_notes.get(&put.key()).consistent().await.unwrap(),
        Some(put)
    );

    // create: not AlreadyExists for its own first attempt; another item with its key still is
    let created = note("u", "create", "new");
    s.arm("PutItem");
    s.notes.create(&created).await.unwrap();
    s.fired("create");
    let stored = s
        .direct_notes
        .get(&created.key())
        .consistent()
        .await
        .unwrap();
    assert_eq!(stored.as_ref(), Some(&created));
    let other = note("u", "create", "someone else's");
    let again = s.notes.create(&other).await.unwrap_err();
    assert!(matches!(again, Error::AlreadyExists { .. }), "{again:?}");

    // save (a versioned put): first write, then a second one
    let mut doc = Doc {
        id: "save".into(),
        body: "v1".into(),
        version: 0,
    };
    s.arm("PutItem");
    s.docs.save(&mut doc).await.unwrap();
    s.fired("save (first)");
    assert_eq!(doc.version, 1);
    doc.body = "v2".into();
    s.arm("PutItem");
    s.docs.save(&mut doc).await.unwrap();
    s.fired("save (second)");
    assert_eq!(doc.version, 2);
    assert_eq!(
        s.direct_docs.get(&doc.key()).consistent().await.unwrap(),
        Some(doc.clone())
    );

    // update of an existing item
    s.arm("UpdateItem");
    let edited = s
        .notes
        .update(&put_key("put"))
        .apply(Note::CONTENT.set("edited"))
        .if_exists()
        .await
        .unwrap();
    s.fired("update if_exists");
    assert_eq!(edited.content, "edited");

    // update with a condition that the update itself makes false
    s.arm("UpdateItem");
    let edited = s
        .notes
        .update(&put_key("put"))
        .apply(Note::CONTENT.set("edited twice"))
        .condition(Note::CONTENT.eq("edited"))
        .if_exists()
        .await
        .unwrap();
    s.fired("update with a condition");
    assert_eq!(edited.content, "edited twice");

    // versioned update
    s.arm("UpdateItem");
    let updated = s
        .docs
        .update(&doc.key())
        .apply(Doc::BODY.set("v3"))
        .expect_version(2)
        .await
        .unwrap();
    s.fired("versioned update");
    assert_eq!((updated.body.as_str(), updated.version), ("v3", 3));

    // deletes: the item is gone; the deleted item is answered unless its answer was lost
    for (case, condition) in [("delete", None), ("delete with a condition", Some("bye"))] {
        let doomed = note("u", case, "bye");
        s.direct_notes.put(&doomed).await.unwrap();
        let key = doomed.key();
        let mut delete = s.notes.delete(&key);
        if let Some(content) = condition {
            delete = delete.condition(Note::CONTENT.eq(content));
        }
        s.arm("DeleteItem");
        let answer = delete.await.unwrap();
        s.fired(case);
        assert_eq!(answer, (!applied).then(|| doomed.clone()), "{case}");
        assert_eq!(
            s.direct_notes
                .get(&doomed.key())
                .consistent()
                .await
                .unwrap(),
            None
        );
    }
    s.arm("DeleteItem");
    let answer = s.docs.delete(&doc.key()).expect_version(3).await.unwrap();
    s.fired("versioned delete");
    assert_eq!(answer, (!applied).then(|| updated.clone()));
    assert_eq!(
        s.direct_docs.get(&doc.key()).consistent().await.unwrap(),
        None
    );

    // batch write
    let batch: Vec<Note> = (0..30)
        .map(|i| note("batch", &format!("n{i:02}"), "b"))
        .collect();
    s.arm("BatchWriteItem");
    s.notes.batch_put(&batch).await.unwrap();
    s.fired("batch write");
    assert_eq!(s.direct_notes.query("batch").all().await.unwrap(), batch);

    // a write transaction is applied once: its ADD counts one
    let tally = Counter {
        id: "transaction".into(),
        count: 0,
    };
    s.direct_counters.put(&tally).await.unwrap();
    s.arm("TransactWriteItems");
    WriteTransaction::new(s.counters.backend())
        .update(
            s.counters
                .update(&tally.key())
                .apply(Counter::COUNT.add(1_u64))
                .if_exists(),
        )
        .put(s.notes.put(&note("u", "transaction", "with a counter")))
        .await
        .unwrap();
    s.fired("write transaction");
    let counted = s
        .direct_counters
        .get(&tally.key())
        .consistent()
        .await
        .unwrap();
    assert_eq!(
        counted.map(|c| c.count),
        Some(1),
        "the transaction applied once"
    );

    // a bare ADD is applied at least once: twice when its answer was lost (its docs say so,
    // and point at the transaction above)
    let bare = Counter {
        id: "bare".into(),
        count: 0,
    };
    s.direct_counters.put(&bare).await.unwrap();
    s.arm("UpdateItem");
    s.counters
        .update(&bare.key())
        .apply(Counter::COUNT.add(1_u64))
        .if_exists()
        .await
        .unwrap();
    s.fired("ADD");
    let counted = s
        .direct_counters
        .get(&bare.key())
        .consistent()
        .await
        .unwrap();
    assert_eq!(counted.map(|c| c.count), Some(if applied { 2 } else { 1 }));
}

fn put_key(id: &str) -> notes_repo::NoteKey {
    notes_repo::NoteKey::new("u", id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_survives_a_reset_before_the_server_sees_it() {
    every_write_under("lost-reset-before", Fault::Reset).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_answers_as_applied_when_its_response_is_reset() {
    every_write_under("lost-reset-after", Fault::ResetAfterApply).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_answers_as_applied_after_a_500_from_an_applied_request() {
    every_write_under("lost-500-after", Fault::ServerErrorAfterApply).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_survives_throttling() {
    every_write_under("lost-throttle", Fault::Throttle).await;
}

/// A throttled attempt was never applied (DynamoDB answers throttling with a 400 before doing
/// anything), so the SDK's retry after it is no evidence that the write happened: a create
/// that finds an identical item someone else wrote is `AlreadyExists`, and a versioned delete
/// of an item someone else deleted is a version conflict, not `Ok(None)`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_retried_after_throttling_meets_someone_elses_write_as_a_conflict() {
    let Some(s) = Setup::new("lost-throttled-other", Fault::Throttle).await else {
        return;
    };
    let theirs = note("u", "create", "same");
    s.direct_notes.create(&theirs).await.unwrap();
    s.arm("PutItem");
    let err = s.notes.create(&theirs).await.unwrap_err();
    s.fired("create");
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err:?}");

    let mut doc = Doc {
        id: "deleted".into(),
        body: "v1".into(),
        version: 0,
    };
    s.direct_docs.save(&mut doc).await.unwrap();
    s.direct_docs
        .delete(&doc.key())
        .expect_version(1)
        .await
        .unwrap();
    s.arm("DeleteItem");
    let err = s
        .docs
        .delete(&doc.key())
        .expect_version(1)
        .await
        .unwrap_err();
    s.fired("versioned delete");
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");

    // A versioned save that meets the identical item someone else saved conflicts too.
    let mut mine = Doc {
        id: "saved".into(),
        body: "v1".into(),
        version: 0,
    };
    s.direct_docs.save(&mut mine.clone()).await.unwrap();
    s.arm("PutItem");
    let err = s.docs.save(&mut mine).await.unwrap_err();
    s.fired("save");
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
}

/// A 500 after the server applied the write, then a retry: the answer was lost with an
/// attempt that may have applied, so a write that finds exactly its own result answers as
/// applied, through the same proxy; the retry after throttling above does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_retried_after_a_500_is_answered_as_applied() {
    let Some(s) = Setup::new("lost-500-create", Fault::ServerErrorAfterApply).await else {
        return;
    };
    let mine = note("u", "create", "mine");
    s.arm("PutItem");
    s.notes.create(&mine).await.unwrap();
    s.fired("create");
    // Sent once more without a fault: nothing was retried, so the same item is a conflict.
    let err = s.notes.create(&mine).await.unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err:?}");
}

/// The app's own retry, with the SDK's turned off: sends a write again after an answer that
/// leaves its outcome unknown (`Error::Backend`: a reset, a timeout, a 5xx), and marks the
/// answer with `Error::mark_retried` so that typed writes can recognise their own result.
#[derive(Clone)]
struct ResendOnUnknown<B>(B);

impl<B: notes_repo::Backend> notes_repo::Layer for ResendOnUnknown<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.0
    }

    async fn put_item(
        &self,
        request: notes_repo::request::PutItem,
    ) -> notes_repo::Result<notes_repo::request::WriteOutput> {
        match self.0.put_item(request.clone()).await {
            Err(Error::Backend { .. }) => {
                self.0.put_item(request).await.map_err(Error::mark_retried)
            }
            answer => answer,
        }
    }

    async fn delete_item(
        &self,
        request: notes_repo::request::DeleteItem,
    ) -> notes_repo::Result<notes_repo::request::WriteOutput> {
        match self.0.delete_item(request.clone()).await {
            Err(Error::Backend { .. }) => self
                .0
                .delete_item(request)
                .await
                .map_err(Error::mark_retried),
            answer => answer,
        }
    }
}

/// With the SDK's retry off, the app's own layer resends after a reset that lost the answer
/// of an applied write, and marks it: the create answers `Ok` (its own item), the versioned
/// delete `Ok(None)`; sent once more, the same create is `AlreadyExists`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_resent_by_the_apps_own_layer_is_answered_as_applied() {
    use aws_sdk_dynamodb::config::retry::RetryConfig;
    use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};
    let Some(s) = Setup::new("lost-app-retry", Fault::ResetAfterApply).await else {
        return;
    };
    let url = s._proxy.url.clone();
    let config = aws_sdk_dynamodb::config::Builder::new()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("test", "test", None, None, "static"))
        .retry_config(RetryConfig::disabled())
        .endpoint_url(url)
        .build();
    let once = DynamoDbBackend::new(aws_sdk_dynamodb::Client::from_conf(config));
    // Without a layer, the lost answer is an error whose outcome is unknown.
    let plain: Repo<Note, _> = Repo::with_table(once.clone(), s.notes.table_name().to_owned());
    s.arm("PutItem");
    let err = plain.create(&note("u", "plain", "x")).await.unwrap_err();
    s.fired("create without retries");
    assert!(matches!(err, Error::Backend { .. }), "{err:?}");

    let notes: Repo<Note, _> = Repo::with_table(
        ResendOnUnknown(once.clone()),
        s.notes.table_name().to_owned(),
    );
    let mine = note("u", "app-create", "mine");
    s.arm("PutItem");
    notes.create(&mine).await.unwrap();
    s.fired("create");
    let err = notes.create(&mine).await.unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err:?}");

    let docs: Repo<Doc, _> =
        Repo::with_table(ResendOnUnknown(once), s.docs.table_name().to_owned());
    let mut doc = Doc {
        id: "app-delete".into(),
        body: "v1".into(),
        version: 0,
    };
    s.direct_docs.save(&mut doc).await.unwrap();
    s.arm("DeleteItem");
    assert_eq!(
        docs.delete(&doc.key()).expect_version(1).await.unwrap(),
        None
    );
    s.fired("versioned delete");
    assert_eq!(
        s.direct_docs.get(&doc.key()).consistent().await.unwrap(),
        None
    );
}
