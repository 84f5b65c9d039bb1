//! Writes whose first answer was lost, on every backend: a `Retried` layer applies each write,
//! drops its answer and sends it again, as the AWS SDK does after a reset or a 5xx. The caller
//! must get the answer of the write that happened. (On the wire, through a fault proxy:
//! `tests/tests/faults/lost_responses.rs`.)

use notes_repo::request::{DeleteItem, PutItem, TransactWriteItems, UpdateItem};
use notes_repo::request::{TransactWriteItemsOutput, WriteOutput};
use notes_repo::{
    Backend, Error, Item, Layer, Note, NoteKey, Repo, Result, RetryPolicy, Retrying,
    WriteTransaction,
};
use notes_tests::repo;

use notes_repo::AttributeValue;
use notes_repo::expr::{Comparator, Condition, Operand, Path, SetValue, UpdateAction};

use crate::single_table::{OrgSettings, TeamSettings, refused_as_other_entity};
use crate::versions::{Doc, DocKey, doc};

notes_tests::on_every_backend!(
    lagging:
    a_create_whose_answer_was_lost_is_created,
    a_save_whose_answer_was_lost_is_saved,
    an_update_whose_answer_was_lost_answers_the_new_item,
    a_delete_whose_answer_was_lost_leaves_nothing_and_conflicts_stay_conflicts,
    a_transaction_is_applied_once_however_often_it_is_sent,
    an_update_sent_once_whose_condition_is_false_fails_though_the_item_shows_it,
    two_read_modify_write_updates_of_the_same_value_conflict,
    a_retried_update_whose_untouched_condition_is_false_now_fails,
    a_write_resent_after_throttling_by_retrying_is_not_taken_as_applied,
    a_lost_answer_then_throttling_under_retrying_is_still_retried,
    a_retried_update_whose_condition_on_a_sibling_path_is_false_fails,
    an_entity_write_whose_answer_was_lost_is_applied_but_never_over_another_entity,
);

/// Sends every single-item write and write transaction twice and answers the second answer,
/// marked as retried, as `DynamoDbBackend` marks it when the SDK retried.
#[derive(Clone)]
struct Retried<B>(B);

fn retried_answer<O>(answer: Result<O>) -> Result<O> {
    answer.map_err(Error::mark_retried)
}

impl<B: Backend> Layer for Retried<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.0
    }

    async fn put_item(&self, request: PutItem) -> Result<WriteOutput> {
        let _lost = self.0.put_item(request.clone()).await;
        retried_answer(self.0.put_item(request).await)
    }

    async fn update_item(&self, request: UpdateItem) -> Result<WriteOutput> {
        let _lost = self.0.update_item(request.clone()).await;
        retried_answer(self.0.update_item(request).await)
    }

    async fn delete_item(&self, request: DeleteItem) -> Result<WriteOutput> {
        let _lost = self.0.delete_item(request.clone()).await;
        retried_answer(self.0.delete_item(request).await)
    }

    async fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> Result<TransactWriteItemsOutput> {
        let _lost = self.0.transact_write_items(request.clone()).await;
        self.0.transact_write_items(request).await
    }
}

fn note(id: &str, content: &str) -> Note {
    Note {
        user_id: "u".into(),
        note_id: id.into(),
        content: content.into(),
        attachment: None,
        created_at: 7,
    }
}

async fn retried<T: Item, B: Backend>(
    backend: B,
    table: &str,
) -> (Repo<T, B>, Repo<T, Retried<B>>) {
    let direct = repo::<T, B>(backend.clone(), table).await;
    let retried = Repo::with_table(Retried(backend), table.to_owned());
    (direct, retried)
}

async fn a_create_whose_answer_was_lost_is_created<B: Backend>(backend: B, table: &str) {
    let (direct, retried) = retried::<Note, B>(backend, table).await;
    let created = note("n1", "hello");
    retried.create(&created).await.unwrap();
    assert_eq!(
        direct.get(&created.key()).consistent().await.unwrap(),
        Some(created)
    );
    // Another item under the same key is still refused.
    let err = retried.create(&note("n1", "other")).await.unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err:?}");
}

async fn a_save_whose_answer_was_lost_is_saved<B: Backend>(backend: B, table: &str) {
    let (direct, retried) = retried::<Doc, B>(backend, table).await;
    let mut d = doc("d1", "v1");
    retried.save(&mut d).await.unwrap();
    d.body = "v2".into();
    retried.save(&mut d).await.unwrap();
    assert_eq!(d.version, 2);
    assert_eq!(
        direct.get(&d.key()).consistent().await.unwrap(),
        Some(d.clone())
    );
    // A stale copy still conflicts.
    let mut stale = doc("d1", "stale");
    stale.version = 1;
    let err = retried.save(&mut stale).await.unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
}

async fn an_update_whose_answer_was_lost_answers_the_new_item<B: Backend>(backend: B, table: &str) {
    let (direct, retried) = retried::<Doc, B>(backend, table).await;
    let mut d = doc("d1", "v1");
    direct.save(&mut d).await.unwrap();
    let updated = retried
        .update(&d.key())
        .apply(Doc::BODY.set("v2"))
        .expect_version(1)
        .await
        .unwrap();
    assert_eq!((updated.body.as_str(), updated.version), ("v2", 2));
    assert_eq!(
        direct.get(&d.key()).consistent().await.unwrap(),
        Some(updated)
    );
    // An update that does not match what is stored still conflicts.
    let err = retried
        .update(&d.key())
        .apply(Doc::BODY.set("v9"))
        .expect_version(1)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
}

async fn a_delete_whose_answer_was_lost_leaves_nothing_and_conflicts_stay_conflicts<B: Backend>(
    backend: B,
    table: &str,
) {
    let (direct, retried) = retried::<Doc, B>(backend, table).await;
    let mut d = doc("d1", "v1");
    direct.save(&mut d).await.unwrap();
    let err = retried
        .delete(&d.key())
        .expect_version(7)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
    // The first attempt deleted it; its answer (the deleted item) is what was lost.
    assert_eq!(
        retried.delete(&d.key()).expect_version(1).await.unwrap(),
        None
    );
    assert_eq!(direct.get(&d.key()).consistent().await.unwrap(), None);
}

async fn a_transaction_is_applied_once_however_often_it_is_sent<B: Backend>(
    backend: B,
    table: &str,
) {
    let (direct, retried) = retried::<Note, B>(backend.clone(), table).await;
    let counter = note("counter", "");
    direct.put(&counter).await.unwrap();
    WriteTransaction::new(&Retried(backend))
        .update(
            retried
                .update(&counter.key())
                .apply(Note::CREATED_AT.add(1_i64))
                .if_exists(),
        )
        .await
        .unwrap();
    let stored = direct
        .get(&NoteKey::new("u", "counter"))
        .consistent()
        .await
        .unwrap();
    assert_eq!(stored.map(|n| n.created_at), Some(8), "applied once");
}

/// Sent once, an update whose condition is false fails, even when the stored item already
/// shows every change it makes: nothing was retried, so no earlier attempt can have applied it.
async fn an_update_sent_once_whose_condition_is_false_fails_though_the_item_shows_it<B: Backend>(
    backend: B,
    table: &str,
) {
    let direct = repo::<Note, B>(backend, table).await;
    let closed = Note::new("u", "closed").with_attachment("a.png");
    direct.put(&closed).await.unwrap();
    let err = direct
        .update(&closed.key())
        .apply(Note::CONTENT.set("closed"))
        .condition(Note::ATTACHMENT.not_exists())
        .if_exists()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ConditionFailed { retried: false, .. }),
        "{err:?}"
    );
    assert_eq!(
        direct.get(&closed.key()).consistent().await.unwrap(),
        Some(closed)
    );
}

/// Two read-modify-write updates that read version 1 and computed the same value: the first
/// wins, the second is a version conflict (a lost update otherwise), as with `save`.
async fn two_read_modify_write_updates_of_the_same_value_conflict<B: Backend>(
    backend: B,
    table: &str,
) {
    let direct = repo::<Doc, B>(backend, table).await;
    let mut d = doc("d1", "v1");
    direct.save(&mut d).await.unwrap();
    let key = d.key();
    let update = || {
        direct
            .update(&key)
            .apply(Doc::BODY.set("v2"))
            .expect_version(1)
    };
    let first = update().await.unwrap();
    assert_eq!((first.body.as_str(), first.version), ("v2", 2));
    let err = update().await.unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
    // And the same two saves.
    let mut a = doc("d2", "v1");
    direct.save(&mut a).await.unwrap();
    let mut b = a.clone();
    a.body = "v2".into();
    b.body = "v2".into();
    direct.save(&mut a).await.unwrap();
    let err = direct.save(&mut b).await.unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
}

/// Retried, an update whose stored item shows its changes still fails when a part of its
/// condition on attributes it does not write is false now: its earlier attempt cannot have
/// applied (the attachment the condition forbids is there).
async fn a_retried_update_whose_untouched_condition_is_false_now_fails<B: Backend>(
    backend: B,
    table: &str,
) {
    let (direct, retried) = retried::<Note, B>(backend, table).await;
    let closed = Note::new("u", "closed").with_attachment("a.png");
    direct.put(&closed).await.unwrap();
    let err = retried
        .update(&closed.key())
        .apply(Note::CONTENT.set("closed"))
        .condition(Note::ATTACHMENT.not_exists())
        .if_exists()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ConditionFailed { retried: true, .. }),
        "{err:?}"
    );
    // Where the condition is on what the update writes, the retry answers as applied.
    let open = Note::new("u", "open");
    direct.put(&open).await.unwrap();
    let updated = retried
        .update(&open.key())
        .apply(Note::CONTENT.set("closed"))
        .condition(Note::CONTENT.eq("open") & Note::ATTACHMENT.not_exists())
        .if_exists()
        .await
        .unwrap();
    assert_eq!(updated.content, "closed");
}

/// Throttles the first attempt of every put and delete without sending it, as DynamoDB
/// answers `ProvisionedThroughputExceeded` before applying anything.
#[derive(Clone)]
struct ThrottledOnce<B>(B, std::sync::Arc<std::sync::atomic::AtomicBool>);

impl<B: Backend> ThrottledOnce<B> {
    fn throttle(&self) -> bool {
        !self.1.swap(true, std::sync::atomic::Ordering::SeqCst)
    }
}

impl<B: Backend> Layer for ThrottledOnce<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.0
    }

    async fn put_item(&self, request: PutItem) -> Result<WriteOutput> {
        if self.throttle() {
            return Err(Error::Throttled {
                source: None,
                retried: false,
                reasons: Vec::new(),
            });
        }
        self.0.put_item(request).await
    }

    async fn delete_item(&self, request: DeleteItem) -> Result<WriteOutput> {
        if self.throttle() {
            return Err(Error::Throttled {
                source: None,
                retried: false,
                reasons: Vec::new(),
            });
        }
        self.0.delete_item(request).await
    }
}

/// `Retrying` sends a throttled write again; the throttled attempt was not applied, so an
/// identical item found by the second one is someone else's: `AlreadyExists`, and a versioned
/// delete of an item someone else deleted is a version conflict.
async fn a_write_resent_after_throttling_by_retrying_is_not_taken_as_applied<B: Backend>(
    backend: B,
    table: &str,
) {
    let direct = repo::<Doc, B>(backend.clone(), table).await;
    let policy = RetryPolicy {
        max_attempts: 3,
        base_delay: std::time::Duration::ZERO,
        max_delay: std::time::Duration::ZERO,
    };
    let through = |backend: B| {
        Repo::<Doc, _>::with_table(
            Retrying::new(ThrottledOnce(backend, Default::default()), policy.clone()),
            table.to_owned(),
        )
    };
    let mut theirs = doc("d1", "same");
    direct.save(&mut theirs.clone()).await.unwrap();
    let err = through(backend.clone())
        .save(&mut theirs)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
    let gone = doc("d2", "x");
    direct.save(&mut gone.clone()).await.unwrap();
    direct.delete(&gone.key()).expect_version(1).await.unwrap();
    let err = through(backend)
        .delete(&gone.key())
        .expect_version(1)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::VersionConflict { .. }), "{err:?}");
}

/// The first write it sees is applied and its answer lost; the layer's re-send of it is
/// throttled, and it answers that throttling marked as retried (an earlier attempt's outcome
/// is unknown). Later writes pass.
#[derive(Clone)]
struct FirstLostThenThrottled<B>(B, std::sync::Arc<std::sync::atomic::AtomicBool>);

impl<B: Backend> FirstLostThenThrottled<B> {
    fn first(&self) -> bool {
        !self.1.swap(true, std::sync::atomic::Ordering::SeqCst)
    }
}

impl<B: Backend> Layer for FirstLostThenThrottled<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.0
    }

    async fn put_item(&self, request: PutItem) -> Result<WriteOutput> {
        if self.first() {
            let _lost = self.0.put_item(request).await;
            return Err(Error::Throttled {
                source: None,
                retried: false,
                reasons: Vec::new(),
            }
            .mark_retried());
        }
        self.0.put_item(request).await
    }

    async fn update_item(&self, request: UpdateItem) -> Result<WriteOutput> {
        if self.first() {
            let _lost = self.0.update_item(request).await;
            return Err(Error::Throttled {
                source: None,
                retried: false,
                reasons: Vec::new(),
            }
            .mark_retried());
        }
        self.0.update_item(request).await
    }
}

/// Issue 24, defect 2 (the attack's case C): `Retrying` around a layer whose re-send after a
/// lost answer was throttled. Attempt 1 was applied, so the write `Retrying` sends again finds
/// its own result: the create and the versioned update answer as applied. On main (dc45f5e)
/// `mark_retried` did nothing on `Throttled`, so `Retrying`'s last answer was an unmarked
/// failed condition: the create answered `AlreadyExists` about its own write (and the update
/// a version conflict). A throttled answer whose retries are spent says the same:
/// `Throttled { retried: true }`.
async fn a_lost_answer_then_throttling_under_retrying_is_still_retried<B: Backend>(
    backend: B,
    table: &str,
) {
    let direct = repo::<Doc, B>(backend.clone(), table).await;
    let policy = RetryPolicy {
        max_attempts: 3,
        base_delay: std::time::Duration::ZERO,
        max_delay: std::time::Duration::ZERO,
    };
    let through = |backend: B| {
        Repo::<Doc, _>::with_table(
            Retrying::new(
                FirstLostThenThrottled(backend, Default::default()),
                policy.clone(),
            ),
            table.to_owned(),
        )
    };
    let created = doc("c1", "x");
    through(backend.clone()).create(&created).await.unwrap();
    let mut stored = direct.get(&created.key()).consistent().await.unwrap();
    assert_eq!(
        stored.as_ref().map(|d| (d.body.as_str(), d.version)),
        Some(("x", 1))
    );
    let updated = through(backend.clone())
        .update(&created.key())
        .apply(Doc::BODY.set("y"))
        .expect_version(1)
        .await
        .unwrap();
    assert_eq!((updated.body.as_str(), updated.version), ("y", 2));
    stored = direct.get(&created.key()).consistent().await.unwrap();
    assert_eq!(stored, Some(updated));

    // Throttled to the end after an unknown attempt: the answer says it may have applied.
    let one_attempt = Repo::<Doc, _>::with_table(
        Retrying::new(
            FirstLostThenThrottled(backend, Default::default()),
            RetryPolicy {
                max_attempts: 1,
                ..policy
            },
        ),
        table.to_owned(),
    );
    let err = one_attempt.create(&doc("c2", "x")).await.unwrap_err();
    assert!(
        matches!(err, Error::Throttled { retried: true, .. }),
        "{err:?}"
    );
    assert!(
        direct
            .get(&DocKey::new("c2"))
            .consistent()
            .await
            .unwrap()
            .is_some()
    );
}

/// A document with a map of counters, for conditions on nested paths.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, Item)]
struct Meta {
    #[partition_key]
    id: String,
    meta: std::collections::HashMap<String, i64>,
}

/// Issue 24, defect 3 (the attack's case D): the stored item has `meta = {a: 1, b: 3}`; the
/// update `SET meta.a = 1` under the condition `meta.b = 2` is sent twice and its answer
/// marked retried. Its condition never held, so it fails. On main (dc45f5e) the part
/// `meta.b = 2` was skipped because its top-level attribute `meta` is written, and the update
/// answered `Ok`.
async fn a_retried_update_whose_condition_on_a_sibling_path_is_false_fails<B: Backend>(
    backend: B,
    table: &str,
) {
    let (direct, retried) = retried::<Meta, B>(backend, table).await;
    let stored = Meta {
        id: "d1".into(),
        meta: [("a".to_owned(), 1), ("b".to_owned(), 3)].into(),
    };
    direct.put(&stored).await.unwrap();
    let n = |v: i64| Operand::Value(AttributeValue::N(v.to_string()));
    let key = stored.key();
    let update = |b: i64| {
        retried
            .update(&key)
            .apply(UpdateAction::Set(
                Path::attribute("meta").key("a"),
                SetValue::Value(n(1)),
            ))
            .condition(Condition::Compare(
                Operand::Path(Path::attribute("meta").key("b")),
                Comparator::Eq,
                n(b),
            ))
            .if_exists()
    };
    let err = update(2).await.unwrap_err();
    assert!(
        matches!(err, Error::ConditionFailed { retried: true, .. }),
        "{err:?}"
    );
    assert_eq!(
        direct.get(&stored.key()).consistent().await.unwrap(),
        Some(stored.clone())
    );
    // Where the condition held, the second attempt finds the first one's result: applied.
    assert_eq!(update(3).await.unwrap(), stored);
}

/// Issue 24, defect 1 with lost answers: an entity's create and delete whose answers were
/// lost answer as applied (the entity condition holds on their own result), and a put under
/// another entity's key is never answered as applied: the entity error, nothing changed.
async fn an_entity_write_whose_answer_was_lost_is_applied_but_never_over_another_entity<
    B: Backend,
>(
    backend: B,
    table: &str,
) {
    let (orgs, retried_orgs) = retried::<OrgSettings, B>(backend.clone(), table).await;
    let teams = Repo::<TeamSettings, _>::with_table(Retried(backend), table.to_owned());
    let org = OrgSettings {
        org: "acme-x".into(),
        secret: "s".into(),
    };
    retried_orgs.create(&org).await.unwrap();
    assert_eq!(
        orgs.get(&org.key()).consistent().await.unwrap(),
        Some(org.clone())
    );
    let team = TeamSettings {
        org: "acme".into(),
        team: "x".into(),
        secret: "t".into(),
    };
    refused_as_other_entity(teams.put(&team).await, "team", "org");
    refused_as_other_entity(teams.create(&team).await, "team", "org");
    refused_as_other_entity(teams.delete(&team.key()).await, "team", "org");
    assert_eq!(
        orgs.get(&org.key()).consistent().await.unwrap(),
        Some(org.clone())
    );
    assert_eq!(retried_orgs.delete(&org.key()).await.unwrap(), None);
    assert_eq!(orgs.get(&org.key()).consistent().await.unwrap(), None);
}
