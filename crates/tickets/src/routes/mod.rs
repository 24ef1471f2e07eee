//! The HTTP handlers, one module per resource, and the table that routes `/api/v1` to them.

use axum::extract::{DefaultBodyLimit, OriginalUri};
use axum::http::{Method, Uri};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{AppError, AppState, IMPORT_BODY_LIMIT};

pub(crate) mod attachments;
pub(crate) mod changes;
pub(crate) mod classify;
pub(crate) mod email;
pub(crate) mod health;
pub(crate) mod imports;
pub(crate) mod messages;
pub(crate) mod reporter;
pub(crate) mod tickets;
pub(crate) mod view;

/// The routes under `/api/v1`, relative to that prefix, each registered with its OpenAPI
/// description (the handler's `#[utoipa::path]`), so the router and the document
/// ([`crate::openapi`]) are built from one list and cannot drift. Add routes only with
/// `.routes(routes!(...))`: a test refuses a plain `.route(` in this file.
pub(crate) fn api_router() -> OpenApiRouter<AppState> {
    let (import_schemas, import_paths, import_method) = routes!(imports::import_tickets);
    let import = import_method.layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT));
    let (start_schemas, start_paths, start_method) = routes!(imports::start_import);
    let start = start_method.layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT));
    // Uploads count every part against the attachment limits as they read it
    // (`crate::attachments::read_upload`), so the blanket body limit is lifted on them alone.
    let (ticket_schemas, ticket_paths, ticket_method) = routes!(attachments::upload_ticket);
    let ticket_upload = ticket_method.layer(DefaultBodyLimit::disable());
    let (message_schemas, message_paths, message_method) = routes!(attachments::upload_message);
    let message_upload = message_method.layer(DefaultBodyLimit::disable());
    OpenApiRouter::new()
        .routes(routes!(tickets::list_tickets, tickets::create_ticket))
        .routes(routes!(tickets::get_ticket, tickets::update_ticket))
        .routes(routes!(tickets::set_status))
        .routes(routes!(tickets::undo_close))
        .routes(routes!(view::ticket_view))
        .routes(routes!(view::confirm_category))
        .routes(routes!(messages::list_messages, messages::post_message))
        .routes(routes!(tickets::list_events))
        .routes(routes!(reporter::reporter_lookup))
        .routes(routes!(reporter::reporter_view))
        .routes(routes!(reporter::reporter_reply))
        .routes(routes!(reporter::reporter_attachment))
        .routes(routes!(reporter::reporter_thumbnail))
        .routes((ticket_schemas, ticket_paths, ticket_upload))
        .routes((message_schemas, message_paths, message_upload))
        .routes(routes!(attachments::list_attachments))
        .routes(routes!(attachments::get_attachment))
        .routes(routes!(attachments::get_thumbnail))
        .routes(routes!(changes::list_changes))
        .routes(routes!(changes::stream_changes))
        .routes((import_schemas, import_paths, import))
        .routes((start_schemas, start_paths, start))
        .routes(routes!(imports::get_import))
        .routes(routes!(classify::classify_text))
        .routes(routes!(classify::classifier_status))
        .routes(routes!(email::email_updates))
        .routes(routes!(email::unsubscribe))
        .routes(routes!(crate::openapi::openapi_document))
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

#[cfg(test)]
mod tests {
    /// Every route is registered through `routes!`, which takes its path and method from the
    /// handler's `#[utoipa::path]`: a plain axum `.route(` here or in `lib.rs` would serve a
    /// path the OpenAPI document does not describe.
    #[test]
    fn routes_are_registered_only_with_their_documents() {
        for (file, source) in
            [("routes/mod.rs", include_str!("mod.rs")), ("lib.rs", include_str!("../lib.rs"))]
        {
            let plain = source
                .lines()
                .filter(|line| !line.trim_start().starts_with("//") && line.contains(concat!(".route", "(")))
                .count();
            assert_eq!(plain, 0, "{file} registers a route without its OpenAPI description");
        }
    }
}
