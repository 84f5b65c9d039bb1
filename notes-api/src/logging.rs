//! The request log: method, route, status, latency and consumed capacity, never a body.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

use super::capacity::Meter;

/// Serves `request` and logs one line about it.
pub(crate) async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    // The route template (`/notes/{id}`), not the path: ids and cursors stay out of the log.
    // A shared handle on the router's own string, not a copy.
    let route = request.extensions().get::<MatchedPath>().cloned();
    let route = route.as_ref().map_or("(no route)", MatchedPath::as_str);
    let (response, capacity_units) = Meter::measure(next.run(request)).await;
    let status = response.status().as_u16();
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(
        %method,
        route,
        status,
        latency_ms = format_args!("{latency_ms:.1}"),
        capacity_units,
        "request"
    );
    response
}
