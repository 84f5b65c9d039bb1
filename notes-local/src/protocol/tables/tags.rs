//! Tags: `TagResource`, `UntagResource`, `ListTagsOfResource`, and `CreateTable`'s `Tags`,
//! kept by the service with the table's settings ([`super::declared`]: on disk too, for a
//! durable engine).
//!
//! A resource is one of this service's tables, named by its ARN. DynamoDB answers an ARN
//! that is not a table's ARN with a `ValidationException` ("Invalid TableArn"); a table ARN
//! of no table with `ResourceNotFoundException` when tagging or untagging, and with
//! `AccessDeniedException` when listing (what AWS answers, as other projects' conformance
//! suites record it). Deleting a table deletes its tags. A key with the reserved prefix
//! `aws:` is refused, as DynamoDB refuses it.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::Deserialize;
use serde_json::{Value, json};

use super::{table_arn, table_of_arn};
use crate::errors::ErrorAnswer;
use crate::protocol::constraints::{Violations, required};
use crate::protocol::json::shape;
use crate::protocol::{Answer, Service};

/// The most tags a resource has.
const MAX_TAGS: usize = 50;

/// A `Tag`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(super) struct Tag {
    key: Option<String>,
    value: Option<String>,
}

/// The constraints on a list of tags (`path`: where the request holds it).
pub(super) fn check_tags(tags: &[Tag], path: &str, violations: &mut Violations) {
    for (n, tag) in tags.iter().enumerate() {
        let at = format!("{path}.{}.member", n + 1);
        if let Some(key) = violations.present(tag.key.as_ref(), &format!("{at}.key")) {
            violations.length(
                key,
                key.chars().count(),
                &format!("{at}.key"),
                Some(1),
                Some(128),
            );
        }
        if let Some(value) = violations.present(tag.value.as_ref(), &format!("{at}.value")) {
            let len = value.chars().count();
            violations.length(value, len, &format!("{at}.value"), Some(0), Some(256));
        }
    }
}

/// Refuses a key with the prefix AWS reserves for the tags it assigns itself (`aws:`, in any
/// case), which the developer guide's tagging restrictions say a user cannot assign. DynamoDB
/// answers it with a `ValidationException` whose wording it does not publish; this one says
/// which key and why.
pub(super) fn check_reserved(tags: &[Tag]) -> Result<(), ErrorAnswer> {
    let reserved = tags
        .iter()
        .filter_map(|tag| tag.key.as_deref())
        .find(|key| {
            key.get(..4)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case("aws:"))
        });
    match reserved {
        Some(key) => Err(ErrorAnswer::validation(format!(
            "Tag key '{key}' is invalid: the prefix 'aws:' is reserved for AWS use"
        ))),
        None => Ok(()),
    }
}

/// Adds `tags` (checked) to a table's `own`, replacing the values of keys it has.
pub(super) fn add_tags(
    own: &mut BTreeMap<String, String>,
    tags: &[Tag],
) -> Result<(), ErrorAnswer> {
    for tag in tags {
        if let (Some(key), Some(value)) = (&tag.key, &tag.value) {
            own.insert(key.clone(), value.clone());
        }
    }
    if own.len() > MAX_TAGS {
        return Err(ErrorAnswer::client(
            "LimitExceededException",
            format!("The number of tags on the resource exceeds the limit of {MAX_TAGS}"),
        ));
    }
    Ok(())
}

/// The table an ARN names, the ARN checked: "Invalid TableArn" when it is not a table's.
fn resource(service: &Service, arn: &str) -> Result<String, ErrorAnswer> {
    let invalid = || {
        ErrorAnswer::validation(format!(
            "Invalid TableArn: Invalid ResourceArn provided as input {arn}"
        ))
    };
    let table = table_of_arn(service, arn).ok_or_else(invalid)?;
    let mut violations = Violations::default();
    violations.name(table, "tableName");
    if !violations.is_empty() || arn != table_arn(service, table) {
        return Err(invalid());
    }
    Ok(table.to_owned())
}

/// The checked `ResourceArn` of a request.
fn resource_arn(arn: Option<&String>, violations: &mut Violations) -> Result<String, ErrorAnswer> {
    let arn = required(arn, "ResourceArn")?;
    violations.length(arn, arn.chars().count(), "resourceArn", Some(1), Some(1283));
    Ok(arn.clone())
}

/// When the engine's table `table` was created; `None`: it has no such table.
fn created_at(service: &Service, table: &str) -> Option<SystemTime> {
    let facts = service.engine().table_facts(table).ok()?;
    Some(facts.created_at)
}

/// DynamoDB's answer to tagging an ARN of no table.
fn not_found(arn: &str) -> ErrorAnswer {
    ErrorAnswer::client(
        "ResourceNotFoundException",
        format!("Requested resource not found: ResourcArn: {arn} not found"),
    )
}

/// `TagResource`: adds tags to a table (`{}`).
pub(super) fn tag_resource(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        resource_arn: Option<String>,
        tags: Option<Vec<Tag>>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    let arn = resource_arn(request.resource_arn.as_ref(), &mut violations)?;
    let tags = required(request.tags, "Tags")?;
    check_tags(&tags, "tags", &mut violations);
    violations.finish()?;
    let table = resource(service, &arn)?;
    if tags.is_empty() {
        return Err(ErrorAnswer::validation(
            "Atleast one Tag needs to be provided as Input.",
        ));
    }
    check_reserved(&tags)?;
    let Some(created_at) = created_at(service, &table) else {
        return Err(not_found(&arn));
    };
    service
        .tables
        .change(&table, created_at, "TagResource", |entry| {
            add_tags(&mut entry.tags, &tags)
        })?;
    Ok(json!({}))
}

/// `UntagResource`: removes tags from a table by key (`{}`).
pub(super) fn untag_resource(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        resource_arn: Option<String>,
        tag_keys: Option<Vec<String>>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    let arn = resource_arn(request.resource_arn.as_ref(), &mut violations)?;
    let keys = required(request.tag_keys, "TagKeys")?;
    for (n, key) in keys.iter().enumerate() {
        let at = format!("tagKeys.{}.member", n + 1);
        violations.length(key, key.chars().count(), &at, Some(1), Some(128));
    }
    violations.finish()?;
    let table = resource(service, &arn)?;
    if keys.is_empty() {
        return Err(ErrorAnswer::validation(
            "Atleast one Tag Key needs to be provided as Input.",
        ));
    }
    let Some(created_at) = created_at(service, &table) else {
        return Err(not_found(&arn));
    };
    service
        .tables
        .change(&table, created_at, "UntagResource", |entry| {
            for key in &keys {
                entry.tags.remove(key);
            }
            Ok(())
        })?;
    Ok(json!({}))
}

/// `ListTagsOfResource`: a table's tags (`{"Tags": [{"Key", "Value"}]}`, by key).
pub(super) fn list_tags_of_resource(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        resource_arn: Option<String>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    let arn = resource_arn(request.resource_arn.as_ref(), &mut violations)?;
    violations.finish()?;
    let table = resource(service, &arn)?;
    let Some(created_at) = created_at(service, &table) else {
        return Err(ErrorAnswer::client(
            "AccessDeniedException",
            format!(
                "User: arn:aws:iam::{}:root is not authorized to perform: \
                 dynamodb:ListTagsOfResource on resource: {arn}",
                crate::protocol::ACCOUNT
            ),
        ));
    };
    let tags: Vec<Value> = service
        .tables
        .get(&table, created_at)
        .tags
        .iter()
        .map(|(key, value)| json!({ "Key": key, "Value": value }))
        .collect();
    Ok(json!({ "Tags": tags }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::protocol::tables::test_support::{call, create_table, error, service};

    const ARN: &str = "arn:aws:dynamodb:us-east-1:000000000000:table/notes";

    #[tokio::test]
    async fn tags_are_added_replaced_listed_and_removed() {
        let service = service();
        create_table(&service, "notes", None).await;
        let tags = json!([{ "Key": "env", "Value": "test" }, { "Key": "team", "Value": "a" }]);
        let answer = call(
            &service,
            "TagResource",
            json!({ "ResourceArn": ARN, "Tags": tags }),
        )
        .await;
        assert_eq!(answer, json!({}));
        let replace = json!([{ "Key": "env", "Value": "prod" }]);
        call(
            &service,
            "TagResource",
            json!({ "ResourceArn": ARN, "Tags": replace }),
        )
        .await;
        call(
            &service,
            "UntagResource",
            json!({ "ResourceArn": ARN, "TagKeys": ["team"] }),
        )
        .await;
        assert_eq!(
            call(
                &service,
                "ListTagsOfResource",
                json!({ "ResourceArn": ARN })
            )
            .await,
            json!({ "Tags": [{ "Key": "env", "Value": "prod" }] })
        );
    }

    #[tokio::test]
    async fn a_deleted_table_loses_its_tags() {
        let service = service();
        create_table(&service, "notes", None).await;
        let tags = json!([{ "Key": "env", "Value": "test" }]);
        call(
            &service,
            "TagResource",
            json!({ "ResourceArn": ARN, "Tags": tags }),
        )
        .await;
        call(&service, "DeleteTable", json!({ "TableName": "notes" })).await;
        create_table(&service, "notes", None).await;
        assert_eq!(
            call(
                &service,
                "ListTagsOfResource",
                json!({ "ResourceArn": ARN })
            )
            .await,
            json!({ "Tags": [] })
        );
    }

    #[tokio::test]
    async fn an_arn_of_no_table_is_refused_as_dynamodb_refuses_it() {
        let service = service();
        let invalid = error(
            &service,
            "TagResource",
            json!({ "ResourceArn": "not-a-valid-arn", "Tags": [{ "Key": "k", "Value": "v" }] }),
        )
        .await;
        assert_eq!(
            (invalid.name, invalid.message.as_str()),
            (
                "ValidationException",
                "Invalid TableArn: Invalid ResourceArn provided as input not-a-valid-arn"
            )
        );
        let missing = error(
            &service,
            "TagResource",
            json!({ "ResourceArn": ARN, "Tags": [{ "Key": "k", "Value": "v" }] }),
        )
        .await;
        assert_eq!(
            (missing.name, missing.message.as_str()),
            (
                "ResourceNotFoundException",
                "Requested resource not found: ResourcArn: arn:aws:dynamodb:us-east-1:\
                 000000000000:table/notes not found"
            )
        );
        let listed = error(
            &service,
            "ListTagsOfResource",
            json!({ "ResourceArn": ARN }),
        )
        .await;
        assert_eq!((listed.status, listed.name), (400, "AccessDeniedException"));
    }

    #[tokio::test]
    async fn a_tag_key_with_the_reserved_aws_prefix_is_refused() {
        let service = service();
        create_table(&service, "notes", None).await;
        for key in ["aws:x", "AWS:cloudformation:stack-name"] {
            let tags = json!([{ "Key": "ok", "Value": "v" }, { "Key": key, "Value": "v" }]);
            let refused = error(
                &service,
                "TagResource",
                json!({ "ResourceArn": ARN, "Tags": tags }),
            )
            .await;
            assert_eq!(
                (refused.status, refused.name, refused.message.as_str()),
                (
                    400,
                    "ValidationException",
                    format!(
                        "Tag key '{key}' is invalid: the prefix 'aws:' is reserved for AWS use"
                    )
                    .as_str()
                )
            );
        }
        // Nothing of a refused request is kept; `aws` without the colon is a key like any.
        let tags = json!([{ "Key": "awsome", "Value": "v" }, { "Key": "x:aws:", "Value": "v" }]);
        call(
            &service,
            "TagResource",
            json!({ "ResourceArn": ARN, "Tags": tags }),
        )
        .await;
        assert_eq!(
            call(
                &service,
                "ListTagsOfResource",
                json!({ "ResourceArn": ARN })
            )
            .await,
            json!({ "Tags": [
                { "Key": "awsome", "Value": "v" },
                { "Key": "x:aws:", "Value": "v" },
            ] })
        );
        // CreateTable's tags too, before the table is created.
        let mut create = json!({
            "TableName": "other",
            "AttributeDefinitions": [{ "AttributeName": "pk", "AttributeType": "S" }],
            "KeySchema": [{ "AttributeName": "pk", "KeyType": "HASH" }],
            "BillingMode": "PAY_PER_REQUEST",
        });
        create["Tags"] = json!([{ "Key": "aws:x", "Value": "v" }]);
        let refused = error(&service, "CreateTable", create).await;
        assert_eq!(
            refused.message,
            "Tag key 'aws:x' is invalid: the prefix 'aws:' is reserved for AWS use"
        );
        let missing = error(&service, "DescribeTable", json!({ "TableName": "other" })).await;
        assert_eq!(missing.name, "ResourceNotFoundException");
    }

    #[tokio::test]
    async fn a_tag_key_must_not_be_empty() {
        let service = service();
        create_table(&service, "notes", None).await;
        let answer = error(
            &service,
            "TagResource",
            json!({ "ResourceArn": ARN, "Tags": [{ "Key": "", "Value": "v" }] }),
        )
        .await;
        assert_eq!(
            answer.message,
            "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy \
             constraint: Member must have length greater than or equal to 1"
        );
    }
}
