//! Time to live: `UpdateTimeToLive` and `DescribeTimeToLive`. The engine records the
//! attribute and deletes expired items when its sweep runs (`MemoryBackend::expire_items`),
//! with their stream records marked as time to live's.
//!
//! As on DynamoDB, enabling time to live where it is enabled, or disabling it where it is
//! not, is a `ValidationException` ("TimeToLive is already enabled" / "... disabled"), and so
//! is enabling or disabling it on another attribute than the one it is on ("TimeToLive is
//! active on a different AttributeName: current AttributeName is `expiresAt`", without the
//! backquotes); the status is
//! `ENABLED` or `DISABLED` at once (DynamoDB passes through `ENABLING` and `DISABLING`, for
//! up to an hour).

use notes_core::Backend;
use notes_core::request::UpdateTimeToLive;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{engine_error, only_table_name, table_name};
use crate::errors::ErrorAnswer;
use crate::protocol::constraints::Violations;
use crate::protocol::json::shape;
use crate::protocol::{Answer, Service};

/// `UpdateTimeToLive`: `{"TimeToLiveSpecification": {"Enabled", "AttributeName"}}`.
pub(super) async fn update_time_to_live(service: &Service, body: &Value) -> Answer {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Request {
        table_name: Option<String>,
        time_to_live_specification: Option<Specification>,
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Specification {
        enabled: Option<bool>,
        attribute_name: Option<String>,
    }
    let request: Request = shape(body)?;
    let mut violations = Violations::default();
    let name = table_name(request.table_name.as_ref(), &mut violations)?.to_owned();
    let path = "timeToLiveSpecification";
    let specification = request.time_to_live_specification.as_ref();
    if let Some(specification) = violations.present(specification, path) {
        let at = format!("{path}.attributeName");
        if let Some(attribute) = violations.present(specification.attribute_name.as_ref(), &at) {
            violations.length(
                attribute,
                attribute.chars().count(),
                &at,
                Some(1),
                Some(255),
            );
        }
        violations.present(specification.enabled.as_ref(), &format!("{path}.enabled"));
    }
    violations.finish()?;
    // Both checked present.
    let specification = request.time_to_live_specification.unwrap_or(Specification {
        enabled: None,
        attribute_name: None,
    });
    let enabled = specification.enabled.unwrap_or_default();
    let attribute = specification.attribute_name.unwrap_or_default();
    let engine = service.engine();
    let current = engine
        .table_facts(&name)
        .map_err(|err| engine_error(&err, "UpdateTimeToLive"))?
        .time_to_live;
    match (current, enabled) {
        (Some(current), _) if current != attribute => {
            return Err(ErrorAnswer::validation(format!(
                "TimeToLive is active on a different AttributeName: current AttributeName is \
                 {current}"
            )));
        }
        (Some(_), true) => {
            return Err(ErrorAnswer::validation("TimeToLive is already enabled"));
        }
        (None, false) => {
            return Err(ErrorAnswer::validation("TimeToLive is already disabled"));
        }
        _ => {}
    }
    engine
        .update_time_to_live(UpdateTimeToLive::new(&name, &attribute, enabled))
        .await
        .map_err(|err| engine_error(&err, "UpdateTimeToLive"))?;
    Ok(json!({
        "TimeToLiveSpecification": { "Enabled": enabled, "AttributeName": attribute },
    }))
}

/// `DescribeTimeToLive`: `{"TimeToLiveDescription": {"TimeToLiveStatus", "AttributeName"?}}`.
pub(super) fn describe_time_to_live(service: &Service, body: &Value) -> Answer {
    let name = only_table_name(body)?;
    let facts = service
        .engine()
        .table_facts(&name)
        .map_err(|err| engine_error(&err, "DescribeTimeToLive"))?;
    let description = match facts.time_to_live {
        Some(attribute) => json!({ "TimeToLiveStatus": "ENABLED", "AttributeName": attribute }),
        None => json!({ "TimeToLiveStatus": "DISABLED" }),
    };
    Ok(json!({ "TimeToLiveDescription": description }))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::protocol::tables::test_support::{call, create_table, error, service};

    fn specification(enabled: bool, attribute: &str) -> serde_json::Value {
        json!({
            "TableName": "sessions",
            "TimeToLiveSpecification": { "Enabled": enabled, "AttributeName": attribute },
        })
    }

    #[tokio::test]
    async fn time_to_live_is_enabled_described_and_disabled() {
        let service = service();
        create_table(&service, "sessions", None).await;
        let describe = json!({ "TableName": "sessions" });
        assert_eq!(
            call(&service, "DescribeTimeToLive", describe.clone()).await,
            json!({ "TimeToLiveDescription": { "TimeToLiveStatus": "DISABLED" } })
        );
        assert_eq!(
            call(
                &service,
                "UpdateTimeToLive",
                specification(true, "expiresAt")
            )
            .await,
            json!({ "TimeToLiveSpecification": { "Enabled": true, "AttributeName": "expiresAt" } })
        );
        assert_eq!(
            call(&service, "DescribeTimeToLive", describe.clone()).await,
            json!({
                "TimeToLiveDescription": {
                    "TimeToLiveStatus": "ENABLED",
                    "AttributeName": "expiresAt",
                },
            })
        );
        let again = error(
            &service,
            "UpdateTimeToLive",
            specification(true, "expiresAt"),
        )
        .await;
        assert_eq!(again.message, "TimeToLive is already enabled");
        for enabled in [true, false] {
            let other = error(
                &service,
                "UpdateTimeToLive",
                specification(enabled, "other"),
            )
            .await;
            assert_eq!(
                (other.name, other.message.as_str()),
                (
                    "ValidationException",
                    "TimeToLive is active on a different AttributeName: current AttributeName \
                     is expiresAt"
                )
            );
        }
        call(
            &service,
            "UpdateTimeToLive",
            specification(false, "expiresAt"),
        )
        .await;
        let twice = error(
            &service,
            "UpdateTimeToLive",
            specification(false, "expiresAt"),
        )
        .await;
        assert_eq!(twice.message, "TimeToLive is already disabled");
    }

    #[tokio::test]
    async fn an_empty_attribute_and_a_missing_table_are_refused() {
        let service = service();
        let empty = error(&service, "UpdateTimeToLive", specification(true, "")).await;
        assert_eq!(
            empty.message,
            "1 validation error detected: Value '' at 'timeToLiveSpecification.attributeName' \
             failed to satisfy constraint: Member must have length greater than or equal to 1"
        );
        let missing = error(&service, "UpdateTimeToLive", specification(true, "ttl")).await;
        assert_eq!(
            (missing.name, missing.message.as_str()),
            (
                "ResourceNotFoundException",
                "Requested resource not found: Table: sessions not found"
            )
        );
        let described = error(
            &service,
            "DescribeTimeToLive",
            json!({ "TableName": "sessions" }),
        )
        .await;
        assert_eq!(described.name, "ResourceNotFoundException");
    }
}
