//! `GET /healthz`: whether the service can serve, i.e. whether its store answers.

use api::Problem;
use axum::Json;
use serde_json::{Value, json};

use crate::{AppError, AppState};

/// 200 `{"status":"ok"}` when the store answers a trivial query, 503 problem otherwise.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses(
        (status = 200, description = "the service can serve: {\"status\":\"ok\"}", body = Object),
        (status = 503, description = "the ticket database does not answer", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Result<Json<Value>, AppError> {
    match state.store().count_tickets().await {
        Ok(_) => Ok(Json(json!({"status": "ok"}))),
        Err(err) => {
            tracing::error!(error = %err, "health check: the store does not answer");
            Err(AppError::Unavailable("the ticket database does not answer".into()))
        }
    }
}
