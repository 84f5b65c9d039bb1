//! Tables: created, described, deleted; one item per key.

use super::*;

notes_tests::on_every_backend!(
    tables_without_a_sort_key_hold_one_item_per_partition,
    provisioned_tables_report_their_capacity,
    ;
    memory_only:
    tables_must_exist_and_cannot_be_created_twice,
);

// MemoryBackend only: dynoxide 3.2.0 accepts UpdateContinuousBackups on a
// table that does not exist; DynamoDB answers TableNotFoundException.
async fn tables_must_exist_and_cannot_be_created_twice<B: Backend>(backend: B, table: &str) {
    notes(&backend, table).await;
    let get = GetItem::new("nope", note_key("u", "n"));
    assert!(
        matches!(backend.get_item(get).await, Err(Error::TableNotFound { table, .. }) if table == "nope")
    );
    let again = backend
        .create_table(
            CreateTable::new(
                table,
                KeySchema {
                    partition_key: KeyAttribute::new("x", ScalarType::S),
                    sort_key: None,
                },
            )
            .billing_mode(BillingMode::PayPerRequest),
        )
        .await;
    assert!(matches!(again, Err(Error::TableAlreadyExists { .. })));
    assert!(matches!(
        backend
            .update_continuous_backups(UpdateContinuousBackups::new("nope", true))
            .await,
        Err(Error::TableNotFound { .. })
    ));
    backend
        .update_continuous_backups(UpdateContinuousBackups::new(table, true))
        .await
        .unwrap();

    backend.put_item(put(table, note("u", "n1"))).await.unwrap();
    let described = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    assert_eq!(described.status, TableStatus::Active);
    assert_eq!(described.item_count, Some(1));
    assert_eq!(described.key_schema.sort_key.unwrap().name, "noteId");
    assert_eq!(
        described.billing_mode,
        Some(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5
        })
    );
    assert_eq!(
        backend
            .delete_table(DeleteTable::new(table))
            .await
            .unwrap()
            .status,
        TableStatus::Deleting
    );
    assert!(matches!(
        backend.describe_table(DescribeTable::new(table)).await,
        Err(Error::TableNotFound { .. })
    ));
}

async fn tables_without_a_sort_key_hold_one_item_per_partition<B: Backend>(
    backend: B,
    table: &str,
) {
    table_with(&backend, table, None).await;
    let row = item(&[("userId", s("u")), ("v", n("1"))]);
    backend.put_item(put(table, row.clone())).await.unwrap();
    backend.put_item(put(table, row)).await.unwrap();
    assert_eq!(
        backend
            .describe_table(DescribeTable::new(table))
            .await
            .unwrap()
            .item_count,
        Some(1)
    );
    let page = backend.scan(scan(table).limit(1)).await.unwrap();
    let next = backend
        .scan({
            let mut request = scan(table);
            request.exclusive_start_key = page.last_evaluated_key;
            request
        })
        .await
        .unwrap();
    assert!(next.items.is_empty());
    let sorted = query(table, "u")
        .key_condition
        .with_sort_key("noteId", SortKeyCondition::Compare(Comparator::Eq, s("x")));
    // A sort key condition on a table without one: DynamoDB refuses it as a validation error
    // (MemoryBackend: "Query key condition not supported"; the server counts the conditions).
    let err = backend
        .query({
            let mut request = query(table, "u");
            request.key_condition = sorted;
            request
        })
        .await
        .unwrap_err();
    let m = validation_message(err);
    assert!(m.contains("condition"), "{m}");
}

async fn provisioned_tables_report_their_capacity<B: Backend>(backend: B, table: &str) {
    let created = backend
        .create_table(
            CreateTable::new(
                table.to_owned(),
                KeySchema {
                    partition_key: KeyAttribute::new("id", ScalarType::N),
                    sort_key: None,
                },
            )
            .billing_mode(BillingMode::Provisioned {
                read_capacity_units: 5,
                write_capacity_units: 5,
            }),
        )
        .await
        .unwrap();
    assert_eq!(created.key_schema.partition_key.scalar_type, ScalarType::N);
    assert_eq!(created.key_schema.sort_key, None);
    let described = backend
        .describe_table(DescribeTable::new(table))
        .await
        .unwrap();
    assert_eq!(
        described.billing_mode,
        Some(BillingMode::Provisioned {
            read_capacity_units: 5,
            write_capacity_units: 5
        })
    );
    backend.delete_table(DeleteTable::new(table)).await.unwrap();
}

// DynamoDbBackend keeps the service's error as the source of the typed one.

#[tokio::test]
async fn table_lifecycle_create_describe_delete() {
    let Some(backend) = server_support::available_backend().await else {
        return;
    };
    let table = new_notes_table(&backend, "lifecycle").await;

    let described = backend
        .describe_table(DescribeTable::new(table.clone()))
        .await
        .unwrap();
    assert_eq!(described.table_name, table);
    assert_eq!(described.key_schema, schema());
    assert_eq!(described.billing_mode, Some(BillingMode::PayPerRequest));

    let again = backend
        .create_table(
            CreateTable::new(table.clone(), schema()).billing_mode(BillingMode::PayPerRequest),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&again, Error::TableAlreadyExists { table: t, source: Some(_) } if *t == table),
        "{again:?}"
    );

    let deleted = backend
        .delete_table(DeleteTable::new(table.clone()))
        .await
        .unwrap();
    assert_eq!(deleted.table_name, table);
    assert_eq!(deleted.key_schema, schema());

    let gone = backend
        .describe_table(DescribeTable::new(table.clone()))
        .await
        .unwrap_err();
    assert!(
        matches!(&gone, Error::TableNotFound { table: t, source: Some(_) } if *t == table),
        "{gone:?}"
    );
    let gone = backend
        .delete_table(DeleteTable::new(table.clone()))
        .await
        .unwrap_err();
    assert!(matches!(gone, Error::TableNotFound { .. }), "{gone:?}");
}

#[tokio::test]
async fn a_missing_table_is_table_not_found_naming_it() {
    let Some(backend) = server_support::available_backend().await else {
        return;
    };
    let table = server_support::table_name("missing");
    let err = backend
        .get_item(GetItem::new(table.clone(), note_key("u1", "n1")))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::TableNotFound { table: t, source: Some(_) } if *t == table),
        "{err:?}"
    );
    let err = backend
        .query(consistent_query(&table, "u1"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
    let err = backend
        .put_item(PutItem::new(table.clone(), note_with("u1", "n1", "x")))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::TableNotFound { .. }), "{err:?}");
}
