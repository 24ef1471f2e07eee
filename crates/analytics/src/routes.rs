//! The HTTP API of the analytics service: `/api/v1/analytics/*`, `/healthz`, and the RFC 9457
//! problem responses for everything that goes wrong.

use api::{PROBLEM_CONTENT_TYPE, Problem};
use axum::extract::{RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};

use api::{
    ActiveByCategory, NoQuery, Period, PeriodError, PeriodQuery, QueryError, ResolutionReport, UnclosedReport,
};

use crate::read_model::{ReadModel, time_zone_name};
use crate::state::AppState;

/// Everything a handler of this service can answer instead of a report.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The `unclosed` period is missing or malformed, or its query string names another
    /// parameter (HTTP 400).
    #[error(transparent)]
    BadPeriod(#[from] PeriodError),
    /// A query parameter on an endpoint that takes none (HTTP 400).
    #[error(transparent)]
    BadQuery(#[from] QueryError),
    /// The first catch-up with the ticket service has not finished yet (HTTP 503).
    #[error("the analytics service is still loading tickets from the ticket service; try again in a moment")]
    NotReady,
    /// No such path (HTTP 404).
    #[error(
        "there is nothing here; the analytics API offers /api/v1/analytics/unclosed, \
         /api/v1/analytics/resolution-time and /api/v1/analytics/active-by-category"
    )]
    NotFound,
    /// The path exists but not with this method (HTTP 405); the analytics API is read-only.
    #[error("the analytics API only answers GET requests")]
    MethodNotAllowed,
    /// A bug or a crashed computation (HTTP 500); the cause is logged, not shown.
    #[error("the analytics service failed to compute the answer")]
    Internal(#[from] anyhow::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, title) = match &self {
            AppError::BadPeriod(_) => (StatusCode::BAD_REQUEST, "Invalid period"),
            AppError::BadQuery(_) => (StatusCode::BAD_REQUEST, "Bad request"),
            AppError::NotReady => (StatusCode::SERVICE_UNAVAILABLE, "Not ready"),
            AppError::NotFound => (StatusCode::NOT_FOUND, "Not found"),
            AppError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "Method not allowed"),
            AppError::Internal(cause) => {
                tracing::error!(error = ?cause, "analytics request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "Internal error")
            }
        };
        let mut problem = Problem::new(status, title, self.to_string());
        let field = match &self {
            AppError::BadPeriod(e) => Some(e.field()),
            AppError::BadQuery(e) => e.parameter(),
            _ => None,
        };
        if let Some(field) = field {
            problem = problem.with_field(field);
        }
        problem_response(status, &problem)
    }
}

fn problem_response(status: StatusCode, problem: &Problem) -> Response {
    // The header part overrides the `application/json` that `Json` sets.
    (status, [(header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE)], Json(problem)).into_response()
}

/// The analytics service's routes, to be served as they are or merged into a larger app:
///
/// - `GET /api/v1/analytics/unclosed?hours=N|days=N` -> [`api::UnclosedReport`]
///   (400 problem for a missing or bad period or another parameter, see [`PeriodError`]);
/// - `GET /api/v1/analytics/resolution-time` -> [`api::ResolutionReport`];
/// - `GET /api/v1/analytics/active-by-category` -> [`api::ActiveByCategory`];
/// - `GET /healthz` -> 200 `{"status":"ok","cursor":N}` once the first catch-up with the change
///   feed has finished, a 503 problem before.
///
/// The three analyses also answer 503 until then, rather than counts from a half-loaded model.
/// The two other analyses take no query parameters and refuse any with a 400 problem naming it
/// in `field`. Unknown paths get a 404 problem. No tracing layer is added here; [`crate::serve`] adds one.
pub fn router(state: AppState) -> Router {
    let (routes, _) = crate::openapi::routes().split_for_parts();
    routes.fallback(not_found).method_not_allowed_fallback(method_not_allowed).with_state(state)
}

/// Runs an analysis on a blocking thread (it is a scan of the whole model), after checking that
/// the model is complete.
async fn analyse<R: Send + 'static>(
    state: AppState,
    f: impl FnOnce(&AppState, &ReadModel) -> R + Send + 'static,
) -> Result<R, AppError> {
    if !state.is_ready() {
        return Err(AppError::NotReady);
    }
    tokio::task::spawn_blocking(move || state.read(|model| f(&state, model)))
        .await
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("the analysis task failed")))
}

/// Reads the query string of an endpoint that takes no parameters. Errors: 400 naming the
/// first parameter given.
pub(crate) fn no_query(query: Option<&str>) -> Result<(), AppError> {
    api::parse_query::<NoQuery>(query.unwrap_or_default())?;
    Ok(())
}

/// `GET /api/v1/analytics/unclosed?hours=N|days=N`: tickets opened in the period that are not
/// closed, in hourly or daily slices. Exactly one of `hours` and `days`.
#[utoipa::path(
    get,
    path = "/api/v1/analytics/unclosed",
    tag = "analytics",
    params(PeriodQuery),
    responses(
        (status = 200, description = "the unclosed tickets of the period", body = UnclosedReport),
        (status = 400, description = "the period is missing, given twice, out of range, or another parameter is given (field names it)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "the first load of the change feed is still running", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn unclosed(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    // Every refusal of this query, an unknown parameter included, is an "Invalid period".
    let query =
        api::parse_query::<PeriodQuery>(query.as_deref().unwrap_or_default()).map_err(PeriodError::from)?;
    let period = Period::try_from(query)?;
    let report = analyse(state, move |state, model| model.unclosed(state.now(), period)).await?;
    Ok(Json(report).into_response())
}

/// `GET /api/v1/analytics/resolution-time`: mean and median resolution time per month opened.
#[utoipa::path(
    get,
    path = "/api/v1/analytics/resolution-time",
    tag = "analytics",
    responses(
        (status = 200, description = "resolution time per month opened, oldest first", body = ResolutionReport),
        (status = 400, description = "a query parameter is given (this endpoint takes none; field names it)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "the first load of the change feed is still running", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn resolution_time(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    no_query(query.as_deref())?;
    let report = analyse(state, |state, model| model.resolution_time(state.time_zone())).await?;
    Ok(Json(report).into_response())
}

/// `GET /api/v1/analytics/active-by-category`: active tickets per category.
#[utoipa::path(
    get,
    path = "/api/v1/analytics/active-by-category",
    tag = "analytics",
    responses(
        (status = 200, description = "active tickets per category, every category listed", body = ActiveByCategory),
        (status = 400, description = "a query parameter is given (this endpoint takes none; field names it)", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "the first load of the change feed is still running", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn active_by_category(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    no_query(query.as_deref())?;
    let report = analyse(state, |_, model| model.active_by_category()).await?;
    Ok(Json(report).into_response())
}

/// `GET /healthz`: 200 once the first load of the change feed has finished, 503 before.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "analytics",
    responses(
        (status = 200, description = "ready: {\"status\":\"ok\",\"cursor\":N,\"time_zone\":\"UTC\"}", body = Object),
        (status = 503, description = "the first load of the change feed is still running", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn healthz(State(state): State<AppState>) -> Result<Response, AppError> {
    if !state.is_ready() {
        return Err(AppError::NotReady);
    }
    let body = serde_json::json!({
        "status": "ok",
        "cursor": state.cursor(),
        "time_zone": time_zone_name(state.time_zone()),
    });
    Ok(Json(body).into_response())
}

async fn not_found() -> AppError {
    AppError::NotFound
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use api::{ActiveByCategory, Change, ResolutionReport, UnclosedReport};
    use axum::body::Body;
    use axum::http::Request;
    use domain::{Category, CategorySource, Status, Ticket};
    use jiff::Timestamp;
    use jiff::tz::TimeZone;
    use tower::ServiceExt;

    const NOW: &str = "2026-11-21T12:00:00Z";

    fn ticket(id: i64, status: Status, category: Category, opened: &str, closed: Option<&str>) -> Ticket {
        Ticket {
            id,
            title: format!("Ticket {id}"),
            description: "Something is broken.".to_owned(),
            category,
            category_source: CategorySource::Auto,
            category_confidence: 0.9,
            category_terms: Vec::new(),
            needs_check: false,
            status,
            opened_at: opened.parse().unwrap(),
            updated_at: opened.parse().unwrap(),
            closed_at: closed.map(|c| c.parse().unwrap()),
            version: 1,
            message_count: 0,
        }
    }

    fn ready_state() -> AppState {
        let now: Timestamp = NOW.parse().unwrap();
        let state = AppState::new(TimeZone::get("Europe/Berlin").unwrap()).with_clock(move || now);
        state.apply(&[
            Change {
                seq: 1,
                ticket: ticket(1, Status::Open, Category::It, "2026-11-21T10:00:00Z", None),
                attachments: Vec::new(),
            },
            Change {
                seq: 2,
                ticket: ticket(2, Status::Active, Category::Services, "2026-11-20T10:00:00Z", None),
                attachments: Vec::new(),
            },
            Change {
                seq: 3,
                ticket: ticket(
                    3,
                    Status::Closed,
                    Category::Facility,
                    "2026-09-30T23:30:00Z",
                    Some("2026-10-01T02:30:00Z"),
                ),
                attachments: Vec::new(),
            },
        ]);
        state.mark_ready();
        state
    }

    async fn get(state: &AppState, uri: &str) -> (StatusCode, String, Vec<u8>) {
        let response =
            router(state.clone()).oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        (status, content_type, body.to_vec())
    }

    #[tokio::test]
    async fn unclosed_uses_the_injected_clock() {
        let state = ready_state();
        let (status, _, body) = get(&state, "/api/v1/analytics/unclosed?hours=24").await;
        assert_eq!(status, StatusCode::OK);
        let report: UnclosedReport = serde_json::from_slice(&body).unwrap();
        assert_eq!(report.since, "2026-11-20T12:00:00Z".parse::<Timestamp>().unwrap());
        assert_eq!((report.count, report.open, report.active), (1, 1, 0));
        let (_, _, body) = get(&state, "/api/v1/analytics/unclosed?days=2").await;
        let report: UnclosedReport = serde_json::from_slice(&body).unwrap();
        assert_eq!((report.count, report.open, report.active), (2, 1, 1));
    }

    #[tokio::test]
    async fn bad_period_is_a_problem_saying_what_is_accepted() {
        let state = ready_state();
        for uri in [
            "/api/v1/analytics/unclosed",
            "/api/v1/analytics/unclosed?hours=0",
            "/api/v1/analytics/unclosed?days=abc",
            "/api/v1/analytics/unclosed?hours=1&days=1",
        ] {
            let (status, content_type, body) = get(&state, uri).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
            assert_eq!(content_type, PROBLEM_CONTENT_TYPE);
            let problem: Problem = serde_json::from_slice(&body).unwrap();
            assert_eq!(problem.status, 400);
            assert!(problem.detail.contains("1 to"), "{uri}: {}", problem.detail);
        }
        let (_, _, body) = get(&state, "/api/v1/analytics/unclosed?hours=9000").await;
        let problem: Problem = serde_json::from_slice(&body).unwrap();
        assert_eq!(problem.detail, "hours must be a whole number from 1 to 8760, not \"9000\"");
        assert_eq!(problem.field.as_deref(), Some("hours"));
    }

    #[tokio::test]
    async fn unknown_query_parameters_are_refused_by_name() {
        let state = ready_state();
        let problem = |body: &[u8]| serde_json::from_slice::<Problem>(body).unwrap();
        let (status, _, body) = get(&state, "/api/v1/analytics/unclosed?days=2&weeks=1").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let refused = problem(&body);
        assert_eq!((refused.title.as_str(), refused.field.as_deref()), ("Invalid period", Some("weeks")));
        assert!(refused.detail.contains("unknown query parameter \"weeks\""), "{}", refused.detail);
        for path in ["resolution-time", "active-by-category"] {
            let (status, content_type, body) =
                get(&state, &format!("/api/v1/analytics/{path}?months=3")).await;
            assert_eq!((status, content_type.as_str()), (StatusCode::BAD_REQUEST, PROBLEM_CONTENT_TYPE));
            let refused = problem(&body);
            assert_eq!(refused.field.as_deref(), Some("months"), "{path}");
            assert_eq!(
                refused.detail,
                "unknown query parameter \"months\"; this endpoint takes no query parameters"
            );
            let (status, _, _) = get(&state, &format!("/api/v1/analytics/{path}")).await;
            assert_eq!(status, StatusCode::OK, "{path} without a query");
        }
    }

    #[tokio::test]
    async fn resolution_time_counts_months_in_the_campus_time_zone() {
        let (status, _, body) = get(&ready_state(), "/api/v1/analytics/resolution-time").await;
        assert_eq!(status, StatusCode::OK);
        let report: ResolutionReport = serde_json::from_slice(&body).unwrap();
        assert_eq!(report.time_zone, "Europe/Berlin");
        assert_eq!(report.months.len(), 1);
        assert_eq!(report.months[0].month, "2026-10");
        assert_eq!(report.months[0].mean_hours, 3.0);
    }

    #[tokio::test]
    async fn active_by_category_lists_every_category() {
        let (status, _, body) = get(&ready_state(), "/api/v1/analytics/active-by-category").await;
        assert_eq!(status, StatusCode::OK);
        let report: ActiveByCategory = serde_json::from_slice(&body).unwrap();
        let counts: Vec<_> = report.categories.iter().map(|c| (c.category, c.active)).collect();
        assert_eq!(counts, vec![(Category::Facility, 0), (Category::It, 0), (Category::Services, 1)]);
    }

    #[tokio::test]
    async fn before_the_first_catch_up_health_and_answers_are_503() {
        let state = AppState::new(TimeZone::UTC);
        for uri in ["/healthz", "/api/v1/analytics/active-by-category", "/api/v1/analytics/resolution-time"] {
            let (status, content_type, body) = get(&state, uri).await;
            assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{uri}");
            assert_eq!(content_type, PROBLEM_CONTENT_TYPE);
            let problem: Problem = serde_json::from_slice(&body).unwrap();
            assert!(problem.detail.contains("still loading"));
        }
        state.mark_ready();
        let (status, _, body) = get(&state, "/healthz").await;
        assert_eq!(status, StatusCode::OK);
        let health: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(health["status"], "ok");
        assert_eq!(health["cursor"], 0);
        let (status, _, body) = get(&state, "/api/v1/analytics/active-by-category").await;
        assert_eq!(status, StatusCode::OK);
        let report: ActiveByCategory = serde_json::from_slice(&body).unwrap();
        assert_eq!(report.categories.len(), 3);
    }

    #[tokio::test]
    async fn unknown_paths_are_a_404_problem() {
        let (status, content_type, body) = get(&ready_state(), "/api/v1/analytics/nope").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(content_type, PROBLEM_CONTENT_TYPE);
        let problem: Problem = serde_json::from_slice(&body).unwrap();
        assert!(problem.detail.contains("/api/v1/analytics/unclosed"));
    }
}
