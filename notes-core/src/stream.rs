//! DynamoDB Streams: the wire types (a table's stream settings, [`StreamSpecification`] and
//! [`TableStream`], and one raw record, [`ChangeRecord`], whatever brought it: a Lambda event,
//! the Streams API, the embedded engine) and the typed record, [`StreamRecord<T>`].
//!
//! The record follows the DynamoDB Streams API reference (`Record` and `StreamRecord`,
//! <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html>):
//! the event name (`INSERT`, `MODIFY`, `REMOVE`), the key, the images the stream's view type
//! carries, the sequence number, the approximate creation time, and `userIdentity`, which is
//! `{"type": "Service", "principalId": "dynamodb.amazonaws.com"}` on a deletion by time to live
//! (developerguide/time-to-live-ttl-streams.html).

use std::time::SystemTime;

use notes_model::{Item, ItemMap, PrimaryKey};

use crate::error::{Error, Result};

pub use crate::request::streams::{
    ChangeKind, ChangeRecord, StreamArn, StreamSpecification, StreamViewType, TRIMMED_MESSAGE,
    TableStream, UnknownName,
};

/// One record of a table's stream, read as `T`: the typed key, and the item before and after
/// the change as the stream's view type carries them.
///
/// An image that does not read as `T` is an [`Error::Item`] naming the attribute and the
/// item's key (never a panic, never a record silently skipped).
///
/// ```
/// use std::time::SystemTime;
/// use notes_repo::stream::{ChangeKind, ChangeRecord, StreamRecord};
/// use notes_repo::{Item, Note, PrimaryKey};
///
/// # fn main() -> notes_repo::Result<()> {
/// let note = Note {
///     user_id: "u1".into(),
///     note_id: "n1".into(),
///     content: "buy milk".into(),
///     attachment: None,
///     created_at: 1,
/// };
/// let raw = ChangeRecord::new(ChangeKind::Insert, note.key().to_key_map(), "100", SystemTime::UNIX_EPOCH)
///     .new_image(note.to_item()?);
/// let record: StreamRecord<Note> = StreamRecord::decode(raw)?;
/// assert_eq!(record.key, note.key());
/// assert_eq!(record.new, Some(note));
/// assert_eq!(record.old, None);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StreamRecord<T: Item> {
    /// What happened.
    pub kind: ChangeKind,
    /// The changed item's key.
    pub key: T::Key,
    /// The item before the change (view types `OLD_IMAGE` and `NEW_AND_OLD_IMAGES`; `None`
    /// on an insert).
    pub old: Option<T>,
    /// The item after the change (view types `NEW_IMAGE` and `NEW_AND_OLD_IMAGES`; `None` on
    /// a remove).
    pub new: Option<T>,
    /// The record's sequence number.
    pub sequence_number: String,
    /// When the change was made, to the second.
    pub approximate_creation_time: SystemTime,
    /// The stream's view type, when the source says.
    pub view_type: Option<StreamViewType>,
    /// Whether time to live removed the item.
    pub removed_by_ttl: bool,
}

impl<T: Item> StreamRecord<T> {
    /// Reads `record` as `T`: its key as `T::Key`, each image present as `T`.
    ///
    /// # Errors
    ///
    /// [`Error::Item`] when the key or an image does not read as `T`, naming the attribute
    /// and the item's key.
    ///
    /// See [`StreamRecord`] for an example.
    pub fn decode(record: ChangeRecord) -> Result<Self> {
        let key = T::Key::from_key_map(&record.keys)?;
        let image = |image: Option<ItemMap>| image.map(T::from_item).transpose();
        Ok(StreamRecord {
            kind: record.kind,
            key,
            old: image(record.old_image)?,
            new: image(record.new_image)?,
            sequence_number: record.sequence_number,
            approximate_creation_time: record.approximate_creation_time,
            view_type: record.view_type,
            removed_by_ttl: record.removed_by_ttl,
        })
    }
}

impl<T: Item> TryFrom<ChangeRecord> for StreamRecord<T> {
    type Error = Error;

    fn try_from(record: ChangeRecord) -> Result<Self> {
        StreamRecord::decode(record)
    }
}
