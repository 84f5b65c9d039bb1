//! Time to live: `UpdateTimeToLive`, and the sweep DynamoDB runs in the background.
//!
//! DynamoDB deletes expired items some time after they expire (typically within a few days)
//! and serves them until then, so reads never hide them. The sweep runs only when app code
//! calls [`MemoryBackend::expire_items`], which makes tests deterministic.

use std::time::UNIX_EPOCH;

use notes_model::AttributeValue;

use crate::memory_backend::MemoryBackend;
use crate::state::Tables;
use notes_core::number::Number;
use notes_core::{Error, Result};

/// Items that expired more than five years ago are never deleted by TTL (DynamoDB's rule, to
/// protect data whose attribute holds some other kind of time). Five years of 365.25 days.
const MAX_AGE_SECONDS: i64 = 5 * 36_525 * 864;

impl Tables {
    pub(crate) fn update_time_to_live(
        &mut self,
        name: &str,
        attribute: String,
        enabled: bool,
    ) -> Result<()> {
        if attribute.is_empty() {
            return Err(Error::validation(
                "1 validation error detected: Value '' at \
                 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member \
                 must have length greater than or equal to 1",
            ));
        }
        let table = self.table_mut(name)?;
        match (&table.time_to_live, enabled) {
            // DynamoDB refuses enabling, and disabling, on another attribute than the one
            // time to live is on, naming it.
            (Some(current), _) if *current != attribute => Err(Error::validation(format!(
                "TimeToLive is active on a different AttributeName: current AttributeName is \
                 {current}"
            ))),
            (_, true) => {
                table.time_to_live = Some(attribute);
                Ok(())
            }
            (_, false) => {
                table.time_to_live = None;
                Ok(())
            }
        }
    }

    /// Deletes every item whose TTL attribute is a number of epoch seconds before `now` and
    /// not more than five years before it; returns how many.
    fn expire_items(&mut self, now: i64) -> usize {
        let now_number = Number::parse(&now.to_string()).ok();
        let oldest = Number::parse(&now.saturating_sub(MAX_AGE_SECONDS).to_string()).ok();
        let (Some(now), Some(oldest)) = (now_number, oldest) else {
            return 0;
        };
        let mut deleted = 0;
        for table in self.tables.values_mut() {
            let Some(attribute) = table.time_to_live.clone() else {
                continue;
            };
            let expired: Vec<_> = table
                .items()
                .filter(|item| match item.get(&attribute) {
                    Some(AttributeValue::N(text)) => {
                        Number::parse(text).is_ok_and(|expiry| expiry < now && expiry >= oldest)
                    }
                    _ => false,
                })
                .filter_map(|item| table.key_of(item).ok())
                .collect();
            for key in &expired {
                if table.delete(key).is_some() {
                    deleted += 1;
                    table.mark_expired(key);
                }
            }
        }
        deleted
    }
}

impl MemoryBackend {
    /// Runs DynamoDB's TTL sweep now: deletes every item of a table with time to live enabled
    /// whose TTL attribute is a number (`N`) of epoch seconds in the past on the backend's
    /// clock (`MemoryBackend::builder().clock(..)`; the system clock by default), and returns how
    /// many items it deleted. Items whose expiry is more than five years in the past, and items
    /// whose attribute is missing or not a number, are kept, as DynamoDB keeps them. Indexes
    /// are updated as for any delete.
    ///
    /// DynamoDB sweeps in the background, typically within days of expiry, and reads return
    /// expired items until then; MemoryBackend never hides them either, and sweeps only here.
    ///
    /// ```
    /// use notes_model::{AttributeValue, ItemMap, KeyAttribute, KeySchema, ScalarType};
    /// use notes_repo::request::{CreateTable, GetItem, PutItem, UpdateTimeToLive};
    /// use notes_repo::{Backend, MemoryBackend};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let backend = MemoryBackend::new();
    /// backend
    ///     .create_table(CreateTable::new(
    ///         "sessions",
    ///         KeySchema {
    ///             partition_key: KeyAttribute::new("id", ScalarType::S),
    ///             sort_key: None,
    ///         },
    ///     ))
    ///     .await?;
    /// backend
    ///     .update_time_to_live(UpdateTimeToLive::new("sessions", "expiresAt", true))
    ///     .await?;
    ///
    /// let an_hour_ago = std::time::SystemTime::now()
    ///     .duration_since(std::time::UNIX_EPOCH)
    ///     .unwrap()
    ///     .as_secs()
    ///     - 3600;
    /// let key = ItemMap::from([("id".to_owned(), AttributeValue::S("s1".into()))]);
    /// let mut item = key.clone();
    /// item.insert("expiresAt".into(), AttributeValue::N(an_hour_ago.to_string()));
    /// backend
    ///     .put_item(PutItem::new("sessions", item))
    ///     .await?;
    ///
    /// let get = GetItem::new("sessions", key).consistent_read(true);
    /// // Expired, but not yet swept: still readable, as on DynamoDB.
    /// assert!(backend.get_item(get.clone()).await?.item.is_some());
    /// assert_eq!(backend.expire_items(), 1);
    /// assert!(backend.get_item(get).await?.item.is_none());
    /// # Ok(()) }
    /// ```
    pub fn expire_items(&self) -> usize {
        let now = self
            .clock
            .now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        self.expire_items_at(now)
    }

    /// [`expire_items`](Self::expire_items) as of `now` (epoch seconds).
    pub(crate) fn expire_items_at(&self, now: i64) -> usize {
        self.write(|tables| Ok(tables.expire_items(now)))
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    //! The sweep (`expire_items`), MemoryBackend's own: DynamoDB deletes expired items in the
    //! background, on no schedule a test could check. The setting itself is tested on both
    //! backends in the workspace's raw suite (`tests/tests/raw/ttl.rs`).

    use notes_model::expr::KeyCondition;
    use notes_model::{ItemMap, KeyAttribute, KeySchema, ScalarType};

    use super::*;
    use crate::test_values::{n, s};
    use notes_core::Backend;
    use notes_core::request::{
        BillingMode, CreateTable, PageOutput, PutItem, Query, UpdateTimeToLive,
    };

    fn note(user: &str, id: &str) -> ItemMap {
        ItemMap::from([
            ("userId".to_owned(), s(user)),
            ("noteId".to_owned(), s(id)),
            ("content".to_owned(), s("hello")),
        ])
    }

    async fn notes() -> MemoryBackend {
        let backend = MemoryBackend::new();
        let schema = KeySchema {
            partition_key: KeyAttribute::new("userId", ScalarType::S),
            sort_key: Some(KeyAttribute::new("noteId", ScalarType::S)),
        };
        let provisioned = BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5,
        };
        backend
            .create_table(CreateTable::new("notes", schema).billing_mode(provisioned))
            .await
            .unwrap();
        backend
    }

    fn put(table: &str, item: ItemMap) -> PutItem {
        PutItem::new(table, item)
    }

    fn query(user: &str) -> Query {
        Query::new("notes", KeyCondition::partition("userId", s(user)))
    }

    fn ids(page: &PageOutput) -> Vec<AttributeValue> {
        page.items.iter().map(|i| i["noteId"].clone()).collect()
    }

    const NOW: i64 = 1_800_000_000;
    const FIVE_YEARS: i64 = 157_788_000;

    fn expiring(id: &str, expires: AttributeValue) -> ItemMap {
        let mut it = note("u", id);
        it.insert("expiresAt".into(), expires);
        it
    }

    async fn sweepable() -> MemoryBackend {
        let backend = notes().await;
        backend
            .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true))
            .await
            .unwrap();
        let rows = [
            ("past", n(&(NOW - 60).to_string())),
            ("fractional", n(&format!("{}.5", NOW - 1))),
            ("now", n(&NOW.to_string())),
            ("future", n(&(NOW + 60).to_string())),
            ("ancient", n(&(NOW - FIVE_YEARS - 1).to_string())),
            ("five-years", n(&(NOW - FIVE_YEARS).to_string())),
            ("string", s(&(NOW - 60).to_string())),
            ("set", AttributeValue::Ns(vec![(NOW - 60).to_string()])),
        ];
        for (id, expires) in rows {
            backend
                .put_item(put("notes", expiring(id, expires)))
                .await
                .unwrap();
        }
        backend
            .put_item(put("notes", note("u", "none")))
            .await
            .unwrap();
        backend
    }

    #[tokio::test]
    async fn reads_return_expired_items_until_the_sweep() {
        let backend = sweepable().await;
        let page = backend.query(query("u")).await.unwrap();
        assert_eq!(page.items.len(), 9, "nothing is hidden before the sweep");
        assert_eq!(backend.expire_items_at(NOW), 3);
        let mut left = ids(&backend.query(query("u")).await.unwrap());
        left.sort_by_key(|v| format!("{v:?}"));
        let mut expected = ["now", "future", "ancient", "string", "set", "none"].map(s);
        expected.sort_by_key(|v| format!("{v:?}"));
        assert_eq!(left, expected);
        assert_eq!(
            backend.expire_items_at(NOW),
            0,
            "a second sweep finds nothing"
        );
    }

    #[tokio::test]
    async fn only_tables_with_time_to_live_enabled_are_swept() {
        let backend = sweepable().await;
        backend
            .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", false))
            .await
            .unwrap();
        assert_eq!(backend.expire_items_at(NOW), 0);
        assert_eq!(backend.expire_items(), 0, "no table has TTL on");
    }

    #[tokio::test]
    async fn the_sweep_maintains_indexes() {
        use std::borrow::Cow;

        use notes_model::{IndexKind, IndexProjection, IndexSchema};

        let backend = MemoryBackend::new();
        backend
            .create_table(
                CreateTable::new(
                    "notes",
                    KeySchema {
                        partition_key: KeyAttribute::new("userId", ScalarType::S),
                        sort_key: Some(KeyAttribute::new("noteId", ScalarType::S)),
                    },
                )
                .indexes(vec![IndexSchema {
                    name: Cow::Borrowed("byExpiry"),
                    kind: IndexKind::Global,
                    key_schema: KeySchema {
                        partition_key: KeyAttribute::new("content", ScalarType::S),
                        sort_key: Some(KeyAttribute::new("expiresAt", ScalarType::N)),
                    },
                    projection: IndexProjection::KeysOnly,
                    additional_keys: Default::default(),
                }]),
            )
            .await
            .unwrap();
        backend
            .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true))
            .await
            .unwrap();
        for (id, at) in [("old", NOW - 1), ("new", NOW + 1)] {
            backend
                .put_item(put("notes", expiring(id, n(&at.to_string()))))
                .await
                .unwrap();
        }
        assert_eq!(backend.expire_items_at(NOW), 1);
        let page = backend
            .query(
                Query::new("notes", KeyCondition::partition("content", s("hello")))
                    .index_name("byExpiry"),
            )
            .await
            .unwrap();
        assert_eq!(ids(&page), [s("new")]);
    }
}
