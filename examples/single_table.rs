//! Several item types in one table: `cargo run --example single-table`.
//!
//! Users, their notes and the notes' tags share one table (`app`, or `SINGLE_TABLE`), with
//! keys computed from fields by templates. One query loads a profile and the newest notes; an
//! overloaded global index (`gsi1`, written by notes and tags alike) lists notes by tag across
//! users, and one query of it returns a tag's users and notes together. On `MemoryBackend`, or on DynamoDB (or a
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

/// A note, newest last in its user's partition: `sk = NOTE#<created at>#<note>`; in `gsi1`
/// under `TAG#<tag>` when it has a tag (an untagged note is not in the index).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "note",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "NOTE#{created_at}#{note_id}"),
    global_index(
        name = "gsi1",
        partition_key(name = "gsi1pk", template = "TAG#{tag}"),
        sort_key(name = "gsi1sk", template = "NOTE#{created_at}#{note_id}")
    )
)]
#[serde(rename_all = "camelCase")]
struct Note {
    user_id: String,
    created_at: String,
    note_id: String,
    text: String,
    tag: Option<String>,
}

/// That a user uses a tag: in the user's partition (`TAG#<tag>`), and in the same overloaded
/// index, under the same `TAG#<tag>` partition as the notes (`gsi1sk = USER#<user>`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "tag",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "TAG#{tag}"),
    global_index(
        name = "gsi1",
        partition_key(name = "gsi1pk", template = "TAG#{tag}"),
        sort_key(name = "gsi1sk", template = "USER#{user_id}")
    )
)]
#[serde(rename_all = "camelCase")]
struct Tag {
    user_id: String,
    tag: String,
}

/// What the profile page shows: the profile and the newest notes, read by one query.
#[derive(Debug, Clone, PartialEq, Collection)]
enum UserData {
    Profile(User),
    Note(Note),
}

/// What a tag's page shows: who uses it and its notes, read by one query of `gsi1`.
#[derive(Debug, Clone, PartialEq, Collection)]
#[collection(index = "gsi1")]
enum TagData {
    User(Tag),
    Note(Note),
}

async fn run<B: Backend>(backend: B, table: &str) -> Result<(), Error> {
    // The table for all three types: the union of the collections' keys and indexes.
    let data: Repo<UserData, B> = Repo::with_table(backend.clone(), table.to_owned());
    let by_tag: Repo<TagData, B> = Repo::with_table(backend.clone(), table.to_owned());
    by_tag.ensure_table(BillingMode::PayPerRequest).await?;
    data.verify_table().await?;
    let users: Repo<User, B> = Repo::with_table(backend.clone(), table.to_owned());
    let notes: Repo<Note, B> = Repo::with_table(backend.clone(), table.to_owned());
    let tags: Repo<Tag, B> = Repo::with_table(backend, table.to_owned());

    for (user, name) in [("ann", "Ann"), ("bob", "Bob")] {
        users
            .put(&User {
                user_id: user.into(),
                name: name.into(),
            })
            .await?;
    }
    let written = [
        (
            "ann",
            "2026-11-23T08:00:00Z",
            "n1",
            "buy milk",
            Some("home"),
        ),
        ("ann", "2026-11-24T09:30:00Z", "n2", "call the bank", None),
        (
            "ann",
            "2026-11-25T18:00:00Z",
            "n3",
            "book flights",
            Some("travel"),
        ),
        (
            "bob",
            "2026-11-25T07:15:00Z",
            "n4",
            "renew passport",
            Some("travel"),
        ),
    ];
    for (user, at, id, text, tag) in written {
        let note = Note {
            user_id: user.into(),
            created_at: at.into(),
            note_id: id.into(),
            text: text.into(),
            tag: tag.map(Into::into),
        };
        notes.put(&note).await?;
        if let Some(tag) = tag {
            tags.put(&Tag {
                user_id: user.into(),
                tag: tag.into(),
            })
            .await?;
        }
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
        .sort_key_begins_with(NoteSort::prefix().created_at_starts_with("2026-11-24"))
        .consistent()
        .all()
        .await?;
    println!(
        "on 2026-11-24: {:?}",
        day.iter().map(|n| &n.text).collect::<Vec<_>>()
    );

    // Notes tagged `travel`, across users, by the overloaded index: typed partition value,
    // typed sort prefix; nobody writes `TAG#` or `NOTE#`.
    let travel = notes
        .query_index(Note::GSI1, NoteGsi1Partition::new("travel"))
        .sort_key_begins_with(NoteGsi1Sort::prefix().created_at_starts_with("2026-11-25"))
        .all()
        .await?;
    for note in &travel {
        println!("travel: {} ({})", note.text, note.user_id);
    }

    // Who uses `travel`, and its notes: both entities of the index partition, one query.
    for item in by_tag
        .query_index(TagData::GSI1, TagGsi1Partition::new("travel"))
        .all()
        .await?
    {
        match item {
            TagData::User(tag) => println!("travel is used by {}", tag.user_id),
            TagData::Note(note) => println!("travel note: {}", note.text),
        }
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
