//! [`DynamoDbBackend`]: the [`Backend`] on `aws-sdk-dynamodb`, for DynamoDB itself and any
//! server that speaks its HTTP API (DynamoDB Local, dynoxide, ScyllaDB Alternator).
//!
//! This crate depends on the seam (`notes-core`) alone; apps reach it through `notes-repo`
//! (feature `aws`, on by default).
#![cfg_attr(docsrs, feature(doc_cfg))]

// `crate::Error` is larger than clippy's 128-byte threshold (its `KeySchemaMismatch` holds two
// key schemas inline); shrinking it belongs to `error.rs`, not to every function returning it.

#[cfg(feature = "autoscaling")]
mod autoscaling;
mod backups;
mod convert;
mod errors;
mod multi;
mod render;
mod status;
#[cfg(feature = "streams")]
pub mod streams;
mod throughput;

pub use convert::{SdkItem, from_sdk_item, from_sdk_shared_item, to_sdk_item};
pub use render::{RenderedExpressions, render_expressions};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{self as sdk, ReturnConsumedCapacity};
use notes_model::{IndexKind, IndexSchema};

use notes_core::Backend;
use notes_core::{Error, Result};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use aws_sdk_dynamodb::config::interceptors::FinalizerInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};

use notes_core::request::{
    BackupArn, BackupDescription, CreateBackup, DescribeContinuousBackups, ListBackups,
    ListBackupsOutput, PointInTimeRecovery, RestoreTableFromBackup, RestoreTableToPointInTime,
    UpdateContinuousBackups,
};
use notes_core::request::{
    BatchGetItem, BatchGetItemOutput, BatchWriteItem, BatchWriteItemOutput, BillingMode,
    CreateTable, DeleteItem, GetItem, GetItemOutput, PageOutput, PutItem, Query, ReturnValues,
    ReturnValuesOnConditionCheckFailure, Scan, TableDescription, TransactGetItems,
    TransactGetItemsOutput, TransactWriteItems, TransactWriteItemsOutput, UpdateItem, UpdateTable,
    WriteOutput,
};
use notes_core::request::{DeleteTable, DescribeTable, UpdateTimeToLive};

use convert::{
    attribute_definitions, build_error, capacity, from_sdk_optional_item,
    index_key_schema_elements, key_schema_elements, projection, return_value, table_description,
};
use errors::{Context, map_sdk_error};
use render::render;

/// The [`Backend`] on DynamoDB, through `aws-sdk-dynamodb`.
///
/// Every expression is sent with `#n`/`:v` placeholders only, every read and write asks for
/// the consumed capacity (`ReturnConsumedCapacity::Total`), and the SDK's errors become
/// [`Error`] variants with the SDK error kept as their `source()`.
///
/// ```no_run
/// use notes_repo::request::DescribeTable;
/// use notes_repo::{Backend, DynamoDbBackend};
///
/// # async fn run() -> Result<(), notes_repo::Error> {
/// // Credentials, region and endpoint (`AWS_ENDPOINT_URL_DYNAMODB` for a local server)
/// // come from the environment, the AWS config files or the instance role.
/// let backend = DynamoDbBackend::from_env().await;
/// let table = backend.describe_table(DescribeTable::new("notes")).await?;
/// println!("{} is {:?}", table.table_name, table.status);
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct DynamoDbBackend {
    client: Client,
    /// Application Auto Scaling, for the scaling operations (feature `autoscaling`).
    #[cfg(feature = "autoscaling")]
    autoscaling: Option<aws_sdk_applicationautoscaling::Client>,
}

impl DynamoDbBackend {
    /// A backend on an already configured client.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let config = aws_config::defaults(aws_config::BehaviorVersion::latest()).load().await;
    /// let backend = notes_repo::DynamoDbBackend::new(aws_sdk_dynamodb::Client::new(&config));
    /// # let _ = backend;
    /// # }
    /// ```
    pub fn new(client: Client) -> Self {
        DynamoDbBackend {
            client,
            #[cfg(feature = "autoscaling")]
            autoscaling: None,
        }
    }

    /// Adds the Application Auto Scaling client the scaling operations
    /// ([`Repo::set_auto_scaling`](crate::Repo::set_auto_scaling)) go through; build it from
    /// the same `SdkConfig` as the DynamoDB client. [`from_env`](DynamoDbBackend::from_env)
    /// does this already.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let config = aws_config::defaults(aws_config::BehaviorVersion::latest()).load().await;
    /// let backend = notes_repo::DynamoDbBackend::new(aws_sdk_dynamodb::Client::new(&config))
    ///     .with_auto_scaling(aws_sdk_applicationautoscaling::Client::new(&config));
    /// # let _ = backend;
    /// # }
    /// ```
    #[cfg(feature = "autoscaling")]
    #[cfg_attr(docsrs, doc(cfg(feature = "autoscaling")))]
    pub fn with_auto_scaling(mut self, client: aws_sdk_applicationautoscaling::Client) -> Self {
        self.autoscaling = Some(client);
        self
    }

    /// The Application Auto Scaling client, or the error saying it is missing.
    #[cfg(feature = "autoscaling")]
    fn auto_scaling_client(&self) -> Result<&aws_sdk_applicationautoscaling::Client> {
        self.autoscaling.as_ref().ok_or_else(|| {
            Error::validation(
                "auto scaling needs an Application Auto Scaling client: build the backend with \
                 DynamoDbBackend::from_env or .with_auto_scaling(client)",
            )
        })
    }

    /// A backend configured the standard AWS way: the credential chain, the region, and the
    /// endpoint from `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL` when set.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let backend = notes_repo::DynamoDbBackend::from_env().await;
    /// # let _ = backend;
    /// # }
    /// ```
    ///
    /// With the feature `aws-rustls-ring`, the HTTPS client is rustls with *ring* (the SDK's
    /// `aws-smithy-http-client`), and not the SDK's default (rustls with aws-lc).
    pub async fn from_env() -> Self {
        let loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
        #[cfg(feature = "rustls-ring")]
        let loader = {
            use aws_smithy_http_client::tls::{Provider, rustls_provider::CryptoMode};
            loader.http_client(
                aws_smithy_http_client::Builder::new()
                    .tls_provider(Provider::Rustls(CryptoMode::Ring))
                    .build_https(),
            )
        };
        let config = loader.load().await;
        let backend = DynamoDbBackend::new(Client::new(&config));
        // With the `autoscaling` feature, Application Auto Scaling from the same config.
        #[cfg(feature = "autoscaling")]
        let backend =
            backend.with_auto_scaling(aws_sdk_applicationautoscaling::Client::new(&config));
        backend
    }

    /// The SDK client, for operations this crate does not wrap.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let backend = notes_repo::DynamoDbBackend::from_env().await;
    /// let tables = backend.client().list_tables().send().await;
    /// # let _ = tables;
    /// # }
    /// ```
    pub fn client(&self) -> &Client {
        &self.client
    }
}

impl From<Client> for DynamoDbBackend {
    fn from(client: Client) -> Self {
        DynamoDbBackend::new(client)
    }
}

/// `ReturnValues`, sent only when the caller asked for an image.
fn return_values(values: ReturnValues) -> Option<sdk::ReturnValue> {
    (values != ReturnValues::None).then(|| return_value(values))
}

/// Counts the SDK's attempts at one request whose outcome is unknown: no response (a reset, a
/// timeout), a 5xx (`InternalServerError`, `ServiceUnavailable`: the server may have applied
/// it), or a success answer that could not be read. Attempts answered with throttling or
/// another 4xx are not counted: DynamoDB applied nothing. When any was counted, a later
/// attempt's failed condition may be an earlier attempt's own doing, and the error is marked
/// as retried ([`Error::mark_retried`]); so is [`Error::Throttled`] when the SDK's last
/// attempts were throttled after an unknown one: the write may have been applied.
#[derive(Debug, Clone, Default)]
struct Attempts(Arc<AtomicU32>);

impl Attempts {
    /// `err`, marked as retried when an earlier attempt's outcome is unknown.
    fn mark(&self, err: Error) -> Error {
        if self.0.load(Ordering::Relaxed) > 0 {
            err.mark_retried()
        } else {
            err
        }
    }
}

impl Intercept for Attempts {
    fn name(&self) -> &'static str {
        "notes_repo::Attempts"
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> std::result::Result<(), notes_core::BoxError> {
        let answered = matches!(context.output_or_error(), Some(Ok(_)));
        let refused = context
            .response()
            .is_some_and(|response| response.status().is_client_error());
        if !answered && !refused {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    }
}

fn on_condition_check_failure(
    values: ReturnValuesOnConditionCheckFailure,
) -> Option<sdk::ReturnValuesOnConditionCheckFailure> {
    match values {
        ReturnValuesOnConditionCheckFailure::AllOld => {
            Some(sdk::ReturnValuesOnConditionCheckFailure::AllOld)
        }
        _ => None,
    }
}

/// A `u32` request field (`Limit`, `Segment`) as the `i32` the API takes.
/// DynamoDB's rules on `Select` that need no table (`notes_core::validate::select`), checked
/// before sending so that every backend refuses with the same message. The rule that needs
/// the index's projection is the service's.
fn check_select(
    operation: &str,
    select: Option<notes_core::request::Select>,
    projection: &Option<Vec<notes_model::expr::Path>>,
    index_name: &Option<String>,
) -> Result<()> {
    notes_core::validate::select(
        select,
        projection.as_ref().map(|_| "ProjectionExpression"),
        index_name.is_some(),
        operation,
    )
}

fn to_i32(value: u32, field: &str) -> Result<i32> {
    i32::try_from(value)
        .map_err(|_| Error::validation(format!("{field} {value} is larger than {}", i32::MAX)))
}

impl Backend for DynamoDbBackend {
    async fn get_item(&self, request: GetItem) -> Result<GetItemOutput> {
        let (r, _) = render(None, None, None, request.projection.as_deref())?;
        let output = self
            .client
            .get_item()
            .table_name(&request.table_name)
            .set_key(Some(to_sdk_item(request.key)?))
            .set_consistent_read(request.consistent_read.then_some(true))
            .set_projection_expression(r.projection)
            .set_expression_attribute_names(r.names)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::table(&request.table_name)))?;
        let mut answer = GetItemOutput::default();
        answer.consumed_capacity = capacity(output.consumed_capacity.as_ref());
        answer.item = output.item.map(from_sdk_shared_item).transpose()?;
        Ok(answer)
    }

    async fn put_item(&self, request: PutItem) -> Result<WriteOutput> {
        let (r, values) = render(None, None, request.condition.as_ref(), None)?;
        let attempts = Attempts::default();
        let output = self
            .client
            .put_item()
            .table_name(&request.table_name)
            .set_item(Some(to_sdk_item(request.item)?))
            .set_condition_expression(r.condition)
            .set_expression_attribute_names(r.names)
            .set_expression_attribute_values(values)
            .set_return_values(return_values(request.return_values))
            .set_return_values_on_condition_check_failure(on_condition_check_failure(
                request.return_values_on_condition_check_failure,
            ))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .customize()
            .interceptor(attempts.clone())
            .send()
            .await
            .map_err(|err| {
                attempts.mark(map_sdk_error(err, Context::table(&request.table_name)))
            })?;
        write_output(output.attributes, output.consumed_capacity.as_ref())
    }

    async fn update_item(&self, request: UpdateItem) -> Result<WriteOutput> {
        let (r, values) = render(
            None,
            Some(&request.update),
            request.condition.as_ref(),
            None,
        )?;
        let attempts = Attempts::default();
        let output = self
            .client
            .update_item()
            .table_name(&request.table_name)
            .set_key(Some(to_sdk_item(request.key)?))
            .set_update_expression(r.update)
            .set_condition_expression(r.condition)
            .set_expression_attribute_names(r.names)
            .set_expression_attribute_values(values)
            .set_return_values(return_values(request.return_values))
            .set_return_values_on_condition_check_failure(on_condition_check_failure(
                request.return_values_on_condition_check_failure,
            ))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .customize()
            .interceptor(attempts.clone())
            .send()
            .await
            .map_err(|err| {
                attempts.mark(map_sdk_error(err, Context::table(&request.table_name)))
            })?;
        write_output(output.attributes, output.consumed_capacity.as_ref())
    }

    async fn delete_item(&self, request: DeleteItem) -> Result<WriteOutput> {
        let (r, values) = render(None, None, request.condition.as_ref(), None)?;
        let attempts = Attempts::default();
        let output = self
            .client
            .delete_item()
            .table_name(&request.table_name)
            .set_key(Some(to_sdk_item(request.key)?))
            .set_condition_expression(r.condition)
            .set_expression_attribute_names(r.names)
            .set_expression_attribute_values(values)
            .set_return_values(return_values(request.return_values))
            .set_return_values_on_condition_check_failure(on_condition_check_failure(
                request.return_values_on_condition_check_failure,
            ))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .customize()
            .interceptor(attempts.clone())
            .send()
            .await
            .map_err(|err| {
                attempts.mark(map_sdk_error(err, Context::table(&request.table_name)))
            })?;
        write_output(output.attributes, output.consumed_capacity.as_ref())
    }

    async fn query(&self, request: Query) -> Result<PageOutput> {
        check_select(
            "Query",
            request.select,
            &request.projection,
            &request.index_name,
        )?;
        let (r, values) = render(
            Some(&request.key_condition),
            None,
            request.filter.as_ref(),
            request.projection.as_deref(),
        )?;
        let limit = request.limit.map(|l| to_i32(l, "Limit")).transpose()?;
        let output = self
            .client
            .query()
            .table_name(&request.table_name)
            .set_index_name(request.index_name)
            .set_key_condition_expression(r.key_condition)
            .set_filter_expression(r.condition)
            .set_projection_expression(r.projection)
            .set_select(request.select.map(convert::select))
            .set_expression_attribute_names(r.names)
            .set_expression_attribute_values(values)
            .set_limit(limit)
            .scan_index_forward(request.scan_index_forward)
            .set_exclusive_start_key(request.exclusive_start_key.map(to_sdk_item).transpose()?)
            .set_consistent_read(request.consistent_read.then_some(true))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::table(&request.table_name)))?;
        convert::page(
            output.items,
            output.count,
            output.scanned_count,
            output.last_evaluated_key,
            output.consumed_capacity.as_ref(),
        )
    }

    async fn scan(&self, request: Scan) -> Result<PageOutput> {
        check_select(
            "Scan",
            request.select,
            &request.projection,
            &request.index_name,
        )?;
        let (r, values) = render(
            None,
            None,
            request.filter.as_ref(),
            request.projection.as_deref(),
        )?;
        let limit = request.limit.map(|l| to_i32(l, "Limit")).transpose()?;
        let (segment, total_segments) = match request.segment {
            Some((segment, total)) => (
                Some(to_i32(segment, "Segment")?),
                Some(to_i32(total, "TotalSegments")?),
            ),
            None => (None, None),
        };
        let output = self
            .client
            .scan()
            .table_name(&request.table_name)
            .set_index_name(request.index_name)
            .set_filter_expression(r.condition)
            .set_projection_expression(r.projection)
            .set_select(request.select.map(convert::select))
            .set_expression_attribute_names(r.names)
            .set_expression_attribute_values(values)
            .set_limit(limit)
            .set_exclusive_start_key(request.exclusive_start_key.map(to_sdk_item).transpose()?)
            .set_consistent_read(request.consistent_read.then_some(true))
            .set_segment(segment)
            .set_total_segments(total_segments)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::table(&request.table_name)))?;
        convert::page(
            output.items,
            output.count,
            output.scanned_count,
            output.last_evaluated_key,
            output.consumed_capacity.as_ref(),
        )
    }

    async fn batch_get_item(&self, request: BatchGetItem) -> Result<BatchGetItemOutput> {
        multi::batch_get_item(&self.client, request).await
    }

    async fn batch_write_item(&self, request: BatchWriteItem) -> Result<BatchWriteItemOutput> {
        multi::batch_write_item(&self.client, request).await
    }

    async fn transact_get_items(
        &self,
        request: TransactGetItems,
    ) -> Result<TransactGetItemsOutput> {
        multi::transact_get_items(&self.client, request).await
    }

    async fn transact_write_items(
        &self,
        request: TransactWriteItems,
    ) -> Result<TransactWriteItemsOutput> {
        multi::transact_write_items(&self.client, request).await
    }

    async fn create_table(&self, request: CreateTable) -> Result<TableDescription> {
        // `AttributeDefinitions` gives each attribute one type: a conflict cannot be sent. An
        // index key the `KeySchema` list cannot hold as given (a local index of more than one
        // attribute a side, a global one of more than four) is refused as DynamoDB refuses it.
        for index in &request.indexes {
            notes_core::validate::index_key_schema(index)?;
        }
        notes_core::validate::attribute_types(&request.key_schema, &request.indexes)?;
        // Maximums and warm throughput DynamoDB refuses: refused before sending.
        notes_core::validate::create_table_throughput(&request)?;
        let throughput = match request.billing_mode {
            BillingMode::PayPerRequest => None,
            BillingMode::Provisioned {
                read_capacity_units,
                write_capacity_units,
            } => Some(
                sdk::ProvisionedThroughput::builder()
                    .read_capacity_units(read_capacity_units)
                    .write_capacity_units(write_capacity_units)
                    .build()
                    .map_err(build_error)?,
            ),
        };
        let definitions = attribute_definitions(
            request
                .key_schema
                .attributes()
                .chain(request.indexes.iter().flat_map(IndexSchema::key_attributes)),
        )?;
        let mut globals = Vec::new();
        let mut locals = Vec::new();
        for index in &request.indexes {
            let key_schema = index_key_schema_elements(index)?;
            match index.kind {
                // A provisioned table's global indexes get the table's capacity.
                IndexKind::Global => globals.push(
                    sdk::GlobalSecondaryIndex::builder()
                        .index_name(index.name.as_ref())
                        .set_key_schema(Some(key_schema))
                        .projection(projection(&index.projection))
                        .set_provisioned_throughput(throughput.clone())
                        .set_on_demand_throughput(throughput::to_sdk_on_demand(
                            request.index_on_demand_throughput.get(index.name.as_ref()),
                        ))
                        .set_warm_throughput(throughput::to_sdk_warm(
                            request.index_warm_throughput.get(index.name.as_ref()),
                        ))
                        .build()
                        .map_err(build_error)?,
                ),
                IndexKind::Local => locals.push(
                    sdk::LocalSecondaryIndex::builder()
                        .index_name(index.name.as_ref())
                        .set_key_schema(Some(key_schema))
                        .projection(projection(&index.projection))
                        .build()
                        .map_err(build_error)?,
                ),
            }
        }
        // DynamoDB rejects an empty index list: send none instead.
        let builder = self
            .client
            .create_table()
            .table_name(&request.table_name)
            .set_key_schema(Some(key_schema_elements(&request.key_schema)?))
            .set_attribute_definitions(Some(definitions))
            .set_global_secondary_indexes((!globals.is_empty()).then_some(globals))
            .set_local_secondary_indexes((!locals.is_empty()).then_some(locals))
            .set_provisioned_throughput(throughput)
            .set_on_demand_throughput(throughput::to_sdk_on_demand(
                request.on_demand_throughput.as_ref(),
            ))
            .set_warm_throughput(throughput::to_sdk_warm(request.warm_throughput.as_ref()))
            .set_stream_specification(
                request
                    .stream_view_type
                    .map(|view| {
                        sdk::StreamSpecification::builder()
                            .stream_enabled(true)
                            .stream_view_type(sdk::StreamViewType::from(view.name()))
                            .build()
                            .map_err(build_error)
                    })
                    .transpose()?,
            );
        let builder = match request.billing_mode {
            BillingMode::PayPerRequest => builder.billing_mode(sdk::BillingMode::PayPerRequest),
            BillingMode::Provisioned { .. } => builder.billing_mode(sdk::BillingMode::Provisioned),
        };
        let output = builder
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::create_table(&request.table_name)))?;
        table_description(
            output.table_description(),
            &request.table_name,
            Some(&request.key_schema),
        )
    }

    async fn describe_table(&self, request: DescribeTable) -> Result<TableDescription> {
        let table_name = request.table_name;
        let output = self
            .client
            .describe_table()
            .table_name(&table_name)
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::table(&table_name)))?;
        table_description(output.table(), &table_name, None)
    }

    async fn delete_table(&self, request: DeleteTable) -> Result<TableDescription> {
        let table_name = request.table_name;
        // DeleteTable's answer may leave out the key schema, which the description carries:
        // read it first (it cannot change while the table exists).
        let before = self
            .describe_table(DescribeTable::new(table_name.clone()))
            .await?;
        let output = self
            .client
            .delete_table()
            .table_name(&table_name)
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::table(&table_name)))?;
        table_description(
            output.table_description(),
            &table_name,
            Some(&before.key_schema),
        )
    }

    async fn update_table(&self, request: UpdateTable) -> Result<TableDescription> {
        // Units out of bounds, or nothing to change: refused before sending.
        notes_core::validate::update_table(&request)?;
        let throughput = |read: i64, write: i64| {
            sdk::ProvisionedThroughput::builder()
                .read_capacity_units(read)
                .write_capacity_units(write)
                .build()
                .map_err(build_error)
        };
        let mut builder = self.client.update_table().table_name(&request.table_name);
        match request.billing_mode {
            None => {}
            Some(BillingMode::PayPerRequest) => {
                builder = builder.billing_mode(sdk::BillingMode::PayPerRequest);
            }
            Some(BillingMode::Provisioned {
                read_capacity_units,
                write_capacity_units,
            }) => {
                builder = builder
                    .billing_mode(sdk::BillingMode::Provisioned)
                    .provisioned_throughput(throughput(read_capacity_units, write_capacity_units)?);
            }
        }
        builder = builder
            .set_on_demand_throughput(throughput::to_sdk_on_demand(
                request.on_demand_throughput.as_ref(),
            ))
            .set_warm_throughput(throughput::to_sdk_warm(request.warm_throughput.as_ref()));
        // One update per index, with whatever the request changes of it.
        for index_name in request.updated_indexes() {
            let units = request
                .index_throughput
                .get(index_name)
                .map(|units| throughput(units.read_capacity_units, units.write_capacity_units))
                .transpose()?;
            let update = sdk::UpdateGlobalSecondaryIndexAction::builder()
                .index_name(index_name)
                .set_provisioned_throughput(units)
                .set_on_demand_throughput(throughput::to_sdk_on_demand(
                    request.index_on_demand_throughput.get(index_name),
                ))
                .set_warm_throughput(throughput::to_sdk_warm(
                    request.index_warm_throughput.get(index_name),
                ))
                .build()
                .map_err(build_error)?;
            builder = builder.global_secondary_index_updates(
                sdk::GlobalSecondaryIndexUpdate::builder()
                    .update(update)
                    .build(),
            );
        }
        if let Some(stream) = request.stream_specification {
            let mut specification =
                sdk::StreamSpecification::builder().stream_enabled(stream.view_type().is_some());
            if let Some(view) = stream.view_type() {
                specification =
                    specification.stream_view_type(sdk::StreamViewType::from(view.name()));
            }
            builder = builder.stream_specification(specification.build().map_err(build_error)?);
        }
        let output = builder
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::table(&request.table_name)))?;
        table_description(output.table_description(), &request.table_name, None)
    }

    async fn update_continuous_backups(&self, request: UpdateContinuousBackups) -> Result<()> {
        let table_name = request.table_name;
        // Sent as given: DynamoDB checks the range and refuses a period while disabling.
        let period = request
            .recovery_period_in_days
            .map(|days| i32::try_from(days).unwrap_or(i32::MAX));
        let specification = sdk::PointInTimeRecoverySpecification::builder()
            .point_in_time_recovery_enabled(request.point_in_time_recovery_enabled)
            .set_recovery_period_in_days(period)
            .build()
            .map_err(build_error)?;
        self.client
            .update_continuous_backups()
            .table_name(&table_name)
            .point_in_time_recovery_specification(specification)
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::table(&table_name)))?;
        Ok(())
    }

    async fn update_time_to_live(&self, request: UpdateTimeToLive) -> Result<()> {
        let table_name = request.table_name;
        let specification = sdk::TimeToLiveSpecification::builder()
            .attribute_name(request.attribute_name)
            .enabled(request.enabled)
            .build()
            .map_err(build_error)?;
        self.client
            .update_time_to_live()
            .table_name(&table_name)
            .time_to_live_specification(specification)
            .send()
            .await
            .map_err(|err| map_sdk_error(err, Context::table(&table_name)))?;
        Ok(())
    }

    #[cfg(feature = "autoscaling")]
    async fn put_scaling_policy(&self, policy: notes_core::request::ScalingPolicy) -> Result<()> {
        autoscaling::put_scaling_policy(self.auto_scaling_client()?, policy).await
    }

    #[cfg(feature = "autoscaling")]
    async fn describe_scaling_policies(
        &self,
        request: notes_core::request::DescribeScalingPolicies,
    ) -> Result<Vec<notes_core::request::ScalingPolicy>> {
        autoscaling::describe_scaling_policies(self.auto_scaling_client()?, &request.table_name)
            .await
    }

    #[cfg(feature = "autoscaling")]
    async fn delete_scaling_policy(
        &self,
        target: notes_core::request::ScalableTarget,
    ) -> Result<()> {
        autoscaling::delete_scaling_policy(self.auto_scaling_client()?, target).await
    }

    // ---- Backups (backups.rs) ----
    async fn create_backup(&self, request: CreateBackup) -> Result<BackupDescription> {
        self.send_create_backup(request).await
    }

    async fn list_backups(&self, request: ListBackups) -> Result<ListBackupsOutput> {
        self.send_list_backups(request).await
    }

    async fn describe_backup(&self, backup_arn: BackupArn) -> Result<BackupDescription> {
        self.send_describe_backup(backup_arn).await
    }

    async fn delete_backup(&self, backup_arn: BackupArn) -> Result<BackupDescription> {
        self.send_delete_backup(backup_arn).await
    }

    async fn restore_table_from_backup(
        &self,
        request: RestoreTableFromBackup,
    ) -> Result<TableDescription> {
        self.send_restore_table_from_backup(request).await
    }

    async fn restore_table_to_point_in_time(
        &self,
        request: RestoreTableToPointInTime,
    ) -> Result<TableDescription> {
        self.send_restore_table_to_point_in_time(request).await
    }

    async fn describe_continuous_backups(
        &self,
        request: DescribeContinuousBackups,
    ) -> Result<PointInTimeRecovery> {
        self.send_describe_continuous_backups(request.table_name)
            .await
    }
}

/// A write's answer (`PutItem`, `UpdateItem`, `DeleteItem`): the attributes it asked back and
/// the capacity it consumed.
fn write_output(
    attributes: Option<std::collections::HashMap<String, sdk::AttributeValue>>,
    consumed_capacity: Option<&sdk::ConsumedCapacity>,
) -> Result<WriteOutput> {
    let mut answer = WriteOutput::new(from_sdk_optional_item(attributes)?);
    answer.consumed_capacity = capacity(consumed_capacity);
    Ok(answer)
}
