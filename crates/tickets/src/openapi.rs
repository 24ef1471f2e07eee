//! The ticket service's OpenAPI 3.1 document, served at `GET /api/v1/openapi.json`.
//!
//! It is generated from the code: [`routes`] registers every route together with its handler's
//! `#[utoipa::path]` description (paths, methods, parameters, bodies, answers), and the schemas
//! come from the wire types' `ToSchema` derives (crates `api` and `domain`). The router the
//! service runs is split from the same value, so a route cannot exist without its description.

use std::sync::OnceLock;

use api::{NoQuery, Problem};
use axum::http::header;
use axum::response::IntoResponse;
use utoipa::OpenApi as _;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::extract::ApiQuery;
use crate::routes::{api_router, health};

/// The document's fixed parts (title, description); paths and schemas are added by [`routes`].
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "campusdesk ticket service",
        description = "Tickets, messages, status changes, the event log, the change feed, import and \
                       classification. Roles are declared with the X-Campusdesk-Role and \
                       X-Campusdesk-Name headers (no login, by requirement). Every error is an RFC 9457 \
                       application/problem+json body. Prose reference: docs/api.md."
    ),
    components(schemas(Problem))
)]
struct TicketsDocument;

/// Every route of the service with its description: `/api/v1/*` and `GET /healthz`. The
/// service's router and [`document`] are both taken from this.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(TicketsDocument::openapi())
        .nest("/api/v1", api_router())
        .routes(routes!(health::healthz))
}

/// The OpenAPI 3.1 document of the ticket service: every route, parameter, request body and
/// answer, errors included (each non-2xx answer is a problem body; 500 and 503 are listed on
/// every operation).
pub fn document() -> OpenApi {
    api::contract::with_problems(
        routes().into_openapi(),
        &[
            (
                500,
                "a fault on the server, such as a database error; nothing was changed, it is safe to retry",
            ),
            (
                503,
                "the service could not start its answer within 60 seconds, or its database does not answer",
            ),
        ],
    )
}

/// [`document`] as JSON, built once.
fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    api::contract::json_once(&JSON, document)
}

/// `GET /api/v1/openapi.json`: this document, for contract tools and client generators.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "contract",
    responses(
        (status = 200, description = "the OpenAPI 3.1 document of the ticket service", body = Object),
        (status = 400, description = "a query parameter is given (this endpoint takes none)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn openapi_document(_: ApiQuery<NoQuery>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document_json())
}
