//! The router: six routes over a `Repo<Note, B>`, scoped to the caller.

use std::future::Future;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router, middleware};
use notes_repo::{Backend, CursorKey, MemoryBackend, Repo};
use notes_repo::{Note, NoteKey};
use serde::{Deserialize, Serialize};

use super::body::{NoteBody, PageBody};
use super::capacity::Metered;
use super::counts::{NoteCount, StreamCounts};
use super::errors::ApiError;
use super::identity::IdentitySource;
use super::logging::log_request;
use super::{DEFAULT_LIMIT, MAX_LIMIT};

/// The body of `POST /notes` and `PUT /notes/{id}`.
///
/// A `PUT` replaces both fields: an absent or `null` attachment removes the stored one.
/// Other fields (a `userId`, say) are refused: the caller's identity never comes from the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    /// The note's text; must not be empty.
    pub content: String,
    /// The name of an attached file; an empty name is no attachment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<String>,
}

/// The query of `GET /notes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListParams {
    /// Notes per page, 1 to 100 (default 20).
    pub limit: Option<u32>,
    /// The `cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The body of a `GET /notes` response: one page, newest first.
///
/// The router writes these bytes straight from the page's notes (the same bytes as
/// serde_json's of this type), without building one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotesPage {
    /// The notes of this page.
    pub items: Vec<Note>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// The router's state, shared by every request (one reference count per request, not a
/// clone of each field).
type Shared<B, I> = Arc<AppState<B, I>>;

/// The router's state: the repository and where identities come from.
struct AppState<B, I> {
    repo: Repo<Note, Metered<B>>,
    identity: I,
    cursor_key: CursorKey,
    /// Each user's note count, when kept (`GET /notes/count`).
    counts: Option<StreamCounts>,
}

/// The notes API on `repo`, with callers identified by `identity` and listing cursors signed
/// with `cursor_key` (a client can pass back only cursors the API gave it).
///
/// Requests are logged (method, route, status, latency, consumed capacity) with `tracing`.
///
/// ```
/// use notes_api::{HeaderIdentity, router};
/// use notes_repo::{CursorKey, MemoryBackend, Repo};
///
/// let key = CursorKey::new(*b"a test key, not a random one")?;
/// let app = router(Repo::new(MemoryBackend::new()), HeaderIdentity, key);
/// # let _: axum::Router = app;
/// # Ok::<(), notes_repo::Error>(())
/// ```
pub fn router<B: Backend, I: IdentitySource>(
    repo: Repo<Note, B>,
    identity: I,
    cursor_key: CursorKey,
) -> Router {
    build(repo, identity, cursor_key, None)
}

/// The notes API of [`router`], and `GET /notes/count` answered from `counts` (each user's
/// note count kept from the embedded backend's stream). Without it, `GET /notes/count` is
/// 501.
///
/// ```
/// use notes_api::{HeaderIdentity, StreamCounts, router_with_counts};
/// use notes_repo::{CursorKey, MemoryBackend, Note, Repo};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> notes_repo::Result<()> {
/// let repo: Repo<Note, _> = Repo::new(MemoryBackend::new());
/// repo.create_table_on_demand().await?;
/// let counts = StreamCounts::start(&repo).await?;
/// let key = CursorKey::new(*b"a test key, not a random one")?;
/// let app: axum::Router = router_with_counts(repo, HeaderIdentity, key, counts);
/// # let _ = app;
/// # Ok(()) }
/// ```
pub fn router_with_counts<I: IdentitySource>(
    repo: Repo<Note, MemoryBackend>,
    identity: I,
    cursor_key: CursorKey,
    counts: StreamCounts,
) -> Router {
    build(repo, identity, cursor_key, Some(counts))
}

fn build<B: Backend, I: IdentitySource>(
    repo: Repo<Note, B>,
    identity: I,
    cursor_key: CursorKey,
    counts: Option<StreamCounts>,
) -> Router {
    let repo = Repo::with_table(
        Metered::new(repo.backend().clone()),
        repo.table_name().to_owned(),
    )
    .with_batch_options(repo.batch_options().clone());
    Router::new()
        .route("/notes", get(list::<B, I>).post(create::<B, I>))
        .route("/notes/count", get(count::<B, I>))
        .route(
            "/notes/{id}",
            get(get_note::<B, I>)
                .put(update::<B, I>)
                .delete(delete::<B, I>),
        )
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(middleware::from_fn(log_request))
        .with_state(Arc::new(AppState {
            repo,
            identity,
            cursor_key,
            counts,
        }))
}

/// Serves `app` on `listener` until `shutdown` completes, then finishes the requests in
/// flight.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use notes_api::{HeaderIdentity, cursor_key_from_env, router, serve};
/// use notes_repo::{MemoryBackend, Repo};
///
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// let key = cursor_key_from_env().map_err(std::io::Error::other)?;
/// let app = router(Repo::new(MemoryBackend::new()), HeaderIdentity, key);
/// serve(listener, app, std::future::pending()).await
/// # }
/// ```
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// The calling user's id, from the router's [`IdentitySource`]; 401 without one.
struct Caller(String);

impl<B: Backend, I: IdentitySource> FromRequestParts<Shared<B, I>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Shared<B, I>,
    ) -> Result<Self, Self::Rejection> {
        state
            .identity
            .user_id(parts)
            .map(Caller)
            .ok_or(ApiError::Unauthorized)
    }
}

/// The note input in a request body: 400 for anything but a valid [`NoteInput`] with content.
fn note_input(body: Result<Bytes, BytesRejection>) -> Result<NoteInput, ApiError> {
    let body = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(rejection.body_text()),
        _ => ApiError::BadRequest(rejection.body_text()),
    })?;
    // An object only: serde would also take a struct from a JSON array.
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&body)
        .map_err(|err| ApiError::BadRequest(format!("invalid JSON body: {err}")))?;
    let mut input = NoteInput::deserialize(serde_json::Value::Object(object))
        .map_err(|err| ApiError::BadRequest(format!("invalid note: {err}")))?;
    if input.content.trim().is_empty() {
        return Err(ApiError::BadRequest("content must not be empty".to_owned()));
    }
    if input.attachment.as_deref().is_some_and(str::is_empty) {
        input.attachment = None;
    }
    Ok(input)
}

fn note_id(path: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    path.map(|Path(id)| id)
        .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))
}

/// `POST /notes`: a new note with a fresh `noteId` and `createdAt` = now.
async fn create<B: Backend, I: IdentitySource>(
    State(state): State<Shared<B, I>>,
    Caller(user): Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let input = note_input(body)?;
    let mut note = Note::new(user, input.content);
    note.attachment = input.attachment;
    state.repo.create(&note).await?;
    let location = HeaderValue::try_from(format!("/notes/{}", note.note_id))
        .map_err(|_| ApiError::Internal)?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, location)],
        NoteBody(note),
    )
        .into_response())
}

/// `GET /notes/{id}`.
async fn get_note<B: Backend, I: IdentitySource>(
    State(state): State<Shared<B, I>>,
    Caller(user): Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<NoteBody, ApiError> {
    let key = NoteKey::new(user, note_id(id)?);
    // Strongly consistent, like the list: a client reads its own note right after creating or
    // editing it (a read-your-write that an eventually consistent read can miss for up to a
    // second), at twice the read units of an eventually consistent read.
    match state.repo.get(&key).consistent().await? {
        Some(note) => Ok(NoteBody(note)),
        None => Err(ApiError::NotFound),
    }
}

/// `GET /notes/count`: how many notes the caller has, from the stream-fed counter.
async fn count<B: Backend, I: IdentitySource>(
    State(state): State<Shared<B, I>>,
    Caller(user): Caller,
) -> Result<Json<NoteCount>, ApiError> {
    let Some(counts) = &state.counts else {
        return Err(ApiError::NotImplemented(
            "note counts are kept from the embedded store's stream; this server has none"
                .to_owned(),
        ));
    };
    let count = counts.count(&user).await?;
    Ok(Json(NoteCount {
        user_id: user,
        count,
    }))
}

/// `GET /notes?limit=N&cursor=C`: one page of the caller's notes, newest first.
async fn list<B: Backend, I: IdentitySource>(
    State(state): State<Shared<B, I>>,
    Caller(user): Caller,
    params: Result<Query<ListParams>, QueryRejection>,
) -> Result<PageBody, ApiError> {
    let Query(params) = params.map_err(|rejection| ApiError::BadRequest(rejection.body_text()))?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {MAX_LIMIT}"
        )));
    }
    // The cursor is the SDK's, bound to this user's query and signed with the API's key: one
    // from another user's listing, a tampered one or one made outside the API is
    // `InvalidCursor` (400), never anyone's data. An oversized user id is the SDK's
    // validation error (400), as for get and create.
    let page = state
        .repo
        .query(user)
        .consistent()
        .cursor_key(&state.cursor_key)
        .descending()
        .limit(limit)
        .page(params.cursor.as_deref())
        .await?;
    Ok(PageBody {
        items: page.items,
        cursor: page.cursor,
    })
}

/// `PUT /notes/{id}`: replaces content and attachment of an existing note (no upsert).
async fn update<B: Backend, I: IdentitySource>(
    State(state): State<Shared<B, I>>,
    Caller(user): Caller,
    id: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<NoteBody, ApiError> {
    let key = NoteKey::new(user, note_id(id)?);
    let input = note_input(body)?;
    let note = state
        .repo
        .update(&key)
        .apply(Note::CONTENT.set(input.content))
        .apply(Note::ATTACHMENT.set(input.attachment))
        .if_exists()
        .await?;
    Ok(NoteBody(note))
}

/// `DELETE /notes/{id}`: 204, or 404 when there was no such note.
async fn delete<B: Backend, I: IdentitySource>(
    State(state): State<Shared<B, I>>,
    Caller(user): Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let key = NoteKey::new(user, note_id(id)?);
    match state.repo.delete(&key).await? {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(ApiError::NotFound),
    }
}
