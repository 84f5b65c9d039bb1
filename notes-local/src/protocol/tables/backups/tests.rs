//! Continuous backups, backups and restores, through the protocol.

use notes_core::Backend;
use notes_core::request::PutItem;
use notes_model::{AttributeValue, ItemMap};
use serde_json::{Value, json};

use crate::protocol::Service;
use crate::protocol::tables::test_support::{call, create_table, error, service};

/// A service with the table `notes` holding one item.
async fn notes() -> Service {
    let service = service();
    create_table(&service, "notes", None).await;
    let item = ItemMap::from([
        ("pk".to_owned(), AttributeValue::S("n1".into())),
        ("body".to_owned(), AttributeValue::S("hello".into())),
    ]);
    service
        .engine()
        .put_item(PutItem::new("notes", item))
        .await
        .unwrap();
    service
}

#[tokio::test]
async fn point_in_time_recovery_is_described_then_enabled() {
    let service = notes().await;
    let table = json!({ "TableName": "notes" });
    assert_eq!(
        call(&service, "DescribeContinuousBackups", table).await,
        json!({
            "ContinuousBackupsDescription": {
                "ContinuousBackupsStatus": "ENABLED",
                "PointInTimeRecoveryDescription": { "PointInTimeRecoveryStatus": "DISABLED" },
            },
        })
    );
    let enable = json!({
        "TableName": "notes",
        "PointInTimeRecoverySpecification": { "PointInTimeRecoveryEnabled": true },
    });
    let answer = call(&service, "UpdateContinuousBackups", enable).await;
    let recovery = &answer["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"];
    assert_eq!(recovery["PointInTimeRecoveryStatus"], "ENABLED");
    assert!(recovery["EarliestRestorableDateTime"].is_number());
    assert!(recovery["LatestRestorableDateTime"].is_number());
}

#[tokio::test]
async fn backups_of_a_missing_table_are_table_not_found() {
    let service = service();
    let missing = json!({ "TableName": "notes" });
    let described = error(&service, "DescribeContinuousBackups", missing).await;
    assert_eq!(
        (described.name, described.message.as_str()),
        ("TableNotFoundException", "Table not found: notes")
    );
    let backup = json!({ "TableName": "notes", "BackupName": "nightly" });
    let created = error(&service, "CreateBackup", backup).await;
    assert_eq!(created.name, "TableNotFoundException");
}

#[tokio::test]
async fn a_backup_is_created_described_listed_and_deleted() {
    let service = notes().await;
    let backup = json!({ "TableName": "notes", "BackupName": "nightly" });
    let created = call(&service, "CreateBackup", backup).await;
    let details = &created["BackupDetails"];
    let arn = details["BackupArn"].as_str().unwrap().to_owned();
    assert!(
        arn.starts_with("arn:aws:dynamodb:us-east-1:000000000000:table/notes/backup/"),
        "{arn}"
    );
    assert_eq!(details["BackupName"], "nightly");
    assert_eq!(details["BackupStatus"], "AVAILABLE");
    assert_eq!(details["BackupType"], "USER");
    assert!(details["BackupCreationDateTime"].is_number());

    let described = call(&service, "DescribeBackup", json!({ "BackupArn": arn })).await;
    let description = &described["BackupDescription"];
    assert_eq!(&description["BackupDetails"], details);
    assert_eq!(description["SourceTableDetails"]["TableName"], "notes");
    assert_eq!(description["SourceTableDetails"]["ItemCount"], 1);
    assert_eq!(
        description["SourceTableDetails"]["BillingMode"],
        "PAY_PER_REQUEST"
    );

    let listed = call(&service, "ListBackups", json!({ "TableName": "notes" })).await;
    let mut summary = details.clone();
    summary["TableName"] = json!("notes");
    summary["TableArn"] = json!("arn:aws:dynamodb:us-east-1:000000000000:table/notes");
    assert_eq!(listed, json!({ "BackupSummaries": [summary] }));
    let system = json!({ "BackupType": "SYSTEM" });
    assert_eq!(
        call(&service, "ListBackups", system).await,
        json!({ "BackupSummaries": [] })
    );

    let deleted = call(&service, "DeleteBackup", json!({ "BackupArn": arn })).await;
    assert_eq!(
        deleted["BackupDescription"]["BackupDetails"]["BackupStatus"],
        "DELETED"
    );
    let gone = error(&service, "DescribeBackup", json!({ "BackupArn": arn })).await;
    assert_eq!(
        (gone.name, gone.message),
        (
            "BackupNotFoundException",
            format!("Backup not found for the given BackupARN: {arn}")
        )
    );
}

#[tokio::test]
async fn a_backup_is_restored_into_a_new_table_once() {
    let service = notes().await;
    let backup = json!({ "TableName": "notes", "BackupName": "nightly" });
    let created = call(&service, "CreateBackup", backup).await;
    let arn = created["BackupDetails"]["BackupArn"].clone();
    let restore = json!({ "TargetTableName": "restored", "BackupArn": arn });
    let answer = call(&service, "RestoreTableFromBackup", restore.clone()).await;
    let table = &answer["TableDescription"];
    assert_eq!(table["TableName"], "restored");
    assert_eq!(table["ItemCount"], 1);
    let summary = &table["RestoreSummary"];
    assert_eq!(summary["SourceBackupArn"], arn);
    assert_eq!(
        summary["SourceTableArn"],
        "arn:aws:dynamodb:us-east-1:000000000000:table/notes"
    );
    assert_eq!(summary["RestoreInProgress"], false);
    let again = error(&service, "RestoreTableFromBackup", restore).await;
    assert_eq!(
        (again.name, again.message.as_str()),
        (
            "TableAlreadyExistsException",
            "Table already exists: restored"
        )
    );
    let with_override = json!({
        "TargetTableName": "other",
        "BackupArn": arn,
        "BillingModeOverride": "PROVISIONED",
    });
    let refused = error(&service, "RestoreTableFromBackup", with_override).await;
    assert_eq!(refused.name, "ValidationException");
    assert!(
        refused
            .message
            .starts_with("BillingModeOverride is not supported")
    );
}

#[tokio::test]
async fn a_table_is_restored_to_a_point_in_time_only_with_recovery_on() {
    let service = notes().await;
    let restore = |source: Value| {
        let mut body = json!({ "TargetTableName": "restored", "UseLatestRestorableTime": true });
        let (key, value) = source.as_object().unwrap().iter().next().unwrap();
        body[key] = value.clone();
        body
    };
    let unavailable = error(
        &service,
        "RestoreTableToPointInTime",
        restore(json!({ "SourceTableName": "notes" })),
    )
    .await;
    assert_eq!(
        (unavailable.name, unavailable.message.as_str()),
        (
            "PointInTimeRecoveryUnavailableException",
            "Point in time recovery is not enabled for table 'notes'"
        )
    );
    let enable = json!({
        "TableName": "notes",
        "PointInTimeRecoverySpecification": { "PointInTimeRecoveryEnabled": true },
    });
    call(&service, "UpdateContinuousBackups", enable).await;
    let by_arn = json!({ "SourceTableArn": "arn:aws:dynamodb:us-east-1:000000000000:table/notes" });
    let answer = call(&service, "RestoreTableToPointInTime", restore(by_arn)).await;
    let table = &answer["TableDescription"];
    assert_eq!(
        (table["TableName"].as_str(), table["ItemCount"].as_i64()),
        (Some("restored"), Some(1))
    );
    assert_eq!(table["RestoreSummary"].get("SourceBackupArn"), None);
}
