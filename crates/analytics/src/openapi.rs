//! The analytics service's OpenAPI 3.1 document, served at
//! `GET /api/v1/analytics/openapi.json`.
//!
//! Generated from the code: [`routes`] registers every route together with its handler's
//! `#[utoipa::path]` description, the schemas come from the wire types' `ToSchema` derives
//! (crate `api`), and the service's router is split from the same value, so a route cannot
//! exist without its description.

use std::sync::OnceLock;

use api::Problem;
use axum::extract::RawQuery;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use utoipa::OpenApi as _;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::routes::{self as handlers, AppError, no_query};
use crate::state::AppState;

/// The document's fixed parts (title, description); paths and schemas are added by [`routes`].
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "campusdesk analytics service",
        description = "Three reports over the tickets, computed from the ticket service's change feed: \
                       unclosed tickets of a recent period, resolution time per month opened, and active \
                       tickets per category. Read-only; no role headers. Every error is an RFC 9457 \
                       application/problem+json body. Prose reference: docs/api.md."
    ),
    components(schemas(Problem))
)]
struct AnalyticsDocument;

/// Every route of the service with its description. The service's router and [`document`]
/// are both taken from this.
pub(crate) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(AnalyticsDocument::openapi())
        .routes(routes!(handlers::unclosed))
        .routes(routes!(handlers::resolution_time))
        .routes(routes!(handlers::active_by_category))
        .routes(routes!(handlers::healthz))
        .routes(routes!(openapi_document))
}

/// The OpenAPI 3.1 document of the analytics service: every route, parameter and answer, errors
/// included (each non-2xx answer is a problem body; 500 is listed on every operation).
pub fn document() -> OpenApi {
    api::contract::with_problems(
        routes().into_openapi(),
        &[(500, "a fault in the service; the cause is logged, not shown")],
    )
}

/// [`document`] as JSON, built once.
fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    api::contract::json_once(&JSON, document)
}

/// `GET /api/v1/analytics/openapi.json`: this document, for contract tools and client
/// generators.
#[utoipa::path(
    get,
    path = "/api/v1/analytics/openapi.json",
    tag = "contract",
    responses(
        (status = 200, description = "the OpenAPI 3.1 document of the analytics service", body = Object),
        (status = 400, description = "a query parameter is given (this endpoint takes none; field names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn openapi_document(RawQuery(query): RawQuery) -> Result<Response, AppError> {
    no_query(query.as_deref())?;
    Ok(([(header::CONTENT_TYPE, "application/json")], document_json()).into_response())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use axum::body::Body;
    use axum::http::{Method, Request, StatusCode};
    use jiff::tz::TimeZone;
    use tower::ServiceExt;

    use super::*;

    /// Every documented path answers GET from its handler (here 503 or 200: the state has not
    /// loaded the feed, not the fallback 404), and its 405 `Allow` lists only GET: the router and
    /// the document hold the same routes.
    #[tokio::test]
    async fn every_route_is_documented_and_every_documented_route_is_served() {
        let document = document();
        assert!(document.paths.paths.len() >= 5, "{:?}", document.paths.paths.keys());
        let app = crate::router(AppState::new(TimeZone::UTC));
        for (path, item) in &document.paths.paths {
            assert!(item.get.is_some() && item.post.is_none() && item.patch.is_none(), "{path}");
            let uri = if path.ends_with("/unclosed") { format!("{path}?days=7") } else { path.clone() };
            let answer = app.clone().oneshot(Request::get(&uri).body(Body::empty()).unwrap()).await.unwrap();
            assert!(
                [StatusCode::OK, StatusCode::SERVICE_UNAVAILABLE].contains(&answer.status()),
                "GET {path}: {}",
                answer.status()
            );
            let request = Request::builder().method(Method::POST).uri(path).body(Body::empty()).unwrap();
            let answer = app.clone().oneshot(request).await.unwrap();
            assert_eq!(answer.status(), StatusCode::METHOD_NOT_ALLOWED, "POST {path}");
            let allow = answer.headers().get("allow").unwrap().to_str().unwrap().to_owned();
            assert_eq!(allow.replace(' ', ""), "GET,HEAD", "{path}");
        }
        let json = serde_json::to_value(&document).unwrap();
        assert_eq!(json["openapi"], "3.1.0");
        let unclosed = &json["paths"]["/api/v1/analytics/unclosed"]["get"];
        let names: Vec<&str> =
            unclosed["parameters"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["hours", "days"]);
        assert!(unclosed["responses"]["400"]["content"]["application/problem+json"].is_object());
    }
}
