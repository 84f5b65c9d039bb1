//! Time to live: the setting. (The sweep that removes expired items is MemoryBackend's own,
//! tested beside it in notes-repo.)

use super::*;

notes_tests::on_every_backend!(
    time_to_live_on_a_missing_table_is_table_not_found,
    time_to_live_is_recorded_without_changing_the_description,
    ;
    memory_only:
    time_to_live_on_another_attribute_is_refused_naming_the_current_one,
);

async fn time_to_live_on_a_missing_table_is_table_not_found<B: Backend>(backend: B, table: &str) {
    // No such table.
    let err = backend
        .update_time_to_live(UpdateTimeToLive::new(table, "expiresAt", true))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TableNotFound { table: t, .. } if t == table),
        "{err:?}"
    );
}

async fn time_to_live_is_recorded_without_changing_the_description<B: Backend>(
    backend: B,
    table: &str,
) {
    notes(&backend, table).await;
    let before = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    backend
        .update_time_to_live(UpdateTimeToLive::new(table, "expiresAt", true))
        .await
        .unwrap();
    assert_eq!(
        backend
            .describe_table(DescribeTable::new(table))
            .await
            .unwrap(),
        before
    );
    let err = backend
        .update_time_to_live(UpdateTimeToLive::new(table, String::new(), true))
        .await
        .unwrap_err();
    assert!(validation_message(err).contains("timeToLiveSpecification.attributeName"));
}

// MemoryBackend only: dynoxide 3.2.0 refuses another attribute with "TimeToLive is already
// enabled with a different attribute name", and disables on any attribute; DynamoDB refuses
// both, naming the attribute time to live is on.
async fn time_to_live_on_another_attribute_is_refused_naming_the_current_one<B: Backend>(
    backend: B,
    table: &str,
) {
    notes(&backend, table).await;
    backend
        .update_time_to_live(UpdateTimeToLive::new(table, "expiresAt", true))
        .await
        .unwrap();
    for enabled in [true, false] {
        let err = backend
            .update_time_to_live(UpdateTimeToLive::new(table, "other", enabled))
            .await
            .unwrap_err();
        assert_eq!(
            validation_message(err),
            "TimeToLive is active on a different AttributeName: current AttributeName is \
             expiresAt",
            "enabled: {enabled}"
        );
    }
    backend
        .update_time_to_live(UpdateTimeToLive::new(table, "expiresAt", false))
        .await
        .expect("disabled on its own attribute");
}

// DynamoDbBackend keeps the service's error as the source of the typed one.

#[tokio::test]
async fn time_to_live_is_updated_on_the_server() {
    let Some(backend) = server_support::available_backend().await else {
        return;
    };
    let table = new_notes_table(&backend, "ttl").await;
    backend
        .update_time_to_live(UpdateTimeToLive::new(table.clone(), "expiresAt", true))
        .await
        .expect("enable time to live");
    backend
        .update_time_to_live(UpdateTimeToLive::new(table.clone(), "expiresAt", false))
        .await
        .expect("disable time to live");
    let missing = server_support::table_name("ttl-missing");
    let err = backend
        .update_time_to_live(UpdateTimeToLive::new(missing.clone(), "expiresAt", true))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TableNotFound { table: t, source: Some(_) } if *t == missing),
        "{err:?}"
    );
    let memory_err = MemoryBackend::new()
        .update_time_to_live(UpdateTimeToLive::new(missing, "expiresAt", true))
        .await
        .unwrap_err();
    assert!(matches!(memory_err, Error::TableNotFound { .. }));
    backend.delete_table(DeleteTable::new(table)).await.unwrap();
}
