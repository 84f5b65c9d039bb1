//! The repository's error type.

use notes_model::KeySchema;

use crate::encryption::{DecryptionFailure, EncryptionRefusal};
use crate::request::streams::{StreamViewType, UnknownName};
use crate::request::{BackupArn, WriteRequest};
use crate::throttling::ThrottlingReason;

/// A boxed error from a backend or the AWS SDK, kept as an error's `source()`.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why one action of a cancelled transaction failed (DynamoDB's `CancellationReason`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancellationReason {
    /// The index of the action in the request.
    pub index: usize,
    /// DynamoDB's code: `ConditionalCheckFailed`, `TransactionConflict`, `ValidationError`, ...
    pub code: String,
    /// DynamoDB's message, if any.
    pub message: Option<String>,
}

/// Everything that can go wrong between app code and the table.
///
/// Validation errors are raised before any request is sent whenever the SDK can know; the
/// backend's own error is kept as [`std::error::Error::source`].
///
/// ```
/// use notes_repo::Error;
///
/// let err = Error::validation("One or more parameter values were invalid: key too long");
/// assert!(matches!(err, Error::Validation { .. }));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request is invalid (DynamoDB's `ValidationException`): what was wrong and where.
    #[error("validation error: {message}")]
    Validation {
        /// What was wrong and where.
        message: String,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    /// The item is over DynamoDB's 400 KB item size limit (a `ValidationException` in DynamoDB;
    /// its own variant so that callers can tell it apart, e.g. as HTTP 413).
    #[error("item too large: {message}")]
    ItemTooLarge {
        /// DynamoDB's wording, with the item's size.
        message: String,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    /// A condition expression evaluated to false (`ConditionalCheckFailedException`).
    #[error("the conditional request failed")]
    ConditionFailed {
        /// The stored item (`None`: there is none) when the request asked for it with
        /// [`ReturnValuesOnConditionCheckFailure::AllOld`](crate::request::ReturnValuesOnConditionCheckFailure);
        /// `None` otherwise.
        item: Option<notes_model::ItemMap>,
        /// The request was sent more than once and an earlier attempt's outcome is unknown (the
        /// AWS SDK retried it after a reset, a timeout or a 5xx, or a layer that re-sent it
        /// said so with [`Error::mark_retried`]), so that attempt may have been applied and
        /// this failure may be its own doing. Never set for retries after throttling or another
        /// 4xx (nothing was applied), nor by `MemoryBackend`, which has no lost answers.
        retried: bool,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    /// `create` found an item with the same key already in the table.
    #[error("an item with key {key} already exists in table `{table}`")]
    AlreadyExists {
        /// The table.
        table: String,
        /// The item's key, by stored attribute names: `{userId: "u1", noteId: "n1"}`.
        key: String,
    },
    /// An operation that needs an existing item found none.
    #[error("no item with key {key} in table `{table}`")]
    NotFound {
        /// The table.
        table: String,
        /// The key looked for, by stored attribute names: `{userId: "u1", noteId: "n1"}`.
        key: String,
    },
    /// The table does not exist or is not active (`ResourceNotFoundException`).
    #[error("table `{table}` not found")]
    TableNotFound {
        /// The table name.
        table: String,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    /// `create_table` for a table that exists (`ResourceInUseException`), or a restore into
    /// one (`TableAlreadyExistsException`: "A target table with the specified name already
    /// exists.").
    #[error("table `{table}` already exists")]
    TableAlreadyExists {
        /// The table name.
        table: String,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    /// A live table's key schema is not the one the item type declares.
    #[error(
        "table `{table}` has key schema {}, but the item type declares {}",
        SchemaDisplay(&schemas.1),
        SchemaDisplay(&schemas.0)
    )]
    KeySchemaMismatch {
        /// The table name.
        table: String,
        /// The schema the item type declares, then the one the live table has.
        schemas: Box<(KeySchema, KeySchema)>,
    },
    /// A transaction was cancelled (`TransactionCanceledException`); one reason per action.
    #[error("transaction cancelled: {}", describe_reasons(.reasons))]
    TransactionCanceled {
        /// One reason per action, in request order (`None` code means that action was fine).
        reasons: Vec<CancellationReason>,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    /// A `TransactWriteItems` reused the `ClientRequestToken` of a different request within
    /// the token's 10 minutes (DynamoDB's `IdempotentParameterMismatchException`). The same
    /// request sent again with its token is not this error: it succeeds without being applied
    /// twice. Nothing was applied; use another token for another request.
    ///
    /// ```
    /// let err = notes_repo::Error::IdempotentParameterMismatch {
    ///     token: "order-42".into(),
    ///     message: "The request uses the same client token as a previous, but non-identical request".into(),
    ///     source: None,
    /// };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "idempotent parameter mismatch for ClientRequestToken `order-42`: The request uses \
    ///      the same client token as a previous, but non-identical request"
    /// );
    /// ```
    #[error("idempotent parameter mismatch for ClientRequestToken `{token}`: {message}")]
    IdempotentParameterMismatch {
        /// The token.
        token: String,
        /// DynamoDB's wording.
        message: String,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    /// The transaction with this `ClientRequestToken` is still being applied by an earlier
    /// request (DynamoDB's `TransactionInProgressException`, e.g. the SDK's retry of a
    /// `TransactWriteItems` whose first attempt timed out). Its outcome is not known yet:
    /// sending the same request again with the same token, after a short wait, answers it.
    ///
    /// ```
    /// let err = notes_repo::Error::TransactionInProgress {
    ///     token: "order-42".into(),
    ///     message: "The transaction with the given request token is already in progress.".into(),
    ///     source: None,
    /// };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "transaction in progress for ClientRequestToken `order-42`: The transaction with the \
    ///      given request token is already in progress."
    /// );
    /// ```
    #[error("transaction in progress for ClientRequestToken `{token}`: {message}")]
    TransactionInProgress {
        /// The token.
        token: String,
        /// DynamoDB's wording.
        message: String,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    /// A per-table limit on changing the table was reached (DynamoDB's
    /// `LimitExceededException`, "Subscriber limit exceeded"): e.g. a fifth decrease of
    /// provisioned throughput within an hour of the last one on the same UTC day. Retrying at
    /// once does not help; the message says when the next change can be made.
    ///
    /// ```
    /// let err = notes_repo::Error::LimitExceeded {
    ///     table: "notes".into(),
    ///     message: "Subscriber limit exceeded: ...".into(),
    ///     source: None,
    /// };
    /// assert_eq!(err.to_string(), "limit exceeded on table `notes`: Subscriber limit exceeded: ...");
    /// ```
    #[error("limit exceeded on table `{table}`: {message}")]
    LimitExceeded {
        /// The table.
        table: String,
        /// DynamoDB's wording: which limit, and when the next change can be made.
        message: String,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    /// The request was throttled and the retries were spent.
    ///
    /// A throttled attempt was not applied, but an earlier attempt of the same request may
    /// have been: `retried` says so. It is set when the request was sent more than once and
    /// an earlier attempt's outcome is unknown (the AWS SDK re-sent it after a reset, a
    /// timeout or a 5xx, or a layer re-sent it after such an answer and marked its answer
    /// with [`Error::mark_retried`]): then the write may have been applied. With `retried:
    /// false`, nothing was applied.
    ///
    /// `reasons` says why, as DynamoDB's `ThrottlingReasons` do: the table or index, reads or
    /// writes, and the limit (provisioned capacity, an on-demand maximum, a hot key range, the
    /// account's quota); see [`throttling`](crate::throttling).
    ///
    /// ```
    /// use notes_repo::ThrottlingReason;
    ///
    /// let reason = ThrottlingReason::new(
    ///     "TableWriteProvisionedThroughputExceeded",
    ///     "arn:aws:dynamodb:us-east-1:123456789012:table/notes",
    /// );
    /// let err = notes_repo::Error::Throttled { source: None, retried: false, reasons: vec![reason] };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "request throttled by DynamoDB after retries (TableWriteProvisionedThroughputExceeded \
    ///      on arn:aws:dynamodb:us-east-1:123456789012:table/notes)"
    /// );
    /// assert!(matches!(err.mark_retried(), notes_repo::Error::Throttled { retried: true, .. }));
    /// ```
    #[error("request throttled by DynamoDB after retries{}{}", describe_throttling(.reasons), if *.retried { " (an earlier attempt's outcome is unknown: the write may have been applied)" } else { "" })]
    Throttled {
        /// The service's error.
        #[source]
        source: Option<BoxError>,
        /// An earlier attempt's outcome is unknown: the write may have been applied.
        retried: bool,
        /// Why the request was throttled (DynamoDB's `ThrottlingReasons`; empty when the
        /// service did not say).
        reasons: Vec<ThrottlingReason>,
    },
    /// A `#[version]` check failed: the stored item is not at the version the write expected
    /// (someone else wrote it first), or it exists where a first write expected none.
    #[error("version conflict on {key} in table `{table}`: expected {}", describe_version(*.expected))]
    VersionConflict {
        /// The table.
        table: String,
        /// The item's key, by stored attribute names: `{userId: "u1", noteId: "n1"}`.
        key: String,
        /// The version the write expected to replace; `None` for a first write (no item).
        expected: Option<u64>,
    },
    /// A write would give a second item the value of a `#[unique]` attribute: the guard item
    /// of that value belongs to another item. Nothing was written. The value itself is not in
    /// the error (nor in its message), so that logs of it hold no e-mail addresses or the like.
    ///
    /// ```
    /// let err = notes_repo::Error::UniqueConflict {
    ///     table: "users".into(),
    ///     attribute: "email".into(),
    ///     owner: Some(r#"{userId: "u1"}"#.into()),
    /// };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "the value of the #[unique] attribute `email` belongs to the item with key \
    ///      {userId: \"u1\"} in table `users`"
    /// );
    /// ```
    #[error("the value of the #[unique] attribute `{attribute}` belongs to {} in table `{table}`", describe_owner(owner.as_deref()))]
    UniqueConflict {
        /// The table.
        table: String,
        /// The attribute, by its stored name.
        attribute: String,
        /// The key of the item that holds the value, by stored attribute names
        /// (`{userId: "u1"}`), as its guard names it; `None` when the guard was gone (or was
        /// not a guard) by the time it was read after the conflict: the value may be free now.
        owner: Option<String>,
    },
    /// A batch write stopped with writes still unprocessed after its retries; they are listed
    /// so the caller can retry or report them. Everything not listed was written; a listed
    /// write is not known to be written (its answer may have been lost after it was applied),
    /// and sending it again is safe.
    #[error("batch write to `{table}` incomplete: {} write(s) not applied after {attempts} attempt(s)", unprocessed.len())]
    BatchWriteIncomplete {
        /// The table.
        table: String,
        /// The writes not known to be applied.
        unprocessed: Vec<WriteRequest>,
        /// The most attempts any unfinished chunk had.
        attempts: u32,
        /// The error that ended the retries, if one did (throttling, a service error).
        #[source]
        source: Option<Box<Error>>,
    },
    /// A batch get stopped with keys still unread after its retries.
    #[error("batch get from `{table}` incomplete: {} key(s) not read after {attempts} attempt(s)", unprocessed_keys.len())]
    BatchGetIncomplete {
        /// The table.
        table: String,
        /// The keys that were not read.
        unprocessed_keys: Vec<notes_model::ItemMap>,
        /// The most attempts any unfinished chunk had.
        attempts: u32,
        /// The error that ended the retries, if one did.
        #[source]
        source: Option<Box<Error>>,
    },
    /// A page cursor was tampered with or belongs to another query.
    #[error("invalid cursor: {reason}")]
    InvalidCursor {
        /// What is wrong with it.
        reason: String,
    },
    /// An item could not be converted to or from its Rust type.
    #[error(transparent)]
    Item(#[from] notes_model::Error),
    /// Any other error from the backend or the AWS SDK.
    #[error("backend error: {source}")]
    Backend {
        /// The backend's error.
        #[source]
        source: BoxError,
    },
    /// The auto scaling registered for a table is not the one the app expects
    /// (`Repo::ensure_table(..).auto_scaling(..)`):
    /// each difference, as `write of the table: expected min 5, max 40000, target 70%;
    /// registered none`.
    #[error("auto scaling of table `{table}` is not the expected one: {}", differences.join("; "))]
    AutoScalingMismatch {
        /// The table.
        table: String,
        /// Each target whose policy differs, with both policies.
        differences: Vec<String>,
    },
    // ---- Backups ----
    /// No backup has this ARN, or it was deleted (DynamoDB's `BackupNotFoundException`:
    /// "Backup not found for the given BackupARN.").
    ///
    /// ```
    /// use notes_repo::{Error, request::BackupArn};
    /// let err = Error::BackupNotFound { backup_arn: BackupArn::new("arn:x"), source: None };
    /// assert_eq!(err.to_string(), "backup not found for the given BackupARN: arn:x");
    /// ```
    #[error("backup not found for the given BackupARN: {backup_arn}")]
    BackupNotFound {
        /// The ARN looked for.
        backup_arn: BackupArn,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    /// A point-in-time restore asked for an instant outside the restorable window (DynamoDB's
    /// `InvalidRestoreTimeException`: "RestoreDateTime must be between
    /// EarliestRestorableDateTime and LatestRestorableDateTime").
    ///
    /// ```
    /// let err = notes_repo::Error::InvalidRestoreTime { message: "too early".into(), source: None };
    /// assert_eq!(err.to_string(), "invalid restore time: too early");
    /// ```
    #[error("invalid restore time: {message}")]
    InvalidRestoreTime {
        /// What was asked for and the window, in DynamoDB's wording.
        message: String,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    /// A point-in-time restore of a table whose point-in-time recovery is off (DynamoDB's
    /// `PointInTimeRecoveryUnavailableException`: "Point in time recovery has not yet been
    /// enabled for this source table.").
    ///
    /// ```
    /// let err = notes_repo::Error::PointInTimeRecoveryUnavailable { table: "notes".into(), source: None };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "point in time recovery has not yet been enabled for table `notes`"
    /// );
    /// ```
    #[error("point in time recovery has not yet been enabled for table `{table}`")]
    PointInTimeRecoveryUnavailable {
        /// The source table.
        table: String,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    // ---- Shared tables ----
    /// The live table does not meet what one entity of a shared table expects: its key
    /// schema, or one of its secondary indexes.
    ///
    /// ```
    /// let err = notes_repo::Error::EntityTableMismatch {
    ///     table: "app".into(),
    ///     entity: "note".into(),
    ///     reason: "no index `byTag`".into(),
    /// };
    /// assert_eq!(err.to_string(), "table `app` does not meet entity `note`'s expectations: no index `byTag`");
    /// ```
    #[error("table `{table}` does not meet entity `{entity}`'s expectations: {reason}")]
    EntityTableMismatch {
        /// The table.
        table: String,
        /// The entity (its name, `#[item(entity = "..")]`).
        entity: String,
        /// What is missing or different.
        reason: String,
    },
    /// A durable `MemoryBackend`'s directory is open already, in
    /// this process or another: its `LOCK` file is held. Two stores on one directory would
    /// interleave their journals, so the second open is refused.
    ///
    /// ```
    /// let err = notes_repo::Error::StoreInUse { path: "notes-data".into() };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "the store directory `notes-data` is in use by another MemoryBackend (its LOCK file is held)"
    /// );
    /// ```
    #[error("the store directory `{}` is in use by another MemoryBackend (its LOCK file is held)", path.display())]
    StoreInUse {
        /// The directory.
        path: std::path::PathBuf,
    },
    /// A durable `MemoryBackend`'s journal file is damaged: a record
    /// whose checksum does not match, or whose length is impossible, where the damage is not a
    /// torn final record (a crash mid-append, which is cut off); or a complete generation whose
    /// header or snapshot cannot be read. `open` refuses the directory and changes nothing in
    /// it; `MemoryBackend::salvage` keeps every intact record
    /// and reports what it could not read.
    ///
    /// ```
    /// let err = notes_repo::Error::Corrupt {
    ///     path: "notes-data/journal-00000000000000000001".into(),
    ///     offset: 274,
    ///     reason: "a record whose checksum does not match".into(),
    /// };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "the store file `notes-data/journal-00000000000000000001` is damaged at byte 274: \
    ///      a record whose checksum does not match; nothing was changed \
    ///      (MemoryBackend::salvage keeps every intact record)"
    /// );
    /// ```
    #[error("the store file `{}` is damaged at byte {offset}: {reason}; nothing was changed (MemoryBackend::salvage keeps every intact record)", path.display())]
    Corrupt {
        /// The journal file.
        path: std::path::PathBuf,
        /// Where in it the damage starts (the first record that cannot be read).
        offset: u64,
        /// What is wrong there.
        reason: String,
    },
    /// Reading or writing a durable `MemoryBackend`'s directory
    /// failed (a full disk, a failed `fsync`): what it was doing, where,
    /// and the operating system's error as the source. A write that answers this error was
    /// not acknowledged; the backend is read-only from then on (see the `durable` section of
    /// `MemoryBackend`).
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// let err = notes_repo::Error::Storage {
    ///     path: "notes-data/journal-1".into(),
    ///     operation: "fsync",
    ///     source: Arc::new(std::io::Error::other("No space left on device")),
    /// };
    /// assert_eq!(err.to_string(), "storage error: fsync of `notes-data/journal-1` failed: No space left on device");
    /// ```
    #[error("storage error: {operation} of `{}` failed: {source}", path.display())]
    Storage {
        /// The file or directory.
        path: std::path::PathBuf,
        /// What was being done: `open`, `lock`, `read`, `write`, `fsync`, `rename`, ...
        operation: &'static str,
        /// The operating system's error (shared: one failed `fsync` answers every write it
        /// covered).
        #[source]
        source: std::sync::Arc<std::io::Error>,
    },
    /// Records of a stream after the reader's checkpoint are gone: older than the stream's
    /// 24 hours, they were trimmed (DynamoDB Streams' `TrimmedDataAccessException`, from
    /// `GetShardIterator` or `GetRecords`; from
    /// `MemoryBackend::stream_records` when a record
    /// after `after` was trimmed). Nothing is returned, since reading on would skip them:
    /// whatever was kept from the stream is to be rebuilt from the table (a full count, a
    /// full copy), then read on from the stream's oldest record kept (no checkpoint,
    /// `TRIM_HORIZON`) or from its latest.
    ///
    /// ```
    /// let err = notes_repo::Error::TrimmedData {
    ///     stream: "arn:aws:dynamodb:local:000000000000:table/notes/stream/1".into(),
    ///     after: Some("000000000000000000006".into()),
    ///     message: "The operation attempted to read past the oldest stream record in a shard.".into(),
    ///     source: None,
    /// };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "trimmed data access on stream `arn:aws:dynamodb:local:000000000000:table/notes/stream/1` \
    ///      after sequence number 000000000000000000006: The operation attempted to read past \
    ///      the oldest stream record in a shard."
    /// );
    /// ```
    #[error("trimmed data access on stream `{stream}`{}: {message}", describe_after(after.as_deref()))]
    TrimmedData {
        /// The stream's ARN.
        stream: String,
        /// The checkpoint read after (a sequence number), when the reader gave one.
        after: Option<String>,
        /// DynamoDB's wording.
        message: String,
        /// The service's error, when the service raised it.
        #[source]
        source: Option<BoxError>,
    },
    // ---- Client-side encryption (notes-encryption) ----
    /// An item read from an encrypted table failed to decrypt or to verify: never a garbled
    /// item, and never a panic. `failure` says why; `message` is the Database Encryption SDK's
    /// wording. When the item is the image a write returned (`ReturnValues`, or a failed
    /// condition's stored item), the write itself was applied (or its condition failed) and
    /// only that image is refused.
    ///
    /// ```
    /// use notes_repo::{DecryptionFailure, Error};
    ///
    /// let err = Error::Decryption {
    ///     table: "notes".into(),
    ///     key: r#"{userId: "u1", noteId: "n1"}"#.into(),
    ///     failure: DecryptionFailure::Tampered,
    ///     message: "Signature of record does not match the signature computed when the record was encrypted.".into(),
    ///     source: None,
    /// };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "item {userId: \"u1\", noteId: \"n1\"} in table `notes` failed to verify: its \
    ///      signature does not match its attributes (tampered with?): Signature of record does \
    ///      not match the signature computed when the record was encrypted."
    /// );
    /// ```
    #[error("item {key} in table `{table}` {failure}: {message}")]
    Decryption {
        /// The table.
        table: String,
        /// The item's key, by stored attribute names: `{userId: "u1", noteId: "n1"}`.
        key: String,
        /// Why it failed.
        failure: DecryptionFailure,
        /// The Database Encryption SDK's wording.
        message: String,
        /// The Database Encryption SDK's error.
        #[source]
        source: Option<BoxError>,
    },
    /// An item could not be encrypted before it was written (nothing was sent): e.g. an
    /// attribute the table's encryption schema gives no action, or a missing
    /// `SIGN_AND_INCLUDE_IN_ENCRYPTION_CONTEXT` attribute.
    ///
    /// ```
    /// let err = notes_repo::Error::Encryption {
    ///     table: "notes".into(),
    ///     key: r#"{userId: "u1", noteId: "n1"}"#.into(),
    ///     message: "No Crypto Action configured for attribute mood".into(),
    ///     source: None,
    /// };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "item {userId: \"u1\", noteId: \"n1\"} in table `notes` could not be encrypted: \
    ///      No Crypto Action configured for attribute mood"
    /// );
    /// ```
    #[error("item {key} in table `{table}` could not be encrypted: {message}")]
    Encryption {
        /// The table.
        table: String,
        /// The item's key, by stored attribute names: `{userId: "u1", noteId: "n1"}`.
        key: String,
        /// The Database Encryption SDK's wording.
        message: String,
        /// The Database Encryption SDK's error.
        #[source]
        source: Option<BoxError>,
    },
    /// A request that client-side encryption rules out, refused before anything is sent:
    /// `reason` says which rule, about `attribute`.
    ///
    /// ```
    /// use notes_repo::{EncryptionRefusal, Error};
    ///
    /// let err = Error::EncryptionRefused {
    ///     table: "notes".into(),
    ///     attribute: "content".into(),
    ///     reason: EncryptionRefusal::UpdatesSigned,
    /// };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "refused on encrypted table `notes`: an update cannot write `content`: the item's \
    ///      signature covers it: write the whole item with put"
    /// );
    /// ```
    #[error("refused on encrypted table `{table}`: {}", reason.describe(attribute))]
    EncryptionRefused {
        /// The table.
        table: String,
        /// The attribute at fault, by its stored name.
        attribute: String,
        /// The rule.
        reason: EncryptionRefusal,
    },
    /// The live table's stream is not the one the app expects
    /// (`Repo::verify_stream`,
    /// `Repo::ensure_table(..).stream(..)`): both view
    /// types, `None` for no enabled stream.
    ///
    /// ```
    /// use notes_repo::stream::StreamViewType;
    /// let err = notes_repo::Error::StreamMismatch {
    ///     table: "notes".into(),
    ///     expected: Some(StreamViewType::NewAndOldImages),
    ///     actual: None,
    /// };
    /// assert_eq!(
    ///     err.to_string(),
    ///     "table `notes` has no enabled stream, expected a NEW_AND_OLD_IMAGES stream"
    /// );
    /// ```
    #[error("table `{table}` has {}, expected {}", describe_stream(*actual), describe_stream(*expected))]
    StreamMismatch {
        /// The table.
        table: String,
        /// The view type the app expects.
        expected: Option<StreamViewType>,
        /// The table's stream's view type (`None`: no enabled stream).
        actual: Option<StreamViewType>,
    },
}

/// `a NEW_IMAGE stream`, or `no enabled stream`.
fn describe_stream(view: Option<StreamViewType>) -> String {
    view.map_or_else(
        || "no enabled stream".to_owned(),
        |view| format!("a {view} stream"),
    )
}

impl Error {
    /// A validation error with DynamoDB's wording, raised before any request is sent.
    ///
    /// ```
    /// let err = notes_repo::Error::validation("empty key");
    /// assert_eq!(err.to_string(), "validation error: empty key");
    /// ```
    pub fn validation(message: impl Into<String>) -> Self {
        Error::Validation {
            message: message.into(),
            source: None,
        }
    }
}

impl From<UnknownName> for Error {
    /// An unknown stream name is a [`Error::Validation`] with its message.
    fn from(unknown: UnknownName) -> Self {
        Error::validation(unknown.to_string())
    }
}

/// ` (TableWriteProvisionedThroughputExceeded on <ARN>; ...)`, or nothing.
fn describe_throttling(reasons: &[ThrottlingReason]) -> String {
    if reasons.is_empty() {
        return String::new();
    }
    let reasons: Vec<String> = reasons.iter().map(ToString::to_string).collect();
    format!(" ({})", reasons.join("; "))
}

/// ` after sequence number 6`, or nothing.
fn describe_after(after: Option<&str>) -> String {
    after.map_or_else(String::new, |after| {
        format!(" after sequence number {after}")
    })
}

/// `the item with key {userId: "u1"}`, or `another item`.
fn describe_owner(owner: Option<&str>) -> String {
    owner.map_or_else(
        || "another item".to_owned(),
        |key| format!("the item with key {key}"),
    )
}

fn describe_version(expected: Option<u64>) -> String {
    match expected {
        Some(version) => format!("version {version}"),
        None => "no item (a first write)".to_owned(),
    }
}

fn describe_reasons(reasons: &[CancellationReason]) -> String {
    let failed: Vec<String> = reasons
        .iter()
        .filter(|r| r.code != "None")
        .map(|r| match &r.message {
            Some(message) => format!("action {}: {} ({message})", r.index, r.code),
            None => format!("action {}: {}", r.index, r.code),
        })
        .collect();
    if failed.is_empty() {
        "no reason given".to_owned()
    } else {
        failed.join(", ")
    }
}

/// A key schema formatted for error messages: `[userId (S, partition), noteId (S, sort)]`.
struct SchemaDisplay<'a>(&'a KeySchema);

impl std::fmt::Display for SchemaDisplay<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pk = &self.0.partition_key;
        write!(f, "[{} ({}, partition)", pk.name, pk.scalar_type)?;
        if let Some(sk) = &self.0.sort_key {
            write!(f, ", {} ({}, sort)", sk.name, sk.scalar_type)?;
        }
        f.write_str("]")
    }
}

/// The result type of the repository and its backends.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// Marks a [`Error::ConditionFailed`] or [`Error::Throttled`] answer as that of a write
    /// sent more than once whose earlier attempt may have been applied (their `retried`
    /// flag); other errors come back unchanged.
    ///
    /// A [`Layer`](crate::Layer) that sends a write again after an answer that leaves its
    /// outcome unknown (a transport error, a timeout, a 5xx, an answer it dropped) calls this
    /// on the answer it returns, so that typed writes can recognise their own earlier attempt
    /// in the stored item. A layer that sends again only after throttling (as
    /// [`Retrying`](crate::Retrying) does) must not: a throttled attempt was not applied, and
    /// an identical item found afterwards is someone else's. (It keeps the mark of an answer
    /// it got, though: see [`Retrying`](crate::Retrying).)
    ///
    /// A throttled answer is marked too: the last attempt was not applied, but an earlier one
    /// may have been, and a caller must not read `Throttled` as "nothing happened".
    ///
    /// ```
    /// use notes_repo::Error;
    ///
    /// let failed = Error::ConditionFailed { item: None, retried: false, source: None };
    /// assert!(matches!(failed.mark_retried(), Error::ConditionFailed { retried: true, .. }));
    /// let throttled = Error::Throttled { source: None, retried: false, reasons: Vec::new() };
    /// assert!(matches!(throttled.mark_retried(), Error::Throttled { retried: true, .. }));
    /// ```
    pub fn mark_retried(self) -> Self {
        match self {
            Error::ConditionFailed { item, source, .. } => Error::ConditionFailed {
                item,
                retried: true,
                source,
            },
            Error::Throttled {
                source, reasons, ..
            } => Error::Throttled {
                source,
                retried: true,
                reasons,
            },
            other => other,
        }
    }

    /// Why the request was throttled: the `reasons` of an [`Error::Throttled`], or of the
    /// throttling that ended a batch's retries ([`Error::BatchWriteIncomplete`],
    /// [`Error::BatchGetIncomplete`]); empty for any other error.
    ///
    /// ```
    /// use notes_repo::{Error, ThrottlingReason};
    /// use notes_repo::throttling::LimitType;
    ///
    /// let reason = ThrottlingReason::new("TableReadMaxOnDemandThroughputExceeded", "");
    /// let err = Error::Throttled { source: None, retried: false, reasons: vec![reason] };
    /// assert_eq!(err.throttling_reasons()[0].limit_type(), Some(LimitType::MaxOnDemandThroughput));
    /// assert!(Error::validation("no").throttling_reasons().is_empty());
    /// ```
    pub fn throttling_reasons(&self) -> &[ThrottlingReason] {
        match self {
            Error::Throttled { reasons, .. } => reasons,
            Error::BatchWriteIncomplete {
                source: Some(source),
                ..
            }
            | Error::BatchGetIncomplete {
                source: Some(source),
                ..
            } => source.throttling_reasons(),
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Error;
    use crate::throttling::ThrottlingReason;

    #[test]
    fn a_throttled_answer_marked_retried_keeps_its_reasons() {
        let reasons = vec![
            ThrottlingReason::new("TableWriteProvisionedThroughputExceeded", "arn:t"),
            ThrottlingReason::new("IndexWriteKeyRangeThroughputExceeded", "arn:t/index/i"),
        ];
        let throttled = Error::Throttled {
            source: None,
            retried: false,
            reasons: reasons.clone(),
        };
        let marked = throttled.mark_retried();
        assert_eq!(marked.throttling_reasons(), reasons);
        assert_eq!(
            marked.to_string(),
            "request throttled by DynamoDB after retries (TableWriteProvisionedThroughputExceeded \
             on arn:t; IndexWriteKeyRangeThroughputExceeded on arn:t/index/i) (an earlier \
             attempt's outcome is unknown: the write may have been applied)"
        );
        let batch = Error::BatchWriteIncomplete {
            table: "t".into(),
            unprocessed: Vec::new(),
            attempts: 3,
            source: Some(Box::new(marked)),
        };
        assert_eq!(batch.throttling_reasons(), reasons);
    }

    #[test]
    fn item_too_large_is_not_displayed_as_a_plain_validation_error() {
        let too_large = Error::ItemTooLarge {
            message: "Item size has exceeded the maximum allowed size".into(),
            source: None,
        };
        let invalid = Error::validation("Item size has exceeded the maximum allowed size");
        assert_eq!(
            too_large.to_string(),
            "item too large: Item size has exceeded the maximum allowed size"
        );
        assert_ne!(too_large.to_string(), invalid.to_string());
    }
}
