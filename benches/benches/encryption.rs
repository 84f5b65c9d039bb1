//! What client-side encryption costs: the typed `Repo` on `Encrypted<MemoryBackend>` against
//! the same `Repo` on a plain `MemoryBackend`, as paired, interleaved rounds (median ratio
//! with a 95 % bootstrap interval, `support/paired.rs`). Both sides write and read the same
//! notes through the same derived type; the encrypted side also encrypts and signs each item
//! (a fresh data key wrapped by a raw AES-256 keyring) or verifies and decrypts it.
//!
//! - put: encrypt + put, against put;
//! - get: get + verify + decrypt, against get;
//! - query: a user's 20 notes, each verified and decrypted, against the plain query;
//!
//! each with the Database Encryption SDK's default algorithm suite (an ECDSA P-384 signature
//! beside the symmetric one) and with the symmetric-only suite; then the default suite through
//! `DynamoDbBackend` on notes-local (in-process, HTTP on loopback), where a request crosses a
//! network as it does to DynamoDB.
//!
//! With `NOTES_BENCH_ENCRYPTION_PROFILE=put|get` and `NOTES_BENCH_ENCRYPTION_CALLS=N`, it makes
//! N encrypted calls of that kind on MemoryBackend and nothing else, for a profiler
//! (`perf record`; under callgrind the Database Encryption SDK's cryptography runs aws-lc's
//! code paths for CPUs without its extensions, so instruction counts overstate it).
//!
//! `cargo bench -p notes-benches --bench encryption`

mod support;

use notes_encryption::aws_db_esdk::material_providers::types::DbeAlgorithmSuiteId;
use notes_encryption::{AesKey, Encrypted, Encryption, Keyring};
use notes_repo::{Backend, Item, MemoryBackend, Repo};
use serde::{Deserialize, Serialize};
use support::paired;

/// The notes app's note, its content and attachment encrypted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
#[item(table = "notes")]
#[serde(rename_all = "camelCase")]
struct SecretNote {
    #[partition_key]
    user_id: String,
    #[sort_key]
    note_id: String,
    #[encrypt]
    content: String,
    #[encrypt]
    attachment: Option<String>,
    created_at: i64,
}

fn note(u: usize, i: usize) -> SecretNote {
    SecretNote {
        user_id: support::user(u),
        note_id: format!("0190b3c0-{i:06x}-7cc3-9b7e-3a3c1b2d4e5f"),
        content: format!("note {i} of user {u}: buy milk, eggs and bread on the way home"),
        attachment: Some(format!("s3://notes-attachments/{u}/{i}.jpg")),
        created_at: 1_718_000_000_000 + i as i64,
    }
}

/// `backend` encrypting the table `table` with `suite` (the default one when `None`).
fn encrypted<B: Backend>(
    backend: B,
    table: &str,
    suite: Option<DbeAlgorithmSuiteId>,
) -> Encrypted<B> {
    let keyring = Keyring::raw_aes("bench", "key-1", AesKey::new([7; 32])).unwrap();
    let mut builder = Encryption::builder(keyring).item_in::<SecretNote>(table);
    if let Some(suite) = suite {
        builder = builder.algorithm_suite(suite);
    }
    Encrypted::new(backend, builder.build().unwrap())
}

/// The table `table`, created, holding user 0's 20 notes.
async fn notes<B: Backend>(backend: B, table: &str) -> Repo<SecretNote, B> {
    let repo = Repo::with_table(backend, table);
    repo.create_table_on_demand().await.unwrap();
    for i in 0..20 {
        repo.put(&note(0, i)).await.unwrap();
    }
    repo
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    if let Ok(kind) = std::env::var("NOTES_BENCH_ENCRYPTION_PROFILE") {
        let calls: usize = std::env::var("NOTES_BENCH_ENCRYPTION_CALLS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(200);
        runtime.block_on(async {
            let repo = notes(encrypted(MemoryBackend::new(), "notes", None), "notes").await;
            let key = note(0, 0).key();
            for i in 0..calls {
                match kind.as_str() {
                    "put" => repo.put(&note(1, i)).await.map(drop).unwrap(),
                    "get" => repo.get(&key).await.map(drop).unwrap(),
                    other => panic!("NOTES_BENCH_ENCRYPTION_PROFILE is put or get, not {other}"),
                }
            }
        });
        return;
    }
    if !support::benchmarking() {
        return;
    }

    let suites = [
        ("default suite (ECDSA P-384 + HMAC)", None),
        (
            "symmetric suite (HMAC only)",
            Some(DbeAlgorithmSuiteId::AlgAes256GcmHkdfSha512CommitKeySymsigHmacSha384),
        ),
    ];
    for (name, suite) in suites {
        let (plain, secret) = runtime.block_on(async {
            let plain = notes(MemoryBackend::new(), "notes").await;
            let secret = notes(encrypted(MemoryBackend::new(), "notes", suite), "notes").await;
            (plain, secret)
        });
        report(&format!("MemoryBackend, {name}"), &runtime, &plain, &secret);
    }
    // The same through DynamoDbBackend on notes-local (HTTP on loopback, in-process): what
    // encryption adds to a request that crosses a network, however short.
    let local = notes_tests::server_support::local_backend();
    let (plain, secret) = runtime.block_on(async {
        let plain = notes(local.clone(), "bench-plain").await;
        let secret = notes(encrypted(local, "bench-secret", None), "bench-secret").await;
        (plain, secret)
    });
    report(
        "DynamoDbBackend on notes-local (loopback HTTP), default suite",
        &runtime,
        &plain,
        &secret,
    );
}

/// Paired rounds of put, get and a query of 20, `secret` against `plain`, printed.
fn report<A: Backend, B: Backend>(
    name: &str,
    runtime: &tokio::runtime::Runtime,
    plain: &Repo<SecretNote, A>,
    secret: &Repo<SecretNote, B>,
) {
    let (mut n, mut m) = (1_000, 1_000);
    let put = paired::compare(
        15,
        20,
        || {
            n += 1;
            runtime.block_on(plain.put(&note(1, n)).send()).unwrap()
        },
        || {
            m += 1;
            runtime.block_on(secret.put(&note(1, m)).send()).unwrap()
        },
    );
    let key = note(0, 7).key();
    let get = paired::compare(
        15,
        20,
        || runtime.block_on(plain.get(&key).send()).unwrap(),
        || runtime.block_on(secret.get(&key).send()).unwrap(),
    );
    let user = note(0, 0).user_id;
    let query = paired::compare(
        15,
        3,
        || runtime.block_on(plain.query(&user).all()).unwrap(),
        || runtime.block_on(secret.query(&user).all()).unwrap(),
    );
    println!("{name}:");
    for (row, result) in [
        ("encrypt + put", put),
        ("get + decrypt", get),
        ("query of 20 + decrypt", query),
    ] {
        println!(
            "  {row:<22} encrypted / plain = {result}; plain {} per call, encrypted {}",
            paired::human(result.a_seconds),
            paired::human(result.b_seconds)
        );
    }
}
