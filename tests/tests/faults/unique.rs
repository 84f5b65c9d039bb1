//! Writes of an item with `#[unique]` attributes under every fault, on the AWS backend through
//! the proxy: the `TransactWriteItems` that writes the item and its guards meets a reset
//! before the server sees it, a reset after the server applied it (the answer is lost), a 500
//! after the server applied it, and throttling. The SDK retries it with its
//! `ClientRequestToken`, so an applied transaction is not applied again and is answered as
//! applied: the item is there (or gone, for a delete) and so is exactly one guard per value,
//! owned by it; no guard is left without its item.

use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::network::backend_at;
use crate::proxy::{self, Fault, FaultProxy};
use notes_repo::AttributeValue;
use notes_repo::prelude::*;
use notes_repo::request::Scan;

/// A user with a unique e-mail address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[serde(rename_all = "camelCase")]
struct User {
    #[partition_key]
    user_id: String,
    #[unique]
    email: String,
}

fn user(id: &str, email: &str) -> User {
    User {
        user_id: id.into(),
        email: email.into(),
    }
}

/// Every guard in the table: its value's key, and its owner's `userId`.
async fn guards(backend: &DynamoDbBackend, table: &str) -> Vec<(String, String)> {
    let items = backend
        .scan(Scan::new(table).consistent_read(true))
        .await
        .unwrap()
        .items;
    let text = |value: Option<&AttributeValue>| match value {
        Some(AttributeValue::S(s)) => s.clone(),
        other => panic!("{other:?}"),
    };
    let mut guards: Vec<(String, String)> = items
        .iter()
        .filter_map(|item| match item.get("_unique_owner") {
            Some(AttributeValue::M(owner)) => {
                Some((text(item.get("userId")), text(owner.get("userId"))))
            }
            _ => None,
        })
        .collect();
    guards.sort();
    guards
}

fn guard(value: &str, owner: &str) -> (String, String) {
    (format!("_unique##email#S:{value}"), owner.to_owned())
}

async fn unique_writes_under(name: &str, fault: Fault) {
    let Some(direct) = notes_tests::server_support::available_backend().await else {
        return;
    };
    let Some(upstream) = notes_tests::server_support::endpoint() else {
        return;
    };
    let armed: Arc<Mutex<Option<Fault>>> = Arc::default();
    let plan: proxy::Plan = {
        let armed = armed.clone();
        Arc::new(move |_, operation| {
            let mut armed = armed.lock().unwrap();
            match *armed {
                Some(fault) if operation == "TransactWriteItems" => {
                    *armed = None;
                    fault
                }
                _ => Fault::Pass,
            }
        })
    };
    let proxy = FaultProxy::start(&upstream, plan).await;
    let table = notes_tests::server_support::table_name(name);
    let users: Repo<User, _> = Repo::with_table(backend_at(&proxy.url), table.clone());
    let direct_users: Repo<User, _> = Repo::with_table(direct.clone(), table.clone());
    direct_users
        .ensure_table(BillingMode::PayPerRequest)
        .await
        .unwrap();
    let arm = || *armed.lock().unwrap() = Some(fault);
    let fired = |what: &str| {
        assert!(
            armed.lock().unwrap().is_none(),
            "{what}: the {fault:?} fault was never injected"
        );
    };

    // create
    let mut ann = user("u1", "a@example.com");
    arm();
    users.create(&ann).await.unwrap();
    fired("create");
    assert_eq!(
        direct_users.get(&ann.key()).consistent().await.unwrap(),
        Some(ann.clone())
    );
    assert_eq!(
        guards(&direct, &table).await,
        [guard("a@example.com", "u1")]
    );
    let err = users
        .create(&user("u2", "a@example.com"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UniqueConflict { .. }), "{err:?}");

    // put, moving the value
    ann.email = "b@example.com".into();
    arm();
    users.put(&ann).await.unwrap();
    fired("put");
    assert_eq!(
        guards(&direct, &table).await,
        [guard("b@example.com", "u1")]
    );

    // update, moving it again
    arm();
    let updated = users
        .update(&ann.key())
        .apply(User::EMAIL.set("c@example.com"))
        .if_exists()
        .await
        .unwrap();
    fired("update");
    assert_eq!(updated.email, "c@example.com");
    assert_eq!(
        guards(&direct, &table).await,
        [guard("c@example.com", "u1")]
    );

    // delete
    arm();
    let deleted = users.delete(&ann.key()).await.unwrap();
    fired("delete");
    assert_eq!(deleted, Some(updated));
    assert_eq!(
        direct_users.get(&ann.key()).consistent().await.unwrap(),
        None
    );
    assert_eq!(guards(&direct, &table).await, []);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unique_writes_survive_a_reset_before_the_server_sees_them() {
    unique_writes_under("unique-reset-before", Fault::Reset).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unique_writes_answer_as_applied_when_their_response_is_reset() {
    unique_writes_under("unique-reset-after", Fault::ResetAfterApply).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unique_writes_answer_as_applied_after_a_500_from_an_applied_request() {
    unique_writes_under("unique-500-after", Fault::ServerErrorAfterApply).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unique_writes_survive_throttling() {
    unique_writes_under("unique-throttle", Fault::Throttle).await;
}
