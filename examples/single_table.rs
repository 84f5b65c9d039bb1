//! Several item types in one table: `cargo run --example single-table`.
//!
//! Users, their notes and the notes' tags share one table (`app`, or `SINGLE_TABLE`), with
//! keys computed from fields by templates. One query loads a profile and the newest notes; a
//! global index lists notes by tag across users. On `MemoryBackend`, or on DynamoDB (or a
//! compatible server) when `AWS_ENDPOINT_URL_DYNAMODB` is set, configured the AWS SDK's way.

use notes_repo::{Backend, BillingMode, Collection, Error, Item, MemoryBackend, Repo};
use serde::{Deserialize, Serialize};

/// A user's profile: `pk = USER#<user>`, `sk = PROFILE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "user",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "PROFILE")
)]
#[serde(rename_all = "camelCase")]
struct User {
    user_id: String,
    name: String,
}

/// A note, newest last in its user's partition: `sk = NOTE#<created at>#<note>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "note",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "NOTE#{created_at}#{note_id}")
)]
#[serde(rename_all = "camelCase")]
struct Note {
    user_id: String,
    created_at: String,
    note_id: String,
    text: String,
}

/// A tag on a note, in the note's partition, and in the `byTag` index across users.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "tag",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "TAG#{tag}#{note_id}"),
    global_index(name = "byTag", partition_key = "tag", sort_key = "created_at")
)]
#[serde(rename_all = "camelCase")]
struct Tag {
    user_id: String,
    tag: String,
    note_id: String,
    created_at: String,
}

/// What the profile page shows: the profile and the newest notes, read by one query.
#[derive(Debug, Clone, PartialEq, Collection)]
enum UserData {
    Profile(User),
    Note(Note),
}

async fn run<B: Backend>(backend: B, table: &str) -> Result<(), Error> {
    // The table for all three types: the collection's union of indexes, plus the tags'.
    let data: Repo<UserData, B> = Repo::with_table(backend.clone(), table.to_owned());
    let tags: Repo<Tag, B> = Repo::with_table(backend.clone(), table.to_owned());
    tags.ensure_table(BillingMode::PayPerRequest).await?;
    data.verify_table().await?;
    let users: Repo<User, B> = Repo::with_table(backend.clone(), table.to_owned());
    let notes: Repo<Note, B> = Repo::with_table(backend, table.to_owned());

    for (user, name) in [("ann", "Ann"), ("bob", "Bob")] {
        users
            .put(&User {
                user_id: user.into(),
                name: name.into(),
            })
            .await?;
    }
    let written = [
        ("ann", "2026-11-23T08:00:00Z", "n1", "buy milk", "home"),
        (
            "ann",
            "2026-11-24T09:30:00Z",
            "n2",
            "call the bank",
            "admin",
        ),
        (
            "ann",
            "2026-11-25T18:00:00Z",
            "n3",
            "book flights",
            "travel",
        ),
        (
            "bob",
            "2026-11-25T07:15:00Z",
            "n4",
            "renew passport",
            "travel",
        ),
    ];
    for (user, at, id, text, tag) in written {
        let note = Note {
            user_id: user.into(),
            created_at: at.into(),
            note_id: id.into(),
            text: text.into(),
        };
        notes.put(&note).await?;
        tags.put(&Tag {
            user_id: user.into(),
            tag: tag.into(),
            note_id: id.into(),
            created_at: at.into(),
        })
        .await?;
    }

    // One query: ann's profile and her two newest notes (her tags are in the partition too,
    // and are filtered out by the entity attribute).
    let page = data
        .query(UserPartition::new("ann"))
        .descending()
        .limit(3)
        .consistent()
        .all()
        .await?;
    for item in &page {
        match item {
            UserData::Profile(user) => println!("profile: {}", user.name),
            UserData::Note(note) => println!("  {} {}", note.created_at, note.text),
        }
    }

    // A day of ann's notes, by a prefix typed from the sort-key template.
    let day = notes
        .query(NotePartition::new("ann"))
        .sort_key_prefix(NoteSort::prefix().created_at_starts_with("2026-11-24"))
        .consistent()
        .all()
        .await?;
    println!(
        "on 2026-11-24: {:?}",
        day.iter().map(|n| &n.text).collect::<Vec<_>>()
    );

    // Notes tagged `travel`, across users, by the global index.
    let travel = tags.query_index(Tag::BY_TAG, "travel").all().await?;
    for tag in &travel {
        let note = notes
            .get(&NoteKey::new(
                &*tag.user_id,
                &*tag.created_at,
                &*tag.note_id,
            ))
            .await?
            .expect("every tag has its note");
        println!("travel: {} ({})", note.text, tag.user_id);
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let table = std::env::var("SINGLE_TABLE").unwrap_or_else(|_| "app".to_owned());
    if std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some() {
        run(notes_repo::DynamoDbBackend::from_env().await, &table).await
    } else {
        run(MemoryBackend::new(), &table).await
    }
}
