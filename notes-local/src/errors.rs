//! The engine's errors as DynamoDB's JSON protocol answers them: the HTTP status, the `__type`
//! (`com.amazonaws.dynamodb.v20120810#<Name>`, of which SDKs read the part after `#`) and the
//! `message`, with `CancellationReasons` on a cancelled transaction and `ThrottlingReasons`
//! on throttling.
//!
//! Every error a client caused is a 400; what the server itself failed at (the disk, a damaged
//! store) is DynamoDB's `InternalServerError`, a 500 that SDKs retry. The names and messages
//! follow the DynamoDB API reference's "Common Errors" and each operation's "Errors" section.

use notes_core::throttling::LimitType;
use notes_core::{CancellationReason, Error, ThrottlingReason};
use serde_json::{Value, json};

/// The namespace of DynamoDB's own error types in `__type`.
pub const DYNAMODB: &str = "com.amazonaws.dynamodb.v20120810#";

/// The namespace of `ValidationException`, raised by the service framework's validation
/// whether or not the operation has begun: DynamoDB answers
/// `com.amazon.coral.validate#ValidationException`.
pub const VALIDATE: &str = "com.amazon.coral.validate#";

/// The namespace of the errors the service framework raises before an operation runs
/// (`SerializationException`, `UnknownOperationException`, the credential errors).
pub const CORAL: &str = "com.amazon.coral.service#";

/// One error answer: status, DynamoDB's error name and its message.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorAnswer {
    /// [`DYNAMODB`] or [`CORAL`]: the part of `__type` before the name.
    pub namespace: &'static str,
    /// The HTTP status: 400 for the client's errors, 500 for the server's.
    pub status: u16,
    /// DynamoDB's error name, e.g. `ResourceNotFoundException`.
    pub name: &'static str,
    /// The message, as DynamoDB words it where it has a fixed text.
    pub message: String,
    /// `TransactionCanceledException`'s reasons, one per action of the request.
    pub cancellation_reasons: Option<Vec<Value>>,
    /// `ConditionalCheckFailedException`'s `Item`: the stored item, when the request asked
    /// for it (`ReturnValuesOnConditionCheckFailure: ALL_OLD`) and there is one (boxed: the
    /// answer travels as the error of every check's `Result`).
    pub item: Option<Box<Value>>,
    /// Throttling's `ThrottlingReasons`: why, and the ARN of the table or index throttled.
    pub throttling_reasons: Option<Vec<ThrottlingReason>>,
}

impl ErrorAnswer {
    /// The JSON body: `{"__type": "...#Name", "message": "..."}` (plus `CancellationReasons`
    /// or `Item`). An empty message is left out, as DynamoDB leaves it out of the service
    /// framework's `SerializationException` and `UnknownOperationException`; DynamoDB spells
    /// the member `Message` in `SerializationException` and `TransactionCanceledException`
    /// (SDKs read either).
    ///
    /// ```
    /// use notes_core::Error;
    /// use notes_local::errors::ErrorAnswer;
    ///
    /// let answer = ErrorAnswer::of(&Error::validation("One or more parameter values were invalid"), "PutItem", 1);
    /// assert_eq!(answer.status, 400);
    /// assert_eq!(
    ///     answer.body()["__type"],
    ///     "com.amazon.coral.validate#ValidationException"
    /// );
    /// ```
    pub fn body(&self) -> Value {
        let mut body = json!({ "__type": format!("{}{}", self.namespace, self.name) });
        if !self.message.is_empty() {
            let member = match self.name {
                "SerializationException" | "TransactionCanceledException" => "Message",
                _ => "message",
            };
            body[member] = Value::String(self.message.clone());
        }
        if let Some(reasons) = &self.cancellation_reasons {
            body["CancellationReasons"] = Value::Array(reasons.clone());
        }
        if let Some(item) = &self.item {
            body["Item"] = Value::clone(item);
        }
        if let Some(reasons) = &self.throttling_reasons {
            // DynamoDB's model spells the member `throttlingReasons` in `ThrottlingException`
            // and `ThrottlingReasons` in the other two (SDKs read only that spelling).
            let member = match self.name {
                "ThrottlingException" => "throttlingReasons",
                _ => "ThrottlingReasons",
            };
            body[member] = reasons
                .iter()
                .map(|r| json!({ "reason": r.reason.to_string(), "resource": r.resource }))
                .collect();
        }
        body
    }

    /// This answer with the resource ARN of each throttling reason rewritten by `arn` (the
    /// engine's ARNs in the region a server answers for).
    ///
    /// ```
    /// use notes_core::{Error, ThrottlingReason};
    /// use notes_local::errors::ErrorAnswer;
    ///
    /// let reason = ThrottlingReason::new("TableWriteProvisionedThroughputExceeded", "table/notes");
    /// let err = Error::Throttled { source: None, retried: false, reasons: vec![reason] };
    /// let answer = ErrorAnswer::of(&err, "PutItem", 1).map_resources(|arn| format!("arn:{arn}"));
    /// assert_eq!(answer.body()["ThrottlingReasons"][0]["resource"], "arn:table/notes");
    /// ```
    pub fn map_resources(mut self, arn: impl Fn(&str) -> String) -> Self {
        for reason in self.throttling_reasons.iter_mut().flatten() {
            reason.resource = arn(&reason.resource);
        }
        self
    }

    /// A client's error (400), in DynamoDB's own namespace ([`VALIDATE`]'s for
    /// `ValidationException`).
    ///
    /// ```
    /// use notes_local::errors::ErrorAnswer;
    /// let answer = ErrorAnswer::client("ResourceNotFoundException", "Requested resource not found".into());
    /// assert_eq!(answer.status, 400);
    /// assert_eq!(answer.body()["__type"], "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException");
    /// let invalid = ErrorAnswer::client("ValidationException", "bad".into());
    /// assert_eq!(invalid.body()["__type"], "com.amazon.coral.validate#ValidationException");
    /// ```
    pub fn client(name: &'static str, message: String) -> Self {
        ErrorAnswer {
            namespace: if name == "ValidationException" {
                VALIDATE
            } else {
                DYNAMODB
            },
            status: 400,
            name,
            message,
            cancellation_reasons: None,
            item: None,
            throttling_reasons: None,
        }
    }

    /// DynamoDB's `ValidationException` (400) with `message`.
    ///
    /// ```
    /// use notes_local::errors::ErrorAnswer;
    /// assert_eq!(ErrorAnswer::validation("bad").name, "ValidationException");
    /// ```
    pub fn validation(message: impl Into<String>) -> Self {
        ErrorAnswer::client("ValidationException", message.into())
    }

    /// An error of the service framework ([`CORAL`]), raised before any operation runs: a
    /// body that is not the operation's JSON is `SerializationException`, an unknown target
    /// `UnknownOperationException`.
    ///
    /// ```
    /// use notes_local::errors::ErrorAnswer;
    /// let answer = ErrorAnswer::coral(400, "SerializationException", "Start of structure or map found where not expected.".into());
    /// assert_eq!(answer.body()["__type"], "com.amazon.coral.service#SerializationException");
    /// ```
    pub fn coral(status: u16, name: &'static str, message: String) -> Self {
        ErrorAnswer {
            namespace: CORAL,
            status,
            name,
            message,
            cancellation_reasons: None,
            item: None,
            throttling_reasons: None,
        }
    }

    /// How DynamoDB answers `err`, raised by `operation` (its `X-Amz-Target` name) on a
    /// request of `actions` actions (1 unless it is a transaction).
    pub fn of(err: &Error, operation: &str, actions: usize) -> Self {
        let client = ErrorAnswer::client;
        let backups = matches!(
            operation,
            "CreateBackup" | "RestoreTableFromBackup" | "RestoreTableToPointInTime"
        );
        match err {
            Error::Validation { message, .. } | Error::ItemTooLarge { message, .. } => {
                client("ValidationException", message.clone())
            }
            Error::ConditionFailed { item, .. } => ErrorAnswer {
                item: item.as_ref().map(|item| Box::new(json!(item))),
                ..client(
                    "ConditionalCheckFailedException",
                    "The conditional request failed".to_owned(),
                )
            },
            Error::TableNotFound { table, .. } if backups => client(
                "TableNotFoundException",
                format!("Table not found: {table}"),
            ),
            Error::TableNotFound { .. } => client(
                "ResourceNotFoundException",
                "Requested resource not found".to_owned(),
            ),
            Error::TableAlreadyExists { table, .. } if backups => client(
                "TableAlreadyExistsException",
                format!("Table already exists: {table}"),
            ),
            Error::TableAlreadyExists { table, .. } => client(
                "ResourceInUseException",
                format!("Table already exists: {table}"),
            ),
            Error::TransactionCanceled { reasons, .. } => ErrorAnswer {
                namespace: DYNAMODB,
                status: 400,
                name: "TransactionCanceledException",
                message: format!(
                    "Transaction cancelled, please refer cancellation reasons for specific \
                     reasons [{}]",
                    codes(reasons, actions).join(", ")
                ),
                cancellation_reasons: Some(cancellation_reasons(reasons, actions)),
                item: None,
                throttling_reasons: None,
            },
            Error::IdempotentParameterMismatch { .. } => client(
                "IdempotentParameterMismatchException",
                "The request uses the same client token as a previous, but non-identical \
                 request."
                    .to_owned(),
            ),
            Error::TransactionInProgress { .. } => client(
                "TransactionInProgressException",
                "The transaction with the given request token is already in progress.".to_owned(),
            ),
            Error::LimitExceeded { message, .. } => {
                client("LimitExceededException", message.clone())
            }
            Error::Throttled {
                reasons, source, ..
            } => throttled(reasons, source.as_deref()),
            Error::BackupNotFound { backup_arn, .. } => client(
                "BackupNotFoundException",
                format!("Backup not found for the given BackupARN: {backup_arn}"),
            ),
            Error::InvalidRestoreTime { message, .. } => {
                client("InvalidRestoreTimeException", message.clone())
            }
            Error::PointInTimeRecoveryUnavailable { table, .. } => client(
                "PointInTimeRecoveryUnavailableException",
                format!("Point in time recovery is not enabled for table '{table}'"),
            ),
            Error::TrimmedData { message, .. } => {
                client("TrimmedDataAccessException", message.clone())
            }
            // The disk, a damaged store, and errors only the typed layer raises (never the
            // engine's answer to a request): the server's own failure.
            other => ErrorAnswer {
                namespace: DYNAMODB,
                status: 500,
                name: "InternalServerError",
                message: format!("Internal server error: {other}"),
                cancellation_reasons: None,
                item: None,
                throttling_reasons: None,
            },
        }
    }
}

/// Throttling, as the engine's reasons say: the exception DynamoDB throttles with for the
/// first reason's limit (`ProvisionedThroughputExceededException` when none says), the
/// engine's message (its source, `<Exception>: <message>`), and the reasons.
fn throttled(
    reasons: &[ThrottlingReason],
    source: Option<&(dyn std::error::Error + Send + Sync)>,
) -> ErrorAnswer {
    let name = reasons
        .first()
        .and_then(ThrottlingReason::limit_type)
        .map_or(
            "ProvisionedThroughputExceededException",
            LimitType::exception,
        );
    let source = source.map(ToString::to_string);
    let message = source
        .as_deref()
        .and_then(|source| source.strip_prefix(name)?.strip_prefix(": "))
        .unwrap_or(
            "The level of configured provisioned throughput for the table was exceeded. \
             Consider increasing your provisioning level with the UpdateTable API.",
        )
        .to_owned();
    ErrorAnswer {
        throttling_reasons: (!reasons.is_empty()).then(|| reasons.to_vec()),
        ..ErrorAnswer::client(name, message)
    }
}

/// Each action's code: its reason's, or `None` for an action that did not fail.
fn codes(reasons: &[CancellationReason], actions: usize) -> Vec<String> {
    let count = actions.max(reasons.iter().map(|r| r.index + 1).max().unwrap_or(0));
    (0..count)
        .map(|index| {
            reasons
                .iter()
                .find(|reason| reason.index == index)
                .map_or_else(|| "None".to_owned(), |reason| reason.code.clone())
        })
        .collect()
}

/// `CancellationReasons`: one entry per action, in the request's order.
fn cancellation_reasons(reasons: &[CancellationReason], actions: usize) -> Vec<Value> {
    codes(reasons, actions)
        .into_iter()
        .enumerate()
        .map(|(index, code)| {
            let message = reasons
                .iter()
                .find(|reason| reason.index == index)
                .and_then(|reason| reason.message.clone());
            match message {
                Some(message) => json!({ "Code": code, "Message": message }),
                None => json!({ "Code": code }),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(err: Error, operation: &str) -> ErrorAnswer {
        ErrorAnswer::of(&err, operation, 1)
    }

    #[test]
    fn a_missing_table_is_resource_not_found_except_for_backups() {
        let missing = || Error::TableNotFound {
            table: "notes".into(),
            source: None,
        };
        let get = answer(missing(), "GetItem");
        assert_eq!((get.status, get.name), (400, "ResourceNotFoundException"));
        assert_eq!(get.message, "Requested resource not found");
        let backup = answer(missing(), "CreateBackup");
        assert_eq!(backup.name, "TableNotFoundException");
        assert_eq!(backup.message, "Table not found: notes");
    }

    #[test]
    fn an_existing_table_is_resource_in_use_on_create_and_already_exists_on_restore() {
        let exists = || Error::TableAlreadyExists {
            table: "notes".into(),
            source: None,
        };
        assert_eq!(
            answer(exists(), "CreateTable").name,
            "ResourceInUseException"
        );
        assert_eq!(
            answer(exists(), "RestoreTableFromBackup").name,
            "TableAlreadyExistsException"
        );
    }

    #[test]
    fn validation_keeps_the_engines_message_and_the_json_names_the_type() {
        let answer = answer(
            Error::validation("One or more parameter values were invalid: Missing the key noteId"),
            "PutItem",
        );
        assert_eq!(
            answer.body(),
            json!({
                "__type": "com.amazon.coral.validate#ValidationException",
                "message": "One or more parameter values were invalid: Missing the key noteId",
            })
        );
    }

    #[test]
    fn an_empty_message_is_left_out_of_the_body() {
        let unknown = ErrorAnswer::coral(400, "UnknownOperationException", String::new());
        assert_eq!(
            unknown.body(),
            json!({ "__type": "com.amazon.coral.service#UnknownOperationException" })
        );
    }

    #[test]
    fn throttling_is_the_exception_sdks_retry() {
        let answer = answer(
            Error::Throttled {
                source: None,
                retried: false,
                reasons: Vec::new(),
            },
            "Query",
        );
        assert_eq!(
            (answer.status, answer.name),
            (400, "ProvisionedThroughputExceededException")
        );
    }

    /// Each limit's exception, the engine's message, and the reasons under the member name
    /// DynamoDB's model gives that exception.
    #[test]
    fn throttling_answers_its_reasons_with_the_exception_of_their_limit() {
        let arn = "arn:aws:dynamodb:ddblocal:000000000000:table/notes";
        let throttled = |reason: &str, source: &str| Error::Throttled {
            source: Some(source.to_owned().into()),
            retried: false,
            reasons: vec![ThrottlingReason::new(reason, arn)],
        };
        let provisioned = answer(
            throttled(
                "TableWriteProvisionedThroughputExceeded",
                "ProvisionedThroughputExceededException: The level of configured provisioned \
                 throughput for the table was exceeded.",
            ),
            "PutItem",
        );
        assert_eq!(
            provisioned.body(),
            json!({
                "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                "message": "The level of configured provisioned throughput for the table was exceeded.",
                "ThrottlingReasons": [
                    { "reason": "TableWriteProvisionedThroughputExceeded", "resource": arn },
                ],
            })
        );
        let maximum = answer(
            throttled(
                "IndexReadMaxOnDemandThroughputExceeded",
                "ThrottlingException: past the maximum",
            ),
            "Query",
        )
        .map_resources(|arn| arn.replace("ddblocal", "eu-west-1"));
        assert_eq!(
            maximum.body(),
            json!({
                "__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                "message": "past the maximum",
                "throttlingReasons": [{
                    "reason": "IndexReadMaxOnDemandThroughputExceeded",
                    "resource": "arn:aws:dynamodb:eu-west-1:000000000000:table/notes",
                }],
            })
        );
        let account = answer(
            throttled("TableReadAccountLimitExceeded", "quota"),
            "GetItem",
        );
        assert_eq!(account.name, "RequestLimitExceeded");
    }

    #[test]
    fn a_cancelled_transaction_gives_a_reason_for_every_action() {
        let err = Error::TransactionCanceled {
            reasons: vec![CancellationReason {
                index: 1,
                code: "ConditionalCheckFailed".into(),
                message: Some("The conditional request failed".into()),
            }],
            source: None,
        };
        let answer = ErrorAnswer::of(&err, "TransactWriteItems", 3);
        assert_eq!(
            answer.message,
            "Transaction cancelled, please refer cancellation reasons for specific reasons \
             [None, ConditionalCheckFailed, None]"
        );
        assert_eq!(
            answer.body()["CancellationReasons"],
            json!([
                { "Code": "None" },
                { "Code": "ConditionalCheckFailed", "Message": "The conditional request failed" },
                { "Code": "None" },
            ])
        );
    }

    #[test]
    fn a_failed_condition_carries_the_stored_item_when_the_engine_gives_it() {
        let failed = |item| Error::ConditionFailed {
            item,
            retried: false,
            source: None,
        };
        let stored = notes_model::ItemMap::from([(
            "pk".to_owned(),
            notes_model::AttributeValue::S("p".into()),
        )]);
        assert_eq!(
            answer(failed(Some(stored)), "PutItem").body(),
            json!({
                "__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
                "message": "The conditional request failed",
                "Item": {"pk": {"S": "p"}},
            })
        );
        assert_eq!(answer(failed(None), "PutItem").body().get("Item"), None);
    }

    #[test]
    fn the_servers_own_failures_are_internal_server_errors() {
        let answer = answer(
            Error::Corrupt {
                path: "journal-1".into(),
                offset: 7,
                reason: "bad checksum".into(),
            },
            "GetItem",
        );
        assert_eq!((answer.status, answer.name), (500, "InternalServerError"));
    }
}
