//! `POST /api/v1/classify`: the category a text would get, without creating anything.

use api::{Classification, ClassifyRequest};
use axum::Json;
use axum::extract::State;

use crate::{AppError, AppJson, AppState};

/// Longest text accepted for classification, in characters: a title plus a description.
const MAX_CHARS: usize = domain::Title::MAX_CHARS + 1 + domain::Description::MAX_CHARS;

/// Classifies `text` (any role). Errors: 422 for empty or too long text.
pub(crate) async fn classify_text(
    State(state): State<AppState>,
    AppJson(request): AppJson<ClassifyRequest>,
) -> Result<Json<Classification>, AppError> {
    let text = request.text.trim();
    if text.is_empty() {
        return Err(AppError::validation("text", "text must not be empty"));
    }
    let len = text.chars().count();
    if len > MAX_CHARS {
        return Err(AppError::validation(
            "text",
            format!("text is {len} characters long; at most {MAX_CHARS} are allowed"),
        ));
    }
    let prediction = state.classifier().classify(text);
    Ok(Json(Classification {
        category: prediction.category,
        confidence: prediction.confidence,
        terms: prediction.terms,
    }))
}
