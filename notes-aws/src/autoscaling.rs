//! Auto scaling on AWS (feature `autoscaling`): the [`Backend`](crate::Backend)'s scaling
//! operations through Application Auto Scaling (`aws-sdk-applicationautoscaling`), the way the
//! DynamoDB console sets them up: a scalable target per table or global index and capacity
//! (`dynamodb:table:ReadCapacityUnits`, resource `table/notes` or
//! `table/notes/index/<name>`), registered without a role ARN (Application Auto Scaling then
//! uses its service-linked role `AWSServiceRoleForApplicationAutoScaling_DynamoDBTable`, as
//! the console does,
//! <https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/AutoScaling.Console.html>),
//! and a `TargetTrackingScaling` policy on the predefined metric
//! `DynamoDBReadCapacityUtilization` / `DynamoDBWriteCapacityUtilization`, named
//! `<metric>:<resource id>`.
//!
//! `RegisterScalableTarget` updates a registered target and `PutScalingPolicy` replaces a
//! policy of the same name, so registering again is harmless; `DeregisterScalableTarget`
//! deletes a target with its policies, and one already gone is not an error.

use aws_sdk_applicationautoscaling::Client;
use aws_sdk_applicationautoscaling::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_applicationautoscaling::operation::deregister_scalable_target::DeregisterScalableTargetError;
use aws_sdk_applicationautoscaling::types::{
    MetricType, PolicyType, PredefinedMetricSpecification, ScalableDimension, ServiceNamespace,
    TargetTrackingScalingPolicyConfiguration,
};

use notes_core::request::{Capacity, ScalableTarget, ScalingPolicy};
use notes_core::{BoxError, Error, Result};

/// `RegisterScalableTarget`, then `PutScalingPolicy`.
pub(super) async fn put_scaling_policy(client: &Client, policy: ScalingPolicy) -> Result<()> {
    notes_core::validate::scaling_policy(
        policy.min_capacity,
        policy.max_capacity,
        policy.target_value,
    )?;
    let capacity = |field: &str, value: i64| {
        i32::try_from(value).map_err(|_| {
            Error::validation(format!(
                "auto scaling `{field}` must fit Application Auto Scaling's integer: got {value}"
            ))
        })
    };
    let target = &policy.target;
    client
        .register_scalable_target()
        .service_namespace(ServiceNamespace::Dynamodb)
        .resource_id(target.resource_id())
        .scalable_dimension(ScalableDimension::from(target.scalable_dimension()))
        .min_capacity(capacity("min", policy.min_capacity)?)
        .max_capacity(capacity("max", policy.max_capacity)?)
        .send()
        .await
        .map_err(|err| map_error(err, target))?;
    let metric = PredefinedMetricSpecification::builder()
        .predefined_metric_type(MetricType::from(target.predefined_metric()))
        .build()
        .map_err(build_error)?;
    let configuration = TargetTrackingScalingPolicyConfiguration::builder()
        .target_value(policy.target_value)
        .predefined_metric_specification(metric)
        .build()
        .map_err(build_error)?;
    client
        .put_scaling_policy()
        .policy_name(target.policy_name())
        .service_namespace(ServiceNamespace::Dynamodb)
        .resource_id(target.resource_id())
        .scalable_dimension(ScalableDimension::from(target.scalable_dimension()))
        .policy_type(PolicyType::TargetTrackingScaling)
        .target_tracking_scaling_policy_configuration(configuration)
        .send()
        .await
        .map_err(|err| map_error(err, target))?;
    Ok(())
}

/// `DescribeScalableTargets` (the table's and its indexes'), then `DescribeScalingPolicies`
/// for each: the targets with a target-tracking policy, in [`ScalableTarget`] order.
pub(super) async fn describe_scaling_policies(
    client: &Client,
    table_name: &str,
) -> Result<Vec<ScalingPolicy>> {
    let table = ScalableTarget::table(table_name, Capacity::Read);
    let mut targets = Vec::new();
    let mut next_token = None;
    loop {
        let page = client
            .describe_scalable_targets()
            .service_namespace(ServiceNamespace::Dynamodb)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|err| map_error(err, &table))?;
        for found in page.scalable_targets() {
            if let Some(target) = parse_target(found.resource_id(), found.scalable_dimension())
                && target.table_name == table_name
            {
                targets.push((target, found.min_capacity(), found.max_capacity()));
            }
        }
        next_token = page.next_token().map(str::to_owned);
        if next_token.is_none() {
            break;
        }
    }
    let mut resources: Vec<String> = targets.iter().map(|(t, _, _)| t.resource_id()).collect();
    resources.sort_unstable();
    resources.dedup();
    let mut policies = Vec::new();
    for resource in resources {
        let mut next_token = None;
        loop {
            let page = client
                .describe_scaling_policies()
                .service_namespace(ServiceNamespace::Dynamodb)
                .resource_id(&resource)
                .set_next_token(next_token)
                .send()
                .await
                .map_err(|err| map_error(err, &table))?;
            for found in page.scaling_policies() {
                let Some(target) = parse_target(found.resource_id(), found.scalable_dimension())
                else {
                    continue;
                };
                let Some(configuration) = found.target_tracking_scaling_policy_configuration()
                else {
                    continue;
                };
                let tracks_utilization = configuration
                    .predefined_metric_specification()
                    .is_some_and(|m| {
                        m.predefined_metric_type().as_str() == target.predefined_metric()
                    });
                let registered = targets.iter().find(|(t, _, _)| *t == target);
                if let (true, Some((_, min, max))) = (tracks_utilization, registered) {
                    policies.push(ScalingPolicy::new(
                        target,
                        i64::from(*min),
                        i64::from(*max),
                        configuration.target_value(),
                    ));
                }
            }
            next_token = page.next_token().map(str::to_owned);
            if next_token.is_none() {
                break;
            }
        }
    }
    policies.sort_by(|a, b| a.target.cmp(&b.target));
    policies.dedup_by(|a, b| a.target == b.target);
    Ok(policies)
}

/// `DeregisterScalableTarget` (its policies go with it); nothing registered is not an error.
pub(super) async fn delete_scaling_policy(client: &Client, target: ScalableTarget) -> Result<()> {
    let sent = client
        .deregister_scalable_target()
        .service_namespace(ServiceNamespace::Dynamodb)
        .resource_id(target.resource_id())
        .scalable_dimension(ScalableDimension::from(target.scalable_dimension()))
        .send()
        .await;
    match sent {
        Ok(_) => Ok(()),
        Err(err)
            if matches!(
                err.as_service_error(),
                Some(DeregisterScalableTargetError::ObjectNotFoundException(_))
            ) =>
        {
            Ok(())
        }
        Err(err) => Err(map_error(err, &target)),
    }
}

/// The DynamoDB target a resource id and dimension name (`table/notes/index/byStatus`,
/// `dynamodb:index:ReadCapacityUnits`), or `None` for another service's or a malformed one.
fn parse_target(resource_id: &str, dimension: &ScalableDimension) -> Option<ScalableTarget> {
    let rest = resource_id.strip_prefix("table/")?;
    let (table, index) = match rest.split_once("/index/") {
        Some((table, index)) => (table, Some(index)),
        None => (rest, None),
    };
    let capacity = match dimension.as_str() {
        "dynamodb:table:ReadCapacityUnits" | "dynamodb:index:ReadCapacityUnits" => Capacity::Read,
        "dynamodb:table:WriteCapacityUnits" | "dynamodb:index:WriteCapacityUnits" => {
            Capacity::Write
        }
        _ => return None,
    };
    let target = match index {
        None => ScalableTarget::table(table, capacity),
        Some(index) => ScalableTarget::index(table, index, capacity),
    };
    (target.scalable_dimension() == dimension.as_str()).then_some(target)
}

/// Application Auto Scaling's errors, by their modelled codes: `ValidationException` is
/// [`Error::Validation`], `LimitExceededException` [`Error::LimitExceeded`], anything else
/// [`Error::Backend`]; the SDK's error is kept as the source.
fn map_error<E, R>(err: SdkError<E, R>, target: &ScalableTarget) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    let code = err.code().map(str::to_owned);
    let message = err.message().unwrap_or_default().to_owned();
    let source: BoxError = Box::new(err);
    match code.as_deref() {
        Some("ValidationException") => Error::Validation {
            message: format!("{message} ({})", target.resource_id()),
            source: Some(source),
        },
        Some("LimitExceededException") => Error::LimitExceeded {
            table: target.table_name.clone(),
            message,
            source: Some(source),
        },
        _ => Error::Backend { source },
    }
}

fn build_error(err: aws_sdk_applicationautoscaling::error::BuildError) -> Error {
    Error::Backend {
        source: Box::new(err),
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_applicationautoscaling::config::{BehaviorVersion, Credentials, Region};
    use aws_sdk_applicationautoscaling::operation::deregister_scalable_target::DeregisterScalableTargetOutput;
    use aws_sdk_applicationautoscaling::operation::describe_scalable_targets::DescribeScalableTargetsOutput;
    use aws_sdk_applicationautoscaling::operation::describe_scaling_policies::DescribeScalingPoliciesOutput;
    use aws_sdk_applicationautoscaling::operation::put_scaling_policy::PutScalingPolicyOutput;
    use aws_sdk_applicationautoscaling::operation::register_scalable_target::RegisterScalableTargetOutput;
    use aws_sdk_applicationautoscaling::types::error::ObjectNotFoundException;
    use aws_sdk_applicationautoscaling::types::{
        ScalableTarget as SdkTarget, ScalingPolicy as SdkPolicy,
    };
    use aws_smithy_mocks::{
        MockResponseInterceptor, Rule, RuleMode, create_mock_http_client, mock,
    };

    use super::*;

    /// A client answering with `rules` in order (built by hand: the mock macro needs the
    /// SDK's `test-util` feature, which would compile this SDK into every test build).
    fn mocked(rules: &[&Rule]) -> Client {
        let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::Sequential);
        for rule in rules {
            interceptor = interceptor.with_rule(rule);
        }
        let config = aws_sdk_applicationautoscaling::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("akid", "secret", None, None, "test"))
            .http_client(create_mock_http_client())
            .interceptor(interceptor)
            .build();
        Client::from_conf(config)
    }

    #[tokio::test]
    async fn a_policy_registers_the_target_then_a_target_tracking_policy_as_the_console_names_it() {
        let register = mock!(Client::register_scalable_target)
            .match_requests(|req| {
                req.service_namespace() == Some(&ServiceNamespace::Dynamodb)
                    && req.resource_id() == Some("table/notes/index/byStatus")
                    && req.scalable_dimension()
                        == Some(&ScalableDimension::DynamoDbIndexWriteCapacityUnits)
                    && req.min_capacity() == Some(5)
                    && req.max_capacity() == Some(40_000)
                    && req.role_arn().is_none()
            })
            .then_output(|| RegisterScalableTargetOutput::builder().build());
        let put = mock!(Client::put_scaling_policy)
            .match_requests(|req| {
                let configuration = req.target_tracking_scaling_policy_configuration();
                req.policy_name()
                    == Some("DynamoDBWriteCapacityUtilization:table/notes/index/byStatus")
                    && req.service_namespace() == Some(&ServiceNamespace::Dynamodb)
                    && req.resource_id() == Some("table/notes/index/byStatus")
                    && req.scalable_dimension()
                        == Some(&ScalableDimension::DynamoDbIndexWriteCapacityUnits)
                    && req.policy_type() == Some(&PolicyType::TargetTrackingScaling)
                    && configuration.is_some_and(|c| {
                        c.target_value() == 70.0
                            && c.predefined_metric_specification().is_some_and(|m| {
                                m.predefined_metric_type()
                                    == &MetricType::DynamoDbWriteCapacityUtilization
                            })
                    })
            })
            .then_output(|| {
                PutScalingPolicyOutput::builder()
                    .policy_arn("arn:aws:autoscaling:policy")
                    .build()
                    .unwrap()
            });
        let client = mocked(&[&register, &put]);
        let target = ScalableTarget::index("notes", "byStatus", Capacity::Write);
        put_scaling_policy(&client, ScalingPolicy::new(target, 5, 40_000, 70.0))
            .await
            .unwrap();
        assert_eq!((register.num_calls(), put.num_calls()), (1, 1));
    }

    #[tokio::test]
    async fn an_invalid_policy_is_refused_before_sending() {
        let client = mocked(&[]);
        let target = ScalableTarget::table("notes", Capacity::Read);
        let err = put_scaling_policy(&client, ScalingPolicy::new(target, 5, 10, 95.0))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Validation { source: None, .. }),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn policies_are_read_back_from_the_targets_and_their_policies() {
        let targets = mock!(Client::describe_scalable_targets)
            .match_requests(|req| req.service_namespace() == Some(&ServiceNamespace::Dynamodb))
            .then_output(|| {
                let target = |resource: &str, dimension, min, max| {
                    SdkTarget::builder()
                        .service_namespace(ServiceNamespace::Dynamodb)
                        .resource_id(resource)
                        .scalable_dimension(dimension)
                        .min_capacity(min)
                        .max_capacity(max)
                        .role_arn("arn:aws:iam::1:role/aws-service-role")
                        .creation_time(aws_smithy_types::DateTime::from_secs(0))
                        .build()
                        .unwrap()
                };
                DescribeScalableTargetsOutput::builder()
                    .scalable_targets(target(
                        "table/notes",
                        ScalableDimension::DynamoDbTableWriteCapacityUnits,
                        5,
                        40_000,
                    ))
                    .scalable_targets(target(
                        "table/other",
                        ScalableDimension::DynamoDbTableWriteCapacityUnits,
                        1,
                        10,
                    ))
                    .build()
            });
        let policies = mock!(Client::describe_scaling_policies)
            .match_requests(|req| req.resource_id() == Some("table/notes"))
            .then_output(|| {
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
                            .creation_time(aws_smithy_types::DateTime::from_secs(0))
                            .build()
                            .unwrap(),
                    )
                    .build()
            });
        let client = mocked(&[&targets, &policies]);
        let found = describe_scaling_policies(&client, "notes").await.unwrap();
        assert_eq!(
            found,
            [ScalingPolicy::new(
                ScalableTarget::table("notes", Capacity::Write),
                5,
                40_000,
                70.0
            )]
        );
        assert_eq!((targets.num_calls(), policies.num_calls()), (1, 1));
    }

    #[tokio::test]
    async fn deregistering_a_missing_target_is_not_an_error() {
        let gone = mock!(Client::deregister_scalable_target)
            .match_requests(|req| {
                req.resource_id() == Some("table/notes")
                    && req.scalable_dimension()
                        == Some(&ScalableDimension::DynamoDbTableReadCapacityUnits)
            })
            .then_error(|| {
                DeregisterScalableTargetError::ObjectNotFoundException(
                    ObjectNotFoundException::builder()
                        .message("No scalable target")
                        .build(),
                )
            });
        let deleted = mock!(Client::deregister_scalable_target)
            .then_output(|| DeregisterScalableTargetOutput::builder().build());
        let client = mocked(&[&gone, &deleted]);
        let target = ScalableTarget::table("notes", Capacity::Read);
        delete_scaling_policy(&client, target.clone())
            .await
            .unwrap();
        delete_scaling_policy(&client, target).await.unwrap();
        assert_eq!((gone.num_calls(), deleted.num_calls()), (1, 1));
    }

    #[test]
    fn resource_ids_parse_back_into_targets() {
        assert_eq!(
            parse_target(
                "table/notes/index/byStatus",
                &ScalableDimension::DynamoDbIndexReadCapacityUnits
            ),
            Some(ScalableTarget::index("notes", "byStatus", Capacity::Read))
        );
        assert_eq!(
            parse_target(
                "table/notes",
                &ScalableDimension::DynamoDbIndexReadCapacityUnits
            ),
            None
        );
    }
}
