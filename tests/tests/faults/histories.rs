//! Histories: random concurrent typed writes and reads on a few keys, through a layer that
//! loses answers, checked for linearizability against a sequential model.
//!
//! Four tasks on a multi-thread runtime send random operations on three keys of a versioned
//! type: `create`, `save` (a versioned put), `update(..).expect_version(n)`, the same with a
//! `.condition(..)` on the body, `delete(..).expect_version(n)`, write transactions of two
//! versioned updates, and consistent `get`s. Each task works through its own [`Lossy`] layer,
//! which for each write at random either passes it, or applies it and drops the answer
//! (answering a transport-like `Error::Backend`), or applies it, drops the answer and sends it
//! again (marking the answer with `Error::mark_retried`, as the AWS SDK's retry is marked).
//! Every body written is unique, so a write can only ever recognise its own result.
//!
//! The history (each operation's invocation and response on one logical clock, its answer and
//! what the layer did) is then checked key by key with Wing and Gong's search: there must be
//! an order of the operations, consistent with real time, in which the model gives every
//! answer. An operation whose answer was dropped may or may not have applied; so may a resent
//! write that answers an error (its first attempt may have applied and been overwritten before
//! the resend: the documented limit of the rule). A resent write that answers `Ok` must have
//! applied, and a resent versioned delete that answers `Ok(None)` either applied or found the
//! item gone. Both attempts of a resent write may apply: between them the key can come back
//! to the state the write expects (deleted, then created again at version 1 by another task),
//! and the resend then applies a second time. The model allows it (the first attempt is a
//! "ghost" that may or may not have applied): it is a limit of conditional single-item writes
//! under retries, on DynamoDB too, that only a transaction's `ClientRequestToken` removes.
//!
//! The same histories run on the test server through `Lossy`, and on the AWS backend through
//! a fault proxy per task (resets before and after the server applied a write, 500s after it
//! applied, throttling), where the SDK's own retries and their marking are what is checked.
//! (A checker that accepts anything would not fail: with the put's replay rule loosened to
//! answer `Ok` on any retried failure, all three fail within 100 histories.)
//!
//! A second kind of history loses no answer but lets different writes write the same values
//! (two bodies): there every answer must be exact, and a write sent once that meets an
//! identical item must conflict (defect 5 of issue 24, update's rule applied without a retry,
//! fails it within a few histories on both backends).
//!
//! Bounded in CI: `NOTES_HISTORY_CASES` histories (default 100 on MemoryBackend, 10 on the test
//! server and 10 through the proxy, the same for colliding values: about 17 s in a debug
//! build on 2 cores); a longer run: `NOTES_HISTORY_CASES=2000 cargo test -p
//! notes-tests --test faults histories`. `NOTES_HISTORY_SEED` replays one history's choices (the
//! interleaving is the scheduler's); a failure prints its seed.

use std::collections::{BTreeMap, HashSet};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use notes_repo::request::{
    DeleteItem, PutItem, TransactWriteItems, TransactWriteItemsOutput, UpdateItem, WriteOutput,
};
use notes_repo::{
    Backend, DynamoDbBackend, Error, Item, Layer, MemoryBackend, Repo, Result, WriteTransaction,
};
use serde::{Deserialize, Serialize};

use aws_sdk_dynamodb::config::retry::RetryPartition;

use crate::network::backend_at;
use crate::proxy::{self, Fault, FaultProxy};

/// A versioned item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(table = "histories")]
struct Cell {
    #[partition_key]
    id: String,
    body: String,
    #[version]
    version: u64,
}

const KEYS: [&str; 3] = ["k0", "k1", "k2"];
const TASKS: usize = 4;
const OPS_PER_TASK: usize = 14;

/// SplitMix64: a small seeded generator, so that a history's choices replay from its seed.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What the layer did with one write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    /// Sent once, answered.
    Passed,
    /// Sent once, applied, and its answer replaced by a transport-like error.
    Dropped,
    /// Sent, its answer dropped, sent again; the second answer, marked retried.
    Resent,
}

/// Loses answers of writes, each at random: see the module docs.
#[derive(Clone)]
struct Lossy<B> {
    inner: B,
    rng: Arc<Mutex<Rng>>,
    /// Whether it loses answers at all.
    loses: bool,
    fate: Arc<Mutex<Fate>>,
}

impl<B: Backend> Lossy<B> {
    fn new(inner: B, seed: u64) -> Self {
        Lossy {
            inner,
            rng: Arc::new(Mutex::new(Rng(seed))),
            loses: true,
            fate: Arc::new(Mutex::new(Fate::Passed)),
        }
    }

    /// A layer that passes every write: answers are never lost.
    fn faithful(inner: B) -> Self {
        Lossy {
            loses: false,
            ..Lossy::new(inner, 0)
        }
    }

    /// The fate of the last write, then `Passed` again.
    fn take_fate(&self) -> Fate {
        std::mem::replace(&mut *self.fate.lock().unwrap(), Fate::Passed)
    }

    async fn send<R: Clone, O, F: Future<Output = Result<O>>>(
        &self,
        request: R,
        send: impl Fn(R) -> F,
        mark: fn(Error) -> Error,
    ) -> Result<O> {
        let fate = match self.rng.lock().unwrap().below(4) {
            _ if !self.loses => Fate::Passed,
            0 => Fate::Dropped,
            1 => Fate::Resent,
            _ => Fate::Passed,
        };
        *self.fate.lock().unwrap() = fate;
        tokio::task::yield_now().await;
        match fate {
            Fate::Passed => send(request).await,
            Fate::Dropped => {
                let _lost = send(request).await;
                Err(Error::Backend {
                    source: "the answer was lost (connection reset)".into(),
                })
            }
            Fate::Resent => {
                let _lost = send(request.clone()).await;
                tokio::task::yield_now().await;
                send(request).await.map_err(mark)
            }
        }
    }
}

impl<B: Backend> Layer for Lossy<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.inner
    }

    async fn put_item(&self, request: PutItem) -> Result<WriteOutput> {
        self.send(request, |r| self.inner.put_item(r), Error::mark_retried)
            .await
    }

    async fn update_item(&self, request: UpdateItem) -> Result<WriteOutput> {
        self.send(request, |r| self.inner.update_item(r), Error::mark_retried)
            .await
    }

    async fn delete_item(&self, request: DeleteItem) -> Result<WriteOutput> {
        self.send(request, |r| self.inner.delete_item(r), Error::mark_retried)
            .await
    }

    async fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> Result<TransactWriteItemsOutput> {
        // A transaction carries its token: sent again, it is the same transaction.
        self.send(request, |r| self.inner.transact_write_items(r), |e| e)
            .await
    }
}

/// The stored state of one key: body and version.
type State = Option<(String, u64)>;

/// One operation's effect on one key, and what it answered.
#[derive(Debug, Clone)]
enum Op {
    Get(State),
    Create {
        body: String,
        ok: bool,
    },
    Save {
        body: String,
        expected: u64,
        ok: bool,
    },
    Update {
        body: String,
        expected: u64,
        answer: std::result::Result<State, ()>,
    },
    CondUpdate {
        body: String,
        expected: u64,
        when: String,
        answer: std::result::Result<State, ()>,
    },
    /// `Ok(Some(state))`: the deleted item; `Ok(None)`: gone (only a resent delete);
    /// `Err`: version conflict.
    Delete {
        expected: u64,
        answer: std::result::Result<Option<State>, ()>,
    },
    /// One versioned update of a write transaction: `Some(true)` committed; `Some(false)`
    /// cancelled by this action's condition; `None` cancelled for another reason.
    TxUpdate {
        body: String,
        expected: u64,
        committed: Option<bool>,
    },
}

/// One operation in the history of one key.
#[derive(Debug, Clone)]
struct Event {
    call: u64,
    ret: u64,
    op: Op,
    /// The answer says nothing about whether it applied.
    ambiguous: bool,
    resent: bool,
}

fn matches_version(state: &State, expected: u64) -> bool {
    match state {
        None => expected == 0,
        Some((_, version)) => *version == expected,
    }
}

/// The states after `op` applied at `state`, if its answer can be given there (more than one
/// only for ambiguous ones: applied or not).
fn step(event: &Event, state: &State) -> Vec<State> {
    let applied = |body: &str, expected: u64| Some((body.to_owned(), expected + 1));
    let mut next = Vec::new();
    // What applying it would leave, when its condition holds.
    let effect: Option<State> = match &event.op {
        Op::Get(_) => None,
        Op::Create { body, .. } => state.is_none().then(|| applied(body, 0)),
        Op::Save { body, expected, .. } => {
            matches_version(state, *expected).then(|| applied(body, *expected))
        }
        Op::Update { body, expected, .. } | Op::TxUpdate { body, expected, .. } => {
            (state.is_some() && matches_version(state, *expected)).then(|| applied(body, *expected))
        }
        Op::CondUpdate {
            body,
            expected,
            when,
            ..
        } => (matches_version(state, *expected) && state.as_ref().is_some_and(|(b, _)| b == when))
            .then(|| applied(body, *expected)),
        Op::Delete { expected, .. } => {
            (state.is_some() && matches_version(state, *expected)).then_some(None)
        }
    };
    if event.ambiguous {
        next.push(state.clone());
        next.extend(effect);
        return next;
    }
    let ok = match &event.op {
        Op::Get(seen) => seen == state,
        Op::Create { ok, .. } | Op::Save { ok, .. } => *ok == effect.is_some(),
        Op::Update { answer, .. } | Op::CondUpdate { answer, .. } => match answer {
            Ok(item) => effect.as_ref() == Some(item),
            Err(()) => effect.is_none(),
        },
        Op::TxUpdate { committed, .. } => match committed {
            Some(true) => effect.is_some(),
            Some(false) => effect.is_none(),
            None => {
                next.push(state.clone());
                return next;
            }
        },
        Op::Delete { answer, .. } => match answer {
            Ok(Some(old)) => effect.is_some() && old == state,
            // Gone: it applied, or (resent) the item was gone when the resend ran.
            Ok(None) => {
                if event.resent && state.is_none() {
                    next.push(None);
                }
                next.extend(effect);
                return next;
            }
            Err(()) => effect.is_none(),
        },
    };
    if ok {
        next.push(effect.unwrap_or_else(|| state.clone()));
    }
    // A resent write that answers `Ok` may have applied with its first attempt (its ghost)
    // and found its own result: the replay rule answers as applied and changes nothing.
    let own_result = match &event.op {
        Op::Create { body, ok: true } => Some(applied(body, 0)),
        Op::Save {
            body,
            expected,
            ok: true,
        } => Some(applied(body, *expected)),
        Op::Update {
            answer: Ok(item), ..
        }
        | Op::CondUpdate {
            answer: Ok(item), ..
        } => Some(item.clone()),
        _ => None,
    };
    if event.resent && own_result.is_some_and(|own| &own == state) {
        next.push(state.clone());
    }
    next
}

/// Wing and Gong's search: whether the events of one key (at most 64) have a linear order
/// consistent with real time in which the model gives every answer.
fn linearizable(events: &[Event]) -> bool {
    assert!(events.len() <= 64, "{} events on one key", events.len());
    let all = if events.len() == 64 {
        u64::MAX
    } else {
        (1u64 << events.len()) - 1
    };
    let mut seen = HashSet::new();
    search(events, all, None, &mut seen)
}

fn search(events: &[Event], left: u64, state: State, seen: &mut HashSet<(u64, State)>) -> bool {
    if left == 0 {
        return true;
    }
    if !seen.insert((left, state.clone())) {
        return false;
    }
    // An event may go next if no event left returned before it was called.
    let first_ret = (0..events.len())
        .filter(|i| left & (1 << i) != 0)
        .map(|i| events[i].ret)
        .min()
        .unwrap_or(u64::MAX);
    for i in 0..events.len() {
        if left & (1 << i) == 0 || events[i].call > first_ret {
            continue;
        }
        for next in step(&events[i], &state) {
            if search(events, left & !(1 << i), next, seen) {
                return true;
            }
        }
    }
    false
}

/// What one task knows of each key: the last version it saw, and the body.
type Known = BTreeMap<&'static str, (String, u64)>;

fn state_of(cell: &Option<Cell>) -> State {
    cell.as_ref().map(|c| (c.body.clone(), c.version))
}

/// How a task sends its writes: the backend, and what happened to the last write.
trait Sender: Backend {
    /// What happened to the last write since the previous call.
    fn take_fate(&self) -> Fate;
}

impl<B: Backend> Sender for Lossy<B> {
    fn take_fate(&self) -> Fate {
        Lossy::take_fate(self)
    }
}

/// Runs one task's random operations, recording one event per key touched.
async fn task<S: Sender>(
    lossy: S,
    table: String,
    seed: u64,
    task: usize,
    collide: bool,
    clock: Arc<AtomicU64>,
    history: Arc<Mutex<Vec<(&'static str, Event)>>>,
) {
    let repo: Repo<Cell, S> = Repo::with_table(lossy.clone(), table);
    let mut rng = Rng(seed);
    let mut known = Known::new();
    for i in 0..OPS_PER_TASK {
        let key = KEYS[rng.below(KEYS.len() as u64) as usize];
        let other = KEYS[(KEYS.iter().position(|k| *k == key).unwrap() + 1) % KEYS.len()];
        // Unique bodies, or (without lost answers) two values that different writes share.
        let body = if collide {
            ["a", "b"][rng.below(2) as usize].to_owned()
        } else {
            format!("t{task}-{i}")
        };
        let other_body = if collide {
            body.clone()
        } else {
            format!("{body}-tx")
        };
        // Mostly the version last seen, sometimes a stale or a future one.
        let seen = known.get(key).map_or(0, |(_, v)| *v);
        let expected = match rng.below(6) {
            0 => seen.saturating_sub(1),
            1 => seen + 1,
            _ => seen,
        };
        let cell = |expected: u64| Cell {
            id: key.to_owned(),
            body: body.clone(),
            version: expected,
        };
        let call = clock.fetch_add(1, Ordering::SeqCst);
        let mut ambiguous = false;
        let mut events: Vec<(&'static str, Op)> = Vec::new();
        let id = CellKey::new(key);
        match rng.below(8) {
            0 => {
                let got = repo.get(&id).consistent().await.unwrap();
                if let Some(c) = &got {
                    known.insert(key, (c.body.clone(), c.version));
                }
                events.push((key, Op::Get(state_of(&got))));
            }
            1 => {
                let answer = repo.create(&cell(0)).await;
                let ok = match answer {
                    Ok(()) => true,
                    Err(Error::AlreadyExists { .. }) => false,
                    Err(Error::Backend { .. } | Error::Throttled { .. }) => {
                        ambiguous = true;
                        false
                    }
                    Err(other) => panic!("create: {other:?}"),
                };
                events.push((
                    key,
                    Op::Create {
                        body: body.clone(),
                        ok,
                    },
                ));
            }
            2 => {
                let mut c = cell(expected);
                let ok = match repo.save(&mut c).await {
                    Ok(()) => {
                        known.insert(key, (body.clone(), c.version));
                        true
                    }
                    Err(Error::VersionConflict { .. }) => false,
                    Err(Error::Backend { .. } | Error::Throttled { .. }) => {
                        ambiguous = true;
                        false
                    }
                    Err(other) => panic!("save: {other:?}"),
                };
                events.push((
                    key,
                    Op::Save {
                        body: body.clone(),
                        expected,
                        ok,
                    },
                ));
            }
            3 | 4 => {
                let conditional = rng.below(2) == 0;
                let when = known.get(key).map_or(String::new(), |(b, _)| b.clone());
                let mut update = repo
                    .update(&id)
                    .apply(Cell::BODY.set(body.clone()))
                    .expect_version(expected.max(1));
                if conditional {
                    update = update.condition(Cell::BODY.eq(when.clone()));
                }
                let answer = match update.await {
                    Ok(c) => {
                        known.insert(key, (c.body.clone(), c.version));
                        Ok(Some((c.body, c.version)))
                    }
                    Err(Error::VersionConflict { .. }) if !conditional => Err(()),
                    Err(Error::ConditionFailed { .. }) if conditional => Err(()),
                    Err(Error::Backend { .. } | Error::Throttled { .. }) => {
                        ambiguous = true;
                        Err(())
                    }
                    Err(other) => panic!("update: {other:?}"),
                };
                let expected = expected.max(1);
                events.push((
                    key,
                    if conditional {
                        Op::CondUpdate {
                            body: body.clone(),
                            expected,
                            when,
                            answer,
                        }
                    } else {
                        Op::Update {
                            body: body.clone(),
                            expected,
                            answer,
                        }
                    },
                ));
            }
            5 => {
                let expected = expected.max(1);
                let answer = match repo.delete(&id).expect_version(expected).await {
                    Ok(old) => {
                        known.remove(key);
                        Ok(old.map(|c| Some((c.body, c.version))))
                    }
                    Err(Error::VersionConflict { .. }) => Err(()),
                    Err(Error::Backend { .. } | Error::Throttled { .. }) => {
                        ambiguous = true;
                        Err(())
                    }
                    Err(other) => panic!("delete: {other:?}"),
                };
                events.push((key, Op::Delete { expected, answer }));
            }
            _ => {
                let other_expected = known.get(other).map_or(1, |(_, v)| (*v).max(1));
                let expected = expected.max(1);
                let other_id = CellKey::new(other);
                let answer = WriteTransaction::new(&lossy)
                    .update(
                        repo.update(&id)
                            .apply(Cell::BODY.set(body.clone()))
                            .expect_version(expected),
                    )
                    .update(
                        repo.update(&other_id)
                            .apply(Cell::BODY.set(other_body.clone()))
                            .expect_version(other_expected),
                    )
                    .await;
                let committed: [Option<bool>; 2] = match answer {
                    Ok(()) => [Some(true); 2],
                    Err(Error::TransactionCanceled { reasons, .. }) => {
                        let failed = |index: usize| {
                            reasons
                                .iter()
                                .find(|r| r.index == index)
                                .and_then(|r| (r.code == "ConditionalCheckFailed").then_some(false))
                        };
                        [failed(0), failed(1)]
                    }
                    Err(Error::Backend { .. } | Error::Throttled { .. }) => {
                        ambiguous = true;
                        [None; 2]
                    }
                    Err(other) => panic!("transaction: {other:?}"),
                };
                events.push((
                    key,
                    Op::TxUpdate {
                        body: body.clone(),
                        expected,
                        committed: committed[0],
                    },
                ));
                events.push((
                    other,
                    Op::TxUpdate {
                        body: other_body,
                        expected: other_expected,
                        committed: committed[1],
                    },
                ));
            }
        }
        let ret = clock.fetch_add(1, Ordering::SeqCst);
        let fate = lossy.take_fate();
        let resent = fate == Fate::Resent;
        // A resent write that answers an error may have applied with its first attempt.
        let failed = |op: &Op| {
            matches!(
                op,
                Op::Create { ok: false, .. }
                    | Op::Save { ok: false, .. }
                    | Op::Update {
                        answer: Err(()),
                        ..
                    }
                    | Op::CondUpdate {
                        answer: Err(()),
                        ..
                    }
                    | Op::Delete {
                        answer: Err(()),
                        ..
                    }
            )
        };
        let mut history = history.lock().unwrap();
        for (key, op) in events {
            // The first attempt of a resent write may have applied, whatever the answer: its
            // ghost, which may or may not have applied. (Between the two attempts the key can
            // come back to the state the write expects, e.g. deleted and created again at
            // version 1: then both attempts apply.)
            if resent && !matches!(op, Op::TxUpdate { .. }) {
                let ghost = Event {
                    call,
                    ret,
                    op: op.clone(),
                    ambiguous: true,
                    resent,
                };
                history.push((key, ghost));
            }
            let ambiguous = ambiguous || (resent && failed(&op));
            history.push((
                key,
                Event {
                    call,
                    ret,
                    op,
                    ambiguous,
                    resent,
                },
            ));
        }
    }
}

/// Runs one history with `seed` on `backend` (each task through its own [`Lossy`] layer) and
/// checks it.
async fn one_history<B: Backend>(backend: B, table: &str, seed: u64) {
    let senders = (0..TASKS)
        .map(|t| Lossy::new(backend.clone(), seed ^ 0xA5A5 ^ t as u64))
        .collect();
    run_history(backend, senders, table, seed, false).await;
}

/// Runs one history with `seed`, task `t` sending through `senders[t]`, and checks it.
async fn run_history<B: Backend, S: Sender>(
    backend: B,
    senders: Vec<S>,
    table: &str,
    seed: u64,
    collide: bool,
) {
    let setup: Repo<Cell, B> = notes_tests::repo(backend, table).await;
    drop(setup);
    let clock = Arc::new(AtomicU64::new(0));
    let history = Arc::new(Mutex::new(Vec::new()));
    let tasks: Vec<_> = senders
        .into_iter()
        .enumerate()
        .map(|(t, sender)| {
            tokio::spawn(task(
                sender,
                table.to_owned(),
                seed.wrapping_mul(31).wrapping_add(t as u64),
                t,
                collide,
                clock.clone(),
                history.clone(),
            ))
        })
        .collect();
    for t in tasks {
        if let Err(err) = t.await {
            panic!("history seed {seed}: a task failed: {err}");
        }
    }
    let history = history.lock().unwrap();
    for key in KEYS {
        let events: Vec<Event> = history
            .iter()
            .filter(|(k, _)| *k == key)
            .map(|(_, e)| e.clone())
            .collect();
        assert!(
            linearizable(&events),
            "history seed {seed} (replay: NOTES_HISTORY_SEED={seed}): key {key} is not \
             linearizable:\n{events:#?}"
        );
    }
}

fn cases(default: u64) -> u64 {
    std::env::var("NOTES_HISTORY_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The seeds to run: `NOTES_HISTORY_SEED` alone, or `count` from a random start.
fn seeds(count: u64) -> Vec<u64> {
    if let Some(seed) = std::env::var("NOTES_HISTORY_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return vec![seed];
    }
    let start = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    (0..count).map(|i| start.wrapping_add(i)).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn histories_with_lost_answers_are_linearizable_on_memory() {
    for (i, seed) in seeds(cases(100)).into_iter().enumerate() {
        one_history(MemoryBackend::new(), &format!("histories-{i}"), seed).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn histories_with_lost_answers_are_linearizable_on_the_server() {
    let Some(backend) = notes_tests::server_support::available_backend().await else {
        return;
    };
    for seed in seeds(cases(100) / 10) {
        let table = notes_tests::server_support::table_name(&format!("histories-{seed}"));
        one_history(backend.clone(), &table, seed).await;
    }
}

/// The checker itself: a lost update (two versioned updates from version 1 that both answer
/// version 2) is refused, and a dropped answer may or may not have applied.
#[test]
fn the_checker_refuses_a_lost_update_and_allows_a_dropped_answer() {
    let event = |call, ret, op, ambiguous| Event {
        call,
        ret,
        op,
        ambiguous,
        resent: false,
    };
    let create = event(
        0,
        1,
        Op::Create {
            body: "a".into(),
            ok: true,
        },
        false,
    );
    let update = |body: &str, call, ret| {
        event(
            call,
            ret,
            Op::Update {
                body: body.into(),
                expected: 1,
                answer: Ok(Some((body.into(), 2))),
            },
            false,
        )
    };
    assert!(linearizable(&[create.clone(), update("b", 2, 3)]));
    assert!(!linearizable(&[
        create.clone(),
        update("b", 2, 5),
        update("c", 3, 4)
    ]));
    let dropped = event(
        2,
        3,
        Op::Create {
            body: "x".into(),
            ok: false,
        },
        true,
    );
    let read = |seen: State| event(4, 5, Op::Get(seen), false);
    assert!(linearizable(&[
        create.clone(),
        dropped.clone(),
        read(Some(("a".into(), 1)))
    ]));
    assert!(!linearizable(&[create, dropped, read(None)]));
}

/// The AWS backend through a fault proxy of its own: the SDK retries, and what the proxy did
/// to the requests of the last operation is its fate.
#[derive(Clone)]
struct Proxied {
    backend: DynamoDbBackend,
    faults: Arc<Mutex<Vec<Fault>>>,
    _proxy: Arc<FaultProxy>,
}

impl Layer for Proxied {
    type Inner = DynamoDbBackend;

    fn inner(&self) -> &DynamoDbBackend {
        &self.backend
    }
}

impl Sender for Proxied {
    fn take_fate(&self) -> Fate {
        let faults = std::mem::take(&mut *self.faults.lock().unwrap());
        // A reset or a 500 leaves the outcome unknown and the SDK resent the request; after a
        // throttle it resent a request that was not applied.
        if faults.iter().any(|f| {
            matches!(
                f,
                Fault::Reset | Fault::ResetAfterApply | Fault::ServerErrorAfterApply
            )
        }) {
            Fate::Resent
        } else {
            Fate::Passed
        }
    }
}

/// Histories on the AWS backend through the fault proxy: each write request (put, update,
/// delete, transaction) meets, at random, a reset before or after the server applied it, a
/// 500 after it applied, or throttling; the SDK retries (3 attempts) and marks its retries;
/// the answers must be linearizable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn histories_through_a_fault_proxy_are_linearizable() {
    let Some(backend) = notes_tests::server_support::available_backend().await else {
        return;
    };
    let Some(upstream) = notes_tests::server_support::endpoint() else {
        return;
    };
    for seed in seeds(cases(100) / 10) {
        let mut senders = Vec::new();
        for t in 0..TASKS {
            let faults: Arc<Mutex<Vec<Fault>>> = Arc::default();
            let rng = Mutex::new(Rng(seed ^ 0x5A5A ^ t as u64));
            let log = faults.clone();
            let plan: proxy::Plan = Arc::new(move |_, operation| {
                let writes = ["PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems"];
                if !writes.contains(&operation) {
                    return Fault::Pass;
                }
                let fault = match rng.lock().unwrap().below(10) {
                    0 => Fault::Reset,
                    1 => Fault::ResetAfterApply,
                    2 => Fault::ServerErrorAfterApply,
                    3 => Fault::Throttle,
                    _ => Fault::Pass,
                };
                log.lock().unwrap().push(fault);
                fault
            });
            let proxy = FaultProxy::start(&upstream, plan).await;
            // A retry quota of its own: the SDK's token bucket is shared by every client of a
            // retry partition in the process, and these retries would spend the other tests'.
            let config = backend_at(&proxy.url)
                .client()
                .config()
                .to_builder()
                .retry_partition(RetryPartition::new(format!("notes-histories-{seed}-{t}")))
                .build();
            senders.push(Proxied {
                backend: DynamoDbBackend::new(aws_sdk_dynamodb::Client::from_conf(config)),
                faults,
                _proxy: Arc::new(proxy),
            });
        }
        let table = notes_tests::server_support::table_name(&format!("histories-proxy-{seed}"));
        run_history(backend.clone(), senders, &table, seed, false).await;
    }
}

/// Histories without lost answers, where different writes write the same values (two
/// bodies): every answer must be exact. A write sent once that finds an identical item is
/// someone else's: a read-modify-write that computed the same value as another conflicts.
async fn colliding_history<B: Backend>(backend: B, table: &str, seed: u64) {
    let senders = (0..TASKS)
        .map(|_| Lossy::faithful(backend.clone()))
        .collect();
    run_history(backend, senders, table, seed, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn histories_of_colliding_values_are_linearizable_on_memory() {
    for (i, seed) in seeds(cases(100)).into_iter().enumerate() {
        colliding_history(MemoryBackend::new(), &format!("colliding-{i}"), seed).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn histories_of_colliding_values_are_linearizable_on_the_server() {
    let Some(backend) = notes_tests::server_support::available_backend().await else {
        return;
    };
    for seed in seeds(cases(100) / 10) {
        let table = notes_tests::server_support::table_name(&format!("colliding-{seed}"));
        colliding_history(backend.clone(), &table, seed).await;
    }
}
