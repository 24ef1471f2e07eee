//! Our own extractors, whose rejection is the error page ([`WebError`]) rather than axum's
//! plain text, and the helper forms and queries share.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use percent_encoding::percent_decode;
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
        let url_encoded = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
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

/// The name of the first field of a url-encoded body whose name or value, once
/// percent-decoded, is not valid UTF-8 (the name shown with replacement characters).
fn field_with_invalid_utf8(body: &[u8]) -> Option<String> {
    body.split(|b| *b == b'&').find_map(|pair| {
        let mut halves = pair.splitn(2, |b| *b == b'=');
        let name: Vec<u8> = percent_decode(halves.next().unwrap_or_default()).collect();
        let value: Vec<u8> = percent_decode(halves.next().unwrap_or_default()).collect();
        let bad = std::str::from_utf8(&name).is_err() || std::str::from_utf8(&value).is_err();
        bad.then(|| String::from_utf8_lossy(&name).replace('+', " "))
    })
}

/// `axum::extract::Query`, with the error page as rejection.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(WebError))]
pub(crate) struct WebQuery<T>(pub(crate) T);

/// An optional form or query value: `None` when missing or blank.
pub(crate) fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_found_in_names_and_values() {
        assert_eq!(field_with_invalid_utf8(b"title=Caf%C3%A9&description=ok+%E2%9C%93"), None);
        assert_eq!(field_with_invalid_utf8(b"title=ok&description=bad%FF%FE"), Some("description".into()));
        assert_eq!(field_with_invalid_utf8(b"title=raw\xff"), Some("title".into()));
        assert!(field_with_invalid_utf8(b"%C3=x").is_some());
    }
}
