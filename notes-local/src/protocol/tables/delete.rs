//! `DeleteTable`: the table as it was, `DELETING`, then gone at once (with its settings and
//! tags). A table whose `DeletionProtectionEnabled` is set is refused, as DynamoDB refuses
//! it.

use notes_core::Backend;
use notes_core::request::DeleteTable;
use serde_json::{Value, json};

use super::describe::render;
use super::{engine_error, only_table_name};
use crate::errors::ErrorAnswer;
use crate::protocol::{Answer, Service};

/// `DeleteTable`: `{"TableDescription": ...}`.
pub(super) async fn delete_table(service: &Service, body: &Value) -> Answer {
    let name = only_table_name(body)?;
    let engine = service.engine();
    let facts = engine
        .table_facts(&name)
        .map_err(|err| engine_error(&err, "DeleteTable"))?;
    if service
        .tables
        .get(&name, facts.created_at)
        .settings
        .deletion_protection
    {
        return Err(ErrorAnswer::validation(
            "Resource cannot be deleted as it is currently protected against deletion. \
             Disable deletion protection first.",
        ));
    }
    let table = engine
        .delete_table(DeleteTable::new(&name))
        .await
        .map_err(|err| engine_error(&err, "DeleteTable"))?;
    let description = render(service, &table, &facts);
    service.tables.remove(&name, "DeleteTable")?;
    Ok(json!({ "TableDescription": description }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::protocol::tables::test_support::{call, create_table, error, service};

    #[tokio::test]
    async fn a_deleted_table_is_described_deleting_then_is_gone() {
        let service = service();
        create_table(&service, "notes", None).await;
        let deleted = call(&service, "DeleteTable", json!({ "TableName": "notes" })).await;
        assert_eq!(deleted["TableDescription"]["TableStatus"], "DELETING");
        assert_eq!(deleted["TableDescription"]["TableName"], "notes");
        let again = error(&service, "DeleteTable", json!({ "TableName": "notes" })).await;
        assert_eq!(
            (again.name, again.message.as_str()),
            (
                "ResourceNotFoundException",
                "Requested resource not found: Table: notes not found"
            )
        );
        let tables = call(&service, "ListTables", json!({})).await;
        assert_eq!(tables, json!({ "TableNames": [] }));
    }

    #[tokio::test]
    async fn a_protected_table_is_not_deleted_until_unprotected() {
        let service = service();
        call(
            &service,
            "CreateTable",
            json!({
                "TableName": "notes",
                "AttributeDefinitions": [{ "AttributeName": "pk", "AttributeType": "S" }],
                "KeySchema": [{ "AttributeName": "pk", "KeyType": "HASH" }],
                "BillingMode": "PAY_PER_REQUEST",
                "DeletionProtectionEnabled": true,
            }),
        )
        .await;
        let refused = error(&service, "DeleteTable", json!({ "TableName": "notes" })).await;
        assert_eq!(
            (refused.name, refused.message.as_str()),
            (
                "ValidationException",
                "Resource cannot be deleted as it is currently protected against deletion. \
                 Disable deletion protection first."
            )
        );
        let unprotect = json!({ "TableName": "notes", "DeletionProtectionEnabled": false });
        let updated = call(&service, "UpdateTable", unprotect).await;
        assert_eq!(
            updated["TableDescription"]["DeletionProtectionEnabled"],
            false
        );
        call(&service, "DeleteTable", json!({ "TableName": "notes" })).await;
    }
}
