//! Our own extractors, whose rejection is the error page ([`WebError`]) rather than axum's
//! plain text, and the helper forms and queries share.

use crate::error::WebError;

/// `axum::Form`, but a body that cannot be read renders the error page (not axum's plain text).
#[derive(axum::extract::FromRequest)]
#[from_request(via(axum::Form), rejection(WebError))]
pub(crate) struct WebForm<T>(pub(crate) T);

/// `axum::extract::Query`, with the error page as rejection.
#[derive(axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(WebError))]
pub(crate) struct WebQuery<T>(pub(crate) T);

/// An optional form or query value: `None` when missing or blank.
pub(crate) fn non_blank(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}
