//! The notes app's walk-through, on any backend: shared by the `notes` (in-memory) and
//! `notes-aws` (DynamoDB) examples.

use notes_repo::{Backend, Error, Repo};
use notes_repo::{Item, Note};

/// Runs the walk-through on `repo`, printing each step.
pub(crate) async fn run<B: Backend>(repo: &Repo<Note, B>) -> Result<(), Error> {
    println!("== create notes for two users");
    let mut alice_notes = Vec::new();
    for text in [
        "buy milk",
        "call mum",
        "book flights",
        "water plants",
        "pay rent",
    ] {
        let note = Note::new("alice", text);
        repo.create(&note).await?;
        println!("  alice  {}  {text}", note.note_id);
        alice_notes.push(note);
    }
    let bob_note = Note::new("bob", "fix the bike").with_attachment("bike.jpg");
    repo.create(&bob_note).await?;
    println!(
        "  bob    {}  fix the bike (attachment bike.jpg)",
        bob_note.note_id
    );

    println!("== get one note by userId + noteId");
    let first = &alice_notes[0];
    let found = repo.get(&first.key()).await?;
    println!("  {:?}", found.as_ref().map(|n| &n.content));

    println!("== list alice's notes, newest first");
    for note in repo.query("alice").descending().all().await? {
        println!("  {}  {}", note.created_at, note.content);
    }

    println!("== page through them, two at a time");
    let mut cursor: Option<String> = None;
    let mut page_number = 1;
    loop {
        let page = repo
            .query("alice")
            .descending()
            .limit(2)
            .page(cursor.as_deref())
            .await?;
        let contents: Vec<&str> = page.items.iter().map(|n| n.content.as_str()).collect();
        println!("  page {page_number}: {contents:?}");
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
        page_number += 1;
    }

    println!("== update a note's content and attachment");
    let updated = repo
        .update(&first.key())
        .apply(Note::CONTENT.set("buy oat milk"))
        .apply(Note::ATTACHMENT.set(Some("shopping-list.txt".to_owned())))
        .if_exists()
        .await?;
    println!(
        "  now: {:?}, attachment {:?}",
        updated.content, updated.attachment
    );

    println!("== delete a note");
    let deleted = repo.delete(&alice_notes[1].key()).await?;
    println!("  deleted: {:?}", deleted.map(|n| n.content));
    println!(
        "  alice has {} notes left",
        repo.query("alice").all().await?.len()
    );

    println!("== import 60 notes for carol in one batch call (chunked to 25 per request)");
    let imported: Vec<Note> = (0..60)
        .map(|i| Note::new("carol", format!("imported #{i}")))
        .collect();
    repo.batch_put(&imported).await?;
    let keys: Vec<_> = imported.iter().map(Item::key).collect();
    println!(
        "  carol has {} notes; batch_get read back {}",
        repo.query("carol").all().await?.len(),
        repo.batch_get(&keys).await?.len()
    );

    println!("== create the same note twice");
    match repo.create(&bob_note).await {
        Err(err @ Error::AlreadyExists { .. }) => println!("  refused: {err}"),
        other => println!("  unexpected: {other:?}"),
    }
    println!(
        "== bob still sees only his own notes: {}",
        repo.query("bob").all().await?.len()
    );
    Ok(())
}
