//! Typed DynamoDB data access: derive [`Item`] on a serde struct, then read and write it
//! through a [`Repo`] on an embedded DynamoDB ([`MemoryBackend`]) or on DynamoDB itself
//! (`DynamoDbBackend`, feature `aws`, on by default). This is the one crate to depend on.
//!
//! ```
//! use notes_repo::prelude::*;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Item)]
//! #[item(table = "notes")]
//! #[serde(rename_all = "camelCase")]
//! struct Note {
//!     #[partition_key]
//!     user_id: String,
//!     #[sort_key]
//!     note_id: String,
//!     content: String,
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> notes_repo::Result<()> {
//! let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
//! repo.create_table_on_demand().await?;
//!
//! let note = Note { user_id: "alice".into(), note_id: "n1".into(), content: "buy milk".into() };
//! repo.create(&note).await?;
//! assert_eq!(repo.get(&note.key()).consistent().await?, Some(note.clone()));
//! assert_eq!(repo.query("alice").descending().limit(20).all().await?, [note.clone()]);
//!
//! let edited = repo.update(&note.key()).apply(Note::CONTENT.set("buy oat milk")).if_exists().await?;
//! assert_eq!(edited.content, "buy oat milk");
//! assert_eq!(repo.delete(&note.key()).await?, Some(edited));
//! # Ok(()) }
//! ```
//!
//! Each operation is one builder: options are methods on it, and awaiting it sends it
//! (`repo.get(&key).consistent().await`, `repo.put(&item).condition(..).await`). On DynamoDB,
//! build the backend from the standard AWS configuration (`DynamoDbBackend::from_env().await`)
//! or from an `aws_sdk_dynamodb::Client` you have. The notes app's own model is [`Note`].
#![cfg_attr(docsrs, feature(doc_cfg))]

// The derive's generated code names `::notes_repo`; this makes it work inside this crate too.
extern crate self as notes_repo;

mod autoscaling;
mod backup;
mod batch;
mod batch_get;
mod batch_write;
mod complete;
mod count;
mod cursor;
mod delete;
mod deprecated;
mod ensure;
mod get;
mod guards;
pub mod guide;
mod paging;
mod partition;
mod prefix;
mod put;
mod query;
mod replay;
mod repo;
mod scan;
mod send;
pub mod stream;
mod table;
mod throughput;
mod transact;
mod transaction_rules;
mod update;

#[cfg(all(
    feature = "__sdk",
    not(any(feature = "aws", feature = "aws-rustls-ring"))
))]
compile_error!(
    "notes-repo: the features `streams` and `autoscaling` need an HTTPS client for the AWS SDK: \
     enable `aws` (the SDK's default, rustls with aws-lc) or `aws-rustls-ring` (rustls with ring)"
);

// The seam (crate `notes-core`): the Backend trait, requests, errors, validation, layers.
pub use notes_core::request;
pub use notes_core::throttling;
pub use notes_core::validate::{MAX_TARGET_UTILIZATION, MIN_TARGET_UTILIZATION};
pub use notes_core::{
    Attributed, Backend, BillingMode, BoxError, CancellationReason, Capacity, ConsumedCapacity,
    DecryptionFailure, EncryptionRefusal, Error, Layer, Operation, Result, RetryPolicy, Retrying,
    TableDescription, TableStatus, ThrottlingReason, Traced,
};

pub use autoscaling::{AutoScaling, TableScaling};
pub use backup::EnablePointInTimeRecovery;
pub use batch::BatchOptions;
pub use batch_get::BatchGetBuilder;
pub use batch_write::BatchWriteBuilder;
pub use count::Count;
pub use cursor::CursorKey;
pub use delete::DeleteBuilder;
#[allow(deprecated)]
pub use deprecated::{Query, Scan};
pub use ensure::EnsureTableBuilder;
pub use get::GetBuilder;
pub use partition::IntoPartitionKey;
pub use prefix::SortKeyPrefix;
pub use put::PutBuilder;
pub use query::{QueryBuilder, QueryPage};
pub use repo::Repo;
pub use scan::ScanBuilder;
pub use table::DEFAULT_ACTIVE_TIMEOUT;
pub use transact::{MAX_TRANSACTION_ACTIONS, ReadResults, ReadTransaction, Slot, WriteTransaction};
pub use update::UpdateBuilder;

// The embedded engine (crate `notes-memory`).
#[cfg(feature = "memory")]
#[cfg_attr(docsrs, doc(cfg(feature = "memory")))]
pub use notes_memory::{
    Clock, ManualClock, MemoryBackend, MemoryBackendBuilder, SalvageReport, StorageFaults,
    StorageStats, SystemClock, TokioClock, Unreadable,
};

// The AWS backend (crate `notes-aws`).
#[cfg(feature = "__sdk")]
#[cfg_attr(docsrs, doc(cfg(any(feature = "aws", feature = "aws-rustls-ring"))))]
pub use notes_aws::{DynamoDbBackend, RenderedExpressions, render_expressions};

// Client-side encryption (crate `notes-encryption`).
/// Client-side encryption of attributes with AWS's Database Encryption SDK: the
/// [`Encrypted`](encryption::Encrypted) layer, its configuration and keyrings (feature
/// `encryption`, off by default: a heavy build).
#[cfg(feature = "encryption")]
#[cfg_attr(docsrs, doc(cfg(feature = "encryption")))]
pub use notes_encryption as encryption;

pub use notes_model::Collection;
pub use notes_model::expr;
pub use notes_model::unique;
pub use notes_model::{Addable, Attribute, HasPrefix, MayBeAbsent};
pub use notes_model::{
    AdditionalKeys, AttributeValue, Entity, Index, IndexKind, IndexProjection, IndexSchema, Item,
    ItemMap, KeyAttribute, KeyComponent, KeyPrefix, KeySchema, KeyValue, NoSortKey, PartitionKeyOf,
    PrefixKey, PrimaryKey, ScalarType, SharedItem, SortKeyOf, SortKeyValue, Table, TemplateIndex,
    TemplateKey, TtlValue, VersionValue,
};
pub use notes_model::{
    EqualitiesGiven, IntoSortKeyConditions, KeyInput, PartitionValues, RangeGiven, SortKeyBuilder,
    SortKeyConditions, SortPrefix,
};
pub use notes_model::{Error as ItemError, from_item_map, to_attribute_value, to_item_map};
pub use notes_model::{Note, NoteKey};

/// The item model crate, for the code `#[derive(Item)]` generates (`::notes_repo::__model`).
#[doc(hidden)]
pub use notes_model as __model;

/// What app code needs in scope: `use notes_repo::prelude::*;`.
///
/// ```
/// use notes_repo::prelude::*;
///
/// let repo: Repo<notes_repo::Note, _> = Repo::new(MemoryBackend::new());
/// assert_eq!(repo.table_name(), "notes");
/// ```
pub mod prelude {
    #[cfg(feature = "__sdk")]
    #[cfg_attr(docsrs, doc(cfg(any(feature = "aws", feature = "aws-rustls-ring"))))]
    pub use crate::DynamoDbBackend;
    #[cfg(feature = "memory")]
    #[cfg_attr(docsrs, doc(cfg(feature = "memory")))]
    pub use crate::MemoryBackend;
    pub use crate::{Backend, BillingMode, Error, Item, PrimaryKey, Repo, Result, Table};
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
