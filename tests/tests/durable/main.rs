//! MemoryBackend in a directory (`MemoryBackend::open`): crashes of a killed process at
//! random points, a full disk, two processes on one directory, group commit, and cases of
//! the typed suite on a durable backend (reopened after each).
//!
//! The crash and lock tests start this test binary again as a child process
//! ([`child_process_entry_point`]) with [`CHILD_DIR`] set, and kill it with `SIGKILL`.

mod corruption;
mod crash;
mod faults;
mod group_commit;
mod persist;
mod recovery_period;
mod reopen;
mod stream_reads;
mod streams;
mod suite;
mod throughput;

use std::io::{BufRead, Write};
use std::process::{Child, Command, Stdio};

use notes_repo::request::BillingMode;
use notes_repo::{MemoryBackend, Note, Repo, WriteTransaction};

/// The directory a child process opens (unset: not a child).
const CHILD_DIR: &str = "NOTES_DURABLE_CHILD_DIR";
/// What the child does there: `writer` (the crash test's write loop) or `holder` (opens the
/// directory and keeps it open until its stdin closes).
const CHILD_ROLE: &str = "NOTES_DURABLE_CHILD_ROLE";
/// The writer's journal limit: small, so that compactions happen (and get killed) too.
const CHILD_JOURNAL_LIMIT: u64 = 16 * 1024;

/// The user of the crash test's sequential notes, and of the transaction pairs.
const SEQUENTIAL: &str = "crash";
const PAIRS: &str = "pairs";

/// The note the writer's step `k` writes under `user`.
fn step_note(user: &str, k: u64) -> Note {
    Note {
        user_id: user.to_owned(),
        note_id: format!("{k:08}"),
        content: format!("note {k}"),
        attachment: None,
        created_at: i64::try_from(k).unwrap(),
    }
}

/// Starts this binary as a child process in `role` on `dir`, its stdout piped.
fn spawn_child(role: &str, dir: &std::path::Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "child_process_entry_point",
            "--exact",
            "--nocapture",
            "--test-threads=1",
            "--quiet",
        ])
        .env(CHILD_DIR, dir)
        .env(CHILD_ROLE, role)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the child process")
}

/// Not a test of its own: the body of the child processes the crash and lock tests start
/// (it returns at once when [`CHILD_DIR`] is unset).
#[test]
fn child_process_entry_point() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    match std::env::var(CHILD_ROLE).as_deref() {
        Ok("writer") => runtime.block_on(write_until_killed(&dir)),
        Ok("holder") => {
            let _backend = MemoryBackend::open(&dir).expect("open the directory");
            let mut out = std::io::stdout().lock();
            writeln!(out, "OPEN").unwrap();
            out.flush().unwrap();
            // Keep the directory open until the parent closes our stdin (or kills us).
            let mut line = String::new();
            while std::io::stdin().lock().read_line(&mut line).unwrap_or(0) > 0 {}
        }
        role => panic!("unknown child role {role:?}"),
    }
}

/// The crash test's child: opens the directory and writes step after step, printing
/// `ACK <k>` (flushed) once step `k`'s write has returned. Even steps put one note; odd
/// steps write two notes in one transaction (one under each user), so a crash shows whether
/// a transaction is all in or all out.
async fn write_until_killed(dir: &str) {
    let backend = MemoryBackend::builder()
        .journal_limit(CHILD_JOURNAL_LIMIT)
        .open(dir)
        .expect("open the directory");
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    repo.ensure_table(BillingMode::PayPerRequest).await.unwrap();
    let start = repo
        .query(SEQUENTIAL)
        .consistent()
        .all()
        .await
        .unwrap()
        .len() as u64;
    let mut out = std::io::stdout().lock();
    for k in start.. {
        let note = step_note(SEQUENTIAL, k);
        if k % 2 == 0 {
            repo.put(&note).await.unwrap();
        } else {
            let pair = step_note(PAIRS, k);
            WriteTransaction::new(&backend)
                .put(repo.put(&note))
                .put(repo.put(&pair))
                .await
                .unwrap();
        }
        writeln!(out, "ACK {k}").unwrap();
        out.flush().unwrap();
    }
}
