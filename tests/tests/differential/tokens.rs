//! Transaction tokens attacked (issue 24, defects 8 and 11): random transactions of the
//! differential test's items sent with a `ClientRequestToken` on `MemoryBackend`, then sent
//! again rebuilt (every map collected afresh, so in another hash order; set members reversed;
//! every number without an exponent written with one, `1.5` as `1.5E0`): each
//! rebuilt send answers `Ok` and applies nothing (an `ADD` on a counter item in the same
//! transaction stays at 1). The same token with one attribute more is
//! `Error::IdempotentParameterMismatch` and applies nothing, until the token's 10 minutes
//! have passed on the backend's `ManualClock`: then it is a new transaction, applied once.
//!
//! Bounded in `cargo test` ([`DEFAULT_CASES`] cases, a fixed seed); a longer run on demand:
//! `TOKEN_CASES=5000 TOKEN_SEED=$RANDOM cargo test -p notes-tests --test differential
//! tokens`. A failure prints its seed and the shrunk transaction.

use std::time::{Duration, SystemTime};

use notes_repo::expr::{Operand, Path, Update, UpdateAction};
use notes_repo::request::{GetItem, TransactWrite, TransactWriteItems};
use notes_repo::{AttributeValue, Backend, Error, ItemMap, ManualClock, MemoryBackend, ScalarType};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

use super::ops::{self, PK, SK};
use super::{env_number, run, runtime};

/// Cases in a normal `cargo test` run.
const DEFAULT_CASES: u32 = 256;

const TABLE: &str = "tokens";

/// The counter item the transactions `ADD` to.
fn counter_key() -> ItemMap {
    ItemMap::from([
        (PK.to_owned(), AttributeValue::S("counter".into())),
        (SK.to_owned(), AttributeValue::S("hits".into())),
    ])
}

/// A transaction: puts of `items` (one per key) and `ADD hits 1` on the counter.
fn transaction(items: &[ItemMap]) -> TransactWriteItems {
    let mut actions: Vec<TransactWrite> = items
        .iter()
        .map(|item| TransactWrite::Put {
            table_name: TABLE.to_owned(),
            item: item.clone(),
            condition: None,
        })
        .collect();
    actions.push(TransactWrite::Update {
        table_name: TABLE.to_owned(),
        key: counter_key(),
        update: Update::new().and(UpdateAction::Add(
            Path::attribute("hits"),
            Operand::Value(AttributeValue::N("1".into())),
        )),
        condition: None,
    });
    let mut request = TransactWriteItems::new(actions);
    request.client_request_token = Some("order-42".to_owned());
    request
}

/// `value` built again: maps collected afresh, sets reversed, numbers in exponent form.
fn rebuilt(value: &AttributeValue) -> AttributeValue {
    use AttributeValue as V;
    let number = |n: &String| {
        if n.contains(['e', 'E']) {
            n.clone()
        } else {
            format!("{n}E0")
        }
    };
    match value {
        V::N(n) => V::N(number(n)),
        V::Ns(set) => V::Ns(set.iter().rev().map(number).collect()),
        V::Ss(set) => V::Ss(set.iter().rev().cloned().collect()),
        V::Bs(set) => V::Bs(set.iter().rev().cloned().collect()),
        V::L(list) => V::L(list.iter().map(rebuilt).collect()),
        V::M(map) => V::M(rebuilt_item(map)),
        other => other.clone(),
    }
}

fn rebuilt_item(item: &ItemMap) -> ItemMap {
    let mut attributes: Vec<(String, AttributeValue)> = item
        .iter()
        .map(|(name, value)| (name.clone(), rebuilt(value)))
        .collect();
    attributes.reverse();
    attributes.into_iter().collect()
}

async fn hits(backend: &MemoryBackend) -> Option<AttributeValue> {
    let got = backend
        .get_item(GetItem::new(TABLE, counter_key()).consistent_read(true))
        .await
        .expect("a read");
    got.item.map(|item| item["hits"].clone())
}

async fn attack(items: Vec<ItemMap>) -> Result<(), TestCaseError> {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000));
    let backend = MemoryBackend::builder().clock(clock.clone()).build();
    run::create_table(&backend, TABLE, ScalarType::S).await;
    if backend
        .transact_write_items(transaction(&items))
        .await
        .is_err()
    {
        // An invalid item (an empty set): refused, the token unused. Nothing to attack.
        return Ok(());
    }
    let once = Some(AttributeValue::N("1".into()));
    for attempt in 0..3 {
        let again: Vec<ItemMap> = items.iter().map(rebuilt_item).collect();
        let answer = backend.transact_write_items(transaction(&again)).await;
        prop_assert!(answer.is_ok(), "rebuilt attempt {attempt}: {answer:?}");
        prop_assert_eq!(hits(&backend).await, once.clone());
    }
    let mut other = items.clone();
    other[0].insert("zz".to_owned(), AttributeValue::S("one more".into()));
    let err = backend
        .transact_write_items(transaction(&other))
        .await
        .expect_err("another request under the token");
    prop_assert!(
        matches!(&err, Error::IdempotentParameterMismatch { token, .. } if token == "order-42"),
        "{err:?}"
    );
    prop_assert_eq!(hits(&backend).await, once);
    clock.advance(Duration::from_secs(600));
    backend
        .transact_write_items(transaction(&other))
        .await
        .map_err(|err| TestCaseError::fail(format!("after 10 minutes: {err:?}")))?;
    prop_assert_eq!(hits(&backend).await, Some(AttributeValue::N("2".into())));
    Ok(())
}

/// 1 to 3 items with distinct keys.
fn items() -> impl Strategy<Value = Vec<ItemMap>> {
    prop::collection::vec(ops::item(ScalarType::S), 1..=3).prop_map(|items| {
        let mut seen = Vec::new();
        items
            .into_iter()
            .filter(|item| {
                let key = (item[PK].clone(), item[SK].clone());
                let fresh = !seen.contains(&key);
                seen.push(key);
                fresh
            })
            .collect()
    })
}

#[test]
fn a_token_applies_its_transaction_once_and_refuses_any_other() {
    let runtime = runtime();
    let cases = env_number("TOKEN_CASES").unwrap_or(DEFAULT_CASES);
    let seed: u64 = env_number("TOKEN_SEED").unwrap_or(0);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&items(), |items| runtime.block_on(attack(items)));
    if let Err(failure) = result {
        panic!("transaction tokens broken (TOKEN_SEED={seed}, {cases} cases):\n{failure}");
    }
}
