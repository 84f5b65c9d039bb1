//! A table's status, as the control plane and warm throughput report it.

/// A table's status.
///
/// ```
/// # use notes_model::{Item, Note, NoteKey, PrimaryKey};
/// # use notes_repo::request::*;
/// # use notes_repo::{Backend, MemoryBackend};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// # let backend = MemoryBackend::new();
/// # backend.create_table(CreateTable::new("notes", Note::KEY_SCHEMA)).await?;
/// # let note = Note::new("u1", "hi");
/// assert_eq!(backend.describe_table(DescribeTable::new("notes")).await?.status, TableStatus::Active);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableStatus {
    /// Being created.
    Creating,
    /// Ready for reads and writes.
    Active,
    /// Being updated.
    Updating,
    /// Being deleted.
    Deleting,
    /// Any other status the service reports.
    Other(String),
}
