//! Our own extractors, whose rejection is the error page ([`WebError`]) rather than axum's
//! plain text, and the helper forms and queries share.

use api::UploadFile;
use api::query::field_with_invalid_utf8;
use axum::body::Bytes;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::StatusCode;
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
                "The form could not be read: it did not arrive as a form filled in on this site. \
                 Please go back and send it again from the page."
                    .to_owned(),
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|e| unreadable("the form body", &e.body_text()))?;
        if let Some(field) = field_with_invalid_utf8(&bytes) {
            return Err(WebError::BadRequest(format!(
                "The form could not be read: the field \u{201c}{field}\u{201d} holds characters that could \
                 not be read, so nothing was saved. Please type or paste the text again."
            )));
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(WebForm)
            .map_err(|e| unreadable("a form field", &e.to_string()))
    }
}

/// A form that may carry files: a `multipart/form-data` body (its text fields read into `T`,
/// its parts named `files` kept as files; a file input left empty sends none) or, as
/// [`WebForm`], a url-encoded one without files.
///
/// A multipart body that breaks off (larger than the route reads, or malformed) is not a
/// rejection: the text fields read before are kept and `problem` says what happened, so the
/// form can come back with the text. Rejection: as [`WebForm`] for a url-encoded body, 400
/// when the text fields do not fit `T`.
pub(crate) struct WebUpload<T> {
    /// The text fields.
    pub(crate) form: T,
    /// The files chosen, in the order sent.
    pub(crate) files: Vec<UploadFile>,
    /// Why the body could not be read to its end, as a sentence.
    pub(crate) problem: Option<String>,
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for WebUpload<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        let multipart = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("multipart/form-data"));
        if !multipart {
            let WebForm(form) = WebForm::<T>::from_request(request, state).await?;
            return Ok(WebUpload { form, files: Vec::new(), problem: None });
        }
        let mut body = Multipart::from_request(request, state)
            .await
            .map_err(|e| unreadable("the form body", &e.body_text()))?;
        let mut fields: Vec<(String, String)> = Vec::new();
        let mut files = Vec::new();
        let problem = loop {
            let field = match body.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break None,
                Err(err) => break Some(broken_off(&err)),
            };
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let bytes = match field.bytes().await {
                Ok(bytes) => bytes,
                Err(err) => break Some(broken_off(&err)),
            };
            match file_name {
                // A file input left empty: no name, no bytes.
                Some(file_name) if file_name.is_empty() && bytes.is_empty() => {}
                Some(file_name) => files.push(UploadFile { file_name, bytes: bytes.to_vec() }),
                None => {
                    let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                        WebError::BadRequest(format!(
                            "The form could not be read: the field \u{201c}{name}\u{201d} holds characters that \
                             could not be read, so nothing was saved. Please type or paste the text again."
                        ))
                    })?;
                    fields.push((name, text));
                }
            }
        };
        let encoded = form_urlencoded::Serializer::new(String::new()).extend_pairs(&fields).finish();
        let form =
            serde_urlencoded::from_str(&encoded).map_err(|e| unreadable("a form field", &e.to_string()))?;
        Ok(WebUpload { form, files, problem })
    }
}

/// The sentence of a multipart body that broke off.
fn broken_off(err: &MultipartError) -> String {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        "The files are larger than the helpdesk accepts in one form, so nothing was sent.".to_owned()
    } else {
        tracing::debug!(error = %err.body_text(), "a multipart form broke off");
        "The form could not be read to its end (the connection may have dropped), so nothing was sent."
            .to_owned()
    }
}

/// The 400 page of a form that does not fit what the page sends (a field missing or holding a
/// value no field of ours produces, e.g. a hand-made request or a page from an older version):
/// a plain sentence for the person; the parser's own words (`what`, `detail`) go to the log.
fn unreadable(what: &str, detail: &str) -> WebError {
    tracing::debug!(error = detail, part = what, "a form that could not be read");
    WebError::BadRequest(
        "The form could not be read: a field is missing or holds a value this form does not expect, \
         so nothing was saved. Please go back, reload the page and fill the form in again."
            .to_owned(),
    )
}

/// `axum::extract::Query`, with the error page as rejection.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(WebError))]
pub(crate) struct WebQuery<T>(pub(crate) T);

/// An optional form or query value: `None` when missing or blank.
pub(crate) fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}
