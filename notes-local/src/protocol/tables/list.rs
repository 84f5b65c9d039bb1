//! `ListTables`: the table names in order, `Limit` (1 to 100, 100 by default) a page, from
//! after `ExclusiveStartTableName`; `LastEvaluatedTableName` (the page's last name) only when
//! more names follow.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::protocol::constraints::Violations;
use crate::protocol::json::shape;
use crate::protocol::{Answer, Service};

/// The most names a page holds (and `Limit`'s default).
const MAX_LIMIT: i64 = 100;

/// `ListTables`: `{"TableNames": [...], "LastEvaluatedTableName"?}`.
pub(super) fn list_tables(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        exclusive_start_table_name: Option<String>,
        limit: Option<i64>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    if let Some(start) = &request.exclusive_start_table_name {
        violations.name(start, "exclusiveStartTableName");
    }
    if let Some(limit) = request.limit {
        violations.range(limit, "limit", Some(1), Some(MAX_LIMIT));
    }
    violations.finish()?;
    let limit = usize::try_from(request.limit.unwrap_or(MAX_LIMIT)).unwrap_or(usize::MAX);
    let names: Vec<String> = service
        .engine()
        .table_names()
        .into_iter()
        .filter(|name| {
            request
                .exclusive_start_table_name
                .as_ref()
                .is_none_or(|start| name > start)
        })
        .collect();
    let page: Vec<&String> = names.iter().take(limit).collect();
    let mut answer = json!({ "TableNames": page });
    if names.len() > limit {
        answer["LastEvaluatedTableName"] = json!(page.last());
    }
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::protocol::tables::test_support::{call, create_table, error, service};

    #[tokio::test]
    async fn tables_are_listed_in_pages_in_name_order() {
        let service = service();
        for name in ["notes", "archive", "users"] {
            create_table(&service, name, None).await;
        }
        let first = call(&service, "ListTables", json!({ "Limit": 2 })).await;
        assert_eq!(
            first,
            json!({ "TableNames": ["archive", "notes"], "LastEvaluatedTableName": "notes" })
        );
        let rest = json!({ "Limit": 2, "ExclusiveStartTableName": "notes" });
        assert_eq!(
            call(&service, "ListTables", rest).await,
            json!({ "TableNames": ["users"] })
        );
        let nulls = json!({ "Limit": null, "ExclusiveStartTableName": null });
        assert_eq!(
            call(&service, "ListTables", nulls).await,
            json!({ "TableNames": ["archive", "notes", "users"] })
        );
    }

    #[tokio::test]
    async fn limit_and_start_name_are_checked_together() {
        let answer = error(
            &service(),
            "ListTables",
            json!({ "ExclusiveStartTableName": "a;", "Limit": 500 }),
        )
        .await;
        assert_eq!(
            answer.message,
            "3 validation errors detected: Value 'a;' at 'exclusiveStartTableName' failed to \
             satisfy constraint: Member must satisfy regular expression pattern: \
             [a-zA-Z0-9_.-]+; Value 'a;' at 'exclusiveStartTableName' failed to satisfy \
             constraint: Member must have length greater than or equal to 3; Value '500' at \
             'limit' failed to satisfy constraint: Member must have value less than or equal \
             to 100"
        );
    }
}
