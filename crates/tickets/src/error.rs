//! The ticket service's one error type, [`AppError`], and how it becomes an RFC 9457
//! `application/problem+json` response. [`store::StoreError`] is mapped to HTTP here and only
//! here.

use api::{PROBLEM_CONTENT_TYPE, Problem};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::{TextError, TransitionError};
use store::StoreError;

/// Everything a request can fail with. Each variant carries the sentence shown to the caller in
/// the problem's `detail`; 5xx answers show a generic sentence and log the cause chain instead.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: the request itself is malformed (bad header, query parameter value, JSON syntax,
    /// id).
    #[error("{0}")]
    BadRequest(String),
    /// 400: the query string names a parameter the endpoint does not take, repeats one, or has
    /// a value that cannot be read; the problem's `field` names the parameter.
    #[error(transparent)]
    BadQuery(#[from] api::QueryError),
    /// 403: the caller's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such resource (or one the caller may not see).
    #[error("{0}")]
    NotFound(String),
    /// 405: the path exists but not with this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// 409: the request conflicts with the ticket's current state.
    #[error("{message}")]
    Conflict {
        /// The request field at fault, if any (`version`, `status`).
        field: Option<&'static str>,
        /// What conflicts and what to do.
        message: String,
    },
    /// 413: the body is larger than the route accepts.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 415: the body is not in a format the route accepts.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// 422: the body is well formed but its content is invalid.
    #[error("{message}")]
    Validation {
        /// The request field at fault, if any.
        field: Option<String>,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// 503: the service cannot answer right now (database down, request too slow).
    #[error("{0}")]
    Unavailable(String),
    /// 429 (or 503 when `everyone` is set: the limit is the service's, not the caller's): the
    /// caller is over a limit; answered with `Retry-After: retry_after` (seconds).
    #[error("{message}")]
    TooManyRequests {
        /// What limit was hit and when to try again.
        message: String,
        /// Seconds until a new try may succeed (at least 1).
        retry_after: u64,
        /// The limit counts all callers together (503 rather than 429).
        everyone: bool,
    },
    /// A store operation failed; mapped to 404, 403, 409, 422 or 500 by [`AppError::problem`].
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Anything else: 500 with a generic body; the cause chain is logged.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A 422 for a text field that failed validation; `field` is the request field's name.
    pub fn invalid_text(field: &str, err: &TextError) -> Self {
        AppError::Validation { field: Some(field.to_owned()), message: err.to_string() }
    }

    /// A 422 naming a field.
    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation { field: Some(field.to_owned()), message: message.into() }
    }

    /// The problem body this error is answered with.
    pub fn problem(&self) -> Problem {
        let (status, detail, field): (StatusCode, String, Option<String>) = match self {
            AppError::BadRequest(m) => (StatusCode::BAD_REQUEST, m.clone(), None),
            AppError::BadQuery(err) => {
                (StatusCode::BAD_REQUEST, err.to_string(), err.parameter().map(str::to_owned))
            }
            AppError::Forbidden(m) => (StatusCode::FORBIDDEN, m.clone(), None),
            AppError::NotFound(m) => (StatusCode::NOT_FOUND, m.clone(), None),
            AppError::MethodNotAllowed(m) => (StatusCode::METHOD_NOT_ALLOWED, m.clone(), None),
            AppError::Conflict { field, message } => {
                (StatusCode::CONFLICT, message.clone(), field.map(str::to_owned))
            }
            AppError::PayloadTooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, m.clone(), None),
            AppError::UnsupportedMediaType(m) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, m.clone(), None),
            AppError::Validation { field, message } => {
                (StatusCode::UNPROCESSABLE_ENTITY, message.clone(), field.clone())
            }
            AppError::Unavailable(m) => (StatusCode::SERVICE_UNAVAILABLE, m.clone(), None),
            AppError::TooManyRequests { message, everyone: false, .. } => {
                (StatusCode::TOO_MANY_REQUESTS, message.clone(), None)
            }
            AppError::TooManyRequests { message, everyone: true, .. } => {
                (StatusCode::SERVICE_UNAVAILABLE, message.clone(), None)
            }
            AppError::Store(err) => match err {
                StoreError::NotFound(_) => (StatusCode::NOT_FOUND, err.to_string(), None),
                StoreError::VersionConflict { .. } => {
                    (StatusCode::CONFLICT, err.to_string(), Some("version".into()))
                }
                StoreError::Transition(TransitionError::NotStaff) => {
                    (StatusCode::FORBIDDEN, err.to_string(), None)
                }
                StoreError::Transition(
                    TransitionError::NotAllowed { .. }
                    | TransitionError::NotClosed { .. }
                    | TransitionError::UndoWindowPassed { .. },
                ) => (StatusCode::CONFLICT, err.to_string(), Some("status".into())),
                StoreError::InvalidImport { .. } => (StatusCode::UNPROCESSABLE_ENTITY, err.to_string(), None),
                StoreError::Forbidden(_) => (StatusCode::FORBIDDEN, err.to_string(), None),
                StoreError::Backend(_) => (StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_DETAIL.into(), None),
            },
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, INTERNAL_DETAIL.into(), None),
        };
        let problem = Problem::new(status, title(status), detail);
        match field {
            Some(field) => problem.with_field(field),
            None => problem,
        }
    }
}

const INTERNAL_DETAIL: &str =
    "the ticket service failed to handle the request; nothing was changed by the failure, try again later";

fn title(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "Bad request",
        StatusCode::FORBIDDEN => "Forbidden",
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::METHOD_NOT_ALLOWED => "Method not allowed",
        StatusCode::CONFLICT => "Conflict",
        StatusCode::PAYLOAD_TOO_LARGE => "Request too large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "Unsupported media type",
        StatusCode::UNPROCESSABLE_ENTITY => "Invalid input",
        StatusCode::SERVICE_UNAVAILABLE => "Service unavailable",
        StatusCode::TOO_MANY_REQUESTS => "Too many requests",
        _ => "Internal server error",
    }
}

/// The error and its sources, joined with ": ", for the log.
fn cause_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let problem = self.problem();
        let retry_after = match &self {
            AppError::TooManyRequests { retry_after, .. } => Some(*retry_after),
            _ => None,
        };
        if problem.status.is_server_error() && retry_after.is_none() {
            tracing::error!(status = problem.status.as_u16(), error = %cause_chain(&self), "request failed");
        }
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (problem.status, body).into_response();
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_CONTENT_TYPE));
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_documented_statuses() {
        let cases: Vec<(StoreError, u16, Option<&str>)> = vec![
            (StoreError::NotFound(4), 404, None),
            (StoreError::VersionConflict { expected: 1, current: 2 }, 409, Some("version")),
            (StoreError::Transition(TransitionError::NotStaff), 403, None),
            (
                StoreError::Transition(TransitionError::NotAllowed {
                    from: domain::Status::Open,
                    to: domain::Status::Closed,
                }),
                409,
                Some("status"),
            ),
            (
                StoreError::Transition(TransitionError::NotClosed { status: domain::Status::Active }),
                409,
                Some("status"),
            ),
            (
                StoreError::Transition(TransitionError::UndoWindowPassed {
                    closed_at: jiff::Timestamp::UNIX_EPOCH,
                    window: domain::UNDO_CLOSE_WINDOW,
                }),
                409,
                Some("status"),
            ),
            (StoreError::InvalidImport { row: 3, message: "bad".into() }, 422, None),
            (StoreError::Forbidden("only staff".into()), 403, None),
            (StoreError::backend(anyhow::anyhow!("disk on fire")), 500, None),
        ];
        for (err, status, field) in cases {
            let problem = AppError::from(err).problem();
            assert_eq!(problem.status, status);
            assert_eq!(problem.field.as_deref(), field);
            assert!(!problem.detail.is_empty());
        }
    }

    #[test]
    fn server_errors_do_not_leak_their_cause() {
        let problem = AppError::from(StoreError::backend(anyhow::anyhow!("secret path /var/db"))).problem();
        assert!(!problem.detail.contains("secret"));
        assert_eq!(problem.title, "Internal server error");
    }

    #[test]
    fn conflict_on_version_tells_to_reload() {
        let problem = AppError::from(StoreError::VersionConflict { expected: 1, current: 3 }).problem();
        assert!(problem.detail.contains("reload"), "{}", problem.detail);
    }
}
