//! [`WebError`]: every way a page can fail, and the friendly error page (`templates/error.html`)
//! it renders as. No stack trace and no blank page ever reaches the browser; causes of 5xx
//! answers are logged instead.

use api::{ClientError, Problem};
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::page::{HtmlTemplate, Layout, Section};

/// Why a page could not be shown.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WebError {
    /// No role was chosen yet: the visitor is sent to the entry page.
    #[error("no role has been chosen yet")]
    NoSession,
    /// 404 with a sentence saying what was not found.
    #[error("{0}")]
    NotFound(String),
    /// 403 with a sentence saying who may do it.
    #[error("{0}")]
    Forbidden(String),
    /// 400: the request itself is malformed (not a form field the person can fix inline).
    #[error("{0}")]
    BadRequest(String),
    /// 502: a service could not be reached or answered nonsense.
    #[error("the {service} could not be reached")]
    Unavailable {
        /// "ticket service" or "analytics service".
        service: &'static str,
        /// What the client saw.
        #[source]
        source: ClientError,
    },
    /// 500: anything else; the cause is logged, the page stays generic.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Which service a client error came from, for the 502 sentence.
pub(crate) const TICKET_SERVICE: &str = "ticket service";
pub(crate) const ANALYTICS_SERVICE: &str = "analytics service";

/// What a failed call to a service means for the person: the one reading every page uses
/// ([`read_failure`]), so a status never means one thing on one page and another elsewhere.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Failure<'a> {
    /// 400, 409, 413, 422 or 429 (too many requests, [`ClientError::RateLimited`]): the service
    /// refused what was sent and said why; pages show the sentence next to the form (the typed
    /// text kept) or in place of the result.
    Refused(&'a Problem),
    /// 403: this role may not do it.
    Forbidden(&'a Problem),
    /// 404: not there (or not for this role).
    NotFound(&'a Problem),
    /// 503 with a problem body: the service runs but is not ready yet (the analytics service
    /// still reading the change feed).
    NotReady,
    /// No answer, a broken connection, a 5xx, or an answer that is not the documented shape.
    Unreachable,
}

/// Reads a failed service call (see [`Failure`]).
pub(crate) fn read_failure(err: &ClientError) -> Failure<'_> {
    match err {
        ClientError::Problem(p) => match p.status.as_u16() {
            400 | 409 | 413 | 422 => Failure::Refused(p),
            403 => Failure::Forbidden(p),
            404 => Failure::NotFound(p),
            503 => Failure::NotReady,
            _ => Failure::Unreachable,
        },
        // Over a rate limit: the sentence says how long to wait; the form keeps the text.
        ClientError::RateLimited { problem, .. } => Failure::Refused(problem.as_ref()),
        ClientError::Http(_) | ClientError::Unexpected { .. } => Failure::Unreachable,
    }
}

impl WebError {
    /// The error page for a failed service call ([`read_failure`]): a refusal, 403 and 404 keep
    /// the service's sentence; a service that is not ready or cannot be reached is 502.
    pub(crate) fn from_client(service: &'static str, err: ClientError) -> Self {
        match read_failure(&err) {
            Failure::Refused(problem) => WebError::BadRequest(problem.to_string()),
            Failure::Forbidden(problem) => WebError::Forbidden(problem.detail.clone()),
            Failure::NotFound(problem) => WebError::NotFound(problem.detail.clone()),
            Failure::NotReady | Failure::Unreachable => WebError::Unavailable { service, source: err },
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            WebError::NoSession => StatusCode::SEE_OTHER,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Unavailable { .. } => StatusCode::BAD_GATEWAY,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<QueryRejection> for WebError {
    fn from(rejection: QueryRejection) -> Self {
        // axum's text names serde's types ("Failed to deserialize query string: ..."): logged,
        // not shown.
        tracing::debug!(error = %rejection.body_text(), "an address with a query that does not fit");
        WebError::BadRequest(crate::language::current().t("error-bad-query"))
    }
}

/// `templates/error.html`.
#[derive(Template)]
#[template(path = "error.html")]
pub(crate) struct ErrorTemplate {
    pub(crate) layout: Layout,
    pub(crate) status: u16,
    /// The page's heading, in the request's language.
    pub(crate) heading: String,
    /// What happened and what to do, in the request's language.
    pub(crate) sentence: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let lang = crate::language::current();
        let (heading, sentence) = match &self {
            WebError::NoSession => return Redirect::to("/").into_response(),
            WebError::NotFound(s) => ("error-not-found-heading", s.clone()),
            WebError::Forbidden(s) => ("error-forbidden-heading", s.clone()),
            WebError::BadRequest(s) => ("error-bad-request-heading", s.clone()),
            WebError::Unavailable { service, source } => {
                tracing::warn!(error = %source, service, "a service could not be reached");
                let which = if *service == ANALYTICS_SERVICE { "analytics" } else { "tickets" };
                ("error-unavailable-heading", lang.t_with("error-unavailable", &[("service", which.into())]))
            }
            WebError::Internal(err) => {
                tracing::error!(error = format!("{err:#}"), "a page failed");
                ("error-internal-heading", lang.t("error-internal"))
            }
        };
        let heading = lang.t(heading);
        let template = ErrorTemplate {
            layout: crate::session::visitor_layout(Section::Other),
            status: status.as_u16(),
            heading,
            sentence,
        };
        HtmlTemplate::with_status(template, status).into_response()
    }
}

/// Fallback for unknown paths: the friendly 404 page.
pub(crate) async fn page_not_found() -> WebError {
    WebError::NotFound(crate::language::current().t("error-no-page"))
}

/// Fallback for a known path with the wrong method (e.g. `GET /session`).
pub(crate) async fn method_not_allowed() -> Response {
    let template = ErrorTemplate {
        layout: crate::session::visitor_layout(Section::Other),
        status: 405,
        heading: crate::language::current().t("error-method-heading"),
        sentence: crate::language::current().t("error-method"),
    };
    HtmlTemplate::with_status(template, StatusCode::METHOD_NOT_ALLOWED).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(status: u16) -> ClientError {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        ClientError::Problem(Problem::new(status, "Title", "what went wrong"))
    }

    #[test]
    fn every_failed_call_is_read_one_way() {
        for status in [400, 409, 413, 422] {
            assert!(
                matches!(read_failure(&problem(status)), Failure::Refused(p) if p.status.as_u16() == status)
            );
        }
        assert!(matches!(read_failure(&problem(403)), Failure::Forbidden(_)));
        assert!(matches!(read_failure(&problem(404)), Failure::NotFound(_)));
        assert_eq!(read_failure(&problem(503)), Failure::NotReady);
        assert_eq!(read_failure(&problem(500)), Failure::Unreachable);
        let odd = ClientError::Unexpected { status: 418, body: "teapot".into() };
        assert_eq!(read_failure(&odd), Failure::Unreachable);
    }

    #[test]
    fn a_too_large_text_is_a_refusal_not_an_unreachable_service() {
        // 413 used to become "the ticket service cannot be reached" (502).
        let page = WebError::from_client(TICKET_SERVICE, problem(413));
        assert_eq!(page.status(), StatusCode::BAD_REQUEST);
        assert!(page.to_string().contains("what went wrong"), "{page}");
        let page = WebError::from_client(TICKET_SERVICE, problem(503));
        assert_eq!(page.status(), StatusCode::BAD_GATEWAY);
    }
}
