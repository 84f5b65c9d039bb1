//! Interoperability with the plain AWS SDK: items the typed repository writes are exactly the
//! notes table's items, and items other SDKs write read back through the repository.

#[cfg(feature = "autoscaling")]
mod auto_scaling;
mod single_table;

use aws_sdk_dynamodb::types::AttributeValue as Av;
use notes_repo::Repo;
use notes_repo::request::BillingMode;
use notes_repo::{Item, Note, NoteKey};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_writes_are_the_notes_tables_items_raw_writes_read_back() {
    let Some(backend) = notes_tests::server_support::available_backend().await else {
        return;
    };
    let table = notes_tests::server_support::table_name("interop");
    let repo: Repo<Note, _> = Repo::with_table(backend.clone(), table.clone());
    repo.ensure_table(BillingMode::Provisioned {
        read_capacity_units: 5,
        write_capacity_units: 5,
    })
    .await
    .unwrap();
    let client = backend.client();

    // The live table's schema is the notes table's: userId (S) HASH, noteId (S) RANGE.
    let described = client
        .describe_table()
        .table_name(&table)
        .send()
        .await
        .unwrap();
    let described = described.table().unwrap();
    let keys: Vec<(String, String)> = described
        .key_schema()
        .iter()
        .map(|k| {
            (
                k.attribute_name().to_owned(),
                k.key_type().as_str().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("userId".into(), "HASH".into()),
            ("noteId".into(), "RANGE".into())
        ]
    );
    let mut definitions: Vec<(String, String)> = described
        .attribute_definitions()
        .iter()
        .map(|d| {
            (
                d.attribute_name().to_owned(),
                d.attribute_type().as_str().to_owned(),
            )
        })
        .collect();
    definitions.sort();
    assert_eq!(
        definitions,
        [("noteId".into(), "S".into()), ("userId".into(), "S".into())]
    );

    // Typed write, raw read: exact names and types, no attachment attribute when None.
    let note = Note::new("us-east-1:alice", "hello from Rust");
    repo.create(&note).await.unwrap();
    let raw = client
        .get_item()
        .table_name(&table)
        .key("userId", Av::S(note.user_id.clone()))
        .key("noteId", Av::S(note.note_id.clone()))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    let raw = raw.item().expect("the note is stored");
    let mut names: Vec<&str> = raw.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, ["content", "createdAt", "noteId", "userId"]);
    assert_eq!(raw["userId"], Av::S(note.user_id.clone()));
    assert_eq!(raw["noteId"], Av::S(note.note_id.clone()));
    assert_eq!(raw["content"], Av::S("hello from Rust".into()));
    assert_eq!(raw["createdAt"], Av::N(note.created_at.to_string()));

    // Raw write (as the JavaScript or Python SDK would), typed read.
    client
        .put_item()
        .table_name(&table)
        .item("userId", Av::S("us-east-1:bob".into()))
        .item(
            "noteId",
            Av::S("0190b3c0-8a1e-7cc3-9b7e-3a3c1b2d4e5f".into()),
        )
        .item("content", Av::S("hello from JavaScript".into()))
        .item("attachment", Av::S("photo.jpg".into()))
        .item("createdAt", Av::N("1718000000123".into()))
        .send()
        .await
        .unwrap();
    let read = repo
        .get(&NoteKey::new(
            "us-east-1:bob",
            "0190b3c0-8a1e-7cc3-9b7e-3a3c1b2d4e5f",
        ))
        .await
        .unwrap()
        .expect("the raw item reads back");
    assert_eq!(read.content, "hello from JavaScript");
    assert_eq!(read.attachment.as_deref(), Some("photo.jpg"));
    assert_eq!(read.created_at, 1_718_000_000_123);
    assert_eq!(
        read.key(),
        NoteKey::new("us-east-1:bob", "0190b3c0-8a1e-7cc3-9b7e-3a3c1b2d4e5f")
    );

    // boto3 writes None as NULL unless told otherwise; that reads as None too.
    client
        .put_item()
        .table_name(&table)
        .item("userId", Av::S("us-east-1:carol".into()))
        .item("noteId", Av::S("n1".into()))
        .item("content", Av::S("from Python".into()))
        .item("attachment", Av::Null(true))
        .item("createdAt", Av::N("1".into()))
        .send()
        .await
        .unwrap();
    let carol = repo.query("us-east-1:carol").all().await.unwrap();
    assert_eq!(carol.len(), 1);
    assert_eq!(carol[0].attachment, None);
}
