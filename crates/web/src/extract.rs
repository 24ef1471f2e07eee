//! Our own extractors, whose rejection is the error page ([`WebError`]) rather than axum's
//! plain text, and the helper forms and queries share.

use api::query::field_with_invalid_utf8;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::error::WebError;

/// A url-encoded form body read into `T`, like `axum::Form`, but stricter and friendlier: a
/// body that is not a url-encoded form, holds text that is not valid UTF-8 (which `axum::Form`
/// would store as U+FFFD), or does not fit `T` renders the error page (400) with a sentence,
/// and nothing is changed.
pub(crate) struct WebForm<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for WebForm<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        let url_encoded =
            request.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
                v.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded")
            });
        if !url_encoded {
            return Err(WebError::BadRequest(
                "The form could not be read: it was not sent as a web form \
                 (Content-Type: application/x-www-form-urlencoded)."
                    .to_owned(),
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| WebError::BadRequest(format!("The form could not be read: {}.", e.body_text())))?;
        if let Some(field) = field_with_invalid_utf8(&bytes) {
            return Err(WebError::BadRequest(format!(
                "The form could not be read: the field \u{201c}{field}\u{201d} holds bytes that are not valid \
                 UTF-8 text, so nothing was saved. Please type or paste the text again."
            )));
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(WebForm)
            .map_err(|e| WebError::BadRequest(format!("The form could not be read: {e}.")))
    }
}

/// `axum::extract::Query`, with the error page as rejection.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(WebError))]
pub(crate) struct WebQuery<T>(pub(crate) T);

/// An optional form or query value: `None` when missing or blank.
pub(crate) fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}
