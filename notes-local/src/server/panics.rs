//! The last line against a bug: a request whose handling panics is answered with DynamoDB's
//! 500 `InternalServerError` (which SDKs retry) instead of a connection closed without an
//! answer, the panic is logged, and [`Panics`] counts it so that
//! [`LocalServer::shutdown`](super::LocalServer::shutdown) reports it.

use std::any::Any;
use std::future::Future;
use std::io;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::FutureExt;

use super::reply::{self, Reply};
use crate::errors::{DYNAMODB, ErrorAnswer};

/// How many requests' handling panicked.
#[derive(Debug, Default)]
pub(super) struct Panics(AtomicUsize);

impl Panics {
    /// The count so far.
    pub(super) fn count(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }

    /// `serving`'s answer, or DynamoDB's 500 if it panics (counted and logged).
    pub(super) async fn guard(
        &self,
        serving: impl Future<Output = io::Result<Reply>>,
    ) -> io::Result<Reply> {
        // Unwind safety: what a panic leaves of the shared state (the service, the engine)
        // is what it would leave if the connection's task died of it, as it did before this
        // guard; the guard only adds an answer.
        match AssertUnwindSafe(serving).catch_unwind().await {
            Ok(answer) => answer,
            Err(panic) => {
                self.0.fetch_add(1, Ordering::Relaxed);
                tracing::error!(
                    "a request's handling panicked (answered 500 InternalServerError): {}",
                    message(panic.as_ref())
                );
                let answer = ErrorAnswer {
                    namespace: DYNAMODB,
                    status: 500,
                    name: "InternalServerError",
                    message: "Internal server error".to_owned(),
                    cancellation_reasons: None,
                    item: None,
                    throttling_reasons: None,
                };
                let content_type = "application/x-amz-json-1.0";
                Ok(reply::error(&answer, content_type, &reply::request_id()))
            }
        }
    }
}

/// A panic's message (`panic!`'s text), or a placeholder for another payload.
fn message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a panic without a message)")
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt;

    use super::*;

    #[tokio::test]
    async fn a_panic_is_answered_500_and_counted() {
        let panics = Panics::default();
        let answer = panics
            .guard(async { panic!("the handler's bug") })
            .await
            .unwrap();
        assert_eq!(answer.status(), 500);
        let body = answer.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&body).unwrap(),
            serde_json::json!({
                "__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
                "message": "Internal server error",
            })
        );
        assert_eq!(panics.count(), 1);
        let fine = panics.guard(async { Ok(reply::empty(200, "id")) }).await;
        assert_eq!(fine.unwrap().status(), 200);
        assert_eq!(panics.count(), 1);
    }

    #[test]
    fn the_message_is_read_from_either_payload() {
        assert_eq!(message(&"text"), "text");
        assert_eq!(message(&String::from("owned")), "owned");
        assert_eq!(message(&7), "(a panic without a message)");
    }
}
