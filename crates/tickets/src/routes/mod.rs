//! The HTTP handlers, one module per resource, and the table that routes `/api/v1` to them.

use axum::Router;
use axum::extract::{DefaultBodyLimit, OriginalUri};
use axum::http::{Method, Uri};
use axum::routing::{get, post};

use crate::{AppError, AppState, IMPORT_BODY_LIMIT};

pub(crate) mod changes;
pub(crate) mod classify;
pub(crate) mod health;
pub(crate) mod imports;
pub(crate) mod messages;
pub(crate) mod tickets;
pub(crate) mod view;

/// The routes under `/api/v1`, relative to that prefix.
pub(crate) fn api_router() -> Router<AppState> {
    Router::new()
        .route("/tickets", get(tickets::list_tickets).post(tickets::create_ticket))
        .route("/tickets/{id}", get(tickets::get_ticket).patch(tickets::update_ticket))
        .route("/tickets/{id}/status", post(tickets::set_status))
        .route("/tickets/{id}/view", get(view::ticket_view))
        .route("/tickets/{id}/category/confirm", post(view::confirm_category))
        .route("/tickets/{id}/messages", get(messages::list_messages).post(messages::post_message))
        .route("/tickets/{id}/events", get(tickets::list_events))
        .route("/changes", get(changes::list_changes))
        .route("/changes/stream", get(changes::stream_changes))
        .route("/import", post(imports::import_tickets).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)))
        .route("/imports", post(imports::start_import).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)))
        .route("/imports/{id}", get(imports::get_import))
        .route("/classify", post(classify::classify_text))
        .route("/classifier", get(classify::classifier_status))
}

/// The page size a list endpoint serves: `limit` when given and from 1 to `max`, else
/// `default`. Errors: 400 for a `limit` outside 1 to `max`.
pub(crate) fn page_size(limit: Option<u32>, default: u32, max: u32) -> Result<u32, AppError> {
    match limit {
        None => Ok(default),
        Some(limit) if (1..=max).contains(&limit) => Ok(limit),
        Some(limit) => {
            Err(AppError::BadRequest(format!("limit must be a whole number from 1 to {max}; got {limit}")))
        }
    }
}

/// Fallback for paths that exist with another method: 405 problem.
pub(crate) async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> AppError {
    AppError::MethodNotAllowed(format!("{} does not accept {method} requests", uri.path()))
}

/// Fallback for unknown paths: 404 problem.
pub(crate) async fn not_found(uri: Uri) -> AppError {
    AppError::NotFound(format!(
        "there is nothing at {}; the ticket API lives under /api/v1 (see docs/api.md)",
        uri.path()
    ))
}
