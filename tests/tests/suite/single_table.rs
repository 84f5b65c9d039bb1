//! Several item types (entities) in one table: keys computed from templates, the entity
//! attribute, typed prefix queries, and what a typed repository refuses or skips.

use futures::TryStreamExt;
use notes_repo::request::{GetItem, PutItem};
use notes_repo::{AttributeValue, Backend, Collection, Error, Item, ItemError, PrimaryKey, Repo};
use notes_tests::repo;
use serde::{Deserialize, Serialize};

notes_tests::on_every_backend!(
    entities_share_a_table_and_each_reads_only_its_own,
    prefix_queries_are_typed_by_the_sort_template,
    numeric_components_sort_in_numeric_order,
    an_update_never_changes_a_key_component,
    an_item_of_another_entity_or_a_foreign_key_is_refused_on_get,
    a_collection_reads_a_profile_and_notes_in_one_query,
    a_shared_table_is_created_from_its_entities_and_verified_per_entity,
);

/// A user's profile and notes, read by one query of the user's partition.
#[derive(Debug, Clone, PartialEq, Collection)]
pub(crate) enum UserData {
    Profile(User),
    Note(Note),
}

/// A user's profile: one item per user, in the user's partition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "user",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "PROFILE")
)]
#[serde(rename_all = "camelCase")]
pub(crate) struct User {
    pub(crate) user_id: String,
    pub(crate) name: String,
}

/// A user's note, sorted by creation time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "note",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "NOTE#{created_at}#{note_id}")
)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Note {
    pub(crate) user_id: String,
    /// ISO 8601, so that it sorts as text.
    pub(crate) created_at: String,
    pub(crate) note_id: String,
    pub(crate) text: String,
}

/// A draft: the same key templates as a note (a mistake the compiler cannot see across two
/// types), but another entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    entity = "draft",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "NOTE#{created_at}#{note_id}")
)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Draft {
    pub(crate) user_id: String,
    pub(crate) created_at: String,
    pub(crate) note_id: String,
}

/// An event with a signed sequence number in its sort key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    entity = "event",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "EVENT#{seq}")
)]
pub(crate) struct Event {
    pub(crate) user_id: String,
    pub(crate) seq: i64,
}

pub(crate) fn note(user: &str, created_at: &str, id: &str) -> Note {
    Note {
        user_id: user.into(),
        created_at: created_at.into(),
        note_id: id.into(),
        text: format!("{id} of {user}"),
    }
}

/// Repositories of each entity on one table.
async fn repos<B: Backend>(
    backend: B,
    table: &str,
) -> (Repo<User, B>, Repo<Note, B>, Repo<Draft, B>, Repo<Event, B>) {
    let users = repo::<User, B>(backend.clone(), table).await;
    let notes = Repo::with_table(backend.clone(), table.to_owned());
    let drafts = Repo::with_table(backend.clone(), table.to_owned());
    let events = Repo::with_table(backend, table.to_owned());
    (users, notes, drafts, events)
}

/// A user, notes and events in one partition: each typed repository queries and scans only
/// its own entity's items, in sort-key order.
async fn entities_share_a_table_and_each_reads_only_its_own<B: Backend>(backend: B, table: &str) {
    let (users, notes, _, events) = repos(backend, table).await;
    let ann = User {
        user_id: "ann".into(),
        name: "Ann".into(),
    };
    users.put(&ann).await.unwrap();
    let written = [
        note("ann", "2026-11-25T09:00:00Z", "n2"),
        note("ann", "2026-11-24T10:00:00Z", "n1"),
        note("bob", "2026-11-25T11:00:00Z", "n3"),
    ];
    for n in &written {
        notes.put(n).await.unwrap();
    }
    events
        .put(&Event {
            user_id: "ann".into(),
            seq: 1,
        })
        .await
        .unwrap();

    let anns = notes
        .query(NotePartition::new("ann"))
        .consistent()
        .all()
        .await
        .unwrap();
    assert_eq!(anns, [written[1].clone(), written[0].clone()]);
    let profile = users
        .query(UserPartition::new("ann"))
        .consistent()
        .all()
        .await
        .unwrap();
    assert_eq!(profile, std::slice::from_ref(&ann));
    assert_eq!(
        users.get(&UserKey::new("ann")).consistent().await.unwrap(),
        Some(ann)
    );

    // Scans filter by entity too.
    let mut all_notes: Vec<Note> = notes
        .scan()
        .consistent()
        .stream()
        .try_collect()
        .await
        .unwrap();
    all_notes.sort_by(|a, b| a.note_id.cmp(&b.note_id));
    assert_eq!(all_notes.len(), 3);
    let all_users: Vec<User> = users.scan().consistent().all().await.unwrap();
    assert_eq!(all_users.len(), 1);

    // Pages with a limit and cursors, as for a single-type table.
    let mut cursor = None;
    let mut paged = Vec::new();
    loop {
        let page = notes
            .query(NotePartition::new("ann"))
            .descending()
            .limit(1)
            .consistent()
            .page(cursor.as_deref())
            .await
            .unwrap();
        paged.extend(page.items);
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(paged, [written[0].clone(), written[1].clone()]);
}

/// `begins_with` conditions built from the sort template's leading components.
async fn prefix_queries_are_typed_by_the_sort_template<B: Backend>(backend: B, table: &str) {
    let (_, notes, _, _) = repos(backend, table).await;
    let written = [
        note("ann", "2026-11-24T23:59:59Z", "a"),
        note("ann", "2026-11-25T08:00:00Z", "b"),
        note("ann", "2026-11-25T08:00:00Z", "c"),
        note("ann", "2026-11-25T21:00:00Z", "d"),
        note("ann", "2026-11-26T00:00:00Z", "e"),
    ];
    for n in &written {
        notes.put(n).await.unwrap();
    }
    let ids = |found: Vec<Note>| found.into_iter().map(|n| n.note_id).collect::<Vec<_>>();
    let day = notes
        .query(NotePartition::new("ann"))
        .sort_key_prefix(NoteSort::prefix().created_at_starts_with("2026-11-25"))
        .consistent()
        .all()
        .await
        .unwrap();
    assert_eq!(ids(day), ["b", "c", "d"]);
    let instant = notes
        .query(NotePartition::new("ann"))
        .sort_key_prefix(NoteSort::prefix().created_at("2026-11-25T08:00:00Z"))
        .consistent()
        .all()
        .await
        .unwrap();
    assert_eq!(ids(instant), ["b", "c"]);
    let every = notes
        .query(NotePartition::new("ann"))
        .sort_key_prefix(NoteSort::prefix())
        .consistent()
        .all()
        .await
        .unwrap();
    assert_eq!(every.len(), 5);
    // Range conditions take whole typed sort keys.
    let before = notes
        .query(NotePartition::new("ann"))
        .sort_key_lt(NoteSort::new("2026-11-25T08:00:00Z", "c"))
        .consistent()
        .all()
        .await
        .unwrap();
    assert_eq!(ids(before), ["a", "b"]);
}

/// Signed numbers render zero-padded with their sign handled, so that the sort key orders
/// them as numbers.
async fn numeric_components_sort_in_numeric_order<B: Backend>(backend: B, table: &str) {
    let (_, _, _, events) = repos(backend, table).await;
    let seqs = [42, -1, 0, i64::MIN, -100, 7, i64::MAX, -5, 1000];
    for seq in seqs {
        events
            .put(&Event {
                user_id: "ann".into(),
                seq,
            })
            .await
            .unwrap();
    }
    let read: Vec<i64> = events
        .query(EventPartition::new("ann"))
        .consistent()
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.seq)
        .collect();
    let mut sorted = seqs.to_vec();
    sorted.sort();
    assert_eq!(read, sorted);
    let negative: Vec<i64> = events
        .query(EventPartition::new("ann"))
        .sort_key_lt(EventSort::new(0))
        .consistent()
        .all()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.seq)
        .collect();
    assert_eq!(negative, [i64::MIN, -100, -5, -1]);
}

/// An update may change the other fields, never a key component (refused before sending);
/// it never creates an item, and never updates another entity's item.
async fn an_update_never_changes_a_key_component<B: Backend>(backend: B, table: &str) {
    let (_, notes, drafts, _) = repos(backend, table).await;
    let n = note("ann", "2026-11-25T08:00:00Z", "n1");
    notes.put(&n).await.unwrap();
    let key = n.key();
    match notes
        .update(&key)
        .apply(Note::CREATED_AT.set("2026-11-26T08:00:00Z"))
        .await
    {
        Err(Error::Validation { message, .. }) => {
            assert!(
                message.contains("`createdAt` is a component of the key"),
                "{message}"
            );
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    let updated = notes
        .update(&key)
        .apply(Note::TEXT.set("edited"))
        .await
        .unwrap();
    assert_eq!(updated.text, "edited");
    assert_eq!(updated.created_at, n.created_at);

    let missing = NoteKey::new("ann", "2026-11-25T08:00:00Z", "none");
    assert!(matches!(
        notes.update(&missing).apply(Note::TEXT.set("x")).await,
        Err(Error::NotFound { .. })
    ));
    // A draft under a note's key is not a note to update.
    let draft = Draft {
        user_id: "ann".into(),
        created_at: "2026-11-27T08:00:00Z".into(),
        note_id: "d1".into(),
    };
    drafts.put(&draft).await.unwrap();
    let as_note = NoteKey::new("ann", "2026-11-27T08:00:00Z", "d1");
    assert!(matches!(
        notes.update(&as_note).apply(Note::TEXT.set("x")).await,
        Err(Error::NotFound { .. })
    ));
}

/// A get names the entity it found under a key of another's; an item whose stored key is not
/// what its fields render is refused naming the attribute.
async fn an_item_of_another_entity_or_a_foreign_key_is_refused_on_get<B: Backend>(
    backend: B,
    table: &str,
) {
    let (_, notes, drafts, _) = repos(backend.clone(), table).await;
    let draft = Draft {
        user_id: "ann".into(),
        created_at: "2026-11-27T08:00:00Z".into(),
        note_id: "d1".into(),
    };
    drafts.put(&draft).await.unwrap();
    let as_note = NoteKey::new("ann", "2026-11-27T08:00:00Z", "d1");
    match notes.get(&as_note).consistent().await {
        Err(Error::Item(ItemError::Entity {
            attribute,
            expected,
            found,
            ..
        })) => {
            assert_eq!((attribute, expected), ("_et", "note"));
            assert_eq!(found.as_deref(), Some("draft"));
        }
        other => panic!("expected an entity error, got {other:?}"),
    }
    // Queries skip it instead.
    let listed = notes
        .query(NotePartition::new("ann"))
        .consistent()
        .all()
        .await
        .unwrap();
    assert!(listed.is_empty(), "{listed:?}");

    // Written by other code: the sort key says n2, the fields say n1.
    let mut raw = note("ann", "2026-11-25T08:00:00Z", "n1").to_item().unwrap();
    raw.insert(
        "sk".into(),
        AttributeValue::S("NOTE#2026-11-25T08:00:00Z#n2".into()),
    );
    backend.put_item(PutItem::new(table, raw)).await.unwrap();
    let key = NoteKey::new("ann", "2026-11-25T08:00:00Z", "n2");
    let stored = backend
        .get_item(GetItem::new(table, key.to_key_map()).consistent_read(true))
        .await
        .unwrap();
    assert!(stored.item.is_some());
    match notes.get(&key).consistent().await {
        Err(Error::Item(ItemError::KeyTemplate {
            attribute,
            expected,
            found,
            ..
        })) => {
            assert_eq!(attribute, "sk");
            assert_eq!(expected, "NOTE#2026-11-25T08:00:00Z#n1");
            assert_eq!(found.as_deref(), Some("NOTE#2026-11-25T08:00:00Z#n2"));
        }
        other => panic!("expected a key template error, got {other:?}"),
    }
}

/// One query returns the profile and the notes (not the events: not members), with pages and
/// cursors; typed prefixes narrow it to one member; an item of a non-member is refused on get.
async fn a_collection_reads_a_profile_and_notes_in_one_query<B: Backend>(backend: B, table: &str) {
    let (users, notes, _, events) = repos(backend.clone(), table).await;
    let data: Repo<UserData, B> = Repo::with_table(backend, table.to_owned());
    let ann = User {
        user_id: "ann".into(),
        name: "Ann".into(),
    };
    users.put(&ann).await.unwrap();
    let first = note("ann", "2026-11-24T10:00:00Z", "n1");
    notes.put(&first).await.unwrap();
    let second = note("ann", "2026-11-25T10:00:00Z", "n2");
    data.put(&UserData::Note(second.clone())).await.unwrap();
    notes
        .put(&note("bob", "2026-11-25T10:00:00Z", "n3"))
        .await
        .unwrap();
    let event = Event {
        user_id: "ann".into(),
        seq: 1,
    };
    events.put(&event).await.unwrap();

    // Newest first: the profile (PROFILE sorts after NOTE#...), then the notes.
    let all = data
        .query(UserPartition::new("ann"))
        .descending()
        .consistent()
        .all()
        .await
        .unwrap();
    assert_eq!(
        all,
        [
            UserData::Profile(ann.clone()),
            UserData::Note(second.clone()),
            UserData::Note(first.clone()),
        ]
    );
    let mut cursor = None;
    let mut paged = Vec::new();
    loop {
        let page = data
            .query(UserPartition::new("ann"))
            .descending()
            .limit(1)
            .consistent()
            .page(cursor.as_deref())
            .await
            .unwrap();
        paged.extend(page.items);
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(paged, all);
    let only_notes = data
        .query(UserPartition::new("ann"))
        .sort_key_prefix(NoteSort::prefix())
        .consistent()
        .all()
        .await
        .unwrap();
    assert_eq!(only_notes, [UserData::Note(first), UserData::Note(second)]);

    let event_key = UserDataKey {
        partition: UserPartition::new("ann"),
        sort: EventSort::new(1).render(),
    };
    match data.get(&event_key).consistent().await {
        Err(Error::Item(ItemError::Entity { found, .. })) => {
            assert_eq!(found.as_deref(), Some("event"));
        }
        other => panic!("expected an entity error, got {other:?}"),
    }
    assert_eq!(
        data.get(&UserData::Profile(ann.clone()).key())
            .consistent()
            .await
            .unwrap(),
        Some(UserData::Profile(ann))
    );
}

/// An organisation, and its members with a global index by user: a collection whose table
/// needs the union of its members' indexes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "orgs",
    entity = "org",
    partition_key(template = "ORG#{org}"),
    sort_key(template = "ORG")
)]
pub(crate) struct Org {
    pub(crate) org: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "orgs",
    entity = "member",
    partition_key(template = "ORG#{org}"),
    sort_key(template = "MEMBER#{user}"),
    global_index(name = "byUser", partition_key = "user")
)]
pub(crate) struct Member {
    pub(crate) org: String,
    pub(crate) user: String,
}

#[derive(Debug, Clone, PartialEq, Collection)]
pub(crate) enum OrgData {
    Org(Org),
    Member(Member),
}

/// `ensure_table` of a collection creates the union of its members' indexes; verifying a
/// table that lacks one names the member that expects it.
async fn a_shared_table_is_created_from_its_entities_and_verified_per_entity<B: Backend>(
    backend: B,
    table: &str,
) {
    let orgs = repo::<OrgData, B>(backend.clone(), table).await;
    let described = orgs.describe_table().await.unwrap();
    let names: Vec<&str> = described.indexes.iter().map(|i| i.name.as_ref()).collect();
    assert_eq!(names, ["byUser"]);
    orgs.put(&OrgData::Org(Org { org: "acme".into() }))
        .await
        .unwrap();
    let members: Repo<Member, B> = Repo::with_table(backend.clone(), table.to_owned());
    members
        .put(&Member {
            org: "acme".into(),
            user: "ann".into(),
        })
        .await
        .unwrap();
    // The index holds only members (the org item has no `user`), read typed.
    let anns = members
        .query_index(Member::BY_USER, "ann")
        .all()
        .await
        .unwrap();
    assert_eq!(anns.len(), 1);

    // A table made for the org entity alone lacks the member's index.
    let bare = format!("{table}-bare");
    let only_orgs = repo::<Org, B>(backend.clone(), &bare).await;
    only_orgs.verify_table().await.unwrap();
    let as_collection: Repo<OrgData, B> = Repo::with_table(backend, bare);
    match as_collection.verify_table().await {
        Err(Error::EntityTableMismatch { entity, reason, .. }) => {
            assert_eq!(entity, "member");
            assert_eq!(reason, "the table has no index `byUser`");
        }
        other => panic!("expected an entity mismatch, got {other:?}"),
    }
}
