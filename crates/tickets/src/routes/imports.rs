//! `POST /api/v1/import`: staff bulk-load historical tickets from a CSV file, all or nothing
//! (format: [`crate::import`]).

use api::{ImportReport, NoQuery, Problem, RoleHeaders};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use domain::Role;

use crate::extract::ApiQuery;
use crate::import::parse_import_csv;
use crate::{Actor, AppError, AppState, IMPORT_BODY_LIMIT};

/// Content types accepted for the file.
const CSV_TYPES: [&str; 3] = ["text/csv", "application/csv", "text/plain"];

/// Imports the CSV body (`Content-Type: text/csv`, at most 20 MiB). 201 + [`ImportReport`].
/// Errors: 403 for a user, 415 for another content type, 413 for a larger file, 422 naming the
/// first bad row (nothing is stored then).
#[utoipa::path(
    post,
    path = "/import",
    tag = "import",
    params(RoleHeaders),
    request_body(content = String, content_type = "text/csv", description = "The CSV file (header and columns in docs/api.md), at most 20 MiB."),
    responses(
        (status = 201, description = "every row was imported", body = ImportReport),
        (status = 400, description = "the role headers are invalid, a query parameter is given, or the file could not be read", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "only helpdesk staff may import", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the file is larger than 20 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not sent as text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "the file is not UTF-8 or has a bad header or row; nothing was stored", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many requests of this kind from this client; wait as long as Retry-After says", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait before trying again."))),
    )
)]
pub(crate) async fn import_tickets(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
    Actor(actor): Actor,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<ImportReport>), AppError> {
    if actor.role != Role::Staff {
        return Err(AppError::Forbidden("only helpdesk staff may import tickets".into()));
    }
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if !CSV_TYPES.contains(&essence.as_str()) {
        return Err(AppError::UnsupportedMediaType(format!(
            "send the import file as CSV with the header Content-Type: text/csv (got {:?})",
            content_type
        )));
    }
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
    let classifier = state.classifier();
    let started = std::time::Instant::now();
    let tickets = tokio::task::spawn_blocking(move || parse_import_csv(&text, &classifier))
        .await
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("the import parser panicked")))?
        .map_err(|e| AppError::Validation { field: None, message: format!("nothing was imported: {e}") })?;
    let parsed = started.elapsed();
    let ids = state.store().import(tickets, &actor).await?;
    tracing::info!(
        tickets = ids.len(),
        parse_ms = parsed.as_millis(),
        write_ms = (started.elapsed() - parsed).as_millis(),
        "import done"
    );
    Ok((StatusCode::CREATED, Json(ImportReport { imported: ids.len(), ids })))
}
