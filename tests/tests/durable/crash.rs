//! `kill -9` in the middle of a write loop, many times, at random points.

use std::io::Read;
use std::time::{Duration, Instant};

use notes_repo::{MemoryBackend, Note, Repo};
use notes_tests::durable_support::TempDir;

use super::{PAIRS, SEQUENTIAL, spawn_child, step_note};

/// Kill points: each a child killed after a delay drawn from a fixed-seed sequence (the
/// kill lands wherever the child is then: starting, recovering, compacting, writing).
const KILLS: usize = 60;
/// The longest delay before a kill.
const MAX_DELAY_MS: u64 = 60;

/// xorshift64*: a fixed seed, so the delays are the same on every run.
struct Delays(u64);

impl Delays {
    fn next(&mut self) -> Duration {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let r = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
        Duration::from_millis(r % MAX_DELAY_MS)
    }
}

#[test]
fn every_acknowledged_write_survives_sigkill_at_random_points() {
    let dir = TempDir::new("durable-crash");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut delays = Delays(0x9e37_79b9_7f4a_7c15);
    // Steps known to be in the store: acknowledged, or found there after a kill.
    let mut present = 0u64;
    let mut acknowledged_total = 0u64;
    let started = Instant::now();
    for kill in 0..KILLS {
        let mut child = spawn_child("writer", dir.path());
        std::thread::sleep(delays.next());
        child.kill().expect("SIGKILL the child");
        child.wait().unwrap();
        let mut out = String::new();
        child
            .stdout
            .take()
            .unwrap()
            .read_to_string(&mut out)
            .unwrap();
        let acknowledged: Vec<u64> = out
            .lines()
            .filter_map(|line| line.strip_prefix("ACK "))
            .map(|k| k.parse().unwrap())
            .collect();
        // The child writes on from what it found, one step at a time.
        for (i, &k) in acknowledged.iter().enumerate() {
            assert_eq!(k, present + i as u64, "kill {kill}: steps in order");
        }
        acknowledged_total += acknowledged.len() as u64;
        let acked_until = present + acknowledged.len() as u64;

        // The store opens, and holds every acknowledged step and at most the one in flight.
        let (sequential, pairs) = runtime.block_on(async {
            let backend = MemoryBackend::open(dir.path())
                .unwrap_or_else(|e| panic!("kill {kill}: reopening failed: {e}"));
            let repo: Repo<Note, _> = Repo::new(backend);
            let sequential = repo.query(SEQUENTIAL).consistent().all().await;
            let pairs = repo.query(PAIRS).consistent().all().await;
            (sequential.unwrap_or_default(), pairs.unwrap_or_default())
        });
        let found = sequential.len() as u64;
        assert!(
            found == acked_until || found == acked_until + 1,
            "kill {kill}: {found} steps in the store, {acked_until} acknowledged"
        );
        let expected: Vec<Note> = (0..found).map(|k| step_note(SEQUENTIAL, k)).collect();
        assert_eq!(sequential, expected, "kill {kill}: every step, intact");
        // A transaction is all in or all out.
        let expected_pairs: Vec<Note> = (0..found)
            .filter(|k| k % 2 == 1)
            .map(|k| step_note(PAIRS, k))
            .collect();
        assert_eq!(pairs, expected_pairs, "kill {kill}: transactions whole");
        present = found;
    }
    eprintln!(
        "{KILLS} kills in {:?}: {acknowledged_total} acknowledged writes, all recovered; \
         {present} steps in the store",
        started.elapsed()
    );
    assert!(
        acknowledged_total > 0,
        "the children were killed before writing anything"
    );
}
