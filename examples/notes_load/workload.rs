//! The notes API's access pattern: which request comes next, and sending it the way the API's
//! handlers do (`notes_api/app.rs`).

use std::sync::{Arc, Mutex, PoisonError};

use notes_examples::notes_api::DEFAULT_LIMIT;
use notes_repo::{Backend, ConsumedCapacity, Error, Layer, Operation, Repo, Result};
use notes_repo::{Note, NoteKey};

/// SplitMix64 (Steele, Lea and Flood, 2014): a seeded generator, enough for a load mix.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

/// The share of each route in the load, as weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mix {
    /// `GET /notes/{id}`: a strongly consistent `GetItem`.
    pub(crate) get: u32,
    /// `GET /notes`: the newest 20 notes, a strongly consistent `Query`.
    pub(crate) list: u32,
    /// `POST /notes`: `PutItem` if the key does not exist.
    pub(crate) create: u32,
    /// `PUT /notes/{id}`: `UpdateItem` if the note exists.
    pub(crate) update: u32,
    /// `DELETE /notes/{id}`: `DeleteItem`.
    pub(crate) delete: u32,
}

impl Mix {
    /// A notes app's day: reads dominate (75%), a note is written about once for every three
    /// reads.
    pub(crate) const NOTES_APP: Mix = Mix {
        get: 45,
        list: 30,
        create: 12,
        update: 8,
        delete: 5,
    };

    /// Only creates: a write load whose units are exactly one per request.
    #[cfg(test)]
    pub(crate) const CREATE_ONLY: Mix = Mix {
        get: 0,
        list: 0,
        create: 1,
        update: 0,
        delete: 0,
    };

    fn total(&self) -> u64 {
        u64::from(self.get)
            + u64::from(self.list)
            + u64::from(self.create)
            + u64::from(self.update)
            + u64::from(self.delete)
    }

    /// The route a roll in `0..total` falls on, weights laid end to end.
    fn route(&self, roll: u64) -> Route {
        let mut rest = roll;
        for (route, weight) in [
            (Route::Get, self.get),
            (Route::List, self.list),
            (Route::Create, self.create),
            (Route::Update, self.update),
            (Route::Delete, self.delete),
        ] {
            if rest < u64::from(weight) {
                return route;
            }
            rest -= u64::from(weight);
        }
        Route::Create
    }

    /// `get 45%, list 30%, ...` (routes with a share only).
    pub(crate) fn describe(&self) -> String {
        let total = self.total().max(1) as f64;
        [
            ("get", self.get),
            ("list", self.list),
            ("create", self.create),
            ("update", self.update),
            ("delete", self.delete),
        ]
        .iter()
        .filter(|(_, weight)| *weight > 0)
        .map(|(name, weight)| format!("{name} {:.0}%", f64::from(*weight) * 100.0 / total))
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// A route of the notes API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Get,
    List,
    Create,
    Update,
    Delete,
}

/// One API request, chosen when it is first sent; a retry sends the same request again.
#[derive(Debug, Clone)]
pub(crate) enum Request {
    Create(Note),
    Get(NoteKey),
    List(String),
    Update {
        key: NoteKey,
        content: String,
        attachment: Option<String>,
    },
    Delete(NoteKey),
}

/// What a request found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Done (200, 201 or 204).
    Done,
    /// The note was gone (404): deleted by a request that overtook this one.
    NotFound,
}

/// The users, the notes each of them has (as far as the load knows) and the next request.
#[derive(Debug)]
pub(crate) struct Workload {
    rng: Rng,
    mix: Mix,
    users: Vec<String>,
    notes: Vec<Vec<String>>,
    created: u64,
}

/// Note texts are 40 to 880 bytes: with its key and `createdAt` a note stays under 1 KB, one
/// write unit.
const CONTENT_BYTES: (u64, u64) = (40, 880);

const WORDS: &str = "remember to water the plants and call the bank about the card then \
    buy bread milk coffee and write the report before friday ";

impl Workload {
    /// `users` users (at least one) without notes, requests drawn from `mix` with `seed`.
    pub(crate) fn new(users: u32, mix: Mix, seed: u64) -> Self {
        let users: Vec<String> = (0..users.max(1)).map(|n| format!("user-{n:04}")).collect();
        Workload {
            rng: Rng::new(seed),
            mix,
            notes: vec![Vec::new(); users.len()],
            users,
            created: 0,
        }
    }

    /// The next request of a random user at `now_ms` (Unix milliseconds: a new note's
    /// `createdAt` and the time part of its UUID v7 `noteId`). A request on a note by a user
    /// without notes creates one instead.
    pub(crate) fn next(&mut self, now_ms: u64) -> Request {
        let user = self.rng.below(self.users.len() as u64) as usize;
        let route = self.mix.route(self.rng.below(self.mix.total().max(1)));
        let owner = self.users[user].clone();
        if route == Route::List {
            return Request::List(owner);
        }
        let count = self.notes[user].len() as u64;
        if route != Route::Create && count > 0 {
            let note_id = self.notes[user][self.rng.below(count) as usize].clone();
            let key = NoteKey::new(owner, note_id);
            return match route {
                Route::Get => Request::Get(key),
                Route::Update => {
                    let (content, attachment) = self.text();
                    Request::Update {
                        key,
                        content,
                        attachment,
                    }
                }
                _ => Request::Delete(key),
            };
        }
        self.created += 1;
        let mut random = [0u8; 10];
        // The creation count first: ids made in the same millisecond still sort by creation.
        random[..4].copy_from_slice(&(self.created as u32).to_be_bytes());
        random[4..].copy_from_slice(&self.rng.next_u64().to_be_bytes()[..6]);
        let note_id = uuid::Builder::from_unix_timestamp_millis(now_ms, &random).into_uuid();
        let (content, attachment) = self.text();
        Request::Create(Note {
            user_id: owner,
            note_id: note_id.hyphenated().to_string(),
            content,
            attachment,
            created_at: now_ms as i64,
        })
    }

    /// A note text and, for one note in five, an attachment name.
    fn text(&mut self) -> (String, Option<String>) {
        let (low, high) = CONTENT_BYTES;
        let len = (low + self.rng.below(high - low + 1)) as usize;
        let content: String = WORDS.chars().cycle().take(len).collect();
        let attachment =
            (self.rng.below(5) == 0).then(|| format!("scan-{:06}.pdf", self.rng.below(1_000_000)));
        (content, attachment)
    }

    /// Keeps the load's view of the table: a created note can be read, a deleted one not.
    pub(crate) fn record(&mut self, request: &Request, outcome: Outcome) {
        match (request, outcome) {
            (Request::Create(note), Outcome::Done) => {
                if let Some(user) = self.user_index(&note.user_id) {
                    self.notes[user].push(note.note_id.clone());
                }
            }
            (Request::Delete(key), _) | (Request::Get(key), Outcome::NotFound) => {
                if let Some(user) = self.user_index(&key.user_id) {
                    self.notes[user].retain(|id| *id != key.note_id);
                }
            }
            _ => {}
        }
    }

    fn user_index(&self, user_id: &str) -> Option<usize> {
        // "user-0042" is user 42.
        let index: usize = user_id.strip_prefix("user-")?.parse().ok()?;
        (index < self.users.len()).then_some(index)
    }
}

/// Sends `request` as the notes API's handler for its route does.
pub(crate) async fn send<B: Backend>(repo: &Repo<Note, B>, request: &Request) -> Result<Outcome> {
    match request {
        Request::Create(note) => {
            repo.create(note).await?;
            Ok(Outcome::Done)
        }
        Request::Get(key) => Ok(match repo.get(key).consistent().await? {
            Some(_) => Outcome::Done,
            None => Outcome::NotFound,
        }),
        Request::List(user) => {
            repo.query(user.clone())
                .consistent()
                .descending()
                .limit(DEFAULT_LIMIT)
                .page(None)
                .await?;
            Ok(Outcome::Done)
        }
        Request::Update {
            key,
            content,
            attachment,
        } => {
            let updated = repo
                .update(key)
                .apply(Note::CONTENT.set(content.clone()))
                .apply(Note::ATTACHMENT.set(attachment.clone()))
                .if_exists()
                .await;
            match updated {
                Ok(_) => Ok(Outcome::Done),
                Err(Error::NotFound { .. }) => Ok(Outcome::NotFound),
                Err(err) => Err(err),
            }
        }
        Request::Delete(key) => Ok(match repo.delete(key).await? {
            Some(_) => Outcome::Done,
            None => Outcome::NotFound,
        }),
    }
}

/// Capacity units consumed, reads and writes apart.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct Units {
    pub(crate) read: f64,
    pub(crate) write: f64,
}

/// A [`Layer`] that adds up the units each operation reports, reads and writes apart, until
/// [`take`](Meter::take)n.
#[derive(Debug, Clone)]
pub(crate) struct Meter<B> {
    inner: B,
    units: Arc<Mutex<Units>>,
}

impl<B> Meter<B> {
    pub(crate) fn new(inner: B) -> Self {
        Meter {
            inner,
            units: Arc::default(),
        }
    }

    /// The units counted since the last call.
    pub(crate) fn take(&self) -> Units {
        std::mem::take(&mut *self.units.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl<B: Backend> Layer for Meter<B> {
    type Inner = B;

    fn inner(&self) -> &B {
        &self.inner
    }

    async fn around<O, F>(&self, operation: Operation, _table: &str, call: F) -> Result<O>
    where
        O: ConsumedCapacity + Send,
        F: std::future::Future<Output = Result<O>> + Send,
    {
        let output = call.await?;
        if let Some(units) = output.capacity_units() {
            let mut total = self.units.lock().unwrap_or_else(PoisonError::into_inner);
            match operation {
                Operation::GetItem
                | Operation::Query
                | Operation::Scan
                | Operation::BatchGetItem
                | Operation::TransactGetItems => total.read += units,
                Operation::PutItem
                | Operation::UpdateItem
                | Operation::DeleteItem
                | Operation::BatchWriteItem
                | Operation::TransactWriteItems => total.write += units,
                _ => {}
            }
        }
        Ok(output)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_gets_exactly_its_weight_of_the_rolls() {
        let mix = Mix::NOTES_APP;
        let mut counts = [0u32; 5];
        for roll in 0..mix.total() {
            counts[mix.route(roll) as usize] += 1;
        }
        assert_eq!(
            counts,
            [mix.get, mix.list, mix.create, mix.update, mix.delete]
        );
        assert_eq!(Mix::CREATE_ONLY.route(0), Route::Create);
    }

    #[test]
    fn reads_and_writes_follow_the_mix_once_users_have_notes() {
        let mut workload = Workload::new(5, Mix::NOTES_APP, 3);
        let mut counts = [0u32; 5];
        for ms in 0..20_000 {
            let request = workload.next(ms);
            let route = match &request {
                Request::Get(_) => Route::Get,
                Request::List(_) => Route::List,
                Request::Create(note) => {
                    assert!(note.content.len() <= 880 && note.content.len() >= 40);
                    Route::Create
                }
                Request::Update { .. } => Route::Update,
                Request::Delete(_) => Route::Delete,
            };
            counts[route as usize] += 1;
            workload.record(&request, Outcome::Done);
        }
        // Within 1.5 points of 45/30/12/8/5 % (creates stand in for the first requests on a
        // user without notes).
        let share = |n: u32| f64::from(n) * 100.0 / 20_000.0;
        for (count, weight) in counts.iter().zip([45.0, 30.0, 12.0, 8.0, 5.0]) {
            assert!((share(*count) - weight).abs() < 1.5, "{counts:?}");
        }
    }
}
