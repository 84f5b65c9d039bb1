//! What encryption rules out is refused before anything is sent, with the reason.

use notes_repo::expr::{Comparator, Condition, KeyCondition, Operand, Path};
use notes_repo::request::{Query, Scan, TransactWrite, TransactWriteItems, UpdateItem};
use notes_repo::{
    AttributeValue, Backend, EncryptionRefusal, Error, Item, Note, PrimaryKey, WriteTransaction,
};

use super::{note, raw, setup};

fn assert_refused(err: Error, attribute: &str, reason: EncryptionRefusal) {
    match &err {
        Error::EncryptionRefused {
            table,
            attribute: found,
            reason: why,
        } => {
            assert_eq!(
                (table.as_str(), found.as_str(), *why),
                ("notes", attribute, reason)
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_typed_update_of_an_encrypted_attribute_is_refused_and_nothing_is_written() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let before = raw(&memory, &written.key()).await;

    let err = repo
        .update(&written.key())
        .apply(Note::CONTENT.set("edited"))
        .if_exists()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "refused on encrypted table `notes`: an update cannot write `content`: the item's \
         signature covers it: write the whole item with put"
    );
    assert_refused(err, "content", EncryptionRefusal::UpdatesSigned);
    assert_eq!(raw(&memory, &written.key()).await, before);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_of_a_signed_plaintext_attribute_is_refused() {
    let (_, repo) = setup().await;
    let key = note("u1", "n1", "").key().to_key_map();
    let update = UpdateItem::new("notes", key, Note::CREATED_AT.set(5).into());
    let err = repo.backend().update_item(update).await.unwrap_err();
    assert_refused(err, "createdAt", EncryptionRefusal::UpdatesSigned);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_update_in_a_transaction_is_refused() {
    let (_, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let err = WriteTransaction::new(repo.backend())
        .update(
            repo.update(&written.key())
                .apply(Note::ATTACHMENT.remove())
                .if_exists(),
        )
        .await
        .unwrap_err();
    assert_refused(err, "attachment", EncryptionRefusal::UpdatesSigned);

    let raw_update = TransactWrite::Update {
        table_name: "notes".into(),
        key: written.key().to_key_map(),
        update: Note::CONTENT.set("x").into(),
        condition: None,
    };
    let err = repo
        .backend()
        .transact_write_items(TransactWriteItems::new(vec![raw_update]))
        .await
        .unwrap_err();
    assert_refused(err, "content", EncryptionRefusal::UpdatesSigned);
}

fn content_equals(text: &str) -> Condition {
    Condition::Compare(
        Operand::Path(Path::attribute("content")),
        Comparator::Eq,
        Operand::Value(AttributeValue::S(text.into())),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filter_on_an_encrypted_attribute_is_refused() {
    let (_, repo) = setup().await;
    let err = repo
        .query("u1")
        .filter(content_equals("secret"))
        .all()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "refused on encrypted table `notes`: `content` is encrypted, so a condition, filter or \
         key condition cannot compare its value (only attribute_exists and attribute_not_exists \
         can test it)"
    );
    assert_refused(err, "content", EncryptionRefusal::ComparesEncrypted);

    let scan = Scan::new("notes").filter(Condition::BeginsWith(
        Path::attribute("attachment"),
        Operand::Value(AttributeValue::S("n".into())),
    ));
    let err = repo.backend().scan(scan).await.unwrap_err();
    assert_refused(err, "attachment", EncryptionRefusal::ComparesEncrypted);

    let size = Condition::Compare(
        Operand::Size(Path::attribute("content")),
        Comparator::Gt,
        Operand::Value(AttributeValue::N("3".into())),
    );
    let u1 = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
    let err = repo
        .backend()
        .query(Query::new("notes", u1).filter(!size))
        .await
        .unwrap_err();
    assert_refused(err, "content", EncryptionRefusal::ComparesEncrypted);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_condition_on_an_encrypted_value_is_refused_but_existence_passes() {
    let (_, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    let err = repo
        .put(&written)
        .condition(content_equals("old"))
        .await
        .unwrap_err();
    assert_refused(err, "content", EncryptionRefusal::ComparesEncrypted);
    let err = repo
        .delete(&written.key())
        .condition(content_equals("old"))
        .await
        .unwrap_err();
    assert_refused(err, "content", EncryptionRefusal::ComparesEncrypted);

    repo.put(&written)
        .condition(Condition::NotExists(Path::attribute("content")))
        .await
        .unwrap();
    repo.put(&written)
        .condition(Condition::Exists(Path::attribute("content")) & Note::CREATED_AT.gt(5))
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_condition_check_on_an_encrypted_value_is_refused() {
    let (_, repo) = setup().await;
    let check = TransactWrite::ConditionCheck {
        table_name: "notes".into(),
        key: note("u1", "n1", "").key().to_key_map(),
        condition: content_equals("x"),
    };
    let err = repo
        .backend()
        .transact_write_items(TransactWriteItems::new(vec![check]))
        .await
        .unwrap_err();
    assert_refused(err, "content", EncryptionRefusal::ComparesEncrypted);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_condition_on_an_encrypted_attribute_is_refused() {
    let (_, repo) = setup().await;
    let on_content = KeyCondition::partition("content", AttributeValue::S("secret".into()));
    let query = Query::new("notes", on_content).index_name("byContent");
    let err = repo.backend().query(query).await.unwrap_err();
    assert_refused(err, "content", EncryptionRefusal::ComparesEncrypted);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_conditions_stored_item_is_decrypted() {
    use notes_repo::request::{PutItem, ReturnValuesOnConditionCheckFailure};

    let (_, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let put = PutItem::new("notes", note("u1", "n1", "other").to_item().unwrap())
        .condition(Condition::NotExists(Path::attribute("userId")))
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
    let err = repo.backend().put_item(put).await.unwrap_err();
    let Error::ConditionFailed {
        item: Some(item), ..
    } = err
    else {
        panic!("{err:?}");
    };
    assert_eq!(item, written.to_item().unwrap());
}

/// `SET :views = content` (and its forms inside functions, in `ADD`, in a transaction) would
/// copy ciphertext into a plaintext attribute: refused.
#[tokio::test(flavor = "multi_thread")]
async fn an_update_that_reads_an_encrypted_attribute_is_refused() {
    use notes_repo::expr::{SetOperand, SetValue, UpdateAction};
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let before = raw(&memory, &written.key()).await;
    let content = || Operand::Path(Path::attribute("content"));
    let zero = || Operand::Value(AttributeValue::N("0".into()));
    let views = || Path::attribute(":views");
    let reads = [
        UpdateAction::Set(views(), SetValue::Value(content())),
        UpdateAction::Set(
            views(),
            SetValue::Value(Operand::Size(Path::attribute("content"))),
        ),
        UpdateAction::Set(
            views(),
            SetValue::IfNotExists(Path::attribute("content"), zero().into()),
        ),
        UpdateAction::Set(
            views(),
            SetValue::Plus(
                zero().into(),
                SetOperand::if_not_exists(Path::attribute("attachment"), zero()),
            ),
        ),
        UpdateAction::Add(views(), content()),
    ];
    for read in reads {
        let attribute = refused_attribute(&read);
        let request = UpdateItem::new("notes", written.key().to_key_map(), read.clone().into());
        let err = repo.backend().update_item(request).await.unwrap_err();
        assert_refused(err, attribute, EncryptionRefusal::ReadsEncrypted);
        let update = TransactWrite::Update {
            table_name: "notes".into(),
            key: written.key().to_key_map(),
            update: read.into(),
            condition: None,
        };
        let err = repo
            .backend()
            .transact_write_items(TransactWriteItems::new(vec![update]))
            .await
            .unwrap_err();
        assert_refused(err, attribute, EncryptionRefusal::ReadsEncrypted);
    }
    assert_eq!(raw(&memory, &written.key()).await, before);
}

/// The encrypted attribute an update reads, in the cases above.
fn refused_attribute(action: &notes_repo::expr::UpdateAction) -> &'static str {
    if format!("{action:?}").contains("attachment") {
        "attachment"
    } else {
        "content"
    }
}

/// An update may write only unsigned attributes, so it cannot create an item (which would
/// have no signature and could never be read): on a missing item it fails its condition.
#[tokio::test(flavor = "multi_thread")]
async fn an_update_of_a_missing_item_fails_its_condition_rather_than_create_an_unsigned_item() {
    use notes_repo::expr::{SetValue, UpdateAction};
    let (memory, repo) = setup().await;
    let missing = note("u1", "n9", "");
    let set = UpdateAction::Set(
        Path::attribute(":views"),
        SetValue::Value(Operand::Value(AttributeValue::N("1".into()))),
    );
    let request = UpdateItem::new("notes", missing.key().to_key_map(), set.into());
    let err = repo.backend().update_item(request).await.unwrap_err();
    assert!(matches!(err, Error::ConditionFailed { .. }), "{err:?}");
    let stored = memory
        .get_item(notes_repo::request::GetItem::new(
            "notes",
            missing.key().to_key_map(),
        ))
        .await
        .unwrap();
    assert!(stored.item.is_none());
}
