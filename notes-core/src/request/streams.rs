//! The wire types of DynamoDB Streams: a table's stream settings ([`StreamSpecification`],
//! [`TableStream`]) and one raw record of it ([`ChangeRecord`]), whatever brought it (a
//! Lambda event, the Streams API, the embedded engine). Public as `notes_core::stream`, beside
//! the typed record.

use std::fmt;
use std::time::SystemTime;

use notes_model::ItemMap;

use super::setters::setters;

/// DynamoDB Streams' message for `TrimmedDataAccessException`
/// ([`Error::TrimmedData`](crate::Error::TrimmedData)).
pub const TRIMMED_MESSAGE: &str =
    "The operation attempted to read past the oldest stream record in a shard.";

/// What happened to the item: the record's `eventName`.
///
/// ```
/// use notes_repo::stream::ChangeKind;
/// assert_eq!(ChangeKind::from_event_name("MODIFY").unwrap(), ChangeKind::Modify);
/// assert_eq!(ChangeKind::Remove.event_name(), "REMOVE");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// A new item was added (`INSERT`).
    Insert,
    /// An existing item was changed (`MODIFY`).
    Modify,
    /// An item was deleted (`REMOVE`).
    Remove,
}

impl ChangeKind {
    /// The kind an `eventName` names; anything else is [`UnknownName`].
    ///
    /// See [`ChangeKind`] for an example.
    pub fn from_event_name(name: &str) -> Result<Self, UnknownName> {
        match name {
            "INSERT" => Ok(ChangeKind::Insert),
            "MODIFY" => Ok(ChangeKind::Modify),
            "REMOVE" => Ok(ChangeKind::Remove),
            other => Err(UnknownName(format!(
                "unknown stream eventName `{other}` (expected INSERT, MODIFY or REMOVE)"
            ))),
        }
    }

    /// The `eventName` DynamoDB writes for it.
    ///
    /// See [`ChangeKind`] for an example.
    pub fn event_name(self) -> &'static str {
        match self {
            ChangeKind::Insert => "INSERT",
            ChangeKind::Modify => "MODIFY",
            ChangeKind::Remove => "REMOVE",
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.event_name())
    }
}

/// Which images a table's stream writes into each record (`StreamViewType`).
///
/// ```
/// use notes_repo::stream::StreamViewType;
/// let view = StreamViewType::from_name("NEW_AND_OLD_IMAGES").unwrap();
/// assert!(view.has_old_image() && view.has_new_image());
/// assert_eq!(StreamViewType::KeysOnly.name(), "KEYS_ONLY");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamViewType {
    /// Only the key attributes of the changed item.
    KeysOnly,
    /// The item as it is after the change.
    NewImage,
    /// The item as it was before the change.
    OldImage,
    /// Both.
    NewAndOldImages,
}

impl StreamViewType {
    /// The view type DynamoDB's name names; anything else is [`UnknownName`].
    ///
    /// See [`StreamViewType`] for an example.
    pub fn from_name(name: &str) -> Result<Self, UnknownName> {
        match name {
            "KEYS_ONLY" => Ok(StreamViewType::KeysOnly),
            "NEW_IMAGE" => Ok(StreamViewType::NewImage),
            "OLD_IMAGE" => Ok(StreamViewType::OldImage),
            "NEW_AND_OLD_IMAGES" => Ok(StreamViewType::NewAndOldImages),
            other => Err(UnknownName(format!(
                "unknown StreamViewType `{other}` (expected KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or \
                 NEW_AND_OLD_IMAGES)"
            ))),
        }
    }

    /// DynamoDB's name for it.
    ///
    /// See [`StreamViewType`] for an example.
    pub fn name(self) -> &'static str {
        match self {
            StreamViewType::KeysOnly => "KEYS_ONLY",
            StreamViewType::NewImage => "NEW_IMAGE",
            StreamViewType::OldImage => "OLD_IMAGE",
            StreamViewType::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }

    /// Whether records carry the item as it was before the change.
    ///
    /// See [`StreamViewType`] for an example.
    pub fn has_old_image(self) -> bool {
        matches!(
            self,
            StreamViewType::OldImage | StreamViewType::NewAndOldImages
        )
    }

    /// Whether records carry the item as it is after the change.
    ///
    /// See [`StreamViewType`] for an example.
    pub fn has_new_image(self) -> bool {
        matches!(
            self,
            StreamViewType::NewImage | StreamViewType::NewAndOldImages
        )
    }
}

impl fmt::Display for StreamViewType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What `UpdateTable` does to a table's stream (DynamoDB's `StreamSpecification`):
/// enables a new stream with a view type, or disables the current one.
///
/// A table has at most one enabled stream, and its view type cannot be changed in place:
/// enabling a stream on a table that has one is DynamoDB's `ValidationException` "Table
/// already has an enabled stream: TableName: notes", and disabling where there is none "Table
/// has no stream to disable" (so: disable, then enable with the new view type). A stream
/// enabled again is a new stream, with a new ARN; the disabled one's records stay readable
/// for 24 hours (<https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html>,
/// "Enabling a stream").
///
/// ```
/// use notes_repo::request::UpdateTable;
/// use notes_repo::stream::{StreamSpecification, StreamViewType};
/// let enable = UpdateTable::new("notes")
///     .stream_specification(StreamSpecification::Enabled(StreamViewType::NewAndOldImages));
/// assert_eq!(enable.stream_specification.unwrap().view_type(), Some(StreamViewType::NewAndOldImages));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StreamSpecification {
    /// `StreamEnabled: true` with this `StreamViewType`.
    Enabled(StreamViewType),
    /// `StreamEnabled: false`.
    Disabled,
}

impl StreamSpecification {
    /// The view type of the stream it enables (`None`: it disables).
    ///
    /// See [`StreamSpecification`] for an example.
    pub fn view_type(self) -> Option<StreamViewType> {
        match self {
            StreamSpecification::Enabled(view) => Some(view),
            StreamSpecification::Disabled => None,
        }
    }
}

/// A stream's Amazon Resource Name (`LatestStreamArn`,
/// `arn:aws:dynamodb:us-east-1:123456789012:table/notes/stream/2026-11-25T10:00:00.000`).
///
/// ```
/// use notes_repo::stream::StreamArn;
/// let arn = StreamArn::new("arn:aws:dynamodb:us-east-1:123456789012:table/notes/stream/1");
/// assert!(arn.as_str().ends_with("/stream/1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StreamArn(String);

impl StreamArn {
    /// The ARN `arn`, as DynamoDB gave it.
    ///
    /// See [`StreamArn`] for an example.
    pub fn new(arn: impl Into<String>) -> Self {
        StreamArn(arn.into())
    }

    /// The ARN as text.
    ///
    /// See [`StreamArn`] for an example.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StreamArn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A table's enabled stream, as `DescribeTable` reports it.
///
/// ```
/// use notes_repo::stream::{StreamViewType, TableStream};
/// let stream = TableStream::new(StreamViewType::NewAndOldImages);
/// assert_eq!(stream.arn, None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct TableStream {
    /// What its records carry.
    pub view_type: StreamViewType,
    /// The latest stream's ARN (`LatestStreamArn`), when the service says.
    pub arn: Option<StreamArn>,
}

impl TableStream {
    /// A stream of `view_type` records, ARN unknown.
    ///
    /// See [`TableStream`] for an example.
    pub fn new(view_type: StreamViewType) -> Self {
        TableStream {
            view_type,
            arn: None,
        }
    }
}
setters!(TableStream { arn: some StreamArn });

/// One record of a table's stream, untyped: what every source (a Lambda event, the Streams
/// API, the embedded backend) is turned into before
/// [`StreamRecord::decode`](crate::stream::StreamRecord::decode) reads it as the
/// item type.
///
/// ```
/// use std::time::SystemTime;
/// use notes_repo::stream::{ChangeKind, ChangeRecord, StreamViewType};
/// use notes_repo::{AttributeValue, ItemMap};
///
/// let keys = ItemMap::from([
///     ("userId".to_owned(), AttributeValue::S("u1".into())),
///     ("noteId".to_owned(), AttributeValue::S("n1".into())),
/// ]);
/// let record = ChangeRecord::new(ChangeKind::Remove, keys, "100", SystemTime::UNIX_EPOCH)
///     .view_type(StreamViewType::KeysOnly)
///     .removed_by_ttl(true);
/// assert!(record.removed_by_ttl);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChangeRecord {
    /// What happened (`eventName`).
    pub kind: ChangeKind,
    /// The key attributes of the changed item (`Keys`).
    pub keys: ItemMap,
    /// The item before the change (`OldImage`), when the view type carries it and there was
    /// one.
    pub old_image: Option<ItemMap>,
    /// The item after the change (`NewImage`), when the view type carries it and there is one.
    pub new_image: Option<ItemMap>,
    /// The record's place in its shard (`SequenceNumber`): increasing per item key.
    pub sequence_number: String,
    /// When the change was made, to the second (`ApproximateCreationDateTime`).
    pub approximate_creation_time: SystemTime,
    /// The record's size in bytes (`SizeBytes`), when the source says.
    pub size_bytes: Option<u64>,
    /// The stream's view type, when the source says.
    pub view_type: Option<StreamViewType>,
    /// Whether DynamoDB's time to live removed the item (a `REMOVE` whose `userIdentity` is
    /// the service principal `dynamodb.amazonaws.com`).
    pub removed_by_ttl: bool,
    /// The shard the record was read from, when the source has shards (for checkpoints).
    pub shard_id: Option<String>,
}

impl ChangeRecord {
    /// A record of `kind` on the item with `keys`, without images.
    ///
    /// See [`ChangeRecord`] for an example.
    pub fn new(
        kind: ChangeKind,
        keys: ItemMap,
        sequence_number: impl Into<String>,
        approximate_creation_time: SystemTime,
    ) -> Self {
        ChangeRecord {
            kind,
            keys,
            old_image: None,
            new_image: None,
            sequence_number: sequence_number.into(),
            approximate_creation_time,
            size_bytes: None,
            view_type: None,
            removed_by_ttl: false,
            shard_id: None,
        }
    }
}
setters!(ChangeRecord {
    old_image: some ItemMap,
    new_image: some ItemMap,
    size_bytes: some u64,
    view_type: some StreamViewType,
    removed_by_ttl: value bool,
    shard_id: some String,
});

/// A name DynamoDB Streams does not define: an `eventName` other than `INSERT`, `MODIFY` and
/// `REMOVE`, or an unknown `StreamViewType`. Converts into
/// [`Error::Validation`](crate::Error::Validation), so `?` works in functions answering
/// [`Result`](crate::Result).
///
/// ```
/// use notes_repo::stream::ChangeKind;
/// let err = ChangeKind::from_event_name("UPSERT").unwrap_err();
/// assert!(err.to_string().contains("unknown stream eventName `UPSERT`"));
/// assert!(matches!(notes_repo::Error::from(err), notes_repo::Error::Validation { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct UnknownName(String);
