//! The `notes-local` binary: it prints its endpoint, serves, and stops cleanly on SIGTERM with
//! every write kept on disk.

#![cfg(unix)]

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use notes_core::Backend;
use notes_core::request::{CreateTable, GetItem, PutItem};
use notes_memory::MemoryBackend;
use notes_model::{Item, Note, PrimaryKey};
use serde_json::json;

use super::JSON_1_0;
use super::client::*;

/// The binary, running.
struct Running {
    child: Child,
    address: SocketAddr,
}

/// Starts the binary with `args` and reads its endpoint from stdout's first line.
fn start(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_notes-local"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let Some(address) = line.trim().strip_prefix("http://") else {
        let mut log = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut log)
            .unwrap();
        panic!("no endpoint on stdout ({line:?}); stderr: {log}");
    };
    Running {
        address: address.parse().unwrap(),
        child,
    }
}

impl Running {
    /// Sends SIGTERM and returns the exit status's code.
    fn terminate(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(started.elapsed() < PATIENCE, "still running after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Sends SIGKILL (no chance to write anything more) and waits for the process to end.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

/// DynamoDB's `operation` with `body`, signed, on the server at `address`.
async fn call(address: SocketAddr, operation: &str, body: serde_json::Value) -> Answer {
    let body = serde_json::to_vec(&body).unwrap();
    let target = format!("DynamoDB_20120810.{operation}");
    let headers = signed(
        address,
        &[("Content-Type", JSON_1_0), ("X-Amz-Target", &target)],
        &body,
        &KEY,
        SystemTime::now(),
    );
    post(address, &pairs(&headers), &body).await
}

/// A fresh directory for one test.
fn directory(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("notes-local-http-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn note() -> Note {
    Note {
        user_id: "u1".into(),
        note_id: "n1".into(),
        content: "kept".into(),
        attachment: None,
        created_at: 1,
    }
}

/// Puts [`note`] in a `notes` table of the store in `dir`, through the engine.
async fn put_note(dir: &Path) {
    let engine = MemoryBackend::open(dir).unwrap();
    engine
        .create_table(CreateTable::new("notes", Note::KEY_SCHEMA))
        .await
        .unwrap();
    engine
        .put_item(PutItem::new("notes", note().to_item().unwrap()))
        .await
        .unwrap();
}

/// The note the store in `dir` holds, read through the engine.
async fn stored_note(dir: &Path) -> Option<Note> {
    let engine = MemoryBackend::open(dir).unwrap();
    let key = note().key().to_key_map();
    let item = engine
        .get_item(GetItem::new("notes", key))
        .await
        .unwrap()
        .item?;
    Some(Note::from_shared(item).unwrap())
}

#[tokio::test]
async fn the_binary_prints_its_endpoint_serves_and_exits_0_on_sigterm() {
    let running = start(&["--in-memory", "--port", "0", "--region", "eu-west-1"]);
    let answer = send(running.address, "GET", "/", &[], b"").await;
    assert_eq!(answer.text(), "healthy: dynamodb.eu-west-1.amazonaws.com ");
    assert_eq!(running.terminate(), Some(0));
}

#[tokio::test]
async fn the_binary_refuses_a_bad_flag_naming_it() {
    let output = Command::new(env!("CARGO_BIN_EXE_notes-local"))
        .args(["--port", "eighty"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "notes-local: --port: \"eighty\" is not a port number (0 to 65535)\n\
         Run `notes-local --help` for the options.\n"
    );
}

#[tokio::test]
async fn the_binary_serves_a_data_directory_and_leaves_it_whole_on_sigterm() {
    let dir = directory("data");
    put_note(&dir).await;
    let data = dir.to_str().unwrap();
    let running = start(&["--data", data, "--port", "0"]);
    // The directory is the server's while it runs.
    assert!(MemoryBackend::open(&dir).is_err());
    let answer = send(running.address, "GET", "/", &[], b"").await;
    assert_eq!(answer.status, 200);
    assert_eq!(running.terminate(), Some(0));
    // Released, and everything in it still there.
    assert_eq!(stored_note(&dir).await, Some(note()));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The endpoint line means the server is ready for everything, SIGTERM included: a SIGTERM sent
/// the moment the line is read still stops it cleanly (exit code 0), never by the signal's
/// default action.
#[test]
fn sigterm_right_after_the_endpoint_line_stops_cleanly() {
    for _ in 0..20 {
        let running = start(&["--in-memory", "--port", "0"]);
        assert_eq!(running.terminate(), Some(0));
    }
}

#[tokio::test]
async fn a_write_acknowledged_over_http_survives_a_restart() {
    let dir = directory("restart");
    // The table through the engine (CreateTable is another branch's), the item over HTTP.
    let engine = MemoryBackend::open(&dir).unwrap();
    engine
        .create_table(CreateTable::new("notes", Note::KEY_SCHEMA))
        .await
        .unwrap();
    drop(engine);
    let data = dir.to_str().unwrap();
    let call = |address, target: &str, body: serde_json::Value| {
        let body = serde_json::to_vec(&body).unwrap();
        let headers = signed(
            address,
            &[("Content-Type", JSON_1_0), ("X-Amz-Target", target)],
            &body,
            &KEY,
            SystemTime::now(),
        );
        async move { post(address, &pairs(&headers), &body).await }
    };
    let running = start(&["--data", data, "--port", "0"]);
    let key = json!({ "userId": { "S": "u1" }, "noteId": { "S": "n1" } });
    let mut item = key.clone();
    item["content"] = json!({ "S": "kept" });
    let put = json!({ "TableName": "notes", "Item": item });
    call(running.address, "DynamoDB_20120810.PutItem", put)
        .await
        .assert_json(200, JSON_1_0, json!({}));
    assert_eq!(running.terminate(), Some(0));
    let running = start(&["--data", data, "--port", "0"]);
    let get = json!({ "TableName": "notes", "Key": key });
    call(running.address, "DynamoDB_20120810.GetItem", get)
        .await
        .assert_json(200, JSON_1_0, json!({ "Item": item }));
    assert_eq!(running.terminate(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// What the service keeps beside the engine's tables (tags, deletion protection, the table
/// class, encryption) is on disk before it is acknowledged, as the engine's writes are: a
/// SIGKILL loses none of it, and a protected table stays protected.
#[tokio::test]
async fn tags_and_table_settings_survive_a_sigkill() {
    let dir = directory("settings");
    let data = dir.to_str().unwrap();
    let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/notes";
    let running = start(&["--data", data, "--port", "0"]);
    let create = json!({
        "TableName": "notes",
        "AttributeDefinitions": [{ "AttributeName": "pk", "AttributeType": "S" }],
        "KeySchema": [{ "AttributeName": "pk", "KeyType": "HASH" }],
        "BillingMode": "PAY_PER_REQUEST",
        "DeletionProtectionEnabled": true,
        "TableClass": "STANDARD_INFREQUENT_ACCESS",
        "SSESpecification": { "Enabled": true, "SSEType": "KMS" },
        "Tags": [{ "Key": "a", "Value": "1" }],
    });
    assert_eq!(
        call(running.address, "CreateTable", create).await.status,
        200
    );
    let tag = json!({ "ResourceArn": arn, "Tags": [{ "Key": "b", "Value": "2" }] });
    call(running.address, "TagResource", tag)
        .await
        .assert_json(200, JSON_1_0, json!({}));
    running.kill();

    let running = start(&["--data", data, "--port", "0"]);
    call(
        running.address,
        "ListTagsOfResource",
        json!({ "ResourceArn": arn }),
    )
    .await
    .assert_json(
        200,
        JSON_1_0,
        json!({ "Tags": [{ "Key": "a", "Value": "1" }, { "Key": "b", "Value": "2" }] }),
    );
    let described = call(
        running.address,
        "DescribeTable",
        json!({ "TableName": "notes" }),
    )
    .await;
    assert_eq!(described.status, 200);
    let table = &serde_json::from_slice::<serde_json::Value>(&described.body).unwrap()["Table"];
    assert_eq!(table["DeletionProtectionEnabled"], json!(true));
    assert_eq!(
        table["TableClassSummary"],
        json!({ "TableClass": "STANDARD_INFREQUENT_ACCESS" })
    );
    assert_eq!(
        table["SSEDescription"],
        json!({
            "Status": "ENABLED",
            "SSEType": "KMS",
            "KMSMasterKeyArn": "arn:aws:kms:us-east-1:000000000000:alias/aws/dynamodb",
        })
    );
    call(
        running.address,
        "DeleteTable",
        json!({ "TableName": "notes" }),
    )
    .await
    .assert_json(
        400,
        JSON_1_0,
        json!({
            "__type": "com.amazon.coral.validate#ValidationException",
            "message": "Resource cannot be deleted as it is currently protected against \
                        deletion. Disable deletion protection first.",
        }),
    );
    assert_eq!(running.terminate(), Some(0));
    std::fs::remove_dir_all(&dir).unwrap();
}
