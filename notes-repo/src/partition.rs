//! What a query's partition key takes: a value that converts into the key's type, or for an
//! index whose partition key spans several attributes, every value at once.

/// A partition key for [`Repo::query_index`](crate::Repo::query_index) on an index whose
/// partition key is `PK`: anything that converts into `PK`. For a multi-attribute partition
/// key, `PK` is the generated partition type (`SaleByRegionPartition`), made from a tuple of
/// every value in the index's order (`("t1", "eu")`), so that none can be left out.
///
/// ```
/// use notes_repo::IntoPartitionKey;
///
/// fn partition<PK>(value: impl IntoPartitionKey<PK>) -> PK {
///     value.into_partition_key()
/// }
/// assert_eq!(partition::<String>("ann"), "ann");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a partition key of this index, whose partition key is `{PK}`",
    label = "expected `{PK}`, or a value that converts into it",
    note = "an index whose partition key spans several attributes takes every value at once, as a tuple in the index's order: `(\"t1\", \"eu\")`"
)]
pub trait IntoPartitionKey<PK> {
    /// The partition key.
    fn into_partition_key(self) -> PK;
}

// Not recommended, so that the compiler names the index's key rather than list `From` impls.
#[diagnostic::do_not_recommend]
impl<PK, X: Into<PK>> IntoPartitionKey<PK> for X {
    fn into_partition_key(self) -> PK {
        self.into()
    }
}
