//! What durability costs, and the journal against SQLite as the alternative mechanism:
//!
//! - put (one writer, each put awaited) and query (one user's 100 notes), durable
//!   MemoryBackend against the in-memory mode, as paired, interleaved rounds (median ratio
//!   with a 95 % bootstrap interval, `support/paired.rs`);
//! - puts from 64 concurrent writers: the journal (group commit) against SQLite (WAL,
//!   `synchronous=FULL`, one transaction per put, the effect stored as a row), alternated;
//! - recovery of a store of 10^5 notes: `MemoryBackend::open` from the journal (10^5 put
//!   records), from a snapshot (after compaction), and from SQLite (every row read and put
//!   into a fresh MemoryBackend).
//!
//! `cargo bench -p notes-benches --bench durable`

mod support;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notes_repo::request::{BillingMode, CreateTable, DescribeTable, PutItem};
use notes_repo::{Backend, Item, MemoryBackend, Note, Repo};
use support::paired;

const RECOVERY_NOTES: usize = 100_000;
const WRITERS: usize = 64;
const PUTS_PER_WRITER: usize = 8;

fn note(u: usize, i: usize) -> Note {
    Note {
        user_id: format!("us-east-1:{u:08x}-0000-4000-8000-000000000000"),
        note_id: format!("0190b3c0-{i:06x}-7cc3-9b7e-3a3c1b2d4e5f"),
        content: format!("note {i} of user {u}: buy milk, eggs and bread on the way home"),
        attachment: None,
        created_at: 1_718_000_000_000 + i as i64,
    }
}

/// A directory of its own, removed when dropped.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("notes-bench-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn notes(backend: MemoryBackend) -> Repo<Note, MemoryBackend> {
    let repo = Repo::new(backend);
    repo.ensure_table(BillingMode::PayPerRequest).await.unwrap();
    repo
}

/// SQLite as the store of effects: one row per item, replaced on each put.
struct Sqlite {
    conn: rusqlite::Connection,
}

impl Sqlite {
    fn open(path: &std::path::Path) -> Self {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
             CREATE TABLE IF NOT EXISTS items (tbl TEXT, pk TEXT, sk TEXT, item BLOB,
                                               PRIMARY KEY (tbl, pk, sk)) WITHOUT ROWID;",
        )
        .unwrap();
        Sqlite { conn }
    }

    fn put(&self, note: &Note) {
        let item = serde_json::to_vec(note).unwrap();
        self.conn
            .execute(
                "INSERT OR REPLACE INTO items VALUES ('notes', ?1, ?2, ?3)",
                (&note.user_id, &note.note_id, &item),
            )
            .unwrap();
    }
}

fn main() {
    if !support::benchmarking() {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();

    // ---- put and query against the in-memory mode ----
    let dir = Dir::new("paired");
    let (memory, durable) = runtime.block_on(async {
        let memory = notes(MemoryBackend::new()).await;
        let durable = notes(MemoryBackend::open(&dir.0).unwrap()).await;
        for i in 0..100 {
            memory.put(&note(0, i)).await.unwrap();
            durable.put(&note(0, i)).await.unwrap();
        }
        (memory, durable)
    });
    let mut n = 1_000;
    let mut m = 1_000;
    let put = paired::compare(
        9,
        20,
        || {
            n += 1;
            runtime.block_on(memory.put(&note(1, n)).send()).unwrap()
        },
        || {
            m += 1;
            runtime.block_on(durable.put(&note(1, m)).send()).unwrap()
        },
    );
    println!("put, 1 writer: durable / in-memory = {put}");
    let user = note(0, 0).user_id;
    let query = paired::compare(
        41,
        200,
        || {
            runtime
                .block_on(memory.query(&user).consistent().all())
                .unwrap()
        },
        || {
            runtime
                .block_on(durable.query(&user).consistent().all())
                .unwrap()
        },
    );
    println!("query 100 notes: durable / in-memory = {query}");
    drop((memory, durable, dir));

    // ---- concurrent puts: the journal against SQLite ----
    let mut journal_rates = Vec::new();
    let mut sqlite_rates = Vec::new();
    let mut syncs_per_put = Vec::new();
    for round in 0..3 {
        let journal_dir = Dir::new(&format!("journal-{round}"));
        let repo = runtime.block_on(notes(MemoryBackend::open(&journal_dir.0).unwrap()));
        let started = Instant::now();
        let before = repo.backend().storage_stats().unwrap();
        runtime.block_on(async {
            let tasks: Vec<_> = (0..WRITERS)
                .map(|w| {
                    let repo = repo.clone();
                    tokio::spawn(async move {
                        for i in 0..PUTS_PER_WRITER {
                            repo.put(&note(w, i)).await.unwrap();
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
        });
        let elapsed = started.elapsed();
        let after = repo.backend().storage_stats().unwrap();
        let puts = (WRITERS * PUTS_PER_WRITER) as f64;
        journal_rates.push(puts / elapsed.as_secs_f64());
        syncs_per_put.push((after.syncs - before.syncs) as f64 / puts);

        let sqlite_dir = Dir::new(&format!("sqlite-{round}"));
        std::fs::create_dir_all(&sqlite_dir.0).unwrap();
        let sqlite = Arc::new(Mutex::new(Sqlite::open(&sqlite_dir.0.join("notes.db"))));
        let started = Instant::now();
        runtime.block_on(async {
            let tasks: Vec<_> = (0..WRITERS)
                .map(|w| {
                    let sqlite = Arc::clone(&sqlite);
                    tokio::task::spawn_blocking(move || {
                        for i in 0..PUTS_PER_WRITER {
                            sqlite.lock().unwrap().put(&note(w, i));
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
        });
        sqlite_rates.push(puts / started.elapsed().as_secs_f64());
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (journal_rate, sqlite_rate) = (median(&mut journal_rates), median(&mut sqlite_rates));
    println!(
        "{WRITERS} concurrent writers: journal {journal_rate:.0} puts/s ({:.3} fsyncs per put), \
         SQLite {sqlite_rate:.0} puts/s: journal / SQLite = {:.2}x (median of 3)",
        median(&mut syncs_per_put),
        journal_rate / sqlite_rate
    );

    // ---- recovery of 10^5 notes ----
    let dir = Dir::new("recovery");
    let sqlite_dir = Dir::new("recovery-sqlite");
    std::fs::create_dir_all(&sqlite_dir.0).unwrap();
    let sqlite_path = sqlite_dir.0.join("notes.db");
    let all: Vec<Note> = (0..RECOVERY_NOTES).map(|i| note(i % 1000, i)).collect();
    runtime.block_on(async {
        // No compaction while loading: the journal holds 10^5 put records.
        let backend = MemoryBackend::builder()
            .journal_limit(u64::MAX)
            .open(&dir.0)
            .unwrap();
        let repo = notes(backend).await;
        let tasks: Vec<_> = all
            .chunks(RECOVERY_NOTES / 50)
            .map(|chunk| {
                let (repo, chunk) = (repo.clone(), chunk.to_vec());
                tokio::spawn(async move {
                    for note in &chunk {
                        repo.put(note).await.unwrap();
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
    let sqlite = Sqlite::open(&sqlite_path);
    sqlite.conn.execute_batch("BEGIN").unwrap();
    for note in &all {
        sqlite.put(note);
    }
    sqlite.conn.execute_batch("COMMIT").unwrap();
    drop(sqlite);

    let time_open = |limit: u64| {
        let started = Instant::now();
        let backend = MemoryBackend::builder()
            .journal_limit(limit)
            .open(&dir.0)
            .unwrap();
        let elapsed = started.elapsed();
        let count = runtime
            .block_on(backend.describe_table(DescribeTable::new("notes")))
            .unwrap()
            .item_count;
        assert_eq!(count, Some(RECOVERY_NOTES as i64));
        elapsed
    };
    let from_journal = time_open(u64::MAX);
    // Compacts at open (the journal is far past a 1-byte limit)...
    let compacting = time_open(1);
    // ...so this open reads a snapshot.
    let from_snapshot = time_open(u64::MAX);
    let from_sqlite = {
        let started = Instant::now();
        let backend = MemoryBackend::new();
        runtime
            .block_on(backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)))
            .unwrap();
        let sqlite = Sqlite::open(&sqlite_path);
        let mut statement = sqlite.conn.prepare("SELECT item FROM items").unwrap();
        let rows = statement
            .query_map([], |row| row.get::<_, Vec<u8>>(0))
            .unwrap();
        for row in rows {
            let note: Note = serde_json::from_slice(&row.unwrap()).unwrap();
            let put = PutItem::new("notes", note.to_item().unwrap());
            runtime.block_on(backend.put_item(put)).unwrap();
        }
        started.elapsed()
    };
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "recovery of {RECOVERY_NOTES} notes: journal {:.0} ms, compacting open {:.0} ms, \
         snapshot {:.0} ms, SQLite {:.0} ms: journal / SQLite = {:.2}x, snapshot / SQLite = {:.2}x",
        ms(from_journal),
        ms(compacting),
        ms(from_snapshot),
        ms(from_sqlite),
        ms(from_journal) / ms(from_sqlite),
        ms(from_snapshot) / ms(from_sqlite),
    );
}
