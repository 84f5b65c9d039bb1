//! The notes API over real HTTP: the router from `notes_examples::notes_api` served on
//! 127.0.0.1 and a free port, driven by reqwest, on MemoryBackend and on the real test server;
//! and its Lambda entry point, fed API Gateway events.

#[path = "http_api/support.rs"]
mod support;

#[path = "http_api/cases.rs"]
mod cases;

#[path = "http_api/lambda.rs"]
mod lambda;

/// The Lambda entry point's handler and identity, as the `notes-api-lambda` example builds them.
#[path = "../../examples/notes_api/gateway.rs"]
mod gateway;

/// One test per case on each backend: `memory::case` and `dynamodb::case`.
macro_rules! on_every_backend {
    ($($case:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let server = crate::support::TestServer::start(crate::support::memory_repo().await).await;
                    crate::cases::$case(&server).await;
                }
            )*
        }

        mod dynamodb {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let Some(repo) = crate::support::dynamodb_repo(stringify!($case)).await else {
                        return;
                    };
                    let server = crate::support::TestServer::start(repo).await;
                    crate::cases::$case(&server).await;
                }
            )*
        }
    };
}

on_every_backend!(
    create_get_list_page_update_delete,
    bad_requests_are_400_with_a_json_error,
    cursors_are_bound_to_the_caller,
    requests_without_identity_are_401,
    missing_notes_are_404_and_never_upserted,
    too_large_notes_are_413,
    users_never_see_each_others_notes,
    fifty_concurrent_creates_are_all_listed,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_503_with_retry_after() {
    cases::throttling_is_503_with_retry_after().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_stops_gracefully() {
    cases::the_server_stops_gracefully().await;
}
