//! The typed layer's auto scaling on `DynamoDbBackend`, against the AWS SDK's own mocks (no
//! server serves Application Auto Scaling). Built with the tests crate's `autoscaling`
//! feature, which compiles that SDK: `cargo test -p notes-tests --features autoscaling --test
//! interop`.

use aws_sdk_applicationautoscaling::Client;
use aws_sdk_applicationautoscaling::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_applicationautoscaling::operation::describe_scalable_targets::DescribeScalableTargetsOutput;
use aws_sdk_applicationautoscaling::operation::describe_scaling_policies::DescribeScalingPoliciesOutput;
use aws_sdk_applicationautoscaling::operation::put_scaling_policy::PutScalingPolicyOutput;
use aws_sdk_applicationautoscaling::operation::register_scalable_target::RegisterScalableTargetOutput;
use aws_sdk_applicationautoscaling::primitives::DateTime;
use aws_sdk_applicationautoscaling::types::{
    MetricType, PolicyType, PredefinedMetricSpecification, ScalableDimension,
    ScalableTarget as SdkTarget, ScalingPolicy as SdkPolicy, ServiceNamespace,
    TargetTrackingScalingPolicyConfiguration,
};
use aws_sdk_dynamodb::operation::describe_table::DescribeTableOutput;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, BillingModeSummary, KeySchemaElement, KeyType,
    ProvisionedThroughputDescription, ScalarAttributeType, TableDescription, TableStatus,
};
use aws_smithy_mocks::{MockResponseInterceptor, RuleMode, create_mock_http_client, mock};
use notes_repo::{AutoScaling, DynamoDbBackend, Note, Repo, TableScaling};

/// The typed layer on AWS: of the table's read and write policies, only the read one is
/// missing, so exactly one `RegisterScalableTarget` and one `PutScalingPolicy` are sent
/// (any other request would find no rule and fail).
#[tokio::test]
async fn set_auto_scaling_sends_only_what_is_missing() {
    let describe_table = mock!(aws_sdk_dynamodb::Client::describe_table).then_output(|| {
        let element = |name: &str, kind| {
            KeySchemaElement::builder()
                .attribute_name(name)
                .key_type(kind)
                .build()
                .unwrap()
        };
        let definition = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .unwrap()
        };
        let table = TableDescription::builder()
            .table_name("notes")
            .table_status(TableStatus::Active)
            .key_schema(element("userId", KeyType::Hash))
            .key_schema(element("noteId", KeyType::Range))
            .attribute_definitions(definition("userId"))
            .attribute_definitions(definition("noteId"))
            .billing_mode_summary(
                BillingModeSummary::builder()
                    .billing_mode(BillingMode::Provisioned)
                    .build(),
            )
            .provisioned_throughput(
                ProvisionedThroughputDescription::builder()
                    .read_capacity_units(5)
                    .write_capacity_units(5)
                    .build(),
            )
            .build();
        DescribeTableOutput::builder().table(table).build()
    });
    let targets = mock!(Client::describe_scalable_targets).then_output(|| {
        DescribeScalableTargetsOutput::builder()
            .scalable_targets(
                SdkTarget::builder()
                    .service_namespace(ServiceNamespace::Dynamodb)
                    .resource_id("table/notes")
                    .scalable_dimension(ScalableDimension::DynamoDbTableWriteCapacityUnits)
                    .min_capacity(5)
                    .max_capacity(40_000)
                    .role_arn("arn:aws:iam::1:role/aws-service-role")
                    .creation_time(DateTime::from_secs(0))
                    .build()
                    .unwrap(),
            )
            .build()
    });
    let policies = mock!(Client::describe_scaling_policies).then_output(|| {
        let configuration = TargetTrackingScalingPolicyConfiguration::builder()
            .target_value(70.0)
            .predefined_metric_specification(
                PredefinedMetricSpecification::builder()
                    .predefined_metric_type(MetricType::DynamoDbWriteCapacityUtilization)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        DescribeScalingPoliciesOutput::builder()
            .scaling_policies(
                SdkPolicy::builder()
                    .policy_arn("arn:policy")
                    .policy_name("DynamoDBWriteCapacityUtilization:table/notes")
                    .service_namespace(ServiceNamespace::Dynamodb)
                    .resource_id("table/notes")
                    .scalable_dimension(ScalableDimension::DynamoDbTableWriteCapacityUnits)
                    .policy_type(PolicyType::TargetTrackingScaling)
                    .target_tracking_scaling_policy_configuration(configuration)
                    .creation_time(DateTime::from_secs(0))
                    .build()
                    .unwrap(),
            )
            .build()
    });
    let register_read = mock!(Client::register_scalable_target)
        .match_requests(|req| {
            req.resource_id() == Some("table/notes")
                && req.scalable_dimension()
                    == Some(&ScalableDimension::DynamoDbTableReadCapacityUnits)
        })
        .then_output(|| RegisterScalableTargetOutput::builder().build());
    let put_read = mock!(Client::put_scaling_policy)
        .match_requests(|req| {
            req.policy_name() == Some("DynamoDBReadCapacityUtilization:table/notes")
        })
        .then_output(|| {
            PutScalingPolicyOutput::builder()
                .policy_arn("arn:aws:autoscaling:policy")
                .build()
                .unwrap()
        });
    let dynamodb =
        aws_smithy_mocks::mock_client!(aws_sdk_dynamodb, RuleMode::MatchAny, [&describe_table]);
    let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
    for rule in [&targets, &policies, &register_read, &put_read] {
        interceptor = interceptor.with_rule(rule);
    }
    let autoscaling = Client::from_conf(
        aws_sdk_applicationautoscaling::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("akid", "secret", None, None, "test"))
            .http_client(create_mock_http_client())
            .interceptor(interceptor)
            .build(),
    );
    let repo: Repo<Note, _> =
        Repo::new(DynamoDbBackend::new(dynamodb).with_auto_scaling(autoscaling));
    let scaling = TableScaling::new()
        .read(AutoScaling::default())
        .write(AutoScaling::default());
    repo.set_auto_scaling(&scaling).await.unwrap();
    assert_eq!((register_read.num_calls(), put_read.num_calls()), (1, 1));
    assert_eq!(describe_table.num_calls(), 1);
}
