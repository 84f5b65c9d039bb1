//! Differential test: random sequences of put / create / update / delete / get / query /
//! index query / batch-write operations, with conditions and return values, on a table with a
//! global index of a multi-attribute key (`byGroup`: `g1`, `pk` / `g2`, `sk`, which items
//! often lack or, rarely, give a wrong type), run on `MemoryBackend` and on
//! the real DynamoDB-compatible test server (in-process dynoxide, or `NOTES_DYNAMODB_ENDPOINT`),
//! comparing every result: returned images, items, errors by kind, and every query page with
//! its `LastEvaluatedKey` and scanned count, then the final contents of the table.
//!
//! Runs and knobs:
//!
//! - `cargo test -p notes-tests --test differential` runs a bounded number of cases
//!   ([`DEFAULT_CASES`]) from a fixed seed, so CI is reproducible and takes seconds.
//! - `PROPTEST_CASES=2000 DIFFERENTIAL_SEED=$RANDOM cargo test -p notes-tests --test
//!   differential -- --nocapture` is the larger run on demand: more cases, a new seed.
//!   `DIFFERENTIAL_MAX_OPS` (default 12) makes each sequence longer.
//! - A failing case is shrunk to a minimal sequence and printed with the seed; turn it into a
//!   test in `mod regressions` below (every difference found so far is one).
//!
//! Where DynamoDB's documentation says the server is the one that is wrong, the difference is
//! an exception: listed and tested in `mod exceptions`, and let through by
//! `run::known_exception` (the comparison accepts exactly that pair of answers, nothing else).

mod ops;

mod run;

mod tokens;

use notes_repo::ScalarType;
use notes_repo::request::DeleteTable;
use notes_repo::{Backend, MemoryBackend};
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

use ops::{Case, Op};

/// Cases in a normal `cargo test` run.
const DEFAULT_CASES: u32 = 128;
/// Operations per case at most, unless `DIFFERENTIAL_MAX_OPS` says otherwise.
const DEFAULT_MAX_OPS: usize = 12;

fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok()?.trim().parse().ok()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Runs one case on a fresh `MemoryBackend` and on a fresh table of the server.
async fn differential<B: Backend>(server: &B, case: &Case) -> Result<(), run::Difference> {
    let memory = MemoryBackend::new();
    let memory_table = "differential";
    run::create_table(&memory, memory_table, case.sort_type).await;
    let server_table = notes_tests::server_support::table_name("differential");
    run::create_table(server, &server_table, case.sort_type).await;
    let result = run::compare(server, &server_table, &memory, memory_table, case).await;
    // Best effort: a table left behind only costs the in-process server some memory.
    let _ = server.delete_table(DeleteTable::new(server_table)).await;
    result
}

/// Runs a hand-written case, for the regressions and the exceptions.
fn check(sort_type: ScalarType, ops: Vec<Op>) {
    let runtime = runtime();
    let Some(server) = runtime.block_on(notes_tests::server_support::available_backend()) else {
        return;
    };
    let case = Case { sort_type, ops };
    if let Err(difference) = runtime.block_on(differential(&server, &case)) {
        panic!("{difference}");
    }
}

#[test]
fn memory_backend_matches_the_server_on_random_operation_sequences() {
    let runtime = runtime();
    let Some(server) = runtime.block_on(notes_tests::server_support::available_backend()) else {
        return;
    };
    random_sequences(&runtime, &server, "the server");
}

/// The same sequences through DynamoDB's protocol: `DynamoDbBackend` on notes-local, whose
/// engine is `MemoryBackend`, must answer every operation as `MemoryBackend` called directly
/// (what the protocol's reading and writing of JSON could change, it must not).
#[test]
fn notes_local_matches_memory_backend_on_random_operation_sequences() {
    let runtime = runtime();
    let server = notes_tests::server_support::local_backend();
    random_sequences(&runtime, &server, "notes-local");
}

/// Runs the random cases on `server` (named `name` in the failure) against `MemoryBackend`.
fn random_sequences<B: Backend>(runtime: &tokio::runtime::Runtime, server: &B, name: &str) {
    let cases = env_number("PROPTEST_CASES").unwrap_or(DEFAULT_CASES);
    let max_ops = env_number("DIFFERENTIAL_MAX_OPS").unwrap_or(DEFAULT_MAX_OPS);
    let seed: u64 = env_number("DIFFERENTIAL_SEED").unwrap_or(0);
    let config = Config {
        cases,
        // Every shrink step is a full case against the server: bounded, but enough to reach
        // a sequence of a few operations.
        max_shrink_iters: 512,
        failure_persistence: None,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&ops::case(max_ops), |case| {
        runtime
            .block_on(differential(server, &case))
            .map_err(|difference| TestCaseError::fail(difference.message))
    });
    if let Err(failure) = result {
        panic!(
            "MemoryBackend and {name} differ (DIFFERENTIAL_SEED={seed}, {cases} cases, at \
             most {max_ops} operations):\n{failure}"
        );
    }
}

/// Lists every kind of difference, one example each, without shrinking. In the normal run: a
/// few deterministic cases. On demand, many random ones:
/// `DIFFERENTIAL_EXPLORE=500 cargo test -p notes-tests --test differential explore -- --nocapture`.
#[test]
fn explore_differences() {
    use proptest::strategy::{Strategy, ValueTree};
    let runtime = runtime();
    let Some(server) = runtime.block_on(notes_tests::server_support::available_backend()) else {
        return;
    };
    let explore: Option<u32> = env_number("DIFFERENTIAL_EXPLORE");
    let cases = explore.unwrap_or(16);
    let max_ops = env_number("DIFFERENTIAL_MAX_OPS").unwrap_or(DEFAULT_MAX_OPS);
    let mut runner = match explore {
        Some(_) => TestRunner::new(Config::default()),
        None => TestRunner::deterministic(),
    };
    let strategy = ops::case(max_ops);
    let mut kinds: std::collections::BTreeMap<String, (usize, String)> = Default::default();
    for _ in 0..cases {
        let case = strategy.new_tree(&mut runner).expect("a case").current();
        if let Err(difference) = runtime.block_on(differential(&server, &case)) {
            let entry = kinds
                .entry(difference.signature)
                .or_insert((0, difference.message.clone()));
            entry.0 += 1;
            if difference.message.len() < entry.1.len() {
                entry.1 = difference.message;
            }
        }
    }
    for (signature, (count, example)) in &kinds {
        println!("=== {count} x {signature}\n{example}\n");
    }
    assert!(kinds.is_empty(), "{} kind(s) of difference", kinds.len());
}

/// Builders for hand-written cases.
mod build {
    use notes_repo::expr::{Condition, Operand, Path, Update, UpdateAction};
    use notes_repo::request::ReturnValues;
    use notes_repo::{AttributeValue, ItemMap};

    use super::ops::{Op, PK, SK};

    pub(crate) fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_owned())
    }

    pub(crate) fn n(v: &str) -> AttributeValue {
        AttributeValue::N(v.to_owned())
    }

    pub(crate) fn p(name: &'static str) -> Path {
        Path::attribute(name)
    }

    /// The key `p1` / `sk` (a string sort key).
    pub(crate) fn key(sk: &str) -> ItemMap {
        ItemMap::from([(PK.to_owned(), s("p1")), (SK.to_owned(), s(sk))])
    }

    pub(crate) fn put(sk: &str, attributes: Vec<(&str, AttributeValue)>) -> Op {
        let mut item = key(sk);
        for (name, value) in attributes {
            item.insert(name.to_owned(), value);
        }
        Op::Put {
            item,
            condition: None,
            return_values: ReturnValues::None,
        }
    }

    pub(crate) fn update(
        sk: &str,
        actions: Vec<UpdateAction>,
        condition: Option<Condition>,
        return_values: ReturnValues,
    ) -> Op {
        Op::Update {
            key: key(sk),
            update: Update { actions },
            condition,
            return_values,
        }
    }

    pub(crate) fn query(filter: Condition) -> Op {
        Op::Query {
            partition: "p1",
            sort: None,
            filter: Some(filter),
            limit: None,
            forward: true,
        }
    }

    pub(crate) fn between(
        path: &'static str,
        low: AttributeValue,
        high: AttributeValue,
    ) -> Condition {
        Condition::Between(
            Operand::Path(p(path)),
            Operand::Value(low),
            Operand::Value(high),
        )
    }
}

/// Every difference the random test found, as a fixed sequence, fixed in `MemoryBackend`.
mod regressions {
    use notes_repo::ScalarType;
    use notes_repo::expr::Operand;
    use notes_repo::expr::{Condition, SetValue, UpdateAction};
    use notes_repo::request::ReturnValues;

    use super::build::*;
    use super::check;

    /// `BETWEEN` with bounds of two types is refused before the item is read, even when there
    /// is no item (memory used to evaluate it to false: a condition failure).
    #[test]
    fn between_bounds_of_different_types_are_a_validation_error() {
        check(
            ScalarType::S,
            vec![
                update(
                    "a",
                    vec![UpdateAction::Set(
                        p("s"),
                        SetValue::Value(Operand::Value(s(""))),
                    )],
                    Some(between("s", n("0"), s(""))),
                    ReturnValues::None,
                ),
                put("b", vec![("s", s("x"))]),
                update(
                    "b",
                    vec![UpdateAction::Remove(p("s"))],
                    Some(between("s", s("a"), n("1"))),
                    ReturnValues::AllNew,
                ),
            ],
        );
    }

    /// A write to a key attribute is refused only after the condition held: a failed
    /// condition is `ConditionalCheckFailed` (memory used to refuse the key first).
    #[test]
    fn an_update_of_a_key_attribute_checks_the_condition_first() {
        let set_sort_key = || {
            vec![UpdateAction::Set(
                p("sk"),
                SetValue::Value(Operand::Value(s("other"))),
            )]
        };
        check(
            ScalarType::S,
            vec![
                update(
                    "a",
                    set_sort_key(),
                    Some(Condition::Exists(p("s"))),
                    ReturnValues::None,
                ),
                update(
                    "a",
                    set_sort_key(),
                    Some(!Condition::Exists(p("s"))),
                    ReturnValues::None,
                ),
                update("a", set_sort_key(), None, ReturnValues::UpdatedNew),
            ],
        );
    }

    /// `REMOVE a.b` needs `a` to be a map and `REMOVE a[i]` needs `a` to be a list; a missing
    /// parent is an invalid document path (memory used to ignore both). A missing last element
    /// is fine.
    #[test]
    fn remove_under_a_missing_or_mistyped_parent_is_a_validation_error() {
        let remove = |path| {
            update(
                "a",
                vec![UpdateAction::Remove(path)],
                None,
                ReturnValues::AllNew,
            )
        };
        check(
            ScalarType::S,
            vec![
                remove(p("m").key("x")),
                put(
                    "a",
                    vec![
                        ("s", s("x")),
                        ("m", s("str")),
                        ("l", notes_repo::AttributeValue::L(vec![n("1")])),
                    ],
                ),
                remove(p("m").key("x")),
                remove(p("nope").key("x")),
                remove(p("s").index(0)),
                remove(p("nope").index(0)),
                remove(p("l").index(5)),
                remove(p("l").index(0)),
                remove(p("nope")),
            ],
        );
    }

    /// `size()` of a string counts UTF-16 code units, not UTF-8 bytes (memory used to count
    /// bytes, so `size("Zoë")` was 4, not 3).
    #[test]
    fn size_of_a_string_counts_utf16_code_units() {
        let size_is = |n_: &str| {
            query(Condition::Compare(
                Operand::Size(p("s")),
                notes_repo::expr::Comparator::Eq,
                Operand::Value(n(n_)),
            ))
        };
        check(
            ScalarType::S,
            vec![
                put("a", vec![("s", s("Zoë"))]),
                put("b", vec![("s", s("a😀"))]),
                size_is("3"),
                size_is("4"),
                size_is("5"),
            ],
        );
    }

    /// `DELETE a.b :set` with no map `a` is an invalid document path too (memory used to
    /// ignore it because there was nothing to delete from).
    #[test]
    fn delete_under_a_missing_parent_is_a_validation_error() {
        let delete = |path| {
            let set = notes_repo::AttributeValue::Ns(vec!["1".to_owned()]);
            update(
                "a",
                vec![UpdateAction::Delete(path, Operand::Value(set))],
                None,
                ReturnValues::AllNew,
            )
        };
        check(
            ScalarType::S,
            vec![
                delete(p("m").key("x")),
                put(
                    "a",
                    vec![("m", notes_repo::AttributeValue::M(Default::default()))],
                ),
                delete(p("m").key("x")),
                delete(p("l").index(1)),
                delete(p("m").index(0)),
            ],
        );
    }

    /// An update without actions is sent without an `UpdateExpression`, which DynamoDB
    /// accepts: it creates the item with its key alone, or leaves it as it is (memory used to
    /// refuse it as an empty expression).
    #[test]
    fn an_update_without_actions_creates_the_key_alone() {
        check(
            ScalarType::S,
            vec![
                update("a", Vec::new(), None, ReturnValues::AllNew),
                put("b", vec![("s", s("x"))]),
                update("b", Vec::new(), None, ReturnValues::AllNew),
                update(
                    "b",
                    Vec::new(),
                    Some(Condition::Exists(p("nope"))),
                    ReturnValues::None,
                ),
            ],
        );
    }
}

/// Differences where DynamoDB's documentation says the server (dynoxide 3.2.0) is the one that
/// is wrong. `run::compare` lets exactly these through (see `run::known_exception`), and each
/// has a test here that pins both answers, so a server upgrade that fixes one shows up.
mod exceptions {
    use notes_repo::MemoryBackend;
    use notes_repo::expr::UpdateAction;
    use notes_repo::request::{DeleteTable, ReturnValues};
    use notes_repo::{ItemMap, ScalarType};

    use super::build::*;
    use super::run::{self, ErrorKind, Outcome};
    use super::runtime;

    fn both(op: &super::ops::Op) -> Option<(Outcome, Outcome)> {
        let runtime = runtime();
        let server = runtime.block_on(notes_tests::server_support::available_backend())?;
        let memory = MemoryBackend::new();
        let table = notes_tests::server_support::table_name("differential-exception");
        runtime.block_on(run::create_table(&server, &table, ScalarType::S));
        runtime.block_on(run::create_table(&memory, &table, ScalarType::S));
        let outcomes = (
            runtime.block_on(run::run_op(&server, &table, op)),
            runtime.block_on(run::run_op(&memory, &table, op)),
        );
        let _ = runtime.block_on(notes_repo::Backend::delete_table(
            &server,
            DeleteTable::new(table),
        ));
        Some(outcomes)
    }

    /// `UpdateItem` with `ReturnValues=ALL_OLD` on a key with no item: DynamoDB's API
    /// reference says ALL_OLD "returns all of the attributes of the item, as they appeared
    /// before the UpdateItem operation"; there was no item, so there are no attributes (and
    /// apps use exactly that to tell an insert from an update). dynoxide returns the key.
    #[test]
    fn update_all_old_of_a_new_item_returns_nothing() {
        let op = update(
            "new",
            vec![UpdateAction::Remove(p("s"))],
            None,
            ReturnValues::AllOld,
        );
        let Some((server, memory)) = both(&op) else {
            return;
        };
        assert_eq!(memory, Outcome::Write(Ok(None)));
        let key: ItemMap = key("new");
        assert_eq!(
            server,
            Outcome::Write(Ok(Some(key))),
            "dynoxide changed: drop this exception"
        );
        assert!(run::known_exception(&op, &server, &memory));
    }

    /// A `FilterExpression` whose `BETWEEN` bounds have two types: DynamoDB validates
    /// expressions before it reads any item (the same check dynoxide makes on
    /// `ConditionExpression`), so the query is a `ValidationException`. dynoxide skips the
    /// check on filters and evaluates the filter to false.
    #[test]
    fn a_filter_between_bounds_of_different_types_is_a_validation_error() {
        let op = query(between("s", n("0"), s("")));
        let Some((server, memory)) = both(&op) else {
            return;
        };
        assert_eq!(memory, Outcome::Query(vec![Err(ErrorKind::Validation)]));
        assert!(
            matches!(&server, Outcome::Query(pages) if pages.iter().all(Result::is_ok)),
            "dynoxide changed: drop this exception: {server:?}"
        );
        assert!(run::known_exception(&op, &server, &memory));
    }

    /// `UPDATED_NEW` / `UPDATED_OLD` of an update whose path goes through a list index
    /// (`SET l[1] = :v`): the API reference says these return "only the updated attributes";
    /// memory returns the updated elements, as a projection of those paths would. dynoxide
    /// returns the whole top-level attribute (its own source calls this a coarse fallback), so
    /// attributes updated through an index are left out of the comparison; the rest of the
    /// image is compared.
    #[test]
    fn updated_new_through_a_list_index_returns_only_the_element() {
        use notes_repo::AttributeValue;
        use notes_repo::expr::{Operand, SetValue};
        let list = AttributeValue::L(vec![s("a"), s("b"), s("c")]);
        let op = update(
            "a",
            vec![
                UpdateAction::Set(p("l").index(1), SetValue::Value(Operand::Value(s("x")))),
                UpdateAction::Set(p("s"), SetValue::Value(Operand::Value(s("y")))),
            ],
            None,
            ReturnValues::UpdatedNew,
        );
        let runtime = runtime();
        let Some(server) = runtime.block_on(notes_tests::server_support::available_backend())
        else {
            return;
        };
        let memory = MemoryBackend::new();
        let table = notes_tests::server_support::table_name("differential-exception");
        let mut outcomes = Vec::new();
        runtime.block_on(run::create_table(&server, &table, ScalarType::S));
        runtime.block_on(run::create_table(&memory, &table, ScalarType::S));
        let seed = put("a", vec![("l", list)]);
        runtime.block_on(run::run_op(&server, &table, &seed));
        runtime.block_on(run::run_op(&memory, &table, &seed));
        outcomes.push(runtime.block_on(run::run_op(&server, &table, &op)));
        outcomes.push(runtime.block_on(run::run_op(&memory, &table, &op)));
        let _ = runtime.block_on(notes_repo::Backend::delete_table(
            &server,
            DeleteTable::new(table),
        ));
        let (server, memory) = (&outcomes[0], &outcomes[1]);
        let image = |l: Vec<AttributeValue>| {
            Outcome::Write(Ok(Some(ItemMap::from([
                ("l".to_owned(), AttributeValue::L(l)),
                ("s".to_owned(), s("y")),
            ]))))
        };
        assert_eq!(*memory, image(vec![s("x")]));
        assert_eq!(
            *server,
            image(vec![s("a"), s("x"), s("c")]),
            "dynoxide changed: drop this exception"
        );
        assert!(run::known_exception(&op, server, memory));
    }

    /// The same for a filter whose `BETWEEN` lower bound is above its upper bound: DynamoDB
    /// refuses it ("The BETWEEN operator requires upper bound to be greater than or equal to
    /// lower bound"), as dynoxide does on a `ConditionExpression` but not on a filter.
    #[test]
    fn a_filter_between_crossed_bounds_is_a_validation_error() {
        let op = query(between("s", n("1E2"), n("1.5")));
        let Some((server, memory)) = both(&op) else {
            return;
        };
        assert_eq!(memory, Outcome::Query(vec![Err(ErrorKind::Validation)]));
        assert!(
            matches!(&server, Outcome::Query(pages) if pages.iter().all(Result::is_ok)),
            "dynoxide changed: drop this exception: {server:?}"
        );
        assert!(run::known_exception(&op, &server, &memory));
    }
}
