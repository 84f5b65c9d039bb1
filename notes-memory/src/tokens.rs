//! `ClientRequestToken`: a `TransactWriteItems` sent again with the same token within 10 minutes
//! succeeds without being applied again, as on DynamoDB.
//!
//! The rules followed (APIReference/API_TransactWriteItems.html, `ClientRequestToken`):
//!
//! - "A client request token is valid for 10 minutes after the first request that uses it
//!   completes. After 10 minutes, any request with the same client token is treated as a new
//!   request." The 10 minutes are counted on the backend's [`Clock`](crate::clock::Clock), from the
//!   first request's time; a repeat does not extend them.
//! - "If you submit a request with the same client token but a change in other parameters
//!   within the 10-minute idempotency window, DynamoDB returns an
//!   `IdempotentParameterMismatch` exception": [`Error::IdempotentParameterMismatch`]. The
//!   request is compared by its meaning, not by how it was built: a [`Fingerprint`] of its
//!   actions in a canonical form, where a map's attributes are in name order, a set's members
//!   in order with duplicates once, and a number is its DynamoDB value (`"1.0"` is `"1"`). The
//!   same transaction built again (its hash maps in another order) matches; a request that
//!   differs in any action, table, key, value, condition or update does not.
//! - A request refused (a failed condition, a validation error) does not use the token: the
//!   token is recorded only when its transaction was applied.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use notes_model::expr::{
    Comparator, Condition, Operand, Path, PathElement, SetOperand, SetValue, Update, UpdateAction,
};
use notes_model::{AttributeValue, ItemMap};
use sha2::{Digest, Sha256};

use notes_core::number::Number;
use notes_core::request::TransactWrite;
use notes_core::{Error, Result};

/// How long DynamoDB remembers a token.
pub(crate) const TOKEN_LIFETIME: Duration = Duration::from_secs(600);

/// DynamoDB's longest `ClientRequestToken`.
const MAX_TOKEN_LENGTH: usize = 36;

/// DynamoDB's message for a token reused by another request.
const MISMATCH_MESSAGE: &str =
    "The request uses the same client token as a previous, but non-identical request";

/// The tokens of recent transactions: when each was first applied, and its request's
/// fingerprint.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    pub(crate) used: HashMap<String, UsedToken>,
}

/// One token's transaction: when it was applied (on the backend's clock) and what it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UsedToken {
    /// The time of the first request that used the token (the 10 minutes start here).
    pub(crate) at: SystemTime,
    /// The request's actions.
    pub(crate) fingerprint: Fingerprint,
}

impl Tokens {
    /// Forgets the tokens used 10 minutes or more before `now`.
    pub(crate) fn expire(&mut self, now: SystemTime) {
        self.used.retain(|_, used| {
            now.duration_since(used.at)
                .is_ok_and(|age| age < TOKEN_LIFETIME)
                // A time after `now` (a clock set back): still young.
                || now < used.at
        });
    }

    /// Whether the transaction `fingerprint` sent with `token` at `now` was applied already
    /// within the token's 10 minutes (then it is answered without being applied again);
    /// [`Error::IdempotentParameterMismatch`] when the token's transaction was another.
    pub(crate) fn applied(
        &mut self,
        token: &str,
        fingerprint: &Fingerprint,
        now: SystemTime,
    ) -> Result<bool> {
        self.expire(now);
        match self.used.get(token) {
            Some(used) if used.fingerprint == *fingerprint => Ok(true),
            Some(_) => Err(Error::IdempotentParameterMismatch {
                token: token.to_owned(),
                message: MISMATCH_MESSAGE.to_owned(),
                source: None,
            }),
            None => Ok(false),
        }
    }

    /// Every token kept: itself, when it was used, its request's fingerprint (what a durable
    /// store's snapshot keeps).
    pub(crate) fn entries(&self) -> impl Iterator<Item = (&str, SystemTime, &Fingerprint)> {
        self.used
            .iter()
            .map(|(token, used)| (token.as_str(), used.at, &used.fingerprint))
    }

    /// Remembers that the transaction `fingerprint` with `token` was applied at `at` (or that
    /// a durable store kept it so).
    pub(crate) fn remember(&mut self, token: String, at: SystemTime, fingerprint: Fingerprint) {
        self.used.insert(token, UsedToken { at, fingerprint });
    }
}

/// Checks a `ClientRequestToken`'s length, as DynamoDB does.
pub(crate) fn check_token(token: &str) -> Result<()> {
    if token.is_empty() || token.len() > MAX_TOKEN_LENGTH {
        return Err(Error::validation(format!(
            "1 validation error detected: Value '{token}' at 'clientRequestToken' failed to \
             satisfy constraint: Member must have length between 1 and {MAX_TOKEN_LENGTH}"
        )));
    }
    Ok(())
}

/// A SHA-256 digest of a transaction's actions in a canonical form (see the module's
/// documentation): equal for the same request however its maps were built, different for any
/// other request (short of a SHA-256 collision). Stable across processes and builds (no
/// hasher keys, no `Debug`), so it can be kept on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Fingerprint(pub(crate) [u8; 32]);

impl Fingerprint {
    /// The fingerprint of `actions`, in their order (the order of a transaction's actions is
    /// part of the request: its cancellation reasons are by index).
    pub(crate) fn of(actions: &[TransactWrite]) -> Self {
        let mut canonical = Canonical(Sha256::new());
        canonical.len(actions.len());
        for action in actions {
            canonical.action(action);
        }
        Fingerprint(canonical.0.finalize().into())
    }
}

/// Writes values to a digest unambiguously: each thing starts with a tag byte, each string
/// and each sequence with its length.
struct Canonical(Sha256);

/// Deeper than DynamoDB's 32 nesting levels, so never in a request that was applied: a deeper
/// value is refused by validation, and its fingerprint need only differ from theirs.
const MAX_DEPTH: usize = 64;

impl Canonical {
    fn tag(&mut self, tag: u8) {
        self.0.update([tag]);
    }

    fn len(&mut self, len: usize) {
        self.0.update((len as u64).to_be_bytes());
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.len(bytes.len());
        self.0.update(bytes);
    }

    fn str(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    fn action(&mut self, action: &TransactWrite) {
        match action {
            TransactWrite::Put {
                table_name,
                item,
                condition,
            } => {
                self.tag(b'P');
                self.str(table_name);
                self.item(item, 0);
                self.optional_condition(condition.as_ref());
            }
            TransactWrite::Update {
                table_name,
                key,
                update,
                condition,
            } => {
                self.tag(b'U');
                self.str(table_name);
                self.item(key, 0);
                self.update(update);
                self.optional_condition(condition.as_ref());
            }
            TransactWrite::Delete {
                table_name,
                key,
                condition,
            } => {
                self.tag(b'D');
                self.str(table_name);
                self.item(key, 0);
                self.optional_condition(condition.as_ref());
            }
            TransactWrite::ConditionCheck {
                table_name,
                key,
                condition,
            } => {
                self.tag(b'C');
                self.str(table_name);
                self.item(key, 0);
                self.condition(condition, 0);
            }
        }
    }

    /// A map's attributes in name order.
    fn item(&mut self, item: &ItemMap, depth: usize) {
        let mut attributes: Vec<(&String, &AttributeValue)> = item.iter().collect();
        attributes.sort_unstable_by(|a, b| a.0.cmp(b.0));
        self.len(attributes.len());
        for (name, value) in attributes {
            self.str(name);
            self.value(value, depth + 1);
        }
    }

    fn value(&mut self, value: &AttributeValue, depth: usize) {
        use AttributeValue as V;
        if depth > MAX_DEPTH {
            self.tag(b'!');
            return;
        }
        match value {
            V::S(s) => {
                self.tag(b's');
                self.str(s);
            }
            V::N(n) => {
                self.tag(b'n');
                self.number(n);
            }
            V::B(b) => {
                self.tag(b'b');
                self.bytes(b);
            }
            V::Bool(b) => {
                self.tag(b'?');
                self.tag(u8::from(*b));
            }
            V::Null(n) => {
                self.tag(b'0');
                self.tag(u8::from(*n));
            }
            V::Ss(set) => {
                self.tag(b'S');
                self.set(set.iter().map(|s| s.as_bytes().to_vec()).collect());
            }
            V::Ns(set) => {
                self.tag(b'N');
                self.set(
                    set.iter()
                        .map(|n| canonical_number(n).into_bytes())
                        .collect(),
                );
            }
            V::Bs(set) => {
                self.tag(b'B');
                self.set(set.clone());
            }
            V::L(list) => {
                self.tag(b'L');
                self.len(list.len());
                for element in list {
                    self.value(element, depth + 1);
                }
            }
            V::M(map) => {
                self.tag(b'M');
                self.item(map, depth);
            }
        }
    }

    /// A number as DynamoDB stores it (`"1.50"` is `"1.5"`); text that is no number as
    /// written (the request is refused, so it only has to differ).
    fn number(&mut self, text: &str) {
        self.str(&canonical_number(text));
    }

    /// A set's members in byte order, each once.
    fn set(&mut self, mut members: Vec<Vec<u8>>) {
        members.sort_unstable();
        members.dedup();
        self.len(members.len());
        for member in &members {
            self.bytes(member);
        }
    }

    fn path(&mut self, path: &Path) {
        self.len(path.elements.len());
        for element in &path.elements {
            match element {
                PathElement::Name(name) => {
                    self.tag(b'.');
                    self.str(name);
                }
                PathElement::Index(index) => {
                    self.tag(b'[');
                    self.len(*index);
                }
            }
        }
    }

    fn operand(&mut self, operand: &Operand) {
        match operand {
            Operand::Path(path) => {
                self.tag(b'p');
                self.path(path);
            }
            Operand::Value(value) => {
                self.tag(b'v');
                self.value(value, 1);
            }
            Operand::Size(path) => {
                self.tag(b'z');
                self.path(path);
            }
            Operand::Invalid { path, message } => {
                self.tag(b'x');
                self.path(path);
                self.str(message);
            }
        }
    }

    fn optional_condition(&mut self, condition: Option<&Condition>) {
        match condition {
            None => self.tag(b'-'),
            Some(condition) => {
                self.tag(b'+');
                self.condition(condition, 0);
            }
        }
    }

    fn condition(&mut self, condition: &Condition, depth: usize) {
        if depth > MAX_DEPTH {
            self.tag(b'!');
            return;
        }
        match condition {
            Condition::Compare(a, comparator, b) => {
                self.tag(b'=');
                self.operand(a);
                self.tag(comparator_tag(*comparator));
                self.operand(b);
            }
            Condition::Between(a, low, high) => {
                self.tag(b'<');
                self.operand(a);
                self.operand(low);
                self.operand(high);
            }
            Condition::In(a, list) => {
                self.tag(b'i');
                self.operand(a);
                self.len(list.len());
                for operand in list {
                    self.operand(operand);
                }
            }
            Condition::BeginsWith(path, prefix) => {
                self.tag(b'^');
                self.path(path);
                self.operand(prefix);
            }
            Condition::Contains(path, operand) => {
                self.tag(b'c');
                self.path(path);
                self.operand(operand);
            }
            Condition::Exists(path) => {
                self.tag(b'e');
                self.path(path);
            }
            Condition::NotExists(path) => {
                self.tag(b'E');
                self.path(path);
            }
            Condition::Type(path, descriptor) => {
                self.tag(b't');
                self.path(path);
                self.str(descriptor);
            }
            Condition::And(a, b) => {
                self.tag(b'&');
                self.condition(a, depth + 1);
                self.condition(b, depth + 1);
            }
            Condition::Or(a, b) => {
                self.tag(b'|');
                self.condition(a, depth + 1);
                self.condition(b, depth + 1);
            }
            Condition::Not(a) => {
                self.tag(b'~');
                self.condition(a, depth + 1);
            }
        }
    }

    /// An update's actions in their order (two `SET`s of one path are refused, so the order
    /// is kept rather than reasoned about).
    fn update(&mut self, update: &Update) {
        self.len(update.actions.len());
        for action in &update.actions {
            match action {
                UpdateAction::Set(path, value) => {
                    self.tag(b'S');
                    self.path(path);
                    self.set_value(value);
                }
                UpdateAction::Remove(path) => {
                    self.tag(b'R');
                    self.path(path);
                }
                UpdateAction::Add(path, operand) => {
                    self.tag(b'A');
                    self.path(path);
                    self.operand(operand);
                }
                UpdateAction::Delete(path, operand) => {
                    self.tag(b'D');
                    self.path(path);
                    self.operand(operand);
                }
            }
        }
    }

    fn set_value(&mut self, value: &SetValue) {
        match value {
            SetValue::Value(operand) => {
                self.tag(b'=');
                self.operand(operand);
            }
            SetValue::IfNotExists(path, default) => {
                self.tag(b'?');
                self.path(path);
                self.set_operand(default, 0);
            }
            SetValue::Plus(a, b) => {
                self.tag(b'+');
                self.set_operand(a, 0);
                self.set_operand(b, 0);
            }
            SetValue::Minus(a, b) => {
                self.tag(b'-');
                self.set_operand(a, 0);
                self.set_operand(b, 0);
            }
            SetValue::ListAppend(a, b) => {
                self.tag(b'l');
                self.set_operand(a, 0);
                self.set_operand(b, 0);
            }
        }
    }

    /// A plain operand as [`Canonical::operand`] writes it (so the fingerprints kept before
    /// functions could nest stay the same), a nested function with tags no operand starts with.
    fn set_operand(&mut self, operand: &SetOperand, depth: usize) {
        if depth > MAX_DEPTH {
            self.tag(b'!');
            return;
        }
        match operand {
            SetOperand::Operand(operand) => self.operand(operand),
            SetOperand::IfNotExists(path, default) => {
                self.tag(b'?');
                self.path(path);
                self.set_operand(default, depth + 1);
            }
            SetOperand::ListAppend(a, b) => {
                self.tag(b'l');
                self.set_operand(a, depth + 1);
                self.set_operand(b, depth + 1);
            }
        }
    }
}

/// A number's DynamoDB value as text (`"1.0"` -> `"1"`); text that is no number, as it is,
/// marked so that it never equals a number's.
fn canonical_number(text: &str) -> String {
    match Number::parse(text) {
        Ok(number) => number.to_string(),
        Err(_) => format!("?{text}"),
    }
}

fn comparator_tag(comparator: Comparator) -> u8 {
    match comparator {
        Comparator::Eq => b'=',
        Comparator::Ne => b'!',
        Comparator::Lt => b'<',
        Comparator::Le => b'{',
        Comparator::Gt => b'>',
        Comparator::Ge => b'}',
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use notes_model::expr::{Condition, Operand, UpdateAction};
    use notes_model::{AttributeValue, Item, ItemMap, Note};

    use super::super::test_values::{n, p, s};
    use super::Fingerprint;
    use crate::clock::ManualClock;
    use crate::memory_backend::MemoryBackend;
    use notes_core::request::{CreateTable, GetItem, TransactWrite, TransactWriteItems};
    use notes_core::{Backend, Error};

    /// The `notes` table, on demand.
    async fn notes(backend: &MemoryBackend) {
        let create = CreateTable::new("notes", Note::KEY_SCHEMA);
        backend.create_table(create).await.unwrap();
    }

    /// A counter of visits: `ADD hits 1` on `u1`/`n1`.
    fn add_hit(extra: ItemMap) -> TransactWriteItems {
        let mut key = ItemMap::new();
        key.insert("userId".into(), s("u1"));
        key.insert("noteId".into(), s("n1"));
        let update = notes_model::expr::Update::new()
            .and(UpdateAction::Add(p("hits"), Operand::Value(n("1"))))
            .and(UpdateAction::Set(
                p("meta"),
                notes_model::expr::SetValue::Value(Operand::Value(AttributeValue::M(extra))),
            ));
        let mut request = TransactWriteItems::new(vec![TransactWrite::Update {
            table_name: "notes".into(),
            key,
            update,
            condition: None,
        }]);
        request.client_request_token = Some("visit-1".into());
        request
    }

    /// A map of 16 attributes, built afresh (so in a hash order of its own), its numbers
    /// written as `number`.
    fn meta(number: &str) -> ItemMap {
        (0..16)
            .map(|i| {
                (
                    format!("attr{i}"),
                    AttributeValue::N(format!("{i}{number}")),
                )
            })
            .collect()
    }

    async fn hits(backend: &MemoryBackend) -> AttributeValue {
        let mut key = ItemMap::new();
        key.insert("userId".into(), s("u1"));
        key.insert("noteId".into(), s("n1"));
        let got = backend
            .get_item(GetItem::new("notes", key).consistent_read(true))
            .await
            .unwrap();
        got.item.expect("the item")["hits"].clone()
    }

    /// The raw request rebuilt (its maps in another order, a number written another way but
    /// equal in DynamoDB) is the same request: applied once. A request that differs in one
    /// value, or in one action, is not: DynamoDB's `IdempotentParameterMismatchException`, a
    /// typed error.
    #[tokio::test]
    async fn a_rebuilt_request_matches_and_a_different_one_is_a_typed_mismatch() {
        let backend = MemoryBackend::new();
        notes(&backend).await;
        for _ in 0..10 {
            backend
                .transact_write_items(add_hit(meta(".0")))
                .await
                .unwrap();
            backend
                .transact_write_items(add_hit(meta("")))
                .await
                .unwrap();
        }
        assert_eq!(hits(&backend).await, n("1"));

        let mut other = meta("");
        other.insert("attr3".into(), s("3"));
        let err = backend
            .transact_write_items(add_hit(other))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::IdempotentParameterMismatch { token, .. } if token == "visit-1"),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "idempotent parameter mismatch for ClientRequestToken `visit-1`: The request uses \
             the same client token as a previous, but non-identical request"
        );
        let mut two_actions = add_hit(meta(""));
        let again = two_actions.items[0].clone();
        two_actions.items.push(again);
        let err = backend.transact_write_items(two_actions).await.unwrap_err();
        assert!(
            matches!(err, Error::IdempotentParameterMismatch { .. }),
            "{err:?}"
        );
        assert_eq!(hits(&backend).await, n("1"));
    }

    /// Issue 24, defect 11: the 10 minutes are counted on the backend's clock. Within them
    /// the token with other actions is a mismatch; an hour later (on a `ManualClock`) it is
    /// a new transaction, applied. On main (dc45f5e) the window read the system clock, so
    /// the request an hour later was still `IdempotentParameterMismatch`.
    #[tokio::test]
    async fn the_ten_minutes_are_counted_on_the_backends_clock() {
        let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000));
        let backend = MemoryBackend::builder().clock(clock.clone()).build();
        notes(&backend).await;
        backend
            .transact_write_items(add_hit(meta("")))
            .await
            .unwrap();
        clock.advance(Duration::from_secs(9 * 60));
        let other = || add_hit(meta("5"));
        let err = backend.transact_write_items(other()).await.unwrap_err();
        assert!(
            matches!(err, Error::IdempotentParameterMismatch { .. }),
            "{err:?}"
        );
        clock.advance(Duration::from_secs(60 * 60));
        backend.transact_write_items(other()).await.unwrap();
        assert_eq!(hits(&backend).await, n("2"));
        // And that one is now the token's request, for its own 10 minutes.
        backend.transact_write_items(other()).await.unwrap();
        assert_eq!(hits(&backend).await, n("2"));
    }

    fn put(table: &str, item: ItemMap, condition: Option<Condition>) -> TransactWrite {
        TransactWrite::Put {
            table_name: table.into(),
            item,
            condition,
        }
    }

    fn map(pairs: &[(&str, AttributeValue)]) -> ItemMap {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect()
    }

    /// The fingerprint is the request's meaning: sets in any order, numbers by value, maps in
    /// any order are the same request; anything else that differs (a value's type, a name
    /// split differently, a condition, an action's order) is another.
    #[test]
    fn fingerprints_are_canonical_and_tell_requests_apart() {
        let of = |actions: Vec<TransactWrite>| Fingerprint::of(&actions);
        let base = || {
            map(&[
                ("userId", s("u1")),
                ("tags", AttributeValue::Ss(vec!["a".into(), "b".into()])),
                ("sizes", AttributeValue::Ns(vec!["1".into(), "2.50".into()])),
                ("n", n("10")),
                ("m", AttributeValue::M(map(&[("x", n("1")), ("y", s("2"))]))),
            ])
        };
        let same = of(vec![put("notes", base(), None)]);
        let mut reordered = base();
        reordered.insert(
            "tags".into(),
            AttributeValue::Ss(vec!["b".into(), "a".into()]),
        );
        reordered.insert(
            "sizes".into(),
            AttributeValue::Ns(vec!["2.5".into(), "1E0".into()]),
        );
        reordered.insert("n".into(), n("1E1"));
        assert_eq!(of(vec![put("notes", reordered, None)]), same);

        let mut differs: Vec<Vec<TransactWrite>> = Vec::new();
        let with = |name: &str, value: AttributeValue| {
            let mut item = base();
            item.insert(name.into(), value);
            vec![put("notes", item, None)]
        };
        differs.push(with("n", s("10")));
        differs.push(with("n", n("10.5")));
        differs.push(with("tags", AttributeValue::Ss(vec!["a".into()])));
        differs.push(with("m", AttributeValue::M(map(&[("x", n("1"))]))));
        differs.push(with("m", AttributeValue::L(vec![n("1"), s("2")])));
        differs.push(with("extra", AttributeValue::Null(true)));
        differs.push(vec![put("other", base(), None)]);
        differs.push(vec![put(
            "notes",
            base(),
            Some(Condition::Exists(p("userId"))),
        )]);
        differs.push(vec![put(
            "notes",
            base(),
            Some(Condition::NotExists(p("userId"))),
        )]);
        differs.push(vec![
            put("notes", base(), None),
            put("notes", map(&[("userId", s("u2"))]), None),
        ]);
        differs.push(vec![
            put("notes", map(&[("userId", s("u2"))]), None),
            put("notes", base(), None),
        ]);
        // Names and values are length-prefixed: `ab` + `c` is not `a` + `bc`.
        differs.push(vec![put("notes", map(&[("ab", s("c"))]), None)]);
        differs.push(vec![put("notes", map(&[("a", s("bc"))]), None)]);
        differs.push(vec![TransactWrite::Delete {
            table_name: "notes".into(),
            key: map(&[("userId", s("u1"))]),
            condition: None,
        }]);
        differs.push(vec![TransactWrite::ConditionCheck {
            table_name: "notes".into(),
            key: map(&[("userId", s("u1"))]),
            condition: Condition::Exists(p("userId")),
        }]);
        let mut seen = vec![same];
        for (i, actions) in differs.into_iter().enumerate() {
            let fingerprint = of(actions);
            assert!(!seen.contains(&fingerprint), "request {i} collides");
            seen.push(fingerprint);
        }
    }

    /// Nested `SET` functions are part of the meaning: every nesting below is another
    /// request, and the same nesting built twice is the same.
    #[test]
    fn nested_set_values_tell_requests_apart() {
        use notes_model::expr::{SetOperand, SetValue, Update};
        let update = |value: SetValue| {
            Fingerprint::of(&[TransactWrite::Update {
                table_name: "notes".into(),
                key: map(&[("userId", s("u1"))]),
                update: Update::from(UpdateAction::Set(p("c"), value)),
                condition: None,
            }])
        };
        let v = |value: AttributeValue| SetOperand::from(Operand::Value(value));
        let c = || SetOperand::from(Operand::Path(p("c")));
        let default = |o: SetOperand| SetOperand::if_not_exists(p("c"), o);
        let values = vec![
            SetValue::Plus(c(), v(n("1"))),
            SetValue::Plus(default(v(n("0"))), v(n("1"))),
            SetValue::Plus(default(v(n("1"))), v(n("0"))),
            SetValue::Plus(v(n("1")), default(v(n("0")))),
            SetValue::Minus(default(v(n("0"))), v(n("1"))),
            SetValue::IfNotExists(p("c"), v(n("0"))),
            SetValue::IfNotExists(p("c"), default(v(n("0")))),
            SetValue::IfNotExists(p("c"), SetOperand::list_append(c(), c())),
            SetValue::ListAppend(c(), c()),
            SetValue::ListAppend(default(c()), c()),
            SetValue::ListAppend(c(), default(c())),
            SetValue::ListAppend(SetOperand::list_append(c(), c()), c()),
            SetValue::ListAppend(c(), SetOperand::list_append(c(), c())),
        ];
        let mut seen = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let fingerprint = update(value.clone());
            assert_eq!(update(value.clone()), fingerprint);
            assert!(!seen.contains(&fingerprint), "value {i} collides");
            seen.push(fingerprint);
        }
    }
}
