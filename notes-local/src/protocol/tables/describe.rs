//! `DescribeTable`, and the `TableDescription` every table operation answers with: the
//! engine's description ([`TableDescription`]) and its facts ([`TableFacts`]: creation
//! time, sizes, decreases, stream), with the ARNs of this service's region.
//!
//! Status is the engine's: it creates, updates and deletes at once, so a table is `ACTIVE`
//! from the `CreateTable` answer on (DynamoDB answers `CREATING` and gets there later; SDK
//! waiters see `ACTIVE` on their first poll). The `TableId` is a UUID derived from the
//! table's name and creation time, so it stays the same across restarts and differs for a
//! table deleted and created again.

use notes_core::Backend;
use std::time::{SystemTime, UNIX_EPOCH};

use notes_core::request::{BillingMode, DescribeTable, TableDescription, TableStatus};
use notes_memory::TableFacts;
use serde_json::{Value, json};

use super::schema::{
    definitions_json, index_key_schema_json, is_global, key_schema_json, projection_json,
};
use super::{engine_error, epoch_seconds, only_table_name, table_arn};
use crate::protocol::arns::stream_arn;
use crate::protocol::{ACCOUNT, Answer, Service};

/// `DescribeTable`: `{"Table": TableDescription}`.
pub(super) async fn describe_table(service: &Service, body: &Value) -> Answer {
    let name = only_table_name(body)?;
    let table = service
        .engine()
        .describe_table(DescribeTable::new(&name))
        .await
        .map_err(|err| engine_error(&err, "DescribeTable"))?;
    Ok(json!({ "Table": table_description(service, &table)? }))
}

/// The `TableDescription` of `table`, as the engine describes it now.
pub(super) fn table_description(
    service: &Service,
    table: &TableDescription,
) -> Result<Value, crate::errors::ErrorAnswer> {
    let facts = service
        .engine()
        .table_facts(&table.table_name)
        .map_err(|err| engine_error(&err, "DescribeTable"))?;
    Ok(render(service, table, &facts))
}

/// A `TableDescription` from the engine's description and facts of the table.
pub(super) fn render(service: &Service, table: &TableDescription, facts: &TableFacts) -> Value {
    let name = &table.table_name;
    let arn = table_arn(service, name);
    let units = |throughput: Option<notes_core::request::ProvisionedThroughput>, decreases: u32| {
        let (read, write) =
            throughput.map_or((0, 0), |t| (t.read_capacity_units, t.write_capacity_units));
        json!({
            "ReadCapacityUnits": read,
            "WriteCapacityUnits": write,
            "NumberOfDecreasesToday": decreases,
        })
    };
    let billing = match table.billing_mode.unwrap_or_default() {
        BillingMode::PayPerRequest => json!({
            "BillingMode": "PAY_PER_REQUEST",
            "LastUpdateToPayPerRequestDateTime":
                epoch_seconds(facts.switched_to_on_demand_at.unwrap_or(facts.created_at)),
        }),
        BillingMode::Provisioned { .. } => json!({ "BillingMode": "PROVISIONED" }),
    };
    let mut description = json!({
        "TableName": name,
        "TableArn": arn,
        "TableId": table_id(name, facts.created_at),
        "TableStatus": status(&table.status),
        "CreationDateTime": epoch_seconds(facts.created_at),
        "AttributeDefinitions": definitions_json(&table.key_schema, &table.indexes),
        "KeySchema": key_schema_json(&table.key_schema),
        "ItemCount": table.item_count.unwrap_or(0),
        "TableSizeBytes": facts.size_bytes,
        "BillingModeSummary": billing,
        "ProvisionedThroughput": units(table.provisioned_throughput(), facts.decreases_today),
    });
    let index = |schema: &notes_model::IndexSchema| {
        let index_facts = facts.indexes.get(schema.name.as_ref());
        let mut index = json!({
            "IndexName": schema.name,
            "KeySchema": index_key_schema_json(schema),
            "Projection": projection_json(&schema.projection),
            "IndexSizeBytes": index_facts.map_or(0, |f| f.size_bytes),
            "ItemCount": index_facts.map_or(0, |f| f.item_count),
            "IndexArn": format!("{arn}/index/{}", schema.name),
        });
        if is_global(schema) {
            index["IndexStatus"] = json!("ACTIVE");
            index["ProvisionedThroughput"] = units(
                table.index_throughput.get(schema.name.as_ref()).copied(),
                index_facts.map_or(0, |f| f.decreases_today),
            );
        }
        index
    };
    let (globals, locals): (Vec<_>, Vec<_>) = table.indexes.iter().partition(|i| is_global(i));
    if !locals.is_empty() {
        description["LocalSecondaryIndexes"] = locals.into_iter().map(index).collect();
    }
    if !globals.is_empty() {
        description["GlobalSecondaryIndexes"] = globals.into_iter().map(index).collect();
    }
    if let Some(stream) = &table.stream {
        description["StreamSpecification"] = json!({
            "StreamEnabled": true,
            "StreamViewType": stream.view_type.name(),
        });
    }
    if let Some(stream) = &facts.stream {
        let (arn, label) = stream_arn(service, name, stream);
        description["LatestStreamArn"] = json!(arn);
        description["LatestStreamLabel"] = json!(label);
    }
    service
        .tables
        .get(name, facts.created_at)
        .settings
        .describe(&mut description, service.region(), ACCOUNT);
    description
}

/// `TableStatus`'s name.
fn status(status: &TableStatus) -> &str {
    match status {
        TableStatus::Creating => "CREATING",
        TableStatus::Active => "ACTIVE",
        TableStatus::Updating => "UPDATING",
        TableStatus::Deleting => "DELETING",
        TableStatus::Other(other) => other,
        _ => "ACTIVE",
    }
}

/// A UUID (version 4 layout) derived from the table's name and creation time: 128 bits of
/// FNV-1a over both, in two halves.
fn table_id(name: &str, created_at: SystemTime) -> String {
    let nanos = created_at
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let fnv = |seed: u64| {
        let mut hash = seed;
        for byte in name.bytes().chain(nanos.to_le_bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash
    };
    let (high, low) = (fnv(0xcbf2_9ce4_8422_2325), fnv(0x6c62_272e_07bb_0142));
    let bits = (u128::from(high) << 64 | u128::from(low)) & !(0xf << 76) & !(0x3 << 62)
        | (0x4 << 76)
        | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use serde_json::json;

    use super::*;
    use crate::protocol::tables::test_support::{call, error, service};

    #[tokio::test]
    async fn a_missing_table_is_named_in_the_answer() {
        let service = service();
        let answer = error(&service, "DescribeTable", json!({ "TableName": "missing" })).await;
        assert_eq!(
            (answer.status, answer.name, answer.message.as_str()),
            (
                400,
                "ResourceNotFoundException",
                "Requested resource not found: Table: missing not found"
            )
        );
    }

    #[tokio::test]
    async fn the_table_name_is_required_then_checked() {
        let service = service();
        let missing = error(&service, "DescribeTable", json!({})).await;
        assert_eq!(
            missing.message,
            "The parameter 'TableName' is required but was not present in the request"
        );
        let bad = error(&service, "DescribeTable", json!({ "TableName": "abc;" })).await;
        assert_eq!(
            (bad.name, bad.message.as_str()),
            (
                "ValidationException",
                "1 validation error detected: Value 'abc;' at 'tableName' failed to satisfy \
                 constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
            )
        );
    }

    #[tokio::test]
    async fn a_table_is_described_whole() {
        let service = service();
        call(
            &service,
            "CreateTable",
            json!({
                "TableName": "notes",
                "AttributeDefinitions": [
                    { "AttributeName": "userId", "AttributeType": "S" },
                    { "AttributeName": "noteId", "AttributeType": "S" },
                    { "AttributeName": "status", "AttributeType": "S" },
                    { "AttributeName": "createdAt", "AttributeType": "N" },
                ],
                "KeySchema": [
                    { "AttributeName": "userId", "KeyType": "HASH" },
                    { "AttributeName": "noteId", "KeyType": "RANGE" },
                ],
                "LocalSecondaryIndexes": [{
                    "IndexName": "byCreatedAt",
                    "KeySchema": [
                        { "AttributeName": "userId", "KeyType": "HASH" },
                        { "AttributeName": "createdAt", "KeyType": "RANGE" },
                    ],
                    "Projection": { "ProjectionType": "KEYS_ONLY" },
                }],
                "GlobalSecondaryIndexes": [{
                    "IndexName": "byStatus",
                    "KeySchema": [{ "AttributeName": "status", "KeyType": "HASH" }],
                    "Projection": { "ProjectionType": "INCLUDE", "NonKeyAttributes": ["title"] },
                    "ProvisionedThroughput": { "ReadCapacityUnits": 10, "WriteCapacityUnits": 8 },
                }],
                "ProvisionedThroughput": { "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 },
                "StreamSpecification": { "StreamEnabled": true, "StreamViewType": "NEW_IMAGE" },
            }),
        )
        .await;
        let mut table =
            call(&service, "DescribeTable", json!({ "TableName": "notes" })).await["Table"].take();
        let facts = service.engine().table_facts("notes").unwrap();
        let created = facts.created_at;
        let label = table["LatestStreamLabel"].take();
        assert_eq!(label, json!(crate::protocol::arns::label_of(created)));
        let id = table["TableId"].take();
        assert_eq!(id.as_str().map(str::len), Some(36));
        let arn = "arn:aws:dynamodb:us-east-1:000000000000:table/notes";
        assert_eq!(
            table,
            json!({
                "TableName": "notes",
                "TableArn": arn,
                "TableId": null,
                "TableStatus": "ACTIVE",
                "CreationDateTime": epoch_seconds(created),
                "AttributeDefinitions": [
                    { "AttributeName": "userId", "AttributeType": "S" },
                    { "AttributeName": "noteId", "AttributeType": "S" },
                    { "AttributeName": "createdAt", "AttributeType": "N" },
                    { "AttributeName": "status", "AttributeType": "S" },
                ],
                "KeySchema": [
                    { "AttributeName": "userId", "KeyType": "HASH" },
                    { "AttributeName": "noteId", "KeyType": "RANGE" },
                ],
                "ItemCount": 0,
                "TableSizeBytes": 0,
                "BillingModeSummary": { "BillingMode": "PROVISIONED" },
                "ProvisionedThroughput": {
                    "ReadCapacityUnits": 5,
                    "WriteCapacityUnits": 5,
                    "NumberOfDecreasesToday": 0,
                },
                "LocalSecondaryIndexes": [{
                    "IndexName": "byCreatedAt",
                    "KeySchema": [
                        { "AttributeName": "userId", "KeyType": "HASH" },
                        { "AttributeName": "createdAt", "KeyType": "RANGE" },
                    ],
                    "Projection": { "ProjectionType": "KEYS_ONLY" },
                    "IndexSizeBytes": 0,
                    "ItemCount": 0,
                    "IndexArn": format!("{arn}/index/byCreatedAt"),
                }],
                "GlobalSecondaryIndexes": [{
                    "IndexName": "byStatus",
                    "KeySchema": [{ "AttributeName": "status", "KeyType": "HASH" }],
                    "Projection": { "ProjectionType": "INCLUDE", "NonKeyAttributes": ["title"] },
                    "IndexStatus": "ACTIVE",
                    "ProvisionedThroughput": {
                        "ReadCapacityUnits": 10,
                        "WriteCapacityUnits": 8,
                        "NumberOfDecreasesToday": 0,
                    },
                    "IndexSizeBytes": 0,
                    "ItemCount": 0,
                    "IndexArn": format!("{arn}/index/byStatus"),
                }],
                "StreamSpecification": { "StreamEnabled": true, "StreamViewType": "NEW_IMAGE" },
                "LatestStreamArn": format!("{arn}/stream/{}", label.as_str().unwrap()),
                "LatestStreamLabel": null,
                "DeletionProtectionEnabled": false,
            })
        );
    }

    #[test]
    fn a_table_id_is_a_uuid_of_the_name_and_the_creation_time() {
        let at = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let id = table_id("notes", at);
        assert_eq!(id, table_id("notes", at));
        assert_ne!(id, table_id("notes", at + Duration::from_millis(1)));
        assert_ne!(id, table_id("notez", at));
        let parts: Vec<&str> = id.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('4'), "{id}");
        assert!("89ab".contains(&parts[3][..1]), "{id}");
    }
}
