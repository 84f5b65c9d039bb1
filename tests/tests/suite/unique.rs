//! `#[unique]` attributes: one guard item per value, written in the item's transaction, so
//! that no two items hold one value.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use notes_repo::request::{GetItem, PutItem, TransactWriteItems, TransactWriteItemsOutput};
use notes_repo::{
    AttributeValue, Backend, Collection, Error, Item, ItemMap, Layer, Repo, WriteTransaction,
};
use notes_tests::repo;
use serde::{Deserialize, Serialize};

notes_tests::on_every_backend!(
    lagging:
    a_second_item_with_the_value_is_refused_naming_the_attribute_and_its_owner,
    changing_the_value_moves_its_guard,
    deleting_the_item_frees_its_values,
    writing_the_same_values_again_keeps_the_guards,
    an_absent_value_has_no_guard,
    of_concurrent_creates_with_one_value_exactly_one_wins,
    of_concurrent_moves_to_one_value_exactly_one_wins,
    hostile_values_never_collide,
    a_value_too_long_for_its_guard_key_is_refused_before_sending,
    batch_writes_refuse_types_with_unique_attributes,
    transactions_write_the_guards_of_their_items,
    scans_and_queries_skip_the_guards,
    versions_are_checked_with_the_guards,
    entities_keep_guards_in_their_shared_table,
    a_key_that_looks_like_a_guard_is_refused,
    an_item_written_before_its_guards_gets_them_on_its_next_write,
    a_transaction_leaves_the_guard_another_item_holds,
    an_update_of_a_unique_attribute_sets_it_to_a_value_or_removes_it,
    a_value_changed_between_the_read_and_the_write_is_read_again,
    restoring_the_guards_of_an_item_written_without_them,
    a_number_is_one_value_however_it_is_spelt,
);

/// A user: `email` is unique, and so is `handle` when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[serde(rename_all = "camelCase")]
pub(crate) struct User {
    #[partition_key]
    pub(crate) user_id: String,
    #[unique]
    pub(crate) email: String,
    #[unique]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) handle: Option<String>,
    pub(crate) name: String,
}

pub(crate) fn user(id: &str, email: &str) -> User {
    User {
        user_id: id.into(),
        email: email.into(),
        handle: None,
        name: format!("user {id}"),
    }
}

/// A versioned account with a unique login.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
struct Account {
    #[partition_key]
    id: String,
    #[unique]
    login: String,
    #[version]
    version: u64,
}

/// An entity of a shared table (with a sort key), with a unique number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "member",
    partition_key(name = "pk", template = "ORG#{org}"),
    sort_key(name = "sk", template = "MEMBER#{user}")
)]
struct Member {
    org: String,
    user: String,
    #[unique]
    badge: u64,
}

/// Another entity of that table, without unique attributes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(
    table = "app",
    entity = "org",
    partition_key(name = "pk", template = "ORG#{org}"),
    sort_key(name = "sk", template = "PROFILE")
)]
struct Org {
    org: String,
    name: String,
}

#[derive(Debug, Clone, PartialEq, Collection)]
enum OrgData {
    Profile(Org),
    Member(Member),
}

/// The documented key of a guard: `_unique#<scope>#<attribute>#<value>`.
fn guard_key(scope: &str, attribute: &str, value: &str) -> String {
    format!("_unique#{scope}#{attribute}#{value}")
}

/// The guard item of a value, read as it is stored.
async fn guard<T: Item, B: Backend>(repo: &Repo<T, B>, key: &str) -> Option<ItemMap> {
    let schema = T::KEY_SCHEMA;
    let mut map = ItemMap::from([(
        schema.partition_key.name.to_string(),
        AttributeValue::S(key.to_owned()),
    )]);
    if let Some(sort) = &schema.sort_key {
        map.insert(sort.name.to_string(), AttributeValue::S("_unique".into()));
    }
    repo.backend()
        .get_item(GetItem::new(repo.table_name(), map).consistent_read(true))
        .await
        .unwrap()
        .item
        .map(notes_repo::SharedItem::into_owned)
}

/// The owner a guard names, as a key map.
fn owner_of(guard: &ItemMap) -> &ItemMap {
    match &guard["_unique_owner"] {
        AttributeValue::M(owner) => owner,
        other => panic!("the owner is {other:?}"),
    }
}

fn owner(id: &str) -> ItemMap {
    ItemMap::from([("userId".to_owned(), AttributeValue::S(id.into()))])
}

fn conflict(table: &str, attribute: &str, owner: &str) -> String {
    format!(
        "{:?}",
        Error::UniqueConflict {
            table: table.to_owned(),
            attribute: attribute.to_owned(),
            owner: Some(owner.to_owned()),
        }
    )
}

/// The error's debug form, for exact comparisons (`Error` is not `PartialEq`).
fn debug<T: std::fmt::Debug>(result: notes_repo::Result<T>) -> String {
    match result {
        Ok(value) => format!("Ok({value:?})"),
        Err(err) => format!("{err:?}"),
    }
}

async fn a_second_item_with_the_value_is_refused_naming_the_attribute_and_its_owner<B: Backend>(
    backend: B,
    table: &str,
) {
    let users = repo::<User, B>(backend, table).await;
    let ann = user("u1", "ann@example.com");
    users.create(&ann).await.unwrap();
    let stored = guard(&users, &guard_key("", "email", "S:ann@example.com"))
        .await
        .expect("a guard for the value");
    assert_eq!(owner_of(&stored), &owner("u1"));
    assert_eq!(stored.len(), 2, "the key and the owner only: {stored:?}");

    let bob = user("u2", "ann@example.com");
    let taken = conflict(table, "email", r#"{userId: "u1"}"#);
    assert_eq!(debug(users.create(&bob).await), taken);
    assert_eq!(debug(users.put(&bob).await), taken);
    let err = users.create(&bob).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            r#"the value of the #[unique] attribute `email` belongs to the item with key {{userId: "u1"}} in table `{table}`"#
        )
    );
    assert_eq!(users.get(&bob.key()).consistent().await.unwrap(), None);
    // An update that would take it is refused the same way, and changes nothing.
    users.create(&user("u3", "cy@example.com")).await.unwrap();
    let update = users
        .update(&UserKey::new("u3"))
        .apply(User::EMAIL.set("ann@example.com"))
        .if_exists()
        .await;
    assert_eq!(debug(update), taken);
    assert_eq!(
        users.get(&UserKey::new("u3")).consistent().await.unwrap(),
        Some(user("u3", "cy@example.com"))
    );
    // The second unique attribute is checked as well, and named.
    let mut dee = user("u4", "dee@example.com");
    dee.handle = Some("dee".into());
    users.create(&dee).await.unwrap();
    let mut eve = user("u5", "eve@example.com");
    eve.handle = Some("dee".into());
    assert_eq!(
        debug(users.create(&eve).await),
        conflict(table, "handle", r#"{userId: "u4"}"#)
    );
    assert!(
        guard(&users, &guard_key("", "email", "S:eve@example.com"))
            .await
            .is_none(),
        "nothing of the refused write is left"
    );
}

async fn changing_the_value_moves_its_guard<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend, table).await;
    let mut ann = user("u1", "a@example.com");
    users.create(&ann).await.unwrap();
    // An update.
    let updated = users
        .update(&ann.key())
        .apply(User::EMAIL.set("b@example.com"))
        .if_exists()
        .await
        .unwrap();
    assert_eq!(updated.email, "b@example.com");
    assert!(
        guard(&users, &guard_key("", "email", "S:a@example.com"))
            .await
            .is_none()
    );
    users.create(&user("u2", "a@example.com")).await.unwrap();
    assert_eq!(
        debug(users.create(&user("u3", "b@example.com")).await),
        conflict(table, "email", r#"{userId: "u1"}"#)
    );
    // A put of the whole item.
    ann.email = "c@example.com".into();
    users.put(&ann).await.unwrap();
    users.create(&user("u3", "b@example.com")).await.unwrap();
    assert_eq!(
        debug(users.create(&user("u4", "c@example.com")).await),
        conflict(table, "email", r#"{userId: "u1"}"#)
    );
    // An update answering the item as it was.
    let old = users
        .update(&ann.key())
        .apply(User::EMAIL.set("d@example.com"))
        .if_exists()
        .return_old()
        .await
        .unwrap();
    assert_eq!(old.map(|old| old.email), Some("c@example.com".to_owned()));
    users.create(&user("u4", "c@example.com")).await.unwrap();
    // Removing an optional one frees it.
    users
        .update(&ann.key())
        .apply(User::HANDLE.set("ann"))
        .if_exists()
        .await
        .unwrap();
    users
        .update(&ann.key())
        .apply(User::HANDLE.remove())
        .if_exists()
        .await
        .unwrap();
    let mut other = user("u5", "e@example.com");
    other.handle = Some("ann".into());
    users.create(&other).await.unwrap();
}

async fn deleting_the_item_frees_its_values<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend, table).await;
    let mut ann = user("u1", "a@example.com");
    ann.handle = Some("ann".into());
    users.create(&ann).await.unwrap();
    assert_eq!(users.delete(&ann.key()).await.unwrap(), Some(ann.clone()));
    assert!(
        guard(&users, &guard_key("", "email", "S:a@example.com"))
            .await
            .is_none()
    );
    assert!(
        guard(&users, &guard_key("", "handle", "S:ann"))
            .await
            .is_none()
    );
    let mut bob = user("u2", "a@example.com");
    bob.handle = Some("ann".into());
    users.create(&bob).await.unwrap();
    // Deleting what is not there is not an error, and frees nothing.
    assert_eq!(users.delete(&ann.key()).await.unwrap(), None);
    assert!(
        guard(&users, &guard_key("", "email", "S:a@example.com"))
            .await
            .is_some()
    );
    // A delete in a transaction frees them too.
    WriteTransaction::new(users.backend())
        .delete(users.delete(&bob.key()))
        .await
        .unwrap();
    users.create(&ann).await.unwrap();
}

async fn writing_the_same_values_again_keeps_the_guards<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend, table).await;
    let mut ann = user("u1", "a@example.com");
    users.put(&ann).await.unwrap();
    users.put(&ann).await.unwrap();
    ann.name = "Ann".into();
    users.put(&ann).await.unwrap();
    users
        .update(&ann.key())
        .apply(User::EMAIL.set("a@example.com"))
        .apply(User::NAME.set("Ann A."))
        .if_exists()
        .await
        .unwrap();
    // An update that does not touch them.
    users
        .update(&ann.key())
        .apply(User::NAME.set("Ann B."))
        .if_exists()
        .await
        .unwrap();
    let stored = guard(&users, &guard_key("", "email", "S:a@example.com"))
        .await
        .unwrap();
    assert_eq!(owner_of(&stored), &owner("u1"));
    assert_eq!(
        debug(users.create(&user("u2", "a@example.com")).await),
        conflict(table, "email", r#"{userId: "u1"}"#)
    );
    // The item's own key is still refused to a second create.
    assert!(matches!(
        users.create(&ann).await,
        Err(Error::AlreadyExists { .. })
    ));
}

async fn an_absent_value_has_no_guard<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend, table).await;
    users.create(&user("u1", "a@example.com")).await.unwrap();
    users.create(&user("u2", "b@example.com")).await.unwrap();
    // Neither has a handle: no guard holds "no handle".
    let schema = User::KEY_SCHEMA;
    let guards = users
        .backend()
        .scan(notes_repo::request::Scan::new(users.table_name()).consistent_read(true))
        .await
        .unwrap()
        .items;
    let guard_keys: Vec<String> = guards
        .iter()
        .filter_map(|item| match &item[schema.partition_key.name.as_ref()] {
            AttributeValue::S(key) if key.starts_with("_unique#") => Some(key.clone()),
            _ => None,
        })
        .collect();
    let mut sorted = guard_keys.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        [
            guard_key("", "email", "S:a@example.com"),
            guard_key("", "email", "S:b@example.com"),
        ]
    );
}

async fn of_concurrent_creates_with_one_value_exactly_one_wins<B: Backend>(
    backend: B,
    table: &str,
) {
    let users = repo::<User, B>(backend, table).await;
    let tasks = 8;
    let start = notes_tests::StartLine::new(tasks);
    let handles: Vec<_> = (0..tasks)
        .map(|i| {
            let users = users.clone();
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                let candidate = user(&format!("u{i}"), "same@example.com");
                users.create(&candidate).await.map(|()| i)
            })
        })
        .collect();
    let mut winners = Vec::new();
    let mut losers = Vec::new();
    for handle in handles {
        match handle.await.unwrap() {
            Ok(i) => winners.push(i),
            Err(err) => losers.push(err),
        }
    }
    assert_eq!(winners.len(), 1, "winners {winners:?}, losers {losers:?}");
    let winner = format!(r#"{{userId: "u{}"}}"#, winners[0]);
    for err in losers {
        assert_eq!(format!("{err:?}"), conflict(table, "email", &winner));
    }
    let stored = guard(&users, &guard_key("", "email", "S:same@example.com"))
        .await
        .unwrap();
    assert_eq!(owner_of(&stored), &owner(&format!("u{}", winners[0])));
    let all = users.scan().consistent().all().await.unwrap();
    assert_eq!(all.len(), 1, "{all:?}");
}

async fn of_concurrent_moves_to_one_value_exactly_one_wins<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend, table).await;
    let tasks = 6;
    for i in 0..tasks {
        users
            .create(&user(&format!("u{i}"), &format!("{i}@example.com")))
            .await
            .unwrap();
    }
    let start = notes_tests::StartLine::new(tasks);
    let handles: Vec<_> = (0..tasks)
        .map(|i| {
            let users = users.clone();
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                let key = UserKey::new(format!("u{i}"));
                let moved = users
                    .update(&key)
                    .apply(User::EMAIL.set("same@example.com"))
                    .if_exists()
                    .await;
                moved.map(|_| i)
            })
        })
        .collect();
    let mut winners = Vec::new();
    for handle in handles {
        match handle.await.unwrap() {
            Ok(i) => winners.push(i),
            Err(err) => assert!(matches!(err, Error::UniqueConflict { .. }), "{err:?}"),
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    let winner = winners[0];
    // The winner's old value is free, the losers' are still theirs.
    for i in 0..tasks {
        let old = guard(
            &users,
            &guard_key("", "email", &format!("S:{i}@example.com")),
        )
        .await;
        assert_eq!(old.is_some(), i != winner, "u{i}");
    }
    let stored = guard(&users, &guard_key("", "email", "S:same@example.com"))
        .await
        .unwrap();
    assert_eq!(owner_of(&stored), &owner(&format!("u{winner}")));
}

async fn hostile_values_never_collide<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend, table).await;
    let hostile = [
        "",
        "#",
        "a#b",
        "a\\#b",
        "\\",
        "S:a",
        "_unique##email#S:x",
        "e\u{301}", // e + combining acute: not the same string as é
        "\u{e9}",
        "🦀 ünïcødé",
        " padded ",
        "A@EXAMPLE.COM",
        "a@example.com",
    ];
    for (i, value) in hostile.iter().enumerate() {
        let mut u = user(&format!("u{i}"), value);
        u.handle = Some((*value).to_owned());
        users
            .create(&u)
            .await
            .unwrap_or_else(|err| panic!("{value:?}: {err}"));
    }
    for (i, value) in hostile.iter().enumerate() {
        let stored = guard(&users, &guard_key("", "email", &format!("S:{value}")))
            .await
            .unwrap_or_else(|| panic!("no guard for {value:?}"));
        assert_eq!(owner_of(&stored), &owner(&format!("u{i}")), "{value:?}");
        let again = user(&format!("v{i}"), value);
        assert_eq!(
            debug(users.create(&again).await),
            conflict(table, "email", &format!(r#"{{userId: "u{i}"}}"#)),
            "{value:?}"
        );
    }
}

async fn a_value_too_long_for_its_guard_key_is_refused_before_sending<B: Backend>(
    backend: B,
    table: &str,
) {
    let users = repo::<User, B>(backend, table).await;
    // `_unique##email#S:` is 17 bytes: 2031 more make the 2048 bytes DynamoDB allows.
    let longest = "x".repeat(2048 - "_unique##email#S:".len());
    users.create(&user("u1", &longest)).await.unwrap();
    assert!(
        guard(&users, &guard_key("", "email", &format!("S:{longest}")))
            .await
            .is_some()
    );
    let too_long = format!("{longest}x");
    let err = users.create(&user("u2", &too_long)).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "validation error: the value of the #[unique] attribute `email` is too long for its \
         guard: the guard's partition key would be 2049 bytes, and DynamoDB allows 2048"
    );
    assert_eq!(
        users.get(&UserKey::new("u2")).consistent().await.unwrap(),
        None
    );
    // Multi-byte characters count by their UTF-8 bytes.
    let crabs = "🦀".repeat(508); // 2032 bytes
    let err = users.create(&user("u3", &crabs)).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
}

async fn batch_writes_refuse_types_with_unique_attributes<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend, table).await;
    let ann = user("u1", "a@example.com");
    let refused = |operation: &str| {
        format!(
            "validation error: {operation} cannot keep the guards of the #[unique] attributes \
             of {}: BatchWriteItem has no conditions and no transactions. Use single writes \
             or a transaction, which keep them",
            std::any::type_name::<User>()
        )
    };
    let err = users.batch_put([&ann]).await.unwrap_err();
    assert_eq!(err.to_string(), refused("batch_put"));
    let err = users.batch_delete([&ann.key()]).await.unwrap_err();
    assert_eq!(err.to_string(), refused("batch_delete"));
    assert_eq!(users.get(&ann.key()).consistent().await.unwrap(), None);
}

async fn transactions_write_the_guards_of_their_items<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend.clone(), table).await;
    let ann = user("u1", "a@example.com");
    let bob = user("u2", "b@example.com");
    WriteTransaction::new(&backend)
        .put(users.create(&ann))
        .put(users.put(&bob))
        .await
        .unwrap();
    for (value, id) in [("a@example.com", "u1"), ("b@example.com", "u2")] {
        let stored = guard(&users, &guard_key("", "email", &format!("S:{value}")))
            .await
            .unwrap();
        assert_eq!(owner_of(&stored), &owner(id));
    }
    // A conflict in a transaction is the same typed error, and nothing is written.
    let cy = user("u3", "c@example.com");
    let taken = user("u4", "a@example.com");
    let err = WriteTransaction::new(&backend)
        .put(users.create(&cy))
        .put(users.create(&taken))
        .await;
    assert_eq!(debug(err), conflict(table, "email", r#"{userId: "u1"}"#));
    assert_eq!(users.get(&cy.key()).consistent().await.unwrap(), None);
    // An update that moves a value, and a delete.
    WriteTransaction::new(&backend)
        .update(
            users
                .update(&ann.key())
                .apply(User::EMAIL.set("z@example.com"))
                .if_exists(),
        )
        .delete(users.delete(&bob.key()))
        .await
        .unwrap();
    users.create(&user("u5", "a@example.com")).await.unwrap();
    users.create(&user("u6", "b@example.com")).await.unwrap();
    assert_eq!(
        debug(users.create(&user("u7", "z@example.com")).await),
        conflict(table, "email", r#"{userId: "u1"}"#)
    );
    // A cancelled transaction still names its actions by the order they were added.
    let err = WriteTransaction::new(&backend)
        .put(users.create(&user("u8", "h@example.com")))
        .put(users.create(&user("u5", "i@example.com"))) // u5 exists
        .await
        .unwrap_err();
    let Error::TransactionCanceled { reasons, .. } = &err else {
        panic!("{err:?}");
    };
    let failed: Vec<_> = reasons
        .iter()
        .filter(|r| r.code != "None")
        .map(|r| (r.index, r.code.as_str()))
        .collect();
    assert_eq!(failed, [(1, "ConditionalCheckFailed")], "{reasons:?}");
}

async fn scans_and_queries_skip_the_guards<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend, table).await;
    for i in 0..3 {
        let mut u = user(&format!("u{i}"), &format!("{i}@example.com"));
        u.handle = Some(format!("h{i}"));
        users.create(&u).await.unwrap();
    }
    let mut all = users.scan().consistent().all().await.unwrap();
    all.sort_by(|a, b| a.user_id.cmp(&b.user_id));
    assert_eq!(
        all.iter().map(|u| u.user_id.as_str()).collect::<Vec<_>>(),
        ["u0", "u1", "u2"]
    );
    assert_eq!(users.query("u1").consistent().all().await.unwrap().len(), 1);
}

async fn versions_are_checked_with_the_guards<B: Backend>(backend: B, table: &str) {
    let accounts = repo::<Account, B>(backend, table).await;
    let mut a = Account {
        id: "a1".into(),
        login: "ann".into(),
        version: 0,
    };
    accounts.save(&mut a).await.unwrap();
    assert_eq!(a.version, 1);
    a.login = "anne".into();
    accounts.save(&mut a).await.unwrap();
    assert_eq!(a.version, 2);
    // A stale copy conflicts on its version, and moves no guard.
    let mut stale = Account {
        login: "annie".into(),
        version: 1,
        ..a.clone()
    };
    assert!(matches!(
        accounts.save(&mut stale).await,
        Err(Error::VersionConflict {
            expected: Some(1),
            ..
        })
    ));
    let mut b = Account {
        id: "a2".into(),
        login: "annie".into(),
        version: 0,
    };
    accounts.save(&mut b).await.unwrap();
    // The freed login is free, the new one taken.
    let mut c = Account {
        id: "a3".into(),
        login: "anne".into(),
        version: 0,
    };
    assert_eq!(
        debug(accounts.save(&mut c).await),
        format!(
            "{:?}",
            Error::UniqueConflict {
                table: table.to_owned(),
                attribute: "login".into(),
                owner: Some(r#"{id: "a1"}"#.into()),
            }
        )
    );
    c.login = "ann".into();
    accounts.save(&mut c).await.unwrap();
    // Updates and deletes name their version.
    let updated = accounts
        .update(&a.key())
        .apply(Account::LOGIN.set("ann2"))
        .expect_version(2)
        .await
        .unwrap();
    assert_eq!((updated.login.as_str(), updated.version), ("ann2", 3));
    assert!(matches!(
        accounts.delete(&a.key()).expect_version(2).await,
        Err(Error::VersionConflict { .. })
    ));
    accounts.delete(&a.key()).expect_version(3).await.unwrap();
    let mut d = Account {
        id: "a4".into(),
        login: "ann2".into(),
        version: 0,
    };
    accounts.save(&mut d).await.unwrap();
}

async fn entities_keep_guards_in_their_shared_table<B: Backend>(backend: B, table: &str) {
    let members = repo::<Member, B>(backend.clone(), table).await;
    let orgs: Repo<Org, B> = Repo::with_table(backend.clone(), table.to_owned());
    let data: Repo<OrgData, B> = Repo::with_table(backend.clone(), table.to_owned());
    orgs.create(&Org {
        org: "acme".into(),
        name: "Acme".into(),
    })
    .await
    .unwrap();
    let ann = Member {
        org: "acme".into(),
        user: "ann".into(),
        badge: 7,
    };
    members.create(&ann).await.unwrap();
    // The entity is the scope; a number's guard holds it as DynamoDB answers it.
    let stored = guard(&members, &guard_key("member", "badge", "N:7"))
        .await
        .expect("a guard keyed by the entity");
    assert_eq!(
        owner_of(&stored),
        &ItemMap::from([
            ("pk".to_owned(), AttributeValue::S("ORG#acme".into())),
            ("sk".to_owned(), AttributeValue::S("MEMBER#ann".into())),
        ])
    );
    let bob = Member {
        org: "beta".into(),
        user: "bob".into(),
        badge: 7,
    };
    assert_eq!(
        debug(members.create(&bob).await),
        format!(
            "{:?}",
            Error::UniqueConflict {
                table: table.to_owned(),
                attribute: "badge".into(),
                owner: Some(r#"{pk: "ORG#acme", sk: "MEMBER#ann"}"#.into()),
            }
        )
    );
    // The collection's query reads no guard; writes through it keep them.
    assert_eq!(
        data.query(OrgPartition::new("acme"))
            .consistent()
            .all()
            .await
            .unwrap()
            .len(),
        2
    );
    let cy = Member {
        org: "acme".into(),
        user: "cy".into(),
        badge: 7,
    };
    assert!(matches!(
        data.create(&OrgData::Member(cy.clone())).await,
        Err(Error::UniqueConflict { .. })
    ));
    let cy = Member { badge: 8, ..cy };
    data.create(&OrgData::Member(cy.clone())).await.unwrap();
    assert!(
        guard(&members, &guard_key("member", "badge", "N:8"))
            .await
            .is_some()
    );
    data.delete(&OrgData::Member(cy.clone()).key())
        .await
        .unwrap();
    assert!(
        guard(&members, &guard_key("member", "badge", "N:8"))
            .await
            .is_none()
    );
    assert_eq!(members.scan().consistent().all().await.unwrap(), [ann]);
}

async fn a_key_that_looks_like_a_guard_is_refused<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend, table).await;
    users.create(&user("u1", "a@example.com")).await.unwrap();
    let squatter = user("_unique##email#S:b@example.com", "b@example.com");
    let err = users.create(&squatter).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "validation error: the partition key of {} starts with `_unique#`, which is \
             reserved for the guard items of #[unique] attributes",
            std::any::type_name::<User>()
        )
    );
    let guard_of_a = UserKey::new("_unique##email#S:a@example.com");
    assert!(matches!(
        users.delete(&guard_of_a).await,
        Err(Error::Validation { .. })
    ));
    assert!(matches!(
        users.update(&guard_of_a).apply(User::NAME.set("x")).await,
        Err(Error::Validation { .. })
    ));
    assert!(
        guard(&users, &guard_key("", "email", "S:a@example.com"))
            .await
            .is_some()
    );
}

async fn an_item_written_before_its_guards_gets_them_on_its_next_write<B: Backend>(
    backend: B,
    table: &str,
) {
    let users = repo::<User, B>(backend, table).await;
    // Written without the SDK's guards (raw, as before `#[unique]` was added).
    let old = user("u1", "a@example.com");
    users
        .backend()
        .put_item(PutItem::new(users.table_name(), old.to_item().unwrap()))
        .await
        .unwrap();
    let mut moved = old.clone();
    moved.email = "b@example.com".into();
    users.put(&moved).await.unwrap();
    assert_eq!(
        owner_of(
            &guard(&users, &guard_key("", "email", "S:b@example.com"))
                .await
                .unwrap()
        ),
        &owner("u1")
    );
    users.create(&user("u2", "a@example.com")).await.unwrap();
    // And one whose value another item took meanwhile leaves that item's guard alone.
    let twin = user("u3", "a@example.com");
    users
        .backend()
        .put_item(PutItem::new(users.table_name(), twin.to_item().unwrap()))
        .await
        .unwrap();
    assert_eq!(users.delete(&twin.key()).await.unwrap(), Some(twin));
    assert_eq!(
        owner_of(
            &guard(&users, &guard_key("", "email", "S:a@example.com"))
                .await
                .unwrap()
        ),
        &owner("u2")
    );
}

/// The transactional twin of the end of the case above: a delete, a put and an update of an
/// item written without its guards, whose value another item's guard holds, leave that guard
/// alone (found by a review: the transaction released it under the condition that it was the
/// item's own, and was cancelled every time).
async fn a_transaction_leaves_the_guard_another_item_holds<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend, table).await;
    users.create(&user("owner", "x@example.com")).await.unwrap();
    let raw_put = |u: User| {
        let users = &users;
        async move {
            users
                .backend()
                .put_item(PutItem::new(users.table_name(), u.to_item().unwrap()))
                .await
                .unwrap();
        }
    };
    for id in ["old1", "old2", "old3"] {
        raw_put(user(id, "x@example.com")).await;
    }
    let held = || async {
        owner_of(
            &guard(&users, &guard_key("", "email", "S:x@example.com"))
                .await
                .unwrap(),
        )
        .clone()
    };
    WriteTransaction::new(users.backend())
        .delete(users.delete(&user("old1", "").key()))
        .send()
        .await
        .unwrap();
    WriteTransaction::new(users.backend())
        .put(users.put(&user("old2", "new2@example.com")))
        .send()
        .await
        .unwrap();
    WriteTransaction::new(users.backend())
        .update(
            users
                .update(&user("old3", "").key())
                .apply(User::EMAIL.set("new3@example.com"))
                .if_exists(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(held().await, owner("owner"));
    assert_eq!(
        users
            .get(&user("old1", "").key())
            .consistent()
            .await
            .unwrap(),
        None
    );
    for (id, email) in [("old2", "new2@example.com"), ("old3", "new3@example.com")] {
        let guard_of = guard(&users, &guard_key("", "email", &format!("S:{email}"))).await;
        assert_eq!(owner_of(&guard_of.unwrap()), &owner(id));
    }
}

async fn an_update_of_a_unique_attribute_sets_it_to_a_value_or_removes_it<B: Backend>(
    backend: B,
    table: &str,
) {
    let users = repo::<User, B>(backend, table).await;
    users.create(&user("u1", "a@example.com")).await.unwrap();
    let computed = users
        .update(&UserKey::new("u1"))
        .apply(User::HANDLE.set_if_not_exists("ann"))
        .if_exists()
        .await
        .unwrap_err();
    assert_eq!(
        computed.to_string(),
        "validation error: an update of the #[unique] attribute `handle` must set it to a \
         value or remove it: its guard is keyed by the new value, which the SDK must know \
         before sending"
    );
    // Creating an item by an update claims its values too.
    users
        .update(&UserKey::new("u2"))
        .apply(User::EMAIL.set("b@example.com"))
        .apply(User::NAME.set("bob"))
        .await
        .unwrap();
    assert_eq!(
        debug(users.create(&user("u3", "b@example.com")).await),
        conflict(table, "email", r#"{userId: "u2"}"#)
    );
}

/// Before the first transaction through it, moves `u1`'s e-mail address to `x@example.com`
/// (with its guards, through the backend it wraps): what a concurrent writer does between a
/// write's read and its transaction.
#[derive(Clone)]
struct Meddling<B: Backend> {
    users: Repo<User, B>,
    once: Arc<AtomicBool>,
}

impl<B: Backend> Layer for Meddling<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        self.users.backend()
    }

    async fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> notes_repo::Result<TransactWriteItemsOutput> {
        if !self.once.swap(true, Ordering::SeqCst) {
            self.users
                .update(&UserKey::new("u1"))
                .apply(User::EMAIL.set("x@example.com"))
                .if_exists()
                .await
                .unwrap();
        }
        self.users.backend().transact_write_items(request).await
    }
}

async fn a_value_changed_between_the_read_and_the_write_is_read_again<B: Backend>(
    backend: B,
    table: &str,
) {
    let users = repo::<User, B>(backend.clone(), table).await;
    let meddled = |users: &Repo<User, B>| {
        Repo::<User, _>::with_table(
            Meddling {
                users: users.clone(),
                once: Arc::default(),
            },
            table.to_owned(),
        )
    };
    let taken = |value: &str| guard_key("", "email", &format!("S:{value}"));
    // A put: it read `a`, the item holds `x` when it is written: `x` is released, not `a`.
    let ann = user("u1", "a@example.com");
    users.create(&ann).await.unwrap();
    let moved = User {
        email: "b@example.com".into(),
        ..ann.clone()
    };
    meddled(&users).put(&moved).await.unwrap();
    assert_eq!(
        users.get(&ann.key()).consistent().await.unwrap(),
        Some(moved.clone())
    );
    for free in ["a@example.com", "x@example.com"] {
        assert!(guard(&users, &taken(free)).await.is_none(), "{free}");
    }
    assert!(guard(&users, &taken("b@example.com")).await.is_some());
    // An update likewise.
    meddled(&users)
        .update(&ann.key())
        .apply(User::EMAIL.set("c@example.com"))
        .if_exists()
        .await
        .unwrap();
    for free in ["b@example.com", "x@example.com"] {
        assert!(guard(&users, &taken(free)).await.is_none(), "{free}");
    }
    // And a delete releases the value the item holds when it is deleted.
    let deleted = meddled(&users).delete(&ann.key()).await.unwrap();
    assert_eq!(deleted.map(|u| u.email), Some("x@example.com".to_owned()));
    for free in ["c@example.com", "x@example.com"] {
        assert!(guard(&users, &taken(free)).await.is_none(), "{free}");
    }
}

async fn restoring_the_guards_of_an_item_written_without_them<B: Backend>(backend: B, table: &str) {
    let users = repo::<User, B>(backend, table).await;
    let raw_put = |u: &User| {
        users
            .backend()
            .put_item(PutItem::new(users.table_name(), u.to_item().unwrap()))
    };
    let mut ann = user("u1", "a@example.com");
    ann.handle = Some("ann".into());
    raw_put(&ann).await.unwrap();
    assert!(
        guard(&users, &guard_key("", "email", "S:a@example.com"))
            .await
            .is_none()
    );
    assert_eq!(users.restore_guards(&ann.key()).await.unwrap(), 2);
    for key in [
        guard_key("", "email", "S:a@example.com"),
        guard_key("", "handle", "S:ann"),
    ] {
        assert_eq!(owner_of(&guard(&users, &key).await.unwrap()), &owner("u1"));
    }
    // Again: nothing changes.
    assert_eq!(users.restore_guards(&ann.key()).await.unwrap(), 2);
    assert_eq!(
        debug(users.create(&user("u2", "a@example.com")).await),
        conflict(table, "email", r#"{userId: "u1"}"#)
    );
    // A second item written with the same value: the value is the first's.
    let twin = user("u3", "a@example.com");
    raw_put(&twin).await.unwrap();
    assert_eq!(
        debug(users.restore_guards(&twin.key()).await),
        conflict(table, "email", r#"{userId: "u1"}"#)
    );
    // No item: nothing to restore.
    assert_eq!(
        users.restore_guards(&UserKey::new("none")).await.unwrap(),
        0
    );
}

/// `10`, `1E1` and `10.0` are one number to DynamoDB, and one guard.
async fn a_number_is_one_value_however_it_is_spelt<B: Backend>(backend: B, table: &str) {
    let members = repo::<Member, B>(backend, table).await;
    // Written by another tool, spelt its own way.
    let mut item = Member {
        org: "acme".into(),
        user: "ann".into(),
        badge: 10,
    }
    .to_item()
    .unwrap();
    item.insert("badge".into(), AttributeValue::N("1.0E1".into()));
    members
        .backend()
        .put_item(PutItem::new(members.table_name(), item))
        .await
        .unwrap();
    let ann = MemberKey::new("acme", "ann");
    assert_eq!(members.restore_guards(&ann).await.unwrap(), 1);
    assert!(
        guard(&members, &guard_key("member", "badge", "N:10"))
            .await
            .is_some()
    );
    let bob = Member {
        org: "acme".into(),
        user: "bob".into(),
        badge: 10,
    };
    assert_eq!(
        debug(members.create(&bob).await),
        format!(
            "{:?}",
            Error::UniqueConflict {
                table: table.to_owned(),
                attribute: "badge".into(),
                owner: Some(r#"{pk: "ORG#acme", sk: "MEMBER#ann"}"#.into()),
            }
        )
    );
}
