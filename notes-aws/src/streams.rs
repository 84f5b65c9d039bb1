//! Reading a table's stream through the DynamoDB Streams API (`aws-sdk-dynamodbstreams`,
//! feature `streams`): shards in lineage order, iterators, pages of records, resuming from
//! per-shard checkpoints.
//!
//! A stream is made of shards; a shard that splits is closed and its children carry on, so
//! records of one item key are in order only when a parent shard is read before its children
//! ("Reading and processing a stream", developerguide/Streams.html#Streams.Processing). Here
//! every shard is read after its parent.

use std::collections::{BTreeMap, HashSet};
use std::time::{Duration, SystemTime};

use aws_sdk_dynamodbstreams as sdk;
use aws_sdk_dynamodbstreams::error::SdkError;
use aws_sdk_dynamodbstreams::types::{AttributeValue as SdkValue, ShardIteratorType};
use futures::{Stream, StreamExt, TryStreamExt};
use notes_model::{AttributeValue, Item, ItemMap};

use super::convert::unexpected;
use super::errors::{Classify, Context, map_sdk_error};
use notes_core::Result;
use notes_core::stream::{ChangeKind, ChangeRecord, StreamArn, StreamRecord, StreamViewType};

/// Reads tables' streams through the DynamoDB Streams API.
///
/// ```no_run
/// use futures::TryStreamExt;
/// use notes_repo::stream::{Checkpoints, StreamRecord, StreamsReader};
/// use notes_repo::{Note, Repo};
///
/// # async fn run(repo: Repo<Note, notes_repo::DynamoDbBackend>) -> notes_repo::Result<()> {
/// let arn = repo.describe_table().await?.stream.and_then(|s| s.arn).expect("a stream");
/// let reader = StreamsReader::from_env().await;
/// let records: Vec<StreamRecord<Note>> =
///     reader.records(&arn, Checkpoints::default()).try_collect().await?;
/// # let _ = records;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct StreamsReader {
    client: sdk::Client,
}

/// Where a reader resumes: the last sequence number processed in each shard. A shard without
/// one is read from its oldest record (`TRIM_HORIZON`).
///
/// ```
/// use notes_repo::stream::Checkpoints;
/// let mut checkpoints = Checkpoints::default();
/// checkpoints.set("shardId-1", "300");
/// assert_eq!(checkpoints.get("shardId-1"), Some("300"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkpoints(BTreeMap<String, String>);

impl Checkpoints {
    /// Records that `shard`'s records up to `sequence_number` are processed.
    ///
    /// See [`Checkpoints`] for an example.
    pub fn set(&mut self, shard: impl Into<String>, sequence_number: impl Into<String>) {
        self.0.insert(shard.into(), sequence_number.into());
    }

    /// Records `record` as processed (nothing when it carries no shard).
    ///
    /// See [`Checkpoints`] for an example.
    pub fn advance(&mut self, record: &ChangeRecord) {
        if let Some(shard) = &record.shard_id {
            self.set(shard.clone(), record.sequence_number.clone());
        }
    }

    /// The last sequence number processed in `shard`.
    ///
    /// See [`Checkpoints`] for an example.
    pub fn get(&self, shard: &str) -> Option<&str> {
        self.0.get(shard).map(String::as_str)
    }
}

/// One shard of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Shard {
    /// The shard's id.
    pub id: String,
    /// The shard it split from, if any.
    pub parent: Option<String>,
}

impl StreamsReader {
    /// A reader on `client`.
    ///
    /// ```no_run
    /// # async fn f() {
    /// let config = aws_config::defaults(aws_config::BehaviorVersion::latest()).load().await;
    /// let reader = notes_repo::stream::StreamsReader::new(aws_sdk_dynamodbstreams::Client::new(&config));
    /// # let _ = reader;
    /// # }
    /// ```
    pub fn new(client: sdk::Client) -> Self {
        StreamsReader { client }
    }

    /// A reader configured the standard way (`aws_config`: environment, profile, endpoint
    /// variables such as `AWS_ENDPOINT_URL_DYNAMODB_STREAMS`).
    ///
    /// See [`StreamsReader`] for an example.
    pub async fn from_env() -> Self {
        let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
            .load()
            .await;
        StreamsReader::new(sdk::Client::new(&config))
    }

    /// Every shard of the stream (`DescribeStream`, every page), each after its parent.
    ///
    /// # Errors
    ///
    /// The service's error: [`Error::TableNotFound`](crate::Error::TableNotFound) for an
    /// unknown stream.
    ///
    /// See [`StreamsReader`] for an example.
    pub async fn shards(&self, stream: &StreamArn) -> Result<Vec<Shard>> {
        let mut shards = Vec::new();
        let mut start: Option<String> = None;
        loop {
            let output = self
                .client
                .describe_stream()
                .stream_arn(stream.as_str())
                .set_exclusive_start_shard_id(start.take())
                .send()
                .await
                .map_err(|err| map_error(err, stream, None))?;
            let Some(description) = output.stream_description() else {
                return Err(unexpected(format!("no description of stream `{stream}`")));
            };
            for shard in description.shards() {
                let Some(id) = shard.shard_id() else { continue };
                shards.push(Shard {
                    id: id.to_owned(),
                    parent: shard.parent_shard_id().map(str::to_owned),
                });
            }
            match description.last_evaluated_shard_id() {
                Some(last) => start = Some(last.to_owned()),
                None => break,
            }
        }
        Ok(lineage_order(shards))
    }

    /// The records available now, shard after shard in lineage order, each shard from its
    /// checkpoint on (or from its oldest record): a shard is read until it is closed and
    /// exhausted, or until a page of an open shard comes back empty.
    ///
    /// # Errors
    ///
    /// The service's: [`Error::TrimmedData`](crate::Error::TrimmedData) when a shard's records
    /// after its checkpoint were trimmed (older than 24 hours: rebuild from the table, then
    /// read on without that checkpoint), [`Error::TableNotFound`](crate::Error::TableNotFound)
    /// for an unknown stream.
    ///
    /// See [`StreamsReader`] for an example.
    pub fn changes<'a>(
        &'a self,
        stream: &'a StreamArn,
        checkpoints: Checkpoints,
    ) -> impl Stream<Item = Result<ChangeRecord>> + Send + 'a {
        futures::stream::once(self.shards(stream))
            .map_ok(move |shards| {
                let checkpoints = checkpoints.clone();
                futures::stream::iter(shards)
                    .then(move |shard| {
                        let after = checkpoints.get(&shard.id).map(str::to_owned);
                        self.read_shard(stream, shard.id, after)
                    })
                    .map_ok(|records| futures::stream::iter(records.into_iter().map(Ok)))
                    .try_flatten()
            })
            .try_flatten()
    }

    /// [`changes`](Self::changes), each read as `T`.
    ///
    /// See [`StreamsReader`] for an example.
    pub fn records<'a, T: Item>(
        &'a self,
        stream: &'a StreamArn,
        checkpoints: Checkpoints,
    ) -> impl Stream<Item = Result<StreamRecord<T>>> + Send + 'a {
        self.changes(stream, checkpoints)
            .and_then(|record| futures::future::ready(StreamRecord::decode(record)))
    }

    /// Every record of `shard` after `after` (or from its oldest), until it is exhausted.
    async fn read_shard(
        &self,
        stream: &StreamArn,
        shard: String,
        after: Option<String>,
    ) -> Result<Vec<ChangeRecord>> {
        let kind = match after {
            Some(_) => ShardIteratorType::AfterSequenceNumber,
            None => ShardIteratorType::TrimHorizon,
        };
        let output = self
            .client
            .get_shard_iterator()
            .stream_arn(stream.as_str())
            .shard_id(&shard)
            .shard_iterator_type(kind)
            .set_sequence_number(after.clone())
            .send()
            .await
            .map_err(|err| map_error(err, stream, after.as_deref()))?;
        let mut iterator = output.shard_iterator().map(str::to_owned);
        let mut records = Vec::new();
        while let Some(current) = iterator.take() {
            let page = self
                .client
                .get_records()
                .shard_iterator(current)
                .send()
                .await
                .map_err(|err| map_error(err, stream, after.as_deref()))?;
            for record in page.records() {
                records.push(change_record(record, &shard)?);
            }
            if page.records().is_empty() {
                break;
            }
            iterator = page.next_shard_iterator().map(str::to_owned);
        }
        Ok(records)
    }
}

/// The crate's error for a failed read of `stream` after the checkpoint `after`.
fn map_error<E>(err: SdkError<E>, stream: &StreamArn, after: Option<&str>) -> crate::Error
where
    E: Classify + std::error::Error + Send + Sync + 'static,
{
    map_sdk_error(err, Context::stream(stream.as_str(), after))
}

/// The shards, each after its parent (a parent missing from the list, trimmed after 24 hours,
/// counts as read).
fn lineage_order(shards: Vec<Shard>) -> Vec<Shard> {
    let ids: HashSet<String> = shards.iter().map(|s| s.id.clone()).collect();
    let mut done: HashSet<String> = HashSet::new();
    let mut ordered = Vec::with_capacity(shards.len());
    let mut left = shards;
    while !left.is_empty() {
        let (ready, waiting): (Vec<Shard>, Vec<Shard>) = left.into_iter().partition(|s| {
            s.parent
                .as_ref()
                .is_none_or(|p| !ids.contains(p) || done.contains(p))
        });
        if ready.is_empty() {
            // A cycle cannot happen in DynamoDB; read what is left as listed.
            ordered.extend(waiting);
            break;
        }
        done.extend(ready.iter().map(|s| s.id.clone()));
        ordered.extend(ready);
        left = waiting;
    }
    ordered
}

/// One API record as a [`ChangeRecord`].
fn change_record(record: &sdk::types::Record, shard: &str) -> Result<ChangeRecord> {
    let kind = match record.event_name() {
        Some(name) => ChangeKind::from_event_name(name.as_str())?,
        None => return Err(unexpected("a stream record without eventName".to_owned())),
    };
    let Some(change) = record.dynamodb() else {
        return Err(unexpected("a stream record without its change".to_owned()));
    };
    let image = |image: Option<&std::collections::HashMap<String, SdkValue>>| {
        image.map(from_sdk_item).transpose()
    };
    let keys = image(change.keys())?.unwrap_or_default();
    let approximate_creation_time = change
        .approximate_creation_date_time()
        .and_then(|time| u64::try_from(time.secs()).ok())
        .map_or(SystemTime::UNIX_EPOCH, |secs| {
            SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
        });
    let removed_by_ttl = kind == ChangeKind::Remove
        && record.user_identity().is_some_and(|who| {
            who.r#type() == Some("Service") && who.principal_id() == Some("dynamodb.amazonaws.com")
        });
    let mut out = ChangeRecord::new(
        kind,
        keys,
        change.sequence_number().unwrap_or_default(),
        approximate_creation_time,
    )
    .removed_by_ttl(removed_by_ttl)
    .shard_id(shard.to_owned());
    out.old_image = image(change.old_image())?;
    out.new_image = image(change.new_image())?;
    out.size_bytes = change.size_bytes().and_then(|n| u64::try_from(n).ok());
    out.view_type = change
        .stream_view_type()
        .and_then(|view| StreamViewType::from_name(view.as_str()).ok());
    Ok(out)
}

fn from_sdk_item(item: &std::collections::HashMap<String, SdkValue>) -> Result<ItemMap> {
    item.iter()
        .map(|(name, value)| Ok((name.clone(), from_sdk_value(value)?)))
        .collect()
}

fn from_sdk_value(value: &SdkValue) -> Result<AttributeValue> {
    Ok(match value {
        SdkValue::S(s) => AttributeValue::S(s.clone()),
        SdkValue::N(n) => AttributeValue::N(n.clone()),
        SdkValue::B(b) => AttributeValue::B(b.as_ref().to_vec()),
        SdkValue::Bool(b) => AttributeValue::Bool(*b),
        SdkValue::Null(n) => AttributeValue::Null(*n),
        SdkValue::Ss(v) => AttributeValue::Ss(v.clone()),
        SdkValue::Ns(v) => AttributeValue::Ns(v.clone()),
        SdkValue::Bs(v) => AttributeValue::Bs(v.iter().map(|b| b.as_ref().to_vec()).collect()),
        SdkValue::L(v) => AttributeValue::L(v.iter().map(from_sdk_value).collect::<Result<_>>()?),
        SdkValue::M(m) => AttributeValue::M(from_sdk_item(m)?),
        other => {
            return Err(unexpected(format!(
                "a stream record holds an attribute value this crate does not know: {other:?}"
            )));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shard(id: &str, parent: Option<&str>) -> Shard {
        Shard {
            id: id.to_owned(),
            parent: parent.map(str::to_owned),
        }
    }

    use aws_sdk_dynamodbstreams::config::http::HttpResponse;
    use aws_sdk_dynamodbstreams::config::{BehaviorVersion, Credentials, Region};
    use aws_smithy_mocks::{MockResponseInterceptor, Rule, RuleMode, mock};
    use aws_smithy_types::body::SdkBody;

    use crate::Error;

    const ARN: &str =
        "arn:aws:dynamodb:us-east-1:123456789012:table/notes/stream/2026-12-06T00:00:00.000";

    /// A reader whose client answers with `rules`, in order (the SDK's mocks, configured by
    /// hand: the crate's `test-util` feature is not needed).
    fn mocked(rules: &[&Rule]) -> StreamsReader {
        let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::Sequential);
        for rule in rules {
            interceptor = interceptor.with_rule(rule);
        }
        let config = sdk::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("key", "secret", None, None, "test"))
            .http_client(aws_smithy_mocks::create_mock_http_client())
            .interceptor(interceptor)
            .build();
        StreamsReader::new(sdk::Client::from_conf(config))
    }

    fn response(status: u16, body: &'static str) -> HttpResponse {
        HttpResponse::new(status.try_into().expect("status"), SdkBody::from(body))
    }

    fn one_shard() -> Rule {
        mock!(sdk::Client::describe_stream).then_http_response(|| {
            response(
                200,
                r#"{"StreamDescription": {"StreamArn": "arn", "Shards": [{"ShardId": "s1"}]}}"#,
            )
        })
    }

    const TRIMMED: &str = r#"{"__type": "com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException",
        "message": "The operation attempted to read past the oldest stream record in a shard."}"#;

    async fn read_after_checkpoint(reader: &StreamsReader) -> Error {
        let arn = StreamArn::new(ARN);
        let mut checkpoints = Checkpoints::default();
        checkpoints.set("s1", "600");
        let read: Result<Vec<ChangeRecord>> = reader.changes(&arn, checkpoints).try_collect().await;
        read.expect_err("trimmed")
    }

    /// Issue 24, defect 9 on DynamoDB: `GetShardIterator` after a checkpoint older than the
    /// trim point answers `TrimmedDataAccessException`: the typed `Error::TrimmedData`, with the
    /// stream and the checkpoint. On main (dc45f5e) it was an untyped `Error::Backend`.
    #[tokio::test]
    async fn a_trimmed_checkpoint_is_trimmed_data() {
        let iterator = mock!(sdk::Client::get_shard_iterator)
            .match_requests(|req| req.sequence_number() == Some("600"))
            .then_http_response(|| response(400, TRIMMED));
        let reader = mocked(&[&one_shard(), &iterator]);
        let err = read_after_checkpoint(&reader).await;
        let Error::TrimmedData {
            stream,
            after,
            message,
            source,
        } = &err
        else {
            panic!("unexpected {err:?}");
        };
        assert_eq!(stream, ARN);
        assert_eq!(after.as_deref(), Some("600"));
        assert_eq!(
            message,
            "The operation attempted to read past the oldest stream record in a shard."
        );
        assert!(source.is_some());
    }

    /// The same from `GetRecords` (the records trimmed between the iterator and the read).
    #[tokio::test]
    async fn records_trimmed_under_an_iterator_are_trimmed_data() {
        let iterator = mock!(sdk::Client::get_shard_iterator)
            .then_http_response(|| response(200, r#"{"ShardIterator": "it-1"}"#));
        let records = mock!(sdk::Client::get_records).then_http_response(|| response(400, TRIMMED));
        let reader = mocked(&[&one_shard(), &iterator, &records]);
        let err = read_after_checkpoint(&reader).await;
        assert!(
            matches!(&err, Error::TrimmedData { after: Some(after), .. } if after == "600"),
            "{err:?}"
        );
        assert_eq!(records.num_calls(), 1);
    }

    #[test]
    fn parents_come_before_their_children() {
        let listed = vec![
            shard("c2", Some("b")),
            shard("b", Some("a")),
            shard("c1", Some("b")),
            shard("a", Some("trimmed")),
            shard("z", None),
        ];
        let ids: Vec<String> = lineage_order(listed).into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["a", "z", "b", "c2", "c1"]);
    }
}
