//! What goes in through the layer comes back out, and the store holds only ciphertext.

use notes_encryption::{Encrypted, Encryption};
use notes_repo::expr::{KeyCondition, Path};
use notes_repo::request::{
    BatchGetItem, GetItem, KeysAndAttributes, PutItem, Query, ReturnValues, Scan, TransactGet,
    TransactGetItems, UpdateItem,
};
use notes_repo::{
    AttributeValue, Backend, Error, Item, MemoryBackend, Note, PrimaryKey, ReadTransaction, Repo,
    WriteTransaction,
};

use super::{keyring, note, raw, setup};

#[tokio::test(flavor = "multi_thread")]
async fn put_then_get_gives_the_note_back() {
    let (_, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    assert_eq!(repo.get(&written.key()).await.unwrap(), Some(written));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_store_holds_ciphertext_signed_plaintext_and_the_signature() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let stored = raw(&memory, &written.key()).await;

    for encrypted in ["content", "attachment"] {
        let AttributeValue::B(bytes) = &stored[encrypted] else {
            panic!("{encrypted} is not a binary: {:?}", stored[encrypted]);
        };
        assert!(
            !bytes.windows(6).any(|w| w == b"secret"),
            "{encrypted} holds its plaintext"
        );
    }
    assert_eq!(stored["userId"], AttributeValue::S("u1".into()));
    assert_eq!(stored["noteId"], AttributeValue::S("n1".into()));
    assert_eq!(
        stored["createdAt"],
        AttributeValue::N("1700000000000".into())
    );
    assert!(matches!(stored["aws_dbe_head"], AttributeValue::B(_)));
    assert!(matches!(stored["aws_dbe_foot"], AttributeValue::B(_)));
    assert_eq!(stored.len(), 7);
}

#[tokio::test(flavor = "multi_thread")]
async fn query_and_scan_decrypt_every_item() {
    let (_, repo) = setup().await;
    let notes: Vec<Note> = (0..5)
        .map(|i| note("u1", &format!("n{i}"), &format!("text {i}")))
        .collect();
    for written in &notes {
        repo.put(written).await.unwrap();
    }
    assert_eq!(repo.query("u1").all().await.unwrap(), notes);
    let mut scanned = repo.scan().all().await.unwrap();
    scanned.sort_by(|a, b| a.note_id.cmp(&b.note_id));
    assert_eq!(scanned, notes);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_filter_on_a_signed_plaintext_attribute_is_evaluated() {
    let (_, repo) = setup().await;
    let mut old = note("u1", "n1", "old");
    old.created_at = 1;
    let new = note("u1", "n2", "new");
    repo.put(&old).await.unwrap();
    repo.put(&new).await.unwrap();
    let found = repo
        .query("u1")
        .filter(Note::CREATED_AT.gt(10))
        .all()
        .await
        .unwrap();
    assert_eq!(found, [new]);
}

#[tokio::test(flavor = "multi_thread")]
async fn batch_writes_encrypt_and_batch_gets_decrypt_every_item() {
    let (memory, repo) = setup().await;
    let notes: Vec<Note> = (0..30)
        .map(|i| note("u1", &format!("n{i:02}"), &format!("text {i}")))
        .collect();
    repo.batch_put(&notes).await.unwrap();
    for written in &notes {
        assert!(matches!(
            raw(&memory, &written.key()).await["content"],
            AttributeValue::B(_)
        ));
    }
    let keys: Vec<_> = notes.iter().map(Item::key).collect();
    assert_eq!(repo.batch_get(&keys).await.unwrap(), notes);
}

#[tokio::test(flavor = "multi_thread")]
async fn transactions_encrypt_every_put_and_decrypt_every_get() {
    let (memory, repo) = setup().await;
    let (a, b) = (note("u1", "a", "first"), note("u1", "b", "second"));
    WriteTransaction::new(repo.backend())
        .put(repo.put(&a))
        .put(repo.create(&b))
        .await
        .unwrap();
    assert!(matches!(
        raw(&memory, &b.key()).await["content"],
        AttributeValue::B(_)
    ));
    let mut reads = ReadTransaction::new(repo.backend());
    let (slot_a, slot_b) = (reads.get(&repo, &a.key()), reads.get(&repo, &b.key()));
    let results = reads.send().await.unwrap();
    assert_eq!(results.get(slot_a).unwrap(), Some(a));
    assert_eq!(results.get(slot_b).unwrap(), Some(b));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delete_answers_the_decrypted_old_item() {
    let (_, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    assert_eq!(repo.delete(&written.key()).await.unwrap(), Some(written));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_put_answers_the_decrypted_old_item() {
    let (_, repo) = setup().await;
    let first = note("u1", "n1", "first");
    repo.put(&first).await.unwrap();
    let old = repo
        .put(&note("u1", "n1", "second"))
        .return_old()
        .await
        .unwrap();
    assert_eq!(old, Some(first));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_projection_is_verified_then_projected() {
    let (memory, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let backend = repo.backend().clone();
    let projection = vec![Path::attribute("content")];

    let get = GetItem::new("notes", written.key().to_key_map()).projection(projection.clone());
    let item = backend.get_item(get).await.unwrap().item.unwrap();
    assert_eq!(
        item.into_owned(),
        [("content".to_owned(), AttributeValue::S("secret".into()))].into()
    );

    let u1 = KeyCondition::partition("userId", AttributeValue::S("u1".into()));
    let page = backend
        .query(Query::new("notes", u1).projection(projection.clone()))
        .await
        .unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0]["content"], AttributeValue::S("secret".into()));
    assert_eq!(page.items[0].len(), 1);

    let keys =
        KeysAndAttributes::new(vec![written.key().to_key_map()]).projection(projection.clone());
    let batch = backend
        .batch_get_item(BatchGetItem::new([("notes".to_owned(), keys)].into()))
        .await
        .unwrap();
    assert_eq!(batch.responses["notes"][0].len(), 1);

    let get = TransactGet::new("notes", written.key().to_key_map()).projection(projection);
    let read = backend
        .transact_get_items(TransactGetItems::new(vec![get]))
        .await
        .unwrap();
    assert_eq!(
        read.items[0].as_ref().unwrap()["content"],
        AttributeValue::S("secret".into())
    );

    // A scan through the layer of a table it does not encrypt passes through.
    memory
        .create_table(notes_repo::request::CreateTable::new(
            "plain",
            Note::KEY_SCHEMA,
        ))
        .await
        .unwrap();
    backend
        .put_item(PutItem::new("plain", written.to_item().unwrap()))
        .await
        .unwrap();
    let plain = memory.scan(Scan::new("plain")).await.unwrap();
    assert_eq!(
        plain.items[0]["content"],
        AttributeValue::S("secret".into())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unsigned_attribute_may_be_updated_and_the_item_still_verifies() {
    let (_, repo) = setup().await;
    let written = note("u1", "n1", "secret");
    repo.put(&written).await.unwrap();
    let views = Path::attribute(":views");
    let update = notes_repo::expr::UpdateAction::Set(
        views,
        notes_repo::expr::SetValue::Value(notes_repo::expr::Operand::Value(AttributeValue::N(
            "3".into(),
        ))),
    );
    let request = UpdateItem::new("notes", written.key().to_key_map(), update.into())
        .return_values(ReturnValues::AllNew);
    let output = repo.backend().update_item(request).await.unwrap();
    let new = output.attributes.unwrap();
    assert_eq!(new["content"], AttributeValue::S("secret".into()));
    assert_eq!(new[":views"], AttributeValue::N("3".into()));
    assert_eq!(repo.get(&written.key()).await.unwrap(), Some(written));
}

/// A user whose email is unique: its guard items share the encrypted table.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, Item)]
#[item(table = "users")]
struct User {
    #[partition_key]
    id: String,
    #[unique]
    email: String,
    #[encrypt]
    secret: String,
}

/// `#[unique]` guard items are encrypted like any item of the table (signed, their owner
/// with them), and the guards still do their work through the layer.
#[tokio::test(flavor = "multi_thread")]
async fn unique_guards_are_signed_and_still_guard() {
    let memory = MemoryBackend::new();
    let encryption = Encryption::builder(keyring(7))
        .item::<User>()
        .build()
        .unwrap();
    let users: Repo<User, _> = Repo::new(Encrypted::new(memory.clone(), encryption));
    users.create_table_on_demand().await.unwrap();
    let user = |id: &str, email: &str| User {
        id: id.into(),
        email: email.into(),
        secret: format!("{id}'s secret"),
    };
    users.create(&user("u1", "a@example.com")).await.unwrap();

    let guard_key: notes_repo::ItemMap = [(
        "id".to_owned(),
        AttributeValue::S("_unique##email#S:a@example.com".into()),
    )]
    .into();
    let guard = memory
        .get_item(GetItem::new("users", guard_key).consistent_read(true))
        .await
        .unwrap()
        .item
        .expect("the guard is stored")
        .into_owned();
    assert!(
        guard.contains_key("aws_dbe_head") && guard.contains_key("aws_dbe_foot"),
        "{guard:?}"
    );
    assert_eq!(
        guard["_unique_owner"],
        AttributeValue::M([("id".to_owned(), AttributeValue::S("u1".into()))].into())
    );

    let err = users
        .create(&user("u2", "a@example.com"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UniqueConflict { attribute, owner: Some(owner), .. }
            if attribute == "email" && owner == r#"{id: "u1"}"#),
        "{err:?}"
    );
    users.put(&user("u1", "b@example.com")).await.unwrap();
    users.create(&user("u2", "a@example.com")).await.unwrap();
    assert_eq!(users.scan().all().await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn tables_not_registered_pass_through() {
    let memory = MemoryBackend::new();
    let repo: Repo<Note, _> = Repo::with_table(
        Encrypted::new(memory.clone(), super::encryption(7)),
        "other",
    );
    repo.create_table_on_demand().await.unwrap();
    let written = note("u1", "n1", "plain");
    repo.put(&written).await.unwrap();
    let stored = memory
        .get_item(GetItem::new("other", written.key().to_key_map()))
        .await
        .unwrap();
    assert_eq!(
        stored.item.unwrap()["content"],
        AttributeValue::S("plain".into())
    );
}
