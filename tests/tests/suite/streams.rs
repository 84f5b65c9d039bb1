//! A table's stream through the typed API: created with the table and verified at start-up
//! (`ensure_table(..).stream(..)`, `verify_stream`), enabled and disabled (`enable_stream`,
//! `disable_stream`, idempotent), on both backends.

use notes_repo::request::BillingMode;
use notes_repo::stream::StreamViewType;
use notes_repo::{Backend, Error, Note, Repo};

notes_tests::on_every_backend!(
    ensure_table_with_a_stream_creates_then_verifies_the_view_type,
    enable_and_disable_stream_are_idempotent_and_a_new_stream_is_a_new_arn,
);

async fn ensure_table_with_a_stream_creates_then_verifies_the_view_type<B: Backend>(
    backend: B,
    table: &str,
) {
    let repo: Repo<Note, B> = Repo::with_table(backend, table.to_owned());
    let view = StreamViewType::NewAndOldImages;
    let created = repo
        .ensure_table(BillingMode::PayPerRequest)
        .stream(view)
        .await
        .unwrap();
    assert_eq!(created.stream.map(|s| s.view_type), Some(view));
    // Existing and as expected: verified, nothing changed.
    repo.ensure_table(BillingMode::PayPerRequest)
        .stream(view)
        .await
        .unwrap();
    repo.ensure_table(BillingMode::PayPerRequest).await.unwrap();
    let err = repo
        .ensure_table(BillingMode::PayPerRequest)
        .stream(StreamViewType::KeysOnly)
        .await
        .unwrap_err();
    let Error::StreamMismatch {
        table: named,
        expected,
        actual,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(named, table);
    assert_eq!(*expected, Some(StreamViewType::KeysOnly));
    assert_eq!(*actual, Some(view));
    assert_eq!(
        err.to_string(),
        format!("table `{table}` has a NEW_AND_OLD_IMAGES stream, expected a KEYS_ONLY stream")
    );
    let err = repo.verify_stream(None).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::StreamMismatch {
                expected: None,
                actual: Some(StreamViewType::NewAndOldImages),
                ..
            }
        ),
        "{err:?}"
    );
}

async fn enable_and_disable_stream_are_idempotent_and_a_new_stream_is_a_new_arn<B: Backend>(
    backend: B,
    table: &str,
) {
    let repo: Repo<Note, B> = Repo::with_table(backend, table.to_owned());
    repo.ensure_table(BillingMode::PayPerRequest).await.unwrap();
    let err = repo
        .ensure_table(BillingMode::PayPerRequest)
        .stream(StreamViewType::NewImage)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::StreamMismatch {
                expected: Some(StreamViewType::NewImage),
                actual: None,
                ..
            }
        ),
        "{err:?}"
    );
    // Disabling a table without a stream sends nothing, so DynamoDB's refusal never comes.
    assert_eq!(repo.disable_stream().await.unwrap().stream, None);

    let first = repo.enable_stream(StreamViewType::NewImage).await.unwrap();
    let first = first.stream.expect("an enabled stream");
    assert_eq!(first.view_type, StreamViewType::NewImage);
    let again = repo.enable_stream(StreamViewType::NewImage).await.unwrap();
    assert_eq!(again.stream.as_ref(), Some(&first));
    // Another view type cannot replace an enabled stream: refused before sending.
    let err = repo
        .enable_stream(StreamViewType::OldImage)
        .await
        .unwrap_err();
    let Error::Validation { message, .. } = &err else {
        panic!("{err:?}");
    };
    assert!(
        message.starts_with(&format!(
            "Table already has an enabled stream: TableName: {table}"
        )),
        "{message}"
    );
    repo.verify_stream(Some(StreamViewType::NewImage))
        .await
        .unwrap();

    assert_eq!(repo.disable_stream().await.unwrap().stream, None);
    assert_eq!(repo.disable_stream().await.unwrap().stream, None);
    repo.verify_stream(None).await.unwrap();
    let second = repo.enable_stream(StreamViewType::OldImage).await.unwrap();
    let second = second.stream.expect("an enabled stream");
    assert_eq!(second.view_type, StreamViewType::OldImage);
    assert_ne!(second.arn, first.arn);
}
