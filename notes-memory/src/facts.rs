//! What the engine knows of its tables beyond the `Backend` answers, read-only: the table
//! names, and per table its creation time, sizes, time to live attribute, throughput
//! decreases and readable stream. A server speaking DynamoDB's protocol
//! (`ListTables`, `DescribeTable`'s `CreationDateTime`, `TableSizeBytes`, `IndexSizeBytes`,
//! `NumberOfDecreasesToday`, `DescribeTimeToLive`, the Streams API's `DescribeStream`) answers
//! from them rather than inventing values.

use std::collections::BTreeMap;
use std::time::SystemTime;

use notes_core::Result;

pub use crate::streams::StreamFacts;
use notes_core::validate::item_size;

use crate::clock::utc_day;
use crate::index::{Index, Tail};
use crate::memory_backend::MemoryBackend;
use crate::table::Table;

/// One table's facts (see the module docs): what
/// [`MemoryBackend::table_facts`] answers.
///
/// ```
/// use notes_repo::request::CreateTable;
/// use notes_repo::{Backend, Item, MemoryBackend, Note};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let backend = MemoryBackend::new();
/// backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// let facts = backend.table_facts("notes")?;
/// assert_eq!((facts.size_bytes, facts.time_to_live), (0, None));
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TableFacts {
    /// When `CreateTable` (or a restore) made the table, on the backend's clock
    /// (`CreationDateTime`). A durable store written before this was recorded dates a table
    /// from the journal record that defined it.
    pub created_at: SystemTime,
    /// The size of its items by DynamoDB's item size rules (`TableSizeBytes`).
    pub size_bytes: u64,
    /// The attribute time to live expires items by, when enabled (`DescribeTimeToLive`).
    pub time_to_live: Option<String>,
    /// How many times the table's provisioned throughput was decreased this UTC day
    /// (`NumberOfDecreasesToday`).
    pub decreases_today: u32,
    /// The last switch from provisioned to on demand (`LastUpdateToPayPerRequestDateTime`).
    pub switched_to_on_demand_at: Option<SystemTime>,
    /// Each secondary index's facts, by index name.
    pub indexes: BTreeMap<String, IndexFacts>,
    /// The stream [`stream_records`](MemoryBackend::stream_records) reads (the enabled one,
    /// else the one disabled less than 24 hours ago).
    pub stream: Option<StreamFacts>,
}

/// One secondary index's facts (see [`TableFacts`]).
///
/// ```
/// # use notes_memory::IndexFacts;
/// fn entries(index: &IndexFacts) -> u64 {
///     index.item_count
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct IndexFacts {
    /// How many items the index holds (`ItemCount`: items with every index key attribute).
    pub item_count: u64,
    /// The size of what it holds of them, its projection, by DynamoDB's item size rules
    /// (`IndexSizeBytes`).
    pub size_bytes: u64,
    /// How many times a global index's throughput was decreased this UTC day
    /// (`NumberOfDecreasesToday`).
    pub decreases_today: u32,
}

impl MemoryBackend {
    /// The names of every table, in name order (UTF-8 bytes, as `ListTables` orders them).
    ///
    /// ```
    /// use notes_repo::request::CreateTable;
    /// use notes_repo::{Backend, Item, MemoryBackend, Note};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> notes_repo::Result<()> {
    /// let backend = MemoryBackend::new();
    /// for name in ["notes", "archive"] {
    ///     backend.create_table(CreateTable::new(name, Note::KEY_SCHEMA)).await?;
    /// }
    /// assert_eq!(backend.table_names(), ["archive", "notes"]);
    /// # Ok(()) }
    /// ```
    pub fn table_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.state.catalog.read().keys().cloned().collect();
        names.sort_unstable();
        names
    }

    /// What the engine knows of `table` beyond `DescribeTable` ([`TableFacts`]). Sizes are
    /// counted on every call: O(items), as a `Scan` of the table and its indexes.
    ///
    /// # Errors
    ///
    /// [`Error::TableNotFound`](notes_core::Error::TableNotFound) for a missing table.
    ///
    /// See [`TableFacts`] for an example.
    pub fn table_facts(&self, table: &str) -> Result<TableFacts> {
        let now = self.clock.now();
        self.read_tables([table], |tables| {
            let live = tables.table(table)?;
            let today = |times: &[SystemTime]| {
                let count = times
                    .iter()
                    .filter(|t| utc_day(**t) == utc_day(now))
                    .count();
                u32::try_from(count).unwrap_or(u32::MAX)
            };
            let indexes = live
                .indexes
                .iter()
                .map(|index| {
                    let name = index.schema.name.to_string();
                    let decreases = live.changes.index_decreases.get(&name);
                    let (item_count, size_bytes) = index_size(live, index);
                    let facts = IndexFacts {
                        item_count,
                        size_bytes,
                        decreases_today: decreases.map_or(0, |d| today(d)),
                    };
                    (name, facts)
                })
                .collect();
            Ok(TableFacts {
                created_at: live.created_at,
                size_bytes: u64::try_from(live.size_bytes()).unwrap_or(u64::MAX),
                time_to_live: live.time_to_live.clone(),
                decreases_today: today(&live.changes.decreases),
                switched_to_on_demand_at: live.changes.to_on_demand.last().copied(),
                indexes,
                stream: crate::streams::stream_facts(live, table),
            })
        })
    }

    /// The time on the backend's clock ([`MemoryBackendBuilder::clock`]): what its stream
    /// records, backups and limits are dated by.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use notes_repo::{ManualClock, MemoryBackend};
    ///
    /// let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(60));
    /// let backend = MemoryBackend::builder().clock(clock.clone()).build();
    /// clock.advance(Duration::from_secs(1));
    /// assert_eq!(backend.now(), SystemTime::UNIX_EPOCH + Duration::from_secs(61));
    /// ```
    ///
    /// [`MemoryBackendBuilder::clock`]: crate::MemoryBackendBuilder::clock
    pub fn now(&self) -> SystemTime {
        self.clock.now()
    }
}

/// How many items `index` holds and the size of their projections.
fn index_size(table: &Table, index: &Index) -> (u64, u64) {
    let (mut count, mut size) = (0u64, 0u64);
    for entries in index.partitions().values() {
        for pos in entries.keys() {
            let Tail::Item(key) = &pos.tail else {
                continue;
            };
            let Some(stored) = table.stored(key) else {
                continue;
            };
            count += 1;
            let bytes = if index.projects_all() {
                stored.size
            } else {
                item_size(&index.image(&stored.item, &table.schema))
            };
            size += u64::try_from(bytes).unwrap_or(u64::MAX);
        }
    }
    (count, size)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use notes_core::Backend;
    use notes_core::request::{CreateTable, PutItem, UpdateTable, UpdateTimeToLive};
    use notes_core::stream::{StreamSpecification, StreamViewType};
    use notes_model::{
        AttributeValue, IndexKind, IndexProjection, IndexSchema, ItemMap, KeyAttribute, KeySchema,
        ScalarType,
    };

    use super::*;
    use crate::clock::ManualClock;

    fn schema(partition: &'static str) -> KeySchema {
        KeySchema {
            partition_key: KeyAttribute::new(partition, ScalarType::S),
            sort_key: None,
        }
    }

    fn item(pairs: &[(&str, &str)]) -> ItemMap {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), AttributeValue::S((*v).to_owned())))
            .collect()
    }

    #[tokio::test]
    async fn facts_count_items_and_projections_and_date_the_table_and_its_stream() {
        let start = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let clock = ManualClock::new(start);
        let backend = MemoryBackend::builder().clock(clock.clone()).build();
        let by_status = IndexSchema {
            name: "byStatus".into(),
            kind: IndexKind::Global,
            key_schema: schema("status"),
            projection: IndexProjection::KeysOnly,
            additional_keys: Default::default(),
        };
        let create = CreateTable::new("notes", schema("id")).indexes(vec![by_status]);
        backend.create_table(create).await.unwrap();
        for row in [
            item(&[("id", "a"), ("status", "open"), ("body", "hello")]),
            item(&[("id", "b"), ("body", "not indexed")]),
        ] {
            backend.put_item(PutItem::new("notes", row)).await.unwrap();
        }
        clock.advance(Duration::from_secs(5));
        let enable = UpdateTable::new("notes")
            .stream_specification(StreamSpecification::Enabled(StreamViewType::NewImage));
        backend.update_table(enable).await.unwrap();
        backend
            .update_time_to_live(UpdateTimeToLive::new("notes", "expiresAt", true))
            .await
            .unwrap();

        let facts = backend.table_facts("notes").unwrap();
        assert_eq!(facts.created_at, start);
        assert_eq!(facts.time_to_live.as_deref(), Some("expiresAt"));
        // "id"(2) + "a"(1) + "status"(6) + "open"(4) + "body"(4) + "hello"(5), and
        // "id"(2) + "b"(1) + "body"(4) + "not indexed"(11).
        assert_eq!(facts.size_bytes, 22 + 18);
        // KEYS_ONLY: the table key and the index key of the one item that has it.
        let index = &facts.indexes["byStatus"];
        assert_eq!((index.item_count, index.size_bytes), (1, 13));
        let stream = facts.stream.expect("the enabled stream");
        assert_eq!(stream.created_at, Some(start + Duration::from_secs(5)));
        assert!(stream.enabled);
        assert_eq!(stream.view_type, StreamViewType::NewImage);
        // The shard starts after the two writes made before it.
        assert_eq!(stream.first_sequence_number, "000000000000000000003");
        assert_eq!(backend.table_names(), ["notes"]);
        assert_eq!(backend.now(), start + Duration::from_secs(5));
    }

    #[tokio::test]
    async fn a_disabled_stream_is_a_closed_shard() {
        let backend = MemoryBackend::new();
        let create =
            CreateTable::new("notes", schema("id")).stream_view_type(StreamViewType::KeysOnly);
        backend.create_table(create).await.unwrap();
        backend
            .put_item(PutItem::new("notes", item(&[("id", "a")])))
            .await
            .unwrap();
        let disable = UpdateTable::new("notes").stream_specification(StreamSpecification::Disabled);
        backend.update_table(disable).await.unwrap();
        let stream = backend.table_facts("notes").unwrap().stream.unwrap();
        assert!(!stream.enabled);
        assert_eq!(stream.first_sequence_number, "000000000000000000001");
        assert_eq!(
            stream.last_sequence_number.as_deref(),
            Some("000000000000000000001")
        );
    }

    /// The creation times survive a restart: replayed from the journal, then from the
    /// snapshot written at the first reopen.
    #[tokio::test]
    async fn a_durable_store_keeps_when_tables_and_streams_were_created() {
        let dir = std::env::temp_dir().join(format!("notes-facts-times-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let start = SystemTime::UNIX_EPOCH + Duration::from_millis(1_800_000_000_250);
        let clock = ManualClock::new(start);
        let open = || {
            MemoryBackend::builder()
                .clock(clock.clone())
                .open(&dir)
                .unwrap()
        };
        let backend = open();
        let create =
            CreateTable::new("notes", schema("id")).stream_view_type(StreamViewType::KeysOnly);
        backend.create_table(create).await.unwrap();
        drop(backend);
        for _ in 0..2 {
            clock.advance(Duration::from_secs(3600));
            let backend = open();
            let facts = backend.table_facts("notes").unwrap();
            assert_eq!(facts.created_at, start);
            assert_eq!(facts.stream.unwrap().created_at, Some(start));
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_table_has_no_facts() {
        let err = MemoryBackend::new().table_facts("missing").unwrap_err();
        assert!(
            matches!(&err, notes_core::Error::TableNotFound { table, .. } if table == "missing"),
            "{err:?}"
        );
    }
}
