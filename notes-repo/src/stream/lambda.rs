//! Records from a Lambda function's DynamoDB event (`aws_lambda_events`, feature `lambda`), so
//! that a handler reads `Vec<StreamRecord<Note>>`.

use std::time::{Duration, SystemTime};

use std::future::Future;

use aws_lambda_events::event::dynamodb::{
    Event, EventRecord, StreamRecord as LambdaChange, StreamViewType as LambdaViewType,
    UserIdentity,
};
use notes_model::{Item, ItemMap};

use super::{ChangeKind, ChangeRecord, StreamArn, StreamRecord, StreamViewType};
use notes_core::{Error, Result};
use notes_memory::MemoryBackend;

/// Lambda's largest batch for a DynamoDB stream event source ("BatchSize ... DynamoDB
/// Streams: default 100, max 10,000", Lambda's CreateEventSourceMapping reference).
pub const MAX_LAMBDA_BATCH_SIZE: usize = 10_000;

/// The principal of deletions made by DynamoDB's time to live
/// (developerguide/time-to-live-ttl-streams.html).
const TTL_PRINCIPAL: &str = "dynamodb.amazonaws.com";

/// Reads one record of a Lambda event, untyped.
///
/// # Errors
///
/// [`Error::Validation`](crate::Error::Validation) for an `eventName` that is not `INSERT`,
/// `MODIFY` or `REMOVE`.
///
/// ```
/// use aws_lambda_events::event::dynamodb::Event;
/// use notes_repo::stream::{ChangeKind, from_lambda_record};
///
/// let event: Event = serde_json::from_str(r#"{"Records": [{
///     "eventID": "1", "eventName": "REMOVE", "awsRegion": "us-east-1",
///     "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"},
///     "dynamodb": {"Keys": {"userId": {"S": "u1"}, "noteId": {"S": "n1"}},
///                  "SequenceNumber": "100", "SizeBytes": 20, "StreamViewType": "KEYS_ONLY"}
/// }]}"#).unwrap();
/// let record = from_lambda_record(event.records[0].clone()).unwrap();
/// assert_eq!(record.kind, ChangeKind::Remove);
/// assert!(record.removed_by_ttl);
/// ```
pub fn from_lambda_record(record: EventRecord) -> Result<ChangeRecord> {
    let kind = ChangeKind::from_event_name(&record.event_name)?;
    let change = record.change;
    let image = |image: serde_dynamo::Item| {
        let image: ItemMap = image.into();
        (!image.is_empty()).then_some(image)
    };
    let removed_by_ttl = kind == ChangeKind::Remove
        && record
            .user_identity
            .is_some_and(|who| who.type_ == "Service" && who.principal_id == TTL_PRINCIPAL);
    let seconds = change.approximate_creation_date_time.timestamp_millis();
    let approximate_creation_time = u64::try_from(seconds)
        .map(|millis| SystemTime::UNIX_EPOCH + Duration::from_millis(millis))
        .unwrap_or(SystemTime::UNIX_EPOCH);
    let mut record = ChangeRecord::new(
        kind,
        change.keys.into(),
        change.sequence_number.unwrap_or_default(),
        approximate_creation_time,
    )
    .removed_by_ttl(removed_by_ttl);
    record.old_image = image(change.old_image);
    record.new_image = image(change.new_image);
    record.size_bytes = u64::try_from(change.size_bytes).ok();
    record.view_type = change.stream_view_type.as_ref().and_then(view_type);
    Ok(record)
}

/// Reads every record of a Lambda function's DynamoDB event as `T`, in the event's order (a
/// shard's records in sequence order, as Lambda delivers them).
///
/// # Errors
///
/// The first record that does not read as `T`: [`Error::Item`](crate::Error::Item) naming the
/// attribute and the key; [`Error::Validation`](crate::Error::Validation) for an unknown
/// `eventName`.
///
/// ```
/// use aws_lambda_events::event::dynamodb::Event;
/// use notes_repo::stream::{from_lambda_event, StreamRecord};
/// use notes_repo::Note;
///
/// async fn handler(event: Event) -> notes_repo::Result<usize> {
///     let records: Vec<StreamRecord<Note>> = from_lambda_event(event)?;
///     Ok(records.iter().filter(|r| r.new.is_some() && r.old.is_none()).count())
/// }
/// ```
pub fn from_lambda_event<T: Item>(event: Event) -> Result<Vec<StreamRecord<T>>> {
    event
        .records
        .into_iter()
        .map(|record| StreamRecord::decode(from_lambda_record(record)?))
        .collect()
}

/// `record` as a Lambda function's DynamoDB event carries it (of the table `table`, from its
/// stream `stream`, the event's `eventSourceARN`): the reverse of [`from_lambda_record`].
/// `SizeBytes` is the record's own (`ChangeRecord::size_bytes`; the embedded stream's records
/// carry the size of their keys and images, as DynamoDB's do).
///
/// ```
/// use std::time::SystemTime;
/// use notes_repo::stream::{
///     from_lambda_record, to_lambda_record, ChangeKind, ChangeRecord, StreamArn,
/// };
/// use notes_repo::{AttributeValue, ItemMap};
///
/// let keys = ItemMap::from([("userId".to_owned(), AttributeValue::S("u1".into()))]);
/// let record = ChangeRecord::new(ChangeKind::Remove, keys, "7", SystemTime::UNIX_EPOCH)
///     .size_bytes(8)
///     .removed_by_ttl(true);
/// let stream = StreamArn::new("arn:aws:dynamodb:us-east-1:123456789012:table/notes/stream/1");
/// let event_record = to_lambda_record(&record, "notes", &stream);
/// assert_eq!(event_record.event_name, "REMOVE");
/// assert_eq!(event_record.event_source_arn.as_deref(), Some(stream.as_str()));
/// assert_eq!(from_lambda_record(event_record).unwrap(), record);
/// ```
pub fn to_lambda_record(record: &ChangeRecord, table: &str, stream: &StreamArn) -> EventRecord {
    let mut change = LambdaChange::default();
    change.approximate_creation_date_time = record.approximate_creation_time.into();
    change.keys = record.keys.clone().into();
    change.new_image = record.new_image.clone().unwrap_or_default().into();
    change.old_image = record.old_image.clone().unwrap_or_default().into();
    change.sequence_number = Some(record.sequence_number.clone());
    change.size_bytes = record
        .size_bytes
        .and_then(|n| i64::try_from(n).ok())
        .unwrap_or_default();
    change.stream_view_type = record.view_type.map(|view| match view {
        StreamViewType::KeysOnly => LambdaViewType::KeysOnly,
        StreamViewType::NewImage => LambdaViewType::NewImage,
        StreamViewType::OldImage => LambdaViewType::OldImage,
        StreamViewType::NewAndOldImages => LambdaViewType::NewAndOldImages,
    });
    let mut event_record = EventRecord::default();
    event_record.aws_region = "local".to_owned();
    event_record.change = change;
    event_record.event_id = record.sequence_number.clone();
    event_record.event_name = record.kind.event_name().to_owned();
    event_record.event_source = Some("aws:dynamodb".to_owned());
    event_record.event_source_arn = Some(stream.as_str().to_owned());
    event_record.event_version = Some("1.1".to_owned());
    event_record.table_name = Some(table.to_owned());
    if record.removed_by_ttl {
        let mut who = UserIdentity::default();
        who.type_ = "Service".to_owned();
        who.principal_id = TTL_PRINCIPAL.to_owned();
        event_record.user_identity = Some(who);
    }
    event_record
}

/// Delivers the embedded backend's stream of `table` to a handler written for Lambda, as
/// Lambda's event source mapping does: the records after `after` (from the oldest kept when
/// `None`), in order (the embedded stream has one shard), in events of at most `batch_size`
/// records. Answers the sequence number of the last record delivered (`after` when there was
/// none), to resume from. A batch the handler fails stops the delivery with the handler's
/// error; the next delivery from the last answered sequence number sends that batch again.
///
/// # Errors
///
/// [`Error::Validation`] for a batch size outside 1..=[`MAX_LAMBDA_BATCH_SIZE`] or a table
/// without a stream; [`Error::TableNotFound`]; the handler's error.
///
/// ```
/// use aws_lambda_events::event::dynamodb::Event;
/// use notes_repo::request::CreateTable;
/// use notes_repo::stream::{deliver_to_lambda, from_lambda_event, StreamViewType};
/// use notes_repo::{Backend, Item, MemoryBackend, Note, Repo};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let backend = MemoryBackend::new();
/// let create = CreateTable::new("notes", Note::KEY_SCHEMA).stream_view_type(StreamViewType::NewImage);
/// backend.create_table(create).await?;
/// let repo: Repo<Note, _> = Repo::new(backend.clone());
/// for text in ["a", "b", "c"] {
///     repo.put(&Note::new("u1", text)).await?;
/// }
/// let mut inserted = 0;
/// let handler = |event: Event| {
///     let records = from_lambda_event::<Note>(event);
///     inserted += records.as_ref().map_or(0, Vec::len);
///     async move { records.map(drop) }
/// };
/// let last = deliver_to_lambda(&backend, "notes", None, 2, handler).await?;
/// assert_eq!(inserted, 3);
/// assert!(last.is_some());
/// # Ok(()) }
/// ```
pub async fn deliver_to_lambda<F, Fut>(
    backend: &MemoryBackend,
    table: &str,
    after: Option<&str>,
    batch_size: usize,
    mut handler: F,
) -> Result<Option<String>>
where
    F: FnMut(Event) -> Fut,
    Fut: Future<Output = Result<()>>,
{
    if !(1..=MAX_LAMBDA_BATCH_SIZE).contains(&batch_size) {
        return Err(Error::validation(format!(
            "1 validation error detected: Value '{batch_size}' at 'batchSize' failed to satisfy \
             constraint: Member must have value between 1 and {MAX_LAMBDA_BATCH_SIZE}"
        )));
    }
    let stream = backend.stream_arn(table)?;
    let records = backend.stream_records(table, after)?;
    let mut last = after.map(str::to_owned);
    for batch in records.chunks(batch_size) {
        let mut event = Event::default();
        event.records = batch
            .iter()
            .map(|record| to_lambda_record(record, table, &stream))
            .collect();
        handler(event).await?;
        last = batch.last().map(|record| record.sequence_number.clone());
    }
    Ok(last)
}

fn view_type(view: &LambdaViewType) -> Option<StreamViewType> {
    StreamViewType::from_name(&view.to_string()).ok()
}

#[cfg(test)]
mod tests {
    use notes_model::{AttributeValue, Note};

    use super::*;
    use crate::Error;

    /// The event `aws_lambda_events` ships as a fixture (recorded from AWS), verbatim.
    const FIXTURE: &str = r#"{"Records": [{
        "eventID": "f07f8ca4b0b26cb9c4e5e77e69f274ee",
        "eventName": "INSERT",
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"},
        "dynamodb": {
            "ApproximateCreationDateTime": 1480642020,
            "Keys": {"val": {"S": "data"}, "key": {"S": "binary"}},
            "NewImage": {"val": {"S": "data"}, "asdf1": {"B": "AAEqQQ=="},
                         "asdf2": {"BS": ["AAEqQQ==", "QSoBAA=="]}, "key": {"S": "binary"}},
            "SequenceNumber": "1405400000000002063282832",
            "SizeBytes": 54,
            "StreamViewType": "NEW_AND_OLD_IMAGES"
        },
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/Example-Table/stream/2016-12-01T00:00:00.000"
    }]}"#;

    #[test]
    fn the_aws_fixture_reads_field_by_field() {
        let event: Event = serde_json::from_str(FIXTURE).unwrap();
        let record = from_lambda_record(event.records[0].clone()).unwrap();
        assert_eq!(record.kind, ChangeKind::Insert);
        assert_eq!(record.keys["key"], AttributeValue::S("binary".into()));
        assert_eq!(record.keys.len(), 2);
        let new = record.new_image.as_ref().unwrap();
        assert_eq!(new.len(), 4);
        assert_eq!(new["asdf1"], AttributeValue::B(vec![0, 1, 42, 65]));
        assert_eq!(record.old_image, None);
        assert_eq!(record.sequence_number, "1405400000000002063282832");
        assert_eq!(record.size_bytes, Some(54));
        assert_eq!(record.view_type, Some(StreamViewType::NewAndOldImages));
        assert_eq!(
            record.approximate_creation_time,
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_480_642_020)
        );
        // An INSERT by the service principal is not a TTL deletion: only a REMOVE is.
        assert!(!record.removed_by_ttl);
    }

    fn note_event(name: &str, principal: Option<&str>, content: &str) -> Event {
        let identity = principal.map_or(String::new(), |p| {
            format!(r#""userIdentity": {{"type": "Service", "principalId": "{p}"}},"#)
        });
        serde_json::from_str(&format!(
            r#"{{"Records": [{{
                "eventID": "1", "eventName": "{name}", "awsRegion": "us-east-1", {identity}
                "dynamodb": {{
                    "ApproximateCreationDateTime": 1795612963,
                    "Keys": {{"userId": {{"S": "u1"}}, "noteId": {{"S": "n1"}}}},
                    "OldImage": {{"userId": {{"S": "u1"}}, "noteId": {{"S": "n1"}},
                                  "content": {content}, "createdAt": {{"N": "7"}}}},
                    "SequenceNumber": "200", "SizeBytes": 60,
                    "StreamViewType": "OLD_IMAGE"
                }}
            }}]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn a_ttl_removal_is_marked_and_decodes_as_the_item_type() {
        let event = note_event("REMOVE", Some(TTL_PRINCIPAL), r#"{"S": "old"}"#);
        let records: Vec<StreamRecord<Note>> = from_lambda_event(event).unwrap();
        let [record] = &records[..] else {
            panic!("{records:?}");
        };
        assert!(record.removed_by_ttl);
        assert_eq!(record.key.user_id, "u1");
        assert_eq!(record.old.as_ref().unwrap().content, "old");
        assert_eq!(record.new, None);
        // A REMOVE by anyone else is an app's delete.
        let event = note_event("REMOVE", None, r#"{"S": "old"}"#);
        let records: Vec<StreamRecord<Note>> = from_lambda_event(event).unwrap();
        assert!(!records[0].removed_by_ttl);
    }

    #[test]
    fn an_item_that_does_not_fit_is_an_item_error_naming_attribute_and_key() {
        let event = note_event("MODIFY", None, r#"{"N": "5"}"#);
        let err = from_lambda_event::<Note>(event).unwrap_err();
        let Error::Item(notes_model::Error::Deserialize { attribute, key, .. }) = &err else {
            panic!("{err:?}");
        };
        assert_eq!(attribute, "content");
        assert!(key.contains("n1"), "{key}");
    }

    #[test]
    fn an_unknown_event_name_is_refused() {
        let event = note_event("UPSERT", None, r#"{"S": "x"}"#);
        let err = from_lambda_event::<Note>(event).unwrap_err();
        assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    }

    /// Every embedded Lambda event record carries what AWS always sends: `eventSourceARN`,
    /// the stream's ARN (as `DescribeTable` reports it), and `SizeBytes`, the size of the
    /// record's keys and images as DynamoDB sizes items (names plus values; the AWS fixture's
    /// `SizeBytes` follows the same rule). On main (dc45f5e) the ARN was missing and every
    /// size was 0.
    #[tokio::test]
    async fn embedded_events_carry_the_stream_arn_and_the_record_size() {
        use crate::{Backend, Item, Repo};
        use notes_core::request::{CreateTable, DescribeTable};
        use notes_core::validate::item_size;

        // The rule, checked on AWS's own event: its 54 bytes are its keys' 16 and its new
        // image's 38.
        let event: Event = serde_json::from_str(FIXTURE).unwrap();
        let aws = from_lambda_record(event.records[0].clone()).unwrap();
        let new_image = aws.new_image.as_ref().unwrap();
        assert_eq!(item_size(&aws.keys) + item_size(new_image), 54);

        for view in [StreamViewType::KeysOnly, StreamViewType::NewAndOldImages] {
            let backend = MemoryBackend::new();
            let create = CreateTable::new("notes", Note::KEY_SCHEMA).stream_view_type(view);
            backend.create_table(create).await.unwrap();
            let arn = backend
                .describe_table(DescribeTable::new("notes"))
                .await
                .unwrap()
                .stream
                .and_then(|s| s.arn)
                .expect("the stream's ARN");
            let repo: Repo<Note, _> = Repo::new(backend.clone());
            let note = Note {
                user_id: "u1".into(),
                note_id: "n1".into(),
                content: "buy milk".into(),
                attachment: None,
                created_at: 7,
            };
            repo.put(&note).await.unwrap();
            repo.update(&note.key())
                .apply(Note::CONTENT.set("buy oat milk"))
                .if_exists()
                .await
                .unwrap();
            repo.delete(&note.key()).await.unwrap();
            let mut events = Vec::new();
            deliver_to_lambda(&backend, "notes", None, 10, |event| {
                events.push(event);
                async { Ok(()) }
            })
            .await
            .unwrap();
            let records: Vec<EventRecord> = events.into_iter().flat_map(|e| e.records).collect();
            assert_eq!(records.len(), 3, "{view}");
            // `{userId: "u1", noteId: "n1"}`: 6 + 2 + 6 + 2 bytes.
            let keys_size = 16;
            for record in &records {
                assert_eq!(
                    record.event_source_arn.as_deref(),
                    Some(arn.as_str()),
                    "{view}"
                );
                let change = &record.change;
                let image = |image: &serde_dynamo::Item| {
                    let image: ItemMap = image.clone().into();
                    item_size(&image)
                };
                let expected = keys_size + image(&change.old_image) + image(&change.new_image);
                assert_eq!(change.size_bytes, expected as i64, "{view}");
                assert!(change.size_bytes >= keys_size as i64);
                let json = serde_json::to_value(record).unwrap();
                assert_eq!(json["eventSourceARN"], arn.as_str());
                assert_eq!(json["dynamodb"]["SizeBytes"], expected);
            }
            if view == StreamViewType::KeysOnly {
                assert!(
                    records
                        .iter()
                        .all(|r| r.change.size_bytes == keys_size as i64)
                );
            } else {
                // The MODIFY carries both images: its keys, then the item twice.
                let old = note.to_item().unwrap();
                let new = Note {
                    content: "buy oat milk".into(),
                    ..note.clone()
                }
                .to_item()
                .unwrap();
                assert_eq!(
                    records[1].change.size_bytes,
                    (keys_size + item_size(&old) + item_size(&new)) as i64
                );
            }
        }
    }
}
