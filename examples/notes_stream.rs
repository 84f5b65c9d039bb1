//! Derived data from the table's stream: each user's note count, kept by a stream consumer
//! written in the Lambda handler's shape, checked against a full query.
//!
//! `cargo run --example notes-stream` runs on the embedded backend: the table is created with
//! a `NEW_AND_OLD_IMAGES` stream, a random workload (creates, updates, deletes, a
//! transaction) writes notes for three users, and the stream is delivered to the handler as
//! Lambda would (`deliver_to_lambda`: DynamoDB events of at most 25 records, one shard in
//! order). The handler is the function a Lambda function would run (`from_lambda_event`,
//! then the counter).
//!
//! With `AWS_ENDPOINT_URL_DYNAMODB` set it runs against that server (DynamoDB, or a local
//! server with streams such as dynoxide; set `AWS_ENDPOINT_URL_DYNAMODB_STREAMS` too, to the
//! same URL for a local server) on a new table `notes-stream-<time>`, and reads the stream
//! through the DynamoDB Streams API into the same counter (`async fn(Vec<StreamRecord<Note>>)`).

use std::time::{Duration, SystemTime};

use aws_lambda_events::event::dynamodb::Event;
use futures::TryStreamExt;
use notes_examples::note_counter::NoteCounter;
use notes_repo::stream::{
    Checkpoints, StreamRecord, StreamViewType, StreamsReader, deliver_to_lambda, from_lambda_event,
};
use notes_repo::{
    Backend, BillingMode, DynamoDbBackend, Error, Item, MemoryBackend, Note, Repo, WriteTransaction,
};

const USERS: [&str; 3] = ["alice", "bob", "carol"];

/// The Lambda function: `lambda_runtime::run(service_fn(|e| handler(&counter, e.payload)))`
/// on AWS; here, what `deliver_to_lambda` calls.
async fn handler(counter: &NoteCounter, event: Event) -> Result<(), Error> {
    let records: Vec<StreamRecord<Note>> = from_lambda_event(event)?;
    counter.handle(records).await
}

/// Writes a random workload (a small xorshift, so each run differs by its seed).
async fn workload<B: Backend>(backend: &B, repo: &Repo<Note, B>, seed: u64) -> Result<(), Error> {
    let mut state = seed | 1;
    let mut next = move |n: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % n
    };
    let mut written: Vec<Note> = Vec::new();
    for step in 0..60 {
        let user = USERS[next(3) as usize];
        match next(5) {
            0..=2 => {
                let note = Note::new(user, format!("note {step}"));
                repo.create(&note).await?;
                written.push(note);
            }
            3 if !written.is_empty() => {
                let note = written.swap_remove(next(written.len() as u64) as usize);
                repo.delete(&note.key()).await?;
            }
            _ if !written.is_empty() => {
                // A change that is no new note: a MODIFY, counted as nothing.
                let note = &written[next(written.len() as u64) as usize];
                repo.update(&note.key())
                    .apply(Note::CONTENT.set(format!("edited at {step}")))
                    .if_exists()
                    .await?;
            }
            _ => {}
        }
    }
    // A transaction: one note in, one out, together.
    if let Some(gone) = written.pop() {
        let new = Note::new(gone.user_id.as_str(), "moved");
        WriteTransaction::new(backend)
            .put(repo.create(&new))
            .delete(repo.delete(&gone.key()))
            .await?;
    }
    Ok(())
}

/// The counter against a full query of each user's notes.
async fn check<B: Backend>(repo: &Repo<Note, B>, counter: &NoteCounter) -> Result<bool, Error> {
    let mut all_equal = true;
    for user in USERS {
        let stored = repo.query(user).consistent().all().await?.len() as i64;
        let counted = counter.count(user);
        println!("{user}: {counted} notes counted from the stream, {stored} by a full query");
        all_equal &= counted == stored;
    }
    Ok(all_equal)
}

async fn on_embedded(seed: u64) -> Result<(), Error> {
    let backend = MemoryBackend::new();
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    repo.ensure_table(BillingMode::PayPerRequest)
        .stream(StreamViewType::NewAndOldImages)
        .await?;
    workload(&backend, &repo, seed).await?;
    let counter = NoteCounter::default();
    let last = deliver_to_lambda(&backend, repo.table_name(), None, 25, |event| {
        handler(&counter, event)
    })
    .await?;
    println!(
        "delivered up to sequence number {}",
        last.unwrap_or_default()
    );
    assert!(check(&repo, &counter).await?, "the counter is off");
    Ok(())
}

async fn on_server(seed: u64) -> Result<(), Error> {
    let millis = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let backend = DynamoDbBackend::from_env().await;
    let repo: Repo<Note, _> = Repo::with_table(backend.clone(), format!("notes-stream-{millis}"));
    let table = repo
        .ensure_table(BillingMode::PayPerRequest)
        .stream(StreamViewType::NewAndOldImages)
        .await?;
    let arn = table
        .stream
        .and_then(|s| s.arn)
        .ok_or_else(|| Error::validation("the server reports no stream ARN"))?;
    println!("table {}, stream {arn}", repo.table_name());
    workload(&backend, &repo, seed).await?;

    // Records reach the stream within about a second on DynamoDB: read until they agree.
    let reader = StreamsReader::from_env().await;
    let counter = NoteCounter::default();
    let mut checkpoints = Checkpoints::default();
    for _ in 0..10 {
        let changes: Vec<_> = reader
            .changes(&arn, checkpoints.clone())
            .try_collect()
            .await?;
        let mut records = Vec::with_capacity(changes.len());
        for change in changes {
            checkpoints.advance(&change);
            records.push(StreamRecord::decode(change)?);
        }
        counter.handle(records).await?;
        if check(&repo, &counter).await? {
            repo.delete_table().await?;
            return Ok(());
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    Err(Error::validation(
        "the counter never caught up with the table",
    ))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(7, |d| d.as_nanos() as u64);
    if std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some_and(|v| !v.is_empty()) {
        on_server(seed).await
    } else {
        on_embedded(seed).await
    }
}
