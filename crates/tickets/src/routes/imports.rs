//! Staff bulk-load historical tickets from a CSV file (format: [`crate::import`]), all or
//! nothing, as an import job ([`crate::jobs`]):
//!
//! - `POST /api/v1/imports`: uploads the file and answers 202 with the job at once;
//! - `POST /api/v1/import`: the same, but a file up to the sync limit (1 MiB by default) is
//!   answered when its job has ended, 201 + [`ImportReport`] or the job's problem, as before
//!   jobs existed; a larger file, or `Prefer: respond-async`, gets 202 with the job;
//! - `GET /api/v1/imports/{id}`: the job, from any replica.
//!
//! An `Idempotency-Key` header (or, without one, the file's SHA-256 digest) makes a retry
//! return the job of the first request instead of importing twice.

use api::{ImportJobState, ImportJobView, ImportReport, NoQuery, Problem, RoleHeaders};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::Role;
use sha2::{Digest, Sha256};
use store::{ImportJob, ImportState, NewImportJob};

use crate::extract::ApiQuery;
use crate::jobs::ImportJobs;
use crate::{Actor, AppError, AppState, IMPORT_BODY_LIMIT, REQUEST_TIMEOUT};

/// Content types accepted for the file.
const CSV_TYPES: [&str; 3] = ["text/csv", "application/csv", "text/plain"];

/// Longest accepted `Idempotency-Key`, in characters.
const MAX_KEY: usize = 200;

/// `POST /api/v1/imports`: stores the CSV body (`Content-Type: text/csv`, at most 20 MiB) as an
/// import job and answers 202 + [`ImportJobView`] with `Location` at once (the job of the
/// first request when a retry carries its `Idempotency-Key`, or the same file without a key).
/// Errors: 403 for a user, 415 for another content type, 413 for a larger file, 400 for a bad
/// key, 422 for a key used with another file or a file that is not UTF-8.
#[utoipa::path(
    post,
    path = "/imports",
    tag = "import",
    params(RoleHeaders, ("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key gets the first request's job instead of importing twice (at most 200 characters)."), ("Prefer" = Option<String>, Header, description = "respond-async: answer 202 with the job at once, even for a small file.")),
    request_body(content = String, content_type = "text/csv", description = "The CSV file (header and columns in docs/api.md), at most 20 MiB."),
    responses(
        (status = 202, description = "the file is stored as an import job; follow Location until the job is done or failed", body = ImportJobView, headers(("Location" = String, description = "The job, /api/v1/imports/{id}."), ("Retry-After" = u32, description = "Seconds to wait before asking again."))),
        (status = 400, description = "the role headers are invalid, a query parameter is given, the file could not be read, or the Idempotency-Key is longer than 200 characters", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "only helpdesk staff may import", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the file is larger than 20 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not sent as text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many requests of this kind from this client; wait as long as Retry-After says", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait before trying again."))),
        (status = 422, description = "the file is not UTF-8, or the Idempotency-Key was used with another file; nothing was stored", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn start_import(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let job = accept(&state, actor, &headers, body).await?;
    Ok(accepted(job))
}

/// `POST /api/v1/import`: as [`start_import`], but a file up to the sync limit without
/// `Prefer: respond-async` is answered when its job has ended: 201 + [`ImportReport`], or the
/// job's problem (422 naming the first bad row; nothing is stored then). A job still running
/// after half the request time limit is answered 202 like a large file's.
#[utoipa::path(
    post,
    path = "/import",
    tag = "import",
    params(RoleHeaders, ("Idempotency-Key" = Option<String>, Header, description = "A retry with the same key gets the first request's job instead of importing twice (at most 200 characters)."), ("Prefer" = Option<String>, Header, description = "respond-async: answer 202 with the job at once, even for a small file.")),
    request_body(content = String, content_type = "text/csv", description = "The CSV file (header and columns in docs/api.md), at most 20 MiB."),
    responses(
        (status = 201, description = "every row was imported", body = ImportReport, headers(("Location" = String, description = "The import job, /api/v1/imports/{id}."))),
        (status = 202, description = "the file is stored as an import job; follow Location until the job is done or failed", body = ImportJobView, headers(("Location" = String, description = "The job, /api/v1/imports/{id}."), ("Retry-After" = u32, description = "Seconds to wait before asking again."))),
        (status = 400, description = "the role headers are invalid, a query parameter is given, the file could not be read, or the Idempotency-Key is longer than 200 characters", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "only helpdesk staff may import", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the file is larger than 20 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not sent as text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many requests of this kind from this client; wait as long as Retry-After says", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait before trying again."))),
        (status = 422, description = "the file is not UTF-8 or has a bad header or row, or the Idempotency-Key was used with another file; nothing was stored", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn import_tickets(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let respond_async = headers
        .get_all(header::HeaderName::from_static("prefer"))
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|preference| preference.trim().eq_ignore_ascii_case(api::RESPOND_ASYNC));
    let small = body.as_ref().is_ok_and(|body| body.len() <= state.imports().settings().sync_limit);
    let job = accept(&state, actor, &headers, body).await?;
    if respond_async || !small {
        return Ok(accepted(job));
    }
    let job = match state.imports().live(job.id) {
        Some(live) if live.ended_within(REQUEST_TIMEOUT / 2).await => {
            state.store().import_job(job.id).await?.unwrap_or(job)
        }
        _ => state.imports().settle(&state, job).await?,
    };
    match job.state {
        ImportState::Done => {
            let report = ImportReport { imported: job.ids.len(), ids: job.ids.clone() };
            let mut response = (StatusCode::CREATED, Json(report)).into_response();
            response.headers_mut().insert(header::LOCATION, location(job.id));
            Ok(response)
        }
        ImportState::Failed => Ok(failure(&job).into_response()),
        _ => Ok(accepted(job)),
    }
}

/// `GET /api/v1/imports/{id}`: the import job (staff only). Errors: 400 for an id that is not
/// a whole number, 403 for a user, 404 for no such job.
#[utoipa::path(
    get,
    path = "/imports/{id}",
    tag = "import",
    params(RoleHeaders, ("id" = String, Path, description = "The job's id, a whole number.")),
    responses(
        (status = 200, description = "the job: its state, progress and, once ended, its outcome or problem", body = ImportJobView),
        (status = 400, description = "the role headers are invalid, a query parameter is given, or the id is not a whole number", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "only helpdesk staff may see import jobs", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "there is no such import job", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn get_import(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    Path(raw): Path<String>,
) -> Result<Json<ImportJobView>, AppError> {
    staff_only(&actor)?;
    let not_found = || AppError::NotFound(format!("there is no import job {raw}"));
    let id: i64 = raw.parse().map_err(|_| {
        AppError::BadRequest(format!("import job ids are whole numbers such as 7; {raw:?} is not one"))
    })?;
    let job = state.store().import_job(id).await?.ok_or_else(not_found)?;
    let job = state.imports().settle(&state, job).await?;
    Ok(Json(view(&job)))
}

fn staff_only(actor: &domain::Actor) -> Result<(), AppError> {
    if actor.role != Role::Staff {
        return Err(AppError::Forbidden("only helpdesk staff may import tickets".into()));
    }
    Ok(())
}

/// Checks the request, and returns the job it names: the one a retry finds by its key or
/// digest, or a new one whose worker is started here.
async fn accept(
    state: &AppState,
    actor: domain::Actor,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<ImportJob, AppError> {
    staff_only(&actor)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !CSV_TYPES.contains(&essence.as_str()) {
        return Err(AppError::UnsupportedMediaType(format!(
            "send the import file as CSV with the header Content-Type: text/csv (got {:?})",
            content_type
        )));
    }
    let key = idempotency_key(headers)?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::PayloadTooLarge(format!(
                "the import file is larger than {} MiB; split it into smaller files",
                IMPORT_BODY_LIMIT / (1024 * 1024)
            ))
        } else {
            AppError::BadRequest(format!("the import file could not be read: {}", e.body_text()))
        }
    })?;
    let text = String::from_utf8(body.to_vec()).map_err(|_| AppError::Validation {
        field: None,
        message: "the import file is not UTF-8 text".into(),
    })?;
    let sha256 = format!("{:x}", Sha256::digest(text.as_bytes()));
    let new = NewImportJob {
        dedupe_key: match &key {
            Some(key) => format!("key:{key}"),
            None => format!("sha256:{sha256}"),
        },
        idempotency_key: key.clone(),
        sha256: sha256.clone(),
        bytes: i64::try_from(text.len()).unwrap_or(i64::MAX),
        actor_name: actor.name.as_ref().map(|name| name.as_str().to_owned()),
    };
    let imports = state.imports();
    if key.is_none()
        && let Some(job) = state.store().import_job_by_digest(&sha256).await?
    {
        // The same file, sent before with or without a key: its job, unless it failed.
        let job = imports.settle(state, job).await?;
        if job.state != ImportState::Failed {
            tracing::info!(job = job.id, "import resent: answered with the job of the same file");
            return Ok(job);
        }
    }
    // At most twice: a retry finding a job whose worker is gone fails that job (releasing its
    // key) and then starts its own.
    for _ in 0..2 {
        let (job, created) = state.store().create_import_job(new.clone(), state.now()).await?;
        if created {
            tracing::info!(job = job.id, bytes = job.bytes, "import job accepted");
            ImportJobs::spawn(state, &job, text, actor);
            return Ok(job);
        }
        if key.is_some() && job.sha256 != sha256 {
            return Err(AppError::Validation {
                field: Some("Idempotency-Key".into()),
                message: format!(
                    "this Idempotency-Key was already used for another file (import job {}); \
                     use a new key for a new file",
                    job.id
                ),
            });
        }
        let job = imports.settle(state, job).await?;
        if job.state != ImportState::Failed || job.error_row.is_some() {
            tracing::info!(job = job.id, "import retried: answered with its existing job");
            return Ok(job);
        }
    }
    Err(AppError::Unavailable("the import could not be started; try again".into()))
}

/// The request's `Idempotency-Key`, if any. Errors: 400 for an empty, too long or not visible
/// ASCII key.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get(api::IDEMPOTENCY_KEY) else { return Ok(None) };
    let key = value.to_str().ok().map(str::trim).unwrap_or("");
    let visible = key.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    if key.is_empty() || key.len() > MAX_KEY || !visible {
        return Err(AppError::BadRequest(format!(
            "the Idempotency-Key header must be 1 to {MAX_KEY} visible ASCII characters, e.g. a UUID"
        )));
    }
    Ok(Some(key.to_owned()))
}

/// The path of job `id`.
fn job_path(id: i64) -> String {
    format!("/api/v1/imports/{id}")
}

fn location(id: i64) -> HeaderValue {
    HeaderValue::from_str(&job_path(id)).unwrap_or_else(|_| HeaderValue::from_static("/api/v1/imports"))
}

/// 202 + the job, with `Location` naming it and `Retry-After` saying when to look again.
fn accepted(job: ImportJob) -> Response {
    let mut response = (StatusCode::ACCEPTED, Json(view(&job))).into_response();
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, location(job.id));
    headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// The problem a failed job ended with: 422 for a bad file, 503 when it was interrupted or the
/// database failed (a retry may succeed).
fn failure(job: &ImportJob) -> AppError {
    let message = job.error.clone().unwrap_or_else(|| "the import failed; nothing was imported".into());
    match job.error_row {
        Some(_) => AppError::Validation { field: None, message },
        None => AppError::Unavailable(message),
    }
}

/// `job` on the wire.
fn view(job: &ImportJob) -> ImportJobView {
    let state = match job.state {
        ImportState::Queued => ImportJobState::Queued,
        ImportState::Validating => ImportJobState::Validating,
        ImportState::Writing => ImportJobState::Writing,
        ImportState::Done => ImportJobState::Done,
        ImportState::Failed => ImportJobState::Failed,
    };
    let outcome = (job.state == ImportState::Done)
        .then(|| ImportReport { imported: job.ids.len(), ids: job.ids.clone() });
    let problem: Option<Problem> = (job.state == ImportState::Failed).then(|| failure(job).problem());
    ImportJobView {
        id: job.id,
        url: job_path(job.id),
        state,
        total: job.total,
        checked: job.checked,
        written: job.written,
        outcome,
        problem,
        error_row: job.error_row,
        idempotency_key: job.idempotency_key.clone(),
        sha256: job.sha256.clone(),
        bytes: job.bytes,
        created_at: job.created_at,
        updated_at: job.updated_at,
    }
}
