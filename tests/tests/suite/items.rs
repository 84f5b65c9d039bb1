//! Single items: put, get, create, delete and update, their conditions and checks.

use notes_repo::request::{BillingMode, CreateTable};
use notes_repo::{
    AttributeValue, Backend, Error, Item, Note, NoteKey, PrimaryKey, Repo, ScalarType,
};
use notes_tests::repo;
use serde::{Deserialize, Serialize};

// `put_then_get_round_trips` is not run lagging: it asserts that a plain (eventually
// consistent) `get` sees the put, which DynamoDB does not promise.
notes_tests::on_every_backend!(
    lagging:
    put_overwrites,
    create_twice_is_already_exists,
    get_missing_is_none,
    delete_returns_the_old_item,
    failed_conditional_delete_keeps_the_item,
    update_sets_and_removes,
    update_if_exists_on_missing_item_is_not_found,
    conditional_update_and_old_image,
    add_increments_a_counter,
    updating_a_key_attribute_is_rejected,
    missing_table_is_table_not_found,
    oversized_item_is_rejected,
    invalid_keys_are_rejected,
    key_schema_mismatch_names_both_sides,
    expression_syntax_in_values_is_data;
    not_lagging: put_then_get_round_trips,
);

/// A partition-only item with a counter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
pub(crate) struct Counter {
    /// The counter's name.
    #[partition_key]
    pub(crate) id: String,
    /// The count.
    pub(crate) count: i64,
}

fn note(user: &str, content: &str) -> Note {
    Note::new(user, content)
}

/// `put` then `get` returns the same item.
async fn put_then_get_round_trips<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "hello").with_attachment("a.png");
    repo.put(&n).await.unwrap();
    assert_eq!(repo.get(&n.key()).await.unwrap(), Some(n.clone()));
    assert_eq!(repo.get(&n.key()).consistent().await.unwrap(), Some(n));
}

/// `put` replaces the stored item.
async fn put_overwrites<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let mut n = note("u1", "v1").with_attachment("a.png");
    repo.put(&n).await.unwrap();
    n.content = "v2".into();
    n.attachment = None;
    repo.put(&n).await.unwrap();
    assert_eq!(repo.get(&n.key()).consistent().await.unwrap(), Some(n));
}

/// `create` of an existing key is `AlreadyExists` and leaves the stored item alone.
async fn create_twice_is_already_exists<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "original");
    repo.create(&n).await.unwrap();
    let mut copy = n.clone();
    copy.content = "impostor".into();
    let err = repo.create(&copy).await.unwrap_err();
    assert!(matches!(err, Error::AlreadyExists { .. }), "{err:?}");
    assert!(err.to_string().contains(&n.note_id), "{err}");
    assert_eq!(repo.get(&n.key()).consistent().await.unwrap(), Some(n));
}

/// `get` of a missing key is `None`.
async fn get_missing_is_none<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    assert_eq!(
        repo.get(&NoteKey::new("u1", "missing")).await.unwrap(),
        None
    );
}

/// `delete` returns the deleted item, then `None`.
async fn delete_returns_the_old_item<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "bye");
    repo.put(&n).await.unwrap();
    assert_eq!(repo.delete(&n.key()).await.unwrap(), Some(n.clone()));
    assert_eq!(repo.delete(&n.key()).await.unwrap(), None);
    assert_eq!(repo.get(&n.key()).consistent().await.unwrap(), None);
}

/// A conditional delete whose condition fails deletes nothing.
async fn failed_conditional_delete_keeps_the_item<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "keep");
    repo.put(&n).await.unwrap();
    let err = repo
        .delete(&n.key())
        .condition(Note::CONTENT.eq("other"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    assert_eq!(
        repo.get(&n.key()).consistent().await.unwrap(),
        Some(n.clone())
    );
    let deleted = repo
        .delete(&n.key())
        .condition(Note::CONTENT.eq("keep"))
        .await
        .unwrap();
    assert_eq!(deleted, Some(n));
}

/// SET and REMOVE apply together and the new item comes back typed.
async fn update_sets_and_removes<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "old").with_attachment("a.png");
    repo.put(&n).await.unwrap();
    let updated = repo
        .update(&n.key())
        .apply(Note::CONTENT.set("new"))
        .apply(Note::ATTACHMENT.set(None))
        .if_exists()
        .send()
        .await
        .unwrap();
    assert_eq!(updated.content, "new");
    assert_eq!(updated.attachment, None);
    assert_eq!(updated.created_at, n.created_at);
    assert_eq!(
        repo.get(&n.key()).consistent().await.unwrap(),
        Some(updated)
    );
}

/// `if_exists` on a missing item is `NotFound` and creates nothing.
async fn update_if_exists_on_missing_item_is_not_found<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let key = NoteKey::new("u1", "missing");
    let err = repo
        .update(&key)
        .apply(Note::CONTENT.set("x"))
        .if_exists()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(repo.get(&key).consistent().await.unwrap(), None);
}

/// An update whose condition fails changes nothing; the old image is returned on success.
async fn conditional_update_and_old_image<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "v1");
    repo.put(&n).await.unwrap();
    let err = repo
        .update(&n.key())
        .apply(Note::CONTENT.set("v2"))
        .condition(Note::CONTENT.eq("v0"))
        .if_exists()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    let old = repo
        .update(&n.key())
        .apply(Note::CONTENT.set("v2"))
        .condition(Note::CONTENT.eq("v1"))
        .if_exists()
        .return_old()
        .await
        .unwrap();
    assert_eq!(old, Some(n.clone()));
    let stored = repo.get(&n.key()).consistent().await.unwrap().unwrap();
    assert_eq!(stored.content, "v2");
}

/// ADD on a number starts from zero and adds.
async fn add_increments_a_counter<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Counter, B>(backend, table).await;
    let key = CounterKey::new("visits");
    for _ in 0..3 {
        repo.update(&key)
            .apply(Counter::COUNT.add(2))
            .send()
            .await
            .unwrap();
    }
    let counter = repo.get(&key).consistent().await.unwrap().unwrap();
    assert_eq!(counter.count, 6);
}

/// Updating a key attribute is a validation error.
async fn updating_a_key_attribute_is_rejected<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", "x");
    repo.put(&n).await.unwrap();
    let err = repo
        .update(&n.key())
        .apply(Note::USER_ID.set("u2"))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("userId"), "{err}");
}

/// A table that does not exist is `TableNotFound`.
async fn missing_table_is_table_not_found<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, B> = Repo::with_table(backend, format!("{table}-missing"));
    let err = repo.get(&NoteKey::new("u", "n")).await.unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
    let err = repo.put(&note("u", "x")).await.unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
}

/// An item over 400 KB is rejected before sending, and nothing is written.
async fn oversized_item_is_rejected<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let n = note("u1", &"x".repeat(400 * 1024));
    let err = repo.put(&n).await.unwrap_err();
    assert!(matches!(err, Error::ItemTooLarge { .. }), "{err:?}");
    assert_eq!(repo.get(&n.key()).consistent().await.unwrap(), None);
    let fits = note("u1", &"x".repeat(390 * 1024));
    repo.put(&fits).await.unwrap();
}

/// Empty and oversized key values are validation errors.
async fn invalid_keys_are_rejected<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let err = repo.put(&note("", "x")).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert!(err.to_string().contains("userId"), "{err}");
    let err = repo.put(&note(&"u".repeat(2049), "x")).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    repo.put(&note(&"u".repeat(2048), "x")).await.unwrap();
    let err = repo.get(&NoteKey::new("u1", "")).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
}

/// A live table whose key schema differs from the type is reported with both schemas.
async fn key_schema_mismatch_names_both_sides<B: Backend>(backend: B, table: &str) {
    let mut wrong = Note::KEY_SCHEMA;
    wrong.partition_key.name = "userid".into();
    backend
        .create_table(CreateTable::new(table, wrong).billing_mode(BillingMode::PayPerRequest))
        .await
        .unwrap();
    let repo: Repo<Note, B> = Repo::with_table(backend, table.to_owned());
    repo.wait_until_active(notes_repo::DEFAULT_ACTIVE_TIMEOUT)
        .await
        .unwrap();
    let err = repo
        .ensure_table(BillingMode::PayPerRequest)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::KeySchemaMismatch { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("userid (S, partition)"), "{message}");
    assert!(message.contains("userId (S, partition)"), "{message}");
}

/// Values full of expression syntax are stored and read back verbatim.
async fn expression_syntax_in_values_is_data<B: Backend>(backend: B, table: &str) {
    let repo = repo::<Note, B>(backend, table).await;
    let nasty = r#"#n0 = :v0) OR attribute_exists(userId) AND "quoted" 'single' :: ## SET REMOVE"#;
    let mut n = note(nasty, nasty);
    n.note_id = format!("{nasty}#id");
    repo.create(&n).await.unwrap();
    assert_eq!(
        repo.get(&n.key()).consistent().await.unwrap(),
        Some(n.clone())
    );
    let updated = repo
        .update(&n.key())
        .apply(Note::CONTENT.set(format!("{nasty}!")))
        .condition(Note::CONTENT.eq(nasty))
        .if_exists()
        .send()
        .await
        .unwrap();
    assert_eq!(updated.content, format!("{nasty}!"));
    assert_eq!(
        repo.query(nasty).consistent().all().await.unwrap(),
        vec![updated]
    );
}

/// An order keyed by `uuid::Uuid`s (feature `uuid` of notes-model).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[serde(rename_all = "camelCase")]
struct Order {
    #[partition_key]
    customer_id: uuid::Uuid,
    #[sort_key]
    order_id: uuid::Uuid,
}

#[test]
fn uuid_keys_are_hyphenated_strings() {
    assert_eq!(Order::KEY_SCHEMA.partition_key.scalar_type, ScalarType::S);
    let order = Order {
        customer_id: uuid::Uuid::now_v7(),
        order_id: uuid::Uuid::now_v7(),
    };
    let map = order.to_item().unwrap();
    assert_eq!(
        map["customerId"],
        AttributeValue::S(order.customer_id.hyphenated().to_string())
    );
    assert_eq!(OrderKey::from_key_map(&map).unwrap(), order.key());
    assert_eq!(Order::from_item(map).unwrap(), order);
}

/// Every item a typed write can produce reads back as its type (issue 14): writes that may
/// create an item create a whole one, and no update leaves out what the type requires.
mod readable_writes {
    use notes_repo::expr::{Path, UpdateAction};
    use notes_repo::{Backend, Error, Item, Note, NoteKey, WriteTransaction};
    use notes_tests::repo;
    use serde::{Deserialize, Serialize};

    use crate::versions::{Doc, DocKey, doc};

    notes_tests::on_every_backend!(
        lagging:
        update_that_would_create_a_partial_item_is_refused,
        update_that_creates_a_whole_item_reads_back,
        a_condition_only_an_existing_item_meets_means_the_update_cannot_create,
        removing_a_required_attribute_by_hand_is_refused,
        attributes_with_defaults_may_be_left_out_and_removed,
        every_typed_write_reads_back,
    );

    /// A profile whose only required non-key attribute is `displayName`.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
    #[serde(rename_all = "camelCase")]
    struct Profile {
        #[partition_key]
        user_id: String,
        display_name: String,
        #[serde(default)]
        bio: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        links: Vec<String>,
        nickname: Option<String>,
    }

    /// An update of a missing note that sets only `content` is refused before it is sent, so
    /// the user's listing keeps reading (today: a note without `createdAt` is written, the
    /// update answers `Error::Item`, and every later `query(user).all()` fails).
    async fn update_that_would_create_a_partial_item_is_refused<B: Backend>(
        backend: B,
        table: &str,
    ) {
        let repo = repo::<Note, B>(backend.clone(), table).await;
        let kept = Note::new("u1", "kept");
        repo.put(&kept).await.unwrap();
        let key = NoteKey::new("u1", "missing");
        let err = repo
            .update(&key)
            .apply(Note::CONTENT.set("partial"))
            .send()
            .await
            .unwrap_err();
        let Error::Validation { message, .. } = &err else {
            panic!("{err:?}");
        };
        assert_eq!(
            message,
            "update of a missing item would create it without `createdAt`: set them, or use \
             .if_exists()"
        );
        let err = repo
            .update(&key)
            .apply(Note::ATTACHMENT.set(Some("a.png".to_owned())))
            .return_old()
            .await
            .unwrap_err();
        let Error::Validation { message, .. } = &err else {
            panic!("{err:?}");
        };
        assert!(
            message.contains("without `content`, `createdAt`:"),
            "{message}"
        );
        // In a transaction too, and then none of its actions is applied.
        let other = Note::new("u1", "in the refused transaction");
        let err = WriteTransaction::new(&backend)
            .put(repo.put(&other))
            .update(repo.update(&key).apply(Note::CONTENT.set("partial")))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
        assert_eq!(repo.get(&key).consistent().await.unwrap(), None);
        assert_eq!(repo.query("u1").consistent().all().await.unwrap(), [kept]);
    }

    /// An update that sets every required attribute may create the item, and it reads back.
    async fn update_that_creates_a_whole_item_reads_back<B: Backend>(backend: B, table: &str) {
        let repo = repo::<Note, B>(backend, table).await;
        let key = NoteKey::new("u1", "n1");
        let created = repo
            .update(&key)
            .apply(Note::CONTENT.set("whole"))
            .apply(Note::CREATED_AT.set_if_not_exists(1_718_000_000_000_i64))
            .await
            .unwrap();
        let expected = Note {
            user_id: "u1".into(),
            note_id: "n1".into(),
            content: "whole".into(),
            attachment: None,
            created_at: 1_718_000_000_000,
        };
        assert_eq!(created, expected);
        assert_eq!(
            repo.get(&key).consistent().await.unwrap(),
            Some(expected.clone())
        );
        assert_eq!(
            repo.query("u1").consistent().all().await.unwrap(),
            [expected]
        );
    }

    /// A condition that only an existing item can meet (a comparison on an attribute, or
    /// `attribute_exists`, that no `NOT` or `OR` can bypass) means the update cannot create
    /// the item, as `.if_exists()` does: a partial update under it is sent, and on a missing
    /// item it fails its condition, writing nothing. A condition a missing item meets
    /// (`NOT`, `OR`, `<>`, `attribute_not_exists`) still lets the update create, so the
    /// partial update is refused.
    async fn a_condition_only_an_existing_item_meets_means_the_update_cannot_create<B: Backend>(
        backend: B,
        table: &str,
    ) {
        let repo = repo::<Note, B>(backend, table).await;
        let n = Note::new("u1", "v1");
        repo.put(&n).await.unwrap();
        let updated = repo
            .update(&n.key())
            .apply(Note::CONTENT.set("v2"))
            .condition(Note::CONTENT.eq("v1"))
            .await
            .unwrap();
        assert_eq!(updated.content, "v2");
        let updated = repo
            .update(&n.key())
            .apply(Note::CONTENT.set("v3"))
            .condition(Note::CONTENT.exists() & (Note::CONTENT.eq("v2") | Note::CONTENT.eq("x")))
            .await
            .unwrap();
        assert_eq!(updated.content, "v3");
        let missing = NoteKey::new("u1", "missing");
        let err = repo
            .update(&missing)
            .apply(Note::CONTENT.set("v2"))
            .condition(Note::CONTENT.eq("v1"))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
        assert_eq!(repo.get(&missing).consistent().await.unwrap(), None);
        for may_create in [
            !Note::CONTENT.eq("v1"),
            Note::CONTENT.eq("v1") | Note::ATTACHMENT.not_exists(),
            Note::CONTENT.ne("v1"),
            Note::CONTENT.not_exists(),
        ] {
            let err = repo
                .update(&missing)
                .apply(Note::CONTENT.set("v2"))
                .condition(may_create)
                .await
                .unwrap_err();
            let Error::Validation { message, .. } = &err else {
                panic!("{err:?}");
            };
            assert!(
                message.contains("would create it without `createdAt`"),
                "{message}"
            );
        }
        assert_eq!(repo.get(&missing).consistent().await.unwrap(), None);
    }

    /// `REMOVE` of a required attribute built by hand is refused, even with `if_exists`.
    async fn removing_a_required_attribute_by_hand_is_refused<B: Backend>(backend: B, table: &str) {
        let repo = repo::<Note, B>(backend, table).await;
        let n = Note::new("u1", "keep me whole");
        repo.put(&n).await.unwrap();
        let err = repo
            .update(&n.key())
            .apply(UpdateAction::Remove(Path::attribute("createdAt")))
            .if_exists()
            .await
            .unwrap_err();
        let Error::Validation { message, .. } = &err else {
            panic!("{err:?}");
        };
        assert!(message.contains("`createdAt`"), "{message}");
        assert_eq!(
            repo.get(&n.key()).consistent().await.unwrap(),
            Some(n.clone())
        );
        assert_eq!(repo.query("u1").consistent().all().await.unwrap(), [n]);
    }

    /// Attributes with a serde default (or an `Option`) may be left out of an update that
    /// creates the item, and removed from an existing one.
    async fn attributes_with_defaults_may_be_left_out_and_removed<B: Backend>(
        backend: B,
        table: &str,
    ) {
        let repo = repo::<Profile, B>(backend, table).await;
        let key = ProfileKey::new("u1");
        let err = repo
            .update(&key)
            .apply(Profile::BIO.set("hi"))
            .await
            .unwrap_err();
        let Error::Validation { message, .. } = &err else {
            panic!("{err:?}");
        };
        assert!(message.contains("without `displayName`:"), "{message}");
        let created = repo
            .update(&key)
            .apply(Profile::DISPLAY_NAME.set("Ada"))
            .apply(Profile::LINKS.set(vec!["https://example.com".to_owned()]))
            .await
            .unwrap();
        assert_eq!((created.bio.as_str(), created.links.len()), ("", 1));
        let updated = repo
            .update(&key)
            .apply(Profile::BIO.remove())
            .apply(Profile::LINKS.remove())
            .apply(Profile::NICKNAME.remove())
            .if_exists()
            .await
            .unwrap();
        assert_eq!(repo.get(&key).consistent().await.unwrap(), Some(updated));
    }

    /// Reads back every item each typed write produces: put, create, save, update creating,
    /// update of an existing item removing an optional attribute, batch_put, and a
    /// transaction's put, create and updates.
    async fn every_typed_write_reads_back<B: Backend>(backend: B, table: &str) {
        let notes = repo::<Note, B>(backend.clone(), table).await;
        let docs = repo::<Doc, B>(backend.clone(), &format!("{table}-docs")).await;
        let mut expected = Vec::new();

        let put = Note::new("u1", "put").with_attachment("a.png");
        notes.put(&put).await.unwrap();
        expected.push(put.clone());

        let created = Note::new("u1", "create");
        notes.create(&created).await.unwrap();
        expected.push(created);

        let by_update = notes
            .update(&NoteKey::new("u1", "by-update"))
            .apply(Note::CONTENT.set("update"))
            .apply(Note::CREATED_AT.set(1))
            .await
            .unwrap();
        expected.push(by_update);

        let trimmed = notes
            .update(&put.key())
            .apply(Note::ATTACHMENT.remove())
            .if_exists()
            .await
            .unwrap();
        expected[0] = trimmed;

        let batch: Vec<Note> = (0..3)
            .map(|i| Note::new("u1", format!("batch {i}")))
            .collect();
        notes.batch_put(&batch).await.unwrap();
        expected.extend(batch);

        let tx_put = Note::new("u1", "tx put");
        let tx_create = Note::new("u1", "tx create");
        let tx_new_key = NoteKey::new("u1", "tx-update");
        WriteTransaction::new(&backend)
            .put(notes.put(&tx_put))
            .put(notes.create(&tx_create))
            .update(
                notes
                    .update(&tx_new_key)
                    .apply(Note::CONTENT.set("tx update"))
                    .apply(Note::CREATED_AT.set(2)),
            )
            .await
            .unwrap();
        let tx_updated = Note {
            user_id: "u1".into(),
            note_id: "tx-update".into(),
            content: "tx update".into(),
            attachment: None,
            created_at: 2,
        };
        expected.extend([tx_put.clone(), tx_create, tx_updated]);
        WriteTransaction::new(&backend)
            .update(
                notes
                    .update(&tx_put.key())
                    .apply(Note::CONTENT.set("tx edited"))
                    .if_exists(),
            )
            .await
            .unwrap();
        for note in &mut expected {
            if note.note_id == tx_put.note_id {
                note.content = "tx edited".into();
            }
        }

        for note in &expected {
            assert_eq!(
                notes.get(&note.key()).consistent().await.unwrap().as_ref(),
                Some(note)
            );
        }
        let mut listed = notes.query("u1").consistent().all().await.unwrap();
        listed.sort_by(|a, b| a.note_id.cmp(&b.note_id));
        expected.sort_by(|a, b| a.note_id.cmp(&b.note_id));
        assert_eq!(listed, expected);

        // Versioned: save creates at version 0, a versioned update of a new item must set
        // every required attribute, and later updates name the version.
        let mut saved = doc("d1", "saved");
        docs.save(&mut saved).await.unwrap();
        let err = docs
            .update(&DocKey::new("d2"))
            .apply(Doc::BODY.set("new"))
            .expect_version(0)
            .await
            .unwrap_err();
        let Error::Validation { message, .. } = &err else {
            panic!("{err:?}");
        };
        assert!(message.contains("without `edits`:"), "{message}");
        let fresh = docs
            .update(&DocKey::new("d2"))
            .apply(Doc::BODY.set("new"))
            .apply(Doc::EDITS.set(0_u64))
            .expect_version(0)
            .await
            .unwrap();
        let edited = docs
            .update(&saved.key())
            .apply(Doc::EDITS.add(1_u64))
            .expect_version(1)
            .await
            .unwrap();
        for d in [fresh, edited] {
            assert_eq!(docs.get(&d.key()).consistent().await.unwrap(), Some(d));
        }
        assert_eq!(docs.scan().consistent().all().await.unwrap().len(), 2);
    }
}
