//! `POST /api/v1/classify`: the category a text would get, without creating anything; and
//! `GET /api/v1/classifier`: the model in use and how automatic categories hold up against
//! staff corrections.

use api::{Classification, ClassifierStatus, ClassifyRequest, NoQuery, Problem};
use axum::Json;
use axum::extract::State;

use crate::extract::ApiQuery;
use crate::{AppError, AppJson, AppState};

/// Longest text accepted for classification, in characters: a title plus a description.
const MAX_CHARS: usize = domain::Title::MAX_CHARS + 1 + domain::Description::MAX_CHARS;

/// Classifies `text` (any role). Errors: 422 for empty or too long text.
#[utoipa::path(
    post,
    path = "/classify",
    tag = "classifier",
    request_body = ClassifyRequest,
    responses(
        (status = 200, description = "the category the text would get", body = Classification),
        (status = 400, description = "a query parameter is given (this endpoint takes none), or the body is not valid JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "the JSON body is larger than 64 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "the body is not sent as Content-Type: application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "text is missing, empty or longer than 5,121 characters (field text)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "too many requests of this kind from this client; wait as long as Retry-After says", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u32, description = "Seconds to wait before trying again."))),
    )
)]
pub(crate) async fn classify_text(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
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

/// `GET /classifier` (any role): the [`ClassifierStatus`]. `auto_accuracy` is
/// `1 - corrected / auto_categorised` (null when nothing was categorised automatically);
/// `corrections_now_right` re-classifies each corrected ticket's latest corrected text with the
/// model in use. Errors: 500 when the store cannot be read.
#[utoipa::path(
    get,
    path = "/classifier",
    tag = "classifier",
    responses(
        (status = 200, description = "the model in use and how automatic categories hold up", body = ClassifierStatus),
        (status = 400, description = "a query parameter is given (this endpoint takes none)", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn classifier_status(
    State(state): State<AppState>,
    _: ApiQuery<NoQuery>,
) -> Result<Json<ClassifierStatus>, AppError> {
    let retraining = state.learning().retraining();
    let (counts, corrections) =
        tokio::try_join!(state.store().classifier_counts(), state.store().list_corrections(0))?;
    let latest = crate::learning::latest_per_ticket(corrections);
    let model = state.classifier();
    let info = state.learning().model();
    let corrections_now_right =
        latest.iter().filter(|c| model.classify(&c.text).category == c.to_category).count();
    let auto_accuracy =
        (counts.auto_categorised > 0).then(|| 1.0 - counts.corrected as f64 / counts.auto_categorised as f64);
    Ok(Json(ClassifierStatus {
        trained_at: info.trained_at,
        training_examples: info.training_examples,
        corrections: counts.corrections,
        corrected_texts: latest.len(),
        auto_categorised: counts.auto_categorised,
        corrected: counts.corrected,
        auto_accuracy,
        corrections_now_right,
        retraining: retraining || state.learning().retraining(),
    }))
}
