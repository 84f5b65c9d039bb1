//! DynamoDB Streams, typed: a record of a table's stream ([`ChangeRecord`], whatever brought
//! it: a Lambda event, the Streams API, the embedded backend) read as the item type
//! ([`StreamRecord<T>`]).
//!
//! The record follows the DynamoDB Streams API reference (`Record` and `StreamRecord`,
//! <https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_StreamRecord.html>):
//! the event name (`INSERT`, `MODIFY`, `REMOVE`), the key, the images the stream's view type
//! carries, the sequence number, the approximate creation time, and `userIdentity`, which is
//! `{"type": "Service", "principalId": "dynamodb.amazonaws.com"}` on a deletion by time to live
//! (developerguide/time-to-live-ttl-streams.html).

mod admin;
#[cfg(feature = "lambda")]
mod lambda;

#[cfg(feature = "lambda")]
#[cfg_attr(docsrs, doc(cfg(feature = "lambda")))]
pub use lambda::{
    MAX_LAMBDA_BATCH_SIZE, deliver_to_lambda, from_lambda_event, from_lambda_record,
    to_lambda_record,
};

#[cfg(feature = "streams")]
#[cfg_attr(docsrs, doc(cfg(feature = "streams")))]
pub use notes_aws::streams::{Checkpoints, Shard, StreamsReader};

pub use notes_core::stream::*;

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use notes_model::{AttributeValue, ItemMap, Note};

    use crate::Error;

    use super::*;

    fn s(value: &str) -> AttributeValue {
        AttributeValue::S(value.into())
    }

    fn keys() -> ItemMap {
        ItemMap::from([
            ("userId".to_owned(), s("u1")),
            ("noteId".to_owned(), s("n1")),
        ])
    }

    #[test]
    fn an_image_that_does_not_fit_the_type_names_the_attribute_and_the_key() {
        let mut image = keys();
        image.insert("content".into(), AttributeValue::N("7".into()));
        image.insert("createdAt".into(), AttributeValue::N("1".into()));
        let raw = ChangeRecord::new(ChangeKind::Modify, keys(), "1", SystemTime::UNIX_EPOCH)
            .new_image(image);
        let err = StreamRecord::<Note>::decode(raw).unwrap_err();
        let Error::Item(notes_model::Error::Deserialize { attribute, key, .. }) = &err else {
            panic!("{err:?}");
        };
        assert_eq!(attribute, "content");
        assert!(key.contains("u1") && key.contains("n1"), "{key}");
    }

    #[test]
    fn a_key_of_the_wrong_type_is_refused() {
        let mut wrong = keys();
        wrong.insert("noteId".into(), AttributeValue::N("1".into()));
        let raw = ChangeRecord::new(ChangeKind::Remove, wrong, "1", SystemTime::UNIX_EPOCH);
        let err = StreamRecord::<Note>::decode(raw).unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Item(notes_model::Error::KeyAttribute { attribute, .. }) if attribute == "noteId"
            ),
            "{err:?}"
        );
    }

    #[test]
    fn unknown_names_are_validation_errors() {
        assert!(matches!(
            ChangeKind::from_event_name("UPSERT").map_err(Error::from),
            Err(Error::Validation { .. })
        ));
        assert!(matches!(
            StreamViewType::from_name("ALL").map_err(Error::from),
            Err(Error::Validation { .. })
        ));
    }
}
