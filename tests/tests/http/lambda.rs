//! The Lambda entry point: API Gateway proxy events (REST and HTTP API payloads, built from
//! `aws_lambda_events` types) fed through its handler as the Lambda runtime feeds them.

use std::collections::HashMap;

use axum::Router;
use lambda_http::aws_lambda_events::apigw::{
    ApiGatewayProxyRequest, ApiGatewayRequestAuthorizer,
    ApiGatewayRequestAuthorizerCognitoIdentity, ApiGatewayRequestAuthorizerIamDescription,
    ApiGatewayRequestAuthorizerJwtDescription, ApiGatewayV2httpRequest,
};
use lambda_http::http::{HeaderMap, HeaderValue, Method};
use notes_repo::Note;
use serde::Serialize;
use serde_json::{Value, json};

use crate::support::{memory_repo, test_key};
use notes_api::gateway;

/// Who API Gateway says is calling.
#[derive(Clone, Copy)]
enum Caller<'a> {
    /// Nobody: no authorizer ran.
    Anonymous,
    /// IAM authorization with a Cognito identity pool: the Cognito identity id.
    CognitoIdentity(&'a str),
    /// A JWT (HTTP API) or Cognito user pool (REST API) authorizer: the `sub` claim.
    JwtSub(&'a str),
}

/// A REST API (payload 1.0) event on stage `prod`.
fn rest_event(
    method: Method,
    path: &str,
    query: &str,
    caller: Caller<'_>,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> ApiGatewayProxyRequest {
    let mut event = ApiGatewayProxyRequest::default();
    event.http_method = method.clone();
    event.path = Some(path.to_owned());
    event.resource = Some(path.to_owned());
    event.headers = header_map(headers);
    event.query_string_parameters = query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect::<HashMap<String, String>>()
        .into();
    event.body = body.map(|b| b.to_string());
    let context = &mut event.request_context;
    context.http_method = method;
    context.stage = Some("prod".to_owned());
    context.path = Some(format!("/prod{path}"));
    context.request_id = Some("rest-request".to_owned());
    match caller {
        Caller::Anonymous => {}
        Caller::CognitoIdentity(id) => {
            context.identity.cognito_identity_id = Some(id.to_owned());
            context.identity.cognito_identity_pool_id = Some("us-east-1:pool".to_owned());
        }
        Caller::JwtSub(sub) => {
            context.authorizer.fields.insert(
                "claims".to_owned(),
                json!({ "sub": sub, "email": "someone@example.com" }),
            );
        }
    }
    event
}

/// An HTTP API (payload 2.0) event on stage `stage`.
fn http_api_event(
    method: Method,
    path: &str,
    query: &str,
    caller: Caller<'_>,
    headers: &[(&str, &str)],
    body: Option<Value>,
    stage: &str,
) -> ApiGatewayV2httpRequest {
    let mut event = ApiGatewayV2httpRequest::default();
    event.version = Some("2.0".to_owned());
    event.route_key = Some(format!("{method} {path}"));
    event.raw_path = Some(if stage == "$default" {
        path.to_owned()
    } else {
        format!("/{stage}{path}")
    });
    event.raw_query_string = Some(query.to_owned());
    event.headers = header_map(headers);
    event.body = body.map(|b| b.to_string());
    let context = &mut event.request_context;
    context.stage = Some(stage.to_owned());
    context.request_id = Some("http-api-request".to_owned());
    context.http.method = method;
    context.http.path = event.raw_path.clone();
    match caller {
        Caller::Anonymous => {}
        Caller::CognitoIdentity(id) => {
            let mut cognito = ApiGatewayRequestAuthorizerCognitoIdentity::default();
            cognito.identity_id = Some(id.to_owned());
            let mut iam = ApiGatewayRequestAuthorizerIamDescription::default();
            iam.cognito_identity = Some(cognito);
            let mut authorizer = ApiGatewayRequestAuthorizer::default();
            authorizer.iam = Some(iam);
            context.authorizer = Some(authorizer);
        }
        Caller::JwtSub(sub) => {
            let mut jwt = ApiGatewayRequestAuthorizerJwtDescription::default();
            jwt.claims.insert("sub".to_owned(), sub.to_owned());
            let mut authorizer = ApiGatewayRequestAuthorizer::default();
            authorizer.jwt = Some(jwt);
            context.authorizer = Some(authorizer);
        }
    }
    event
}

fn header_map(headers: &[(&str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    map.insert("content-type", HeaderValue::from_static("application/json"));
    for (name, value) in headers {
        map.insert(
            lambda_http::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    map
}

/// Sends `event` through the handler as the Lambda runtime does: the event's JSON is turned
/// into a request by `lambda_http`, then served. Returns the status and the JSON body.
async fn invoke(app: &Router, event: &impl Serialize) -> (u16, Value) {
    let json = serde_json::to_string(event).unwrap();
    let request = lambda_http::request::from_str(&json).expect("an API Gateway event");
    let response = gateway::handle(app.clone(), request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, body)
}

fn note(body: &Value) -> Note {
    serde_json::from_value(body.clone()).unwrap_or_else(|err| panic!("{err}: {body}"))
}

#[tokio::test]
async fn rest_api_events_take_the_cognito_identity_not_the_header() {
    let app = gateway::app(memory_repo().await, test_key());
    let alice = "us-east-1:alice-identity";
    // The header claims to be bob; the request context says alice.
    let (status, body) = invoke(
        &app,
        &rest_event(
            Method::POST,
            "/notes",
            "",
            Caller::CognitoIdentity(alice),
            &[("x-user-id", "bob")],
            Some(json!({ "content": "from alice" })),
        ),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let created = note(&body);
    assert_eq!(created.user_id, alice);

    let (status, body) = invoke(
        &app,
        &rest_event(
            Method::GET,
            &format!("/notes/{}", created.note_id),
            "",
            Caller::CognitoIdentity(alice),
            &[],
            None,
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(note(&body), created);

    // bob's header alone is no identity, and bob's own identity does not reach alice's note.
    let (status, _) = invoke(
        &app,
        &rest_event(
            Method::GET,
            "/notes",
            "",
            Caller::Anonymous,
            &[("x-user-id", alice)],
            None,
        ),
    )
    .await;
    assert_eq!(status, 401);
    let (status, _) = invoke(
        &app,
        &rest_event(
            Method::DELETE,
            &format!("/notes/{}", created.note_id),
            "",
            Caller::CognitoIdentity("us-east-1:bob-identity"),
            &[("x-user-id", alice)],
            None,
        ),
    )
    .await;
    assert_eq!(status, 404);

    let (status, body) = invoke(
        &app,
        &rest_event(
            Method::GET,
            "/notes",
            "limit=10",
            Caller::CognitoIdentity(alice),
            &[],
            None,
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn rest_api_events_take_the_user_pool_sub_claim() {
    let app = gateway::app(memory_repo().await, test_key());
    let (status, body) = invoke(
        &app,
        &rest_event(
            Method::POST,
            "/notes",
            "",
            Caller::JwtSub("sub-123"),
            &[("x-user-id", "someone-else")],
            Some(json!({ "content": "hi", "userId": "someone-else" })),
        ),
    )
    .await;
    // The body cannot name the user either: unknown fields are refused.
    assert_eq!(status, 400, "{body}");
    let (status, body) = invoke(
        &app,
        &rest_event(
            Method::POST,
            "/notes",
            "",
            Caller::JwtSub("sub-123"),
            &[("x-user-id", "someone-else")],
            Some(json!({ "content": "hi" })),
        ),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(note(&body).user_id, "sub-123");
}

#[tokio::test]
async fn http_api_events_take_the_jwt_sub_not_the_header() {
    let app = gateway::app(memory_repo().await, test_key());
    for stage in ["$default", "prod"] {
        let user = format!("jwt-user-{stage}");
        let (status, body) = invoke(
            &app,
            &http_api_event(
                Method::POST,
                "/notes",
                "",
                Caller::JwtSub(&user),
                &[("x-user-id", "mallory")],
                Some(json!({ "content": "via HTTP API", "attachment": "a.txt" })),
                stage,
            ),
        )
        .await;
        assert_eq!(status, 201, "{stage}: {body}");
        let created = note(&body);
        assert_eq!(created.user_id, user);
        assert_eq!(created.attachment.as_deref(), Some("a.txt"));

        let (status, body) = invoke(
            &app,
            &http_api_event(
                Method::PUT,
                &format!("/notes/{}", created.note_id),
                "",
                Caller::JwtSub(&user),
                &[],
                Some(json!({ "content": "edited" })),
                stage,
            ),
        )
        .await;
        assert_eq!(status, 200, "{stage}: {body}");
        assert_eq!(note(&body).content, "edited");

        // mallory's header names the user, but the context has no identity: 401.
        let (status, body) = invoke(
            &app,
            &http_api_event(
                Method::GET,
                "/notes",
                "",
                Caller::Anonymous,
                &[("x-user-id", &user)],
                None,
                stage,
            ),
        )
        .await;
        assert_eq!(status, 401, "{stage}: {body}");

        let (status, body) = invoke(
            &app,
            &http_api_event(
                Method::GET,
                "/notes",
                "limit=5",
                Caller::JwtSub(&user),
                &[],
                None,
                stage,
            ),
        )
        .await;
        assert_eq!(status, 200, "{stage}: {body}");
        assert_eq!(body["items"][0]["content"], "edited");

        let (status, body) = invoke(
            &app,
            &http_api_event(
                Method::DELETE,
                &format!("/notes/{}", created.note_id),
                "",
                Caller::JwtSub(&user),
                &[],
                None,
                stage,
            ),
        )
        .await;
        assert_eq!(status, 204, "{stage}: {body}");
    }
}

#[tokio::test]
async fn http_api_events_take_the_iam_cognito_identity() {
    let app = gateway::app(memory_repo().await, test_key());
    let (status, body) = invoke(
        &app,
        &http_api_event(
            Method::POST,
            "/notes",
            "",
            Caller::CognitoIdentity("us-east-1:carol"),
            &[("x-user-id", "dave")],
            Some(json!({ "content": "iam" })),
            "$default",
        ),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(note(&body).user_id, "us-east-1:carol");
    let (status, body) = invoke(
        &app,
        &http_api_event(
            Method::GET,
            "/notes",
            "",
            Caller::CognitoIdentity("dave"),
            &[("x-user-id", "us-east-1:carol")],
            None,
            "$default",
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"], json!([]));
}
