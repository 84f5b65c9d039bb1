//! Cases of the typed suite's concepts (items, conditions, query pages, batches,
//! transactions, table settings), run on every backend and on a durable MemoryBackend, which
//! is then closed and reopened: the reopened table must be the table the case left.

use notes_repo::request::BillingMode;
use notes_repo::{Backend, Error, Item, Note, Repo, WriteTransaction};

fn note(user: &str, i: usize) -> Note {
    Note {
        user_id: user.to_owned(),
        note_id: format!("{i:04}"),
        content: format!("note {i}"),
        attachment: i.is_multiple_of(3).then(|| format!("file-{i}.png")),
        created_at: i64::try_from(i).unwrap(),
    }
}

async fn items_round_trip_and_conditions_hold<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, B> = notes_tests::repo(backend, table).await;
    let (a, b) = (note("u1", 1), note("u1", 2));
    repo.put(&a).await.unwrap();
    repo.create(&b).await.unwrap();
    let exists = repo.create(&b).await.unwrap_err();
    assert!(matches!(exists, Error::AlreadyExists { .. }), "{exists:?}");
    let edited = repo
        .update(&a.key())
        .apply(Note::CONTENT.set("edited"))
        .if_exists()
        .await
        .unwrap();
    assert_eq!(edited.content, "edited");
    repo.delete(&b.key()).await.unwrap();
    assert_eq!(repo.get(&b.key()).consistent().await.unwrap(), None);
    assert_eq!(
        repo.get(&a.key())
            .consistent()
            .await
            .unwrap()
            .unwrap()
            .content,
        "edited"
    );
}

async fn query_pages_in_sort_key_order<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, B> = notes_tests::repo(backend, table).await;
    let notes: Vec<_> = (0..23).map(|i| note("u1", i)).collect();
    for n in notes.iter().rev() {
        repo.put(n).await.unwrap();
    }
    repo.put(&note("u2", 0)).await.unwrap();
    let all = repo.query("u1").consistent().all().await.unwrap();
    assert_eq!(all, notes);
    let first = repo
        .query("u1")
        .consistent()
        .descending()
        .limit(5)
        .page(None)
        .await
        .unwrap();
    let ids: Vec<_> = first.items.iter().map(|n| n.note_id.as_str()).collect();
    assert_eq!(ids, ["0022", "0021", "0020", "0019", "0018"]);
}

async fn batches_write_and_read_every_item<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, B> = notes_tests::repo(backend, table).await;
    let notes: Vec<_> = (0..60).map(|i| note("u1", i)).collect();
    repo.batch_put(&notes).await.unwrap();
    let keys: Vec<_> = notes.iter().map(Item::key).collect();
    assert_eq!(repo.batch_get(&keys).consistent().await.unwrap(), notes);
    repo.batch_delete(&keys[..30]).await.unwrap();
    assert_eq!(
        repo.query("u1").consistent().all().await.unwrap(),
        notes[30..].to_vec()
    );
}

async fn transactions_are_all_or_nothing<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, B> = notes_tests::repo(backend.clone(), table).await;
    let (a, b, c) = (note("u1", 1), note("u1", 2), note("u1", 3));
    repo.put(&a).await.unwrap();
    let cancelled = WriteTransaction::new(&backend)
        .put(repo.put(&b))
        .put(repo.create(&a))
        .await
        .unwrap_err();
    assert!(
        matches!(cancelled, Error::TransactionCanceled { .. }),
        "{cancelled:?}"
    );
    assert_eq!(repo.get(&b.key()).consistent().await.unwrap(), None);
    WriteTransaction::new(&backend)
        .put(repo.put(&b))
        .put(repo.put(&c))
        .delete(repo.delete(&a.key()))
        .await
        .unwrap();
    assert_eq!(repo.query("u1").consistent().all().await.unwrap(), [b, c]);
}

async fn table_settings_are_kept<B: Backend>(backend: B, table: &str) {
    let repo: Repo<Note, B> = notes_tests::repo(backend, table).await;
    repo.put(&note("u1", 1)).await.unwrap();
    let provisioned = BillingMode::Provisioned {
        read_capacity_units: 5,
        write_capacity_units: 5,
    };
    let description = repo.set_billing_mode(provisioned).await.unwrap();
    assert_eq!(description.billing_mode, Some(provisioned));
    let verified = repo.verify_table().await.unwrap();
    assert_eq!(verified.billing_mode, Some(provisioned));
}

notes_tests::on_every_backend!(
    items_round_trip_and_conditions_hold,
    query_pages_in_sort_key_order,
    batches_write_and_read_every_item,
    transactions_are_all_or_nothing,
    table_settings_are_kept,
);
notes_tests::on_durable_memory!(
    items_round_trip_and_conditions_hold,
    query_pages_in_sort_key_order,
    batches_write_and_read_every_item,
    transactions_are_all_or_nothing,
    table_settings_are_kept,
);
