//! The table settings the engine does not model, kept by the service (with the table's tags,
//! in [`super`]) so that `DescribeTable` says what `CreateTable` and `UpdateTable`
//! set: `DeletionProtectionEnabled` (which `DeleteTable` enforces), `TableClass` and
//! `SSESpecification` (described, no behaviour).

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::protocol::constraints::Violations;

/// One table's settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Settings {
    /// `DeletionProtectionEnabled`.
    pub(crate) deletion_protection: bool,
    /// `TableClass`, when set (`STANDARD` or `STANDARD_INFREQUENT_ACCESS`).
    pub(crate) table_class: Option<String>,
    /// `SSESpecification`, when it enabled encryption with a KMS key: its `SSEType` and key.
    pub(crate) sse: Option<Sse>,
}

/// Encryption at rest with a KMS key, as `SSESpecification` asked for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Sse {
    /// The key's id, ARN or alias, when given (`KMSMasterKeyId`).
    pub(crate) key: Option<String>,
}

impl Settings {
    /// Adds the settings' members to a `TableDescription` of a table of `account` in `region`.
    pub(crate) fn describe(&self, table: &mut Value, region: &str, account: &str) {
        table["DeletionProtectionEnabled"] = Value::Bool(self.deletion_protection);
        if let Some(class) = &self.table_class {
            table["TableClassSummary"] = json!({ "TableClass": class });
        }
        if let Some(sse) = &self.sse {
            let key = match &sse.key {
                Some(arn) if arn.starts_with("arn:") => arn.clone(),
                Some(id) => format!("arn:aws:kms:{region}:{account}:key/{id}"),
                None => format!("arn:aws:kms:{region}:{account}:alias/aws/dynamodb"),
            };
            table["SSEDescription"] = json!({
                "Status": "ENABLED",
                "SSEType": "KMS",
                "KMSMasterKeyArn": key,
            });
        }
    }
}

/// An `SSESpecification`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct SseShape {
    enabled: Option<bool>,
    #[serde(rename = "SSEType")]
    sse_type: Option<String>,
    #[serde(rename = "KMSMasterKeyId")]
    kms_master_key_id: Option<String>,
}

impl SseShape {
    /// Its constraints (`path`: where the request holds it).
    pub(crate) fn check(&self, path: &str, violations: &mut Violations) {
        if let Some(kind) = &self.sse_type {
            violations.one_of(kind, &format!("{path}.sSEType"), &["AES256", "KMS"]);
        }
    }

    /// The encryption it asks for: with a KMS key when enabled, else the default (an AWS
    /// owned key, which `DescribeTable` does not describe).
    pub(crate) fn sse(&self) -> Option<Sse> {
        self.enabled.unwrap_or(false).then(|| Sse {
            key: self.kms_master_key_id.clone(),
        })
    }
}

/// The constraints on `TableClass` (optional).
pub(crate) fn check_table_class(class: Option<&String>, violations: &mut Violations) {
    if let Some(class) = class {
        violations.one_of(
            class,
            "tableClass",
            &["STANDARD", "STANDARD_INFREQUENT_ACCESS"],
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kms_key_id_is_described_as_its_arn() {
        let settings = Settings {
            sse: Some(Sse {
                key: Some("1234abcd".into()),
            }),
            table_class: Some("STANDARD_INFREQUENT_ACCESS".into()),
            ..Settings::default()
        };
        let mut table = json!({});
        settings.describe(&mut table, "eu-west-1", "000000000000");
        assert_eq!(
            table,
            json!({
                "DeletionProtectionEnabled": false,
                "TableClassSummary": { "TableClass": "STANDARD_INFREQUENT_ACCESS" },
                "SSEDescription": {
                    "Status": "ENABLED",
                    "SSEType": "KMS",
                    "KMSMasterKeyArn": "arn:aws:kms:eu-west-1:000000000000:key/1234abcd",
                },
            })
        );
    }
}
