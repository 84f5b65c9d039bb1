//! Typed DynamoDB data access for the notes SDK.
//!
//! A [`Repo`] gives app code typed operations on one item type; a [`Backend`] runs them on an
//! embedded DynamoDB ([`MemoryBackend`]) or on DynamoDB itself (`DynamoDbBackend`, feature
//! `aws`, on by default).
//!
//! ```
//! use notes_model::{Item, Note};
//! use notes_repo::{MemoryBackend, Repo};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> notes_repo::Result<()> {
//! let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
//! repo.create_table_on_demand().await?;
//!
//! let note = Note::new("us-east-1:alice", "buy milk");
//! repo.create(&note).await?;
//! let newest_first = repo.query("us-east-1:alice").descending().limit(20).page(None).await?;
//! assert_eq!(newest_first.items, [note.clone()]);
//!
//! let edited = repo.update(&note.key()).set(Note::CONTENT.set("buy oat milk")).if_exists().send().await?;
//! assert_eq!(edited.content, "buy oat milk");
//! assert_eq!(repo.delete(&note.key()).await?, Some(edited));
//! # Ok(()) }
//! ```
//!
//! On DynamoDB, build the backend from the standard AWS configuration
//! (`DynamoDbBackend::from_env().await`) or from a `aws_sdk_dynamodb::Client` you have.

mod backend;
mod batch;
mod cursor;
mod error;
mod memory;
mod number;
mod paging;
mod query;
mod repo;
pub mod request;
mod scan;
mod table;
mod trace;
mod transact;
mod validate;

#[cfg(feature = "aws")]
mod aws;

pub use backend::Backend;
pub use batch::BatchOptions;
pub use error::{BoxError, CancellationReason, Error, Result};
pub use memory::MemoryBackend;
pub use query::{Query, QueryPage};
pub use repo::{Repo, UpdateBuilder};
pub use scan::Scan;
pub use table::DEFAULT_ACTIVE_TIMEOUT;
pub use transact::{MAX_TRANSACTION_ACTIONS, ReadResults, ReadTransaction, Slot, WriteTransaction};

#[cfg(feature = "aws")]
pub use aws::{DynamoDbBackend, RenderedExpressions, render_expressions};

pub use notes_model::expr;
pub use notes_model::{
    AttributeValue, Index, IndexKind, IndexProjection, IndexSchema, Item, ItemMap, KeyAttribute,
    KeySchema, KeyValue, NoSortKey, PartitionKeyOf, PrefixKey, PrimaryKey, ScalarType, SortKeyOf,
    SortKeyValue, Table, TtlValue, VersionValue,
};
pub use notes_model::{Addable, Attribute, HasPrefix};
pub use notes_model::{Error as ItemError, from_item_map, to_attribute_value, to_item_map};
pub use notes_model::{Note, NoteKey};

/// The item model crate, for the code `#[derive(Item)]` generates (`::notes_repo::__model`).
#[doc(hidden)]
pub use notes_model as __model;

/// What app code needs in scope: `use notes_repo::prelude::*;`.
pub mod prelude {
    pub use crate::{Backend, Error, Item, MemoryBackend, PrimaryKey, Repo, Result, Table};
    #[cfg(feature = "aws")]
    pub use crate::DynamoDbBackend;
}

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
