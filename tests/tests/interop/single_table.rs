//! Entities with key templates, seen by the plain AWS SDK: a typed put stores the fields and
//! exactly the computed attributes (`pk`, `sk`, `_et`), and an item another SDK writes with the
//! same attributes reads back.

use aws_sdk_dynamodb::types::AttributeValue as Av;
use notes_repo::request::BillingMode;
use notes_repo::{Item, Repo};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    entity = "note",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "NOTE#{created_at}#{seq}")
)]
#[serde(rename_all = "camelCase")]
struct Note {
    user_id: String,
    created_at: String,
    seq: u32,
    text: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_entities_store_exactly_the_computed_attributes() {
    let Some(backend) = notes_tests::server_support::available_backend().await else {
        return;
    };
    let table = notes_tests::server_support::table_name("interop-single-table");
    let repo: Repo<Note, _> = Repo::with_table(backend.clone(), table.clone());
    repo.ensure_table(BillingMode::PayPerRequest).await.unwrap();
    let client = backend.client();

    let note = Note {
        user_id: "ann".into(),
        created_at: "2026-11-25T10:00:00Z".into(),
        seq: 7,
        text: "hello".into(),
    };
    repo.put(&note).await.unwrap();
    let raw = client
        .get_item()
        .table_name(&table)
        .key("pk", Av::S("USER#ann".into()))
        .key("sk", Av::S("NOTE#2026-11-25T10:00:00Z#0000000007".into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    let raw = raw
        .item()
        .expect("the note is stored under its rendered key");
    let mut names: Vec<&str> = raw.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        ["_et", "createdAt", "pk", "seq", "sk", "text", "userId"]
    );
    assert_eq!(raw["_et"], Av::S("note".into()));
    assert_eq!(raw["seq"], Av::N("7".into()));
    assert_eq!(raw["userId"], Av::S("ann".into()));

    // Written by another SDK with the same attributes: reads back typed.
    client
        .put_item()
        .table_name(&table)
        .item("pk", Av::S("USER#bob".into()))
        .item("sk", Av::S("NOTE#2026-11-26T00:00:00Z#0000000001".into()))
        .item("_et", Av::S("note".into()))
        .item("userId", Av::S("bob".into()))
        .item("createdAt", Av::S("2026-11-26T00:00:00Z".into()))
        .item("seq", Av::N("1".into()))
        .item("text", Av::S("from JavaScript".into()))
        .send()
        .await
        .unwrap();
    let bobs = repo.query(NotePartition::new("bob")).all().await.unwrap();
    assert_eq!(bobs.len(), 1);
    assert_eq!(bobs[0].text, "from JavaScript");
    assert_eq!(
        bobs[0].key(),
        NoteKey::new("bob", "2026-11-26T00:00:00Z", 1u32)
    );
}
