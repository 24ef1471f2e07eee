//! The live category hint of the new-ticket form (`POST /tickets/classify`): while someone
//! types, `static/hint.js` posts the title and description here and shows the category the
//! ticket will probably get. The text goes to the ticket service's `POST /api/v1/classify`
//! (nothing is created); the browser only ever talks to this web service.
//!
//! The answer is a small JSON object (see [`Hint`]). `<`, `>` and `&` inside it are written as
//! `\u003c`, `\u003e` and `\u0026`, so the body cannot be read as markup even if something
//! displayed it as HTML; the script puts every value in with `textContent`.

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serving::ClientAddr;

use crate::AppState;
use crate::error::{Failure, read_failure};
use crate::view::percent;

/// Most characters of title plus description sent for a hint; the rest is not classified (the
/// ticket service classifies at most a title and a description together).
const MAX_HINT_CHARS: usize = 5_000;

/// Body of `POST /tickets/classify` (form-encoded, as the script and a form would send it).
#[derive(Debug, Deserialize)]
pub(crate) struct HintForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
}

/// The answer of `POST /tickets/classify`.
#[derive(Debug, Serialize, PartialEq)]
pub(crate) struct Hint {
    /// `facility`, `it` or `services`.
    pub(crate) category: domain::Category,
    /// What people read, e.g. "Technical IT".
    pub(crate) label: &'static str,
    /// 0.0 to 1.0.
    pub(crate) confidence: f64,
    /// The confidence as a whole percentage, e.g. "87%".
    pub(crate) percent: String,
    /// The words that decided it, strongest first (lower-cased, as typed).
    pub(crate) terms: Vec<String>,
    /// True below the classifier's "please check" threshold.
    pub(crate) uncertain: bool,
    /// The sentence to show: "This will probably be filed under: Technical IT (87%)".
    pub(crate) message: String,
}

/// A refusal: `{"error": "sentence"}`.
#[derive(Debug, Serialize)]
struct HintError {
    error: String,
}

/// `value` as JSON with `<`, `>` and `&` escaped (see the module docs).
fn json_response<T: Serialize>(status: StatusCode, value: &T) -> Response {
    let body = match serde_json::to_string(value) {
        Ok(json) => json.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026"),
        Err(err) => {
            tracing::error!(error = %err, "a category hint could not be serialised");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        body,
    )
        .into_response()
}

fn refuse(status: StatusCode, sentence: impl Into<String>) -> Response {
    json_response(status, &HintError { error: sentence.into() })
}

/// The hint for a classification.
pub(crate) fn hint(classification: api::Classification) -> Hint {
    let label = classification.category.label();
    let percent = percent(classification.confidence);
    Hint {
        category: classification.category,
        label,
        confidence: classification.confidence,
        message: crate::language::current().t_with(
            "hint-filed-under",
            &[
                ("category", crate::view::category_name(classification.category).into()),
                ("percent", percent.as_str().into()),
            ],
        ),
        percent,
        terms: classification.terms,
        uncertain: classification.confidence < classifier::UNCERTAIN_BELOW,
    }
}

/// `POST /tickets/classify` with `title` and `description` (form-encoded): 200 with a [`Hint`];
/// 422 `{"error"}` when both are blank; 400 for an unreadable body; 502 when the ticket
/// service cannot be reached. Needs no role: nothing is stored or shown from the desk.
pub(crate) async fn classify_draft(
    State(state): State<AppState>,
    client: ClientAddr,
    form: Result<Form<HintForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return refuse(StatusCode::BAD_REQUEST, crate::language::current().t("hint-unreadable"));
    };
    let text = domain::classifier_input(form.title.trim(), form.description.replace("\r\n", "\n").trim());
    let text = text.trim();
    if text.is_empty() {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, crate::language::current().t("hint-empty"));
    }
    let text: String = text.chars().take(MAX_HINT_CHARS).collect();
    match state.tickets.on_behalf_of(client.0).classify(&text).await {
        Ok(classification) => json_response(StatusCode::OK, &hint(classification)),
        Err(err) => match read_failure(&err) {
            Failure::Refused(problem) | Failure::Forbidden(problem) | Failure::NotFound(problem) => {
                refuse(StatusCode::UNPROCESSABLE_ENTITY, problem.detail.clone())
            }
            Failure::NotReady | Failure::Unreachable => {
                tracing::warn!(error = %err, "the ticket service could not classify a draft");
                refuse(StatusCode::BAD_GATEWAY, crate::language::current().t("hint-unreachable"))
            }
        },
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use domain::Category;

    #[test]
    fn the_hint_says_where_the_ticket_goes_and_marks_uncertain_ones() {
        let sure = hint(api::Classification {
            category: Category::It,
            confidence: 0.874,
            terms: vec!["wifi".into()],
        });
        assert_eq!(sure.message, "This will probably be filed under: Technical IT (87%)");
        assert!(!sure.uncertain);
        let unsure =
            hint(api::Classification { category: Category::Services, confidence: 0.41, terms: vec![] });
        assert!(unsure.uncertain, "below the classifier's threshold the hint is marked uncertain");
    }

    #[tokio::test]
    async fn markup_in_the_answer_is_escaped() {
        let response = json_response(StatusCode::OK, &HintError { error: "<script>&</script>".into() });
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json; charset=utf-8");
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        let body = String::from_utf8(bytes.to_vec()).unwrap();
        assert!(!body.contains('<') && !body.contains('&'), "{body}");
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["error"], "<script>&</script>", "still the same text once parsed");
    }
}
