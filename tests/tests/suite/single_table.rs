//! Several item types (entities) in one table: keys computed from templates, the entity
//! attribute, typed prefix queries, and what a typed repository refuses or skips.

use futures::TryStreamExt;
use notes_repo::request::{GetItem, PutItem};
use notes_repo::{
    AttributeValue, Backend, Collection, Error, Item, ItemError, PrimaryKey, Repo, WriteTransaction,
};
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
    an_overloaded_index_lists_two_entities_by_tag,
    an_update_recomputes_the_overloaded_index,
    an_update_sets_every_component_of_an_index_template,
    a_stored_index_attribute_is_checked_on_read,
    two_keys_never_render_as_one_stored_key,
    a_sort_key_operand_or_prefix_holding_a_separator_is_refused,
    an_entity_never_replaces_or_deletes_another_entitys_item,
    a_collection_never_deletes_an_item_of_a_non_member,
    an_update_never_writes_the_entity_attribute,
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
        .sort_key_begins_with(NoteSort::prefix().created_at_starts_with("2026-11-25"))
        .consistent()
        .all()
        .await
        .unwrap();
    assert_eq!(ids(day), ["b", "c", "d"]);
    let instant = notes
        .query(NotePartition::new("ann"))
        .sort_key_begins_with(NoteSort::prefix().created_at("2026-11-25T08:00:00Z"))
        .consistent()
        .all()
        .await
        .unwrap();
    assert_eq!(ids(instant), ["b", "c"]);
    let every = notes
        .query(NotePartition::new("ann"))
        .sort_key_begins_with(NoteSort::prefix())
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
        .sort_key_begins_with(NoteSort::prefix())
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

/// A note with an optional tag: in the overloaded index `gsi1` under `TAG#<tag>` when it has
/// one, not at all when it has none (a sparse index).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "tags",
    entity = "note",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "NOTE#{created_at}#{note_id}"),
    global_index(
        name = "gsi1",
        partition_key(name = "gsi1pk", template = "TAG#{tag}"),
        sort_key(name = "gsi1sk", template = "NOTE#{created_at}#{note_id}")
    )
)]
pub(crate) struct TaggedNote {
    pub(crate) user_id: String,
    pub(crate) created_at: String,
    pub(crate) note_id: String,
    pub(crate) tag: Option<String>,
    pub(crate) text: String,
}

/// That a user uses a tag: in the user's partition, and in the tag's partition of the same
/// overloaded index (attribute names defaulted: `gsi1pk`, `gsi1sk`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "tags",
    entity = "tag_use",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "TAG#{tag}"),
    global_index(
        name = "gsi1",
        partition_key(template = "TAG#{tag}"),
        sort_key(template = "USER#{user_id}")
    )
)]
pub(crate) struct TagUse {
    pub(crate) user_id: String,
    pub(crate) tag: String,
    pub(crate) since: String,
}

/// Everything under one tag, read by one query of the index.
#[derive(Debug, Clone, PartialEq, Collection)]
#[collection(index = "gsi1")]
pub(crate) enum Tagged {
    Use(TagUse),
    Note(TaggedNote),
}

fn tagged(user: &str, created_at: &str, id: &str, tag: Option<&str>) -> TaggedNote {
    TaggedNote {
        user_id: user.into(),
        created_at: created_at.into(),
        note_id: id.into(),
        tag: tag.map(Into::into),
        text: format!("{id} of {user}"),
    }
}

fn tag_use(user: &str, tag: &str) -> TagUse {
    TagUse {
        user_id: user.into(),
        tag: tag.into(),
        since: "2026-11-01".into(),
    }
}

/// The attribute names of the stored item at `key`, read without the SDK's types, and the
/// item.
async fn raw<B: Backend>(
    backend: &B,
    table: &str,
    key: notes_repo::ItemMap,
) -> notes_repo::ItemMap {
    backend
        .get_item(GetItem::new(table, key).consistent_read(true))
        .await
        .unwrap()
        .item
        .expect("the item is stored")
        .into_owned()
}

fn names(item: &notes_repo::ItemMap) -> Vec<&str> {
    let mut names: Vec<&str> = item.keys().map(String::as_str).collect();
    names.sort_unstable();
    names
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

/// Notes and tag uses share index `gsi1`: the table is created with it (from the
/// collection's members), the computed attributes are exactly what the raw item shows (none
/// for an untagged note), and the index is queried typed: one entity, a typed sort prefix, and
/// the collection of both.
async fn an_overloaded_index_lists_two_entities_by_tag<B: Backend>(backend: B, table: &str) {
    let all: Repo<Tagged, B> = repo(backend.clone(), table).await;
    let described = all.describe_table().await.unwrap();
    assert_eq!(described.indexes.len(), 1);
    assert_eq!(described.indexes[0].name, "gsi1");
    assert_eq!(
        described.indexes[0].key_schema,
        TaggedNote::GSI1.schema().key_schema
    );
    all.verify_table().await.unwrap();
    let notes: Repo<TaggedNote, B> = Repo::with_table(backend.clone(), table.to_owned());
    let uses: Repo<TagUse, B> = Repo::with_table(backend.clone(), table.to_owned());
    let n1 = tagged("ann", "2026-11-24T10:00:00Z", "n1", Some("travel"));
    let n2 = tagged("ann", "2026-11-25T09:00:00Z", "n2", None);
    let n3 = tagged("bob", "2026-11-25T11:00:00Z", "n3", Some("travel"));
    for n in [&n1, &n2, &n3] {
        notes.put(n).await.unwrap();
    }
    for u in [
        tag_use("ann", "travel"),
        tag_use("bob", "travel"),
        tag_use("bob", "home"),
    ] {
        uses.put(&u).await.unwrap();
    }

    // Interop: exactly the computed attributes, as any other client reads them.
    let stored = raw(&backend, table, n1.key().to_key_map()).await;
    assert_eq!(
        names(&stored),
        [
            "_et",
            "created_at",
            "gsi1pk",
            "gsi1sk",
            "note_id",
            "pk",
            "sk",
            "tag",
            "text",
            "user_id"
        ]
    );
    assert_eq!(stored["gsi1pk"], s("TAG#travel"));
    assert_eq!(stored["gsi1sk"], s("NOTE#2026-11-24T10:00:00Z#n1"));
    let untagged = raw(&backend, table, n2.key().to_key_map()).await;
    assert!(
        !untagged.contains_key("gsi1pk") && !untagged.contains_key("gsi1sk"),
        "{untagged:?}"
    );
    let used = raw(&backend, table, tag_use("bob", "home").key().to_key_map()).await;
    assert_eq!(used["gsi1pk"], s("TAG#home"));
    assert_eq!(used["gsi1sk"], s("USER#bob"));

    // One entity of the index, typed: the caller never writes `TAG#` or `NOTE#`.
    let travel = notes
        .query_index(TaggedNote::GSI1, TaggedNoteGsi1Partition::new("travel"))
        .all()
        .await
        .unwrap();
    assert_eq!(travel, [n1.clone(), n3.clone()]);
    let day = notes
        .query_index(TaggedNote::GSI1, TaggedNoteGsi1Partition::new("travel"))
        .sort_key_begins_with(TaggedNoteGsi1Sort::prefix().created_at_starts_with("2026-11-25"))
        .all()
        .await
        .unwrap();
    assert_eq!(day, std::slice::from_ref(&n3));
    let users = uses
        .query_index(TagUse::GSI1, TagUseGsi1Partition::new("travel"))
        .all()
        .await
        .unwrap();
    assert_eq!(users, [tag_use("ann", "travel"), tag_use("bob", "travel")]);

    // Both entities under the tag, by one query of the collection's index, in index order
    // (`NOTE#...` sorts before `USER#...`), with pages and cursors.
    let everything = all
        .query_index(Tagged::GSI1, TagUseGsi1Partition::new("travel"))
        .all()
        .await
        .unwrap();
    assert_eq!(
        everything,
        [
            Tagged::Note(n1),
            Tagged::Note(n3),
            Tagged::Use(tag_use("ann", "travel")),
            Tagged::Use(tag_use("bob", "travel")),
        ]
    );
    let mut cursor = None;
    let mut paged = Vec::new();
    loop {
        let page = all
            .query_index(Tagged::GSI1, TagUseGsi1Partition::new("travel"))
            .limit(3)
            .page(cursor.as_deref())
            .await
            .unwrap();
        paged.extend(page.items);
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(paged, everything);
    let only_uses = all
        .query_index(Tagged::GSI1, TagUseGsi1Partition::new("travel"))
        .sort_key_begins_with(TagUseGsi1Sort::prefix())
        .all()
        .await
        .unwrap();
    assert_eq!(only_uses, everything[2..]);

    // A table made without the index: verification names the first entity that expects it.
    let bare = format!("{table}-bare");
    repo::<Draft, B>(backend.clone(), &bare).await;
    let on_bare: Repo<Tagged, B> = Repo::with_table(backend, bare);
    match on_bare.verify_table().await {
        Err(Error::EntityTableMismatch { entity, reason, .. }) => {
            assert_eq!(entity, "tag_use");
            assert_eq!(reason, "the table has no index `gsi1`");
        }
        other => panic!("expected an entity mismatch, got {other:?}"),
    }
}

/// An update that writes the tag rewrites the index attributes from the update's value and
/// the key's components; setting it to `None` removes them (the note leaves the index).
async fn an_update_recomputes_the_overloaded_index<B: Backend>(backend: B, table: &str) {
    let notes: Repo<TaggedNote, B> = repo(backend.clone(), table).await;
    let n = tagged("ann", "2026-11-25T09:00:00Z", "n2", None);
    notes.put(&n).await.unwrap();
    let key = n.key();
    let updated = notes
        .update(&key)
        .apply(TaggedNote::TAG.set(Some("home".to_owned())))
        .await
        .unwrap();
    assert_eq!(updated.tag.as_deref(), Some("home"));
    let stored = raw(&backend, table, key.to_key_map()).await;
    assert_eq!(stored["gsi1pk"], s("TAG#home"));
    assert_eq!(stored["gsi1sk"], s("NOTE#2026-11-25T09:00:00Z#n2"));
    let home = notes
        .query_index(TaggedNote::GSI1, TaggedNoteGsi1Partition::new("home"))
        .all()
        .await
        .unwrap();
    assert_eq!(home, [updated]);

    // An update of another field leaves them as they are.
    notes
        .update(&key)
        .apply(TaggedNote::TEXT.set("edited"))
        .await
        .unwrap();
    assert_eq!(
        raw(&backend, table, key.to_key_map()).await["gsi1pk"],
        s("TAG#home")
    );

    let untagged = notes
        .update(&key)
        .apply(TaggedNote::TAG.set(None::<String>))
        .await
        .unwrap();
    assert_eq!(untagged.tag, None);
    let stored = raw(&backend, table, key.to_key_map()).await;
    assert!(
        !stored.contains_key("gsi1pk") && !stored.contains_key("gsi1sk"),
        "{stored:?}"
    );
    assert!(
        notes
            .query_index(TaggedNote::GSI1, TaggedNoteGsi1Partition::new("home"))
            .all()
            .await
            .unwrap()
            .is_empty()
    );
}

/// A task in index `byStatus` by status and due date: two components that are not in the
/// primary key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "tasks",
    entity = "task",
    partition_key(template = "USER#{user_id}"),
    sort_key(template = "TASK#{task_id}"),
    global_index(
        name = "byStatus",
        partition_key(template = "STATUS#{status}"),
        sort_key(template = "DUE#{due}#{task_id}")
    )
)]
pub(crate) struct Task {
    pub(crate) user_id: String,
    pub(crate) task_id: String,
    pub(crate) status: String,
    pub(crate) due: String,
}

/// An update that sets one component of an index template but not another is refused before
/// anything is sent, naming both (the index attribute could not be computed); with both set,
/// the index attributes follow.
async fn an_update_sets_every_component_of_an_index_template<B: Backend>(backend: B, table: &str) {
    let tasks: Repo<Task, B> = repo(backend.clone(), table).await;
    let task = Task {
        user_id: "ann".into(),
        task_id: "t1".into(),
        status: "open".into(),
        due: "2026-12-01".into(),
    };
    tasks.put(&task).await.unwrap();
    let stored = raw(&backend, table, task.key().to_key_map()).await;
    assert_eq!(stored["byStatuspk"], s("STATUS#open"));
    assert_eq!(stored["byStatussk"], s("DUE#2026-12-01#t1"));
    match tasks
        .update(&task.key())
        .apply(Task::STATUS.set("done"))
        .await
    {
        Err(Error::Item(ItemError::IndexComponents {
            index,
            attribute,
            set,
            missing,
            ..
        })) => {
            assert_eq!(
                (index, attribute, set, missing),
                ("byStatus", "byStatuspk", "status", "due")
            );
        }
        other => panic!("expected an index components error, got {other:?}"),
    }
    let done = tasks
        .update(&task.key())
        .apply(Task::STATUS.set("done"))
        .apply(Task::DUE.set("2026-12-02"))
        .await
        .unwrap();
    assert_eq!(
        (done.status.as_str(), done.due.as_str()),
        ("done", "2026-12-02")
    );
    let stored = raw(&backend, table, task.key().to_key_map()).await;
    assert_eq!(stored["byStatuspk"], s("STATUS#done"));
    assert_eq!(stored["byStatussk"], s("DUE#2026-12-02#t1"));
    let by_status = tasks
        .query_index(Task::BY_STATUS, TaskByStatusPartition::new("done"))
        .all()
        .await
        .unwrap();
    assert_eq!(by_status, [done]);
}

/// A stored index attribute that is not what the item's fields render, or one present while
/// a component is `None`, is refused on read naming the attribute.
async fn a_stored_index_attribute_is_checked_on_read<B: Backend>(backend: B, table: &str) {
    let notes: Repo<TaggedNote, B> = repo(backend.clone(), table).await;
    let n = tagged("ann", "2026-11-25T09:00:00Z", "n1", Some("travel"));
    let mut item = n.to_item().unwrap();
    item.insert("gsi1pk".into(), s("TAG#home"));
    backend.put_item(PutItem::new(table, item)).await.unwrap();
    match notes.get(&n.key()).consistent().await {
        Err(Error::Item(ItemError::KeyTemplate {
            attribute,
            expected,
            found,
            ..
        })) => {
            assert_eq!(attribute, "gsi1pk");
            assert_eq!(expected, "TAG#travel");
            assert_eq!(found.as_deref(), Some("TAG#home"));
        }
        other => panic!("expected a key template error, got {other:?}"),
    }
    let untagged = tagged("ann", "2026-11-25T10:00:00Z", "n2", None);
    let mut item = untagged.to_item().unwrap();
    item.insert("gsi1pk".into(), s("TAG#travel"));
    item.insert("gsi1sk".into(), s("NOTE#2026-11-25T10:00:00Z#n2"));
    backend.put_item(PutItem::new(table, item)).await.unwrap();
    match notes.get(&untagged.key()).consistent().await {
        Err(Error::Item(ItemError::KeyTemplate {
            attribute, found, ..
        })) => {
            assert_eq!(attribute, "gsi1pk");
            assert_eq!(found.as_deref(), Some("TAG#travel"));
        }
        other => panic!("expected a key template error, got {other:?}"),
    }
}

/// Issue 19 item 1: a shared table's stream records decode into the collection enum by their
/// entity attribute; an item of an entity outside the collection is `Error::Item` naming the
/// entity attribute, never a panic or a record silently skipped.
#[test]
fn stream_records_of_a_shared_table_decode_into_the_collection_by_entity() {
    use notes_repo::stream::{ChangeKind, ChangeRecord, StreamRecord};
    use std::time::SystemTime;

    let record = |kind, item: notes_repo::ItemMap, old: Option<notes_repo::ItemMap>| {
        let keys = item
            .iter()
            .filter(|(name, _)| *name == "pk" || *name == "sk")
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let raw = ChangeRecord::new(kind, keys, "100", SystemTime::UNIX_EPOCH).new_image(item);
        match old {
            Some(old) => raw.old_image(old),
            None => raw,
        }
    };
    let ann = User {
        user_id: "ann".into(),
        name: "Ann".into(),
    };
    let profile: StreamRecord<UserData> =
        StreamRecord::decode(record(ChangeKind::Insert, ann.to_item().unwrap(), None)).unwrap();
    assert_eq!(profile.new, Some(UserData::Profile(ann.clone())));
    assert_eq!(profile.key, UserData::Profile(ann).key());

    let before = note("ann", "2026-11-24T10:00:00Z", "n1");
    let after = Note {
        text: "edited".into(),
        ..before.clone()
    };
    let edited: StreamRecord<UserData> = StreamRecord::decode(record(
        ChangeKind::Modify,
        after.to_item().unwrap(),
        Some(before.to_item().unwrap()),
    ))
    .unwrap();
    assert_eq!(edited.kind, ChangeKind::Modify);
    assert_eq!(edited.old, Some(UserData::Note(before)));
    assert_eq!(edited.new, Some(UserData::Note(after)));

    let event = Event {
        user_id: "ann".into(),
        seq: 1,
    };
    match StreamRecord::<UserData>::decode(record(
        ChangeKind::Insert,
        event.to_item().unwrap(),
        None,
    )) {
        Err(Error::Item(ItemError::Entity { found, .. })) => {
            assert_eq!(found.as_deref(), Some("event"));
        }
        other => panic!("expected an entity error, got {other:?}"),
    }
}

/// A member of an organisation: the template, and an index by role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "members",
    entity = "org_member",
    partition_key(name = "pk", template = "ORG#{org}#MEMBER#{user}"),
    global_index(
        name = "gsi1",
        partition_key(template = "ROLE#{role}"),
        sort_key(template = "SEQ#{seq}")
    )
)]
pub(crate) struct OrgMember {
    pub(crate) org: String,
    pub(crate) user: String,
    pub(crate) role: String,
    pub(crate) seq: u32,
}

fn org_member(org: &str, user: &str, role: &str) -> OrgMember {
    OrgMember {
        org: org.into(),
        user: user.into(),
        role: role.into(),
        seq: 7,
    }
}

/// Issue 24 defect 7: `{org: "acme#MEMBER", user: "bob"}` and `{org: "acme", user:
/// "MEMBER#bob"}` both rendered `ORG#acme#MEMBER#MEMBER#bob`: the second `create` answered
/// `AlreadyExists` and a get of the first key returned the second tenant's item. A `String`
/// component holding a separator next to it in its template is refused before anything is
/// sent (on writes and on keys, primary and index templates alike), so rendering is
/// injective; a stored key that does not read back is `Error::Item`, never a wrong split.
async fn two_keys_never_render_as_one_stored_key<B: Backend>(backend: B, table: &str) {
    let members: Repo<OrgMember, B> = repo(backend.clone(), table).await;
    let refused = |result: Result<_, Error>, attribute: &str, field: &str| match result {
        Err(Error::Item(ItemError::KeyComponent {
            attribute: a,
            field: f,
            separator,
            template,
            ..
        })) => {
            assert_eq!((a, f), (attribute, field));
            assert_eq!(separator.to_string(), "#");
            let expected = if attribute == "pk" {
                "ORG#{org}#MEMBER#{user}"
            } else {
                "ROLE#{role}"
            };
            assert_eq!(template, expected);
        }
        other => panic!("expected {field} refused in {attribute}, got {other:?}"),
    };
    let a = org_member("acme#MEMBER", "bob", "owner");
    let b = org_member("acme", "MEMBER#bob", "guest");
    refused(members.create(&a).await.map(|_| ()), "pk", "org");
    refused(members.create(&b).await.map(|_| ()), "pk", "user");
    refused(members.put(&b).await.map(|_| ()), "pk", "user");
    // An index template's component too (`role` is in no primary key).
    refused(
        members
            .put(&org_member("acme", "bob", "own#er"))
            .await
            .map(|_| ()),
        "gsi1pk",
        "role",
    );
    let stored = backend
        .scan(notes_repo::request::Scan::new(table))
        .await
        .unwrap();
    assert!(stored.items.is_empty(), "{:?}", stored.items);

    // Acme's bob, and keys that would have rendered as his: refused, never his item.
    let bob = org_member("acme", "bob", "owner");
    members.create(&bob).await.unwrap();
    assert_eq!(
        members.get(&bob.key()).consistent().await.unwrap(),
        Some(bob.clone())
    );
    refused(
        members
            .get(&OrgMemberKey::new("acme#MEMBER", "bob"))
            .consistent()
            .await
            .map(|_| ()),
        "pk",
        "org",
    );
    refused(
        members
            .delete(&OrgMemberKey::new("acme", "MEMBER#bob"))
            .await
            .map(|_| ()),
        "pk",
        "user",
    );
    // Empty components render distinctly (`ORG##MEMBER#bob`), and read back.
    let empty = org_member("", "bob", "owner");
    members.create(&empty).await.unwrap();
    assert_eq!(
        members.get(&empty.key()).consistent().await.unwrap(),
        Some(empty.clone())
    );
    let mut all = members.scan().consistent().all().await.unwrap();
    all.sort_by(|x, y| x.org.cmp(&y.org));
    assert_eq!(all, [empty.clone(), bob.clone()]);

    // Written by other code: a stored key that no accepted member renders is refused on read.
    let mut raw = bob.to_item().unwrap();
    raw.insert("pk".into(), s("ORG#acme#MEMBER#MEMBER#bob"));
    raw.insert("user".into(), s("MEMBER#bob"));
    backend.put_item(PutItem::new(table, raw)).await.unwrap();
    match members.scan().consistent().all().await {
        Err(Error::Item(ItemError::KeyComponent { field, .. })) => assert_eq!(field, "user"),
        other => panic!("expected the foreign key refused, got {other:?}"),
    }
}

/// A sort-key operand or a typed prefix built from a component that holds a separator could
/// match other keys (`NOTE#{created_at}#{note_id}`: `created_at = "a#b"` renders like
/// `created_at = "a"`, `note_id = "b#.."`): refused before anything is sent.
async fn a_sort_key_operand_or_prefix_holding_a_separator_is_refused<B: Backend>(
    backend: B,
    table: &str,
) {
    let (_, notes, _, _) = repos(backend, table).await;
    let n = note("ann", "2026-11-25T08:00:00Z", "n1");
    notes.put(&n).await.unwrap();
    let refused = |result: Result<Vec<Note>, Error>, field: &str| match result {
        Err(Error::Item(ItemError::KeyComponent {
            attribute,
            field: f,
            separator: '#',
            ..
        })) => assert_eq!(
            (attribute, f),
            (if f == "user_id" { "pk" } else { "sk" }, field)
        ),
        other => panic!("expected {field} refused, got {other:?}"),
    };
    let query = || notes.query(NotePartition::new("ann")).consistent();
    refused(
        query()
            .sort_key_begins_with(NoteSort::prefix().created_at("2026-11-25T08:00:00Z#n"))
            .all()
            .await,
        "created_at",
    );
    refused(
        query()
            .sort_key_begins_with(
                NoteSort::prefix().created_at_starts_with("2026-11-25T08:00:00Z#"),
            )
            .all()
            .await,
        "created_at",
    );
    refused(
        query()
            .sort_key_eq(NoteSort::new("2026-11-25T08:00:00Z#n1", ""))
            .all()
            .await,
        "created_at",
    );
    refused(
        query()
            .sort_key_between(NoteSort::new("a", "b#"), NoteSort::new("z", "z"))
            .all()
            .await,
        "note_id",
    );
    refused(
        notes.query(NotePartition::new("ann#")).all().await,
        "user_id",
    );
    // The same queries with accepted components find the note.
    let found = query()
        .sort_key_begins_with(NoteSort::prefix().created_at("2026-11-25T08:00:00Z"))
        .all()
        .await
        .unwrap();
    assert_eq!(found, std::slice::from_ref(&n));
    let found = query()
        .sort_key_begins_with(NoteSort::prefix().created_at_starts_with("2026-11-25"))
        .all()
        .await
        .unwrap();
    assert_eq!(found, [n]);
}

/// Random members through the typed `Repo`: every component value is built from pieces of
/// the template (`#`, `MEMBER`, `#MEMBER#`), empty strings and Unicode. Against a model where a
/// member is accepted exactly when no component holds `#`: each `create` answers `Ok`,
/// `AlreadyExists` (the same components only) or `KeyComponent`; every accepted member reads
/// back from its own key, and the table holds exactly the accepted members. 64 cases in CI
/// (a few seconds); `NOTES_ATTACK_CASES=5000` for a longer run.
#[test]
fn random_members_through_the_repo_never_share_a_stored_key() {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestCaseError, TestRunner};
    use std::collections::BTreeMap;

    let piece = proptest::sample::select(vec![
        "", "acme", "#", "MEMBER", "#MEMBER#", "MEMBER#", "bob", "é→", "😀", "a#",
    ]);
    let value = proptest::collection::vec(piece, 0..4).prop_map(|pieces| pieces.concat());
    let members = proptest::collection::vec(
        (
            value.clone(),
            value,
            proptest::sample::select(vec!["owner", "own#er"]),
        ),
        1..8,
    );
    let cases = std::env::var("NOTES_ATTACK_CASES")
        .ok()
        .and_then(|n| n.trim().parse().ok())
        .map_or(64, |n: u32| n / 4);
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let result = runner.run(&members, |members| {
        runtime.block_on(async {
            let backend = notes_repo::MemoryBackend::new();
            let repo: Repo<OrgMember, _> = repo(backend, "members").await;
            let mut model: BTreeMap<(String, String), OrgMember> = BTreeMap::new();
            for (org, user, role) in members {
                let m = org_member(&org, &user, role);
                let key_accepted = !org.contains('#') && !user.contains('#');
                let accepted = key_accepted && !role.contains('#');
                let key = (org.clone(), user.clone());
                match repo.create(&m).await {
                    Ok(_) if accepted && !model.contains_key(&key) => {
                        model.insert(key.clone(), m.clone());
                    }
                    Err(Error::AlreadyExists { .. }) if accepted && model.contains_key(&key) => {}
                    Err(Error::Item(ItemError::KeyComponent { separator: '#', .. }))
                        if !accepted => {}
                    other => {
                        return Err(TestCaseError::fail(format!("create {m:?}: {other:?}")));
                    }
                }
                let got = repo.get(&m.key()).consistent().await;
                let ok = match (&got, key_accepted) {
                    (Ok(found), true) => found.as_ref() == model.get(&key),
                    (Err(Error::Item(ItemError::KeyComponent { .. })), false) => true,
                    _ => false,
                };
                if !ok {
                    return Err(TestCaseError::fail(format!("get {m:?}: {got:?}")));
                }
            }
            let mut all = repo.scan().consistent().all().await.unwrap();
            all.sort_by(|a, b| (&a.org, &a.user).cmp(&(&b.org, &b.user)));
            let expected: Vec<OrgMember> = model.into_values().collect();
            prop_assert_eq!(all, expected);
            Ok(())
        })
    });
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

/// An organisation's settings: `pk = ORG#<org>`, `sk = SETTINGS` (the issue 24 attack).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "org",
    partition_key(name = "pk", template = "ORG#{org}"),
    sort_key(name = "sk", template = "SETTINGS")
)]
pub(crate) struct OrgSettings {
    pub(crate) org: String,
    pub(crate) secret: String,
}

/// A team's settings: `pk = ORG#<org>-<team>`, `sk = SETTINGS`. Each template and each value
/// is accepted, yet team `(acme, x)` renders org `acme-x`'s key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "team",
    partition_key(name = "pk", template = "ORG#{org}-{team}"),
    sort_key(name = "sk", template = "SETTINGS")
)]
pub(crate) struct TeamSettings {
    pub(crate) org: String,
    pub(crate) team: String,
    pub(crate) secret: String,
}

/// Whether `result` is the entity error of a write of `expected` that found `found`'s item.
pub(crate) fn refused_as_other_entity<T: std::fmt::Debug>(
    result: notes_repo::Result<T>,
    expected: &str,
    found: &str,
) {
    match result {
        Err(Error::Item(ItemError::Entity {
            expected: e,
            found: f,
            key,
            ..
        })) => {
            assert_eq!((e, f.as_deref()), (expected, Some(found)), "{key}");
            assert!(key.contains("pk"), "the error names the key: {key}");
        }
        other => panic!("expected an entity error ({expected} found {found}), got {other:?}"),
    }
}

/// Whether `result` is a transaction cancelled by its first action's condition.
fn cancelled_by_condition(result: notes_repo::Result<()>) {
    match result {
        Err(Error::TransactionCanceled { reasons, .. }) => {
            assert_eq!(reasons[0].code, "ConditionalCheckFailed", "{reasons:?}");
        }
        other => panic!("expected a cancelled transaction, got {other:?}"),
    }
}

/// Issue 24, defect 1: two entities whose keys render the same stored key. A typed put,
/// create, save and delete (and their transaction forms) of one entity never replace or
/// delete the other's item: the entity error names what it found, and nothing changed. On
/// main (dc45f5e) the team put replaced org `acme-x`'s settings (`Ok`), and the team delete
/// deleted org `beta-y`'s settings, then answered the entity error.
async fn an_entity_never_replaces_or_deletes_another_entitys_item<B: Backend>(
    backend: B,
    table: &str,
) {
    let orgs = repo::<OrgSettings, B>(backend.clone(), table).await;
    let teams: Repo<TeamSettings, B> = Repo::with_table(backend.clone(), table.to_owned());
    let acme_x = OrgSettings {
        org: "acme-x".into(),
        secret: "acme-x's secret".into(),
    };
    orgs.put(&acme_x).await.unwrap();
    let mut team = TeamSettings {
        org: "acme".into(),
        team: "x".into(),
        secret: "acme's".into(),
    };
    let unchanged = || async {
        assert_eq!(
            orgs.get(&acme_x.key()).consistent().await.unwrap(),
            Some(acme_x.clone())
        );
    };
    refused_as_other_entity(teams.put(&team).await, "team", "org");
    unchanged().await;
    refused_as_other_entity(teams.put(&team).return_old().await, "team", "org");
    refused_as_other_entity(teams.create(&team).await, "team", "org");
    refused_as_other_entity(teams.save(&mut team).await, "team", "org");
    refused_as_other_entity(
        teams
            .put(&team)
            .condition(TeamSettings::SECRET.not_exists())
            .await,
        "team",
        "org",
    );
    unchanged().await;
    cancelled_by_condition(WriteTransaction::new(&backend).put(teams.put(&team)).await);
    unchanged().await;

    // The other way round: the org's writes never touch a team's item.
    let beta = TeamSettings {
        org: "beta".into(),
        team: "y".into(),
        secret: "beta's".into(),
    };
    teams.put(&beta).await.unwrap();
    let beta_y = OrgSettings {
        org: "beta-y".into(),
        secret: "beta-y's".into(),
    };
    refused_as_other_entity(orgs.put(&beta_y).await, "org", "team");
    refused_as_other_entity(orgs.delete(&beta_y.key()).await, "org", "team");
    cancelled_by_condition(
        WriteTransaction::new(&backend)
            .delete(orgs.delete(&beta_y.key()))
            .await,
    );
    assert_eq!(
        teams.get(&beta.key()).consistent().await.unwrap(),
        Some(beta.clone())
    );

    // A delete of a missing team under an org's key: the org's settings stay.
    teams.delete(&beta.key()).await.unwrap();
    orgs.put(&beta_y).await.unwrap();
    refused_as_other_entity(teams.delete(&beta.key()).await, "team", "org");
    refused_as_other_entity(
        teams
            .delete(&beta.key())
            .condition(TeamSettings::SECRET.exists())
            .await,
        "team",
        "org",
    );
    assert_eq!(
        orgs.get(&beta_y.key()).consistent().await.unwrap(),
        Some(beta_y.clone())
    );

    // Each entity still writes and deletes its own items.
    let own = TeamSettings {
        org: "acme".into(),
        team: "z".into(),
        secret: "1".into(),
    };
    teams.create(&own).await.unwrap();
    teams.put(&own).await.unwrap();
    assert_eq!(teams.delete(&own.key()).await.unwrap(), Some(own.clone()));
    assert_eq!(teams.delete(&own.key()).await.unwrap(), None);
    WriteTransaction::new(&backend)
        .put(teams.create(&own))
        .await
        .unwrap();
    WriteTransaction::new(&backend)
        .delete(teams.delete(&own.key()))
        .await
        .unwrap();
    assert_eq!(orgs.delete(&beta_y.key()).await.unwrap(), Some(beta_y));
}

/// A user's secret, in the user's partition, not a member of [`UserData`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "secret",
    partition_key(name = "pk", template = "USER#{user_id}"),
    sort_key(name = "sk", template = "SECRET")
)]
pub(crate) struct Secret {
    pub(crate) user_id: String,
    pub(crate) value: String,
}

/// Issue 24, defect 1 (a collection): a collection key's sort key is free text, so it can
/// name an item of a non-member; the collection's delete refuses it and leaves it. On main
/// (dc45f5e) the delete removed the secret and then answered the entity error.
async fn a_collection_never_deletes_an_item_of_a_non_member<B: Backend>(backend: B, table: &str) {
    let data: Repo<UserData, B> = repo(backend.clone(), table).await;
    let secrets: Repo<Secret, B> = Repo::with_table(backend.clone(), table.to_owned());
    let secret = Secret {
        user_id: "ann".into(),
        value: "s".into(),
    };
    secrets.put(&secret).await.unwrap();
    let key = UserDataKey {
        partition: UserPartition::new("ann"),
        sort: "SECRET".into(),
    };
    refused_as_other_entity(
        data.delete(&key).await,
        "a member of UserData (User, Note)",
        "secret",
    );
    cancelled_by_condition(
        WriteTransaction::new(&backend)
            .delete(data.delete(&key))
            .await,
    );
    assert_eq!(
        secrets.get(&secret.key()).consistent().await.unwrap(),
        Some(secret)
    );
    // Members are deleted as before.
    let ann = User {
        user_id: "ann".into(),
        name: "Ann".into(),
    };
    data.put(&UserData::Profile(ann.clone())).await.unwrap();
    let profile = UserData::Profile(ann).key();
    assert_eq!(
        data.delete(&profile).await.unwrap(),
        Some(UserData::Profile(User {
            user_id: "ann".into(),
            name: "Ann".into(),
        }))
    );
}

/// Issue 24, third attack: an update that writes the entity attribute (`SET _et = "team"`)
/// was applied (the item then passed the other entity's checks, so a team put replaced it)
/// and answered an error about the relabelled item. It is refused before sending, naming the
/// attribute, and the item is unchanged.
async fn an_update_never_writes_the_entity_attribute<B: Backend>(backend: B, table: &str) {
    use notes_repo::expr::{Operand, Path, SetValue, UpdateAction};
    let orgs = repo::<OrgSettings, B>(backend.clone(), table).await;
    let org = OrgSettings {
        org: "acme".into(),
        secret: "acme's secret".into(),
    };
    orgs.put(&org).await.unwrap();
    for action in [
        UpdateAction::Set(
            Path::attribute("_et"),
            SetValue::Value(Operand::Value(AttributeValue::S("team".into()))),
        ),
        UpdateAction::Remove(Path::attribute("_et")),
    ] {
        let err = orgs
            .update(&org.key())
            .apply(action)
            .if_exists()
            .await
            .unwrap_err();
        match &err {
            Error::Validation { message, .. } => {
                assert!(
                    message.contains("`_et` is the entity attribute"),
                    "{message}"
                )
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
    assert_eq!(orgs.get(&org.key()).consistent().await.unwrap(), Some(org));
}
