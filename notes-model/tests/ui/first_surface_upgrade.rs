// A program written for the first surface (0.1.0), calling every spelling renamed since: it
// compiles, and each renamed spelling is a deprecation whose note names the new spelling
// (denied here, so that the notes are what the compiler prints). Two changes of the first
// surface cannot be kept as aliases and are not here: `WriteTransaction::put` and `delete`
// take the builders (`.put(repo.put(&item))`), and `BatchOptions` keeps its retry settings in
// `retry: RetryPolicy`.
#![deny(deprecated)]

use notes_repo::request::BillingMode;
use notes_repo::stream::StreamViewType;
use notes_repo::{
    AutoScaling, MemoryBackend, Note, NoteKey, Query, Repo, Scan, TableScaling, WriteTransaction,
};

async fn first_surface(backend: MemoryBackend) -> notes_repo::Result<()> {
    let repo: Repo<Note, _> = Repo::new(backend.clone());
    let view = StreamViewType::NewAndOldImages;
    repo.ensure_table_with_stream(BillingMode::PayPerRequest, view).await?;
    let scaling = TableScaling::all(AutoScaling::default());
    repo.ensure_table_with_auto_scaling(BillingMode::PayPerRequest, &scaling).await?;

    let note = Note {
        user_id: "u1".into(),
        note_id: "n1".into(),
        content: "v1".into(),
        attachment: None,
        created_at: 0,
    };
    let key = NoteKey::new("u1", "n1");
    repo.put_if(&note, Note::CONTENT.not_exists()).await?;
    let _: Option<Note> = repo.get_consistent(&key).await?;
    let _: Vec<Note> = repo.batch_get_consistent([&key]).await?;
    let _: Note = repo.update(&key).set(Note::CONTENT.set("v2")).if_exists().send().await?;
    let _: Option<Note> = repo
        .update(&key)
        .apply(Note::CONTENT.set("v3"))
        .if_exists()
        .send_returning_old()
        .await?;

    let query: Query<'_, Note, MemoryBackend> = repo.query("u1").consistent_read();
    let _: Vec<Note> = query.sort_key_prefix("n").all().await?;
    let scan: Scan<'_, Note, MemoryBackend> = repo.scan().consistent_read();
    let _: Vec<Note> = scan.all().await?;

    WriteTransaction::new(&backend)
        .create(&repo, &note)
        .delete_version(&repo, &key, 1)
        .commit()
        .await?;
    repo.delete_if(&key, Note::CONTENT.eq("v3")).await?;
    repo.delete_version(&key, 1).await?;
    Ok(())
}

fn main() {
    drop(first_surface(MemoryBackend::new()));
}
